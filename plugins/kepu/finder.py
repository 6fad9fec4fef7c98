"""The static JSON index behind the events list's filters (street, type, audience, dates, free)."""

from __future__ import annotations

from datetime import timedelta

from .site import SiteIndex, last_local_day, local_day

INDEX_VERSION = 1


def filter_index(index: SiteIndex, days: int) -> dict:
    """Upcoming events with an occurrence in the next ``days`` days, in list order.

    Each event carries the local first/last day of those occurrences so the browser can
    match "today", "this weekend", "this week" and "this month" against the reader's date.
    """
    until = index.build_date + timedelta(days=days)
    zone = index.timezone
    events = []
    for entry in index.upcoming:
        spans = [[local_day(o.start, zone).isoformat(), last_local_day(o, zone).isoformat()]
                 for o in entry.upcoming if local_day(o.start, zone) <= until]
        if not spans:
            continue
        event = entry.event
        registration = event.registration
        events.append({
            "url": entry.url,
            "title": event.title,
            "when": entry.when,
            "place": event.venue.name if event.venue else "线上活动",
            "street": event.street,
            "categories": list(event.categories),
            "audiences": list(event.audiences),
            "free": event.is_free,
            "registration": bool(registration and registration.required),
            "status": event.status,
            "dates": spans,
        })
    registries = index.registries
    return {
        "version": INDEX_VERSION,
        "build_date": index.build_date.isoformat(),
        "until": until.isoformat(),
        "streets": {k: v.name for k, v in registries.streets.items()},
        "categories": {k: v.name for k, v in registries.categories.items()},
        "audiences": {k: v.name for k, v in registries.audiences.items()},
        "status_labels": {"cancelled": "已取消", "postponed": "已延期", "full": "名额已满"},
        "events": events,
    }
