"""Canonical digests of the values a page is made from: dataclasses, containers, dates, text."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import ItemsView, KeysView, ValuesView
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import PurePath
from typing import Any

from pelican.urlwrappers import URLWrapper

SCALARS = (str, int, float, bool, type(None), bytes, date, datetime, time, timedelta, tzinfo,
           enum.Enum, PurePath)


SCALAR, DATACLASS, OTHER = 0, 1, 2
SHORT = 64  # a part written in more characters is written as its digest (kept in a memo if it holds others)
KINDS: dict[type, int] = {}  # pages read millions of values: their kind is known by their type


def kind(value: Any) -> int:
    """SCALAR (``isinstance(value, SCALARS)``), DATACLASS (an instance of one) or OTHER."""
    cls = type(value)
    found = KINDS.get(cls)
    if found is None:
        found = KINDS[cls] = (SCALAR if issubclass(cls, SCALARS) else
                               DATACLASS if dataclasses.is_dataclass(cls) else OTHER)
    return found


_FIELDS: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, in order (``dataclasses.fields`` builds its tuple on every call)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


_LAYOUTS: dict[type, tuple[str, tuple[tuple[str, str], ...]]] = {}


def _layout(cls: type) -> tuple[str, tuple[tuple[str, str], ...]]:
    """How a dataclass is written: its header and, per field, its name and ``name=``."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        layout = _LAYOUTS[cls] = (f"{cls.__module__}.{cls.__qualname__}(",
                                  tuple((name, name + "=") for name in field_names(cls)))
    return layout


class Undigestable(Exception):
    """A value whose content cannot be written down deterministically (a function, a file, an
    object of an unknown class): whatever was made from it cannot be reused."""


class _Stuck(Exception):
    """Raised where a value has no canonical form; each level it passes adds its step."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what, self.steps = what, []

    def at(self, step: str) -> _Stuck:
        self.steps.append(step)
        return self


def digest(*parts: Any) -> str:
    """A short, stable hash of values (bytes are hashed as they are, the rest through repr)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def text_hash(text: str) -> str:
    """The digest of text that is already unambiguous (a value's written form, a page's body):
    hashed as it is, not quoted."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


RECENT = 4096  # values kept by ``recent``: the site-wide ones come back before they are let go


def recent(store: dict) -> dict:
    """A memo inside ``store`` (the build's memo or counts) for values met again soon, but too
    many to keep alive for the whole build: emptied once it holds more than RECENT."""
    found = store.get("recent")
    if found is None or len(found) > RECENT:
        found = store["recent"] = {}
    return found


def canonical(value: Any, memo: dict[int, tuple[Any, str]] | None = None) -> str:
    """A digest of the value's whole content, the same in every process and build; raises
    ``Undigestable`` naming the first part that has no canonical form. ``memo`` keeps the
    digests of dataclasses and tuples between calls: values must not change during a build."""
    if isinstance(value, SCALARS):
        return repr(value)
    out: list[str] = []
    try:
        _write(out, value, {} if memo is None else memo)
    except _Stuck as stuck:
        raise Undigestable(f"{''.join(reversed(stuck.steps)) or '值'}: {stuck.what}") from None
    return text_hash("".join(out))


def written(value: Any, memo: dict[int, tuple[Any, str]]) -> str | None:
    """What ``canonical`` writes for ``value`` inside another when the memo has it (a large
    value's digest), else None: a cache keeps it beside the value, to ``seed`` a later build's memo."""
    known = memo.get(id(value))
    return known[1] if known is not None and known[0] is value else None


def seed(memo: dict[int, tuple[Any, str]], value: Any, text: str) -> None:
    """Give the memo what ``written`` gave for this value in an earlier build: the value must be
    equal to that one (the same cached value, read back), and the code the same."""
    memo[id(value)] = (value, text)


def _write(out: list[str], value: Any, memo: dict[int, tuple[Any, str]]) -> None:
    found = KINDS.get(type(value))
    if found is None:
        found = kind(value)
    if found == SCALAR:
        out.append(repr(value))
        return
    known = memo.get(id(value))
    if known is not None and known[0] is value:
        out.append(known[1])
        return
    part: list[str] = []
    nested = _write_composite(part, value, memo, found)
    text = "".join(part)
    if len(text) > SHORT and (found == DATACLASS or isinstance(value, tuple)):
        text = "#" + text_hash(text)  # a large part is written as its digest
        if nested:
            # Kept for the build when it holds other values (an event: written once); a short or
            # flat one (a calendar line, a contact) is written again when met, about as quickly,
            # so the memo does not keep every small value of the build alive.
            memo[id(value)] = (value, text)
            out.append(text)
            return
    if type(memo) is Lasting:
        memo.keep_flat(value, text)
    out.append(text)


class Lasting(dict):
    """A memo for digesting values that all outlive it (the site index's, while each of its
    entries is digested): it keeps the small and flat ones too (a street, met in every entry of
    the street), only while it is used; what the build's memo keeps goes to that memo."""

    def __init__(self, memo: dict[int, tuple[Any, str]]):
        super().__init__()
        self.memo = memo

    def get(self, key: int, default: Any = None) -> Any:
        found = dict.get(self, key)
        return found if found is not None else self.memo.get(key, default)

    def __setitem__(self, key: int, value: tuple[Any, str]) -> None:
        self.memo[key] = value

    def keep_flat(self, value: Any, text: str) -> None:
        dict.__setitem__(self, id(value), (value, text))


def _write_composite(out: list[str], value: Any, memo: dict, found: int) -> bool:
    """Write a dataclass or container; True if it holds more than plain values."""
    if found == DATACLASS:
        header, fields = _layout(type(value))
        out.append(header)
        nested = False
        for name, label in fields:
            item = getattr(value, name)
            out.append(label)
            if KINDS.get(type(item)) == SCALAR:  # most fields: written here, not a call deeper
                out.append(repr(item))
            else:
                nested = True
                try:
                    _write(out, item, memo)
                except _Stuck as stuck:
                    raise stuck.at(f".{name}") from None
            out.append(",")
        out.append(")")
        return nested
    if isinstance(value, (KeysView, ValuesView, ItemsView)):  # a mapping's keys or values, in its order
        return _write_composite(out, list(value), memo, OTHER)
    if isinstance(value, (list, tuple)):
        out.append("[" if type(value) is list else f"{type(value).__qualname__}(")
        nested = False
        for position, item in enumerate(value):
            nested = nested or KINDS.get(type(item)) != SCALAR
            try:
                _write(out, item, memo)
            except _Stuck as stuck:
                raise stuck.at(f"[{position}]") from None
            out.append(",")
        out.append("]")
        return nested
    if isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            try:
                _write(out, key, memo)
                out.append(":")
                _write(out, item, memo)
            except _Stuck as stuck:
                raise stuck.at(f"[{key!r}]") from None
            out.append(",")
        out.append("}")
    elif isinstance(value, (set, frozenset)):
        out.append("{" + ",".join(sorted(canonical(item, memo) for item in value)) + "}")
    elif isinstance(value, URLWrapper):  # a news item's author, category or tag: its name and address
        out.append(f"{type(value).__qualname__}({value.name!r},{value.slug!r},{value.url!r})")
    else:
        raise _Stuck(f"{type(value).__module__}.{type(value).__qualname__}")
    return True


def small(value: Any, limit: int, sizes: dict[int, tuple[Any, int]]) -> bool:
    """Whether a dataclass holds at most ``limit`` values all the way down, and no list or
    dict of anything but plain values (a list of events is a grouping: a street's events), so
    it is digested whole rather than attribute by attribute; counted once per value and build."""
    return _counted(value, limit + 1, sizes) <= limit


def _counted(value: Any, budget: int, sizes: dict[int, tuple[Any, int]]) -> int:
    """``_count`` kept per value (and budget) for the build: a venue or a street is inside
    thousands of events."""
    key = id(value) if budget == _BUDGET else (id(value), budget)
    known = sizes.get(key)
    if known is not None and known[0] is value:
        return known[1]
    kept = recent(sizes)
    known = kept.get(key)
    if known is not None and known[0] is value:
        return known[1]
    count = _count(value, budget, sizes)
    if count > FEW:
        sizes[key] = (value, count)
    else:  # a few values: kept among the most recent only, not (nor kept alive) for the whole build
        kept[key] = (value, count)
    return count


FEW = 8
_BUDGET = 401  # the budget ``small`` is called with (``reads.WHOLE`` + 1)


def _count(value: Any, budget: int, sizes: dict | None = None) -> int:
    """How many values ``value`` holds, counting no further than ``budget``."""
    found = kind(value)
    if found == SCALAR:
        return 1
    if found == DATACLASS:
        children = [getattr(value, name) for name in field_names(type(value))]
    elif isinstance(value, (tuple, frozenset)):
        children = list(value)
    elif isinstance(value, list) and all(isinstance(item, SCALARS) for item in value):
        children = value
    elif isinstance(value, dict) and all(isinstance(item, SCALARS) for item in (*value, *value.values())):
        children = [*value, *value.values()]
    else:
        return budget  # a grouping, or not digestable whole
    total = 1
    for child in children:
        found = KINDS.get(type(child))
        if found is None:
            found = kind(child)
        if found == SCALAR:  # most values: counted here, not a call deeper
            total += 1
        elif sizes is not None and budget == _BUDGET:
            total += _counted(child, _BUDGET, sizes)  # at most the budget: exact below it
        else:
            total += _count(child, budget - total, sizes)
        if total >= budget:
            return budget
    return total
