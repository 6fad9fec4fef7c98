"""Three people, each doing one task end to end on the served sample portal (built for
2026-12-01), with the browser's clock at 2026-12-01 10:00 in Tianjin:

1. a parent in 新北街道, on a phone inside WeChat, finds a weekend activity for a 10-year-old
   and adds it to the phone calendar;
2. a 70-year-old with poor eyesight, in 大字 mode, looks for a health talk near 汉沽, reads
   it, finds the phone and the map, and subscribes to the street's calendar by its QR code;
3. a desktop user at the association office walks the navigation, the calendars, the
   statistics and the open data.

What each person should see is worked out independently of the page: from the content's
front matter and registries (read with PyYAML), or from another page of the site. Then the
quality bar on the pages they used: axe (WCAG 2.2 AA) at 360 and 1280 px, the Nu checker and
Lighthouse's accessibility, best-practices and SEO categories.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from datetime import date, datetime, timedelta
from functools import cache
from itertools import takewhile
from pathlib import Path
from urllib.parse import quote, unquote, urlparse
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import ARTIFACTS, ROOT, require
from webtools import (
    axe,
    axe_available,
    failing_audits,
    lighthouse,
    lighthouse_available,
    vnu_available,
    vnu_errors,
)

pytestmark = pytest.mark.build

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZONE)  # the sample's build day, a Tuesday
TODAY = NOW.date()
CONTENT = ROOT / "content"
WEEKDAYS = "一二三四五六日"
WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
          "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
          "MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 "
          "Weixin NetType/WIFI Language/zh_CN ABI/arm64")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
HEADER_NAV = "nav[aria-label='主导航']"
FOOTER_NAV = "footer nav"
PAST_NOTICE = "本活动已结束"


# ------------------------------------------------------------------ the content, read directly

@cache
def registry(name: str) -> list[dict]:
    return yaml.safe_load((CONTENT / "data" / f"{name}.yml").read_text("utf-8"))


@cache
def events() -> dict[str, dict]:
    """Every event's front matter by slug (the file name), as the editors wrote it; a registered
    venue's id is read as the venue venues.yml describes."""
    venues = {v["id"]: v for v in registry("venues")} if (CONTENT / "data" / "venues.yml").exists() else {}
    found = {}
    for path in sorted((CONTENT / "events").rglob("*.md")):
        head = path.read_text("utf-8").split("---", 2)[1]
        found[path.stem] = yaml.safe_load(head)
        if isinstance(found[path.stem].get("venue"), str) and found[path.stem]["venue"] in venues:
            found[path.stem]["venue"] = venues[found[path.stem]["venue"]]
    return found


def _day(value) -> date:
    """The day of a ``start``/``end`` value: a date, or text such as ``2026-12-10 09:30``."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def first_day(event: dict) -> date:
    return _day(event["start"])


def last_day(event: dict) -> date:
    """The last day of a one-off event (``end`` is a date, a day and time, a time, or absent)."""
    assert "recurrence" not in event, "a series: use its rule"
    end = event.get("end")
    return _day(end) if end is not None and re.match(r"\d{4}-", str(end)) else first_day(event)


def upcoming(event: dict) -> bool:
    """Not over on the build day (one-off events; every event these journeys meet is one)."""
    return "recurrence" not in event and event.get("status") != "cancelled" and last_day(event) >= TODAY


def suits_age(event: dict, years: int) -> bool:
    """``age`` as editors write it: ``9-15``, ``8–14``, ``60+``; no age means everyone."""
    age = event.get("age")
    if age is None:
        return True
    low, high = re.fullmatch(r"\s*(\d*)\s*(?:[-–~]\s*(\d*)|\+)\s*", str(age)).groups()
    return int(low or 0) <= years <= int(high or 200)


def chinese_day(day: date, year: bool = True) -> str:
    return f"{f'{day.year}年' if year else ''}{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def tel(text: str) -> str:
    """The ``tel:`` URI of a mainland landline written like ``022-2560 0000``."""
    digits = re.sub(r"\D", "", text)
    return "tel:+86" + digits.removeprefix("0")


def street_area(street_id: str) -> str:
    return next(s.get("area", "") for s in registry("streets") if s["id"] == street_id)


def street_name(street_id: str) -> str:
    return next(s["name"] for s in registry("streets") if s["id"] == street_id)


# ------------------------------------------------------------------ the browser

def new_page(browser, viewport: dict, at: datetime = NOW, **options):
    """A fresh profile (nothing remembered) in Tianjin, its clock fixed at ``at``."""
    context = browser.new_context(viewport=viewport, timezone_id="Asia/Shanghai", locale="zh-CN",
                                  **options)
    context.foreign = []  # every request to another host: none is allowed
    context.on("request", lambda request: urlparse(request.url).hostname not in ("127.0.0.1", "localhost")
               and context.foreign.append(request.url))
    page = context.new_page()
    page.clock.set_fixed_time(at)
    return page


def close(page) -> None:
    """End the person's session: nothing was loaded from another host."""
    foreign = page.context.foreign
    page.context.close()
    assert foreign == []


def phone_page(browser, at: datetime = NOW, **options):
    return new_page(browser, PHONE, at, is_mobile=True, has_touch=True, device_scale_factor=2, **options)


def h1(page) -> str:
    return " ".join(page.locator("h1").first.inner_text().split())


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found, locator
    return found


def fact(page, label: str):
    """The value (``dd``) of one row of an event's facts: 时间, 地点, 报名, 联系 …"""
    return page.locator(f"dl.facts dt:text-is('{label}') + dd")


def decode_qr(locator, path: Path) -> list[str]:
    """What a phone's camera reads from the QR code as the page draws it."""
    import zxingcpp
    from PIL import Image

    locator.screenshot(path=str(path))
    return [code.text for code in zxingcpp.read_barcodes(Image.open(path))]


def download(page, link, folder: Path) -> Path:
    """Tap/click ``link`` and keep the file the browser downloads."""
    with page.expect_download() as started:
        link.click()
    target = folder / started.value.suggested_filename
    started.value.save_as(target)
    return target


# ------------------------------------------------------------------ 1. a parent in 新北街道

def test_parent_in_xinbei_finds_a_weekend_event_for_a_ten_year_old_and_adds_it_to_the_phone_calendar(
        public_site, browser, tmp_path: Path) -> None:
    _, base = public_site
    xinbei = {slug: e for slug, e in events().items() if e["street"] == "xinbei" and upcoming(e)}
    for_ten = sorted((e for e in xinbei.values() if suits_age(e, 10)), key=lambda e: str(e["start"]))
    weekend = [e for e in for_ten if any((first_day(e) + timedelta(n)).weekday() >= 5
                                         for n in range((last_day(e) - first_day(e)).days + 1))]
    assert weekend, "the sample has a weekend activity in 新北 for a 10-year-old"
    chosen = weekend[0]
    slug = next(s for s, e in xinbei.items() if e is chosen)

    street = phone_page(browser, user_agent=WECHAT)
    street.goto(f"{base}/streets/xinbei/")
    on_street = [" ".join(t.split()) for t in street.locator("main ol.cards .card-title a").all_inner_texts()]
    close(street)

    page = phone_page(browser, user_agent=WECHAT)
    assert "MicroMessenger/8.0.49" in page.evaluate("navigator.userAgent")
    page.goto(f"{base}/")

    # Home → every upcoming event, then the street and the child's age.
    page.get_by_role("link", name=re.compile(r"^查看近期活动")).tap()
    page.wait_for_url(f"{base}/events/")
    status = page.locator("#filters .filter-status")
    page.wait_for_function("document.querySelector('#filters .filter-status').textContent !== ''")
    page.locator("#filters summary", has_text="街镇").tap()
    page.get_by_label("新北街道").check()
    page.get_by_label("适合年龄").fill("10")
    page.wait_for_function("location.search.includes('street=xinbei') && location.search.includes('age=10')")
    page.wait_for_function("document.querySelector('#filters .filter-status').textContent.startsWith('找到')")
    assert status.inner_text().strip() == f"找到 {len(for_ten)} 项活动"
    more = page.locator("button.filter-more")
    for _ in range(len(for_ten)):  # each tap shows more; none is offered once all are shown
        if not (more.count() and more.is_visible()):
            break
        more.tap()
    assert not (more.count() and more.is_visible()), more.inner_text()
    cards = page.locator("#results article.card")
    shown = [" ".join(t.split()) for t in cards.locator(".card-title a").all_inner_texts()]
    assert shown == [e["title"] for e in for_ten]

    # The street's own page lists the same events (the filter adds only the age).
    assert shown == [t for t in on_street if t in {e["title"] for e in for_ten}]

    # The weekend one: its card says which days, weekday included.
    card = cards.filter(has=page.get_by_role("link", name=chosen["title"], exact=True))
    when = card.locator(".when").inner_text()
    assert chinese_day(first_day(chosen)) in when and re.search(r"周[六日]", when), when
    # Straight from typing the age to tapping the title, as people do: the tap must open it.
    card.get_by_role("link", name=chosen["title"], exact=True).tap()
    page.wait_for_url(f"{base}/events/{slug}/")

    # The event page: what, when (weekday), where, not over.
    assert h1(page) == chosen["title"]
    first, last = first_day(chosen), last_day(chosen)
    expected_when = chinese_day(first) + (f"至{chinese_day(last, year=False)}" if last != first else "")
    assert fact(page, "时间").inner_text().strip().startswith(expected_when)
    where = fact(page, "地点").inner_text()
    assert chosen["venue"]["name"] in where and chosen["venue"]["address"] in where
    assert not page.get_by_text(PAST_NOTICE).is_visible()
    assert "已结束" not in page.locator("article.event").inner_text()

    # Registration: the big 报名 button, or (no registration needed) the number to call.
    registration = chosen.get("registration") or {}
    if registration.get("required"):
        button = page.locator("article.event a.button", has_text="报名").first
        assert button.is_visible() and box(button)["height"] >= 44 and box(button)["width"] >= 44
    else:
        assert fact(page, "报名").inner_text().startswith("无需报名")
        if registration.get("note"):
            assert registration["note"] in fact(page, "报名").inner_text()
    number = re.search(r"\d[\d -]{6,}\d", chosen["contact"])[0]
    call = fact(page, "联系").get_by_role("link", name=number)
    assert call.is_visible() and call.get_attribute("href") == tel(number)

    # Add to the phone calendar: the .ics comes first (a button), Google last.
    links = page.locator(".add-to-calendar a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs[0].endswith(f"/{slug}.ics") and "calendar.google.com" in hrefs[-1], hrefs
    phone_calendar = links.first
    assert phone_calendar.inner_text().strip() == "加入手机日历"
    assert box(phone_calendar)["height"] >= 44 and box(phone_calendar)["width"] >= 44
    import icalendar

    calendar = icalendar.Calendar.from_ical(download(page, phone_calendar, tmp_path).read_bytes())
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == chosen["title"]
    assert vevent["DTSTART"].dt == first and vevent["DTEND"].dt == last + timedelta(days=1)  # all day
    close(page)

    # All day: not over on its days nor at 23:59 of the last one; over the next morning.
    assert isinstance(chosen["start"], date) and not isinstance(chosen["start"], datetime)
    seen = {}
    for moment in (datetime.combine(first, datetime.min.time(), ZONE).replace(hour=9),
                   datetime.combine(last, datetime.min.time(), ZONE).replace(hour=23, minute=59),
                   datetime.combine(last + timedelta(days=1), datetime.min.time(), ZONE).replace(hour=8)):
        later = phone_page(browser, at=moment, user_agent=WECHAT)
        later.goto(f"{base}/events/{slug}/")
        later.wait_for_load_state("load")
        seen[moment.strftime("%m-%d %H:%M")] = later.get_by_text(PAST_NOTICE).is_visible()
        close(later)
    assert list(seen.values()) == [False, False, True], seen


# ------------------------------------------------------------------ 2. a 70-year-old near 汉沽

def test_elder_in_large_text_finds_a_health_talk_near_hangu_calls_maps_and_subscribes(
        public_site, browser, tmp_path: Path) -> None:
    _, base = public_site
    health = next(c for c in registry("categories") if "健康" in c["name"])  # 卫生健康
    area = street_area("hangu")
    assert area == "汉沽片区"
    near = sorted((e for e in events().values() if upcoming(e) and street_area(e["street"]) == area
                   and health["id"] in e["categories"] and suits_age(e, 70)), key=lambda e: str(e["start"]))
    assert near, "the sample has an upcoming health talk in the 汉沽 area"
    talk = near[0]

    page = phone_page(browser)
    page.goto(f"{base}/")
    switch = page.get_by_role("button", name="大字")
    switch.tap()
    assert switch.get_attribute("aria-pressed") == "true"
    body_size = "parseFloat(getComputedStyle(document.body).fontSize)"
    assert page.evaluate(body_size) >= 20

    # Streets → 汉沽街道: what is on there, and whether a health talk is among it (the phone's
    # menu folds behind 菜单).
    page.get_by_role("button", name="菜单").tap()
    page.locator(HEADER_NAV).get_by_role("link", name="街镇", exact=True).tap()
    page.wait_for_url(f"{base}/streets/")
    page.get_by_role("link", name=re.compile(r"^汉沽街道")).tap()
    page.wait_for_url(f"{base}/streets/hangu/")
    assert h1(page) == "汉沽街道" and area in page.locator("main .lead").first.inner_text()
    assert page.evaluate(body_size) >= 20  # 大字 is remembered from page to page
    hangu = sorted((e for e in events().values() if e["street"] == "hangu" and upcoming(e)),
                   key=lambda e: str(e["start"]))
    cards = page.locator("main ol.cards article.card")
    assert [" ".join(t.split()) for t in cards.locator(".card-title a").all_inner_texts()] == [
        e["title"] for e in hangu]
    with_health_tag = [" ".join(t.split()) for t in cards.filter(
        has=page.locator(".tag", has_text=health["name"])).locator(".card-title a").all_inner_texts()]
    assert with_health_tag == [e["title"] for e in hangu if health["id"] in e["categories"]]

    # Not there (or not only there): search for 健康讲座 with the header's search box.
    box_ = page.get_by_role("searchbox", name="搜索活动和新闻")
    box_.fill("健康讲座")
    box_.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    results = page.locator("#search-results > li")
    results.first.wait_for()
    titles = [item.locator("h2 a").inner_text().strip() for item in results.all()]
    for event in near:  # every health talk coming up nearby is found, not marked over, with its street
        item = results.nth(titles.index(event["title"]))
        assert not item.get_by_text("已结束", exact=True).is_visible()
        assert street_name(event["street"]) in item.inner_text()
    results.nth(titles.index(talk["title"])).locator("h2 a").tap()
    page.wait_for_load_state("load")
    assert h1(page) == talk["title"]

    # Reads the time in large text, not over.
    start = datetime.fromisoformat(str(talk["start"]))
    end = talk["end"]
    time = fact(page, "时间")
    assert time.inner_text().strip() == f"{chinese_day(start.date())}{start:%H:%M}–{end}"
    assert time.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 20
    assert not page.get_by_text(PAST_NOTICE).is_visible()

    # The number to call and the maps, big enough to tap.
    number = re.search(r"\d[\d -]{6,}\d", talk["contact"])[0]
    call = fact(page, "联系").get_by_role("link", name=number)
    assert call.is_visible() and call.get_attribute("href") == tel(number)
    assert box(call)["height"] >= 48 and box(call)["width"] >= 48, box(call)
    maps = fact(page, "地点").locator(".maps a")
    assert {m.strip() for m in maps.all_inner_texts()} >= {"高德地图", "百度地图"}
    for i in range(maps.count()):
        assert box(maps.nth(i))["height"] >= 48 and box(maps.nth(i))["width"] >= 48, maps.nth(i).inner_text()
    amap = maps.filter(has_text="高德地图").get_attribute("href")
    assert urlparse(amap).hostname == "uri.amap.com" and talk["venue"]["address"] in unquote(amap)

    # Subscribe: the street's QR code opens a page that explains how, step by step.
    fact(page, "街镇").get_by_role("link", name=street_name(talk["street"])).tap()
    page.wait_for_url(f"{base}/streets/{talk['street']}/")
    assert area in page.locator("main .lead").first.inner_text()
    qr = page.locator("section.subscribe figure.qr svg")
    qr.scroll_into_view_if_needed()
    assert page.locator("section.subscribe figcaption").inner_text().startswith("手机扫码")
    [url] = decode_qr(qr, tmp_path / "street-qr.png")
    assert url == f"{base}/subscribe/streets/{talk['street']}/", url
    response = page.goto(url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    assert "订阅" in h1(page) and street_name(talk["street"]) in h1(page)
    main = page.locator("main").inner_text()
    for steps in ("苹果", "小米", "华为", "在浏览器打开"):
        assert steps in main, steps
    one_tap = page.locator("main a[href^='webcal://']").first
    assert one_tap.is_visible() and one_tap.get_attribute("href").endswith(f"/feeds/streets/{talk['street']}.ics")
    assert box(one_tap)["height"] >= 48
    assert page.evaluate(body_size) >= 20
    close(page)


# ------------------------------------------------------------------ 3. at the association office

def _names(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("main ul.list > li > a").all_inner_texts()]


def _day_titles(items) -> list[str]:
    return sorted(t.strip() for t in items.locator(".title").all_inner_texts())


def sessions(document: dict) -> Counter:
    """Every session in events.json, (event id, day) → count: one per one-off event, a series'
    RRULE and RDATEs less its EXDATEs, moved sessions on their new day, up to the build's horizon of 366 days (the expansion's
    reach, EVENT_HORIZON_DAYS; /data/ does not say it)."""
    from dateutil.rrule import rrulestr

    horizon = date.fromisoformat(document["build_date"]) + timedelta(days=366)
    found: Counter = Counter()
    for event in document["events"]:
        start = (date.fromisoformat(event["start"]) if event["all_day"]
                 else datetime.fromisoformat(event["start"]))
        rule = event["recurrence"]
        if rule is None:
            found[event["id"], _day(event["start"])] += 1
            continue
        first = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time(), ZONE)
        moments = takewhile(lambda m: m.astimezone(ZONE).date() <= horizon,
                            rrulestr(rule["rrule"], dtstart=first))
        days = {m.astimezone(ZONE).date() for m in moments}
        days |= {datetime.fromisoformat(r).astimezone(ZONE).date() if "T" in r else date.fromisoformat(r)
                 for r in rule["rdates"]}
        days -= {date.fromisoformat(x[:10]) for x in rule["exdates"]}
        for session in rule["sessions"]:  # a moved session is on its new day; a cancelled one keeps its row
            if session["start"] is not None:
                days = (days - {date.fromisoformat(session["date"][:10])}) | {date.fromisoformat(session["start"][:10])}
        for day in days:
            found[event["id"], day] += 1
    return found


def test_office_desktop_user_navigates_calendars_stats_and_open_data(public_site, browser,
                                                                      tmp_path: Path) -> None:
    _, base = public_site
    page = new_page(browser, DESKTOP, accept_downloads=True)
    page.goto(f"{base}/")
    header, footer = page.locator(HEADER_NAV), page.locator(FOOTER_NAV)

    # Each link lands on the page its label names, listing what the registries hold.
    header.get_by_role("link", name="活动类型", exact=True).click()
    assert h1(page) == "活动类型" and _names(page) == [c["name"] for c in registry("categories")]
    # 服务对象 and 志愿服务队: the header's link if it has one, else the footer's (today).
    def navigate(label: str) -> None:
        link = header.get_by_role("link", name=label, exact=True)
        (link if link.count() else footer.get_by_role("link", name=label, exact=True)).click()

    navigate("服务对象")
    assert h1(page) == "服务对象" and _names(page) == [a["name"] for a in registry("audiences")]
    navigate("志愿服务队")
    assert h1(page) == "志愿服务队"
    assert sorted(_names(page)) == sorted(t["name"] for t in registry("teams"))

    # 日历: this month, today marked; a day; the week.
    header.get_by_role("link", name="日历", exact=True).click()
    month = f"{TODAY.year}年{TODAY.month}月"
    assert month in h1(page)
    today = page.locator("td.today")
    assert today.get_attribute("data-date") == TODAY.isoformat() and "今天" in today.inner_text()
    saturday = TODAY + timedelta(days=5 - TODAY.weekday())
    cell = page.locator(f"td[data-date='{saturday.isoformat()}']")
    in_month = _day_titles(cell.locator("li.ev"))
    assert in_month, "the sample's first Saturday of December has events"
    cell.get_by_role("link", name=chinese_day(saturday, year=False)).click()
    assert h1(page) == chinese_day(saturday)
    on_day = _day_titles(page.locator("main li.ev"))
    assert on_day == in_month
    assert page.locator("main .lead").inner_text().startswith(f"共 {len(on_day)} 场活动")
    page.go_back()
    page.locator("nav.month-nav").get_by_role("link", name="本周和下周的活动").click()
    assert "本周" in h1(page)
    lead = page.locator("main .lead").inner_text()
    monday = TODAY - timedelta(days=TODAY.weekday())
    assert lead.startswith(chinese_day(monday)), lead
    assert "今天" in page.locator(f"li.day[data-date='{TODAY.isoformat()}'] .day-heading").inner_text()
    assert _day_titles(page.locator(f"li.day[data-date='{saturday.isoformat()}'] li.ev")) == on_day

    # 活动数据: on every row, 活动 (项) ≤ 场次.
    footer.get_by_role("link", name="活动数据", exact=True).click()
    assert "活动数据" in h1(page)
    figures = dict(zip(page.locator("dl.key-figures dt").all_inner_texts(),
                       page.locator("dl.key-figures dd").all_inner_texts(), strict=True))
    assert int(re.match(r"\d+", figures["活动"])[0]) <= int(re.match(r"\d+", figures["场次"])[0])
    checked = 0
    for table in page.locator("main table").all():
        columns = [c.strip() for c in table.locator("thead th").all_inner_texts()]
        if "活动" not in columns or "场次" not in columns:
            continue
        for row in table.locator("tbody tr").all():
            cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
            items, count = int(cells[columns.index("活动")]), int(cells[columns.index("场次")])
            assert items <= count, (columns, cells)
            checked += 1
    assert checked >= 20  # the years and every street

    # 开放数据: the CSV, one row per session (a series expanded), as the page documents.
    footer.get_by_role("link", name="开放数据", exact=True).click()
    assert h1(page) == "开放数据"
    described = page.locator("main li", has=page.get_by_role("link", name="events.csv")).inner_text()
    assert "每一场一行" in described and "重复活动展开为每一次" in described
    document = json.loads(page.request.get(
        page.get_by_role("link", name="events.json").get_attribute("href")).body())
    raw = download(page, page.get_by_role("link", name="events.csv"), tmp_path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS show the Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    expected = sessions(document)
    assert len(document["events"]) == document["count"] == len(events())
    assert len(rows) == sum(expected.values())
    assert Counter((r["活动编号"], date.fromisoformat(r["日期"])) for r in rows) == expected
    close(page)


# ------------------------------------------------------------------ the quality bar

# The pages these people used (the search page with results, as the elder saw it).
EVENT = "/events/xinbei-liudong-kejiguan-2026-12/"
QUALITY_PAGES = {
    "home": "/",
    "event": EVENT,
    "street": "/streets/hangu/",
    "month": "/calendar/2026/12/",
    "search": "/search/?q=" + quote("健康讲座"),
}
LANDMARK_RULES = ["landmark-unique", "landmark-one-main", "landmark-no-duplicate-banner",
                  "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main", "region"]


def _file(output: Path, path: str) -> Path:
    return output / urlparse(path).path.strip("/") / "index.html"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", QUALITY_PAGES)
def test_axe_finds_nothing_on_the_journey_pages(public_site, browser, name: str, width: int) -> None:
    require(axe_available(), "npm axe-core (make test runs npm ci)")
    _, base = public_site
    page = new_page(browser, {"width": width, "height": 800})
    page.goto(base + QUALITY_PAGES[name])
    if name == "search":
        page.locator("#search-results > li").first.wait_for()
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    landmarks = page.evaluate("""async (rules) => {
        const result = await axe.run(document, {runOnly: {type: 'rule', values: rules}});
        return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""", LANDMARK_RULES)
    close(page)
    assert violations == [] and landmarks == []


def test_nu_checker_finds_no_errors_in_the_journey_pages(public_site, tmp_path: Path) -> None:
    require(vnu_available(), "npm vnu-jar and Java")
    output, _ = public_site
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, path in QUALITY_PAGES.items():
        shutil.copyfile(_file(output, path), folder / f"{name}.html")
    assert vnu_errors(folder) == []


@pytest.mark.parametrize("name", QUALITY_PAGES)
def test_lighthouse_accessibility_best_practices_and_seo_are_perfect(public_site, name: str) -> None:
    """Performance is measured elsewhere (bench/), never asserted here."""
    require(lighthouse_available(), "npm lighthouse and Debian's chromium (make test installs both)")
    _, base = public_site
    report = ARTIFACTS / "lighthouse" / f"journey-{name}.json"
    scores = lighthouse(base + QUALITY_PAGES[name], report)
    assert set(scores) == {"accessibility", "best-practices", "seo"}
    low = {k: v for k, v in scores.items() if v != 1}
    assert not low, (low, failing_audits(report))
