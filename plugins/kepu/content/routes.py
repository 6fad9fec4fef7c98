"""科普路线 (content/data/routes.yml): registered venues strung together in order, validated."""

from __future__ import annotations

from typing import Any

from kepu.content.model import Place, Route, RouteStop
from kepu.content.problems import WARNING, Problem
from kepu.content.suggest import did_you_mean

STOP_FIELDS = ("venue", "note")
MAX_NOTE = 200
MIN_STOPS = 2
_STOPS_HINT = "写成 stops:，下面每行一站：- 场地编号（venues.yml 里的编号），要加说明时写 - venue: 场地编号 和 note: 说明"


def _line(lines: dict[str, int], index: int) -> int:
    return lines.get(f"stops[{index}]", lines.get("stops", lines[""]))


def stops_problem(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """The shape of one route's ``stops``: a list of at least two venue ids or {venue, note}."""
    stops = item.get("stops")
    name = item.get("name")
    if stops in (None, "", []):
        return Problem(shown, lines.get("stops", lines[""]), "stops", f"路线“{name}”没有写经过的场地", _STOPS_HINT)
    if not isinstance(stops, list):
        return Problem(shown, lines.get("stops", lines[""]), "stops", "stops 应是一站一行的列表", _STOPS_HINT)
    for index, stop in enumerate(stops):
        problem = _stop_problem(stop, _line(lines, index), shown, index)
        if problem:
            return problem
    if len(stops) < MIN_STOPS:
        return Problem(shown, lines.get("stops", lines[""]), "stops", f"路线“{name}”只有一站，至少要有两站",
                       "再加一个场地；只有一个场地时，请直接介绍那个场地的页面")
    return None


def _stop_problem(stop: Any, line: int, shown: str, index: int) -> Problem | None:
    field = f"stops[{index}]"
    if isinstance(stop, str) and stop.strip():
        return None
    if not isinstance(stop, dict):
        return Problem(shown, line, field, f"第 {index + 1} 站的写法不对", _STOPS_HINT)
    unknown = [str(key) for key in stop if str(key) not in STOP_FIELDS]
    if unknown:
        return Problem(shown, line, field, f"第 {index + 1} 站有不认识的字段“{unknown[0]}”",
                       did_you_mean(unknown[0], STOP_FIELDS) or "每站只写 venue（场地编号）和 note（说明）")
    if not isinstance(stop.get("venue"), str) or not stop["venue"].strip():
        return Problem(shown, line, field, f"第 {index + 1} 站缺少场地编号", "加一行 venue: 场地编号（venues.yml 里的编号）")
    note = stop.get("note")
    if note is not None and (isinstance(note, bool) or not isinstance(note, (str, int, float))):
        return Problem(shown, line, field, f"第 {index + 1} 站的说明应是一段文字", "写在同一行，例如 note: 参观约一小时")
    if note is not None and len(str(note).strip()) > MAX_NOTE:
        return Problem(shown, line, field, f"第 {index + 1} 站的说明太长（{len(str(note).strip())} 字，上限 {MAX_NOTE} 字）",
                       "请精简；详细介绍可以写在路线的 description 里")
    return None


def make_route(item: dict, text: str, description: str) -> Route:
    """A checked route item (``text``: the registries' way of reading a text field)."""
    stops = []
    for stop in item.get("stops") or ():
        if isinstance(stop, dict):
            note = stop.get("note")
            stops.append(RouteStop(str(stop.get("venue", "")).strip(), "" if note is None else str(note).strip()))
        else:
            stops.append(RouteStop(str(stop).strip()))
    return Route(item["id"], text, tuple(stops), description)


def stop_reference_problems(routes: dict[str, Route], venues: dict[str, Place],
                            lines: dict[str, dict[str, int]], shown: str) -> list[Problem]:
    """Each stop names a registered venue (else the closest id); a stop without coordinates
    cannot be drawn, and a venue visited twice is questioned."""
    names = {place.name: ident for ident, place in venues.items()}
    problems: list[Problem] = []
    for route in routes.values():
        if route.id not in lines:
            continue  # a stand-in for an item whose YAML is broken (already reported)
        seen: dict[str, int] = {}
        for index, stop in enumerate(route.stops):
            line = _line(lines[route.id], index)
            field = f"stops[{index}]"
            place = venues.get(stop.venue)
            if place is None:
                problems.append(Problem(shown, line, field, f"路线“{route.name}”第 {index + 1} 站的场地编号“{stop.venue}”不存在",
                                        did_you_mean(stop.venue, venues, names) or "填写 venues.yml 中的场地编号"))
            elif stop.venue in seen:
                problems.append(Problem(shown, line, field, f"第 {index + 1} 站和第 {seen[stop.venue] + 1} 站是同一个场地",
                                        "检查是否抄重了；确实要回到这里可以不改", WARNING))
            elif not place.has_geo:
                problems.append(Problem(shown, line, field, f"第 {index + 1} 站“{place.name}”没有经纬度，路线图上画不出这一站",
                                        "在 venues.yml 里给这个场地补上 lat 和 lon", WARNING))
            seen.setdefault(stop.venue, index)
    return problems
