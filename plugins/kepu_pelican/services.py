"""The build's shared services: made once, after the site index, and handed to every generator.

Generators never talk through loose context keys: each takes what it needs from one typed
``Services`` (``services_of``), made before any generator writes. Templates see the names they
have always read (``kepu``, ``kepu_urls``, ``kepu_feeds``…), set from it in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pelican.generators import Generator

from kepu.content.district import District
from kepu.formats.qr import QrCache
from kepu.formats.urls import UrlScheme
from kepu.index.mappages import MapPages
from kepu.index.site import SiteIndex

from .engine import OutputReuse
from .engine.shared import SharedParts
from .writing import ByteWriter

if TYPE_CHECKING:  # made by the generators' modules, which take their services from here
    from .calendars import CalendarPlan
    from .campaigns import CampaignView
    from .feeds import FeedPlan
    from .reports import FigurePlan

KEY = "kepu_services"


@dataclass(frozen=True, slots=True)
class Services:
    """Everything generators share, each part made once per build."""

    index: SiteIndex
    urls: UrlScheme
    district: District
    site_url: str  # absolute, for feeds, QR codes and structured data
    out: ByteWriter  # non-template outputs (calendar files, data), with the writer's guards
    reuse: OutputReuse  # files of earlier builds that still stand
    qr: QrCache
    news: dict[str, Any]  # news articles by slug: an event's report links to one
    fingerprints: dict[str, str]  # what each event's non-page outputs are made from ("" : never reused)
    feeds: FeedPlan
    calendars: CalendarPlan
    figures: FigurePlan
    embeds: dict[str, dict[str, str]]  # kind → id → the embed's absolute URL
    campaigns: dict[str, CampaignView]  # campaign id → its programme by day, pages and calendar files
    maps: MapPages  # the venue map, the routes and their maps
    chrome: SharedParts  # the header and footer every page shows, rendered once
    theme_files: dict[str, str]  # theme file (css/site.css) → its address with its version (?v=…)
    images: dict[str, tuple[int, int]]  # a published picture (images/x.jpg) → its width and height
    share_card: str  # the site's card for WeChat and search engines (its address from the site)

    def reports_of(self, entry) -> list[Any]:
        """The news reporting an event (``EventEntry.reports``): the one it names (report:) first,
        then every news item naming it (events:, all the web editor's news form can say)."""
        return self.news_of(entry.reports)

    def news_of(self, slugs) -> list[Any]:
        return [self.news[slug] for slug in slugs if slug in self.news]

    def template_context(self) -> dict[str, Any]:
        """The names templates read."""
        return {"kepu": self.index, "kepu_urls": self.urls, "kepu_district": self.district,
                "PUBLIC_URL": self.site_url, "reports": self.news,
                "PUBLIC_SCHEME": self.site_url.partition("://")[0] + "://",  # what its addresses start with
                "kepu_feeds": self.feeds.links, "kepu_feed_all": self.feeds.all_links,
                "kepu_calendar_window": self.feeds.window,
                "kepu_calendars": self.calendars.links, "kepu_embeds": self.embeds,
                "kepu_street_figures": self.figures.streets, "kepu_stats_url": self.figures.stats_url,
                "kepu_campaign_days": self.campaigns, "kepu_maps": self.maps,
                "kepu_chrome": self.chrome, "theme_files": self.theme_files, "kepu_images": self.images,
                "kepu_share_card": f"{self.site_url}/{self.share_card}"}


def publish_services(context: dict, services: Services) -> None:
    context[KEY] = services
    context.update(services.template_context())


def services_of(generator: Generator) -> Services:
    """This build's services (made by the first of the portal's generators)."""
    return generator.context[KEY]
