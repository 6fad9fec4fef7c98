"""The public site as residents, search engines and auditors meet it: Lighthouse, axe-core,
the Nu HTML Checker, structured data, page weight, filters, search, large text, print."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from conftest import ARTIFACTS, ROOT, require, run_build
from kepu.formats.finder import rows
from webtools import (
    axe,
    axe_available,
    failing_audits,
    lighthouse,
    lighthouse_available,
    link_titles,
    vnu_available,
    vnu_errors,
)

pytestmark = pytest.mark.build
ZONE = ZoneInfo("Asia/Shanghai")
PAGES = {
    "home": "/",
    "event": "/events/zhoumo-kexue-tongxuehui-qiudong/",
    "street": "/streets/hujiayuan/",
    "month": "/calendar/2026/12/",
    "search": "/search/",
}
SITE_SCRIPTS = ("site.js", "filters.js", "search.js")


def event_pages(output: Path) -> list[Path]:
    return sorted(p for p in (output / "events").glob("*/index.html") if p.parent.name not in ("past", "page"))


def jsonld(html: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]


# ------------------------------------------------------------------ auditors

@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_scores_at_least_95(public_site, name: str) -> None:
    """Accessibility, best practices and SEO; never performance, a timing that varies with the
    machine's load (webtools.QUALITY_CATEGORIES)."""
    require(lighthouse_available(), "npm lighthouse and Debian's chromium (make test installs both)")
    _, base = public_site
    report = ARTIFACTS / "lighthouse" / f"{name}.json"
    scores = lighthouse(base + PAGES[name], report)
    assert set(scores) == {"accessibility", "best-practices", "seo"}
    low = {k: v for k, v in scores.items() if v is None or v < 0.95}
    assert not low, (low, failing_audits(report))


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag22_aa_violations(public_site, browser, name: str, width: int) -> None:
    require(axe_available(), "npm axe-core (make test runs npm ci)")
    _, base = public_site
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + PAGES[name] + ("?q=科普" if name == "search" else ""))
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    page.close()
    assert violations == []


def test_nu_html_checker_finds_no_errors(public_site) -> None:
    require(vnu_available(), "npm vnu-jar and Java")
    output, _ = public_site
    assert vnu_errors(output) == []


# ------------------------------------------------------------------ machines

def test_every_event_page_has_valid_event_json_ld(public_site) -> None:
    output, base = public_site
    statuses, rescheduled = set(), {}
    for page in event_pages(output):
        blocks = jsonld(page.read_text("utf-8"))
        assert len(blocks) == 1, page
        data = blocks[0]
        assert data["@type"] == "Event" and data["name"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+08:00)?", data["startDate"]), data["startDate"]
        assert data["endDate"] >= data["startDate"]
        locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
        for location in locations:
            if location["@type"] == "Place":
                assert location["address"]["@type"] == "PostalAddress" and location["address"]["addressCountry"] == "CN"
            else:
                assert location["@type"] == "VirtualLocation" and location["url"].startswith("http")
        assert data["eventAttendanceMode"].startswith("https://schema.org/")
        assert data["image"][0].startswith(base) and data["url"] == f"{base}/events/{page.parent.name}/"
        assert data["organizer"]["@type"] == "Organization"
        if data.get("isAccessibleForFree"):
            assert data["offers"]["price"] == 0 and data["offers"]["priceCurrency"] == "CNY"
        if data["eventStatus"].endswith("EventRescheduled"):
            assert data["previousStartDate"] != data["startDate"], page
            rescheduled[page.parent.name] = data["previousStartDate"]
        else:
            assert "previousStartDate" not in data, page
        statuses.add(data["eventStatus"].rsplit("/", 1)[1])
    assert statuses == {"EventScheduled", "EventCancelled", "EventRescheduled"}
    assert rescheduled == moved_events(ROOT / "content" / "events")  # each one, with its old date


def moved_events(events: Path) -> dict[str, str]:
    """Slug -> the original start (previous_start, as ISO 8601 in Beijing time) of every
    sample event postponed to a known new date."""
    found = {}
    for path in events.rglob("*.md"):
        text = path.read_text("utf-8")
        when = re.search(r"^previous_start: (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$", text, re.MULTILINE)
        if when and re.search(r"^status: postponed$", text, re.MULTILINE):
            found[path.stem] = f"{when[1]}T{when[2]}:00+08:00"
    assert found, "the sample has no rescheduled event"
    return found


@pytest.mark.parametrize(("status", "said"), [("postponed", "原定 2026年12月5日（周六）09:00–16:00 暂不举办"),
                                             ("cancelled", "本活动已取消。")])
def test_an_event_called_or_put_off_is_not_said_to_be_over_after_its_day(
        mini_site: Path, tmp_path: Path, status: str, said: str) -> None:
    """Put off with no new date yet (or called off), seen after its day: the page said both
    已延期（新时间待定）…暂不举办 and 本活动已结束, as if it had taken place."""
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace("featured: true", f"status: {status}\nstatus_note: 因场地维修"),
                     "utf-8")
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date="2026-12-10")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (output / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8")
    assert said in html and "本活动已结束" not in html


def test_script_breakout_in_a_title_stays_inside_json_ld(mini_site: Path, tmp_path: Path) -> None:
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    hostile = "</script><script>alert(1)</script><!--"
    event.write_text(event.read_text("utf-8").replace("title: 流动科技馆进社区", f'title: "{hostile}"'), "utf-8")
    output = tmp_path / "out"
    assert run_build(mini_site / "content", output).returncode == 0
    html = (output / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8")
    assert jsonld(html)[0]["name"] == hostile
    assert "<script>alert(1)" not in html


def test_share_metadata_canonical_sitemap_robots_and_404(public_site) -> None:
    output, base = public_site
    html = (output / "events" / "zhoumo-kexue-tongxuehui-qiudong" / "index.html").read_text("utf-8")
    canonical = f"{base}/events/zhoumo-kexue-tongxuehui-qiudong/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html)[1]
    assert image.startswith(base) and (output / image[len(base) + 1:]).is_file()
    assert re.search(r'<meta property="og:title" content="周末科学同学会', html)
    assert '<meta itemprop="image"' in html
    sitemap = ElementTree.parse(output / "sitemap.xml").getroot()
    locs = {el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {f"{base}/{p.relative_to(output).as_posix()}".removesuffix("index.html")
             for p in output.rglob("*.html") if p.name != "404.html" and "admin" not in p.parts}
    assert locs == pages
    assert f"Sitemap: {base}/sitemap.xml" in (output / "robots.txt").read_text("utf-8")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base}/no-such-page/")
    assert missing.value.code == 404 and "页面不存在" in missing.value.read().decode("utf-8")


def test_event_pages_load_nothing_blocking_or_foreign(public_site) -> None:
    """Scripts are deferred and everything loaded comes from the site itself (the pages' weight
    is measured by bench/, bench.run.page_weight, not asserted here: rule 3)."""
    output, base = public_site
    pages = event_pages(output)
    assert len(pages) > 50, len(pages)
    for page in [*pages, output / "index.html"]:
        html = page.read_text("utf-8")
        scripts = re.findall(r"<script\b([^>]*)>", html)
        for attributes in scripts:
            if "src=" in attributes:
                assert " defer" in attributes or " async" in attributes, (page, attributes)
        loaded = re.findall(r'<(?:link[^>]*rel="(?:stylesheet|icon|apple-touch-icon|preload)"[^>]*href|'
                            r'script[^>]*src|img[^>]*src|iframe[^>]*src|source[^>]*src)="([^"]+)"', html)
        assert loaded and all(url.startswith(("/", base)) for url in loaded), (page, loaded)


def test_filter_index_holds_every_upcoming_event(public_site) -> None:
    output, _ = public_site
    data = rows(json.loads((output / "events" / "filter.json").read_text("utf-8")))
    listed = []
    for page in [output / "events" / "index.html", *sorted((output / "events" / "page").glob("*/index.html"))]:
        listed += re.findall(r'<h3 class="card-title"><a href="[^"]*/events/([a-z0-9-]+)/"', page.read_text("utf-8"))
    assert [e["url"].split("/")[1] for e in data] == listed and len(listed) >= 50
    assert all(b >= "2026-12-01" for e in data for _, b in e["dates"])


# ------------------------------------------------------------------ in a browser

def _window(state: dict, today: date) -> tuple[date, date]:
    """The days a 时间 choice means, written again in Python."""
    sunday = today + timedelta(days=6 - today.weekday())
    return {"today": (today, today), "tomorrow": (today + timedelta(days=1),) * 2, "week": (today, sunday),
            "weekend": (max(today, sunday - timedelta(days=1)), sunday),
            "nextweek": (sunday + timedelta(days=1), sunday + timedelta(days=7)),
            "month": (today, (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)),
            }.get(state.get("when", ""), (today, date(2100, 1, 1)))


def _expected(data: dict, state: dict, now: datetime) -> list[str]:
    """The filter semantics, written again in Python: the events with a session in the window,
    by the day and start time of the session each card shows (the first not over, else the first;
    an all-day one first on its day), then as listed."""
    low, high = _window(state, now.date())
    found = []
    for order, e in enumerate(data["events"]):
        if state.get("street") and e["street"] != state["street"]:
            continue
        if state.get("category") and state["category"] not in e["categories"]:
            continue
        if state.get("free") and not e["free"]:
            continue
        within = [s for s in e["sessions"] if date.fromisoformat(s["first"]) <= high
                  and date.fromisoformat(s["last"]) >= low]
        if within:
            shown = next((s for s in within if datetime.fromisoformat(s["ends"]) > now), within[0])
            clock = re.search(r"）(\d\d:\d\d)", shown["when"])
            found.append((shown["first"], clock[1] if clock else "", order, e["title"]))
    return [title for *_, title in sorted(found)]


@pytest.mark.parametrize("state", [
    {"street": "hujiayuan"},
    {"when": "weekend"},
    {"when": "today"},
    {"when": "tomorrow"},
    {"when": "nextweek"},
    {"category": "zhulao-kepu", "when": "month"},
    {"when": "week", "free": "1"},
])
def test_filters_narrow_the_list_like_their_definition(public_site, browser, state: dict) -> None:
    output, base = public_site
    data = {"events": rows(json.loads((output / "events" / "filter.json").read_text("utf-8")))}
    page = browser.new_page()
    page.clock.set_fixed_time(datetime(2026, 12, 2, 10, tzinfo=ZONE))  # a Wednesday
    query = "&".join(f"{k}={v}" for k, v in state.items())
    page.goto(f"{base}/events/?{query}")
    page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
    got = link_titles(page.locator("#results .card-title a"))
    page.close()
    expected = _expected(data, state, datetime(2026, 12, 2, 10, tzinfo=ZONE))
    assert got == expected and expected, state


_FIRST_DAY = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_LAST_DAY = re.compile(r"至\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


def _days_of(when: str) -> tuple[date, date]:
    """The first and last day a card's time names (2026年12月5日（周六）至12月6日（周日））."""
    year, month, day = (int(n) for n in _FIRST_DAY.search(when).groups())
    first = date(year, month, day)
    last = _LAST_DAY.search(when)
    return first, (date(int(last[1] or year), int(last[2]), int(last[3])) if last else first)


@pytest.mark.parametrize("moment, state", [
    (datetime(2026, 12, 2, 10, tzinfo=ZONE), {"when": "weekend"}),
    (datetime(2026, 12, 8, 10, tzinfo=ZONE), {"when": "today"}),  # a week after the build
    (datetime(2026, 12, 15, 10, tzinfo=ZONE), {"when": "week"}),
    (datetime(2026, 12, 9, 10, tzinfo=ZONE), {}),  # any time: from the reader's today on
    (datetime(2026, 12, 5, 17, tzinfo=ZONE), {"when": "weekend"}),  # Saturday's sessions over, Sunday's to come
    (datetime(2026, 12, 1, 12, tzinfo=ZONE), {"when": "month"}),  # this morning's class over: next Tuesday's
    (datetime(2026, 12, 4, 22, tzinfo=ZONE), {"when": "tomorrow"}),  # Friday night: Saturday's, by the reader's clock
], ids=["weekend", "today-a-week-later", "next-week", "any-time", "saturday-evening", "month-at-noon",
        "tomorrow-on-friday-night"])
def test_a_filtered_card_shows_the_session_the_filter_found(public_site, browser, moment, state) -> None:
    """A weekly series found for 今天 or 周末 shows that day's session, not the one next at the build
    (the audit's 银龄智能手机课堂, shown as 12月1日 … 这一场已结束 under 今天 on 8 Dec); a session in
    the window that is over gives way to a later one there; cards go by the day they show."""
    output, base = public_site
    data = rows(json.loads((output / "events" / "filter.json").read_text("utf-8")))
    page = browser.new_page()
    page.clock.set_fixed_time(moment)
    query = "&".join(f"{k}={v}" for k, v in {**state, "free": "1"}.items())  # a query draws the cards
    page.goto(f"{base}/events/?{query}")
    page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
    while page.locator("button.filter-more").is_visible():
        page.locator("button.filter-more").click()
    cards = page.locator("#results article.card")
    found = {link_titles(cards.nth(i).locator(".card-title a"))[0]: cards.nth(i).locator(".when").inner_text()
             for i in range(cards.count())}
    page.close()
    low, high = _window(state, moment.date())
    assert found and all(not (_days_of(when)[0] > high or _days_of(when)[1] < low) for when in found.values()), found
    days = [_days_of(when)[0] for when in found.values()]
    assert days == sorted(days), found
    for title, when in found.items():  # the first session held in the window not over, else the first
        within = [s for s in next(e for e in data if e["title"] == title)["sessions"]  # held there, else the
                  if date.fromisoformat(s["first"]) <= high and date.fromisoformat(s["last"]) >= low]  # cancelled
        held = [s for s in within if not s["cancelled"]]
        off = [s for s in within if s["cancelled"] and datetime.fromisoformat(s["ends"]) > moment]
        shown = next((s for s in held if datetime.fromisoformat(s["ends"]) > moment), held[0] if held else off[0])
        assert when.startswith(shown["when"]), (title, when, shown)
    if state == {"when": "today"}:
        assert "2026年12月8日（周二）" in next(w for t, w in found.items() if t.startswith("银龄智能手机课堂"))


def test_filter_state_round_trips_through_the_url(public_site, browser) -> None:
    _, base = public_site
    page = browser.new_page()
    page.clock.set_fixed_time(datetime(2026, 12, 2, 10, tzinfo=ZONE))
    page.goto(f"{base}/events/")
    page.wait_for_selector("#filters:not([hidden])")
    page.locator("#filters summary", has_text="类型").click()
    page.check("input[name=category][value=qingshaonian-kechuang]")
    page.check("input[name=when][value=month]")
    page.wait_for_function("location.search.includes('when=month')")
    url, first = page.url, page.locator("#results h2").all_inner_texts()
    assert "category=qingshaonian-kechuang" in url and first
    page.goto(url)
    page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
    assert page.locator("input[name=category][value=qingshaonian-kechuang]").is_checked()
    assert page.locator("input[name=when][value=month]").is_checked()
    assert page.locator("#results h2").all_inner_texts() == first
    page.close()


def test_search_results_say_when_and_where(public_site, browser) -> None:
    """Each result names its date with the weekday and its street (or 新闻动态), as the event page does."""
    output, base = public_site
    page = browser.new_page()
    page.goto(f"{base}/search/?q=机器人")
    page.get_by_role("status").get_by_text("找到").wait_for()
    links = page.eval_on_selector_all("#search-results h2 a", "as => as.map(a => a.pathname)")
    metas = page.locator("#search-results p.when").all_inner_texts()
    page.close()
    assert links and len(metas) == len(links)
    for link, meta in zip(links, metas, strict=True):
        html = (output / link.lstrip("/") / "index.html").read_text("utf-8")
        day = re.search(r"\d{4}年\d{1,2}月\d{1,2}日（周[一二三四五六日]）", meta)
        assert day and day.group() in html, (link, meta)
        assert meta.rsplit(" · ", 1)[-1] in html, (link, meta)


def test_large_text_toggle_persists_across_pages(public_site, browser) -> None:
    _, base = public_site
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/")
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")  # noqa: E731
    normal = size()
    page.click("button.text-size")
    assert page.get_attribute("button.text-size", "aria-pressed") == "true" and size() > normal * 1.15
    page.goto(f"{base}/streets/hujiayuan/")
    assert page.evaluate("document.documentElement.classList.contains('large-text')") and size() > normal * 1.15
    assert page.get_attribute("button.text-size", "aria-pressed") == "true"
    page.click("button.text-size")
    page.goto(f"{base}/events/")
    assert size() == normal
    context.close()


def test_pages_load_nothing_from_other_hosts_and_log_no_errors(public_site, browser) -> None:
    _, base = public_site
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in PAGES.values():
        page.goto(base + path + ("?q=科普" if path == "/search/" else ""))
        page.wait_for_load_state("networkidle")
    page.close()
    assert [url for url in requests if not url.startswith(base)] == []
    assert errors == []


def test_phone_screenshots(public_site, browser) -> None:
    _, base = public_site
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    for name in ("home", "event", "street", "month"):
        page.goto(base + PAGES[name])
        path = ARTIFACTS / f"phone-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 20_000
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.close()


def test_printed_event_page_is_a_poster_with_a_working_qr_code(public_site, browser, tmp_path: Path) -> None:
    import zxingcpp
    from PIL import Image

    _, base = public_site
    page = browser.new_page(viewport={"width": 800, "height": 1100})
    page.goto(base + PAGES["event"])
    page.emulate_media(media="print")
    assert page.is_visible(".poster-code svg") and not page.is_visible(".site-header nav")
    page.locator(".poster-code").screenshot(path=str(tmp_path / "poster.png"))
    page.close()
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "poster.png"))
    assert [c.text for c in codes] == [base + PAGES["event"]]
