"""Pelican generator for the weekly notice sheets of streets and communities (kepu.index.notices)."""

from __future__ import annotations

from pelican.generators import Generator

from kepu.formats.urls import FACET_PREFIX
from kepu.index.notices import build_sheet, notice_weeks, short_url
from kepu.index.site import Facet

from .parallel import background_output
from .services import Services, services_of
from .trace import phase

NOTICE_KINDS = ("streets", "communities")  # the scopes with a notice board of their own


def notice_kind(kind: str, week: str) -> str:
    """The settings name of a sheet's URL pair: STREET_NOTICE, COMMUNITY_NOTICE_NEXT…
    (the street and community pages link them by the same names, _notice_links.html)."""
    return f"{FACET_PREFIX[kind]}_NOTICE" + ("_NEXT" if week == "next" else "")


class NoticesGenerator(Generator):
    """Two sheets per street and community: the rest of this week, and next week."""

    @background_output("notice sheets")
    def generate_output(self, writer) -> None:
        services = services_of(self)
        with phase("notice sheets"):
            for kind in NOTICE_KINDS:
                for facet in services.index.facets[kind].values():
                    self._write_facet(writer, services, kind, facet)
            services.qr.save()

    def _write_facet(self, writer, services: Services, kind: str, facet: Facet) -> None:
        urls, index = services.urls, services.index
        page_url = f"{services.site_url}/{facet.url}"
        code = services.qr.svg(page_url, f"{facet.name}页面的二维码")
        this_week, next_week = notice_weeks(index.build_date)
        for week, other in ((this_week, next_week), (next_week, this_week)):
            writer.write_file(urls.save_as(notice_kind(kind, week.key), id=facet.id),
                              self.get_template("notice"), self.context,
                              url=urls.url(notice_kind(kind, week.key), id=facet.id), page_name="notice",
                              sheet=build_sheet(facet, week, index.timezone), facet=facet, qr_svg=code,
                              page_url=page_url, short_url=short_url(page_url),
                              other_url=urls.url(notice_kind(kind, other.key), id=facet.id))
