"""Links to map apps for a venue (no map library: the page links out)."""

from __future__ import annotations

from dataclasses import dataclass

from kepu.content.model import Venue
from kepu.formats.iri import quote_iri


@dataclass(frozen=True, slots=True)
class MapLink:
    label: str
    url: str


def map_links(venue: Venue, city: str = "") -> list[MapLink]:
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
    where = venue.address or venue.name  # looked up in the district's city unless it names it
    query = quote_iri(where if not city or city in where else city + where)
    in_city = f"&city={quote_iri(city)}" if city else ""
    return [
        MapLink("高德地图", f"https://uri.amap.com/search?keyword={query}{in_city}&callnative=1"),
        MapLink("百度地图", f"https://api.map.baidu.com/geocoder?address={query}&output=html"
                            f"&src=kepu-calendar"),
        MapLink("开放街道地图", f"https://www.openstreetmap.org/search?query={query}"),
    ]
