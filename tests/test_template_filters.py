"""The Jinja filters the theme uses (kepu_pelican.filters): the dates, ends and links a page shows."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from test_site_index import index_for

from kepu.content.model import Venue
from kepu_pelican.filters import FILTERS


@cache
def _index():
    return index_for(date(2026, 12, 1))


def _entry(slug: str):
    return _index().by_slug[slug]


def test_a_day_reads_in_chinese_with_its_weekday() -> None:
    start = _entry("liudong-kejiguan").shown.start  # 2026-12-05 09:00 in Beijing
    assert FILTERS["format_day"](start) == "2026年12月5日（周六）"
    assert FILTERS["format_day"](start, False) == "12月5日（周六）"
    assert (FILTERS["day_short"](start), FILTERS["weekday"](start)) == ("12月5日", "周六")
    assert FILTERS["format_datetime"](start) == "2026年12月5日（周六）09:00"
    assert FILTERS["format_datetime"](None) == ""
    assert FILTERS["iso"](start) == "2026-12-05T09:00:00+08:00"
    early = datetime(2026, 12, 5, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # still the 4th in UTC
    assert (FILTERS["format_day"](early), FILTERS["weekday"](early)) == ("2026年12月5日（周六）", "周六")


def test_when_an_event_is_over_for_the_page_script() -> None:
    """``data-ends``: a timed event ends at its end; an all-day event at midnight after its last day."""
    timed, all_day = _entry("liudong-kejiguan"), _entry("kejizhou")  # kejizhou: 14–16 December
    assert FILTERS["ends"](timed) == "2026-12-05T16:00:00+08:00"
    assert FILTERS["ends"](all_day) == FILTERS["ends"](all_day.shown) == "2026-12-17T00:00:00+08:00"
    assert FILTERS["format_when"](all_day.shown.start, all_day.shown.end) == "2026年12月14日（周一）至12月16日（周三）"


def test_page_paths_and_phone_links() -> None:
    assert FILTERS["page_path"]("events/x/index.html") == "events/x/"
    assert FILTERS["page_path"]("feeds/all.ics") == "feeds/all.ics"
    assert FILTERS["tel"]("022-6620 0000") == "tel:+862266200000"
    assert FILTERS["tel_link"]("022-6620 0000") == '<a class="tel" href="tel:+862266200000">022-6620 0000</a>'


def test_map_links_without_coordinates_look_the_address_up_in_the_district_s_city() -> None:
    """An address written without its city (文二西路 1 号) is looked up in the district's city by
    every map, 百度 included (its link has no city of its own); one that names it is not prefixed again."""
    def queries(venue: Venue) -> dict[str, str]:
        found = {}
        for link in FILTERS["map_links"](venue, "杭州"):
            params = parse_qs(urlsplit(link.url).query)
            found[link.label] = (params.get("keyword") or params.get("address") or params.get("query"))[0]
        return found

    assert queries(Venue("西溪街道文体中心", "文二西路 1 号")) == dict.fromkeys(
        ("高德地图", "百度地图", "开放街道地图"), "杭州文二西路 1 号")
    assert set(queries(Venue("西溪街道文体中心", "浙江省杭州市西湖区文二西路 1 号")).values()) == {
        "浙江省杭州市西湖区文二西路 1 号"}
    assert set(queries(Venue("西溪街道文体中心")).values()) == {"杭州西溪街道文体中心"}


def test_an_address_without_its_district_is_looked_up_in_the_district() -> None:
    """The web form's example address (某某街道某某路 12 号) leaves the district out; 中医医院门诊楼一楼
    looked up in 天津 found a hospital downtown, not the one in 滨海新区 (a volunteer's audit). An
    address that names neither its city nor a district is looked up in the site's district; one
    naming another district, or its city, is left as written."""
    def query(venue: Venue) -> str:
        link = FILTERS["map_links"](venue, "天津", "滨海新区")[0]
        return parse_qs(urlsplit(link.url).query)["keyword"][0]

    assert query(Venue("汉沽中医医院", "中医医院门诊楼一楼")) == "天津滨海新区中医医院门诊楼一楼"
    assert query(Venue("活动室", "滨海新区新北街道新北路 1 号")) == "天津滨海新区新北街道新北路 1 号"
    assert query(Venue("科技馆", "和平区南京路 100 号")) == "天津和平区南京路 100 号"
    assert query(Venue("科技馆", "天津市河西区友谊路 1 号")) == "天津市河西区友谊路 1 号"
    assert query(Venue("党群服务中心")) == "天津滨海新区党群服务中心"
    for place in ("新北社区服务中心", "红旗路 5 号", "华润万家超市二楼"):  # no area of their own
        assert query(Venue("活动室", place)) == "天津滨海新区" + place
