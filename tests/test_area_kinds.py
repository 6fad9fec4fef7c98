"""Every kind of township-level area a district may have (街道, 镇, 乡, 苏木, 功能区), and the words
its pages use for them: only the kinds it has."""

from __future__ import annotations

from pathlib import Path

import pytest

from kepu.content.model import AreaWords
from kepu.content.registries import load_registries


def test_a_township_and_a_sumu_are_accepted_as_streets(tmp_path: Path) -> None:
    (tmp_path / "streets.yml").write_text(
        "- {id: shuangpu, name: 双浦镇, kind: 镇, order: 10}\n"
        "- {id: zhuji, name: 珠玑乡, kind: 乡, order: 20}\n"
        "- {id: bayan, name: 巴彦苏木, kind: 苏木, order: 30}\n", "utf-8")
    registries, problems = load_registries(tmp_path)
    assert [p.message for p in problems if p.field == "kind"] == []
    assert [s.kind for s in registries.streets.values()] == ["镇", "乡", "苏木"]


def test_an_unknown_kind_is_refused_naming_every_kind_there_is(tmp_path: Path) -> None:
    (tmp_path / "streets.yml").write_text("- {id: a, name: 甲社区, kind: 社区, order: 10}\n", "utf-8")
    _, problems = load_registries(tmp_path)
    (problem,) = [p for p in problems if p.field == "kind"]
    assert problem.line == 1 and "社区" in problem.message
    assert all(kind in problem.hint for kind in ("街道", "镇", "乡", "苏木", "功能区"))


@pytest.mark.parametrize(("kinds", "heading", "counted", "listed"), [
    ({"街道", "镇", "功能区"}, "街镇与功能区", "街镇和功能区", "街道、镇和功能区"),  # the sample district
    ({"街道"}, "街道", "街道", "街道"),
    ({"街道", "镇"}, "街镇", "街镇", "街道和镇"),
    ({"镇", "乡"}, "乡镇", "乡镇", "镇和乡"),
    ({"街道", "镇", "乡"}, "乡镇街道", "乡镇街道", "街道、镇和乡"),
    ({"功能区"}, "功能区", "功能区", "功能区"),
    (set(), "街镇", "街镇", "街镇"),
])
def test_a_district_is_described_by_the_kinds_of_area_it_has(kinds, heading, counted, listed) -> None:
    words = AreaWords.of(kinds)
    assert (words.heading, words.counted, words.listed) == (heading, counted, listed)
    assert words.either == listed.replace("和", "或")  # 活动在哪个街道、镇或功能区
