"""QR codes as inline SVG, remembered between builds."""

from __future__ import annotations

import os
import pickle
import re
from html import escape
from pathlib import Path

import zxingcpp

BORDER, SCALE = 2, 4  # quiet zone in modules (phones read 2 well on a white page); pixels per module
_DARK_RUN = re.compile(rb"\x00+")


def qr_svg(data: str, title: str) -> str:
    """An inline SVG QR code labelled for screen readers, error correction level M.

    zxing-cpp encodes it, choosing the best of the eight masks (in C++: well under a
    millisecond, where the pure-Python segno took 3 to 9 ms, for 1,700 codes at 16,000
    events); each row's dark runs are drawn as strokes of one path, which keeps it small."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    size = image.shape[0]
    pixels = image.tobytes()
    side = size + 2 * BORDER
    moves, x, y = [], 0, 0
    for row in range(size):
        for run in _DARK_RUN.finditer(pixels, row * size, (row + 1) * size):
            start = run.start() - row * size + BORDER
            moves.append(f"m{start - x} {row + BORDER - y}" if moves else f"M{start} {row + BORDER}.5")
            length = run.end() - run.start()
            moves.append(f"h{length}")
            x, y = start + length, row + BORDER
    return (f'<svg role="img" viewBox="0 0 {side * SCALE} {side * SCALE}" class="qr"><title>{escape(title, quote=False)}'
            f'</title><g transform="scale({SCALE})"><path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>'
            f'<path class="qrline" stroke="#000" d="{"".join(moves)}"/></g></svg>')


class QrCache:
    """QR SVGs by (data, title), loaded from and saved to one pickle file."""

    VERSION = 3

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

    def svg(self, data: str, title: str) -> str:
        key = (data, title)
        if key not in self.used:
            self.used[key] = self.known.get(key) or qr_svg(data, title)
        return self.used[key]

    def save(self) -> None:
        """Keep what this build used (the cache never grows past one site); write atomically."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps((self.version, self.used)))
        os.replace(temporary, self.path)
