"""The venues on a map drawn at build time, and 科普路线 (study routes): what an editor is told
when routes.yml or the street outlines are wrong, and what residents get on /venues/ and /routes/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import TEST_SITE, require, run_build, run_check, serve_directory
from webtools import axe, axe_available

VENUES = """\
- id: anquanguan
  name: 安全教育体验馆
  kind: 科普基地
  street: shengtaicheng
  lat: 39.1362
  lon: 117.7534
- id: caomei-dapeng
  name: 草莓科普大棚
  kind: 农业基地
  street: xiaowangzhuang
  lat: 38.7593
  lon: 117.4821
- id: putao-zhuangyuan
  name: 葡萄庄园科普园区
  kind: 农业基地
  street: xinbei
  lat: 39.0513
  lon: 117.6470
- id: putao-shifanyuan
  name: 葡萄示范园
  kind: 农业基地
  street: xinbei
  lat: 39.0513
  lon: 117.6470
- id: tushuguan
  name: 图书馆报告厅
  kind: 场馆
  street: taida
  address: 图书馆二楼
"""
ROUTES = """\
- id: yanxue
  name: 安全、草莓和葡萄一日研学
  description: 一天走完三个基地。
  stops:
    - venue: anquanguan
      note: 体验消防展区
    - caomei-dapeng
    - putao-zhuangyuan
"""
# A district's street outlines as openly licensed GeoJSON (RFC 7946, WGS-84) would give them.
OUTLINES = {
    "type": "FeatureCollection",
    "source": "某区规划和自然资源局开放数据",
    "license": "CC BY 4.0",
    "features": [
        {"type": "Feature", "properties": {"street": "xinbei", "name": "新北"},
         "geometry": {"type": "Polygon", "coordinates": [[
             [117.60, 39.00], [117.70, 39.00], [117.70, 39.10], [117.60, 39.10], [117.60, 39.00]]]}},
        {"type": "Feature", "properties": {"street": "shengtaicheng"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[
             [117.72, 39.10], [117.80, 39.10], [117.80, 39.18], [117.72, 39.18], [117.72, 39.10]]]]}},
    ],
}


def site_with(site: Path, routes: str = ROUTES, outlines: dict | str | None = None) -> Path:
    data = site / "content" / "data"
    (data / "venues.yml").write_text(VENUES, "utf-8")
    if routes:
        (data / "routes.yml").write_text(routes, "utf-8")
    if outlines is not None:
        text = outlines if isinstance(outlines, str) else json.dumps(outlines, ensure_ascii=False, indent=2)
        (data / "streets.geojson").write_text(text, "utf-8")
    return site


def check_lines(site: Path) -> tuple[int, list[str]]:
    result = run_check(content=site / "content", cwd=site)
    return result.returncode, [line.strip() for line in result.stdout.splitlines()]


# ------------------------------------------------------------------ what editors are told

def test_a_route_naming_an_unknown_venue_is_told_the_id_meant_with_file_and_line(mini_site: Path,
                                                                                  tmp_path: Path) -> None:
    routes = ROUTES.replace("    - caomei-dapeng\n", "    - caomei-dapen\n").replace(
        "    - putao-zhuangyuan\n", "    - 葡萄庄园科普园区\n")
    site = site_with(mini_site, routes=routes)
    code, lines = check_lines(site)
    assert code == 1
    first = ("content/data/routes.yml:7: stops[1]: 路线“安全、草莓和葡萄一日研学”第 2 站的场地编号“caomei-dapen”不存在"
             " — 是否想写“caomei-dapeng”（草莓科普大棚）？")
    assert first in lines
    assert ("content/data/routes.yml:8: stops[2]: 路线“安全、草莓和葡萄一日研学”第 3 站的场地编号“葡萄庄园科普园区”不存在"
            " — “葡萄庄园科普园区”是名称，这里要写编号：putao-zhuangyuan") in lines
    built = run_build(site / "content", tmp_path / "output")  # the build refuses with the same words
    assert built.returncode != 0 and first in built.stdout + built.stderr


@pytest.mark.parametrize(("routes", "expected"), [
    ("- id: kong\n  name: 空路线\n",
     "content/data/routes.yml:1: stops: 路线“空路线”没有写经过的场地"),
    ("- id: yizhan\n  name: 一站路线\n  stops:\n    - anquanguan\n",
     "content/data/routes.yml:3: stops: 路线“一站路线”只有一站，至少要有两站"),
    ("- id: ziduan\n  name: 字段路线\n  stops:\n    - anquanguan\n    - venue: tushuguan\n      notes: 二楼\n",
     "content/data/routes.yml:5: stops[1]: 第 2 站有不认识的字段“notes” — 是否想写“note”？"),
    ("- id: chongfu\n  name: 重复路线\n  stops: [anquanguan, caomei-dapeng, anquanguan]\n",
     "content/data/routes.yml:3: （提醒）stops[2]: 第 3 站和第 1 站是同一个场地"),
    ("- id: wuzuobiao\n  name: 无坐标路线\n  stops: [anquanguan, tushuguan]\n",
     "content/data/routes.yml:3: （提醒）stops[1]: 第 2 站“图书馆报告厅”没有经纬度，路线图上画不出这一站"),
])
def test_a_route_written_wrongly_is_told_how_to_write_it(mini_site: Path, routes: str, expected: str) -> None:
    _, lines = check_lines(site_with(mini_site, routes=routes))
    assert [line for line in lines if line.startswith(expected)], lines


def test_street_outlines_naming_an_unknown_street_or_broken_are_refused_with_line(mini_site: Path) -> None:
    wrong = json.loads(json.dumps(OUTLINES))
    wrong["features"][1]["properties"]["street"] = "shengtaichen"
    _, lines = check_lines(site_with(mini_site, outlines=wrong))
    assert ("content/data/streets.geojson:43: street: 边界文件里的街镇编号“shengtaichen”不存在"
            " — 是否想写“shengtaicheng”（中新天津生态城）？") in lines, lines
    broken = json.dumps(OUTLINES, ensure_ascii=False, indent=2).replace('"CC BY 4.0",', '"CC BY 4.0"', 1)
    code, lines = check_lines(site_with(mini_site, outlines=broken))
    assert code == 1 and [line for line in lines if line.startswith("content/data/streets.geojson:5: ")], lines
    unattributed = {k: v for k, v in OUTLINES.items() if k != "license"}
    code, lines = check_lines(site_with(mini_site, outlines=unattributed))
    assert code == 1 and [line for line in lines if line.startswith("content/data/streets.geojson:1: license: ")], lines


# ------------------------------------------------------------------ what residents get

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("venuemap") / "site"
    shutil.copytree(TEST_SITE, site)
    site_with(site)
    output = site.parent / "output"
    result = run_build(site / "content", output)
    assert result.returncode == 0, result.stderr
    return output


def _map(page: str) -> str:
    found = re.search(r"<svg[^>]*class=\"venue-map[^\"]*\".*?</svg>", page, re.DOTALL)
    assert found, "no map on the page"
    return found.group(0)


def test_the_venues_page_draws_one_link_per_venue_on_a_schematic_map(built: Path) -> None:
    page = (built / "venues/index.html").read_text("utf-8")
    drawn = _map(page)
    links = re.findall(r'<a href="/venues/([a-z0-9-]+)/" aria-label="编号 \d：([^"]+)"', drawn)
    assert sorted(links) == [("anquanguan", "安全教育体验馆"), ("caomei-dapeng", "草莓科普大棚"),
                             ("putao-shifanyuan", "葡萄示范园"), ("putao-zhuangyuan", "葡萄庄园科普园区")]
    assert "示意图" in page and "不是测绘地图" in page
    # The text alternative beneath: every venue by street, the one without coordinates said so.
    after = page[page.index("</svg>"):]
    for ident, name in (("anquanguan", "安全教育体验馆"), ("tushuguan", "图书馆报告厅"), ("caomei-dapeng", "草莓科普大棚")):
        assert f'<a href="/venues/{ident}/">{name}</a>' in after, ident
    assert re.search(r"图书馆报告厅</a>[^<]*<span[^>]*>[^<]*没有经纬度", after)
    assert not re.search(r"https?://", drawn)  # nothing fetched from another host


def test_the_touch_targets_do_not_overlap_even_for_venues_at_the_same_place(built: Path) -> None:
    drawn = _map((built / "venues/index.html").read_text("utf-8"))
    pins = [(float(x), float(y), float(r)) for x, y, r in
            re.findall(r'<circle class="pin" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', drawn)]
    assert len(pins) == 4
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', drawn).group(1))
    assert all(2 * r / width * 320 >= 48 for _, _, r in pins)  # ≥ 48 px where the map is 320 px wide
    for i, (x1, y1, r1) in enumerate(pins):
        for x2, y2, r2 in pins[i + 1:]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** .5 >= r1 + r2


def test_a_route_page_lists_its_stops_in_order_and_draws_the_path(built: Path) -> None:
    page = (built / "routes/yanxue/index.html").read_text("utf-8")
    stops = re.findall(r'<li[^>]*>\s*<a href="/venues/([a-z0-9-]+)/">', page[page.index("</svg>"):])
    assert stops == ["anquanguan", "caomei-dapeng", "putao-zhuangyuan"]
    assert "体验消防展区" in page and "一天走完三个基地。" in page
    drawn = _map(page)
    assert re.findall(r'aria-label="第 (\d) 站：([^"]+)"', drawn) == [
        ("1", "安全教育体验馆"), ("2", "草莓科普大棚"), ("3", "葡萄庄园科普园区")]
    assert re.search(r'<path class="route-path" d="M[\d.]+ [\d.]+(?: L[\d.]+ [\d.]+){2}"', drawn)
    index = (built / "routes/index.html").read_text("utf-8")
    assert '<a href="/routes/yanxue/">安全、草莓和葡萄一日研学</a>' in index
    venue = (built / "venues/caomei-dapeng/index.html").read_text("utf-8")
    assert '<a href="/routes/yanxue/">安全、草莓和葡萄一日研学</a>' in venue  # the routes passing here


def test_venue_pages_keep_their_gaode_and_baidu_links(built: Path) -> None:
    page = (built / "venues/anquanguan/index.html").read_text("utf-8")
    assert "https://uri.amap.com/marker?position=117.753400,39.136200" in page
    assert "https://api.map.baidu.com/marker?location=39.136200,117.753400" in page


def test_street_outlines_from_open_data_replace_the_schematic(mini_site: Path, tmp_path: Path) -> None:
    site = site_with(mini_site, outlines=OUTLINES)
    result = run_build(site / "content", tmp_path / "output")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output/venues/index.html").read_text("utf-8")
    drawn = _map(page)
    outlines = re.findall(r'<path class="street-outline[^"]*" data-street="([a-z]+)" d="M', drawn)
    assert sorted(outlines) == ["shengtaicheng", "xinbei"]
    assert "某区规划和自然资源局开放数据" in page and "CC BY 4.0" in page
    assert "不是测绘地图" not in page and 'class="street-cell"' not in drawn


# ------------------------------------------------------------------ in a browser

@pytest.fixture(scope="module")
def served(built: Path):
    server, base = serve_directory(built)
    yield base
    server.shutdown()


@pytest.mark.build
@pytest.mark.parametrize("path", ["/venues/", "/routes/yanxue/"])
def test_tapping_a_point_opens_its_venue_and_the_page_passes_axe(served: str, browser, path: str) -> None:
    require(axe_available(), "npm axe-core (make test runs npm ci)")
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    assert axe(page) == []
    page.locator("svg.venue-map").get_by_role("link", name=re.compile("草莓科普大棚")).click()
    page.wait_for_url("**/venues/caomei-dapeng/")
    assert page.locator("h1").inner_text() == "草莓科普大棚"
    page.close()


# ------------------------------------------------------------------ the drawing itself

def _places(*rows: tuple[str, str, float, float]):
    from kepu.content.model import Place

    return [Place(ident, name, "科普基地", street, lat=lat, lon=lon) for ident, name, street, lat, lon in rows]


def test_schematic_street_areas_tile_the_drawing_and_hold_their_own_venues() -> None:
    from kepu.formats.mapgeometry import area_and_centroid, voronoi_cells

    sites = [(40.0, 50.0), (200.0, 60.0), (120.0, 300.0), (300.0, 400.0), (60.0, 420.0)]
    cells = voronoi_cells(sites, 320, 480)
    assert sum(area_and_centroid([p for p, _ in cell])[0] for cell in cells) == pytest.approx(320 * 480)
    for (x, y), cell in zip(sites, cells, strict=True):
        xs, ys = [p[0] for p, _ in cell], [p[1] for p, _ in cell]
        assert min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)


def test_points_at_one_place_are_parted_into_touch_targets_that_do_not_overlap() -> None:
    from kepu.formats.mapgeometry import spread

    parted = spread([(160.0, 200.0)] * 6 + [(165.0, 205.0)] * 3, 25, 320, 480)
    for i, (x1, y1) in enumerate(parted):
        assert 27 <= x1 <= 293 and 27 <= y1 <= 453
        for x2, y2 in parted[i + 1:]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** .5 >= 50


def test_names_are_escaped_in_the_drawing() -> None:
    from kepu.content.model import Street
    from kepu.formats.venuemap import Pin, base_map, draw

    places = _places(("a", '"><script>alert(1)</script>', "s", 39.1, 117.7), ("b", "乙", "s", 39.2, 117.8))
    streets = {"s": Street("s", "<b>街</b>", "街道", 0)}
    base = base_map(places, streets, None)
    drawn = draw(base, [Pin(p, f"/venues/{p.id}/", p.name, k + 1) for k, p in enumerate(places)], "图")
    assert "<script>" not in drawn and "<b>" not in drawn
    assert 'aria-label="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in drawn


def test_a_detailed_outline_is_simplified_to_what_a_phone_shows() -> None:
    import math

    from kepu.content.model import Street
    from kepu.content.outlines import Outlines
    from kepu.formats.venuemap import base_map

    ring = tuple((117.7 + 0.1 * math.cos(k / 500 * math.tau), 39.1 + 0.08 * math.sin(k / 500 * math.tau))
                 for k in range(501))
    outlines = Outlines("测试数据", "CC0", {"s": (ring,)})
    base = base_map(_places(("a", "甲", "s", 39.1, 117.7)), {"s": Street("s", "街", "街道", 0)}, outlines)
    path = re.search(r'class="street-outline[^"]*" data-street="s" d="([^"]+)"', base.streets_layer).group(1)
    points = [tuple(map(float, step.strip("MLZ ").split())) for step in path.split("L")]
    assert 12 <= len(points) <= 150
    assert all(0 <= x <= base.frame.width and 0 <= y <= base.frame.height for x, y in points)
