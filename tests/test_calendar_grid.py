"""The calendar views' days (kepu.index.grids): what each day cell says, which items count as a 场次,
the month grid (Monday first) and the agenda's quiet days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from test_site_index import index_for

from conftest import ROOT
from kepu.index.grids import Calendar, DayLine, MonthKey, by_day, collapse_quiet_days, session_count


def _days(site: Path | None = None):
    index = index_for(date(2026, 12, 1), site) if site else index_for(date(2026, 12, 1))
    return by_day(index.entries, index.timezone)


def _cells(days, day: date) -> list[tuple[str, str, bool]]:
    return [(item.event.slug, item.time_text, item.is_session) for item in days[day]]


def test_a_day_lists_its_events_by_time_and_a_series_links_to_its_date() -> None:
    days = _days()
    assert _cells(days, date(2026, 12, 5)) == [("liudong-kejiguan", "09:00–16:00", True),
                                               ("zhoumo-tongxuehui", "14:00–16:00", True)]
    assert days[date(2026, 12, 5)][1].url == "events/zhoumo-tongxuehui/#d2026-12-05"
    assert date(2026, 12, 26) not in days  # the series' EXDATE


def test_a_cancelled_three_day_event_shows_each_day_and_counts_no_session() -> None:
    days = _days()
    assert [_cells(days, date(2026, 12, d)) for d in (14, 15, 16)] == [
        [("kejizhou", f"全天（第 {n}/3 天）", False)] for n in (1, 2, 3)]
    assert session_count(days[date(2026, 12, 14)]) == 0


def test_an_overnight_event_shows_on_both_days_and_counts_once(mini_site: Path) -> None:
    (mini_site / "content" / "events" / "xinbei" / "2026" / "guanxing.md").write_text(
        "---\ntitle: 双子座流星雨观测夜\nstart: 2026-12-13 22:00\nend: 2026-12-14 02:00\nstreet: xinbei\n"
        "team: xinbei-liudong\ncategories: [kexue-shiyan]\naudiences: [qinzi]\nvenue:\n  name: 新北公园\n---\n观星。\n",
        "utf-8")
    days = _days(mini_site)
    # A night's four hours, not 22:00 开始（共 2 天）, which read as a two-day event (found by a
    # resident's journey).
    assert _cells(days, date(2026, 12, 13)) == [("guanxing", "22:00 开始，次日 02:00 结束", True)]
    assert ("guanxing", "至 02:00（前一天 22:00 开始）", False) in _cells(days, date(2026, 12, 14))


def test_the_month_grid_starts_on_monday_and_no_month_is_skipped() -> None:
    calendar = Calendar(_days())
    assert calendar.months == [MonthKey(2026, m) for m in (9, 10, 11, 12)] + [MonthKey(2027, 1), MonthKey(2027, 2)]
    december = calendar.month(MonthKey(2026, 12))
    first = december.weeks[0]
    assert [(d.day, d.in_month, d.weekday) for d in first[:2]] == [(date(2026, 11, 30), False, "周一"),
                                                                    (date(2026, 12, 1), True, "周二")]
    assert len(december.weeks) == 5 and all(len(week) == 7 for week in december.weeks)
    assert december.count == 4  # 5th: two; 12th, 19th: the series; kejizhou is cancelled
    assert (december.previous, december.next) == (MonthKey(2026, 11), MonthKey(2027, 1))
    assert december.key.label == "2026年12月"


def test_an_agenda_says_a_run_of_quiet_days_once() -> None:
    rows = collapse_quiet_days(Calendar(_days()).span(date(2026, 12, 6), 8))
    assert [row.label for row in rows] == ["12月6日（周日）至 12月11日（周五）", "12月12日（周六）", "12月13日（周日）"]


def test_a_calendar_line_holds_what_its_day_shows_as_plain_values() -> None:
    """Calendar pages read one small value per line (the engine digests it whole), not the
    event behind it: the title, the status and its text, when it is over, a series' changed
    session."""
    days = _days()
    kejizhou = next(item for item in days[date(2026, 12, 15)] if item.event.slug == "kejizhou")
    line = kejizhou.line
    assert (line.title, line.status, line.status_text) == (kejizhou.event.title, "cancelled", "已取消")
    assert line.ends == "2026-12-17T00:00:00+08:00"  # all day to the 16th: over at the midnight after
    assert (line.url, line.time_text, line.cancelled) == (kejizhou.url, kejizhou.time_text, True)
    assert all(isinstance(getattr(line, name), (str, bool)) for name in DayLine.__slots__)
    dropped = next(item for item in _days(ROOT)[date(2026, 12, 12)]
                   if item.event.slug == "zhoumo-kexue-tongxuehui-qiudong")
    assert (dropped.line.status, dropped.line.changed, dropped.line.cancelled, dropped.line.session_label) == (
        "scheduled", True, True, "已取消")
