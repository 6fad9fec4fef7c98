"""Many byte strings kept between builds in one data file beside their index: read through a
memory map (never all on the heap at once: a heap that held tens of megabytes of cache for the
first seconds of a build stays that large in every process forked later), written as they come
to the next data file."""

from __future__ import annotations

import contextlib
import mmap
import os
import secrets
from pathlib import Path

Span = tuple[int, int, int]  # (file: OLD or NEW, offset, length)
OLD, NEW = 0, 1


class Blobs:
    """The byte strings of one data file (``name``, in ``folder``; none if it is gone) and those
    added for the next one, which ``finish`` writes whole before the index naming it is saved."""

    def __init__(self, folder: Path, stem: str, name: str | None):
        self.folder, self.stem = folder, stem
        self.name = name if name and _valid(stem, name) else None
        self._map = _mapped(folder / self.name) if self.name else None
        self._next: Path | None = None
        self._handle = None
        self._written = 0

    @property
    def present(self) -> bool:
        """Whether the data file the index names could be read."""
        return self._map is not None

    def read(self, span: Span) -> memoryview:
        where, offset, length = span
        if where != OLD or self._map is None or offset + length > len(self._map):
            raise ValueError("not in the data file")
        return memoryview(self._map)[offset:offset + length]

    def add(self, data: bytes) -> Span:
        """Written to the next data file now (a cold build holds none of them in memory)."""
        if self._handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._next = self.folder / f"{self.stem}-{secrets.token_hex(8)}.data"
            self._handle = open(self._next.with_name(f".{self._next.name}.tmp"), "wb")  # noqa: SIM115
        self._handle.write(data)
        span = (NEW, self._written, len(data))
        self._written += len(data)
        return span

    def carry(self, span: Span) -> Span:
        """An old string, copied into the next data file."""
        return span if span[0] == NEW else self.add(self.read(span))

    def finish(self) -> str:
        """Complete the next data file; its name, for the index."""
        if self._handle is None:
            self.add(b"")
        self._handle.close()
        self._handle = None
        os.replace(self._next.with_name(f".{self._next.name}.tmp"), self._next)
        return self._next.name

    def close(self, keep: str | None, discard: bool = False) -> None:
        """Let the data file go; remove every other data file of this stem (``keep`` stays), or
        only the unfinished next one (``discard``: the index still names the old one)."""
        if self._map is not None:
            with contextlib.suppress(BufferError):  # a view still held: the map goes with the process
                self._map.close()
            self._map = None
        if self._handle is not None:  # not finished: nothing of it is used
            self._handle.close()
            self._handle = None
            with contextlib.suppress(OSError):
                os.unlink(self._next.with_name(f".{self._next.name}.tmp"))
        stale = [] if discard else [p for p in self.folder.glob(f"{self.stem}-*.data") if p.name != keep]
        for path in [*stale, *self.folder.glob(f".{self.stem}-*.data.tmp")]:
            with contextlib.suppress(OSError):
                path.unlink()


def _valid(stem: str, name: str) -> bool:
    return name.startswith(f"{stem}-") and name.endswith(".data") and "/" not in name and not name.startswith(".")


def _mapped(path: Path) -> mmap.mmap | None:
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return None
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
