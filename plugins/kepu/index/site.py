"""The site index: every grouping of events, computed once per build and shared by all outputs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import chain
from zoneinfo import ZoneInfo

from kepu.content.dates import as_local, format_day, format_when
from kepu.content.model import (
    STREET_KINDS,
    AreaWords,
    Audience,
    Campaign,
    Category,
    Community,
    Event,
    Occurrence,
    Person,
    Place,
    Programme,
    Registries,
    Street,
    Team,
    Venue,
    ends_at,
    is_over,
)
from kepu.content.recurrence import RULE_END, days_off_text, describe, expand, stopped_text, until_day
from kepu.content.sessions import session_label
from kepu.formats.maps import MapLink, map_links
from kepu.formats.urls import FACET_PREFIX, UrlScheme

DEFAULT_HORIZON_DAYS = 366
DEFAULT_SERIES_PAST_DAYS = 730  # dates of a recurring series shown back this far
HOME_DAYS = 14
# An event postponed to a time not yet known (已延期（新时间待定）) is not over: it stays among the
# events to come, with its status, this long after the day it was planned for; then, with no new
# date written (the check reminds its editor on every run), it goes to the past lists.
POSTPONED_LISTED_DAYS = 60


@dataclass(slots=True)
class EventEntry:
    """An event with everything pages, feeds and indexes show about it, derived once."""

    event: Event
    url: str
    street: Street
    team: Team
    categories: tuple[Category, ...]
    audiences: tuple[Audience, ...]
    occurrences: tuple[Occurrence, ...]
    upcoming: tuple[Occurrence, ...]
    rule_text: str
    street_url: str
    team_url: str
    when: str = ""
    programmes: tuple[Programme, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    place: Place | None = None  # the registered venue
    community: Community | None = None
    speakers: tuple[Person, ...] = ()  # those who agreed to be named (consent: true)
    # The news reporting it: its report: first, then those naming it (events:) dated on or after its
    # first day (a news item cannot report what had not begun: one dated before is a preview, or a
    # report of an earlier event that names this one as the next; those are ``related_news``).
    reports: tuple[str, ...] = ()
    related_news: tuple[str, ...] = ()
    stopped: str = ""  # a series called off from one session on: "2026年12月10日（周四）起停办"
    # The sessions such a series lists after the first one called off (cancelled, at the end of
    # ``occurrences``): shown 已取消, they do not keep the series going.
    trailing: int = 0
    stop_over: bool = False  # … and that first session is over: the series is over
    days_off: str = ""  # "2027年2月7日（周日）不开展": the rule's days left out (exdates) still to come
    # A series' sessions before those listed (over more than SERIES_PAST_DAYS before the build): no
    # page lists them, but a year's figures count them, so they do not change as the years pass.
    earlier: tuple[Occurrence, ...] = ()
    view: str = ""  # a campaign's view of a series (campaign_view): the campaign's id

    @property
    def key(self) -> str:
        """What its card and past-list line are kept by: its slug; a campaign's view, its own."""
        return f"{self.event.slug}@{self.view}" if self.view else self.event.slug

    @property
    def next(self) -> Occurrence | None:
        """The next session held (a series' cancelled session is skipped), else the next one; none
        once a series called off is over (``stop_over``)."""
        if self.stop_over:
            return None
        held = next((o for o in self.upcoming if not o.cancelled), None)
        return held or (self.upcoming[0] if self.upcoming else None)

    @property
    def lasting(self) -> tuple[Occurrence, ...]:
        """The sessions that make the event's life: all but a called-off series' ``trailing`` ones."""
        return self.occurrences[:len(self.occurrences) - self.trailing] or self.occurrences[:1]

    @property
    def last(self) -> Occurrence:
        """Its last session; for a series called off, the last one held before (what a past list
        and its page name once it is over), else the first one called off."""
        lasting = self.lasting
        if self.event.recurrence is not None and self.event.recurrence.stop is not None:
            return next((o for o in reversed(lasting) if not o.cancelled), lasting[-1])
        return lasting[-1]

    @property
    def venue_ids(self) -> tuple[str, tuple[str, ...]]:
        """Its own registered venue's id, and those its moved sessions were moved to ("": none)."""
        recurrence = self.event.recurrence
        return self.event.venue_id, tuple(c.venue_id for c in (recurrence.sessions if recurrence is not None else ()))

    @property
    def venues_named(self) -> set[str]:
        """The ids of the registered venues its calendar entries show."""
        own, moved = self.venue_ids
        return {ident for ident in (own, *moved) if ident}

    @property
    def final(self) -> Occurrence:
        """The last session its calendars carry: ``last``, but for a series called off the first
        session called off (the series ends with it, and its 【已取消】 is the last news a subscriber
        gets): calendars keep the series for their past days after that."""
        return self.lasting[-1]

    @property
    def listed_since(self) -> Occurrence | None:
        """The first session listed when the series began earlier (sessions more than
        SERIES_PAST_DAYS before the build are not listed): its page says 自…以来."""
        first = self.occurrences[0]
        return first if self.event.recurrence is not None and first.start > self.event.start else None

    @property
    def counting_session(self) -> Occurrence:
        """The session a whole event's recorded attendance is counted on (its row in events.csv,
        the year and street figures it adds to): its first one held, ``earlier`` ones included (a
        long series' first session is no longer listed, nor its row in events.csv, but its year
        keeps the people)."""
        return next((o for o in chain(self.earlier, self.occurrences) if not o.cancelled), self.occurrences[0])

    @property
    def is_past(self) -> bool:
        """Over as of the build: every occurrence ended before the build day began, or the first
        session of a series called off did."""
        return not self.upcoming or self.stop_over

    @property
    def held_ends(self) -> datetime:
        """When its last session held is over (sign-up closes then at the latest); ``ends`` when
        none is held."""
        return max((ends_at(o) for o in self.lasting if not o.cancelled), default=self.ends)

    @property
    def ends(self) -> datetime:
        """When the whole event (a series: its last occurrence; one called off: the first session
        not held) is over; see ``ends_at``."""
        return max(ends_at(o) for o in self.lasting)

    @property
    def listed_until(self) -> datetime:
        """When it leaves the events to come: when it is over (``ends``); an event put off with no
        new date, POSTPONED_LISTED_DAYS after that (``_awaiting``)."""
        return _listed_until(self.event, self.ends)

    @property
    def past_occurrences(self) -> tuple[Occurrence, ...]:
        return self.occurrences[: len(self.occurrences) - len(self.upcoming)]

    @property
    def past_cancelled(self) -> int:
        """How many of the past sessions were cancelled: listed with their reason, not held."""
        return sum(1 for occurrence in self.past_occurrences if occurrence.cancelled)

    def map_links(self, city: str = "", district: str = "") -> list[MapLink]:
        """Links to map apps for the shown session's place; places without coordinates are looked
        up in ``city`` (and ``district``: see ``formats.maps``)."""
        venue = self.shown_venue
        return map_links(venue, city, district) if venue else []

    @property
    def shown(self) -> Occurrence:
        """The occurrence a listing shows: the next one, or the last one for past events."""
        return self.next or self.last

    @property
    def shown_venue(self) -> Venue | None:
        """Where the shown session is held: a moved session's new place, else the event's."""
        return self.shown.venue

    def label_of(self, occurrence: Occurrence) -> str:
        """已改期 / 已换地点 / 已取消 when this session of a scheduled event was changed, else ""
        (an event's own status has its own badge)."""
        return session_label(occurrence) if self.event.status == "scheduled" else ""

    @property
    def stop_shown(self) -> bool:
        """The session shown is the one a series is called off from, or one after it (none held is
        left to show): not a single week called off before the stop."""
        return _called_off_by_stop(self.shown, self.event)

    @property
    def shown_label(self) -> str:
        """``label_of`` the shown session; 已停办 when the series is called off from it."""
        return "已停办" if self.stop_shown else self.label_of(self.shown)

    @property
    def session_ends(self) -> datetime | None:
        """A series with more than one session to come: when the session its card shows is
        over (the card's 这一场已结束); None otherwise, and when the session shown is not held (its
        已取消 says what it is: it did not take place)."""
        return ends_at(self.shown) if len(self.upcoming) > 1 and self.shown.held else None


@dataclass(slots=True)
class Facet:
    """A street, team, category, audience, programme, campaign, venue, community or person
    with its events."""

    kind: str
    item: Street | Team | Category | Audience | Programme | Campaign | Place | Community | Person
    url: str
    past_url: str
    upcoming: list[EventEntry] = field(default_factory=list)
    past: list[EventEntry] = field(default_factory=list)
    visiting: list[Visit] = field(default_factory=list)  # a venue's: other events' sessions moved to it
    visited: list[Visit] = field(default_factory=list)  # … and those already held (its calendar keeps them)

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def visits_held(self) -> int:
        """The sessions moved here that are held (one of a series called off stays listed, as 已取消)."""
        return sum(visit.occurrence.held for visit in self.visiting)

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def count(self) -> int:
        return len(self.upcoming) + len(self.past)


@dataclass(frozen=True, slots=True)
class Visit:
    """A session to come of another event, moved to this venue (``recurrence.sessions``' venue):
    the venue's page lists it, at its time (``text``, as ``when_shown``)."""

    occurrence: Occurrence
    entry: EventEntry
    text: str


def _visits(facets: dict[str, Facet], entries: list[EventEntry], zone: ZoneInfo) -> None:
    """Each registered venue's sessions of other events moved there, in time order: those to come
    (``visiting``; one of a series since called off too, as its calendars give it, 已取消: a
    subscriber's item does not vanish) and those listed as held (``visited``)."""
    venues = facets.get("venues", {})
    for entry in entries:
        held = len(entry.occurrences) - len(entry.upcoming)  # how many ``past_occurrences``
        for position, occurrence in enumerate(entry.occurrences):
            facet = venues.get(occurrence.venue_id) if occurrence.elsewhere else None
            if facet is None or entry.event.venue_id == facet.id:
                continue
            if position < held:
                facet.visited.append(Visit(occurrence, entry, when_shown(occurrence, zone)))
            elif not entry.is_past:  # (a series called off and over lists its last ones 已取消, held by none)
                facet.visiting.append(Visit(occurrence, entry, when_shown(occurrence, zone)))
    for facet in venues.values():
        facet.visiting.sort(key=lambda visit: occurrence_key(visit.occurrence, zone))
        facet.visited.sort(key=lambda visit: occurrence_key(visit.occurrence, zone))


@dataclass(frozen=True, slots=True)
class MovedAway:
    """Where an occurrence stood before it moved to another day -- a rescheduled event's
    ``previous_start``, a series session's own date -- as the days there show it: residents who
    read the earlier poster come that day. ``text``: 已改期至 12月22日（周二）14:00."""

    start: date | datetime
    end: date | datetime
    text: str
    ends: str  # the instant its old time was over, ISO with offset (as ``data-ends``)


def moved_away(occurrence: Occurrence, zone: ZoneInfo) -> MovedAway | None:
    """The old time of an occurrence moved to another local day (None for one kept on its day)."""
    event, change = occurrence.event, occurrence.change
    if occurrence.cancelled:  # called off: it went nowhere (its own day says 已取消)
        return None
    if change is not None and change.start is not None:
        original = change.original
    elif change is None and event.recurrence is None and event.shown_status == "rescheduled":
        original = event.previous_start
    else:
        return None
    if local_day(original, zone) == local_day(occurrence.start, zone):
        return None
    if isinstance(original, datetime) != isinstance(event.start, datetime):
        return None  # a day written for a timed event (or the reverse): its old length is not known
    new_day = local_day(occurrence.start, zone)
    text = f"已改期至 {format_day(new_day, with_year=new_day.year != local_day(original, zone).year)}"
    if isinstance(occurrence.start, datetime):
        text += f"{occurrence.start.astimezone(zone):%H:%M}"
    if occurrence.elsewhere:  # and to another place: those who come to the old one are told where
        text += f"，改在{change.venue.name}"
    end = original + (event.end - event.start)
    over = end if isinstance(end, datetime) else datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return MovedAway(original, end, text, over.isoformat())


def when_shown(occurrence: Occurrence, zone: ZoneInfo) -> str:
    """An occurrence's time in the site's zone, as every page and calendar shows it; for an event
    in another time zone, its own local time after it: 2026年12月4日（周五）03:00–04:00（当地时间
    2026年12月3日（周四）19:00–20:00）."""
    start, end = occurrence.start, occurrence.end
    text = format_when(as_local(start, zone), as_local(end, zone))
    if isinstance(start, datetime) and start.utcoffset() != start.astimezone(zone).utcoffset():
        text += f"（当地时间 {format_when(start, end)}）"
    return text


def moved_key(occurrence: Occurrence, away: MovedAway, zone: ZoneInfo) -> tuple:
    """Where the line of the day it moved from stands among that day's (``occurrence_key``'s order)."""
    return local_moment(away.start, zone), occurrence.event.slug, -1


def moved_time_text(away: MovedAway, zone: ZoneInfo) -> str:
    """Its old time as a day shows it: 14:00–15:30, or 全天."""
    if not isinstance(away.start, datetime):
        return "全天"
    return f"{away.start.astimezone(zone):%H:%M}–{away.end.astimezone(zone):%H:%M}"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """An occurrence as a day's agenda lists it (``away``: on the day it moved from)."""

    occurrence: Occurrence
    entry: EventEntry
    time_text: str
    away: MovedAway | None = None


@dataclass(slots=True)
class DayAgenda:
    day: date
    items: list[AgendaItem]


@dataclass(slots=True)
class SiteIndex:
    """Built once per build from the validated events."""

    build_date: date
    timezone: ZoneInfo
    horizon: date
    registries: Registries
    entries: list[EventEntry]
    by_slug: dict[str, EventEntry]
    occurrences: list[Occurrence]
    upcoming: list[EventEntry]
    past: list[EventEntry]
    featured: list[EventEntry]
    facets: dict[str, dict[str, Facet]]
    next_days: list[DayAgenda]
    street_kinds: list[tuple[str, list[Facet]]]
    area_words: AreaWords  # 街镇与功能区…: the kinds of area this district has
    street_teams: dict[str, list[Facet]]
    community_venues: dict[str, list[Facet]]
    reported_in: dict[str, tuple[str, ...]] = field(default_factory=dict)  # news slug → events whose report: it is
    # Venue id → its closure in words (venues.yml closed_from…), for those under way or to come.
    closures: dict[str, str] = field(default_factory=dict)

    @property
    def campaigns_soon(self) -> list[Facet]:
        """Campaigns under way on the build day or beginning within HOME_DAYS, soonest first: the home
        page names them (the science week is the year's largest programme)."""
        last = self.build_date + timedelta(days=HOME_DAYS - 1)
        return sorted((f for f in self.facets.get("campaigns", {}).values()
                       if f.item.start <= last and f.item.end >= self.build_date), key=lambda f: f.item.start)

    @property
    def next_day(self) -> date:
        """The day after the build: pages mark it 今天 too, shown by the reader's clock after midnight."""
        return self.build_date + timedelta(days=1)


def occurrence_key(occurrence: Occurrence, zone: ZoneInfo) -> tuple:
    """Chronological order across all-day and timed events in the site's time zone."""
    return local_moment(occurrence.start, zone), occurrence.event.slug, occurrence.index


def session_community(registries: Registries, entry: EventEntry, occurrence: Occurrence) -> Community | None:
    """The registered community a session is held in: for one moved elsewhere, its registered
    venue's (none for a place written out); else the event's (events.csv's and the summary's)."""
    if not occurrence.elsewhere:
        return entry.community
    place = registries.venues.get(occurrence.venue_id)
    return registries.communities.get(place.community) if place else None


def local_day(value: date | datetime, zone: ZoneInfo) -> date:
    return value.astimezone(zone).date() if isinstance(value, datetime) else value


def build_instant(build_date: date, zone: ZoneInfo) -> datetime:
    """The moment the build's pages stand for: the start of the build day in the site's zone
    (pages are served all day; the script re-checks against the reader's clock)."""
    return datetime.combine(build_date, time.min, tzinfo=zone)


def last_local_day(occurrence: Occurrence, zone: ZoneInfo) -> date:
    if not isinstance(occurrence.end, datetime):
        return occurrence.end
    end = occurrence.end.astimezone(zone)
    first = local_day(occurrence.start, zone)
    if end.time() == time.min and end.date() > first:
        return end.date() - timedelta(days=1)
    return end.date()


def _rule_text(event: Event, occurrences: tuple[Occurrence, ...], horizon: date, zone: ZoneInfo) -> str:
    """The rule in words, 至 its last session when the dates were worked out that far (an UNTIL
    may be an off week's day, or excluded); a series called off from one session on says from when,
    not the end its rule was given to show its cancelled sessions (recurrence.STOP_SHOWN)."""
    if event.recurrence.stop is not None:
        rule = RULE_END.sub("", event.recurrence.rrule)
        return f"{describe(rule, event.all_day, zone, event.start)}，{stopped_text(event.recurrence, zone)}"
    until = until_day(event.recurrence.rrule, zone)
    last = local_day(occurrences[-1].start, zone) if until is not None and until <= horizon else None
    count = None
    if ";COUNT=" in f";{event.recurrence.rrule}":  # all its sessions, from the first: a COUNT ends them
        count = len(expand(event, date(min(event.start.year + 100, 9999), 1, 1)))
    return describe(event.recurrence.rrule, event.all_day, zone, event.start, last, count) + _extra_after(event, until, zone)


EXTRA_NAMED = 3  # extra sessions after a rule's end named in its words; more are counted


def _extra_after(event: Event, until: date | None, zone: ZoneInfo) -> str:
    """；另加开 2月6日（周六）: the extra sessions (rdates) after the rule's end, which 至 … would
    deny (a card showed 2027年2月6日 beside （每周六，至 2027年1月30日））."""
    days = sorted({local_day(value, zone) for value in event.recurrence.rdates} if until is not None else ())
    after = [day for day in days if day > until]
    if not after:
        return ""
    named = "、".join(format_day(day, with_year=day.year != until.year) for day in after[:EXTRA_NAMED])
    return f"；另加开 {named}" + (f"等 {len(after)} 场" if len(after) > EXTRA_NAMED else "")


def _trailing(event: Event, occurrences: tuple[Occurrence, ...]) -> int:
    """How many of a series' sessions come after the first one its stop calls off (``trailing``)."""
    stop = event.recurrence.stop if event.recurrence is not None else None
    if stop is None:
        return 0
    return sum(1 for o in occurrences if o.change is not None and o.change.cancelled and o.change.original > stop.original)


def _news(event: Event, naming: tuple[tuple[str, date | datetime], ...], zone: ZoneInfo,
          dated: Mapping[str, date | datetime] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Its reports (its report: first, then news naming it) and the news naming it from before it
    began (``related_news``): a news item is a report when it is dated on or after the event began
    (at its time when the news has one: a preview of the afternoon's event written that morning is
    not its report). ``dated``: every news item's date, for its report:; a report: dated before the
    event (a preview named by mistake) is related news, not its report."""
    def after(moment: date | datetime) -> bool:
        if isinstance(moment, datetime) and isinstance(event.start, datetime):
            return moment >= event.start
        return (moment.astimezone(zone).date() if isinstance(moment, datetime) else moment) >= local_day(event.start, zone)

    own = event.report and (dated is None or event.report not in dated or after(dated[event.report]))
    reports = tuple(dict.fromkeys((*((event.report,) if own else ()), *(news for news, day in naming if after(day)))))
    early = (*((event.report,) if event.report and not own else ()), *(news for news, day in naming if not after(day)))
    return reports, tuple(news for news in dict.fromkeys(early) if news not in reports)


def _called_off_by_stop(occurrence: Occurrence, event: Event) -> bool:
    """True when the series is called off from this session or an earlier one (a stop's ``from``)."""
    stop = event.recurrence.stop if event.recurrence is not None else None
    change = occurrence.change
    return stop is not None and change is not None and change.cancelled and change.original >= stop.original


def _days_off(event: Event, lasting: tuple[Occurrence, ...], upcoming: tuple[Occurrence, ...], build_date: date,
              zone: ZoneInfo) -> str:
    """``EventEntry.days_off`` over the sessions that make the series' life (``lasting``): its
    exdates, and its sessions cancelled one by one that are still to come, but for one the page
    shows as its next (every session to come cancelled: its 已取消 says it)."""
    if event.recurrence is None or event.status == "cancelled":
        return ""
    held = {local_day(o.start, zone) for o in lasting if not o.cancelled}
    shown = upcoming[0] if upcoming and all(o.cancelled for o in upcoming) else None
    # Not the stop's sessions: the rule's text says 起停办 (those after it are past the last session
    # listed, and days_off_text leaves them out; the stop's first one is the last listed).
    cancelled = {local_day(o.start, zone) for o in upcoming
                 if o.cancelled and o is not shown and not _called_off_by_stop(o, event)}
    return days_off_text(event.recurrence, event.start, zone, build_date, local_day(lasting[-1].start, zone), held,
                         cancelled)


def _earlier(event: Event, occurrences: tuple[Occurrence, ...], zone: ZoneInfo) -> tuple[Occurrence, ...]:
    """``EventEntry.earlier``: the rule's sessions before the first one listed, if any is left out."""
    if event.recurrence is None or occurrences[0].start <= event.start:
        return ()
    listed = {o.index for o in occurrences}
    return tuple(o for o in expand(event, local_day(occurrences[0].start, zone)) if o.index not in listed)


def _awaiting(event: Event, occurrences: tuple[Occurrence, ...], as_of: datetime) -> tuple[Occurrence, ...]:
    """A one-off event postponed to a time not yet known whose planned day has passed: its
    occurrence, while it is listed among those to come (POSTPONED_LISTED_DAYS); else none."""
    ends = ends_at(occurrences[-1])
    until = _listed_until(event, ends)
    return occurrences if ends < until and as_of < until else ()


def _listed_until(event: Event, ends: datetime) -> datetime:
    """When an event over at ``ends`` leaves the events to come: then; one-off event postponed to a
    time not yet known (已延期（新时间待定）), POSTPONED_LISTED_DAYS later."""
    waits = event.shown_status == "postponed" and event.recurrence is None
    return ends + timedelta(days=POSTPONED_LISTED_DAYS) if waits else ends


def _entry(event: Event, registries: Registries, urls: UrlScheme, horizon: date,
           build_date: date, zone: ZoneInfo, since: date, naming: tuple[tuple[str, date | datetime], ...] = (),
           dated: Mapping[str, date | datetime] | None = None) -> EventEntry:
    occurrences = tuple(expand(event, horizon, since))
    if not occurrences:  # a rule whose dates all fall outside the horizon or are excluded
        occurrences = (Occurrence(event, event.start, event.end, 0),)
    as_of = build_instant(build_date, zone)
    upcoming = tuple(o for o in occurrences if not is_over(o, as_of)) or _awaiting(event, occurrences, as_of)
    rule_text = _rule_text(event, occurrences, horizon, zone) if event.recurrence else ""
    trailing = _trailing(event, occurrences)
    reports, related = _news(event, naming, zone, dated)
    entry = EventEntry(
        event=event,
        url=urls.url("EVENT", slug=event.slug),
        street=registries.streets[event.street],
        team=registries.teams[event.team],
        categories=tuple(registries.categories[c] for c in event.categories),
        audiences=tuple(registries.audiences[a] for a in event.audiences),
        occurrences=occurrences,
        upcoming=upcoming,
        rule_text=rule_text,
        street_url=urls.url("STREET", id=event.street),
        team_url=urls.url("TEAM", id=event.team),
        programmes=tuple(registries.programmes[p] for p in event.programmes),
        campaigns=tuple(registries.campaigns[c] for c in campaign_ids(event, occurrences, registries, zone)),
        place=registries.venues.get(event.venue_id),
        community=registries.communities.get(event.community_id),
        speakers=tuple(p for i in event.speakers if (p := registries.listed("people").get(i))),
        reports=reports,
        related_news=related,
        stopped=stopped_text(event.recurrence, zone),
        trailing=trailing,
        stop_over=event.recurrence is not None and event.recurrence.stop is not None and all(
            is_over(o, as_of) for o in occurrences[:len(occurrences) - trailing]),
        days_off=_days_off(event, occurrences[:max(len(occurrences) - trailing, 1)], upcoming, build_date, zone),
        earlier=_earlier(event, occurrences, zone),
    )
    shown = entry.shown
    entry.when = when_shown(shown, zone)
    return entry


def build_index(events: list[Event], registries: Registries, urls: UrlScheme, build_date: date,
                timezone: str = "Asia/Shanghai", horizon_days: int = DEFAULT_HORIZON_DAYS,
                home_days: int = HOME_DAYS, series_past_days: int = DEFAULT_SERIES_PAST_DAYS,
                news_naming: Mapping[str, tuple[tuple[str, date | datetime], ...]] | None = None,
                news_dates: Mapping[str, date | datetime] | None = None) -> SiteIndex:
    """Expand recurrences once and group everything in a single pass over the events.
    ``news_naming``: event slug → the news items naming it (their events:) with their dates (a day, or
    a time when the news has one), newest first; ``news_dates``: every news item's date, by slug."""
    zone = ZoneInfo(timezone)
    horizon = build_date + timedelta(days=horizon_days)
    published = sorted((e for e in events if not e.draft), key=lambda e: e.slug)
    since = build_date - timedelta(days=series_past_days)
    naming = news_naming or {}
    entries = [_entry(e, registries, urls, horizon, build_date, zone, since, naming.get(e.slug, ()), news_dates)
               for e in published]
    occurrences = sorted((o for e in entries for o in e.occurrences),
                         key=lambda o: occurrence_key(o, zone))
    upcoming = sorted((e for e in entries if not e.is_past),
                      key=lambda e: occurrence_key(e.shown, zone))
    past = sorted((e for e in entries if e.is_past),
                  key=lambda e: occurrence_key(e.shown, zone), reverse=True)
    facets = _facets(registries, urls, upcoming, past, zone)
    _visits(facets, entries, zone)
    return SiteIndex(
        build_date=build_date,
        timezone=zone,
        horizon=horizon,
        registries=registries,
        entries=entries,
        by_slug={e.event.slug: e for e in entries},
        occurrences=occurrences,
        upcoming=upcoming,
        past=past,
        featured=[e for e in upcoming if e.event.featured],
        facets=facets,
        next_days=_agenda(occurrences, {e.event.slug: e for e in entries}, build_date,
                          home_days, zone),
        street_kinds=[(kind, [f for f in facets["streets"].values() if f.item.kind == kind])
                      for kind in STREET_KINDS],
        area_words=registries.area_words(),
        street_teams={ident: [t for t in facets["teams"].values() if t.item.street == ident]
                      for ident in registries.streets},
        community_venues={ident: [v for v in facets["venues"].values() if v.item.community == ident]
                          for ident in facets["communities"]},
        reported_in=_reported_in(entries),
        closures={ident: place.closure_text for ident, place in registries.venues.items()
                  if place.closure_ahead(build_date)},
    )


def _reported_in(entries: list[EventEntry]) -> dict[str, tuple[str, ...]]:
    """News slug → the events naming it as their report (report:): its page links back to them."""
    found: dict[str, list[str]] = {}
    for entry in entries:
        if entry.event.report and entry.event.report in entry.reports:  # a report: dated before it is not
            found.setdefault(entry.event.report, []).append(entry.event.slug)
    return {news: tuple(slugs) for news, slugs in found.items()}


def _facets(registries: Registries, urls: UrlScheme, upcoming: list[EventEntry],
            past: list[EventEntry], zone: ZoneInfo) -> dict[str, dict[str, Facet]]:
    facets: dict[str, dict[str, Facet]] = {}
    for kind, prefix in FACET_PREFIX.items():
        facets[kind] = {
            ident: Facet(kind, item, urls.url(prefix, id=ident), urls.url(f"{prefix}_PAST", id=ident))
            for ident, item in registries.listed(kind).items()
        }
    campaigns: dict[str, list[EventEntry]] = defaultdict(list)
    for bucket, entries in (("upcoming", upcoming), ("past", past)):
        for entry in entries:
            for kind, idents in _members(entry, registries):
                for ident in idents:
                    if kind == "campaigns" and ident in facets[kind]:
                        campaigns[ident].append(entry)
                    elif kind != "campaigns" and ident in facets[kind]:  # people: only those named publicly
                        getattr(facets[kind][ident], bucket).append(entry)
    for ident, members in campaigns.items():
        _campaign_lists(facets["campaigns"][ident], members, zone)
    return facets


def _campaign_lists(facet: Facet, members: list[EventEntry], zone: ZoneInfo) -> None:
    """A campaign's lists: its events as ``campaign_view`` shows them, coming ones soonest first and
    those over latest first, as every list is ordered."""
    views = [campaign_view(entry, facet.item, zone) for entry in members]
    facet.upcoming = sorted((v for v in views if not v.is_past), key=lambda v: occurrence_key(v.shown, zone))
    facet.past = sorted((v for v in views if v.is_past), key=lambda v: occurrence_key(v.shown, zone), reverse=True)


def campaign_view(entry: EventEntry, campaign: Campaign, zone: ZoneInfo) -> EventEntry:
    """A series as a campaign's lists, embed and Atom feed show it: by its sessions in the window (one
    moved into it, or moved out of it from a day in it, too), the next of them shown, and over when
    they are (its other sessions are not the campaign's); a one-off event, or a series all in the
    window, as it is. The figures and programme read the event itself (``SiteIndex.by_slug``)."""
    if entry.event.recurrence is None:
        return entry
    window = tuple(o for o in entry.occurrences if in_window(o, campaign, zone))
    if not window or len(window) == len(entry.occurrences):
        return entry
    kept = {o.index for o in window}
    trailing = {o.index for o in entry.occurrences[len(entry.occurrences) - entry.trailing:]} if entry.trailing else set()
    view = replace(entry, occurrences=window, upcoming=tuple(o for o in entry.upcoming if o.index in kept),
                   trailing=sum(1 for o in window if o.index in trailing), earlier=(), view=campaign.id)
    view.when = when_shown(view.shown, zone)
    return view


def in_window(occurrence: Occurrence, campaign: Campaign, zone: ZoneInfo) -> bool:
    """The session is the campaign's: it touches the window, or it moved away from a day in it."""
    return any(campaign.touches(first, last) for first, last in _listed_days(occurrence, zone))


def _listed_days(occurrence: Occurrence, zone: ZoneInfo) -> list[tuple[date, date]]:
    """The days a session is listed on, as (first, last): its own; one moved to another day is
    listed on its old day too, 已改期至… (a resident had it there)."""
    days = [(local_day(occurrence.start, zone), last_local_day(occurrence, zone))]
    away = moved_away(occurrence, zone)
    if away is not None:
        days.append((local_day(away.start, zone),) * 2)
    return days


def _members(entry: EventEntry, registries: Registries) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The groupings an event is listed in; a programme's events are also its parent's; a campaign's
    are also the events it implies (campaign_ids)."""
    event = entry.event
    programmes = tuple(dict.fromkeys(a for p in event.programmes for a in registries.ancestors(p)))
    return (
        ("streets", (event.street,)),
        ("teams", (event.team,)),
        ("categories", event.categories),
        ("audiences", event.audiences),
        ("programmes", programmes),
        ("campaigns", tuple(c.id for c in entry.campaigns)),
        ("venues", (event.venue_id,) if event.venue_id else ()),
        ("communities", (event.community_id,) if event.community_id else ()),
        ("people", event.speakers),
    )


def campaign_ids(event: Event, occurrences: tuple[Occurrence, ...], registries: Registries,
                 zone: ZoneInfo) -> tuple[str, ...]:
    """The campaigns an event belongs to: those it names, then each ``implied: true`` campaign
    whose window one of its sessions touches (a cancelled one too: it is shown as such)."""
    implied = [c for c in registries.campaigns.values() if c.implied]
    if not implied:
        return event.campaigns
    days = [span for o in occurrences for span in _listed_days(o, zone)]  # a session moved out of it too
    joined = (c.id for c in implied if any(c.touches(first, last) for first, last in days))
    return tuple(dict.fromkeys((*event.campaigns, *joined)))


def _agenda(occurrences: list[Occurrence], entries: dict[str, EventEntry], first: date,
            days: int, zone: ZoneInfo) -> list[DayAgenda]:
    """Occurrences touching [first, first + days), each under its first day in the window."""
    last = first + timedelta(days=days - 1)
    by_day: dict[date, list[AgendaItem]] = defaultdict(list)
    for occurrence in occurrences:
        start_day = local_day(occurrence.start, zone)
        if start_day > last or last_local_day(occurrence, zone) < first:
            continue
        text = time_text(occurrence, zone) if start_day >= first else under_way_text(occurrence, zone)
        by_day[max(start_day, first)].append(AgendaItem(occurrence, entries[occurrence.event.slug], text))
    for occurrence in occurrences:  # on the day it moved from, in its old time's place
        away = moved_away(occurrence, zone)
        if away is not None and first <= local_day(away.start, zone) <= last:
            items = by_day[local_day(away.start, zone)]
            item = AgendaItem(occurrence, entries[occurrence.event.slug], moved_time_text(away, zone), away)
            items.insert(sum(_agenda_start(i, zone) <= local_moment(away.start, zone) for i in items), item)
    return [DayAgenda(day, by_day[day]) for day in sorted(by_day)]


def local_moment(value: date | datetime, zone: ZoneInfo) -> datetime:
    """A start as a naive local moment (a day: its 00:00), to order a day's lines."""
    return value.astimezone(zone).replace(tzinfo=None) if isinstance(value, datetime) else datetime.combine(value, time.min)


def _agenda_start(item: AgendaItem, zone: ZoneInfo) -> datetime:
    return local_moment(item.away.start if item.away else item.occurrence.start, zone)


def under_way_text(occurrence: Occurrence, zone: ZoneInfo) -> str:
    """What the agenda shows for an occurrence that began before its first day: 进行中，至 12月20日
    17:00 (not its first day's start time, as if it began that day), or 全天，至 12月20日."""
    if not isinstance(occurrence.start, datetime):
        return time_text(occurrence, zone)
    last, end = last_local_day(occurrence, zone), occurrence.end.astimezone(zone)
    return f"进行中，至 {last.month}月{last.day}日 {end:%H:%M}"


def began_text(occurrence: Occurrence, zone: ZoneInfo) -> str:
    """For paper and printed programmes (read for days, so nothing relative like 进行中): a session
    listed on a day after its first says when it began: 自 12月18日（周五） 09:00 起，至 12月20日 17:00,
    or 自 5月18日（周一）起，全天，至 5月24日."""
    first, last = local_day(occurrence.start, zone), last_local_day(occurrence, zone)
    began = format_day(first, with_year=False)
    if not isinstance(occurrence.start, datetime):
        return f"自 {began}起，全天，至 {last.month}月{last.day}日"
    start, end = occurrence.start.astimezone(zone), occurrence.end.astimezone(zone)
    return f"自 {began} {start:%H:%M} 起，至 {last.month}月{last.day}日 {end:%H:%M}"


def time_text(occurrence: Occurrence, zone: ZoneInfo) -> str:
    """What a day's agenda shows: 14:00–16:00, 全天, or 至 12月20日 for multi-day events."""
    first, last = local_day(occurrence.start, zone), last_local_day(occurrence, zone)
    if isinstance(occurrence.start, datetime):
        start = occurrence.start.astimezone(zone)
        end = occurrence.end.astimezone(zone)
        if first == last:
            return f"{start:%H:%M}–{end:%H:%M}"
        return f"{start:%H:%M} 至 {last.month}月{last.day}日 {end:%H:%M}"
    return "全天" if first == last else f"全天，至 {last.month}月{last.day}日"
