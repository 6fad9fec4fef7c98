"""QR codes as inline SVG, remembered between builds (making one costs milliseconds)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import segno


def qr_svg(data: str, title: str, fast: bool = False) -> str:
    """An inline SVG QR code labelled for screen readers; ``fast`` skips the mask search
    (every mask decodes; the search only picks the easiest to scan)."""
    code = segno.make(data, error="m", micro=False, mask=0 if fast else None)
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", svgclass="qr", title=title,
                          omitsize=True)
    return svg.replace("<svg ", '<svg role="img" ', 1)


class QrCache:
    """QR SVGs by (data, title, fast), loaded from and saved to one pickle file."""

    VERSION = 2

    def __init__(self, path: Path | None, version: object = VERSION):
        """``version``: what made the cached codes (a digest of the code); others are remade."""
        self.path = path
        self.version = version
        self.used: dict[tuple, str] = {}
        self.known: dict[tuple, str] = {}
        if path and path.is_file():
            try:
                version, known = pickle.loads(path.read_bytes())
                if version == self.version:
                    self.known = known
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
                self.known = {}

    def svg(self, data: str, title: str, fast: bool = False) -> str:
        key = (data, title, fast)
        if key not in self.used:
            self.used[key] = self.known.get(key) or qr_svg(data, title, fast)
        return self.used[key]

    def save(self) -> None:
        """Keep what this build used (the cache never grows past one site); write atomically."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps((self.version, self.used)))
        os.replace(temporary, self.path)
