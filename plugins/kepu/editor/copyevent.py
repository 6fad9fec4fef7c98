"""Copy an event file with new dates: its text and comments kept, what belonged to the old
dates (attendance, report, status, updates, the old series' exceptions) left out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kepu.content.dates import MAX_YEAR, day_of
from kepu.content.model import Event
from kepu.content.recurrence import describe, expand
from kepu.content.repeats import parse_repeat
from kepu.editor.answers import ScaffoldError
from kepu.editor.schedule import Defaults

# Fields that describe the old event's outcome or state, never the new one's.
DROPPED = ("attendance", "report", "status", "previous_start", "status_note", "updated", "draft",
           "sequence")
KEEP = "keep"  # the registration deadline is left as it is
_FIELD = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")
_DEADLINE = re.compile(r"([ \t]+)deadline[ \t]*:")
_SLOTS = {"duration": "end"}  # a length is replaced by the new end

Block = tuple[str | None, list[str]]  # (top-level field or None for a comment/blank line, lines)


def blocks(front: list[str]) -> list[Block]:
    """Front-matter lines grouped by top-level field: a field with its indented (or ``- ``)
    lines; comments and blank lines between fields stand alone, unless nested lines follow
    them (then they are inside the field above)."""
    out: list[Block] = []
    for line in front:
        field = _FIELD.match(line)
        if field:
            out.append((field[1], [line]))
        elif line[:1] in (" ", "\t", "-") and any(key for key, _ in out):
            between: list[str] = []
            while out[-1][0] is None:
                between = out.pop()[1] + between
            out[-1][1].extend([*between, line])
        else:
            out.append((None, [line]))
    return out


def split_front(text: str) -> tuple[list[str], list[str]]:
    """(front-matter lines, the closing ``---`` and the body)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff").split("\n")
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return lines[1:index], lines[index:]
    raise ScaffoldError("原活动文件的前置信息没有结束的 --- 行", "先用 invoke check 检查并改好原文件")


def copy_text(text: str, fields: Mapping[str, list[str]], deadline: str | None = KEEP) -> str:
    """The source file with ``fields`` (start, end, recurrence) replaced where they stood, or
    added after ``start``; DROPPED fields left out; the registration deadline replaced
    (or removed when None). Comments and the body are kept as written."""
    front, rest = split_front(text)
    parts = blocks(front)
    present = {_SLOTS.get(key, key) for key, _ in parts if key}
    pending = dict(fields)
    out: list[str] = []
    for key, lines in parts:
        slot = _SLOTS.get(key or "", key)
        if key in DROPPED:
            continue
        if slot in fields:
            out += pending.pop(slot, [])
            if slot == "start":
                for missing in [k for k in fields if k not in present]:
                    out += pending.pop(missing)
            continue
        if key == "registration" and deadline != KEEP:
            lines = _with_deadline(lines, deadline)
        out += lines
    return "\n".join(["---", *out, *rest])


def _with_deadline(lines: list[str], deadline: str | None) -> list[str]:
    for index, line in enumerate(lines):
        found = _DEADLINE.match(line)
        if found:
            new = [f"{found[1]}deadline: {deadline}"] if deadline else []
            return [*lines[:index], *new, *lines[index + 1:]]
    raise ScaffoldError("原活动的报名截止日期没有单独写在一行，无法自动修改",
                        "把原文件的 registration 改成每个字段一行的写法，再复制")


def defaults_of(event: Event) -> Defaults:
    """The source's time, repeat pattern and length, offered as the new event's answers."""
    start, end = event.start, event.end
    days = (end.date() if isinstance(end, datetime) else end) - (
        start.date() if isinstance(start, datetime) else start)
    time_text = "全天" if event.all_day else f"{start:%H:%M}-{end:%H:%M}"
    return Defaults(time=time_text, repeat=_repeat_words(event), days=days.days + 1,
                    series_days=_series_days(event))


def _series_days(event: Event) -> int | None:
    """Days from the first to the last date the source's rule gives, if it ends (UNTIL or
    COUNT): the copy is offered a series as long."""
    recurrence = event.recurrence
    if recurrence is None or not re.search(r"(^|;)(UNTIL|COUNT)=", recurrence.rrule):
        return None
    rule_only = replace(event, recurrence=replace(recurrence, exdates=(), rdates=()))
    occurrences = expand(rule_only, date(MAX_YEAR, 12, 31))
    return (day_of(occurrences[-1].start) - day_of(event.start)).days if occurrences else None


def _repeat_words(event: Event) -> str:
    """The rule without its end, in the words new-event understands (每周六), or as written."""
    if event.recurrence is None:
        return ""
    rule = ";".join(part for part in event.recurrence.rrule.split(";")
                    if not part.startswith(("UNTIL=", "COUNT=")))
    words = describe(rule, event.all_day, ZoneInfo(event.timezone), event.start)
    try:
        return words if parse_repeat(words) == rule else rule
    except ValueError:
        return rule
