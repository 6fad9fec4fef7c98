"""Pelican generator for a campaign's day-by-day programme: day pages (by street, category and
audience too), printable programmes, and the campaign's own calendar files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from pelican.generators import Generator

from kepu.content.dates import format_day
from kepu.formats.ics import Feed, FeedWindow, whole_feed_bytes
from kepu.formats.urls import UrlScheme
from kepu.index.campaigndays import (
    CalendarItem,
    CampaignDays,
    FeedPart,
    ProgrammeDay,
    Selection,
    calendar_items,
    campaign_days,
    feed_parts,
    nearest_items,
    pages,
)
from kepu.index.site import Facet, SiteIndex

from .services import services_of
from .settings import build_date
from .trace import phase

if TYPE_CHECKING:
    from .feeds import FeedPlan
    from .services import Services

DAY_ROWS = 120  # sessions on one day page: a phone opens a day of 2,500-event week in under 100 KB
HEADER_ROOM = 16 * 1024  # bytes of a calendar file besides its events (name, description, time zone)


@dataclass(frozen=True, slots=True)
class View:
    """One page of a day's programme: the whole day, or its sessions in one street, category or audience."""

    selection: Selection
    url: str  # its first page
    number: int = 1
    total: int = 1

    @property
    def page_url(self) -> str:
        return self.url if self.number == 1 else f"{self.url}{self.number}/"


@dataclass(frozen=True, slots=True)
class DayLink:
    day: ProgrammeDay
    url: str
    print_url: str


@dataclass(frozen=True, slots=True)
class PartLink:
    part: FeedPart
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class CampaignView:
    """What the campaign's pages show of its programme (``kepu_campaign_days`` in templates)."""

    days: CampaignDays
    links: tuple[DayLink, ...]
    print_url: str
    parts: tuple[PartLink, ...]

    def link(self, day: date) -> DayLink:
        return next(link for link in self.links if link.day.day == day)


def plan_campaigns(settings, index: SiteIndex, urls: UrlScheme, feeds: FeedPlan) -> dict[str, CampaignView]:
    """Each campaign's programme by day, its day and print pages' addresses, and its calendar
    files (written through the feed plan): one for the whole window when it fits, else cut by the
    size of each item, with the campaign's usual calendar holding the nearest items. A series brings
    its sessions in the window only, each an item of its own (``calendar_items``)."""
    views = {}
    for ident, facet in index.facets["campaigns"].items():
        campaign = facet.item
        members = [index.by_slug[view.event.slug] for view in (*facet.upcoming, *facet.past)]  # whole series
        days = campaign_days(campaign, members, index.registries, index.timezone,
                             build_date(settings), index.by_slug.get(campaign.main_event))
        items = calendar_items(days)
        parts = feed_parts(items, partial(_item_size, feeds), feeds.settings.max_bytes - HEADER_ROOM)
        views[ident] = CampaignView(days, tuple(_day_link(urls, ident, d) for d in days.days),
                                    urls.url("CAMPAIGN_PRINT", id=ident),
                                    tuple(_part_link(urls, ident, p) for p in parts))
        nearest = partial(_nearest_feed, feeds, items, build_date(settings), index) if parts else None
        feeds.overrides[urls.url("CAMPAIGN_FEED", id=ident)] = nearest or partial(_whole_feed, feeds, days, items)
    return views


def _item_size(feeds: FeedPlan, item: CalendarItem) -> int:
    return len(feeds.components.serialize(item.entry) if item.session is None else feeds.components.session(item))


def _item_feed(feed: Feed, items: list[CalendarItem], description: str) -> Feed:
    """A calendar file of ``items``: one-off events whole, series' sessions each alone."""
    return Feed(feed.path, feed.name, description, feed.page_url,
                [i.entry for i in items if i.session is None], [i for i in items if i.session is not None])


def _day_link(urls: UrlScheme, ident: str, day: ProgrammeDay) -> DayLink:
    iso = day.day.isoformat()
    return DayLink(day, urls.url("CAMPAIGN_DAY", id=ident, day=iso), urls.url("CAMPAIGN_DAY_PRINT", id=ident, day=iso))


def _part_link(urls: UrlScheme, ident: str, part: FeedPart) -> PartLink:
    label = format_day(part.day) + (f" · {part.street.name}" if part.street else "") + (
        f"（第 {part.number} 部分）" if part.number else "")
    return PartLink(part, urls.url("CAMPAIGN_PART_FEED", id=ident, part=part.key), label)


def _whole_feed(feeds: FeedPlan, days: CampaignDays, items: list[CalendarItem], feed: Feed) -> tuple[bytes, FeedWindow]:
    """The campaign's calendar holding its whole window, past days too."""
    campaign = days.campaign
    text = (f"{feed.description}包含活动期（{format_day(campaign.start)}至{format_day(campaign.end)}）"
            f"的全部活动，共 {len(items)} 项。")
    data = whole_feed_bytes(_item_feed(feed, items, feed.description), feeds.settings, feeds.components, text)
    return data, FeedWindow(len(items), campaign.start, None)


def _nearest_feed(feeds: FeedPlan, items: list[CalendarItem], day: date, index: SiteIndex,
                  feed: Feed) -> tuple[bytes, FeedWindow]:
    """A window too large for one file: the campaign's usual calendar holds the items to come and
    those ended lately, as many as fit (``nearest_items``; every item is in the files by day)."""
    past_days = feeds.settings.past_days
    chosen, dropped = nearest_items(items, day, past_days, index.timezone, partial(_item_size, feeds),
                                    feeds.settings.max_bytes - HEADER_ROOM)
    text = (f"{feed.description}包含活动期中今后的活动和最近 {past_days} 天内结束的活动，共 {len(chosen)} 项"
            + (f"；为使文件小于 1 MB，更晚的 {dropped} 项未列入" if dropped else "")
            + "。活动期的全部活动按天分在几个日历文件里，见主题活动页面。")
    data = whole_feed_bytes(_item_feed(feed, chosen, feed.description), feeds.settings, feeds.components, text)
    until = chosen[-1].day if dropped and chosen else None
    return data, FeedWindow(len(chosen), day - timedelta(days=past_days), until, dropped)


class CampaignDaysGenerator(Generator):
    """Each campaign's day pages (by street, category and audience too), printable programmes
    and cut calendar files. Runs after FeedsGenerator, whose VEVENTs its calendar files reuse."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        self.urls = services.urls
        with phase("campaign programmes"):
            for ident, view in services.campaigns.items():
                facet: Facet = services.index.facets["campaigns"][ident]
                self._write_days(writer, services.index.registries, facet, view)
                self._write_print(writer, facet, view)
                self._write_parts(services, facet, view)

    def _write_days(self, writer, registries, facet: Facet, view: CampaignView) -> None:
        per_page = int(self.settings.get("CAMPAIGN_DAY_ROWS", DAY_ROWS))
        for position, link in enumerate(view.links):
            day = link.day
            iso = day.day.isoformat()
            selections = day.selections(registries)
            filters = {s.key: self.urls.url("CAMPAIGN_DAY_FILTER", id=facet.id, day=iso, group=s.kind, item=s.item.id)
                       for s in selections}
            for selection in [Selection("", None, day.rows), *selections]:
                url = filters.get(selection.key, link.url)
                chunks = pages(selection.rows, per_page)
                for number, rows in enumerate(chunks, start=1):
                    page = View(selection, url, number, len(chunks))
                    writer.write_file(_save_as(page.page_url), self.get_template("campaign_day"), self.context,
                                      url=page.page_url, page_name="campaign_day", facet=facet, view=view,
                                      link=link, page=page, rows=rows, selections=selections, filters=filters,
                                      previous_day=view.links[position - 1] if position else None,
                                      next_day=view.links[position + 1] if position + 1 < len(view.links) else None)

    def _write_print(self, writer, facet: Facet, view: CampaignView) -> None:
        template = self.get_template("campaign_print")
        writer.write_file(self.urls.save_as("CAMPAIGN_PRINT", id=facet.id), template, self.context,
                          url=view.print_url, page_name="campaign_print", facet=facet, view=view,
                          links=view.links)
        for link in view.links:
            writer.write_file(self.urls.save_as("CAMPAIGN_DAY_PRINT", id=facet.id, day=link.day.day.isoformat()),
                              template, self.context, url=link.print_url, page_name="campaign_print",
                              facet=facet, view=view, links=(link,))

    def _write_parts(self, services: Services, facet: Facet, view: CampaignView) -> None:
        feeds = services.feeds
        count = len(view.parts)
        for number, link in enumerate(view.parts, start=1):
            part = link.part
            # An item is in the file of the first day the programme lists it on (an exhibition
            # under way, a session moved away: there too), not always the day it begins.
            text = (f"{facet.name}：日程中列在{link.label}的活动，共 {len(part.items)} 项"
                    f"（全部活动分成 {count} 个日历文件，这是第 {number} 个）。")
            feed = _item_feed(Feed(link.url, f"{facet.name} · {link.label}", text, facet.url), list(part.items), text)
            services.out.write(self.urls.save_as("CAMPAIGN_PART_FEED", id=facet.id, part=part.key),
                               whole_feed_bytes(feed, feeds.settings, feeds.components, text))


def _save_as(url: str) -> str:
    return f"{url}index.html" if url.endswith("/") else url
