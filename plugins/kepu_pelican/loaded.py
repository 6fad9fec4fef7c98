"""The plugins' code as this process loaded it: their files are digested when kepu_pelican is
first imported, before any other of its modules, so a cache key names the code that runs, not
the files on disk later (a save during a long preview, a checkout)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[1]  # plugins/: the kepu and kepu_pelican packages
PACKAGES = ("kepu", "kepu_pelican")


def files_digest(folders: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> str:
    """Every file below the folders (names and bytes), compiled Python left out."""
    hasher = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if suffixes is None or path.suffix in suffixes:
                hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def plugins_digest() -> str:
    """The plugins' files as they are now."""
    return files_digest([PLUGINS / name for name in PACKAGES])


AT_IMPORT = plugins_digest()
