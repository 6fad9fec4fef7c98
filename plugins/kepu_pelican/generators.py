"""Pelican generators: read and index events once, then write the portal's pages."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pelican.generators import CachingGenerator

from kepu.content import CACHE_VERSION, ParsedFile, load_events
from kepu.problems import ContentError, Problem
from kepu.registries import load_registries
from kepu.site import SiteIndex, build_index
from kepu.urls import FACET_PREFIX, UrlScheme

from .calendars import CalendarGenerator
from .feeds import FeedsGenerator
from .settings import build_date, horizon_days, layout

logger = logging.getLogger(__name__)  # "kepu_pelican.generators"

FACET_TEMPLATES = {"streets": "street", "teams": "team", "categories": "category",
                   "audiences": "audience"}
INDEX_KINDS = {"streets": "STREETS", "teams": "TEAMS", "categories": "EVENT_CATEGORIES",
               "audiences": "AUDIENCES"}


class _Cache:
    """Pelican's file-stamp cache seen as a mapping of shown path → ParsedFile."""

    def __init__(self, generator: CachingGenerator, content_prefix: str):
        self.generator = generator
        self.prefix = content_prefix

    def _key(self, shown: str) -> str:
        return shown[len(self.prefix):].lstrip("/") if shown.startswith(self.prefix) else shown

    def get(self, shown: str) -> ParsedFile | None:
        hit = self.generator.get_cached_data(self._key(shown), None)
        if not hit or hit[0] != CACHE_VERSION or (hit[1].doc and hit[1].doc.path != shown):
            return None
        return hit[1]

    def __setitem__(self, shown: str, parsed: ParsedFile) -> None:
        self.generator.cache_data(self._key(shown), (CACHE_VERSION, parsed))


class EventsGenerator(CachingGenerator):
    """Reads, validates and indexes events; stops the build on any content error.

    Runs after Pelican's article and page generators, so it also reports the
    problems their reader found, and every cross-reference between files.
    """

    def generate_context(self) -> None:
        lay = layout(self.settings)
        registries, problems = load_registries(lay.content / lay.data,
                                               lay.shown(lay.content / lay.data))
        ctx = lay.context(registries, self.settings["TIMEZONE"])
        files = [(path, lay.shown(path)) for path in lay.files(lay.events)]
        events, found = load_events(files, ctx, _Cache(self, lay.shown(lay.content)))
        self.save_cache()
        problems.extend(found)
        problems.extend(_reader_problems(self.context, {e.slug for e in events} | {
            path.stem for path, _ in files}))
        _report(problems)
        urls = UrlScheme.from_settings(self.settings)
        index = build_index(events, registries, urls, build_date(self.settings),
                            self.settings["TIMEZONE"], horizon_days(self.settings))
        self.index = index
        self.context["kepu"] = index
        self.context["kepu_urls"] = urls
        self.context["reports"] = _reports(self.context)

    def generate_output(self, writer) -> None:
        index: SiteIndex = self.index
        urls: UrlScheme = self.context["kepu_urls"]
        self._write_events(writer, index, urls)
        self._write_listings(writer, index, urls)
        for kind, facets in index.facets.items():
            self._write_facets(writer, kind, facets.values(), urls)
        writer.write_file(urls.save_as("HOME"), self.get_template("home"), self.context,
                          url=urls.url("HOME"), page_name="home")

    def _write_events(self, writer, index: SiteIndex, urls: UrlScheme) -> None:
        template = self.get_template("event")
        for entry in index.entries:
            writer.write_file(urls.save_as("EVENT", slug=entry.event.slug), template, self.context,
                              url=entry.url, entry=entry, event=entry.event, page_name="event",
                              report=self.context["reports"].get(entry.event.report),
                              calendar=self.context["kepu_calendar_links"](entry))

    def _write_listings(self, writer, index: SiteIndex, urls: UrlScheme) -> None:
        template = self.get_template("event_list")
        for kind, entries, title in (("EVENTS", index.upcoming, "近期活动"),
                                     ("PAST_EVENTS", index.past, "往期活动")):
            writer.write_file(urls.save_as(kind), template, self.context, url=urls.url(kind),
                              paginated={"entries": entries}, template_name="event_list",
                              page_name=kind.lower(), list_title=title, facet=None,
                              past=kind == "PAST_EVENTS")
        for kind, key in INDEX_KINDS.items():
            writer.write_file(urls.save_as(key), self.get_template(key.lower()), self.context,
                              url=urls.url(key), page_name=key.lower(),
                              facets=list(index.facets[kind].values()))

    def _write_facets(self, writer, kind: str, facets: Iterable, urls: UrlScheme) -> None:
        prefix = FACET_PREFIX[kind]
        template = self.get_template(FACET_TEMPLATES[kind])
        past_template = self.get_template("event_list")
        for facet in facets:
            writer.write_file(urls.save_as(prefix, id=facet.id), template, self.context,
                              url=facet.url, paginated={"entries": facet.upcoming},
                              template_name=FACET_TEMPLATES[kind], facet=facet,
                              page_name=FACET_TEMPLATES[kind])
            if not facet.past:
                continue
            writer.write_file(urls.save_as(f"{prefix}_PAST", id=facet.id), past_template,
                              self.context, url=facet.past_url,
                              paginated={"entries": facet.past}, template_name="event_list",
                              facet=facet, past=True, page_name="event_list",
                              list_title=f"{facet.name} · 往期活动")


def _contents(context) -> list:
    keys = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")
    return [item for key in keys for item in context.get(key, [])]


def _reader_problems(context, event_slugs: set[str]) -> list[Problem]:
    """Problems the reader stored on articles and pages, plus their links to events."""
    problems: list[Problem] = []
    for content in _contents(context):
        problems.extend(content.metadata.get("kepu_problems", []))
        meta = content.metadata.get("kepu_meta")
        if meta is None:
            continue
        lines = content.metadata.get("kepu_lines", {})
        for index, slug in enumerate(meta.events):
            if slug not in event_slugs:
                problems.append(Problem(
                    content.metadata["kepu_source"],
                    lines.get(f"events[{index}]", lines.get("events", 0)), "events",
                    f"找不到文件名为“{slug}”的活动", "填写 content/events/ 下活动的文件名（不含 .md）"))
    return problems


def _reports(context) -> dict:
    return {article.slug: article for article in context.get("articles", [])}


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        if not problem.is_error:
            logger.warning("%s", problem.format())
    if any(p.is_error for p in problems):
        raise ContentError(problems)


def get_generators(_pelican) -> list[type]:
    return [EventsGenerator, FeedsGenerator, CalendarGenerator]
