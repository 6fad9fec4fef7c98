"""Write non-template outputs (calendar files, data) with the same guards as Pelican's writer."""

from __future__ import annotations

import os
from pathlib import Path

from pelican.utils import sanitised_join


class ByteWriter:
    """Writes bytes under the output folder; refuses paths outside it and second writes."""

    def __init__(self, output_path: str):
        self.output_path = output_path
        self.written: set[str] = set()

    def write(self, relative: str, data: bytes) -> Path:
        path = sanitised_join(self.output_path, relative)
        if path in self.written:
            raise RuntimeError(f"{relative} 被写入了两次：两个输出的网址冲突")
        self.written.add(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):  # never write through a link into the published build
            os.unlink(path)
        with open(path, "wb") as handle:
            handle.write(data)
        return Path(path)
