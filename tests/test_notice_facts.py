"""What a printed notice sheet says must stay true for the whole week it hangs on the board (found by
a community worker printing next week's sheets on a Saturday): when a session that began earlier
really began, whether sign-up is still open during that week, what a paid event costs, and what the
QR code's caption promises."""

from __future__ import annotations

import html
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from test_notices import RADICALS

from conftest import ROOT, run_build, serve_directory

BUILD = "2026-12-12"  # a Saturday: this week is 12/12–12/13, next week 12/14–12/20
OVERNIGHT = """\
---
title: 双子座流星雨守夜观测
start: 2026-12-13 22:00
end: 2026-12-14 02:00
street: xiaowangzhuang
team: binhai-kexie
categories: [kepu-jiangzuo]
audiences: [shequ-jumin]
community: shajingzi
venue:
  name: 沙井子村文化广场
summary: 一起守夜看双子座流星雨。
---
自带保暖衣物。
"""
DAILY = """\
---
title: 冬季剪纸课
start: 2026-12-14 09:00
end: "10:30"
street: zhongtang
team: binhai-kexie
categories: [kepu-jiangzuo]
audiences: [laonianren]
community: liugangzhuang
venue:
  name: 刘岗庄村村委会活动室
recurrence:
  rrule: FREQ=DAILY;COUNT=7
cost: 材料费 20 元
summary: 一周七天，每天一课。
---
每天一课。
"""

EXHIBITION = OVERNIGHT.replace("start: 2026-12-13 22:00", "start: 2026-12-11").replace("end: 2026-12-14 02:00", "end: 2026-12-15") \
    .replace("title: 双子座流星雨守夜观测", "title: 冬季科普展板巡展")
STARGAZING = OVERNIGHT.replace("2026-12-13 22:00", "2027-05-22 21:00").replace("2026-12-14 02:00", "2027-05-23 01:00") \
    .replace("title: 双子座流星雨守夜观测", "title: 科技周星空夜观测\ncampaigns: [keji-huodongzhou-2027]")

MOVED = OVERNIGHT.replace("start: 2026-12-13 22:00", "start: 2027-05-26 14:00").replace("end: 2026-12-14 02:00", 'end: "16:00"') \
    .replace("title: 双子座流星雨守夜观测", "title: 科技周机器人体验课\ncampaigns: [keji-huodongzhou-2027]\n"
             "status: postponed\nprevious_start: 2027-05-24 14:00")


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("notice-facts")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "events" / "xiaowangzhuang" / "2026" / "liuxingyu-shouye.md").write_text(OVERNIGHT, "utf-8")
    (content / "events" / "zhongtang" / "2026" / "dongji-jianzhi-meiri.md").write_text(DAILY, "utf-8")
    (content / "events" / "xiaowangzhuang" / "2026" / "keji-zhou-xingkong.md").write_text(STARGAZING, "utf-8")
    (content / "events" / "xiaowangzhuang" / "2026" / "kepu-zhanban-xunzhan.md").write_text(EXHIBITION, "utf-8")
    (content / "events" / "xiaowangzhuang" / "2026" / "keji-zhou-jiqiren.md").write_text(MOVED, "utf-8")
    output = root / "output"
    result = run_build(content, output, build_date=BUILD)
    assert result.returncode == 0, result.stderr
    server, base = serve_directory(output)
    yield output, base
    server.shutdown()


def _sheet(output: Path, path: str) -> str:
    return (output / path / "index.html").read_text("utf-8")


def _row(text: str, slug: str) -> str:
    row = re.search(rf'<tr class="sheet-item[^"]*" data-slug="{slug}">(.*?)</tr>', text, re.S)
    assert row, slug
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row[1])))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_session_that_began_the_day_before_says_when_it_began(sheets) -> None:
    """22:00 Sunday to 02:00 Monday, on the sheet of the week from Monday: it was printed under 12月14日
    周一 as 22:00 至 12月14日 02:00, and a resident came on Monday night."""
    output, _ = sheets
    row = _squeeze(_row(_sheet(output, "communities/shajingzi/notice/next"), "kepu-zhanban-xunzhan"))
    assert "12月14日周一自12月11日（周五）起，全天，至12月15日" in row
    row = _squeeze(_row(_sheet(output, "communities/shajingzi/notice/next"), "liuxingyu-shouye"))
    assert "12月14日周一自12月13日（周日）22:00起，至12月14日02:00" in row
    this_week = _squeeze(_row(_sheet(output, "communities/shajingzi/notice"), "liuxingyu-shouye"))
    assert "12月13日周日22:00至12月14日02:00" in this_week  # begun on the day it is listed: as before


def test_a_deadline_before_the_week_reads_closed_not_an_invitation_to_call(sheets) -> None:
    """The camp's sign-up closes on 12/12, the Saturday next week's sheet is printed; the sheet hangs
    from 12/14: it said 需要报名…12月12日截止，报名电话… for the whole week."""
    output, _ = sheets
    row = _row(_sheet(output, "streets/dagang/notice/next"), "dagang-zhiqi-jiqiren-dongji-jixunying")
    assert "报名已于 12月12日（周六）截止" in row
    assert "报名电话" not in row and "需要报名" not in row
    page = (output / "events" / "dagang-zhiqi-jiqiren-dongji-jixunying" / "index.html").read_text("utf-8")
    assert "022-6390 0000" in page  # the event page of the same build still offers it on the day itself


def test_a_full_week_still_prints_what_each_session_costs(sheets) -> None:
    """Seven sessions in one week: the sheet prints two lines a session and the details behind the QR
    code, but a paid event without its cost reads as free to someone who comes without money."""
    output, _ = sheets
    text = _sheet(output, "communities/liugangzhuang/notice/next")
    assert "is-compact" in text
    rows = re.findall(r'data-slug="dongji-jianzhi-meiri"', text)
    assert len(rows) == 7
    assert _row(text, "dongji-jianzhi-meiri").count("费用： 材料费 20 元") == 1


def test_the_qr_caption_offers_sign_up_only_where_a_session_takes_it(sheets) -> None:
    output, _ = sheets
    no_signup = _sheet(output, "communities/shajingzi/notice/next")  # the night watch: 无需报名
    assert "看最新安排：" in no_signup and "报名：" not in no_signup.replace("报名：</span>无需报名", "")
    assert "和报名" not in no_signup
    full = _sheet(output, "communities/liugangzhuang/notice/next")  # seven classes, none to sign up for
    assert "适合哪些人，请扫码查看" in full and "怎样报名" not in full
    signing = _sheet(output, "streets/dagang/notice/next")  # the Sunday coding class takes sign-up
    assert "看最新安排和报名：" in signing


def test_a_long_time_wraps_inside_its_column_on_paper(sheets, browser) -> None:
    """An under-way session's time used to stay on one line and widen the date column of every row
    (38 mm → about 65 mm), pushing a week onto more pages: the overnight watch, and an exhibition
    all day since Friday (自 12月11日（周五）起，全天，至 12月15日)."""
    _, base = sheets
    page = browser.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(f"{base}/communities/shajingzi/notice/next/")
        widths = page.eval_on_selector_all(".sheet-when", "cells => cells.map(c => c.getBoundingClientRect().width)")
        dates = page.eval_on_selector_all(".sheet-when time", "days => days.map(d => d.getBoundingClientRect().width)")
    finally:
        page.close()
    # no wider than its date line (12月14日 周一, which never wraps) and the cell's 3 mm padding
    assert widths and max(widths) <= max(dates) + 3 * 96 / 25.4 + 1


def test_the_printed_programme_lists_a_night_session_under_way_not_as_all_day(sheets) -> None:
    """21:00 Saturday to 01:00 Sunday in the science week: Sunday's printed programme listed it under
    the heading 全天 as 21:00 至 5月23日 01:00."""
    output, _ = sheets
    printed = (output / "campaigns" / "keji-huodongzhou-2027" / "print" / "index.html").read_text("utf-8")
    start = printed.index("<h2>2027年5月23日（周日）")
    sunday = printed[start:printed.index("</section>", start)]
    heading = re.findall(r'<h\d class="slot">([^<]+)</h\d>(?:(?!<h\d class="slot">).)*?科技周星空夜观测', sunday, re.S)
    assert heading and heading[0] == "之前开始"
    line = re.search(r'<span class="t">([^<]+)</span> <b>科技周星空夜观测</b>', sunday)
    assert line and line[1] == "自 5月22日（周六） 21:00 起，至 5月23日 01:00"

    assert "信息截至2026年12月12日（周六）" in printed  # a printout read for days says how old it is


def _programme_pages(base: str, browser, tmp_path: Path) -> list[str]:
    """The science week's programme printed by Chromium to an A4 PDF: each page's text, as pypdf
    reads it (spaces dropped, full-width and radical forms folded)."""
    from pypdf import PdfReader

    page = browser.new_page()
    try:
        page.goto(f"{base}/campaigns/keji-huodongzhou-2027/print/")
        page.emulate_media(media="print")
        page.pdf(path=tmp_path / "programme.pdf", format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    return [re.sub(r"\s+", "", unicodedata.normalize("NFKC", p.extract_text()).translate(RADICALS))
            for p in PdfReader(tmp_path / "programme.pdf").pages]


def test_each_printed_page_says_which_of_how_many_it_is(sheets, browser, tmp_path: Path) -> None:
    """A week's programme is several A4 pages pinned side by side; one that falls off is missed."""
    _, base = sheets
    texts = _programme_pages(base, browser, tmp_path)
    assert len(texts) >= 7  # a day a page
    for number, text in enumerate(texts, 1):
        assert f"第{number}页,共{len(texts)}页" in text


def test_the_printed_programme_marks_a_session_on_the_day_it_moved_from(sheets) -> None:
    """Postponed from Monday 5/24 to Wednesday 5/26: the programme listed it on Wednesday only; one
    printed before the change sends people on Monday. Monday now lists it 已改期 with where it went,
    not counted among Monday's sessions."""
    output, _ = sheets
    printed = (output / "campaigns" / "keji-huodongzhou-2027" / "print" / "index.html").read_text("utf-8")

    def day(label: str) -> str:
        start = printed.index(f"<h2>{label}")
        return printed[start:printed.index("</section>", start)]

    monday, wednesday = day("2027年5月24日（周一）"), day("2027年5月26日（周三）")
    line = re.search(r"<li[^>]*><span class=\"t\">([^<]+)</span> <b>科技周机器人体验课</b>(.*?)</li>", monday, re.S)
    assert line and line[1] == "14:00–16:00"
    assert "已改期" in line[2] and "已改期至 5月26日（周三）14:00" in line[2]
    moved = re.search(r"<b>科技周机器人体验课</b>(.*?)</li>", wednesday, re.S)
    assert moved and "原定 5月24日（周一）14:00" in moved[1]  # its badge said 已改期 without from when
    for text in (monday, wednesday):  # each day's 场次: the lines under a clock, less those moved or called off
        tally = int(re.search(r"<strong>(\d+)</strong> 场次", text)[1])
        groups = re.findall(r'<h3 class="slot">(\d\d:\d\d)</h3>\s*<ul class="programme">(.*?)</ul>', text, re.S)
        lines = [li for _, group in groups for li in re.findall(r"<li.*?</li>", group, re.S)]
        assert lines and tally == sum("已改期至" not in li and "已取消" not in li for li in lines)
    overview = (output / "campaigns" / "keji-huodongzhou-2027" / "index.html").read_text("utf-8")
    listed = re.search(r">5月24日（周一）</a> <span class=\"meta\">(\d+) 场", overview)
    assert listed and int(listed[1]) == int(re.search(r"<strong>(\d+)</strong> 场次", monday)[1])


def test_each_printed_day_says_how_old_it_is_and_what_its_zero_means(sheets, browser, tmp_path: Path) -> None:
    """The organiser's audit: the printed programme said 信息截至… and the web address on the last of its
    eight pages only (the others, pinned on a board, had neither), and a day holding only the
    week-long exhibition was headed 0 项 · 0 场次 above it, where the web page says 另有 1 项跨天的活动在进行."""
    output, base = sheets
    printed = (output / "campaigns" / "keji-huodongzhou-2027" / "print" / "index.html").read_text("utf-8")
    days = re.findall(r'<section class="print-day">(.*?)</section>', printed, re.S)
    for day in days:
        heading = re.search(r"<h2>(.*?)</h2>", day, re.S)[1]
        if "<strong>0</strong> 场次" in heading and 'class="programme' in day:
            assert re.search("跨天|已取消|改到", heading), heading
    texts = _programme_pages(base, browser, tmp_path)
    dated = [text for text in texts if "信息截至2026年12月12日" in text and "/campaigns/keji-huodongzhou-2027/" in text]
    assert len(dated) >= len(days) >= 7, (len(dated), len(days))  # every day, the week's seven


def test_a_week_whose_sessions_are_called_off_says_so_beside_its_count(sheets) -> None:
    """A street's notice for the week of 12/12 said 共 0 场 above one listed session (周末科学同学会,
    cancelled that Saturday): the count now says what the listed rows are."""
    output, _ = sheets
    seen = 0
    for page in output.glob("*/*/notice/**/index.html"):
        text = page.read_text("utf-8")
        for week, rows in re.findall(r'<p class="sheet-week">(.*?)</p>(.*?)(?=<p class="sheet-week">|$)', text, re.S):
            unheld = rows.count('class="sheet-item is-cancelled')
            listed = rows.count('class="sheet-item')
            said = re.sub(r"<[^>]+>", "", week)
            if not listed:
                continue
            held = int(re.search(r"共 (\d+) 场", said)[1])
            assert held == listed - unheld, (page, said)
            assert ("另有" in said) == bool(unheld), (page, said)
            if unheld:
                seen += 1
                assert said.endswith(f"（另有 {unheld} 场已取消或改期）"), (page, said)
    assert seen
