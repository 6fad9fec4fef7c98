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

    def written_in(self, function: Callable[[], object]) -> Callable[[], set[str]]:
        """``function`` made to return what this writer has written (for work done in another
        process: what it wrote still counts against second writes here)."""
        def run() -> set[str]:
            function()
            return self.written

        return run

    def adopt(self, written: set[str]) -> None:
        self.written |= written

    def write_or_keep(self, relative: str, data: bytes) -> None:
        """Bytes that are their own fingerprint (copied files): the previous build's identical
        file is kept or linked instead of written again."""
        if self.reuse is not None and self.reuse.reuse(relative, "bytes:" + hashlib.sha256(data).hexdigest()[:32]):
            self.written.add(sanitised_join(self.output_path, relative))
            return
        self.write(relative, data)

    def write(self, relative: str, data: bytes | Sequence[bytes]) -> Path:
        """``data``: the file's bytes, or its pieces in order (a large document not joined first)."""
        path = sanitised_join(self.output_path, relative)
        if path in self.written:
            raise RuntimeError(f"{relative} 被写入了两次：两个输出的网址冲突")
        self.written.add(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):  # never write through a link into the published build
            os.unlink(path)
        with open(path, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
        return Path(path)
