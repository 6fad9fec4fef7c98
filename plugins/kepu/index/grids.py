"""Calendar views: occurrences by day, month grids (Monday first), two-week agendas, day pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kepu.content.dates import WEEKDAYS, format_day
from kepu.content.model import Occurrence
from kepu.content.sessions import session_label
from kepu.index.site import (
    EventEntry,
    MovedAway,
    ends_at,
    last_local_day,
    local_day,
    moved_away,
    moved_key,
    moved_time_text,
    occurrence_key,
)

WEEKDAY_HEADERS = WEEKDAYS  # 周一 … 周日: weeks start on Monday


@dataclass(frozen=True, slots=True)
class DayLine:
    """What a calendar's line for one occurrence on one day shows: plain values only, so that
    a page reading it reads one small value (digested whole), not the event behind it."""

    url: str
    time_text: str
    title: str
    status: str  # the event's status (scheduled, cancelled, …)
    status_text: str
    ends: str  # the instant it is over (``ends_at``), ISO with offset
    changed: bool  # this session of a series was cancelled or moved
    cancelled: bool
    session_label: str
    held: bool = True  # ``Occurrence.held``: once its time has passed, it is over (已结束)
    moved_to: str = ""  # a session held elsewhere: 改在 its new place (day and week pages say where)

    @classmethod
    def of(cls, occurrence: Occurrence, time_text: str, url: str) -> DayLine:
        event = occurrence.event
        elsewhere = occurrence.elsewhere and not occurrence.cancelled
        return cls(url, time_text, event.title, event.status, event.status_text,
                   ends_at(occurrence).isoformat(), occurrence.change is not None, occurrence.cancelled,
                   session_label(occurrence), occurrence.held,
                   f"改在{occurrence.venue.name}" if elsewhere else "")


@dataclass(frozen=True, slots=True)
class DayItem:
    """One occurrence as a calendar day shows it."""

    occurrence: Occurrence
    entry: EventEntry
    line: DayLine  # what the calendar pages show
    first_day: bool = True  # the occurrence starts on this day (a multi-day one shows on each)
    away: bool = False  # the day it was moved from (``site.moved_away``): shown, never a 场次

    @property
    def event(self):
        return self.entry.event

    @property
    def time_text(self) -> str:
        return self.line.time_text

    @property
    def url(self) -> str:
        """The event page, with #d<date> for one date of a recurring event."""
        return self.line.url

    @property
    def is_session(self) -> bool:
        """Counted as one 场次 here, as stats.counted_sessions counts: on the day it starts,
        never when cancelled."""
        return self.first_day and not self.occurrence.cancelled and not self.away


def session_count(items: Sequence[DayItem]) -> int:
    """场次 among a day's items (the figures' definition: see stats.counted_sessions)."""
    return sum(item.is_session for item in items)


@dataclass(frozen=True, slots=True)
class DayCount:
    """A day's lines as a day page says them: 场次 (the figures' definition), and the lines that
    are not one: days of an event already under way, cancelled sessions."""

    sessions: int
    continuing: int
    cancelled: int
    moved: int = 0  # moved from this day to another
    waiting: int = 0  # of ``sessions``: an event put off with no new date (延期待定), as the figures say


def waiting_count(items: Sequence[DayItem]) -> int:
    """Of ``session_count``: the sessions put off with no new date (延期待定), as the figures say."""
    return sum(item.is_session and not item.occurrence.held for item in items)


def day_count(items: Sequence[DayItem]) -> DayCount:
    """Any day's lines that know whether they are a 场次 (``is_session``): a calendar's, a campaign's."""
    moved = sum(getattr(item, "away", False) for item in items)
    cancelled = sum(item.occurrence.cancelled for item in items if not getattr(item, "away", False))
    sessions = session_count(items)
    return DayCount(sessions, len(items) - sessions - cancelled - moved, cancelled, moved, waiting_count(items))


@dataclass(slots=True)
class Day:
    day: date
    items: list[DayItem] = field(default_factory=list)
    in_month: bool = True

    @property
    def iso(self) -> str:
        return self.day.isoformat()

    @property
    def label(self) -> str:
        return format_day(self.day, with_year=False)

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass(frozen=True, slots=True)
class MonthKey:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def next(self) -> MonthKey:
        return MonthKey(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> MonthKey:
        return MonthKey(self.year - (self.month == 1), (self.month - 2) % 12 + 1)


@dataclass(slots=True)
class Month:
    """A month grid: weeks of seven days, padded with days of the adjacent months."""

    key: MonthKey
    weeks: list[list[Day]]
    previous: MonthKey | None
    next: MonthKey | None

    @property
    def count(self) -> int:
        return sum(session_count(d.items) for week in self.weeks for d in week if d.in_month)

    @property
    def waiting(self) -> int:
        """Of ``count``: the sessions put off with no new date (延期待定)."""
        return sum(waiting_count(d.items) for week in self.weeks for d in week if d.in_month)

    @property
    def days_with_events(self) -> list[Day]:
        return [d for week in self.weeks for d in week if d.in_month and d.items]


@dataclass(slots=True)
class Calendar:
    """Occurrences by local day for one scope (the district or one street)."""

    days: dict[date, list[DayItem]]

    @property
    def months(self) -> list[MonthKey]:
        """Every month from the first to the last with an occurrence; none skipped."""
        if not self.days:
            return []
        first, last = min(self.days), max(self.days)
        key, end, keys = MonthKey(first.year, first.month), MonthKey(last.year, last.month), []
        while (key.year, key.month) <= (end.year, end.month):
            keys.append(key)
            key = key.next()
        return keys

    def month(self, key: MonthKey) -> Month:
        keys = self.months
        position = keys.index(key)
        start = key.first - timedelta(days=key.first.weekday())
        weeks = []
        while not weeks or start.month == key.month:
            weeks.append([Day(start + timedelta(days=i), self.days.get(start + timedelta(days=i), []),
                              (start + timedelta(days=i)).month == key.month) for i in range(7)])
            start += timedelta(days=7)
        return Month(key, weeks, keys[position - 1] if position else None,
                     keys[position + 1] if position + 1 < len(keys) else None)

    def span(self, first: date, days: int) -> list[Day]:
        return [Day(first + timedelta(days=i), self.days.get(first + timedelta(days=i), []))
                for i in range(days)]

    def month_of(self, day: date) -> MonthKey | None:
        """The month page to show for ``day``: its own, else the nearest one that exists."""
        keys = self.months
        if not keys:
            return None
        wanted = MonthKey(day.year, day.month)
        if wanted in keys:
            return wanted
        later = [k for k in keys if (k.year, k.month) > (wanted.year, wanted.month)]
        return later[0] if later else keys[-1]


@dataclass(frozen=True, slots=True)
class QuietDays:
    """Consecutive days without events, said once in an agenda."""

    first: date
    last: date

    @property
    def iso(self) -> str:
        return self.first.isoformat()

    @property
    def label(self) -> str:
        """12月8日（周二）至 12月10日（周四）"""
        return f"{format_day(self.first, with_year=False)}至 {format_day(self.last, with_year=False)}"


def collapse_quiet_days(days: list[Day]) -> list[Day | QuietDays]:
    """An agenda's days, each run of two or more days without events as one QuietDays."""
    rows: list[Day | QuietDays] = []
    run: list[Day] = []

    def flush() -> None:
        rows.extend(run if len(run) < 2 else [QuietDays(run[0].day, run[-1].day)])
        run.clear()

    for day in days:
        if day.items:
            flush()
            rows.append(day)
        else:
            run.append(day)
    flush()
    return rows


def day_time_text(occurrence: Occurrence, day: date, zone: ZoneInfo) -> str:
    """What a day cell shows: 14:00–16:00; 09:00 开始 / 全天进行 / 至 17:00; 全天（第 2/3 天）; a
    night's session, 22:00 开始，次日 02:00 结束 (not 共 2 天: it lasts hours, not two days)."""
    first, last = local_day(occurrence.start, zone), last_local_day(occurrence, zone)
    total, nth = (last - first).days + 1, (day - first).days + 1
    if not isinstance(occurrence.start, datetime):
        return "全天" if total == 1 else f"全天（第 {nth}/{total} 天）"
    start, end = occurrence.start.astimezone(zone), occurrence.end.astimezone(zone)
    if total == 1:
        return f"{start:%H:%M}–{end:%H:%M}"
    if total == 2 and end - start < timedelta(days=1):
        return f"{start:%H:%M} 开始，次日 {end:%H:%M} 结束" if day == first else f"至 {end:%H:%M}（前一天 {start:%H:%M} 开始）"
    if day == first:
        return f"{start:%H:%M} 开始（共 {total} 天）"
    if day == last:
        return f"至 {end:%H:%M}（第 {nth}/{total} 天）"
    return f"全天进行（第 {nth}/{total} 天）"


def occurrence_url(entry: EventEntry, occurrence: Occurrence) -> str:
    """Recurring events link to the date on the event page; single events to the page."""
    if entry.event.recurrence is None:
        return entry.url
    return f"{entry.url}#d{occurrence.key}"


def by_day(entries: Iterable[EventEntry], zone: ZoneInfo) -> dict[date, list[DayItem]]:
    """Every occurrence on every local day it touches; in a day, all-day and continuing
    events first, then timed ones by start time."""
    days: dict[date, list[tuple[tuple, DayItem]]] = defaultdict(list)
    for entry in entries:
        for occurrence in entry.occurrences:
            first, last = local_day(occurrence.start, zone), last_local_day(occurrence, zone)
            url = occurrence_url(entry, occurrence)
            timed = isinstance(occurrence.start, datetime)
            day = first
            while day <= last:
                order = (int(timed and day == first), occurrence_key(occurrence, zone))
                line = DayLine.of(occurrence, day_time_text(occurrence, day, zone), url)
                item = DayItem(occurrence, entry, line, day == first)
                days[day].append((order, item))
                day += timedelta(days=1)
            away = moved_away(occurrence, zone)
            if away is not None:
                days[local_day(away.start, zone)].append(((int(timed), moved_key(occurrence, away, zone)),
                                                          _away_item(occurrence, entry, away, url, zone)))
    return {day: [item for _, item in sorted(days[day], key=lambda pair: pair[0])]
            for day in sorted(days)}


def _away_item(occurrence: Occurrence, entry: EventEntry, away: MovedAway, url: str, zone: ZoneInfo) -> DayItem:
    """The line on the day an occurrence moved from: its old time, 已改期至 its new one."""
    event = occurrence.event
    line = DayLine(url, moved_time_text(away, zone), event.title, "postponed", away.text, away.ends,
                   True, False, "", held=False)
    return DayItem(occurrence, entry, line, True, away=True)


def split_by_street(days: dict[date, list[DayItem]]) -> dict[str, dict[date, list[DayItem]]]:
    """The district's days divided among streets, keeping each day's order."""
    streets: dict[str, dict[date, list[DayItem]]] = defaultdict(dict)
    for day, items in days.items():
        for item in items:
            streets[item.event.street].setdefault(day, []).append(item)
    return dict(streets)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def group_by_street(items: list[DayItem], street_order: list[str]) -> list[tuple[str, list[DayItem]]]:
    """A day's items grouped by street, streets in registry order."""
    grouped: dict[str, list[DayItem]] = defaultdict(list)
    for item in items:
        grouped[item.event.street].append(item)
    return [(street, grouped[street]) for street in street_order if street in grouped]
