"""The static JSON index behind the events list's filters: every upcoming event, compactly.

Format (version 6). Each event is a row whose columns ``fields`` names; ids are positions:

- ``url``: the event's path between the ``url`` prefix and suffix (``events/`` + slug + ``/``);
- ``place``: a position in ``places``; ``street``: a position in ``streets`` (registry order,
  which the page also uses for "neighbouring streets");
- ``categories`` / ``audiences``: positions in those lists;
- ``flags``: 1 free, 2 registration required, 4 has an accessibility note;
- ``age``: ``[min, max]`` (either may be null: open-ended) or null when the event has no range;
- ``status``: "" when scheduled; ``status_text`` what the card's badge says;
- ``dates``: flat pairs ``[first, length, ...]``: the local first day of each upcoming
  occurrence held (a series' cancelled session is left out: "today" must not find it) as days
  after ``build_date`` (negative: already under way) and how many days after it the
  occurrence's last day falls;
- ``ends``: the instant the event is over, ISO with offset (the list's cards' ``data-ends``);
- ``repeat``: a series' rule in words (每周六，至 …), a position in ``repeats``; null for one event;
- ``session_ends``: for a series with more than one session to come, the instant the session its
  card shows is over (the list's cards' ``data-session-ends``: 这一场已结束); null otherwise.

``rows`` turns it back into one dict per event (ISO dates, ids), for Python readers.
"""

from __future__ import annotations

from datetime import date, timedelta

from kepu.content.model import STATUS_LABELS
from kepu.index.site import SiteIndex, last_local_day, local_day

INDEX_VERSION = 6
FIELDS = ("url", "title", "when", "place", "street", "categories", "audiences", "flags", "age",
          "status", "status_text", "dates", "ends", "repeat", "session_ends")
FREE, REGISTRATION, ACCESSIBLE = 1, 2, 4


def _url_parts(index: SiteIndex) -> tuple[str, str]:
    """The prefix and suffix every event URL shares around its slug ("" and "" if they don't)."""
    first = next(iter(index.upcoming), None)
    if first is None or first.event.slug not in first.url:
        return "", ""
    prefix, _, suffix = first.url.partition(first.event.slug)
    if all(e.url == f"{prefix}{e.event.slug}{suffix}" for e in index.upcoming):
        return prefix, suffix
    return "", ""


def _facet_url(index: SiteIndex, kind: str, ident: str) -> str:
    facet = index.facets[kind].get(ident)
    return facet.url if facet is not None else ""


def filter_index(index: SiteIndex) -> dict:
    """Every upcoming event, in list order (the events list's own order and count)."""
    zone, start = index.timezone, index.build_date
    registries = index.registries
    streets, categories, audiences = (list(registries.streets), list(registries.categories),
                                       list(registries.audiences))
    position = {name: {k: i for i, k in enumerate(keys)} for name, keys in
                (("streets", streets), ("categories", categories), ("audiences", audiences))}
    prefix, suffix = _url_parts(index)
    places: dict[str, int] = {}
    repeats: dict[str, int] = {}
    events = []
    for entry in index.upcoming:
        event = entry.event
        dates: list[int] = []
        for occurrence in entry.upcoming:
            if occurrence.change is not None and occurrence.change.cancelled:
                continue
            first = local_day(occurrence.start, zone)
            dates += [(first - start).days, (last_local_day(occurrence, zone) - first).days]
        place = event.venue.name if event.venue else "线上活动"
        registration = event.registration
        flags = ((FREE if event.is_free else 0) | (REGISTRATION if registration and registration.required else 0)
                 | (ACCESSIBLE if event.accessibility.strip() else 0))
        age = None if event.age_min is None and event.age_max is None else [event.age_min, event.age_max]
        scheduled = event.status == "scheduled"
        events.append([
            entry.url[len(prefix): len(entry.url) - len(suffix)],
            event.title,
            entry.when,
            places.setdefault(place, len(places)),
            position["streets"][event.street],
            [position["categories"][c] for c in event.categories],
            [position["audiences"][a] for a in event.audiences],
            flags,
            age,
            "" if scheduled else event.status,  # colours the badge, as on the server-made cards
            "" if scheduled else event.status_text,
            dates,
            entry.ends.isoformat(),
            repeats.setdefault(entry.rule_text, len(repeats)) if entry.rule_text else None,
            entry.session_ends and entry.session_ends.isoformat(),
        ])
    return {
        "version": INDEX_VERSION,
        "build_date": start.isoformat(),
        "event_path": f"{prefix}{{slug}}{suffix}",  # an event's address: its slug in place of {slug}
        "fields": list(FIELDS),
        # id, name and page (the cards link their street, as the list's own cards do)
        "streets": [[k, registries.streets[k].name, _facet_url(index, "streets", k)] for k in streets],
        "categories": [[k, registries.categories[k].name] for k in categories],
        "audiences": [[k, registries.audiences[k].name] for k in audiences],
        "status_labels": {k: v for k, v in STATUS_LABELS.items() if k != "scheduled"},
        "places": list(places),
        "repeats": list(repeats),
        "events": events,
    }


def rows(data: dict) -> list[dict]:
    """The index's events as dicts: url, title, when, place, street (id), categories and
    audiences (ids), free, registration, accessibility, age, status, status_text, dates (ISO pairs),
    repeat (the rule in words, "" for one event)."""
    start = date.fromisoformat(data["build_date"])
    path = data["event_path"]
    out = []
    for row in data["events"]:
        e = dict(zip(data["fields"], row, strict=True))
        flat = e["dates"]
        days = [(start + timedelta(days=flat[i]), start + timedelta(days=flat[i] + flat[i + 1]))
                for i in range(0, len(flat), 2)]
        out.append({
            **e, "url": path.replace("{slug}", e["url"]), "place": data["places"][e["place"]],
            "street": data["streets"][e["street"]][0],
            "categories": [data["categories"][i][0] for i in e["categories"]],
            "audiences": [data["audiences"][i][0] for i in e["audiences"]],
            "free": bool(e["flags"] & FREE), "registration": bool(e["flags"] & REGISTRATION),
            "accessibility": bool(e["flags"] & ACCESSIBLE), "status": e["status"] or "scheduled",
            "dates": [[a.isoformat(), b.isoformat()] for a, b in days],
            "repeat": data["repeats"][e["repeat"]] if e["repeat"] is not None else "",
        })
    return out
