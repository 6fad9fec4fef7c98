"""Incremental output: a file whose inputs are unchanged since the published build is
hard-linked from it instead of being rendered again.

Every reusable file is written with a fingerprint of everything it was made from; the
fingerprints travel inside the output (``.kepu-build.json``), so they always describe the
files next to them, whatever happened to caches or to a failed build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .settings import previous_output

MANIFEST = ".kepu-build.json"
VOLATILE = ("PATH", "OUTPUT", "CACHE", "KEPU_PREVIOUS_OUTPUT", "KEPU_ROOT", "WORKERS")


def digest(*parts: Any) -> str:
    """A short, stable hash of values (bytes are hashed as they are, the rest through repr)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def _files_digest(folders: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> str:
    hasher = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if suffixes is None or path.suffix in suffixes:
                hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


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


def code_digest(theme: Path, plugins: Path) -> str:
    """The theme and the plugins' Python code: changing either invalidates everything."""
    return digest(_files_digest([theme]), _files_digest([plugins], (".py",)))


class OutputReuse:
    """Decides, file by file, whether the previous build's copy can stand."""

    def __init__(self, staging: Path, previous: Path | None):
        self.staging = staging
        self.previous = previous
        self.known: dict[str, str] = {}
        self.fingerprints: dict[str, str] = {}
        self.reused = 0
        self._folders: set[str] = set()
        if previous is not None:
            try:
                self.known = json.loads((previous / MANIFEST).read_text("utf-8"))["files"]
            except (OSError, ValueError, KeyError, TypeError):
                self.known = {}

    def reuse(self, relative: str, fingerprint: str) -> bool:
        """Record the file's fingerprint; link the old copy if it was made from the same inputs."""
        self.fingerprints[relative] = fingerprint
        if self.previous is None or self.known.get(relative) != fingerprint:
            return False
        old, new = os.path.join(self.previous, relative), os.path.join(self.staging, relative)
        folder = os.path.dirname(new)
        if folder not in self._folders:  # one mkdir per folder, not per file
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        try:
            os.link(old, new)
        except FileNotFoundError:
            return False  # the previous build does not have it after all
        except OSError:  # another file system, or links not allowed
            try:
                shutil.copy2(old, new)
            except OSError:
                return False
        self.reused += 1
        return True

    def previous_bytes(self, relative: str) -> bytes:
        return (self.previous / relative).read_bytes() if self.previous else b""

    def save(self) -> None:
        data = {"version": 1, "files": dict(sorted(self.fingerprints.items()))}
        (self.staging / MANIFEST).write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")


_ACTIVE: dict[str, OutputReuse] = {}


def start_reuse(output_path: str, settings: Mapping[str, Any]) -> OutputReuse:
    reuse = OutputReuse(Path(output_path), previous_output(Path(output_path), settings))
    _ACTIVE[output_path] = reuse
    return reuse


def finish_reuse(output_path: str) -> None:
    reuse = _ACTIVE.pop(output_path, None)
    if reuse is not None:
        reuse.save()
