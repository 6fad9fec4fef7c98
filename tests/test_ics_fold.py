"""Folding never splits a UTF-8 character or a backslash escape, and unfolds to the original."""

from __future__ import annotations

import itertools
import random

from feedtools import lint
from kepu.formats.ics import fold

ALPHABET = ["\\\\", "\\,", "\\;", "\\n", "a", "Z", "0", " ", ":", "科", "普", "🧪", "é", "ע"]


def test_random_lines_fold_cleanly() -> None:
    rng = random.Random(20261201)
    for _ in range(2000):
        value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120)))
        line = f"DESCRIPTION:{value}".encode()
        data = b"BEGIN:VCALENDAR\r\n" + line + b"\r\nEND:VCALENDAR\r\n"
        folded = fold(data)
        assert folded.replace(b"\r\n ", b"") == data
        physical = folded.split(b"\r\n")[:-1]
        assert all(len(p) <= 75 for p in physical)
        for p in physical:
            p.decode("utf-8")  # raises if a character was split
        for first, second in itertools.pairwise(physical):
            if second.startswith(b" "):
                trailing = len(first) - len(first.rstrip(b"\\"))
                assert trailing % 2 == 0


def test_lint_flags_what_fold_prevents() -> None:
    bad = b"BEGIN:VCALENDAR\r\nDESCRIPTION:" + b"x" * 62 + b"\\\r\n \\n\r\nEND:VCALENDAR\r\n"
    assert "line 2 ends in an unescaped backslash before a fold" in lint(bad)
    assert not [p for p in lint(fold(bad)) if "backslash" in p]
