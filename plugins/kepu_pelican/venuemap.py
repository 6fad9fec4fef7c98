"""The venue map's plan (a shared service) and the 科普路线 pages (/routes/ and /routes/<id>/)."""

from __future__ import annotations

from pelican.generators import Generator

from kepu.content.outlines import load_outlines
from kepu.formats.urls import UrlScheme
from kepu.index.mappages import MapPages, map_pages
from kepu.index.site import SiteIndex

from .services import services_of
from .settings import layout


def plan_maps(settings: dict, index: SiteIndex, urls: UrlScheme) -> MapPages:
    """The maps and lists of the venues page, the route pages and the venues' route links."""
    lay = layout(settings)
    data = lay.content / lay.data
    outlines, _ = load_outlines(data, lay.shown(data), index.registries.streets)  # checked with the registries
    return map_pages(index.registries, urls, outlines, settings.get("SITEURL", ""))


class RoutesGenerator(Generator):
    """The list of routes and each route's page (none without routes.yml)."""

    def generate_output(self, writer) -> None:
        services = services_of(self)
        maps, urls = services.maps, services.urls
        if not maps.routes:
            return
        writer.write_file(urls.save_as("ROUTES"), self.get_template("routes"), self.context,
                          url=urls.url("ROUTES"), page_name="routes")
        for ident, route in maps.routes.items():
            writer.write_file(urls.save_as("ROUTE", id=ident), self.get_template("route"), self.context,
                              url=urls.url("ROUTE", id=ident), page_name="route", route=route)
