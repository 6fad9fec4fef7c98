"""Atom feeds (RFC 4287) of upcoming events for feed readers: one entry per event, at its next session.

Built with ElementTree rather than feedgenerator's Atom1Feed: that class dates an empty feed
(and an entry without dates) by the clock, always marks summaries as HTML, and writes
categories without labels and links without types. Here every date comes from the events'
revision stamps, so a feed's bytes change only when its events do.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from kepu.content.sessions import calendar_note
from kepu.formats.ics import (
    TITLE_PREFIX,
    UNKNOWN_STAMP,
    description_lines,
    session_title,
    shown_location_text,
)
from kepu.index.site import EventEntry, Visit, occurrence_key

ATOM = "http://www.w3.org/2005/Atom"
TAG_YEAR = 2026  # the date in every tag: URI (RFC 4151): UID_DOMAIN was ours then; never change it
MAX_ENTRIES = 100  # the soonest events of a feed; a reader shows no more at once


@dataclass(frozen=True, slots=True)
class AtomSettings:
    """Site-wide Atom settings."""

    site_url: str  # absolute, without a trailing slash
    uid_domain: str
    author: str  # who publishes the feeds
    category_scheme: str  # site-relative URL of the event categories' index
    max_entries: int = MAX_ENTRIES

    def absolute(self, url: str) -> str:
        return f"{self.site_url}/{url.lstrip('/')}"


@dataclass(frozen=True, slots=True)
class AtomFeed:
    """One feed: a grouping's events (upcoming and past; the feed keeps the upcoming ones)."""

    path: str  # site-relative URL of the .atom file
    key: str  # the stable part of the feed's id: "all", "streets/<id>"
    title: str
    description: str
    page_url: str  # the page the feed follows
    calendar_url: str  # the same events as a calendar subscription (.ics)
    entries: tuple[EventEntry, ...]
    visits: tuple[Visit, ...] = ()  # a venue's: other events' sessions moved to it (each an entry)


@dataclass(frozen=True, slots=True)
class Revision:
    """When an event was first published and last changed (UTC)."""

    updated: datetime
    published: datetime | None = None


def upcoming(entries: Iterable[EventEntry], zone: ZoneInfo, order: dict[str, tuple] | None = None) -> list[EventEntry]:
    """Events not over at the build, soonest session first (as the listing pages order them).
    ``order``: each event's place, worked out once for all the feeds it is in."""
    order = {} if order is None else order

    def place(entry: EventEntry) -> tuple:
        found = order.get(entry.key)  # a campaign's view of a series has its own (EventEntry.key)
        if found is None:
            found = order[entry.key] = occurrence_key(entry.shown, zone)
        return found

    return sorted((e for e in entries if not e.is_past), key=place)


def feed_bytes(feed: AtomFeed, settings: AtomSettings, revisions: Mapping[str, Revision],
               zone: ZoneInfo, written: dict[str, bytes] | None = None,
               make: Callable[[EventEntry], bytes] | None = None, order: dict[str, tuple] | None = None) -> bytes:
    """The whole .atom document; no clock: the feed's ``updated`` is its latest entry's.
    ``written``: each event's entry as XML, kept for the build's other feeds (an event is in
    the district's feed, its street's, its team's, its categories'…); ``make`` writes one
    (``entry_bytes`` by default: a build may take it from an earlier build's cache);
    ``order``: as ``upcoming``'s."""
    coming = upcoming(feed.entries, zone, order)
    shown = coming[: settings.max_entries]
    visits = feed.visits
    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    text_element(root, "id", f"tag:{settings.uid_domain},{TAG_YEAR}:upcoming:{feed.key}")
    text_element(root, "title", feed.title)
    text_element(root, "subtitle", f"{feed.description}{_count_text(len(coming) + len(visits), len(shown) + len(visits))}")
    text_element(root, "updated", iso(max([_feed_updated(feed, shown, revisions),
                                           *(revisions[v.entry.event.slug].updated for v in visits)])))
    _link(root, "self", settings.absolute(feed.path), "application/atom+xml")
    _link(root, "alternate", settings.absolute(feed.page_url), "text/html")
    _link(root, "related", settings.absolute(feed.calendar_url), "text/calendar")
    text_element(ET.SubElement(root, f"{{{ATOM}}}author"), "name", settings.author)
    if not shown and not visits:
        return document(root)
    written = {} if written is None else written
    entries = []
    for entry in shown:
        key = entry.key
        if key not in written:
            written[key] = make(entry) if make else entry_bytes(entry, settings, revisions[entry.event.slug])
        entries.append(written[key])
    entries += [visit_bytes(v, settings, revisions[v.entry.event.slug]) for v in visits]
    # The header as ``document`` indents it when entries follow, then the entries, each indented
    # as it would be inside the feed.
    ET.indent(root)
    root[-1].tail = _INDENT
    head = document(root, indented=True)
    closing = b"</feed>\n"
    assert head.endswith(closing)
    return head[: -len(closing)] + _INDENT.encode().join(entries) + b"\n" + closing


_INDENT = "\n  "
_DECLARED = f' xmlns="{ATOM}"'.encode()


def entry_bytes(entry: EventEntry, settings: AtomSettings, revision: Revision) -> bytes:
    """One ``<entry>`` as ``feed_bytes`` writes it inside a feed (indented one level)."""
    holder = ET.Element(f"{{{ATOM}}}feed")
    _entry(holder, entry, settings, revision)
    return _serialized(holder[0])


def _serialized(item: ET.Element) -> bytes:
    """An entry as it stands inside a feed (indented one level)."""
    ET.indent(item, level=1)
    ET.register_namespace("", ATOM)
    # Serialised alone, the entry declares the namespace the feed declares: said once, first.
    return ET.tostring(item, encoding="utf-8").replace(_DECLARED, b"", 1)


def visit_bytes(visit: Visit, settings: AtomSettings, revision: Revision) -> bytes:
    """A session moved to a venue, as an entry of that venue's feed (written as ``entry_bytes``)."""
    holder = ET.Element(f"{{{ATOM}}}feed")
    entry, occurrence = visit.entry, visit.occurrence
    event, change = entry.event, occurrence.change
    url = settings.absolute(entry.url)
    item = ET.SubElement(holder, f"{{{ATOM}}}entry")
    text_element(item, "id", f"tag:{settings.uid_domain},{TAG_YEAR}:session:{event.slug}:{change.original.isoformat()}")
    text_element(item, "title", session_title(event, change))
    text_element(item, "updated", iso(revision.updated))
    _link(item, "alternate", url, "text/html")
    text_element(ET.SubElement(item, f"{{{ATOM}}}author"), "name", entry.team.name)
    place = change.venue.name
    called_off = "已取消（本活动已取消）；" if occurrence.cancelled else ""
    text_element(item, "summary", f"{called_off}时间：{visit.text}；地点：{place}", type="text")
    lines = [calendar_note(change, occurrence.start, occurrence.end), f"时间：{visit.text}",
             *description_lines(entry, url, place, alone=True)[:-1]]
    link = html.escape(url)
    text_element(item, "content", "\n".join([*(f"<p>{html.escape(line)}</p>" for line in lines if line),
                                              f'<p>详情：<a href="{link}">{link}</a></p>']), type="html")
    return _serialized(item)


def _count_text(total: int, shown: int) -> str:
    if total == shown:
        return f"共 {total} 项即将举办的活动。"
    return f"即将举办的活动共 {total} 项，这里列出最近的 {shown} 项。"


def _feed_updated(feed: AtomFeed, shown: list[EventEntry], revisions: Mapping[str, Revision]) -> datetime:
    """The latest change among the feed's entries; an empty feed: among all its events (past ones
    too), so that it neither follows the clock nor goes back when its last entry ends."""
    pool = shown or feed.entries
    return max((revisions[e.event.slug].updated for e in pool), default=UNKNOWN_STAMP)


def _entry(root: ET.Element, entry: EventEntry, settings: AtomSettings, revision: Revision) -> None:
    event = entry.event
    url = settings.absolute(entry.url)
    item = ET.SubElement(root, f"{{{ATOM}}}entry")
    text_element(item, "id", f"tag:{settings.uid_domain},{TAG_YEAR}:event:{event.slug}")
    text_element(item, "title", TITLE_PREFIX.get(event.shown_status, "") + event.title)
    text_element(item, "updated", iso(revision.updated))
    if revision.published and revision.published <= revision.updated:
        text_element(item, "published", iso(revision.published))
    _link(item, "alternate", url, "text/html")
    author = ET.SubElement(item, f"{{{ATOM}}}author")
    text_element(author, "name", entry.team.name)
    if entry.team.email:
        text_element(author, "email", entry.team.email)
    for category in entry.categories:
        ET.SubElement(item, f"{{{ATOM}}}category", {
            "term": category.id, "label": category.name, "scheme": settings.absolute(settings.category_scheme)})
    text_element(item, "summary", _summary(entry), type="text")
    text_element(item, "content", _content(entry, url), type="html")


def _when_line(entry: EventEntry) -> str:
    """The session a listing shows: the next one of a series (已改期 when it moved)."""
    label = "下一场" if len(entry.upcoming) > 1 else "时间"
    moved = f"（{entry.shown_label}）" if entry.shown_label else ""
    return f"{label}：{entry.when}{moved}"


def _summary(entry: EventEntry) -> str:
    event = entry.event
    status = event.status_text if event.shown_status != "scheduled" else ""
    return "；".join(part for part in (status, _when_line(entry), shown_location_text(entry)) if part)


def _content(entry: EventEntry, url: str) -> str:
    """The calendar entry's facts as paragraphs of escaped text; the page link last, as a link."""
    lines = description_lines(entry, url, shown_location_text(entry))
    lines.pop()  # 详情：<url>, always last: written as a link below
    lines.insert(1 if entry.event.status != "scheduled" else 0, _when_line(entry))
    paragraphs = [f"<p>{html.escape(line)}</p>" for line in lines]
    link = html.escape(url)
    paragraphs.append(f'<p>详情：<a href="{link}">{link}</a></p>')
    return "\n".join(paragraphs)


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, "type": media_type})


def text_element(parent: ET.Element, name: str, value: str, **attributes: str) -> ET.Element:
    """An Atom element with text (and attributes)."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    element.text = value
    return element


def iso(value: datetime) -> str:
    """An RFC 3339 date-time in UTC, to the second."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def document(root: ET.Element, indented: bool = False) -> bytes:
    """The feed as UTF-8 XML with the Atom namespace as the default, indented (``indented``:
    it is already)."""
    ET.register_namespace("", ATOM)
    if not indented:
        ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
