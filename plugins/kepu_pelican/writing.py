"""Write non-template outputs (calendar files, data) with the same guards as Pelican's writer."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pelican.utils import sanitised_join

if TYPE_CHECKING:
    from .engine.output import OutputReuse


class ByteWriter:
    """Writes bytes under the output folder; refuses paths outside it and second writes."""

    def __init__(self, output_path: str, reuse: OutputReuse | None = None):
        self.output_path = output_path
        self.reuse = reuse
        self.written: set[str] = set()

    def writes_of(self, body: Callable[[], object]) -> Callable[[], set[str]]:
        """``body`` made to return the files it writes (for work done in another process)."""
        def run() -> set[str]:
            before = set(self.written)
            body()
            return self.written - before

        return run

    def merge(self, files: set[str]) -> None:
        """Files another process wrote, as if written here: one written by both is refused."""
        self.claim_all(files)
        self.written |= files

    @property
    def _claims(self) -> set[str]:
        """Every path this build's writers have claimed (the page writer's too, sharing the build's
        reuse); without one, this writer's own."""
        return self.reuse.claims if self.reuse is not None else self.written

    def claim_all(self, paths: set[str]) -> None:
        """Paths written (or pages claimed) in another process: refused if either writer of this
        build has one already."""
        refuse_second_writes(paths & self._claims, self.output_path)
        if self.reuse is not None:
            self.reuse.claims |= paths

    def _claim(self, path: str) -> None:
        """One path of this build's: the page writer's pages and these files share the claims."""
        if path in self._claims:
            refuse_second_writes({path}, self.output_path)
        self._claims.add(path)
        self.written.add(path)

    def write_or_keep(self, relative: str, data: bytes) -> None:
        """Bytes that are their own fingerprint (copied files): the previous build's identical
        file is kept or linked instead of written again."""
        if self.reuse is not None and self.reuse.reuse(relative, "bytes:" + hashlib.sha256(data).hexdigest()[:32]):
            self._claim(sanitised_join(self.output_path, relative))
            return
        self.write(relative, data)

    def write(self, relative: str, data: bytes | Sequence[bytes]) -> Path:
        """``data``: the file's bytes, or its pieces in order (a large document not joined first)."""
        path = sanitised_join(self.output_path, relative)
        self._claim(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):  # never write through a link into the published build
            os.unlink(path)
        with open(path, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
        return Path(path)


class OutputClash(RuntimeError):
    """Two outputs for one path (a URL clash); ``relative``: the path under the output folder."""

    def __init__(self, relative: str):
        super().__init__(f"{relative} 被写入了两次：两个输出的网址冲突")
        self.relative = relative

    def __reduce__(self):  # raised in a forked worker: comes back whole
        return OutputClash, (self.relative,)


def refuse_second_writes(paths: set[str], output_path: str) -> None:
    """Two outputs for one path (a URL clash): refused, naming the first path under the output folder."""
    if paths:
        raise OutputClash(os.path.relpath(min(paths), output_path).replace(os.sep, "/"))


Writes = tuple[set[str], set[str]]  # files written by a ByteWriter, pages claimed by the page writer


def writes_of(out: ByteWriter, writer, body: Callable[[], object]) -> Callable[[], Writes]:
    """``body`` made to return the files and pages it writes (for work done in another process)."""
    def run() -> Writes:
        pages = set(writer.claimed)
        files = out.writes_of(body)()
        return files, writer.claimed - pages

    return run


def merge_writes(out: ByteWriter, writer, writes: Writes) -> None:
    """Files and pages another process wrote, as if written here: one path written by both is refused."""
    files, pages = writes
    refuse_second_writes((files & pages) | (pages & writer.claimed), out.output_path)
    out.claim_all(files | pages)
    out.written |= files
    writer.claimed |= pages
