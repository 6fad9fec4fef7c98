"""A series' changed sessions (``recurrence.sessions``): one session cancelled, or moved to another
time or place; how pages and calendars word them."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from kepu.content.dates import as_local, format_clock, format_datetime, format_when
from kepu.content.model import Occurrence, SessionChange
from kepu.content.problems import STRICT_ALWAYS

CANCELLED = "已取消"
MOVED = "已改期"
PLACE_CHANGED = "已换地点"  # the same time, another place: not 改期


def session_label(occurrence: Occurrence) -> str:
    """已取消 / 已改期 / 已换地点 for a changed session of a series, "" otherwise (the event's own
    status is shown by the event, not repeated on each of its dates); 已取消 for a changed session of
    a series called off as a whole: it is held nowhere."""
    if occurrence.change is None:
        return ""
    return CANCELLED if occurrence.cancelled else change_label(occurrence.change)


def change_label(change: SessionChange) -> str:
    """已取消 / 已改期 / 已换地点: what a change did to its session."""
    if change.cancelled:
        return CANCELLED
    return MOVED if change.start is not None else PLACE_CHANGED


def session_detail(occurrence: Occurrence, zone: tzinfo | None = None) -> str:
    """Beside a moved session's new time: 原定2026年12月19日（周六）14:00 · the editor's note.
    ``zone``: the time zone times are shown in (the site's), else the event's own."""
    change = occurrence.change
    if change is None:
        return ""
    parts = [f"原定{format_datetime(_shown(change.original, zone))}"] if change.start is not None else []
    return " · ".join([*parts, change.note] if change.note else parts)


def session_text(occurrence: Occurrence, zone: tzinfo | None = None) -> str:
    """What a resident reads next to the date: 已取消（活动室维修）, or the new time, the original one,
    the new place and the note of a moved session (times in ``zone``, as ``session_detail``)."""
    change = occurrence.change
    if change is None:
        return ""
    if change.cancelled:
        return f"{CANCELLED}（{change.note}）" if change.note else CANCELLED
    if occurrence.cancelled:  # moved, then the whole event called off: it is held nowhere
        return CANCELLED
    parts = []
    if change.start is not None:
        parts.append(f"{_time_of(occurrence, zone)} {MOVED}（原定{format_datetime(_shown(change.original, zone))}）")
    if change.venue is not None:
        parts.append(f"地点：{change.venue.name}")
    if change.note:
        parts.append(change.note)
    return " · ".join(parts)


def own_time(occurrence: Occurrence, zone: tzinfo | None = None) -> str:
    """An unchanged session's time when it is not the series' own (an extra session, rdates, at
    14:00 in a 10:00 series): 14:00–15:00; "" when it keeps the series' time (shown once, in 时间).
    Compared on the event's own clock, shown in ``zone``."""
    event, start = occurrence.event, occurrence.start
    if occurrence.change is not None or not isinstance(start, datetime) or not isinstance(event.start, datetime):
        return ""
    if start.time() == event.start.time() and occurrence.end - start == event.end - event.start:
        return ""
    return _time_of(occurrence, zone)


def _shown(value: date | datetime, zone: tzinfo | None) -> date | datetime:
    return as_local(value, zone) if zone is not None else value


def _time_of(occurrence: Occurrence, zone: tzinfo | None = None) -> str:
    start, end = _shown(occurrence.start, zone), _shown(occurrence.end, zone)
    if isinstance(start, datetime) and isinstance(end, datetime):
        return f"{format_clock(start)}–{format_clock(end)}" if start.date() == end.date() else \
            format_when(start, end)
    return "全天"


def calendar_note(change: SessionChange, start: date | datetime, end: date | datetime) -> str:
    """The first line of a changed session's calendar description."""
    if change.cancelled:
        return f"本场已取消（原定{format_datetime(change.original)}）。{change.note}".strip()
    parts = [f"本场已改期：原定{format_datetime(change.original)}，改为{format_when(start, end)}"
             if change.start is not None else "本场换了地点"]
    if change.venue is not None:
        parts.append(f"地点：{change.venue.name}")
    text = "；".join(parts) + "。"
    return f"{text}{change.note}" if change.note else text


def changed_times(event, change: SessionChange, original: date | datetime) -> tuple[date | datetime, date | datetime]:
    """A changed session's start and end (Event.end's convention: all-day ends are inclusive):
    its new time, else the rule's; a new start without an end keeps the event's length."""
    start = change.start if change.start is not None else original
    end = change.end if change.end is not None else start + (event.end - event.start)
    return start, end


# ------------------------------------------------------------------ reading `recurrence.sessions`

SESSION_FIELDS = ("date", "from", "status", "start", "end", "venue", "note")
SESSION_TEXT_LIMITS = {"note": 200}  # the web form's limit too (kepu.editor.cmsconfig)
MAX_SESSIONS = 200
CANCEL_WORDS = {"cancelled", "canceled", "取消", "已取消", "停办"}
_EXAMPLE = ("例如\n  sessions:\n    - date: 2026-12-12\n      status: cancelled\n      note: 活动室维修\n"
            "    - date: 2026-12-19\n      start: 2026-12-20 09:30\n"
            "    - from: 2027-01-09          # 这一场和以后的各场都不办了\n      status: cancelled\n      note: 场馆装修")


def read_sessions(checker, start: date | datetime, zone, excluded: tuple
                  ) -> tuple[dict[str, SessionChange], tuple[str, SessionChange] | None]:
    """``recurrence.sessions``: each item a session of the series (``date``) cancelled (``status:
    cancelled``) or moved (a new ``start``/``end`` and/or ``venue``), with an optional ``note``;
    keyed by the item's field path (``recurrence.sessions[2]``), so problems name its own line.
    And the series called off from one session on (an item with ``from`` for ``date``), by its path."""
    value = checker.get("recurrence.sessions")
    if value is None:
        return {}, None
    if not isinstance(value, list) or len(value) > MAX_SESSIONS:
        checker.error("recurrence.sessions", "sessions 要写成列表，每一项以“- date:”开头（最多 "
                      f"{MAX_SESSIONS} 项）", _EXAMPLE)
        return {}, None
    found: dict[date | datetime, SessionChange] = {}
    keys: dict[str, SessionChange] = {}
    stop: tuple[str, SessionChange] | None = None
    from kepu.content.recurrence import occurrence_point  # (recurrence imports this module)

    skipped = {occurrence_point(value, start, zone) for value in excluded}  # a bare date: the series' time
    for index in range(len(value)):
        item_key = f"recurrence.sessions[{index}]"
        stopping = _is_stop(checker.get(item_key))
        field = f"{item_key}.{'from' if stopping else 'date'}"
        change = (_read_stop if stopping else _read_one)(checker, item_key, start, zone)
        if change is None:
            continue
        if occurrence_point(change.original, start, zone) in skipped:
            checker.error(field, "这一天已经写在 exdates 里（不开展）",
                          "from 写停办后本来还要举办的第一场" if stopping else
                          "二选一：不开展就留在 exdates，要说明原因就改写在这里并删去 exdates 里的日期")
        elif stopping:
            if stop is not None:
                checker.error(field, "停办（from）只能写一项", "from 写停办后的第一场；以后的各场都会显示已取消，不用再写")
            else:
                stop = (item_key, change)
        elif change.original in found:
            checker.error(field, "这一场已经在前面写过", "同一场只写一项：取消和改期不能同时写")
        else:
            found[change.original] = keys[item_key] = change
    if stop is not None:
        _after_stop(checker, keys, stop[1], start, zone)
    return keys, stop


def _is_stop(item: object) -> bool:
    return isinstance(item, dict) and "from" in item


def _read_stop(checker, key: str, start: date | datetime, zone) -> SessionChange | None:
    """An item calling the series off from one session on: ``from`` that session's date, ``status:
    cancelled`` and, as for one session, a ``note`` saying why."""
    item = checker.get(key)
    _unknown_fields(checker, key, item)
    if "date" in item:
        checker.error(f"{key}.from", "date 和 from 只能写一个",
                      "只取消或改期一场写 date；从某一场起以后都不办了写 from（停办后的第一场）")
        return None
    if not str(item.get("from") or "").strip():
        checker.error(f"{key}.from", "没有写停办后的第一场", "from 写停办后第一场原定的日期，例如 from: 2026-12-12")
        return None
    original = _original(checker, f"{key}.from", start, zone)
    if original is None:
        return None
    if _day(original) <= _day(start):
        checker.error(f"{key}.from", "从第一场起停办，就是整个活动不办了",
                      "删去这一项，改写 status: cancelled 和 status_note（原因）")
        return None
    status = checker.text(f"{key}.status", max_len=20)
    if not status or status.lower() not in CANCEL_WORDS:
        checker.error(f"{key}.status" if status else f"{key}.from", "从这一场起停办，要写 status: cancelled",
                      "在 from 下面同样缩进写 status: cancelled 和 note: 停办的原因")
        return None
    if any(name in item for name in ("start", "end", "venue")):
        checker.error(f"{key}.from", "停办的场次不用写新的时间或地点", "删去这一项的 start、end 和 venue")
        return None
    return SessionChange(original, cancelled=True, note=checker.text(f"{key}.note", max_len=SESSION_TEXT_LIMITS["note"]))


def _unknown_fields(checker, key: str, item: dict) -> None:
    for name in item:
        if name not in SESSION_FIELDS:
            checker.warn(f"{key}.{name}", f"未知字段“{name}”，将被忽略",
                         f"可用字段：{'、'.join(SESSION_FIELDS)}", STRICT_ALWAYS)


def _after_stop(checker, keys: dict[str, SessionChange], stop: SessionChange, start, zone) -> None:
    """A single session changed on or after the day the series stops: the stop cancels it already;
    one moved there from before would be held after the series stopped."""
    from kepu.content.recurrence import occurrence_point

    first, day = occurrence_point(stop.original, start, zone), _day(stop.original).isoformat()
    for key, change in list(keys.items()):
        if occurrence_point(change.original, start, zone) >= first:
            del keys[key]
            checker.error(f"{key}.date", f"这一场在停办（from: {day}）之后",
                          "停办以后的各场都会显示已取消和停办的原因：删去这一项")
        elif change.start is not None and _day(change.start) >= _day(stop.original):
            del keys[key]
            checker.error(f"{key}.start", f"这一场改到了停办（from: {day}）以后：停办以后的场次都不举办",
                          "改到停办之前的日子；那一场也不办了，就写 status: cancelled 取消它")


MAX_MOVE_DAYS = 183  # a session moved further than half a year is a slip of the year or month


def session_facts(checker, sessions: dict[str, SessionChange], stop: tuple[str, SessionChange] | None = None) -> None:
    """What accepted session changes would publish wrongly or leave unsaid: a session moved half a
    year or more (a year typed wrong: 2025 for 2026), 已换地点 to the place it always was, 已取消
    (or a series called off) without why."""
    from kepu.content.validation import CANCELLED_WITHOUT_WHY  # (validation imports this module)

    if stop is not None and not stop[1].note:
        checker.warn(f"{stop[0]}.status", "停办了，但没有写原因",
                     "在 status 下面同样缩进加一行 note，例如“活动室装修，本季停办”；居民最想知道为什么、以后还办不办")
    for key, change in sessions.items():
        if change.cancelled and not change.note:
            checker.warn(f"{key}.status", CANCELLED_WITHOUT_WHY[0],
                         CANCELLED_WITHOUT_WHY[1].format("在这一场的 status 下面，同样缩进，加一行 note"))
        if change.start is not None:
            days = abs((_day(change.start) - _day(change.original)).days)
            if days > MAX_MOVE_DAYS:
                checker.warn(f"{key}.start", f"改期后的日期和原定日期相差 {days} 天",
                             "检查年份和月份是否写错；真要改到半年以后，请取消这一场（status: cancelled），"
                             "另外新建一项活动", STRICT_ALWAYS)
        if change.venue is not None and _same_place(checker, change):
            checker.warn(f"{key}.venue", "新地点就是活动本来的地点，页面和日历却会说“已换地点”",
                         "只改时间就删去这一场的 venue；时间也没有改，就删去这一项", STRICT_ALWAYS)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _same_place(checker, change: SessionChange) -> bool:
    """Whether a session's new place is the event's own (the same registered venue, or the same
    name and address written out)."""
    from kepu.content.validation import registered_venue_id

    own = registered_venue_id(checker, "venue")
    if own or change.venue_id:
        return own == change.venue_id
    written = checker.get("venue")
    return isinstance(written, dict) and (str(written.get("name") or "").strip(),
                                          str(written.get("address") or "").strip()) == (
        change.venue.name, change.venue.address)


def _read_one(checker, key: str, start: date | datetime, zone) -> SessionChange | None:
    item = checker.get(key)
    if not isinstance(item, dict):
        checker.error(key, "每一项要分行写 date:，以及 status: cancelled 或新的 start:", _EXAMPLE)
        return None
    _unknown_fields(checker, key, item)
    if not str(item.get("date") or "").strip():
        checker.error(f"{key}.date", "没有写这一场原定的日期",
                      "取消或改期一场写 date: 2026-12-12；从某一场起停办写 from: 2026-12-12")
        return None
    original = _original(checker, f"{key}.date", start, zone)
    if original is None:
        return None
    note = checker.text(f"{key}.note", max_len=SESSION_TEXT_LIMITS["note"])
    status = checker.text(f"{key}.status", max_len=20)
    if status and status.lower() not in CANCEL_WORDS:
        checker.error(f"{key}.status", f"“{status}”不能用在单独一场上", "取消这一场写 status: cancelled；改期直接写新的 start")
        return None
    venue, venue_id = _venue(checker, f"{key}.venue")
    if status:
        if "start" in item or "venue" in item:
            checker.error(f"{key}.status", "取消的一场不用写新的时间或地点", "删去 start、end 和 venue，或删去 status")
            return None
        return SessionChange(original, cancelled=True, note=note)
    new_start, new_end = _new_times(checker, key, original, start, zone)
    if new_start is None and venue is None:
        if not any(name in item for name in ("start", "end", "venue")):  # else already named on its line
            checker.error(f"{key}.date", "没有写这一场怎么变", "取消写 status: cancelled；改期写新的 start（和 end），换地点写 venue")
        return None
    return SessionChange(original, start=new_start, end=new_end, venue=venue, note=note, venue_id=venue_id)


def _original(checker, key: str, start: date | datetime, zone) -> date | datetime | None:
    """The session's date as the rule gives it: a bare date takes the series' start time."""
    value = checker.when(key, zone, required=True)
    if value is None:
        return None
    if not isinstance(start, datetime):
        if isinstance(value, datetime):
            checker.error(key, "全天重复活动的一场只写日期", f"写成 {value.date().isoformat()}")
            return None
        return value
    if not isinstance(value, datetime):
        value = datetime.combine(value, start.timetz())
    return value


def _new_times(checker, key: str, original, start, zone):
    """A moved session's new start (a time alone keeps the day) and end (a time alone: that day)."""
    if checker.get(f"{key}.start") is None:
        if checker.get(f"{key}.end") is not None:
            checker.error(f"{key}.end", "只改结束时间时也要写 start", "写这一场新的 start 和 end")
        return None, None
    new_start = _moment(checker, f"{key}.start", original, zone)
    if new_start is None:
        return None, None
    if isinstance(start, datetime) != isinstance(new_start, datetime):
        checker.error(f"{key}.start", "改期后的时间要和活动本身一样写法",
                      "全天活动只写日期；有具体时间的活动写日期加时间，例如 2026-12-20 09:30")
        return None, None
    new_end = _moment(checker, f"{key}.end", new_start, zone) if checker.get(f"{key}.end") is not None else None
    if new_end is not None and new_end <= new_start and isinstance(new_end, datetime):
        checker.error(f"{key}.end", "结束时间早于开始时间", "检查是否写反，或写完整的日期和时间")
        return None, None
    return new_start, new_end


def _moment(checker, key: str, day_of: date | datetime, zone) -> date | datetime | None:
    """A date, a date and time, or (for a timed session) a time alone on ``day_of``'s day."""
    raw = checker.get(key)
    if isinstance(raw, str) and ":" in raw and "-" not in raw and isinstance(day_of, datetime):
        try:
            hours, minutes = (int(p) for p in raw.strip().split(":"))
            return day_of.replace(hour=hours, minute=minutes)
        except ValueError:
            checker.error(key, f"“{raw}”不是时间", "写成 09:30，或写完整的 2026-12-20 09:30")
            return None
    return checker.when(key, zone)


def _venue(checker, key: str):
    """The session's new place: written out, or a registered venue's id, as the event's own; and
    that id ("" for a place written out)."""
    from kepu.content.validation import registered_venue_id, venue_at  # (validation imports this module)

    venue = venue_at(checker, key, "新地点")
    return venue, registered_venue_id(checker, key) if venue is not None else ""
