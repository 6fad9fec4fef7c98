"""One session of a series cancelled or moved (issue 16.1), as residents and subscribers meet it: the
event page says 已取消（原因） on that date and shows the moved session's new time and place; day pages,
open data and statistics follow; every calendar reader sees the cancelled session marked and the moved
one at its new time (RECURRENCE-ID overrides, SEQUENCE raised); a change to a date that is not one of
the series' sessions is refused with the nearest real ones."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar

from conftest import SAMPLE_BUILD_DATE, require, run_build, run_check
from feedtools import icaljs, libical_available, libical_occurrences, lint, node_available, python_occurrences
from kepu.formats.finder import rows

pytestmark = pytest.mark.build
SERIES = Path("content/events/xinbei/2026/zhoumo-tongxuehui.md")
UID = "zhoumo-tongxuehui@kepu.binhai.example.cn"
SESSIONS = """  sessions:
    - date: 2026-12-12
      status: cancelled
      note: 活动室维修
    - date: 2026-12-19
      start: 2026-12-20 09:30
      end: "11:30"
      venue:
        name: 新北街道党群服务中心
        address: 天津市滨海新区新北街道
      note: 改到周日上午
"""


def with_sessions(site: Path, sessions: str = SESSIONS) -> Path:
    path = site / SERIES
    text = path.read_text("utf-8")
    path.write_text(text.replace("  rdates: [2027-02-06 14:00]\n", "  rdates: [2027-02-06 14:00]\n" + sessions),
                    "utf-8")
    return path


@pytest.fixture
def built(mini_site: Path, tmp_path: Path) -> Path:
    with_sessions(mini_site)
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date=SAMPLE_BUILD_DATE)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_the_event_page_names_the_cancelled_and_the_moved_session(built: Path) -> None:
    html = (built / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    dates = html[html.index('id="dates"'):]
    dates = re.sub(r"<[^>]+>", "", dates[:dates.index("</section>")])
    assert re.search(r"12月12日（周六）\s*已取消（活动室维修）", dates), dates
    assert re.search(r"12月20日（周日）\s*09:30.*改期.*新北街道党群服务中心.*改到周日上午", dates, re.S), dates
    assert '<time datetime="2026-12-19' not in html  # the rule's Saturday is no longer a session


def test_the_sessions_held_are_counted_without_the_cancelled_one(mini_site: Path, tmp_path: Path) -> None:
    """Seen on 20 December: six Saturdays have passed, one of them cancelled. The page said
    已经举办的 6 场 (the docs: a cancelled session is no session held)."""
    with_sessions(mini_site)
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date="2026-12-20")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert "<summary>已经举办的 5 场（另有 1 场取消）</summary>" in html
    past = html[html.index('<ul class="dates past">'):]
    assert "已取消（活动室维修）" in past[:past.index("</ul>")]  # still listed, with its reason


def test_day_pages_move_with_the_session(built: Path) -> None:
    def day(d: str) -> str:
        page = built / "calendar" / "2026" / "12" / d / "index.html"
        return page.read_text("utf-8") if page.exists() else ""

    assert "周末科学同学会" in day("20")
    # On its own day it is listed only as moved, with where to: the earlier poster named the 19th.
    nineteenth = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", day("19")))
    assert nineteenth.count("周末科学同学会") == 1 and "14:00–16:00 周末科学同学会 已改期至 12月20日（周日）09:30" in nineteenth
    assert "共 0 场活动（1 场已改到别的日子）" in nineteenth
    assert "已取消" in day("12")


def test_the_home_pages_two_weeks_mark_the_cancelled_session(built: Path) -> None:
    html = (built / "index.html").read_text("utf-8")
    weeks = html[html.index('id="next-days"'):]
    day = weeks[weeks.index('data-date="2026-12-12"'):]
    day = day[:day.index("</ul>")]
    line = next(item for item in day.split("<li")[1:] if "周末科学同学会" in item)
    assert "已取消" in re.sub(r"<[^>]+>", "", line), line
    assert 'class="badge status-cancelled"' in line


def test_the_filters_find_the_series_on_its_cancelled_day_as_cancelled(built: Path) -> None:
    # "今天" on 12-12 finds the series with that day's session marked 已取消 (before, not at all:
    # no word for a parent that the usual Saturday is off); the moved one is on its new day.
    data = json.loads((built / "events" / "filter.json").read_text("utf-8"))
    row = next(r for r in rows(data) if r["url"].endswith("/zhoumo-tongxuehui/"))
    held = [s["first"] for s in row["sessions"] if not s["cancelled"]]
    assert "2026-12-05" in held and "2026-12-20" in held
    assert "2026-12-12" not in held and "2026-12-19" not in held
    [off] = [s for s in row["sessions"] if s["cancelled"]]
    assert (off["first"], off["label"]) == ("2026-12-12", "已取消")
    assert row["when"].startswith("2026年12月5日")  # the first session held


def test_every_calendar_reader_sees_the_cancelled_and_the_moved_session(built: Path) -> None:
    feed = built / "feeds" / "all.ics"
    assert lint(feed.read_bytes()) == []
    found = [e for e in Calendar.from_ical(feed.read_bytes()).walk("VEVENT") if str(e["UID"]) == UID]
    master = next(e for e in found if "RECURRENCE-ID" not in e)
    overrides = {e.decoded("RECURRENCE-ID").date(): e for e in found if "RECURRENCE-ID" in e}
    assert set(overrides) == {date(2026, 12, 12), date(2026, 12, 19)}
    cancelled, moved = overrides[date(2026, 12, 12)], overrides[date(2026, 12, 19)]
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(cancelled["SUMMARY"]).startswith("【已取消】")
    assert "活动室维修" in str(cancelled["DESCRIPTION"])
    assert "报名" in str(moved["DESCRIPTION"]) and "报名" not in str(cancelled["DESCRIPTION"])  # no one signs up for it
    assert cancelled["TRANSP"] == "TRANSPARENT" and "TRANSP" not in moved  # the cancelled one frees the time
    assert moved.decoded("DTSTART").isoformat() == "2026-12-20T09:30:00+08:00"
    assert str(moved["SUMMARY"]) == "【已改期】周末科学同学会"  # as the page marks it (no mark before)
    assert str(moved["LOCATION"]).startswith("新北街道党群服务中心")
    assert int(cancelled["SEQUENCE"]) > int(master["SEQUENCE"]) and int(moved["SEQUENCE"]) > int(master["SEQUENCE"])
    span = (date(2026, 11, 1), date(2027, 9, 1))
    ours = [o for o in python_occurrences(feed, *span) if o[0] == UID]
    starts = [start for _, start, _ in ours]
    assert "2026-12-20T01:30:00.000Z" in starts and "2026-12-19T06:00:00.000Z" not in starts
    require(node_available(), "node and node_modules/ical.js")
    js = sorted((o["uid"], o["start"], o["end"]) for o in icaljs([feed], *span)[str(feed)] if o["uid"] == UID)
    assert js == ours
    statuses = {o["start"]: o["status"] for o in icaljs([feed], *span)[str(feed)] if o["uid"] == UID}
    assert statuses["2026-12-12T06:00:00.000Z"] == "CANCELLED"
    require(libical_available(), "Debian's python3-gi and gir1.2-ical-3.0")
    lib = sorted(o for o in libical_occurrences([feed], *span)[str(feed)] if o[0] == UID)
    assert lib == sorted((uid, start) for uid, start, _ in ours)


def test_open_data_and_statistics_follow(built: Path) -> None:
    record = next(e for e in json.loads((built / "data" / "events.json").read_text("utf-8"))["events"]
                  if e["id"] == "zhoumo-tongxuehui")
    sessions = {s["date"]: s for s in record["recurrence"]["sessions"]}
    assert sessions["2026-12-12T14:00:00+08:00"]["status"] == "cancelled"
    assert sessions["2026-12-19T14:00:00+08:00"]["start"] == "2026-12-20T09:30:00+08:00"
    rows = {r["日期"]: r for r in csv.DictReader(io.StringIO((built / "data" / "events.csv").read_text("utf-8-sig")))
            if r["活动编号"] == "zhoumo-tongxuehui"}
    assert rows["2026-12-12"]["状态"] == "已取消"  # a spreadsheet of sessions keeps the row, marked
    assert (rows["2026-12-20"]["状态"], rows["2026-12-20"]["开始时间"], rows["2026-12-20"]["地点"]) == \
        ("已改期", "09:30", "新北街道党群服务中心")
    assert "2026-12-19" not in rows
    calendar = Calendar.from_ical((built / "events" / "zhoumo-tongxuehui.ics").read_bytes())
    expanded = recurring_ical_events.of(calendar).between(date(2026, 12, 1), date(2027, 1, 1))
    held = [o for o in expanded if str(o.get("STATUS")) != "CANCELLED"]
    stats = (built / "stats" / "index.html").read_text("utf-8")
    assert held and "场次" in stats


def test_a_change_to_a_date_that_is_not_a_session_is_refused(mini_site: Path) -> None:
    path = with_sessions(mini_site, "  sessions:\n    - date: 2026-12-15\n      status: cancelled\n")
    result = run_check(path, content=mini_site / "content", cwd=mini_site)
    line = path.read_text("utf-8").splitlines().index("    - date: 2026-12-15") + 1
    assert result.returncode == 1
    assert f"{SERIES}:{line}:" in result.stdout
    assert "2026-12-12（周六）" in result.stdout and "2026-12-19（周六）" in result.stdout


def test_a_session_moved_onto_another_session_of_the_series_is_refused(mini_site: Path) -> None:
    """The 19th moved to the 12th at 14:00, the time of the 12th's own session (a slip of the web
    form's date box): the page listed 12月12日 twice and calendars showed two at once. A move to
    the morning of the 12th, beside its afternoon session, is not questioned."""
    moved = "  sessions:\n    - date: 2026-12-19\n      start: 2026-12-12 14:30\n      end: \"16:30\"\n"
    path = with_sessions(mini_site, moved)
    result = run_check(path, content=mini_site / "content", cwd=mini_site)
    line = path.read_text("utf-8").splitlines().index("      start: 2026-12-12 14:30") + 1
    assert result.returncode == 1, result.stdout
    assert (f"{SERIES}:{line}: recurrence.sessions[0].start: 改到的 2026年12月12日（周六）14:30 和这个系列原有的 "
            "2026年12月12日（周六）14:00 那一场时间重叠") in result.stdout, result.stdout
    path.write_text(path.read_text("utf-8").replace("2026-12-12 14:30", "2026-12-12 09:30").replace('"16:30"', '"11:30"'),
                    "utf-8")
    assert run_check(path, content=mini_site / "content", cwd=mini_site).returncode == 0


def test_the_change_feed_names_a_session_change_as_such() -> None:
    from kepu.formats.changes import KIND_LABELS
    from kepu.index.history import change_kind, significant

    before = (Path(__file__).parent / "test_data" / "site" / SERIES).read_text("utf-8")
    after = before.replace("  rdates: [2027-02-06 14:00]\n", "  rdates: [2027-02-06 14:00]\n" + SESSIONS)
    kind = change_kind(significant(before), significant(after))
    assert KIND_LABELS[kind] == "单场变更"  # a cancelled and a moved session in one edit
    longer_series = before.replace("UNTIL=2027-01-30", "UNTIL=2027-02-27")  # the whole series, not a session
    assert change_kind(significant(before), significant(longer_series)) == "extended"  # sessions added, none moved


def test_a_wrong_date_is_named_on_its_own_item_after_a_broken_one(mini_site: Path) -> None:
    path = with_sessions(mini_site, "  sessions:\n    - note: 缺少日期\n    - date: 2026-12-15\n      status: cancelled\n")
    result = run_check(path, content=mini_site / "content", cwd=mini_site)
    line = path.read_text("utf-8").splitlines().index("    - date: 2026-12-15") + 1
    assert f"{SERIES}:{line}: recurrence.sessions[1].date: 2026-12-15（周二）不是这个活动的一场" in result.stdout


def test_a_spreadsheet_sum_of_attendance_counts_a_series_once(mini_site: Path, tmp_path: Path) -> None:
    """参加人数 is the whole series' count: a SUM over the column (what an association's yearly
    report does) must give it once, not once per session row. Oracle: LibreOffice Calc's reading."""
    from test_csv_safety import open_in_calc

    path = with_sessions(mini_site)
    path.write_text(path.read_text("utf-8").replace("venue:\n", "attendance: 120\nvenue:\n", 1), "utf-8")
    output = tmp_path / "out"
    assert run_build(mini_site / "content", output, build_date=SAMPLE_BUILD_DATE).returncode == 0
    sheet = open_in_calc([output / "data" / "events.csv"], tmp_path)["events"]
    header, *rows = [[c.value for c in row] for row in sheet.iter_rows()]
    ours = [dict(zip(header, row, strict=True)) for row in rows if row[header.index("活动编号")] == "zhoumo-tongxuehui"]
    assert len(ours) > 10
    assert sum(r["参加人数"] or 0 for r in ours) == 120
    counted = [r for r in ours if r["参加人数"]]
    # On the series' first session held (the 7 Nov row), so a sum over any street or year counts it once.
    assert [(r["日期"].date(), r["状态"]) for r in counted] == [(date(2026, 11, 7), "正常举办")], counted


EXTRA_CANCELLED = """  sessions:
    - date: 2027-02-06
      status: cancelled
      note: 加开的一场取消
"""
EXTRA_MOVED = """  sessions:
    - date: 2027-02-06
      start: 2027-02-07 09:30
      end: "11:30"
      note: 改到周日上午
"""


@pytest.mark.parametrize("sessions", [EXTRA_CANCELLED, EXTRA_MOVED], ids=["cancelled", "moved"])
def test_an_added_session_cancelled_or_moved_reads_so_in_every_calendar(
        mini_site: Path, tmp_path: Path, sessions: str) -> None:
    """The series' added session (rdates: 2027-02-06 14:00) cancelled, or moved to Sunday morning: a
    subscriber on Thunderbird (ical.js) saw it happening as planned, and the moved one twice, because
    its RECURRENCE-ID (local time) did not match the added date (written in UTC for libical)."""
    with_sessions(mini_site, sessions)
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date=SAMPLE_BUILD_DATE)
    assert result.returncode == 0, result.stdout + result.stderr
    feed = output / "feeds" / "all.ics"
    span = (date(2027, 1, 25), date(2027, 2, 15))
    ours = [o for o in python_occurrences(feed, *span) if o[0] == UID]
    planned, sunday = "2027-02-06T06:00:00.000Z", "2027-02-07T01:30:00.000Z"
    require(node_available(), "node and node_modules/ical.js")
    js = [o for o in icaljs([feed], *span)[str(feed)] if o["uid"] == UID]
    assert sorted((o["uid"], o["start"], o["end"]) for o in js) == sorted(ours)
    statuses = {o["start"]: o["status"] for o in js}
    if sessions is EXTRA_CANCELLED:
        assert statuses[planned] == "CANCELLED"
    else:
        assert planned not in statuses and statuses[sunday] != "CANCELLED"
    require(libical_available(), "Debian's python3-gi and gir1.2-ical-3.0")
    lib = sorted(o for o in libical_occurrences([feed], *span)[str(feed)] if o[0] == UID)
    assert lib == sorted((uid, start) for uid, start, _ in ours)
