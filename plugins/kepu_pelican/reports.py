"""Pelican generators for what an association reports and shares: figures, open data,
embeddable lists and the change feed. Each reads the shared site index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pelican.generators import Generator

from kepu.content.model import AreaWords
from kepu.formats.changes import atom, changes_for, venue_changes_for
from kepu.formats.charts import bar_chart, column_chart
from kepu.formats.opendata import (
    CSV_COLUMNS,
    CSV_NOTES,
    DATA_VERSION,
    csv_document_parts,
    csv_lines,
    dumps,
    event_record,
    events_json_parts,
    record_json,
    schema,
)
from kepu.formats.registrydata import FIELD_NOTES, PUBLIC_FIELDS, TITLES, registry_document
from kepu.formats.summarysheet import lines, summary_csv, summary_xlsx
from kepu.formats.urls import FACET_PREFIX, UrlScheme
from kepu.index.site import EventEntry, SiteIndex
from kepu.index.stats import ATTENDANCE_NOTE, figures, years
from kepu.index.yearbook import Yearbook, yearbook

from .engine.fragments import FragmentCache
from .parallel import background_output
from .services import services_of
from .settings import site_config
from .trace import phase

if TYPE_CHECKING:
    from .services import Services

EMBED_EVENTS = 10
# Registry kind -> the URL pair of its embeds.
EMBED_KINDS = {"streets": "EMBED_STREET", "categories": "EMBED_CATEGORY", "teams": "EMBED_TEAM",
               "audiences": "EMBED_AUDIENCE", "programmes": "EMBED_PROGRAMME", "campaigns": "EMBED_CAMPAIGN",
               "venues": "EMBED_VENUE", "communities": "EMBED_COMMUNITY", "people": "EMBED_PERSON"}


@dataclass(frozen=True, slots=True)
class FigurePlan:
    """The years with events, and this year's figures of each street (shown on its page)."""

    years: list[int]
    streets: dict[str, Any]  # street id → Figures
    stats_url: str  # this year's figures, or all years' when this year has none


def plan_figures(index: SiteIndex, urls: UrlScheme) -> FigurePlan:
    found = years(index.entries, index.timezone)
    year = index.build_date.year
    return FigurePlan(found, {ident: figures(index, year, [*facet.upcoming, *facet.past])
                              for ident, facet in index.facets["streets"].items()},
                      urls.url("STATS_YEAR", year=year) if year in found else urls.url("STATS"))


def embed_links(index: SiteIndex, urls: UrlScheme, site: str) -> dict[str, dict[str, str]]:
    """Each grouping's embed page, by kind and id (its page offers the <iframe> code)."""
    return {kind: {i: f"{site}/{urls.url(key, id=i)}" for i in index.facets[kind]}
            for kind, key in EMBED_KINDS.items()}


class StatsGenerator(Generator):
    """/stats/ (all years) and /stats/<yyyy>/."""

    @background_output("statistics")
    def generate_output(self, writer) -> None:
        with phase("statistics"):
            services = services_of(self)
            index, urls = services.index, services.urls
            facet_urls = {kind: {ident: f.url for ident, f in facets.items()}
                          for kind, facets in index.facets.items()}
            template = self.get_template("stats")
            found = services.figures.years
            counted = {y: figures(index, y, facet_urls=facet_urls) for y in [None, *found]}  # each year once
            overview = [(y, urls.url("STATS_YEAR", year=y), counted[y]) for y in found]
            scopes = [(None, urls.url("STATS"), "STATS", {})] + [
                (y, urls.url("STATS_YEAR", year=y), "STATS_YEAR", {"year": y}) for y in found]
            for year, url, kind, fields in scopes:
                result = counted[year]
                label = f"{year}年" if year else "历年"
                book = yearbook(index, result, facet_urls)
                downloads = self._summary(services, book) if year else {}
                writer.write_file(urls.save_as(kind, **fields), template, self.context, url=url,
                                  page_name="stats", figures=result, label=label, overview=overview,
                                  charts=_charts(result, label, index.area_words.short)
                                  | _book_charts(book, label), yearbook=book,
                                  downloads=downloads, attendance_note=ATTENDANCE_NOTE)

    def _summary(self, services: Services, book: Yearbook) -> dict[str, tuple[str, str]]:
        """Write the year's summary table; (url, file name offered) of the CSV and the XLSX."""
        index, urls, out = services.index, services.urls, services.out
        title = f"{services.district.name}{book.year}年科普活动年度统计"
        table = lines(book, title, index.build_date)
        made = {"csv": summary_csv(table), "xlsx": summary_xlsx(table, index.build_date)}
        for suffix, data in made.items():
            out.write(urls.save_as(f"STATS_SUMMARY_{suffix.upper()}", year=book.year), data)
        return {suffix: (urls.url(f"STATS_SUMMARY_{suffix.upper()}", year=book.year), f"{title}.{suffix}")
                for suffix in made}


def _charts(result, label: str, area: str) -> dict[str, str]:
    """The page's charts; ``area``: what the district calls its streets (街镇, 乡镇…)."""
    charts = {
        "streets": bar_chart([(r.label, r.events) for r in result.streets], f"{label}各{area}活动数", "c-streets"),
        "kinds": bar_chart([(r.label, r.events) for r in result.kinds], f"{label}{AreaWords.of({r.label for r in result.kinds}).listed}活动数", "c-kinds"),
        "categories": bar_chart([(r.label, r.events) for r in result.categories], f"{label}各类型活动数",
                                "c-categories"),
        "audiences": bar_chart([(r.label, r.events) for r in result.audiences], f"{label}各服务对象活动数",
                               "c-audiences"),
    }
    if result.months:
        charts["months"] = column_chart([(r.label, r.sessions) for r in result.months], f"{label}每月场次",
                                        "c-months")
    return charts


def _book_charts(book: Yearbook, label: str) -> dict[str, str]:
    """场次 per programme (lower programmes indented by their label) and per campaign."""
    return {key: bar_chart([("　" * r.depth + r.label, r.sessions) for r in book.section(key).lines],
                           f"{label}{title}场次", f"c-{key}")
            for key, title in (("programmes", "各科普项目"), ("campaigns", "各主题活动"))}


class OpenDataGenerator(Generator):
    """/data/events.json with its JSON Schema, /data/events.csv, per-street JSON and a guide page."""

    @background_output("open data")
    def generate_output(self, writer) -> None:
        with phase("open data"):
            services = services_of(self)
            index, urls, site, out = services.index, services.urls, services.site_url, services.out
            schema_url = f"{site}/{urls.url('DATA_SCHEMA')}"
            in_window = services.feeds.in_window
            cache = FragmentCache(Path(self.settings["CACHE_PATH"]) / "opendata.pickle")
            fingerprints = services.fingerprints

            def fragments(entry: EventEntry) -> tuple[str, list]:
                ics = f"{site}/{urls.url('EVENT_ICS', slug=entry.event.slug)}" if in_window(entry) else None
                return record_json(event_record(entry, index, site, ics)), csv_lines(entry, index, site)

            made = {e.event.slug: cache.get(fingerprints[e.event.slug], partial(fragments, e))
                    for e in index.entries}
            cache.save()
            out.write(urls.save_as("DATA_EVENTS"),
                      events_json_parts([record for record, _ in made.values()], index, site, schema_url))
            out.write(urls.save_as("DATA_SCHEMA"), dumps(schema(schema_url)))
            out.write(urls.save_as("DATA_CSV"), csv_document_parts(lines for _, lines in made.values()))
            for ident, facet in index.facets["streets"].items():
                slugs = sorted(e.event.slug for e in [*facet.upcoming, *facet.past])
                out.write(urls.save_as("DATA_STREET", id=ident),
                          events_json_parts([made[s][0] for s in slugs], index, site, schema_url))
            for kind in PUBLIC_FIELDS:
                links = {ident: (facet.url, urls.url(f"{FACET_PREFIX[kind]}_FEED", id=ident))
                         for ident, facet in index.facets[kind].items()}
                out.write(urls.save_as("DATA_REGISTRY", registry=kind),
                          dumps(registry_document(index, kind, site, links, DATA_VERSION)))
            registries = [(kind, TITLES[kind], urls.url("DATA_REGISTRY", registry=kind),
                           [(key, FIELD_NOTES[key]) for key in (*PUBLIC_FIELDS[kind], "events", "url", "feed")])
                          for kind in PUBLIC_FIELDS]
            writer.write_file(urls.save_as("DATA"), self.get_template("data"), self.context, url=urls.url("DATA"),
                              page_name="data", schema=schema(schema_url)["properties"]["events"]["items"],
                              csv_columns=[(label, CSV_NOTES[key]) for key, label in CSV_COLUMNS],
                              registries=registries)


class EmbedsGenerator(Generator):
    """Light pages listing a street's, category's, team's or audience's next events, made for
    an <iframe>: at most EMBED_EVENTS, in a list that scrolls inside the frame, so the link to
    more events stays in view at any frame height."""

    def generate_output(self, writer) -> None:
        with phase("embeds"):
            services = services_of(self)
            index, urls = services.index, services.urls
            template = self.get_template("embed")
            for kind, key in EMBED_KINDS.items():
                for ident, facet in index.facets[kind].items():
                    writer.write_file(urls.save_as(key, id=ident), template, self.context, url=urls.url(key, id=ident),
                                      page_name="embed", facet=facet, entries=facet.upcoming[:EMBED_EVENTS])


class ChangesGenerator(Generator):
    """/feeds/changes.atom: what changed, newest first, from content and its history."""

    def generate_output(self, writer) -> None:
        with phase("change feed"):
            services = services_of(self)
            index, urls, site, out = services.index, services.urls, services.site_url, services.out
            history = services.feeds.history
            config = site_config(self.settings)
            stamp = datetime.combine(index.build_date, time(), index.timezone).astimezone(UTC)
            places = services.feeds.places
            changes = [change for entry in index.entries
                       for change in [*changes_for(entry, history.get(entry.event.slug), stamp),
                                      *venue_changes_for(entry, places, history.get(entry.event.slug), stamp)]]
            path = urls.url("CHANGES_FEED")
            out.write(urls.save_as("CHANGES_FEED"),
                      atom(changes, site, f"{site}/{path}", f"{config.sitename} · 活动变动", config.uid_domain))
