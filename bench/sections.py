"""Marked sections of bench/RESULTS.md, each written by its own script and kept by the others."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, text: str, begin: str, end: str) -> None:
    """Put ``text`` between the markers in ``path`` (replacing an earlier run's), or at its end."""
    old = path.read_text("utf-8") if path.exists() else ""
    block = f"{begin}\n{text}\n{end}"
    if begin in old and end in old:
        new = old[:old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, "utf-8")


def kept_section(path: Path, begin: str, end: str) -> str:
    """The marked section of an earlier run in ``path``, markers included ("" if none)."""
    text = path.read_text("utf-8") if path.exists() else ""
    if begin not in text or end not in text:
        return ""
    return "\n" + begin + text.split(begin, 1)[1].split(end, 1)[0] + end + "\n"
