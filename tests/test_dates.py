"""Date parsing forms editors write, and the Chinese date format pages show."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kepu.content.dates import DateFormatError, format_when, parse_duration, parse_when


@pytest.mark.parametrize("text, value", [
    ("2026-12-05", date(2026, 12, 5)),
    ("2026-12-05 14:00", datetime(2026, 12, 5, 14, 0)),
    ("2026-12-05T14:00:30", datetime(2026, 12, 5, 14, 0, 30)),
    ("2026-1-5 9:30", datetime(2026, 1, 5, 9, 30)),
])
def test_accepted_date_forms(text: str, value) -> None:
    assert parse_when(text) == value


def test_offset_is_kept() -> None:
    assert parse_when("2026-12-05 14:00+08:00").utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("text, hint", [
    ("2026/5/1", "日期要用短横线分隔，请写成 2026-05-01"),
    ("2026年5月1日", "日期要用短横线分隔，请写成 2026-05-01"),
    ("2026.5.1 14:00", "日期要用短横线分隔，请写成 2026-05-01 14:00"),
    ("2026-05-01 14：00", "时间里的冒号要用英文半角“:”，例如 2026-12-05 14:00"),
])
def test_common_mistakes_get_the_corrected_form(text: str, hint: str) -> None:
    with pytest.raises(DateFormatError) as caught:
        parse_when(text)
    assert caught.value.hint == hint


@pytest.mark.parametrize("text, shown, start, end", [
    # YAML and ISO would read "-16:00" as a time-zone offset: the event moves to the next day.
    ("2026-12-12 14:00-16:00", "14:00-16:00", "2026-12-12 14:00", "16:00"),
    ("2026-12-12 9:30-11:00", "9:30-11:00", "2026-12-12 9:30", "11:00"),
    ("2026-12-12 14:00 - 16:00", "14:00 - 16:00", "2026-12-12 14:00", "16:00"),
    ("2026-12-12 14:00–16:00", "14:00–16:00", "2026-12-12 14:00", "16:00"),
    ("2026-12-12 14:00~16:00", "14:00~16:00", "2026-12-12 14:00", "16:00"),
    ("2026-12-12 14:00至16:30", "14:00至16:30", "2026-12-12 14:00", "16:30"),
])
def test_a_time_range_is_refused_not_read_as_an_offset(text: str, shown: str, start: str, end: str) -> None:
    with pytest.raises(DateFormatError) as caught:
        parse_when(text)
    assert caught.value.message == f"时间写成了一段“{shown}”，这里只写一个时刻"
    assert caught.value.hint == f'开始时间写 start: {start}，结束时间另起一行写 end: "{end}"'


def test_a_negative_offset_in_the_full_iso_form_is_still_an_offset() -> None:
    # What an export from another system writes: date, T, seconds, offset.
    assert parse_when("2026-12-12T14:00:00-05:00").utcoffset() == timedelta(hours=-5)


def test_dates_separated_by_a_chinese_comma_are_named() -> None:
    with pytest.raises(DateFormatError) as caught:
        parse_when("2026-12-26，2027-01-02")
    assert caught.value.hint == "多个日期要用英文逗号“,”分隔，写成 [2026-12-26, 2027-01-02]"


def test_year_out_of_range() -> None:
    with pytest.raises(DateFormatError) as caught:
        parse_when("9999-12-31")
    assert caught.value.message == "年份 9999 超出范围（2000–2100）"


@pytest.mark.parametrize("text, minutes", [
    ("2小时", 120), ("90分钟", 90), ("1小时30分钟", 90), ("1.5h", 90), ("PT2H", 120),
    ("2 hours", 120), ("45min", 45),
])
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["两小时", "2", "0分钟", "P1H"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(DateFormatError):
        parse_duration(text)


@pytest.mark.parametrize("start, end, text", [
    (datetime(2026, 4, 13, 14), datetime(2026, 4, 13, 16), "2026年4月13日（周一）14:00–16:00"),
    (date(2026, 5, 18), date(2026, 5, 18), "2026年5月18日（周一） 全天"),
    (date(2026, 5, 22), date(2026, 5, 28), "2026年5月22日（周五）至5月28日（周四）"),
    (date(2026, 12, 30), date(2027, 1, 2), "2026年12月30日（周三）至2027年1月2日（周六）"),
    (datetime(2026, 12, 18, 9), datetime(2026, 12, 20, 17), "2026年12月18日（周五）09:00 至 12月20日（周日）17:00"),
])
def test_chinese_date_ranges(start, end, text: str) -> None:
    assert format_when(start, end) == text
