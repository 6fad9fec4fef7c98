"""Validate RFC 5545 recurrence rules, expand them within a horizon, describe them in Chinese."""

from __future__ import annotations

import calendar
import re
import warnings
from collections.abc import Iterable, Iterator
from datetime import MAXYEAR, UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from kepu.content.dates import DateFormatError, as_local, day_of, format_day, parse_when
from kepu.content.model import Event, Occurrence, SessionChange
from kepu.content.sessions import changed_times

ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ALLOWED_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
                 "BYSETPOS", "WKST")
MAX_COUNT = 1000
MAX_OCCURRENCES = 1500
FIRST_WITHIN_YEARS = 10  # a rule must give a date this soon after the start
# A series called off from one session on shows that many sessions from then as cancelled (the
# feeds' room for changed sessions: SESSION_ROOM); its rule then ends with the last of them.
STOP_SHOWN = 20
RULE_END = re.compile(r";(UNTIL|COUNT)=[^;]*")  # a normalised rule's end (FREQ comes first)
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
    time, if one falls within FIRST_WITHIN_YEARS years; else None."""
    excluded = {wall_point(value, start, zone) for value in exdates}
    try:
        return next((found for found in _walk(rule, start, zone) if found not in excluded), None)
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        raise RecurrenceError(f"规则无法解析（{exc}）") from None


def _walk(rule: str, start: date | datetime, zone: tzinfo) -> Iterator[datetime]:
    """The dates ``rule`` gives from ``start`` (dateutil, as the site expands them), as local
    wall time, up to FIRST_WITHIN_YEARS years after the start.

    The work is bounded: dateutil walks period after period until one yields a date or the
    year 9999 is passed, so a rule that never yields would take seconds (FREQ=DAILY: three
    million days). The walk therefore runs on a copy of the rule moved forward by whole years
    to just before 9999, onto years whose calendars (weekday of 1 January, leap or not) are
    those of the years walked: dates, weekdays and INTERVAL steps line up, and the walk past
    the window ends within a few decades.
    """
    local = _dtstart(start, zone).replace(tzinfo=None)
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
    for point in moved:
        if point > end:
            return
        yield _move(point, -years)


def neighbours(rule: str, start: date | datetime, zone: tzinfo,
               points: Iterable[datetime]) -> dict[datetime, tuple[datetime | None, datetime | None]]:
    """For each local wall-clock point: the rule's last date at or before it (the point itself
    when it is one of the rule's dates) and its first date after it. Points later than
    FIRST_WITHIN_YEARS years after the start are left out (the walk stops there)."""
    wanted = sorted(set(points))
    found: dict[datetime, tuple[datetime | None, datetime | None]] = {}
    previous, index = None, 0
    try:
        for date_of_rule in _walk(rule, start, zone):
            while index < len(wanted) and wanted[index] < date_of_rule:
                found[wanted[index]] = (previous, date_of_rule)
                index += 1
            if index == len(wanted):
                return found
            previous = date_of_rule
    except (ValueError, TypeError, IndexError, OverflowError):
        return found  # normalize_rule refused such a rule already
    limit = _dtstart(start, zone).replace(tzinfo=None) + timedelta(days=366 * FIRST_WITHIN_YEARS)
    found.update((point, (previous, None)) for point in wanted[index:] if point <= limit)
    return found


def stop_series(rule: str, start: date | datetime, zone: tzinfo, exdates: tuple, rdates: tuple,
                stop: SessionChange) -> tuple[str, tuple, tuple[SessionChange, ...]]:
    """A series called off from ``stop``'s session on: its rule and extra dates as they stand then,
    and its sessions from that one, each cancelled with the stop's note. At most STOP_SHOWN are
    shown cancelled; a series with more then ends with the last of them (its rule's UNTIL)."""
    first = wall_point(stop.original, start, zone)
    skipped = {wall_point(value, start, zone) for value in exdates}
    extra = {wall_point(value, start, zone) for value in rdates}
    points: list[datetime] = []
    for point in _walk(rule, start, zone):
        if point >= first and point not in skipped:
            points.append(point)
            if len(points) > STOP_SHOWN:
                break
    points = sorted({*points, *(point for point in extra if point >= first)})
    if len(points) > STOP_SHOWN:
        last = points[STOP_SHOWN - 1]
        points = points[:STOP_SHOWN]
        rule = normalize_rule(RULE_END.sub("", rule) + f";UNTIL={last:%Y%m%d}", start, zone)
        rdates = tuple(value for value in rdates if wall_point(value, start, zone) <= last)
    timed = isinstance(start, datetime)
    return rule, rdates, tuple(SessionChange(point.replace(tzinfo=start.tzinfo) if timed else point.date(),
                                             cancelled=True, note=stop.note) for point in points)


def wall_point(value: date | datetime, start: date | datetime, zone: tzinfo) -> datetime:
    """An EXDATE/RDATE as the local wall-clock datetime the rule would give."""
    return _wall(occurrence_point(value, start, zone), zone)


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
    changes = _changes(event)
    for index, point in enumerate(ruleset(event, limit)):
        if isinstance(event.start, datetime):
            start: date | datetime = point
            end: date | datetime = point + span
        else:
            start = point.date()
            end = start + span - timedelta(days=1)
        if (start if not isinstance(start, datetime) else start.date()) > limit:
            break
        change = changes.get(start)
        if change is not None and change.start is not None:  # moved: its new time, its own place in order
            start, end = changed_times(event, change, start)
        occurrence = Occurrence(event, start, end, index, change)
        if since is not None and occurrence.last_day < since:
            before = occurrence
            continue
        if len(occurrences) >= MAX_OCCURRENCES:
            break
        occurrences.append(occurrence)
    if changes:
        occurrences.sort(key=lambda o: occurrence_point(o.start, event.start, ZoneInfo(event.timezone)))
    return occurrences or ([before] if before else [])


def _changes(event: Event) -> dict:
    """The series' changed sessions by the start the rule gives them (an aware datetime, or a date)."""
    if event.recurrence is None or not event.recurrence.sessions:
        return {}
    zone = ZoneInfo(event.timezone)
    found = {}
    for change in event.recurrence.sessions:
        point = occurrence_point(change.original, event.start, zone)
        found[point if isinstance(event.start, datetime) else point.date()] = change
    return found


def describe(rule: str, all_day: bool, zone: tzinfo, start: date | datetime | None = None,
             last: date | None = None, count: int | None = None) -> str:
    """The rule as a resident reads it, in Chinese: the one describer for pages and feeds.
    ``last``: the series' last session, said instead of an UNTIL that is no session's day (every
    other Thursday until the 25th, an off week, runs 至 the 18th). ``count``: the series' sessions
    as listed, said instead of a COUNT that its left-out and extra dates change (共 4 次, one
    left out: 共 3 次).

    Phrasing rules (table-tested in tests/test_wording.py):

    * Period: 每天 / 每周 / 每月 / 每年; an INTERVAL is a Chinese number: 每两天, 每两周,
      每三个月, 每两年, 每十二周 (never 隔周).
    * Weekdays: 周一 … 周日, listed with “、” (每周二、周四); three or more consecutive days
      run together (每周一至周五); all seven are 每天.
    * The selection follows 每周 / 每月 directly (每周六, 每月第二个周六, 每月15日); after a
      longer period or a month it takes 的 (每两周的周六, 每两个月的15日, 每年5月的第三个周六),
      except a date that follows its month (每年5月16日).
    * Ordinals use 二, not 两: 第一个 … 第五个, 最后一个, 倒数第二个; several of one weekday
      share it (每月第一、第三个周六). Month days: 15日, 最后一天, 倒数第二天.
    * BYSETPOS picks from the set: 每月最后一个工作日 (周一至周五), 每月第二个周六或周日.
    * BYMONTH: a monthly or yearly rule names its months (每年3月、4月的第二个周六); a daily
      or weekly one adds them in brackets (每周六（仅7月、8月）).
    * Dates as the site writes them, without spaces (15日, 2027年1月30日); counts with spaces
      as elsewhere on the site (共 8 次). COUNT: “，共 N 次”; UNTIL: “，至 2027年1月30日”.
    * With ``start`` (the first date), a day the rule leaves to it is named (RFC 5545):
      FREQ=WEEKLY is 每周六, FREQ=MONTHLY 每月15日, FREQ=YEARLY 每年5月16日.
    """
    parts = dict(_parts(rule))
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    weekdays = [d for d in parts.get("BYDAY", "").split(",") if d]
    month_days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m]
    positions = [int(p) for p in parts.get("BYSETPOS", "").split(",") if p]
    if freq == "DAILY" or not (weekdays or month_days):
        positions = []  # it picks from a set of at most one day per period: that day, or none
    if start is not None:
        first = start  # its own wall clock: the rule repeats in the event's time zone
        if freq == "WEEKLY" and not weekdays:
            weekdays = [list(_DAY_CODES)[first.weekday()]]
        elif freq in ("MONTHLY", "YEARLY") and not weekdays and not month_days:
            month_days = [first.day]
            if freq == "YEARLY" and not months:
                months = [first.month]
    plain = [d for d in weekdays if not _BYDAY.fullmatch(d)[1]]
    if interval == 1 and not positions and plain == weekdays:
        # Rules that give the same dates as a simpler one read as that one.
        if freq == "DAILY" and month_days:
            freq = "MONTHLY"
        elif freq in ("DAILY", "MONTHLY") and weekdays and not month_days and not (
                freq == "MONTHLY" and months):
            freq = "WEEKLY"
        elif freq == "YEARLY" and month_days and not months:
            freq = "MONTHLY"
    if freq == "MONTHLY" and months and interval == 1:
        freq = "YEARLY"  # 每年3月、4月的…
    text = _period(freq, interval, weekdays, month_days, months, positions)
    if "COUNT" in parts:
        text += f"，共 {int(parts['COUNT']) if count is None else count} 次"
    until = until_day(rule, zone)
    if until is not None:
        day = last if last is not None and last < until else until
        text += f"，至 {day.year}年{day.month}月{day.day}日"
    return text


def stopped_text(recurrence, zone: tzinfo) -> str:
    """"2026年12月10日（周四）起停办" for a series called off from one session on; "" otherwise."""
    stop = recurrence.stop if recurrence is not None else None
    if stop is None:
        return ""
    return f"{format_day(day_of(as_local(stop.original, zone)))}起停办"


def days_off_text(recurrence, start: date | datetime, zone: tzinfo, since: date, last: date,
                  held: Iterable[date] = (), cancelled: Iterable[date] = ()) -> str:
    """"2027年2月7日（周日）、2月14日（周日）不开展": the days its ``exdates`` leave out, and the days
    of sessions ``cancelled`` one by one, from ``since`` to ``last`` (its last session listed), each
    with its weekday, the year said once per year; "" when there are none. A resident reading 每周日
    learns here which Sundays to stay home. A day with a session ``held`` all the same (an rdate at
    another time, a session moved there) is not named: the list of dates shows it."""
    if recurrence is None:
        return ""
    days = sorted(({wall_point(value, start, zone).date() for value in recurrence.exdates} | set(cancelled))
                  - set(held))
    days = [day for day in days if since <= day <= last]
    if not days:
        return ""
    words = [format_day(day, with_year=i == 0 or day.year != days[i - 1].year) for i, day in enumerate(days)]
    return f"{'、'.join(words)}不开展"


def until_day(rule: str, zone: tzinfo) -> date | None:
    """The day of a rule's UNTIL in the event's time zone (None without one)."""
    until = dict(_parts(rule)).get("UNTIL")
    if until is None:
        return None
    if until.endswith("Z"):
        return datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(zone).date()
    return datetime.strptime(until[:8], "%Y%m%d").date()


def _period(freq: str, interval: int, weekdays: list[str], month_days: list[int], months: list[int],
            positions: list[int]) -> str:
    unit = _FREQ_WORDS[freq]
    if interval == 1:
        every = f"每{unit}"
    else:
        every = f"每{_number(interval, counting=True)}{'个' if freq == 'MONTHLY' else ''}{unit}"
    selection = _selection(freq, weekdays, month_days, months, positions)
    month_names = "、".join(f"{m}月" for m in months)
    if freq in ("DAILY", "WEEKLY"):
        if freq == "WEEKLY" and weekdays and not positions and set(weekdays) == set(_DAY_CODES):
            text = "每天" if interval == 1 else f"{every}的每一天"
        elif freq == "WEEKLY" and interval == 1 and weekdays and not positions:
            text = f"每{selection}"
        elif freq == "WEEKLY" and selection:
            text = f"{every}{selection}" if positions and interval == 1 else f"{every}的{selection}"
        elif selection:  # a daily rule every few days, only on some weekdays or month days
            text = f"{every}，逢{selection}"
        else:
            text = every
        return f"{text}（仅{month_names}）" if months else text
    if freq == "MONTHLY":
        if not selection:
            return every
        return f"{every}{selection}" if interval == 1 else f"{every}的{selection}"
    # YEARLY
    scope = every + month_names
    if not selection:
        return scope
    if months and month_days and len(months) == 1 and not weekdays and all(d > 0 for d in month_days):
        return f"{scope}{selection}"  # 每年5月16日
    if not months and interval == 1 and ((weekdays and _BYDAY.fullmatch(weekdays[0])[1]) or positions):
        return f"{scope}{selection}"  # 每年第一个周一
    return f"{scope}的{selection}"


def _selection(freq: str, weekdays: list[str], month_days: list[int], months: list[int],
               positions: list[int]) -> str:
    """The days within each period: 周六, 第二个周六, 15日, 最后一个工作日 …"""
    if positions:
        ordinals = "和".join(f"{_ordinal(p)}个" for p in positions)
        if month_days and not weekdays:
            return f"{_month_days(month_days)}中的{ordinals}"
        days = _weekday_set(weekdays, "或")
        picked = f"{ordinals}{days}" if days else "和".join(f"{_ordinal(p)}天" for p in positions)
        return f"{_month_days(month_days)}中{picked}" if month_days else picked
    plain = [d for d in weekdays if not _BYDAY.fullmatch(d)[1]]
    if month_days:
        text = ("每月" if freq == "YEARLY" and not months else "") + _month_days(month_days)
        if weekdays:
            text += f"（仅当这天是{_weekday_set(plain, '或')}）"
        return text
    if not weekdays:
        return ""
    if plain == weekdays:
        days = _weekday_list(weekdays)
        return days if freq in ("DAILY", "WEEKLY") else "每个" + days
    # Ordinal weekdays: group those of one weekday (第一、第三个周六), in the order written.
    groups: dict[str, list[str]] = {}
    for code in weekdays:
        number, day = _BYDAY.fullmatch(code).groups()
        groups.setdefault(day, []).append(_ordinal(int(number)) if number else "每")
    pieces = []
    for day, ordinals in groups.items():
        name = f"周{_DAY_CODES[day]}"
        if ordinals == ["每"]:
            pieces.append(f"每个{name}")
        else:
            pieces.append("、".join(ordinals) + f"个{name}")
    return "、".join(pieces)


def _weekday_list(codes: list[str]) -> str:
    """周二、周四; a run of three or more consecutive days: 周一至周五."""
    order = list(_DAY_CODES)
    indices = sorted({order.index(_BYDAY.fullmatch(c)[2]) for c in codes})
    runs: list[list[int]] = []
    for index in indices:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    pieces = []
    for run in runs:
        names = [f"周{_DAY_CODES[order[i]]}" for i in run]
        pieces.extend([f"{names[0]}至{names[-1]}"] if len(run) >= 3 else names)
    return "、".join(pieces)


def _weekday_set(codes: list[str], joiner: str) -> str:
    """The days BYSETPOS picks from: 工作日 for Monday to Friday, else 周六或周日."""
    days = {_BYDAY.fullmatch(c)[2] for c in codes}
    if days == {"MO", "TU", "WE", "TH", "FR"}:
        return "工作日"
    if days == set(_DAY_CODES):
        return ""
    return joiner.join(f"周{_DAY_CODES[d]}" for d in _DAY_CODES if d in days)


def _month_days(days: list[int]) -> str:
    """15日, 最后一天, 倒数第二天, listed with “、”."""
    return "、".join(f"{d}日" if d > 0 else ("最后一天" if d == -1 else f"倒数第{_number(-d)}天")
                    for d in days)


def _ordinal(n: int) -> str:
    """第二 (never 第两), 最后一, 倒数第二."""
    if n > 0:
        return f"第{_number(n)}"
    return "最后一" if n == -1 else f"倒数第{_number(-n)}"


def _number(value: int, counting: bool = False) -> str:
    """Chinese numerals up to 99 (二十一); 两 only for a count of two (每两周), never in an
    ordinal (第二个); larger numbers in digits with spaces, as counts are written on the site."""
    digits = "零一二三四五六七八九"
    if counting and value == 2:
        return "两"
    if value < 10:
        return digits[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"
    return f" {value} "
