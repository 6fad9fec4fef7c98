"""What every cached or reused output is made by: the code, the theme, the settings and the
versions of the libraries that turn content into output."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .canon import digest

PLUGINS = Path(__file__).resolve().parents[2]  # plugins/: the kepu and kepu_pelican packages
PACKAGES = ("kepu", "kepu_pelican")
VOLATILE = ("PATH", "OUTPUT", "CACHE", "KEPU_PREVIOUS_OUTPUT", "KEPU_ROOT", "WORKERS", "PARALLEL", "KEPU_CONTENT_TREE")


def files_digest(folders: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> str:
    """Every file below the folders (names and bytes), compiled Python left out."""
    hasher = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if suffixes is None or path.suffix in suffixes:
                hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def code_digest(plugins: Path | None = None) -> str:
    """The plugins' code (``plugins``: another copy of plugins/) and the libraries' versions:
    any change to either changes every key."""
    return _code_digest(PLUGINS) if plugins is None else _digest_code(plugins)


@cache
def _code_digest(plugins: Path) -> str:
    return _digest_code(plugins)


def _digest_code(plugins: Path) -> str:
    return digest(files_digest([plugins / name for name in PACKAGES]), libraries())


def libraries() -> list[tuple[str, str]]:
    """Every installed distribution with its version: an upgrade of any library a build uses
    (Markdown, the sanitiser, the QR encoder, pinyin…) remakes what it made, with no list of
    them to keep up to date."""
    return sorted({((dist.metadata["Name"] or "").lower(), dist.version) for dist in metadata.distributions()})


def _plain(value: Any) -> bool:
    if isinstance(value, (str, int, float, bool, type(None), date)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def settings_digest(settings: Mapping[str, Any]) -> str:
    """The settings that shape output (plain values only; this machine's paths left out)."""
    plain = {key: value for key, value in settings.items()
             if not any(word in key for word in VOLATILE) and _plain(value)}
    return digest(json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str))


def engine_key(settings: Mapping[str, Any]) -> str:
    """Code, libraries, the whole theme and the settings: part of every page's fingerprint."""
    return digest(code_digest(), files_digest([Path(settings["THEME"])]), settings_digest(settings))
