"""The Excel template staff fill in: the 活动 sheet with dropdowns from the registries, 说明 and worked examples."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from datetime import date, time, timedelta
from pathlib import Path

from kepu.content.model import Registries
from kepu.editor.spreadsheet import (
    CHOICES_SHEET,
    EVENT_COLUMNS,
    EVENT_SHEET,
    EXAMPLE_SHEET,
    INSTRUCTIONS_SHEET,
    NEWS_COLUMNS,
    NEWS_SHEET,
    STATUS_CHOICES,
    Column,
)

DATE_FORMAT = "[$-804]yyyy-mm-dd aaaa"  # 2026-12-05 星期六: the weekday shown in Excel and WPS
TIME_FORMAT = "hh:mm"
TEXT_FORMAT = "@"  # typed as text: 6-12 stays an age (not June 12), 022… keeps its 0
TEXT_KINDS = ("text", "long", "phone", "dates", "choices", "repeat", "status")
FILLED_ROWS = 1000  # rows that get the dropdowns
REGISTRIES = ("streets", "teams", "categories", "audiences")
REPEATS = ("不重复", "每天", "每周一", "每周二", "每周三", "每周四", "每周五", "每周六", "每周日",
           "每周一至周五", "每周六和周日", "每月第一个周六", "每月第二个周六", "每月最后一个周日")
REQUIRED_FILL = "FFF2CC"
HEADER_FILL = "DDEBF7"


def header_text(column: Column) -> str:
    return f"{column.header}（必填）" if column.required else column.header


def registry_names(registries: Registries, kind: str) -> list[str]:
    """The Chinese names a dropdown offers, in registry order (the importer turns them into ids)."""
    return [item.name for item in getattr(registries, kind).values()]


# ------------------------------------------------------------------ the sheets

def write_template(path: Path, registries: Registries, today: date) -> Path:
    """The workbook: 活动 (to fill in), 说明, 示例（不导入）, and the hidden 选项 the dropdowns list."""
    from openpyxl import Workbook

    book = Workbook()
    events = book.active
    events.title = EVENT_SHEET
    news = book.create_sheet(NEWS_SHEET)
    ranges = _choices_sheet(book.create_sheet(CHOICES_SHEET), registries)
    _headed_sheet(events, EVENT_COLUMNS, ranges)
    _headed_sheet(news, NEWS_COLUMNS, ranges)
    _instructions(book.create_sheet(INSTRUCTIONS_SHEET))
    examples = book.create_sheet(EXAMPLE_SHEET)
    _headed_sheet(examples, EVENT_COLUMNS, ranges)
    for number, row in enumerate(example_rows(registries, today), start=2):
        for index, column in enumerate(EVENT_COLUMNS, start=1):
            examples.cell(number, index, row.get(column.header))
    book[CHOICES_SHEET].sheet_state = "hidden"
    book.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _choices_sheet(sheet, registries: Registries) -> dict[str, str]:
    """One column of names per registry; returns each registry's range, e.g. ``'选项'!$A$2:$A$24``."""
    from openpyxl.utils import get_column_letter

    ranges = {}
    for index, kind in enumerate(REGISTRIES, start=1):
        column = next(c for c in EVENT_COLUMNS if c.registry == kind)
        names = registry_names(registries, kind)
        sheet.cell(1, index, column.header)
        for number, name in enumerate(names, start=2):
            sheet.cell(number, index, name)
        letter = get_column_letter(index)
        ranges[kind] = f"'{CHOICES_SHEET}'!${letter}$2:${letter}${max(len(names), 1) + 1}"
    return ranges


def _headed_sheet(sheet, columns: tuple[Column, ...], ranges: dict[str, str]) -> None:
    """Headers (required ones marked), widths, cell formats, input hints and dropdowns."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, header_text(column))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if column.required else HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = _format(column)
        _validation(sheet, column, f"{letter}2:{letter}{FILLED_ROWS + 1}", ranges)
    sheet.freeze_panes = "C2"


def _format(column: Column) -> str:
    if column.kind == "date":
        return DATE_FORMAT
    if column.kind == "time":
        return TIME_FORMAT
    return TEXT_FORMAT if column.kind in TEXT_KINDS else "General"


def _validation(sheet, column: Column, cells: str, ranges: dict[str, str]) -> None:
    """A dropdown (a registry's names, 是/否, common repeats) and the column's hint shown on entry.
    A single choice must be one of the list; several types or a repeat not listed may be typed."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if column.registry:
        rule = DataValidation(type="list", formula1=ranges[column.registry],
                              showErrorMessage=column.kind == "choice")
    elif column.kind == "yesno":
        rule = DataValidation(type="list", formula1='"是,否"', showErrorMessage=True)
    elif column.kind == "status":
        rule = DataValidation(type="list", formula1=f'"{",".join(STATUS_CHOICES)}"', showErrorMessage=True)
    elif column.kind == "repeat":
        rule = DataValidation(type="list", formula1=f'"{",".join(REPEATS)}"', showErrorMessage=False)
    else:
        rule = DataValidation(showErrorMessage=False)
    rule.error = f"请从下拉列表里选{column.header}"
    rule.errorTitle = column.header
    rule.prompt = column.note[:255]
    rule.promptTitle = column.header[:32]
    rule.showInputMessage = bool(column.note)
    rule.add(cells)
    sheet.add_data_validation(rule)


INSTRUCTIONS = (
    "怎样用这张表格发布科普活动",
    "",
    "1. 在「活动」表里，一行写一个活动；表头是黄色的列必须填写。",
    "2. 街镇、志愿服务队、活动类型、服务对象：点这一格右边的小箭头，从下拉列表里选。"
    "活动类型和服务对象可以写几个，用顿号分开，例如 科学实验、科普讲座。",
    "3. 日期写成 2026-12-05 或 2026/12/5，表格会显示星期几，请核对；时间写成 14:00，也可以写 下午2:00。"
    "全天活动的开始时间、结束时间都空着。",
    "4. 每周、每月举办的活动只写一行：「日期」写第一次的日期，「重复」写规律（例如 每周六），"
    "「重复到」写最后一次的日期，「不开展的日期」写停办的日子（例如春节）。不要一次写一行。",
    "5. 连续几天的活动（例如两天的科技周集市）：「日期」写第一天，「最后一天」写最后一天。",
    "6. 「编号」列：给每个活动起一个编号（例如 KPR2026-001）。以后改了日期、名称再导入，"
    "网站上更新的仍是同一个活动，不会多出一个。不写编号时，按“街镇＋日期＋名称”认同一个活动："
    "改了这三项中的一项再导入，会多出一个新活动（旧的请网站管理员删除）。",
    "7. 活动取消了或名额满了：在「状态」列选“已取消”或“名额已满”，再导入一次。从表格里删掉一行不会删掉已发布的活动。",
    "8. 不要合并单元格，不要在表格里写公式；不要改表头的文字。「示例（不导入）」表里有写好的例子。",
    "9. 填好后保存，把文件交给网站管理员导入；导入时会逐行检查，哪一行哪一列要改会写清楚，"
    "全部改好才会发布。同一张表格改过后可以再次导入：已导入的活动会更新，不会重复。",
    "10. 活动办完以后：在「参加人数」列填实际参加的人数（只写数字，例如 200），再导入一次。"
    "已经办完才补录的活动也要填，否则网站审核不会通过。不要直接改导入生成的文件，改过的文件再导入时不会更新。",
    "",
    "「活动」表各列说明",
)
NEWS_INSTRUCTIONS = (
    "「新闻」表：一行写一篇新闻（例如活动报道）。「相关活动」写「活动」表里那个活动的编号，"
    "新闻页面就会链接到活动。",
    "",
    "「新闻」表各列说明",
)


def _instructions(sheet) -> None:
    from openpyxl.styles import Alignment, Font

    lines = [*INSTRUCTIONS, *(f"{header_text(c)}：{c.note or '—'}" for c in EVENT_COLUMNS),
             "", *NEWS_INSTRUCTIONS, *(f"{header_text(c)}：{c.note or '—'}" for c in NEWS_COLUMNS)]
    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(number, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


# ------------------------------------------------------------------ worked examples

def example_rows(registries: Registries, today: date) -> list[dict[str, object]]:
    """A single afternoon event and a weekly series with two dates off, from this portal's registries."""
    team = next((t for t in registries.teams.values() if t.street in registries.streets), None) \
        or next(iter(registries.teams.values()))
    street = registries.streets.get(team.street) or next(iter(registries.streets.values()))
    categories = [c.name for c in registries.categories.values()]
    audiences = [a.name for a in registries.audiences.values()]
    saturday = _saturday_after(today + timedelta(days=14))
    common = {"街镇": street.name, "志愿服务队": team.name, "场地名称": f"{street.name}党群服务中心三楼",
              "详细地址": f"{street.name}党群服务中心"}
    single = {**common, "编号": "示例-001", "活动名称": "流动科技馆进社区", "日期": saturday,
              "开始时间": time(9, 0), "结束时间": time(11, 30), "活动类型": categories[0],
              "服务对象": "、".join(audiences[:2]), "需要报名": "否",
              "活动介绍": "展品进社区，讲解员带大家动手体验声、光、电的奥秘。"}
    weekly = {**common, "编号": "示例-002", "活动名称": "周末科学实验课", "日期": saturday + timedelta(days=7),
              "开始时间": time(14, 0), "结束时间": time(16, 0), "重复": "每周六",
              "重复到": saturday + timedelta(days=63),
              "不开展的日期": "、".join((saturday + timedelta(days=d)).isoformat() for d in (21, 42)),
              "活动类型": categories[min(1, len(categories) - 1)], "服务对象": audiences[0], "适合年龄": "6-12", "需要报名": "是",
              "报名电话": "0123-2530 0000 转 123", "名额": 20, "费用": "材料费 10 元",
              "活动介绍": "每周六下午一个小实验：电路、磁铁、水火箭。请家长陪同。"}
    return [single, weekly]


def _saturday_after(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from kepu.config import add_arguments, for_command

    parser = argparse.ArgumentParser(prog="invoke excel-template", description="写出导入活动用的 Excel 模板。")
    parser.add_argument("path", type=Path)
    add_arguments(parser)
    parser.add_argument("--today", type=date.fromisoformat)
    args = parser.parse_args(argv)
    config = for_command(args)
    registries, problems = config.layout.registries()
    if any(p.is_error for p in problems):
        print("登记表有错误，先改好它们：\n" + "\n".join(p.format() for p in problems))
        return 1
    today = args.today or config.today()
    path = write_template(args.path, registries, today)
    print(f"已写出模板 {path}：在「活动」表里一行写一个活动（活动报道写在「新闻」表），"
          "「说明」表有填写方法，「示例（不导入）」表有例子。")
    print(f"填好后导入：invoke import-events {shlex.quote(str(path))}")  # where it was written
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
