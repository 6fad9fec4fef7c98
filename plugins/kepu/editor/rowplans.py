"""One spreadsheet row as the file it becomes: new-event's (new-article's) answers from its cells,
the file they write, what invoke check says about it, and the file it wrote before."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

from kepu.config import SiteConfig
from kepu.content.articles import validate_article
from kepu.content.datechecks import Review, over_before
from kepu.content.dates import DateFormatError, day_of, parse_clock
from kepu.content.events import parse_file
from kepu.content.model import Registries
from kepu.content.problems import ERROR, STRICT_ADDED, STRICT_ALWAYS, STRICT_NEVER, Problem
from kepu.content.project import Layout
from kepu.content.recurrence import RecurrenceError
from kepu.content.repeats import parse_repeat
from kepu.content.safety import ARTICLE_RESERVED_FIELDS
from kepu.content.suggest import closest
from kepu.content.tree import ContentTree
from kepu.editor.answers import (
    ALL_DAY_WORDS,
    Answers,
    ScaffoldError,
    parse_count,
    parse_day,
    parse_days,
    parse_yes_no,
)
from kepu.editor.interview import check_draft, questions_for
from kepu.editor.scaffold import (
    ArticleDraft,
    EventDraft,
    article_draft,
    check_title,
    check_url,
    event_draft,
    propose_slug,
    registered_venue,
    render_article,
    render_event,
    resolve_id,
)
from kepu.editor.spreadsheet import (
    ALL_DAY,
    EVENT_COLUMNS,
    NEWS_COLUMNS,
    RENAMED,
    STATUS_CHOICES,
    CellError,
    Column,
    Row,
    cell_text,
    is_night,
    next_day,
    plain_text,
)

HEADERS = {c.key: c.header for c in EVENT_COLUMNS}
NEWS_HEADERS = {c.key: c.header for c in NEWS_COLUMNS}
# A problem of the checked file, by its field, names this column (else: questions_for's answer).
FIELD_HEADERS = {"start": "日期", "end": "结束时间", "recurrence": "重复", "recurrence.rrule": "重复",
                 "recurrence.exdates": "不开展的日期", "status": "状态", "status_note": "状态说明",
                 "正文": "活动介绍", "external_id": "编号", "attendance": "参加人数"}
NEWS_FIELD_HEADERS = {**NEWS_HEADERS, "正文": NEWS_HEADERS["body"]}
EVENTS_NOTE = next(c.note for c in NEWS_COLUMNS if c.key == "events")
# new-event's combined answer "time" (start-end) is wrong when the end is: name that column.
ANSWER_HEADERS = {**HEADERS, "time": "结束时间"}
FIXES = (("；直接回车改成", "；改成"), ("直接回车", "空着"), ("或在终端里运行、不加 --batch，按提示逐项填写", ""),
         ("“重复到哪天”", "「重复到」"), ("“最后一天”", "「最后一天」"), ("“重复”", "「重复」"),
         ("“需要报名”", "「需要报名」"),
         ("另一个写进联系方式 contact", "另一个写进「活动介绍」，例如 也可以打 13822003333"),
         ("如果是补录已经办完的活动，填写 attendance（参加人数）或 report（活动报道）",
          "如果是补录已经办完的活动，在表格的「参加人数」列填上实际参加的人数，再导入一次，否则提交后的检查不会通过"
          "（不要直接改生成的文件：改过的文件再导入时不会更新）"),
         ("先删去 attendance，", "先清空「参加人数」，"),
         ("删去 attendance；如果活动其实办了，改正 status", "清空「参加人数」；如果活动其实办了，改正「状态」"))
# A reminder the merge request's check fails on (a file new to HEAD is added by the change).
BLOCKING = "（合并前必须处理）"
STAMP = "# 导入时的内容指纹（文件改过就和它对不上，再导入时不会覆盖修改）："
_STAMP = re.compile(f"^{re.escape(STAMP)}([0-9a-f]*)\n", re.M)
LIST_SEPARATORS = re.compile(r"[\s,，、;；]+")
_ATTENDANCE_EXAMPLE = re.compile(r"^# attendance: .*$", re.M)  # new-event's commented-out line
_YAML_KEY = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)*: (?=\S)")  # "phone: " in a file's hint: not in a sheet


class Wrong(ScaffoldError):
    """An answer (or a combination of answers) that cannot be used, with the answers it comes from."""

    def __init__(self, keys: tuple[str, ...], message: str, hint: str):
        super().__init__(message, hint)
        self.keys = keys


class RowAnswers(Answers):
    """A row's cells as new-event's answers, never asked: a wrong one names its answers (columns)."""

    def _answer(self, key: str, question: str, parse: Callable[[str], object], default: str,
                optional: bool) -> object:
        try:
            return super()._answer(key, question, parse, default, optional)
        except Wrong:
            raise
        except ScaffoldError as exc:
            raise Wrong((key,), exc.message, exc.hint) from None

    def wrong(self, keys: Iterable[str], message: str, hint: str, flag_hint: str = "",
              suggest: Mapping[str, str] | None = None) -> None:
        keys = tuple(keys)
        if "time" in keys:  # in a sheet, the two times are more often swapped than overnight
            hint = f"检查「开始时间」「结束时间」是否写反；{hint}"
        raise Wrong(keys, message, hint)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem of one row (or of a sheet's header row) as staff read it; ``rows``: other rows it
    keeps from being imported (a merged block's, a hidden sheet's)."""

    sheet: str
    problem: Problem
    rows: tuple[int, ...] = ()

    def format(self) -> str:
        p = self.problem
        column = f"「{p.field}」列" if p.field else ""
        label = "" if p.is_error else BLOCKING if p.strict in (STRICT_ALWAYS, STRICT_ADDED) else "（提醒）"
        fix = f"，改法：{p.hint}" if p.hint else ""
        return f"{label}「{self.sheet}」表第 {p.line} 行{column}：{p.message}{fix}"


@dataclass(slots=True)
class Planned:
    """The file one row becomes."""

    row: Row
    external_id: str
    path: Path
    text: str
    old: Path | None = None  # the file this row wrote before (moved when its street or year changed)
    findings: list[Finding] = field(default_factory=list)


# ------------------------------------------------------------------ one row

class RowPlanner:
    """Everything importing needs to know once: the layout, registries, files already imported."""

    def __init__(self, config: SiteConfig, source: str, registries: Registries, today: date):
        self.config = config
        self.layout = layout = config.layout
        self.source = source  # the spreadsheet, as shown in problems
        self.registries = registries
        self.today = today
        tree = layout.scan()
        self.ctx = layout.context(registries, config.timezone, tree)  # what each row is checked against
        self.known = imported_files(layout, tree, layout.events)
        self.known_news = imported_files(layout, tree, layout.articles)
        self.taken = {p.stem: layout.shown(p) for p in layout.files(layout.events, tree)}
        self.taken_news = {p.stem: layout.shown(p) for p in layout.files(layout.articles, tree)}
        self.event_ids = {ident: paths[0].stem for ident, paths in self.known.items()}  # 编号 → file name
        self.event_slugs = set(self.taken)  # the events news may name, those of this import too
        self.parsers = cell_parsers(registries)

    @cached_property
    def committed(self) -> frozenset[Path]:
        """The content files committed in its git repository's HEAD (none without git), read once: a
        file the import updates among them is not added by the change (invoke check --base HEAD)."""
        return committed_files(self.layout.content)

    def finding(self, row: Row, header: str, message: str, hint: str, severity: str = ERROR,
                strict: str = STRICT_NEVER) -> Finding:
        """``strict``: a reminder's, as the merge request's check (invoke check --strict) takes it."""
        for old, new in FIXES:
            message, hint = message.replace(old, new), hint.replace(old, new)
        hint = _YAML_KEY.sub("", hint)
        return Finding(row.sheet, Problem(self.source, row.number, header, message, hint.strip("；"), severity, strict))

    def answers(self, row: Row, columns: tuple[Column, ...]) -> tuple[dict[str, str], list[Finding]]:
        """Each cell as the text new-event takes, each checked on its own: every wrong cell is named."""
        given: dict[str, str] = {}
        findings = []
        for column in columns:
            try:
                text = cell_text(row.cells.get(column.header), column, self.today) \
                    if column.header in row.cells else ""
                if column.required and not text:
                    merged = "；合并过的单元格只有第一行有内容，取消合并后每一行都填上" if column.kind == "choice" else ""
                    raise CellError(f"「{column.header}」必须填写", (column.note or "") + merged)
                if text and column.key in self.parsers:
                    self.parsers[column.key](text)
            except (CellError, ScaffoldError) as exc:
                findings.append(self.finding(row, column.header, exc.message, exc.hint))
                continue
            if text:  # new-event tells an answer given from one not given (until without repeat)
                given[column.key] = text
        return given, findings + self.unknown_cells(row, columns)

    def unknown_cells(self, row: Row, columns: tuple[Column, ...]) -> list[Finding]:
        """A filled cell under a header the template does not have would be lost: refused, with
        the column probably meant."""
        headers = [c.header for c in columns]
        found = []
        for header, value in row.cells.items():
            if header in headers:
                continue
            meant = RENAMED.get(header) if RENAMED.get(header) in headers else closest(header, headers, cutoff=0.5)
            guess = f"是否想写「{meant}」？把表头改成「{meant}」；" if meant else ""
            text = plain_text(value)
            found.append(self.finding(
                row, header, f"表头「{header}」不是模板里的列，这一格“{text[:40]}{'…' if len(text) > 40 else ''}”不会导入",
                f"{guess}给居民看的内容写进模板的列（例如「活动介绍」）；只是自己记的，删去这一格，或把这一列挪到别的工作表"))
        return found

    def _time(self, row: Row, given: dict[str, str]) -> list[Finding]:
        """开始时间 and 结束时间 as new-event's one answer (14:00-16:00, or 全天 when both are empty)."""
        start, end = given.pop("start_time", ""), given.pop("end_time", "")
        if bool(start) != bool(end):
            header = HEADERS["end_time" if start else "start_time"]
            return [self.finding(row, header, f"写了{'开始' if start else '结束'}时间，「{header}」却空着",
                                 f"写上{header}，例如 {'16:00' if start else '14:00'}；全天活动两个时间都空着")]
        given["time"] = f"{start}-{end}" if start else ALL_DAY
        return []

    def _next_day_start(self, row: Row, given: Mapping[str, str]) -> list[Finding]:
        """晚上12点 (24:00) as a start is the next day's 0 点: written as 00:00 of the date, residents
        would come the night before."""
        written = row.cells.get(HEADERS["start_time"])
        if not next_day(written):
            return []
        hour, minute = given["start_time"].split(":")
        clock = f"{int(hour)}:{minute}"
        day = parse_day(given["date"]) + timedelta(days=1)
        also = "；「重复」「最后一天」也按第二天写" if {"repeat", "end_date"} & set(given) else ""
        return [self.finding(row, HEADERS["start_time"],
                             f"{plain_text(written)}开始，就是第二天的 {clock if int(minute) else f'{int(hour)} 点'}",
                             f"把「日期」改成第二天（{day.month}月{day.day}日），开始时间写 {clock}{also}")]

    def plan(self, row: Row, claimed: dict[str, str]) -> Planned | list[Finding]:
        """The file this row becomes, checked as invoke check would; or what is wrong with the row.
        ``claimed``: slugs that earlier rows of this import will use (file name → sheet and row)."""
        given, findings = self.answers(row, EVENT_COLUMNS)
        findings = findings or self._next_day_start(row, given) or self._time(row, given)
        if findings:
            return findings
        extra = {"body": plain_markdown(given.pop("body", "")), "status_note": given.pop("status_note", ""),
                 "status": status_of(given.pop("status")) if "status" in given else "",
                 "night": is_night(row.cells.get(HEADERS["start_time"]))}
        attendance = int(given.pop("attendance")) if "attendance" in given else None
        if extra["status_note"] and not extra["status"]:  # shown only with a status: would be dropped
            return [self.finding(row, HEADERS["status_note"], "写了状态说明，「状态」却空着",
                                 "取消了在「状态」选“已取消”，名额满了选“名额已满”；给居民的其他说明写进「活动介绍」")]
        numbered = "external_id" in given
        external_id = given.pop("external_id", "") or derived_id(given, self.registries)
        old = self.previous(row, external_id, self.known)
        if isinstance(old, Finding):
            return [old]
        if numbered and old is None and external_id in self.taken:  # the year-end list's 活动编号, say
            return [self.finding(row, HEADERS["external_id"],
                                 f"编号“{external_id}”是已经发布的活动 {self.taken[external_id]} 的文件名，它不是用这个编号"
                                 "从表格导入的，导入会另外新建一个同样的活动（活动、场次和人次都会多算）",
                                 "登记它的参加人数，请在网页编辑里打开这个活动填「参加人数」，或在它的文件里写上 attendance（参加人数）；"
                                 "这一行从表格里删掉")]
        kept = attendance is None and old is not None
        if kept:  # an empty cell (last month's copy of the sheet) keeps the number recorded
            attendance = attendance_in(old, self.layout)
        refused = self.reused(row, given, external_id, old) if old else \
            None if numbered else self.renamed(row, given, external_id)
        if refused is not None:
            return [refused]
        taken = {**{k: v for k, v in self.taken.items() if not old or k != old.stem}, **claimed}
        given["slug"] = old.stem if old else free_slug(propose_slug(given["title"], parse_day(given["date"])), taken)
        try:
            draft = event_draft(RowAnswers(given, None, lambda _: None), self.registries, taken)
        except Wrong as exc:
            return [self.finding(row, _header(exc.keys), exc.message, exc.hint)]
        planned = self.checked(row, replace(draft, external_id=external_id, **extra), old, attendance)
        if kept and attendance is not None and any(f.problem.field == HEADERS["attendance"] for f in planned.findings):
            # … unless the check refuses it (not held yet, or cancelled): the cell was emptied to clear it
            planned = self.checked(row, replace(draft, external_id=external_id, **extra), old)
        return planned

    def checked(self, row: Row, draft: EventDraft, old: Path | None, attendance: int | None = None) -> Planned:
        """The row's file as it will be written (``attendance``: its 参加人数), with what invoke check
        would say about it, at the instant the check stands for (the clock, on today)."""
        path = draft.path(self.layout)
        text = stamped(with_attendance(render_event(draft, self.registries), attendance))
        new = path.resolve() not in self.committed  # to the merge request's check: is its event over already?
        shown = {self.layout.shown(path)} if new else set()
        ctx = replace(self.ctx, review=Review(self.today, lambda: shown, self.config.checked_at(self.today)))
        _, problems = check_draft(self.config, path, text, ctx)
        found = [self.finding(row, column_of(p.field), p.message, p.hint, p.severity,
                              STRICT_NEVER if p.strict == STRICT_ADDED and not new else p.strict) for p in problems]
        return Planned(row, draft.external_id, path, text, old, found)

    def renamed(self, row: Row, given: Mapping[str, str], external_id: str) -> Finding | None:
        """A new row without 编号 on the day, at the time and place of an event imported under
        another name: most likely that event with its name corrected, which would be published twice."""
        prefix = external_id[: -len(check_title(given["title"]))]
        clock = given["time"].split("-")[0] if given["time"] != ALL_DAY else ""
        for ident, paths in self.known.items():
            if not ident.startswith(prefix) or ident == external_id:
                continue
            meta, _ = front_matter(paths[0], self.layout)
            start, venue = str(meta.get("start", "")), meta.get("venue")
            same_time = start.endswith(f" {clock}") if clock else ":" not in start
            same_place = _place_of(venue) == self._typed_place(given)
            if same_time and same_place:
                shown = self.layout.shown(paths[0])
                return self.finding(
                    row, HEADERS["title"], f"和已导入的“{ident[len(prefix):]}”（{shown}）是同一天、同一时间、同一地点：是不是改了活动名称？",
                    f"改了名称的，删掉 {shown} 再导入（以后在「编号」列写上编号，改名称也更新同一个活动）；"
                    "确实是两个活动，在「编号」列给这一行写一个编号")
        return None

    def reused(self, row: Row, given: Mapping[str, str], external_id: str, old: Path) -> Finding | None:
        """A 编号 that another event already has: another street's (its sheet numbered 1, 2, 3 too),
        or one already held that the row would move to another date (last month's numbers used
        again, whatever the name). Importing would turn that event into this row's; a held event's
        time or place corrected on its own date is an update."""
        event, _ = check_draft(self.config, old, old.read_text("utf-8"), self.ctx)
        if event is None:
            return None
        street = resolve_id(given["street"], self.registries.streets, "街镇", self.registries.file("streets"))
        held = over_before(event, self.today)
        if event.street != street:
            why = f"是{self._street_name(event.street)}的活动：导入会把它改成这一行的活动"
        elif held and day_of(event.start) != parse_day(given["date"]):
            why = (f"已经在 {held.isoformat()} 办完了，这一行是新的活动：导入会把已经办完的那个活动"
                   "改到这一行的日期，它就从网站上消失了")
        else:
            return None
        return self.finding(
            row, HEADERS["external_id"], f"编号“{external_id}”已经是“{event.title}”（{self.layout.shown(old)}）的编号，"
            f"那个活动{why}",
            "给这一行写一个自己的编号，例如本单位前缀加年份，KPR2026-001；"
            "编号每个活动一个，不要从 1 开始重新编，也不要用上个月用过的；确实是那个活动要改成这样，删掉那个文件再导入")

    def _street_name(self, street: str) -> str:
        item = self.registries.streets.get(street)
        return getattr(item, "name", street)

    def _typed_place(self, given: Mapping[str, str]) -> str | None:
        """The row's place as a file names it: a registered venue's id, else the name typed."""
        typed = (given.get("venue") or "").strip()
        street = resolve_id(given["street"], self.registries.streets, "街镇", self.registries.file("streets"))
        return (registered_venue(typed, self.registries, street) or typed) if typed else None

    def previous(self, row: Row, external_id: str, known: Mapping[str, list[Path]]) -> Path | Finding | None:
        """The file this row was imported into before, if any; refused when there are two, or when
        it has been edited since (importing again would throw the edits away: a cancellation …)."""
        old = known.get(external_id, [])
        header = HEADERS["external_id"]
        if len(old) > 1:
            shown = "、".join(self.layout.shown(p) for p in old)
            return self.finding(row, header, f"编号“{external_id}”对应不止一个文件：{shown}",
                                "只留下其中一个文件（删掉重复的），再导入")
        if old and edited(old[0].read_text("utf-8")):
            return self.finding(row, header, f"{self.layout.shown(old[0])} 在导入以后被直接修改过，再导入会丢掉这些修改",
                                "这个活动以后就在文件里修改：删掉表格里的这一行；"
                                "或者以表格为准：删掉这个文件再导入（文件里改过的内容会丢掉，表格里没有的列也是）")
        return old[0] if old else None


    def plan_news(self, row: Row, claimed: dict[str, str]) -> Planned | list[Finding]:
        """A 新闻 row as new-article's answers; 相关活动 may name events by their 编号."""
        given, findings = self.answers(row, NEWS_COLUMNS)
        if findings:
            return findings
        body = plain_markdown(given.pop("body", ""))
        external_id = given.pop("external_id", "") or f"{parse_day(given['date']).isoformat()}-{given['title']}"
        old = self.previous(row, external_id, self.known_news)
        if isinstance(old, Finding):
            return [old]
        if "events" in given:
            given["events"] = "、".join(self.event_ids.get(i, i) for i in LIST_SEPARATORS.split(given["events"]) if i)
        taken = {**{k: v for k, v in self.taken_news.items() if not old or k != old.stem}, **claimed}
        given["slug"] = old.stem if old else free_slug(propose_slug(given["title"]), taken)
        try:
            draft = article_draft(RowAnswers(given, None, lambda _: None), self.registries, taken,
                                  self.event_slugs, self.today)
        except Wrong as exc:
            if exc.keys == ("events",):  # named by 编号 in a sheet, by file name in a file
                exc = Wrong(exc.keys, exc.message.replace("文件名为", "编号或文件名为"), EVENTS_NOTE)
            return [self.finding(row, next((NEWS_HEADERS[k] for k in exc.keys if k in NEWS_HEADERS), ""),
                                 exc.message, exc.hint)]
        draft.body, draft.external_id = body, external_id
        return self.checked_news(row, draft, old)

    def checked_news(self, row: Row, draft: ArticleDraft, old: Path | None) -> Planned:
        """The news file as it will be written, with what invoke check would say about it."""
        path = draft.path(self.layout)
        text = stamped(render_article(draft, self.registries))
        parsed = parse_file(path, self.layout.shown(path), data=text.encode("utf-8"), reserved=ARTICLE_RESERVED_FIELDS)
        problems = list(parsed.problems)
        if parsed.doc is not None:
            problems += validate_article(parsed.doc, self.ctx, "article", frozenset(self.event_slugs))[1]
        found = [self.finding(row, NEWS_FIELD_HEADERS.get(p.field.split("[")[0], ""), p.message, p.hint, p.severity,
                              p.strict)
                 for p in problems]
        return Planned(row, draft.external_id, path, text, old, found)


def cell_parsers(registries: Registries) -> dict[str, Callable[[str], object]]:
    """new-event's own reading of each answer a single cell gives (the rest is checked together)."""
    def choices(kind: str, label: str) -> Callable[[str], object]:
        registry = getattr(registries, kind)
        return lambda text: [chosen(item, registry, label, registries.file(kind))
                             for item in LIST_SEPARATORS.split(text) if item]

    return {
        "title": check_title,
        "street": lambda v: chosen(v, registries.streets, "街镇", registries.file("streets")),
        "team": lambda v: chosen(v, registries.teams, "志愿服务队", registries.file("teams")),
        "categories": choices("categories", "活动类型"), "audiences": choices("audiences", "服务对象"),
        "date": parse_day, "end_date": parse_day, "until": parse_day, "registration_deadline": parse_day,
        "except": parse_days, "repeat": _repeat, "start_time": _clock, "end_time": _clock,
        "online": check_url, "registration_url": check_url,
        "registration": parse_yes_no, "registration_capacity": parse_count, "status": status_of,
    }


def chosen(text: str, registry: Mapping[str, object], label: str, where: str) -> str:
    """A name from the dropdown (or an id) as new-event resolves it; else the closest name."""
    try:
        return resolve_id(text, registry, label, where)
    except ScaffoldError:
        names = [getattr(item, "name", "") for item in registry.values()]
        guess = closest(text, names, cutoff=0.5)
        pick = "点这一格右边的小箭头，从下拉列表里选"
        raise ScaffoldError(f"没有叫“{text}”的{label}",
                            f"是否想写“{guess}”？{pick}" if guess else pick) from None


def status_of(text: str) -> str:
    """正常举办 / 已取消 / 名额已满 → the status id; a postponement is a change of date in the sheet."""
    if text not in STATUS_CHOICES:
        raise ScaffoldError(f"状态只能选 {'、'.join(STATUS_CHOICES)}，而不是“{text}”",
                            "改期、延期的活动：直接改「日期」和时间，状态空着")
    return STATUS_CHOICES[text]


def _repeat(text: str) -> object:
    try:
        return parse_repeat(text)
    except RecurrenceError as exc:
        raise ScaffoldError(exc.message, exc.hint) from None


def _clock(text: str) -> object:
    if text.lower() in ALL_DAY_WORDS:
        raise ScaffoldError(f"时间写了“{text}”", "全天活动把「开始时间」「结束时间」都空着")
    try:
        return parse_clock(text)
    except DateFormatError as exc:
        raise ScaffoldError(exc.message, "写成 24 小时制，例如 14:30") from None


def _header(keys: tuple[str, ...]) -> str:
    return next((ANSWER_HEADERS[k] for k in keys if k in ANSWER_HEADERS), "")


def column_of(field_name: str) -> str:
    """The column a problem of the written file comes from (``registration.phone`` → 报名电话)."""
    root = field_name.split("[")[0]
    if root in FIELD_HEADERS:
        return FIELD_HEADERS[root]
    return _header(questions_for(field_name))


def _place_of(venue: object) -> str | None:
    """An imported file's place: a registered venue's id, or the name written out."""
    if isinstance(venue, str):
        return venue
    return venue.get("name") if isinstance(venue, dict) else None


def derived_id(given: Mapping[str, str], registries: Registries) -> str:
    """A row without 编号 is the same event as before when its street, first date and name are."""
    street = resolve_id(given["street"], registries.streets, "街镇", registries.file("streets"))
    return f"{street}-{parse_day(given['date']).isoformat()}-{check_title(given['title'])}"


_INLINE = re.compile(r"([\\`*_\[\]{}|])")  # what Markdown (with the site's extensions) reads anywhere
_ENTITY = re.compile(r"&(?=#?\w+;)")  # &amp; typed: shown as typed, not as &
_LINE_START = re.compile(r"[#>+\-]|\d+\.(?=\s|$)")  # a heading, quote, list item, rule
_UNESCAPABLE = {"=": "&#61;", ":": "&#58;", "~": "&#126;"}  # a heading's underline, a definition, a fence


def plain_markdown(text: str) -> str:
    """A cell's text as Markdown that shows exactly that text: what Markdown would read as markup
    (# at a line's start, > , - and 1. lists, *, _, `, [ ], <, \\ …) escaped; its lines and
    paragraphs kept (a line break stays a line break, an empty line a new paragraph)."""
    return "\n".join(_plain_line(line) for line in text.split("\n"))


def _plain_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", _ENTITY.sub("&amp;", line.lstrip(" \t"))).replace("<", "&lt;")
    if line[:1] in _UNESCAPABLE:
        return _UNESCAPABLE[line[0]] + line[1:]
    match = _LINE_START.match(line)
    if match is None:
        return line
    end = match.end() - 1  # the character that makes the markup: #, >, -, + or the number's dot
    return f"{line[:end]}\\{line[end:]}"


def attendance_in(path: Path, layout) -> int | None:
    """The 参加人数 an event file records (a whole number), if any."""
    meta, _ = front_matter(path, layout)
    value = meta.get("attendance")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def with_attendance(text: str, attendance: int | None) -> str:
    """An event file with ``attendance:`` written where new-event comments it out (under 活动结束后填写)."""
    if attendance is None:
        return text
    line = f"attendance: {attendance}"
    if _ATTENDANCE_EXAMPLE.search(text):
        return _ATTENDANCE_EXAMPLE.sub(line, text, count=1)
    end = text.index("\n---\n", 3)  # the front matter's end
    return f"{text[:end]}\n{line}{text[end:]}"


def digest(text: str) -> str:
    return hashlib.sha256(_STAMP.sub("", text).encode("utf-8")).hexdigest()[:16]


def stamped(text: str) -> str:
    """The file with its fingerprint on the line after ``external_id``: whether it was edited since."""
    head, found, tail = text.partition("\nexternal_id: ")
    line, _, rest = tail.partition("\n")
    return f"{head}{found}{line}\n{STAMP}{digest(text)}\n{rest}"


def edited(text: str) -> bool:
    """Whether an imported file differs from what the import wrote (its fingerprint)."""
    match = _STAMP.search(text)
    return match is None or match[1] != digest(text)


def free_slug(slug: str, taken: Mapping[str, str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3`` … when another file has it."""
    number, free = 1, slug
    while free in taken:
        number += 1
        free = f"{slug}-{number}"
    return free


def front_matter(path: Path, layout: Layout, data: bytes | None = None) -> tuple[dict, str]:
    """A file's front matter and body as the check reads them (``data``: bytes instead of the file's)."""
    parsed = parse_file(path, layout.shown(path), data=path.read_bytes() if data is None else data,
                        reserved=frozenset())
    return (parsed.doc.meta, parsed.doc.body) if parsed.doc is not None else ({}, "")


def committed_files(folder: Path) -> frozenset[Path]:
    """The files under ``folder`` in HEAD of the git repository holding it (resolved); none without
    git or a commit. ``git ls-tree`` and not ``ls-files``: a file only staged is still added."""
    try:
        listed = subprocess.run(["git", "-C", str(folder), "ls-tree", "-r", "-z", "--name-only", "HEAD"],
                                capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    if listed.returncode != 0:
        return frozenset()
    root = folder.resolve()
    return frozenset(root / name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name)


def imported_files(layout: Layout, tree: ContentTree, folder: str) -> dict[str, list[Path]]:
    """The files of ``folder`` an import wrote, by their ``external_id`` (only files naming it are parsed)."""
    found: dict[str, list[Path]] = {}
    for path in layout.files(folder, tree):
        data = path.read_bytes()
        if b"external_id" not in data:
            continue
        value = front_matter(path, layout, data)[0].get("external_id")
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            found.setdefault(str(value).strip(), []).append(path)
    return found
