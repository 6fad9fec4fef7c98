"""The site index: upcoming/past against the build date, groupings, the two-week agenda."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

from conftest import ROOT, TEST_SITE, site_config
from kepu.content.project import Layout, check
from kepu.content.registries import load_registries
from kepu.index.site import POSTPONED_LISTED_DAYS, build_index


def index_for(build_date: date, site: Path = TEST_SITE):
    layout = Layout(content=site / "content", root=site)
    result = check(layout)
    assert result.ok, [p.format() for p in result.problems]
    registries, _ = load_registries(layout.content / "data")
    return build_index(result.events, registries, site_config(ROOT / "content").urls, build_date)


def slugs(entries) -> list[str]:
    return [e.event.slug for e in entries]


def test_upcoming_and_past_follow_the_build_date() -> None:
    index = index_for(date(2026, 12, 1))
    assert slugs(index.upcoming) == ["liudong-kejiguan", "zhoumo-tongxuehui", "kejizhou"]
    assert slugs(index.past) == ["kexue-huiketing-xianshang", "kepu-ri"]
    later = index_for(date(2026, 12, 15))
    assert slugs(later.upcoming) == ["kejizhou", "zhoumo-tongxuehui"]  # kejizhou runs 14–16 Dec


def test_recurring_event_lists_its_next_occurrence() -> None:
    entry = index_for(date(2026, 12, 20)).by_slug["zhoumo-tongxuehui"]
    assert entry.next.start.date() == date(2027, 1, 2)  # 26 Dec is an EXDATE
    assert entry.when == "2027年1月2日（周六）14:00–16:00"
    # The re-audit: its extra session after the rule's end is named (a card showed 2月6日 beside
    # （每周六，至 2027年1月30日））.
    assert entry.rule_text == "每周六，至 2027年1月30日；另加开 2月6日（周六）"
    assert entry.occurrences[-1].start.date() == date(2027, 2, 6)  # the RDATE


def test_facets_hold_each_event_once_per_membership() -> None:
    index = index_for(date(2026, 12, 1))
    assert slugs(index.facets["streets"]["xinbei"].upcoming) == ["liudong-kejiguan", "zhoumo-tongxuehui"]
    assert slugs(index.facets["categories"]["kepu-jiangzuo"].upcoming) == ["kejizhou"]
    assert slugs(index.facets["categories"]["kepu-jiangzuo"].past) == ["kexue-huiketing-xianshang"]
    assert index.facets["streets"]["xiaowangzhuang"].count == 0
    assert [t.id for t in index.street_teams["xinbei"]] == ["xinbei-liudong"]


def test_two_week_agenda() -> None:
    index = index_for(date(2026, 12, 1))
    days = {day.day: [(i.entry.event.slug, i.time_text) for i in day.items] for day in index.next_days}
    assert days == {
        date(2026, 12, 5): [("liudong-kejiguan", "09:00–16:00"), ("zhoumo-tongxuehui", "14:00–16:00")],
        date(2026, 12, 12): [("zhoumo-tongxuehui", "14:00–16:00")],
        date(2026, 12, 14): [("kejizhou", "全天，至 12月16日")],
    }
    later = index_for(date(2026, 12, 15))
    assert [(d.day, [i.time_text for i in d.items]) for d in later.next_days][:2] == [
        (date(2026, 12, 15), ["全天，至 12月16日"]), (date(2026, 12, 19), ["14:00–16:00"])]


def test_the_agenda_does_not_give_an_event_under_way_its_first_day_s_start(mini_site: Path) -> None:
    """A three-day camp from 14 December 09:00 to 16 December 17:00, built on the 15th: the home
    page listed it under 今天 as 09:00 至 12月16日 17:00, as if it began at 09:00 that day (found
    by a resident's journey; the calendars said 全天进行（第 2/3 天））."""
    (mini_site / "content" / "events" / "xinbei" / "2026" / "jixunying.md").write_text(
        "---\ntitle: 机器人集训营\nstart: 2026-12-14 09:00\nend: 2026-12-16 17:00\nstreet: xinbei\n"
        "team: xinbei-liudong\ncategories: [kexue-shiyan]\naudiences: [qinzi]\nvenue:\n  name: 新北街道科普活动室\n"
        "---\n三天集训。\n", "utf-8")
    texts = {day: [i.time_text for i in agenda.items if i.entry.event.slug == "jixunying"]
             for day in (date(2026, 12, 14), date(2026, 12, 15))
             for agenda in index_for(day, mini_site).next_days if agenda.day == day}
    assert texts == {date(2026, 12, 14): ["09:00 至 12月16日 17:00"],
                     date(2026, 12, 15): ["进行中，至 12月16日 17:00"]}


def test_featured_only_lists_upcoming_events() -> None:
    assert slugs(index_for(date(2026, 12, 1)).featured) == ["liudong-kejiguan"]
    assert slugs(index_for(date(2026, 12, 6)).featured) == []


def test_each_community_lists_the_venues_registered_in_it() -> None:
    """A community's page names its venues: taken from the venue registry as written."""
    index = index_for(date(2026, 12, 1), ROOT)
    written = yaml.safe_load((ROOT / "content" / "data" / "venues.yml").read_text("utf-8"))
    expected = {c: [v["id"] for v in written if v.get("community") == c] for c in index.facets["communities"]}
    assert {c: [v.id for v in places] for c, places in index.community_venues.items()} == expected
    assert sum(map(len, expected.values())) >= 2


def test_a_series_is_said_to_run_until_its_last_session_not_the_rule_s_bound() -> None:
    """每两周的周四 with UNTIL=2027-03-25: the last session is 3月18日 (3月25日 is an off week), so
    the page and the cards say 至 2027年3月18日 — a resident would go on the 25th."""
    entry = index_for(date(2026, 12, 1), ROOT).by_slug["chadian-xinnong-xuetang"]
    assert entry.rule_text == "每两周的周四，至 2027年3月18日"
    assert entry.occurrences[-1].start.date() == date(2027, 3, 18)


def test_a_news_item_reports_an_event_only_when_dated_once_it_began() -> None:
    """The news writer's audit: an event's report: naming a preview (dated a week before) showed
    活动报道：预告… on the page of an event still to come, and counted as a report in the figures; a
    preview written the morning of an afternoon event counted too (days were compared). A news item
    is an event's report when dated on or after the event began — at its time when the news has
    one; else it is related news."""
    from dataclasses import replace
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")
    layout = Layout(content=TEST_SITE / "content", root=TEST_SITE)
    result = check(layout)
    registries, _ = load_registries(layout.content / "data")
    events = [replace(e, report="yugao") if e.slug == "liudong-kejiguan" else e for e in result.events]
    naming = {"liudong-kejiguan": (("wanjian", datetime(2026, 12, 5, 18, 0, tzinfo=zone)),
                                   ("dangtian", date(2026, 12, 5)),
                                   ("zaoshang", datetime(2026, 12, 5, 8, 30, tzinfo=zone)))}
    dates = {"yugao": date(2026, 11, 28), "wanjian": naming["liudong-kejiguan"][0][1], "dangtian": date(2026, 12, 5),
             "zaoshang": naming["liudong-kejiguan"][2][1]}
    index = build_index(events, registries, site_config(ROOT / "content").urls, date(2026, 12, 1),
                        news_naming=naming, news_dates=dates)
    entry = index.by_slug["liudong-kejiguan"]  # 2026-12-05 09:00–16:00
    assert entry.reports == ("wanjian", "dangtian")
    assert entry.related_news == ("yugao", "zaoshang")
    dates["yugao"] = date(2026, 12, 6)  # the report: dated after it: its report, first
    index = build_index(events, registries, site_config(ROOT / "content").urls, date(2026, 12, 1),
                        news_naming=naming, news_dates=dates)
    assert index.by_slug["liudong-kejiguan"].reports == ("yugao", "wanjian", "dangtian")


def test_an_event_postponed_to_a_time_not_yet_known_stays_among_those_to_come(tmp_path: Path) -> None:
    """A resident who meant to go looks on the street's list of events to come: an event put off
    with no new date yet (已延期（新时间待定）) is not over, so it stays there, its status on its
    card, for POSTPONED_LISTED_DAYS after the day it was planned for; after that, with no new date
    written, it goes to the past lists (the check has reminded its editor all along)."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    online = site / "content" / "events" / "taida" / "2026" / "kexue-huiketing-xianshang.md"
    online.write_text(online.read_text(encoding="utf-8").replace(
        "online:", "status: postponed\nstatus_note: 主讲嘉宾临时出差，新时间另行通知。\nonline:"), encoding="utf-8")
    planned = date(2026, 11, 20)
    waiting = index_for(date(2026, 12, 1), site)
    assert slugs(waiting.upcoming)[0] == "kexue-huiketing-xianshang"  # its planned day is the earliest
    assert "kexue-huiketing-xianshang" not in slugs(waiting.past)
    entry = waiting.by_slug["kexue-huiketing-xianshang"]
    assert not entry.is_past and entry.shown.start.date() == planned
    talks = waiting.facets["categories"]["kepu-jiangzuo"]
    assert slugs(talks.upcoming) == ["kexue-huiketing-xianshang", "kejizhou"] and slugs(talks.past) == []
    # Not on the two-week agenda: it has no day to be on.
    assert all(i.entry.event.slug != "kexue-huiketing-xianshang" for d in waiting.next_days for i in d.items)
    last = planned + timedelta(days=POSTPONED_LISTED_DAYS)
    assert "kexue-huiketing-xianshang" in slugs(index_for(last, site).upcoming)
    gone = index_for(last + timedelta(days=1), site)
    assert "kexue-huiketing-xianshang" in slugs(gone.past) and gone.by_slug["kexue-huiketing-xianshang"].is_past
    # One that took place is over the next day, as before.
    assert "kexue-huiketing-xianshang" in slugs(index_for(date(2026, 12, 1)).past)
    # The editor's guide says how long, with the number the build uses.
    guide = (ROOT / "docs" / "editor-guide.md").read_text(encoding="utf-8")
    assert f"最多列到原定日期后 {POSTPONED_LISTED_DAYS} 天" in guide


def test_a_day_page_says_which_of_its_sessions_waits_for_a_new_date(tmp_path: Path) -> None:
    """The resident audit: 共 3 场活动 on 12月8日 counted an event put off with no new date as held
    that day. The figures count it as a 场次 (with 延期待定 apart); the day says so too."""
    from kepu.index.grids import Calendar, MonthKey, by_day, day_count

    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace(
        "featured: true\n", "featured: true\nstatus: postponed\nstatus_note: 展品运输延误，新时间另行通知。\n"), "utf-8")
    index = index_for(date(2026, 12, 1), site)
    count = day_count(by_day(index.upcoming, index.timezone)[date(2026, 12, 5)])
    assert (count.sessions, count.waiting) == (2, 1), count  # 流动科技馆 waits; 周末科学同学会 is held
    # The month's 共 N 场 counted it without a word, too (the re-audit).
    month = Calendar(by_day(index.upcoming, index.timezone)).month(MonthKey(2026, 12))
    assert month.waiting == 1 and month.count > month.waiting


def test_a_week_called_off_before_a_series_stops_is_no_stop(tmp_path: Path) -> None:
    """The re-audit: one Saturday called off (12月12日), the series stopped from the next (12月19日):
    the card said 12月12日 已停办, as if it stopped a week early. That week is 已取消; the stop's is 已停办."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    series = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    series.write_text(series.read_text(encoding="utf-8").replace("  rdates: [2027-02-06 14:00]\n", (
        "  rdates: [2027-02-06 14:00]\n  sessions:\n    - date: 2026-12-12\n      status: cancelled\n"
        "      note: 消防检查，暂停一次\n    - from: 2026-12-19\n      status: cancelled\n      note: 改造，本学期停办\n")),
        encoding="utf-8")
    entry = index_for(date(2026, 12, 7), site).by_slug["zhoumo-tongxuehui"]
    assert entry.shown.start.date() == date(2026, 12, 12) and entry.shown_label == "已取消"
    entry = index_for(date(2026, 12, 13), site).by_slug["zhoumo-tongxuehui"]
    assert entry.shown.start.date() == date(2026, 12, 19) and entry.shown_label == "已停办"


def test_a_venue_keeps_the_sessions_moved_to_it_once_they_are_held(tmp_path: Path) -> None:
    """The subscriber audit: a series' session moved to the library hall left the hall's calendar
    the day after it was held, though the calendar promises to keep what ended in the last 90 days
    (the series' own calendar keeps it). The venue keeps its held visits (``Facet.visited``) for the
    feeds' window; its page still lists only those to come (``visiting``)."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    (site / "content" / "data" / "venues.yml").write_text(
        "- id: xinbei-tushuguan\n  name: 新北图书馆报告厅\n  kind: 场馆\n  street: xinbei\n"
        "  address: 天津市滨海新区新北街道图书馆二楼\n", "utf-8")
    (site / "content" / "events" / "xinbei" / "2026" / "kexue-shalong.md").write_text(
        "---\ntitle: 周末科学沙龙\nstart: 2027-01-02 10:00\nend: \"11:00\"\nstreet: xinbei\nteam: xinbei-liudong\n"
        "categories: [kexue-shiyan]\naudiences: [qinzi]\nvenue:\n  name: 新北街道科普活动室\n"
        "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=SA;COUNT=4\n  sessions:\n"
        "    - date: 2027-01-16\n      venue: xinbei-tushuguan\n      note: 活动室维修，改到图书馆\n---\n正文。\n", "utf-8")
    before = index_for(date(2027, 1, 10), site).facets["venues"]["xinbei-tushuguan"]
    assert [v.occurrence.start.day for v in before.visiting] == [16] and before.visited == []
    after = index_for(date(2027, 1, 20), site).facets["venues"]["xinbei-tushuguan"]
    assert after.visiting == [] and [v.occurrence.start.day for v in after.visited] == [16]
    assert after.visited[0].entry.event.slug == "kexue-shalong"
