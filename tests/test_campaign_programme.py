"""A campaign week as residents use it: the day-by-day programme across all streets, filtered by
street, category and audience (with and without JavaScript), its figures, the printed programme,
and the campaign's calendar files; and how an event joins a campaign without naming it."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
import recurring_ical_events
from icalendar import Calendar
from test_entities import CAMPAIGNS, EVENT, EVENT_PATH, check_lines, with_registries

from bench.campaign import CAMPAIGN, DAY_BOUND, campaign_start, generate_week, page_weight
from conftest import ROOT, TEST_SITE, require, run_build, serve_directory
from feedtools import (
    event_fronts,
    event_occurrences,
    icaljs,
    libical_available,
    libical_occurrences,
    lint,
    node_available,
    python_occurrences,
    stamp_text,
)
from webtools import axe, axe_available, vnu_available, vnu_errors

ZONE = ZoneInfo("Asia/Shanghai")
BUILD_DATE = date(2026, 12, 1)
WEEK = [campaign_start(BUILD_DATE) + timedelta(days=n) for n in range(7)]
EVENTS = 300
ROWS = 30  # sessions per day page in this build: a day of the week takes several pages
FEED_BYTES = 150_000  # the campaign's calendar file limit in this build: it is cut by day
ROW = re.compile(r'<li data-street="([^"]+)" data-category="([^"]*)" data-audience="([^"]*)"[^>]*>'
                 r'<span class="t">[^<]*</span> <a href="/events/([^/]+)/">')


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 300-event campaign week (bench.campaign's corpus, small), built with short day pages and a
    small calendar file limit so that both are cut; returns (content, output)."""
    work = tmp_path_factory.mktemp("campaign")
    content = generate_week(work, EVENTS, seed=7, build_date=BUILD_DATE)
    settings = work / "weekconf.py"
    settings.write_text(f"from pelicanconf import *  # noqa: F403\nCAMPAIGN_DAY_ROWS = {ROWS}\n"
                        f"FEED_MAX_BYTES = {FEED_BYTES}\n", "utf-8")
    output = work / "output"
    result = run_build(content, output, settings=settings)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return content, output


def _days_of(start: date | datetime, end: date | datetime) -> tuple[date, date]:
    if isinstance(start, datetime):
        last = end.astimezone(ZONE)
        first = start.astimezone(ZONE).date()
        return first, (last.date() - timedelta(days=1) if last.time() == datetime.min.time() and last.date() > first
                       else last.date())
    return start, end - timedelta(days=1)


@pytest.fixture(scope="module")
def oracle(week: tuple[Path, Path]) -> dict[date, dict[str, dict]]:
    """Each day of the week: the events with a session on it, read from the files on their own
    (front matter, and occurrences as recurring-ical-events expands the event's calendar data)."""
    content, output = week
    fronts = event_fronts(content)
    found: dict[date, dict[str, dict]] = defaultdict(dict)
    for slug, front in fronts.items():
        for occurrence in event_occurrences(output, slug, WEEK[-1] + timedelta(days=1)):
            first, last = _days_of(occurrence["DTSTART"].dt, occurrence["DTEND"].dt)
            for day in WEEK:
                if first <= day <= last:
                    found[day][slug] = front
    return found


def _pages(output: Path, url: str) -> list[str]:
    """A view's pages, following its 下一页 links."""
    texts = []
    while url:
        text = (output / url.strip("/") / "index.html").read_text("utf-8")
        texts.append(text)
        found = re.search(r'<a rel="next" href="/([^"]+)">下一页', text)
        url = found[1] if found else ""
    return texts


def _rows(texts: list[str]) -> list[tuple[str, str, str, str]]:
    return [row for text in texts for row in ROW.findall(text)]


def test_each_day_page_holds_exactly_that_days_sessions_by_time(week, oracle) -> None:
    """A resident opens the campaign and picks a day: every session held that day across all
    streets, and nothing else, in the order of the day (全天 first, then by the clock), over pages
    of at most 30 sessions."""
    _, output = week
    campaign = (output / "campaigns" / CAMPAIGN / "index.html").read_text("utf-8")
    for day in WEEK:
        assert f'href="/campaigns/{CAMPAIGN}/{day.isoformat()}/"' in campaign
        texts = _pages(output, f"campaigns/{CAMPAIGN}/{day.isoformat()}/")
        rows = _rows(texts)
        assert sorted(slug for *_, slug in rows) == sorted(oracle[day]), day
        assert len(texts) == -(-len(oracle[day]) // ROWS) and all(len(ROW.findall(t)) <= ROWS for t in texts)
        slots = [s for text in texts for s in re.findall(r'<h2 class="slot">([^<]+)</h2>', text)]
        clock = [s for s in slots if s != "全天"]
        assert clock == sorted(clock) and slots[:len(slots) - len(clock)] == ["全天"] * (len(slots) - len(clock))
        lead = re.search(r'<p class="lead">.*?</p>', texts[0], re.DOTALL)[0]
        said = re.search(r"本日全区共 (\d+) 场活动(?:（(?:另有 (\d+) 项跨天的活动在进行)?、?(?:(\d+) 场已取消)?）)?[，。]",
                         lead)
        assert said, lead  # every line listed: a session starting that day, one under way, one cancelled
        assert sum(int(n or 0) for n in said.groups()) == len(oracle[day]), lead


def test_a_day_by_street_category_or_audience_is_a_plain_link(week, oracle) -> None:
    """Without JavaScript: the day page links the day's sessions in each street, category and
    audience; each such page lists exactly those."""
    _, output = week
    day = WEEK[2]
    page = (output / "campaigns" / CAMPAIGN / day.isoformat() / "index.html").read_text("utf-8")
    checked = 0
    for group, field in (("streets", "street"), ("categories", "categories"), ("audiences", "audiences")):
        ids = sorted({i for front in oracle[day].values() for i in _ids(front, field)})
        for ident in ids:
            url = f"campaigns/{CAMPAIGN}/{day.isoformat()}/{group}/{ident}/"
            assert f'<a href="/{url}"' in page, url
            expected = sorted(slug for slug, front in oracle[day].items() if ident in _ids(front, field))
            assert sorted(slug for *_, slug in _rows(_pages(output, url))) == expected, url
            checked += 1
    assert checked > 20


def _ids(front: dict, field: str) -> list[str]:
    value = front[field]
    return [value] if isinstance(value, str) else value


def _figures(content: Path, output: Path, oracle: dict[date, dict[str, dict]]) -> dict[str, list[int]]:
    """项, 场次 and 人次 per street (and "" for all): sessions in the week (one begun the evening
    before too); a cancelled event is not counted (as on the year's figures); an event's people only
    when all its sessions are in the week (a series' whole season cannot be split)."""
    fronts = event_fronts(content)
    figures: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for slug in sorted({s for day in oracle.values() for s in day}):
        every = [_days_of(o["DTSTART"].dt, o["DTEND"].dt)
                 for o in event_occurrences(output, slug, WEEK[-1] + timedelta(days=800))]
        starts = [days for days in every if days[0] <= WEEK[-1] and days[1] >= WEEK[0]]
        if fronts[slug].get("status") == "cancelled" or not starts:
            continue
        for key in ("", fronts[slug]["street"]):
            figures[key][0] += 1
            figures[key][1] += len(starts)
            figures[key][2] += int(fronts[slug].get("attendance", 0)) if len(starts) == len(every) else 0
    return figures


def test_the_campaign_page_gives_running_figures_and_a_table_by_street(week, oracle) -> None:
    content, output = week
    figures = _figures(content, output, oracle)
    page = (output / "campaigns" / CAMPAIGN / "index.html").read_text("utf-8")
    events, sessions, people = figures[""]
    assert people > 0 and sessions >= events > 0
    assert (f"<strong>{events}</strong> 项 · <strong>{sessions}</strong> 场次 · <strong>{people}</strong> 人次"
            in page)
    table = page[page.index('<section class="campaign-streets"'):]
    names = dict(re.findall(r"- id: (\S+)\n  name: (\S+)", (content / "data" / "streets.yml").read_text("utf-8")))
    shown = {name: [int(n), int(m), int(k) if k != "—" else 0] for name, n, m, k in re.findall(
        r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th><td>(\d+)</td><td>(\d+)</td><td>([\d—]+)</td></tr>',
        table)}
    assert shown == {names[street]: values for street, values in figures.items() if street}


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_calendar_cut_to_its_size_says_so_where_people_subscribe(week) -> None:
    """The subscriber audit: with the district's calendar over the size limit, the file kept only
    the events to come up to a day (and none that had ended), while its subscribe page promised
    结束超过 90 天的活动才移除 and /subscribe/ 最近 90 天内结束的活动和今后的活动: a subscriber saw
    later events and those just attended vanish with no word."""
    _, output = week
    calendar = Calendar.from_ical((output / "feeds" / "all.ics").read_bytes())
    said = str(calendar["X-WR-CALDESC"])
    cut = re.search(r"包含截至(\d{4}年\d{1,2}月\d{1,2}日)（周.）的活动，共 \d+ 项；为使文件小于 150 KB，更晚的 (\d+) 项未列入", said)
    assert cut, said  # the premise: this build's limit cuts the district's calendar
    page = _words((output / "subscribe" / "all" / "index.html").read_text("utf-8"))
    assert f"只收录截至{cut[1]}" in page and f"更晚的 {cut[2]} 项" in page, page[:3000]
    assert "结束超过 90 天的活动会从订阅的日历里移除" not in page
    index = _words((output / "subscribe" / "index.html").read_text("utf-8"))
    assert re.search(r"活动太多的日历只收录临近的活动：[^。]*全区全部活动（截至" + cut[1], index), index[:4000]
    # One whose events to come fit but not all those ended in the last 90 days says from when it keeps them.
    kept = 0
    for path in sorted((output / "subscribe").glob("*/*/index.html")):
        html = path.read_text("utf-8")
        since = re.search(r"只保留(\d{4}年\d{1,2}月\d{1,2}日)（周.）以来结束的活动", _words(html))
        if since:
            feed = re.search(r'href="webcal://[^/]+/(feeds/[^"]+\.ics)"', html)[1]
            said = str(Calendar.from_ical((output / feed).read_bytes())["X-WR-CALDESC"])
            assert f"包含{since[1]}" in said and "以来结束的活动和今后的全部活动" in said, (feed, said)
            kept += 1
    assert kept, "the premise: some team's calendar keeps fewer ended events"
    # A calendar that is not cut keeps its promise.
    street = next(p for p in sorted((output / "subscribe" / "streets").glob("*/index.html")))
    assert "结束超过 90 天的活动会从订阅的日历里移除" in _words(street.read_text("utf-8"))


def test_the_main_venue_event_is_highlighted(week) -> None:
    content, output = week
    main = re.search(r"main_event: (\S+)", (content / "data" / "campaigns.yml").read_text("utf-8")
                     .split(f"id: {CAMPAIGN}")[1])[1]
    title = event_fronts(content)[main]["title"]
    page = (output / "campaigns" / CAMPAIGN / "index.html").read_text("utf-8")
    box = re.search(r'<section class="main-event".*?</section>', page, re.DOTALL)[0]
    assert "主场活动" in box and f'<a href="/events/{main}/">{title}</a>' in box
    day = next(d for d in WEEK if main in " ".join(_pages(output, f"campaigns/{CAMPAIGN}/{d.isoformat()}/")))
    rows = " ".join(_pages(output, f"campaigns/{CAMPAIGN}/{day.isoformat()}/"))
    row = re.search(rf'<li [^>]*class="main"><span class="t">[^<]*</span> <a href="/events/{main}/">[^<]*</a> '
                    r'<span class="badge main-badge">主场活动</span>', rows)
    assert row, "the main event's row is not marked"


def test_a_day_page_stays_under_100_kb_with_what_it_loads(week) -> None:
    """What a phone downloads for a day: the HTML, the style sheets and scripts it loads."""
    _, output = week
    for day in WEEK:
        weight = page_weight(output, output / "campaigns" / CAMPAIGN / day.isoformat() / "index.html")
        assert weight.css > 0 and weight.js > 0 and weight.total <= DAY_BOUND, weight


def _campaign_feeds(output: Path) -> list[Path]:
    return sorted((output / "feeds" / "campaigns" / CAMPAIGN).glob("*.ics"))


def _week_items(week: tuple[Path, Path], oracle: dict[date, dict[str, dict]]) -> dict[str, date]:
    """What the campaign's calendar should hold, by UID before the @, with the day it is first listed
    on: a one-off event whole; each session of a series in the week (named by its planned time)."""
    _, output = week
    items: dict[str, date] = {}
    for day in WEEK:
        for slug, front in oracle[day].items():
            if "recurrence" not in front:
                items.setdefault(slug, day)
                continue
            for occurrence in event_occurrences(output, slug, WEEK[-1] + timedelta(days=1)):
                first, last = _days_of(occurrence["DTSTART"].dt, occurrence["DTEND"].dt)
                planned = occurrence.get("RECURRENCE-ID", occurrence["DTSTART"]).dt
                if first <= day <= last:
                    items.setdefault(f"{slug}.{planned.astimezone(ZONE):%Y%m%dT%H%M}", day)
    return items


def test_the_campaigns_calendar_is_cut_by_day_and_the_parts_are_listed(week, oracle) -> None:
    """A resident subscribes: the week's events would not fit in one file under the limit, so the
    campaign page lists one file per day; together they hold every event of the week exactly once,
    and a weekly series its sessions in the week, each on its own day (not its whole season)."""
    _, output = week
    parts = _campaign_feeds(output)
    items = _week_items(week, oracle)
    assert [p.stem for p in parts] == sorted({day.isoformat() for day in items.values()})
    page = (output / "campaigns" / CAMPAIGN / "index.html").read_text("utf-8")
    for part in parts:
        assert f'href="/feeds/campaigns/{CAMPAIGN}/{part.name}"' in page
        assert part.stat().st_size <= FEED_BYTES and lint(part.read_bytes()) == []
        uids = re.findall(r"^UID:([^@\r]+)@", part.read_text("utf-8"), re.MULTILINE)
        assert sorted(uids) == sorted(uid for uid, day in items.items() if day.isoformat() == part.stem)
    assert any("." in uid for uid in items)  # the week has series
    usual = (output / "feeds" / "campaigns" / f"{CAMPAIGN}.ics").read_text("utf-8")  # 订阅: the nearest ones
    held = re.findall(r"^UID:([^@\r]+)@", usual, re.MULTILINE)
    assert held and len(held) == len(set(held)) and set(held) <= set(items)
    subscribe = (output / "subscribe" / "campaigns" / CAMPAIGN / "index.html").read_text("utf-8")
    assert "这个日历只收录临近的活动，全部活动按天分成的日历文件列在" in subscribe


def test_every_part_reads_the_same_in_icaljs_libical_and_python(week) -> None:
    require(node_available(), "node and node_modules/ical.js (make test runs npm ci)")
    require(libical_available(), "Debian's python3-gi and gir1.2-ical-3.0 (make test installs them)")
    _, output = week
    paths = [*_campaign_feeds(output), output / "feeds" / "campaigns" / f"{CAMPAIGN}.ics"]
    span = (WEEK[0] - timedelta(days=30), WEEK[-1] + timedelta(days=200))
    js, lib = icaljs(paths, *span), libical_occurrences(paths, *span)
    compared = 0
    for path in paths:
        py = python_occurrences(path, *span)
        assert sorted((o["uid"], o["start"], o["end"]) for o in js[str(path)]) == py, path.name
        assert sorted(lib[str(path)]) == sorted((uid, start) for uid, start, _ in py), path.name
        compared += len(py)
    assert compared > EVENTS


def test_the_printed_programme_is_a4_with_a_page_per_day(week, browser) -> None:
    """A volunteer prints the week's programme from the campaign page: A4, large type, each day on
    a page of its own."""
    _, output = week
    campaign = (output / "campaigns" / CAMPAIGN / "index.html").read_text("utf-8")
    assert f'<a href="/campaigns/{CAMPAIGN}/print/">打印全部日程（A4）</a>' in campaign
    server, base = serve_directory(output)
    try:
        page = browser.new_page()
        page.goto(f"{base}/campaigns/{CAMPAIGN}/{WEEK[0].isoformat()}/print/")
        page.emulate_media(media="print")
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.programme li')).fontSize)")
        hidden = page.evaluate("getComputedStyle(document.querySelector('.site-header')).display")
        one_day = page.pdf(prefer_css_page_size=True)
        page.goto(f"{base}/campaigns/{CAMPAIGN}/print/")
        whole = page.pdf(prefer_css_page_size=True)
        page.close()
    finally:
        server.shutdown()
    assert size >= 18 and hidden == "none"  # 14pt is 18.7 CSS pixels
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", whole)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 in points
    assert _pdf_pages(whole) >= len(WEEK) + _pdf_pages(one_day) - 1


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def test_a_resident_filters_a_day_by_street_and_category_with_javascript(week, oracle, browser) -> None:
    _, output = week
    day = WEEK[3]
    street, category = next((f["street"], f["categories"][0]) for f in oracle[day].values())
    server, base = serve_directory(output)
    try:
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(f"{base}/campaigns/{CAMPAIGN}/{day.isoformat()}/")
        page.select_option("select[name=street]", street)
        page.select_option("select[name=category]", category)
        page.click(".programme-filter button")
        page.wait_for_url(re.compile(rf"/streets/{street}/\?category={category}$"))
        page.wait_for_load_state("networkidle")
        shown = page.eval_on_selector_all(".programme li:not([hidden]) a", "links => links.map(a => a.pathname)")
        count = page.text_content(".filter-count")
        violations = axe(page) if axe_available() else []
        page.goto(f"{base}/campaigns/{CAMPAIGN}/")
        violations += axe(page) if axe_available() else []  # the campaign page: figures, days, table
        page.close()
    finally:
        server.shutdown()
    expected = sorted(f"/events/{slug}/" for slug, f in oracle[day].items()
                      if f["street"] == street and category in f["categories"])
    assert sorted(shown) == expected
    assert f"本页显示 {len(expected)} 场" in count
    assert violations == []


def test_the_programme_pages_pass_the_nu_html_checker(week, tmp_path: Path) -> None:
    require(vnu_available(), "npm vnu-jar and Java")
    _, output = week
    folder = output / "campaigns" / CAMPAIGN
    pages = [folder / "index.html", folder / "print" / "index.html", folder / WEEK[0].isoformat() / "index.html",
             folder / WEEK[0].isoformat() / "2" / "index.html"]
    for number, page in enumerate(pages):
        shutil.copy(page, tmp_path / f"{number}.html")
    assert vnu_errors(tmp_path) == []


def test_the_samples_campaign_calendar_holds_its_whole_window(sample_output: Path) -> None:
    """The sample's May campaign is more than 90 days past at the build date (when ordinary feeds
    keep only recent events): its own calendar still holds every event of its week."""
    fronts = event_fronts(ROOT / "content")
    listed = {slug for slug, f in fronts.items() if "keji-huodongzhou-2026" in f.get("campaigns", "")}
    text = (sample_output / "feeds" / "campaigns" / "keji-huodongzhou-2026.ics").read_text("utf-8")
    assert set(re.findall(r"^UID:([^@\r]+)@", text, re.MULTILINE)) == listed and len(listed) >= 40
    # Its subscribe page says so (it said past events leave after 90 days, as ordinary feeds do).
    page = (sample_output / "subscribe" / "campaigns" / "keji-huodongzhou-2026" / "index.html").read_text("utf-8")
    lead = re.sub(r"<[^>]+>", "", re.search(r'<p class="lead">(.*?)</p>', page, re.S)[1])
    assert "天的活动会从订阅的日历里移除" not in lead, lead
    assert "2026年滨海新区科技活动周的全部活动，结束以后也留在日历里" in lead, lead


@pytest.mark.parametrize("campaign", ["quanguo-kepuri-2026", "keji-huodongzhou-2026"])
def test_the_days_of_a_campaign_add_up_to_its_sessions(sample_output: Path, campaign: str) -> None:
    """A report writer adds up 每日日程: the main event, open all week, had been counted again on
    each of its days (48 for a campaign of 42 场次). Each day now counts the sessions starting on
    it, and says apart how many events under way continue through it, on both pages."""
    folder = sample_output / "campaigns" / campaign
    html = (folder / "index.html").read_text("utf-8")
    total = int(re.search(r"<strong>(\d+)</strong> 场次", html)[1])
    days = re.findall(r'<li><a href="/campaigns/[^"]+/(\d{4}-\d{2}-\d{2})/">[^<]+</a> <span class="meta">(\d+) 场'
                      r"(?:，另有 (\d+) 项跨天的活动在进行)?</span>", html)
    assert days and sum(int(sessions) for _, sessions, _ in days) == total
    if campaign == "quanguo-kepuri-2026":  # its main event runs from 9月19日 to 9月25日
        assert next(day for day, _, continuing in days if continuing) == "2026-09-20"
    for day, sessions, continuing in days:
        lead = re.search(r'<p class="lead">[^<]*', (folder / day / "index.html").read_text("utf-8"))[0]
        said = f"本日全区共 {sessions} 场活动" + (f"（另有 {continuing} 项跨天的活动在进行）" if continuing else "")
        assert said in lead, (day, lead)


IMPLIED = CAMPAIGNS + "  implied: true\n"


def _implied_site(tmp_path: Path) -> Path:
    """The mini site with 全国科普日 (12/01–12/10) ``implied: true`` and its one-off event not naming it."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    with_registries(site, campaigns=IMPLIED, event=EVENT.replace("campaigns: [kepuri-2026]\n", ""))
    return site


def _implied_build(tmp_path: Path, day: str | None = None) -> Path:
    output = tmp_path / "output"
    result = run_build(_implied_site(tmp_path) / "content", output, **({"build_date": day} if day else {}))
    assert result.returncode == 0, result.stderr[-2000:]
    return output


def test_an_implied_campaign_takes_in_every_event_held_in_its_window(tmp_path: Path) -> None:
    """campaigns.yml ``implied: true``: events held in the window belong to the campaign without
    naming it (a weekly series by its session in the window); events outside do not."""
    output = _implied_build(tmp_path)
    page = (output / "campaigns" / "kepuri-2026" / "index.html").read_text("utf-8")
    for slug in ("xinnong-dongji", "liudong-kejiguan", "zhoumo-tongxuehui"):
        assert f'href="/events/{slug}/"' in page, slug
    for slug in ("kejizhou", "kepu-ri"):
        assert f'href="/events/{slug}/"' not in page, slug
    day = (output / "campaigns" / "kepuri-2026" / "2026-12-05" / "index.html").read_text("utf-8")
    assert sorted(slug for *_, slug in ROW.findall(day)) == ["liudong-kejiguan", "zhoumo-tongxuehui"]
    event = (output / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8")
    assert '<a href="/campaigns/kepuri-2026/">2026年全国科普日</a>' in event
    assert "UID:liudong-kejiguan@" in (output / "feeds" / "campaigns" / "kepuri-2026.ics").read_text("utf-8")


def test_a_day_too_large_for_one_file_is_cut_by_street_then_into_pieces(tmp_path: Path) -> None:
    """With room for about one event per calendar file: the campaign's busiest day (two events in
    one street) is cut by street and then into numbered pieces, a quieter day keeps one file; every
    file is within the limit, listed on the campaign page, and read alike by ical.js and libical."""
    site = _implied_site(tmp_path)
    settings = tmp_path / "tinyconf.py"
    limit = 16 * 1024 + 1300  # HEADER_ROOM and one event (about 900 bytes each here)
    settings.write_text(f"from pelicanconf import *  # noqa: F403\nFEED_MAX_BYTES = {limit}\n", "utf-8")
    output = tmp_path / "output"
    result = run_build(site / "content", output, settings=settings)
    assert result.returncode == 0, result.stderr[-2000:]
    parts = sorted((output / "feeds" / "campaigns" / "kepuri-2026").glob("*.ics"))
    assert [p.stem for p in parts] == ["2026-12-05-xinbei-1", "2026-12-05-xinbei-2", "2026-12-08"]
    page = (output / "campaigns" / "kepuri-2026" / "index.html").read_text("utf-8")
    assert "2026年12月5日（周六） · 新北街道（第 2 部分）" in page
    uids = [u for p in parts for u in re.findall(r"^UID:([^@\r]+)@", p.read_text("utf-8"), re.MULTILINE)]
    assert sorted(uids) == ["liudong-kejiguan", "xinnong-dongji", "zhoumo-tongxuehui.20261205T1400"]
    assert all(p.stat().st_size <= limit and lint(p.read_bytes()) == [] for p in parts)
    assert all(f'href="/feeds/campaigns/kepuri-2026/{p.name}"' in page for p in parts)
    require(node_available() and libical_available(), "ical.js and libical")
    span = (date(2026, 11, 1), date(2027, 3, 1))
    js, lib = icaljs(parts, *span), libical_occurrences(parts, *span)
    for path in parts:
        py = python_occurrences(path, *span)
        assert sorted((o["uid"], o["start"], o["end"]) for o in js[str(path)]) == py, path.name
        assert sorted(lib[str(path)]) == sorted((uid, start) for uid, start, _ in py), path.name


def test_implied_written_other_than_true_or_false_is_refused(mini_site: Path) -> None:
    lines = check_lines(with_registries(mini_site, campaigns=CAMPAIGNS + "  implied: 自动\n"))
    assert ("content/data/campaigns.yml:5: implied: “自动”不是真假值 — "
            "活动期内的全部活动都算这个主题活动时写 implied: true，否则删去这一行") in lines
    assert not [line for line in lines if line.startswith(EVENT_PATH)]


def test_the_year_tables_count_a_campaign_as_its_page_does(tmp_path: Path) -> None:
    """The organiser's audit: with implied: true, the campaign page said 12 项 · 12 场次 and the year's
    table (page, CSV, workbook) 3 · 3, counting only the events naming the campaign; a weekly series
    naming it had all its 8 sessions of the year counted in the table, 1 on the page; and the page
    added a whole season's 人次 of a series that held one session in the week. Both now count the
    sessions held in the window of every event in the campaign, and a series going on outside the
    window adds no 人次 (it records its people as a whole, which cannot be split): it is said apart."""
    from test_site_index import index_for

    from kepu.index.campaigndays import campaign_days
    from kepu.index.stats import figures
    from kepu.index.yearbook import yearbook

    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    with_registries(site, campaigns=IMPLIED, event=EVENT.replace("campaigns: [kepuri-2026]\n", "attendance: 60\n"))
    for path, people in (("xinbei/2026/zhoumo-tongxuehui.md", 120), ("xinbei/2026/liudong-kejiguan.md", 40)):
        event = site / "content" / "events" / path
        event.write_text(event.read_text("utf-8").replace("\n---\n", f"\nattendance: {people}\n---\n", 1), "utf-8")
    index = index_for(date(2026, 12, 20), site)
    campaign = index.registries.campaigns["kepuri-2026"]
    members = [e for e in index.entries if any(c.id == campaign.id for c in e.campaigns)]
    page = campaign_days(campaign, members, index.registries, index.timezone, index.build_date).tally
    line = next(row for row in yearbook(index, figures(index, 2026)).section("campaigns").lines
                if row.key == campaign.id)
    held = [(e.event.slug, o.start) for e in members for o in e.occurrences if not o.cancelled
            and campaign.start <= o.start.date() <= campaign.end]  # the window's sessions, counted by hand
    assert sorted(slug for slug, _ in held) == ["liudong-kejiguan", "xinnong-dongji", "zhoumo-tongxuehui"]
    assert (line.events, line.sessions) == (page.events, page.sessions) == (3, len(held))
    assert line.attendance == page.attendance == 60 + 40  # not the series' 120 of its whole season
    assert page.apart == 1  # the series, said apart


@pytest.mark.build
def test_the_home_page_names_a_campaign_under_way_or_about_to_begin(tmp_path: Path) -> None:
    """The organiser's audit: five days before 全国科普日 and in its middle, the home page never
    mentioned it (its 未来两周 listed the events with no word of the campaign or its programme).
    Built 2026-09-10 and 2026-09-20 it names the campaign, its dates and links its programme; built
    on 2026-12-01, with no campaign near, it names none."""
    for day, shown in (("2026-09-10", True), ("2026-09-20", True), ("2026-12-01", False)):
        output = tmp_path / day
        result = run_build(ROOT / "content", output, build_date=day)
        assert result.returncode == 0, result.stderr[-2000:]
        home = (output / "index.html").read_text("utf-8")
        link = '<a href="/campaigns/quanguo-kepuri-2026/">2026年全国科普日滨海新区活动</a>'
        assert (link in home) is shown, day
        if shown:
            assert "2026年9月15日（周二）至 9月25日（周五）" in home
        assert "keji-huodongzhou-2027/\">" not in home  # next May's week is not near


SERIES_SESSIONS = """\
  sessions:
    - date: 2026-11-28
      start: 2026-12-02 14:00
    - date: 2026-12-12
      status: cancelled
      note: 活动室维修
    - date: 2026-12-19
      start: 2026-12-27 14:00
"""


def _touches(start: datetime, end: datetime, first: date, last: date) -> bool:
    return start.astimezone(ZONE).date() <= last and end.astimezone(ZONE) > datetime.combine(first, datetime.min.time(),
                                                                                         ZONE)


def test_a_series_brings_only_its_sessions_in_the_window_to_the_campaigns_calendar(tmp_path: Path) -> None:
    """The organiser's audit: a weekly series with Saturdays in 全国科普日 put its whole season in the
    campaign's calendar (a subscriber got every Saturday from November to February, about 70 sessions
    outside the week in a real year). The campaign's calendar now holds each of the series' sessions in
    the window as an item of its own — one moved into the window at its new time, a cancelled one as
    cancelled, one moved out at its new time (a subscriber had it) — and nothing else of the series; a
    one-off event keeps its own UID. The oracle is the series' own calendar file, expanded by
    recurring-ical-events, ical.js and libical alike."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    window = CAMPAIGNS.replace("end: 2026-12-10", "end: 2026-12-20") + "  implied: true\n"
    with_registries(site, campaigns=window, event=EVENT.replace("campaigns: [kepuri-2026]\n", ""))
    series = site / "content/events/xinbei/2026/zhoumo-tongxuehui.md"
    series.write_text(series.read_text("utf-8").replace("  rdates: [2027-02-06 14:00]\n",
                                                         "  rdates: [2027-02-06 14:00]\n" + SERIES_SESSIONS), "utf-8")
    output = tmp_path / "output"
    result = run_build(site / "content", output)
    assert result.returncode == 0, result.stderr[-2000:]
    first, last = date(2026, 12, 1), date(2026, 12, 20)
    span = (date(2026, 10, 1), date(2027, 3, 1))
    own = Calendar.from_ical((output / "events" / "zhoumo-tongxuehui.ics").read_bytes())
    expected = sorted((stamp_text(o["DTSTART"].dt), stamp_text(o["DTEND"].dt), str(o.get("STATUS", "CONFIRMED")))
                      for o in recurring_ical_events.of(own).between(*span)
                      if _touches(o["DTSTART"].dt, o["DTEND"].dt, first, last)
                      or ("RECURRENCE-ID" in o and first <= o["RECURRENCE-ID"].dt.astimezone(ZONE).date() <= last))
    assert [start[:10] for start, *_ in expected] == ["2026-12-02", "2026-12-05", "2026-12-12", "2026-12-27"]
    path = output / "feeds" / "campaigns" / "kepuri-2026.ics"
    calendar = Calendar.from_ical(path.read_bytes())
    found = [o for o in recurring_ical_events.of(calendar).between(*span)
             if str(o["UID"]).startswith("zhoumo-tongxuehui")]
    assert sorted((stamp_text(o["DTSTART"].dt), stamp_text(o["DTEND"].dt), str(o.get("STATUS", "CONFIRMED")))
                  for o in found) == expected
    assert len({str(o["UID"]) for o in found}) == len(found) == 4
    summaries = {stamp_text(o["DTSTART"].dt)[:10]: str(o["SUMMARY"]) for o in found}
    assert summaries["2026-12-12"].startswith("【已取消】") and summaries["2026-12-27"].startswith("【已改期】")
    uids = {str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")}
    assert {"xinnong-dongji", "liudong-kejiguan"} <= uids and "zhoumo-tongxuehui" not in uids
    assert lint(path.read_bytes()) == []
    require(node_available() and libical_available(), "ical.js and libical")
    py = python_occurrences(path, *span)
    assert sorted((o["uid"], o["start"], o["end"]) for o in icaljs([path], *span)[str(path)]) == py
    assert sorted(libical_occurrences([path], *span)[str(path)]) == sorted((uid, start) for uid, start, _ in py)


@pytest.mark.parametrize(("day", "listed"), [("2026-11-20", "upcoming"), ("2026-12-07", "past"), ("2026-12-11", "past")])
def test_a_campaigns_lists_show_a_series_by_its_session_in_the_window(tmp_path: Path, day: str, listed: str) -> None:
    """The organiser's audit: a campaign's 近期活动 and its embed listed a weekly series by its next
    session, whatever the window: 周末科学同学会 under 全国科普日 (12/01–12/10) showed 12月12日, after
    the campaign, and stayed in 近期活动 until the series ended in February; before the campaign it
    showed a November Saturday. Its card now shows its session in the window (12月5日), and the
    series goes to 往期 when that session is over, like a one-off event of the campaign."""
    output = _implied_build(tmp_path, day)
    folder = output / "campaigns" / "kepuri-2026"
    pages = {"upcoming": folder / "index.html", "past": folder / "past" / "index.html"}
    shown = {kind: path.read_text("utf-8") for kind, path in pages.items() if path.exists()}
    card = '<a href="/events/zhoumo-tongxuehui/">'
    assert card in shown.get(listed, ""), listed
    text = re.sub(r"<[^>]+>", " ", shown[listed][shown[listed].index(card):])
    assert re.search(r"\d{4}年\d+月\d+日（周.）", text)[0] == "2026年12月5日（周六）", text[:300]
    embed = (output / "embed" / "campaigns" / "kepuri-2026" / "index.html").read_text("utf-8")
    assert ("周末科学同学会" in embed) is (listed == "upcoming")
    assert all("12月12日" not in re.sub(r"<[^>]+>", " ", html) for html in [*shown.values(), embed])
    street = (output / "streets" / "xinbei" / "index.html").read_text("utf-8")
    assert card in street  # its street still lists the series by its next session
    # The re-audit: the campaign's Atom feed took the series' entry written for the district's feed.
    feed = feedparser.parse((output / "feeds" / "campaigns" / "kepuri-2026.atom").read_bytes())
    ours = [e for e in feed.entries if e.link.endswith("/events/zhoumo-tongxuehui/")]
    assert len(ours) == (listed == "upcoming")
    assert all("2026年12月5日（周六）" in e.summary and "11月21日" not in e.summary for e in ours), ours


def test_a_cut_campaigns_usual_calendar_holds_what_is_to_come_first(tmp_path: Path) -> None:
    """The re-audit: with the window cut into files by day, the campaign's usual calendar (the one
    subscribed from its page) was filled in programme order from 90 days back, so in the middle of
    the week it held the days already over and said the later ones did not fit. It holds the items
    to come first, then the latest over, as every other calendar chooses; in programme order."""
    from test_site_index import index_for

    from kepu.index.campaigndays import calendar_items, campaign_days, nearest_items

    site = _implied_site(tmp_path)
    index = index_for(date(2026, 12, 7), site)
    campaign = index.registries.campaigns["kepuri-2026"]
    members = [e for e in index.entries if campaign in e.campaigns]
    items = calendar_items(campaign_days(campaign, members, index.registries, index.timezone, index.build_date))
    assert [(i.entry.event.slug, i.day.isoformat()) for i in items][-1] == ("xinnong-dongji", "2026-12-08")
    assert len(items) == 3  # two on the 5th (over), one on the 8th (to come)

    def chosen(budget: int) -> tuple[list[str], int]:
        found, dropped = nearest_items(items, index.build_date, 90, index.timezone, lambda item: 1, budget)
        return [i.entry.event.slug for i in found], dropped

    assert chosen(1) == (["xinnong-dongji"], 0)
    assert chosen(2) == ([items[1].entry.event.slug, "xinnong-dongji"], 0)  # the later of the two over
    assert chosen(0) == ([], 1)


def test_an_event_postponed_out_of_an_implied_campaign_stays_with_where_it_went(tmp_path: Path) -> None:
    """The re-audit: a one-off event of the window postponed after it (implied: true) vanished from
    the campaign's programme and calendar without a word, while a series' session moved out stays on
    its old day as 已改期至…. The event stays too: on its old day, and in the campaign's calendar at
    its new time."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    postponed = EVENT.replace("campaigns: [kepuri-2026]\n", "").replace(
        "start: 2026-12-08 09:00\n", "start: 2026-12-20 09:00\nprevious_start: 2026-12-08 09:00\nstatus: postponed\n")
    with_registries(site, campaigns=IMPLIED, event=postponed)
    output = tmp_path / "output"
    result = run_build(site / "content", output)
    assert result.returncode == 0, result.stderr[-2000:]
    day = (output / "campaigns" / "kepuri-2026" / "2026-12-08" / "index.html").read_text("utf-8")
    assert "/events/xinnong-dongji/" in day and "已改期至 12月20日" in re.sub(r"<[^>]+>", "", day)
    calendar = Calendar.from_ical((output / "feeds" / "campaigns" / "kepuri-2026.ics").read_bytes())
    [vevent] = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("xinnong-dongji@")]
    assert vevent["DTSTART"].dt.date() == date(2026, 12, 20)


def test_a_session_written_alone_says_cancelled_as_its_status_does() -> None:
    """One writer gives a series' session alone (a venue's moved-in session, a campaign's session):
    a called-off one said 【已取消】 in its title with STATUS:CONFIRMED in a venue's calendar, which
    clients show as happening. Its STATUS is CANCELLED, as the series' own override says."""
    from dataclasses import replace

    from icalendar import Event as Vevent
    from test_site_index import index_for

    from kepu.content.model import SessionChange, Venue
    from kepu.formats.ics import EventComponents, FeedSettings
    from kepu.index.campaigndays import CalendarItem

    entry = index_for(date(2026, 12, 1)).by_slug["zhoumo-tongxuehui"]
    held = entry.occurrences[4]  # 12月5日, at the series' own place
    moved = SessionChange(held.start, venue=Venue("新北街道文化中心"), venue_id="wenhua")
    called_off = replace(moved, cancelled=True, note="场地检修")
    said = {}
    for name, occurrence in (("held", held), ("moved", replace(held, change=moved)),
                             ("called off", replace(held, change=called_off))):
        components = EventComponents(FeedSettings("https://kepu.example.cn", "kepu.example.cn"), {},
                                     lambda e: f"https://kepu.example.cn/{e.url}")
        vevent = Vevent.from_ical(components.session(CalendarItem(entry, occurrence, date(2026, 12, 5))))
        said[name] = (str(vevent["STATUS"]), str(vevent["SUMMARY"])[:6], str(vevent["UID"]))
    uid = "zhoumo-tongxuehui.20261205T1400@kepu.example.cn"
    assert said == {"held": ("CONFIRMED", "周末科学同学", uid), "moved": ("CONFIRMED", "【已换地点】", uid),
                    "called off": ("CANCELLED", "【已取消】周", uid)}


def test_events_csv_puts_a_series_session_in_a_campaign_only_inside_its_window(tmp_path: Path) -> None:
    """Left alone last session, found by the organiser: events.csv tagged every session of a weekly
    series in 全国科普日 with the campaign, so a spreadsheet's count of the campaign's 场次 took the
    whole season. A series' row names the campaign only for a session in the window; a one-off
    event's row names it as its page does."""
    output = _implied_build(tmp_path)
    rows = list(csv.DictReader(io.StringIO((output / "data" / "events.csv").read_bytes().decode("utf-8-sig"))))
    tagged = sorted((row["活动编号"], row["日期"]) for row in rows if row["主题活动编号"] == "kepuri-2026")
    assert tagged == [("liudong-kejiguan", "2026-12-05"), ("xinnong-dongji", "2026-12-08"),
                      ("zhoumo-tongxuehui", "2026-12-05")]
    assert sum(row["活动编号"] == "zhoumo-tongxuehui" for row in rows) > 5  # its other Saturdays, untagged
