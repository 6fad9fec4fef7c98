"""One session of a weekly series cancelled or moved (``recurrence.sessions``): what residents read
beside the date and in their calendar, and what an editor is told when the item is wrong."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from test_session_changes import SERIES, with_sessions
from test_site_index import index_for

from kepu.content.project import Layout, check
from kepu.content.sessions import calendar_note, session_label, session_text

BEIJING = ZoneInfo("Asia/Shanghai")
CHANGES = """\
  sessions:
    - date: 2026-12-12
      status: cancelled
      note: 活动室维修
    - date: 2026-12-19
      start: 2026-12-20 09:30
      end: "11:30"
      venue:
        name: 新北街道图书馆
      note: 改到周日上午
    - date: 2027-01-09
      start: "15:00"
"""


def test_cancelled_and_moved_sessions_say_so_beside_the_date_and_in_the_calendar(mini_site: Path) -> None:
    with_sessions(mini_site, CHANGES)  # the weekly series, Saturdays 14:00–16:00
    entry = index_for(date(2026, 12, 1), mini_site).by_slug["zhoumo-tongxuehui"]
    changed = {o.start: o for o in entry.occurrences if o.change}
    assert list(changed) == [datetime(2026, 12, 12, 14, tzinfo=BEIJING), datetime(2026, 12, 20, 9, 30, tzinfo=BEIJING),
                             datetime(2027, 1, 9, 15, tzinfo=BEIJING)]  # a time alone keeps the day
    shown = [(session_label(o), session_text(o), calendar_note(o.change, o.start, o.end)) for o in changed.values()]
    assert shown == [
        ("已取消", "已取消（活动室维修）", "本场已取消（原定2026年12月12日（周六）14:00）。活动室维修"),
        ("已改期", "09:30–11:30 已改期（原定2026年12月19日（周六）14:00） · 地点：新北街道图书馆 · 改到周日上午",
         "本场已改期：原定2026年12月19日（周六）14:00，改为2026年12月20日（周日）09:30–11:30；"
         "地点：新北街道图书馆。改到周日上午"),
        ("已改期", "15:00–17:00 已改期（原定2027年1月9日（周六）14:00）",  # the event's two hours kept
         "本场已改期：原定2027年1月9日（周六）14:00，改为2027年1月9日（周六）15:00–17:00。"),
    ]
    assert datetime(2026, 12, 19, 14, tzinfo=BEIJING) not in {o.start for o in entry.occurrences}
    plain = next(o for o in entry.occurrences if o.change is None)
    assert (session_label(plain), session_text(plain)) == ("", "")


def _problems(site: Path) -> list[tuple[int, str, str, str]]:
    result = check(Layout(content=site / "content", root=site))
    return [(p.line, p.field, p.message, p.hint) for p in result.problems if p.path == SERIES.as_posix()]


def test_each_wrong_item_is_named_on_its_own_line_with_the_fix(mini_site: Path) -> None:
    with_sessions(mini_site, """\
  sessions:
    - date: 2026-12-12
      status: cancelled
      start: 2026-12-13 14:00
    - date: 2026-12-19
      start: 2026-12-19 15:00
      end: 2026-12-19 14:00
    - date: 2026-12-26
      status: cancelled
    - date: 2027-01-02
      status: 推迟
    - date: 2027-01-09
      note: 只写了说明
""")
    assert _problems(mini_site) == [
        (17, "recurrence.sessions[0].status", "取消的一场不用写新的时间或地点", "删去 start、end 和 venue，或删去 status"),
        (21, "recurrence.sessions[1].end", "结束时间早于开始时间", "检查是否写反，或写完整的日期和时间"),
        (22, "recurrence.sessions[2].date", "这一天已经写在 exdates 里（不开展）",
         "二选一：不开展就留在 exdates，要说明原因就改写在这里并删去 exdates 里的日期"),
        (25, "recurrence.sessions[3].status", "“推迟”不能用在单独一场上", "取消这一场写 status: cancelled；改期直接写新的 start"),
        (26, "recurrence.sessions[4].date", "没有写这一场怎么变",
         "取消写 status: cancelled；改期写新的 start（和 end），换地点写 venue"),
    ]
