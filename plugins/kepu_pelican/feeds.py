"""Pelican generator for calendar feeds, single-event .ics files and the subscribe page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from pelican.generators import Generator

from kepu import atom
from kepu.history import derived_stamp, load_history
from kepu.ics import EventComponents, Feed, FeedSettings, Stamp, feed_bytes, stamp_time
from kepu.problems import WARNING, Problem
from kepu.site import EventEntry, SiteIndex, last_local_day
from kepu.subscribe import FeedLinks, feed_links, google_event_link
from kepu.urls import FACET_PREFIX, UrlScheme

from .engine import OutputReuse, digest
from .parallel import fork_map
from .settings import build_date, layout, public_url
from .trace import phase
from .writing import ByteWriter

logger = logging.getLogger(__name__)

FEED_TITLES = {
    "streets": ("{name}科普活动", "{district}{name}的科普活动。"),
    "teams": ("{name}的活动", "{name}组织的科普活动。"),
    "categories": ("{name} · 科普活动", "{district}“{name}”类科普活动。"),
    "audiences": ("适合{name}的科普活动", "{district}适合{name}参加的科普活动。"),
    "programmes": ("{name} · 科普项目", "{district}“{name}”项目的科普活动。"),
    "campaigns": ("{name}", "{district}{name}期间的科普活动。"),
    "venues": ("{name}的科普活动", "在{name}举办的科普活动。"),
    "communities": ("{name}的科普活动", "{district}{name}的科普活动。"),
    "people": ("{name}主讲的活动", "{name}主讲或参加的科普活动。"),
}


@dataclass(frozen=True, slots=True)
class EventCalendarLinks:
    """The event page's “加入日历” links."""

    ics: str
    google: str


def feed_settings(settings) -> FeedSettings:
    return FeedSettings(
        site_url=public_url(settings),
        uid_domain=settings["UID_DOMAIN"],
        timezone=settings["TIMEZONE"],
        refresh=settings.get("FEED_REFRESH", "PT6H"),
        past_days=int(settings.get("FEED_PAST_DAYS", 90)),
        max_bytes=int(settings.get("FEED_MAX_BYTES", 1_000_000)),
    )


class FeedsGenerator(Generator):
    """Builds every feed from the shared site index; pages link them via the context."""

    def generate_context(self) -> None:
        index: SiteIndex = self.context["kepu"]
        urls: UrlScheme = self.context["kepu_urls"]
        self.feed_settings = feed_settings(self.settings)
        self.stamps = self._stamps(index)
        self.components = EventComponents(self.feed_settings, self.stamps,
                                          lambda entry: self.feed_settings.absolute(entry.url))
        sitename = self.settings["SITENAME"]
        self.feeds = [Feed(urls.url("FEED_ALL"), sitename, f"{sitename}：全部科普活动。",
                           urls.url("HOME"), index.entries)]
        self.urls = urls
        self.atom_feeds: list[tuple[str, atom.AtomFeed]] = []  # (save_as, feed)
        all_atom = self._add_atom("ATOM_ALL", "all", self.feeds[0])
        links: dict[str, dict[str, FeedLinks]] = {}
        self.subscribe_pages: list[tuple[str, FeedLinks, str, object]] = []  # (save_as, links, name, facet)
        for kind, facets in index.facets.items():
            prefix = FACET_PREFIX[kind]
            title, description = FEED_TITLES[kind]
            links[kind] = {}
            for facet in facets.values():
                fields = {"name": facet.name, "kind": getattr(facet.item, "kind", ""),
                          "district": self.context["kepu_district"].name}
                feed = Feed(urls.url(f"{prefix}_FEED", id=facet.id),
                            f"{title.format(**fields)} · {sitename}", description.format(**fields),
                            facet.url, [*facet.upcoming, *facet.past])
                self.feeds.append(feed)
                links[kind][facet.id] = feed_links(self.feed_settings, feed.path, feed.name,
                                                   self.context["kepu_qr"],
                                                   urls.url(f"SUBSCRIBE_FEED_{prefix}", id=facet.id),
                                                   self._add_atom(f"{prefix}_ATOM", f"{kind}/{facet.id}", feed,
                                                                  id=facet.id))
                self.subscribe_pages.append((urls.save_as(f"SUBSCRIBE_FEED_{prefix}", id=facet.id),
                                             links[kind][facet.id], facet.name, facet))
        self.context["kepu_feeds"] = links
        self.context["kepu_feed_all"] = feed_links(self.feed_settings, self.feeds[0].path, sitename,
                                                   self.context["kepu_qr"], urls.url("SUBSCRIBE_FEED_ALL"),
                                                   all_atom)
        self.subscribe_pages.insert(0, (urls.save_as("SUBSCRIBE_FEED_ALL"), self.context["kepu_feed_all"],
                                        "全区", None))
        self.context["kepu_calendar_links"] = self.calendar_links
        self.context["kepu_feed_window"] = self.in_window
        self.zone = index.timezone
        self.since = build_date(self.settings) - timedelta(days=self.feed_settings.past_days)

    def in_window(self, entry: EventEntry) -> bool:
        """Events a calendar can still use: coming ones and those ended in the past window."""
        return not entry.is_past or last_local_day(entry.last, self.zone) >= self.since

    def calendar_links(self, entry: EventEntry) -> EventCalendarLinks | None:
        """The event page's add-to-calendar links; none for events long over."""
        if not self.in_window(entry):
            return None
        return EventCalendarLinks(self.urls.url("EVENT_ICS", slug=entry.event.slug),
                                  google_event_link(entry, self.feed_settings))

    def _stamps(self, index: SiteIndex) -> dict[str, Stamp]:
        lay = layout(self.settings)
        paths = {entry.event.slug: lay.root / entry.event.source_path for entry in index.entries}
        places = {ident: (place.name, place.address) for ident, place in index.registries.venues.items()}
        history = load_history(lay.root, paths.values(), places)
        self.context["kepu_history"] = {slug: history[path] for slug, path in paths.items() if path in history}
        stamps = {}
        for entry in index.entries:
            event = entry.event
            known = history.get(paths[event.slug])
            # The later of the editor's `updated:` and the last commit: a stale field hides nothing.
            modified = max(filter(None, (event.updated, known.modified if known else None)), default=None)
            sequence = max(event.sequence, known.sequence if known else 0)
            derived = None if modified else derived_stamp(paths[event.slug].read_bytes())
            stamps[event.slug] = Stamp(modified, sequence, derived)
        return stamps

    def _write_atom(self, index: SiteIndex, out: ByteWriter) -> None:
        """Each grouping's upcoming events for feed readers, dated like their calendar entries."""
        settings = atom.AtomSettings(self.feed_settings.site_url, self.feed_settings.uid_domain,
                                     self.settings.get("ORGANIZATION") or self.settings["SITENAME"],
                                     self.urls.url("EVENT_CATEGORIES"),
                                     int(self.settings.get("ATOM_MAX_ENTRIES", atom.MAX_ENTRIES)))
        history = self.context["kepu_history"]
        revisions = {slug: atom.Revision(stamp_time(stamp), getattr(history.get(slug), "created", None))
                     for slug, stamp in self.stamps.items()}
        for save_as, feed in self.atom_feeds:
            out.write(save_as, atom.feed_bytes(feed, settings, revisions, index.timezone))

    def _add_atom(self, kind: str, key: str, calendar: Feed, **fields: str) -> str:
        """The Atom feed of a calendar feed's events (its upcoming ones); returns its URL."""
        url = self.urls.url(kind, **fields)
        self.atom_feeds.append((self.urls.save_as(kind, **fields), atom.AtomFeed(
            url, key, calendar.name, calendar.description, calendar.page_url, calendar.path,
            tuple(calendar.entries))))
        return url

    def _write_single_events(self, index: SiteIndex, out: ByteWriter, day) -> None:
        """Each event's own .ics, on every core; an unchanged one is linked from the previous
        build. Either way its VEVENT bytes come back to serve the feeds as they are."""
        reuse: OutputReuse = self.context["kepu_reuse"]
        fingerprints = self.context["kepu_fingerprints"]
        pending = []
        for entry in filter(self.in_window, index.entries):
            slug = entry.event.slug
            path = self.urls.save_as("EVENT_ICS", slug=slug)
            if reuse.reuse(path, digest(fingerprints[slug], self.stamps[slug])):
                self.components.adopt(entry, reuse.staged_bytes(path))
            else:
                pending.append(entry)
        for made in fork_map(lambda part: self._single_events(part, out, day), pending,
                             self.settings.get("KEPU_WORKERS")):
            self.components.remember(made)

    def _single_events(self, entries: list[EventEntry], out: ByteWriter, day) -> dict[str, bytes]:
        for entry in entries:
            slug = entry.event.slug
            single = Feed(self.urls.url("EVENT_ICS", slug=slug), entry.event.title,
                          entry.event.summary or entry.event.title, entry.url, [entry])
            data = feed_bytes(single, self.feed_settings, self.components, day, single=True)[0]
            out.write(self.urls.save_as("EVENT_ICS", slug=slug), data)
        return {entry.event.slug: self.components.serialize(entry) for entry in entries}

    def generate_output(self, writer) -> None:
        out: ByteWriter = self.context["kepu_writer"]
        index: SiteIndex = self.context["kepu"]
        day = build_date(self.settings)
        windows = {}
        with phase("feeds: single events"):
            self._write_single_events(index, out, day)  # first: they give feeds reused VEVENTs
        with phase("feeds: subscriptions"):
            for feed in self.feeds:
                data, windows[feed.path] = feed_bytes(feed, self.feed_settings, self.components, day)
                out.write(feed.path, data)
        _report_left_out(windows.values())
        self.context["kepu_feed_windows"] = windows
        with phase("feeds: atom"):
            self._write_atom(index, out)
        writer.write_file(self.urls.save_as("SUBSCRIBE"), self.get_template("subscribe"),
                          self.context, url=self.urls.url("SUBSCRIBE"), page_name="subscribe")
        with phase("feeds: subscribe pages"):
            template = self.get_template("subscribe_feed")
            for save_as, links, name, facet in self.subscribe_pages:
                writer.write_file(save_as, template, self.context, url=links.page, page_name="subscribe_feed",
                                  feed=links, feed_name=name, facet=facet)


def _report_left_out(windows) -> None:
    """An event too large for the shared calendars is never dropped silently: its editor is told."""
    for source in sorted({path for window in windows for path in window.left_out}):
        logger.warning("%s", Problem(source, 0, "", "这项活动的日历信息太长，没有放进全区、街镇等共享日历（只在它自己的 .ics 里）",
                                     "精简简介、标签、例外日期和补充日期", WARNING).format())
