"""What the venue map page and the 科普路线 pages show, computed once per build."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .model import Place, Registries, Route, RouteStop, Street
from .outlines import Outlines
from .urls import UrlScheme
from .venuemap import BaseMap, Pin, base_map, draw


@dataclass(frozen=True, slots=True)
class Listed:
    """A venue in the list beneath the map: its number on the map (None: not drawn)."""

    place: Place
    url: str
    number: int | None


@dataclass(frozen=True, slots=True)
class Stop:
    number: int
    stop: RouteStop
    place: Place
    url: str


@dataclass(slots=True)
class MapPages:
    """The venues by street with their numbers, each route's stops, and the maps (SVG text)."""

    base: BaseMap | None
    by_street: list[tuple[Street, list[Listed]]]
    routes: dict[str, Route]
    route_urls: dict[str, str]
    stops: dict[str, list[Stop]]
    site_url: str = ""
    drawn: dict[str, str] = field(default_factory=dict)

    def venues_map(self) -> Markup:
        """Every venue with coordinates, numbered as in the list beneath."""
        if self.base is None:
            return Markup("")
        if "" not in self.drawn:
            pins = [Pin(item.place, f"{self.site_url}/{item.url}", f"编号 {item.number}：{item.place.name}", item.number)
                    for _, items in self.by_street for item in items if item.number is not None]
            self.drawn[""] = draw(self.base, pins, f"场地示意图：图上共 {len(pins)} 处场地，点圆圈打开场地页面")
        return Markup(self.drawn[""])

    def route_map(self, ident: str) -> Markup:
        """A route's stops numbered in order and joined by its path, over the same streets."""
        if self.base is None:
            return Markup("")
        if ident not in self.drawn:
            route = self.routes[ident]
            pins = [Pin(s.place, f"{self.site_url}/{s.url}", f"第 {s.number} 站：{s.place.name}", s.number)
                    for s in self.stops[ident]]
            visited = {s.place.id for s in self.stops[ident]}
            others = [item.place for _, items in self.by_street for item in items if item.place.id not in visited]
            self.drawn[ident] = draw(self.base, pins, f"路线示意图：{route.name}，按顺序共 {len(pins)} 站",
                                     route=True, others=others)
        return Markup(self.drawn[ident])

    def routes_through(self, venue: str) -> list[Route]:
        return [self.routes[ident] for ident, stops in self.stops.items() if any(s.place.id == venue for s in stops)]


def map_pages(registries: Registries, urls: UrlScheme, outlines: Outlines | None, site_url: str = "") -> MapPages:
    venues = registries.venues
    by_street: list[tuple[Street, list[Listed]]] = []
    number = 0
    for ident, street in registries.streets.items():
        items = []
        for place in (p for p in venues.values() if p.street == ident):
            number += place.has_geo
            items.append(Listed(place, urls.url("VENUE", id=place.id), number if place.has_geo else None))
        if items:
            by_street.append((street, items))
    stops = {ident: [Stop(k + 1, stop, venues[stop.venue], urls.url("VENUE", id=stop.venue))
                     for k, stop in enumerate(route.stops) if stop.venue in venues]
             for ident, route in registries.routes.items()}
    return MapPages(base_map(list(venues.values()), registries.streets, outlines), by_street, registries.routes,
                    {ident: urls.url("ROUTE", id=ident) for ident in registries.routes}, stops, site_url)
