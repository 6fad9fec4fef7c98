"""The parse cache: each event file's YAML and Markdown parse, kept between builds under the
file's stamp and the digest of the code that parsed it (reading, checks, Markdown, the
sanitiser's allowlists, library versions), so any change to that code parses everything again.

Beside each parse, what validating it gave: kept with the digest of what validation read
besides the file (the registries, the news' names, the time zone…) and the files it looked
for (pictures), and used only while all of them are as they were. With a validated event, its
canonical digest (engine.canon.written) once a build has worked it out: the next build's
memo starts with it (the same code, the same event read back)."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import NamedTuple

from kepu.content.events import ParsedFile, Validated
from kepu.content.validation import ValidationContext

from .blobs import OLD, Blobs, Span
from .canon import Undigestable, canonical, seed, written
from .fragments import load_pickle, save_pickle
from .keys import code_digest

FILE = "parses.pickle"  # the index; the parses and validations are in a data file beside it (engine.blobs)
STEM = "parses"
logger = logging.getLogger(__name__)
_UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError)
UNSAVED = "缓存 %s 未能保存（%s），下次构建会重新解析"


class Validation(NamedTuple):
    """What validating a file gave, and what it depended on besides the file."""

    inputs: str  # the digest of ValidationContext.inputs()
    probes: tuple[tuple[str, bool], ...]  # the files it looked for, and whether each was there
    span: Span  # where the pickled (event, problems) is in the data file
    digest: str | None = None  # the event's canonical digest, once a build has worked it out


class ParseCache:
    """``kepu.content.events.ParseCache`` kept in the cache folder, valid only for the code that
    made it. The index maps the path under content/ to ``[stamp, parse, validation]``: where the
    pickled parse is in the data file, and a ``Validation`` or None."""

    def __init__(self, folder: Path, content_prefix: str):
        self.path = folder / FILE
        self.code = code_digest()
        data = load_pickle(self.path)
        same = data.get("code") == self.code
        self.blobs = Blobs(folder, STEM, data.get("data") if same else None)
        self.index: dict[str, list] = data.get("index", {}) if same and self.blobs.present else {}
        self._inputs: tuple[ValidationContext | None, str] = (None, "")
        self.prefix = content_prefix
        self.changed = False
        self.hits = 0  # parses (or validations) served from the cache, reported by trace.note
        self.events: dict[str, object] = {}  # this build's validated events, by key
        self.broken = False  # the next data file could not be written: this build keeps the old cache

    def _key(self, shown: str) -> str:
        return shown[len(self.prefix):].lstrip("/") if shown.startswith(self.prefix) else shown

    def stamps(self) -> dict[str, bytes]:
        return {f"{self.prefix}/{key}": entry[0] for key, entry in self.index.items()}

    def _load(self, span) -> object:
        try:
            return pickle.loads(self.blobs.read(span))
        except _UNREADABLE:
            return None

    def get(self, shown: str) -> ParsedFile | None:
        entry = self.index.get(self._key(shown))
        parsed = self._load(entry[1]) if entry else None
        if not isinstance(parsed, ParsedFile) or (parsed.doc and parsed.doc.path != shown):
            return None
        self.hits += 1
        return parsed

    def _add(self, data: bytes):
        """Where ``data`` is in the next data file; None once it cannot be written (a full disk,
        a folder without write permission): the build goes on, and the cache stays as it was."""
        if self.broken:
            return None
        try:
            return self.blobs.add(data)
        except OSError as error:
            self._unsaved(error)
            return None

    def put(self, shown: str, stamp: bytes, pickled: bytes) -> None:
        key = self._key(shown)
        span = self._add(pickled) if self.index.get(key, (None,))[0] != stamp else None
        if span is not None:
            self.index[key] = [stamp, span, None]
            self.changed = True

    def validated(self, shown: str, stamp: bytes, ctx: ValidationContext) -> Validated | None:
        entry = self.index.get(self._key(shown))
        valid = entry[2] if entry is not None and entry[0] == stamp else None
        if valid is None or not valid.inputs or valid.inputs != self._digest(ctx):
            return None
        if any(ctx.has_file(relative) != found for relative, found in valid.probes):
            return None  # a picture added or removed since
        result = self._load(valid.span)
        if not isinstance(result, tuple):
            return None
        self.hits += 1
        if result[0] is not None:
            self.events[self._key(shown)] = result[0]
        return result

    def keep_validated(self, shown: str, stamp: bytes, ctx: ValidationContext, probes: list[tuple[str, bool]],
                       result: Validated) -> None:
        entry = self.index.get(self._key(shown))
        inputs = self._digest(ctx)
        span = self._add(pickle.dumps(result, pickle.HIGHEST_PROTOCOL)) if entry is not None and \
            entry[0] == stamp and inputs else None
        if span is not None:
            entry[2] = Validation(inputs, tuple(probes), span)
            self.changed = True
            if result[0] is not None:
                self.events[self._key(shown)] = result[0]

    def _digest(self, ctx: ValidationContext) -> str:
        """The digest of ``ctx.inputs()``, worked out once per context; empty if it has none."""
        if self._inputs[0] is not ctx:
            try:
                self._inputs = (ctx, canonical(ctx.inputs()))
            except Undigestable:
                self._inputs = (ctx, "")
        return self._inputs[1]

    def seed(self, memo: dict) -> None:
        """Start the build's memo with the digests of the events read back from the cache."""
        for key, event in self.events.items():
            text = self.index[key][2].digest
            if text is not None:
                seed(memo, event, text)

    def keep_digests(self, memo: dict) -> None:
        """Keep the digests the build worked out for its events, in the index only (the data
        file stays as ``save`` wrote it)."""
        kept = False
        for key, event in self.events.items():
            valid = self.index[key][2]
            text = written(event, memo)
            if text is not None and valid.digest != text:
                self.index[key][2] = valid._replace(digest=text)
                kept = True
        if kept:
            self._save_index(self.blobs.name)

    def keep_only(self, shown: set[str]) -> None:
        """Forget files that no longer exist."""
        for key in [k for k in self.index if f"{self.prefix}/{k}" not in shown]:
            del self.index[key]
            self.changed = True

    def save(self) -> None:
        """Write the next data file (this build's new parts, then the old parts still used) and
        the index naming it; let the old one go."""
        if not self.changed or self.broken:
            self.blobs.close(self.blobs.name, discard=self.broken)
            return
        try:
            for entry in self.index.values():
                entry[1] = self.blobs.carry(entry[1])
                if entry[2] is not None:
                    entry[2] = entry[2]._replace(span=self.blobs.carry(entry[2].span))
            name = self.blobs.finish()
        except OSError as error:
            self._unsaved(error)
            self.blobs.close(self.blobs.name, discard=True)
            return
        for entry in self.index.values():  # the next data file is the one the next build reads
            entry[1] = _old(entry[1])
            if entry[2] is not None:
                entry[2] = entry[2]._replace(span=_old(entry[2].span))
        self._save_index(name)
        self.blobs.close(name)
        self.blobs.name, self.changed = name, False

    def _save_index(self, name: str | None) -> None:
        if not name or self.broken:
            return
        try:
            save_pickle(self.path, {"code": self.code, "data": name, "index": self.index})
        except OSError as error:
            self._unsaved(error)

    def _unsaved(self, error: OSError) -> None:
        """A full disk, a folder without write permission: this build keeps the cache as it was."""
        logger.warning(UNSAVED, self.path.name, error)
        self.broken = True


def _old(span: Span) -> Span:
    """A span of the data file just finished, as the next build reads it."""
    return (OLD, *span[1:])
