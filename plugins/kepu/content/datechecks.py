"""Dates that parse but would publish the wrong day: a start off the rule, stray exceptions, 2:30 for 14:30, a new event already over."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kepu.content.dates import WEEKDAYS, day_of, format_datetime, format_day
from kepu.content.model import Event, Occurrence, SessionChange, is_over
from kepu.content.problems import STRICT_ADDED, STRICT_ALWAYS
from kepu.content.recurrence import (
    FIRST_WITHIN_YEARS,
    describe,
    expand,
    first_occurrence,
    neighbours,
    wall_point,
)

if TYPE_CHECKING:
    from kepu.content.validation import FieldReader

NIGHT_ENDS = 6  # a start before 06:00 is 凌晨: most likely 2:30 typed for 14:30
NIGHT_FIELD = "night"


@dataclass(frozen=True, slots=True)
class Review:
    """What the check knows beyond the files: the day it checks for (as the build's BUILD_DATE),
    asked only when needed, the shown paths of the files the change adds, and the instant it
    checks at (``moment``: the clock when checking for today; None, the start of ``today``)."""

    today: date
    added: Callable[[], Collection[str]]
    moment: datetime | None = None

    def at(self, zone: tzinfo) -> datetime:
        """The instant the check stands for, in ``zone`` when it is only a day."""
        return self.moment or datetime.combine(self.today, time.min, tzinfo=zone)


def _day(value: date) -> str:
    """2026-12-05（周六）: as editors write dates, with the weekday they check against."""
    return f"{value.isoformat()}（{WEEKDAYS[value.weekday()]}）"


def _rule_text(rule: str, start: date | datetime, zone: tzinfo) -> str:
    return describe(rule, not isinstance(start, datetime), zone, start)


def start_on_rule(checker: FieldReader, rule: str, start: date | datetime, zone: tzinfo,
                  rdates: Iterable[date | datetime] = ()) -> bool:
    """The start must be one of the rule's dates, or one of the extra dates (a first session on
    another weekday). RFC 5545 leaves a start off the rule undefined: the site (dateutil), ical.js
    and libical skip it, Google, Outlook and Apple show it."""
    first, begins = first_occurrence(rule, start, zone), wall_point(start, start, zone)
    if first is None or first == begins or begins in {wall_point(d, start, zone) for d in rdates}:
        return True
    day, timed = day_of(start), isinstance(start, datetime)
    fixed = f"{first:%Y-%m-%d %H:%M}" if timed else first.date().isoformat()
    checker.error("start", f"开始日期 {_day(day)}不是重复规则“{_rule_text(rule, start, zone)}”里的一天："
                           f"网页上的第一次活动是 {_day(first.date())}，有的日历软件却会在 {day.isoformat()} 多显示一次",
                  f"把 start 改成 {fixed}（{WEEKDAYS[first.weekday()]}）；如果是重复规则写错了，改正 recurrence 下的 rrule")
    return False


def extra_dates(checker: FieldReader, rule: str, start: date | datetime, zone: tzinfo,
                exdates: Iterable[tuple[str, date | datetime]],
                rdates: Iterable[tuple[str, date | datetime]]) -> None:
    """An exception must be one of the rule's dates (else the session meant stays published),
    an extra date must not be one already (ical.js and libical list it twice)."""
    named = [(name, value, True) for name, value in exdates] + [(name, value, False) for name, value in rdates]
    points = {name: wall_point(value, start, zone) for name, value, _ in named}
    near = neighbours(rule, start, zone, points.values())
    for name, value, excluded in named:
        point = points[name]
        if point not in near:
            continue  # more than FIRST_WITHIN_YEARS years after the start: nothing shown
        before, after = near[point]
        if excluded and before != point:
            _stray_exception(checker, name, value, point, start, (before, after), _rule_text(rule, start, zone))
        elif not excluded and before == point:
            checker.error(name, f"补充日期 {_day(point.date())}本来就是这个活动的日期（{_rule_text(rule, start, zone)}），"
                                "有的日历软件会把这一天显示两次",
                          "删去这个日期；如果要加的是另一天，写那一天的日期")


def _stray_exception(checker: FieldReader, name: str, value: date | datetime, point: datetime,
                     start: date | datetime, near: tuple[datetime | None, datetime | None], rule_text: str) -> None:
    same_day = next((d for d in near if d is not None and d.date() == point.date()), None)
    if isinstance(value, datetime) and same_day is not None:
        checker.error(name, f"例外日期 {point:%Y-%m-%d %H:%M} 不是这个活动的一次：这一天的活动 {same_day:%H:%M} 开始",
                      f"只写日期：{point.date().isoformat()}（时间按 start 计算）")
        return
    dates = "和 ".join(_day(d.date()) for d in near if d is not None)
    checker.error(name, f"例外日期 {_day(point.date())}不是这个活动的日期（{rule_text}）："
                        "这一天本来就没有活动，要停的那一次仍会发布",
                  f"最近的活动日期是 {dates}：把例外日期改成要停的那一天" if dates else "删去这个日期")


def sessions_on_rule(checker: FieldReader, rule: str, start: date | datetime, zone: tzinfo,
                     rdates: Iterable[date | datetime], sessions: Mapping[str, SessionChange],
                     field: str = "date") -> set[str]:
    """A changed session must be one of the series' sessions (its date as the rule, or an extra
    date, gives it): a calendar's RECURRENCE-ID naming no instance changes nothing anywhere.
    Returns the keys of the changes refused. ``field``: where the item names its session (``from``
    for the first session of a series called off)."""
    extra = {wall_point(value, start, zone) for value in rdates}
    named = {wall_point(change.original, start, zone): key for key, change in sessions.items()}
    near = neighbours(rule, start, zone, named)
    refused = set()
    for point, key in named.items():
        before, after = near.get(point, (None, None))  # (a point past the rule's walk: no session of it)
        if before == point or point in extra:
            continue
        refused.add(key)
        what = "停办后的第一场" if field == "from" else "要取消或改期的那一场"
        same = next((d for d in (before, after) if d is not None and d.date() == point.date()), None)
        if same is not None:
            checker.error(f"{key}.{field}", f"{_day(point.date())} {point:%H:%M} 不是这个活动的一场：这个活动这一天 {same:%H:%M} 开始",
                          f"{field} 只写日期（{field}: {point.date().isoformat()}），时间按活动的开始时间")
            continue
        dates = "和 ".join(_day(d.date()) for d in (before, after) if d is not None)
        checker.error(f"{key}.{field}",
                      f"{_day(point.date())}不是这个活动的一场（{_rule_text(rule, start, zone)}）",
                      f"{field} 写{what}原定的日期；最近的活动日期是 {dates}" if dates else
                      f"{field} 写{what}原定的日期")
    return refused


def night_start(checker: FieldReader, start: date | datetime | None) -> None:
    """A start before 06:00 is asked about (CI fails on it) unless the file says ``night: true``."""
    night = checker.flag(NIGHT_FIELD)
    if not isinstance(start, datetime) or start.hour >= NIGHT_ENDS or night:
        return
    minutes = f"{start.minute:02d}"
    said, meant = (f"中午 12:{minutes}", f"12:{minutes}") if start.hour == 0 else (
        f"下午 {start.hour}:{minutes}", f"{start.hour + 12}:{minutes}")
    checker.warn("start", f"凌晨 {start.hour}:{minutes} 开始？",
                 f"如果是{said}，写成 {meant}（时间用 24 小时制）；如果活动确实在凌晨，加一行 {NIGHT_FIELD}: true",
                 STRICT_ALWAYS)


def over_before(event: Event, day: date) -> date | None:
    """The last day of an event all of whose dates are over before ``day``; None while one is left."""
    if event.recurrence is None:
        last = Occurrence(event, event.start, event.end).last_day
        return last if last < day else None
    occurrences = expand(event, day + timedelta(days=366 * FIRST_WITHIN_YEARS), since=day)
    if not occurrences or any(o.last_day >= day for o in occurrences):
        return None
    return occurrences[-1].last_day


def new_event_over(checker: FieldReader, event: Event) -> None:
    """A file the change adds whose event is already over: a year left from the file it was copied
    from. Recording a past event on purpose (attendance or report filled) is not one."""
    review = checker.ctx.review
    if review is None or event.draft or event.attendance is not None or event.report:
        return
    if event.recurrence is None and over_before(event, review.today) is None:
        return  # the common case, decided without asking git which files are new
    last = over_before(event, review.today) if checker.doc.path in review.added() else None
    if last is None:
        return
    checker.warn("start", f"这个新加的活动在 {last.isoformat()} 就已经结束了（今天是 {review.today.isoformat()}）",
                 "如果是新活动，检查年份和日期（是不是从旧文件复制后忘了改）；"
                 "如果是补录已经办完的活动，填写 attendance（参加人数）或 report（活动报道）", STRICT_ADDED)


OVERLAP_DAYS = 62  # a series' sessions are compared over its first two months


def overlapping_sessions(checker: FieldReader, event: Event) -> None:
    """A series whose sessions run into each other: its end written as the series' last day (每天
    to the 25th, end: the 25th 16:00), which publishes five sessions of five days each."""
    if event.recurrence is None:
        return
    first_day = Occurrence(event, event.start, event.end).first_day
    held = [o for o in expand(event, first_day + timedelta(days=OVERLAP_DAYS)) if o.change is None]
    for one, following in itertools.pairwise(held):
        if _runs_into(one, following):
            checker.error("end", f"重复的活动，{format_day(one.first_day)}那一场到{format_day(one.last_day)}才结束，"
                                 f"下一场{format_day(following.first_day)}就开始了",
                          "end 写第一场结束的时间（同一天结束只写时间，例如 end: \"16:00\"）；"
                          "最后一场的日期写在 recurrence 的 until 里")
            return


def moved_onto_another(checker: FieldReader, event: Event) -> None:
    """A session moved onto the time of another session of the series (12月19日 moved to the 12th
    at 14:00, where the 12th's own session is): the page lists 12月12日 twice and calendars show
    two at once. Called once the file has no errors: the changes stand in the order written."""
    recurrence = event.recurrence
    if recurrence is None or not any(change.start is not None for change in recurrence.sessions):
        return
    last = max(day_of(value) for c in recurrence.sessions if c.start is not None for value in (c.original, c.start))
    occurrences = [o for o in expand(event, last + timedelta(days=1)) if o.held]
    for index, change in enumerate(recurrence.sessions):
        if change.start is None:
            continue
        mine = next((o for o in occurrences if o.change is change), None)
        other = mine and next((o for o in occurrences if o is not mine and _overlap(mine, o)), None)
        if other is not None:
            checker.error(f"recurrence.sessions[{index}].start",
                          f"改到的 {format_datetime(mine.start)} 和这个系列原有的 {format_datetime(other.start)} 那一场时间重叠："
                          "页面上这一天会列出两次",
                          "改到别的时间；这一场不办了就写 status: cancelled；两场合并成一场，就把另一场也写进 sessions 取消")
            return


def _overlap(one: Occurrence, other: Occurrence) -> bool:
    if isinstance(one.start, datetime) and isinstance(other.start, datetime):
        return one.start < other.end and other.start < one.end
    return one.first_day <= other.last_day and other.first_day <= one.last_day


def _runs_into(one: Occurrence, following: Occurrence) -> bool:
    if isinstance(one.end, datetime) and isinstance(following.start, datetime):
        return one.end > following.start
    return one.last_day >= following.first_day


def early_attendance(checker: FieldReader, event: Event) -> None:
    """参加人数 are recorded after an event: on a cancelled event, or before its first session is
    over, the number is not counted (statistics, events.csv), so the editor is told why. Over is
    the instant the session ends: a volunteer records the number on the evening of the day."""
    review = checker.ctx.review
    if review is None or event.attendance is None:
        return
    first = _first_held(event)
    if event.status == "cancelled":
        checker.warn("attendance", "已取消的活动登记了参加人数，统计和开放数据不会计入",
                     "删去 attendance；如果活动其实办了，改正 status", STRICT_ALWAYS)
    elif event.shown_status == "postponed" and event.recurrence is None:
        checker.warn("attendance", "延期待定（新时间还没定）的活动登记了参加人数，统计和开放数据不会计入",
                     "活动已经办了，就把原定的时间写在 previous_start，start 改成实际举办的时间；还没办，就先删去 attendance",
                     STRICT_ALWAYS)
    elif not is_over(first, review.at(ZoneInfo(event.timezone))):
        checker.warn("attendance", f"活动还没有结束（第一场{_ends(first)}结束），参加人数要在活动结束后登记",
                     "先删去 attendance，活动结束后再填写实际人数；现在写的数字不会计入统计", STRICT_ALWAYS)


CLOSED_LOOKAHEAD = 400  # days of sessions to come compared with their venues' closures


def closed_venue(checker: FieldReader, event: Event) -> None:
    """Sessions to come held at a registered venue on days it is closed (venues.yml closed_from,
    closed_until): residents would find the door shut. One reminder on the field naming the venue,
    which CI counts as an error; a session called off is no longer one."""
    review = checker.ctx.review
    places = checker.ctx.registries.venues
    ids = {event.venue_id, *(c.venue_id for c in (event.recurrence.sessions if event.recurrence else ()))}
    if review is None or not any(places.get(i) is not None and places[i].closed_from for i in ids if i):
        return
    now = review.at(ZoneInfo(event.timezone))
    shut = [o for o in expand(event, review.today + timedelta(days=CLOSED_LOOKAHEAD))
            if not o.cancelled and not is_over(o, now) and o.venue_id in places
            and any(places[o.venue_id].closed_on(day) for day in _days(o))]
    if not shut:
        return
    first = shut[0]
    place = places[first.venue_id]
    index = next((n for n, c in enumerate(event.recurrence.sessions) if c is first.change), None) \
        if first.elsewhere else None
    key = f"recurrence.sessions[{index}].venue" if index is not None else "venue"
    more = f"等 {len(shut)} 场" if len(shut) > 1 else ""
    checker.warn(key, f"{format_day(first.first_day)}{more}在“{place.name}”举办，但{place.closure_text}",
                 "改到别的场地（一场：在 recurrence.sessions 里写 date 和新的 venue），或取消这几场"
                 "（写 date、status: cancelled 和 note）；场地其实照常开放的，改正 venues.yml 里的 closed_from 和 closed_until",
                 STRICT_ALWAYS)


def _days(occurrence: Occurrence) -> list[date]:
    return [occurrence.first_day + timedelta(days=n) for n in range((occurrence.last_day - occurrence.first_day).days + 1)]


def _first_held(event: Event) -> Occurrence:
    """The session a whole event's 参加人数 wait for (``EventEntry.counting_session``): its first
    one not cancelled, in the order held (a first Saturday moved to January is not the first)."""
    if event.recurrence is None:
        return Occurrence(event, event.start, event.end)
    sessions = expand(event, day_of(event.start) + timedelta(days=366 * 2))
    return next((o for o in sessions if not o.cancelled), Occurrence(event, event.start, event.end))


def _ends(first: Occurrence) -> str:
    """When a first session ends, as the message says it: 2026-12-08 10:30, or a day's end."""
    if isinstance(first.end, datetime):
        return f"在 {first.end:%Y-%m-%d %H:%M} "
    return f"到 {first.last_day:%Y-%m-%d} "


def late_deadline(checker: FieldReader, event: Event) -> None:
    """A sign-up deadline after the event's (or series') last day: the page would invite people
    to sign up for something already over (``new-event`` refuses the same answer)."""
    deadline = event.registration.deadline if event.registration is not None else None
    if deadline is None:
        return
    last = over_before(event, deadline)
    if last is not None:
        checker.error("registration.deadline", f"报名截止日期 {format_day(deadline)} 晚于活动的最后一天 {format_day(last)}",
                      "写活动开始之前的日期；不设截止就删去 deadline 这一行")
