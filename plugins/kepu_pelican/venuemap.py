"""The venue map's data and the 科普路线 pages (/routes/ and /routes/<id>/)."""

from __future__ import annotations

from pelican.generators import Generator

from kepu.mappages import MapPages, map_pages
from kepu.outlines import load_outlines
from kepu.site import SiteIndex
from kepu.urls import UrlScheme

from .settings import layout


class MapGenerator(Generator):
    """Runs after the events generator: the venues index (written there) reads ``kepu_maps``."""

    def generate_context(self) -> None:
        index: SiteIndex = self.context["kepu"]
        lay = layout(self.settings)
        data = lay.content / lay.data
        outlines, _ = load_outlines(data, lay.shown(data), index.registries.streets)  # checked with the registries
        self.context["kepu_maps"] = map_pages(index.registries, UrlScheme.from_settings(self.settings), outlines,
                                              self.settings.get("SITEURL", ""))

    def generate_output(self, writer) -> None:
        maps: MapPages = self.context["kepu_maps"]
        urls: UrlScheme = self.context["kepu_urls"]
        if not maps.routes:
            return
        writer.write_file(urls.save_as("ROUTES"), self.get_template("routes"), self.context,
                          url=urls.url("ROUTES"), page_name="routes")
        for ident, route in maps.routes.items():
            writer.write_file(urls.save_as("ROUTE", id=ident), self.get_template("route"), self.context,
                              url=urls.url("ROUTE", id=ident), page_name="route", route=route)
