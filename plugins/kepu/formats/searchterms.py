"""The words of the site search: how text becomes index terms (the same rules as search.js).

Chinese text is indexed as overlapping two-character terms (智启, 启梦, 梦工, 工厂), so any part
of a name of two characters or more is found without a dictionary; names (titles, programmes,
venues, streets, teams) also get one-character terms, full-pinyin syllable pairs and
three-letter initials. Latin letters and digits are indexed as words and their prefixes.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

# Han characters (the unified blocks and compatibility ideographs) and 〇; the same ranges as search.js.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(f"[{HAN}]+|[a-z0-9]+")
MAX_WORD = 12  # Latin words are indexed by prefixes up to this length
PINYIN = "p:"  # two syllables of full pinyin, e.g. p:ke'xue
INITIALS = "i:"  # three initials, e.g. i:kxh
STREET, CATEGORY = "s:", "c:"  # the street and category of a page (for filters)


def normalise(text: str) -> str:
    """Full-width to half-width, lower case: what a query and the index compare."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> Iterator[str]:
    """Runs of Han characters and runs of Latin letters and digits, in order."""
    return (match.group() for match in _RUNS.finditer(normalise(text)))


def is_han(run: str) -> bool:
    """A run from ``runs`` is Han unless it is Latin letters and digits."""
    return not run[0].isascii()


def han_terms(run: str, names: bool) -> set[str]:
    """Every two characters side by side; single characters too for names."""
    terms = {run[i:i + 2] for i in range(len(run) - 1)}
    if names or len(run) == 1:
        terms.update(run)
    return terms


def word_terms(run: str) -> set[str]:
    """A Latin word and its prefixes of two letters or more (AED, 120, fast…)."""
    word = run[:MAX_WORD]
    return {word[:n] for n in range(min(2, len(word)), len(word) + 1)}


@lru_cache(maxsize=65536)
def syllables(run: str) -> tuple[str, ...]:
    """One full-pinyin syllable per character of a Han run (the reading pypinyin chooses in
    context)."""
    from pypinyin import Style, lazy_pinyin

    found = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: ["" for _ in chars])
    return tuple(found) if len(found) == len(run) else ("",) * len(run)


def pinyin_terms(run: str) -> set[str]:
    """Syllable pairs (p:ke'xue) and initial triples (i:kxh) of a name's Han run."""
    said = syllables(run)
    terms = {f"{PINYIN}{a}'{b}" for a, b in itertools.pairwise(said) if a and b}
    initials = [s[0] if s else "" for s in said]
    terms.update(f"{INITIALS}{''.join(initials[i:i + 3])}" for i in range(len(initials) - 2)
                 if all(initials[i:i + 3]))
    return terms


SHORT_TEXT = 64  # names and addresses recur across pages (a street, a team, a venue): their terms are kept


def text_terms(texts: Iterable[str], names: bool) -> set[str]:
    """All terms of some texts; ``names`` for titles and names (single characters, pinyin)."""
    terms: set[str] = set()
    for text in texts:
        if text:
            terms |= _short_terms(text, names) if len(text) <= SHORT_TEXT else _terms(text, names)
    return terms


@lru_cache(maxsize=65536)
def _short_terms(text: str, names: bool) -> frozenset[str]:
    return frozenset(_terms(text, names))


def _terms(text: str, names: bool) -> set[str]:
    terms: set[str] = set()
    for run in runs(text):
        if is_han(run):
            terms |= han_terms(run, names)
            if names:
                terms |= pinyin_terms(run)
        else:
            terms |= word_terms(run)
    return terms


def known_syllables(names: Iterable[str]) -> list[str]:
    """The pinyin syllables of the names indexed: what search.js may split a typed word into."""
    found: set[str] = set()
    for text in set(names):  # a street's or a team's name is on thousands of pages
        for run in runs(text):
            if is_han(run):
                found.update(s for s in syllables(run) if s)
    return sorted(found)


def shard_of(term: str, shards: int) -> int:
    """FNV-1a (32 bits) of the term's UTF-8 bytes, modulo the number of shards (as search.js)."""
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


# Postings: ascending numbers (page number × 2 + 1 when the term is in the page's name) as
# gaps, each gap in base 32, most significant digit first: digits of the first alphabet mark
# "more follows", a digit of the second ends the gap.
_MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"
_LAST = "0123456789abcdefghijklmnopqrstuv"


def _gap_digits(gap: int) -> str:
    digits = _LAST[gap & 31]
    gap >>= 5
    while gap:
        digits = _MORE[gap & 31] + digits
        gap >>= 5
    return digits


@lru_cache(maxsize=1)
def _steps() -> list[str]:
    """The digits of each step up to three digits long, by step (a page's number minus the
    one before; a step of 1 is a gap of 0): postings are encoded by table lookup."""
    return ["", *map(_gap_digits, range(32 ** 3))]


def encode_postings(values: Iterable[int]) -> str:
    values = list(values)
    steps = map(operator.sub, values, itertools.chain((-1,), values))
    try:
        return "".join(map(_steps().__getitem__, steps))
    except IndexError:  # a step of more than three digits: rare (32,768 pages apart)
        return "".join(_gap_digits(value - previous - 1) for value, previous in zip(values, (-1, *values[:-1]), strict=True))


def decode_postings(text: str) -> list[int]:
    """The inverse of ``encode_postings`` (search.js decodes the same way)."""
    values, gap, previous = [], 0, -1
    for char in text:
        if char in _MORE:
            gap = gap * 32 + _MORE.index(char)
            continue
        previous += gap * 32 + _LAST.index(char) + 1
        values.append(previous)
        gap = 0
    return values
