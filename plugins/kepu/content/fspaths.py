"""Resolving file paths with one file-system lookup per folder rather than per file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4096)
def _resolved_folder(folder: str) -> Path:
    return Path(folder).resolve()


def resolved_folder(folder: Path) -> Path:
    """A folder resolved once and remembered."""
    return _resolved_folder(str(folder))


def resolved(path: Path) -> Path:
    """``path`` with its folder resolved (links and ``..`` followed); the file's own name is kept,
    so a linked file is reported where the editor put it."""
    return _resolved_folder(str(path.parent)) / path.name
