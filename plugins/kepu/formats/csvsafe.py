"""CSV cells that spreadsheets (Excel, WPS, LibreOffice) show as text and never run as formulas."""

from __future__ import annotations

import math

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP "CSV Injection"


def cell(value: object, numeric: bool = False) -> object:
    """One cell, ready for ``csv.writer``. In a numeric column a finite int or float stays a
    number (so -3 is still the number -3); anything else is text, and text that starts with
    = + - @ tab or CR, also after leading whitespace (importers may trim it, as LibreOffice's
    "Trim spaces" does), gets a leading ' so that it is shown as text. None is an empty cell."""
    if numeric and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START):
        return "'" + text
    return text
