"""A blind resident with a screen reader and a neighbour who uses only the keyboard: after "show
more" the focus goes to what was added and the count is said; a search narrowed to a street says
that there are results elsewhere rather than none at all; the focus ring can be seen on white
and on the blue header. Chromium, its clock on the morning of the sample's build date."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from test_search_page import CONTRAST

pytestmark = pytest.mark.build
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ACTIVE = "() => { const a = document.activeElement; return [a.tagName, a.closest('li') ? a.closest('li').parentElement.id || a.closest('ol,ul').className : '', a.textContent]; }"


@pytest.fixture
def page(public_site, browser):
    page = browser.new_page(viewport={"width": 640, "height": 400}, timezone_id="Asia/Shanghai")
    page.clock.set_fixed_time(NOW)
    yield page
    page.close()


def test_show_more_search_results_moves_the_focus_to_the_first_one_added(public_site, page) -> None:
    _, base = public_site
    page.goto(f"{base}/search/?q={quote('健康')}")
    items = page.locator("#search-results > li")
    items.first.wait_for()
    more = page.get_by_role("button", name="显示更多结果")
    status = page.locator("#search-status")
    total = int(status.inner_text().removeprefix("找到 ").removesuffix(" 条结果"))
    assert total > 20  # more than two presses
    presses = 0
    while more.is_visible():
        count = items.count()
        more.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results > li').length > {count}")
        page.wait_for_function("() => document.activeElement !== document.body")
        tag, where, text = page.evaluate(ACTIVE)
        assert (tag, where) == ("A", "search-results"), (tag, where, text)
        assert text == items.nth(count).locator("h2 a").inner_text()  # the first result just added
        assert status.inner_text() == f"找到 {total} 条结果，已显示 {min(count + 10, total)} 条"
        presses += 1
    assert presses >= 2 and items.count() == total


def test_a_search_narrowed_to_a_street_says_there_are_results_elsewhere(public_site, page) -> None:
    _, base = public_site
    page.goto(f"{base}/search/?q={quote('防诈骗')}")
    status = page.locator("#search-status")
    page.wait_for_function("() => /找到 \\d+ 条结果/.test(document.getElementById('search-status').textContent)")
    found = int(status.inner_text().removeprefix("找到 ").removesuffix(" 条结果"))
    streets = page.locator("#search-street option").evaluate_all("options => options.map(o => o.value)")
    # A street whose events none of the results are in: the page says so, and how many there are.
    for street in filter(None, streets):
        page.goto(f"{base}/search/?q={quote('防诈骗')}&street={street}")
        page.wait_for_function("() => !/正在搜索/.test(document.getElementById('search-status').textContent)")
        said = status.inner_text()
        if "但都不在所选的街镇或类型里" in said:
            assert said.startswith(f"“防诈骗”有 {found} 条结果")
            assert "没有找到" not in said and page.locator("#search-results > li").count() == 0
            return
    pytest.fail("every street had a 防诈骗 result: pick another query")


def test_show_more_events_moves_the_focus_to_the_first_card_added(public_site, page) -> None:
    _, base = public_site
    page.goto(f"{base}/events/?free=1")  # more free events than one draw of 50 cards
    status = page.locator(".filter-status")
    more = page.locator(".filter-more")
    more.wait_for()
    cards = page.locator("#main ol.cards > li")
    count = cards.count()
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('#main ol.cards > li').length > {count}")
    tag, _, text = page.evaluate(ACTIVE)
    assert tag == "A" and text == cards.nth(count).locator(".card-title a").inner_text()
    assert "，已显示 " in status.inner_text()


FOCUS_RING = """element => {
  element.focus();
  const style = getComputedStyle(element);
  return [style.outlineColor, (style.boxShadow.match(/rgba?\\([^)]*\\)/) || [''])[0]];
}"""


@pytest.mark.parametrize("where", ["#main a", ".site-header nav a"])
def test_the_focus_ring_stands_out_where_it_is_drawn(public_site, page, where: str) -> None:
    """WCAG 1.4.11: the ring, or one band of it, at least 3:1 against the background around it."""
    _, base = public_site
    page.goto(f"{base}/events/")
    if where.startswith(".site-header"):
        page.get_by_role("button", name="菜单").click()  # 640 px: the menu folds behind it
    link = page.locator(where).first
    assert link.is_visible()
    page.keyboard.press("Tab")  # keyboard use: :focus-visible applies to focus() from here on
    outline, shadow = link.evaluate(FOCUS_RING)
    contrast = []
    for colour in (outline, shadow):
        if colour:
            contrast.append(link.evaluate(f"""element => {{
                const probe = document.createElement('span');
                probe.style.color = '{colour}';
                element.parentElement.appendChild(probe);
                const c = ({CONTRAST})(probe, 'color');
                probe.remove();
                return c;
            }}"""))
    assert max(contrast) >= 3, (outline, shadow, contrast)


def test_every_calendar_on_the_subscribe_page_has_links_of_its_own_name(public_site, page) -> None:
    """TalkBack's list of links had 132 × 一键订阅, 131 × 订阅步骤, 131 × 阅读器（Atom）: each now
    names its calendar (read from Chromium's accessibility tree, as a screen reader gets it)."""
    _, base = public_site
    page.goto(f"{base}/subscribe/")
    snapshot = page.locator("main").aria_snapshot()
    links = [line.split('"')[1] for line in snapshot.splitlines() if line.strip().startswith("- link \"")]
    for word in ("一键订阅", "订阅步骤", "阅读器（Atom）"):
        named = [name for name in links if name.startswith(word)]
        assert len(named) > 100 and len(set(named)) == len(named), (word, len(named), len(set(named)))


def test_a_filtered_card_links_what_the_lists_own_card_links(public_site, page) -> None:
    """Narrowed to 大港街道, the cards were rebuilt by the script without the street's link that
    every card on the page has: the same event's card now offers the same links."""
    _, base = public_site
    links = "article => [...article.querySelectorAll('a')].map(a => new URL(a.href).pathname)"
    page.goto(f"{base}/events/")
    own = page.locator("#main ol.cards article").first
    title = own.locator(".card-title a").inner_text()
    street = own.locator(".where a").get_attribute("href").strip("/").split("/")[-1]
    before = own.evaluate(links)
    page.goto(f"{base}/events/?street={street}")
    page.wait_for_function("() => /找到/.test(document.querySelector('.filter-status').textContent)")
    rebuilt = page.locator("#main ol.cards article", has=page.get_by_role("link", name=title, exact=True)).first
    assert rebuilt.evaluate(links) == before


@pytest.mark.parametrize(("path", "link", "current"), [
    ("events/", "近期活动", "page"), ("streets/dagang/", "街镇", "true"), ("calendar/2026/11/", "日历", "true"),
    ("about/", "关于", "page")])
def test_the_main_navigation_says_where_the_reader_is(public_site, page, path: str, link: str, current: str) -> None:
    _, base = public_site
    page.goto(f"{base}/{path}")
    page.get_by_role("button", name="菜单").click()  # 640 px: the menu folds behind it
    nav = page.get_by_role("navigation", name="主导航")
    page.wait_for_function("() => document.querySelector('.site-header nav a[aria-current]')")
    assert nav.get_by_role("link", name=link, exact=True).get_attribute("aria-current") == current
    assert nav.locator("a[aria-current]").count() == 1


def test_without_javascript_the_search_page_gives_no_instruction_it_cannot_keep(public_site, browser) -> None:
    """Without the script, the status said 输入关键词后按“搜索” while <noscript> said search does not work."""
    _, base = public_site
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{base}/search/?q=健康")
        assert plain.locator("#search-status").inner_text() == ""
    finally:
        context.close()


# A line that links an event says its status (已取消, 已改期至…, 名额已满, 已结束) in the link itself:
# Tab, NVDA's list of links and TalkBack's link navigation read only the link.
LINK_LINES = "li.ev, .agenda > li, .card-title, .past-list li, #search-close li"
LINE_NAMES = r"""root => [...root.querySelectorAll(arguments_selector)].filter(line => line.querySelector('.badge'))
  .map(line => [[...line.querySelectorAll('.badge')].map(b => b.textContent.trim()),
                [...line.querySelectorAll('a')].map(a => a.textContent.replace(/\s+/g, ' ').trim())])"""
LATER = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize("path", ["", "calendar/2026/12/", "calendar/week/", "calendar/2026/12/08/",
                                  "calendar/2026/12/12/", "events/", "events/?free=1", "events/past/",
                                  f"search/?q={quote('科学')}"])
def test_a_link_to_an_event_says_its_status(public_site, page, path: str) -> None:
    """On 12月7日 the week's lines, the 未来两周 list, the cards and the search results read
    `link "09:30–11:00 老年人防跌倒与骨质疏松科普"` and then, apart, 已改期至…; 已取消, 名额已满 and
    已结束 (marked by the script) the same. Each status is now part of the link's name, as the
    accessibility tree gives it."""
    _, base = public_site
    page.clock.set_fixed_time(LATER)
    page.goto(f"{base}/{path}")
    if path.startswith("search"):
        page.wait_for_function("() => /找到 \\d+ 条结果/.test(document.getElementById('search-status').textContent)")
        more = page.locator("#search-more")
        while more.is_visible():  # every result (the programmes' and venues' own pages come first)
            count = page.locator("#search-results > li").count()
            more.click()
            page.wait_for_function(f"() => document.querySelectorAll('#search-results > li').length > {count}")
    if path.startswith("events/?"):
        page.wait_for_function("() => /找到/.test(document.querySelector('.filter-status').textContent)")
    lines = page.locator("main").evaluate(LINE_NAMES.replace("arguments_selector", repr(LINK_LINES)))
    assert lines, "no line with a status to read"
    for badges, links in lines:
        for badge in badges:
            assert any(badge in name for name in links), (badge, links)
    names = [line.split('"')[1] for line in page.locator("main").aria_snapshot().splitlines()
             if line.strip().startswith("- link \"")]
    for badges, links in lines:  # what the tree gives a reader: the same names
        for link in links:
            if any(badge in link for badge in badges):
                assert link in names, (link, names[:20])


def test_a_moved_and_a_cancelled_session_are_said_in_their_links(public_site, page) -> None:
    _, base = public_site
    page.goto(f"{base}/calendar/2026/12/08/")
    assert page.get_by_role("link", name="09:30–11:00 老年人防跌倒与骨质疏松科普 已改期至 12月22日（周二）09:30").count() == 1
    page.goto(f"{base}/calendar/2026/12/12/")
    assert page.get_by_role("link", name="14:00–16:00 周末科学同学会（秋冬学期，每周六下午） 已取消").count() == 1


SETTLED_SCROLL = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(scrollY))))"


def test_a_calendars_link_to_one_session_opens_the_event_at_its_top(public_site, page) -> None:
    """A calendar's line leads to its session: /events/<slug>/#d2026-12-12. The page opened scrolled
    to a bare date in 活动日期, past the title, the notices, 电话报名, 时间 and 地点, and Tab went on
    from there. It now opens at its top, says under the title which session was chosen (what
    the list says of it: 已取消…), the focus there so it is read, and Tab's next stop is 电话报名;
    the session's line in 活动日期 is still the one highlighted, as without the script."""
    _, base = public_site
    page.goto(f"{base}/events/zhoumo-kexue-tongxuehui-qiudong/#d2026-12-12")
    page.wait_for_load_state("load")
    assert page.evaluate(SETTLED_SCROLL) == 0
    note = page.get_by_text("您选的是 2026年12月12日（周六）这一场：已取消（文化站消防检查，本周暂停一次）。")
    assert note.is_visible() and note.evaluate("n => n === document.activeElement")
    assert note.evaluate("n => n.previousElementSibling.tagName") == "H1"
    chosen = page.locator("#d2026-12-12")  # highlighted as the fragment's element is
    assert chosen.evaluate("li => getComputedStyle(li).backgroundColor") == "rgb(255, 244, 194)"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("电话报名")


def test_without_a_chosen_session_the_event_page_says_none(public_site, page) -> None:
    _, base = public_site
    page.goto(f"{base}/events/zhoumo-kexue-tongxuehui-qiudong/#dates")  # a fragment, not a session
    page.wait_for_load_state("load")
    assert page.get_by_text("您选的是").count() == 0


def test_without_javascript_a_chosen_session_is_shown_highlighted(public_site, browser) -> None:
    _, base = public_site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 640, "height": 400})
    try:
        plain = context.new_page()
        plain.goto(f"{base}/events/zhoumo-kexue-tongxuehui-qiudong/#d2026-12-12")
        chosen = plain.locator("#d2026-12-12")
        assert chosen.evaluate("li => getComputedStyle(li).backgroundColor") == "rgb(255, 244, 194)"
        assert chosen.is_visible() and plain.get_by_text("您选的是").count() == 0
    finally:
        context.close()


def test_a_search_from_the_header_says_what_it_found_in_the_title_and_where_the_focus_is(public_site, page) -> None:
    """/search/?q=科学 from the header's box kept the title 搜索 · <site> and the focus on the body;
    找到 49 条结果 was written while the page loaded, often not read. The title now says the query
    and the count, the focus is on the count (read out), the header's box keeps the query, and the
    header's and the page's search landmarks have names of their own."""
    _, base = public_site
    page.goto(f"{base}/")
    site = page.title()
    box = page.get_by_role("search", name="全站搜索").get_by_role("searchbox")
    box.fill("科学")
    box.press("Enter")
    page.wait_for_function("() => /找到 \\d+ 条结果/.test(document.getElementById('search-status').textContent)")
    found = int(page.locator("#search-status").inner_text().removeprefix("找到 ").removesuffix(" 条结果"))
    assert page.title() == f"“科学”的搜索结果（{found} 条） · {site}"
    assert page.evaluate("document.activeElement.id") == "search-status"
    assert page.locator("#site-search").input_value() == "科学"
    names = [line.strip().removeprefix("- search").strip(' ":') for line in
             page.locator("body").aria_snapshot().splitlines() if re.match(r"\s*- search( |:|$)", line)]
    assert len(names) == 2 and all(names) and len(set(names)) == 2, names
    # A search made on the page then says its own words in the title; the focus stays in the box.
    query = page.get_by_role("search", name="搜索活动和新闻").get_by_role("searchbox")
    query.fill("不会有这样的活动名")
    query.press("Enter")
    page.wait_for_function("() => /没有找到/.test(document.getElementById('search-status').textContent)")
    assert page.title() == f"“不会有这样的活动名”没有搜索结果 · {site}"
    assert page.evaluate("document.activeElement.id") == "search-query"


def test_an_event_page_after_the_event_says_it_is_over_in_its_title_and_heading(public_site, page) -> None:
    """After the event only the paragraph 本活动已结束。 appeared: the h1 and the tab's title, what a
    screen reader reads first, did not say it. Both now do, as they say 已取消 or 名额已满."""
    _, base = public_site
    page.clock.set_fixed_time(LATER)  # 12月7日: the event was on 12月3日
    page.goto(f"{base}/events/xiaowangzhuang-shuichan-yuedong-guanli/")
    assert page.get_by_role("heading", level=1).inner_text() == "惠民兴县：水产养殖池塘越冬管理 已结束"
    assert page.title().startswith("【已结束】惠民兴县：水产养殖池塘越冬管理 · ")
    page.clock.set_fixed_time(NOW)  # before it: nothing said
    page.goto(f"{base}/events/xiaowangzhuang-shuichan-yuedong-guanli/")
    assert page.get_by_role("heading", level=1).inner_text() == "惠民兴县：水产养殖池塘越冬管理"
    assert page.title().startswith("惠民兴县：水产养殖池塘越冬管理 · ")


def test_a_cancelled_event_is_not_said_to_be_over_in_its_heading(public_site, page) -> None:
    output, base = public_site
    cancelled = next(path.parent.name for path in sorted((output / "events").glob("*/index.html"))
                     if 'data-status="cancelled"' in path.read_text("utf-8"))
    page.clock.set_fixed_time(datetime(2028, 1, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    page.goto(f"{base}/events/{cancelled}/")
    assert "已取消" in page.get_by_role("heading", level=1).inner_text()
    assert "已结束" not in page.get_by_role("heading", level=1).inner_text()
    assert "已结束" not in page.title()


def test_on_a_phone_the_month_keeps_today_when_it_has_no_events(public_site, browser) -> None:
    """At 390 px the month is a list of the days with events: 12月7日, a day without any, was not
    there, nor any 今天. Today's row now stays, marked 今天 and saying 今天没有活动."""
    _, base = public_site
    phone = browser.new_page(viewport={"width": 390, "height": 800}, timezone_id="Asia/Shanghai")
    try:
        phone.clock.set_fixed_time(LATER)
        phone.goto(f"{base}/calendar/2026/12/")
        today = phone.locator("td[data-date='2026-12-07']")
        assert "empty" in today.get_attribute("class")  # the sample has nothing that day
        assert today.is_visible()
        assert today.get_by_text("今天", exact=True).is_visible()
        assert today.get_by_text("今天没有活动").is_visible()
        assert phone.locator("td[data-date='2026-12-14']").is_hidden() or "empty" not in (
            phone.locator("td[data-date='2026-12-14']").get_attribute("class"))
    finally:
        phone.close()


def test_subscribe_links_say_what_they_do_and_warn_before_they_are_followed(public_site, page) -> None:
    """On /subscribe/, TalkBack's list of links read 塘沽街道 for a link that downloads the street's
    .ics file (everywhere else that name opens the street's page), 订阅步骤 ：塘沽街道 with a stray
    space, and the subscribe block's 一键订阅 came before its warning that it does nothing on an
    Android phone: a TalkBack user had followed it before hearing so. Names as Chromium's
    accessibility tree gives them to a screen reader."""
    _, base = public_site
    page.goto(f"{base}/subscribe/")
    tree = page.locator("main").aria_snapshot().splitlines()
    links = [(line.split('"')[1], next((t.split("/url: ")[1] for t in tree[n + 1:n + 3] if "/url: " in t), ""))
             for n, line in enumerate(tree) if line.strip().startswith('- link "')]
    files = [(name, url) for name, url in links if url.endswith(".ics") and url.startswith(base)]
    assert len(files) > 100, len(files)  # each calendar's file is still linked…
    assert all(name.startswith("日历文件（.ics）：") for name, _ in files), files[:3]  # …and says so
    assert not [name for name, _ in links if " ：" in name], [name for name, _ in links if " ：" in name][:3]
    steps = [name for name, _ in links if name.startswith("订阅步骤")]
    assert "订阅步骤：塘沽街道" in steps, steps[:5]
    button = page.locator("section.subscribe a.button").first
    said = button.evaluate("""a => {
        const text = a.closest('p').textContent;
        return [text.indexOf('安卓手机'), text.indexOf(a.textContent)];
    }""")
    assert 0 <= said[0] < said[1], said  # read before the button


def test_a_past_session_chosen_is_said_over_and_another_chosen_in_place_is_said_too(public_site, page) -> None:
    """The re-audit: a calendar's line to a session already held said 已结束, but the page said only
    您选的是 2026年11月21日（周六）这一场。, its line hidden in the closed 已经举办的 list; and choosing
    another session on the same page (Back, Forward, a typed fragment) left the focus on the body."""
    _, base = public_site
    page.goto(f"{base}/events/zhoumo-kexue-tongxuehui-qiudong/#d2026-11-21")
    page.wait_for_load_state("load")
    note = page.locator(".chosen-session")
    assert note.inner_text() == "您选的是 2026年11月21日（周六）这一场（已结束）。"
    assert page.locator("#d2026-11-21").is_visible()  # its list opened
    page.evaluate("location.hash = '#d2026-12-19'")
    page.wait_for_function("() => document.activeElement.classList.contains('chosen-session')"
                           " && document.activeElement.textContent.includes('12月19日')")
    assert note.count() == 1 and "（已结束）" not in note.inner_text()
    assert page.locator("li.chosen").count() == 1
