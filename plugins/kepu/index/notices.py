"""Weekly notice sheets for the community notice board (社区公告栏): which week, and each line's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from kepu.content.dates import WEEKDAYS, format_day
from kepu.content.model import Event, Occurrence
from kepu.content.sessions import session_text
from kepu.index.site import (
    EventEntry,
    Facet,
    MovedAway,
    began_text,
    last_local_day,
    local_day,
    moved_away,
    moved_key,
    moved_time_text,
    occurrence_key,
    time_text,
)

# Which weeks get a sheet, relative to the build date ("now"): the rest of the current week
# (from the build day to Sunday: what is already over is not pinned up), and the whole next
# week (Monday to Sunday), which volunteers print at the end of the week before.
WEEKS = ("this", "next")
WEEK_NAMES = {"this": "本周", "next": "下周"}
LATER_SHOWN = 3  # an empty week names the scope's next few events after it
# A week of up to this many sessions is printed with every detail (whom it is for, how to sign up)
# and fits one A4 page; a fuller week gets two lines a session (time, title, place; details behind
# the QR code), about a dozen a page, and continues on further pages under the same heading.
# No session is ever left out: a resident may be looking for exactly that one.
FULL_DETAIL_MAX = 5


@dataclass(frozen=True, slots=True)
class NoticeWeek:
    key: str  # "this" or "next"
    first: date
    last: date

    @property
    def name(self) -> str:
        return WEEK_NAMES[self.key]

    @property
    def range_text(self) -> str:
        """12月7日（周一）至 12月13日（周日）: the sheet names absolute dates only (it hangs for days)."""
        first = format_day(self.first, with_year=False)
        return first if self.first == self.last else f"{first}至 {format_day(self.last, with_year=False)}"


def notice_weeks(build_date: date) -> tuple[NoticeWeek, NoticeWeek]:
    """The current week from the build day to Sunday, and the next Monday-to-Sunday week."""
    sunday = build_date + timedelta(days=6 - build_date.weekday())
    return (NoticeWeek("this", build_date, sunday),
            NoticeWeek("next", sunday + timedelta(days=1), sunday + timedelta(days=7)))


@dataclass(frozen=True, slots=True)
class NoticeLine:
    """One session as the sheet prints it."""

    day: date
    time: str
    title: str
    place: str
    audience: str
    signup: str  # "" when nobody can sign up any more (cancelled, full)
    status: str  # the badge: 已取消, 名额已满, 已改期…; "" when held as planned
    note: str  # a changed session's details, or the event's status note
    cancelled: bool
    slug: str
    held: bool = True  # takes place at this time (not cancelled, postponed, or moved from this day)
    cost: str = ""  # what it costs, when not free
    registering: bool = False  # sign-up is required and still open (its deadline not before the week)
    place_label: str = "地点"  # 改到 on the day a session moved away from to another place

    @property
    def day_text(self) -> str:
        return f"{self.day.month}月{self.day.day}日"

    @property
    def time_pieces(self) -> tuple[tuple[str, str], ...]:
        """The time in pieces that never break inside (a date, a clock, a weekday, words up to a
        comma), each with what follows it: a space where the words have one, else nothing (a line
        may break there too)."""
        pieces = re.split(r"(?<= )|(?<=，)|(?=（)", self.time)
        return tuple((piece.rstrip(" "), " " if piece.endswith(" ") else "") for piece in pieces if piece.strip())

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]


@dataclass(frozen=True, slots=True)
class NoticeSheet:
    facet: Facet
    week: NoticeWeek
    lines: tuple[NoticeLine, ...]
    later: tuple[NoticeLine, ...]  # only when the week is empty: what comes after it

    @property
    def compact(self) -> bool:
        return len(self.lines) > FULL_DETAIL_MAX

    @property
    def signs_up(self) -> bool:
        """Whether any session listed still takes sign-up (the QR caption offers 报名 only then)."""
        return any(line.registering for line in self.lines + self.later)

    @property
    def held(self) -> int:
        """Sessions this week that take place (cancelled, postponed and moved ones are listed but
        not counted)."""
        return sum(line.held for line in self.lines)


def build_sheet(facet: Facet, week: NoticeWeek, zone: ZoneInfo) -> NoticeSheet:
    """The sessions of ``facet``'s upcoming events that touch ``week``, in time order; a session
    that began before the week is listed on its first day, saying when it began; one moved away
    from a day of the week, on that day too (the earlier poster named it). Sign-up is judged from
    the week's first day: the sheet hangs from then (next week's is printed at the weekend before),
    so a deadline before it reads 报名已于…截止, not an invitation to call."""
    today = week.first
    found = [((max(local_day(o.start, zone), week.first), occurrence_key(o, zone)),
              _line(o, e, max(local_day(o.start, zone), week.first), zone, today))
             for o, e in _sessions(facet.upcoming, zone, week.first, week.last)]
    found += [((local_day(away.start, zone), moved_key(o, away, zone)), _away_line(o, e, away, zone))
              for o, e, away in _moved_from(facet.upcoming, zone, week.first, week.last)]
    lines = tuple(line for _, line in sorted(found, key=lambda pair: pair[0]))
    later: tuple[NoticeLine, ...] = ()
    if not lines:
        after = _sessions(facet.upcoming, zone, week.last + timedelta(days=1), date.max)
        later = tuple(_line(o, e, local_day(o.start, zone), zone, today)
                      for o, e in after if not o.cancelled)[:LATER_SHOWN]
    return NoticeSheet(facet, week, lines, later)


def _moved_from(entries: list[EventEntry], zone: ZoneInfo, first: date,
                last: date) -> list[tuple[Occurrence, EventEntry, MovedAway]]:
    found = ((o, e, moved_away(o, zone)) for e in entries for o in e.upcoming)
    return [(o, e, away) for o, e, away in found if away is not None and first <= local_day(away.start, zone) <= last]



def _away_line(occurrence: Occurrence, entry: EventEntry, away: MovedAway, zone: ZoneInfo) -> NoticeLine:
    """On the day it moved from: its old time and place, 已改期, and where it went."""
    event = entry.event
    note = "；".join(filter(None, (away.text, (occurrence.change.note if occurrence.change else event.status_note))))
    place = _place(occurrence)  # where it is now held
    return NoticeLine(day=local_day(away.start, zone), time=moved_time_text(away, zone), title=event.title,
                      place=place, audience=_audience(entry), signup="", status="已改期", note=note,
                      cancelled=False, slug=event.slug, held=False,
                      place_label="改到" if occurrence.elsewhere else "地点")


def _sessions(entries: list[EventEntry], zone: ZoneInfo, first: date,
              last: date) -> list[tuple[Occurrence, EventEntry]]:
    found = [(o, e) for e in entries for o in e.upcoming
             if local_day(o.start, zone) <= last and last_local_day(o, zone) >= first]
    return sorted(found, key=lambda pair: (max(local_day(pair[0].start, zone), first),
                                           occurrence_key(pair[0], zone)))


def _line(occurrence: Occurrence, entry: EventEntry, day: date, zone: ZoneInfo, today: date) -> NoticeLine:
    event = entry.event
    status = _status(occurrence)
    # Held (not cancelled, nor put off with no new date) and not full: as the event page asks.
    can_sign_up = occurrence.held and event.shown_status != "full"
    return NoticeLine(
        day=day, time=_time(occurrence, day, zone), title=event.title, place=_place(occurrence),
        audience=_audience(entry), signup=signup_text(event, today) if can_sign_up else "", status=status,
        note=_note(occurrence, event),
        cancelled=occurrence.cancelled, slug=event.slug, held=occurrence.held,
        cost="" if event.is_free else event.cost,
        registering=can_sign_up and _registering(event, today))


def _time(occurrence: Occurrence, day: date, zone: ZoneInfo) -> str:
    """The time under ``day``; a session that began on an earlier day says when (paper hangs for a
    week: never 22:00 under the morning an overnight session ends, as if it began then)."""
    return time_text(occurrence, zone) if local_day(occurrence.start, zone) >= day else began_text(occurrence, zone)


def _note(occurrence: Occurrence, event) -> str:
    """Under the title: why a session is cancelled (its badge says 已取消), how it moved, or the
    event's own status note."""
    change = occurrence.change
    if change is None or (occurrence.cancelled and not change.cancelled):  # the whole event called off
        return event.status_note
    return change.note if change.cancelled else session_text(occurrence)


def _status(occurrence: Occurrence) -> str:
    """The badge: the session's own change first (one cancelled session of a series), then the
    event's status."""
    if occurrence.cancelled:
        return "已取消"
    if occurrence.moved:
        return "本场有调整"
    event = occurrence.event
    return event.status_text if event.status != "scheduled" else ""


def _place(occurrence: Occurrence) -> str:
    venue, event = occurrence.venue, occurrence.event
    if venue is None:
        return "线上活动" if event.online else "见活动页面"
    where = f"{venue.name}（{venue.address}）" if venue.address and venue.address != venue.name else venue.name
    return f"{where}，也可线上参加" if event.online else where


def _audience(entry: EventEntry) -> str:
    names = "、".join(a.name for a in entry.audiences) or "不限"
    event = entry.event
    if event.age_min is not None and event.age_max is not None:
        return f"{names}（{event.age_min}–{event.age_max} 岁）"
    if event.age_min is not None:
        return f"{names}（{event.age_min} 岁以上）"
    if event.age_max is not None:
        return f"{names}（{event.age_max} 岁以下）"
    return names


def no_signup_text(event: Event) -> str:
    """How to take part when no sign-up is needed: come to the room, open the stream, or either."""
    if event.is_online:
        return "无需报名，到时打开线上链接参加"
    if event.is_hybrid:
        return "无需报名，直接到场或线上参加"
    return "无需报名，直接到场"


def signup_text(event: Event, today: date) -> str:
    """How to take part, in words that work on paper: a phone number to call, or the QR code
    for online sign-up (a link cannot be tapped on a notice board); or that sign-up has closed
    (its deadline before ``today``, the day the sheet is printed from)."""
    reg, contact = event.registration, _contact(event)
    if reg is None or not reg.required:
        return no_signup_text(event) + (f"；咨询：{contact}" if contact else "")
    if not _registering(event, today):
        return f"报名已于 {format_day(reg.deadline, with_year=False)}截止" + (f"；咨询：{contact}" if contact else "")
    parts = ["需要报名"]
    if reg.capacity:
        parts.append(f"限 {reg.capacity} 人")
    if reg.deadline:
        parts.append(f"{format_day(reg.deadline, with_year=False)}截止")
    if reg.phone:
        parts.append(f"报名电话 {reg.phone}")
    if reg.url:
        parts.append("网上报名请扫码")
    if not reg.phone and not reg.url and contact:
        parts.append(f"咨询：{contact}")
    if reg.note:
        parts.append(reg.note)
    return "，".join(parts)


def _registering(event: Event, today: date) -> bool:
    reg = event.registration
    return reg is not None and reg.required and not (reg.deadline and reg.deadline < today)


def _contact(event: Event) -> str:
    contact = event.contact
    if contact is None:
        return ""
    return contact.text or " ".join(part for part in (contact.name, contact.phone) if part)


def short_url(url: str) -> str:
    """The address as printed for typing: without https://."""
    return url.split("://", 1)[-1]
