"""Names in the registries as they are published: a full-width space typed inside one (梅江　镇) was
published in every heading and calendar without a word; spaces around one are trimmed."""

from __future__ import annotations

from pathlib import Path

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
