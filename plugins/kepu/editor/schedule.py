"""When a new event happens: date, time, repeat, last day and exceptions, checked against the
rule's own dates, written as front matter and read back to the editor in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kepu.content.dates import WEEKDAYS, day_of, format_clock, format_day, format_when
from kepu.content.model import Event, Recurrence
from kepu.content.recurrence import RecurrenceError, describe, expand, normalize_rule
from kepu.content.repeats import EXAMPLES, parse_repeat, with_until
from kepu.content.validation import DEFAULT_TIMEZONE
from kepu.editor.answers import Answers, ScaffoldError, parse_day, parse_days, parse_optional_day, parse_times

SHOWN_DATES = 5  # dates of a series read back before writing
OPEN_ENDED_DAYS = 366  # a series without a last day is shown for a year, as the site does

DATE_QUESTION = "活动日期（重复的活动写第一次的日期），例如 2026-12-05"
TIME_QUESTION = "时间，例如 14:00-16:00；全天活动写“全天”"
REPEAT_QUESTION = f"是否重复举办？不重复直接回车；重复的写规律，例如 {EXAMPLES}"
UNTIL_QUESTION = "重复到哪天结束？写最后一次活动的日期，例如 2027-01-30；长期举办直接回车"
EXCEPT_QUESTION = "哪些日期不开展？例如 2026-12-26，多个用逗号分开；没有直接回车"
END_DAY_QUESTION = "跨天活动（例如连续两天的科技周）的最后一天；当天结束的直接回车"
# A timed event may run overnight into the next day (a night of stargazing); one that runs to a
# third day without a break is asked about: most are held each day.
LONGEST_NIGHT = 2
LABELS = {"date": "活动日期", "time": "时间", "repeat": "重复", "until": "重复到哪天",
          "except": "不开展的日期", "end_date": "跨天活动的最后一天"}


@dataclass(frozen=True, slots=True)
class Schedule:
    """The answers about time: a single (possibly multi-day) event, or a series."""

    day: date
    times: tuple[time, time] | None
    end_day: date | None = None
    rule: str | None = None  # FREQ=…, without UNTIL
    until: date | None = None
    exdates: tuple[date, ...] = ()
    timezone: str = DEFAULT_TIMEZONE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def rrule(self) -> str:
        return with_until(self.rule or "", self.until)

    @property
    def start(self) -> date | datetime:
        return self.day if self.times is None else datetime.combine(self.day, self.times[0], self.zone)

    @property
    def end(self) -> date | datetime:
        last = self.end_day or self.day
        if self.times is None:
            return last
        return datetime.combine(last, self.times[1], self.zone)


@dataclass(frozen=True, slots=True)
class Defaults:
    """Answers offered when copying an event: its time, repeat and length."""

    time: str = ""
    repeat: str = ""
    days: int = 1  # one session's length in days (a two-day fair: 2)
    series_days: int | None = None  # from the first to the last date of a series that ends


# ------------------------------------------------------------------ asking

def ask_schedule(answers: Answers, defaults: Defaults = Defaults(),
                 timezone: str = DEFAULT_TIMEZONE) -> Schedule:
    """Date, time, whether and how it repeats; then until when and except which dates, or
    (not repeating) the last day of a multi-day event. Wrong combinations are asked again."""
    day = answers.get("date", DATE_QUESTION, parse_day)
    times = answers.get("time", TIME_QUESTION, parse_times, default=defaults.time)
    repeat_default = defaults.repeat or ("不重复" if answers.interactive else "")
    rule = answers.get("repeat", REPEAT_QUESTION, _parse_repeat, default=repeat_default, optional=True)
    schedule = Schedule(day, times, timezone=timezone)
    if rule is None and {"until", "except"} & answers.given.keys():
        answers.wrong(("repeat",), "只有重复的活动才有“重复到哪天”和“不开展的日期”", "写重复规律，例如 每周六",
                      flag_hint="加上 --repeat，例如 --repeat 每周六；不重复的活动去掉 --until 和 --except")
    return _single(answers, schedule, defaults) if rule is None else _series(answers, schedule, rule, defaults)


def _series(answers: Answers, schedule: Schedule, rule: str, defaults: Defaults) -> Schedule:
    """A repeating event: its rule checked against the first date, until when, except which dates."""
    if "end_date" in answers.given:
        answers.wrong(("end_date",), "重复的活动不写“最后一天”", "重复到哪天结束写在“重复到哪天”",
                      flag_hint="跨天活动才用 --end-date；重复活动到哪天结束写 --until，例如 --until 2027-01-30")
    if schedule.times and schedule.times[1] <= schedule.times[0]:
        answers.wrong(("time",), "结束时间早于（或等于）开始时间", "重复活动的每一场写当天的开始和结束时间，例如 14:00-16:00")
    day, span = schedule.day, defaults.series_days
    schedule = replace(schedule, rule=_first_day(answers, schedule, rule))
    until = answers.get("until", UNTIL_QUESTION, parse_optional_day, optional=True,
                        default=(day + timedelta(days=span)).isoformat() if span is not None else "")
    if until is not None and until < day:
        answers.wrong(("until",), f"重复到的日期 {format_day(until)} 早于第一次活动 {format_day(day)}",
                      "写最后一次活动的日期")
    schedule = replace(schedule, until=until)
    exdates = answers.get("except", EXCEPT_QUESTION, lambda v: parse_days(v) if v.strip() else (),
                          optional=True)
    return replace(schedule, exdates=_exceptions(answers, schedule, exdates))


def _parse_repeat(text: str) -> str | None:
    try:
        return parse_repeat(text)
    except RecurrenceError as exc:
        raise ScaffoldError(exc.message, exc.hint) from None


def _single(answers: Answers, schedule: Schedule, defaults: Defaults) -> Schedule:
    day, times = schedule.day, schedule.times
    span = (day + timedelta(days=defaults.days - 1)).isoformat() if defaults.days > 1 else ""
    end_day = answers.get("end_date", END_DAY_QUESTION, parse_optional_day, default=span, optional=True)
    if end_day is not None and end_day < day:
        answers.wrong(("end_date",), "最后一天早于活动日期", "写活动最后一天的日期",
                      flag_hint="检查 --end-date 是否写反")
    if times and times[1] <= times[0] and end_day in (None, day):
        answers.wrong(("time", "end_date"), "结束时间早于（或等于）开始时间",
                      "跨夜的活动在“最后一天”写第二天的日期",
                      flag_hint="跨夜的活动请用 --end-date 写第二天的日期")
    if times and end_day is not None and (end_day - day).days >= LONGEST_NIGHT:
        _held_daily(answers, day, end_day, times)
    return replace(schedule, end_day=end_day if end_day != day else None)


def _held_daily(answers: Answers, day: date, end_day: date, times: tuple[time, time]) -> None:
    """Times with a last day days later: one event from the first day's start to the last day's
    end, without a break, which is hardly ever meant (an exhibition open 9:00-16:00 each day)."""
    start, end = (f"{t:%H:%M}" for t in times)
    answers.wrong(("end_date",), f"从 {format_day(day)}{start} 连续进行到 {format_day(end_day)}{end}，中间不停？",
                  f"每天都办（晚上不办）的，“最后一天”空着，“重复”写 每天，“重复到哪天”写 {end_day.isoformat()}；"
                  "确实连续几天不停的（例如营地活动），开始和结束时间都空着（全天），具体安排写进活动介绍",
                  flag_hint=f"每天都办的用 --repeat 每天 --until {end_day.isoformat()}，去掉 --end-date；"
                            "确实连续几天不停的去掉 --time（全天）")


def _first_day(answers: Answers, schedule: Schedule, rule: str) -> str:
    """The rule, checked; the first date must be one of its days (else the page and the
    calendar feeds would disagree): say which day would be, and ask again."""
    try:
        normal = normalize_rule(rule, schedule.start, schedule.zone)
    except RecurrenceError as exc:
        answers.wrong(("repeat",), exc.message, exc.hint)
    days = series_days(replace(schedule, rule=normal), schedule.day + timedelta(days=OPEN_ENDED_DAYS))
    if days and days[0] == schedule.day:
        return rule
    wanted = describe(normal, schedule.times is None, schedule.zone, schedule.start)
    if not days:
        answers.wrong(("repeat",), f"按“{wanted}”一年内没有活动日期", f"照这样写：{EXAMPLES}")
    first = days[0]
    answers.wrong(("date", "repeat"), f"第一次活动的日期 {format_day(schedule.day)}不是“{wanted}”中的一天",
                  f"第一次活动如果是 {format_day(first)}，日期就写 {first.isoformat()}；也可以改写重复规律",
                  suggest={"date": first.isoformat(), "repeat": answers.typed.get("repeat", "")})


def _exceptions(answers: Answers, schedule: Schedule, exdates: tuple[date, ...]) -> tuple[date, ...]:
    """Each date not held must be one of the series' dates: else name the nearest ones."""
    if not exdates:
        return exdates
    days = series_days(schedule, max(schedule.until or schedule.day, exdates[-1]))
    strays = [d for d in exdates if d not in days]
    if strays:
        fixed = sorted({d if d in days else nearest(days, d)[0] for d in exdates})
        near = "；".join(f"{format_day(d)}前后的活动日期是 {'、'.join(_iso(n) for n in sorted(nearest(days, d)))}"
                        for d in strays)
        answers.wrong(("except",), f"{'、'.join(format_day(d) for d in strays)}不是这个活动的日期",
                      f"{near}；直接回车改成最近的日期（{'、'.join(map(str, fixed))}），或重新写",
                      flag_hint=f"{near}；请改正 --except", suggest={"except": ", ".join(map(str, fixed))})
    if len(exdates) >= len(days) and schedule.until is not None:
        answers.wrong(("except",), "所有日期都不开展，活动就没有日期了", "取消的活动请在文件里写 status: cancelled")
    return exdates


def _iso(day: date) -> str:
    return f"{day.isoformat()}（{WEEKDAYS[day.weekday()]}）"


def nearest(days: list[date], target: date) -> list[date]:
    """The series' dates closest to ``target``: the nearest first, then the other side's."""
    before = [d for d in days if d < target][-1:]
    after = [d for d in days if d > target][:1]
    return sorted(before + after, key=lambda d: (abs((d - target).days), d < target))


# ------------------------------------------------------------------ dates of a series

def as_event(schedule: Schedule) -> Event:
    """The schedule alone as an Event, for the recurrence module to expand."""
    recurrence = None
    if schedule.rule:
        rule = normalize_rule(schedule.rrule, schedule.start, schedule.zone)
        recurrence = Recurrence(rule, tuple(schedule.exdates))
    return Event(slug="new", source_path="", title="", start=schedule.start, end=schedule.end,
                 all_day=schedule.times is None, timezone=schedule.timezone, street="", team="",
                 categories=(), audiences=(), recurrence=recurrence)


def series_days(schedule: Schedule, limit: date) -> list[date]:
    """The days the rule gives (exceptions not removed) up to ``limit``."""
    event = as_event(replace(schedule, exdates=()))
    return [day_of(o.start) for o in expand(event, limit)]


# ------------------------------------------------------------------ writing

def when_lines(schedule: Schedule, comments: bool = True) -> list[str]:
    """``start:`` and ``end:`` lines (with their Chinese explanations)."""
    end_day = schedule.end_day
    if schedule.times is None:
        lines = ["# 开始日期（必填）：只写日期，表示全天活动", f"start: {schedule.day.isoformat()}"]
        if end_day:
            lines += ["# 最后一天（连续多天的活动）；重复活动到哪天结束不写在这里，写在 recurrence 的 UNTIL",
                      f"end: {end_day.isoformat()}"]
        else:
            lines += ["# 最后一天（连续多天的活动才需要写；重复活动到哪天结束写在 recurrence 的 UNTIL），例如",
                      f"# end: {schedule.day.isoformat()}"]
    else:
        start, end = (t.strftime("%H:%M") for t in schedule.times)
        lines = ["# 开始时间（必填）：日期加时间；只写日期表示全天活动",
                 f"start: {schedule.day.isoformat()} {start}"]
        if end_day:
            lines += ["# 结束时间：跨天活动写完整的日期和时间", f"end: {end_day.isoformat()} {end}"]
        else:
            lines += ["# 结束时间：同一天只写时间，一定要加英文引号；也可以删掉这一行改写时长，如 duration: 2小时",
                      f'end: "{end}"']
    return lines if comments else [line for line in lines if not line.startswith("#")]


def recurrence_lines(schedule: Schedule) -> list[str]:
    """The ``recurrence:`` block of a series, its rule described in a comment."""
    if not schedule.rule:
        return []
    rule = normalize_rule(schedule.rrule, schedule.start, schedule.zone)
    lines = [f"# 重复：{describe(rule, schedule.times is None, schedule.zone, schedule.start)}"
             "；exdates 是不开展的日期", "recurrence:", f"  rrule: {schedule.rrule}"]
    if schedule.exdates:
        lines.append(f"  exdates: [{', '.join(d.isoformat() for d in schedule.exdates)}]")
    return lines


# ------------------------------------------------------------------ reading back

def read_back(event: Event, until: date | None) -> list[str]:
    """When the event happens, as the editor should check it: the rule in words, the first
    dates with their weekdays, how many, and the dates left out."""
    if event.recurrence is None:
        return [f"时间：{format_when(event.start, event.end)}"]
    zone = ZoneInfo(event.timezone)
    rule = describe(event.recurrence.rrule, event.all_day, zone, event.start)
    clock = "全天" if event.all_day else f"{format_clock(event.start)}–{format_clock(event.end)}"
    limit = until or day_of(event.start) + timedelta(days=OPEN_ENDED_DAYS)
    days = [day_of(o.start) for o in expand(event, limit)]
    shown = "、".join(format_day(d) for d in days[:SHOWN_DATES]) + ("……" if len(days) > SHOWN_DATES else "")
    count = f"共 {len(days)} 次" if until else f"长期举办，一年内共 {len(days)} 次"
    lines = [f"时间：{rule}，每次 {clock}", f"日期：{shown}（{count}）"]
    if event.recurrence.exdates:
        lines.append("不开展：" + "、".join(format_day(day_of(d)) for d in event.recurrence.exdates))
    return lines


def last_day(event: Event, until: date | None) -> date:
    """The event's (or series') last day, for the reminder that it is already over."""
    if event.recurrence is None:
        return day_of(event.end)
    limit = until or day_of(event.start) + timedelta(days=OPEN_ENDED_DAYS)
    occurrences = expand(event, limit)
    return day_of(occurrences[-1].end) if occurrences else day_of(event.end)
