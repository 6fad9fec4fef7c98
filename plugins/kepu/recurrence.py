"""Validate RFC 5545 recurrence rules, expand them within a horizon, describe them in Chinese."""

from __future__ import annotations

import calendar
import re
import warnings
from collections.abc import Iterable
from datetime import MAXYEAR, UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from .dates import DateFormatError, parse_when
from .model import Event, Occurrence

ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ALLOWED_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                 "BYSETPOS", "WKST")
MAX_COUNT = 1000
MAX_OCCURRENCES = 1500
FIRST_WITHIN_YEARS = 10  # a rule must give a date this soon after the start
_DAY_CODES = {"MO": "一", "TU": "二", "WE": "三", "TH": "四", "FR": "五", "SA": "六", "SU": "日"}
# Patterns are used with fullmatch: "$" would also accept a trailing newline.
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_MONTH_DAY = re.compile(r"[+-]?\d{1,2}")
_MONTH = re.compile(r"\d{1,2}")
_SET_POSITION = re.compile(r"[+-]?\d{1,3}")
_ORDINAL_HINT = "序号写在星期前面，例如 BYDAY=1WE（第一个周三）、BYDAY=-1SA（最后一个周六）"
_SETPOS_HINT = "例如 FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1（每月最后一个工作日）"
_NO_DATE_HINT = ("检查 BYDAY、BYMONTHDAY、BYMONTH、BYSETPOS 的组合能否出现；"
                 "例如每月最后一个周一写 FREQ=MONTHLY;BYDAY=-1MO")
_FREQ_WORDS = {"DAILY": "天", "WEEKLY": "周", "MONTHLY": "月", "YEARLY": "年"}
_MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30,
               12: 31}
_HINT = "例如 FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30（每周六，到 2027 年 1 月 30 日）"


class RecurrenceError(ValueError):
    """An unusable rule; ``hint`` tells the editor what to write."""

    def __init__(self, message: str, hint: str = _HINT):
        super().__init__(message)
        self.message = message
        self.hint = hint


def _parts(text: str) -> list[tuple[str, str]]:
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts = []
    for piece in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, value = piece.partition("=")
        key, value = key.strip().upper(), value.strip()
        if not sep or not value:
            raise RecurrenceError(f"规则片段“{piece}”缺少“=”或取值")
        if key not in ALLOWED_PARTS:
            if key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
                raise RecurrenceError(f"不支持 {key}：活动最多按天重复", "删去该片段，开始时间写在 start 中")
            raise RecurrenceError(f"不支持的规则片段“{key}”", _HINT)
        if any(k == key for k, _ in parts):
            raise RecurrenceError(f"规则片段 {key} 重复出现")
        parts.append((key, value if key == "UNTIL" else value.upper()))
    return parts


def _until(value: str, start: date | datetime, zone: tzinfo) -> str:
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?", value.upper())
    try:
        if compact:
            y, m, d, hh, mm, ss, z = compact.groups()
            text = f"{y}-{m}-{d}" + (f" {hh}:{mm}:{ss}" if hh else "") + ("Z" if z else "")
            parsed = parse_when(text)
        else:
            parsed = parse_when(value)
    except DateFormatError as exc:
        raise RecurrenceError(f"UNTIL 的日期“{value}”无法识别：{exc.message}", exc.hint) from None
    if not isinstance(start, datetime):
        return (parsed if not isinstance(parsed, datetime) else parsed.date()).strftime("%Y%m%d")
    if not isinstance(parsed, datetime):  # the whole last day counts
        parsed = datetime.combine(parsed, time(23, 59, 59))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _check_int(key: str, value: str, low: int, high: int) -> None:
    if not re.fullmatch(r"\d{1,9}", value) or not low <= int(value) <= high:
        raise RecurrenceError(f"{key}={value} 无效，应为 {low} 到 {high} 之间的整数")


def _items(parts: dict[str, str], key: str) -> list[str]:
    """The comma-separated values of a BYxxx part; an empty one is a typo."""
    if key not in parts:
        return []
    items = parts[key].split(",")
    if not all(items):
        raise RecurrenceError(f"{key} 中有空的一项（多写了逗号）", "多个值用一个英文逗号分隔，例如 BYDAY=TU,TH")
    return items


def _check_lists(parts: dict[str, str]) -> None:
    """Every BYxxx value within its RFC 5545 range for this FREQ, so that dateutil never
    raises (BYDAY=+53MO on a monthly rule indexes past its month tables) nor guesses."""
    freq = parts["FREQ"]
    months = []
    for item in _items(parts, "BYMONTH"):
        if not _MONTH.fullmatch(item) or not 1 <= int(item) <= 12:
            raise RecurrenceError(f"BYMONTH 中的“{item}”无效：月份只能是 1 到 12", "例如 BYMONTH=7,8（七月和八月）")
        months.append(int(item))
    for code in _items(parts, "BYDAY"):
        match = _BYDAY.fullmatch(code)
        if not match:
            raise RecurrenceError(f"BYDAY 中的“{code}”无效",
                                  "星期用 MO TU WE TH FR SA SU 表示，多个用英文逗号分隔，如 BYDAY=TU,TH")
        if match[1] is None:
            continue
        if freq in ("DAILY", "WEEKLY"):
            raise RecurrenceError(f"BYDAY 中的“{code}”带了序号：只有按月或按年重复才能写第几个星期几",
                                  f"按周、按天重复只写星期，例如 BYDAY={match[2]}")
        within, limit = (("按月重复时", 5) if freq == "MONTHLY" else
                         ("按年重复并写了 BYMONTH 时", 5) if months else ("按年重复时", 53))
        if not 1 <= abs(int(match[1])) <= limit:
            raise RecurrenceError(f"BYDAY 中的“{code}”序号超出范围：{within}只能是 1 到 {limit} 或 -1 到 -{limit}",
                                  _ORDINAL_HINT)
    days = []
    for item in _items(parts, "BYMONTHDAY"):
        if not _MONTH_DAY.fullmatch(item) or not 1 <= abs(int(item)) <= 31:
            raise RecurrenceError(f"BYMONTHDAY 中的“{item}”无效：日期只能是 1 到 31，或 -1 到 -31（倒数第几天）",
                                  "例如 BYMONTHDAY=15（每月 15 日）、BYMONTHDAY=-1（每月最后一天）")
        days.append(int(item))
    if days and freq == "WEEKLY":
        raise RecurrenceError("按周重复（FREQ=WEEKLY）不能写 BYMONTHDAY",
                              f"每月某一天请写 FREQ=MONTHLY;BYMONTHDAY={days[0]}")
    for item in _items(parts, "BYSETPOS"):
        if not _SET_POSITION.fullmatch(item) or not 1 <= abs(int(item)) <= 366:
            raise RecurrenceError(f"BYSETPOS 中的“{item}”无效：只能是 1 到 366，或 -1 到 -366", _SETPOS_HINT)
    if "BYSETPOS" in parts and not {"BYDAY", "BYMONTHDAY", "BYMONTH"} & parts.keys():
        raise RecurrenceError("BYSETPOS 要和 BYDAY、BYMONTHDAY 或 BYMONTH 一起使用", _SETPOS_HINT)
    if "WKST" in parts and parts["WKST"] not in _DAY_CODES:
        raise RecurrenceError(f"WKST={parts['WKST']} 无效：只能是 {'、'.join(_DAY_CODES)} 之一",
                              "一般不需要写 WKST，删去即可")
    positive = [d for d in days if d > 0]
    if months and positive and len(positive) == len(days) and all(
            d > _MONTH_DAYS[m] for m in months for d in positive):
        raise RecurrenceError("按这条规则永远不会有活动（所选月份没有这一天）")


def normalize_rule(text: str, start: date | datetime, zone: tzinfo) -> str:
    """Check a rule and return it in canonical form, UNTIL in UTC for timed events."""
    parts = _parts(str(text))
    found = dict(parts)
    if "FREQ" not in found:
        raise RecurrenceError("规则缺少 FREQ（重复频率）")
    if found["FREQ"] not in ALLOWED_FREQ:
        if found["FREQ"] in ("HOURLY", "MINUTELY", "SECONDLY"):
            raise RecurrenceError(f"不支持 FREQ={found['FREQ']}：活动最多每天重复一次",
                                  "每天举办请写 FREQ=DAILY")
        raise RecurrenceError(f"FREQ={found['FREQ']} 无效", "FREQ 只能是 DAILY、WEEKLY、MONTHLY 或 YEARLY")
    if "COUNT" in found and "UNTIL" in found:
        raise RecurrenceError("COUNT 和 UNTIL 不能同时使用", "只保留其中一个：COUNT 是总次数，UNTIL 是最后日期")
    if "COUNT" in found:
        _check_int("COUNT", found["COUNT"], 1, MAX_COUNT)
    if "INTERVAL" in found:
        _check_int("INTERVAL", found["INTERVAL"], 1, 366)
    _check_lists(found)
    out = []
    for key, value in sorted(parts, key=lambda kv: kv[0] != "FREQ"):
        out.append(f"{key}={_until(value, start, zone) if key == 'UNTIL' else value}")
    rule = ";".join(out)
    dtstart = _dtstart(start, zone)
    try:
        parsed = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        raise RecurrenceError(f"规则无法解析（{exc}）") from None
    until = parsed._until
    if until is not None and until < dtstart:
        shown = until.astimezone(zone) if until.tzinfo else until
        raise RecurrenceError(f"UNTIL（{shown.year}年{shown.month}月{shown.day}日）早于活动开始，这条重复规则不会产生任何日期",
                              "UNTIL 写最后一次活动的日期，应在 start 之后")
    if first_occurrence(rule, start, zone) is None:
        raise RecurrenceError(f"这条重复规则不会产生任何日期（从开始起 {FIRST_WITHIN_YEARS} 年内一次也没有）",
                              _NO_DATE_HINT)
    return rule


def first_occurrence(rule: str, start: date | datetime, zone: tzinfo,
                     exdates: Iterable[date | datetime] = ()) -> datetime | None:
    """The first date of ``rule`` from ``start`` that ``exdates`` do not remove, as local wall
    time, if one falls within FIRST_WITHIN_YEARS years; else None.

    dateutil (the expander the site uses) finds it, with bounded work: it walks period after
    period until one yields a date or the year 9999 is passed, so a rule that never yields
    would take seconds (FREQ=DAILY: three million days). The search therefore runs on a copy
    of the rule moved forward by whole years to just before 9999, onto years whose calendars
    (weekday of 1 January, leap or not) are those of the years searched: dates, weekdays and
    INTERVAL steps line up, and the walk past the window ends within a few decades.
    """
    local = _dtstart(start, zone).replace(tzinfo=None)
    try:
        parsed = rrulestr(rule, dtstart=_dtstart(start, zone))
        until = parsed._until
        if until is not None and until.tzinfo is not None:
            until = until.astimezone(zone).replace(tzinfo=None)
        window_end = local + timedelta(days=366 * FIRST_WITHIN_YEARS)
        years = _shift(local.year, FIRST_WITHIN_YEARS + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            moved = parsed.replace(dtstart=_move(local, years),
                                   until=_move(until, years) if until and until <= window_end else None)
        end = _move(window_end, years)
        excluded = {_wall(occurrence_point(value, start, zone), zone) for value in exdates}
        for point in moved:
            if point > end:
                return None
            found = _move(point, -years)
            if found not in excluded:
                return found
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        raise RecurrenceError(f"规则无法解析（{exc}）") from None
    return None


def _wall(value: datetime, zone: tzinfo) -> datetime:
    return value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value


def _move(value: datetime, years: int) -> datetime:
    return value.replace(year=value.year + years)


def _calendar(year: int) -> tuple[int, bool]:
    return date(year, 1, 1).weekday(), calendar.isleap(year)


@lru_cache(maxsize=256)
def _shift(year: int, span: int) -> int:
    """Years to add so that ``year`` … ``year + span`` land on years with the same calendars,
    as close to 9999 as possible (a multiple of 400 years always qualifies)."""
    wanted = [_calendar(year + i) for i in range(span + 1)]
    for target in range(MAXYEAR - span, MAXYEAR - span - 400, -1):
        if all(_calendar(target + i) == wanted[i] for i in range(span + 1)):
            return target - year
    raise AssertionError("the Gregorian calendar repeats every 400 years")


def _dtstart(start: date | datetime, zone: tzinfo) -> datetime:
    if isinstance(start, datetime):
        return start if start.tzinfo else start.replace(tzinfo=zone)
    return datetime.combine(start, time())


def occurrence_point(value: date | datetime, start: date | datetime, zone: tzinfo) -> datetime:
    """An EXDATE/RDATE as the datetime the rule yields (a bare date takes the start's time)."""
    if isinstance(start, datetime):
        if not isinstance(value, datetime):
            value = datetime.combine(value, start.timetz())
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value if not isinstance(value, datetime) else value.date(), time())


def ruleset(event: Event, limit: date) -> rruleset:
    """The event's occurrences as a dateutil ruleset, cut off after ``limit``."""
    zone = ZoneInfo(event.timezone)
    dtstart = _dtstart(event.start, zone)
    rules = rruleset()
    recurrence = event.recurrence
    if recurrence is None:
        rules.rdate(dtstart)
        return rules
    rule = rrulestr(recurrence.rrule, dtstart=dtstart)
    assert isinstance(rule, rrule)
    cutoff = datetime.combine(limit, time(23, 59, 59), dtstart.tzinfo)
    if rule._until is None or rule._until > cutoff:  # bound rules that never end
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            rule = rule.replace(until=cutoff.astimezone(UTC) if dtstart.tzinfo else cutoff)
    rules.rrule(rule)
    for value in recurrence.rdates:
        rules.rdate(occurrence_point(value, event.start, zone))
    for value in recurrence.exdates:
        rules.exdate(occurrence_point(value, event.start, zone))
    return rules


def expand(event: Event, limit: date, since: date | None = None) -> list[Occurrence]:
    """Occurrences starting on or before ``limit`` and, when ``since`` is given, ending on or
    after it (at most MAX_OCCURRENCES). A series that ended before ``since`` keeps its last
    occurrence, so it still has a date to show."""
    if event.recurrence is None:
        return [Occurrence(event, event.start, event.end, 0)]
    span = event.duration
    occurrences: list[Occurrence] = []
    before: Occurrence | None = None
    for index, point in enumerate(ruleset(event, limit)):
        if isinstance(event.start, datetime):
            start: date | datetime = point
            end: date | datetime = point + span
        else:
            start = point.date()
            end = start + span - timedelta(days=1)
        if (start if not isinstance(start, datetime) else start.date()) > limit:
            break
        occurrence = Occurrence(event, start, end, index)
        if since is not None and occurrence.last_day < since:
            before = occurrence
            continue
        if len(occurrences) >= MAX_OCCURRENCES:
            break
        occurrences.append(occurrence)
    return occurrences or ([before] if before else [])


def describe(rule: str, all_day: bool, zone: tzinfo) -> str:
    """A Chinese summary such as ``每周六``, ``每两周的周二、周四，至 2027年1月30日``."""
    parts = dict(_parts(rule))
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    unit = _FREQ_WORDS[freq]
    every = f"每{unit}" if interval == 1 else f"每{_number(interval)}{'个' if freq == 'MONTHLY' else ''}{unit}"
    days = [_day_name(code, freq) for code in filter(None, parts.get("BYDAY", "").split(","))]
    text = every
    if "BYMONTHDAY" in parts:
        text += "、".join(f"{d}日" for d in parts["BYMONTHDAY"].split(","))
    if days and interval == 1 and freq == "WEEKLY":
        text = "每" + "、".join(days)
    elif days:
        text += "的" + "、".join(days)
    if "COUNT" in parts:
        text += f"，共 {parts['COUNT']} 次"
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        moment = datetime.strptime(until[:8], "%Y%m%d")
        if until.endswith("Z"):
            moment = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(zone)
        text += f"，至 {moment.year}年{moment.month}月{moment.day}日"
    return text


def _number(value: int) -> str:
    names = "零一两三四五六七八九十"
    return names[value] if value <= 10 else str(value)


def _day_name(code: str, freq: str) -> str:
    match = _BYDAY.fullmatch(code)
    if not match:
        return code
    ordinal, day = match.groups()
    name = f"周{_DAY_CODES[day]}"
    if not ordinal:
        return name
    n = int(ordinal)
    return f"第{_number(n)}个{name}" if n > 0 else ("最后一个" if n == -1 else f"倒数第{_number(-n)}个") + name
