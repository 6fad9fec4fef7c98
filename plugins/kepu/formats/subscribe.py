"""Ways to subscribe to a feed or add one event: webcal, https, Google links and QR codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from kepu.formats.ics import FeedSettings, description_lines
from kepu.formats.iri import quote_iri
from kepu.formats.qr import QrCache
from kepu.index.site import EventEntry, Occurrence, last_local_day

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
GOOGLE_DETAILS_LIMIT = 600  # characters; long descriptions break Google's add link


@dataclass(frozen=True, slots=True)
class EventCalendarLinks:
    """The event page's “加入日历” links."""

    ics: str  # site-relative URL of the event's own .ics
    google: str  # "" where Google's copy would be wrong (google_event_link)


@dataclass(frozen=True, slots=True)
class CalendarWindow:
    """What every event page's add-to-calendar links are made from: the feed settings, the
    pattern of an event's own .ics URL, and the first day a calendar still uses (in ``zone``)."""

    settings: FeedSettings
    ics_url: str  # with {slug}
    zone: ZoneInfo
    since: date

    def holds(self, entry: EventEntry) -> bool:
        """Events a calendar can still use: coming ones and those ended in the past window."""
        return not entry.is_past or self.holds_session(entry.final)

    def holds_session(self, occurrence: Occurrence) -> bool:
        """A session a calendar can still use: its last day is in the past window or later."""
        return last_local_day(occurrence, self.zone) >= self.since


def calendar_links(entry: EventEntry, window: CalendarWindow) -> EventCalendarLinks | None:
    """An event page's add-to-calendar links; none for events long over. The theme calls it as a
    filter, so that it is worked out only for the pages that are rendered."""
    if not window.holds(entry):
        return None
    return EventCalendarLinks(window.ics_url.format(slug=entry.event.slug), google_event_link(entry, window.settings))


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """Everything a subscribe block shows for one feed."""

    url: str  # site-relative path of the .ics
    https: str
    webcal: str
    google: str
    qr_svg: str
    page: str = ""  # site-relative URL of the feed's own subscribe page
    page_url: str = ""  # the same, absolute: what the QR code encodes
    atom: str = ""  # site-relative path of the same events' Atom feed, for feed readers


def webcal(https_url: str) -> str:
    return re.sub(r"^https?://", "webcal://", https_url)


def feed_links(settings: FeedSettings, path: str, name: str, qr: QrCache, page: str,
               atom: str = "") -> FeedLinks:
    """The links for the feed at ``path``; its QR code opens ``page``, the feed's subscribe page:
    WeChat's scanner (and most phone cameras) cannot do anything with a raw .ics address, while
    a page can show each phone's steps next to the one-tap webcal:// and https links."""
    https = settings.absolute(path)
    page_url = settings.absolute(page)
    return FeedLinks(
        url=path,
        https=https,
        webcal=webcal(https),
        google=f"{GOOGLE_RENDER}?cid={quote(webcal(https), safe='')}",
        qr_svg=qr.svg(page_url, f"{name}订阅页面的二维码"),
        page=page,
        page_url=page_url,
        atom=atom,
    )


def shorten(text: str, limit: int) -> str:
    """Cut at a line or character boundary, never inside a character, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if "\n" in cut[limit // 2:]:
        cut = cut[: cut.rindex("\n")]
    return cut.rstrip() + "…"


def _google_dates(entry: EventEntry, zone: ZoneInfo) -> str:
    occurrence = entry.shown
    if not isinstance(occurrence.start, datetime):
        end = occurrence.end + timedelta(days=1)
        return f"{occurrence.start:%Y%m%d}/{end:%Y%m%d}"
    start = occurrence.start.astimezone(UTC)
    end = occurrence.end.astimezone(UTC)
    return f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"


def google_event_link(entry: EventEntry, settings: FeedSettings) -> str:
    """Google Calendar's add-event link with a safely shortened description; "" where a copy would
    be wrong and never correct itself: a series (Google restarts its rule at the shown session and drops
    EXDATE and RDATE) and a cancelled event."""
    event = entry.event
    if event.recurrence or event.shown_status == "cancelled":
        return ""
    url = settings.absolute(entry.url)
    lines = description_lines(entry, url)
    details = shorten("\n".join(lines[:-1]), GOOGLE_DETAILS_LIMIT) + "\n" + lines[-1]
    params = {
        "action": "TEMPLATE",
        "text": entry.event.title,
        "dates": _google_dates(entry, ZoneInfo(settings.timezone)),
        "details": details,
        "location": (entry.event.venue.name if entry.event.venue else entry.event.online) or "",
        "ctz": entry.event.timezone,
    }
    return f"{GOOGLE_RENDER}?{urlencode(params, quote_via=quote_iri)}"
