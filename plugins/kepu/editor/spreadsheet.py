"""Spreadsheets staff fill in (.xlsx, or CSV in UTF-8 or GBK): the columns, and each row's cells as text."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from kepu.content.datechecks import NIGHT_ENDS
from kepu.content.model import STATUS_LABELS
from kepu.editor.answers import ScaffoldError, parse_day
from kepu.formats.csvsafe import FORMULA_START

EVENT_SHEET = "活动"
NEWS_SHEET = "新闻"
EXAMPLE_SHEET = "示例（不导入）"
INSTRUCTIONS_SHEET = "说明"
CHOICES_SHEET = "选项"
SKIPPED_SHEETS = (EXAMPLE_SHEET, INSTRUCTIONS_SHEET, CHOICES_SHEET)
ALL_DAY = "全天"
STATUS_CHOICES = {STATUS_LABELS[s]: s for s in ("scheduled", "cancelled", "full")}  # 正常举办 → scheduled …
_REQUIRED_MARKS = re.compile(r"[*＊]|[（(]必填[)）]")
_SPACE = re.compile(r"\s+")
_EXCEL_SERIALS = (36526, 73051)  # 2000-01-01 … 2100-01-01 as Excel day numbers
IGNORED_HEADERS = ("序号",)  # numbered rows, the usual first column: neither imported nor asked about
# Columns renamed by hand, and the template's column meant (else the closest header is suggested).
RENAMED = {"收费标准": "费用", "收费": "费用", "价格": "费用", "时间": "开始时间", "活动时间": "开始时间",
           "地点": "场地名称", "活动地点": "场地名称", "场地": "场地名称", "地址": "详细地址", "电话": "报名电话",
           "联系电话": "报名电话", "人数": "名额", "限额": "名额", "简介": "活动介绍", "内容": "活动介绍",
           "活动内容": "活动介绍", "类型": "活动类型", "对象": "服务对象", "主办": "志愿服务队",
           "主办单位": "志愿服务队", "街道": "街镇", "标题": "活动名称", "名称": "活动名称", "活动日期": "日期",
           "开始日期": "日期", "结束日期": "最后一天", "参与人数": "参加人数", "参加人次": "参加人数",
           "实际人数": "参加人数", "实到人数": "参加人数", "到场人数": "参加人数"}
# 10 or 11 digits that are not a mobile number (1[3-9]…): an area code's 0 gone (010…, 02x…, 0[3-9]xx…)
_LOST_ZERO = re.compile(r"[2-9]\d{9,10}|10\d{8}")
# What Excel, WPS and LibreOffice save as the result of a formula that failed (VLOOKUP finding nothing …).
ERROR_VALUES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!",
                          "#GETTING_DATA"))
_SERVICE_NUMBER = re.compile(r"[48]00\d{7}")  # 400 and 800 numbers


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: its Chinese header, the answer of ``new-event`` it fills, the kind
    of cell (text, date, time, choice from a registry …) and what the template says about it."""

    header: str
    key: str
    kind: str = "text"  # text, long, date, dates, time, phone, choice, choices, yesno, repeat, count, status,
    # attendance
    required: bool = False
    registry: str = ""  # streets, teams, categories, audiences
    note: str = ""
    width: int = 14


EVENT_COLUMNS = (
    Column("编号", "external_id", note="本单位给这个活动起的编号，例如 KPR2026-001。写了编号，"
           "以后改了日期、名称再导入，更新的仍是同一个活动；不写就按“街镇＋日期＋名称”认"),
    Column("活动名称", "title", required=True, note="例如 流动科技馆进社区", width=24),
    Column("街镇", "street", "choice", True, "streets", "从下拉列表里选"),
    Column("志愿服务队", "team", "choice", True, "teams", "从下拉列表里选", width=30),
    Column("日期", "date", "date", True, note="例如 2026-12-05；重复的活动写第一次的日期", width=18),
    Column("开始时间", "start_time", "time", note="例如 14:00；全天活动两个时间都空着"),
    Column("结束时间", "end_time", "time", note="例如 16:00"),
    Column("最后一天", "end_date", "date", note="只有连续几天的活动（例如两天的科技周集市）才写；重复活动不写", width=18),
    Column("重复", "repeat", "repeat", note="不重复就空着；例如 每周六、每周二和周四、每月第二个周六、每天"),
    Column("重复到", "until", "date", note="重复活动最后一次的日期；长期举办就空着", width=18),
    Column("不开展的日期", "except", "dates", note="重复活动中停办的日期，多个用顿号分开，例如 2026-12-26、2027-01-02",
           width=24),
    Column("场地名称", "venue", note="线下活动必填，例如 某某街道党群服务中心三楼", width=24),
    Column("详细地址", "address", note="例如 某某路 100 号社区服务中心二楼", width=28),
    Column("线上链接", "online", note="线上活动的直播或会议链接，以 https:// 开头", width=24),
    Column("活动类型", "categories", "choices", True, "categories", "从下拉列表里选；多个用顿号分开"),
    Column("服务对象", "audiences", "choices", True, "audiences", "从下拉列表里选；多个用顿号分开"),
    Column("适合年龄", "age", note="例如 6-12、60+；不限就空着"),
    Column("需要报名", "registration", "yesno", note="是 或 否"),
    Column("报名链接", "registration_url", note="以 https:// 开头", width=24),
    Column("报名电话", "registration_phone", "phone", note="例如 0123-2530 0000；分机写“转”，例如 0123-2530 0000 转 123",
           width=20),
    Column("报名截止", "registration_deadline", "date", width=18),
    Column("名额", "registration_capacity", "count", note="人数，例如 30；不限就空着"),
    Column("费用", "cost", note="免费就空着；收费的写明，例如 材料费 10 元"),
    Column("状态", "status", "status", note="正常举办就空着；取消了选“已取消”，名额满了选“名额已满”；"
           "改期的活动直接改日期和时间"),
    Column("状态说明", "status_note", note="取消的原因等，例如 因大风天气取消", width=24),
    Column("活动介绍", "body", "long", True, note="做什么、怎么参加、需要带什么", width=40),
    Column("参加人数", "attendance", "attendance", note="活动结束后填实际参加人数（整数）；重复活动填各场的合计；没办完的活动不填；"
           "空着不会清掉已经登记的人数"),
)
MAX_ATTENDANCE = 10_000_000  # as invoke check reads attendance


NEWS_COLUMNS = (
    Column("编号", "external_id", note="本单位给这篇新闻起的编号，例如 XW2026-001；写了编号，以后改了再导入，"
           "更新的仍是同一篇"),
    Column("新闻标题", "title", required=True, width=30),
    Column("发布日期", "date", "date", True, note="例如 2026-12-05", width=18),
    Column("相关街镇", "street", "choice", registry="streets", note="从下拉列表里选；不属于某个街镇的新闻就空着"),
    Column("相关活动", "events", note="这篇新闻报道的活动：写「活动」表里那个活动的编号（或活动的文件名），"
           "多个用顿号分开", width=24),
    Column("正文", "body", "long", True, note="新闻的正文", width=60),
)


class CellError(Exception):
    """A cell that cannot be read as its column needs, with the fix (both in Chinese)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Row:
    """One filled row: its sheet, number as the spreadsheet shows it, and cells by header."""

    sheet: str
    number: int
    cells: dict[str, object]


@dataclass(frozen=True, slots=True)
class Merged:
    """A range of merged cells (1-based, inclusive): only its first cell holds a value."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int


@dataclass(slots=True)
class Sheet:
    """The rows of one sheet under its header row, and the headers not recognised; for a workbook,
    what the sheet hides from whoever reads it (the sheet itself, rows) and its merged cells."""

    name: str
    header_row: int
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()  # 1-based, as hidden in the sheet
    merged: tuple[Merged, ...] = ()
    repeated: dict[str, list[int]] = field(default_factory=dict)  # a header written over several columns


# ------------------------------------------------------------------ headers

def plain_header(text: object) -> str:
    """``活动名称（必填）`` / `` 活动名称* `` → ``活动名称``."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return _SPACE.sub("", _REQUIRED_MARKS.sub("", text))


def find_header(rows: list[list[object]], columns: tuple[Column, ...]) -> int | None:
    """The index of the first row that names the first required column (a title line may come before)."""
    wanted = next(c.header for c in columns if c.required)
    for index, row in enumerate(rows[:20]):
        if wanted in {plain_header(v) for v in row}:
            return index
    return None


def to_sheet(name: str, rows: list[list[object]], columns: tuple[Column, ...]) -> Sheet | None:
    """The rows below the header row, keyed by header (empty rows left out); None without a header row."""
    index = find_header(rows, columns)
    if index is None:
        return None
    headers = [plain_header(v) for v in rows[index]]
    sheet = Sheet(name, index + 1, headers, repeated=_repeated(headers))
    for number, values in enumerate(rows[index + 1:], start=index + 2):
        cells = {h: v for h, v in zip(headers, values, strict=False)
                 if h and h not in IGNORED_HEADERS and not is_empty(v)}
        if cells:
            sheet.rows.append(Row(name, number, cells))
    return sheet


def _repeated(headers: list[str]) -> dict[str, list[int]]:
    """Headers written over more than one column (1-based): a row keeps one of their cells only."""
    columns: dict[str, list[int]] = {}
    for number, header in enumerate(headers, start=1):
        if header and header not in IGNORED_HEADERS:
            columns.setdefault(header, []).append(number)
    return {h: found for h, found in columns.items() if len(found) > 1}


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------ reading files

class Formula(str):
    """A formula cell whose result the file does not hold (openpyxl keeps the formula text)."""


MAX_ROWS = 10_000  # a science week's 2,500 events fit four times over
MAX_COLUMNS = 200  # the template has about 30; a sheet is read no wider than this
# Characters a file's cells may hold in all (a workbook keeps a repeated text once: 12 KB of .xlsx
# can put a 330,000-character text in 300 rows, and each row becomes a file). 2,500 events with a
# long introduction each come to a few million.
MAX_TEXT = 20_000_000
TOO_MUCH_TEXT = ("{where}文字太多（超过 {limit} 万字）",
                 "把表格分成几个文件，分几次导入；很长的活动介绍先不放进表格，导入以后在生成的文件里补写")


def read_workbook(path: Path, columns: tuple[Column, ...]) -> list[Sheet]:
    """Every sheet with the columns' header row, but the template's own (示例、说明、选项).

    A formula cell is read as the result Excel or WPS saved with it (what staff see); it is never
    calculated here. A sheet is read at most MAX_ROWS rows deep and MAX_COLUMNS wide, whatever
    size the file claims (a 1.6 KB file claiming 1,048,576 × 16,384 cells took 9 GB); content
    beyond either is refused, not dropped."""
    from openpyxl import load_workbook

    values = load_workbook(path, read_only=True, data_only=True)
    formulas = load_workbook(path, read_only=True, data_only=False)
    sheets = []
    try:
        for name in values.sheetnames:
            if name in SKIPPED_SHEETS:
                continue
            sheet = to_sheet(name, _bounded_rows(name, values[name], formulas[name]), columns)
            if sheet is not None:
                sheet.hidden = values[name].sheet_state != "visible"
                sheet.hidden_rows, sheet.hidden_columns, sheet.merged = sheet_layout(values[name])
                sheets.append(sheet)
    finally:
        values.close()
        formulas.close()
    return sheets


def _bounded_rows(name: str, values, formulas) -> list[list[object]]:
    """A sheet's rows, one column more than MAX_COLUMNS read to find content beyond them; the
    empty rows a file may claim below its content passed over without being kept."""
    width = MAX_COLUMNS + 1
    rows: list[list[object]] = []
    pairs = zip(values.iter_rows(max_col=width, values_only=True),
                formulas.iter_rows(max_col=width, values_only=True), strict=False)
    text = 0
    for number, (vrow, frow) in enumerate(pairs, start=1):
        text += sum(len(v) for v in vrow if isinstance(v, str))
        if text > MAX_TEXT:
            raise _too_much_text(f"“{name}”表的")
        filled = len(vrow) - vrow.count(None)
        if number > MAX_ROWS:
            if filled:
                raise CellError(f"“{name}”表第 {number} 行还有内容：一次最多导入 {MAX_ROWS} 行",
                                "把表格分成几个文件，每个不超过一万行，分几次导入")
            continue
        if len(vrow) == width and vrow[-1] is not None:
            raise CellError(f"“{name}”表第 {number} 行第 {width} 列还有内容：表格最多 {MAX_COLUMNS} 列",
                            "用 invoke excel-template 生成的模板填写，删去模板以外的列")
        rows.append([_cell(v, f) for v, f in zip(vrow[:MAX_COLUMNS], frow[:MAX_COLUMNS], strict=False)]
                    if filled or any(f is not None for f in frow) else [])
    return rows


MAX_MERGED = 10_000  # merged ranges read from one sheet (a real sheet has a few dozen)


def sheet_layout(worksheet) -> tuple[frozenset[int], frozenset[int], tuple[Merged, ...]]:
    """The rows a worksheet hides (hidden by hand or filtered out), the columns it hides and its
    merged ranges over more than one row, read from the sheet's XML (openpyxl's read-only sheets
    give none of them)."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.functions import iterparse

    hidden: set[int] = set()
    columns: set[int] = set()
    merged: list[Merged] = []
    rows = None
    with worksheet._get_source() as source:  # the read-only sheet's XML
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                rows = element if tag == "sheetData" else rows
            elif tag == "row":
                if element.get("hidden") in ("1", "true") and int(element.get("r", 0)) <= MAX_ROWS:
                    hidden.add(int(element.get("r", 0)))
                if rows is not None:
                    rows.clear()  # a row read is dropped: a sheet's XML is never held whole
            elif tag == "col" and element.get("hidden") in ("1", "true"):
                columns.update(_column_span(element))
            elif tag == "mergeCell":
                first_column, first_row, last_column, last_row = range_boundaries(element.get("ref", ""))
                if last_row > first_row and first_row <= MAX_ROWS:
                    merged.append(Merged(first_row, min(last_row, MAX_ROWS), first_column, last_column))
                if len(merged) > MAX_MERGED:
                    raise CellError(f"“{worksheet.title}”表里合并的单元格太多（超过 {MAX_MERGED} 处）",
                                    "取消合并（全选后点“合并居中”取消），每一行都写上，再导入")
    return frozenset(hidden), frozenset(columns), tuple(merged)


def _column_span(element) -> range:
    """The columns (1-based) a ``<col min= max=>`` element covers, no further than MAX_COLUMNS."""
    try:
        first, last = int(element.get("min", 0)), int(element.get("max", 0))
    except ValueError:
        return range(0)
    return range(max(first, 1), min(last, MAX_COLUMNS) + 1)


def _cell(value: object, formula: object) -> object:
    """The saved value; a formula without one is kept as its text, to be refused (a text cell
    that starts with = reads the same in both loads and stays text)."""
    if value is None and isinstance(formula, str) and formula.startswith("="):
        return Formula(formula)
    return value


CSV_CELL_LIMIT = 1_000_000  # characters in one cell (a content file is at most 1 MB)


def read_csv(path: Path, columns: tuple[Column, ...]) -> list[Sheet]:
    """A CSV file as one sheet named after the file (as Excel and WPS name its tab)."""
    text = decode_csv(path.read_bytes())
    csv.field_size_limit(max(csv.field_size_limit(), CSV_CELL_LIMIT))  # a long 活动介绍, not Python's 128 KB
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:  # a cell over the field limit
        raise CellError(f"{path.name} 里有一格超过 {CSV_CELL_LIMIT // 10_000} 万字",
                        "活动介绍请精简；很长的内容先导入，再打开生成的文件补写正文") from None
    if sum(len(cell) for row in rows for cell in row) > MAX_TEXT:
        raise _too_much_text(f"{path.name} 里的")
    sheet = to_sheet(path.stem, rows, columns)
    return [sheet] if sheet is not None else []


def _too_much_text(where: str) -> CellError:
    message, hint = TOO_MUCH_TEXT
    return CellError(message.format(where=where, limit=MAX_TEXT // 10_000), hint)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else GBK as Excel and WPS save it in China."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CellError("读不出这个文件的文字（不是 UTF-8，也不是 GBK 编码）",
                        "在 Excel 或 WPS 里打开，另存为“Excel 工作簿(.xlsx)”后再导入") from None


def sheets_of(path: Path, columns: tuple[Column, ...] = EVENT_COLUMNS) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_workbook(path, columns)
    if suffix in (".csv", ".txt"):
        return read_csv(path, columns)
    raise CellError(f"不能导入 {path.suffix or '没有扩展名的'} 文件",
                    "在 Excel 或 WPS 里另存为“Excel 工作簿(.xlsx)”或“CSV UTF-8”后再导入")


# ------------------------------------------------------------------ cells as text

def cell_text(value: object, column: Column, today: date) -> str:
    """A cell as the text ``new-event`` would be given; CellError when it cannot be read."""
    if isinstance(value, Formula):
        raise CellError(f"这一格是公式（{value[:80]}{'…' if len(value) > 80 else ''}），文件里没有保存它的结果",
                        "在 Excel 或 WPS 里打开并保存一次；或者复制这一格，“选择性粘贴”为“数值”")
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        raise CellError(f"这一格是公式算出的错误“{value.strip()}”，不是内容",
                        "检查这一格的公式（例如 VLOOKUP 没有找到要找的内容），改对后保存；或者删掉公式，直接写上内容")
    if column.key == "date":
        _refuse_repeat(value, column, today)
    if column.kind in ("date", "dates"):
        return date_text(value, today, many=column.kind == "dates")
    if column.kind == "time":
        _refuse_span(value, column)
        return time_text(value)
    if column.kind == "phone":
        return phone_text(value)
    if column.kind == "attendance":
        return attendance_text(value)
    return plain_text(value)


_ATTENDANCE_UNITS = ("人次", "人")  # 200人次 is what statistics count (人次), 200人 the same number
_APPROXIMATE = re.compile(r"约|大约|左右|上下|多|余|近|超过|以上|不到|[+＋~～]|\d\s*[-–—至到]\s*\d")


def attendance_text(value: object) -> str:
    """参加人数 as the whole number invoke check reads (``attendance``, 0 to MAX_ATTENDANCE): full-width
    digits and a trailing 人 or 人次 read as the number; an approximation (约200人, 200多人) or any
    other text refused, as statistics add the numbers up."""
    typed = plain_text(value)
    number = _SPACE.sub("", unicodedata.normalize("NFKC", typed))
    for unit in _ATTENDANCE_UNITS:
        number = number.removesuffix(unit)
    if number.isdecimal() and number.isascii():
        count = int(number)
        if count > MAX_ATTENDANCE:
            raise CellError(f"参加人数 {count} 超出范围（0–{MAX_ATTENDANCE}）", "请检查是否写错；只写一个整数，例如 200")
        return str(count)
    if _APPROXIMATE.search(number):
        raise CellError(f"参加人数“{typed}”不是确切的人数",
                        "只写一个整数，例如 200：统计和开放数据把各活动的人数相加，“约”“多”“左右”算不进去；"
                        "没有签到表的，写现场数过的人数")
    raise CellError(f"参加人数“{typed}”不是整数", "只写数字，例如 200；活动还没办完就空着")


_SPAN = re.compile(r"(.+?)\s*[-–—~～至到]\s*(.+)")


def _refuse_span(value: object, column: Column) -> None:
    """9:00-11:30 in one time cell: the start in 开始时间, the end in 结束时间."""
    match = _SPAN.fullmatch(plain_text(value)) if isinstance(value, str) else None
    if match is None:
        return
    try:
        _clock_of(match[1])
        _clock_of(match[2])
    except CellError:
        return
    start, end = match[1].strip(), match[2].strip()
    mine, other, header = (start, end, "结束时间") if column.header == "开始时间" else (end, start, "开始时间")
    raise CellError(f"{column.header}写成了一段“{plain_text(value)}”",
                    f"「{column.header}」写 {mine}，把 {other} 写在「{header}」列")


def _refuse_repeat(value: object, column: Column, today: date) -> None:
    """每周六 in a date cell: the first date there, the rule in 重复."""
    from kepu.content.recurrence import RecurrenceError
    from kepu.content.repeats import parse_repeat

    text = plain_text(value) if isinstance(value, str) else ""
    try:
        if not text or parse_repeat(text) is None:
            return
    except RecurrenceError:
        return
    weekday = re.fullmatch(r"每周([一二三四五六日天])", text)
    first = today + timedelta(days=(_WEEKDAY_NAMES.index(weekday[1].replace("天", "日")) - today.weekday()) % 7) \
        if weekday else today
    raise CellError(f"{column.header}写了“{text}”",
                    f"「{column.header}」写第一次的日期，例如 {first.isoformat()}；“{text}”写在「重复」列")


def phone_text(value: object) -> str:
    """A phone number; one typed as a number lost its area code's 0 (1025600000 for 010-2560 0000)."""
    text = plain_text(value)
    if "\n" in text or "\r" in text:
        numbers = "”和“".join(line.strip() for line in text.splitlines() if line.strip())
        raise CellError(f"这一格写了两个电话（分在两行）：“{numbers}”",
                        "「报名电话」只写一个电话；另一个写进「活动介绍」，例如 也可以打 13822003333")
    digits = re.sub(r"[\s-]", "", text)
    if _LOST_ZERO.fullmatch(digits) and not _SERVICE_NUMBER.fullmatch(digits):
        raise CellError(f"电话“{text}”前面是不是少了 0？",
                        "区号以 0 开头，例如 0123-2560 0000；在 Excel 里先把这一格设成“文本”格式再输入，开头的 0 才不会丢")
    return text


def plain_text(value: object) -> str:
    """Text as typed; a number as written (30, not 30.0). A text cell starting with = + - @ stays
    text (our own CSV exports prefix it with ' so that spreadsheets show it: that ' is removed)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text


_YEARLESS = re.compile(r"(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?")
_DATE_SEPARATORS = re.compile(r"[\s,，、;；]+")
# "2026-12-05 星期六", "2026-12-05（周六）": a date cell saved as CSV "as shown" carries its weekday.
_DATED_WEEKDAY = re.compile(r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?)"
                            r"\s*[(（]?\s*(?:星期|周|礼拜)([一二三四五六日天])[)）]?")
_WEEKDAY_NAMES = "一二三四五六日"
_MIDNIGHT = re.compile(r"(\d)\s+0?0:00(?::00)?(?=$|[\s,，、;；])")  # a date cell shown with its time, 0:00:00


def date_text(value: object, today: date, many: bool = False) -> str:
    """A date cell, an Excel day number, or text (2026-05-20, 2026/5/20, 2026年5月20日, with or
    without its weekday) → text ``parse_day`` reads; a date without its year is refused, naming
    the likely year."""
    if isinstance(value, datetime):
        if value.time() != time():
            raise CellError(f"这一格除了日期还有时间 {value:%H:%M}", "日期列只写日期；时间写在「开始时间」「结束时间」列")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _EXCEL_SERIALS[0] <= value < _EXCEL_SERIALS[1] and float(value).is_integer():
            return (date(1899, 12, 30) + timedelta(days=int(value))).isoformat()
        raise CellError(f"“{plain_text(value)}”不是日期", "日期写成 2026-12-05")
    text = _DATED_WEEKDAY.sub(_checked_weekday, unicodedata.normalize("NFKC", plain_text(value)))
    text = _MIDNIGHT.sub(r"\1", text)
    items = _DATE_SEPARATORS.split(text) if many else [text]
    for item in items:
        if match := _YEARLESS.fullmatch(unicodedata.normalize("NFKC", item)):
            raise CellError(f"日期“{item}”没有写年份", f"写上年份，例如 {_likely(match, today)}")
    return text


def _checked_weekday(match: re.Match[str]) -> str:
    """``2026-12-05 星期六`` → ``2026-12-05``; a weekday that is not the date's is refused."""
    try:
        day = parse_day(match[1])
    except ScaffoldError:
        return match[1]  # the date itself is wrong: the column's check says how
    named = _WEEKDAY_NAMES.index(match[2].replace("天", "日"))
    if named != day.weekday():
        right = _WEEKDAY_NAMES[day.weekday()]
        raise CellError(f"{day.isoformat()} 是星期{right}，不是星期{match[2]}", "核对日期和星期，改对其中一个")
    return match[1]


def _likely(match: re.Match[str], today: date) -> str:
    month, day = int(match[1]), int(match[2])
    for year in (today.year, today.year + 1):
        try:
            if date(year, month, day) >= today:
                return f"{year}-{month:02d}-{day:02d}"
        except ValueError:
            break
    return f"{today.year}-{month:02d}-{day:02d}"


_MORNING = ("凌晨", "早上", "早晨", "上午", "am")
_NIGHT = ("夜里", "半夜", "深夜")  # 夜里12点 is midnight, 半夜2点 two at night
_CLOCK = re.compile(r"(?P<p1>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜|深夜|am|pm)?(?P<h>\d{1,2})"
                    r"(?:[:：.](?P<m>\d{2})(?::\d{2})?|点(?P<half>半)?(?:(?P<m2>\d{1,2})分?)?|时)?"
                    r"(?P<p2>am|pm)?", re.IGNORECASE)


def time_text(value: object) -> str:
    """A time cell, or text such as 14:30, 14：30, 下午2:30, 下午2点半, 2:30 PM → ``14:30``. A time from
    1:00 to 05:59 not written as 凌晨/上午… (2点, 2:00) is refused: it is nearly always the afternoon
    (0:00 is not: a 12-hour clock has no 0, so it is midnight). 晚上12点 and 24:00 are ``00:00``: as an
    end, the midnight that ends the day; as a start, the next day's (``next_day`` refuses it)."""
    clock, period = _clock_of(value)
    if 1 <= clock.hour < NIGHT_ENDS and not period:
        shown = plain_text(value) if isinstance(value, str) else f"{clock:%H:%M}"
        raise CellError(f"“{shown}”是凌晨 {clock.hour} 点吗？",
                        f"下午的写 {clock.hour + 12:02d}:{clock.minute:02d} 或 下午{clock.hour}点；"
                        f"确实在凌晨的写 凌晨{clock.hour}点")
    return f"{clock:%H:%M}"


def is_night(value: object) -> bool:
    """A start before 06:00 as written (凌晨4点, 上午5点, 0:00): meant to be at night (a bare 2:00 is
    refused by ``time_text`` first)."""
    try:
        clock, _ = _clock_of(value)
    except CellError:
        return False
    return clock.hour < NIGHT_ENDS


def next_day(value: object) -> bool:
    """晚上12点, 夜里12点半, 24:00: a time of the night after the date, the next day's 0 点 (an end
    there is the day's end; a start there is the next date's)."""
    if not isinstance(value, str):
        return False
    try:
        hour, minute, period = _written(plain_text(value))
    except CellError:
        return False
    return _midnight_after(hour, minute, period)


def _midnight_after(hour: int, minute: int, period: str) -> bool:
    """24:00 and 晚上/夜里12点(半): the midnight that ends the date (00:00 of the next day)."""
    return (hour == 24 and minute == 0 and not period) or (hour == 12 and period in ("晚上", *_NIGHT))


def _clock_of(value: object) -> tuple[time, str]:
    """The time a cell holds, and the 上午/下午… written with it ("" for a time cell or a bare 14:30)."""
    if isinstance(value, datetime) and value.date() <= date(1900, 1, 1):  # a time saved with Excel's day 0
        value = value.time()
    if isinstance(value, timedelta) and value < timedelta(days=1):
        value = (datetime.min + value).time()
    if isinstance(value, float) and 0 <= value < 1:  # a day's fraction, to the nearest minute
        value = (datetime.min + timedelta(minutes=round(value * 24 * 60))).time()
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0), ""
    if isinstance(value, datetime):
        raise CellError(f"这一格是日期和时间 {value:%Y-%m-%d %H:%M}", "时间列只写时间，例如 14:30；日期写在「日期」列")
    text = plain_text(value)
    hour, minute, period = _written(text)
    return time(_hour(hour, minute, period, text), minute), period


def _written(text: str) -> tuple[int, int, str]:
    """The hour, minute and 上午/下午… of a time written as text, as written (晚上12点: 12, 晚上)."""
    match = _CLOCK.fullmatch(_SPACE.sub("", unicodedata.normalize("NFKC", text)).lower())
    if not match or (match["p1"] and match["p2"]):
        raise CellError(f"无法识别的时间“{text}”", "写成 24 小时制，例如 14:30；也可以写 下午2:30")
    minute = 30 if match["half"] else int(match["m"] or match["m2"] or 0)
    return int(match["h"]), minute, (match["p1"] or match["p2"] or "").lower()


def _hour(hour: int, minute: int, period: str, text: str) -> int:
    """The hour on a 24-hour clock: 凌晨0点 and 凌晨12点 are 0, 下午2点 14, 晚上12点 and 24:00 0."""
    lowest = 0 if period == "凌晨" else 1
    if (period in _MORNING and not lowest <= hour <= 12) or (period and not lowest <= hour <= 23):
        raise CellError(f"时间“{text}”里的“{period}”和 {hour} 点对不上", "写成 24 小时制，例如 14:30")
    if not 0 <= minute < 60 or hour > 24 or (hour == 24 and minute):
        raise CellError(f"无法识别的时间“{text}”", "写成 24 小时制，例如 14:30")
    if _midnight_after(hour, minute, period):  # midnight, not noon: 00:00 (an end: the next day's)
        return 0
    if period in _MORNING:
        return hour % 12
    if period in _NIGHT and hour < NIGHT_ENDS:
        return hour
    if period == "中午":
        return hour if hour >= 11 else hour + 12
    if period:
        return hour % 12 + 12 if hour <= 12 else hour  # 下午14:00 is 14:00 too
    return hour

