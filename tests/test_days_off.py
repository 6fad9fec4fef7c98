"""A series' days off (exdates) are said on its page: a resident who reads 每周日 learns there which
Sundays there is no class, not only from a gap in the list of dates below it."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

from kepu.content.model import Recurrence
from kepu.content.recurrence import days_off_text

ZONE = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 9, 6, 9, 0)


def _days_off(exdates: tuple, since: date, last: date) -> str:
    recurrence = Recurrence(rrule="FREQ=WEEKLY;BYDAY=SU", exdates=exdates)
    return days_off_text(recurrence, START, ZONE, since, last)


def test_days_off_still_to_come_are_named_with_their_weekday_and_the_year_once() -> None:
    exdates = (date(2026, 10, 4), date(2027, 2, 14), date(2027, 2, 7), date(2027, 7, 4))
    assert _days_off(exdates, date(2026, 12, 1), date(2027, 6, 27)) == "2027年2月7日（周日）、2月14日（周日）不开展"
    # one already past (10/4) and one after the last session (7/4) are not named; across a new year,
    # the year is said again
    assert _days_off((date(2026, 12, 27), date(2027, 1, 3)), date(2026, 12, 1), date(2027, 6, 27)) == (
        "2026年12月27日（周日）、2027年1月3日（周日）不开展")
    assert _days_off((date(2026, 10, 4),), date(2026, 12, 1), date(2027, 6, 27)) == ""
    assert days_off_text(None, START, ZONE, date(2026, 12, 1), date(2027, 6, 27)) == ""


def test_a_day_off_that_holds_a_session_all_the_same_is_not_named() -> None:
    """2/7 excluded, then given back at another time (an rdate) or a session moved onto it: the page
    listed a session on 2/7 under 2月7日不开展."""
    recurrence = Recurrence(rrule="FREQ=WEEKLY;BYDAY=SU", exdates=(date(2027, 2, 7), date(2027, 2, 14)))
    assert days_off_text(recurrence, START, ZONE, date(2026, 12, 1), date(2027, 6, 27),
                         held={date(2027, 2, 7)}) == "2027年2月14日（周日）不开展"


def _time_fact(page: Path) -> str:
    html = page.read_text("utf-8")
    fact = re.search(r"<dt>时间</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert fact, page
    return unescape(re.sub(r"<[^>]+>", " ", fact[1]))


def test_the_series_page_says_which_of_its_days_are_off(sample_output: Path) -> None:
    """智启梦工厂周日编程班: 每周日 until June, but not on 2/7 and 2/14 (the Spring Festival); its
    page said only 每周日，至 2027年6月27日."""
    fact = _time_fact(sample_output / "events" / "dagang-zhiqi-biancheng-zhouri" / "index.html")
    assert "每周日，至 2027年6月27日" in fact
    assert "2027年2月7日（周日）、2月14日（周日）不开展" in fact
    assert "10月4日" not in fact  # the day off before the build is not named


def test_a_series_without_days_off_says_nothing_of_them(sample_output: Path) -> None:
    pages = sorted((sample_output / "events").glob("*/index.html"))
    series = [p for p in pages if 'class="repeat"' in p.read_text("utf-8")]
    assert len(series) > 5
    content = Path(__file__).resolve().parents[1] / "content" / "events"
    without = [p for p in series  # no day left out, no session cancelled
               if not {"exdates:", "cancel"} & set(re.findall(r"exdates:|cancel",
                                                             next(content.rglob(f"{p.parent.name}.md")).read_text("utf-8")))]
    assert without and all("不开展" not in _time_fact(p) for p in without)


def test_the_series_page_does_not_call_a_day_off_that_holds_a_session(tmp_path: Path) -> None:
    """The class given back on 2/7 at 14:00 (an rdate on the day excluded): its page listed that
    session and said 2月7日不开展 above it."""
    import shutil

    from test_site_index import index_for

    shutil.copytree(Path(__file__).resolve().parents[1] / "content", tmp_path / "content")
    path = tmp_path / "content" / "events" / "dagang" / "2026" / "dagang-zhiqi-biancheng-zhouri.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("rdates: [2027-01-30 09:00]", "rdates: [2027-01-30 09:00, 2027-02-07 14:00]"), "utf-8")
    entry = index_for(date(2026, 12, 1), tmp_path).by_slug["dagang-zhiqi-biancheng-zhouri"]
    assert any(o.start.date() == date(2027, 2, 7) for o in entry.occurrences)
    assert entry.days_off == "2027年2月14日（周日）不开展"


def test_a_cancelled_session_still_to_come_is_named_with_the_days_off() -> None:
    """周末科学同学会, seen on Wednesday 12/9: its 时间 said the next session (12/19) and 1月2日
    不开展, but not that Saturday 12/12 is cancelled (文化站消防检查): a parent who reads 每周六 and
    the one day off named turns up on the 12th."""
    from test_site_index import index_for

    root = Path(__file__).resolve().parents[1]
    entry = index_for(date(2026, 12, 9), root).by_slug["zhoumo-kexue-tongxuehui-qiudong"]
    assert entry.shown.start.date() == date(2026, 12, 19)
    assert entry.days_off == "2026年12月12日（周六）、2027年1月2日（周六）不开展"
    later = index_for(date(2026, 12, 14), root).by_slug["zhoumo-kexue-tongxuehui-qiudong"]
    assert later.days_off == "2027年1月2日（周六）不开展"  # once it is past, as a day off past


def test_cancelled_days_are_named_in_order_with_the_days_off() -> None:
    recurrence = Recurrence(rrule="FREQ=WEEKLY;BYDAY=SU", exdates=(date(2027, 2, 7),))
    assert days_off_text(recurrence, START, ZONE, date(2026, 12, 1), date(2027, 6, 27),
                         cancelled={date(2027, 3, 7), date(2026, 12, 13), date(2027, 7, 4)}) == (
        "2026年12月13日（周日）、2027年2月7日（周日）、3月7日（周日）不开展")
