"""Pelican generator for the weekly notice sheets of streets and communities (kepu.notices)."""

from __future__ import annotations

from pelican.generators import Generator

from kepu.notices import WEEKS, build_sheet, notice_weeks, short_url
from kepu.qr import QrCache
from kepu.site import Facet, SiteIndex
from kepu.urls import FACET_PREFIX, UrlScheme

from .trace import phase

NOTICE_KINDS = ("streets", "communities")  # the scopes with a notice board of their own


def notice_kind(kind: str, week: str) -> str:
    """The settings name of a sheet's URL pair: STREET_NOTICE, COMMUNITY_NOTICE_NEXT…"""
    return f"{FACET_PREFIX[kind]}_NOTICE" + ("_NEXT" if week == "next" else "")


class NoticesGenerator(Generator):
    """Two sheets (this week, next week) per street and community; their URLs for the
    street and community pages (``kepu_notices[kind][id][week]``)."""

    def generate_context(self) -> None:
        index: SiteIndex = self.context["kepu"]
        urls: UrlScheme = self.context["kepu_urls"]
        self.context["kepu_notices"] = {
            kind: {ident: {week: urls.url(notice_kind(kind, week), id=ident) for week in WEEKS}
                   for ident in index.facets[kind]}
            for kind in NOTICE_KINDS}

    def generate_output(self, writer) -> None:
        with phase("notice sheets"):
            index: SiteIndex = self.context["kepu"]
            qr: QrCache = self.context["kepu_qr"]
            for kind in NOTICE_KINDS:
                for facet in index.facets[kind].values():
                    self._write_facet(writer, index, qr, kind, facet)
            qr.save()

    def _write_facet(self, writer, index: SiteIndex, qr: QrCache, kind: str, facet: Facet) -> None:
        urls: UrlScheme = self.context["kepu_urls"]
        page_url = f"{self.context['PUBLIC_URL']}/{facet.url}"
        code = qr.svg(page_url, f"{facet.name}页面的二维码：{page_url}")
        for week in notice_weeks(index.build_date):
            sheet = build_sheet(facet, week, index.timezone)
            writer.write_file(urls.save_as(notice_kind(kind, week.key), id=facet.id),
                              self.get_template("notice"), self.context,
                              url=urls.url(notice_kind(kind, week.key), id=facet.id), page_name="notice",
                              sheet=sheet, facet=facet, qr_svg=code, page_url=page_url,
                              short_url=short_url(page_url),
                              other_url=self.context["kepu_notices"][kind][facet.id][
                                  "next" if week.key == "this" else "this"])
