"""A venue's former names (venues.yml ``former_names``): venues are renamed, and residents keep
looking for them by the old name. Each is one line, a name of its own: not the venue's name now,
and not another venue's name or former name (search would take residents to the wrong place)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from kepu.content.model import Place
from kepu.content.problems import WARNING, Problem

FIELD = "former_names"
MAX_FORMER_NAMES = 10  # each is searched by and shown on the venue's page
_SEPARATORS = re.compile(r"[、，,；;]")
_LINE_BREAKS = re.compile(r"[\n\r\v\f\x85\u2028\u2029]")
_LIST_HINT = "例如 former_names: [以前的名称, 更早的名称]；只有一个时写 former_names: 以前的名称"
CLASH_HINT = "一个名称只能指一个场地，居民搜它时才不会找错：删去这一项；两项其实是同一个场地的，合并成一项"


def name_key(text: str) -> str:
    """What two names are compared by: width, case and runs of spaces aside."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def read_former_names(value: Any) -> tuple[str, ...]:
    """The names of a checked ``former_names``: a list, or one name on its line."""
    values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(v.strip() for v in values if isinstance(v, str) and v.strip())


def former_names_problem(item: dict, lines: dict[str, int], shown: str, limit: int) -> Problem | None:
    """The first mistake in one venue's ``former_names`` (``limit``: the longest name), on its line."""
    value = item.get(FIELD)
    if value is None or value == "" or value == []:  # written, left empty: none
        return None
    line = lines.get(FIELD, lines[""])
    if isinstance(value, str) and _SEPARATORS.search(value.strip()):
        parts = [part.strip() for part in _SEPARATORS.split(value) if part.strip()]
        return Problem(shown, line, FIELD, "几个原名要分开写：写在一起会被当成一个名称",
                       f"写成列表：former_names: [{', '.join(parts)}]")
    if isinstance(value, dict):
        return Problem(shown, line, FIELD, "原名要写成名称的列表", _LIST_HINT)
    values = value if isinstance(value, list) else [value]
    if len(values) > MAX_FORMER_NAMES:
        return Problem(shown, line, FIELD, f"原名太多（{len(values)} 个，上限 {MAX_FORMER_NAMES} 个）",
                       "只写居民还会用来找这个场地的名称；更早的沿革可以写在 description 里")
    own = name_key(str(item.get("name") or ""))
    seen: set[str] = set()
    for index, element in enumerate(values):
        at = lines.get(f"{FIELD}[{index}]", line) if isinstance(value, list) else line
        which = f"第 {index + 1} 个原名" if isinstance(value, list) else "原名"
        problem = _one_problem(element, which, shown, at, limit)
        if problem:
            return problem
        text = element.strip()
        key = name_key(text)
        if key == own:
            return Problem(shown, at, FIELD, f"原名“{text}”就是这个场地现在的名称",
                           "删去这一项：former_names 只写以前用过、现在不再用的名称")
        if key in seen:
            return Problem(shown, at, FIELD, f"原名“{text}”写了两次", "删去重复的一项")
        seen.add(key)
    return None


def _one_problem(element: Any, which: str, shown: str, line: int, limit: int) -> Problem | None:
    if isinstance(element, (list, dict)):
        return Problem(shown, line, FIELD, "原名要写成名称的列表", _LIST_HINT)
    if element is None or (isinstance(element, str) and not element.strip()):
        return Problem(shown, line, FIELD, f"{which}是空的", "删去这一项")
    if not isinstance(element, str):  # YAML read 2019 as a number, yes as true, 2019-01-01 as a day
        what = "真假值" if isinstance(element, bool) else "数字" if isinstance(element, (int, float)) else "日期"
        quoted = f"，例如 \"{element}\"" if what == "数字" else ""
        return Problem(shown, line, FIELD, f"{which}被 YAML 读成了{what}，而这里要写名称", f"给名称加上英文引号{quoted}")
    text = element.strip()
    if _LINE_BREAKS.search(text):
        return Problem(shown, line, FIELD, "原名不能换行", "一个名称写在一行，名称中间不要回车")
    if len(text) > limit:
        return Problem(shown, line, FIELD, f"原名太长（{len(text)} 字，上限 {limit} 字）",
                       "只写名称；改名的来历可以写在 description 里")
    return None


def spaced_former_names(place: Place, lines: dict[str, int], shown: str) -> list[Problem]:
    """A full-width space typed inside a former name, as inside a name: the page shows it."""
    return [Problem(shown, _line(lines, index), FIELD, f"原名“{name}”中间有全角空格，场地页和搜索结果上会照样显示",
                    "删掉名称中间的空格；确实要分开的，用顿号或不加空格", WARNING)
            for index, name in enumerate(place.former_names) if "\u3000" in name]


def former_name_clashes(venues: Mapping[str, Place], lines: Mapping[str, dict[str, int]],
                        shown: str) -> list[Problem]:
    """A former name that is another venue's name or former name: which of the two would a
    resident searching it be looking for?"""
    current: dict[str, Place] = {}
    for place in venues.values():
        current.setdefault(name_key(place.name), place)
    former: dict[str, Place] = {}
    problems = []
    for place in venues.values():
        for index, name in enumerate(place.former_names):
            key, line = name_key(name), _line(lines.get(place.id, {}), index)
            other = current.get(key)
            if other is not None and other is not place:
                problems.append(Problem(shown, line, FIELD, f"原名“{name}”是另一个场地现在的名称（{other.name}，编号 {other.id}）",
                                        CLASH_HINT))
            elif (first := former.setdefault(key, place)) is not place:
                problems.append(Problem(shown, line, FIELD, f"原名“{name}”已是另一个场地的原名（{first.name}，编号 {first.id}）",
                                        CLASH_HINT))
    return problems


def _line(lines: Mapping[str, int], index: int) -> int:
    return lines.get(f"{FIELD}[{index}]", lines.get(FIELD, lines.get("", 0)))


def former_name_owners(venues: Mapping[str, Place]) -> dict[str, str]:
    """Each former name, as written, → the id of the venue it names now."""
    owners: dict[str, str] = {}
    for place in venues.values():
        for name in place.former_names:
            owners.setdefault(name, place.id)
    return owners
