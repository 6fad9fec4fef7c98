"""The parse cache: each event file's YAML and Markdown parse, kept between builds under the
file's stamp and the digest of the code that parsed it (reading, checks, Markdown, the
sanitiser's allowlists, library versions), so any change to that code parses everything again."""

from __future__ import annotations

import pickle
from pathlib import Path

from kepu.content.events import ParsedFile

from .fragments import load_pickle, save_pickle
from .keys import code_digest

FILE = "parses.pickle"


class ParseCache:
    """``kepu.content.events.ParseCache`` kept in the cache folder; entries are ``(stamp, pickled parse)``
    keyed by the path under content/, valid only for the code that made them."""

    def __init__(self, folder: Path, content_prefix: str):
        self.path = folder / FILE
        self.code = code_digest()
        data = load_pickle(self.path)
        self.entries: dict = data.get("entries", {}) if data.get("code") == self.code else {}
        self.prefix = content_prefix
        self.changed = False
        self.hits = 0  # parses served from the cache, reported by trace.note

    def _key(self, shown: str) -> str:
        return shown[len(self.prefix):].lstrip("/") if shown.startswith(self.prefix) else shown

    def stamps(self) -> dict[str, bytes]:
        return {f"{self.prefix}/{key}": stamp for key, (stamp, _data) in self.entries.items()}

    def get(self, shown: str) -> ParsedFile | None:
        _stamp, data = self.entries.get(self._key(shown), (None, None))
        try:
            parsed = pickle.loads(data) if isinstance(data, bytes) else None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not isinstance(parsed, ParsedFile) or (parsed.doc and parsed.doc.path != shown):
            return None
        self.hits += 1
        return parsed

    def put(self, shown: str, stamp: bytes, pickled: bytes) -> None:
        key = self._key(shown)
        if self.entries.get(key, (None,))[0] != stamp:
            self.entries[key] = (stamp, pickled)
            self.changed = True

    def keep_only(self, shown: set[str]) -> None:
        """Forget files that no longer exist."""
        for key in [k for k in self.entries if f"{self.prefix}/{k}" not in shown]:
            del self.entries[key]
            self.changed = True

    def save(self) -> None:
        if self.changed:
            save_pickle(self.path, {"code": self.code, "entries": self.entries})
