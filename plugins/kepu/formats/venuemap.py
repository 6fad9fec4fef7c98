"""The venues drawn as an SVG map at build time: no tiles, no outside host, the same bytes every build.

Without street outlines (content/data/streets.geojson) the streets are schematic: each venue's
Voronoi cell, coloured by its street, so a street's area is simply the land nearer its venues."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import escape

from kepu.content.model import Place, Street
from kepu.content.outlines import Outlines
from kepu.formats.mapgeometry import (
    FRAME,
    Frame,
    Point,
    area_and_centroid,
    colour_greedily,
    fit_frame,
    simplify,
    spread,
    voronoi_cells,
)

WIDTH = 320.0  # viewBox units: one CSS pixel where the map is 320 px wide (a phone in 大字 mode)
RADIUS = 25.0  # so each point is a 50-px touch target there (48 px is the large-text minimum)
CROWD = 40  # distinct places the 320-unit map holds; more widen the drawing (and shrink the points)
TONES = 8  # street colours, classes tone-0 … tone-7 in the theme's CSS
LABEL_SIZE = 18.0  # a street label's size in 大字 mode, to keep labels inside the drawing
LABEL_SPOTS = 40  # places tried for each street's name
SIMPLIFY = 0.4  # outline detail below this many units is dropped


@dataclass(frozen=True, slots=True)
class BaseMap:
    """What every map of the site shares: the projection, and the streets drawn underneath."""

    frame: Frame
    streets_layer: str
    schematic: bool
    source: str = ""
    license: str = ""
    spots: tuple[tuple[str, tuple[Point, ...]], ...] = ()  # each street's name and where it may be written


@dataclass(frozen=True, slots=True)
class Pin:
    """A point that links to a venue: its number on the map and its accessible name."""

    place: Place
    href: str
    label: str
    number: int


def _n(value: float) -> str:
    return f"{round(value, 1) + 0.0:.1f}"


def _placed(places: Sequence[Place]) -> list[Place]:
    return [p for p in places if p.has_geo]


def base_map(places: Sequence[Place], streets: Mapping[str, Street], outlines: Outlines | None) -> BaseMap | None:
    """The map of these venues (None when none has coordinates)."""
    placed = _placed(places)
    if not placed:
        return None
    points = [(p.lon, p.lat) for p in placed]
    if outlines:
        points += [point for rings in outlines.streets.values() for ring in rings for point in ring]
    distinct = len({(p.lon, p.lat) for p in placed})
    width = WIDTH * max(1.0, math.sqrt(distinct / CROWD))
    frame = fit_frame(points, width, RADIUS + 6)
    if outlines:
        layer, spots = _outline_layer(frame, outlines, streets)
        return BaseMap(frame, layer, False, outlines.source, outlines.license, spots)
    layer, spots = _schematic_layer(frame, placed, streets)
    return BaseMap(frame, layer, True, spots=spots)


def _schematic_layer(frame: Frame, placed: Sequence[Place],
                     streets: Mapping[str, Street]) -> tuple[str, tuple[tuple[str, tuple[Point, ...]], ...]]:
    sites: dict[tuple[str, str], tuple[Point, str]] = {}
    for place in placed:
        point = frame.project(place.lon, place.lat)
        sites.setdefault((_n(point[0]), _n(point[1])), (point, place.street))
    points = [point for point, _ in sites.values()]
    owners = [street for _, street in sites.values()]
    cells = voronoi_cells(points, frame.width, frame.height)
    neighbours: dict[str, set[str]] = {}
    borders = []
    for i, cell in enumerate(cells):
        for k, (start, other) in enumerate(cell):
            if other != FRAME and owners[other] != owners[i]:
                neighbours.setdefault(owners[i], set()).add(owners[other])
                if other > i:
                    end = cell[(k + 1) % len(cell)][0]
                    borders.append(f"M{_n(start[0])} {_n(start[1])} L{_n(end[0])} {_n(end[1])}")
    tones = colour_greedily([s for s in streets if s in owners], neighbours, TONES)
    shapes = [f'<path class="street-cell tone-{tones[owners[i]]}" data-street="{owners[i]}" d="{_path(c)}"/>'
              for i, c in enumerate(cells) if len(c) >= 3]
    polygons: dict[str, list[list[Point]]] = {}
    for i, cell in enumerate(cells):
        if len(cell) >= 3:
            polygons.setdefault(owners[i], []).append([p for p, _ in cell])
    border = f'<path class="street-border" d="{" ".join(borders)}"/>' if borders else ""
    frame_box = f'<rect class="map-frame" x="1" y="1" width="{_n(frame.width - 2)}" height="{_n(frame.height - 2)}"/>'
    return "".join([*shapes, border, frame_box]), _spots(polygons, streets)


def _spots(polygons: Mapping[str, list[list[Point]]],
           streets: Mapping[str, Street]) -> tuple[tuple[str, tuple[Point, ...]], ...]:
    """Where each street's name may go: its largest area's centre first, then points of its
    areas between their centres and their corners (inside, for the convex cells)."""
    found = []
    for ident in (s for s in streets if s in polygons):
        ranked = sorted(polygons[ident], key=lambda polygon: -area_and_centroid(polygon)[0])
        spots = []
        for polygon in ranked:
            middle = area_and_centroid(polygon)[1]
            corners = polygon[:: max(1, len(polygon) // 24)]
            spots += [middle] + [(middle[0] + t * (x - middle[0]), middle[1] + t * (y - middle[1]))
                                 for t in (0.3, 0.55, 0.8) for x, y in corners]
        found.append((streets[ident].name, tuple(spots[:LABEL_SPOTS])))
    return tuple(found)


def _path(cell: Sequence[tuple[Point, int]]) -> str:
    return _ring_path([point for point, _ in cell])


def _ring_path(points: Sequence[Point]) -> str:
    steps = [f"{_n(x)} {_n(y)}" for x, y in points]
    unique = [s for k, s in enumerate(steps) if k == 0 or s != steps[k - 1]]
    return "M" + " L".join(unique) + " Z"


def _labels(frame: Frame, spots: Sequence[tuple[str, Sequence[Point]]], pins: Sequence[Point]) -> str:
    """Each street's name where it covers no point and no other name, as near its centre as that allows."""
    boxes: list[tuple[float, float, float, float]] = []  # centre x, centre y, half width, half height
    parts = []
    for name, candidates in spots:
        half_w, half_h = min(len(name) * LABEL_SIZE / 2, frame.width / 2 - 2), LABEL_SIZE / 2 + 2
        placed = [(min(max(x, half_w + 2), frame.width - half_w - 2),
                   min(max(y, half_h + 2), frame.height - half_h - 2)) for x, y in candidates]
        first = placed[0]
        x, y = max(placed, key=lambda at: min(_clearance(at, half_w, half_h, pins, boxes), 30.0)
                   - 0.05 * math.hypot(at[0] - first[0], at[1] - first[1]))
        boxes.append((x, y, half_w, half_h))
        parts.append(f'<text class="street-label" x="{_n(x)}" y="{_n(y)}">{escape(name)}</text>')
    return "".join(parts)


def _clearance(at: Point, half_w: float, half_h: float, pins: Sequence[Point],
               boxes: Sequence[tuple[float, float, float, float]]) -> float:
    """How far a name's box at ``at`` stays from the nearest point and the names already placed."""
    gaps = [math.hypot(max(abs(px - at[0]) - half_w, 0.0), max(abs(py - at[1]) - half_h, 0.0)) - RADIUS
            for px, py in pins]
    gaps += [max(abs(bx - at[0]) - bw - half_w, abs(by - at[1]) - bh - half_h) for bx, by, bw, bh in boxes]
    return min(gaps, default=30.0)


def _outline_layer(frame: Frame, outlines: Outlines,
                   streets: Mapping[str, Street]) -> tuple[str, tuple[tuple[str, tuple[Point, ...]], ...]]:
    shapes, polygons = [], {}
    for index, (ident, rings) in enumerate(outlines.streets.items()):
        projected = [simplify([frame.project(lon, lat) for lon, lat in ring], SIMPLIFY) for ring in rings]
        projected = [ring for ring in projected if len(ring) >= 3]
        if not projected:
            continue
        path = " ".join(_ring_path(ring[:-1] if ring[0] == ring[-1] else ring) for ring in projected)
        shapes.append(f'<path class="street-outline tone-{index % TONES}" data-street="{ident}" d="{path}"/>')
        polygons[ident] = projected
    return "".join(shapes), _spots(polygons, streets)


def draw(base: BaseMap, pins: Sequence[Pin], title: str, route: bool = False,
         others: Sequence[Place] = ()) -> str:
    """The map with these pins (each a link) over the streets; ``route`` joins them in order,
    ``others`` are the remaining venues, shown as small dots without links."""
    frame = base.frame
    pins = [pin for pin in pins if pin.place.has_geo]
    true = [frame.project(pin.place.lon, pin.place.lat) for pin in pins]
    centres = spread(true, RADIUS, frame.width, frame.height)
    parts = [f'<svg class="venue-map" viewBox="0 0 {_n(frame.width)} {_n(frame.height)}" role="group" '
             f'aria-label="{escape(title)}">',
             f'<g aria-hidden="true">{base.streets_layer}{_labels(frame, base.spots, centres)}'
             f'{_dots(frame, others)}{_leaders(true, centres)}</g>']
    if route and len(centres) > 1:
        steps = " L".join(f"{_n(x)} {_n(y)}" for x, y in centres)
        parts.append(f'<path class="route-path" d="M{steps}" aria-hidden="true"/>')
    for pin, (x, y) in zip(pins, centres, strict=True):
        label = escape(pin.label)
        parts.append(f'<a href="{escape(pin.href)}" aria-label="{label}"><title>{label}</title>'
                     f'<circle class="pin" cx="{_n(x)}" cy="{_n(y)}" r="{_n(RADIUS)}"/>'
                     f'<text class="pin-no" x="{_n(x)}" y="{_n(y)}" aria-hidden="true">{pin.number}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def _dots(frame: Frame, others: Sequence[Place]) -> str:
    spots = sorted({frame.project(p.lon, p.lat) for p in _placed(others)})
    return "".join(f'<circle class="other" cx="{_n(x)}" cy="{_n(y)}" r="5"/>' for x, y in spots)


def _leaders(true: Sequence[Point], centres: Sequence[Point]) -> str:
    """A thin line from a point moved aside to where its venue really is."""
    parts = []
    for (x, y), (cx, cy) in zip(true, centres, strict=True):
        if math.hypot(cx - x, cy - y) > 1:
            parts.append(f'<path class="leader" d="M{_n(cx)} {_n(cy)} L{_n(x)} {_n(y)}"/>'
                         f'<circle class="spot" cx="{_n(x)}" cy="{_n(y)}" r="3"/>')
    return "".join(parts)
