"""Links to map apps for a venue (no map library: the page links out)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kepu.content.model import Venue
from kepu.formats.iri import quote_iri


@dataclass(frozen=True, slots=True)
class MapLink:
    label: str
    url: str


# An address that starts with a district, county or city of its own (某某区…, 某某县…): not ours to
# add. Not 社区, 小区, 园区…, 超市, 集市…, 红旗路: words that end so without naming an area.
_OWN_AREA = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:(?<![社小园校景街厂院营城商矿库片])区|县|(?<![超集菜夜早门])市"
                       r"|(?<![红国彩锦])旗)")


def _looked_up(where: str, city: str, district: str) -> str:
    """What map apps search for: the address as written when it names the city; else in the city,
    and in the site's district unless it names that or another (中医医院门诊楼一楼 found a hospital
    downtown)."""
    if not city or city in where:
        return where
    if district and district not in where and not _OWN_AREA.match(where):
        where = district + where
    return city + where


def map_links(venue: Venue, city: str = "", district: str = "") -> list[MapLink]:
    """高德、百度 and OpenStreetMap (开放街道地图) links; coordinates are WGS-84, which the Chinese apps convert."""
    name = quote_iri(venue.name)
    if venue.has_geo:
        lat, lon = f"{venue.lat:.6f}", f"{venue.lon:.6f}"
        return [
            MapLink("高德地图", f"https://uri.amap.com/marker?position={lon},{lat}&name={name}"
                                f"&coordinate=wgs84&callnative=1"),
            MapLink("百度地图", f"https://api.map.baidu.com/marker?location={lat},{lon}&title={name}"
                                f"&content={quote_iri(venue.address or venue.name)}&coord_type=wgs84"
                                f"&output=html&src=kepu-calendar"),
            MapLink("开放街道地图", f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}"
                                     f"#map=17/{lat}/{lon}"),
            MapLink("手机地图应用", f"geo:{lat},{lon}?q={lat},{lon}({name})"),
        ]
    query = quote_iri(_looked_up(venue.address or venue.name, city, district))
    in_city = f"&city={quote_iri(city)}" if city else ""
    return [
        MapLink("高德地图", f"https://uri.amap.com/search?keyword={query}{in_city}&callnative=1"),
        MapLink("百度地图", f"https://api.map.baidu.com/geocoder?address={query}&output=html"
                            f"&src=kepu-calendar"),
        MapLink("开放街道地图", f"https://www.openstreetmap.org/search?query={query}"),
    ]
