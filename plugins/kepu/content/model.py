"""Data classes for registries, events and their occurrences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from kepu.content.dates import format_clock, format_day

STATUSES = ("scheduled", "cancelled", "postponed", "full")
COST_TAG_CHARS = 10  # a longer cost is tagged 收费 on cards
FREE_WORDS = ("免费", "不收费", "0元", "0 元", "零元")  # a cost that says free, maybe with more words after it
PRICE = re.compile(r"[1-9][0-9]*(?:\.[0-9]+)?\s*元")  # …unless it names a price (免费接送，门票 30 元)
# The words residents read for each shown status (Event.shown_status), on pages, cards,
# calendar files, open data, the change feed, filters and statistics: defined here only.
# ``postponed`` with ``previous_start`` has its new date (``start``): it is shown as
# rescheduled, 已改期. Without ``previous_start`` the new date is not known yet: 已延期.
STATUS_LABELS = {
    "scheduled": "正常举办",
    "cancelled": "已取消",
    "rescheduled": "已改期",
    "postponed": "已延期",
    "full": "名额已满",
}
TO_BE_ANNOUNCED = "新时间待定"
# What a title says in its 【】 (pages' and shared cards' titles, calendar and Atom entries): a
# status read beside the event's date. 已延期 there read as "put off to this date".
TITLE_LABELS = {**STATUS_LABELS, "postponed": "延期待定"}
# Township-level areas (乡 includes 民族乡; 苏木 is Inner Mongolia's), and 功能区: a development
# zone administered as one, named after the others.
STREET_KINDS = ("街道", "镇", "乡", "苏木", "功能区")
ZONE_KIND = "功能区"
PROGRAMME_LEVELS = ("国家", "市", "区", "街镇")
COMMUNITY_KINDS = ("社区", "村")
VENUE_KINDS = ("科普基地", "社区中心", "学校", "医院", "农业基地", "场馆", "企业", "公园", "其他")
BASE_LEVELS = ("全国", "市级", "区级")  # 科普基地 levels


def listed(words: list[str] | tuple[str, ...], conjunction: str = "和") -> str:
    """甲、乙和丙."""
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + conjunction + words[-1]


_TOGETHER = {frozenset({"街道", "镇"}): "街镇", frozenset({"乡", "镇"}): "乡镇", frozenset({"街道", "镇", "乡"}): "乡镇街道"}


@dataclass(frozen=True, slots=True)
class AreaWords:
    """How pages name a district's kinds of area, from the kinds it has: 街镇与功能区 (a heading),
    26 个街镇和功能区 (counted), 各街道、镇和功能区 (listed), 哪个街道、镇或功能区 (either), and
    街镇 (short: the header's and footer's link to the heading's page, words of its heading)."""

    heading: str
    counted: str
    listed: str
    either: str = "街镇"
    short: str = "街镇"

    @classmethod
    def of(cls, kinds: set[str] | frozenset[str]) -> AreaWords:
        present = [kind for kind in STREET_KINDS if kind in kinds]
        if not present:
            return cls("街镇", "街镇", "街镇")
        core = [kind for kind in present if kind != ZONE_KIND]
        together = _TOGETHER.get(frozenset(core)) or "、".join(core)
        both = core and ZONE_KIND in present
        return cls(f"{together}与{ZONE_KIND}" if both else together or ZONE_KIND,
                   f"{together}和{ZONE_KIND}" if both else together or ZONE_KIND,
                   listed(present), listed(present, "或"), together or ZONE_KIND)


@dataclass(frozen=True, slots=True)
class Street:
    id: str
    name: str
    kind: str
    order: int
    area: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    street: str = ""
    contact: str = ""
    description: str = ""
    email: str = ""  # the team's address: calendars name it as the organizer (mailto:)


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Audience:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Synonym:
    """Words residents type for the same thing (卒中、脑卒中、中风): search finds each by the others."""

    id: str
    name: str
    words: tuple[str, ...] = ()
    description: str = ""

    @property
    def group(self) -> tuple[str, ...]:
        return (self.name, *(w for w in self.words if w != self.name))


@dataclass(frozen=True, slots=True)
class Programme:
    """A brand programme (a named line of events, e.g. a lecture series); ``parent`` contains it (a
    county-wide programme its local projects)."""

    id: str
    name: str
    level: str = ""
    parent: str = ""
    owners: tuple[str, ...] = ()  # team ids
    description: str = ""


@dataclass(frozen=True, slots=True)
class Campaign:
    """A campaign with a date window (科技活动周, 全国科普日); ``main_event`` is an event's slug.

    ``implied``: every event held in the window belongs to it without naming it (``campaigns:``)."""

    id: str
    name: str
    start: date
    end: date
    edition: str = ""
    main_event: str = ""
    description: str = ""
    implied: bool = False

    def touches(self, first: date, last: date) -> bool:
        return first <= self.end and last >= self.start


@dataclass(frozen=True, slots=True)
class Community:
    id: str
    name: str
    kind: str
    street: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """A registered venue (venues.yml); coordinates are WGS-84, like inline venues."""

    id: str
    name: str
    kind: str
    street: str
    community: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    hours: str = ""
    accessibility: str = ""
    base_level: str = ""
    description: str = ""
    # Closed for a while (renovation…): from this day, until this day (None: until further notice).
    closed_from: date | None = None
    closed_until: date | None = None
    closed_note: str = ""
    # Names it went by before (most recent first): residents still look for it by them.
    former_names: tuple[str, ...] = ()

    @property
    def venue(self) -> Venue:
        return Venue(self.name, self.address, self.lat, self.lon)

    def closed_on(self, day: date) -> bool:
        return self.closed_from is not None and self.closed_from <= day and (
            self.closed_until is None or day <= self.closed_until)

    def closure_ahead(self, today: date) -> bool:
        """A closure to say on its pages: one under way or to come (one over is not news)."""
        return self.closed_from is not None and (self.closed_until is None or self.closed_until >= today)

    @property
    def closure_text(self) -> str:
        """2027年3月27日（周六）至6月30日（周三）暂停开放。闭馆装修"""
        start, until = self.closed_from, self.closed_until
        if start is None:
            return ""
        text = (f"{format_day(start)}至{format_day(until, with_year=until.year != start.year)}暂停开放" if until
                else f"{format_day(start)}起暂停开放，恢复开放的时间另行通知")
        return f"{text}。{self.closed_note}" if self.closed_note else text

    @property
    def has_geo(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class RouteStop:
    """One stop of a study route: a registered venue, with what to do there."""

    venue: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    """A 科普路线 (routes.yml): registered venues visited in order."""

    id: str
    name: str
    stops: tuple[RouteStop, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    """An expert or speaker; only with ``consent`` is the person named on the public site."""

    id: str
    name: str
    title: str = ""
    field: str = ""
    organisation: str = ""
    consent: bool = False
    description: str = ""


@dataclass(frozen=True, slots=True)
class Registries:
    """Every registry, keyed by id, in display order.

    ``declared``: the optional registries whose file exists (a site without communities.yml
    keeps ``community:`` as free text)."""

    streets: dict[str, Street]
    teams: dict[str, Team]
    categories: dict[str, Category]
    audiences: dict[str, Audience]
    synonyms: dict[str, Synonym] = field(default_factory=dict)  # optional: synonyms.yml
    programmes: dict[str, Programme] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    venues: dict[str, Place] = field(default_factory=dict)
    communities: dict[str, Community] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)  # optional: routes.yml
    declared: frozenset[str] = frozenset()
    folder: str = "content/data"  # where the files are, as messages name it

    def file(self, kind: str) -> str:
        """A registry's file as messages name it (``kind``: streets, venues…)."""
        return f"{self.folder}/{kind}.yml"

    def area_words(self) -> AreaWords:
        """How pages name the kinds of area of this district's streets."""
        return AreaWords.of({street.kind for street in self.streets.values()})

    def listed(self, kind: str) -> dict:
        """The items of a registry that get public pages: people only with their consent."""
        items = getattr(self, kind)
        if kind == "people":
            return {ident: person for ident, person in items.items() if person.consent}
        return items

    def ancestors(self, programme: str) -> tuple[str, ...]:
        """A programme and the programmes containing it, innermost first (a cycle is cut)."""
        chain: list[str] = []
        while programme in self.programmes and programme not in chain:
            chain.append(programme)
            programme = self.programmes[programme].parent
        return tuple(chain)


@dataclass(frozen=True, slots=True)
class Venue:
    name: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def has_geo(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class Registration:
    required: bool = False
    url: str = ""
    phone: str = ""
    email: str = ""
    deadline: date | None = None
    capacity: int | None = None
    note: str = ""

    def closes(self, zone: tzinfo) -> datetime | None:
        """The instant sign-up closes: the end of the deadline day in the event's time zone."""
        return None if self.deadline is None else datetime.combine(self.deadline + timedelta(days=1), time(), zone)


@dataclass(frozen=True, slots=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class SessionChange:
    """One session of a series cancelled, or moved to another time or place (`recurrence.sessions`).

    ``original`` is the session as the rule gives it (a calendar's RECURRENCE-ID); ``start``/``end``
    are its new time when it moved (None: unchanged), ``venue`` its new place and ``venue_id`` that
    place's id when it is a registered venue (venues.yml), as ``Event.venue_id``."""

    original: date | datetime
    cancelled: bool = False
    start: date | datetime | None = None
    end: date | datetime | None = None
    venue: Venue | None = None
    note: str = ""
    venue_id: str = ""

    @property
    def moved(self) -> bool:
        return not self.cancelled and (self.start is not None or self.venue is not None)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """An RFC 5545 rule, normalised, plus explicit exceptions, additions and changed sessions."""

    rrule: str
    exdates: tuple[date | datetime, ...] = ()
    rdates: tuple[date | datetime, ...] = ()
    sessions: tuple[SessionChange, ...] = ()
    # The series called off from one session on (``sessions``' item with ``from``): that session,
    # cancelled, with why. Its sessions from then are in ``sessions``, each cancelled with that note.
    stop: SessionChange | None = None


@dataclass(slots=True)
class Event:
    """One event file. Timed events carry aware datetimes; all-day ones dates.

    For all-day events ``end`` is the last day (inclusive), as editors write it.
    """

    slug: str
    source_path: str
    title: str
    start: date | datetime
    end: date | datetime
    all_day: bool
    timezone: str
    street: str
    team: str
    categories: tuple[str, ...]
    audiences: tuple[str, ...]
    body_html: str = ""
    summary: str = ""
    community: str = ""  # the name residents read (communities.yml's name, or free text)
    venue: Venue | None = None
    online: str = ""
    age_min: int | None = None
    age_max: int | None = None
    registration: Registration | None = None
    cost: str = "免费"
    status: str = "scheduled"
    status_note: str = ""
    previous_start: date | datetime | None = None
    recurrence: Recurrence | None = None
    image: str = ""
    image_alt: str = ""
    tags: tuple[str, ...] = ()
    accessibility: str = ""
    contact: Contact | None = None
    featured: bool = False
    draft: bool = False
    updated: datetime | None = None
    attendance: int | None = None
    report: str = ""
    sequence: int = 0
    external_id: str = ""  # the spreadsheet row it was imported from (kepu.editor.importer)
    community_id: str = ""  # communities.yml id (also implied by a registered venue's community)
    venue_id: str = ""  # venues.yml id; ``venue`` then holds its name, address and coordinates
    programmes: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()  # people.yml ids

    @property
    def duration(self) -> timedelta:
        """Length of one occurrence (all-day: whole days)."""
        if self.all_day:
            return timedelta(days=(self.end - self.start).days + 1)
        return self.end - self.start

    @property
    def is_online(self) -> bool:
        return bool(self.online) and self.venue is None

    @property
    def is_hybrid(self) -> bool:
        return bool(self.online) and self.venue is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_free(self) -> bool:
        """No cost, or one that says free in other words (免费（需自备材料）, 0 元) and names no price."""
        cost = self.cost.strip()
        return cost in ("免费", "") or (cost.startswith(FREE_WORDS) and not PRICE.search(cost))

    @property
    def cost_tag(self) -> str:
        """What a card's tag says of a cost: "" when free (its tag says 免费), the cost as written
        when short (材料费 10 元), else 收费 (the event page says the rest)."""
        if self.is_free:
            return ""
        cost = self.cost.strip()
        return cost if len(cost) <= COST_TAG_CHARS else "收费"

    @property
    def cost_said(self) -> str:
        """A cost in a word or two, where a list has no room for tags (embeds, search results):
        免费, or its ``cost_tag``."""
        return "免费" if self.is_free else self.cost_tag

    @property
    def shown_status(self) -> str:
        """The status as residents see it: ``rescheduled`` for a postponed event with its new
        date (it has ``previous_start``), else ``status``."""
        if self.status == "postponed" and self.previous_start is not None:
            return "rescheduled"
        return self.status

    @property
    def held(self) -> bool:
        """Held as shown: not cancelled, and not postponed to a time not yet known (its dates are
        the old ones). What is not held is never said to be over (已结束) once its time has passed:
        it did not take place."""
        return self.shown_status not in ("cancelled", "postponed")

    @property
    def status_label(self) -> str:
        """已改期, 已延期, 已取消, 名额已满 or 正常举办 (open data, statistics, filters)."""
        return STATUS_LABELS[self.shown_status]

    @property
    def title_label(self) -> str:
        """What its title's 【】 say: 已改期, 延期待定, 已取消, 名额已满 (see TITLE_LABELS)."""
        return TITLE_LABELS[self.shown_status]

    @property
    def status_text(self) -> str:
        """The label with what a resident needs beside it (badges, cards, calendar titles'
        notes): 已改期，原定 12月5日（周六） · 已延期（新时间待定） · 已取消 · 名额已满."""
        shown = self.shown_status
        if shown == "rescheduled":
            return f"{STATUS_LABELS[shown]}，原定 {self.previous_text}"
        if shown == "postponed":
            return f"{STATUS_LABELS[shown]}（{TO_BE_ANNOUNCED}）"
        return STATUS_LABELS[shown]

    def status_detail(self, when: str) -> str:
        """What follows ``status_text`` in a notice, ``when`` being the shown time:
        现改为 2026年12月12日（周六）09:00–11:00 · 原定 … 暂不举办."""
        shown = self.shown_status
        if shown == "rescheduled":
            return f"现改为 {when}"
        if shown == "postponed":
            return f"原定 {when} 暂不举办"
        return ""

    @property
    def previous_text(self) -> str:
        """The original date of a rescheduled event as the site writes dates, 12月5日（周六）;
        with the year when it differs from the new date's, with the time when that changed
        or the day did not."""
        previous, new = self.previous_start, self.start
        if previous is None:
            return ""
        day, new_day = _day(previous), _day(new)
        text = format_day(day, with_year=day.year != new_day.year)
        if isinstance(previous, datetime) and (
                not isinstance(new, datetime) or day == new_day
                or format_clock(previous) != format_clock(new)):
            text += format_clock(previous)
        return text

    @property
    def moved_to_text(self) -> str:
        """Where the old date of a rescheduled event still appears: 已改期至 12月12日（周六）."""
        if self.shown_status != "rescheduled":
            return ""
        day, old_day = _day(self.start), _day(self.previous_start)
        text = format_day(day, with_year=day.year != old_day.year)
        if day == old_day and isinstance(self.start, datetime):
            text += format_clock(self.start)
        return f"{STATUS_LABELS['rescheduled']}至 {text}"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated instance of an event (a recurring event has many)."""

    event: Event
    start: date | datetime
    end: date | datetime  # same convention as Event.end
    index: int = 0
    change: SessionChange | None = None  # this session was cancelled or moved

    @property
    def cancelled(self) -> bool:
        """Not held: the whole event, or just this session, was cancelled."""
        return self.event.status == "cancelled" or (self.change is not None and self.change.cancelled)

    @property
    def held(self) -> bool:
        """Held at the time shown: the event is (``Event.held``), and this session is not cancelled."""
        return self.event.held and not (self.change is not None and self.change.cancelled)

    @property
    def elsewhere(self) -> bool:
        """Held at another place than the event's (a session moved with ``recurrence.sessions``' venue)."""
        return self.change is not None and self.change.venue is not None

    @property
    def moved(self) -> bool:
        return self.change is not None and self.change.moved

    @property
    def venue(self) -> Venue | None:
        return self.change.venue if self.change is not None and self.change.venue else self.event.venue

    @property
    def venue_id(self) -> str:
        """The registered venue it is held at ("" for a place written out): a moved session's own."""
        return self.change.venue_id if self.elsewhere else self.event.venue_id

    @property
    def first_day(self) -> date:
        return self.start if not isinstance(self.start, datetime) else self.start.date()

    @property
    def last_day(self) -> date:
        """Last calendar day touched (a timed event ending at 00:00 ends the day before)."""
        if not isinstance(self.end, datetime):
            return self.end
        end = self.end
        if end.time() == datetime.min.time() and end.date() > self.first_day:
            return end.date() - timedelta(days=1)
        return end.date()

    @property
    def key(self) -> str:
        """Identifies the occurrence in URLs: its start date, e.g. 2026-12-05."""
        return self.first_day.isoformat()


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def ends_at(occurrence: Occurrence) -> datetime:
    """The instant an occurrence is over -- the one definition of "over" the build and the
    pages' script share (pages carry it as an ISO instant with offset, ``data-ends``).

    A timed occurrence is over at its end instant. An all-day one lasts to the end of its
    last day in the event's own time zone: it is over from 00:00 of the day after.
    """
    end = occurrence.end
    if isinstance(end, datetime):
        return end
    return datetime.combine(end + timedelta(days=1), time.min, tzinfo=ZoneInfo(occurrence.event.timezone))


def is_over(occurrence: Occurrence, at: datetime) -> bool:
    """Whether ``occurrence`` is over at the aware instant ``at``."""
    return at >= ends_at(occurrence)
