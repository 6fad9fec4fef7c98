"""A campaign's day-by-day programme: sessions by day and time, filtered views, figures and feed parts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kepu.content.dates import format_day
from kepu.content.model import Audience, Campaign, Category, Occurrence, Registries, Street, is_over
from kepu.index.grids import DayCount, day_count
from kepu.index.site import (
    EventEntry,
    MovedAway,
    began_text,
    build_instant,
    last_local_day,
    local_day,
    local_moment,
    moved_away,
    moved_time_text,
    occurrence_key,
    time_text,
)
from kepu.index.stats import (
    campaign_day,
    campaign_sessions,
    campaign_whole,
    held_sessions,
    recorded_attendance,
)

ALL_DAY = "全天"  # the heading of a day's all-day sessions (and days of all-day ones under way), listed first
UNDER_WAY = "之前开始"  # … then sessions with a time of day that began on an earlier day (overnight, camps)
FILTER_KINDS = ("streets", "categories", "audiences")


@dataclass(frozen=True, slots=True)
class Row:
    """One session as a day of the programme lists it."""

    occurrence: Occurrence
    entry: EventEntry
    time_text: str  # 09:00–11:00, 全天, 全天，至 5月20日, 自 5月22日（周五） 21:00 起，至 5月23日 01:00
    slot: str  # the heading it is listed under: its start time, or 全天
    main: bool  # the campaign's main-venue event
    first_day: bool = True  # it starts on this day (else: a day of an event already under way)
    away: bool = False  # listed on the day it moved from (an earlier programme named it there): never a 场次
    away_text: str = ""  # … and where it went: 已改期至 5月26日（周三）14:00
    was: str = ""  # on its new day, where it stood before: 原定 5月24日（周一）14:00

    @property
    def is_session(self) -> bool:
        """Counted as one 场次 on this day, as the figures count (grids.DayItem.is_session)."""
        return self.first_day and not self.occurrence.cancelled and not self.away

    def has(self, kind: str, ident: str) -> bool:
        entry = self.entry
        if kind == "streets":
            return entry.street.id == ident
        items = entry.categories if kind == "categories" else entry.audiences
        return any(item.id == ident for item in items)


@dataclass(frozen=True, slots=True)
class Tally:
    """项, 场次 (as the year's figures count them: kepu.index.stats.counted_sessions) and 人次."""

    events: int = 0
    sessions: int = 0
    held: int = 0  # sessions over before the build day
    attendance: int = 0
    reporting: int = 0  # events that recorded their attendance
    apart: int = 0  # series going on outside the window: their people, recorded as a whole, not counted


@dataclass(frozen=True, slots=True)
class Selection:
    """A day's sessions in one street, category or audience (``item`` None: the whole day)."""

    kind: str
    item: Street | Category | Audience | None
    rows: tuple[Row, ...]

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.item.id}" if self.item else ""

    @property
    def count(self) -> DayCount:
        return day_count(self.rows)


@dataclass(frozen=True, slots=True)
class ProgrammeDay:
    day: date
    rows: tuple[Row, ...]
    tally: Tally

    @property
    def count(self) -> DayCount:
        """场次 starting this day, and the lines that are not one (days of an event under way, cancelled)."""
        return day_count(self.rows)

    def selections(self, registries: Registries) -> list[Selection]:
        """The day's views by street, category and audience (in registry order), each non-empty."""
        found = []
        for kind in FILTER_KINDS:
            for ident, item in getattr(registries, kind).items():
                rows = tuple(r for r in self.rows if r.has(kind, ident))
                if rows:
                    found.append(Selection(kind, item, rows))
        return found


@dataclass(frozen=True, slots=True)
class StreetTally:
    street: Street
    tally: Tally


@dataclass(frozen=True, slots=True)
class CampaignDays:
    """A campaign's whole programme, day by day, with its running figures."""

    campaign: Campaign
    days: tuple[ProgrammeDay, ...]
    tally: Tally
    streets: tuple[StreetTally, ...]
    main: EventEntry | None

    def day(self, day: date) -> ProgrammeDay | None:
        return next((d for d in self.days if d.day == day), None)


def window_days(campaign: Campaign) -> list[date]:
    return [campaign.start + timedelta(days=n) for n in range((campaign.end - campaign.start).days + 1)]


def campaign_days(campaign: Campaign, entries: Sequence[EventEntry], registries: Registries,
                  zone: ZoneInfo, build_date: date, main: EventEntry | None = None) -> CampaignDays:
    """Every day of the window (a day without sessions too: the programme shows it as empty)."""
    order = {ident: n for n, ident in enumerate(registries.streets)}
    by_day: dict[date, list[tuple[tuple, Row]]] = {day: [] for day in window_days(campaign)}
    for entry in entries:
        for occurrence in entry.occurrences:
            away = moved_away(occurrence, zone)
            _place(by_day, campaign, occurrence, entry, zone, order, entry is main, _was(away, zone))
            if away is not None:
                _place_away(by_day, occurrence, away, entry, zone, order, entry is main)
    days = tuple(ProgrammeDay(day, tuple(row for _, row in sorted(rows, key=lambda kr: kr[0])),
                              _tally(campaign, entries, zone, build_date, {day}))
                 for day, rows in by_day.items())
    streets = tuple(StreetTally(street, tally) for ident, street in registries.streets.items()
                    if (tally := _tally(campaign, [e for e in entries if e.street.id == ident], zone,
                                        build_date)).events)
    return CampaignDays(campaign, days, _tally(campaign, entries, zone, build_date), streets, main)


def _place(by_day: dict, campaign: Campaign, occurrence: Occurrence, entry: EventEntry, zone: ZoneInfo,
           order: dict[str, int], main: bool, was: str) -> None:
    """List a session under each day of the window it touches (an exhibition open all week: every day);
    ``was``: on its first day, where it stood before it moved there."""
    first, last = local_day(occurrence.start, zone), last_local_day(occurrence, zone)
    day = max(first, campaign.start)
    while day <= min(last, campaign.end):
        timed = isinstance(occurrence.start, datetime)
        slot = (f"{occurrence.start.astimezone(zone):%H:%M}" if day == first else UNDER_WAY) if timed else ALL_DAY
        text = time_text(occurrence, zone) if day == first or not timed else began_text(occurrence, zone)
        key = (slot != ALL_DAY, occurrence_key(occurrence, zone)[0], not main,
               order.get(entry.street.id, len(order)), entry.event.slug, occurrence.index)
        by_day[day].append((key, Row(occurrence, entry, text, slot, main, day == first,
                                     was=was if day == first else "")))
        day += timedelta(days=1)


def _was(away: MovedAway | None, zone: ZoneInfo) -> str:
    """原定 5月24日（周一）14:00 for a session moved from another day ("" otherwise)."""
    if away is None:
        return ""
    clock = f"{away.start.astimezone(zone):%H:%M}" if isinstance(away.start, datetime) else ""
    return f"原定 {format_day(local_day(away.start, zone), with_year=False)}{clock}"


def _place_away(by_day: dict, occurrence: Occurrence, away: MovedAway, entry: EventEntry, zone: ZoneInfo,
                order: dict[str, int], main: bool) -> None:
    """A session moved to another day is listed on its old day too, marked 已改期 with where it went
    (as the notice sheets and day calendars do): a programme printed before the change named it there."""
    day = local_day(away.start, zone)
    if day not in by_day:
        return
    timed = isinstance(away.start, datetime)
    slot = f"{away.start.astimezone(zone):%H:%M}" if timed else ALL_DAY
    key = (slot != ALL_DAY, local_moment(away.start, zone), not main, order.get(entry.street.id, len(order)),
           entry.event.slug, occurrence.index)
    by_day[day].append((key, Row(occurrence, entry, moved_time_text(away, zone), slot, main, True, True, away.text)))


def _tally(campaign: Campaign, entries: Iterable[EventEntry], zone: ZoneInfo, build_date: date,
           days: set[date] | None = None) -> Tally:
    """The campaign's sessions (``campaign_sessions``; those counting on ``days``); 人次 of the
    events having one, as the year's tables count them (``campaign_whole``)."""
    events = sessions = held = attendance = reporting = apart = 0
    for entry in entries:
        own = campaign_sessions(entry, campaign, zone)
        counted = [o for o in own if days is None or campaign_day(o, campaign, zone) in days]
        if not counted:
            continue
        events += 1
        sessions += len(counted)
        held += len(held_sessions(entry, counted, build_date, zone))
        recorded = recorded_attendance(entry, build_date, zone)
        if recorded is None:
            continue
        if campaign_whole(entry, own, zone):
            attendance += recorded
            reporting += 1
        else:
            apart += 1
    return Tally(events, sessions, held, attendance, reporting, apart)


def slots(rows: Iterable[Row]) -> list[tuple[str, list[Row]]]:
    """Rows grouped under their headings, in order (全天 first, then by start time)."""
    groups: list[tuple[str, list[Row]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.slot:
            groups.append((row.slot, []))
        groups[-1][1].append(row)
    return groups


def pages(rows: Sequence[Row], per_page: int) -> list[tuple[Row, ...]]:
    """A long day cut into pages of ``per_page`` sessions (at least one page, maybe empty)."""
    size = max(1, per_page)
    return [tuple(rows[n:n + size]) for n in range(0, len(rows), size)] or [()]


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """What a campaign's calendar files hold of one event: a one-off event whole, or one session of a
    series (its sessions outside the window are not the campaign's), each once."""

    entry: EventEntry
    session: Occurrence | None  # the series' session in the window; None: the event whole
    day: date  # the first day of the window it is listed on

    @property
    def occurrence(self) -> Occurrence:
        return self.session if self.session is not None else self.entry.occurrences[0]


def calendar_items(days: CampaignDays) -> list[CalendarItem]:
    """The window's items in programme order: a series' session moved into the window, called off,
    or moved out of it (listed on its old day: a subscriber had it there) too."""
    items: dict[tuple[str, int], CalendarItem] = {}
    for day in days.days:
        for row in day.rows:
            series = row.entry.event.recurrence is not None
            key = (row.entry.event.slug, row.occurrence.index if series else -1)
            if key not in items:
                items[key] = CalendarItem(row.entry, row.occurrence if series else None, day.day)
    return list(items.values())


def nearest_items(items: Sequence[CalendarItem], build_date: date, past_days: int, zone: ZoneInfo,
                  size: Callable[[CalendarItem], int], budget: int) -> tuple[list[CalendarItem], int]:
    """What a campaign's usual calendar holds when its window is cut into files: the items to come,
    soonest first, then those ended in the last ``past_days``, latest first, as many as fit in
    ``budget`` (as every other calendar chooses); in programme order, with how many to come did not fit."""
    as_of = build_instant(build_date, zone)
    since = build_date - timedelta(days=past_days)
    coming = [item for item in items if not is_over(item.occurrence, as_of)]
    recent = [item for item in reversed(items)
              if is_over(item.occurrence, as_of) and last_local_day(item.occurrence, zone) >= since]
    chosen, used = [], 0
    for number, item in enumerate(coming):
        used += size(item)
        if used > budget:
            return _in_order(items, chosen), len(coming) - number
        chosen.append(item)
    for item in recent:
        used += size(item)
        if used > budget:
            break
        chosen.append(item)
    return _in_order(items, chosen), 0


def _in_order(items: Sequence[CalendarItem], chosen: list[CalendarItem]) -> list[CalendarItem]:
    kept = {id(item) for item in chosen}
    return [item for item in items if id(item) in kept]


@dataclass(frozen=True, slots=True)
class FeedPart:
    """A calendar file holding part of a campaign: one day, one street on one day, or (a street's day
    still too large) one of its numbered pieces."""

    day: date
    street: Street | None
    items: tuple[CalendarItem, ...]
    number: int = 0

    @property
    def key(self) -> str:
        street = f"-{self.street.id}" if self.street else ""
        return f"{self.day.isoformat()}{street}" + (f"-{self.number}" if self.number else "")


def feed_parts(items: Sequence[CalendarItem], size: Callable[[CalendarItem], int], budget: int) -> list[FeedPart]:
    """The campaign's calendar items in files of at most ``budget`` bytes: none when they all fit in
    one; else one per day (an item goes with the first day it is listed on), a day still too large
    one per street of that day, and a street's day still too large in numbered pieces."""
    if sum(size(item) for item in items) <= budget:
        return []
    parts: list[FeedPart] = []
    for day in dict.fromkeys(item.day for item in items):
        mine = tuple(item for item in items if item.day == day)
        if sum(size(item) for item in mine) <= budget:
            parts.append(FeedPart(day, None, mine))
        else:
            parts += _street_parts(day, mine, size, budget)
    return parts


def _street_parts(day: date, items: tuple[CalendarItem, ...], size: Callable[[CalendarItem], int],
                  budget: int) -> list[FeedPart]:
    parts = []
    for ident in dict.fromkeys(item.entry.street.id for item in items):
        mine = tuple(item for item in items if item.entry.street.id == ident)
        street = mine[0].entry.street
        if sum(size(item) for item in mine) <= budget:
            parts.append(FeedPart(day, street, mine))
            continue
        pieces: list[list[CalendarItem]] = [[]]
        for item in mine:
            if pieces[-1] and sum(size(i) for i in pieces[-1]) + size(item) > budget:
                pieces.append([])
            pieces[-1].append(item)
        parts += [FeedPart(day, street, tuple(piece), n) for n, piece in enumerate(pieces, start=1)]
    return parts
