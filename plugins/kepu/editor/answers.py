"""Answers to new-event's questions: given as flags or asked, parsed, asked again when wrong."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from typing import NoReturn

from kepu.content.dates import DateFormatError, parse_clock, parse_when

ALL_DAY_WORDS = ("全天", "全日", "整天", "all-day", "allday")
YES_WORDS = ("是", "是的", "对", "好", "确认", "要", "需要", "y", "yes")
NO_WORDS = ("否", "不", "不是", "不对", "不要", "不需要", "无", "n", "no")
_LOOSE_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME_RANGE = re.compile(r"^(\d{1,2}:\d{2})\s*(?:-|~|–|—|－|到|至)\s*(\d{1,2}:\d{2})$")
_LIST_SEPARATORS = re.compile(r"[\s,，、;；]+")

Ask = Callable[[str, str], str]
Say = Callable[[str], None]


class ScaffoldError(Exception):
    """An answer or flag that cannot be used, with the fix (both in Chinese)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class Retry(Exception):
    """Some answers were wrong and have been forgotten: collect the draft again, which asks
    only those questions (every other answer is kept)."""


def flag(key: str) -> str:
    return f"--{key.replace('_', '-')}"


# ------------------------------------------------------------------ parsing one answer

def parse_day(text: str) -> date:
    """``2026-12-05``, ``2026/12/5`` or ``2026年12月5日`` → a date."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    match = _LOOSE_DAY.match(text)
    if match:
        text = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    try:
        value = parse_when(text)
    except DateFormatError as exc:
        raise ScaffoldError(exc.message, "日期写成 2026-12-05") from None
    if isinstance(value, datetime):
        raise ScaffoldError(f"“{text}”不是日期", "只写日期，例如 2026-12-05；时间另外填写")
    return value


def parse_optional_day(text: str) -> date | None:
    return parse_day(text) if text.strip() else None


def parse_days(text: str) -> tuple[date, ...]:
    """``2026-12-26, 2027-01-02`` (any separators) → the dates, sorted, each once."""
    return tuple(sorted({parse_day(item) for item in _LIST_SEPARATORS.split(text.strip()) if item}))


def parse_times(text: str) -> tuple[time, time] | None:
    """``14:00-16:00`` → (14:00, 16:00); ``全天`` → None (an all-day event)."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if text.lower() in ALL_DAY_WORDS:
        return None
    match = _TIME_RANGE.match(text)
    if not match:
        raise ScaffoldError(f"无法识别的时间“{text}”",
                            "写开始和结束时间，例如 14:00-16:00；全天活动写“全天”")
    try:
        start, end = parse_clock(match[1]), parse_clock(match[2])
    except DateFormatError as exc:
        raise ScaffoldError(exc.message, exc.hint) from None
    return start, end


def parse_yes_no(text: str) -> bool | None:
    """是 / 否 (and their everyday variants); nothing → None (not answered)."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not text:
        return None
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ScaffoldError(f"请回答“是”或“否”，而不是“{text}”", "写 是 或 否")


def parse_count(text: str) -> int | None:
    typed = str(text).strip()
    number = unicodedata.normalize("NFKC", typed).removesuffix("人").strip()
    if not number:
        return None
    if not number.isdigit() or not 1 <= int(number) <= 100_000:
        raise ScaffoldError(f"名额“{typed}”不是人数", "只写数字，例如 30；不限人数直接回车")
    return int(number)


# ------------------------------------------------------------------ asking

class Answers:
    """Flags given on the command line, then (when allowed) questions for the rest.

    Every answer is kept once given; ``forget`` drops the wrong ones so that collecting the
    draft again asks only those, offering a suggested fix (or the old answer) as default."""

    def __init__(self, given: Mapping[str, str | None], ask: Ask | None, say: Say):
        self.given = {k: v for k, v in given.items() if v is not None}
        self.ask = ask
        self.say = say
        self.values: dict[str, object] = {}
        self.typed: dict[str, str] = {}  # key → the answer as typed
        self.order: dict[str, None] = {}  # keys in the order first asked
        self.suggested: dict[str, str] = {}
        self.kept: dict[str, str] = {}  # old answers of questions picked at the review

    @property
    def interactive(self) -> bool:
        return self.ask is not None

    def get(self, key: str, question: str, parse: Callable[[str], object], default: str = "",
            optional: bool = False, intro: str = "") -> object:
        """The kept answer, or the flag's value parsed, or ask until the answer parses;
        ``intro`` (the choices) is said just before asking."""
        if key not in self.values:
            if intro and self.interactive and key not in self.given:
                self.say(intro)
            default = self.suggested.pop(key, default)
            old = self.kept.pop(key, None)
            if old is not None and optional:
                # Enter keeps the meaning the question gives it (free, none): the old answer is shown, not offered.
                question = f"{question}，原来写的是“{old}”" if old else question
                default = ""
            elif old is not None:
                default = old
            self.values[key] = self._answer(key, question, parse, default, optional)
            self.order.setdefault(key)
        return self.values[key]

    def _answer(self, key: str, question: str, parse: Callable[[str], object], default: str,
                optional: bool) -> object:
        if key in self.given:
            if not optional and not self.given[key].strip():
                raise ScaffoldError(f"{flag(key)} 不能为空", question)
            self.typed[key] = self.given[key]
            return parse(self.given[key])
        if self.ask is None:
            if default or optional:
                return parse(default)
            raise ScaffoldError(f"缺少 {flag(key)}", f"{question}；或在终端里运行、不加 --batch，按提示逐项填写")
        while True:
            answer = self.ask(question, default).strip() or default
            if not answer.strip() and not optional:
                self.say("  ✗ 这一项必须填写")
                continue
            try:
                value = parse(answer)
            except ScaffoldError as exc:
                self.say(f"  ✗ {exc}")
                continue
            self.typed[key] = answer
            return value

    def forget(self, keys: Iterable[str], suggest: Mapping[str, str] | None = None,
               keep: bool = False) -> None:
        """Ask these again: with the suggested answer as default, or (``keep``) the old one."""
        for key in keys:
            self.values.pop(key, None)
            self.given.pop(key, None)
            old = self.typed.pop(key, None)
            if suggest and key in suggest:
                self.suggested[key] = suggest[key]
            elif keep and old is not None:
                self.kept[key] = old

    def wrong(self, keys: Iterable[str], message: str, hint: str, flag_hint: str = "",
              suggest: Mapping[str, str] | None = None) -> NoReturn:
        """An answer (or a combination) cannot be used: without questions, fail naming the
        flags; else say why and ask those questions again (raises Retry)."""
        keys = tuple(keys)
        if not self.interactive:
            flags = " 或 ".join(flag(k) for k in keys)
            raise ScaffoldError(message, flag_hint or f"{hint}；请改正 {flags}")
        self.say(f"  ✗ {message} — {hint}")
        self.forget(keys, suggest)
        raise Retry

    def confirm(self, summary: str, labels: Mapping[str, str]) -> bool:
        """Show what will be written; 否 lets the editor pick answers to change."""
        if not self.interactive:
            return True
        self.say(summary)
        if self._once("confirm", "确认写入？（是/否）", parse_yes_no, "是") is not False:
            return True
        self.revise(labels)
        return False

    def revise(self, labels: Mapping[str, str]) -> None:
        keys = [k for k in self.order if k in labels and k in self.typed]
        self.say("已填写的内容：")
        for number, key in enumerate(keys, start=1):
            self.say(f"  {number}. {labels[key]}：{self.typed[key] or '（空）'}")
        picked = self._once("revise", "要修改哪几项？写编号，多个用逗号分开", lambda v: _numbers(v, len(keys)))
        self.forget([keys[n - 1] for n in picked], keep=True)

    def _once(self, key: str, question: str, parse: Callable[[str], object], default: str = "") -> object:
        """A question asked every time it comes up (its answer is not kept)."""
        value = self.get(key, question, parse, default)
        self.values.pop(key)
        self.typed.pop(key, None)
        self.order.pop(key, None)
        return value


def _numbers(text: str, count: int) -> list[int]:
    text = unicodedata.normalize("NFKC", text)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not numbers or any(not 1 <= n <= count for n in numbers):
        raise ScaffoldError(f"没有这一项：“{text.strip()}”", f"写 1 到 {count} 之间的编号，例如 1,3")
    return numbers
