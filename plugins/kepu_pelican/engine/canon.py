"""Canonical digests of the values a page is made from: dataclasses, containers, dates, text."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import PurePath
from typing import Any

SCALARS = (str, int, float, bool, type(None), bytes, date, datetime, time, timedelta, tzinfo,
           enum.Enum, PurePath)


class Undigestable(Exception):
    """A value whose content cannot be written down deterministically (a function, a file, an
    object of an unknown class): whatever was made from it cannot be reused."""


def digest(*parts: Any) -> str:
    """A short, stable hash of values (bytes are hashed as they are, the rest through repr)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def canonical(value: Any, memo: dict[int, tuple[Any, str]] | None = None) -> str:
    """A digest of the value's whole content, the same in every process and build; raises
    ``Undigestable`` naming the first part that has no canonical form. ``memo`` keeps the
    digests of immutable parts (frozen dataclasses, tuples) between calls."""
    out: list[str] = []
    _write(out, value, {} if memo is None else memo, "")
    return digest("".join(out))


def _write(out: list[str], value: Any, memo: dict[int, tuple[Any, str]], where: str) -> bool:
    """Append the value's canonical text; whether it is immutable all the way down."""
    if isinstance(value, SCALARS):
        out.append(repr(value))
        return True
    known = memo.get(id(value))
    if known is not None and known[0] is value:
        out.append(known[1])
        return True
    part: list[str] = []
    frozen = _write_composite(part, value, memo, where)
    text = "".join(part)
    if frozen and len(text) > 64:  # large immutable parts are digested once
        text = "#" + digest(text)
        memo[id(value)] = (value, text)
    out.append(text)
    return frozen


def _write_composite(out: list[str], value: Any, memo: dict, where: str) -> bool:
    kind = type(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"{kind.__module__}.{kind.__qualname__}(")
        frozen = kind.__dataclass_params__.frozen
        for field in dataclasses.fields(value):
            out.append(field.name + "=")
            frozen &= _write(out, getattr(value, field.name), memo, f"{where}.{field.name}")
            out.append(",")
        out.append(")")
        return frozen
    if isinstance(value, (list, tuple)):
        out.append("[" if kind is list else f"{kind.__qualname__}(")
        frozen = isinstance(value, tuple)
        for position, item in enumerate(value):
            frozen &= _write(out, item, memo, f"{where}[{position}]")
            out.append(",")
        out.append("]")
        return frozen
    if isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            _write(out, key, memo, where)
            out.append(":")
            _write(out, item, memo, f"{where}[{key!r}]")
            out.append(",")
        out.append("}")
        return False
    if isinstance(value, (set, frozenset)):
        out.append("{" + ",".join(sorted(canonical(item, memo) for item in value)) + "}")
        return isinstance(value, frozenset)
    raise Undigestable(f"{where or '值'}: {kind.__module__}.{kind.__qualname__}")
