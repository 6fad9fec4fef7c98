"""Pelican generator for calendar feeds, single-event .ics files and the subscribe page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pelican.generators import Generator

from kepu.content.problems import WARNING, Problem
from kepu.content.registries import REGISTRY_FILES
from kepu.formats import atom
from kepu.formats.ics import EventComponents, Feed, FeedSettings, FeedWindow, Stamp, feed_bytes, stamp_time
from kepu.formats.subscribe import CalendarWindow, FeedLinks, feed_links
from kepu.formats.urls import FACET_PREFIX, UrlScheme
from kepu.index.history import PlaceHistory, derived_stamp, load_history, place_history
from kepu.index.site import EventEntry, SiteIndex

from .engine import digest
from .engine.fragments import FragmentCache
from .parallel import fork_map, spread
from .services import services_of
from .settings import build_date, layout, site_config
from .trace import phase

if TYPE_CHECKING:
    from .services import Services

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


def feed_settings(settings) -> FeedSettings:
    config = site_config(settings)
    return FeedSettings(
        site_url=config.public_url,
        uid_domain=config.uid_domain,
        timezone=config.timezone,
        refresh=settings.get("FEED_REFRESH", "PT6H"),
        past_days=int(settings.get("FEED_PAST_DAYS", 90)),
        max_bytes=int(settings.get("FEED_MAX_BYTES", 1_000_000)),
    )


@dataclass(slots=True)
class FeedPlan:
    """Every feed of the site, the links pages show for them, and what calendar entries are
    stamped with; made once before any page is written."""

    settings: FeedSettings
    urls: UrlScheme
    stamps: dict[str, Stamp]
    history: dict  # slug → FileHistory (created, modified, sequence)
    components: EventComponents
    feeds: list[Feed]
    atom_feeds: list[tuple[str, atom.AtomFeed]] = field(default_factory=list)  # (save_as, feed)
    links: dict[str, dict[str, FeedLinks]] = field(default_factory=dict)  # kind → id → links
    all_links: FeedLinks | None = None
    subscribe_pages: list[tuple[str, FeedLinks, str, object]] = field(default_factory=list)  # (save_as, links, name, facet)
    window: CalendarWindow | None = None  # which events calendars still use
    # A feed path → what writes it instead of the usual window (a campaign's whole window).
    overrides: dict[str, Callable[[Feed], tuple[bytes, FeedWindow]]] = field(default_factory=dict)
    places: PlaceHistory = field(default_factory=PlaceHistory)  # venues.yml's history: the change feed's

    def in_window(self, entry: EventEntry) -> bool:
        """Events a calendar can still use: coming ones and those ended in the past window."""
        return self.window.holds(entry)

    def add_atom(self, kind: str, key: str, calendar: Feed, **fields: str) -> str:
        """The Atom feed of a calendar feed's events (its upcoming ones); returns its URL."""
        url = self.urls.url(kind, **fields)
        self.atom_feeds.append((self.urls.save_as(kind, **fields), atom.AtomFeed(
            url, key, calendar.name, calendar.description, calendar.page_url, calendar.path,
            tuple(calendar.entries), tuple(calendar.sessions))))
        return url


def plan_feeds(settings, index: SiteIndex, urls: UrlScheme, district, qr) -> FeedPlan:
    """The district's feed, each grouping's, their Atom twins and subscribe pages."""
    config = feed_settings(settings)
    stamps, history, places = _stamps(settings, index)
    sitename = settings["SITENAME"]
    plan = FeedPlan(config, urls, stamps, history,
                    EventComponents(config, stamps, lambda entry: config.absolute(entry.url)),
                    [Feed(urls.url("FEED_ALL"), sitename, f"{sitename}：全部科普活动。", urls.url("HOME"),
                          index.entries)],
                    window=CalendarWindow(config, urls.patterns["EVENT_ICS"][0], index.timezone,
                                          build_date(settings) - timedelta(days=config.past_days)),
                    places=places)
    all_atom = plan.add_atom("ATOM_ALL", "all", plan.feeds[0])
    for kind, facets in index.facets.items():
        plan.links[kind] = {facet.id: _facet_feed(plan, kind, facet, sitename, district.name, qr)
                            for facet in facets.values()}
    plan.all_links = feed_links(config, plan.feeds[0].path, sitename, qr, urls.url("SUBSCRIBE_FEED_ALL"), all_atom)
    plan.subscribe_pages.insert(0, (urls.save_as("SUBSCRIBE_FEED_ALL"), plan.all_links, district.whole, None))
    return plan


def _facet_feed(plan: FeedPlan, kind: str, facet, sitename: str, district: str, qr) -> FeedLinks:
    urls, prefix = plan.urls, FACET_PREFIX[kind]
    title, description = FEED_TITLES[kind]
    fields = {"name": facet.name, "kind": getattr(facet.item, "kind", ""), "district": district}
    # A venue's sessions of other events moved there: those held stay for the calendars' past window.
    held = [visit for visit in facet.visited if plan.window.holds_session(visit.occurrence)]
    feed = Feed(urls.url(f"{prefix}_FEED", id=facet.id), f"{title.format(**fields)} · {sitename}",
                description.format(**fields), facet.url, [*facet.upcoming, *facet.past], [*held, *facet.visiting])
    plan.feeds.append(feed)
    links = feed_links(plan.settings, feed.path, feed.name, qr,
                       urls.url(f"SUBSCRIBE_FEED_{prefix}", id=facet.id),
                       plan.add_atom(f"{prefix}_ATOM", f"{kind}/{facet.id}", feed, id=facet.id))
    plan.subscribe_pages.append((urls.save_as(f"SUBSCRIBE_FEED_{prefix}", id=facet.id), links, facet.name, facet))
    return links


def _stamps(settings, index: SiteIndex) -> tuple[dict[str, Stamp], dict, PlaceHistory]:
    """Each event's calendar stamp (last modified, sequence), from its file and the history."""
    lay = layout(settings)
    paths = {entry.event.slug: lay.root / entry.event.source_path for entry in index.entries}
    places = place_history(lay.content, lay.content / lay.data / REGISTRY_FILES["venues"], index.registries.venues)
    history = load_history(lay.content, paths.values(), places)
    latest = datetime.combine(build_date(settings) + timedelta(days=1), time(), index.timezone)
    stamps = {}
    for entry in index.entries:
        event = entry.event
        known = history.get(paths[event.slug])
        # The latest of the editor's `updated:`, the file's last commit and the last change of a
        # registered venue it names, its own or a moved session's (renamed, moved: a LOCATION
        # changed, and ICSx5 updates an event only when LAST-MODIFIED moves). A stale field hides nothing.
        venue_changed = max(filter(None, map(places.changed, entry.venues_named)), default=None)
        modified = max(filter(None, (event.updated, known.modified if known else None, venue_changed)), default=None)
        modified = min(modified, latest) if modified else None  # none after the build's day (see changes_for)
        sequence = max(event.sequence, known.sequence if known else 0)
        derived = None if modified else derived_stamp(paths[event.slug].read_bytes())
        stamps[event.slug] = Stamp(modified, sequence, derived)
    return stamps, {slug: history[path] for slug, path in paths.items() if path in history}, places


class FeedsGenerator(Generator):
    """Each event's own .ics, first: the shared calendars reuse their VEVENTs."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        with phase("feeds: single events"):
            self._write_single_events(services, build_date(self.settings))

    def _write_single_events(self, services: Services, day) -> None:
        """Each event's own .ics, on every core; an unchanged one is linked from the previous
        build. Either way its VEVENT bytes come back to serve the feeds as they are."""
        plan, reuse = services.feeds, services.reuse
        pending = []
        for entry in filter(plan.in_window, services.index.entries):
            slug = entry.event.slug
            path = services.urls.save_as("EVENT_ICS", slug=slug)
            if reuse.reuse(path, digest(services.fingerprints[slug], plan.stamps[slug])):
                plan.components.adopt(entry, reuse.staged_bytes(path))
            else:
                pending.append(entry)
        for made in fork_map(lambda part: self._single_events(services, part, day), pending,
                             *spread(self.settings)):
            plan.components.remember(made)

    def _single_events(self, services: Services, entries: Iterable[EventEntry], day) -> dict[str, bytes]:
        plan, urls = services.feeds, services.urls
        made = {}
        for entry in entries:  # once: they may be handed out while this goes (fork_map)
            slug = entry.event.slug
            single = Feed(urls.url("EVENT_ICS", slug=slug), entry.event.title,
                          entry.event.summary or entry.event.title, entry.url, [entry])
            data = feed_bytes(single, plan.settings, plan.components, day, single=True)[0]
            services.out.write(urls.save_as("EVENT_ICS", slug=slug), data)
            made[slug] = plan.components.serialize(entry)
        return made


class SubscriptionsGenerator(Generator):
    """The shared calendars the plan lists and the subscribe pages."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        plan, urls = services.feeds, services.urls
        day = build_date(self.settings)
        windows = {}
        with phase("feeds: subscriptions"):
            for feed in plan.feeds:
                own = plan.overrides.get(feed.path)
                data, window = own(feed) if own else feed_bytes(feed, plan.settings, plan.components, day)
                services.out.write(feed.path, data)
                windows[feed.path] = window
        _report_left_out(windows.values())
        # Calendars the size limit cut (what they keep is said where people subscribe to them).
        cut = [(name if facet else f"{name}全部活动", windows[links.url]) for _, links, name, facet in plan.subscribe_pages
               if links.url not in plan.overrides and windows[links.url].cut]
        writer.write_file(urls.save_as("SUBSCRIBE"), self.get_template("subscribe"),
                          self.context, url=urls.url("SUBSCRIBE"), page_name="subscribe", feeds_cut=cut)
        with phase("feeds: subscribe pages"):
            template = self.get_template("subscribe_feed")
            for save_as, links, name, facet in plan.subscribe_pages:
                writer.write_file(save_as, template, self.context, url=links.page, page_name="subscribe_feed",
                                  feed=links, feed_name=name, facet=facet, feed_window=windows[links.url])


class AtomFeedsGenerator(Generator):
    """Each grouping's upcoming events for feed readers, dated like their calendar entries."""

    def generate_output(self, writer) -> None:
        with phase("feeds: atom"):
            self._write_atom(services_of(self))

    def _write_atom(self, services: Services) -> None:
        plan = services.feeds
        settings = atom.AtomSettings(plan.settings.site_url, plan.settings.uid_domain,
                                     self.settings.get("ORGANIZATION") or self.settings["SITENAME"],
                                     services.urls.url("EVENT_CATEGORIES"),
                                     int(self.settings.get("ATOM_MAX_ENTRIES", atom.MAX_ENTRIES)))
        revisions = {slug: atom.Revision(stamp_time(stamp), getattr(plan.history.get(slug), "created", None))
                     for slug, stamp in plan.stamps.items()}
        # Each event's entry is written once for all the feeds it is in, and kept for the next
        # build by the event's fingerprint (the code, the settings and the entry) and its dates.
        cache = FragmentCache(Path(self.settings["CACHE_PATH"]) / "atom.pickle")
        fingerprints = services.fingerprints

        def make(entry: EventEntry) -> bytes:
            slug = entry.event.slug
            known = "" if entry.view else fingerprints.get(slug)  # a campaign's view: made afresh (few)
            return cache.get(known and digest(known, repr(revisions[slug])),
                             partial(atom.entry_bytes, entry, settings, revisions[slug]))

        written: dict[str, bytes] = {}
        order: dict[str, tuple] = {}
        for save_as, feed in plan.atom_feeds:
            services.out.write(save_as, atom.feed_bytes(feed, settings, revisions, services.index.timezone, written,
                                                        make, order))
        cache.save()


def _report_left_out(windows) -> None:
    """An event too large for the shared calendars is never dropped silently: its editor is told."""
    for source in sorted({path for window in windows for path in window.left_out}):
        logger.warning("%s", Problem(source, 0, "", "这项活动的日历信息太长，没有放进全部活动、街镇等共享日历（只在它自己的 .ics 里）",
                                     "精简简介和标签；例外日期、补充日期或单独改动的场次（sessions）很多时，"
                                     "把以后的安排另建一个系列（invoke new-event --from 这个活动）", WARNING).format())
