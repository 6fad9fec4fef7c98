"""Words a resident reads: status labels (已改期 / 已延期) and recurrence rules in Chinese,
the same on pages, cards, calendar files, open data and the change feed."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from icalendar import Calendar

from conftest import ROOT, TEST_SITE, require, run_build
from feedtools import icaljs, node_available
from kepu.content.model import STATUS_LABELS
from kepu.content.recurrence import describe, normalize_rule
from kepu.formats.finder import rows

TZ = ZoneInfo("Asia/Shanghai")

# (rule as an editor writes it, what a resident reads). Every FREQ, INTERVAL, BYDAY list,
# BYDAY with ordinals, BYMONTHDAY, BYSETPOS, BYMONTH, COUNT and UNTIL shape the validator accepts.
RULES = [
    ("FREQ=DAILY", "每天"),
    ("FREQ=DAILY;INTERVAL=2", "每两天"),
    ("FREQ=DAILY;INTERVAL=3;COUNT=5", "每三天，共 5 次"),
    ("FREQ=DAILY;INTERVAL=12", "每十二天"),
    ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "每周一至周五"),
    ("FREQ=DAILY;BYMONTH=7,8", "每天（仅7月、8月）"),
    ("FREQ=DAILY;UNTIL=20270130T155959Z", "每天，至 2027年1月30日"),
    ("FREQ=WEEKLY;BYDAY=SA", "每周六"),
    ("FREQ=WEEKLY;BYDAY=SU;UNTIL=2027-06-27", "每周日，至 2027年6月27日"),
    ("FREQ=WEEKLY;BYDAY=TU,TH", "每周二、周四"),
    ("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8", "每周二、周四，共 8 次"),
    ("FREQ=WEEKLY;BYDAY=SA,SU", "每周六、周日"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,TH,FR", "每周一、周三至周五"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "每天"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "每两周的周六"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=2027-03-25", "每两周的周四，至 2027年3月25日"),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,TH;WKST=SU", "每三周的周二、周四"),
    ("FREQ=WEEKLY;BYDAY=SA;BYMONTH=7,8", "每周六（仅7月、8月）"),
    ("FREQ=WEEKLY;BYDAY=TU,TH;BYSETPOS=-1", "每周最后一个周二或周四"),
    ("FREQ=MONTHLY;BYDAY=1WE", "每月第一个周三"),
    ("FREQ=MONTHLY;BYDAY=2SA", "每月第二个周六"),
    ("FREQ=MONTHLY;BYDAY=3SU", "每月第三个周日"),
    ("FREQ=MONTHLY;BYDAY=4TH", "每月第四个周四"),
    ("FREQ=MONTHLY;BYDAY=5FR", "每月第五个周五"),
    ("FREQ=MONTHLY;BYDAY=+2MO", "每月第二个周一"),
    ("FREQ=MONTHLY;BYDAY=-1SU", "每月最后一个周日"),
    ("FREQ=MONTHLY;BYDAY=-2FR", "每月倒数第二个周五"),
    ("FREQ=MONTHLY;BYDAY=-3TU", "每月倒数第三个周二"),
    ("FREQ=MONTHLY;BYDAY=1SA,3SA", "每月第一、第三个周六"),
    ("FREQ=MONTHLY;BYDAY=1WE,-1FR", "每月第一个周三、最后一个周五"),
    ("FREQ=MONTHLY;BYDAY=SA", "每周六"),
    ("FREQ=MONTHLY;BYDAY=-1SA;UNTIL=2027-05-29", "每月最后一个周六，至 2027年5月29日"),
    ("FREQ=MONTHLY;BYDAY=1WE;UNTIL=2027-05-31", "每月第一个周三，至 2027年5月31日"),
    ("FREQ=MONTHLY;INTERVAL=2;BYDAY=2SA", "每两个月的第二个周六"),
    ("FREQ=MONTHLY;INTERVAL=3;BYDAY=SA", "每三个月的每个周六"),
    ("FREQ=MONTHLY;BYMONTHDAY=15", "每月15日"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,15", "每月1日、15日"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", "每月最后一天"),
    ("FREQ=MONTHLY;BYMONTHDAY=-2", "每月倒数第二天"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,-1", "每月1日、最后一天"),
    ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10;COUNT=6", "每两个月的10日，共 6 次"),
    ("FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", "每月13日（仅当这天是周五）"),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "每月最后一个工作日"),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1", "每月第一个工作日"),
    ("FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=2", "每月第二个周六或周日"),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1", "每月第一个和最后一个工作日"),
    ("FREQ=MONTHLY;BYDAY=2SA;BYMONTH=3,4,5", "每年3月、4月、5月的第二个周六"),
    ("FREQ=YEARLY", "每年"),
    ("FREQ=YEARLY;INTERVAL=2", "每两年"),
    ("FREQ=YEARLY;BYMONTH=5;BYDAY=3SA", "每年5月的第三个周六"),
    ("FREQ=YEARLY;BYMONTH=5;BYDAY=-1SU", "每年5月的最后一个周日"),
    ("FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=16", "每年5月16日"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "每年2月的最后一天"),
    ("FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1", "每年1月、7月的1日"),
    ("FREQ=YEARLY;BYMONTH=9;BYDAY=SA;BYSETPOS=3", "每年9月的第三个周六"),
    ("FREQ=YEARLY;BYMONTH=5", "每年5月"),
    ("FREQ=YEARLY;BYDAY=1MO", "每年第一个周一"),
    ("FREQ=YEARLY;BYDAY=20MO", "每年第二十个周一"),
    ("FREQ=YEARLY;BYMONTH=5;BYDAY=SA", "每年5月的每个周六"),
    ("FREQ=YEARLY;INTERVAL=2;BYMONTH=10;BYDAY=2SA;COUNT=3", "每两年10月的第二个周六，共 3 次"),
]

# With the event's first date the rule's implied day is named (RFC 5545: from DTSTART).
RULES_FROM_START = [
    ("FREQ=WEEKLY", date(2026, 12, 5), "每周六"),
    ("FREQ=WEEKLY;INTERVAL=2", date(2026, 12, 1), "每两周的周二"),
    ("FREQ=MONTHLY", date(2026, 12, 15), "每月15日"),
    ("FREQ=YEARLY", date(2026, 5, 16), "每年5月16日"),
    ("FREQ=YEARLY;BYMONTH=5,10", date(2026, 5, 16), "每年5月、10月的16日"),
]


def test_the_rule_table_is_large_and_covers_every_part() -> None:
    assert len(RULES) >= 30
    written = ";".join(rule for rule, _ in RULES)
    for part in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", "INTERVAL", "BYDAY", "BYMONTHDAY",
                 "BYSETPOS", "BYMONTH=", "COUNT", "UNTIL", "WKST"):
        assert part in written, part


@pytest.mark.parametrize("rule, text", RULES)
def test_rules_read_as_natural_chinese(rule: str, text: str) -> None:
    """Described as stored: the validator's canonical form (UNTIL in UTC for timed events)."""
    stored = normalize_rule(rule, date(2026, 12, 5), TZ)
    assert describe(stored, True, TZ) == text
    timed = normalize_rule(rule, _timed(), TZ)
    assert describe(timed, False, TZ) == text


def _timed():
    from datetime import datetime

    return datetime(2026, 12, 5, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize("rule, start, text", RULES_FROM_START)
def test_an_implied_day_comes_from_the_first_date(rule: str, start: date, text: str) -> None:
    assert describe(normalize_rule(rule, start, TZ), True, TZ, start=start) == text


@pytest.mark.parametrize("rule, _text", RULES)
def test_no_description_has_the_old_mistakes(rule: str, _text: str) -> None:
    text = describe(normalize_rule(rule, date(2026, 12, 5), TZ), True, TZ)
    assert "第两" not in text and "倒数第两" not in text
    assert "每月的" not in text and "每周的" not in text
    assert not re.search(r"[A-Z]{2}", text), text  # no RRULE codes leak to residents


# ---------------------------------------------------------------- statuses in a built site

RESCHEDULED = """---
title: 家庭用电安全小课堂
start: 2026-12-12 09:00
end: "11:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
status: postponed
previous_start: 2026-12-05 09:00
status_note: 原定日期场地检修，顺延一周。
updated: 2026-11-28 10:00
---
用电安全知识和小实验。
"""

POSTPONED = """---
title: 观鸟入门讲座
start: 2026-12-19 14:00
end: "16:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
status: postponed
status_note: 主讲老师临时出差，新时间确定后另行通知。
updated: 2026-11-29 10:00
registration:
  required: true
  phone: "022-2530 0000"
---
认识湿地常见鸟类。
"""

MONTHLY = """---
title: 月度科学沙龙
start: 2026-12-12 14:00
end: "16:00"
street: taida
team: taida-kepu
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 泰达科普活动室
recurrence:
  rrule: FREQ=MONTHLY;BYDAY=2SA;UNTIL=2027-06-30
---
每月一次的科学沙龙。
"""

NEW_DAY = "12月12日（周六）"
OLD_DAY = "12月5日（周六）"


@pytest.fixture(scope="module")
def wording_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini site with a rescheduled event, one postponed with no new date yet, and a
    monthly series, built with the usual build date."""
    base = tmp_path_factory.mktemp("wording")
    site = base / "site"
    shutil.copytree(TEST_SITE, site)
    teams = (site / "content" / "data" / "teams.yml").read_text("utf-8")
    team = "taida-kepu" if "id: taida-kepu" in teams else re.search(r"id: (taida[\w-]*)", teams)[1]
    events = site / "content" / "events"
    (events / "xinbei" / "2026" / "yongdian-anquan.md").write_text(RESCHEDULED, "utf-8")
    (events / "xinbei" / "2026" / "guanniao-rumen.md").write_text(POSTPONED, "utf-8")
    (events / "taida" / "2026" / "yuedu-shalong.md").write_text(MONTHLY.replace("taida-kepu", team),
                                                                 "utf-8")
    out = base / "output"
    result = run_build(site / "content", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _text(html: str) -> str:
    """What a person reads: tags dropped, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&amp;", "&")


def _page(output: Path, slug: str) -> str:
    return _text((output / "events" / slug / "index.html").read_text("utf-8"))


def _card(output: Path, slug: str) -> str:
    """The card of ``slug`` in the events list."""
    html = (output / "events" / "index.html").read_text("utf-8")
    cards = re.findall(r'<article class="card\b[^>]*>.*?</article>', html, flags=re.S)
    found = [c for c in cards if f"/events/{slug}/" in c]
    assert len(found) == 1, slug
    return _text(found[0])


def test_the_labels_are_defined_once() -> None:
    assert STATUS_LABELS["rescheduled"] == "已改期"
    assert STATUS_LABELS["postponed"] == "已延期"
    assert STATUS_LABELS["cancelled"] == "已取消"
    assert STATUS_LABELS["full"] == "名额已满"


def test_a_rescheduled_event_says_so_with_its_original_date(wording_site: Path) -> None:
    page = _page(wording_site, "yongdian-anquan")
    assert f"已改期，原定 {OLD_DAY}" in page
    assert f"改为 2026年{NEW_DAY}09:00–11:00" in page
    assert "已延期" not in page and "本活动已延期" not in page
    card = _card(wording_site, "yongdian-anquan")
    assert f"已改期，原定 {OLD_DAY}" in card
    assert "已延期" not in card


def test_a_postponed_event_without_a_new_date_says_to_be_announced(wording_site: Path) -> None:
    page = _page(wording_site, "guanniao-rumen")
    assert "已延期（新时间待定）" in page
    assert "已改期" not in page
    card = _card(wording_site, "guanniao-rumen")
    assert "已延期（新时间待定）" in card
    assert "已改期" not in card
    # The month's 共 N 场 counts it as the figures do, and says so (as its day page does).
    month = (wording_site / "calendar" / "2026" / "12" / "index.html").read_text("utf-8")
    assert re.search(r"<caption>2026年12月全区科普活动，共 \d+ 场，其中 1 场延期待定</caption>", month)


def test_calendar_files_carry_the_same_words(wording_site: Path) -> None:
    moved = Calendar.from_ical((wording_site / "events" / "yongdian-anquan.ics").read_bytes())
    waiting = Calendar.from_ical((wording_site / "events" / "guanniao-rumen.ics").read_bytes())
    (m,), (w,) = moved.walk("VEVENT"), waiting.walk("VEVENT")
    assert str(m["SUMMARY"]) == "【已改期】家庭用电安全小课堂"
    assert str(m["DESCRIPTION"]).startswith(f"本活动已改期，原定 {OLD_DAY}，现改为 2026年{NEW_DAY}09:00–11:00。"
                                            "原定日期场地检修，顺延一周。")
    assert str(m["STATUS"]) == "CONFIRMED"
    # 【已延期】 beside the old date read as "put off to this date"; 延期待定 says there is none yet.
    assert str(w["SUMMARY"]) == "【延期待定】观鸟入门讲座"
    assert str(w["DESCRIPTION"]).startswith("本活动已延期（新时间待定），原定 2026年12月19日（周六）14:00–16:00 暂不举办。")
    assert str(w["STATUS"]) == "TENTATIVE"
    # Not held at that time: the subscriber's old slot is free again, as for one called off (the
    # subscriber audit); the one moved to its new time keeps it busy.
    assert str(w.get("TRANSP")) == "TRANSPARENT" and str(m.get("TRANSP", "OPAQUE")) == "OPAQUE"
    # Sign-up is paused, as its page says: the calendar entry gave the phone to call.
    assert "需要报名" not in str(w["DESCRIPTION"]) and "022-2530 0000" not in str(w["DESCRIPTION"])
    require(node_available(), "node and ical.js (npm ci)")
    read = icaljs([wording_site / "events" / "yongdian-anquan.ics",
                   wording_site / "events" / "guanniao-rumen.ics"], date(2026, 12, 1), date(2027, 1, 1))
    (moved_js,), (waiting_js,) = read.values()
    assert moved_js["summary"] == "【已改期】家庭用电安全小课堂"
    assert moved_js["description"].startswith(f"本活动已改期，原定 {OLD_DAY}")
    assert waiting_js["summary"] == "【延期待定】观鸟入门讲座"
    assert waiting_js["description"].startswith("本活动已延期（新时间待定）")
    assert waiting_js["status"] == "TENTATIVE"


def test_a_search_result_says_the_status_as_the_cards_do(wording_site: Path) -> None:
    """A search result said only 已延期 beside the old date (read as "put off to this date"), and
    已改期 with no word of the date it moved from, where the cards say it in full."""
    found = {}
    for shard in (wording_site / "search" / "d").glob("*.json"):
        found.update({row[0]: row for row in json.loads(shard.read_text("utf-8"))})
    assert found["events/guanniao-rumen/"][5] == "已延期（新时间待定）"
    assert found["events/yongdian-anquan/"][5] == f"已改期，原定 {OLD_DAY}"
    assert found["events/guanniao-rumen/"][5] in _card(wording_site, "guanniao-rumen")


def test_open_data_names_the_status_in_words(wording_site: Path) -> None:
    records = {e["id"]: e for e in json.loads((wording_site / "data" / "events.json").read_text("utf-8"))["events"]}
    assert records["yongdian-anquan"]["status"] == "postponed"
    assert records["yongdian-anquan"]["status_label"] == "已改期"
    assert records["guanniao-rumen"]["status"] == "postponed"
    assert records["guanniao-rumen"]["status_label"] == "已延期"
    assert records["liudong-kejiguan"]["status_label"] == "正常举办"
    rows = list(csv.DictReader(io.StringIO((wording_site / "data" / "events.csv").read_text("utf-8-sig"))))
    status = {r["活动编号"]: r["状态"] for r in rows}
    assert status["yongdian-anquan"] == "已改期"
    assert status["guanniao-rumen"] == "已延期"


def test_the_change_feed_names_the_new_date_where_the_old_one_stood(wording_site: Path) -> None:
    feed = feedparser.parse((wording_site / "feeds" / "changes.atom").read_bytes())
    moved = next(e for e in feed.entries if e.link.endswith("/events/yongdian-anquan/"))
    assert moved.title == "【已改期】家庭用电安全小课堂"
    assert f"已改期至 {NEW_DAY}" in moved.summary
    waiting = next(e for e in feed.entries if e.link.endswith("/events/guanniao-rumen/"))
    assert waiting.title == "【已延期】观鸟入门讲座"
    assert "新时间待定" in waiting.summary
    assert "已改期" not in waiting.summary


def test_the_list_filters_use_the_same_labels(wording_site: Path) -> None:
    """The script that redraws the cards after filtering shows what the server's cards show."""
    data = json.loads((wording_site / "events" / "filter.json").read_text("utf-8"))
    assert data["status_labels"]["postponed"] == "已延期"
    assert data["status_labels"]["rescheduled"] == "已改期"
    shown = {e["url"].rstrip("/").rsplit("/", 1)[-1]: e["status_text"] for e in rows(data)}
    assert shown["yongdian-anquan"] == f"已改期，原定 {OLD_DAY}"
    assert shown["guanniao-rumen"] == "已延期（新时间待定）"
    assert shown["liudong-kejiguan"] == ""
    script = (ROOT / "theme" / "static" / "js" / "filters.js").read_text("utf-8")
    assert "event.status_text ||" in script


def test_a_monthly_rule_reads_correctly_on_the_page_and_in_the_calendar(wording_site: Path) -> None:
    """UNTIL=2027-06-30 is no second Saturday: the series runs 至 its last session, 6月12日."""
    assert "每月第二个周六，至 2027年6月12日" in _page(wording_site, "yuedu-shalong")
    event = next(iter(Calendar.from_ical((wording_site / "events" / "yuedu-shalong.ics").read_bytes())
                      .walk("VEVENT")))
    assert "时间：每月第二个周六，至 2027年6月12日" in str(event["DESCRIPTION"])
    assert "每月的" not in (wording_site / "events" / "yuedu-shalong.ics").read_text("utf-8")


def test_no_map_jargon_for_residents(sample_output: Path) -> None:
    """Event pages (their printed poster is the same page), the open-data page, every page."""
    pages = sorted(sample_output.rglob("*.html"))
    names = {p.relative_to(sample_output).as_posix() for p in pages}
    assert len(pages) > 100 and {"index.html", "data/index.html"} <= names, len(pages)
    assert any(name.startswith("events/") for name in names)
    for page in pages:
        text = _text(page.read_text("utf-8"))
        assert "GCJ-02" not in text and "WGS-84" not in text and "WGS84" not in text, page


def test_the_rule_examples_in_the_docs_read_as_the_site_writes_them() -> None:
    """docs/front-matter.md's table of rules: the left column is what pages and feeds show."""
    text = (ROOT / "docs" / "front-matter.md").read_text("utf-8")
    rows = re.findall(r"^\| (每[^|]*?) \| `(FREQ=[^`]+)` \|$", text, flags=re.M)
    assert len(rows) >= 8
    for meaning, rule in rows:
        if meaning.endswith("一次"):  # 每两周一次: the day comes from start
            continue
        assert describe(normalize_rule(rule, date(2026, 12, 5), TZ), False, TZ) == meaning, rule


def test_the_filters_keep_an_event_waiting_for_a_new_date_after_its_planned_day(wording_site: Path, browser) -> None:
    """The resident audit: two days after 观鸟入门讲座's planned 12月19日, its street's page still
    listed it (put off, not over: it stays among the events to come), but the list's filters said
    找到 N 项 without it. A date chosen (今天, 本周末) still finds it on no day: it has none yet."""
    from datetime import datetime

    from conftest import serve_directory

    server, base = serve_directory(wording_site)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.clock.set_fixed_time(datetime.fromisoformat("2026-12-21T10:00:00+08:00"))
        for query, found in (("street=xinbei", True), ("street=xinbei&when=today", False)):
            page.goto(f"{base}/events/?{query}")
            page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
            titles = page.locator("#results .card-title a").all_inner_texts()
            assert any("观鸟入门讲座" in title for title in titles) == found, (query, titles)
    finally:
        page.close()
        server.shutdown()


def test_search_keeps_an_event_waiting_for_a_new_date_among_those_to_come(wording_site: Path, browser) -> None:
    """The resident audit: after its planned day, search filed 观鸟入门讲座 with the events over (in
    grey, after those to come) while the list still had it among those to come. It leaves them when
    the list does, POSTPONED_LISTED_DAYS after its planned end."""
    from datetime import datetime, timedelta

    from conftest import serve_directory
    from kepu.index.site import POSTPONED_LISTED_DAYS

    found = {}
    for shard in (wording_site / "search" / "d").glob("*.json"):
        found.update({row[0]: row for row in json.loads(shard.read_text("utf-8"))})
    planned_end = datetime.fromisoformat("2026-12-19T16:00:00+08:00")
    assert found["events/guanniao-rumen/"][6] == int((planned_end + timedelta(days=POSTPONED_LISTED_DAYS)).timestamp())
    server, base = serve_directory(wording_site)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.clock.set_fixed_time(datetime.fromisoformat("2026-12-21T10:00:00+08:00"))
        page.goto(f"{base}/search/?q=观鸟入门")
        result = page.locator("#search-results > li", has_text="观鸟入门讲座")
        result.wait_for()
        assert "is-past" not in (result.get_attribute("class") or "")
        assert "已延期（新时间待定）" in result.inner_text() and "已结束" not in result.inner_text()
    finally:
        page.close()
        server.shutdown()


def _poster_words(html: str) -> str:
    return _text(re.search(r'<section class="print-only poster-code">(.*?)</section>', html, re.S)[1])


def _posters_agree(output: Path) -> set[tuple[bool, bool]]:
    """Every event page's printed sheet asks for what the page offers (its sign-up buttons, its
    calendar); the kinds of page seen as (signs up, has a calendar)."""
    seen = set()
    for path in sorted((output / "events").glob("*/index.html")):
        html = path.read_text("utf-8")
        if "poster-code" not in html:
            continue  # a list page
        words = _poster_words(html)
        signs_up = '<p class="actions"' in html
        has_calendar = 'class="add-to-calendar"' in html
        assert ("报名" in words) == signs_up, (path, words)
        assert ("加入日历" in words) == has_calendar, (path, words)
        assert "查看活动详情" in words
        seen.add((signs_up, has_calendar))
    return seen


def test_the_printed_poster_asks_to_sign_up_only_where_the_page_offers_it(sample_output: Path) -> None:
    """The printed sheet said 扫码…查看活动详情、报名和加入日历 on every event: under one that
    asks no sign-up, one whose sign-up has closed, and one called off (no calendar either)."""
    assert {(True, True), (False, True), (False, False)} <= _posters_agree(sample_output)


def test_the_poster_of_an_event_put_off_with_no_new_date_asks_no_sign_up(wording_site: Path) -> None:
    """Sign-up is paused (暂停报名) until the new date is known: the sheet asked people to sign up."""
    _posters_agree(wording_site)
    html = (wording_site / "events" / "guanniao-rumen" / "index.html").read_text("utf-8")
    assert _poster_words(html).strip().endswith("guanniao-rumen/ 查看活动详情和加入日历")


def test_a_place_written_without_its_district_is_looked_up_in_it(wording_site: Path) -> None:
    """新北街道科普活动室, with no address: the map apps search the site's district for it (the
    settings' KEPU_CITY and KEPU_DISTRICT), not the whole city."""
    from urllib.parse import parse_qs, urlsplit

    html = (wording_site / "events" / "guanniao-rumen" / "index.html").read_text("utf-8")
    amap = re.search(r'href="(https://uri\.amap\.com/search\?[^"]+)"', html)[1].replace("&amp;", "&")
    assert parse_qs(urlsplit(amap).query)["keyword"] == ["天津滨海新区新北街道科普活动室"]


def test_adding_one_event_says_a_later_change_will_not_follow(sample_output: Path) -> None:
    """The subscriber audit: 加入手机日历 imports a copy; a resident who added an event that was
    later moved kept its old day on the phone, with no word that it would not follow the page."""
    page = _page(sample_output, "baoshuiqu-hangkong-kepu-yanxue")
    assert "加入的是一份副本：活动以后改期或取消，手机里的这一项不会跟着改，请以本页为准。" in page
    assert "想自动收到改动和天津港保税区的全部活动？订阅天津港保税区日历" in page
