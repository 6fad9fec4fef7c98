"""iCalendar feeds (RFC 5545) built with the icalendar library.

Each event's VEVENT is built and serialised once; every feed that lists the event
reuses those bytes, so an event has the same UID and the same text everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCategory, vGeo, vRecur, vText, vUri

from kepu.content.dates import format_day
from kepu.content.model import TITLE_LABELS, Occurrence
from kepu.content.recurrence import occurrence_point
from kepu.content.sessions import calendar_note, change_label, changed_times
from kepu.index.site import EventEntry, last_local_day, occurrence_key

UNKNOWN_STAMP = datetime(2000, 1, 1, tzinfo=UTC)
# By Event.shown_status: 【已取消】, 【已改期】, 【延期待定】, 【名额已满】.
TITLE_PREFIX = {key: f"【{label}】" for key, label in TITLE_LABELS.items() if key != "scheduled"}
# Postponed with no new date yet: the date in the file is off but the event is not cancelled.
ICAL_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
FAIR_SHARE_FLOOR = 8_000  # bytes of one VEVENT a shared feed always has room for (a usual one: 1–3 KB)
# Each changed session of a series is a VEVENT of its own (about 1.2 KB): room for it on top of the
# event's share, for this many of them (a term's worth; the per-event cap bounds it anyway).
SESSION_ROOM, ROOMED_SESSIONS = 1_500, 20
MAX_FEED_BYTES = 1_000_000  # under 1 MiB, the size beyond which clients drop events
# An event whose own VEVENT is larger is left out of the shared feeds (it keeps its own .ics):
# ordinary events take 1–3 KB, so one oversized entry can never take the others' room.
MAX_EVENT_BYTES = 64 * 1024
MAX_NAME_CHARS = 200  # a calendar's name, as subscribers' clients show it
MAX_DESCRIPTION_CHARS = 2000
WINDOW_TEXT_ROOM = 2048  # bytes kept for the window's sentence appended to a feed's description
_END_CALENDAR = b"END:VCALENDAR\r\n"


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """Site-wide feed settings."""

    site_url: str  # absolute, without a trailing slash
    uid_domain: str
    timezone: str = "Asia/Shanghai"
    refresh: str = "PT6H"  # RFC 5545 duration: how often clients should refresh
    past_days: int = 90
    max_bytes: int = MAX_FEED_BYTES
    max_event_bytes: int = MAX_EVENT_BYTES
    prodid: str = "-//Kepu Calendar//Kepu Calendar//ZH"
    color: str = "#0A4F96"

    def absolute(self, url: str) -> str:
        return f"{self.site_url}/{url.lstrip('/')}"


@dataclass(frozen=True, slots=True)
class Stamp:
    """When an event last changed and how often its time/place/status changed."""

    modified: datetime | None = None
    sequence: int = 0
    derived: datetime | None = None  # DTSTAMP when nothing says when it changed (history.derived_stamp)


def stamp_time(stamp: Stamp) -> datetime:
    """An event's revision time in UTC: DTSTAMP of its VEVENT and ``updated`` of its Atom entry."""
    return (stamp.modified or stamp.derived or UNKNOWN_STAMP).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class FeedWindow:
    """What a feed covers after the past window and the size limit were applied."""

    events: int
    since: date
    until: date | None  # None: every future event is included
    dropped_future: int = 0
    oversized: int = 0  # events whose own VEVENT is too large for a shared feed
    left_out: tuple[str, ...] = ()  # their source files
    past_cut: bool = False  # the size limit kept fewer ended events than the past window holds
    limit: int = MAX_FEED_BYTES  # the size limit, in bytes

    @property
    def cut(self) -> bool:
        """True when the size limit, not the windows, decided what the feed holds."""
        return self.until is not None or self.past_cut

    @property
    def limit_words(self) -> str:
        """The size limit as people say it: 1 MB, 150 KB."""
        return f"{self.limit / 1e6:g} MB" if self.limit >= 1_000_000 else f"{round(self.limit / 1000)} KB"

    def describe(self, past_days: int) -> str:
        """What the feed holds, in words that change only when its events do (not with the build
        date: a feed's bytes, ETag and HTTP caches then stay put from one daily build to the next)."""
        if self.until is not None:
            text = (f"包含截至{format_day(self.until)}的活动，共 {self.events} 项；为使文件小于 {self.limit_words}，"
                    f"更晚的 {self.dropped_future} 项未列入，请订阅所在街镇或类型的日历。")
        elif self.past_cut:
            text = (f"包含{format_day(self.since)}以来结束的活动和今后的全部活动，共 {self.events} 项"
                    f"（为使文件小于 {self.limit_words}，更早结束的未列入）。")
        else:
            text = f"包含最近 {past_days} 天内结束的活动和今后的全部活动，共 {self.events} 项。"
        if self.oversized:
            text += f"另有 {self.oversized} 项活动的信息太长，未列入本日历，请到活动页面单独下载。"
        return text


class SessionItem(Protocol):
    """One session of a series, written alone (``index.site.Visit``, ``campaigndays.CalendarItem``)."""

    @property
    def entry(self) -> EventEntry: ...

    @property
    def occurrence(self) -> Occurrence: ...


@dataclass(slots=True)
class Feed:
    """A calendar file to write: its name, description and events."""

    path: str
    name: str
    description: str
    page_url: str
    entries: list[EventEntry] = field(default_factory=list)
    # Sessions of series written alone (each its own UID): a venue's, other events' sessions moved
    # to it; a campaign's, the sessions of its series in its window.
    sessions: list[SessionItem] = field(default_factory=list)


def _summary(entry: EventEntry) -> str:
    return TITLE_PREFIX.get(entry.event.shown_status, "") + entry.event.title


def location_text(entry: EventEntry) -> str:
    """Where: the venue (with its address) and the online link, as calendars and feeds show it."""
    return _place(entry.event.venue, entry.event.online)


def shown_location_text(entry: EventEntry) -> str:
    """Where the session a listing names is held (a moved session's new place), as ``location_text``."""
    return _place(entry.shown_venue, entry.event.online)


def _place(venue, online: str) -> str:
    parts = []
    if venue:
        place = venue.name
        if venue.address and venue.address != place:
            place += f"（{venue.address}）"
        parts.append(place)
    if online:
        parts.append(f"线上：{online}")
    return "；".join(parts)


def session_title(event, change) -> str:
    """A changed session's title: 【已取消】, 【已改期】 or 【已换地点】 as the page marks it (an event
    called off or put off as a whole says that instead)."""
    if change.cancelled or event.status == "scheduled":
        return f"【{change_label(change)}】{event.title}"
    return TITLE_PREFIX.get(event.shown_status, "") + event.title


def _status_note(entry: EventEntry) -> str:
    event = entry.event
    if event.status == "cancelled":
        return f"本活动已取消。{event.status_note}".strip()
    if event.status == "postponed":  # 本活动已改期，原定 …，现改为 … · 本活动已延期（新时间待定），…
        return f"本活动{event.status_text}，{event.status_detail(entry.when)}。{event.status_note}".strip()
    if event.status == "full":
        return f"名额已满，暂停报名。{event.status_note}".strip()
    return ""


def description_lines(entry: EventEntry, event_url: str, location: str | None = None,
                      cancelled: bool = False, alone: bool = False) -> list[str]:
    """The facts a calendar entry carries, one per line, the page link last; ``location``: where
    this entry is held when not at the event's own place (a moved session); ``cancelled``: the
    entry is called off (the event, or this session), so it asks no one to sign up (nor does an
    event put off with no new date); ``alone``: one
    session of a series shown without it (a venue's calendar), which says where the series meets."""
    event = entry.event
    cancelled = cancelled or not event.held  # called off, or put off with no new date: no sign-up
    lines = [_status_note(entry), event.summary]
    if entry.rule_text and alone:
        usual = location_text(entry)
        lines.append(f"这个系列平时：{entry.rule_text}" + (f"，在{usual}" if usual else ""))
    elif entry.rule_text:
        lines.append(f"时间：{entry.rule_text}")
    location = location_text(entry) if location is None else location
    if location:
        lines.append(f"地点：{location}")
    lines.append(f"主办：{entry.team.name}")
    audiences = "、".join(a.name for a in entry.audiences)
    lines.append(f"适合：{audiences}{_age(event.age_min, event.age_max)}")
    lines.append(f"费用：{event.cost}")
    if not cancelled:
        lines.append(_registration(entry))
    lines.append(f"详情：{event_url}")
    return [line for line in lines if line]


def _age(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"（{low}–{high} 岁）"
    if low is not None:
        return f"（{low} 岁以上）"
    if high is not None:
        return f"（{high} 岁以下）"
    return ""


def _registration(entry: EventEntry) -> str:
    reg = entry.event.registration
    if reg is None or not reg.required:
        return "报名：无需报名"
    parts = ["需要报名"]
    if reg.capacity:
        parts.append(f"限 {reg.capacity} 人")
    if reg.deadline:
        parts.append(f"{format_day(reg.deadline)}截止")
    if reg.phone:
        parts.append(f"电话 {reg.phone}")
    if reg.url:
        parts.append(f"报名链接 {reg.url}")
    note = f"（{reg.note}）" if reg.note else ""  # 请携带一名家长 · 名额已满，可电话登记候补
    return "报名：" + "，".join(parts) + note


class EventComponents:
    """Builds each event's VEVENT once and keeps its bytes for every feed."""

    def __init__(self, settings: FeedSettings, stamps: Mapping[str, Stamp], event_url):
        self.settings = settings
        self.stamps = stamps
        self.event_url = event_url  # entry -> absolute page URL
        self._bytes: dict[str, bytes] = {}

    def uid(self, entry: EventEntry) -> str:
        return f"{entry.event.slug}@{self.settings.uid_domain}"

    def vevent(self, entry: EventEntry) -> Event:
        """The event's master VEVENT (a series: with its rule, exceptions and additions)."""
        event = entry.event
        vevent = self._base(entry, 0)
        vevent.add("summary", LiteralText(_summary(entry)))
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end if not entry.event.all_day else event.end + timedelta(days=1))
        if event.recurrence:
            zone = ZoneInfo(event.timezone)
            vevent.add("rrule", vRecur.from_ical(event.recurrence.rrule))
            if event.recurrence.rdates:
                vevent.add("rdate", [_utc(_point(d, event.start, zone)) for d in event.recurrence.rdates])
            if event.recurrence.exdates:
                vevent.add("exdate", [_point(d, event.start, zone) for d in event.recurrence.exdates])
        vevent.add("status", ICAL_STATUS.get(event.shown_status, "CONFIRMED"))
        self._details(vevent, entry, event.venue, location_text(entry), "")
        return vevent

    def session_vevents(self, entry: EventEntry) -> list[Event]:
        """One VEVENT per changed session of a series (RFC 5545 RECURRENCE-ID overrides): a cancelled
        session is STATUS:CANCELLED with 【已取消】, a moved one has its new DTSTART and LOCATION; their
        SEQUENCE is above the master's, so clients take them over the rule's instance."""
        event = entry.event
        if event.recurrence is None:
            return []
        zone = ZoneInfo(event.timezone)
        added = {_point(d, event.start, zone) for d in event.recurrence.rdates}
        found = []
        for change in event.recurrence.sessions:
            original = _point(change.original, event.start, zone)
            start, end = changed_times(event, change, original)
            vevent = self._base(entry, 1)
            # An added session's override names it as its RDATE does (in UTC): ical.js matches an
            # override to its session by the text of the time, so a local RECURRENCE-ID left an added
            # session cancelled or moved in the file happening as planned in Thunderbird.
            vevent.add("recurrence-id", _utc(original) if original in added else original)
            vevent.add("summary", LiteralText(session_title(event, change)))
            vevent.add("dtstart", start)
            vevent.add("dtend", end if not event.all_day else end + timedelta(days=1))
            cancelled = change.cancelled or event.status == "cancelled"
            vevent.add("status", "CANCELLED" if cancelled else ICAL_STATUS.get(event.shown_status, "CONFIRMED"))
            venue = change.venue or event.venue
            place = _place(venue, event.online)
            self._details(vevent, entry, venue, place, calendar_note(change, start, end))
            found.append(vevent)
        return found

    def session(self, item: SessionItem) -> bytes:
        """One session of a series as a VEVENT of its own (its own UID, named by the session's planned
        time; the series and its RECURRENCE-ID overrides live in the calendars of the event's
        groupings): a venue's session moved in, a campaign's session in its window."""
        entry, occurrence = item.entry, item.occurrence
        event, change = entry.event, occurrence.change
        zone = ZoneInfo(event.timezone)
        planned = change.original if change is not None else occurrence.start
        uid = f"{event.slug}.{_session_key(planned, zone)}@{self.settings.uid_domain}"
        if uid not in self._bytes:
            self._bytes[uid] = unfolded_bytes(self._session_vevent(entry, occurrence, uid))
        return self._bytes[uid]

    def _session_vevent(self, entry: EventEntry, occurrence: Occurrence, uid: str) -> Event:
        event, change = entry.event, occurrence.change
        vevent = self._base(entry, 1, uid)
        title = session_title(event, change) if change is not None else _summary(entry)
        vevent.add("summary", LiteralText(title))  # as the series' own override says it
        vevent.add("dtstart", occurrence.start)
        vevent.add("dtend", occurrence.end if not event.all_day else occurrence.end + timedelta(days=1))
        vevent.add("status", "CANCELLED" if occurrence.cancelled else ICAL_STATUS.get(event.shown_status, "CONFIRMED"))
        note = calendar_note(change, occurrence.start, occurrence.end) if change is not None else ""
        self._details(vevent, entry, occurrence.venue, _place(occurrence.venue, event.online), note, alone=True)
        return vevent

    def _base(self, entry: EventEntry, raise_by: int, uid: str = "") -> Event:
        """UID and version stamps; ``raise_by`` lifts SEQUENCE (an override above its master)."""
        stamp = self.stamps.get(entry.event.slug, Stamp())
        vevent = Event()
        vevent.add("uid", uid or self.uid(entry))
        vevent.add("dtstamp", stamp_time(stamp))
        if stamp.modified:
            vevent.add("last-modified", stamp.modified.astimezone(UTC))
        vevent.add("sequence", stamp.sequence + raise_by)
        return vevent

    def _details(self, vevent: Event, entry: EventEntry, venue, location: str, note: str,
                 alone: bool = False) -> None:
        """Place, page, description, categories, organizer and free/busy, shared by every VEVENT."""
        url = self.event_url(entry)
        if location:
            vevent.add("location", LiteralText(location))
        if venue and venue.has_geo:
            vevent.add("geo", vGeo((venue.lat, venue.lon)))
        vevent.add("url", url, parameters={"VALUE": "URI"})
        called_off = vevent.get("status") == "CANCELLED"
        facts = description_lines(entry, url, location, cancelled=called_off, alone=alone)
        lines = [note, *facts] if note else facts
        vevent.add("description", LiteralText("\n".join(lines)))
        vevent.add("categories", LiteralCategories([c.name for c in entry.categories]))
        if entry.team.email:  # an organizer is someone to write to (RFC 5545 CAL-ADDRESS), never a web page
            vevent.add("organizer", f"mailto:{entry.team.email}", parameters={"CN": _quote_safe(entry.team.name)})
        # Called off, or put off with no new time: the time is free again.
        if _frees_the_day(entry) or called_off or not entry.event.held:
            vevent.add("transp", "TRANSPARENT")
        vevent.add("class", "PUBLIC")

    def adopt(self, entry: EventEntry, calendar: bytes) -> None:
        """Take the VEVENTs (the master and its changed sessions) of a previously written .ics file
        of the same event and inputs."""
        start = calendar.index(b"BEGIN:VEVENT\r\n")
        end = calendar.rindex(b"END:VEVENT\r\n") + len(b"END:VEVENT\r\n")
        self._bytes[entry.event.slug] = calendar[start:end]

    def remember(self, serialized: Mapping[str, bytes]) -> None:
        """VEVENT bytes serialised elsewhere (another process) for these slugs."""
        self._bytes.update(serialized)

    def serialize(self, entry: EventEntry) -> bytes:
        key = entry.event.slug
        if key not in self._bytes:
            components = [self.vevent(entry), *self.session_vevents(entry)]
            self._bytes[key] = b"".join(unfolded_bytes(c) for c in components)
        return self._bytes[key]


def _session_key(planned: date | datetime, zone: ZoneInfo) -> str:
    """A session's planned local time in its UID: 20261212T1400, or 20261212 for a day."""
    if isinstance(planned, datetime):
        return planned.astimezone(zone).strftime("%Y%m%dT%H%M")
    return planned.strftime("%Y%m%d")


def _frees_the_day(entry: EventEntry) -> bool:
    """All-day and multi-day events do not make the subscriber busy (a fair open for three days
    is not three days of meetings); an afternoon session does."""
    event = entry.event
    if event.all_day:
        return True
    zone = ZoneInfo(event.timezone)
    return event.start.astimezone(zone).date() != event.end.astimezone(zone).date()


def unfolded_bytes(component) -> bytes:
    """A component's content lines, folded by us (icalendar's own folding is slower and can
    split an escaped backslash)."""
    return fold_lines(line.encode("utf-8") for line in component.content_lines() if line)


def _point(value: date | datetime, start: date | datetime, zone: ZoneInfo) -> date | datetime:
    point = occurrence_point(value, start, zone)
    return point if isinstance(start, datetime) else point.date()


def _utc(value: date | datetime) -> date | datetime:
    """An RDATE as an instant in UTC: libical's recurrence iterator reads an RDATE's TZID as UTC
    (09:00 Beijing time shown as 17:00); a UTC value reads the same in every client."""
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping (section 3.3.11) of text as typed: the backslash first, then
    ";", "," and line breaks. icalendar's own escaping first turns a typed "\\N" into a line
    break, so a title holding a literal \\N (or \\n) would read back as two lines."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


class LiteralText(vText):
    """A TEXT value escaped by ``escape_text``: every character the editor typed reads back."""

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode("utf-8")


class LiteralCategories(vCategory):
    """CATEGORIES whose names are escaped by ``escape_text``."""

    def to_ical(self) -> bytes:
        return ",".join(escape_text(str(name)) for name in self.cats).encode("utf-8")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote_safe(text: str) -> str:
    """A parameter value without ASCII double quotes (RFC 6868 escaping is poorly supported)."""
    return text.replace('"', "”")


def _cut(line: bytes, limit: int) -> int:
    """Largest cut ≤ limit that splits neither a UTF-8 character nor a backslash escape."""
    cut = min(limit, len(line))
    while cut < len(line) and cut > 0 and (line[cut] & 0xC0) == 0x80:
        cut -= 1
    run = 0
    while run < cut and line[cut - 1 - run] == 0x5C:
        run += 1
    return cut - 1 if run % 2 else cut


def fold(data: bytes) -> bytes:
    """Refold content lines at 75 octets (icalendar may split an escaped backslash pair)."""
    return fold_lines(data.replace(b"\r\n ", b"").split(b"\r\n")[:-1])


def fold_lines(lines: Iterable[bytes]) -> bytes:
    """Unfolded content lines → CRLF-terminated physical lines of at most 75 octets."""
    out = []
    for line in lines:
        if len(line) <= 75:
            out.append(line)
            continue
        cut = _cut(line, 75)
        out.append(line[:cut])
        line = line[cut:]
        while line:
            cut = _cut(line, 74)
            out.append(b" " + line[:cut])
            line = line[cut:]
    return b"\r\n".join(out) + b"\r\n"


_TIMEZONES: dict[str, bytes] = {}


def vtimezone(tzid: str) -> bytes:
    """One clean VTIMEZONE per zone (no COMMENT, which libical rejects), built once."""
    if tzid not in _TIMEZONES:
        component = Timezone.from_tzid(tzid, first_date=date(2000, 1, 1))
        component.pop("COMMENT", None)
        _TIMEZONES[tzid] = fold(component.to_ical())
    return _TIMEZONES[tzid]


def _header(settings: FeedSettings, name: str, description: str, source: str, page: str) -> bytes:
    """Calendar properties: name and description escaped by ``escape_text``, cut to a length
    any client shows (names come from registries and event titles)."""
    name_text = escape_text(_clip(" ".join(name.split()), MAX_NAME_CHARS))  # a name is one line
    description_text = escape_text(_clip(description, MAX_DESCRIPTION_CHARS + WINDOW_TEXT_ROOM // 3))
    lines = [
        *_static_header(settings),
        f"NAME:{name_text}", f"X-WR-CALNAME:{name_text}",
        f"DESCRIPTION:{description_text}", f"X-WR-CALDESC:{description_text}",
        f"SOURCE;VALUE=URI:{vUri(source).to_ical().decode('utf-8')}",
        f"URL;VALUE=URI:{vUri(page).to_ical().decode('utf-8')}",
    ]
    return fold_lines(line.encode("utf-8") for line in lines)


def _single_header(settings: FeedSettings) -> bytes:
    """A one-event download: only what an import needs. A name, refresh interval or source makes
    Outlook desktop (and others) open the file as a new subscribed calendar instead of adding the
    event to the reader's own calendar; subscriptions are the feeds."""
    lines = [line for line in _static_header(settings) if line.split(":")[0].split(";")[0] in SINGLE_FILE_PROPERTIES]
    return fold_lines(line.encode("utf-8") for line in lines)


SINGLE_FILE_PROPERTIES = ("BEGIN", "VERSION", "PRODID", "CALSCALE")
_STATIC_HEADERS: dict[FeedSettings, list[str]] = {}


def _static_header(settings: FeedSettings) -> list[str]:
    """The properties every feed of the site shares, built once with icalendar."""
    if settings not in _STATIC_HEADERS:
        calendar = Calendar()
        calendar.add("version", "2.0")
        calendar.add("prodid", settings.prodid)
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-timezone", vText(settings.timezone))
        calendar.add("refresh-interval", vText(settings.refresh), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vText(settings.refresh))
        calendar.add("x-apple-calendar-color", vText(settings.color))
        lines = [str(line) for line in calendar.content_lines() if line]
        _STATIC_HEADERS[settings] = lines[:-1]  # without END:VCALENDAR
    return _STATIC_HEADERS[settings]


def select(entries: Iterable[EventEntry], build_date: date, past_days: int, budget: int,
           size, zone: ZoneInfo, max_event: int = MAX_EVENT_BYTES,
           shared=None) -> tuple[list[EventEntry], FeedWindow]:
    """Upcoming events first (soonest first), then recent past ones, while they fit ``budget``.

    ``size(entry)`` is the length of the entry's own VEVENT: an entry longer than its fair share
    (``budget`` divided among the candidates, never less than FAIR_SHARE_FLOOR, plus SESSION_ROOM
    for each changed session of a series, nor more than ``max_event``) is passed over (it keeps
    its own .ics file) and counted in
    ``FeedWindow.oversized``, so neither one giant entry nor many large ones can use up the
    others' room. ``shared(entry)`` returns the name and length of
    a block that entries share (their VTIMEZONE), counted once, with the first entry needing it.
    """
    since = build_date - timedelta(days=past_days)
    upcoming = sorted((e for e in entries if not e.is_past), key=lambda e: occurrence_key(e.shown, zone))
    recent = sorted((e for e in entries if e.is_past and last_local_day(e.final, zone) >= since),
                    key=lambda e: occurrence_key(e.final, zone), reverse=True)
    chosen: list[EventEntry] = []
    used, until, dropped, oversized, past_cut = 0, None, 0, 0, False
    counted: set[str] = set()
    left_out: list[str] = []
    share = max(FAIR_SHARE_FLOOR, budget // max(1, len(upcoming) + len(recent)))

    def cost(entry: EventEntry) -> tuple[int, str] | None:
        own = size(entry)
        if own > min(max_event, share + SESSION_ROOM * min(_changed_sessions(entry), ROOMED_SESSIONS)):
            left_out.append(entry.event.source_path)
            return None
        key, extra = shared(entry) if shared else ("", 0)
        return (own + extra, key) if key and key not in counted else (own, "")

    for index, entry in enumerate(upcoming):
        found = cost(entry)
        if found is None:
            oversized += 1
            continue
        if used + found[0] > budget:
            dropped = len(upcoming) - index
            until = last_local_day(chosen[-1].shown, zone) if chosen else build_date
            break
        chosen.append(entry)
        used += found[0]
        counted.add(found[1])
    if not dropped:
        for entry in recent:
            found = cost(entry)
            if found is None:
                oversized += 1
                continue
            if used + found[0] > budget:
                since, past_cut = last_local_day(entry.final, zone) + timedelta(days=1), True
                break
            chosen.append(entry)
            used += found[0]
            counted.add(found[1])
    else:
        since, past_cut = build_date, bool(recent)
    chosen.sort(key=lambda e: (occurrence_key(e.occurrences[0], zone), e.event.slug))
    return chosen, FeedWindow(len(chosen), since, until, dropped, oversized, tuple(left_out), past_cut)


def _changed_sessions(entry: EventEntry) -> int:
    recurrence = entry.event.recurrence
    return len(recurrence.sessions) if recurrence is not None else 0


def feed_bytes(feed: Feed, settings: FeedSettings, components: EventComponents,
               build_date: date, single: bool = False) -> tuple[bytes, FeedWindow]:
    """The whole .ics file for a feed; ``single`` for one event's download (no window)."""
    zone = ZoneInfo(settings.timezone)
    source, page = settings.absolute(feed.path), settings.absolute(feed.page_url)
    if single:
        chosen = feed.entries
        window = FeedWindow(len(chosen), build_date, None)
        description = feed.description
    else:
        described = _clip(feed.description, MAX_DESCRIPTION_CHARS)
        sessions = b"".join(components.session(v) for v in feed.sessions)
        room = len(_header(settings, feed.name, described, source, page)) + WINDOW_TEXT_ROOM + len(sessions)
        chosen, window = select(feed.entries, build_date, settings.past_days,
                                settings.max_bytes - room - len(_END_CALENDAR),
                                lambda entry: len(components.serialize(entry)), zone,
                                settings.max_event_bytes, _timezone_block)
        # a moved-in session is one item
        window = replace(window, events=window.events + len(feed.sessions), limit=settings.max_bytes)
        description = f"{described}{window.describe(settings.past_days)}"
    header = _single_header(settings) if single else _header(settings, feed.name, description, source, page)
    return _calendar(header, chosen, settings, components, [] if single else feed.sessions), window


def whole_feed_bytes(feed: Feed, settings: FeedSettings, components: EventComponents, description: str) -> bytes:
    """Every entry of ``feed``, past ones too, with ``description`` (the caller knows they fit:
    a campaign's window, or one day of it)."""
    source, page = settings.absolute(feed.path), settings.absolute(feed.page_url)
    header = _header(settings, feed.name, description, source, page)
    return _calendar(header, feed.entries, settings, components, feed.sessions)


def _calendar(header: bytes, chosen: list[EventEntry], settings: FeedSettings, components: EventComponents,
              sessions: Sequence[SessionItem] = ()) -> bytes:
    # RFC 5545 wants one component or more: a feed with no events keeps the site's VTIMEZONE.
    timed = [e for e in [*chosen, *(v.entry for v in sessions)] if not e.event.all_day]
    zones = sorted({e.event.timezone for e in timed}) or ([] if chosen or sessions else [settings.timezone])
    body = b"".join(components.serialize(e) for e in chosen) + b"".join(components.session(v) for v in sessions)
    return header + b"".join(vtimezone(z) for z in zones) + body + _END_CALENDAR


def _timezone_block(entry: EventEntry) -> tuple[str, int]:
    """The VTIMEZONE a timed entry needs in a feed (written once per zone)."""
    if entry.event.all_day:
        return "", 0
    return entry.event.timezone, len(vtimezone(entry.event.timezone))
