"""Repeat patterns as volunteers say them (每周六, 每月第二个周六, 每天) as RFC 5545 rules."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from kepu.content.recurrence import RecurrenceError

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NO_REPEAT = ("", "不重复", "不", "否", "无", "没有", "一次", "单次", "只有一次", "不重复举办")
DAILY = ("每天", "每日", "天天")
EXAMPLES = "每周六、每周二和周四、每周一至周五、每月第二个周六、每月最后一个周日、每天"
_WEEKDAY_NAMES = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_SEPARATORS = re.compile(r"[、,，和及与/\s]+")
_RANGE = re.compile(r"([一二三四五六日天七])(?:至|到|-|~)([一二三四五六日天七])")
_WEEKLY = re.compile(r"每周(.*)")
_MONTHLY_WEEKDAY = re.compile(r"每月(.+?)个?周([一二三四五六日天])")
_MONTH_DAY = re.compile(r"每月(\d{1,2})[日号]")
_ORDINAL = re.compile(r"(倒数)?第?([一二两三四五1-5])个?|最后一?个?")


def _plain(text: str) -> str:
    """NFKC, no spaces; 星期/礼拜 read as 周, 每个 as 每, 的 dropped."""
    text = "".join(unicodedata.normalize("NFKC", str(text)).split())
    for old, new in (("星期", "周"), ("礼拜", "周"), ("每个", "每"), ("的", ""), ("周末", "周六周日"),
                     ("工作日", "周一至周五")):
        text = text.replace(old, new)
    return text


def parse_repeat(text: str) -> str | None:
    """``每周六`` → ``FREQ=WEEKLY;BYDAY=SA``; ``不重复`` (or nothing) → None.

    Also: 每周二和周四, 每周一至周五, 每月第二个周六, 每月第一、第三个周六, 每月最后一个周日,
    每月15日, 每天; a rule written as RFC 5545 (FREQ=…) is returned as written, to be checked
    by ``recurrence.normalize_rule``."""
    raw = str(text).strip()
    if raw.upper().startswith(("FREQ=", "RRULE:")):
        return raw.upper().removeprefix("RRULE:")
    plain = _plain(raw)
    if plain in NO_REPEAT:
        return None
    if plain in DAILY:
        return "FREQ=DAILY"
    if match := _MONTH_DAY.fullmatch(plain):
        if not 1 <= int(match[1]) <= 31:
            raise RecurrenceError(f"每月没有 {match[1]} 日", "例如 每月15日")
        return f"FREQ=MONTHLY;BYMONTHDAY={int(match[1])}"
    if plain == "每月最后一天":
        return "FREQ=MONTHLY;BYMONTHDAY=-1"
    if match := _MONTHLY_WEEKDAY.fullmatch(plain):
        day = DAY_CODES[_WEEKDAY_NAMES[match[2]]]
        return "FREQ=MONTHLY;BYDAY=" + ",".join(f"{n}{day}" for n in _ordinals(match[1], raw))
    if match := _WEEKLY.fullmatch("每" + plain if plain.startswith("周") else plain):
        days = _weekdays(match[1], raw)
        return "FREQ=WEEKLY" + (f";BYDAY={','.join(days)}" if days else "")
    raise _unknown(raw)


def _unknown(raw: str) -> RecurrenceError:
    return RecurrenceError(f"看不懂重复规律“{raw}”", f"照这样写：{EXAMPLES}；不重复就直接回车")


def _weekdays(text: str, raw: str) -> list[str]:
    """``六`` / ``二和周四`` / ``一至周五`` → day codes in week order."""
    text = _RANGE.sub(lambda m: "".join(_span(m[1], m[2])), text.replace("周", ""))
    found: set[int] = set()
    for piece in filter(None, _SEPARATORS.split(text)):
        for char in piece:
            if char not in _WEEKDAY_NAMES:
                raise _unknown(raw)
            found.add(_WEEKDAY_NAMES[char])
    return [DAY_CODES[i] for i in sorted(found)]


def _span(first: str, last: str) -> list[str]:
    low, high = _WEEKDAY_NAMES[first], _WEEKDAY_NAMES[last]
    names = "一二三四五六日"
    return [names[i] for i in range(low, high + 1)] if low <= high else [first, last]


def _ordinals(text: str, raw: str) -> list[int]:
    """``第二`` / ``第一、第三`` / ``最后一`` / ``倒数第二`` → 2 / 1, 3 / -1 / -2."""
    found: list[int] = []
    for piece in filter(None, _SEPARATORS.split(text)):
        match = _ORDINAL.fullmatch(piece)
        if not match:
            raise _unknown(raw)
        if piece.startswith("最后"):
            number = -1
        else:
            number = int(_NUMBERS.get(match[2], match[2]))
            number = -number if match[1] else number
        if number not in found:
            found.append(number)
    return found


def with_until(rule: str, until: date | None) -> str:
    """The rule with its last day (``UNTIL=2027-01-30``) when there is one."""
    return f"{rule};UNTIL={until.isoformat()}" if until else rule
