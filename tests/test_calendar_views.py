"""Issue 13, point 9: calendar views on phones and paper, the week agenda, /data/ on phones,
embeds framed by another site, and figures whose 项 and 场次 agree, in a real browser where
a person would see the difference."""

from __future__ import annotations

import html as htmlib
import itertools
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import SAMPLE_BUILD_DATE, serve_directory

pytestmark = pytest.mark.build
ZONE = ZoneInfo("Asia/Shanghai")
BUILD = date.fromisoformat(SAMPLE_BUILD_DATE)
PHONE = {"width": 360, "height": 800}


def _page(browser, width: int = 360, height: int = 800, **options):
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    # The script marks today by the reader's clock: read the pages as on the build date.
    page.clock.set_fixed_time(datetime(BUILD.year, BUILD.month, BUILD.day, 12, tzinfo=ZONE))
    return page


# 1. The phone month view reaches every day page.

@pytest.mark.parametrize("month", ["calendar/2026/12/", "streets/hujiayuan/calendar/2026/12/"])
def test_phone_month_days_link_to_their_day_pages(public_site, browser, month: str) -> None:
    output, base = public_site
    page = _page(browser)
    try:
        page.goto(f"{base}/{month}")
        days = page.evaluate("""() => [...document.querySelectorAll('.month-grid td[data-date]')]
            .filter(td => td.getBoundingClientRect().height > 0)
            .map(td => {
                const links = [...td.querySelectorAll('a[href*="/calendar/"]')]
                    .filter(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
                return [td.dataset.date, links.map(a => [new URL(a.href).pathname + new URL(a.href).hash,
                                                         a.innerText.trim()]), td.classList.contains('empty') ? td.innerText : null];
            })""")
        assert len(days) >= 5  # the phone agenda lists the days that have events
        for iso, links, empty in days:
            if empty is not None:  # today without events stays, saying so; it has no day page
                assert iso == BUILD.isoformat() and "今天没有活动" in empty, (iso, empty)
                continue
            y, m, d = iso.split("-")
            assert links, f"{iso}: no visible link to its day page"
            path, text = links[0]
            assert path.split("#")[0] == f"/calendar/{y}/{m}/{d}/", iso
            assert text.startswith(f"{int(m)}月{int(d)}日（"), (iso, text)  # the date a person reads
            assert (output / path.split("#")[0].lstrip("/") / "index.html").is_file()
        page.get_by_role("link", name=re.compile(r"^12月5日（周六）")).first.click()
        page.wait_for_url(re.compile(r"/calendar/2026/12/05/"))
        assert page.locator("h1").inner_text() == "2026年12月5日（周六）"
    finally:
        page.close()


# 2. The week agenda says a run of empty days once.

class AgendaReader(HTMLParser):
    """The rows of the week agenda: (first day, last day, the words a person reads)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list] = []
        self.inside, self.depth = False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol" and "week-agenda" in (attrs.get("class") or ""):
            self.inside = True
        elif self.inside and tag == "li":
            if self.depth == 0:
                first = date.fromisoformat(attrs.get("data-date") or attrs["data-from"])
                until = attrs.get("data-until")
                self.rows.append([first, date.fromisoformat(until) if until else first, ""])
            self.depth += 1

    def handle_endtag(self, tag):
        if self.inside and tag == "li":
            self.depth -= 1
        elif tag == "ol" and self.depth == 0:
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.depth:
            self.rows[-1][2] += data


def _week_rows(output: Path, path: str) -> list[tuple[date, date, str]]:
    reader = AgendaReader()
    reader.feed((output / path / "index.html").read_text("utf-8"))
    return [(first, last, re.sub(r"\s+", " ", words).strip()) for first, last, words in reader.rows]


def _label(day: date) -> str:
    return f"{day.month}月{day.day}日（周{'一二三四五六日'[day.weekday()]}）"


def test_week_agenda_collapses_runs_of_empty_days(public_site) -> None:
    output, _ = public_site
    monday = BUILD - timedelta(days=BUILD.weekday())
    collapsed = 0
    for path in ["calendar/week", *(p.parent.relative_to(output).as_posix()
                                   for p in sorted(output.glob("streets/*/calendar/week/index.html")))]:
        rows = _week_rows(output, path)
        covered = [row[0] + timedelta(days=i) for row in rows for i in range((row[1] - row[0]).days + 1)]
        assert covered == [monday + timedelta(days=i) for i in range(14)], path  # each day once, in order
        empty = [row[2].endswith("无活动") for row in rows]
        assert not any(a and b for a, b in itertools.pairwise(empty)), path  # never two in a row
        for first, last, words in rows:
            if first != last:
                collapsed += 1
                assert words == f"{_label(first)}至 {_label(last)}无活动", (path, words)
    assert collapsed >= 10  # streets with quiet weeks really were collapsed
    street = (output / "streets" / "hujiayuan" / "calendar" / "week" / "index.html").read_text("utf-8")
    assert "周末科学同学会" in street


# 3. Today's outline leaves the day's text alone.

@pytest.mark.parametrize("width", [360, 1280])
def test_todays_outline_does_not_cover_the_days_text(public_site, browser, width: int) -> None:
    _, base = public_site
    page = _page(browser, width, 900)
    try:
        page.goto(f"{base}/calendar/2026/12/")
        found = page.evaluate("""() => {
            const td = document.querySelector('.month-grid td.today');
            const style = getComputedStyle(td);
            const width = parseFloat(style.outlineWidth) || 0, offset = parseFloat(style.outlineOffset) || 0;
            const cell = td.getBoundingClientRect();
            // The outline is drawn from (border edge + offset) outwards, `width` thick.
            const inset = Math.max(0, -offset), outside = Math.max(0, offset + width);
            const inner = {left: cell.left + inset, top: cell.top + inset,
                           right: cell.right - inset, bottom: cell.bottom - inset};
            const textRects = (root) => {
                const rects = [];
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                while (walker.nextNode()) {
                    const host = walker.currentNode.parentElement;
                    if (!walker.currentNode.textContent.trim() || host.getBoundingClientRect().width <= 1) continue;
                    const range = document.createRange();
                    range.selectNodeContents(walker.currentNode);
                    for (const r of range.getClientRects()) {
                        if (r.width && r.height) rects.push({text: walker.currentNode.textContent.trim(),
                            left: r.left, top: r.top, right: r.right, bottom: r.bottom});
                    }
                }
                return rects;
            };
            const boxes = textRects(td);
            // Text of the other cells, in case the outline is drawn outside this one.
            const others = [...document.querySelectorAll('.month-grid td')].filter(o => o !== td).flatMap(textRects);
            const outer = {left: cell.left - outside, top: cell.top - outside,
                           right: cell.right + outside, bottom: cell.bottom + outside};
            const hitsNeighbour = outside > 0 && others.some(r =>
                r.left < outer.right && r.right > outer.left && r.top < outer.bottom && r.bottom > outer.top);
            return {width, inner, boxes, hitsNeighbour, date: td.dataset.date};
        }""")
    finally:
        page.close()
    assert found["date"] == SAMPLE_BUILD_DATE and found["width"] >= 2  # the outline is there
    assert len(found["boxes"]) >= 3  # the date, 今天 and at least one event
    inner = found["inner"]
    for box in found["boxes"]:
        assert inner["left"] <= box["left"] and box["right"] <= inner["right"], (width, box, inner)
        assert inner["top"] <= box["top"] and box["bottom"] <= inner["bottom"], (width, box, inner)
    assert not found["hitsNeighbour"]


# 4. A printed month is the calendar only.

@pytest.mark.parametrize("width", [700, 1280])
def test_printed_month_shows_only_the_calendar(public_site, browser, width: int) -> None:
    _, base = public_site
    page = _page(browser, width, 1000)
    try:
        page.goto(f"{base}/calendar/2026/12/")
        page.emulate_media(media="print")
        hidden = [".site-header nav", ".site-footer", ".month-nav", ".breadcrumb", ".tools",
                  "form[role=search]", "a.skip"]
        for selector in [*hidden, "main button, header button, .button"]:
            found = page.locator(selector)
            assert found.count(), selector  # still on the page (else nothing is checked)
            for i in range(found.count()):
                assert not found.nth(i).is_visible(), selector
        assert page.locator("h1").is_visible()
        assert page.locator(".month-grid caption").is_visible()
        # On paper the month stays a grid, even on a narrow page (A4 is about 700 CSS pixels wide).
        assert page.locator(".month-grid thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
        assert page.locator(".month-grid td.day").first.evaluate("e => getComputedStyle(e).display") == "table-cell"
        page.emulate_media(media="screen")
        assert page.locator(".month-nav").is_visible()  # on screen nothing changed
    finally:
        page.close()


# 5. /data/ fits a phone.

def test_open_data_page_fits_a_phone(public_site, browser) -> None:
    _, base = public_site
    page = _page(browser)
    try:
        page.goto(f"{base}/data/")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 360).map(e => e.tagName + ' ' + e.textContent.slice(0, 30))""")
    finally:
        page.close()
    assert width <= 360, wide[:5]


# 6. Embeds: nothing cut off in a phone-width frame; teams and audiences have them too.

def _embed_code(page_html: str) -> str:
    code = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page_html, re.DOTALL)
    assert code, "no embed code on the page"
    return htmlib.unescape(code[1])


def _fullest_embed(output: Path, kind: str) -> str:
    pages = sorted((output / "embed" / kind).glob("*/index.html"))
    return max(pages, key=lambda p: (p.read_text("utf-8").count("<li "), p.parent.name)).parent.name


@pytest.mark.parametrize("kind,facet_dir", [("streets", "streets"), ("categories", "categories"),
                                            ("teams", "teams"), ("audiences", "audiences")])
def test_embed_code_framed_on_a_phone_shows_its_last_link(public_site, browser, tmp_path: Path,
                                                           kind: str, facet_dir: str) -> None:
    output, base = public_site
    ident = _fullest_embed(output, kind)
    facet_html = (output / facet_dir / ident / "index.html").read_text("utf-8")
    code = _embed_code(facet_html)
    src = re.search(r'<iframe src="([^"]+)"', code)[1]
    assert src == f"{base}/embed/{kind}/{ident}/"
    embed_html = (output / "embed" / kind / ident / "index.html").read_text("utf-8")
    assert embed_html.count("<li ") >= 3
    host = tmp_path / "host"
    host.mkdir()
    (host / "index.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>社区网站</title></head>'
        f'<body style="margin:0;padding:0 8px"><p>本社区近期活动</p>{code}<p>页脚</p></body></html>', "utf-8")
    server, host_base = serve_directory(host)
    page = _page(browser, 360, 900)
    try:
        page.goto(f"{host_base}/")
        frame_element = page.locator("iframe")
        frame_element.scroll_into_view_if_needed()
        # The frame is lazy (loading="lazy"): it starts loading once scrolled near, so wait for it
        # to reach the embed's address (the timeout only ends a hung run).
        frame = frame_element.element_handle().content_frame()
        frame.wait_for_url(src, timeout=120_000)
        frame.wait_for_load_state()
        visible = frame.evaluate("() => ({width: innerWidth, height: innerHeight})")
        # What the frame shows without scrolling inside it: the last link (more events) is in view.
        links = frame.evaluate("""() => [...document.querySelectorAll('a')].map(a => {
            const r = a.getBoundingClientRect();
            return {text: a.innerText.trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right};
        })""")
        more = links[-1]
        assert more["text"] == "更多活动"
        # a list no script can age says how old it is (it stays cached on the host's page for days)
        updated = frame.evaluate("document.querySelector('.embed-more').innerText")
        built = date.fromisoformat(SAMPLE_BUILD_DATE)
        assert f"{built.month}月{built.day}日" in updated and "更新" in updated
        assert more["top"] >= 0 and more["bottom"] <= visible["height"], (more, visible)
        assert more["left"] >= 0 and more["right"] <= visible["width"], (more, visible)
        assert frame.evaluate("document.documentElement.scrollWidth") <= visible["width"]
        # Every listed event can still be reached inside the frame.
        last_event = frame.locator(".embed-list li a").last
        last_event.scroll_into_view_if_needed()
        box = last_event.evaluate("a => { const r = a.getBoundingClientRect(); return [r.top, r.bottom]; }")
        assert box[0] >= 0 and box[1] <= visible["height"]
        again = frame.evaluate("() => { const r = [...document.querySelectorAll('a')].pop().getBoundingClientRect();"
                               " return [r.top, r.bottom]; }")
        assert again[0] >= 0 and again[1] <= visible["height"]
    finally:
        page.close()
        server.shutdown()


def test_every_team_and_audience_page_offers_its_embed(public_site) -> None:
    output, base = public_site
    for kind in ("teams", "audiences"):
        idents = sorted(p.parent.name for p in (output / kind).glob("*/index.html"))
        assert idents
        for ident in idents:
            code = _embed_code((output / kind / ident / "index.html").read_text("utf-8"))
            assert f'<iframe src="{base}/embed/{kind}/{ident}/"' in code
            embed = (output / "embed" / kind / ident / "index.html").read_text("utf-8")
            assert '<base target="_blank">' in embed and "<script" not in embed
            upcoming = re.findall(r'class="card-title"><a href="([^"]+)"',
                                  (output / kind / ident / "index.html").read_text("utf-8"))
            listed = re.findall(r'<li [^>]*><a href="([^"]+)"', embed)
            assert [u.replace(base, "") for u in listed] == [u.replace(base, "") for u in upcoming][:len(listed)]


# 7. 项 and 场次: one definition, rows that reconcile.

def _figures(html: str) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    keys = {k: int(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(\d+)", html)}
    block = re.search(r'<figure class="chart-figure" id="streets">(.*?)</figure>', html, re.DOTALL)[1]
    rows = {label: (int(events), int(sessions)) for label, events, sessions in re.findall(
        r'<tr><th scope="row">(?:<a [^>]+>)?(.*?)(?:</a>)?</th><td>(\d+)</td><td>(\d+)</td>', block)}
    return keys, rows


def test_sessions_never_fewer_than_events_and_streets_add_up(public_site) -> None:
    output, _ = public_site
    pages = sorted(output.glob("stats/**/index.html"))
    assert len(pages) >= 3
    for page in pages:
        keys, rows = _figures(page.read_text("utf-8"))
        assert rows, page
        for label, (events, sessions) in rows.items():
            assert sessions >= events, (page.parent.name, label, events, sessions)
        assert sum(e for e, _ in rows.values()) == keys["活动"], page.parent.name
        assert sum(s for _, s in rows.values()) == keys["场次"], page.parent.name
        assert keys["场次"] >= keys["活动"]
    _, year_rows = _figures((output / "stats" / str(BUILD.year) / "index.html").read_text("utf-8"))
    checked = 0
    for street in sorted((output / "streets").glob("*/index.html")):
        html = street.read_text("utf-8")
        name = re.search(r"<h1>(.*?)</h1>", html)[1]
        block = re.search(r'<section class="street-figures".*?</section>', html, re.DOTALL)[0]
        events = int(re.search(r"<dt>活动</dt><dd>(\d+) 项</dd>", block)[1])
        sessions = int(re.search(r"<dt>场次</dt><dd>(\d+) 场</dd>", block)[1])
        assert (events, sessions) == year_rows.get(name, (0, 0)), name  # the same count as /stats/
        checked += 1
    assert checked >= 20
    assert year_rows["海滨街道"][1] >= year_rows["海滨街道"][0]


def test_month_calendars_count_sessions_as_the_figures_do(public_site) -> None:
    """共 N 场 on a month calendar is the 场次 of that month on /stats/<year>/: one definition
    (a multi-day event counts on its first day only, a cancelled one not at all)."""
    output, _ = public_site
    stats = (output / "stats" / str(BUILD.year) / "index.html").read_text("utf-8")
    compared = 0
    for month, sessions in re.findall(r"<th scope=\"row\">(\d{1,2})月</th><td>(\d+)</td>", stats):
        page = output / "calendar" / str(BUILD.year) / f"{int(month):02d}" / "index.html"
        if page.is_file():
            caption = re.search(r"共 (\d+) 场", page.read_text("utf-8"))
            assert caption and int(caption[1]) == int(sessions), (month, caption and caption[1], sessions)
            compared += 1
    assert compared >= 2


def test_a_day_page_accounts_for_every_line_it_lists(public_site) -> None:
    """共 N 场 counts sessions as the figures do (a multi-day event on its first day, a cancelled one
    not at all), so a day page that lists more lines says what the others are: the days of an
    event already under way, the cancelled sessions and those moved from that day to another (the
    earlier poster named the day). 共 0 场 above one listed event misled."""
    output, _ = public_site
    pages = sorted((output / "calendar").glob("20*/*/*/index.html"))
    assert len(pages) > 50
    explained = moved = 0
    for page in pages:
        html = page.read_text("utf-8")
        lead = re.sub(r"<[^>]+>", "", re.search(r'<p class="lead">(.*?)</p>', html)[1])
        said = re.fullmatch(r"共 (\d+) 场活动(?:，其中 \d+ 场延期待定)?(?:（(?:另有 (\d+) 项跨天的活动在进行)?、?(?:(\d+) 场已取消)?、?"
                            r"(?:(\d+) 场已改到别的日子)?）)?，按街镇排列。", lead)
        assert said, (page, lead)
        listed = html.count('<li class="ev ')
        assert sum(int(n or 0) for n in said.groups()) == listed, (page.relative_to(output), lead, listed)
        assert said[4] is None or int(said[4]) == html.count("已改期至 "), (page.relative_to(output), lead)
        explained += bool(said[2] or said[3])
        moved += int(said[4] or 0)
    assert explained >= 5  # the sample has multi-day events and cancelled sessions
    assert moved >= 2  # and events and sessions moved to another day


@pytest.mark.parametrize("width", [390, 1280])
def test_calendar_event_links_are_big_enough_to_tap(public_site, browser, width: int) -> None:
    """Every event on a month calendar is a target at least 24 px tall (WCAG 2.5.8), in normal
    text too: 19-px lines were hard to hit for a finger or an unsteady hand."""
    _, base = public_site
    page = _page(browser, width=width)
    try:
        page.goto(f"{base}/calendar/2026/12/")
        heights = page.evaluate("""() => [...document.querySelectorAll('.month-grid .day-items a')]
            .map(a => a.getBoundingClientRect()).filter(r => r.width > 0).map(r => Math.round(r.height))""")
        assert len(heights) >= 10
        assert min(heights) >= 24, sorted(heights)[:10]
    finally:
        page.close()
