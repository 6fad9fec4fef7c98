"""The held sessions an edit to a series would rewrite (kepu.content.revisions), in-process."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from kepu.content.model import Event, Recurrence, SessionChange, Venue
from kepu.content.recurrence import normalize_rule
from kepu.content.revisions import GONE, PLACE, TIME, rewritten_history

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 7, 14, tzinfo=TZ)
AT = datetime(2026, 12, 1, 9, tzinfo=TZ)  # four Saturdays held: 11-07 to 11-28
RULE = "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30"
ROOM = Venue(name="新北街道科普活动室")


def series(start: datetime = START, hours: int = 2, rule: str = RULE, venue: Venue = ROOM,
           sessions: tuple[SessionChange, ...] = (), status: str = "scheduled") -> Event:
    recurrence = Recurrence(normalize_rule(rule, start, TZ), sessions=sessions)
    return Event(slug="zhoumo", source_path="zhoumo.md", title="周末科学同学会", start=start,
                 end=start.replace(hour=start.hour + hours), all_day=False, timezone="Asia/Shanghai",
                 street="xinbei", team="t", categories=("c",), audiences=("a",), venue=venue,
                 recurrence=recurrence, status=status)


def test_a_new_time_for_the_series_rewrites_every_held_session() -> None:
    found = rewritten_history(series(), series(START.replace(hour=9)), AT)
    assert found is not None and [o.first_day.isoformat() for o in found.changed] == [
        "2026-11-07", "2026-11-14", "2026-11-21", "2026-11-28"]
    assert found.becomes == {TIME} and found.words == "变成新的时间"


def test_a_new_place_a_new_weekday_and_cancelling_the_series_are_told_apart() -> None:
    hall = Venue(name="新北街道党群服务中心")
    assert rewritten_history(series(), series(venue=hall), AT).words == "变成新的地点"
    both = rewritten_history(series(), series(START.replace(hour=9), venue=hall), AT)
    assert both.becomes == {TIME, PLACE} and both.words == "变成新的时间和地点"
    sundays = series(START.replace(day=8), rule=RULE.replace("SA", "SU"))
    assert rewritten_history(series(), sundays, AT).becomes == {GONE}
    assert rewritten_history(series(), series(status="cancelled"), AT).words == "显示为已取消"


def test_what_keeps_the_held_sessions_is_not_questioned() -> None:
    """Shortened, a coming session moved, one held session corrected on its own, a longer
    session from December on in a series not yet held: nothing is rewritten behind the editor."""
    assert rewritten_history(series(), series(rule=RULE.replace("2027-01-30", "2027-01-16")), AT) is None
    coming = SessionChange(datetime(2026, 12, 12, 14, tzinfo=TZ), start=datetime(2026, 12, 12, 9, 30, tzinfo=TZ),
                           end=datetime(2026, 12, 12, 11, 30, tzinfo=TZ))
    assert rewritten_history(series(), series(sessions=(coming,)), AT) is None
    corrected = replace(coming, original=datetime(2026, 11, 21, 14, tzinfo=TZ),
                        start=datetime(2026, 11, 21, 9, 30, tzinfo=TZ), end=datetime(2026, 11, 21, 11, 30, tzinfo=TZ))
    assert rewritten_history(series(), series(sessions=(corrected,)), AT) is None
    later = START.replace(month=12, day=5)
    assert rewritten_history(series(later), series(later, hours=3), AT) is None
    assert rewritten_history(series(), series(START.replace(hour=9)), START) is None  # nothing held yet


def test_a_held_session_is_one_over_at_the_instant_checked() -> None:
    """At 15:00 on the 28th that afternoon's session is not over: three held, not four."""
    found = rewritten_history(series(), series(START.replace(hour=9)), datetime(2026, 11, 28, 15, tzinfo=TZ))
    assert len(found.held) == 3
    found = rewritten_history(series(), series(START.replace(hour=9)), datetime(2026, 11, 28, 16, tzinfo=TZ))
    assert len(found.held) == 4
