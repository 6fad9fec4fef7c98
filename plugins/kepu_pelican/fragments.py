"""Pieces of output made once per version of an event (its card, its open-data record) and
kept across builds in the cache folder, keyed by the event's fingerprint."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .parallel import in_background


class FragmentCache:
    """``get`` returns the fragment made for this fingerprint by an earlier build, or makes it;
    ``save`` keeps the fragments used by this build (and only those) for the next one."""

    def __init__(self, path: Path):
        self.path = path
        self.known = _load_pickle(path)
        self.kept: dict[str, Any] = {}

    def get(self, fingerprint: str, make: Callable[[], Any]) -> Any:
        value = self.known.get(fingerprint)
        if value is None:
            value = make()
        self.kept[fingerprint] = value
        return value

    def save(self) -> None:
        """Written by a background child: pickling thousands of fragments is not worth waiting for."""
        kept = self.kept
        in_background(lambda: _save_pickle(self.path, kept))


def _load_pickle(path: Path) -> dict:
    try:
        data = pickle.loads(path.read_bytes())
        return data if isinstance(data, dict) else {}
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return {}


def _save_pickle(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)
