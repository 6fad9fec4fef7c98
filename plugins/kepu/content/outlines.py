"""Street outlines from openly licensed GeoJSON (content/data/streets.geojson), read and checked."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kepu.content.frontmatter import MAX_FILE_BYTES, decode
from kepu.content.model import Street
from kepu.content.problems import Problem
from kepu.content.suggest import did_you_mean
from kepu.content.tree import FileTooLarge, NotRegularFile, read_capped

OUTLINE_FILE = "streets.geojson"
MAX_POINTS = 200_000  # all rings together: a phone-sized drawing needs far fewer
_FEATURE = re.compile(r'"type"\s*:\s*"Feature"')
_EXPORT_HINT = "用 QGIS 或 mapshaper 重新导出为 GeoJSON（WGS-84 坐标），不要手工修改"

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points


@dataclass(frozen=True, slots=True)
class Outlines:
    """Each street's polygons (a list of outer rings, holes dropped) and the data's attribution."""

    source: str
    license: str
    streets: dict[str, tuple[Ring, ...]]


class _Refused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def load_outlines(data_dir: Path, shown_prefix: str,
                  streets: Mapping[str, Street]) -> tuple[Outlines | None, list[Problem]]:
    """The outlines, or None when the site has no such file (the map is then schematic)."""
    path, shown = data_dir / OUTLINE_FILE, f"{shown_prefix}/{OUTLINE_FILE}"
    if not path.exists() and not path.is_symlink():
        return None, []
    try:
        text = _text(path, shown)
        data = _json(text, shown)
        return _outlines(data, text, shown, streets)
    except _Refused as refused:
        return None, [refused.problem]


def _text(path: Path, shown: str) -> str:
    try:
        data = read_capped(path, MAX_FILE_BYTES)
    except FileTooLarge as error:
        raise _Refused(Problem(shown, 0, "", f"边界文件太大（{error.size / 1024 / 1024:.1f} MB），上限为 1 MB",
                               "用 mapshaper 等工具简化边界后再导出（网页上的地图只有手机屏幕大小）")) from error
    except (NotRegularFile, IsADirectoryError) as error:
        raise _Refused(Problem(shown, 0, "", "边界文件应是一个普通文件（这里是文件夹、链接或设备）",
                               "删除它，重新放入导出的 GeoJSON 文件")) from error
    except OSError as error:
        raise _Refused(Problem(shown, 0, "", f"无法读取边界文件（{error.strerror}）", "检查文件权限")) from error
    text, problems = decode(data, shown)
    if text is None:
        raise _Refused(problems[0])
    return text


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _json(text: str, shown: str) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise _Refused(Problem(shown, error.lineno, "", f"边界文件的格式有误（第 {error.colno} 个字符附近）",
                               _EXPORT_HINT)) from error
    except (ValueError, RecursionError) as error:
        raise _Refused(Problem(shown, 1, "", "边界文件里有无效的数字或嵌套过深", _EXPORT_HINT)) from error


def _outlines(data: Any, text: str, shown: str, streets: Mapping[str, Street]) -> tuple[Outlines | None, list[Problem]]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise _Refused(Problem(shown, 1, "", "边界文件应是 GeoJSON 的 FeatureCollection（一组街镇边界）",
                               _EXPORT_HINT))
    for key, what in (("source", "来源"), ("license", "许可协议")):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _Refused(Problem(shown, 1, key, f"边界文件没有写明数据的{what}",
                                   '在文件最外层加上 "source": "数据来源" 和 "license": "许可协议（如 CC BY 4.0、ODbL）"；'
                                   "只能使用允许公开再发布的数据"))
    starts = [match.start() for match in _FEATURE.finditer(text)]
    found: dict[str, list[Ring]] = {}
    problems: list[Problem] = []
    points = 0
    for index, feature in enumerate(data["features"]):
        start = starts[index] if index < len(starts) else 0
        try:
            street, rings = _feature(feature, text, start, shown, streets)
        except _Refused as refused:
            problems.append(refused.problem)
            continue
        points += sum(len(ring) for ring in rings)
        found.setdefault(street, []).extend(rings)
    if points > MAX_POINTS:
        problems.append(Problem(shown, 1, "", f"边界的点太多（{points} 个，上限 {MAX_POINTS} 个）",
                                "用 mapshaper 等工具简化边界后再导出"))
    if problems:
        return None, problems
    return Outlines(data["source"].strip(), data["license"].strip(),
                    {ident: tuple(found[ident]) for ident in streets if ident in found}), []


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _feature(feature: Any, text: str, start: int, shown: str,
             streets: Mapping[str, Street]) -> tuple[str, list[Ring]]:
    line = _line(text, start)
    properties = feature.get("properties") if isinstance(feature, dict) else None
    street = properties.get("street") if isinstance(properties, dict) else None
    if not isinstance(street, str) or not street.strip():
        raise _Refused(Problem(shown, line, "street", "这一块边界没有写是哪个街镇",
                               '在它的 properties 里加 "street": "街镇编号"（streets.yml 里的编号）'))
    if street not in streets:
        at = re.compile(rf'"street"\s*:\s*{re.escape(json.dumps(street, ensure_ascii=False))}').search(text, start)
        names = {item.name: ident for ident, item in streets.items()}
        raise _Refused(Problem(shown, _line(text, at.start()) if at else line, "street",
                               f"边界文件里的街镇编号“{street}”不存在",
                               did_you_mean(street, streets, names) or "填写 streets.yml 中的编号"))
    return street, _rings(feature.get("geometry"), shown, line, streets[street].name)


def _rings(geometry: Any, shown: str, line: int, name: str) -> list[Ring]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(coordinates, list):
        raise _Refused(Problem(shown, line, "geometry", f"“{name}”的边界应是多边形（Polygon 或 MultiPolygon）",
                               _EXPORT_HINT))
    polygons = [coordinates] if kind == "Polygon" else coordinates
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise _Refused(Problem(shown, line, "geometry", f"“{name}”的边界是空的", _EXPORT_HINT))
        rings.append(_ring(polygon[0], shown, line, name))  # the outer ring; holes are not drawn
    return rings


def _ring(ring: Any, shown: str, line: int, name: str) -> Ring:
    if not isinstance(ring, list) or len(ring) < 4 or not all(
            isinstance(p, list) and len(p) >= 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                        for v in p[:2]) for p in ring):
        raise _Refused(Problem(shown, line, "geometry", f"“{name}”的边界坐标写法不对（每个点应是 [经度, 纬度]）",
                               _EXPORT_HINT))
    lon, lat = ring[0][0], ring[0][1]
    if 0 < lon < 60 and 70 < lat < 140:
        raise _Refused(Problem(shown, line, "geometry", f"“{name}”的边界坐标把纬度写在了前面",
                               "GeoJSON 的每个点先写经度、后写纬度；" + _EXPORT_HINT))
    if not all(70 < p[0] < 140 and 0 < p[1] < 60 for p in ring):
        raise _Refused(Problem(shown, line, "geometry", f"“{name}”的边界有不在中国境内的坐标",
                               "边界要用 WGS-84 经纬度（EPSG:4326）导出，不能用投影坐标"))
    return tuple((float(p[0]), float(p[1])) for p in ring)
