"""Pieces of output made once per version of an event (its card, its open-data record) and
kept across builds in the cache folder: keyed by the event's fingerprint, or by what the
template that made them read."""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from .reads import Prepared, prepare, record, replay

logger = logging.getLogger(__name__)


class FragmentCache:
    """``get`` returns the fragment made for this fingerprint by an earlier build, or makes it;
    ``save`` keeps the fragments used by this build (and only those) for the next one."""

    def __init__(self, path: Path):
        self.path = path
        self.known = load_pickle(path)
        self.kept: dict[str, Any] = {}

    def get(self, fingerprint: str, make: Callable[[], Any]) -> Any:
        """An empty fingerprint: made from something that cannot be compared, never cached."""
        value = self.known.get(fingerprint) if fingerprint else None
        if value is None:
            value = make()
        if fingerprint:
            self.kept[fingerprint] = value
        return value

    def save(self) -> None:
        """Keep this build's fragments for the next (strings and bytes: quick to pickle)."""
        try:
            save_pickle(self.path, self.kept)
        except OSError as error:  # an optimisation only: say so, never fail the build
            logger.warning("缓存 %s 未能保存（%s），下次构建会重新生成", self.path, error)


class RenderedFragments:
    """Templates rendered into pieces of pages (cards): a piece is rendered again only when
    what its template read from the context has changed since it was cached."""

    def __init__(self, path: Path, writer):
        self.path, self.key, self.memo, self.sizes = path, writer.key, writer.memo, writer.sizes
        self.known = load_pickle(path)
        self.prepared: dict[str, Prepared] = {}
        self.kept: dict[str, tuple] = {}

    def reused(self, name: str, template, context: dict) -> str | None:
        """The cached piece, if what its template read is unchanged; None if it must be rendered."""
        known = self.known.get(name)
        if isinstance(known, tuple) and len(known) == 5:
            rid, params, readset, fingerprint, output = known
            if rid not in self.prepared:
                self.prepared[rid] = prepare(readset)
            if replay(rid, params, self.prepared[rid], template, context, self.key, self.memo, self.sizes) == fingerprint:
                self.kept[name] = known
                return output
        return None

    def render(self, name: str, template, context: dict) -> str:
        """The piece rendered (with its reads followed, for the cache)."""
        rendered = record(template, context, self.key, self.memo, self.sizes)
        if rendered.readset is not None:
            self.kept[name] = (rendered.rid, rendered.params, rendered.readset, rendered.fingerprint,
                               rendered.output)
        return rendered.output

    def save(self) -> None:
        try:
            save_pickle(self.path, self.kept)
        except OSError as error:
            logger.warning("缓存 %s 未能保存（%s），下次构建会重新生成", self.path, error)


def load_pickle(path: Path) -> dict:
    """A cache file's dict; empty when there is none, or when it cannot be read (cut short by a
    killed build, written by code whose classes are gone): then it is made again, and said so."""
    try:
        data = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError,
            IndexError) as error:
        logger.warning("缓存 %s 无法读取（%s），本次重新生成", path.name, type(error).__name__)
        return {}
    return data if isinstance(data, dict) else {}


def save_pickle(path: Path, data: dict) -> None:
    """Pickled straight into the file (no copy of it all in memory first), whole or not at all."""
    with replacing(path) as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a killed build leaves the old file)."""
    with replacing(path) as handle:
        handle.write(data)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write that replaces ``path`` once written whole (a killed build leaves the old file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        yield handle
    os.replace(temporary, path)
