"""Notice sheets for the community notice board (社区公告栏): the week a volunteer prints, the QR code
a resident scans, and the A4 paper itself (Debian's Chromium prints it to PDF)."""

from __future__ import annotations

import functools
import html
import re
import shutil
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT, SAMPLE_BUILD_DATE, run_build, serve_directory
from kepu.content.project import Layout, check
from kepu.content.recurrence import expand
from kepu.content.registries import load_registries
from kepu.index.notices import notice_weeks
from webtools import axe, axe_available

ZONE = ZoneInfo("Asia/Shanghai")
BUILD = date.fromisoformat(SAMPLE_BUILD_DATE)  # a Tuesday
THIS_WEEK = (BUILD, BUILD + timedelta(days=6 - BUILD.weekday()))
NEXT_WEEK = (THIS_WEEK[1] + timedelta(days=1), THIS_WEEK[1] + timedelta(days=7))
ROW = re.compile(r'<tr class="sheet-item[^"]*" data-slug="([^"]+)">\s*<th scope="row" class="sheet-when">'
                 r'<time datetime="([^"]+)">')
PT_PER_PX = 0.75  # CSS: 1px = 0.75pt (16pt is 21.333px: compared as >= 15.99pt)
A4_POINTS = (595.28, 841.89)
# Glyphs a PDF's text layer names by CJK radical code points that NFKC leaves alone.
RADICALS = str.maketrans({"⻝": "食", "⺠": "民", "⻓": "长", "⻚": "页", "⻅": "见", "⻛": "风", "⻔": "门",
                          "⻢": "马", "⻋": "车", "⻩": "黄", "⻜": "飞", "⻆": "角", "⻘": "青", "⻬": "齐"})


def _local_day(value: date | datetime) -> date:
    return value.astimezone(ZONE).date() if isinstance(value, datetime) else value


def _last_day(value: date | datetime) -> date:
    """The last day an end touches (a timed end at midnight belongs to the day before)."""
    if isinstance(value, datetime):
        local = value.astimezone(ZONE)
        return (local - timedelta(microseconds=1)).date()
    return value


@functools.cache
def _events(content: Path) -> list:
    result = check(Layout(content=content, root=content.parent))
    assert result.ok, [p.format() for p in result.problems]
    return result.events


def expected(content: Path, field: str, ident: str, first: date, last: date) -> list[tuple[str, str]]:
    """(event slug, day listed) of the sessions the content holds for ``ident`` between ``first``
    and ``last``, in time order: read from the event files, not from the sheet's code."""
    found = []
    for event in _events(content):
        if event.draft or getattr(event, field) != ident:
            continue
        for occurrence in expand(event, last + timedelta(days=1)):
            start, end = _local_day(occurrence.start), _last_day(occurrence.end)
            if start <= last and end >= first:
                moment = occurrence.start.astimezone(ZONE).replace(tzinfo=None) if isinstance(
                    occurrence.start, datetime) else datetime.combine(occurrence.start, datetime.min.time())
                found.append((max(start, first), moment, event.slug))
        found.extend((_local_day(old), _moment(old), event.slug) for old in _moved_from(event)
                     if first <= _local_day(old) <= last)
    return [(slug, day.isoformat()) for day, _, slug in sorted(found)]


def _moment(value: date | datetime) -> datetime:
    return value.astimezone(ZONE).replace(tzinfo=None) if isinstance(value, datetime) else \
        datetime.combine(value, datetime.min.time())


def _moved_from(event) -> list[date | datetime]:
    """The old times of what the event file moved to another day, still to come: a rescheduled
    event's previous_start, a series session's own date (the earlier poster named that day)."""
    moves = [(s.original, s.start) for s in (event.recurrence.sessions if event.recurrence else ()) if s.start]
    if event.recurrence is None and event.status == "postponed" and event.previous_start:
        moves.append((event.previous_start, event.start))
    return [old for old, new in moves if _local_day(old) != _local_day(new) and _local_day(new) >= BUILD]


def listed(page: Path) -> list[tuple[str, str]]:
    return ROW.findall(page.read_text("utf-8"))


def sheet(output: Path, kind: str, ident: str, week: str = "next") -> Path:
    return output / kind / ident / "notice" / ("next/" if week == "next" else "") / "index.html"


def registry_ids(content: Path, kind: str) -> list[str]:
    registries, _ = load_registries(content / "data")
    return list(getattr(registries, kind))


def test_the_weeks_follow_the_build_date() -> None:
    this, following = notice_weeks(BUILD)
    assert (this.first, this.last) == THIS_WEEK  # from the build day: what is over is not pinned up
    assert (following.first, following.last) == NEXT_WEEK
    assert following.first.weekday() == 0 and following.range_text == "12月7日（周一）至 12月13日（周日）"
    monday, _ = notice_weeks(NEXT_WEEK[0])
    assert (monday.first, monday.last) == NEXT_WEEK  # printed on Monday: the whole week


def test_each_sheet_lists_exactly_its_weeks_sessions_in_order(sample_output: Path) -> None:
    content = ROOT / "content"
    counts = {}
    for kind, field, registry in (("communities", "community_id", "communities"), ("streets", "street", "streets")):
        for ident in registry_ids(content, registry):
            for week, (first, last) in (("this", THIS_WEEK), ("next", NEXT_WEEK)):
                wanted = expected(content, field, ident, first, last)
                assert listed(sheet(sample_output, kind, ident, week)) == wanted, (kind, ident, week)
                counts[(kind, ident, week)] = len(wanted)
    assert any(n for (kind, _, _), n in counts.items() if kind == "communities")  # the sample has some
    assert not all(counts.values())  # and some empty weeks


def test_the_street_and_community_pages_link_their_sheets(sample_output: Path) -> None:
    for kind, ident in (("communities", "haihewan"), ("streets", "dagu")):
        page = (sample_output / kind / ident / "index.html").read_text("utf-8")
        for label, path in (("打印本周公告", f"{kind}/{ident}/notice/"), ("打印下周公告", f"{kind}/{ident}/notice/next/")):
            assert re.search(rf'href="/{re.escape(path)}">{label}</a>', page), (kind, label)
            assert (sample_output / path / "index.html").is_file()


def test_a_changed_session_is_listed_with_its_badge(sample_output: Path) -> None:
    """A series' session cancelled in the content stays on the sheet, marked 已取消, not counted."""
    content = ROOT / "content"
    cancelled = [(e, s) for e in _events(content) for s in (e.recurrence.sessions if e.recurrence else ())
                 if s.cancelled and NEXT_WEEK[0] <= _local_day(s.original) <= NEXT_WEEK[1]]
    assert cancelled, "the sample cancels a session next week"
    event, session = cancelled[0]
    text = sheet(sample_output, "streets", event.street).read_text("utf-8")
    row = re.search(rf'<tr class="sheet-item is-cancelled" data-slug="{event.slug}">.*?</tr>', text, re.S)
    assert row and '<span class="sheet-badge">已取消</span>' in row.group(0)
    assert session.note in row.group(0)
    assert re.sub(r"<[^>]+>", "", row.group(0)).count("已取消") == 1  # the badge; the note gives the reason


def _canonical(page: Path) -> str:
    return html.unescape(re.search(r'<link rel="canonical" href="([^"]+)"', page.read_text("utf-8")).group(1))


@pytest.fixture(scope="module")
def served(sample_output: Path):
    server, base = serve_directory(sample_output)
    yield base
    server.shutdown()


def test_the_qr_code_opens_the_community_page(sample_output: Path, served: str, browser, tmp_path: Path) -> None:
    """Decoded by an independent reader (zxing-cpp) from the sheet as Chromium draws it; the page
    on screen passes axe-core."""
    import zxingcpp
    from PIL import Image

    page = browser.new_page()
    for kind, ident in (("communities", "haihewan"), ("streets", "dagu")):
        wanted = _canonical(sample_output / kind / ident / "index.html")
        page.goto(f"{served}/{kind}/{ident}/notice/next/")
        page.locator(".sheet-qr svg").screenshot(path=tmp_path / f"{ident}.png")
        assert [c.text for c in zxingcpp.read_barcodes(Image.open(tmp_path / f"{ident}.png"))] == [wanted]
        assert page.locator(".sheet-url").inner_text() == wanted.split("://", 1)[1]  # typed without https://
        if axe_available():
            assert axe(page) == []
    page.close()


def _pdf(browser, url: str, path: Path):
    from pypdf import PdfReader

    page = browser.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    sizes = page.evaluate("""() => [...document.querySelectorAll(
        '.sheet-event, .sheet-fact, .sheet-when, .sheet-url, .sheet-empty-text, .sheet-empty p, .sheet-week')]
        .map(e => [e.className, parseFloat(getComputedStyle(e).fontSize)])""")
    hidden = page.evaluate("""() => ['.site-header', '.site-footer', '.sheet-tools']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    page.pdf(path=path, format="A4", prefer_css_page_size=True, print_background=True)
    page.close()
    pages = PdfReader(path).pages
    texts = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", p.extract_text()).translate(RADICALS)) for p in pages]
    return pages, texts, sizes, hidden


def _busiest(content: Path, kind: str, field: str) -> str:
    ids = registry_ids(content, kind)
    return max(ids, key=lambda i: (len(expected(content, field, i, *NEXT_WEEK)), i))


def test_a_typical_sheet_prints_on_one_a4_page_in_large_type(served: str, browser, tmp_path: Path) -> None:
    content = ROOT / "content"
    for kind, field in (("communities", "community_id"), ("streets", "street")):
        ident = _busiest(content, kind, field)
        assert expected(content, field, ident, *NEXT_WEEK)
        pages, texts, sizes, hidden = _pdf(browser, f"{served}/{kind}/{ident}/notice/next/", tmp_path / f"{ident}.pdf")
        assert len(pages) == 1, (kind, ident)
        box = pages[0].mediabox
        assert (round(float(box.width), 0), round(float(box.height), 0)) == tuple(round(v) for v in A4_POINTS)
        assert sizes and all(px * PT_PER_PX >= 15.99 for _, px in sizes), sizes
        assert hidden == ["none", "none", "none"]  # no site navigation or footer on paper
        assert "订阅活动日历" not in texts[0] and "科普活动" in texts[0]


def test_an_empty_week_says_so_and_still_gives_the_qr_code(sample_output: Path, served: str, browser,
                                                          tmp_path: Path) -> None:
    content = ROOT / "content"
    empty = [i for i in registry_ids(content, "communities")
             if not expected(content, "community_id", i, *NEXT_WEEK)]
    assert empty
    ident = empty[0]
    text = sheet(sample_output, "communities", ident).read_text("utf-8")
    url = _canonical(sample_output / "communities" / ident / "index.html")
    assert "暂时没有安排科普活动" in text and '<svg role="img"' in text
    assert url.split("://", 1)[1] in text
    pages, texts, sizes, _ = _pdf(browser, f"{served}/communities/{ident}/notice/next/", tmp_path / "empty.pdf")
    assert len(pages) == 1 and "暂时没有安排科普活动" in texts[0]
    assert all(px * PT_PER_PX >= 15.99 for _, px in sizes)


CROWDED = "haihewan"
TALK = """\
---
title: {title}
start: {day} {hour:02d}:00
end: "{end:02d}:30"
street: {street}
team: binhai-kexie
categories: [kepu-jiangzuo]
audiences: [laonianren, shequ-jumin]
community: {community}
venue:
  name: 社区党群服务中心二楼活动室
{extra}
summary: 社区科普活动的一场讲座。
---
讲座内容见海报。
"""
# Five talks with every kind of status and sign-up, for a community with no other session that week.
DETAILED = [
    "status: cancelled\nstatus_note: 主讲老师临时出差",
    "status: full\nregistration:\n  required: true\n  phone: \"022-2588 1020\"",
    "registration:\n  required: true\n  phone: \"022-2588 1020\"\n  capacity: 30",
    "registration:\n  required: true\n  url: https://bm.example.cn/jiangzuo",
    "status: postponed\nprevious_start: 2026-12-01 09:00",
]
TOPICS = ["冬季防流感", "高血压饮食", "防范电信诈骗", "燃气安全", "智能手机挂号", "科学健身", "膝关节保养",
          "防跌倒", "中医养生误区", "急救常识", "垃圾分类", "节约用水", "家庭用电安全", "食品标签怎么看",
          "科学用药", "睡眠与健康"]


def _write_talks(folder: Path, prefix: str, street: str, community: str, extras: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, extra in enumerate(extras):
        day = NEXT_WEEK[0] + timedelta(days=number % 7)
        hour = 9 + 2 * (number // 7)
        (folder / f"{prefix}-{number:02d}.md").write_text(TALK.format(
            title=f"社区科普大讲堂：{TOPICS[number]}", day=day.isoformat(), hour=hour, end=hour + 1,
            street=street, community=community, extra=extra), "utf-8")


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory):
    """The sample plus sixteen talks in one community's week (more than one A4 page holds with every
    detail) and five in a quiet community's, built with the sheets moved by settings; served."""
    root = tmp_path_factory.mktemp("crowded")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    registries, _ = load_registries(content / "data")
    quiet = next(c for c in registries.communities.values()
                 if not expected(ROOT / "content", "community_id", c.id, *NEXT_WEEK))
    street = registries.communities[CROWDED].street
    _write_talks(content / "events" / street / "2026", "notice-crowded", street, CROWDED, [""] * len(TOPICS))
    _write_talks(content / "events" / quiet.street / "2026", "notice-detail", quiet.street, quiet.id, DETAILED)
    settings = root / "settings.py"
    settings.write_text("from pelicanconf import *  # noqa: F403\n"
                        "COMMUNITY_NOTICE_NEXT_URL = 'gonggao/{id}/xiazhou/'\n"
                        "COMMUNITY_NOTICE_NEXT_SAVE_AS = 'gonggao/{id}/xiazhou/index.html'\n", "utf-8")
    output = root / "output"
    result = run_build(content, output, settings=settings)
    assert result.returncode == 0, result.stderr
    server, base = serve_directory(output)
    yield content, output, base, quiet.id
    server.shutdown()


def test_sheet_urls_come_from_the_settings(crowded) -> None:
    _, output, _, _ = crowded
    page = (output / "communities" / CROWDED / "index.html").read_text("utf-8")
    assert f'href="/gonggao/{CROWDED}/xiazhou/">打印下周公告</a>' in page
    assert (output / "gonggao" / CROWDED / "xiazhou" / "index.html").is_file()
    assert not (output / "communities" / CROWDED / "notice" / "next").exists()


def test_each_session_says_its_status_and_how_to_sign_up_on_one_page(crowded, browser, tmp_path: Path) -> None:
    content, output, base, quiet = crowded
    page = output / "gonggao" / quiet / "xiazhou" / "index.html"
    rows = listed(page)
    assert rows == expected(content, "community_id", quiet, *NEXT_WEEK) and len(rows) == len(DETAILED)
    text = page.read_text("utf-8")

    def row(number: int) -> str:
        return re.search(rf'data-slug="notice-detail-{number:02d}">.*?</tr>', text, re.S).group(0)

    assert "已取消" in row(0) and "主讲老师临时出差" in row(0) and "报名" not in row(0)
    assert "名额已满" in row(1) and "022-2588 1020" not in row(1)  # nobody is sent to call
    assert "报名电话 022-2588 1020" in row(2) and "限 30 人" in row(2)
    assert "网上报名请扫码" in row(3)  # a link cannot be tapped on paper
    assert "已改期，原定 12月1日（周二）" in row(4) and "无需报名，直接到场" in row(4)
    assert "老年人、社区居民" in row(2)
    assert f"共 {len(rows) - 1} 场" in text  # the cancelled talk is listed, not counted
    pages, _, sizes, _ = _pdf(browser, f"{base}/gonggao/{quiet}/xiazhou/", tmp_path / "detail.pdf")
    assert len(pages) == 1 and all(px * PT_PER_PX >= 15.99 for _, px in sizes)


def test_a_week_too_full_for_one_page_lists_every_session_under_a_repeated_heading(crowded, browser,
                                                                                tmp_path: Path) -> None:
    content, output, base, _ = crowded
    page = output / "gonggao" / CROWDED / "xiazhou" / "index.html"
    assert listed(page) == expected(content, "community_id", CROWDED, *NEXT_WEEK)
    pages, texts, sizes, _ = _pdf(browser, f"{base}/gonggao/{CROWDED}/xiazhou/", tmp_path / "crowded.pdf")
    assert len(pages) == 2  # two lines a session: the seventeen fit two pages
    title = re.search(r'<h1 class="sheet-title">([^<]+)</h1>', page.read_text("utf-8")).group(1)
    short = _canonical(output / "communities" / CROWDED / "index.html").split("://", 1)[1]
    for number, text in enumerate(texts, 1):  # each page stands on its own: title, dates and address on every one
        assert title in text and short in text and "12月7日(周一)至12月13日(周日)" in text
        assert f"第{number}页,共{len(texts)}页" in text  # and which page of how many (one may fall off the board)
        assert "请扫码查看" in text  # where the details left out are
    printed = "".join(texts)
    for topic in TOPICS:
        assert f"社区科普大讲堂:{topic}" in printed  # NFKC: the full-width colon reads as ':'
    assert all(px * PT_PER_PX >= 15.99 for _, px in sizes)


def test_a_session_moved_to_another_place_says_where_it_went_on_its_old_day() -> None:
    """科学会客厅's 1月9日 session moved to 1月10日 at 泰达图书馆: the row on Saturday ended with
    地点：泰达图书馆报告厅, which reads on paper as "here, on Saturday at 09:30"."""
    from datetime import date as day
    from zoneinfo import ZoneInfo

    from test_site_index import index_for

    from kepu.index.notices import build_sheet, notice_weeks

    index = index_for(day(2027, 1, 6), ROOT)
    week = notice_weeks(day(2027, 1, 6))[0]
    sheet = build_sheet(index.facets["streets"]["taida"], week, ZoneInfo("Asia/Shanghai"))
    [away] = [line for line in sheet.lines if line.slug == "taida-kexue-huiketing" and not line.held]
    assert away.day == day(2027, 1, 9) and away.place_label == "改到" and "泰达图书馆" in away.place
    held = [line for line in sheet.lines if line.held]
    assert held and all(line.place_label == "地点" for line in held)


def test_a_sheet_asks_no_one_to_sign_up_for_an_event_put_off_with_no_new_date(tmp_path: Path) -> None:
    """The resident audit: the street's sheet printed 报名：… with the phone number under an event
    whose page says 活动延期，暂停报名 (only full and cancelled events were left without it)."""
    import shutil
    from datetime import date as day
    from zoneinfo import ZoneInfo

    from test_site_index import index_for

    from conftest import TEST_SITE
    from kepu.index.notices import build_sheet, notice_weeks

    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace("featured: true\n", (
        "featured: true\nregistration:\n  required: true\n  phone: \"022-2530 0000\"\n"
        "status: postponed\nstatus_note: 展品运输延误，新时间另行通知。\n")), "utf-8")
    index = index_for(day(2026, 12, 1), site)
    sheet = build_sheet(index.facets["streets"]["xinbei"], notice_weeks(day(2026, 12, 1))[0], ZoneInfo("Asia/Shanghai"))
    [line] = [line for line in sheet.lines if line.slug == "liudong-kejiguan"]
    assert (line.signup, line.registering, line.held) == ("", False, False), line
    assert "已延期（新时间待定）" in line.status
