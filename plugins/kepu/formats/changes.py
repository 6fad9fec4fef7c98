"""The change feed: new, rescheduled, moved, postponed and cancelled events, and single sessions of a
series cancelled, moved, left out, added or given back, as Atom."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from kepu.content.dates import (
    DateFormatError,
    as_local,
    day_of,
    format_clock,
    format_datetime,
    format_day,
    format_when,
    parse_when,
)
from kepu.content.model import STATUS_LABELS, TO_BE_ANNOUNCED, ends_at
from kepu.content.recurrence import RULE_END, RecurrenceError, describe, normalize_rule
from kepu.content.sessions import CANCELLED
from kepu.formats.atom import ATOM, document, iso, text_element
from kepu.formats.ics import UNKNOWN_STAMP
from kepu.index import history
from kepu.index.history import UNREAD, FileHistory, PlaceEdit, PlaceHistory, Revision, SessionEdit
from kepu.index.site import EventEntry

KIND_LABELS = {
    "new": "新活动", "rescheduled": "时间变更", "moved": "地点变更", "postponed": STATUS_LABELS["postponed"],
    "cancelled": STATUS_LABELS["cancelled"], "restored": "恢复举办", "full": STATUS_LABELS["full"],
    "session": "单场变更", "shortened": "提前结束", "extended": "延长举办",
    "updated": "信息更新", "venue": "场地信息变更",
}
# A change to single sessions only, when they all agree: what became of them.
SESSION_LABELS = {history.CANCELLED: "单场取消", history.LEFT_OUT: "单场取消", history.DROPPED: "单场取消",
                  history.MOVED: "单场改期", history.PLACE: "单场换地点", history.ADDED: "加开一场",
                  history.RESTORED: "单场恢复", history.STOPPED: "停办", history.RESUMED: "恢复举办"}
MAX_ENTRIES = 200


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    entry: EventEntry
    kind: str
    when: datetime
    number: int  # position of the change in the event's history: stable ids
    sessions: tuple[SessionEdit, ...] = ()  # the single sessions its revision changed
    revision: Revision = UNREAD  # the series as its revision wrote it
    previous: Revision = UNREAD  # … and as the revision before
    place: PlaceEdit | None = None  # a registered venue it is held at renamed or given another address
    own_place: bool = True  # … its own venue (else one a session of it was moved to)

    @property
    def key(self) -> str:
        """Its stable id within the event: its position in the history, or the venue's edit."""
        if self.place is not None:
            return f"{self.entry.event.slug}/venue/{self.place.ident}/{self.when:%Y%m%dT%H%M%S}"
        return f"{self.entry.event.slug}/{self.number}"

    @property
    def label(self) -> str:
        """A postponement with its new date is 已改期, one without (yet) 已延期; a change to single
        sessions says what became of them (单场取消 / 单场改期 / 单场换地点 / 加开一场 / 单场恢复) when they agree."""
        if self.kind == "postponed" and self.entry.event.previous_start is not None:
            return STATUS_LABELS["rescheduled"]
        labels = {SESSION_LABELS[edit.kind] for edit in self.sessions}
        if self.kind == "session" and len(labels) == 1:
            return labels.pop()
        return KIND_LABELS[self.kind]


def _status_kind(entry: EventEntry) -> str:
    return {"cancelled": "cancelled", "postponed": "postponed"}.get(entry.event.status, "new")


def changes_for(entry: EventEntry, history: FileHistory | None, build_stamp: datetime) -> list[ChangeEntry]:
    """An event's changes, from its repository history when there is one.

    The newest change is dated by the event's ``updated`` field when an editor set it later than
    the commit that made the change; a change not yet committed (previewing) is dated by the build date. Without history the
    event's present state stands for one change, dated by ``updated``."""
    # Nothing is dated after the build's day: a commit or an `updated:` from the future would pin
    # itself at the top of the feed, and its correction would then go back in time.
    limit = build_stamp + timedelta(days=1)
    updated = min(entry.event.updated, limit) if entry.event.updated else None
    if history is None or history.created is None:
        return [ChangeEntry(entry, _status_kind(entry), updated, 0)] if updated else []
    found = [ChangeEntry(entry, "new", min(history.created, limit), 0, revision=history.first)]
    for number, change in enumerate(history.changes, start=1):
        found.append(ChangeEntry(entry, change.kind, min(change.when or build_stamp, limit), number, change.sessions,
                                 change.revision, change.previous))
    if len(found) == 1 and entry.event.status in ("cancelled", "postponed"):
        # Published already cancelled or postponed: say so, not just "new".
        found.append(ChangeEntry(entry, _status_kind(entry), updated or history.created, 1))
    latest = found[-1].when
    if updated and found[-1].number and (latest is None or updated > latest):
        # An editor's stated time of the latest change, when it is later than its commit (the
        # time the volunteer gave); a stale one (a field left as it was) does not date it back.
        found[-1] = replace(found[-1], when=updated)
    return found


def venue_changes_for(entry: EventEntry, places: PlaceHistory, history: FileHistory | None,
                      build_stamp: datetime) -> list[ChangeEntry]:
    """A registered venue the event was held at (or a session of it moved to) when the venue was
    renamed or given another address, while the event was published and still to come: its page and
    calendars changed with it, and the change feed says so, once per edit (the event's own history
    does not: the event file did not change). Which venues the event named is read from its revision
    of that time (a file never edited names what it names now)."""
    if history is None or history.created is None:
        return []
    ends = ends_at(entry.final)
    limit = build_stamp + timedelta(days=1)
    now = entry.venue_ids
    found = []
    for ident in sorted({*entry.venues_named, *(i for _, own, moved in history.venues for i in (own, *moved))} - {""}):
        for edit in places.edits(ident):
            if not history.created < edit.when < ends or edit.when > limit:
                continue
            own, moved = history.venues_at(edit.when) or now
            if ident == own or ident in moved:
                found.append(ChangeEntry(entry, "venue", edit.when, 0, place=edit, own_place=ident == own))
    return found


def _place_edit_text(change: ChangeEntry) -> str:
    """场地“…”改名为“…”，地址改为…（原为…）: what the registry's commit changed; for a venue a
    session of the series was moved to, said as that session's."""
    edit = change.place
    (old_name, old_address), (name, address) = edit.before, edit.after
    renamed = name != old_name
    text = f"场地“{old_name}”" + (f"改名为“{name}”" if renamed else "")
    if address != old_address:
        text += f"{'，' if renamed else '的'}地址改为{address or '（未写）'}（原为{old_address or '未写'}）"
    return text if change.own_place else f"改在“{old_name}”举办的场次：{text}"


def _summary(change: ChangeEntry) -> str:
    """The change in one line, in the words of the revision that made it: single sessions each as
    it wrote them (the series' next session is not the one that changed), a new place or rule as it
    wrote them; a series' next session as it stands."""
    event, entry = change.entry.event, change.entry
    series = Series.of(event, change.revision)
    sessions = [_session_text_or_day(series, edit) for edit in change.sessions]
    when = [] if change.kind == "session" and sessions else [_when_line(entry, series, change.revision)]
    parts = [f"{change.label}：{event.title}", *when]
    if change.place is not None:
        parts.append(_place_edit_text(change))
    if change.kind == "rescheduled":
        parts += [text for text in (_was_time(event, change), _clock_change(event, change),
                                    _rule_change(event, change)) if text]
    if change.kind in ("shortened", "extended"):
        parts += [text for text in (_rule_change(event, change),) if text]
    if change.kind == "moved" and change.revision.place:
        parts.append(f"地点：{change.revision.place}")
        if change.previous.place and change.previous.place != change.revision.place:
            parts.append(f"原地点：{change.previous.place}")  # what a correction notice must name
    parts += [*sessions, f"街镇：{entry.street.name}"]
    if change.kind in ("postponed", "rescheduled") and event.previous_start:
        # The old date still stands in readers' minds: say where the event went.
        moved = event.moved_to_text
        parts.append(f"原定：{format_datetime(event.previous_start)}" + (f"，{moved}" if moved else ""))
    elif change.kind == "postponed" and event.shown_status == "postponed":
        parts.append(f"原定时间暂不举办，{TO_BE_ANNOUNCED}")
    if event.status_note and change.kind in ("cancelled", "postponed"):
        parts.append(f"说明：{event.status_note.rstrip('。')}")
    return "；".join(parts) + "。"


@dataclass(frozen=True, slots=True)
class Series:
    """An event's first start and length as one revision wrote them (the event's own, where it
    cannot be read): what its sessions' times are said with."""

    start: date | datetime
    length: timedelta
    zone: tzinfo | None

    @classmethod
    def of(cls, event, revision: Revision) -> Series:
        zone = event.start.tzinfo if isinstance(event.start, datetime) else None
        own = cls(event.start, event.end - event.start, zone)
        start = own.moment(revision.start, None)
        if start is None or isinstance(start, datetime) != isinstance(event.start, datetime):
            return own
        end = own.moment(revision.end, start) if revision.end else None
        try:
            return cls(start, end - start if end is not None and end >= start else own.length, zone)
        except OverflowError:  # no length a calendar could hold
            return own

    def at(self, day: date) -> date | datetime:
        """A day of the series at its time of day."""
        return datetime.combine(day, self.start.timetz()) if isinstance(self.start, datetime) else day

    def moment(self, text: str, day: date | datetime | None) -> date | datetime | None:
        """A time as a revision wrote it: a date and time, a date (a timed series: at its time), or
        a time alone on ``day``'s day; None when it cannot be read."""
        text = text.strip()
        try:
            if ":" in text and "-" not in text:
                if not isinstance(day, datetime):
                    return None
                hours, minutes = (int(part) for part in text.split(":")[:2])
                return day.replace(hour=hours, minute=minutes)
            value = parse_when(text)
        except (ValueError, DateFormatError, OverflowError):  # an old revision's slip (the check read only the last)
            return None
        if not isinstance(value, datetime):
            return self.at(value)
        return as_local(value, self.zone) if self.zone is not None else value

    def when(self, start: date | datetime, end: date | datetime | None = None) -> str:
        return format_when(start, end if end is not None else start + self.length)


def _when_line(entry: EventEntry, series: Series, revision: Revision) -> str:
    """时间：… of one event as the revision wrote it; a series' next session (or its last, once
    over) as it stands, and its rule as the revision wrote it (a later entry says how it changed)."""
    if entry.event.recurrence is None:
        return f"时间：{series.when(series.start)}"
    shown = f"{'下一场' if entry.next is not None else '最后一场'}：{entry.when}"
    rule = _revision_rule(entry, series, revision)
    return f"{shown}（{rule}）" if rule else shown


def _revision_rule(entry: EventEntry, series: Series, revision: Revision) -> str:
    """The series' rule in words as ``revision`` wrote it: the one the pages show when it is the
    same rule (said with its last session), else the revision's own."""
    event = entry.event
    stop = event.recurrence.stop
    try:
        same = not revision.rule or (normalize_rule(revision.rule, series.start, series.zone or ZoneInfo(event.timezone))
                                     == event.recurrence.rrule and revision.stop == (day_of(stop.original).isoformat()
                                                                                    if stop is not None else ""))
    except (RecurrenceError, ValueError, KeyError):
        same = True
    if same:
        return entry.rule_text
    if revision.stop:  # that revision's own stop, as the pages say one
        words = _rule_words(event, RULE_END.sub("", f";{revision.rule}").lstrip(";"), series)
        return f"{words}，{format_day(date.fromisoformat(revision.stop))}起停办" if words else entry.rule_text
    return _rule_words(event, revision.rule, series) or entry.rule_text


def _was_time(event, change: ChangeEntry) -> str:
    """原时间：… of a one-off event whose time was edited (one postponed says 原定 from its
    previous_start instead): what a 公众号 correction has to name, as the revision before wrote it."""
    if event.recurrence is not None or event.previous_start or not change.previous.start:
        return ""
    before, after = Series.of(event, change.previous), Series.of(event, change.revision)
    old, new = before.when(before.start), after.when(after.start)
    return f"原时间：{old}" if old != new else ""


def _clock_change(event, change: ChangeEntry) -> str:
    """每场时间由14:00–16:00改为15:00–17:00, when the revision moved a series' time of day."""
    if event.recurrence is None or not change.previous.start or not change.revision.start:
        return ""
    clocks = [_clock_range(Series.of(event, revision)) for revision in (change.previous, change.revision)]
    return f"每场时间由{clocks[0]}改为{clocks[1]}" if all(clocks) and clocks[0] != clocks[1] else ""


def _clock_range(series: Series) -> str:
    start = series.start
    return f"{format_clock(start)}–{format_clock(start + series.length)}" if isinstance(start, datetime) else ""


def _rule_change(event, change: ChangeEntry) -> str:
    """重复规则由“每周六，至 2027年1月30日”改为“每周六，至 2027年1月23日”, when the revision changed it."""
    before, after = change.previous.rule, change.revision.rule
    if not before or not after or before == after:
        return ""
    words = [_rule_words(event, rule, Series.of(event, revision))
             for rule, revision in ((before, change.previous), (after, change.revision))]
    return f"重复规则由“{words[0]}”改为“{words[1]}”" if all(words) and words[0] != words[1] else ""


def _rule_words(event, rule: str, series: Series) -> str:
    zone = series.zone or ZoneInfo(event.timezone)
    try:
        return describe(normalize_rule(rule, series.start, zone), not isinstance(series.start, datetime), zone,
                        series.start)
    except (RecurrenceError, ValueError, KeyError):  # an old revision's rule the build refused
        return ""


def _session_text_or_day(series: Series, edit: SessionEdit) -> str:
    """``_session_text``; an old revision no calendar could hold (a time past the year 9999…) is
    named by its day alone: the check never read it again, and it must not stop the build."""
    try:
        return _session_text(series, edit)
    except (ValueError, OverflowError):
        return f"{edit.day[:10]}的一场有变动"


def _session_text(series: Series, edit: SessionEdit) -> str:
    """原定2026年12月12日（周六）14:00的一场已取消（活动室维修）; its new time and place; a date left
    out, added, taken back or given back: in the words of the revision that did it."""
    original = series.at(date.fromisoformat(edit.day))
    said = f"原定{format_datetime(original)}的一场"
    note = f"（{edit.note}）" if edit.note else ""
    if edit.kind == history.CANCELLED:
        return f"{said}{CANCELLED}{note}"
    if edit.kind == history.STOPPED:
        return f"原定{format_datetime(original)}起的各场都不再举办{note}"
    if edit.kind == history.RESUMED:
        return f"原定{format_datetime(original)}起停办的各场恢复举办"
    if edit.kind == history.LEFT_OUT:
        return f"{said}不举办"
    if edit.kind == history.RESTORED:
        return f"{said}恢复按原定时间、地点举办"
    if edit.kind in (history.ADDED, history.DROPPED):
        start = series.moment(edit.start, None)
        when = series.when(start) if start is not None else edit.start
        return f"加开一场：{when}" if edit.kind == history.ADDED else f"取消加开的一场：{when}"
    parts = [f"{said}换了地点"]
    if edit.kind == history.MOVED:
        start = series.moment(edit.start, original)
        end = series.moment(edit.end, start) if edit.end and start is not None else None
        parts = [f"{said}改为{series.when(start, end) if start is not None else edit.start}"]
    if edit.place:
        parts.append(f"地点：{edit.place}")
    return "，".join(parts) + note


def atom(changes: list[ChangeEntry], site: str, feed_url: str, title: str, uid_domain: str) -> bytes:
    """Newest first, at most MAX_ENTRIES, deterministic (no clock: with no changes, the feed is
    dated like an event with no known revision, never by the build)."""
    ordered = sorted(changes, key=lambda c: (c.when, c.entry.event.slug, c.number, c.key), reverse=True)[:MAX_ENTRIES]
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
        _text(item, "id", f"tag:{uid_domain},2026:{change.key}")
        _text(item, "title", f"【{change.label}】{event.title}")
        _text(item, "updated", iso(change.when))
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{site}/{change.entry.url}",
                                                 "type": "text/html"})
        ET.SubElement(item, f"{{{ATOM}}}category", {"term": change.kind, "label": change.label})
        _text(item, "summary", _summary(change))
    return document(feed)


_text = text_element
