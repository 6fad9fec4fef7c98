"""Settings-driven URLs and output paths (``*_URL`` / ``*_SAVE_AS`` pairs, as in Pelican)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# kind -> (URL pattern, SAVE_AS pattern); overridable by settings of the same names.
DEFAULT_PATTERNS: dict[str, tuple[str, str]] = {
    "EVENT": ("events/{slug}/", "events/{slug}/index.html"),
    # News and pages are written by Pelican's own generators from the same settings.
    "ARTICLE": ("news/{slug}/", "news/{slug}/index.html"),
    "PAGE": ("{slug}/", "{slug}/index.html"),
    "NEWS": ("news/", "news/index.html"),
    "EVENTS": ("events/", "events/index.html"),
    "PAST_EVENTS": ("events/past/", "events/past/index.html"),
    "STREET": ("streets/{id}/", "streets/{id}/index.html"),
    "STREET_PAST": ("streets/{id}/past/", "streets/{id}/past/index.html"),
    "STREETS": ("streets/", "streets/index.html"),
    "TEAM": ("teams/{id}/", "teams/{id}/index.html"),
    "TEAM_PAST": ("teams/{id}/past/", "teams/{id}/past/index.html"),
    "TEAMS": ("teams/", "teams/index.html"),
    "EVENT_CATEGORY": ("categories/{id}/", "categories/{id}/index.html"),
    "EVENT_CATEGORY_PAST": ("categories/{id}/past/", "categories/{id}/past/index.html"),
    "EVENT_CATEGORIES": ("categories/", "categories/index.html"),
    "AUDIENCE": ("audiences/{id}/", "audiences/{id}/index.html"),
    "AUDIENCE_PAST": ("audiences/{id}/past/", "audiences/{id}/past/index.html"),
    "AUDIENCES": ("audiences/", "audiences/index.html"),
    # The association's own entities (content/data/programmes.yml, campaigns.yml, venues.yml,
    # communities.yml, people.yml): pages, feeds and embeds like streets'.
    **{key: pattern for prefix, plural in (("PROGRAMME", "programmes"), ("CAMPAIGN", "campaigns"),
                                           ("VENUE", "venues"), ("COMMUNITY", "communities"),
                                           ("PERSON", "people"))
       for key, pattern in (
           (prefix, (f"{plural}/{{id}}/", f"{plural}/{{id}}/index.html")),
           (f"{prefix}_PAST", (f"{plural}/{{id}}/past/", f"{plural}/{{id}}/past/index.html")),
           (plural.upper(), (f"{plural}/", f"{plural}/index.html")),
           (f"SUBSCRIBE_FEED_{prefix}", (f"subscribe/{plural}/{{id}}/", f"subscribe/{plural}/{{id}}/index.html")),
           (f"{prefix}_FEED", (f"feeds/{plural}/{{id}}.ics",) * 2),
           (f"{prefix}_ATOM", (f"feeds/{plural}/{{id}}.atom",) * 2),
           (f"EMBED_{prefix}", (f"embed/{plural}/{{id}}/", f"embed/{plural}/{{id}}/index.html")))},
    # A campaign's day-by-day programme (kepu.index.campaigndays): a page per day, per day and street,
    # category or audience (a long one continued on .../2/), printable programmes, calendar files by day.
    "CAMPAIGN_DAY": ("campaigns/{id}/{day}/", "campaigns/{id}/{day}/index.html"),
    "CAMPAIGN_DAY_FILTER": ("campaigns/{id}/{day}/{group}/{item}/", "campaigns/{id}/{day}/{group}/{item}/index.html"),
    "CAMPAIGN_PRINT": ("campaigns/{id}/print/", "campaigns/{id}/print/index.html"),
    "CAMPAIGN_DAY_PRINT": ("campaigns/{id}/{day}/print/", "campaigns/{id}/{day}/print/index.html"),
    "CAMPAIGN_PART_FEED": ("feeds/campaigns/{id}/{part}.ics", "feeds/campaigns/{id}/{part}.ics"),
    # 科普路线 (content/data/routes.yml): venues visited in order, drawn on the venue map.
    "ROUTE": ("routes/{id}/", "routes/{id}/index.html"),
    "ROUTES": ("routes/", "routes/index.html"),
    "HOME": ("", "index.html"),
    "SUBSCRIBE": ("subscribe/", "subscribe/index.html"),
    # One subscribe page per feed: what its QR codes open (scanners cannot use a raw .ics).
    "SUBSCRIBE_FEED_ALL": ("subscribe/all/", "subscribe/all/index.html"),
    "SUBSCRIBE_FEED_STREET": ("subscribe/streets/{id}/", "subscribe/streets/{id}/index.html"),
    "SUBSCRIBE_FEED_TEAM": ("subscribe/teams/{id}/", "subscribe/teams/{id}/index.html"),
    "SUBSCRIBE_FEED_EVENT_CATEGORY": ("subscribe/categories/{id}/", "subscribe/categories/{id}/index.html"),
    "SUBSCRIBE_FEED_AUDIENCE": ("subscribe/audiences/{id}/", "subscribe/audiences/{id}/index.html"),
    "SEARCH": ("search/", "search/index.html"),
    # The search index: this manifest, and this build's files in a folder beside it.
    "SEARCH_INDEX": ("search/index.json", "search/index.json"),
    "FILTER_INDEX": ("events/filter.json", "events/filter.json"),
    "NOT_FOUND": ("404.html", "404.html"),
    # Figures, open data, embeds and the change feed.
    "STATS": ("stats/", "stats/index.html"),
    "STATS_YEAR": ("stats/{year}/", "stats/{year}/index.html"),
    # The year-end summary table (kepu.formats.summarysheet) beside the year's page.
    "STATS_SUMMARY_CSV": ("stats/{year}/summary-{year}.csv", "stats/{year}/summary-{year}.csv"),
    "STATS_SUMMARY_XLSX": ("stats/{year}/summary-{year}.xlsx", "stats/{year}/summary-{year}.xlsx"),
    "DATA": ("data/", "data/index.html"),
    "DATA_EVENTS": ("data/events.json", "data/events.json"),
    "DATA_SCHEMA": ("data/events.schema.json", "data/events.schema.json"),
    "DATA_CSV": ("data/events.csv", "data/events.csv"),
    "DATA_STREET": ("data/streets/{id}.json", "data/streets/{id}.json"),
    # programmes, campaigns, venues, communities, people (kepu.formats.registrydata)
    "DATA_REGISTRY": ("data/{registry}.json", "data/{registry}.json"),
    "EMBED_STREET": ("embed/streets/{id}/", "embed/streets/{id}/index.html"),
    "EMBED_CATEGORY": ("embed/categories/{id}/", "embed/categories/{id}/index.html"),
    "EMBED_TEAM": ("embed/teams/{id}/", "embed/teams/{id}/index.html"),
    "EMBED_AUDIENCE": ("embed/audiences/{id}/", "embed/audiences/{id}/index.html"),
    "CHANGES_FEED": ("feeds/changes.atom", "feeds/changes.atom"),
    # Calendar views.
    "CALENDAR": ("calendar/", "calendar/index.html"),
    "CALENDAR_MONTH": ("calendar/{year}/{month:02d}/", "calendar/{year}/{month:02d}/index.html"),
    "CALENDAR_DAY": ("calendar/{year}/{month:02d}/{day:02d}/",
                     "calendar/{year}/{month:02d}/{day:02d}/index.html"),
    "CALENDAR_WEEK": ("calendar/week/", "calendar/week/index.html"),
    "STREET_CALENDAR_MONTH": ("streets/{id}/calendar/{year}/{month:02d}/",
                              "streets/{id}/calendar/{year}/{month:02d}/index.html"),
    "STREET_CALENDAR_WEEK": ("streets/{id}/calendar/week/", "streets/{id}/calendar/week/index.html"),
    # Weekly notice sheets to print for the notice board (kepu.notices): this week's and next week's.
    "STREET_NOTICE": ("streets/{id}/notice/", "streets/{id}/notice/index.html"),
    "STREET_NOTICE_NEXT": ("streets/{id}/notice/next/", "streets/{id}/notice/next/index.html"),
    "COMMUNITY_NOTICE": ("communities/{id}/notice/", "communities/{id}/notice/index.html"),
    "COMMUNITY_NOTICE_NEXT": ("communities/{id}/notice/next/", "communities/{id}/notice/next/index.html"),
    # Calendar feeds (the URL is the file).
    "EVENT_ICS": ("events/{slug}.ics", "events/{slug}.ics"),
    "FEED_ALL": ("feeds/all.ics", "feeds/all.ics"),
    "STREET_FEED": ("feeds/streets/{id}.ics", "feeds/streets/{id}.ics"),
    "TEAM_FEED": ("feeds/teams/{id}.ics", "feeds/teams/{id}.ics"),
    "EVENT_CATEGORY_FEED": ("feeds/categories/{id}.ics", "feeds/categories/{id}.ics"),
    "AUDIENCE_FEED": ("feeds/audiences/{id}.ics", "feeds/audiences/{id}.ics"),
    # Upcoming events for feed readers (Atom), one per calendar feed.
    "ATOM_ALL": ("feeds/all.atom", "feeds/all.atom"),
    "STREET_ATOM": ("feeds/streets/{id}.atom", "feeds/streets/{id}.atom"),
    "TEAM_ATOM": ("feeds/teams/{id}.atom", "feeds/teams/{id}.atom"),
    "EVENT_CATEGORY_ATOM": ("feeds/categories/{id}.atom", "feeds/categories/{id}.atom"),
    "AUDIENCE_ATOM": ("feeds/audiences/{id}.atom", "feeds/audiences/{id}.atom"),
}
# Registry kind (as in Registries) -> settings prefix of its pages.
FACET_PREFIX = {
    "streets": "STREET",
    "teams": "TEAM",
    "categories": "EVENT_CATEGORY",
    "audiences": "AUDIENCE",
    "programmes": "PROGRAMME",
    "campaigns": "CAMPAIGN",
    "venues": "VENUE",
    "communities": "COMMUNITY",
    "people": "PERSON",
}


@dataclass(frozen=True, slots=True)
class UrlScheme:
    """Formats URLs and output paths from patterns."""

    patterns: Mapping[str, tuple[str, str]]

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> UrlScheme:
        patterns = {
            kind: (settings.get(f"{kind}_URL", url), settings.get(f"{kind}_SAVE_AS", save_as))
            for kind, (url, save_as) in DEFAULT_PATTERNS.items()
        }
        return cls(patterns)

    def url(self, kind: str, **fields: Any) -> str:
        return self.patterns[kind][0].format(**fields)

    def save_as(self, kind: str, **fields: Any) -> str:
        return self.patterns[kind][1].format(**fields)
