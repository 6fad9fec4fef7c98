"""What the venue map page and the 科普路线 pages show, computed once per build."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from kepu.content.model import Place, Registries, Route, RouteStop, Street
from kepu.content.outlines import Outlines
from kepu.formats.urls import UrlScheme
from kepu.formats.venuemap import BaseMap, Pin, base_map, draw


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


@dataclass(frozen=True, slots=True)
class MapPages:
    """The venues by street with their numbers, each route's stops, and the maps (SVG text)."""

    schematic: bool  # no street outlines: the page says the map is a sketch
    source: str  # the outlines' source and licence, shown beneath the map
    license: str
    venues_map: Markup  # every venue with coordinates, numbered as in the list beneath ("" : none)
    by_street: list[tuple[Street, list[Listed]]]
    routes: dict[str, Route]
    route_urls: dict[str, str]
    stops: dict[str, list[Stop]]
    route_maps: dict[str, Markup]  # each route's stops numbered in order, joined by its path

    def routes_through(self, venue: str) -> list[Route]:
        return [self.routes[ident] for ident, stops in self.stops.items() if any(s.place.id == venue for s in stops)]


def map_pages(registries: Registries, urls: UrlScheme, outlines: Outlines | None, site_url: str = "") -> MapPages:
    """Everything the venue map page, the route pages and the venues' route links show."""
    by_street = _by_street(registries, urls)
    stops = {ident: [Stop(k + 1, stop, registries.venues[stop.venue], urls.url("VENUE", id=stop.venue))
                     for k, stop in enumerate(route.stops) if stop.venue in registries.venues]
             for ident, route in registries.routes.items()}
    base = base_map(list(registries.venues.values()), registries.streets, outlines)
    return MapPages(
        schematic=base is None or base.schematic, source=base.source if base else "",
        license=base.license if base else "", venues_map=_venues_map(base, by_street, site_url),
        by_street=by_street, routes=registries.routes,
        route_urls={ident: urls.url("ROUTE", id=ident) for ident in registries.routes}, stops=stops,
        route_maps={ident: _route_map(base, route, stops[ident], by_street, site_url)
                    for ident, route in registries.routes.items()})


def _by_street(registries: Registries, urls: UrlScheme) -> list[tuple[Street, list[Listed]]]:
    """Venues grouped by street in the streets' order; those with coordinates numbered 1, 2, …"""
    by_street: list[tuple[Street, list[Listed]]] = []
    number = 0
    for ident, street in registries.streets.items():
        items = []
        for place in (p for p in registries.venues.values() if p.street == ident):
            number += place.has_geo
            items.append(Listed(place, urls.url("VENUE", id=place.id), number if place.has_geo else None))
        if items:
            by_street.append((street, items))
    return by_street


def _venues_map(base: BaseMap | None, by_street: list[tuple[Street, list[Listed]]], site_url: str) -> Markup:
    if base is None:
        return Markup("")
    pins = [Pin(item.place, f"{site_url}/{item.url}", f"编号 {item.number}：{item.place.name}", item.number)
            for _, items in by_street for item in items if item.number is not None]
    return Markup(draw(base, pins, f"场地示意图：图上共 {len(pins)} 处场地，点圆圈打开场地页面"))


def _route_map(base: BaseMap | None, route: Route, stops: list[Stop], by_street: list[tuple[Street, list[Listed]]],
               site_url: str) -> Markup:
    if base is None:
        return Markup("")
    pins = [Pin(s.place, f"{site_url}/{s.url}", f"第 {s.number} 站：{s.place.name}", s.number) for s in stops]
    visited = {s.place.id for s in stops}
    others = [item.place for _, items in by_street for item in items if item.place.id not in visited]
    return Markup(draw(base, pins, f"路线示意图：{route.name}，按顺序共 {len(pins)} 站", route=True, others=others))
