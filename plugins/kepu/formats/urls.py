"""Settings-driven URLs and output paths (``*_URL`` / ``*_SAVE_AS`` pairs, as in Pelican); the patterns are the settings'."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any
from urllib.parse import urlsplit

# Every kind of page and file the portal writes -> the fields its *_URL / *_SAVE_AS settings use.
# The patterns themselves live only in the settings (pelicanconf.py): a kind missing there is a setting problem.
_FACETS = (("STREET", "streets"), ("TEAM", "teams"), ("EVENT_CATEGORY", "categories"), ("AUDIENCE", "audiences"),
           ("PROGRAMME", "programmes"), ("CAMPAIGN", "campaigns"), ("VENUE", "venues"),
           ("COMMUNITY", "communities"), ("PERSON", "people"))
_PLURALS = {"STREET": "STREETS", "TEAM": "TEAMS", "EVENT_CATEGORY": "EVENT_CATEGORIES", "AUDIENCE": "AUDIENCES",
            "PROGRAMME": "PROGRAMMES", "CAMPAIGN": "CAMPAIGNS", "VENUE": "VENUES", "COMMUNITY": "COMMUNITIES",
            "PERSON": "PEOPLE"}
_EMBEDS = {"EVENT_CATEGORY": "EMBED_CATEGORY"}
KINDS: dict[str, tuple[str, ...]] = {
    "EVENT": ("slug",), "EVENT_ICS": ("slug",),
    **{kind: () for kind in ("EVENTS", "PAST_EVENTS", "HOME", "NOT_FOUND", "SUBSCRIBE", "SUBSCRIBE_FEED_ALL",
                             "SEARCH", "SEARCH_INDEX", "FILTER_INDEX", "STATS", "DATA", "DATA_EVENTS",
                             "DATA_SCHEMA", "DATA_CSV", "CHANGES_FEED", "CALENDAR", "CALENDAR_WEEK",
                             "FEED_ALL", "ATOM_ALL", "NEWS")},
    **{_PLURALS[prefix]: () for prefix, _ in _FACETS},
    **{f"{prefix}{suffix}": ("id",) for prefix, _ in _FACETS
       for suffix in ("", "_PAST", "_FEED", "_ATOM")},
    **{f"SUBSCRIBE_FEED_{prefix}": ("id",) for prefix, _ in _FACETS},
    **{_EMBEDS.get(prefix, f"EMBED_{prefix}"): ("id",) for prefix, _ in _FACETS},
    "DATA_STREET": ("id",), "STATS_YEAR": ("year",),
    "STATS_SUMMARY_CSV": ("year",), "STATS_SUMMARY_XLSX": ("year",), "DATA_REGISTRY": ("registry",),
    "CAMPAIGN_DAY": ("id", "day"), "CAMPAIGN_DAY_FILTER": ("id", "day", "group", "item"),
    "CAMPAIGN_PRINT": ("id",), "CAMPAIGN_DAY_PRINT": ("id", "day"), "CAMPAIGN_PART_FEED": ("id", "part"),
    "ROUTE": ("id",), "ROUTES": (),
    **{f"{prefix}_NOTICE{week}": ("id",) for prefix in ("STREET", "COMMUNITY") for week in ("", "_NEXT")},
    "CALENDAR_MONTH": ("year", "month"), "CALENDAR_DAY": ("year", "month", "day"),
    "STREET_CALENDAR_MONTH": ("id", "year", "month"), "STREET_CALENDAR_WEEK": ("id",),
}
VERSION_CHARS = 8  # of a file's SHA-256 in its address (32 bits: a changed file keeps its address once in 4 billion)


def robots_txt(site_url: str, admin: str) -> str:
    """robots.txt for a site at ``site_url``: the web editor's folder kept out of search engines.
    Under a sub-path its rules name the sub-path, and say they take effect only merged into the
    host's own robots.txt (the only one search engines read)."""
    parts = urlsplit(site_url)
    path = parts.path.rstrip("/")
    # The host's own file is named, not linked: this site's files link nothing outside it.
    note = (f"# 搜索引擎只读网站根目录的 robots.txt：请把下面几行并入 {parts.netloc} 根目录下的 robots.txt\n"
            if path else "")
    return (f"{note}User-agent: *\nAllow: {path}/\nDisallow: {path}/{admin}/\n"
            f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n")


def content_version(data: bytes) -> str:
    """A file's version as its address carries it (site.js?v=…, search/t/5.….json): the start of
    its bytes' SHA-256, new whenever they change."""
    return hashlib.sha256(data).hexdigest()[:VERSION_CHARS]


# News and pages are written by Pelican's own generators, which format their own fields.
PELICAN_KINDS = ("ARTICLE", "PAGE")
ADMIN_FOLDER = "admin"  # the web editor (Decap CMS loads from /admin/ by convention): written with the site


def _fields(pattern: str) -> set[str] | None:
    """The fields a pattern formats ({id}, {month:02d} -> id, month); None if it is not a pattern."""
    try:
        return {name for _, name, _, _ in Formatter().parse(pattern) if name is not None}
    except ValueError:
        return None


def pattern_problems(settings: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(setting, message, fix) for each *_URL / *_SAVE_AS pattern the portal cannot write with."""
    problems = []
    for kind, fields in KINDS.items():
        for suffix in ("_URL", "_SAVE_AS"):
            problem = _pattern_problem(f"{kind}{suffix}", settings.get(f"{kind}{suffix}"), fields)
            if problem:
                problems.append(problem)
    for kind in PELICAN_KINDS:
        problems.extend(problem for suffix in ("_URL", "_SAVE_AS")
                        if (problem := _pattern_problem(f"{kind}{suffix}", settings.get(f"{kind}{suffix}"), None)))
    return problems


def _pattern_problem(name: str, value: object, fields: tuple[str, ...] | None) -> tuple[str, str, str] | None:
    wanted = "、".join(f"{{{f}}}" for f in fields or ())
    example = f"（要包含 {wanted}）" if wanted else ""
    if value is None:
        return name, f"没有设置 {name}", f"在设置文件里加上 {name}{example}，写法对照示例项目的 pelicanconf.py"
    used = _fields(value) if isinstance(value, str) else None
    if used is None or value.startswith("/") or ".." in value.split("/"):
        return name, f"{name} 写得不对：{value!r}", f"写网站里的相对位置，不以 / 开头{example}"
    if fields is not None and used != set(fields):
        unknown = sorted(used - set(fields))
        if unknown:
            return name, f"{name} 里的 {'、'.join(f'{{{f}}}' for f in unknown)} 不能用", f"只能用 {wanted or '固定的位置'}"
        return name, f"{name} 缺少 {wanted}：不同的页面会写到同一个位置", f"把 {wanted} 写进 {name}"
    return None


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
        """The patterns the settings give (checked by ``pattern_problems``; kepu.config does that)."""
        return cls({kind: (settings[f"{kind}_URL"], settings[f"{kind}_SAVE_AS"])
                    for kind in (*KINDS, *PELICAN_KINDS)})

    def url(self, kind: str, **fields: Any) -> str:
        return self.patterns[kind][0].format(**fields)

    def save_as(self, kind: str, **fields: Any) -> str:
        return self.patterns[kind][1].format(**fields)
