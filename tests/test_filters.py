"""The events list's filters as a resident on a phone meets them: every upcoming event within
reach, several choices per filter, age and accessibility, a reset, and next steps when nothing
matches. Chromium at 360 px; every view is opened from its URL, as a shared link is."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import require
from kepu.formats.finder import rows
from webtools import axe, axe_available, link_titles

pytestmark = pytest.mark.build
ZONE = ZoneInfo("Asia/Shanghai")
BUILD_MORNING = datetime(2026, 12, 1, 10, tzinfo=ZONE)  # the sample's build day, a Tuesday
PHONE = {"width": 360, "height": 740}
TITLES = "#results .card-title a"


def _open(browser, url: str, at: datetime = BUILD_MORNING):
    """A phone-sized page at ``url`` once the filters have drawn their answer."""
    page = browser.new_page(viewport=PHONE)
    page.clock.set_fixed_time(at)
    page.goto(url)
    page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
    return page


def _titles(page) -> list[str]:
    """Every found event's title (drawing more while the list offers more)."""
    more = page.locator("button.filter-more")
    for _ in range(100):
        if not (more.count() and more.is_visible()):
            break
        more.click()
    return link_titles(page.locator(TITLES))


def _status(page) -> str:
    return page.inner_text(".filter-status").strip()


def _data(output: Path) -> list[dict]:
    return rows(json.loads((output / "events" / "filter.json").read_text("utf-8")))


def _street_page_titles(browser, base: str, street: str) -> list[str]:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/streets/{street}/")
    titles = link_titles(page.locator("main ol.cards .card-title a"))
    page.close()
    return titles


def test_with_no_filter_every_upcoming_event_is_counted(public_site, browser) -> None:
    _, base = public_site
    page = _open(browser, f"{base}/events/")
    listed = int(re.search(r"共 (\d+) 项活动即将举办", page.inner_text("main"))[1])
    assert _status(page) == f"全部 {listed} 项活动"
    assert f"条件涵盖全部 {listed} 项即将举办的活动" in page.inner_text("#filters")
    page.close()


def test_days_after_the_build_the_count_agrees_with_the_list_it_stands_over(public_site, browser) -> None:
    # The unfiltered view is the page's own list (events over since the build marked 已结束):
    # its count is that list's, not the script's count of what is still to come.
    _, base = public_site
    page = _open(browser, f"{base}/events/", at=BUILD_MORNING + timedelta(days=3))
    listed = int(re.search(r"共 (\d+) 项活动即将举办", page.inner_text("main"))[1])
    assert page.locator("main ol.cards article.card", has_text="已结束").count() > 0  # the case this is about
    assert _status(page) == f"全部 {listed} 项活动"
    page.close()


def test_every_upcoming_event_of_the_list_is_in_the_filter_data(public_site) -> None:
    output, _ = public_site
    listed = []
    for html in [output / "events" / "index.html", *sorted((output / "events" / "page").glob("*/index.html"))]:
        listed += re.findall(r'<h3 class="card-title"><a href="[^"]*/events/([a-z0-9-]+)/"', html.read_text("utf-8"))
    total = int(re.search(r"共 (\d+) 项活动即将举办", (output / "events" / "index.html").read_text("utf-8"))[1])
    in_data = [e["url"].split("/")[1] for e in _data(output)]
    assert sorted(in_data) == sorted(listed) and len(in_data) == total


def test_one_street_shows_what_its_street_page_lists(public_site, browser) -> None:
    _, base = public_site
    expected = _street_page_titles(browser, base, "hangu")
    page = _open(browser, f"{base}/events/?street=hangu")
    assert len(expected) == 2 and _titles(page) == expected
    assert _status(page) == "找到 2 项活动"
    assert page.locator("input[name=street][value=hangu]").is_checked()
    assert "街镇：汉沽街道" in page.inner_text("#filters summary >> nth=0")
    page.close()


def test_two_streets_show_both_streets_events(public_site, browser) -> None:
    output, base = public_site
    both = set(_street_page_titles(browser, base, "hangu")) | set(_street_page_titles(browser, base, "tanggu"))
    page = _open(browser, f"{base}/events/?street=hangu&street=tanggu")
    got = _titles(page)
    assert sorted(got) == sorted(both) and len(got) == 5
    assert got == [e["title"] for e in _data(output) if e["street"] in ("hangu", "tanggu")]  # in list order
    assert page.locator("input[name=street][value=tanggu]").is_checked()
    page.close()


def test_two_audiences_show_events_for_either(public_site, browser) -> None:
    output, base = public_site
    page = _open(browser, f"{base}/events/?audience=qinzi&audience=qingshaonian")
    either = [e["title"] for e in _data(output) if {"qinzi", "qingshaonian"} & set(e["audiences"])]
    got = _titles(page)
    assert got == either and len(either) > len([e for e in _data(output) if "qingshaonian" in e["audiences"]])
    page.close()


def test_age_ten_finds_events_for_ten_year_olds_and_not_for_the_elderly(public_site, browser) -> None:
    output, base = public_site
    data = _data(output)
    suitable = [e["title"] for e in data
                if e["age"] is None or ((e["age"][0] or 0) <= 10 <= (e["age"][1] if e["age"][1] is not None else 200))]
    elderly = next(e["title"] for e in data if e["age"] == [60, None])
    unranged = next(e["title"] for e in data if e["age"] is None)
    page = _open(browser, f"{base}/events/?age=10")
    got = _titles(page)
    assert got == suitable and elderly not in got and unranged in got
    assert page.locator("#filter-age").input_value() == "10"
    page.close()


def test_typing_an_age_and_ticking_accessibility_keep_the_view_in_the_url(public_site, browser) -> None:
    output, base = public_site
    page = _open(browser, f"{base}/events/")
    page.get_by_label("适合年龄").fill("70")
    page.get_by_label("只看有无障碍说明的活动").check()
    page.wait_for_function("location.search === '?age=70&access=1'")
    expected = [e["title"] for e in _data(output) if e["accessibility"]
                and (e["age"] is None or ((e["age"][0] or 0) <= 70 <= (e["age"][1] or 200)))]
    assert _titles(page) == expected and expected
    page.close()


def test_reset_clears_the_url_and_shows_everything(public_site, browser) -> None:
    _, base = public_site
    page = _open(browser, f"{base}/events/?street=hangu&when=month&age=10")
    everything = page.locator("main").inner_text()
    listed = int(re.search(r"共 (\d+) 项活动即将举办", everything)[1])
    page.get_by_role("button", name="清除筛选").click()
    page.wait_for_function("location.search === ''")
    assert _status(page) == f"全部 {listed} 项活动"
    assert not page.locator("input[name=street][value=hangu]").is_checked()
    assert page.locator("#filter-age").input_value() == ""
    assert page.locator("input[name=when][value='']").is_checked()
    assert len(_titles(page)) >= 10  # the list's own first page again
    page.close()


def test_no_results_offer_next_steps(public_site, browser) -> None:
    output, base = public_site
    data = _data(output)
    today = date(2026, 12, 1).isoformat()
    assert not [e for e in data if e["street"] == "xinhe" and any(a <= today <= b for a, b in e["dates"])]
    neighbour_today = [e for e in data if e["street"] == "hangzhoudao" and any(a <= today <= b for a, b in e["dates"])]
    page = _open(browser, f"{base}/events/?street=xinhe&when=today")
    # The status (read out) says the suggestions below are there, not only that nothing matched.
    assert _status(page) == "没有符合条件的活动。下方有放宽条件的建议。" and _titles(page) == []
    steps = page.locator("#filter-empty")
    assert steps.is_visible()
    xinhe = len([e for e in data if e["street"] == "xinhe"])
    assert steps.get_by_role("link", name=f"不限时间（{xinhe} 项）").is_visible()
    assert steps.get_by_role("link", name=f"杭州道街道（{len(neighbour_today)} 项）").is_visible()
    for name in ("按街镇浏览活动", "订阅活动日历", "清除筛选，查看全部活动"):
        assert steps.get_by_role("link", name=name).is_visible(), name
    steps.get_by_role("link", name=re.compile("^杭州道街道")).click()
    page.wait_for_url(re.compile(r"street=hangzhoudao"))
    page.wait_for_function("document.querySelector('.filter-status')?.textContent.startsWith('找到')")
    assert _titles(page) == [e["title"] for e in neighbour_today]
    assert not steps.is_visible()
    page.close()


def test_an_age_stepped_with_the_arrow_keys_says_a_count_only_when_it_changes(public_site, browser) -> None:
    """Each keystroke in 适合年龄 rewrote the status, and a screen reader read 找到 33 项活动 again
    and again; now it is written only when its words change."""
    _, base = public_site
    page = _open(browser, f"{base}/events/?age=30")
    assert _status(page) == "找到 33 项活动"
    page.evaluate("""() => { window.statusWrites = 0;
        new MutationObserver(() => { window.statusWrites++; }).observe(document.querySelector('.filter-status'),
            {childList: true, characterData: true, subtree: true}); }""")
    page.locator("#filter-age").focus()
    for age in (31, 32, 33):  # the same 33 events for each
        page.keyboard.press("ArrowUp")
        page.wait_for_function(f"location.search.includes('age={age}')")
    assert page.evaluate("window.statusWrites") == 0 and _status(page) == "找到 33 项活动"
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    page.wait_for_function("location.search.includes('age=6')")
    assert page.evaluate("window.statusWrites") == 1 and _status(page) == "找到 36 项活动"
    page.close()


def test_filters_work_from_the_keyboard(public_site, browser) -> None:
    _, base = public_site
    page = _open(browser, f"{base}/events/")
    summary = page.locator("#filters summary").first
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.wait_for_function("location.search.startsWith('?street=')")
    assert _status(page).startswith("找到")
    page.close()


def test_filters_open_fit_a_phone_and_pass_axe(public_site, browser) -> None:
    require(axe_available(), "npm axe-core (make test installs it)")
    _, base = public_site
    page = _open(browser, f"{base}/events/?street=hangu&audience=qinzi")
    page.eval_on_selector_all("#filters details", "ds => ds.forEach(d => { d.open = true; })")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe(page) == []
    page.close()
    page = _open(browser, f"{base}/events/?street=xinhe&when=today")
    assert page.locator("#filter-empty").is_visible() and axe(page) == []
    page.close()


@pytest.mark.parametrize("at", [BUILD_MORNING, datetime(2026, 12, 5, 17, tzinfo=ZONE)],
                         ids=["build-morning", "after-saturday-s-session"])
def test_filtered_cards_say_what_the_list_s_own_cards_say(public_site, browser, at) -> None:
    """A card the filters draw reads as the card of the street's own list, at the same moment:
    the weekly series with its rule (每周六，至 …) beside its next date, not the date alone. Once
    that Saturday's session is over, the list's own card (made at the build) says 这一场已结束;
    the drawn one, made at the reader's moment, names the next session to come instead."""
    _, base = public_site
    page = browser.new_page(viewport=PHONE)
    page.clock.set_fixed_time(at)
    page.goto(f"{base}/streets/hujiayuan/")
    own = page.locator("main ol.cards article.card .when").all_inner_texts()
    page.close()
    page = _open(browser, f"{base}/events/?street=hujiayuan", at=at)
    _titles(page)
    drawn = page.locator("#results article.card .when").all_inner_texts()
    page.close()
    assert any("每周" in text for text in own)
    assert any("这一场已结束" in text for text in own) == (at > BUILD_MORNING)  # the case each is about
    assert len(drawn) == len(own)
    for mine, theirs in zip(own, drawn, strict=True):
        if "这一场已结束" not in mine:
            assert theirs == mine
            continue
        rule = mine[mine.index("（每"):]
        # 12 Dec is cancelled: the next session held is the 19th, with the same rule beside it.
        assert theirs == f"2026年12月19日（周六）14:00–16:00 {rule}", (mine, theirs)


def test_found_sessions_are_in_time_order_within_a_day(public_site, browser) -> None:
    """The list says 按时间先后排列. On Friday 18 December, 本周末 showed Saturday's 14:00 class
    before its 11:00 talk: sessions of one day came in the order of the events' next sessions as
    of the build, not by their own time (found by a resident's journey)."""
    _, base = public_site
    page = _open(browser, f"{base}/events/?when=weekend", at=datetime(2026, 12, 18, 9, tzinfo=ZONE))
    _titles(page)  # every card drawn
    whens = [t.strip() for t in page.locator("#results .card .when").all_inner_texts()]
    page.close()
    moments = [re.match(r"(\d+)年(\d+)月(\d+)日（周.）(\d\d:\d\d)?", when).groups() for when in whens]
    keys = [(int(y), int(m), int(d), clock or "") for y, m, d, clock in moments]
    assert len({key[:3] for key in keys}) < len(keys), whens  # two sessions on one day: the case this is about
    assert keys == sorted(keys), whens



def test_a_card_says_what_an_event_costs_where_free_ones_say_free(public_site, browser) -> None:
    """A parent reads 免费 on one card and nothing on the next: the 冬至 ice-crystal workshop
    (材料费 10 元) read as free. Its card says the cost, in the street's own list and when the
    filters draw it."""
    _, base = public_site
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/streets/hujiayuan/")
    own = _card_tags(page, "main ol.cards article.card")
    page.close()
    page = _open(browser, f"{base}/events/?street=hujiayuan")
    _titles(page)
    drawn = _card_tags(page, "#results article.card")
    page.close()
    paid = [title for title, tags in own.items() if "材料费 10 元" in tags]
    assert any("冰" in title for title in paid), own
    assert all("免费" not in own[title] for title in paid)
    assert drawn == own


def _card_tags(page, cards: str) -> dict[str, str]:
    return {card.locator(".card-title").inner_text().strip(): " ".join(card.locator(".tags .tag").all_inner_texts())
            for card in page.locator(cards).all()}


def test_today_finds_a_series_whose_session_today_is_called_off_and_says_so(public_site, browser) -> None:
    """The resident audit: on Saturday 12月12日 a parent chose 今天 and 周末科学同学会 was simply
    not there (its session that day is cancelled), where a cancelled event is listed 已取消: no
    word that the usual Saturday is off. A day with a session held still shows that one."""
    _, base = public_site
    saturday = datetime(2026, 12, 12, 10, tzinfo=ZONE)
    page = _open(browser, f"{base}/events/?street=hujiayuan&when=today", at=saturday)
    cards = page.locator("#results article.card", has_text="周末科学同学会（秋冬学期")
    assert cards.count() == 1, _titles(page)
    when = cards.locator(".when").inner_text()
    assert when.startswith("2026年12月12日（周六）14:00–16:00 已取消"), when
    assert cards.locator(".when .badge.status-cancelled").count() == 1
    page.close()
    page = _open(browser, f"{base}/events/?street=hujiayuan", at=saturday)  # no day chosen: the next held
    when = page.locator("#results article.card", has_text="周末科学同学会（秋冬学期").locator(".when").inner_text()
    assert when.startswith("2026年12月19日（周六）14:00–16:00"), when
    page.close()


def test_tomorrow_is_a_time_choice_taken_with_the_keyboard(public_site, browser) -> None:
    """A parent plans tomorrow's outing: 时间 offered 今天 and 本周末, not 明天 (and search had no
    filter to offer for 明天). 明天 is a choice beside the others, taken with the arrow keys like
    them, and lists the events with a session on the reader's tomorrow: on Friday night, Saturday's."""
    output, base = public_site
    page = _open(browser, f"{base}/events/", at=datetime(2026, 12, 4, 22, tzinfo=ZONE))
    time = page.get_by_role("group", name="时间")
    assert [label.strip() for label in time.locator("label").all_inner_texts()] == [
        "不限", "今天", "明天", "本周末", "本周", "下周", "本月"]
    time.get_by_role("radio", name="今天").check()
    page.wait_for_function("location.search === '?when=today'")
    page.keyboard.press("ArrowRight")  # the next choice of the group, as a keyboard reaches it
    page.wait_for_function("location.search === '?when=tomorrow'")
    assert time.get_by_role("radio", name="明天").is_checked()
    saturday = "2026-12-05"
    expected = {e["title"] for e in _data(output) if any(s["first"] <= saturday <= s["last"] for s in e["sessions"])
                and not (e["status"] == "postponed" and not e["held"])}  # put off with no new date: on no day
    assert expected and set(_titles(page)) == expected
    assert _status(page) == f"找到 {len(expected)} 项活动"
    assert all("12月5日" in when for when in page.locator("#results article.card .when").all_inner_texts())
    page.close()


def test_next_week_is_a_time_choice_that_lists_monday_to_sunday(public_site, browser) -> None:
    """On Sunday evening a parent plans next week: 本周 is only what is left of today and 本月 runs
    out in three weeks, so 时间 had nothing for 下周 (nor did search: 下周六 offered nothing). 下周 is a
    choice beside the others and lists the events with a session from the reader's next Monday to
    Sunday, and only those."""
    output, base = public_site
    page = _open(browser, f"{base}/events/", at=datetime(2026, 12, 6, 20, tzinfo=ZONE))
    time = page.get_by_role("group", name="时间")
    time.get_by_role("radio", name="下周").check()
    page.wait_for_function("location.search === '?when=nextweek'")
    monday, sunday = "2026-12-07", "2026-12-13"
    expected = {e["title"] for e in _data(output) if any(s["first"] <= sunday and s["last"] >= monday
                                                        for s in e["sessions"])
                and not (e["status"] == "postponed" and not e["held"])}  # put off with no new date: on no day
    this_week = {e["title"] for e in _data(output) if any(s["first"] <= "2026-12-06" <= s["last"] for s in e["sessions"])}
    assert expected and expected != this_week  # the case this is about: next week is not this one
    assert set(_titles(page)) == expected
    assert _status(page) == f"找到 {len(expected)} 项活动"
    page.close()
