"""Pelican generator for the calendar views: months, two-week agendas and day pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pelican.generators import Generator

from kepu.formats.urls import UrlScheme
from kepu.index.grids import (
    WEEKDAY_HEADERS,
    Calendar,
    MonthKey,
    by_day,
    collapse_quiet_days,
    day_count,
    group_by_street,
    split_by_street,
    week_start,
)
from kepu.index.site import SiteIndex

from .parallel import fork_map
from .services import services_of
from .settings import build_date
from .trace import phase

AGENDA_DAYS = 14  # this week and the next
SCOPES_PER_WORKER = 4  # fewer calendar jobs than this are written in this process


@dataclass(frozen=True, slots=True)
class CalendarLinks:
    """Where a scope's current month and week pages are (None: nothing to show)."""

    month_url: str | None
    week_url: str | None
    month_label: str = ""


@dataclass(frozen=True, slots=True)
class CalendarPlan:
    """Occurrences grouped by day once, for the district and each street, and where each
    scope's current month and week pages are."""

    today: date
    district: Calendar
    streets: dict[str, Calendar]
    links: dict[str, Any]  # "district": CalendarLinks, "streets": id → CalendarLinks


def plan_calendars(settings, index: SiteIndex, urls: UrlScheme) -> CalendarPlan:
    today = build_date(settings)
    district = Calendar(by_day(index.entries, index.timezone))
    streets = {street: Calendar(days) for street, days in split_by_street(district.days).items()}

    def links(calendar: Calendar, month_kind: str, week_kind: str, fields: dict) -> CalendarLinks:
        key = calendar.month_of(today)
        if key is None:
            return CalendarLinks(None, None)
        return CalendarLinks(urls.url(month_kind, year=key.year, month=key.month, **fields),
                             urls.url(week_kind, **fields), key.label)

    return CalendarPlan(today, district, streets, {
        "district": links(district, "CALENDAR_MONTH", "CALENDAR_WEEK", {}),
        "streets": {street: links(calendar, "STREET_CALENDAR_MONTH", "STREET_CALENDAR_WEEK", {"id": street})
                    for street, calendar in streets.items()},
    })


class CalendarGenerator(Generator):
    """Writes every calendar page from the plan's grouping by day."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        plan = services.calendars
        self.urls, self.today = services.urls, plan.today
        self.district, self.streets = plan.district, plan.streets
        self.whole = services.district.whole  # 全区, 全县…: the district calendar's scope, as named
        with phase("calendars"):
            self._generate_output(writer, services.index)

    def _generate_output(self, writer, index: SiteIndex) -> None:
        scopes = [(self.district, self.whole, "CALENDAR_MONTH", "CALENDAR_WEEK", {}, None)]
        scopes += [(calendar, index.facets["streets"][street].name, "STREET_CALENDAR_MONTH",
                    "STREET_CALENDAR_WEEK", {"id": street}, index.facets["streets"][street])
                   for street, calendar in self.streets.items()]
        jobs = [("days", None), *(("scope", scope) for scope in scopes)]  # days: the largest job
        fork_map(lambda part: self._write_jobs(writer, index, part), jobs,
                 self.settings.get("KEPU_WORKERS"), min_items=SCOPES_PER_WORKER)
        months = self.district.months
        writer.write_file(self.urls.save_as("CALENDAR"), self.get_template("calendar_index"),
                          self.context, url=self.urls.url("CALENDAR"), page_name="calendar",
                          months=[(key, self._month_url("CALENDAR_MONTH", key, {}),
                                   self.district.month(key).count) for key in months])

    def _write_jobs(self, writer, index: SiteIndex, jobs: Iterable[tuple[str, Any]]) -> None:
        for kind, scope in jobs:
            if kind == "days":
                self._write_days(writer, index)
            else:
                self._write_scope(writer, *scope)

    def _write(self, writer, save_as: str, template: str, **kwargs: Any) -> None:
        writer.write_file(save_as, self.get_template(template), self.context, **kwargs)

    def _month_url(self, kind: str, key: MonthKey | None, fields: dict) -> str | None:
        return self.urls.url(kind, year=key.year, month=key.month, **fields) if key else None

    def _day_url(self, day: date) -> str:
        return self.urls.url("CALENDAR_DAY", year=day.year, month=day.month, day=day.day)

    def _write_scope(self, writer, calendar: Calendar, scope: str, month_kind: str, week_kind: str,
                     fields: dict, facet) -> None:
        anchor = f"#s-{facet.id}" if facet else ""
        for key in calendar.months:
            month = calendar.month(key)
            self._write(
                writer, self.urls.save_as(month_kind, year=key.year, month=key.month, **fields), "calendar_month",
                url=self._month_url(month_kind, key, fields), page_name="calendar_month",
                month=month, scope=scope, facet=facet, weekdays=WEEKDAY_HEADERS,
                previous_url=self._month_url(month_kind, month.previous, fields),
                next_url=self._month_url(month_kind, month.next, fields),
                week_url=self.urls.url(week_kind, **fields),
                day_urls={d.day: self._day_url(d.day) + anchor for d in month.days_with_events})
        if calendar.months:
            first = week_start(self.today)
            self._write(
                writer, self.urls.save_as(week_kind, **fields), "calendar_week",
                url=self.urls.url(week_kind, **fields), page_name="calendar_week",
                days=calendar.span(first, AGENDA_DAYS), scope=scope, facet=facet,
                rows=collapse_quiet_days(calendar.span(first, AGENDA_DAYS)),
                month_url=self._month_url(month_kind, calendar.month_of(self.today), fields),
                last_day=first + timedelta(days=AGENDA_DAYS - 1))

    def _write_days(self, writer, index: SiteIndex) -> None:
        order = list(index.facets["streets"])
        days = list(self.district.days)
        for position, day in enumerate(days):
            self._write(
                writer, self.urls.save_as("CALENDAR_DAY", year=day.year, month=day.month, day=day.day),
                "calendar_day", url=self._day_url(day), page_name="calendar_day", day=day,
                groups=[(index.facets["streets"][s], items)
                        for s, items in group_by_street(self.district.days[day], order)],
                count=day_count(self.district.days[day]),
                previous_url=self._day_url(days[position - 1]) if position else None,
                next_url=self._day_url(days[position + 1]) if position + 1 < len(days) else None,
                month_url=self._month_url("CALENDAR_MONTH", MonthKey(day.year, day.month), {}))

