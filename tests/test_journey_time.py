"""Is this event over? One definition, on the server and in the reader's browser.

An event is over only after its end in the event's own time zone (Beijing): an all-day or
multi-day all-day event lasts to the end of its last day, a timed event to its end instant,
a recurring series to the end of its last occurrence. The build decides with ``ends_at`` and
writes the same instant into the page; the script only compares instants, so a reader abroad
sees the same verdict as one in Tianjin.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT, TEST_SITE, run_build, serve_directory, site_config
from kepu.content.model import Event, Occurrence
from kepu.content.project import Layout, check
from kepu.content.registries import load_registries
from kepu.index.site import build_index, build_instant, ends_at, is_over

pytestmark = pytest.mark.build
BEIJING = ZoneInfo("Asia/Shanghai")
BUILD_DATE = date(2026, 12, 1)


def index_for(build_date: date):
    """The test site's index as a build on ``build_date`` sees it."""
    layout = Layout(content=TEST_SITE / "content", root=TEST_SITE)
    result = check(layout)
    registries, _ = load_registries(layout.content / "data")
    return build_index(result.events, registries, site_config(ROOT / "content").urls, build_date)


def at(text: str) -> datetime:
    """A Beijing wall-clock time, e.g. ``2026-12-05 23:59``."""
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


EVENTS = {
    # A one-day all-day event (no end: the start day only).
    "quantian-kepu-ji": """---
title: 全天科普集市
start: 2026-12-05
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道文化广场
---
一整天的科普集市。
""",
    # Two all-day days: 8 and 9 December.
    "liangtian-kepu-zhan": """---
title: 两天科普展
start: 2026-12-08
end: 2026-12-09
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道党群服务中心
---
连续两天的科普展。
""",
    "xiawu-jiangzuo": """---
title: 下午科普讲座
start: 2026-12-12 14:00
end: "16:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
---
两个小时的讲座。
""",
    # Sign-up closes at the end of 10 December; the talk is on the 12th.
    "baoming-jiezhi-jiangzuo": """---
title: 报名截止的讲座
start: 2026-12-12 09:00
end: "10:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
registration:
  required: true
  url: https://baoming.example.cn/jiangzuo
  phone: "0123-2561 8800"
  deadline: 2026-12-10
---
要报名的讲座。
""",
    # What never takes place at its time: a cancelled talk, one postponed to a time not yet
    # known, and a weekly class whose 9 December session is cancelled (all on the 9th).
    "quxiao-de-jiangzuo": """---
title: 取消了的讲座
start: 2026-12-09 09:00
end: "10:00"
status: cancelled
status_note: 主讲人临时有事
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
---
已取消。
""",
    "yanqi-daiding-jiangzuo": """---
title: 延期待定的讲座
start: 2026-12-09 10:00
end: "11:00"
status: postponed
status_note: 新时间另行通知
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
---
延期，新时间待定。
""",
    "zhousan-kepu-ke": """---
title: 周三科普课
start: 2026-12-02 11:00
end: "12:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
recurrence:
  rrule: FREQ=WEEKLY;BYDAY=WE;UNTIL=2026-12-23
  sessions:
    - date: 2026-12-09
      status: cancelled
      note: 活动室检修
---
每周三上午。
""",
    # Sign-up closes at the end of its day; the talk is over at 10:00 that morning.
    "dangtian-jiezhi-jiangzuo": """---
title: 当天截止的讲座
start: 2026-12-12 09:00
end: "10:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
registration:
  required: true
  phone: "0123-2561 8800"
  deadline: 2026-12-12
---
截止日期就是活动当天。
""",
    "dianhua-baoming-ketang": """---
title: 电话报名的课堂
start: 2026-12-12 14:00
end: "16:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道科普活动室
registration:
  required: true
  phone: "0123-2561 8800"
---
不设截止日期，打电话报名。
""",
}

# (event slug, Beijing wall-clock time, shows 本活动已结束)
JOURNEY = [
    ("quantian-kepu-ji", "2026-12-05 09:00", False),
    ("quantian-kepu-ji", "2026-12-05 23:59", False),
    ("quantian-kepu-ji", "2026-12-06 00:01", True),
    ("quantian-kepu-ji", "2026-12-06 08:30", True),  # 00:30 UTC: the old script's mistake
    ("liangtian-kepu-zhan", "2026-12-08 09:00", False),
    ("liangtian-kepu-zhan", "2026-12-09 08:30", False),
    ("liangtian-kepu-zhan", "2026-12-09 23:59", False),
    ("liangtian-kepu-zhan", "2026-12-10 00:01", True),
    ("xiawu-jiangzuo", "2026-12-12 15:59", False),
    ("xiawu-jiangzuo", "2026-12-12 16:01", True),
    # The test site's weekly series (Saturdays to 30 Jan, plus 6 Feb 14:00–16:00): over only
    # after its last date, not after each Saturday.
    ("zhoumo-tongxuehui", "2026-12-05 16:01", False),
    ("zhoumo-tongxuehui", "2027-02-06 15:59", False),
    ("zhoumo-tongxuehui", "2027-02-06 16:01", True),
]


@pytest.fixture(scope="module")
def journey_site(tmp_path_factory):
    """The test site plus an all-day, a two-day and a timed event, built on 1 Dec 2026, served."""
    root = tmp_path_factory.mktemp("journey")
    site = root / "site"
    shutil.copytree(TEST_SITE, site)
    for slug, text in EVENTS.items():
        (site / "content" / "events" / "xinbei" / "2026" / f"{slug}.md").write_text(text, "utf-8")
    output = root / "output"
    result = run_build(site / "content", output, build_date=BUILD_DATE.isoformat())
    assert result.returncode == 0, result.stderr
    server, base = serve_directory(output)
    yield site, output, base
    server.shutdown()


# ------------------------------------------------------------------ the server's definition

def event(start, end, timezone: str = "Asia/Shanghai") -> Event:
    return Event(slug="x", source_path="x.md", title="x", start=start, end=end,
                 all_day=not isinstance(start, datetime), timezone=timezone, street="xinbei",
                 team="xinbei-liudong", categories=("kexue-shiyan",), audiences=("qinzi",))


def occurrence(start, end, timezone: str = "Asia/Shanghai") -> Occurrence:
    return Occurrence(event(start, end, timezone), start, end)


def test_an_all_day_event_ends_at_midnight_after_its_last_day_in_its_own_zone() -> None:
    one_day = occurrence(date(2026, 12, 5), date(2026, 12, 5))
    assert ends_at(one_day).isoformat() == "2026-12-06T00:00:00+08:00"
    assert not is_over(one_day, at("2026-12-05 23:59"))
    assert is_over(one_day, at("2026-12-06 00:00"))
    two_days = occurrence(date(2026, 12, 8), date(2026, 12, 9))
    assert ends_at(two_days).isoformat() == "2026-12-10T00:00:00+08:00"
    assert not is_over(two_days, datetime(2026, 12, 9, 15, 59, tzinfo=ZoneInfo("UTC")))  # 23:59 Beijing
    assert is_over(two_days, datetime(2026, 12, 9, 8, 1, tzinfo=ZoneInfo("America/Los_Angeles")))
    elsewhere = occurrence(date(2026, 12, 5), date(2026, 12, 5), "Europe/Berlin")
    assert ends_at(elsewhere) == datetime(2026, 12, 6, tzinfo=ZoneInfo("Europe/Berlin"))


def test_a_timed_event_ends_at_its_end_instant() -> None:
    timed = occurrence(at("2026-12-12 14:00"), at("2026-12-12 16:00"))
    assert ends_at(timed).isoformat() == "2026-12-12T16:00:00+08:00"
    assert not is_over(timed, at("2026-12-12 15:59"))
    assert is_over(timed, at("2026-12-12 16:00"))


def test_the_build_calls_over_what_ended_before_its_day_began() -> None:
    assert build_instant(BUILD_DATE, BEIJING).isoformat() == "2026-12-01T00:00:00+08:00"
    on_the_day = index_for(date(2026, 12, 16)).by_slug["kejizhou"]  # all day, 14–16 Dec
    assert not on_the_day.is_past and on_the_day.ends.isoformat() == "2026-12-17T00:00:00+08:00"
    assert index_for(date(2026, 12, 17)).by_slug["kejizhou"].is_past
    series = index_for(date(2027, 2, 6)).by_slug["zhoumo-tongxuehui"]
    assert not series.is_past and series.ends.isoformat() == "2027-02-06T16:00:00+08:00"
    assert index_for(date(2027, 2, 7)).by_slug["zhoumo-tongxuehui"].is_past


def test_pages_carry_the_end_as_an_instant_with_offset(journey_site) -> None:
    _, output, _ = journey_site
    html = (output / "events" / "quantian-kepu-ji" / "index.html").read_text("utf-8")
    assert 'data-ends="2026-12-06T00:00:00+08:00"' in html
    home = (output / "index.html").read_text("utf-8")
    assert 'data-ends="2026-12-10T00:00:00+08:00"' in home and "data-end=" not in home


# ------------------------------------------------------------------ what a reader sees

@pytest.mark.parametrize("timezone_id", ["Asia/Shanghai", "America/Los_Angeles"])
def test_the_event_page_says_over_only_after_the_event_ends(journey_site, browser, timezone_id) -> None:
    _, _, base = journey_site
    context = browser.new_context(timezone_id=timezone_id, locale="zh-CN")
    seen = []
    for slug, when, _ in JOURNEY:
        page = context.new_page()
        page.clock.set_fixed_time(at(when))
        page.goto(f"{base}/events/{slug}/")
        page.wait_for_load_state("load")
        notice = page.get_by_text("本活动已结束")
        seen.append((slug, when, notice.is_visible()))
        page.close()
    context.close()
    assert seen == [(slug, when, over) for slug, when, over in JOURNEY]


@pytest.mark.parametrize("timezone_id", ["Asia/Shanghai", "America/Los_Angeles"])
def test_listings_mark_an_all_day_event_over_only_the_next_day(journey_site, browser, timezone_id) -> None:
    _, _, base = journey_site
    context = browser.new_context(timezone_id=timezone_id, locale="zh-CN")
    seen = {}
    for when in ("2026-12-05 23:59", "2026-12-06 00:01"):
        page = context.new_page()
        page.clock.set_fixed_time(at(when))
        page.goto(f"{base}/")  # the home page's two weeks
        page.wait_for_load_state("load")
        item = page.locator(".agenda li", has_text="全天科普集市")
        seen[("home", when)] = item.get_by_text("已结束").is_visible()
        page.goto(f"{base}/events/")  # the cards of upcoming events
        page.wait_for_load_state("load")
        card = page.locator("article.card", has_text="全天科普集市")
        seen[("events", when)] = card.get_by_text("已结束").is_visible()
        page.close()
    context.close()
    assert seen == {("home", "2026-12-05 23:59"): False, ("events", "2026-12-05 23:59"): False,
                    ("home", "2026-12-06 00:01"): True, ("events", "2026-12-06 00:01"): True}



def seen_at(browser, url: str, whens: tuple[str, ...], look, timezone_id: str = "Asia/Shanghai") -> dict:
    """What ``look(page)`` finds at ``url`` with the reader's clock at each Beijing time of ``whens``."""
    context = browser.new_context(timezone_id=timezone_id, locale="zh-CN")
    seen = {}
    for when in whens:
        page = context.new_page()
        page.clock.set_fixed_time(at(when))
        page.goto(url)
        page.wait_for_load_state("load")
        seen[when] = look(page)
        page.close()
    context.close()
    return seen


@pytest.mark.parametrize("path", ["/calendar/2026/12/12/", "/calendar/2026/12/", "/calendar/week/",
                                  "/streets/xinbei/calendar/2026/12/"])
def test_calendars_say_over_in_words_not_only_in_grey(journey_site, browser, path: str) -> None:
    # 颜色不是唯一提示: in 大字 the grey of what is over is nearly the text's own colour.
    _, _, base = journey_site
    seen = seen_at(browser, f"{base}{path}", ("2026-12-12 15:59", "2026-12-12 16:01"), lambda page: page.locator(
        ".day-items li", has_text="下午科普讲座").first.get_by_text("已结束").is_visible())
    assert seen == {"2026-12-12 15:59": False, "2026-12-12 16:01": True}


def test_filtered_cards_say_over_like_the_lists_cards(journey_site, browser) -> None:
    # The filters draw their cards from events/filter.json after the page's own script ran.
    _, _, base = journey_site

    def over(page) -> bool:
        card = page.locator("article.card", has_text="下午科普讲座")
        card.wait_for()
        return card.get_by_text("已结束").is_visible()

    seen = seen_at(browser, f"{base}/events/?when=today", ("2026-12-12 15:59", "2026-12-12 16:01"), over)
    assert seen == {"2026-12-12 15:59": False, "2026-12-12 16:01": True}


def test_sign_up_closes_at_the_end_of_the_deadline_day(journey_site, browser) -> None:
    _, _, base = journey_site
    seen = seen_at(browser, f"{base}/events/baoming-jiezhi-jiangzuo/", ("2026-12-10 23:59", "2026-12-11 00:01"),
                   lambda page: (page.get_by_role("link", name="在线报名").locator("visible=true").count(),
                                 _visible_phone_sign_up(page),
                                 page.get_by_text("报名已于 2026年12月10日（周四）截止").is_visible()),
                   timezone_id="America/Los_Angeles")
    # Before: the big buttons and the link and phone among the facts; after: none, the notice instead.
    assert seen == {"2026-12-10 23:59": (2, 2, False), "2026-12-11 00:01": (0, 0, True)}


def _visible_phone_sign_up(page) -> int:
    """The 电话报名 button and the 报名电话 line among the facts, as far as a reader sees them."""
    return (page.locator("main .actions a[href^='tel:']").locator("visible=true").count()
            + ("报名电话" in page.locator("dl.facts").inner_text()))


def test_sign_up_without_a_deadline_closes_when_the_event_is_over(journey_site, browser) -> None:
    """No deadline: the phone sign-up is offered until the event ends, not under 本活动已结束."""
    _, _, base = journey_site
    seen = seen_at(browser, f"{base}/events/dianhua-baoming-ketang/", ("2026-12-12 15:59", "2026-12-12 16:01"),
                   lambda page: (_visible_phone_sign_up(page), page.get_by_text("本活动已结束").is_visible()))
    assert seen == {"2026-12-12 15:59": (2, False), "2026-12-12 16:01": (0, True)}


def test_sign_up_closes_when_the_event_is_over_before_its_deadline_day_ends(journey_site, browser) -> None:
    """The deadline is the talk's own day: at 10:30 the talk (09:00–10:00) is over, and the page
    under 本活动已结束 still offered 电话报名 until midnight."""
    _, _, base = journey_site
    seen = seen_at(browser, f"{base}/events/dangtian-jiezhi-jiangzuo/", ("2026-12-12 09:59", "2026-12-12 10:30"),
                   lambda page: (_visible_phone_sign_up(page), page.get_by_text("本活动已结束").is_visible()))
    assert seen == {"2026-12-12 09:59": (2, False), "2026-12-12 10:30": (0, True)}


NOT_HELD = (("取消了的讲座", "已取消"), ("延期待定的讲座", "已延期"), ("周三科普课", "已取消"))


@pytest.mark.parametrize("path", ["/", "/events/", "/calendar/2026/12/", "/calendar/2026/12/09/",
                                  "/streets/xinbei/"])
def test_what_never_took_place_is_not_called_over(journey_site, browser, path: str) -> None:
    """A cancelled talk, one postponed to a time not yet known and a cancelled session of a weekly
    class, on 9 December: once their times had passed, every list and calendar said 已取消 已结束
    (or 已延期 已结束), which tells a parent they took place. They keep their own words, greyed as
    past; what was held (the class's other Wednesdays) is still 已结束 in words."""
    _, _, base = journey_site
    items = ".agenda li, article.card, .day-items li"

    def look(page) -> dict:
        found = {}
        for title, label in NOT_HELD:
            item = page.locator(items, has_text=title).filter(has_text=label).first
            if item.count():
                found[title] = (label in item.inner_text(), "已结束" in item.inner_text())
        return found

    seen = seen_at(browser, f"{base}{path}", ("2026-12-09 08:59", "2026-12-09 12:30"), look)
    before, after = seen["2026-12-09 08:59"], seen["2026-12-09 12:30"]
    assert after and after.keys() == before.keys(), seen
    assert all(value == (True, False) for value in after.values()), after


def test_filtered_cards_do_not_call_what_never_took_place_over(journey_site, browser) -> None:
    """The filters draw their own cards (events/filter.json): the same words as the list's."""
    _, _, base = journey_site

    def look(page) -> dict:
        page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
        return {title: page.locator("article.card", has_text=title).first.inner_text()
                for title in ("取消了的讲座", "延期待定的讲座")}

    seen = seen_at(browser, f"{base}/events/?street=xinbei", ("2026-12-09 12:30",), look)["2026-12-09 12:30"]
    assert "已取消" in seen["取消了的讲座"] and "已延期" in seen["延期待定的讲座"], seen
    assert not any("已结束" in text for text in seen.values()), seen


def test_a_cancelled_session_on_the_event_page_is_not_called_over(journey_site, browser) -> None:
    _, _, base = journey_site
    seen = seen_at(browser, f"{base}/events/zhousan-kepu-ke/", ("2026-12-16 12:30",), lambda page: (
        page.locator("ul.dates li", has_text="12月9日").inner_text(),
        page.locator("ul.dates li", has_text="12月2日").inner_text()))
    cancelled, held = seen["2026-12-16 12:30"]
    assert "已取消" in cancelled and "已结束" not in cancelled, cancelled
    assert "已结束" in held, held


def test_search_does_not_call_a_cancelled_event_over(journey_site, browser) -> None:
    _, _, base = journey_site

    def result(page) -> str:
        item = page.locator("#search-results li", has_text="取消了的讲座")
        item.wait_for()
        return item.inner_text()

    seen = seen_at(browser, f"{base}/search/?q=取消了的讲座", ("2026-12-09 12:30",), result)
    assert "已取消" in seen["2026-12-09 12:30"] and "已结束" not in seen["2026-12-09 12:30"], seen


def test_a_build_after_the_deadline_says_closed_without_a_script(journey_site, tmp_path) -> None:
    site, _, _ = journey_site
    output = tmp_path / "later"
    assert run_build(site / "content", output, build_date="2026-12-11").returncode == 0
    html = (output / "events" / "baoming-jiezhi-jiangzuo" / "index.html").read_text("utf-8")
    closed = html[html.index("报名已于") - 200:html.index("报名已于")]
    assert "hidden" not in closed.rsplit("<p", 1)[1]
    assert 'class="button primary"' not in html
    assert "在线报名" not in html  # nor the link among the facts: nothing offers a closed sign-up


def test_a_series_card_says_when_the_session_it_shows_is_over(journey_site, browser) -> None:
    """A weekly series' card shows its next session (5 Dec, 14:00–16:00, as of the build); from
    16:00 that day it says the session is over, while the series (and its card) goes on."""
    _, _, base = journey_site
    seen = seen_at(browser, f"{base}/events/", ("2026-12-05 15:59", "2026-12-05 16:01"), lambda page: (
        page.locator("article.card", has_text="周末科学同学会").locator(".when").inner_text(),
        page.locator("article.card", has_text="周末科学同学会").locator(".card-title").inner_text()))
    before, after = seen["2026-12-05 15:59"], seen["2026-12-05 16:01"]
    assert "12月5日" in before[0] and "这一场已结束" not in before[0]
    assert "这一场已结束" in after[0] and "已结束" not in after[1]


def test_a_series_page_says_when_the_session_it_names_is_over(journey_site, browser) -> None:
    """The page's 时间 names the next session as of the build; its dated list marks each date over
    in words, not in grey alone (颜色不是唯一提示)."""
    _, _, base = journey_site
    seen = seen_at(browser, f"{base}/events/zhoumo-tongxuehui/", ("2026-12-05 15:59", "2026-12-05 16:01"),
                   lambda page: (page.locator("dl.facts dd").first.inner_text(),
                                 page.locator("ul.dates li", has_text="12月5日").inner_text(),
                                 page.locator("ul.dates li", has_text="12月12日").inner_text()))
    before, after = seen["2026-12-05 15:59"], seen["2026-12-05 16:01"]
    assert "这一场已结束" not in before[0] and "已结束" not in before[1]
    assert after[0].startswith("2026年12月5日（周六）14:00–16:00 这一场已结束"), after[0]
    assert "已结束" in after[1] and "已结束" not in after[2]


def test_search_says_when_a_series_session_it_names_is_over(journey_site, browser) -> None:
    _, _, base = journey_site

    def result(page) -> str:
        item = page.locator("#search-results li", has_text="周末科学同学会")
        item.wait_for()
        return item.locator(".when").inner_text()

    seen = seen_at(browser, f"{base}/search/?q=同学会", ("2026-12-05 15:59", "2026-12-05 16:01"), result)
    assert "12月5日" in seen["2026-12-05 15:59"] and "这一场已结束" not in seen["2026-12-05 15:59"]
    assert seen["2026-12-05 16:01"].startswith("2026年12月5日（周六）14:00–16:00 这一场已结束 · 新北街道")


@pytest.mark.parametrize("path", ["/calendar/2026/12/", "/streets/xinbei/calendar/2026/12/"])
def test_today_moves_at_midnight_before_the_next_build(journey_site, browser, path: str) -> None:
    """Built on 1 Dec: just after midnight the label 今天 leaves 1 Dec and is on 2 Dec, where the
    reader is, though the site is rebuilt only later that day."""
    _, _, base = journey_site

    def labelled(page) -> list[str]:
        return page.evaluate("""() => [...document.querySelectorAll('[data-date]')].filter((el) =>
            [...el.querySelectorAll('.today-label')].some((label) => label.offsetParent !== null))
            .map((el) => el.getAttribute('data-date'))""")

    seen = seen_at(browser, f"{base}{path}", ("2026-12-01 23:59", "2026-12-02 00:01"), labelled)
    assert seen == {"2026-12-01 23:59": ["2026-12-01"], "2026-12-02 00:01": ["2026-12-02"]}
