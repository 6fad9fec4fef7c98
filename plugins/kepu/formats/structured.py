"""schema.org Event data (JSON-LD) for event pages, and JSON that is safe inside <script>."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from kepu.content.district import NO_DISTRICT, District
from kepu.content.sessions import MOVED
from kepu.index.site import EventEntry

STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "full": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    # By Event.shown_status: postponed to a new date is rescheduled; without one, postponed.
    "rescheduled": "https://schema.org/EventRescheduled",
    "postponed": "https://schema.org/EventPostponed",
}
# Replaced one after another (``str.replace`` is many times faster than ``str.translate`` with a
# table): no replacement holds a character that a later one replaces.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                   ("\u2029", "\\u2029"))


def script_json(data: Any) -> str:
    """JSON for an inline <script>: no ``</script>``, ``<!--`` or line separators can appear."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return text


def event_jsonld_script(entry: EventEntry, image_url: str, site_url: str, district: District = NO_DISTRICT) -> str:
    """The event page's JSON-LD, ready for its <script> (the theme's filter: worked out only for the
    pages that are rendered)."""
    return script_json(event_jsonld(entry, f"{site_url}/{entry.url}", image_url, f"{site_url}/{entry.team_url}",
                                    district))


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def _place(entry: EventEntry, district: District) -> dict | None:
    venue = entry.shown_venue
    if venue is None:
        return None
    place: dict[str, Any] = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address or venue.name,
            "addressLocality": district.name,
            "addressRegion": district.region,
            "addressCountry": "CN",
        },
    }
    if not district.region:
        del place["address"]["addressRegion"]
    if venue.has_geo:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.lat, "longitude": venue.lon}
    return place


def _status(entry: EventEntry) -> str:
    """The event's shown status, or that of the session shown: rescheduled when it moved to another
    time, cancelled when it was cancelled (every session to come of a series may be)."""
    if entry.shown_label == MOVED:
        return "rescheduled"
    return "cancelled" if entry.shown.cancelled else entry.event.shown_status


def _availability(entry: EventEntry) -> str:
    """A place to be had: not for a session that will not take place (cancelled, or postponed to a
    time not yet known), nor when it is full."""
    if not entry.shown.held:
        return "https://schema.org/Discontinued" if entry.shown.cancelled else "https://schema.org/OutOfStock"
    return "https://schema.org/SoldOut" if entry.event.status == "full" else "https://schema.org/InStock"


def _attendance(entry: EventEntry) -> str:
    if entry.event.is_hybrid:
        return "https://schema.org/MixedEventAttendanceMode"
    if entry.event.is_online:
        return "https://schema.org/OnlineEventAttendanceMode"
    return "https://schema.org/OfflineEventAttendanceMode"


def event_jsonld(entry: EventEntry, page_url: str, image_url: str, team_url: str,
                 district: District = NO_DISTRICT) -> dict:
    """A schema.org Event for the occurrence a page shows (the next one, or the last)."""
    event, shown = entry.event, entry.shown
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": _iso(shown.start),
        "endDate": _iso(shown.end),
        "eventStatus": STATUS[_status(entry)],
        "eventAttendanceMode": _attendance(entry),
        "description": event.summary or event.title,
        "image": [image_url],
        "url": page_url,
        "inLanguage": "zh-CN",
        "organizer": {"@type": "Organization", "name": entry.team.name, "url": team_url},
    }
    locations = [place for place in (_place(entry, district),) if place]
    if event.online:
        locations.append({"@type": "VirtualLocation", "url": event.online})
    data["location"] = locations[0] if len(locations) == 1 else locations
    if event.previous_start and event.status == "postponed":
        data["previousStartDate"] = _iso(event.previous_start)
    elif _status(entry) == "rescheduled":  # the shown session of a series moved to another time
        data["previousStartDate"] = _iso(shown.change.original)
    if event.is_free:
        data["isAccessibleForFree"] = True
    offer: dict[str, Any] = {
        "@type": "Offer",
        "url": event.registration.url if event.registration and event.registration.url else page_url,
        "availability": _availability(entry),
        "validFrom": _iso(shown.start if not isinstance(shown.start, datetime) else shown.start.date()),
    }
    if event.is_free:
        offer.update(price=0, priceCurrency="CNY")
    data["offers"] = offer
    if entry.audiences:
        data["audience"] = {"@type": "Audience", "audienceType": "、".join(a.name for a in entry.audiences)}
    if event.age_min is not None or event.age_max is not None:
        high = "" if event.age_max is None else event.age_max
        data["typicalAgeRange"] = f"{event.age_min or 0}-{high}"
    return data
