"""A new event file checked before it exists: the draft validated in memory as ``invoke check``
would, wrong answers asked again (the rest kept), read back, confirmed, then written."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kepu.config import SiteConfig
from kepu.content.events import parse_file
from kepu.content.model import Event
from kepu.content.placeholders import is_prompt
from kepu.content.problems import Problem, format_report
from kepu.content.project import COLLISION, COLLISION_HINT, CheckResult, Layout, check, fixed_outputs
from kepu.content.validation import ValidationContext, validate_event
from kepu.editor.answers import Answers, Retry, ScaffoldError, flag
from kepu.editor.schedule import LABELS as WHEN_LABELS
from kepu.editor.schedule import Schedule, last_day, read_back

LABELS = {"title": "活动名称", "street": "街镇", "team": "志愿服务队", **WHEN_LABELS,
          "venue": "场地名称", "online": "线上链接", "address": "详细地址", "categories": "活动类型",
          "audiences": "服务对象", "age": "适合年龄", "registration": "需要报名",
          "registration_url": "报名链接", "registration_phone": "报名电话",
          "registration_deadline": "报名截止日期", "registration_capacity": "名额", "cost": "费用",
          "slug": "文件名"}
# The questions whose answers a problem's field comes from (looked up by field, then parent);
# "" is the file itself: its name.
FIELD_QUESTIONS = {
    "": ("slug",), "title": ("title",), "start": ("date", "time"), "end": ("time", "end_date"),
    "street": ("street",), "team": ("team",), "venue": ("venue",), "venue.address": ("address",),
    "online": ("online",), "categories": ("categories",), "audiences": ("audiences",),
    "age": ("age",), "registration": ("registration",), "registration.url": ("registration_url",),
    "registration.phone": ("registration_phone",),
    "registration.deadline": ("registration_deadline",),
    "registration.capacity": ("registration_capacity",), "cost": ("cost",),
    "recurrence": ("repeat", "until"), "recurrence.exdates": ("except",),
}
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True, slots=True)
class Composed:
    """A new event file as it would be written."""

    path: Path
    text: str
    schedule: Schedule
    notes: tuple[str, ...] = ()  # told to the editor with the read-back


def questions_for(field: str) -> tuple[str, ...]:
    """``registration.phone`` → (registration_phone,); ``categories[1]`` → (categories,)."""
    field = _INDEX.sub("", field)
    while field not in FIELD_QUESTIONS and "." in field:
        field = field.rpartition(".")[0]
    return FIELD_QUESTIONS.get(field, ())


def check_draft(config: SiteConfig, path: Path, text: str,
                ctx: ValidationContext | None = None) -> tuple[Event | None, list[Problem]]:
    """The problems ``invoke check`` would report for ``text`` saved at ``path``, found in
    memory by the same functions (parse_file, validate_event), and the Event it reads as.
    ``ctx``: the registries and site already read (many drafts checked at once)."""
    layout = config.layout
    if ctx is None:
        registries, _ = layout.registries()
        ctx = layout.context(registries, config.timezone)
    shown = layout.shown(path)
    where = config.urls.save_as("EVENT", slug=path.stem)
    collision = [Problem(shown, 0, "", COLLISION.format(where=where, url=where.removesuffix("index.html")),
                         COLLISION_HINT)] if where in fixed_outputs(config.urls, config.settings) else []
    parsed = parse_file(path, shown, data=text.encode("utf-8"))
    if parsed.doc is None:
        return None, [*collision, *parsed.problems]
    event, found = validate_event(parsed.doc, ctx, parsed.html)
    return event, [*collision, *parsed.problems, *found]


def refuse(answers: Answers, problems: list[Problem]) -> None:
    """Errors in the draft: ask again the questions they come from (Retry); without questions,
    or when no answer can fix one, fail with the whole report."""
    errors = [p for p in problems if p.is_error and not is_prompt(p)]  # the body prompt is for the editor
    if not errors:
        return
    wanted: dict[str, None] = {}
    for problem in errors:
        keys = [k for k in questions_for(problem.field) if k in answers.values]
        if not keys:
            raise ScaffoldError("生成的文件没有通过检查：\n" + format_report(errors),
                                "请把以上信息发给网站维护人员")
        wanted.update(dict.fromkeys(keys))
    if not answers.interactive:
        raise ScaffoldError("生成的内容没有通过检查：\n" + format_report(errors),
                            "请改正 " + " 或 ".join(flag(k) for k in wanted))
    for problem in errors:
        label = "、".join(LABELS.get(k, k) for k in questions_for(problem.field) if k in answers.values)
        answers.say(f"  ✗ {label}：{problem.message} — {problem.hint}")
    answers.forget(wanted)
    raise Retry


def summary(layout: Layout, composed: Composed, event: Event, problems: list[Problem],
            today: date) -> str:
    """What will be published, in the words residents will read."""
    lines = [f"名称：{event.title}", *_place(event), *read_back(event, composed.schedule.until),
             *_registration(event), f"费用：{event.cost}", *_age(event),
             f"文件：{layout.shown(composed.path)}"]
    # The body's prompt is left for the volunteer to replace: not a reminder they may leave (the check refuses it).
    lines += [f"{'（发布前要改）' if is_prompt(p) else '（提醒）'}{p.field + '：' if p.field else ''}{p.message} — {p.hint}"
              for p in problems]
    if last_day(event, composed.schedule.until) < today:
        lines.append(f"（提醒）这些日期都已经过去了（今天是 {today.isoformat()}）：请核对年份")
    lines += composed.notes
    return "\n".join(["", "请核对将要发布的内容：", *(f"  {line}" for line in lines), ""])


def _place(event: Event) -> list[str]:
    lines = []
    if event.venue:
        address = f"（{event.venue.address}）" if event.venue.address else ""
        lines.append(f"地点：{event.venue.name}{address}")
    if event.online:
        lines.append(f"线上：{event.online}")
    return lines


def _registration(event: Event) -> list[str]:
    reg = event.registration
    if reg is None:
        return []
    if not reg.required:
        return ["报名：不用报名"]
    parts = ["需要报名", reg.url and f"链接 {reg.url}", reg.phone and f"电话 {reg.phone}",
             reg.deadline and f"{reg.deadline.month}月{reg.deadline.day}日截止",
             reg.capacity and f"限 {reg.capacity} 人"]
    return ["报名：" + "；".join(p for p in parts if p)]


def _age(event: Event) -> list[str]:
    low, high = event.age_min, event.age_max
    if low is None and high is None:
        return []
    if low is not None and high is not None:
        return [f"适合年龄：{low}–{high} 岁"]
    return [f"适合年龄：{low} 岁以上" if low is not None else f"适合年龄：{high} 岁以下"]


def write_new(path: Path, text: str, layout: Layout) -> None:
    """Create ``path`` with ``text``; never replaces an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"文件已存在：{layout.shown(path)}",
                            "不会覆盖已有文件；请直接编辑它，或换一个文件名（--slug）") from None


def publish(config: SiteConfig, composed: Composed, answers: Answers) -> Path:
    """Write the file and check it as ``invoke check`` does; if that finds what the draft
    check could not (another file), take it back and ask again."""
    write_new(composed.path, composed.text, config.layout)
    result = check_with(config, [composed.path])
    if any(p.is_error and not is_prompt(p) for p in result.problems):
        composed.path.unlink()
        refuse(answers, result.problems)
    return composed.path


def check_with(config: SiteConfig, files: list[Path]) -> CheckResult:
    """``invoke check`` of these files, with the settings' time zone and URL patterns."""
    return check(config.layout, files, timezone=config.timezone, urls=config.urls, settings=config.settings)


def interview(answers: Answers, config: SiteConfig, compose: Callable[[], Composed], today: date) -> Path:
    """Collect, check, read back and write; a wrong answer is asked again, never the rest."""
    layout = config.layout
    while True:
        try:
            composed = compose()
            event, problems = check_draft(config, composed.path, composed.text)
            refuse(answers, problems)
            if event is None:  # no error, yet unreadable: cannot happen for rendered text
                raise ScaffoldError("生成的文件无法读取", "请把这条信息发给网站维护人员")
            if answers.confirm(summary(layout, composed, event, problems, today), LABELS):
                return publish(config, composed, answers)
        except Retry:
            continue
