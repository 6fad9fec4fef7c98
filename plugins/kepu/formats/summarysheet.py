"""The year-end summary table (年度工作总结 style) as CSV for Excel/WPS and as an XLSX workbook."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from kepu.formats.csvsafe import cell
from kepu.index.stats import ATTENDANCE_NOTE, Row
from kepu.index.yearbook import Yearbook

SHEET = "年度统计"
NOTES_SHEET = "说明"
CORE = "docProps/core.xml"  # the workbook's created and modified times
HEADERS = ("活动（项）", "场次", "其中已举办", "人次", "登记人数的活动（项）")
NUMERALS = "一二三四五六七八九十"
NOTES = (
    "活动（项）：一个活动文件算一项，重复举办的活动也只算一项。",
    "场次：每举办一次算一场；重复活动按每个日期计算，连续几天的一项活动算一场。已取消的活动和单独取消的一场都不计入。",
    "其中已举办：统计日之前已经结束的场次（已延期、新时间还没定的单次活动不算）；延期待定：这样的单次活动，不在原定的日期举办，"
    "新时间还没定；场次减去已举办和延期待定，是已经发布、还没有举办的（计划中）。"
    "重复活动只计算到统计日起一年内的场次；办了两年以上的重复活动，两年前的场次网站和 events.csv 不再列出，"
    "但仍计入它们所在年份的统计，过去年份的数字不随统计日变化。",
    "人次：活动结束后登记的参加人数之和（已取消的活动、第一场还没有结束的活动写了人数也不计入，events.csv 里也不写）；"
    "“未登记”表示这些活动都没有登记人数，0 表示这些活动的人数计入了其他年份。"
    "“登记人数的活动”一列说明人次来自多少项活动。",
    "科普项目：上级项目含其下各项目的活动（名称前缩进的是下级项目）；一项活动属于几个项目时，合计中只算一次。",
    "村的场次占比：在村（登记类别为“村”的社区或村）举办的场次占全年场次的比例。",
    "专家：只写本人同意公开的专家姓名，其他专家合并为一行，不写姓名。",
    "报名名额：写了报名名额的活动，每一场的名额相加；重复活动的名额按每场计算。",
    "免费活动：没写费用、写“免费”，或写“免费（需自备材料）”“0 元”这类没有价格的说法；其余算收费活动。",
    "数据根据网站发布的活动自动统计，与开放数据 events.csv（每一场一行）去掉状态为“已取消”的行以后一致。",
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the table: its kind says how the workbook styles it."""

    kind: str  # title, note, heading, header, line, total, figure, share (a fraction), blank
    cells: tuple[object, ...] = ()
    depth: int = 0


def _figures(row: Row) -> tuple[object, ...]:
    return row.events, row.sessions, row.held, row.people, row.recorded


def lines(book: Yearbook, title: str, as_of: date) -> list[Line]:
    """The table from top to bottom: title, overall figures, then one block per section."""
    total = book.total
    out = [Line("title", (title,)),
           Line("note", (f"截至 {as_of.isoformat()}，根据网站发布的活动自动统计；不含已取消的活动。{ATTENDANCE_NOTE}"
                         + (f"场次含 {book.figures.planned} 场已发布、尚未举办的（见“其中已举办”）。"
                            if book.figures.planned else "")
                         + (f"另含 {book.figures.waiting} 场延期待定的（新时间还没定）。" if book.figures.waiting else ""),)),
           Line("blank"), Line("heading", ("一、总体情况",)),
           Line("header", ("指标", "数量", "单位")),
           Line("figure", ("活动", total.events, "项")), Line("figure", ("场次", total.sessions, "场")),
           Line("figure", ("其中已举办", total.held, "场")),
           Line("figure", ("计划中（已发布、尚未举办）", book.figures.planned, "场")),
           *([Line("figure", ("延期待定（新时间还没定）", book.figures.waiting, "场"))] if book.figures.waiting else []),
           *([Line("figure", ("取消的场次（重复活动单独取消或停办的，不计入场次）", book.figures.called_off, "场"))]
             if book.figures.called_off else []),
           Line("figure", ("人次（登记）", total.people, "人次")),
           Line("figure", ("登记人数的活动", total.recorded, "项")),
           *([Line("figure", ("另有跨年活动，人数计入其他年份", total.elsewhere, "项"))] if total.elsewhere else []),
           Line("figure", ("开展活动的科普项目", book.active_programmes, "个")),
           Line("figure", ("参与队伍", book.figures.teams, "支")),
           Line("figure", ("免费活动", book.figures.free, "项")),
           Line("figure", ("收费活动", book.figures.events - book.figures.free, "项")),
           Line("figure", ("报名名额（按每场计算）", book.figures.places, "个")),
           Line("figure", ("写了名额的活动", book.figures.capacity_events, "项")),
           Line("share", ("村的场次占比", round(book.village_share / 100, 4), "")),
           Line("figure", ("已取消的活动", book.figures.cancelled, "项"))]
    for number, section in enumerate(book.sections, start=2):
        out += [Line("blank"), Line("heading", (f"{NUMERALS[number - 1]}、{section.title}",)),
                Line("header", (section.column, *HEADERS))]
        out += [Line("line", (row.label, *_figures(row)), row.depth) for row in section.lines]
        out.append(Line("total", (section.total.label, *_figures(section.total))))
        if section.other is not None:
            out.append(Line("line", (section.other.label, *_figures(section.other))))
        if section.note:
            out.append(Line("note", (section.note,)))
    if book.unrecorded:
        out += [Line("blank"), Line("heading", (f"{NUMERALS[len(book.sections) + 1]}、还没有登记参加人数的活动"
                                                f"（{len(book.unrecorded)} 项）",)),
                Line("header", (*UNRECORDED_HEADERS, book.area))]
        out += [Line("line", (u.team, u.title, u.slug, u.day.isoformat(), u.street)) for u in book.unrecorded]
        out.append(Line("note", (UNRECORDED_NOTE,)))
    return out


UNRECORDED_HEADERS = ("队伍", "活动名称", "活动编号", "第一场日期")  # then the district's word for its streets
UNRECORDED_NOTE = ("这些活动已经举办（第一场已结束），还没有填写参加人数，人次里没有它们。请各队伍在活动文件里填写 "
                   "attendance（网页编辑里是“参加人数”）；活动编号就是活动文件的文件名，也是 events.csv 的“活动编号”。")


def _csv_cells(line: Line) -> list[object]:
    """A line's CSV cells: a share as 12.5%, a lower programme indented, text safe (``csvsafe``)."""
    cells = list(line.cells)
    if line.kind == "share":
        cells[1] = f"{cells[1] * 100:.1f}%"
    if cells and line.depth:
        cells[0] = "\u3000" * line.depth + str(cells[0])
    return [cell(value, numeric=True) for value in cells]


def summary_csv(table: list[Line]) -> bytes:
    """UTF-8 with BOM (Excel and WPS read it as UTF-8), CRLF line ends, no formula can start."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in table:
        writer.writerow(_csv_cells(line))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def summary_xlsx(table: list[Line], as_of: date) -> bytes:
    """The workbook: the table on 年度统计, the definitions on 说明; same bytes for the same input."""
    from openpyxl import Workbook
    from openpyxl.xml.functions import tostring

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for number, line in enumerate(table, start=1):
        _xlsx_line(sheet, number, line)
    sheet.column_dimensions["A"].width = 36
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 14
    notes = book.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 100
    for number, text in enumerate(NOTES, start=1):
        _text(notes.cell(number, 1), text)
    buffer = io.BytesIO()
    book.save(buffer)  # stamps the properties with the time of writing
    book.properties.created = book.properties.modified = datetime.combine(as_of, time())
    return _fixed_zip(buffer.getvalue(), {CORE: tostring(book.properties.to_tree())})


def _xlsx_line(sheet, number: int, line: Line) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = line.kind in ("title", "heading", "header", "total")
    for column, value in enumerate(line.cells, start=1):
        target = sheet.cell(number, column)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            target.value = value
            if line.kind == "share":
                target.number_format = "0.0%"
        else:
            _text(target, value)
        target.font = Font(bold=bold, size=14 if line.kind == "title" else 11)
        if column == 1 and line.depth:
            target.alignment = Alignment(indent=line.depth * 2)
        if line.kind == "header":
            target.fill = PatternFill("solid", fgColor="DDEBF7")


def _text(target, value: object) -> None:
    """Text stays text: a name starting with = is never stored as a formula."""
    target.value = "" if value is None else str(value)
    target.data_type = "s"


def _fixed_zip(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The same archive with every member dated 1980-01-01 (openpyxl stamps the time of writing)
    and the ``replaced`` members' contents."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, replaced.get(info.filename) or source.read(info.filename))
    return buffer.getvalue()
