"""The open data (kepu.formats.opendata) as a journalist or a spreadsheet reads it: one CSV row per session in
date order, a series' changed sessions in both files, and events.json valid against its own schema."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import jsonschema
from test_session_changes import with_sessions
from test_session_texts import CHANGES
from test_site_index import index_for

from kepu.formats.opendata import (
    csv_document,
    csv_document_parts,
    csv_lines,
    dumps,
    event_record,
    events_document,
    events_json,
    events_json_parts,
    record_json,
    schema,
)
from kepu_pelican.writing import ByteWriter

SITE = "https://kepu.example.cn"


def _index(site: Path):
    with_sessions(site, CHANGES)  # 12-12 cancelled, 12-19 moved to 12-20 09:30 elsewhere, 01-09 at 15:00
    return index_for(date(2026, 12, 1), site)


def test_the_csv_has_one_row_per_session_in_date_order(mini_site: Path) -> None:
    index = _index(mini_site)
    data = csv_document(csv_lines(entry, index, SITE) for entry in index.entries)
    assert data.startswith("\ufeff活动编号,日期,开始时间,结束时间,全天".encode())  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["日期"] for row in rows] == sorted(row["日期"] for row in rows)
    series = [row for row in rows if row["活动编号"] == "zhoumo-tongxuehui"]
    assert len(series) == 13 and len(rows) == 17  # 13 Saturdays less the EXDATE, and the RDATE; 4 others
    changed = {row["日期"]: (row["开始时间"], row["结束时间"], row["状态"], row["地点"]) for row in series
               if row["状态"] != "正常举办"}
    assert changed == {"2026-12-12": ("14:00", "2026-12-12 16:00", "已取消", "新北街道科普活动室"),
                       "2026-12-20": ("09:30", "2026-12-20 11:30", "已改期", "新北街道图书馆"),
                       "2027-01-09": ("15:00", "2027-01-09 17:00", "已改期", "新北街道科普活动室")}
    all_day = next(row for row in rows if row["活动编号"] == "kejizhou")
    assert (all_day["开始时间"], all_day["结束时间"], all_day["全天"], all_day["状态"]) == ("", "2026-12-16", "是", "已取消")


def test_events_json_names_the_changed_sessions_and_matches_its_schema(mini_site: Path) -> None:
    index = _index(mini_site)
    url = f"{SITE}/data/events.schema.json"
    document = json.loads(events_json([record_json(event_record(e, index, SITE)) for e in index.entries], index, SITE, url))
    jsonschema.validate(document, schema(url))
    assert (document["count"], document["build_date"]) == (5, "2026-12-01")
    series = next(e for e in document["events"] if e["id"] == "zhoumo-tongxuehui")
    assert series["next_start"] == "2026-12-05T14:00:00+08:00"
    assert series["recurrence"]["exdates"] == ["2026-12-26"]
    assert [(s["date"], s["status"], s["start"], s["venue"] and s["venue"]["name"], s["note"])
            for s in series["recurrence"]["sessions"]] == [
        ("2026-12-12T14:00:00+08:00", "cancelled", None, None, "活动室维修"),
        ("2026-12-19T14:00:00+08:00", "moved", "2026-12-20T09:30:00+08:00", "新北街道图书馆", "改到周日上午"),
        ("2027-01-09T14:00:00+08:00", "moved", "2027-01-09T15:00:00+08:00", None, ""),
    ]


def test_the_open_data_files_written_in_pieces_are_the_whole_documents(mini_site: Path, tmp_path: Path) -> None:
    """events.json, per-street files and events.csv are written piece by piece (at 16,000 events
    joining them first held about 100 MB more): the files are exactly the documents."""
    index = _index(mini_site)
    url = f"{SITE}/data/events.schema.json"
    records = [event_record(e, index, SITE) for e in index.entries]
    out = ByteWriter(str(tmp_path))
    for name, chosen in (("all.json", records), ("one.json", records[:1]), ("none.json", [])):
        out.write(name, events_json_parts([record_json(r) for r in chosen], index, SITE, url))
        assert (tmp_path / name).read_bytes() == dumps(events_document(chosen, index, SITE, url) | {"count": len(chosen)})
    lines = [csv_lines(entry, index, SITE) for entry in index.entries]
    out.write("events.csv", csv_document_parts(lines))
    assert (tmp_path / "events.csv").read_bytes() == csv_document(lines)
    assert len(list(csv.reader(io.StringIO((tmp_path / "events.csv").read_text("utf-8-sig"))))) == 18


def test_events_json_publishes_the_attendance_the_csv_and_the_figures_count(mini_site: Path) -> None:
    """Found by an audit of the figures: events.json published the 参加人数 written on a cancelled
    event, one postponed to a time not yet known and one still to come, which events.csv and the
    statistics leave out: a data user summing events.json reported more 人次 than the stats page."""
    for path in (mini_site / "content" / "events").rglob("*.md"):
        text = path.read_text("utf-8")
        if "\nattendance:" not in text:
            path.write_text(text.replace("\n---\n", "\nattendance: 30\n---\n", 1), "utf-8")
    index = index_for(date(2026, 12, 1), mini_site)
    records = {r["id"]: r for r in (event_record(e, index, SITE) for e in index.entries)}
    rows = list(csv.DictReader(io.StringIO(csv_document(csv_lines(e, index, SITE) for e in index.entries)
                                           .decode("utf-8-sig"))))
    in_csv = {row["活动编号"]: int(row["参加人数"]) for row in rows if row["参加人数"]}
    assert {ident: r["attendance"] for ident, r in records.items() if r["attendance"] is not None} == in_csv
    assert records["kejizhou"]["attendance"] is None  # cancelled
    assert in_csv  # some were held and counted
