"""The association's figures: events and sessions per month, street, category and audience."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from kepu.content.model import STATUS_LABELS, STREET_KINDS, Campaign
from kepu.index.site import EventEntry, SiteIndex, last_local_day, local_day


@dataclass(slots=True)
class Row:
    """One line of a table (and one bar of its chart)."""

    key: str
    label: str
    events: int = 0
    sessions: int = 0
    url: str = ""
    attendance: int = 0  # 人次: the sum of its events' recorded attendance
    recorded: int = 0  # of its events, those with attendance recorded
    depth: int = 0  # a programme inside another: 1, 2, ...
    held: int = 0  # of its 场次, those over before the build date (the rest are planned)
    elsewhere: int = 0  # of its events, those whose recorded attendance counts in another year

    @property
    def people(self) -> int | str:
        """人次 as the tables (page, CSV, XLSX) show it: 未登记 when none of its events recorded
        attendance (0 when those that did are counted in another year, or it had no event)."""
        return self.attendance if self.recorded else 0 if self.elsewhere or not self.events else "未登记"


class Tally:
    """项, 场次 and 人次 per key, each event counted once per key however often it names it."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    def add(self, keys: Iterable[str], sessions: int, attendance: int | None, held: int = 0,
            elsewhere: bool = False) -> None:
        for key in dict.fromkeys(keys):
            row = self.rows.setdefault(key, Row(key, key))
            row.events += 1
            row.sessions += sessions
            row.held += held
            row.elsewhere += elsewhere
            if attendance is not None:
                row.attendance += attendance
                row.recorded += 1

    def row(self, key: str, label: str, url: str = "", depth: int = 0) -> Row:
        """The key's figures (zeros when it had none) under its shown label."""
        found = self.rows.get(key, Row(key, key))
        return Row(key, label, found.events, found.sessions, url, found.attendance, found.recorded, depth,
                   found.held, found.elsewhere)


@dataclass(slots=True)
class Figures:
    """Counts for one scope (the district or a street) in one year, or in all years."""

    year: int | None
    events: int = 0  # 项: see counted_sessions (cancelled events are not counted)
    sessions: int = 0  # 场次: see counted_sessions
    held: int = 0  # of those, sessions that ended before the build date
    cancelled: int = 0
    rescheduled: int = 0  # postponed to a new date (已改期)
    postponed: int = 0  # postponed, new date not yet known (已延期)
    waiting: int = 0  # 场次 not held on their date and not planned: a one-off event postponed, no new date yet
    called_off: int = 0  # a series' sessions called off (on their own, or by its stop): no 场次, counted apart
    recurring: int = 0
    online: int = 0
    rural: int = 0  # events in a township-level area (镇, 乡, 苏木) or in a village (村)
    free: int = 0  # events without a cost
    places: int = 0  # 名额 offered: each session's capacity, summed
    capacity_events: int = 0  # events that give a capacity
    teams: int = 0
    attendance: int = 0
    attendance_events: int = 0  # events whose recorded attendance counts here
    attendance_elsewhere: int = 0  # events of this year whose recorded attendance counts in another
    reports: int = 0  # news items reporting the counted events (report: or the news naming them)
    months: list[Row] = field(default_factory=list)
    streets: list[Row] = field(default_factory=list)
    kinds: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    audiences: list[Row] = field(default_factory=list)

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        """(已取消, n), (已改期, n), (已延期, n): the words of every other page."""
        return [(STATUS_LABELS[key], getattr(self, key)) for key in ("cancelled", "rescheduled", "postponed")]

    @property
    def planned(self) -> int:
        """场次 still to be held at their date (计划中): neither held nor waiting for a new date."""
        return self.sessions - self.held - self.waiting

    @property
    def rural_label(self) -> str:
        """镇和村 (乡、镇和村…): the township-level kinds this district has, and villages."""
        kinds = [row.key for row in self.kinds if row.key in RURAL_KINDS]
        return "、".join(kinds) + "和村" if kinds else "村"

    @property
    def rural_share(self) -> float:
        """Percent of the events held in a 镇/乡/苏木 or in a village (see ``rural``)."""
        return self.rural / self.events * 100 if self.events else 0.0


def every_session(entry: EventEntry) -> tuple:
    """All its sessions the figures count from: those listed and a long series' ``earlier`` ones."""
    return (*entry.earlier, *entry.occurrences) if entry.earlier else entry.occurrences


def _sessions(entry: EventEntry, year: int | None, zone: ZoneInfo) -> list:
    """The year's sessions (a series' cancelled session is none; a cancelled event is counted apart)."""
    return [o for o in every_session(entry) if not (o.change is not None and o.change.cancelled)
            and (year is None or local_day(o.start, zone).year == year)]


RURAL_KINDS = ("镇", "乡", "苏木")  # township-level areas; a 街道 or 功能区 is urban
VILLAGE = "村"


def is_rural(entry: EventEntry) -> bool:
    """Held in a township-level area, or in a village of any area (a 街道 has villages too)."""
    return entry.street.kind in RURAL_KINDS or (entry.community is not None and entry.community.kind == VILLAGE)


def held_sessions(entry: EventEntry, sessions: list, build_date, zone: ZoneInfo) -> list:
    """Those of the event's sessions that were held: over before the build date (the rest are
    planned). A one-off event postponed with no new date yet (已延期) was not held on its date."""
    if entry.event.shown_status == "postponed" and entry.event.recurrence is None:
        return []
    return [o for o in sessions if last_local_day(o, zone) < build_date]


def recorded_attendance(entry: EventEntry, build_date, zone: ZoneInfo) -> int | None:
    """The event's recorded 人次 as the figures and events.csv count it: none for a cancelled event,
    nor while its first session is not held (人次 are recorded after an event, not expected ones).
    Over before the build day is what ``entry.upcoming`` leaves out too, which the outputs made from
    an entry are keyed by."""
    attendance = entry.event.attendance
    if attendance is None or entry.event.status == "cancelled":
        return None
    return attendance if held_sessions(entry, [entry.counting_session], build_date, zone) else None


ATTENDANCE_NOTE = ("参加人数按整项活动登记，只计入一年：它第一场（取消的场次不算）所在的年份，"
                   "跨年的重复活动不在其他年份重复计入。")


def counted_attendance(entry: EventEntry, year: int | None, build_date, zone: ZoneInfo) -> int | None:
    """The event's recorded 人次 as ``year``'s figures count it: one number for the whole event
    (``recorded_attendance``), counted in the year of the session events.csv writes it on, so the
    years add up to the whole (a series from November into February is counted once, not in both
    years); None in its other years (see ``counted_elsewhere``) and when none is counted."""
    attendance = recorded_attendance(entry, build_date, zone)
    if attendance is None or year is None:
        return attendance
    return attendance if local_day(entry.counting_session.start, zone).year == year else None


def counted_elsewhere(entry: EventEntry, year: int | None, build_date, zone: ZoneInfo) -> bool:
    """Counted, in another year than ``year``: its 人次 here are 0, not 未登记."""
    return year is not None and recorded_attendance(entry, build_date, zone) is not None and \
        local_day(entry.counting_session.start, zone).year != year


def counted_sessions(entry: EventEntry, year: int | None, zone: ZoneInfo) -> list:
    """The one definition of what the figures count, everywhere they are shown.

    场次 (a session): one occurrence of an event that starts, in local time, in ``year``
    (None: any year); a recurring event has one per date. 项 (an event): one event file, a
    recurring series included, counted once when it has at least one 场次 here. A cancelled
    event has none: it is counted apart, as 已取消, and never in 项 or 场次 (nor in any table),
    so every row has 场次 ≥ 项 and the rows of the streets add up to the district's total. A series'
    cancelled session (``recurrence.sessions``) is not a 场次 either.
    """
    return [] if entry.event.status == "cancelled" else _sessions(entry, year, zone)


def campaign_sessions(entry: EventEntry, campaign: Campaign, zone: ZoneInfo) -> list:
    """The 场次 an event holds for a campaign (as its page and the year's tables count them): its
    counted sessions touching the window, a session begun the evening before included; a series'
    other sessions are not the campaign's, whether it names the campaign or is in it by ``implied``."""
    return [o for o in counted_sessions(entry, None, zone)
            if local_day(o.start, zone) <= campaign.end and last_local_day(o, zone) >= campaign.start]


def campaign_day(occurrence, campaign: Campaign, zone: ZoneInfo):
    """The window's day a campaign's session counts on: its first day, or the window's first."""
    return max(local_day(occurrence.start, zone), campaign.start)


def campaign_whole(entry: EventEntry, sessions: list, zone: ZoneInfo) -> bool:
    """All the event's sessions are the campaign's (``sessions``: its ``campaign_sessions``): only
    then do its recorded 人次 count for the campaign. A series going on outside the window records
    its people as a whole, which cannot be split: they are said apart, not as 未登记."""
    return len(sessions) == len(counted_sessions(entry, None, zone))


def figures(index: SiteIndex, year: int | None = None, entries: Iterable[EventEntry] | None = None,
            facet_urls: dict[str, dict[str, str]] | None = None) -> Figures:
    """Count the events of ``year`` (None: all years) among ``entries`` (default: all)."""
    zone, registries = index.timezone, index.registries
    urls = facet_urls or {}
    result = Figures(year)
    months: Counter = Counter()
    held_months: Counter = Counter()
    kinds: Counter = Counter()
    per = {kind: Tally() for kind in ("streets", "categories", "audiences")}
    teams = set()
    reports: set[str] = set()  # news items, each counted once however many events it reports
    for entry in index.entries if entries is None else entries:
        event = entry.event
        if event.status == "cancelled":
            result.cancelled += bool(_sessions(entry, year, zone))
            continue
        if event.recurrence is not None and event.recurrence.sessions:  # (only a series' own changes call one off)
            result.called_off += sum(1 for o in every_session(entry) if o.change is not None and o.change.cancelled
                                     and (year is None or local_day(o.start, zone).year == year))
        sessions = counted_sessions(entry, year, zone)
        if not sessions:
            continue
        result.events += 1
        teams.add(event.team)
        result.rescheduled += event.shown_status == "rescheduled"
        result.postponed += event.shown_status == "postponed"
        result.recurring += event.recurrence is not None
        result.online += bool(event.online)
        reports.update(entry.reports)
        attendance = counted_attendance(entry, year, index.build_date, zone)
        elsewhere = counted_elsewhere(entry, year, index.build_date, zone)
        if attendance is not None:
            result.attendance += attendance
            result.attendance_events += 1
        result.attendance_elsewhere += elsewhere
        kinds[entry.street.kind] += 1
        result.rural += is_rural(entry)
        result.free += event.is_free
        capacity = event.registration.capacity if event.registration else None
        if capacity:
            result.capacity_events += 1
            result.places += capacity * len(sessions)
        over = held_sessions(entry, sessions, index.build_date, zone)
        for kind, keys in (("streets", (event.street,)), ("categories", event.categories),
                           ("audiences", event.audiences)):
            per[kind].add(keys, len(sessions), attendance, len(over), elsewhere)
        result.sessions += len(sessions)
        result.held += len(over)
        result.waiting += len(sessions) if event.shown_status == "postponed" and event.recurrence is None else 0
        months.update(local_day(o.start, zone).month for o in sessions)
        held_months.update(local_day(o.start, zone).month for o in over)
    result.teams = len(teams)
    result.reports = len(reports)
    if year is not None:
        result.months = [Row(f"{m:02d}", f"{m}月", sessions=months[m], held=held_months[m]) for m in range(1, 13)]
    has = {street.kind for street in registries.streets.values()}  # a row for each kind the district has
    result.kinds = [Row(kind, kind, kinds[kind]) for kind in STREET_KINDS if kind in has]
    for kind in ("streets", "categories", "audiences"):
        # The district's table lists every street (an upward form does): none held is a figure too.
        every = kind == "streets" and entries is None
        setattr(result, kind, _rows(getattr(registries, kind), per[kind], urls.get(kind, {}), every))
    return result


def _rows(registry: dict, tally: Tally, urls: dict[str, str], every: bool = False) -> list[Row]:
    """Rows in registry order (stable), largest first, omitting zeros unless ``every``."""
    rows = [tally.row(ident, item.name, urls.get(ident, "")) for ident, item in registry.items()
            if every or ident in tally.rows]
    return sorted(rows, key=lambda row: -row.events)


def years(entries: Iterable[EventEntry], zone: ZoneInfo) -> list[int]:
    """Every year in which some event has a session, ascending."""
    return sorted({local_day(o.start, zone).year for e in entries for o in every_session(e)})
