"""Plane geometry for the venue map: projection, Voronoi cells, spreading markers, simplifying lines."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
# A convex polygon as (vertex, label of the edge from this vertex to the next): the label is the
# index of the neighbouring site across that edge, or -1 on the frame.
Cell = list[tuple[Point, int]]
FRAME = -1


@dataclass(frozen=True, slots=True)
class Frame:
    """An equirectangular projection of WGS-84 (lon, lat) onto a width × height drawing."""

    width: float
    height: float
    lon0: float
    lat0: float
    squeeze: float  # cos(latitude): a degree of longitude is this much shorter than one of latitude
    scale: float
    left: float
    top: float

    def project(self, lon: float, lat: float) -> Point:
        return (self.left + (lon - self.lon0) * self.squeeze * self.scale,
                self.top + (self.lat0 - lat) * self.scale)


def fit_frame(points: Sequence[Point], width: float, margin: float,
              aspect: tuple[float, float] = (0.75, 1.6)) -> Frame:
    """The frame showing every (lon, lat) point inside ``margin``; its height follows the area's
    shape within ``aspect`` (height / width)."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x, span_y = (max(lons) - min(lons)) * squeeze, max(lats) - min(lats)
    inner = width - 2 * margin
    shape = span_y / span_x if span_x > 0 else aspect[1] if span_y > 0 else aspect[0]
    height = min(max(width * shape, width * aspect[0]), width * aspect[1])
    scales = [inner / span_x if span_x > 0 else math.inf, (height - 2 * margin) / span_y if span_y > 0 else math.inf]
    scale = min(scales) if min(scales) < math.inf else 1.0
    left = (width - span_x * scale) / 2
    top = (height - span_y * scale) / 2
    return Frame(width, height, min(lons), max(lats), squeeze, scale, left, top)


def voronoi_cells(sites: Sequence[Point], width: float, height: float) -> list[Cell]:
    """Each site's Voronoi cell inside the rectangle (sites must be distinct).

    Sites are tried nearest first; once a site is more than twice as far as the cell's farthest
    corner, no farther one can cut the cell."""
    frame: Cell = [((0.0, 0.0), FRAME), ((width, 0.0), FRAME), ((width, height), FRAME), ((0.0, height), FRAME)]
    cells = []
    for i, (xi, yi) in enumerate(sites):
        cell = frame
        nearest = sorted((math.hypot(xj - xi, yj - yi), j) for j, (xj, yj) in enumerate(sites) if j != i)
        for distance, j in nearest:
            if not cell or distance > 2 * max(math.hypot(x - xi, y - yi) for (x, y), _ in cell):
                break
            xj, yj = sites[j]
            cell = _clip(cell, xj - xi, yj - yi, (xj * xj + yj * yj - xi * xi - yi * yi) / 2, j)
        cells.append(cell)
    return cells


def _clip(cell: Cell, a: float, b: float, c: float, label: int) -> Cell:
    """The part of a convex cell where a·x + b·y ≤ c; the new edge is labelled ``label``."""
    out: Cell = []
    for k, (point, edge) in enumerate(cell):
        following = cell[(k + 1) % len(cell)][0]
        here, there = a * point[0] + b * point[1] - c, a * following[0] + b * following[1] - c
        if here <= 0:
            out.append((point, edge))
        if (here <= 0) != (there <= 0):
            t = here / (here - there)
            crossing = (point[0] + t * (following[0] - point[0]), point[1] + t * (following[1] - point[1]))
            out.append((crossing, label if here <= 0 else edge))
    return out


def area_and_centroid(polygon: Sequence[Point]) -> tuple[float, Point]:
    """A simple polygon's area and its centroid (the vertices' mean if it has no area)."""
    twice, cx, cy = 0.0, 0.0, 0.0
    for (x1, y1), (x2, y2) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        twice += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(twice) < 1e-9:
        return 0.0, (sum(p[0] for p in polygon) / len(polygon), sum(p[1] for p in polygon) / len(polygon))
    return abs(twice) / 2, (cx / (3 * twice), cy / (3 * twice))


def spread(points: Sequence[Point], radius: float, width: float, height: float,
           gap: float = 4.0, rounds: int = 300) -> list[Point]:
    """Markers of ``radius`` placed as near their points as they can be without overlapping,
    inside the drawing: pairs closer than 2·radius + gap are pushed apart, round after round,
    until none is closer than 2·radius + gap / 2 (deterministic)."""
    placed = [list(p) for p in points]
    distance = 2 * radius + gap
    low, high = (radius + 2, width - radius - 2), (radius + 2, height - radius - 2)
    for _ in range(rounds):
        worst = 0.0
        for i, j in _near_pairs(placed, distance):
            worst = max(worst, _push(placed[i], placed[j], distance, i, j))
        for p in placed:
            p[0] = min(max(p[0], low[0]), max(low[1], low[0]))
            p[1] = min(max(p[1], high[0]), max(high[1], high[0]))
        if worst < gap / 2:
            break
    return [(p[0], p[1]) for p in placed]


def _near_pairs(placed: list[list[float]], distance: float) -> Iterable[tuple[int, int]]:
    """Pairs of markers in neighbouring grid squares (the only ones that can overlap)."""
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, (x, y) in enumerate(placed):
        grid[(int(x // distance), int(y // distance))].append(index)
    for (gx, gy), members in sorted(grid.items()):
        for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):
            others = grid.get((gx + dx, gy + dy), [])
            for i in members:
                for j in others:
                    if (dx, dy) != (0, 0) or j > i:
                        yield (i, j) if i < j else (j, i)


def _push(p: list[float], q: list[float], distance: float, i: int, j: int) -> float:
    dx, dy = q[0] - p[0], q[1] - p[1]
    apart = math.hypot(dx, dy)
    overlap = distance - apart
    if overlap <= 0:
        return 0.0
    if apart < 1e-9:  # the same place: part them in a direction fixed by their numbers
        angle = (i * 7 + j * 13) * 2.399963  # the golden angle, so that many part in many directions
        dx, dy, apart = math.cos(angle), math.sin(angle), 1.0
    shift = overlap / 2 / apart
    p[0], p[1] = p[0] - dx * shift, p[1] - dy * shift
    q[0], q[1] = q[0] + dx * shift, q[1] + dy * shift
    return overlap


def simplify(line: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: the line with the points that move it less than ``tolerance`` left out."""
    if len(line) < 3:
        return list(line)
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, 0
        for k in range(first + 1, last):
            d = _off_line(line[k], line[first], line[last])
            if d > far:
                far, index = d, k
        if far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(line, keep, strict=True) if kept]


def _off_line(p: Point, a: Point, b: Point) -> float:
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if length < 1e-12:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    return abs((b[0] - a[0]) * (a[1] - p[1]) - (a[0] - p[0]) * (b[1] - a[1])) / length


def colour_greedily(order: Sequence[str], neighbours: dict[str, set[str]], colours: int) -> dict[str, int]:
    """A colour for each region, different from its neighbours' where the palette allows."""
    chosen: dict[str, int] = {}
    for region in order:
        used = {chosen[n] for n in neighbours.get(region, ()) if n in chosen}
        chosen[region] = next((c for c in range(colours) if c not in used), len(chosen) % colours)
    return chosen
