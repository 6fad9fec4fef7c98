"""Open data for the association's registries: programmes, campaigns, venues, communities and
consenting experts in events.json and events.csv, and the registries themselves as /data/<kind>.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from feedtools import event_fronts

pytestmark = pytest.mark.build
CONTENT = ROOT / "content"
# events.csv's columns before the registries came: a spreadsheet macro or import built on them keeps working.
COLUMNS_1_2 = ["活动编号", "日期", "开始时间", "结束时间", "全天", "活动名称", "状态", "街镇编号", "街镇", "社区",
               "地点", "地址", "线上链接", "主办队伍", "活动类型", "服务对象", "费用", "需要报名", "报名电话",
               "参加人数", "活动页面"]
NEW_COLUMNS = ["科普项目编号", "科普项目", "主题活动编号", "主题活动", "场地编号", "社区编号", "社区类别",
               "专家编号", "专家", "名额", "免费"]
KINDS = ("programmes", "campaigns", "venues", "communities", "people")


def _registry(name: str) -> dict[str, dict]:
    return {item["id"]: item for item in yaml.safe_load((CONTENT / "data" / f"{name}.yml").read_text("utf-8"))}


def _ids(value) -> list[str]:
    return value if isinstance(value, list) else [value] if value else []


def expected_entities(front: dict) -> dict:
    """An event's registry fields as its front matter and the registries say (read independently)."""
    venues, communities, people = _registry("venues"), _registry("communities"), _registry("people")
    venue = front.get("venue") if isinstance(front.get("venue"), str) and front["venue"] in venues else None
    community = front.get("community") or None
    if venue and "community" not in front and venues[venue].get("community") in communities:
        community = venues[venue]["community"]
    return {"venue_id": venue, "community_id": community,
            "community_kind": communities[community]["kind"] if community else None,
            "programmes": _ids(front.get("programmes")), "campaigns": _ids(front.get("campaigns")),
            "speakers": [i for i in _ids(front.get("speakers")) if people[i].get("consent") is True]}


def _records(output: Path) -> dict[str, dict]:
    document = json.loads((output / "data" / "events.json").read_text("utf-8"))
    return {record["id"]: record for record in document["events"]}


def test_events_json_names_each_events_programmes_campaigns_venue_community_and_experts(
        sample_output: Path) -> None:
    records = _records(sample_output)
    fronts = event_fronts(CONTENT)
    programmes = _registry("programmes")
    for slug, front in fronts.items():
        record, want = records[slug], expected_entities(front)
        got = {key: record[key] for key in ("venue_id", "community_id", "community_kind")}
        got |= {key: [item["id"] for item in record[key]] for key in ("programmes", "campaigns", "speakers")}
        assert got == want, slug
        assert [p["name"] for p in record["programmes"]] == [programmes[i]["name"] for i in want["programmes"]]
    assert sum(bool(r["programmes"]) for r in records.values()) > 50
    assert sum(bool(r["speakers"]) for r in records.values()) > 10
    assert {r["community_kind"] for r in records.values()} == {"社区", "村", None}


def test_events_csv_keeps_its_columns_and_appends_the_registries(sample_output: Path) -> None:
    data = (sample_output / "data" / "events.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS_1_2 + NEW_COLUMNS
    records = _records(sample_output)
    moved = 0
    for row in map(dict, (zip(rows[0], values, strict=True) for values in rows[1:])):
        record = records[row["活动编号"]]
        assert row["科普项目编号"] == "、".join(p["id"] for p in record["programmes"])
        assert row["主题活动"] == "、".join(c["name"] for c in record["campaigns"])
        assert row["专家"] == "、".join(p["name"] for p in record["speakers"])
        sessions = (record.get("recurrence") or {}).get("sessions", [])
        elsewhere = {s["start"][:10] for s in sessions if s["venue"]}  # moved to another place
        if row["日期"] in elsewhere:  # at the place it moved to (a registered venue's id when it is one)
            session = next(s for s in sessions if s["venue"] and s["start"][:10] == row["日期"])
            assert (row["地点"], row["场地编号"], row["社区编号"], row["社区类别"], row["社区"]) == (
                session["venue"]["name"], session["venue_id"] or "", "", "", "")
            moved += 1
            continue
        assert (row["场地编号"], row["社区编号"], row["社区类别"]) == (
            record["venue_id"] or "", record["community_id"] or "", record["community_kind"] or "")
    assert moved  # the sample moves a session of 科学会客厅 to the library


def test_each_registry_is_open_data_with_its_page_and_calendar(sample_output: Path) -> None:
    site = "http://127.0.0.1:8000/"
    for kind in KINDS:
        document = json.loads((sample_output / "data" / f"{kind}.json").read_text("utf-8"))
        registry = _registry(kind)
        listed = [i for i, item in registry.items() if kind != "people" or item.get("consent") is True]
        items = document[kind]
        assert [item["id"] for item in items] == listed and document["count"] == len(listed), kind
        for item in items:
            assert item["name"] == registry[item["id"]]["name"]
            if kind == "venues":  # a renamed venue's former names, as a list (none: empty)
                assert item["former_names"] == registry[item["id"]].get("former_names", []), item
            for key in ("url", "feed"):
                path = item[key].removeprefix(site)
                assert (sample_output / path / ("index.html" if path.endswith("/") else "")).is_file(), item[key]
    people = json.loads((sample_output / "data" / "people.json").read_text("utf-8"))["people"]
    allowed = {"id", "name", "title", "field", "organisation", "description", "events", "url", "feed"}
    assert all(set(person) <= allowed for person in people)  # never consent, a phone or an address
    parents = {p["id"]: p["parent"] for p in json.loads(
        (sample_output / "data" / "programmes.json").read_text("utf-8"))["programmes"]}
    assert parents == {i: p.get("parent", "") for i, p in _registry("programmes").items()}
    venues = json.loads((sample_output / "data" / "venues.json").read_text("utf-8"))
    assert venues["version"] == "1.8"  # 1.8: venues' former_names
    assert any(venue["former_names"] for venue in venues["venues"])  # the sample has one


def test_the_open_data_page_documents_the_new_columns_and_files(sample_output: Path) -> None:
    html = (sample_output / "data" / "index.html").read_text("utf-8")
    for column in COLUMNS_1_2 + NEW_COLUMNS:
        assert f'<th scope="row">{column}</th>' in html, column
    for kind in KINDS:
        assert f'href="/data/{kind}.json"' in html, kind
    for field in ("community_kind", "speakers", "programmes", "venue_id", "former_names"):
        assert f"<code>{field}</code>" in html, field
