"""Events and news from a spreadsheet: every row planned (rowplans), then all rows written or none (or,
asked, the good ones), checked as invoke check checks them; importing again updates the same files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kepu.config import SiteConfig, add_arguments, day_argument, for_command
from kepu.content.problems import ERROR, WARNING, Problem
from kepu.content.project import Layout
from kepu.editor.answers import ScaffoldError
from kepu.editor.interview import check_with
from kepu.editor.rowplans import HEADERS, Finding, Planned, RowPlanner, column_of, front_matter
from kepu.editor.spreadsheet import (
    EVENT_COLUMNS,
    IGNORED_HEADERS,
    NEWS_COLUMNS,
    CellError,
    Column,
    Row,
    Sheet,
    sheets_of,
)


@dataclass(slots=True)
class Outcome:
    """What an import did: the files written (new, updated, unchanged) and the rows left out."""

    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    refused: list[Row] = field(default_factory=list)  # rows with errors (nothing written for them)
    changes: dict[Path, str] = field(default_factory=dict)  # an updated file: what changed, in words

    @property
    def failed(self) -> bool:
        return any(f.problem.is_error for f in self.findings)


# ------------------------------------------------------------------ the whole sheet

def header_findings(sheet: Sheet, source: str, columns: tuple[Column, ...]) -> list[Finding]:
    """Required columns missing (an error), and empty columns not recognised (a reminder: a filled
    cell under one is refused with its row)."""
    findings = []
    known = {c.header for c in columns}
    for column in columns:
        if column.required and column.header not in sheet.headers:
            findings.append(Finding(sheet.name, Problem(
                source, sheet.header_row, "", f"表头里没有「{column.header}」列",
                "用 invoke excel-template 生成的模板填写；或者在表头加上这一列")))
    from openpyxl.utils import get_column_letter

    for header, numbers in sheet.repeated.items():
        letters = "和 ".join(f"{get_column_letter(n)} 列" for n in numbers)
        findings.append(Finding(sheet.name, Problem(
            source, sheet.header_row, header, f"有{'两' if len(numbers) == 2 else len(numbers)}列都叫「{header}」（{letters}）："
            "导入时只用得上其中一列，另一列的内容会悄悄丢掉",
            "只留一列：删掉多出来的那一列（要紧的内容先挪到「活动介绍」），或者把它的表头改成模板里别的列名"),
            tuple(row.number for row in sheet.rows)))
    for header in sheet.headers:
        if header and header not in known and header not in IGNORED_HEADERS \
                and not any(header in row.cells for row in sheet.rows):
            findings.append(Finding(sheet.name, Problem(
                source, sheet.header_row, header, "不认识这一列（这一列是空的，没有要导入的内容）",
                "列名要和模板一样：" + "、".join(c.header for c in columns), WARNING)))
    return findings


def hidden_findings(sheet: Sheet, source: str) -> list[Finding]:
    """A hidden sheet, or hidden (filtered-out) row or hidden column with content: whoever checks the
    sheet does not see it, and it would be published."""
    numbers = tuple(row.number for row in sheet.rows)
    if sheet.hidden:
        return [Finding(sheet.name, Problem(
            source, sheet.header_row, "", f"这张表是隐藏的，里面的 {len(numbers)} 行活动看不见，却会被导入",
            "取消隐藏后再导入，或者删掉这张表"), numbers)] if numbers else []
    return [Finding(sheet.name, Problem(source, number, "", "这一行是隐藏的（或被筛选掉了），表格里看不见，却会被导入",
                                        "取消隐藏后再导入，或者删掉这一行"))
            for number in numbers if number in sheet.hidden_rows] + hidden_column_findings(sheet, source)


def hidden_column_findings(sheet: Sheet, source: str) -> list[Finding]:
    """Each hidden column with content, once, keeping the rows with content in it from being imported."""
    from openpyxl.utils import get_column_letter

    findings = []
    for number in sorted(sheet.hidden_columns):
        header = sheet.headers[number - 1] if number <= len(sheet.headers) else ""
        rows = tuple(row.number for row in sheet.rows if header in row.cells)
        if not header or header in IGNORED_HEADERS or not rows:
            continue
        shown = "、".join(str(n) for n in rows[:5]) + (f" 等 {len(rows)} " if len(rows) > 5 else " ")
        findings.append(Finding(sheet.name, Problem(
            source, sheet.header_row, header, f"这一列（{get_column_letter(number)} 列）是隐藏的，表格里看不见，"
            f"第 {shown}行的内容却会被导入", "取消隐藏这一列后再导入，或者删掉这一列"), rows))
    return findings


def merged_findings(sheet: Sheet, source: str) -> list[Finding]:
    """A cell merged over several rows holds its value in the first row only: the other rows would
    be imported with that column empty. Each such column named once, refusing every row of the block."""
    numbers = {row.number for row in sheet.rows}
    findings = []
    for block in sorted(sheet.merged, key=lambda b: (b.first_row, b.first_column)):
        rows = tuple(n for n in range(max(block.first_row, sheet.header_row + 1), block.last_row + 1) if n in numbers)
        if not rows:
            continue
        first, last = block.first_row, block.last_row
        rest = f"第 {last} 行" if last == first + 1 else f"第 {first + 1} 到 {last} 行"
        for header in sheet.headers[block.first_column - 1:block.last_column]:
            if header and header not in IGNORED_HEADERS:
                findings.append(Finding(sheet.name, Problem(
                    source, first, header, f"第 {first} 到 {last} 行的这一列合并成了一格，只有第 {first} 行有内容，"
                    f"{rest}导入后是空的", "取消合并，每一行都写上"), rows))
    return findings


def _covered(sheet: Sheet) -> set[tuple[int, str]]:
    """The cells a merged block covers but its first: said by merged_findings, not once more."""
    return {(number, header) for block in sheet.merged for number in range(block.first_row + 1, block.last_row + 1)
            for header in sheet.headers[block.first_column - 1:block.last_column]}


def plan_all(importer: RowPlanner, events: list[Sheet], news: list[Sheet]) -> tuple[list[Planned], list[Finding]]:
    """Every row planned, events first (news may name them); rows with errors named."""
    plans: list[Planned] = []
    findings: list[Finding] = []
    for sheets, columns, plan in ((events, EVENT_COLUMNS, importer.plan), (news, NEWS_COLUMNS, importer.plan_news)):
        claimed: dict[str, str] = {}
        ids: dict[str, Row] = {}
        for sheet in sheets:
            findings += header_findings(sheet, importer.source, columns)
            findings += hidden_findings(sheet, importer.source) + merged_findings(sheet, importer.source)
            if sheet.hidden:
                continue
            covered = _covered(sheet)
            for row in sheet.rows:
                planned = plan(row, claimed)
                if isinstance(planned, list):
                    findings += [f for f in planned if (row.number, f.problem.field) not in covered]
                    continue
                _same_id(importer, planned, ids)
                claimed[planned.path.stem] = f"「{row.sheet}」表第 {row.number} 行"
                if plan == importer.plan:
                    importer.event_ids[planned.external_id] = planned.path.stem
                    importer.event_slugs.add(planned.path.stem)
                findings += planned.findings
                plans.append(planned)
    return plans, findings


def _same_id(importer: RowPlanner, planned: Planned, ids: dict[str, Row]) -> None:
    """Two rows with one 编号 would write one file twice: the second is refused."""
    first = ids.setdefault(planned.external_id, planned.row)
    if first is planned.row:
        return
    where = f"「{first.sheet}」表第 {first.number} 行"
    if HEADERS["external_id"] in planned.row.cells:
        planned.findings.append(importer.finding(
            planned.row, HEADERS["external_id"], f"和{where}的编号相同（“{planned.external_id}”）",
            "每个活动（每篇新闻）只写一行；不同的请写不同的编号"))
    else:  # the number derived from its street, date and name: she wrote none
        planned.findings.append(importer.finding(
            planned.row, "", f"和{where}是同一个活动（街镇、日期和名称都一样）",
            "同一个活动只写一行，删去多的那一行；是两个不同的活动，就改一改名称，或在「编号」列给它们写不同的编号"))


def run_import(source: Path, config: SiteConfig, today: date, partial: bool = False) -> Outcome:
    """Read, plan, and (when no row is wrong, or ``partial``: the good rows) write and check."""
    layout = config.layout
    shown = layout.shown(source)
    registries, problems = layout.registries()
    if any(p.is_error for p in problems):
        raise ScaffoldError("登记表有错误，先改好它们：\n" + "\n".join(p.format() for p in problems), "改好后再导入")
    try:
        events, news = sheets_of(source, EVENT_COLUMNS), sheets_of(source, NEWS_COLUMNS)
    except CellError as exc:
        raise ScaffoldError(exc.message, exc.hint) from None
    if not events and not news:
        raise ScaffoldError(f"{shown} 里没有找到活动表或新闻表：没有一行写着「活动名称」或「新闻标题」等列名",
                            "用 invoke excel-template 生成的模板填写，第一行是列名")
    sheets = events + news
    importer = RowPlanner(config, shown, registries, today)
    plans, findings = plan_all(importer, events, news)
    bad = {(f.sheet, line) for f in findings if f.problem.is_error for line in (f.problem.line, *f.rows)}
    outcome = Outcome(findings=findings, refused=[r for s in sheets for r in s.rows if (r.sheet, r.number) in bad])
    if bad and not partial:
        return outcome
    good = [p for p in plans if (p.row.sheet, p.row.number) not in bad]
    write_checked(good, config, importer, outcome, partial)
    return outcome


# ------------------------------------------------------------------ writing

def write_checked(plans: list[Planned], config: SiteConfig, importer: RowPlanner, outcome: Outcome,
                  partial: bool) -> None:
    """Write the planned files, then check them as invoke check does (another file may repeat one);
    a file with errors is taken back (with ``partial``: that row's; else every file), old text restored."""
    layout = config.layout
    backup: dict[Path, bytes | None] = {}
    changed = [p for p in plans if _write(p, backup)]
    outcome.unchanged = [p.path for p in plans if all(p is not c for c in changed)]
    errors: dict[str, list[Problem]] = {}
    for problem in check_with(config, [p.path for p in changed]).problems if changed else ():
        if problem.is_error:
            errors.setdefault(problem.path, []).append(problem)
    wrong = [p for p in changed if layout.shown(p.path) in errors]
    for planned in wrong:
        outcome.findings += [importer.finding(planned.row, column_of(q.field), q.message, q.hint)
                             for q in errors[layout.shown(planned.path)]]
        outcome.refused.append(planned.row)
    undone = wrong if partial else (changed if wrong else [])
    _restore(backup, undone)
    for planned in changed:
        if all(planned is not u for u in undone):
            (outcome.updated if planned.old else outcome.created).append(planned.path)
            if planned.old and backup.get(planned.old):
                outcome.changes[planned.path] = what_changed(front_matter(planned.old, layout, backup[planned.old]),
                                                             front_matter(planned.path, layout, planned.text.encode("utf-8")))


def _write(planned: Planned, backup: dict[Path, bytes | None]) -> bool:
    """Write one file (and remove the one it replaces when it moved); False when already the same."""
    path, old = planned.path, planned.old
    if old == path and path.read_text("utf-8") == planned.text:
        return False
    for target in {path, old} - {None}:
        backup.setdefault(target, target.read_bytes() if target.exists() else None)
    if old is not None and old != path:
        old.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(planned.text)
    return True


def _restore(backup: dict[Path, bytes | None], plans: list[Planned]) -> None:
    for planned in plans:
        for target in {planned.path, planned.old} - {None}:
            data = backup.get(target)
            if data is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)


# ------------------------------------------------------------------ report

def report(outcome: Outcome, layout: Layout, partial: bool) -> str:
    """The import's result in plain Chinese: each problem by sheet, row and column; what was written."""
    lines = [f.format() for f in sorted(outcome.findings, key=_order)]
    rows = len({(r.sheet, r.number) for r in outcome.refused})
    if outcome.failed and not partial:
        lines.append(f"没有写入任何文件：有 {rows} 行要改。改好后再导入；"
                     "也可以加 --partial，先导入没有错误的行。")
        return "\n".join(lines)
    lines += [f"新建 {layout.shown(p)}" for p in outcome.created]
    lines += [f"更新 {layout.shown(p)}" + (f"：{outcome.changes[p]}" if outcome.changes.get(p) else "")
              for p in outcome.updated]
    lines.append(f"导入完成：新建 {len(outcome.created)} 个、更新 {len(outcome.updated)} 个、"
                 f"没有变化 {len(outcome.unchanged)} 个文件。")
    if rows:
        shown = "、".join(f"「{r.sheet}」表第 {r.number} 行" for r in outcome.refused)
        lines.append(f"没有导入的 {rows} 行：{shown}。改好后再导入，已导入的行不会重复。")
    return "\n".join(lines)


# What an updated file's fields are called in the sheet (活动 and 新闻 columns).
CHANGED_WORDS = {"title": "活动名称", "street": "街镇", "team": "志愿服务队", "start": "日期或开始时间",
                 "end": "结束时间", "recurrence": "重复", "venue": "场地", "online": "线上链接",
                 "categories": "活动类型", "audiences": "服务对象", "age": "适合年龄", "registration": "报名",
                 "cost": "费用", "status": "状态", "status_note": "状态说明", "night": "凌晨开始",
                 "date": "发布日期", "events": "相关活动", "attendance": "参加人数"}


def what_changed(before: tuple[dict, str], after: tuple[dict, str]) -> str:
    """活动名称 “旧” → “新”，费用: the fields (front matter, body) of an imported file that another
    import changed (a name with its two texts: a program that saved the sheet may have changed its
    characters)."""
    words = []
    for key in dict.fromkeys([*before[0], *after[0]]):
        if key in CHANGED_WORDS and before[0].get(key) != after[0].get(key):
            word = CHANGED_WORDS[key]
            if key == "title":
                word = f"{word} “{before[0].get(key)}” → “{after[0].get(key)}”"
            words.append(word)
    if before[1] != after[1]:
        words.append("介绍或正文")
    return "，".join(words)


def _order(finding: Finding) -> tuple:
    return finding.sheet, finding.problem.line, finding.problem.severity != ERROR


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="invoke import-events", description="从表格导入活动。")
    parser.add_argument("source", type=Path)
    add_arguments(parser)
    parser.add_argument("--partial", action="store_true", help="只导入没有错误的行")
    parser.add_argument("--today", type=day_argument)
    args = parser.parse_args(argv)
    config = for_command(args)
    layout = config.layout
    today = args.today or config.today()
    if not args.source.is_file():
        print(f"找不到文件 {args.source}：检查文件名和所在的文件夹", flush=True)
        return 1
    try:
        outcome = run_import(args.source, config, today, args.partial)
    except ScaffoldError as exc:
        print(f"没有导入：{exc}")
        return 1
    print(report(outcome, layout, args.partial))
    return 1 if outcome.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
