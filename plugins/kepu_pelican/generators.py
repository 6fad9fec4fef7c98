"""Pelican generators: read and index events once, then write the portal's pages."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path

from markupsafe import Markup
from pelican.generators import Generator

from kepu.content.events import duplicate_slugs, load_events
from kepu.content.problems import ContentError, Problem
from kepu.content.project import output_collisions, tree_problems
from kepu.content.webnames import web_name
from kepu.engine.processes import collector_paused
from kepu.formats.finder import filter_index
from kepu.formats.qr import QrCache
from kepu.formats.structured import script_json
from kepu.formats.urls import FACET_PREFIX, UrlScheme, robots_txt
from kepu.index.site import EventEntry, SiteIndex, build_index, local_day
from kepu.index.stats import recorded_attendance

from .admin import ADMIN_FOLDER, write_admin_files
from .calendars import CalendarGenerator, plan_calendars
from .campaigns import CampaignDaysGenerator, plan_campaigns
from .engine import Lasting, Undigestable, canonical, code_digest, digest, engine_key, start_reuse
from .engine.fragments import RenderedFragments
from .engine.parses import ParseCache
from .engine.shared import SharedParts
from .feeds import AtomFeedsGenerator, FeedsGenerator, SubscriptionsGenerator, plan_feeds
from .images import pictures_in, publish_images
from .notices import NoticesGenerator
from .paging import write_pages
from .parallel import fork_map, in_background, spread
from .reports import (
    ChangesGenerator,
    EmbedsGenerator,
    OpenDataGenerator,
    StatsGenerator,
    embed_links,
    plan_figures,
)
from .search import write_search_index
from .services import Services, publish_services, services_of
from .settings import build_date, content_tree, horizon_days, layout, public_url, site_config, theme_files
from .trace import note, phase
from .venuemap import RoutesGenerator, plan_maps
from .writing import ByteWriter

logger = logging.getLogger(__name__)  # "kepu_pelican.generators"

JOBS_PER_WORKER = 8  # fewer listing pages than this are written in this process
FACET_TEMPLATES = {"streets": "street", "teams": "team", "categories": "category",
                   "audiences": "audience",
                   # The association's entities (issue 19): same pages, own templates.
                   "programmes": "programme", "campaigns": "campaign", "venues": "venue",
                   "communities": "community", "people": "person"}
INDEX_KINDS = {"streets": "STREETS", "teams": "TEAMS", "categories": "EVENT_CATEGORIES",
               "audiences": "AUDIENCES",
               "programmes": "PROGRAMMES", "campaigns": "CAMPAIGNS", "venues": "VENUES",
               "communities": "COMMUNITIES", "people": "PEOPLE"}


class IndexGenerator(Generator):
    """Reads, validates and indexes events, then makes the build's shared services; stops the
    build on any content error. Writes no page: only the search index, in the background while
    the services are planned.

    Runs after Pelican's article and page generators, so it also reports the
    problems their reader found, and every cross-reference between files.
    """

    def generate_context(self) -> None:
        lay = layout(self.settings)
        tree = content_tree(self.settings)
        problems = tree_problems(lay, tree)  # the preflight refused errors: warnings remain
        files = [(path, lay.shown(path)) for path in lay.files(lay.events, tree)]
        registries, found = lay.registries({path.stem for path, _ in files})
        problems.extend(found)
        ctx = lay.context(registries, site_config(self.settings).timezone, tree)
        for folder in (lay.articles, lay.pages):
            problems.extend(duplicate_slugs(lay.shown(p) for p in lay.files(folder, tree)))
        urls = site_config(self.settings).urls
        problems.extend(output_collisions(lay, tree, urls, self.settings))
        cache = ParseCache(Path(self.settings["CACHE_PATH"]), lay.shown(lay.content))
        with phase("events: read and validate"), collector_paused():
            events, found = load_events(files, ctx, cache, *spread(self.settings))
        note(f"events: {cache.hits} of {len(files)} parses from the cache")
        cache.keep_only({shown for _, shown in files})
        cache.save()  # bytes only: quick, and no forked copy of the build
        problems.extend(found)
        problems.extend(_reader_problems(self.context, {e.slug for e in events} | {
            path.stem for path, _ in files}))
        _report(problems)
        with phase("events: index"), collector_paused():
            index = build_index(events, registries, urls, build_date(self.settings),
                                site_config(self.settings).timezone, horizon_days(self.settings),
                                series_past_days=int(self.settings.get("SERIES_PAST_DAYS", 730)),
                                news_naming=news_naming(self.context.get("articles", [])),
                                news_dates={a.slug: news_moment(a) for a in self.context.get("articles", [])})
        out = ByteWriter(self.output_path, start_reuse(self.output_path, self.settings))
        cache.seed(out.reuse.memo)  # the digests of unchanged events, worked out by an earlier build
        images = publish_images(self.settings, out)  # before any page: pages give their sizes
        for item in (*self.context.get("articles", ()), *self.context.get("pages", ()),
                     *self.context.get("hidden_pages", ())):  # news and pages: their bodies' pictures
            item.pictures = pictures_in(item._content, images)
        start_search_index(out, self.settings, index, urls, self.context.get("articles", []))
        with phase("events: plan feeds, calendars and figures"):
            services = make_services(self.settings, self.context, index, urls, out, SharedParts(self.env, self.context),
                                     images)
        cache.keep_digests(out.reuse.memo)
        publish_services(self.context, services)


def start_search_index(out: ByteWriter, settings: dict, index: SiteIndex, urls: UrlScheme, articles: list) -> None:
    """The site search index: one process's work, made in the background beside the plan (no
    page reads it), joined before the event pages spread over every core."""
    with phase("search index"):
        in_background("search index", out.writes_of(partial(write_search_index, out, settings, index, urls, articles)),
                      out.merge, len(index.entries), *spread(settings))


def make_services(settings: dict, context: dict, index: SiteIndex, urls: UrlScheme, out: ByteWriter,
                  chrome: SharedParts, images: dict[str, tuple[int, int]]) -> Services:
    """Every shared part, from the settings and the site index (nothing is written yet)."""
    district = site_config(settings).district
    site = public_url(settings)
    qr = QrCache(Path(settings["CACHE_PATH"]) / "qr.pickle", code_digest())
    reuse = out.reuse
    feeds = plan_feeds(settings, index, urls, district, qr)
    return Services(
        index=index, urls=urls, district=district, site_url=site, out=out, reuse=reuse,
        qr=qr, news={article.slug: article for article in context.get("articles", [])},
        fingerprints=_fingerprints(index, engine_key(settings), reuse.memo),
        feeds=feeds,
        calendars=plan_calendars(settings, index, urls),
        figures=plan_figures(index, urls),
        embeds=embed_links(index, urls, site),
        campaigns=plan_campaigns(settings, index, urls, feeds),
        maps=plan_maps(settings, index, urls), chrome=chrome, theme_files=theme_files(settings), images=images,
        share_card=share_card(site_config(settings).share_image, settings["THEME_STATIC_DIR"], images))


def share_card(configured: str, theme_static: str, images: dict[str, tuple[int, int]]) -> str:
    """The district's own share card (SHARE_IMAGE, published from content/images/) when there is
    one, else the theme's, which names no district."""
    published = web_name(configured)
    return published if published in images else f"{theme_static}/images/share.png"


def news_naming(articles: list) -> dict[str, tuple[tuple[str, date | datetime], ...]]:
    """Each event's news items (their events:) with their dates, newest first, by slug."""
    found: dict[str, list[tuple[str, date | datetime]]] = {}
    for article in sorted(articles, key=lambda a: (a.date, a.slug), reverse=True):
        for slug in dict.fromkeys(getattr(article, "events", None) or ()):
            found.setdefault(slug, []).append((article.slug, news_moment(article)))
    return {slug: tuple(news) for slug, news in found.items()}


def news_moment(article) -> date | datetime:
    """A news item's date as written: a day, or its time when it has one (00:00 is a day)."""
    return article.date.date() if article.date.time() == time() else article.date


def _fingerprints(index: SiteIndex, key: str, memo: dict) -> dict[str, str]:
    """What each event's calendar file and open data are made from: the code, theme and
    settings (``key``), and everything about the event."""
    fingerprints = {}
    lasting = Lasting(memo)  # the index's values outlive the loop: its streets, teams… are written once
    for entry in index.entries:
        try:
            fingerprints[entry.event.slug] = digest(key, canonical(entry, lasting))
        except Undigestable as error:
            note(f"engine: {entry.event.slug} is made again on every build: {error}")
            fingerprints[entry.event.slug] = ""
    return fingerprints



class EventPagesGenerator(Generator):
    """Event pages, on every core; unchanged ones are linked from the previous build. After
    them, event bodies are let go."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        with phase("pages: events"):
            for made in fork_map(lambda part: self._render_events(writer, services, part), services.index.entries,
                                 *spread(self.settings)):
                services.qr.used.update(made)
            services.qr.save()
        for entry in services.index.entries:  # no later output shows bodies (the search index has them)
            entry.event.body_html = ""

    def _render_events(self, writer, services: Services, entries: Iterable[EventEntry]) -> dict:
        """Write these event pages; return the QR codes made (for the parent's cache)."""
        template = self.get_template("event")
        site, index = services.site_url, services.index
        image = f"{site}/{services.share_card}"
        poster_until = index.build_date + timedelta(days=int(self.settings.get("POSTER_QR_DAYS", 45)))
        for entry in entries:
            page_url = f"{site}/{entry.url}"
            shown = entry.event.image  # a share card's picture: WeChat cannot show an SVG
            event_image = f"{site}/{shown}" if shown and not shown.endswith(".svg") else image
            poster = None
            if entry.next and local_day(entry.next.start, index.timezone) <= poster_until:
                poster = services.qr.svg(page_url, "本活动页面的二维码")
            writer.write_file(services.urls.save_as("EVENT", slug=entry.event.slug), template, self.context,
                              url=entry.url, entry=entry, event=entry.event, page_name="event",
                              news_reports=services.reports_of(entry), related_news=services.news_of(entry.related_news),
                              share_image=event_image, poster_qr=poster,
                              attendance=recorded_attendance(entry, index.build_date, index.timezone),
                              body_pictures=pictures_in(entry.event.body_html, services.images))
        return services.qr.used


class ListingsGenerator(Generator):
    """The home page, the lists of coming and past events, each grouping's pages and the lists
    of all groupings; every event's card is rendered once for them."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        index, urls = services.index, services.urls
        with phase("pages: cards"):
            self._render_cards(index, writer)
        with phase("pages: listings and groupings"):
            # The district's two long lists first, so that they go to different processes.
            jobs = [partial(self._write_listing, writer, urls, kind, entries, title)
                    for kind, entries, title in (("EVENTS", index.upcoming, "近期活动"),
                                                 ("PAST_EVENTS", index.past, "往期活动"))]
            jobs += [partial(self._write_facet, writer, urls, kind, facet)
                     for kind, group in index.facets.items() for facet in group.values()]
            fork_map(lambda part: [job() for job in part], jobs, self.settings.get("KEPU_WORKERS"),
                     min_items=JOBS_PER_WORKER)
            self._write_indexes(writer, index, urls)
        writer.write_file(urls.save_as("HOME"), self.get_template("home"), self.context,
                          url=urls.url("HOME"), page_name="home")

    def _render_cards(self, index: SiteIndex, writer) -> None:
        """Each event's card once (and a past event's line); listings, groupings and pages of
        results reuse them. One is taken from the previous build's cache when what it reads is unchanged."""
        views = [view for facet in index.facets["campaigns"].values() for view in (*facet.upcoming, *facet.past)
                 if view.view]  # a series as a campaign shows it: by its sessions in the window
        self.context["kepu_cards"] = self._render_fragments("card", [*index.entries, *views], writer)
        self.context["kepu_past_rows"] = self._render_fragments(
            "past_row", [*index.past, *(view for view in views if view.is_past)], writer)

    def _render_fragments(self, name: str, entries: list, writer) -> dict[str, Markup]:
        """Template ``name`` rendered once for each of these events, by ``EventEntry.key`` (cached across builds)."""
        template = self.get_template(name)
        cache = RenderedFragments(Path(self.settings["CACHE_PATH"]) / f"{name}s.pickle", writer)

        def render(part: Iterable[EventEntry]) -> tuple[dict[str, str], dict[str, tuple]]:
            """In each process: its share of the fragments, and what the cache keeps of them."""
            context, rendered = dict(self.context), {}
            for entry in part:
                context["entry"] = entry
                rendered[entry.key] = cache.render(entry.key, template, context)
            return rendered, {key: cache.kept[key] for key in rendered if key in cache.kept}

        # Cached pieces are checked here (microseconds each); only those to render are spread
        # over the cores, so that a rebuild does not fork for a piece or two.
        made: dict[str, str] = {}
        pending = []
        context = dict(self.context)
        for entry in entries:
            context["entry"] = entry
            output = cache.reused(entry.key, template, context)
            if output is None:
                pending.append(entry)
            else:
                made[entry.key] = output
        for part, kept in fork_map(render, pending, *spread(self.settings)):
            made.update(part)
            cache.kept.update(kept)
        cache.save()
        return {entry.key: Markup(made[entry.key]) for entry in entries}

    def _write_listing(self, writer, urls: UrlScheme, kind: str, entries: list, title: str) -> None:
        self._write_pages(writer, urls.save_as(kind), urls.url(kind),
                          "past_list" if kind == "PAST_EVENTS" else "event_list", entries,
                          page_name=kind.lower(), list_title=title, facet=None,
                          past=kind == "PAST_EVENTS", filters=kind == "EVENTS")

    def _write_pages(self, writer, name: str, url: str, template_name: str, entries: list, **kwargs) -> None:
        write_pages(writer, name, url, self.get_template(template_name), template_name, self.context, entries,
                    **kwargs)

    def _write_indexes(self, writer, index: SiteIndex, urls: UrlScheme) -> None:
        """The lists of all streets, teams, categories, audiences and the association's entities."""
        for kind, key in INDEX_KINDS.items():
            writer.write_file(urls.save_as(key), self.get_template(key.lower()), self.context,
                              url=urls.url(key), page_name=key.lower(),
                              facets=list(index.facets[kind].values()))

    def _write_facet(self, writer, urls: UrlScheme, kind: str, facet) -> None:
        """A facet's pages: its upcoming events and its past ones, paginated."""
        prefix = FACET_PREFIX[kind]
        template = FACET_TEMPLATES[kind]
        self._write_pages(writer, urls.save_as(prefix, id=facet.id), facet.url, template,
                          facet.upcoming, facet=facet, page_name=template)
        if facet.past:
            self._write_pages(writer, urls.save_as(f"{prefix}_PAST", id=facet.id), facet.past_url,
                              "past_list", facet.past, facet=facet, past=True, page_name="event_list",
                              list_title=f"{facet.name} · 往期活动")


class SiteFilesGenerator(Generator):
    """The events list's filter index, the search page, the 404 page, robots.txt and /admin/."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        urls, out = services.urls, services.out
        out.write(urls.save_as("FILTER_INDEX"), script_json(filter_index(services.index)).encode("utf-8"))
        for kind, template in (("SEARCH", "search"), ("NOT_FOUND", "404")):
            writer.write_file(urls.save_as(kind), self.get_template(template), self.context,
                              url=urls.url(kind), page_name=template)
        out.write("robots.txt", robots_txt(services.site_url, ADMIN_FOLDER).encode())
        write_admin_files(out, self.settings, services.index.registries)


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


def _report(problems: list[Problem]) -> None:
    """Errors stop the build with every problem in one report by file; reminders alone are logged."""
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    for problem in problems:
        logger.warning("%s", problem.format())


def get_generators(_pelican) -> list[type]:
    """One job each, in this order; the first makes the services all of them share."""
    # Outputs spread over every core first, then those of one process each: open data, statistics
    # and notice sheets (like the search index, started beside the plan) each in a background
    # process, in turn, while this one makes the others (open data beside the shared calendars,
    # statistics beside the Atom feeds and campaign programmes).
    return [IndexGenerator, EventPagesGenerator, ListingsGenerator, SiteFilesGenerator, FeedsGenerator,
            CalendarGenerator, OpenDataGenerator, SubscriptionsGenerator, StatsGenerator, AtomFeedsGenerator,
            CampaignDaysGenerator, NoticesGenerator, EmbedsGenerator, ChangesGenerator, RoutesGenerator]
