"""The static JSON index behind the events list's filters: every upcoming event, compactly.

Format (version 9). Each event is a row whose columns ``fields`` names; ids are positions:

- ``url``: the event's path between the ``url`` prefix and suffix (``events/`` + slug + ``/``);
- ``street``: a position in ``streets`` (registry order, which the page also uses for
  "neighbouring streets");
- ``categories`` / ``audiences``: positions in those lists;
- ``flags``: 1 free, 2 registration required, 4 has an accessibility note, 8 not held as shown
  (cancelled, or postponed to a time not yet known: never 已结束);
- ``age``: ``[min, max]`` (either may be null: open-ended) or null when the event has no range;
- ``status``: "" when scheduled; ``status_text`` what the card's badge says;
- ``sessions``: flat groups of five, one per upcoming occurrence (a series' cancelled session
  too: a day chosen finds it, its card saying 已取消, as the calendars and the home page list it;
  a session held is found before it), in order: its local first day as days after
  ``build_date`` (negative: already under way); how many days after that its last day falls; its
  time in words (2026年12月20日（周日）09:30–11:30); a position in ``kinds`` — ``[place, label,
  cancelled]``, where it is held (a position in ``places``), 已改期 / 已换地点 / 已取消 for a
  changed session, else "", and 1 for a cancelled session, else 0; and the minutes from ``epoch``
  (the build day's start, an ISO instant) to the instant it is over. A card drawn for a filter
  shows the first session the filter found, where and when it is;
- ``ends``: the instant the event is over, ISO with offset (the list's cards' ``data-ends``);
- ``repeat``: a series' rule in words (每周六，至 …), a position in ``repeats``; null for one event;
- ``cost``: what the card's tag says of a cost (材料费 10 元, or 收费 when long), a position in
  ``costs``; null for a free event (flag 1).

``rows`` turns it back into one dict per event (ISO dates, ids), for Python readers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kepu.content.dates import format_when
from kepu.content.model import STATUS_LABELS
from kepu.content.sessions import session_label
from kepu.index.site import SiteIndex, build_instant, ends_at, last_local_day, local_day

INDEX_VERSION = 9
FIELDS = ("url", "title", "street", "categories", "audiences", "flags", "age",
          "status", "status_text", "sessions", "ends", "repeat", "cost")
SESSION_WIDTH = 5
FREE, REGISTRATION, ACCESSIBLE, UNHELD = 1, 2, 4, 8
ONLINE = "线上活动"


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
    kinds: dict[tuple[int, str, int], int] = {}
    repeats: dict[str, int] = {}
    costs: dict[str, int] = {}
    epoch = build_instant(start, zone)
    events = []
    for entry in index.upcoming:
        event = entry.event
        sessions: list = []
        for occurrence in entry.upcoming:
            first = local_day(occurrence.start, zone)
            venue = occurrence.venue
            place = places.setdefault(venue.name if venue else ONLINE, len(places))
            called_off = occurrence.change is not None and occurrence.change.cancelled
            label = session_label(occurrence) if called_off else entry.label_of(occurrence)
            kind = kinds.setdefault((place, label, int(called_off)), len(kinds))
            sessions += [(first - start).days, (last_local_day(occurrence, zone) - first).days,
                         format_when(occurrence.start, occurrence.end), kind,
                         int((ends_at(occurrence) - epoch).total_seconds() // 60)]
        registration = event.registration
        flags = ((FREE if event.is_free else 0) | (REGISTRATION if registration and registration.required else 0)
                 | (ACCESSIBLE if event.accessibility.strip() else 0) | (0 if event.held else UNHELD))
        age = None if event.age_min is None and event.age_max is None else [event.age_min, event.age_max]
        scheduled = event.status == "scheduled"
        events.append([
            entry.url[len(prefix): len(entry.url) - len(suffix)],
            event.title,
            position["streets"][event.street],
            [position["categories"][c] for c in event.categories],
            [position["audiences"][a] for a in event.audiences],
            flags,
            age,
            "" if scheduled else event.status,  # colours the badge, as on the server-made cards
            "" if scheduled else event.status_text,
            sessions,
            entry.ends.isoformat(),
            repeats.setdefault(entry.rule_text, len(repeats)) if entry.rule_text else None,
            costs.setdefault(event.cost_tag, len(costs)) if event.cost_tag else None,
        ])
    return {
        "version": INDEX_VERSION,
        "build_date": start.isoformat(),
        "epoch": epoch.isoformat(),  # sessions' ends are minutes after it
        "event_path": f"{prefix}{{slug}}{suffix}",  # an event's address: its slug in place of {slug}
        "fields": list(FIELDS),
        # id, name and page (the cards link their street, as the list's own cards do)
        "streets": [[k, registries.streets[k].name, _facet_url(index, "streets", k)] for k in streets],
        "categories": [[k, registries.categories[k].name] for k in categories],
        "audiences": [[k, registries.audiences[k].name] for k in audiences],
        "status_labels": {k: v for k, v in STATUS_LABELS.items() if k != "scheduled"},
        "places": list(places),
        "kinds": [list(kind) for kind in kinds],
        "repeats": list(repeats),
        "costs": list(costs),
        "events": events,
    }


def rows(data: dict) -> list[dict]:
    """The index's events as dicts: url, title, street (id), categories and audiences (ids), free,
    registration, accessibility, held, age, status, status_text, sessions (dicts: first and last day,
    when, place, label, ends as an ISO instant), dates (their ISO day pairs), when and place (of
    the first session), repeat (the rule in words, "" for one event)."""
    start = date.fromisoformat(data["build_date"])
    epoch = datetime.fromisoformat(data["epoch"])
    path = data["event_path"]
    out = []
    for row in data["events"]:
        e = dict(zip(data["fields"], row, strict=True))
        flat = e["sessions"]
        sessions = []
        for i in range(0, len(flat), SESSION_WIDTH):
            first, length, when, kind, ends = flat[i:i + SESSION_WIDTH]
            place, label, cancelled = data["kinds"][kind]
            sessions.append({"first": (start + timedelta(days=first)).isoformat(),
                             "last": (start + timedelta(days=first + length)).isoformat(), "when": when,
                             "place": data["places"][place], "label": label, "cancelled": bool(cancelled),
                             "ends": (epoch + timedelta(minutes=ends)).isoformat()})
        out.append({
            **e, "url": path.replace("{slug}", e["url"]),
            "street": data["streets"][e["street"]][0],
            "categories": [data["categories"][i][0] for i in e["categories"]],
            "audiences": [data["audiences"][i][0] for i in e["audiences"]],
            "free": bool(e["flags"] & FREE), "registration": bool(e["flags"] & REGISTRATION),
            "accessibility": bool(e["flags"] & ACCESSIBLE), "held": not e["flags"] & UNHELD,
            "status": e["status"] or "scheduled",
            "sessions": sessions, "dates": [[s["first"], s["last"]] for s in sessions],
            **{key: next((s for s in sessions if not s["cancelled"]), sessions[0])[key] if sessions else ""
               for key in ("when", "place")},
            "repeat": data["repeats"][e["repeat"]] if e["repeat"] is not None else "",
            "cost": data["costs"][e["cost"]] if e["cost"] is not None else "",
        })
    return out
