"""Data classes for registries, events and their occurrences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

STATUSES = ("scheduled", "cancelled", "postponed", "full")
STATUS_LABELS = {
    "scheduled": "正常举办",
    "cancelled": "已取消",
    "postponed": "已延期",
    "full": "名额已满",
}
STREET_KINDS = ("街道", "镇", "功能区")


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
class Registries:
    """Every registry, keyed by id, in display order."""

    streets: dict[str, Street]
    teams: dict[str, Team]
    categories: dict[str, Category]
    audiences: dict[str, Audience]


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


@dataclass(frozen=True, slots=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class Recurrence:
    """An RFC 5545 rule, normalised, plus explicit exceptions and additions."""

    rrule: str
    exdates: tuple[date | datetime, ...] = ()
    rdates: tuple[date | datetime, ...] = ()


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
    community: str = ""
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
        return self.cost in ("免费", "")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated instance of an event (a recurring event has many)."""

    event: Event
    start: date | datetime
    end: date | datetime  # same convention as Event.end
    index: int = 0

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
