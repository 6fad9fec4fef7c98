"""Which edits of an event file a calendar subscriber is told about (kepu.index.history): a new time, a new
place, a cancellation... raise the event's SEQUENCE and enter the change feed; a reworded text does not."""

from __future__ import annotations

import pytest

from kepu.index.history import change_kind, significant

BEFORE = """---
title: 周末科学同学会
start: 2026-12-05 14:00
end: "16:00"
street: xinbei
venue:
  name: 新北街道科普活动室
recurrence:
  rrule: FREQ=WEEKLY;BYDAY=SA
---
每周六下午动手做实验。
"""


def _kind(after: str, before: str = BEFORE) -> str | None:
    return change_kind(significant(before), significant(after))


@pytest.mark.parametrize(("edit", "kind"), [
    (("title: 周末科学同学会", "title: 周末科学同学会（新版）"), None),
    (("每周六下午动手做实验。", "每周六下午一起动手做实验。"), None),
    (('end: "16:00"', "end: 16:00"), None),  # quoting a time is no change (YAML 1.1 reads 960 otherwise)
    # The web editor's first save writes a time alone as the day and time it means: the same moment.
    (('end: "16:00"', "end: 2026-12-05 16:00"), None),
    (("start: 2026-12-05 14:00", "start: 2026-12-05 14:00:00"), None),
    (("start: 2026-12-05 14:00", "start: '2026-12-05 14:00'"), None),
    (('end: "16:00"', "end: 2026-12-06 16:00"), "rescheduled"),  # the next day: a real change
    (('end: "16:00"', 'end: "16:30"'), "rescheduled"),
    (("start: 2026-12-05 14:00", "start: 2026-12-05 15:00"), "rescheduled"),
    (("rrule: FREQ=WEEKLY;BYDAY=SA", "rrule: FREQ=WEEKLY;BYDAY=SU"), "rescheduled"),
    (("name: 新北街道科普活动室", "name: 新北街道图书馆"), "moved"),
    (("street: xinbei", "street: xinbei\nstatus: cancelled"), "cancelled"),
    (("street: xinbei", "street: xinbei\nstatus: 已取消"), "cancelled"),
    (("street: xinbei", "street: xinbei\nstatus: full"), "full"),
    (("rrule: FREQ=WEEKLY;BYDAY=SA", "rrule: FREQ=WEEKLY;BYDAY=SA\n  sessions:\n    - date: 2026-12-12\n"
      "      status: cancelled"), "session"),
    # One date left out of the rule, or one added: single sessions, not the whole series rescheduled.
    (("rrule: FREQ=WEEKLY;BYDAY=SA", "rrule: FREQ=WEEKLY;BYDAY=SA\n  exdates: [2026-12-26]"), "session"),
    (("rrule: FREQ=WEEKLY;BYDAY=SA", "rrule: FREQ=WEEKLY;BYDAY=SA\n  rdates: [2027-01-17 09:00]"), "session"),
    # An end given to an open series, or its end moved: no session's time changed; sessions go or come.
    (("rrule: FREQ=WEEKLY;BYDAY=SA", "rrule: FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30\n  exdates: [2026-12-26]"),
     "shortened"),
    (("rrule: FREQ=WEEKLY;BYDAY=SA", "rrule: FREQ=WEEKLY;BYDAY=SA;COUNT=6"), "shortened"),

])
def test_what_an_edit_tells_subscribers(edit: tuple[str, str], kind: str | None) -> None:
    assert _kind(BEFORE.replace(*edit)) == kind


def test_a_series_ended_earlier_or_later_is_no_new_time() -> None:
    """A series ended early (its UNTIL brought forward, as the guide says) was told to subscribers as
    【时间变更】, though no session's time changed: its last sessions went. Ended later, sessions came."""
    ending = BEFORE.replace("BYDAY=SA", "BYDAY=SA;UNTIL=2027-01-30")
    assert _kind(ending.replace("UNTIL=2027-01-30", "UNTIL=2026-12-26"), ending) == "shortened"
    assert _kind(ending.replace("UNTIL=2027-01-30", "UNTIL=20270227"), ending) == "extended"
    assert _kind(ending.replace("UNTIL=2027-01-30", "UNTIL=2026-12-26").replace("14:00", "15:00"), ending) \
        == "rescheduled"  # a new time as well: the time is what subscribers must hear
    assert _kind(ending.replace("BYDAY=SA;UNTIL=2027-01-30", "BYDAY=SU;UNTIL=2026-12-27"), ending) == "rescheduled"


def test_a_moved_session_written_again_the_web_editors_way_is_no_change() -> None:
    """A moved session's end as a time alone, or as the day and time it means (the web editor's
    save): the same session, nothing to tell subscribers; another time is a change of that session."""
    moved = BEFORE.replace("rrule: FREQ=WEEKLY;BYDAY=SA", "rrule: FREQ=WEEKLY;BYDAY=SA\n  sessions:\n"
                           "    - date: 2026-12-26\n      start: 2026-12-27 09:30\n      end: \"11:30\"")
    assert _kind(moved.replace('end: "11:30"', "end: 2026-12-27 11:30"), moved) is None
    assert _kind(moved.replace('end: "11:30"', 'end: "12:00"'), moved) == "session"


def test_a_cancelled_event_held_after_all_is_restored_or_rescheduled() -> None:
    cancelled = BEFORE.replace("street: xinbei", "street: xinbei\nstatus: cancelled")
    assert _kind(BEFORE, cancelled) == "restored"
    assert _kind(BEFORE.replace("14:00", "15:00"), cancelled) == "rescheduled"


def test_saved_again_by_notepad_is_no_change() -> None:
    assert _kind("\ufeff" + BEFORE.replace("\n", "\r\n")) is None


def test_an_unreadable_old_revision_is_never_a_change() -> None:
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)) + "---\n"
    assert significant(bomb)[0] == "unreadable"
    assert _kind(BEFORE, bomb) is None and _kind(bomb) is None
