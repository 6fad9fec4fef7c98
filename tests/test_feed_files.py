"""Calendar files as clients treat them: a single event's .ics imports as an event (not a new calendar),
every feed holds a component, all-day and multi-day events do not block the day, the organizer is an
address a client can write to, and a feed's bytes change only when its events do (issue 16.3, 16.6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import run_build

pytestmark = pytest.mark.build
UID = "{}@kepu.binhai.example.cn"
# What makes Outlook desktop (and others) open a file as a new subscribed calendar rather than import it.
CALENDAR_LEVEL = {"NAME", "X-WR-CALNAME", "X-WR-CALDESC", "DESCRIPTION", "SOURCE", "URL", "REFRESH-INTERVAL",
                  "X-PUBLISHED-TTL", "X-APPLE-CALENDAR-COLOR", "X-WR-TIMEZONE", "COLOR"}


def build(site: Path, output: Path, build_date: str = "2026-12-01") -> Path:
    result = run_build(site / "content", output, build_date=build_date)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def event(path: Path, slug: str):
    return next(e for e in read(path).walk("VEVENT") if str(e["UID"]) == UID.format(slug))


def test_single_event_file_carries_no_calendar_level_properties(mini_output: Path) -> None:
    output = mini_output
    single = read(output / "events" / "liudong-kejiguan.ics")
    assert set(single) == {"VERSION", "PRODID", "CALSCALE"}
    assert [c.name for c in single.subcomponents] == ["VTIMEZONE", "VEVENT"]
    feed = read(output / "feeds" / "all.ics")
    assert CALENDAR_LEVEL - {"COLOR"} <= set(feed)  # subscriptions keep their name and refresh interval


def test_a_feed_without_events_still_holds_a_component(mini_output: Path) -> None:
    output = mini_output
    empty = read(output / "feeds" / "streets" / "shengtaicheng.ics")
    assert not list(empty.walk("VEVENT"))
    assert [c.name for c in empty.subcomponents] == ["VTIMEZONE"]  # RFC 5545: one or more components
    assert str(empty.subcomponents[0]["TZID"]) == "Asia/Shanghai"


def test_all_day_and_multi_day_events_leave_the_day_free(mini_site: Path, tmp_path: Path) -> None:
    fair = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    two_days = fair.read_text("utf-8").replace('end: "16:00"', "end: 2026-12-06 16:00")
    (fair.parent / "liudong-kejiguan-liangtian.md").write_text(two_days.replace(
        "title: 流动科技馆进社区", "title: 流动科技馆两日展"), "utf-8")
    feed = build(mini_site, tmp_path / "out") / "feeds" / "all.ics"
    assert str(event(feed, "kejizhou")["TRANSP"]) == "TRANSPARENT"  # three whole days
    assert str(event(feed, "liudong-kejiguan-liangtian")["TRANSP"]) == "TRANSPARENT"  # 9:00 to next day 16:00
    assert str(event(feed, "liudong-kejiguan").get("TRANSP", "OPAQUE")) == "OPAQUE"  # an afternoon: busy
    assert str(event(feed, "zhoumo-tongxuehui").get("TRANSP", "OPAQUE")) == "OPAQUE"


def test_organizer_is_the_teams_email_or_absent(mini_site: Path, tmp_path: Path) -> None:
    teams = mini_site / "content" / "data" / "teams.yml"
    teams.write_text(teams.read_text("utf-8").replace(
        "  contact: 022-2560 0000", "  contact: 022-2560 0000\n  email: liudong@xinbei.example.cn"), "utf-8")
    feed = build(mini_site, tmp_path / "out") / "feeds" / "all.ics"
    organizer = event(feed, "liudong-kejiguan")["ORGANIZER"]
    assert str(organizer) == "mailto:liudong@xinbei.example.cn"
    assert organizer.params["CN"] == "新北街道流动科技馆志愿服务队"
    assert "ORGANIZER" not in event(feed, "kejizhou")  # 总队 has no address: no web page posing as one


def test_feeds_are_byte_identical_on_another_build_date_when_no_event_moves(mini_site: Path, mini_output: Path,
                                                                          tmp_path: Path) -> None:
    first = mini_output  # built on 2026-12-01
    second = build(mini_site, tmp_path / "b", "2026-12-02")  # nothing starts, ends or leaves a window
    files = sorted(p.relative_to(first) for p in first.rglob("*.ics"))
    assert len(files) >= 19  # every feed and event file of the mini site
    changed = [str(p) for p in files if (first / p).read_bytes() != (second / p).read_bytes()]
    assert changed == []


def test_development_build_says_once_that_feeds_point_at_this_computer(mini_build) -> None:
    result = mini_build.result
    said = result.stdout + result.stderr
    assert said.count("http://127.0.0.1:8000") == 1
    assert "只能在本机使用" in said and "invoke publish --siteurl" in said
