"""Calendar views: month grids checked day by day against an independent expansion of the
content (recurring-ical-events over the per-event .ics files), agendas, day pages, navigation,
and the grid/agenda switch in a real browser."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import ARTIFACTS, ROOT, SAMPLE_BUILD_DATE, serve_directory
from feedtools import event_fronts, event_occurrences

pytestmark = pytest.mark.build
ZONE = ZoneInfo("Asia/Shanghai")
BUILD = date.fromisoformat(SAMPLE_BUILD_DATE)
HORIZON = BUILD + timedelta(days=366)


class CellReader(HTMLParser):
    """Collects, per calendar day (data-date), the slugs of the events linked from it."""

    def __init__(self) -> None:
        super().__init__()
        self.days: dict[str, list[str]] = defaultdict(list)
        self.classes: dict[str, str] = {}
        self.current: str | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("td", "li") and "data-date" in attrs:
            self.current, self.depth = attrs["data-date"], 0
            self.classes[self.current] = attrs.get("class", "")
        if self.current and tag == "a" and "/events/" in (attrs.get("href") or ""):
            self.days[self.current].append(attrs["href"].split("/events/")[1].split("/")[0])
        if self.current and tag in ("td", "li"):
            self.depth += 1

    def handle_endtag(self, tag):
        if self.current and tag in ("td", "li"):
            self.depth -= 1
            if self.depth == 0:
                self.current = None


def read_cells(path: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    reader = CellReader()
    reader.feed(path.read_text("utf-8"))
    return reader.days, reader.classes


def expected_days(output: Path, content: Path) -> dict[str, dict[date, Counter]]:
    """Independent expansion: each event's own .ics, expanded by recurring-ical-events."""
    scopes: dict[str, dict[date, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for slug, front in event_fronts(content).items():
        for occurrence in event_occurrences(output, slug, HORIZON + timedelta(days=1)):
            start, end = occurrence["DTSTART"].dt, occurrence["DTEND"].dt
            if isinstance(start, datetime):
                first, last = start.astimezone(ZONE).date(), end.astimezone(ZONE)
                last = last.date() - timedelta(days=1) if last.time() == datetime.min.time() else last.date()
            else:
                first, last = start, end - timedelta(days=1)
            if first > HORIZON:
                continue
            day = first
            while day <= last:
                scopes["district"][day][slug] += 1
                scopes[front["street"]][day][slug] += 1
                day += timedelta(days=1)
        for day in moved_from(front):  # shown on the day it moved from, as moved
            if day <= HORIZON:
                scopes["district"][day][slug] += 1
                scopes[front["street"]][day][slug] += 1
    return scopes


def moved_from(front: dict) -> list[date]:
    """The days an event file moved its event or one of its sessions away from, as written."""
    recurrence = front.get("recurrence") or {}
    moves = [(item["date"], item["start"]) for item in recurrence.get("sessions") or [] if item.get("start")]
    if not recurrence and front.get("status") == "postponed" and front.get("previous_start"):
        moves.append((front["previous_start"], front["start"]))
    return [date.fromisoformat(old[:10]) for old, new in moves if old[:10] != new[:10]]


def month_range(days) -> list[tuple[int, int]]:
    first, last = min(days), max(days)
    months, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_dir(output: Path, scope: str, year: int, month: int) -> Path:
    base = output / "calendar" if scope == "district" else output / "streets" / scope / "calendar"
    return base / f"{year}" / f"{month:02d}"


def test_month_pages_match_an_independent_expansion_day_by_day(sample_output: Path) -> None:
    expected = expected_days(sample_output, ROOT / "content")
    assert len(expected) > 12  # the district and many streets
    compared = 0
    for scope, days in expected.items():
        months = month_range(days)
        base = sample_output / "calendar" if scope == "district" else sample_output / "streets" / scope / "calendar"
        on_disk = sorted((int(p.parent.parent.name), int(p.parent.name)) for p in base.glob("*/*/index.html")
                         if len(p.parent.name) == 2 and p.parent.parent.name.isdigit())
        assert on_disk == months, scope
        for year, month in months:
            cells, _ = read_cells(month_dir(sample_output, scope, year, month) / "index.html")
            for day in (date(year, month, 1) + timedelta(days=i) for i in range(31)):
                if day.month != month:
                    break
                got = Counter(cells.get(day.isoformat(), []))
                assert got == days.get(day, Counter()), f"{scope} {day}"
                compared += sum(got.values())
    assert compared > 400  # the loop really compared the sample's occurrences


def test_multi_day_all_day_and_exdates_on_the_mini_site(mini_output: Path) -> None:
    output = mini_output
    december, _ = read_cells(output / "calendar" / "2026" / "12" / "index.html")
    for day in ("2026-12-14", "2026-12-15", "2026-12-16"):
        assert "kejizhou" in december[day]  # a three-day all-day event, on each of its days
    assert "kejizhou" not in december.get("2026-12-17", [])  # exclusive end
    september, _ = read_cells(output / "calendar" / "2026" / "09" / "index.html")
    assert [d for d, slugs in september.items() if "kepu-ri" in slugs] == ["2026-09-19"]
    assert "zhoumo-tongxuehui" in december["2026-12-19"]
    assert "zhoumo-tongxuehui" not in december.get("2026-12-26", [])  # EXDATE
    february, _ = read_cells(output / "calendar" / "2027" / "02" / "index.html")
    assert february["2027-02-06"] == ["zhoumo-tongxuehui"]  # RDATE
    html = (output / "calendar" / "2026" / "12" / "index.html").read_text("utf-8")
    assert 'href="/events/zhoumo-tongxuehui/#d2026-12-19"' in html
    event = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert 'id="d2026-12-19"' in event and 'id="d2026-11-07"' in event and 'id="d2026-12-26"' not in event
    assert re.search(r'class="ev status-cancelled"[^>]*>.*?科技活动周.*?已取消', html, re.DOTALL)


def test_month_grid_is_an_accessible_table(sample_output: Path) -> None:
    html = (sample_output / "calendar" / "2026" / "12" / "index.html").read_text("utf-8")
    assert "<caption>2026年12月全区科普活动，共" in html
    assert re.findall(r'<th scope="col"[^>]*>(周.)</th>', html) == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.DOTALL)[1]
    assert first_row.count('class="pad"') == 1  # 2026-12-01 is a Tuesday: weeks start on Monday
    assert re.findall(r'<td class="day[^"]*\btoday" data-date="([^"]+)"', html) == ["2026-12-01"]  # build day
    assert '<span class="badge status-cancelled">已取消</span>' in html


def test_calendar_navigation_resolves_and_skips_nothing(sample_output: Path) -> None:
    pages = list((sample_output / "calendar").rglob("index.html"))
    pages += list((sample_output / "streets").glob("*/calendar/**/index.html"))
    assert len(pages) > 50, len(pages)
    missing = []
    for page in pages:
        for href in re.findall(r'href="(/[^"#?]*)', page.read_text("utf-8")):  # site.css?v=…: the file
            target = sample_output / href.lstrip("/")
            if not (target / "index.html").is_file() and not target.is_file():
                missing.append((page.relative_to(sample_output).as_posix(), href))
    assert missing == []
    months = sorted(p.parent for p in (sample_output / "calendar").glob("20*/[01]*/index.html"))
    assert len(months) >= 12, months  # the sample spans more than a year of month pages
    for here, there in itertools.pairwise(months):
        html = (here / "index.html").read_text("utf-8")
        assert f'rel="next" href="/{there.relative_to(sample_output).as_posix()}/"' in html


def test_day_pages_group_the_days_occurrences_by_street(sample_output: Path) -> None:
    expected = expected_days(sample_output, ROOT / "content")["district"]
    day_pages = sorted((sample_output / "calendar").glob("20*/*/*/index.html"))
    assert {date(int(p.parts[-4]), int(p.parts[-3]), int(p.parts[-2])) for p in day_pages} == set(expected)
    html = (sample_output / "calendar" / "2026" / "12" / "05" / "index.html").read_text("utf-8")
    streets = re.findall(r'<section id="s-([a-z0-9-]+)"', html)
    order = [s["id"] for s in yaml.safe_load((ROOT / "content" / "data" / "streets.yml").read_text("utf-8"))]
    assert streets == sorted(streets, key=order.index) and len(streets) >= 2
    linked = Counter(re.findall(r'href="/events/([a-z0-9-]+)/', html))
    assert linked == expected[date(2026, 12, 5)]


def test_week_pages_cover_this_week_and_the_next(sample_output: Path) -> None:
    html = (sample_output / "calendar" / "week" / "index.html").read_text("utf-8")
    rows = re.findall(r'<li class="(?:day|quiet)[^"]*" data-(?:date|from)="([\d-]+)"(?: data-until="([\d-]+)")?', html)
    days = [date.fromisoformat(first) + timedelta(days=i) for first, until in rows
            for i in range(((date.fromisoformat(until) if until else date.fromisoformat(first))
                            - date.fromisoformat(first)).days + 1)]
    assert days == [date(2026, 11, 30) + timedelta(days=i) for i in range(14)]  # quiet runs said once
    street = (sample_output / "streets" / "hujiayuan" / "calendar" / "week" / "index.html").read_text("utf-8")
    assert "周末科学同学会" in street and "无活动" in street


def test_home_and_street_pages_link_current_month_and_week(sample_output: Path) -> None:
    home = (sample_output / "index.html").read_text("utf-8")
    assert 'href="/calendar/2026/12/"' in home and 'href="/calendar/week/"' in home
    streets = sorted((sample_output / "streets").glob("*/calendar"))
    assert len(streets) >= 5 and len(streets) == len(list((sample_output / "streets").glob("*/index.html")))
    for street in streets:
        page = (street.parent / "index.html").read_text("utf-8")
        assert f'href="/streets/{street.parent.name}/calendar/week/"' in page
        assert re.search(rf'href="/streets/{street.parent.name}/calendar/\d{{4}}/\d{{2}}/"', page)


def _layout(page) -> dict:
    return page.evaluate("""() => {
        const style = (s) => getComputedStyle(document.querySelector(s)).display;
        return {thead: style('.month-grid thead'), cell: style('.month-grid td.day'),
                empty: style('.month-grid td.empty'),
                label: document.querySelector('.day-label').getBoundingClientRect().width > 20};
    }""")


def test_same_html_is_a_grid_on_desktop_and_an_agenda_on_phones(sample_output: Path, browser) -> None:
    server, base = serve_directory(sample_output)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        layouts = {}
        for width in (390, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/calendar/2026/12/")
            layouts[width] = _layout(page)
            page.screenshot(path=str(ARTIFACTS / f"calendar-month-{width}.png"), full_page=True)
            page.close()
    finally:
        server.shutdown()
    # Desktop: a table whose days carry a visually hidden full date; phone: an agenda of
    # the days that have events, each headed by its full date.
    assert layouts[1280] == {"thead": "table-header-group", "cell": "table-cell", "empty": "table-cell",
                             "label": False}
    assert layouts[390] == {"thead": "none", "cell": "block", "empty": "none", "label": True}


def test_script_marks_today_and_the_past_when_viewed_later(sample_output: Path, browser) -> None:
    server, base = serve_directory(sample_output)
    try:
        later = browser.new_page()
        later.clock.set_fixed_time(datetime(2026, 12, 10, 12, tzinfo=ZONE))
        later.goto(f"{base}/calendar/2026/12/")
        classes = later.evaluate("""() => Object.fromEntries([...document.querySelectorAll('td[data-date]')]
            .map(td => [td.dataset.date, td.className]))""")
        past_events = later.locator(".ev.is-past").count()
        later.close()
        static = browser.new_context(java_script_enabled=False).new_page()
        static.goto(f"{base}/calendar/2026/12/")
        _, without_js = read_cells_from_html(static.content())
        static.close()
    finally:
        server.shutdown()
    assert "today" in classes["2026-12-10"] and "is-past" not in classes["2026-12-10"]
    assert "is-past" in classes["2026-12-05"] and "today" not in classes["2026-12-01"]
    assert "is-past" not in classes["2026-12-11"]
    assert past_events > 10
    assert "today" in without_js["2026-12-01"]  # without JavaScript: correct as of the build date


def read_cells_from_html(html: str):
    reader = CellReader()
    reader.feed(html)
    return reader.days, reader.classes
