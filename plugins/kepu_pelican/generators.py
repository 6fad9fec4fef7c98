"""Pelican generators: read and index events once, then write the portal's pages."""

from __future__ import annotations

import logging
import pickle
from datetime import timedelta
from functools import partial
from pathlib import Path

from markupsafe import Markup
from pelican.generators import CachingGenerator

from kepu.content import CACHE_VERSION, ParsedFile, duplicate_slugs, load_events
from kepu.district import District
from kepu.finder import filter_index
from kepu.problems import ContentError, Problem
from kepu.processes import collector_paused
from kepu.project import output_collisions, tree_problems
from kepu.qr import QrCache
from kepu.registries import load_registries
from kepu.site import SiteIndex, build_index, local_day
from kepu.structured import event_jsonld, script_json
from kepu.urls import FACET_PREFIX, UrlScheme

from .admin import ADMIN_FOLDER, write_admin_files
from .calendars import CalendarGenerator
from .feeds import FeedsGenerator
from .fragments import FragmentCache
from .images import ImagesGenerator
from .notices import NoticesGenerator
from .paging import stable_key, write_pages
from .parallel import fork_map
from .reports import ChangesGenerator, EmbedsGenerator, OpenDataGenerator, StatsGenerator
from .reuse import OutputReuse, code_digest, digest, settings_digest, start_reuse
from .search import write_search_index
from .settings import build_date, content_tree, horizon_days, layout, public_url
from .trace import note, phase
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


class _Cache:
    """The generator's content cache (Pelican loads and saves it) as a ParseCache.

    Entries are ``(stamp, (CACHE_VERSION, pickled ParsedFile))`` keyed by the path under
    content/; stamps and pickles are made where each file is read and parsed anyway (in the
    parsing processes), so no file is read twice and saving the cache pickles only bytes."""

    def __init__(self, generator: CachingGenerator, content_prefix: str):
        self.entries = generator._cache  # Pelican's loaded cache dict, saved by save_cache()
        self.prefix = content_prefix
        self.changed = False
        self.hits = 0  # parses served from the cache, reported by trace.note

    def _key(self, shown: str) -> str:
        return shown[len(self.prefix):].lstrip("/") if shown.startswith(self.prefix) else shown

    def _usable(self, data) -> bool:
        return isinstance(data, tuple) and len(data) == 2 and data[0] == CACHE_VERSION and isinstance(data[1], bytes)

    def stamps(self) -> dict[str, bytes]:
        return {f"{self.prefix}/{key}": stamp for key, (stamp, data) in self.entries.items() if self._usable(data)}

    def get(self, shown: str) -> ParsedFile | None:
        _stamp, data = self.entries.get(self._key(shown), (None, None))
        if not self._usable(data):
            return None
        try:
            parsed = pickle.loads(data[1])
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None  # written by another version (a class renamed since): parse again
        if not isinstance(parsed, ParsedFile) or (parsed.doc and parsed.doc.path != shown):
            return None
        self.hits += 1
        return parsed

    def put(self, shown: str, stamp: bytes, pickled: bytes) -> None:
        """Keep a parse, unless the same one is there (same file, same code)."""
        key = self._key(shown)
        known = self.entries.get(key)
        if not (isinstance(known, tuple) and len(known) == 2 and known[0] == stamp and self._usable(known[1])):
            self.entries[key] = (stamp, (CACHE_VERSION, pickled))
            self.changed = True

    def keep_only(self, shown: set[str]) -> None:
        """Forget files that no longer exist."""
        for key in [k for k in self.entries if f"{self.prefix}/{k}" not in shown]:
            del self.entries[key]
            self.changed = True


class EventsGenerator(CachingGenerator):
    """Reads, validates and indexes events; stops the build on any content error.

    Runs after Pelican's article and page generators, so it also reports the
    problems their reader found, and every cross-reference between files.
    """

    def generate_context(self) -> None:
        lay = layout(self.settings)
        tree = content_tree(self.settings)
        problems = tree_problems(lay, tree)  # the preflight refused errors: warnings remain
        files = [(path, lay.shown(path)) for path in lay.files(lay.events, tree)]
        registries, found = load_registries(lay.content / lay.data, lay.shown(lay.content / lay.data),
                                            {path.stem for path, _ in files})
        problems.extend(found)
        ctx = lay.context(registries, self.settings["TIMEZONE"], tree)
        for folder in (lay.articles, lay.pages):
            problems.extend(duplicate_slugs(lay.shown(p) for p in lay.files(folder, tree)))
        problems.extend(output_collisions(lay, tree, UrlScheme.from_settings(self.settings), self.settings))
        cache = _Cache(self, lay.shown(lay.content))
        with phase("events: read and validate"), collector_paused():
            events, found = load_events(files, ctx, cache, self.settings.get("KEPU_WORKERS"))
        note(f"events: {cache.hits} of {len(files)} parses from the cache")
        cache.keep_only({shown for _, shown in files})
        if cache.changed:
            self.save_cache()  # bytes only: quick, and no forked copy of the build
        self._cache = {}  # parsed files are in the events now: do not hold them twice
        problems.extend(found)
        problems.extend(_reader_problems(self.context, {e.slug for e in events} | {
            path.stem for path, _ in files}))
        _report(problems)
        urls = UrlScheme.from_settings(self.settings)
        with phase("events: index"), collector_paused():
            index = build_index(events, registries, urls, build_date(self.settings),
                                self.settings["TIMEZONE"], horizon_days(self.settings),
                                series_past_days=int(self.settings.get("SERIES_PAST_DAYS", 730)))
        self.index = index
        self.context["kepu"] = index
        self.context["kepu_urls"] = urls
        self.context["kepu_district"] = District.from_settings(self.settings)
        self.context["reports"] = _reports(self.context)
        self.context["PUBLIC_URL"] = public_url(self.settings)
        self.context["kepu_qr"] = QrCache(Path(self.settings["CACHE_PATH"]) / "qr.pickle")
        self.context["kepu_writer"] = ByteWriter(self.output_path)
        self.context["kepu_reuse"] = start_reuse(self.output_path, self.settings)

    def generate_output(self, writer) -> None:
        index: SiteIndex = self.index
        urls: UrlScheme = self.context["kepu_urls"]
        self._fingerprints(index)
        with phase("pages: events"):
            self._write_events(writer, index, urls)
        with phase("search index"):
            write_search_index(self.context["kepu_writer"], self.settings, index, urls,
                               self.context.get("articles", []))
        for entry in index.entries:  # written: the bodies are not needed again
            entry.event.body_html = ""
        with phase("pages: cards"):
            self._render_cards(index)
        with phase("pages: listings and groupings"):
            # The district's two long lists first, so that they go to different processes.
            jobs = [partial(self._write_listing, writer, urls, kind, entries, title)
                    for kind, entries, title in (("EVENTS", index.upcoming, "近期活动"),
                                                 ("PAST_EVENTS", index.past, "往期活动"))]
            jobs += [partial(self._write_facet, writer, urls, kind, facet)
                     for kind, group in index.facets.items() for facet in group.values()]
            reuse: OutputReuse = self.context["kepu_reuse"]
            for made in fork_map(lambda part: [job() for job in part], jobs, self.settings.get("KEPU_WORKERS"),
                                 min_items=JOBS_PER_WORKER):
                for pages in made:  # pages written or linked in a child: the manifest is kept here
                    reuse.fingerprints.update(pages)
            self._write_indexes(writer, index, urls)
        writer.write_file(urls.save_as("HOME"), self.get_template("home"), self.context,
                          url=urls.url("HOME"), page_name="home")
        self._write_site_files(writer, index, urls)

    def _write_site_files(self, writer, index: SiteIndex, urls: UrlScheme) -> None:
        """The filter index, the search page, the 404 page and robots.txt."""
        data = filter_index(index)
        out: ByteWriter = self.context["kepu_writer"]
        out.write(urls.save_as("FILTER_INDEX"), script_json(data).encode("utf-8"))
        for kind, template in (("SEARCH", "search"), ("NOT_FOUND", "404")):
            writer.write_file(urls.save_as(kind), self.get_template(template), self.context,
                              url=urls.url(kind), page_name=template)
        site = self.context["PUBLIC_URL"]
        out.write("robots.txt", f"User-agent: *\nAllow: /\nDisallow: /{ADMIN_FOLDER}/\nSitemap: {site}/sitemap.xml\n".encode())
        write_admin_files(out, self.settings, index.registries)

    def _fingerprints(self, index: SiteIndex) -> None:
        """What each event's outputs are made of: the site-wide inputs and the event itself."""
        lay = layout(self.settings)
        registries = b"".join(p.read_bytes() for p in sorted((lay.content / lay.data).glob("*.yml")))
        site_wide = digest(code_digest(Path(self.theme), Path(__file__).resolve().parents[1]),
                           settings_digest(self.settings), registries, index.build_date,
                           self.context["kepu_calendars"]["district"], self.context["PUBLIC_URL"],
                           [(page.slug, page.url, page.title) for page in self.context.get("pages", [])])
        reports = self.context["reports"]
        self.context["kepu_site_digest"] = site_wide
        self.context["kepu_fingerprints"] = {
            entry.event.slug: digest(site_wide, repr(entry.event), _report_key(reports, entry.event.report))
            for entry in index.entries}

    def _render_cards(self, index: SiteIndex) -> None:
        """Each event's card once; listings, groupings and pages of results reuse it.
        Cards of unchanged events come from the previous build's cache."""
        template = self.get_template("card")
        context = dict(self.context)
        fingerprints = self.context["kepu_fingerprints"]
        cache = FragmentCache(Path(self.settings["CACHE_PATH"]) / "cards.pickle")

        def render(entry) -> str:
            context["entry"] = entry
            return template.render(context)

        cards = {entry.event.slug: Markup(cache.get(fingerprints[entry.event.slug], partial(render, entry)))
                 for entry in index.entries}
        cache.save()
        self.context["kepu_cards"] = cards

    def _write_events(self, writer, index: SiteIndex, urls: UrlScheme) -> None:
        """Event pages, on every core; unchanged ones are linked from the previous build."""
        reuse: OutputReuse = self.context["kepu_reuse"]
        fingerprints = self.context["kepu_fingerprints"]
        pending = [entry for entry in index.entries
                   if not reuse.reuse(urls.save_as("EVENT", slug=entry.event.slug), fingerprints[entry.event.slug])]
        qr: QrCache = self.context["kepu_qr"]
        workers = self.settings.get("KEPU_WORKERS")
        for made in fork_map(lambda part: self._render_events(writer, part, urls), pending, workers):
            qr.used.update(made)
        qr.save()

    def _render_events(self, writer, entries: list, urls: UrlScheme) -> dict:
        """Write these event pages; return the QR codes made (for the parent's cache)."""
        template = self.get_template("event")
        site = self.context["PUBLIC_URL"]
        image = f"{site}/{self.settings['THEME_STATIC_DIR']}/images/share.png"
        qr: QrCache = self.context["kepu_qr"]
        index: SiteIndex = self.index
        poster_until = index.build_date + timedelta(days=int(self.settings.get("POSTER_QR_DAYS", 45)))
        for entry in entries:
            page_url = f"{site}/{entry.url}"
            event_image = f"{site}/{entry.event.image}" if entry.event.image else image
            data = event_jsonld(entry, page_url, event_image, f"{site}/{entry.team_url}",
                                self.context["kepu_district"])
            poster = None
            if entry.next and local_day(entry.next.start, index.timezone) <= poster_until:
                poster = qr.svg(page_url, f"活动页面二维码：{page_url}", fast=True)
            writer.write_file(urls.save_as("EVENT", slug=entry.event.slug), template, self.context,
                              url=entry.url, entry=entry, event=entry.event, page_name="event",
                              report=self.context["reports"].get(entry.event.report),
                              calendar=self.context["kepu_calendar_links"](entry),
                              jsonld=script_json(data), share_image=event_image, poster_qr=poster)
        return qr.used

    def _write_listing(self, writer, urls: UrlScheme, kind: str, entries: list, title: str) -> dict[str, str]:
        key = stable_key(self.context["kepu_site_digest"], kind, title,
                         [(f.id, f.name) for _, group in self.index.street_kinds for f in group])
        return self._write_pages(writer, key, urls.save_as(kind), urls.url(kind), "event_list", entries,
                                 page_name=kind.lower(), list_title=title, facet=None,
                                 past=kind == "PAST_EVENTS", filters=kind == "EVENTS")

    def _write_pages(self, writer, key: str, name: str, url: str, template_name: str, entries: list,
                     **kwargs) -> dict[str, str]:
        return write_pages(writer, self.context["kepu_reuse"], self.context["kepu_fingerprints"], key, name, url,
                           self.get_template(template_name), template_name, self.context, entries, **kwargs)

    def _write_indexes(self, writer, index: SiteIndex, urls: UrlScheme) -> None:
        """The lists of all streets, teams, categories and audiences."""
        for kind, key in INDEX_KINDS.items():
            writer.write_file(urls.save_as(key), self.get_template(key.lower()), self.context,
                              url=urls.url(key), page_name=key.lower(),
                              facets=list(index.facets[kind].values()))

    def _facet_key(self, kind: str, facet) -> str:
        """Everything a facet's pages show besides their events' cards."""
        ctx, ident = self.context, facet.id
        teams = [(t.id, t.name, t.url) for t in self.index.street_teams.get(ident, [])] if kind == "streets" else []
        return stable_key(ctx["kepu_site_digest"], kind, facet.item, facet.url, facet.past_url,
                          len(facet.upcoming), len(facet.past), ctx["kepu_feeds"][kind].get(ident),
                          ctx.get("kepu_embeds", {}).get(kind, {}).get(ident), teams,
                          ctx["kepu_calendars"]["streets"].get(ident) if kind == "streets" else None,
                          ctx.get("kepu_street_figures", {}).get(ident) if kind == "streets" else None,
                          ctx.get("kepu_stats_url"))

    def _write_facet(self, writer, urls: UrlScheme, kind: str, facet) -> dict[str, str]:
        """A facet's pages: its upcoming events and its past ones, paginated."""
        prefix = FACET_PREFIX[kind]
        template = FACET_TEMPLATES[kind]
        key = self._facet_key(kind, facet)
        made = self._write_pages(writer, key, urls.save_as(prefix, id=facet.id), facet.url, template,
                                 facet.upcoming, facet=facet, page_name=template)
        if facet.past:
            made |= self._write_pages(writer, key, urls.save_as(f"{prefix}_PAST", id=facet.id), facet.past_url,
                                      "event_list", facet.past, facet=facet, past=True, page_name="event_list",
                                      list_title=f"{facet.name} · 往期活动")
        return made


def _report_key(reports: dict, slug: str) -> tuple:
    article = reports.get(slug) if slug else None
    return (article.title, article.url) if article else ()


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
    return [EventsGenerator, FeedsGenerator, CalendarGenerator, StatsGenerator, OpenDataGenerator,
            EmbedsGenerator, ChangesGenerator, ImagesGenerator, NoticesGenerator]
