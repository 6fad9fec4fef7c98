"""What one output says of an event, the others say too (a cross-output audit's findings): an extra
session's own time on the event page; a postponed event on its old day in the calendars and on the
printed notices; the notices' sign-up and cost lines; a series' count of sessions as listed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import SAMPLE_BUILD_DATE, TEST_SITE, require, run_build

pytestmark = pytest.mark.build
HEAD = "street: xinbei\nteam: xinbei-liudong\ncategories: [kepu-jiangzuo]\naudiences: [qinzi]\n" \
       "venue:\n  name: 新北街道科普活动室\n  address: 天津市滨海新区新北街道\n"
EVENTS = {
    # A Saturday morning series with one extra session in the afternoon (rdates).
    "shouhui-tianwen": "title: 手绘天文课\nstart: 2026-12-05 10:00\nend: \"11:00\"\n" + HEAD +
    "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30\n  rdates: [2027-02-27 14:00]\n",
    # Moved from Tuesday 8 December to the 22nd: residents who saw the earlier poster come on the 8th.
    "fangzha-jiangzuo": "title: 防诈骗讲座\nstart: 2026-12-22 14:00\nend: \"15:30\"\n" + HEAD +
    "status: postponed\nprevious_start: 2026-12-08 14:00\nstatus_note: 主讲人临时出差\n",
    # Postponed, its new time not yet known: it will not take place on the 9th.
    "jiqiren-tiyan": "title: 机器人体验日\nstart: 2026-12-09 09:00\nend: \"11:00\"\n" + HEAD +
    "status: postponed\nstatus_note: 场地维修，新时间另行通知\n"
    "registration:\n  required: true\n  phone: \"022-2560 0000\"\n  capacity: 20\n",
    # Sign-up closed before the build day; a fee to bring.
    "diannao-ketang": "title: 老年电脑课堂\nstart: 2026-12-04 09:00\nend: \"11:00\"\n" + HEAD +
    "cost: 材料费 5 元\nregistration:\n  required: true\n  phone: \"022-2560 0000\"\n  deadline: 2026-11-28\n",
    # Four Thursdays, one of them left out: three sessions.
    "kexue-xiaoshi": "title: 科学小实验\nstart: 2026-12-03 15:00\nend: \"16:00\"\n" + HEAD +
    "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=TH;COUNT=4\n  exdates: [2026-12-17]\n",
    # An online talk from London at 19:00 there: 03:00 the next morning in Beijing.
    "lundun-zhibo": "title: 伦敦科学博物馆直播\nstart: 2026-12-03 19:00\nend: \"20:00\"\ntimezone: Europe/London\n"
    "street: taida\nteam: taida-huiketing\ncategories: [kepu-jiangzuo]\naudiences: [qinzi]\n"
    "online: https://live.example.cn/london\n",
    # Five Tuesdays from 10 November; the last two, all that is left, cancelled.
    # Online only, and in a room with a stream beside it; neither needs signing up.
    "xingkong-zhibo": "title: 星空直播课\nstart: 2026-12-03 19:00\nend: \"20:00\"\n"
    "street: taida\nteam: taida-huiketing\ncategories: [kepu-jiangzuo]\naudiences: [qinzi]\n"
    "online: https://live.example.cn/xingkong\nregistration:\n  required: false\n",
    "huaxue-shuangxian": "title: 化学魔术（现场和直播）\nstart: 2026-12-04 15:00\nend: \"16:00\"\n" +
    HEAD.replace("street: xinbei\nteam: xinbei-liudong", "street: taida\nteam: taida-huiketing") +
    "online: https://live.example.cn/huaxue\n",
    # A January series in its own room; its third Saturday moves to the registered library hall.
    "kexue-shalong": "title: 周末科学沙龙\nstart: 2027-01-02 10:00\nend: \"11:00\"\n" + HEAD +
    "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=SA;COUNT=4\n  sessions:\n"
    "    - date: 2027-01-16\n      venue: xinbei-tushuguan\n      note: 活动室维修，改到图书馆\n",
    # A Thursday class whose first session moves to a Saturday in the library hall; a Friday series
    # called off as a whole, one of its sessions having been moved to the hall before.
    "gaiqi-huandi": "title: 周四科学课\nstart: 2026-12-10 15:00\nend: \"16:00\"\n" +
    HEAD.replace("street: xinbei\nteam: xinbei-liudong", "street: taida\nteam: taida-huiketing") +
    "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=TH;COUNT=2\n  sessions:\n"
    "    - date: 2026-12-10\n      start: 2026-12-19 14:00\n      end: \"15:00\"\n      venue: xinbei-tushuguan\n",
    "quxiao-xilie": "title: 周五安全课\nstart: 2026-12-11 15:00\nend: \"16:00\"\n" +
    HEAD.replace("street: xinbei\nteam: xinbei-liudong", "street: taida\nteam: taida-huiketing") +
    "status: cancelled\nstatus_note: 主讲人调离，本期全部取消\n"
    "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=FR;COUNT=3\n  sessions:\n"
    "    - date: 2026-12-11\n      start: 2026-12-12 15:00\n      venue: xinbei-tushuguan\n      note: 改到周六在图书馆\n",
    # A Wednesday series whose next session moves to Thursday: its page, shared, says so in its title.
    "zhouyi-huati": "title: 周三科普话题（每周三）\nstart: 2026-12-02 15:00\nend: \"16:00\"\n" +
    HEAD.replace("street: xinbei\nteam: xinbei-liudong", "street: shengtaicheng\nteam: binhai-kexie") +
    "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=WE;COUNT=3\n  sessions:\n"
    "    - date: 2026-12-02\n      start: 2026-12-03 15:00\n      end: \"16:00\"\n      note: 主讲人周三有课\n",
    "shoushen-ban": "title: 健身操学习班\nstart: 2026-11-10 09:00\nend: \"10:00\"\n" +
    HEAD.replace("street: xinbei\nteam: xinbei-liudong", "street: taida\nteam: taida-huiketing") +
    "recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=TU;COUNT=5\n  sessions:\n"
    "    - date: 2026-12-01\n      status: cancelled\n      note: 场地维修\n"
    "    - date: 2026-12-08\n      status: cancelled\n      note: 场地维修\n",
}

VENUES = "- id: xinbei-tushuguan\n  name: 新北图书馆报告厅\n  kind: 场馆\n  street: xinbei\n" \
         "  address: 天津市滨海新区新北街道图书馆二楼\n"
# A report written in the web editor's news form, which names its events (events:), not report:.
NEWS = {
    "shoushen-ban-baodao": "title: 健身操学习班开课\ndate: 2026-11-11\nsummary: 二十位居民参加。\nstreet: taida\n"
                           "events: [shoushen-ban]\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The mini site with the events above, built on SAMPLE_BUILD_DATE (Tuesday 1 December)."""
    root = tmp_path_factory.mktemp("facts")
    shutil.copytree(TEST_SITE, root / "site")
    folder = root / "site" / "content" / "events" / "xinbei" / "2026"
    for slug, front in EVENTS.items():
        where = folder.parent.parent / next(s for s in ("taida", "shengtaicheng", "xinbei") if f"street: {s}" in front) / "2026"
        where.mkdir(parents=True, exist_ok=True)
        (where / f"{slug}.md").write_text(f"---\n{front}summary: 测试。\n---\n正文。\n", "utf-8")
    (root / "site" / "content" / "data" / "venues.yml").write_text(VENUES, "utf-8")
    for slug, front in NEWS.items():
        (root / "site" / "content" / "articles" / f"{slug}.md").write_text(f"---\n{front}---\n正文。\n", "utf-8")
    output = root / "output"
    result = run_build(root / "site" / "content", output, build_date=SAMPLE_BUILD_DATE)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def text_of(path: Path) -> str:
    """A page's words as read, tags dropped and spaces folded."""
    html = path.read_text("utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_extra_session_at_its_own_time_reads_that_time_on_the_event_page(site: Path) -> None:
    """The series meets at 10:00; its extra Saturday is at 14:00. The calendars said 14:00, the
    page's 活动日期 said only the day under 时间 10:00–11:00: a family would come four hours early."""
    words = text_of(site / "events" / "shouhui-tianwen" / "index.html")
    assert "2027年2月27日（周六） 14:00–15:00" in words, words[words.find("活动日期"):][:900]
    assert "2027年1月30日（周六） 10:00" not in words  # the series' own sessions keep one time, in 时间


def sheet_rows(path: Path) -> list[str]:
    """A printed notice's rows, each as read."""
    html = path.read_text("utf-8")
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r'<tr class="sheet-item.*?</tr>', html, flags=re.S)]


def test_a_postponed_event_is_marked_on_its_old_day_wherever_days_are_shown(site: Path) -> None:
    """The talk moved from Tuesday 8 December to the 22nd. Residents who read the earlier poster
    come on the 8th: next week's notice, the day page, the month and the home page's two weeks said
    nothing on the 8th. Now each says it moved, and where to, without counting it as held that day."""
    moved = "已改期至 12月22日（周二）14:00"
    rows = sheet_rows(site / "streets" / "xinbei" / "notice" / "next" / "index.html")
    [row] = [r for r in rows if "防诈骗讲座" in r and "12月8日" in r]
    assert "14:00–15:30" in row and moved in row and "报名" not in row, row
    sheet = text_of(site / "streets" / "xinbei" / "notice" / "next" / "index.html")
    assert "共 3 场" in sheet, sheet[:400]  # the 10th, the 12th ×2: not the 8th, nor the 9th postponed sine die
    day = text_of(site / "calendar" / "2026" / "12" / "08" / "index.html")
    assert f"14:00–15:30 防诈骗讲座 {moved}" in day and "共 0 场活动" in day, day
    month = text_of(site / "calendar" / "2026" / "12" / "index.html")
    assert f"防诈骗讲座 {moved}" in month, month
    home = text_of(site / "index.html")
    eighth = home[home.index("12月8日（周二）"):home.index("12月9日（周三）")]
    assert f"14:00–15:30 防诈骗讲座 {moved}" in eighth, eighth


def test_a_notice_says_when_sign_up_has_closed_and_what_it_costs(site: Path) -> None:
    """Sign-up for the computer class closed on 28 November; the sheet printed on 1 December read
    11月28日截止，报名电话… as if one could still call, and never said it costs 5 yuan."""
    [row] = [r for r in sheet_rows(site / "streets" / "xinbei" / "notice" / "index.html") if "老年电脑课堂" in r]
    assert "报名已于 11月28日（周六）截止" in row and "报名电话" not in row, row
    assert "费用： 材料费 5 元" in row, row


def test_a_rule_of_four_thursdays_with_one_left_out_says_three(site: Path) -> None:
    """COUNT=4 and one exdate: the page listed three dates under 每周四，共 4 次."""
    words = text_of(site / "events" / "kexue-xiaoshi" / "index.html")
    assert "每周四，共 3 次" in words and "共 4 次" not in words, words[:1200]
    listed = re.findall(r"2026年12月\d+日（周四）", words[words.index("活动日期"):])
    assert len(set(listed)) == 3, listed


def test_a_series_whose_sessions_to_come_are_all_cancelled_is_not_said_to_take_place(site: Path) -> None:
    """Its two remaining Tuesdays cancelled: open data gave the cancelled 1 December as next_start,
    search engines read EventScheduled with places InStock, and the card said 这一场已结束 beside
    已取消 once that morning was over."""
    data = json.loads((site / "data" / "events.json").read_text("utf-8"))
    [record] = [r for r in (data["events"] if isinstance(data, dict) else data) if r["id"] == "shoushen-ban"]
    assert record["next_start"] is None, record
    page = (site / "events" / "shoushen-ban" / "index.html").read_text("utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["eventStatus"].endswith("/EventCancelled") and not ld["offers"]["availability"].endswith("/InStock"), ld
    street = (site / "streets" / "taida" / "index.html").read_text("utf-8")
    card = re.search(r'<article class="card[^"]*"[^>]*>(?:(?!</article>).)*健身操学习班.*?</article>', street, re.S)[0]
    assert "已取消" in card and "data-session-ends" not in card, card


def test_an_event_in_another_time_zone_reads_one_time_everywhere(site: Path) -> None:
    """An online talk at 19:00 London time: the event page, its card and search said 12月3日 19:00
    with no zone named, the calendars and notices 12月4日 03:00 Beijing time. Every page now says
    the site's time, and the event's own local time beside it where it is shown."""
    beijing, london = "2026年12月4日（周五）03:00–04:00", "当地时间 2026年12月3日（周四）19:00–20:00"
    page = text_of(site / "events" / "lundun-zhibo" / "index.html")
    assert f"{beijing}（{london}）" in page, page[:1500]
    card = text_of(site / "streets" / "taida" / "index.html")
    assert f"伦敦科学博物馆直播 {beijing}" in card, card
    day = text_of(site / "calendar" / "2026" / "12" / "04" / "index.html")
    assert "03:00–04:00 伦敦科学博物馆直播" in day
    notice = text_of(site / "streets" / "taida" / "notice" / "index.html")
    assert "12月4日 周五 03:00–04:00 伦敦科学博物馆直播" in notice, notice


def test_an_online_event_does_not_tell_people_to_come_to_a_room(site: Path) -> None:
    """An online-only talk needing no sign-up read 无需报名，直接到场 on its page and its printed
    notice: there is no room to come to. A talk in a room with a stream beside it can be joined
    either way."""
    page = text_of(site / "events" / "xingkong-zhibo" / "index.html")
    assert "无需报名，到时打开线上链接参加" in page and "直接到场" not in page, page[page.find("报名"):][:300]
    rows = sheet_rows(site / "streets" / "taida" / "notice" / "index.html")
    [row] = [r for r in rows if "星空直播课" in r]
    assert "无需报名，到时打开线上链接参加" in row and "直接到场" not in row, row
    both = text_of(site / "events" / "huaxue-shuangxian" / "index.html")
    assert "无需报名，直接到场或线上参加" in both, both[both.find("报名"):][:300]
    [row] = [r for r in rows if "化学魔术" in r]
    assert "无需报名，直接到场或线上参加" in row, row
    room = text_of(site / "events" / "diannao-ketang" / "index.html")
    assert "需要报名" in room  # events in a room alone keep their words


def test_the_venue_calendar_keeps_a_session_moved_to_it_after_it_was_held(site: Path, tmp_path: Path) -> None:
    """The subscriber audit: built after the salon's Saturday in the library hall, the hall's
    calendar no longer had it, though it promises to keep what ended in the last 90 days (and the
    series' own calendar and the all-events calendar keep it)."""
    output = tmp_path / "later"
    result = run_build(site.parent / "site" / "content", output, build_date="2027-01-20")
    assert result.returncode == 0, result.stdout + result.stderr
    hall = Calendar.from_ical((output / "feeds" / "venues" / "xinbei-tushuguan.ics").read_bytes())
    kept = {str(e["UID"]): e["DTSTART"].dt.isoformat() for e in hall.walk("VEVENT")}
    assert kept.get("kexue-shalong.20270116T1000@kepu.binhai.example.cn") == "2027-01-16T10:00:00+08:00", kept
    page = text_of(output / "venues" / "xinbei-tushuguan" / "index.html")
    assert "周末科学沙龙" not in page  # the page lists what is to come


def test_a_report_written_in_the_news_form_is_counted_like_one_named_by_the_event(site: Path) -> None:
    """The web form's news can only name its events (events:); the event page showed such a report,
    but the statistics' 活动报道 and open data's ``report`` knew only an event's own report:."""
    page = text_of(site / "events" / "shoushen-ban" / "index.html")
    assert "健身操学习班开课" in page  # shown on the event page, as before
    stats = text_of(site / "stats" / "index.html")
    assert "活动报道 2 篇" in stats, stats[stats.find("活动报道") - 200:][:400]  # 科普日集市 (report:) and this one
    data = json.loads((site / "data" / "events.json").read_text("utf-8"))
    records = {r["id"]: r for r in (data["events"] if isinstance(data, dict) else data)}
    assert records["shoushen-ban"]["report"] == "shoushen-ban-baodao", records["shoushen-ban"]
    assert records["kepu-ri"]["report"] == "kepu-ri-baodao"  # its own report: first


def test_a_venue_lists_the_sessions_moved_to_it(site: Path) -> None:
    """A series' session moved to the library hall (recurrence.sessions' venue): the event page and
    its calendar file said so, but the hall's own page listed nothing that day; residents who
    follow the hall never learnt of it. The event's calendar file, read by recurring-ical-events,
    says which sessions are held there; the hall's page lists exactly those, at their time."""
    from datetime import date

    from feedtools import event_occurrences, icaljs, node_available

    there = [o for o in event_occurrences(site, "kexue-shalong", date(2028, 1, 1))
             if "新北图书馆报告厅" in str(o.get("LOCATION", ""))]
    assert [o["DTSTART"].dt.day for o in there] == [16], there
    hall = text_of(site / "venues" / "xinbei-tushuguan" / "index.html")
    assert "2027年1月16日（周六）10:00–11:00 周末科学沙龙" in hall, hall[hall.find("近期活动"):][:600]
    assert hall.count("周末科学沙龙") == 1 and "1月9日" not in hall  # its other Saturdays are not held there
    assert "暂无活动" not in hall  # the hall has something to come
    assert "近期活动 0 项（另有 2 场其他活动改到这里）" in hall, hall  # the 周四科学课 session too
    venues = text_of(site / "venues" / "index.html")
    assert "近期 0 项（另有 2 场其他活动改到这里）" in venues, venues
    assert "周末科学沙龙 （已换地点：活动室维修，改到图书馆）" in hall, hall
    page = (site / "venues" / "xinbei-tushuguan" / "index.html").read_text("utf-8")
    assert 'href="/events/kexue-shalong/"' in page
    # And the hall's calendar, as subscribers' phones read it (ical.js): that session, at its time (10:00 in
    # Beijing) and place.
    embed = text_of(site / "embed" / "venues" / "xinbei-tushuguan" / "index.html")  # the list other sites show
    assert "周末科学沙龙 2027年1月16日（周六）10:00–11:00（已换地点）" in embed and "暂无活动" not in embed, embed
    require(node_available(), "node and node_modules/ical.js (make test runs npm ci)")
    feed = site / "feeds" / "venues" / "xinbei-tushuguan.ics"
    found = [o for o in icaljs([feed], date(2026, 12, 1), date(2027, 12, 31))[str(feed)] if "周末科学沙龙" in o["summary"]]
    assert [(o["start"], o["location"]) for o in found] == [
        ("2027-01-16T02:00:00.000Z", "新北图书馆报告厅（天津市滨海新区新北街道图书馆二楼）")], found
    # The hall's Atom feed, which its page offers for feed readers, as feedparser reads it.
    import feedparser

    parsed = feedparser.parse((site / "feeds" / "venues" / "xinbei-tushuguan.atom").read_bytes())
    titles = [e.title for e in parsed.entries]
    # The Friday series' session moved here stays, 已取消, now that the series is called off (as its
    # override in the district calendar says): a subscriber's item does not silently vanish.
    assert titles == ["【已取消】周五安全课", "【已改期】周四科学课", "【已换地点】周末科学沙龙"], titles
    assert parsed.entries[0].summary.startswith("已取消"), parsed.entries[0].summary
    assert "2027年1月16日（周六）10:00–11:00" in parsed.entries[2].summary, parsed.entries[2].summary
    assert "共 3 项" in parsed.feed.subtitle, parsed.feed.subtitle
    # Its description does not read as if the whole weekly series now met in the hall.
    text = (site / "feeds" / "venues" / "xinbei-tushuguan.ics").read_bytes().decode().replace("\r\n ", "")
    assert "共 3 项" in text  # the calendar's own description counts the three sessions it holds
    description = re.search(r"^DESCRIPTION:(.*)$", text[text.index("周末科学沙龙"):], re.M)[1]
    assert "时间：每周六" not in description and "这个系列平时：每周六" in description, description


def test_a_session_moved_to_a_registered_venue_links_to_that_venue(site: Path) -> None:
    """The event page's list of dates said 地点：新北图书馆报告厅 as bare text: a resident could not
    open the hall's page (its address, hours, access) from the session that moved there, as they
    can from an event held there. Open data's session named the place but not its id."""
    page = (site / "events" / "kexue-shalong" / "index.html").read_text("utf-8")
    dates = page[page.index('id="dates"'):]
    lines = re.findall(r"<li\b.*?</li>", dates[:dates.index("</ul>")], flags=re.S)
    [moved] = [line for line in lines if "2027-01-16" in line]
    assert 'href="/venues/xinbei-tushuguan/"' in moved, moved
    assert not any("/venues/" in line for line in lines if line is not moved)  # held in its own room
    data = json.loads((site / "data" / "events.json").read_text("utf-8"))
    [record] = [r for r in data["events"] if r["id"] == "kexue-shalong"]
    [change] = record["recurrence"]["sessions"]
    assert change["venue_id"] == "xinbei-tushuguan" and change["venue"]["name"] == "新北图书馆报告厅", change


def test_the_day_page_says_where_a_session_moved(site: Path) -> None:
    """The salon's 16 January is held in the library hall: its day page said only 已换地点, while a
    session moved to another day and place says where on the day it left. A resident reading the
    day's list learns where to go without opening the event (the week page shares the list)."""
    day = text_of(site / "calendar" / "2027" / "01" / "16" / "index.html")
    assert "周末科学沙龙 已换地点 改在新北图书馆报告厅" in day, day[day.find("周末科学沙龙") - 100:][:300]
    moved_day = text_of(site / "calendar" / "2026" / "12" / "19" / "index.html")  # the Thursday class, moved in
    assert "周四科学课 已改期 改在新北图书馆报告厅" in moved_day, moved_day[moved_day.find("周四科学课") - 100:][:300]
    own = text_of(site / "calendar" / "2027" / "01" / "09" / "index.html")
    assert "周末科学沙龙" in own and "改在" not in own  # its own Saturdays name no place


def test_a_session_moved_to_another_day_and_place_says_where_on_its_old_day(site: Path) -> None:
    """The Thursday class's 10 December moved to Saturday the 19th in the library hall: next week's
    notice and the day page of the 10th said only 已改期至 12月19日 14:00, with the old room as its
    place; residents holding the sheet went to the wrong place. Open data lost the hall's id."""
    moved = "已改期至 12月19日（周六）14:00，改在新北图书馆报告厅"
    [row] = [r for r in sheet_rows(site / "streets" / "taida" / "notice" / "next" / "index.html")
             if "周四科学课" in r and "12月10日" in r]
    assert moved in row and "新北街道科普活动室" not in row, row
    day = text_of(site / "calendar" / "2026" / "12" / "10" / "index.html")
    assert f"周四科学课 {moved}" in day, day
    rows = sheet_csv(site, "gaiqi-huandi")
    assert [(r["日期"], r["场地编号"]) for r in rows] == [("2026-12-17", ""), ("2026-12-19", "xinbei-tushuguan")], rows


def test_a_series_called_off_is_not_said_to_meet_somewhere_else(site: Path) -> None:
    """The whole Friday series is cancelled; one of its sessions had been moved to the hall. Open
    data called that session 已换地点 and the notice gave its new place instead of the reason."""
    rows = sheet_csv(site, "quxiao-xilie")
    assert {r["状态"] for r in rows} == {"已取消"}, rows
    [row] = [r for r in sheet_rows(site / "streets" / "taida" / "notice" / "next" / "index.html") if "周五安全课" in r]
    assert "已取消" in row and "主讲人调离" in row and "改在" not in row, row
    hall = text_of(site / "venues" / "xinbei-tushuguan" / "index.html")  # listed, called off, not met
    assert "周五安全课 （已取消：主讲人调离，本期全部取消）" in hall and "改到周六在图书馆" not in hall, hall
    page = text_of(site / "events" / "quxiao-xilie" / "index.html")
    dates = page[page.index("活动日期"):]
    assert "2026年12月12日（周六） 已取消" in dates and "已改期" not in dates and "地点：" not in dates, dates[:300]
    # Its unchanged Fridays too: they read as planned under a page that says 已取消, where every
    # calendar gives them 【已取消】 (found by a subscriber's audit).
    assert "2026年12月18日（周五） 已取消" in dates and "2026年12月25日（周五） 已取消" in dates, dates[:300]
    old_day = site / "calendar" / "2026" / "12" / "11" / "index.html"  # none: nothing else that Friday
    assert not old_day.exists() or "周五安全课" not in text_of(old_day)  # it was not moved anywhere: nothing is held


def sheet_csv(site: Path, slug: str) -> list[dict]:
    """An event's rows in the open data's CSV, by column heading."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO((site / "data" / "events.csv").read_text("utf-8-sig")))
    return [r for r in rows if r["活动编号"] == slug]


def test_a_cancelled_session_of_a_series_is_struck_through_like_a_cancelled_event(site: Path) -> None:
    """The fitness class's 8 December is cancelled, the series goes on: the month grid and the home
    page's two weeks gave its line the series' class (status-scheduled), so its title was not struck
    through as a cancelled event's is, only badged."""
    for page in (site / "calendar" / "2026" / "12" / "index.html", site / "index.html"):
        lines = [line for line in re.findall(r"<li\b[^>]*>(?:(?!</li>).)*</li>", page.read_text("utf-8"), re.S)
                 if "健身操学习班" in line and "已取消" in line]
        assert lines and all("status-cancelled" in line.split(">", 1)[0] for line in lines), (page, lines)


def test_a_postponed_event_says_sign_up_waits_for_its_new_time(site: Path) -> None:
    """Put off with no new time: its 报名 row said 需要报名，限 20 人 with the number to call."""
    from test_signup_row import signup_row

    row = signup_row(site / "events" / "jiqiren-tiyan" / "index.html")
    assert row == "活动延期，暂停报名，新的时间确定后再报名", row
    # …and no 电话报名 button above it (the re-audit: the big button stayed under 已延期（新时间待定）).
    page = (site / "events" / "jiqiren-tiyan" / "index.html").read_text("utf-8")
    assert 'class="actions"' not in page and "电话报名" not in page


def test_a_page_shared_says_in_its_title_that_the_event_moved_or_waits(site: Path) -> None:
    """Shared in a WeChat group, a cancelled event's card said 【已取消】, a moved or postponed one
    looked as planned (the card shows the page's title)."""
    for slug, label in (("fangzha-jiangzuo", "【已改期】"), ("jiqiren-tiyan", "【延期待定】")):
        page = (site / "events" / slug / "index.html").read_text("utf-8")
        title = re.search(r"<title>(.*?)</title>", page)[1]
        assert title.startswith(label), title
        assert f'<meta property="og:title" content="{title}">' in page
    held = (site / "events" / "kexue-xiaoshi" / "index.html").read_text("utf-8")
    assert re.search(r"<title>科学小实验 · ", held)
    # A series whose next session moved: 每周三 in its title would send people on Wednesday.
    series = (site / "events" / "zhouyi-huati" / "index.html").read_text("utf-8")
    assert re.search(r"<title>【本场已改期】周三科普话题（每周三） · ", series)
