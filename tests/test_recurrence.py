"""Recurrence rules: normalisation, bounded expansion, exceptions and Chinese descriptions."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kepu.content.model import Event, Recurrence
from kepu.content.recurrence import MAX_OCCURRENCES, RecurrenceError, describe, expand, normalize_rule

TZ = ZoneInfo("Asia/Shanghai")


def event(start, end, rule=None, exdates=(), rdates=()) -> Event:
    recurrence = None
    if rule:
        recurrence = Recurrence(normalize_rule(rule, start, TZ), tuple(exdates), tuple(rdates))
    return Event(slug="e", source_path="e.md", title="t", start=start, end=end,
                 all_day=not isinstance(start, datetime), timezone="Asia/Shanghai", street="s",
                 team="t", categories=("c",), audiences=("a",), recurrence=recurrence)


def test_until_date_of_a_timed_event_becomes_end_of_that_day_in_utc() -> None:
    start = datetime(2026, 9, 5, 14, tzinfo=TZ)
    assert normalize_rule("FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30", start, TZ) == \
        "FREQ=WEEKLY;BYDAY=SA;UNTIL=20270130T155959Z"
    assert normalize_rule("rrule:freq=weekly;until=20270130", start, TZ) == \
        "FREQ=WEEKLY;UNTIL=20270130T155959Z"


def test_until_of_an_all_day_event_stays_a_date() -> None:
    assert normalize_rule("FREQ=MONTHLY;UNTIL=2027-03-01", date(2026, 9, 1), TZ) == \
        "FREQ=MONTHLY;UNTIL=20270301"


@pytest.mark.parametrize("rule, message", [
    ("BYDAY=SA", "规则缺少 FREQ（重复频率）"),
    ("FREQ=HOURLY", "不支持 FREQ=HOURLY：活动最多每天重复一次"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=2027-01-01", "COUNT 和 UNTIL 不能同时使用"),
    ("FREQ=WEEKLY;COUNT=5000", "COUNT=5000 无效，应为 1 到 1000 之间的整数"),
    ("FREQ=WEEKLY;BYDAY=SAT", "BYDAY 中的“SAT”无效"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "按这条规则永远不会有活动（所选月份没有这一天）"),
    ("FREQ=DAILY;BYHOUR=9", "不支持 BYHOUR：活动最多按天重复"),
    ("FREQ=WEEKLY;UNTIL=2027/01/30", "UNTIL 的日期“2027/01/30”无法识别：无法识别的日期“2027/01/30”"),
])
def test_unusable_rules_are_explained(rule: str, message: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        normalize_rule(rule, datetime(2026, 9, 5, 14, tzinfo=TZ), TZ)
    assert caught.value.message == message


def test_weekly_with_exdate_and_rdate() -> None:
    start = datetime(2026, 11, 7, 14, tzinfo=TZ)
    e = event(start, datetime(2026, 11, 7, 16, tzinfo=TZ), "FREQ=WEEKLY;BYDAY=SA;UNTIL=2026-12-05",
              exdates=[date(2026, 11, 21)], rdates=[datetime(2026, 12, 9, 14, tzinfo=TZ)])
    got = [(o.start.isoformat(), o.end.isoformat()) for o in expand(e, date(2027, 12, 31))]
    assert got == [
        ("2026-11-07T14:00:00+08:00", "2026-11-07T16:00:00+08:00"),
        ("2026-11-14T14:00:00+08:00", "2026-11-14T16:00:00+08:00"),
        ("2026-11-28T14:00:00+08:00", "2026-11-28T16:00:00+08:00"),
        ("2026-12-05T14:00:00+08:00", "2026-12-05T16:00:00+08:00"),
        ("2026-12-09T14:00:00+08:00", "2026-12-09T16:00:00+08:00"),
    ]


def test_all_day_multi_day_recurrence_keeps_its_length() -> None:
    e = event(date(2026, 12, 4), date(2026, 12, 6), "FREQ=MONTHLY;COUNT=2")
    got = [(o.start, o.end) for o in expand(e, date(2027, 12, 31))]
    assert got == [(date(2026, 12, 4), date(2026, 12, 6)), (date(2027, 1, 4), date(2027, 1, 6))]


def test_rule_without_end_stops_at_the_horizon() -> None:
    e = event(datetime(2026, 1, 1, 9, tzinfo=TZ), datetime(2026, 1, 1, 10, tzinfo=TZ), "FREQ=WEEKLY")
    occurrences = expand(e, date(2026, 3, 1))
    assert occurrences[-1].start.date() == date(2026, 2, 26)
    assert len(occurrences) == 9


def test_daily_rule_from_long_ago_is_capped() -> None:
    e = event(datetime(2001, 1, 1, 9, tzinfo=TZ), datetime(2001, 1, 1, 10, tzinfo=TZ), "FREQ=DAILY")
    assert len(expand(e, date(2027, 1, 1))) == MAX_OCCURRENCES


def test_a_long_running_series_shows_its_recent_and_coming_dates() -> None:
    e = event(datetime(2001, 1, 1, 9, tzinfo=TZ), datetime(2001, 1, 1, 10, tzinfo=TZ), "FREQ=DAILY")
    occurrences = expand(e, date(2027, 12, 1), since=date(2024, 12, 1))
    assert occurrences[0].start.date() == date(2024, 12, 1)
    assert occurrences[-1].start.date() == date(2027, 12, 1)
    assert occurrences[0].index == (date(2024, 12, 1) - date(2001, 1, 1)).days  # position in the series


def test_a_series_that_ended_long_ago_keeps_its_last_date() -> None:
    e = event(datetime(2010, 1, 4, 9, tzinfo=TZ), datetime(2010, 1, 4, 10, tzinfo=TZ), "FREQ=WEEKLY;COUNT=3")
    assert [o.start.date() for o in expand(e, date(2027, 1, 1), since=date(2024, 1, 1))] == [date(2010, 1, 18)]


@pytest.mark.parametrize("rule, text", [
    ("FREQ=WEEKLY;BYDAY=SA", "每周六"),
    ("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8", "每周二、周四，共 8 次"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "每两周的周四"),
    ("FREQ=MONTHLY;BYDAY=1WE", "每月第一个周三"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "每月最后一个周五"),
    ("FREQ=MONTHLY;BYMONTHDAY=15", "每月15日"),
    ("FREQ=DAILY;UNTIL=20270130T155959Z", "每天，至 2027年1月30日"),
])
def test_rules_are_described_in_chinese(rule: str, text: str) -> None:
    assert describe(rule, False, TZ) == text
