"""Names in the registries as they are published: a full-width space typed inside one (梅江　镇) was
published in every heading and calendar without a word; spaces around one are trimmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kepu.content.registries import load_registries

STREETS = """\
- {id: meijiang, name: 梅江　镇, kind: 镇, order: 10}
- id: changning
  name: "　长宁镇 "
  kind: 镇
  order: 20
"""
TEAMS = "- id: kexie\n  name: 梅江县科协 志愿服务队　\n"


def test_a_full_width_space_inside_a_name_is_pointed_out_and_spaces_around_it_are_trimmed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "streets.yml").write_text(STREETS, "utf-8")
    (data / "teams.yml").write_text(TEAMS, "utf-8")
    (data / "categories.yml").write_text("- {id: jiangzuo, name: 科普讲座}\n", "utf-8")
    (data / "audiences.yml").write_text("- {id: qinzi, name: 亲子家庭}\n", "utf-8")
    registries, problems = load_registries(data)
    assert registries.streets["changning"].name == "长宁镇" and registries.teams["kexie"].name == "梅江县科协 志愿服务队"
    spaced = [(p.path, p.line, p.field, p.severity) for p in problems if "全角空格" in p.message]
    assert spaced == [("content/data/streets.yml", 1, "name", "warning")], problems
    [problem] = [p for p in problems if "全角空格" in p.message]
    assert "梅江　镇" in problem.message and "删掉" in problem.hint


# A venue renamed keeps its former names (former_names), by which residents still look for it.
VENUES = """\
- id: tushuguan
  name: 新北街道图书馆
  kind: 场馆
  street: changning
  former_names: [新北街道文化站图书室, 新北区图书馆 ]
- id: kejiguan
  name: 长宁科技馆
  kind: 科普基地
  street: changning
  former_names: 长宁少年科技站
"""


def _registries(tmp_path: Path, venues: str) -> tuple:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "streets.yml").write_text("- {id: changning, name: 长宁镇, kind: 镇}\n", "utf-8")
    (data / "teams.yml").write_text(TEAMS, "utf-8")
    (data / "categories.yml").write_text("- {id: jiangzuo, name: 科普讲座}\n", "utf-8")
    (data / "audiences.yml").write_text("- {id: qinzi, name: 亲子家庭}\n", "utf-8")
    (data / "venues.yml").write_text(venues, "utf-8")
    return load_registries(data)


def test_a_venue_s_former_names_are_read_as_a_list_or_one_name_and_trimmed(tmp_path: Path) -> None:
    registries, problems = _registries(tmp_path, VENUES)
    assert problems == []
    assert registries.venues["tushuguan"].former_names == ("新北街道文化站图书室", "新北区图书馆")
    assert registries.venues["kejiguan"].former_names == ("长宁少年科技站",)


@pytest.mark.parametrize(("change", "line", "message", "hint"), [
    # The venue's own name, another venue's name or former name: search would find the wrong place.
    (("新北区图书馆 ]", "新北区图书馆, 新北街道图书馆]"), 5, "原名“新北街道图书馆”就是这个场地现在的名称",
     "删去这一项：former_names 只写以前用过、现在不再用的名称"),
    (("长宁少年科技站", "新北街道图书馆"), 10, "原名“新北街道图书馆”是另一个场地现在的名称（新北街道图书馆，编号 tushuguan）",
     "一个名称只能指一个场地"),
    (("长宁少年科技站", "新北区图书馆"), 10, "原名“新北区图书馆”已是另一个场地的原名（新北街道图书馆，编号 tushuguan）",
     "一个名称只能指一个场地"),
    (("新北区图书馆 ]", "新北区图书馆, 新北区图书馆]"), 5, "原名“新北区图书馆”写了两次", "删去重复的一项"),
    # One line each, a name each, within the limits of a name.
    (("长宁少年科技站", '"长宁少年\\n科技站"'), 10, "原名不能换行", "一个名称写在一行"),
    (("长宁少年科技站", "长宁少年科技站、长宁科普站"), 10, "几个原名要分开写", "former_names: [长宁少年科技站, 长宁科普站]"),
    (("长宁少年科技站", "[长宁少年科技站, 2019]"), 10, "第 2 个原名被 YAML 读成了数字，而这里要写名称",
     "给名称加上英文引号"),
    (("长宁少年科技站", "{旧名: 长宁少年科技站}"), 10, "原名要写成名称的列表", "former_names: [以前的名称, 更早的名称]"),
    (("长宁少年科技站", '[长宁少年科技站, ""]'), 10, "第 2 个原名是空的", "删去这一项"),
    (("长宁少年科技站", "长" * 61), 10, "原名太长（61 字，上限 60 字）", "只写名称"),
    (("长宁少年科技站", "[" + ", ".join(f"旧名{n}" for n in range(11)) + "]"), 10, "原名太多（11 个，上限 10 个）",
     "只写居民还会用来找这个场地的名称"),
])
def test_a_former_name_written_wrongly_is_refused_with_its_line_and_the_fix(
        tmp_path: Path, change: tuple[str, str], line: int, message: str, hint: str) -> None:
    _, problems = _registries(tmp_path, VENUES.replace(*change))
    found = [(p.path, p.line, p.field, p.severity) for p in problems if message in p.message]
    assert found == [("content/data/venues.yml", line, "former_names", "error")], problems
    assert hint in next(p.hint for p in problems if message in p.message)


def test_a_former_name_with_invisible_characters_or_a_full_width_space_is_pointed_out(tmp_path: Path) -> None:
    """As every other name: unseen characters refused on their line, a full-width space inside said."""
    _, problems = _registries(tmp_path, VENUES.replace("长宁少年科技站", '"长宁少年\\u200b科技站"'))
    assert [(p.line, "零宽字符" in p.message) for p in problems] == [(10, True)], problems
    _, problems = _registries(tmp_path, VENUES.replace("长宁少年科技站", "长宁少年　科技站"))
    assert [(p.line, p.field, p.severity) for p in problems] == [(10, "former_names", "warning")], problems
    assert "全角空格" in problems[0].message and "长宁少年　科技站" in problems[0].message
