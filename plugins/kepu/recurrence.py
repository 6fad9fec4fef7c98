"""Validate RFC 5545 recurrence rules, expand them within a horizon, describe them in Chinese."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from .dates import DateFormatError, parse_when
from .model import Event, Occurrence

ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ALLOWED_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                 "BYSETPOS", "WKST")
MAX_COUNT = 1000
MAX_OCCURRENCES = 1500
_DAY_CODES = {"MO": "一", "TU": "二", "WE": "三", "TH": "四", "FR": "五", "SA": "六", "SU": "日"}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
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
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise RecurrenceError(f"{key}={value} 无效，应为 {low} 到 {high} 之间的整数")


def _check_days(parts: dict[str, str]) -> None:
    for code in filter(None, parts.get("BYDAY", "").split(",")):
        if not _BYDAY.match(code):
            raise RecurrenceError(f"BYDAY 中的“{code}”无效",
                                  "星期用 MO TU WE TH FR SA SU 表示，多个用英文逗号分隔，如 BYDAY=TU,TH")
    months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m.isdigit()]
    days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d.isdigit()]
    if any(not 1 <= m <= 12 for m in months):
        raise RecurrenceError("BYMONTH 的月份必须在 1 到 12 之间")
    if any(not 1 <= d <= 31 for d in days):
        raise RecurrenceError("BYMONTHDAY 的日期必须在 1 到 31 之间")
    if months and days and all(d > _MONTH_DAYS[m] for m in months for d in days):
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
    _check_days(found)
    out = []
    for key, value in sorted(parts, key=lambda kv: kv[0] != "FREQ"):
        out.append(f"{key}={_until(value, start, zone) if key == 'UNTIL' else value}")
    rule = ";".join(out)
    try:
        rrulestr(rule, dtstart=_dtstart(start, zone))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"规则无法解析（{exc}）") from None
    return rule


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
    match = _BYDAY.match(code)
    if not match:
        return code
    ordinal, day = match.groups()
    name = f"周{_DAY_CODES[day]}"
    if not ordinal:
        return name
    n = int(ordinal)
    return f"第{_number(n)}个{name}" if n > 0 else ("最后一个" if n == -1 else f"倒数第{_number(-n)}个") + name
