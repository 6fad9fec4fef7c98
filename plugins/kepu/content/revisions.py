"""What an edit to a published series rewrites: sessions already held that the new version shows otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kepu.content.dates import day_of
from kepu.content.model import STATUS_LABELS, Event, Occurrence, SessionChange, is_over
from kepu.content.recurrence import expand, until_day
from kepu.content.sessions import changed_times

TIME, PLACE, GONE = "time", "place", "gone"
HELD, INTO_PAST = "held", "into the past"  # why a session change an edit makes is questioned


@dataclass(frozen=True, slots=True)
class RewrittenHistory:
    """Sessions of a series held before the edit, as the old version showed them, and what the
    edited version makes of them: a new time, a new place, gone, or a status (已取消)."""

    held: tuple[Occurrence, ...]
    changed: tuple[Occurrence, ...]
    becomes: frozenset[str]
    status: str = ""  # the edited series' shown status when it no longer counts them as held

    @property
    def words(self) -> str:
        """What the changed sessions become, as the check's message ends: 变成新的时间…"""
        if self.status:
            return f"显示为{STATUS_LABELS.get(self.status, self.status)}"
        if GONE in self.becomes:
            return "消失"
        return "变成新的" + "和".join(w for k, w in ((TIME, "时间"), (PLACE, "地点")) if k in self.becomes)


def held_sessions(event: Event, at: datetime) -> list[Occurrence]:
    """The sessions of ``event`` held and over at the instant ``at``, oldest first."""
    return [o for o in expand(event, at.date() + timedelta(days=1)) if o.held and is_over(o, at)]


def rewritten_history(before: Event, after: Event, at: datetime) -> RewrittenHistory | None:
    """The held sessions of a series (``before``) that its edited version (``after``) shows at
    another time or place, no more, or not as held; None when it keeps them all. A session the
    edit changes on its own (``recurrence.sessions``) is a correction made on purpose."""
    if before.recurrence is None:
        return None
    held = held_sessions(before, at)
    if not held:
        return None
    if not after.held:
        return RewrittenHistory(tuple(held), tuple(held), frozenset(), after.shown_status)
    now = {_original_day(o): o for o in expand(after, at.date() + timedelta(days=1))}
    own = _own_changes(before, after)
    changed, becomes = [], set()
    for old in held:
        if _original_day(old) in own:
            continue
        kinds = _difference(old, now.get(_original_day(old)))
        if kinds:
            changed.append(old)
            becomes |= kinds
    return RewrittenHistory(tuple(held), tuple(changed), frozenset(becomes)) if changed else None


@dataclass(frozen=True, slots=True)
class PastSessionChange:
    """A session change an edit makes that rewrites the past: a session already held cancelled or
    moved (HELD), or a coming one moved to a time already over (INTO_PAST). The check finds its
    item in the file by the session's day (a series' stop stands for many sessions)."""

    change: SessionChange
    why: str
    start: date | datetime  # where it now stands


def past_session_changes(before: Event, after: Event, at: datetime) -> list[PastSessionChange]:
    """The session changes ``after`` adds or alters (against ``before``) that rewrite what was held
    by the instant ``at``, or send a coming session there."""
    if after.recurrence is None:
        return []
    old = {day_of(c.original): c for c in before.recurrence.sessions} if before.recurrence is not None else {}
    held = {_original_day(o) for o in held_sessions(before, at)}
    found = []
    for change in after.recurrence.sessions:
        day = day_of(change.original)
        if old.get(day) == change:
            continue
        start, end = changed_times(after, change, change.original)
        if day in held:
            found.append(PastSessionChange(change, HELD, start))
        elif change.start is not None and is_over(Occurrence(after, start, end), at):
            found.append(PastSessionChange(change, INTO_PAST, start))
    return found


def last_until(event: Event) -> date | None:
    """The day its rule's UNTIL names (None without one)."""
    if event.recurrence is None:
        return None
    return until_day(event.recurrence.rrule, ZoneInfo(event.timezone))


def _original_day(occurrence: Occurrence) -> date:
    """The day the rule gives a session, whether or not it was moved."""
    return day_of(occurrence.change.original if occurrence.change is not None else occurrence.start)


def _own_changes(before: Event, after: Event) -> set[date]:
    """The days of the sessions whose own change the edit adds, alters or removes."""
    def changes(event: Event) -> dict:
        sessions = event.recurrence.sessions if event.recurrence is not None else ()
        return {day_of(c.original): c for c in sessions}
    old, new = changes(before), changes(after)
    return {day for day in old.keys() | new.keys() if old.get(day) != new.get(day)}


def _difference(old: Occurrence, new: Occurrence | None) -> set[str]:
    if new is None or not new.held:
        return {GONE}
    kinds = set()
    if (new.start, new.end) != (old.start, old.end):
        kinds.add(TIME)
    if new.venue != old.venue:
        kinds.add(PLACE)
    return kinds
