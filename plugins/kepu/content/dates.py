"""Parse the date and time forms editors write, and format dates in Chinese."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from fractions import Fraction

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DURATION = timedelta(days=366)
MAX_SHOWN = 40  # characters of an editor's value quoted back in a message

_DATE = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
_OFFSET = r"(?P<tz>Z|[+-]\d{2}:?\d{2})?"
# Patterns are used with fullmatch: "$" would also accept a trailing newline.
_DATETIME_RE = re.compile(rf"{_DATE}(?:(?:[Tt]|\s+){_TIME}\s*{_OFFSET})?")
_TIME_RE = re.compile(_TIME)
# "2026-12-12 14:00-16:00": a start and an end typed in one field. ISO (and YAML) would read
# "-16:00" as a time-zone offset and move the event to the next day; only the full form an
# export writes (T, seconds, offset) keeps a negative offset.
_RANGE = re.compile(r"(?P<day>\d{4}-\d{1,2}-\d{1,2})(?:[Tt]|\s+)(?P<range>(?P<from>\d{1,2}:\d{2})\s*"
                    r"(?:-|–|—|~|～|至|到)\s*(?P<to>\d{1,2}:\d{2}))")
_LIST_SEPARATORS = re.compile(r"\s*[，、；;]\s*")
_SLASHED = re.compile(r"(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})\s*日?(.*)")
# Quotes typed with a Chinese input method are text to YAML, not quoting.
_CURLY_QUOTES = "“”‘’"
_CURLY_HINT = '引号要用英文半角的 "，不能用中文引号“”：写成 "16:00" 这样'
_DURATION_UNITS = ("个小时", "小时", "钟头", "hours", "hour", "hrs", "hr", "h", "分钟", "minutes",
                   "minute", "mins", "min", "分", "m", "days", "day", "天", "d")
_DURATION_PART = re.compile(rf"(\d+(?:\.\d+)?)\s*({'|'.join(_DURATION_UNITS)})", re.IGNORECASE)
_ISO_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?", re.IGNORECASE)
_UNIT_MINUTES = {**dict.fromkeys(("天", "d", "day", "days"), 24 * 60),
                 **dict.fromkeys(("分钟", "分", "min", "mins", "minute", "minutes", "m"), 1)}


class DateFormatError(ValueError):
    """A date or time an editor wrote that cannot be read; ``hint`` says what to write."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_when(text: str) -> date | datetime:
    """``2026-12-05`` → date; ``2026-12-05 14:00`` → naive (or offset-aware) datetime."""
    text = text.strip()
    span = _RANGE.fullmatch(text)
    if span:
        raise DateFormatError(f"时间写成了一段“{span['range']}”，这里只写一个时刻",
                              f'开始时间写 start: {span["day"]} {span["from"]}，结束时间另起一行写 end: "{span["to"]}"')
    match = _DATETIME_RE.fullmatch(text)
    if not match:
        raise DateFormatError(f"无法识别的日期{_quoted(text)}", _suggest_date(text))
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateFormatError(f"年份 {year} 超出范围（{MIN_YEAR}–{MAX_YEAR}）", "请检查年份是否写错")
    try:
        day_value = date(year, month, day)
    except ValueError:
        raise DateFormatError(f"日期“{text}”不存在（{month} 月没有 {day} 日）",
                              "请核对月份和日期") from None
    if match["H"] is None:
        return day_value
    clock = _make_time(int(match["H"]), int(match["M"]), int(match["S"] or 0), text)
    value = datetime.combine(day_value, clock)
    if match["tz"]:
        value = datetime.fromisoformat(f"{value.isoformat()}{_offset(match['tz'])}")
    return value


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """An editor's value as a message quotes it: at most ``limit`` characters."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _quoted(text: str) -> str:
    """“text”, or ：text when the editor's own (Chinese) quotes are part of it."""
    text = shorten(text)
    return f"：{text}" if any(q in text for q in _CURLY_QUOTES) else f"“{text}”"


def _offset(text: str) -> str:
    if text == "Z":
        return "+00:00"
    return text if ":" in text else f"{text[:3]}:{text[3:]}"


def _make_time(hour: int, minute: int, second: int, text: str) -> time:
    if hour == 24 and minute == 0 and second == 0:
        raise DateFormatError(f"时间“{text}”写成了 24:00", "当天结束请写 23:59，或写第二天的 00:00")
    try:
        return time(hour, minute, second)
    except ValueError:
        raise DateFormatError(f"时间“{text}”不存在", "时间写成 24 小时制，例如 14:00") from None


def parse_clock(text: str) -> time:
    """``16:00`` → time(16, 0)."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        hint = _CURLY_HINT if any(q in text for q in _CURLY_QUOTES) else (
            "时间写成 24 小时制并加引号，例如 \"16:00\"")
        raise DateFormatError(f"无法识别的时间{_quoted(text)}", hint)
    return _make_time(int(match["H"]), int(match["M"]), int(match["S"] or 0), text)


def _suggest_date(text: str) -> str:
    if _TIME_RE.fullmatch(text):
        return f"只写了时间，缺少日期：写成 2026-12-05 {text}"
    if text[:1] in _CURLY_QUOTES or text[-1:] in _CURLY_QUOTES:
        return _CURLY_HINT
    match = _SLASHED.fullmatch(text)
    if match:
        year, month, day, rest = match.groups()
        fixed = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        rest = rest.strip()
        if rest and _TIME_RE.fullmatch(rest):
            fixed += f" {rest}"
        return f"日期要用短横线分隔，请写成 {fixed}"
    parts = _LIST_SEPARATORS.split(text)
    if len(parts) > 1 and all(_DATETIME_RE.fullmatch(part) for part in parts):
        return f"多个日期要用英文逗号“,”分隔，写成 [{', '.join(parts)}]"
    if "：" in text:
        return "时间里的冒号要用英文半角“:”，例如 2026-12-05 14:00"
    return "日期写成 2026-12-05，日期加时间写成 2026-12-05 14:00"


def parse_duration(text: str) -> timedelta:
    """``2小时``, ``90分钟``, ``1小时30分钟``, ``1.5h``, ``PT2H`` → timedelta (at most 366 days).

    Amounts are added up as exact fractions of minutes and compared with the limit before a
    timedelta is made, so no number an editor types can overflow."""
    text = str(text).strip()
    iso = _ISO_DURATION.fullmatch(text)
    if iso and any(iso.groups()):
        days, hours, minutes = (_amount(g or "0") for g in iso.groups())
        return _bounded(days * 24 * 60 + hours * 60 + minutes, text)
    total, consumed = Fraction(0), ""
    for match in _DURATION_PART.finditer(text):
        consumed += match[0]
        total += _amount(match[1]) * _UNIT_MINUTES.get(match[2].lower(), 60)
    if not consumed or re.sub(r"\s", "", consumed) != re.sub(r"\s", "", text):
        raise DateFormatError(f"无法识别的时长{_quoted(text)}",
                              "例如 duration: 2小时、duration: 90分钟、duration: 1小时30分钟")
    return _bounded(total, text)


def _amount(digits: str) -> Fraction:
    """``12.5`` → Fraction(25, 2); an absurdly long number becomes merely too large (never a
    huge integer: int() refuses more than 4300 digits)."""
    whole, _, part = digits.partition(".")
    whole = whole.lstrip("0") or "0"
    if len(whole) > 9:
        return Fraction(10**10)
    return Fraction(int(whole)) + (Fraction(int(part[:9]), 10 ** len(part[:9])) if part else 0)


def _bounded(minutes: Fraction, text: str) -> timedelta:
    if minutes <= 0:
        raise DateFormatError(f"时长{_quoted(text)}必须大于零", "例如 duration: 2小时")
    if minutes > MAX_DURATION / timedelta(minutes=1):
        raise DateFormatError(f"时长{_quoted(text)}太长：超过 {MAX_DURATION.days} 天",
                              "长期开放的项目请用 recurrence 写成重复活动")
    return timedelta(minutes=float(minutes))


def as_local(value: date | datetime, zone: tzinfo) -> date | datetime:
    """Attach ``zone`` to a naive datetime; convert an aware one; leave dates alone."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def day_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# ---------------------------------------------------------------- formatting

def format_day(day: date, with_year: bool = True) -> str:
    """2026年4月13日（周一）"""
    text = f"{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"
    return f"{day.year}年{text}" if with_year else text


def format_day_short(day: date) -> str:
    """4月13日"""
    return f"{day.month}月{day.day}日"


def format_clock(value: datetime) -> str:
    return value.strftime("%H:%M")


def format_when(start: date | datetime, end: date | datetime) -> str:
    """Chinese range: 2026年4月13日（周一）14:00–16:00; all-day end is inclusive."""
    if not isinstance(start, datetime):
        if end == start:
            return f"{format_day(start)} 全天"
        return f"{format_day(start)}至{format_day(end, end.year != start.year)}"
    if start.date() == end.date() or (end - start <= timedelta(hours=24)
                                      and end.time() == time(0) and end.date() == start.date()
                                      + timedelta(days=1)):
        return f"{format_day(start.date())}{format_clock(start)}–{format_clock(end)}"
    return (f"{format_day(start.date())}{format_clock(start)} 至 "
            f"{format_day(end.date(), end.year != start.year)}{format_clock(end)}")


def format_datetime(value: date | datetime) -> str:
    """2026年4月13日（周一）14:00, or the day alone for dates."""
    if isinstance(value, datetime):
        return f"{format_day(value.date())}{format_clock(value)}"
    return format_day(value)


def month_label(year: int, month: int) -> str:
    return f"{year}年{month}月"
