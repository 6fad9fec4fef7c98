"""The change feed: new, rescheduled, moved, postponed and cancelled events, and single sessions of a
series cancelled, moved, left out or added, as Atom."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from xml.etree import ElementTree as ET

from kepu.content.dates import format_datetime, format_day, format_when
from kepu.content.model import STATUS_LABELS, TO_BE_ANNOUNCED, SessionChange
from kepu.content.sessions import CANCELLED, MOVED, PLACE_CHANGED, changed_times
from kepu.formats.atom import ATOM, document, iso, text_element
from kepu.formats.ics import UNKNOWN_STAMP
from kepu.index.history import FileHistory
from kepu.index.site import EventEntry

LEFT_OUT, ADDED = "left out", "added"  # a date taken out of a series (exdates), one added (rdates)
KIND_LABELS = {
    "new": "新活动", "rescheduled": "时间变更", "moved": "地点变更", "postponed": STATUS_LABELS["postponed"],
    "cancelled": STATUS_LABELS["cancelled"], "restored": "恢复举办", "full": STATUS_LABELS["full"],
    "session": "单场取消或改期",
    CANCELLED: "单场取消", MOVED: "单场改期", PLACE_CHANGED: "单场换地点", ADDED: "加开一场",  # single sessions
    "updated": "信息更新",
}
MAX_ENTRIES = 200
SessionNow = SessionChange | tuple[str, date | datetime] | None  # None: held as the rule gives it again


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    entry: EventEntry
    kind: str
    when: datetime
    number: int  # position of the change in the event's history: stable ids
    sessions: tuple[str, ...] = ()  # kind "session": the days (YYYY-MM-DD) of the single sessions it changed

    @property
    def label(self) -> str:
        """A postponement with its new date is 已改期, one without (yet) 已延期; a change to one
        session says what became of it (单场取消 / 单场改期 / 单场换地点 / 加开一场) when all its sessions agree."""
        if self.kind == "postponed" and self.entry.event.previous_start is not None:
            return STATUS_LABELS["rescheduled"]
        if self.kind == "session":
            kinds = {_session_kind(found) for _, found in self.changed_sessions()}
            if len(kinds) == 1 and None not in kinds:
                return KIND_LABELS[kinds.pop()]
        return KIND_LABELS[self.kind]

    def changed_sessions(self) -> list[tuple[date, SessionNow]]:
        """Each session this change touched, by its day, with what the content says of it now."""
        event = self.entry.event
        recurrence = event.recurrence
        changed = {_day(s.original): s for s in (recurrence.sessions if recurrence else ())}
        left_out = {_day(d): d for d in (recurrence.exdates if recurrence else ())}
        added = {_day(d): d for d in (recurrence.rdates if recurrence else ())}
        found = []
        for written in self.sessions:
            try:
                day = date.fromisoformat(written)
            except ValueError:
                continue
            now: SessionNow = changed.get(day)
            if now is None and day in left_out:
                now = (LEFT_OUT, left_out[day])
            elif now is None and day in added:
                now = (ADDED, added[day])
            found.append((day, now))
        return found


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _session_kind(now: SessionNow) -> str | None:
    if now is None:
        return None
    if isinstance(now, tuple):
        return CANCELLED if now[0] == LEFT_OUT else ADDED
    if now.cancelled:
        return CANCELLED
    return MOVED if now.start is not None else PLACE_CHANGED


def _status_kind(entry: EventEntry) -> str:
    return {"cancelled": "cancelled", "postponed": "postponed"}.get(entry.event.status, "new")


def changes_for(entry: EventEntry, history: FileHistory | None, build_stamp: datetime) -> list[ChangeEntry]:
    """An event's changes, from its repository history when there is one.

    The newest change is dated by the event's ``updated`` field when an editor set it; a
    change not yet committed (previewing) is dated by the build date. Without history the
    event's present state stands for one change, dated by ``updated``."""
    updated = entry.event.updated
    if history is None or history.created is None:
        return [ChangeEntry(entry, _status_kind(entry), updated, 0)] if updated else []
    found = [ChangeEntry(entry, "new", history.created, 0)]
    for number, change in enumerate(history.changes, start=1):
        found.append(ChangeEntry(entry, change.kind, change.when or build_stamp, number, change.sessions))
    if len(found) == 1 and entry.event.status in ("cancelled", "postponed"):
        # Published already cancelled or postponed: say so, not just "new".
        found.append(ChangeEntry(entry, _status_kind(entry), updated or history.created, 1))
    if updated and found[-1].number:  # an editor's stated time of the latest change wins
        found[-1] = replace(found[-1], when=updated)
    return found


def _summary(change: ChangeEntry) -> str:
    event, entry = change.entry.event, change.entry
    sessions = [_session_text(event, day, found) for day, found in change.changed_sessions()]
    # A change to single sessions names them: the series' next session is not the one that changed.
    when = sessions or [f"时间：{entry.when}"]
    parts = [f"{change.label}：{event.title}", *when, f"街镇：{entry.street.name}"]
    if change.kind in ("postponed", "rescheduled") and event.previous_start:
        # The old date still stands in readers' minds: say where the event went.
        moved = event.moved_to_text
        parts.append(f"原定：{format_datetime(event.previous_start)}" + (f"，{moved}" if moved else ""))
    elif change.kind == "postponed" and event.shown_status == "postponed":
        parts.append(f"原定时间暂不举办，{TO_BE_ANNOUNCED}")
    if event.status_note and change.kind in ("cancelled", "postponed"):
        parts.append(f"说明：{event.status_note.rstrip('。')}")
    return "；".join(parts) + "。"


def _session_text(event, day: date, now: SessionNow) -> str:
    """原定2026年12月12日（周六）14:00的一场已取消（活动室维修）, its new time and place, a date left
    out or added."""
    if now is None:
        return f"{format_day(day)}的一场恢复按原定时间、地点举办"
    if isinstance(now, tuple):
        start = _at_series_time(event, now[1])
        if now[0] == LEFT_OUT:
            return f"原定{format_datetime(start)}的一场不举办"
        return f"加开一场：{format_when(start, start + (event.end - event.start))}"
    session = f"原定{format_datetime(now.original)}的一场"
    if now.cancelled:
        return f"{session}{CANCELLED}" + (f"（{now.note}）" if now.note else "")
    start, end = changed_times(event, now, now.original)
    parts = [f"{session}改为{format_when(start, end)}" if now.start is not None else f"{session}换了地点"]
    if now.venue is not None:
        parts.append(f"地点：{now.venue.name}")
    if now.note:
        parts.append(now.note)
    return "，".join(parts)


def _at_series_time(event, value: date | datetime) -> date | datetime:
    """A date of a timed series at the series' own time of day (as the calendar files give it)."""
    if isinstance(event.start, datetime) and not isinstance(value, datetime):
        return datetime.combine(value, event.start.timetz())
    return value


def atom(changes: list[ChangeEntry], site: str, feed_url: str, title: str, uid_domain: str) -> bytes:
    """Newest first, at most MAX_ENTRIES, deterministic (no clock: with no changes, the feed is
    dated like an event with no known revision, never by the build)."""
    ordered = sorted(changes, key=lambda c: (c.when, c.entry.event.slug, c.number), reverse=True)[:MAX_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    _text(feed, "id", f"tag:{uid_domain},2026:changes")
    _text(feed, "title", title)
    _text(feed, "subtitle", "新增、改期、变更地点、延期和取消的活动，最新的在前。")
    _text(feed, "updated", iso(ordered[0].when if ordered else UNKNOWN_STAMP))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": feed_url, "type": "application/atom+xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{site}/", "type": "text/html"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    for change in ordered:
        event = change.entry.event
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", f"tag:{uid_domain},2026:{event.slug}/{change.number}")
        _text(item, "title", f"【{change.label}】{event.title}")
        _text(item, "updated", iso(change.when))
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{site}/{change.entry.url}",
                                                 "type": "text/html"})
        ET.SubElement(item, f"{{{ATOM}}}category", {"term": change.kind, "label": change.label})
        _text(item, "summary", _summary(change))
    return document(feed)


_text = text_element
