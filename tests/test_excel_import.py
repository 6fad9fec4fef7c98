"""Association staff publish from a spreadsheet: `invoke excel-template` writes the workbook (dropdowns
from the registries), staff fill it in (three rows wrong), `invoke import-events` names each wrong cell by
sheet, row and column, writes nothing until every row is right (or, with --partial, the good rows), and
importing the sheet again updates the same files; the files pass `invoke check`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import ROOT, plugin_env, require, run_check

EVENT_SHEET = "活动"
SOFFICE = shutil.which("soffice")
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"  # UTF-8, cells as shown


def invoke(site: Path, *args: str) -> subprocess.CompletedProcess:
    """An invoke task run from the site folder, as staff (or their administrator) type it."""
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *args, "--content",
                           str(site / "content")], cwd=site, env=plugin_env(), capture_output=True,
                          text=True, timeout=300)


def event_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "content" / "events").rglob("*.md"))}


def front(site: Path, shown: str) -> dict:
    return yaml.safe_load((site / shown).read_text("utf-8").split("---\n")[1])


def body(site: Path, shown: str) -> str:
    return (site / shown).read_text("utf-8").split("---\n", 2)[2].strip()


def registry_names(kind: str) -> list[str]:
    return [item["name"] for item in yaml.safe_load((ROOT / "content" / "data" / f"{kind}.yml").read_text("utf-8"))]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample portal, where the administrator generates the template."""
    folder = tmp_path_factory.mktemp("excel") / "site"
    shutil.copytree(ROOT / "content", folder / "content")
    result = invoke(folder, "excel-template", "活动导入表.xlsx")
    assert result.returncode == 0, result.stderr
    assert "已写出模板" in result.stdout
    return folder


@pytest.fixture(scope="module")
def template(site: Path) -> Path:
    return site / "活动导入表.xlsx"


def headers(sheet) -> dict[str, int]:
    """Column number of each header, as staff read it (without the （必填） mark)."""
    return {str(c.value).replace("（必填）", ""): c.column for c in sheet[1] if c.value}


def fill(sheet, number: int, **cells: object) -> None:
    """Type a row as staff would; a text cell starting with = is typed as text ('=…)."""
    where = headers(sheet)
    for header, value in cells.items():
        cell = sheet.cell(number, where[header], value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"


# ------------------------------------------------------------------ the template

def dropdown(book, sheet, header: str) -> list[str]:
    """The choices the dropdown of a column offers (a list, or a range of another sheet)."""
    letter = sheet.cell(1, headers(sheet)[header]).column_letter
    rules = [dv for dv in sheet.data_validations.dataValidation
             if dv.type == "list" and any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)]
    assert len(rules) == 1, header
    formula = rules[0].formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    name, cells = formula.split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for row in book[name.strip("'")][f"{first}:{last}"] for c in row]


def test_dropdowns_list_exactly_the_registry_names(template: Path) -> None:
    book = load_workbook(template)
    sheet = book[EVENT_SHEET]
    assert dropdown(book, sheet, "街镇") == registry_names("streets")
    assert dropdown(book, sheet, "志愿服务队") == registry_names("teams")
    assert dropdown(book, sheet, "活动类型") == registry_names("categories")
    assert dropdown(book, sheet, "服务对象") == registry_names("audiences")
    assert dropdown(book, sheet, "需要报名") == ["是", "否"]
    assert "每周六" in dropdown(book, sheet, "重复")
    assert dropdown(book, sheet, "状态") == ["正常举办", "已取消", "名额已满"]
    assert dropdown(book, book["新闻"], "相关街镇") == registry_names("streets")


def test_template_shows_weekdays_instructions_and_worked_examples(template: Path) -> None:
    book = load_workbook(template)
    sheet = book[EVENT_SHEET]
    assert sheet.cell(1, headers(sheet)["活动名称"]).value == "活动名称（必填）"
    date_format = sheet.column_dimensions[sheet.cell(1, headers(sheet)["日期"]).column_letter].number_format
    assert "aaaa" in date_format  # 2026-12-05 星期六
    assert sheet.column_dimensions[sheet.cell(1, headers(sheet)["开始时间"]).column_letter].number_format == "hh:mm"
    assert sheet.column_dimensions[sheet.cell(1, headers(sheet)["适合年龄"]).column_letter].number_format == "@"
    assert sheet.max_row == 1  # nothing to import until staff write it
    instructions = " ".join(str(c.value) for c in book["说明"]["A"] if c.value)
    assert "一行写一个活动" in instructions and "编号" in instructions and "每周六" in instructions
    examples = book["示例（不导入）"]
    rows = [{h: examples.cell(r, c).value for h, c in headers(examples).items()} for r in (2, 3)]
    assert rows[0]["重复"] is None and isinstance(rows[0]["日期"], datetime)
    assert rows[1]["重复"] == "每周六" and rows[1]["不开展的日期"].count("、") == 1
    assert book["选项"].sheet_state == "hidden"


def test_the_template_has_an_attendance_column_saying_when_to_fill_it(template: Path) -> None:
    """参加人数 is filled after the event, in the sheet: its input hint says so, as 说明 does."""
    book = load_workbook(template)
    sheet = book[EVENT_SHEET]
    letter = sheet.cell(1, headers(sheet)["参加人数"]).column_letter
    (rule,) = [dv for dv in sheet.data_validations.dataValidation
               if any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)]
    assert rule.showInputMessage and rule.prompt == ("活动结束后填实际参加人数（整数）；重复活动填各场的合计；没办完的活动不填；"
                                                     "空着不会清掉已经登记的人数")
    instructions = " ".join(str(c.value) for c in book["说明"]["A"] if c.value)
    assert "参加人数：活动结束后填实际参加人数" in instructions
    assert "活动办完以后：在「参加人数」列填实际参加的人数（只写数字，例如 200），再导入一次" in instructions
    assert "参加人数" in headers(book["示例（不导入）"])


def test_worked_examples_import_as_they_read(template: Path, tmp_path: Path) -> None:
    """The examples, copied into the 活动 sheet, import as a single event and a weekly series."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    book = load_workbook(template)
    examples, sheet = book["示例（不导入）"], book[EVENT_SHEET]
    for row in examples.iter_rows(min_row=2):
        for cell in row:
            sheet.cell(cell.row, cell.column, cell.value)
    book.save(tmp_path / "filled.xlsx")
    result = invoke(tmp_path, "import-events", "filled.xlsx")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "导入完成：新建 2 个、更新 0 个、没有变化 0 个文件。" in result.stdout
    weekly = next(f for f in event_files(tmp_path) if "zhou-mo-ke-xue-shi-yan-ke" in f)
    meta = front(tmp_path, weekly)
    assert meta["recurrence"]["rrule"].startswith("FREQ=WEEKLY;BYDAY=SA;UNTIL=")
    assert len(meta["recurrence"]["exdates"]) == 2


# ------------------------------------------------------------------ staff's sheet

NEXT_SATURDAY = date(2027, 3, 6)
SINGLE = "content/events/xinbei/2027/liu-dong-ke-ji-guan-jin-she-qu-2027-03.md"
SERIES = "content/events/hujiayuan/2027/zhou-mo-ke-xue-shi-yan-ke-2027-03.md"
FAIR = "content/events/taida/2027/tai-da-ke-ji-zhou-ke-pu-ji-shi-2027-05.md"


def staff_rows(sheet) -> None:
    """Three good rows (cells as date cells, as text, as 下午2:00 …), then three wrong ones."""
    common = {"活动类型": "科学实验", "服务对象": "亲子家庭、社区居民", "活动介绍": "动手做实验。"}
    fill(sheet, 2, 编号="KPR2027-001", 活动名称="流动科技馆进社区", 街镇="新北街道",
         志愿服务队="新北街道流动科技馆志愿服务队", 日期=datetime(2027, 3, 6), 开始时间=time(9, 0),
         结束时间=time(11, 30), 场地名称="新北街道党群服务中心", 详细地址="天津市滨海新区新北路", 需要报名="否",
         **common)
    fill(sheet, 3, 活动名称="周末科学实验课", 街镇="胡家园街道", 志愿服务队="胡家园街道“周末科学同学会”",
         日期="2027/3/6", 开始时间="下午2:00", 结束时间="16:00", 重复="每周六", 重复到="2027年5月29日",
         不开展的日期="2027-04-03、2027-05-01", 场地名称="胡家园街道文化站", 适合年龄="6-12", 需要报名="是",
         报名电话="022-2530 0000 转 8012", 名额=20, 费用="=材料费 10 元", **common)
    fill(sheet, 4, 编号="KPR2027-003", 活动名称="泰达科技周科普集市", 街镇="泰达街道",
         志愿服务队="泰达街道“科学会客厅”志愿服务队", 日期="2027-05-22", 最后一天=datetime(2027, 5, 23),
         场地名称="泰达图书馆广场", **common)
    fill(sheet, 5, 编号="KPR2027-004", 活动名称="防诈骗讲座", 街镇="新北区", 志愿服务队="新北街道流动科技馆志愿服务队",
         日期=datetime(2027, 3, 10), 开始时间=time(9, 0), 结束时间=time(10, 0), 场地名称="新北街道党群服务中心", **common)
    fill(sheet, 6, 编号="KPR2027-005", 活动名称="观星夜", 街镇="新北街道", 志愿服务队="新北街道流动科技馆志愿服务队",
         日期=datetime(2027, 3, 12), 开始时间=time(16, 0), 结束时间=time(14, 0), 场地名称="新北公园", **common)
    fill(sheet, 7, 编号="KPR2027-006", 活动名称="机器人体验", 街镇="新北街道", 志愿服务队="新北街道流动科技馆志愿服务队",
         日期=datetime(2027, 3, 13), 开始时间=time(9, 0), 结束时间=time(10, 0), 场地名称="新北街道党群服务中心",
         需要报名="是", 报名电话="打电话给王老师", **common)


WRONG = {
    5: "「活动」表第 5 行「街镇」列：没有叫“新北区”的街镇，改法：是否想写“新北街道”？点这一格右边的小箭头，从下拉列表里选",
    6: "「活动」表第 6 行「结束时间」列：结束时间早于（或等于）开始时间，改法：检查「开始时间」「结束时间」是否写反",
    7: "「活动」表第 7 行「报名电话」列：电话“打电话给王老师”格式不对：只能有数字、空格、-、+ 和括号，改法：例如 \"0123-2530 0000\"",
}


@pytest.fixture(scope="module")
def staff_sheet(template: Path, site: Path) -> Path:
    book = load_workbook(template)
    staff_rows(book[EVENT_SHEET])
    path = site / "科普月活动.xlsx"
    book.save(path)
    return path


def test_one_wrong_row_and_nothing_is_written(site: Path, staff_sheet: Path) -> None:
    before = event_files(site)
    result = invoke(site, "import-events", staff_sheet.name)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for number, message in WRONG.items():
        assert any(line.startswith(message) for line in lines), (number, result.stdout)
    assert not any("第 2 行" in line or "第 3 行" in line or "第 4 行" in line for line in lines), result.stdout
    assert "没有写入任何文件：有 3 行要改" in result.stdout
    assert event_files(site) == before


def test_partial_writes_the_good_rows_as_new_event_would(site: Path, staff_sheet: Path) -> None:
    before = event_files(site)
    result = invoke(site, "import-events", staff_sheet.name, "--partial")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "导入完成：新建 3 个、更新 0 个、没有变化 0 个文件。" in result.stdout
    assert "没有导入的 3 行：「活动」表第 5 行、「活动」表第 6 行、「活动」表第 7 行" in result.stdout
    added = sorted(set(event_files(site)) - set(before))
    assert added == sorted([SINGLE, SERIES, FAIR])

    single = front(site, SINGLE)
    assert single["external_id"] == "KPR2027-001"
    assert (single["title"], single["street"], single["team"]) == ("流动科技馆进社区", "xinbei", "xinbei-liudong")
    assert single["start"] == "2027-03-06 09:00" and single["end"] == "11:30"
    assert single["categories"] == ["kexue-shiyan"] and single["audiences"] == ["qinzi", "shequ-jumin"]
    assert single["venue"] == {"name": "新北街道党群服务中心", "address": "天津市滨海新区新北路"}
    assert single["registration"] == {"required": False}
    assert body(site, SINGLE) == "动手做实验。"

    series = front(site, SERIES)
    assert series["external_id"] == "hujiayuan-2027-03-06-周末科学实验课"  # no 编号: street, date and name
    assert series["start"] == "2027-03-06 14:00" and series["end"] == "16:00"
    assert series["recurrence"] == {"rrule": "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-05-29",
                                    "exdates": [date(2027, 4, 3), date(2027, 5, 1)]}
    assert series["age"] == "6-12" and series["cost"] == "=材料费 10 元"  # text, never a formula
    assert series["registration"]["phone"] == "022-2530 0000 转 8012"
    assert series["registration"]["capacity"] == 20

    fair = front(site, FAIR)
    assert (fair["start"], fair["end"]) == (date(2027, 5, 22), date(2027, 5, 23))

    checked = run_check(*(site / f for f in added), content=site / "content", cwd=site)
    assert checked.returncode == 0 and "检查通过" in checked.stdout, checked.stdout
    strict = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--strict", "--content", str(site / "content"),
                             *(str(site / f) for f in added)], cwd=site, env=plugin_env(),
                            capture_output=True, text=True, timeout=120)
    assert strict.returncode == 0 and "提醒" not in strict.stdout, strict.stdout  # external_id is a known field


def test_importing_again_updates_the_same_files(site: Path, staff_sheet: Path) -> None:
    before = event_files(site)
    again = invoke(site, "import-events", staff_sheet.name, "--partial")
    assert "导入完成：新建 0 个、更新 0 个、没有变化 3 个文件。" in again.stdout, again.stdout
    assert event_files(site) == before

    book = load_workbook(staff_sheet)
    sheet = book[EVENT_SHEET]
    fill(sheet, 2, 开始时间=time(10, 0), 日期=datetime(2027, 3, 13))  # moved a week, later start
    book.save(staff_sheet)
    changed = invoke(site, "import-events", staff_sheet.name, "--partial")
    assert "导入完成：新建 0 个、更新 1 个、没有变化 2 个文件。" in changed.stdout, changed.stdout
    assert f"更新 {SINGLE}" in changed.stdout
    assert set(event_files(site)) == set(before)  # the same file, not a second one
    assert front(site, SINGLE)["start"] == "2027-03-13 10:00"

    fill(sheet, 4, 状态="已取消", 状态说明="因大风天气取消")
    book.save(staff_sheet)
    cancelled = invoke(site, "import-events", staff_sheet.name, "--partial")
    assert f"更新 {FAIR}" in cancelled.stdout, cancelled.stdout
    assert (front(site, FAIR)["status"], front(site, FAIR)["status_note"]) == ("cancelled", "因大风天气取消")


def test_fixed_rows_import_and_pass_the_check(site: Path, staff_sheet: Path) -> None:
    book = load_workbook(staff_sheet)
    sheet = book[EVENT_SHEET]
    fill(sheet, 5, 街镇="新北街道")
    fill(sheet, 6, 开始时间=time(18, 0), 结束时间=time(20, 0))
    fill(sheet, 7, 报名电话="022-2560 0000")
    book.save(staff_sheet)
    result = invoke(site, "import-events", staff_sheet.name)
    assert result.returncode == 0, result.stdout
    assert "导入完成：新建 3 个、更新 0 个、没有变化 3 个文件。" in result.stdout
    assert run_check(content=site / "content", cwd=site).returncode == 0


def test_a_row_repeating_a_published_event_is_taken_back_with_the_others(template: Path, tmp_path: Path) -> None:
    """The row is right on its own, but another file already holds the event: invoke check says so
    after writing, the row is named, and every file written by this import is taken back."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    published = front(tmp_path, "content/events/xinbei/2026/xinbei-liudong-kejiguan-2026-11.md")
    book = load_workbook(template)
    sheet = book[EVENT_SHEET]
    common = {"街镇": "新北街道", "志愿服务队": "新北街道流动科技馆志愿服务队", "场地名称": "新北街道党群服务中心",
              "活动类型": "科学实验", "服务对象": "亲子家庭", "活动介绍": "动手做实验。"}
    fill(sheet, 2, 活动名称="少儿编程体验", 日期=datetime(2027, 3, 6), **common)
    fill(sheet, 3, 活动名称=published["title"], 日期=published["start"], 最后一天=published["end"], **common)
    book.save(tmp_path / "重复.xlsx")
    before = event_files(tmp_path)
    result = invoke(tmp_path, "import-events", "重复.xlsx")
    assert result.returncode == 1
    assert any(line.startswith("「活动」表第 3 行") and "xinbei-liudong-kejiguan-2026-11.md" in line
               for line in result.stdout.splitlines()), result.stdout
    assert "没有写入任何文件" in result.stdout
    assert event_files(tmp_path) == before


def test_a_file_edited_after_the_import_is_never_overwritten(template: Path, tmp_path: Path) -> None:
    """An administrator changed the imported file by hand: importing the sheet again names the row
    and the file, and leaves the edit in place."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    book = load_workbook(template)
    sheet = book[EVENT_SHEET]
    fill(sheet, 2, 编号="KPR-9", 活动名称="流动科技馆进社区", 街镇="新北街道", 志愿服务队="新北街道流动科技馆志愿服务队",
         日期=datetime(2027, 3, 6), 场地名称="新北街道党群服务中心", 活动类型="科学实验", 服务对象="亲子家庭",
         活动介绍="动手做实验。")
    book.save(tmp_path / "表.xlsx")
    assert invoke(tmp_path, "import-events", "表.xlsx").returncode == 0
    path = tmp_path / SINGLE
    path.write_text(path.read_text("utf-8").replace("\n---\n", "\nimage_alt: 孩子们在做实验\n---\n", 1), "utf-8")
    edited = path.read_bytes()
    fill(sheet, 2, 场地名称="新北街道图书馆")
    book.save(tmp_path / "表.xlsx")
    again = invoke(tmp_path, "import-events", "表.xlsx")
    assert again.returncode == 1
    assert f"「活动」表第 2 行「编号」列：{SINGLE} 在导入以后被直接修改过，再导入会丢掉这些修改，改法：" in again.stdout, again.stdout
    assert path.read_bytes() == edited


def calc_saves(source: Path, folder: Path, target: str) -> Path:
    """The workbook opened and saved again by LibreOffice Calc, as staff's spreadsheet program would."""
    require(SOFFICE is not None, "LibreOffice Calc (make test installs libreoffice-calc-nogui)")
    out = folder / "calc"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless",
                             "--norestore", "--convert-to", target, "--outdir", str(out), str(source)],
                            capture_output=True, text=True, timeout=300)
    saved = out / f"{source.stem}.{target.split(':')[0]}"
    assert saved.is_file(), result.stdout + result.stderr
    return saved


def test_what_a_spreadsheet_program_saves_imports_the_same(template: Path, tmp_path: Path) -> None:
    """Filled in, then saved by Calc as a workbook and as CSV (dates as shown, with their weekday):
    each imports as the same three events."""
    book = load_workbook(template)
    sheet = book[EVENT_SHEET]
    staff_rows(sheet)
    sheet.delete_rows(5, 3)  # only the good rows
    date_format = sheet.column_dimensions[sheet.cell(1, headers(sheet)["日期"]).column_letter].number_format
    sheet.cell(2, headers(sheet)["日期"]).number_format = date_format  # a date typed into the column
    book.save(tmp_path / "活动表.xlsx")
    files = {}
    for kind, target in (("xlsx", "xlsx"), ("csv", CSV_AS_SHOWN)):
        saved = calc_saves(tmp_path / "活动表.xlsx", tmp_path, target)
        if kind == "csv":
            assert ",2027-03-06 星期六," in saved.read_text("utf-8")  # the weekday is shown
        site = tmp_path / kind
        shutil.copytree(ROOT / "content", site / "content")
        result = invoke(site, "import-events", str(saved))
        assert result.returncode == 0 and "新建 3 个" in result.stdout, result.stdout
        files[kind] = {f: front(site, f) for f in event_files(site) if f in (SINGLE, SERIES, FAIR)}
    assert len(files["xlsx"]) == 3 and files["xlsx"] == files["csv"]


def test_a_weekday_that_is_not_the_dates_is_refused() -> None:
    from kepu.editor.spreadsheet import CellError, date_text

    assert date_text("2027-03-06（周六）、2027-03-13 星期六", date(2026, 12, 1), many=True) == "2027-03-06、2027-03-13"
    assert date_text("2027-05-23 0:00:00", date(2026, 12, 1)) == "2027-05-23"
    with pytest.raises(CellError) as refused:
        date_text("2027-03-06 星期五", date(2026, 12, 1))
    assert refused.value.message == "2027-03-06 是星期六，不是星期五"


def test_news_rows_name_their_event_by_its_number(template: Path, tmp_path: Path) -> None:
    """The 新闻 sheet: a report naming the event of the 活动 sheet by its 编号 links to its file;
    a number that is no event is named by row and column."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    book = load_workbook(template)
    fill(book[EVENT_SHEET], 2, 编号="KPR-1", 活动名称="流动科技馆进社区", 街镇="新北街道", 志愿服务队="新北街道流动科技馆志愿服务队",
         日期=datetime(2027, 3, 6), 场地名称="新北街道党群服务中心", 活动类型="科学实验", 服务对象="亲子家庭",
         活动介绍="动手做实验。")
    fill(book["新闻"], 2, 编号="XW-1", 新闻标题="流动科技馆走进新北", 发布日期=datetime(2027, 3, 8),
         相关街镇="新北街道", 相关活动="KPR-1", 正文="三百多位居民参加。")
    fill(book["新闻"], 3, 新闻标题="科普日回顾", 发布日期="2027-03-09", 相关活动="KPR-404", 正文="回顾。")
    book.save(tmp_path / "表.xlsx")
    before = event_files(tmp_path)
    refused = invoke(tmp_path, "import-events", "表.xlsx")
    assert refused.returncode == 1 and event_files(tmp_path) == before
    assert "「新闻」表第 3 行「相关活动」列：找不到编号或文件名为“KPR-404”的活动，改法：这篇新闻报道的活动：" in refused.stdout

    fill(book["新闻"], 3, 相关活动="")
    book.save(tmp_path / "表.xlsx")
    result = invoke(tmp_path, "import-events", "表.xlsx")
    assert "导入完成：新建 3 个、更新 0 个、没有变化 0 个文件。" in result.stdout, result.stdout
    news = "content/articles/2027/liu-dong-ke-ji-guan-zou-jin-xin-bei.md"
    meta = front(tmp_path, news)
    assert (meta["external_id"], meta["title"], meta["date"], meta["street"]) == \
        ("XW-1", "流动科技馆走进新北", date(2027, 3, 8), "xinbei")
    assert meta["events"] == [Path(SINGLE).stem] and body(tmp_path, news) == "三百多位居民参加。"
    # Checked on the day the report is dated (before it, it waits for the build of its day).
    checked = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(tmp_path / "content"),
                              "--build-date", "2027-03-08", str(tmp_path / SINGLE), str(tmp_path / news)],
                             cwd=tmp_path, env=plugin_env(), capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0 and "检查通过" in checked.stdout, checked.stdout
    again = invoke(tmp_path, "import-events", "表.xlsx")
    assert "导入完成：新建 0 个、更新 0 个、没有变化 3 个文件。" in again.stdout, again.stdout


# ------------------------------------------------------------------ CSV and cells

CSV_HEADER = "活动名称,街镇,志愿服务队,日期,开始时间,结束时间,场地名称,活动类型,服务对象,活动介绍\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_as_excel_and_wps_save_it(tmp_path: Path, encoding: str) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    row = "科学小课堂,新北街道,xinbei-liudong,2027/3/6,下午2:30,16:00,新北街道党群服务中心,科学实验,亲子家庭,动手做实验。\n"
    wrong = "=1+1,新北街道,xinbei-liudong,5月20日,14:00,16:00,新北街道党群服务中心,科学实验,亲子家庭,动手做实验。\n"
    (tmp_path / "活动表.csv").write_bytes((CSV_HEADER + row + wrong).encode(encoding))
    result = invoke(tmp_path, "import-events", "活动表.csv", "--partial")
    assert "「活动表」表第 3 行「日期」列：日期“5月20日”没有写年份，改法：写上年份，例如 20" in result.stdout, result.stdout
    assert "新建 1 个" in result.stdout
    meta = front(tmp_path, "content/events/xinbei/2027/ke-xue-xiao-ke-tang-2027-03.md")
    assert (meta["title"], meta["start"], meta["end"]) == ("科学小课堂", "2027-03-06 14:30", "16:00")


def test_an_event_already_over_is_imported_with_a_reminder(tmp_path: Path) -> None:
    """A year typed wrong (2025 for 2027) is the usual cause: said, by row and column; the row is
    still imported (recording a past event is allowed), and said to need its attendance before the
    merge request's check passes (as invoke check --strict then says)."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    row = "科学小课堂,新北街道,xinbei-liudong,2025-03-06,14:00,16:00,新北街道党群服务中心,科学实验,亲子家庭,动手做实验。\n"
    (tmp_path / "活动表.csv").write_text(CSV_HEADER + row, "utf-8")
    result = invoke(tmp_path, "import-events", "活动表.csv")
    assert result.returncode == 0, result.stdout
    assert "（合并前必须处理）「活动表」表第 2 行「日期」列：这个新加的活动在 2025-03-06 就已经结束了" in result.stdout, \
        result.stdout
    # in the sheet, not in the generated file (edited by hand, every later import refuses the row)
    assert "在表格的「参加人数」列填上实际参加的人数，再导入一次" in result.stdout, result.stdout
    assert "在生成的文件里" not in result.stdout, result.stdout
    assert "新建 1 个" in result.stdout


def test_formula_cells_are_never_calculated(template: Path, tmp_path: Path) -> None:
    """A formula whose result the file does not hold is refused (openpyxl saves none); a text cell
    starting with = is text."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    book = load_workbook(template)
    sheet = book[EVENT_SHEET]
    fill(sheet, 2, 活动名称="科学小课堂", 街镇="新北街道", 志愿服务队="新北街道流动科技馆志愿服务队",
         日期="=DATE(2027,3,6)", 场地名称="新北街道党群服务中心", 活动类型="科学实验", 服务对象="亲子家庭",
         活动介绍="动手做实验。")
    sheet.cell(2, headers(sheet)["日期"]).data_type = "f"
    book.save(tmp_path / "公式.xlsx")
    result = invoke(tmp_path, "import-events", "公式.xlsx")
    assert "「活动」表第 2 行「日期」列：这一格是公式（=DATE(2027,3,6)），文件里没有保存它的结果" in result.stdout, result.stdout
    assert result.returncode == 1


def test_times_and_dates_as_staff_type_them() -> None:
    from kepu.editor.spreadsheet import CellError, date_text, time_text

    assert [time_text(v) for v in ("14:30", "14：30", "下午2:30", "下午2点半", "2:30 PM", "晚上7点", time(9, 5),
                                   datetime(1899, 12, 30, 14, 0))] == \
        ["14:30", "14:30", "14:30", "14:30", "14:30", "19:00", "09:05", "14:00"]
    today = date(2026, 12, 1)
    assert date_text(datetime(2027, 5, 20), today) == "2027-05-20"
    assert date_text(46527, today) == "2027-05-20"  # an Excel day number in a General cell
    with pytest.raises(CellError) as refused:
        date_text("5月20日", today)
    assert refused.value.hint == "写上年份，例如 2027-05-20"
    with pytest.raises(CellError):
        time_text("下午三点")


def test_a_phone_typed_as_a_number_is_asked_about_but_service_and_mobile_numbers_are_not() -> None:
    """A lost area-code 0 (2225600000 for 022-2560 0000) is refused; 400/800 numbers, written with or
    without dashes, and mobile numbers are phones as they are."""
    from kepu.editor.spreadsheet import CellError, phone_text

    for lost in (2225600000, "1025600000"):
        with pytest.raises(CellError):
            phone_text(lost)
    assert [phone_text(v) for v in ("400-800-1234", "4008001234", "800 123 4567", 13812345678, "022-2560 0000")] == \
        ["400-800-1234", "4008001234", "800 123 4567", "13812345678", "022-2560 0000"]


def test_every_sheet_of_a_merged_workbook_is_imported_but_the_templates_own(template: Path, tmp_path: Path) -> None:
    """Units' sheets copied into one workbook: each is read, each row named by its own sheet; the
    examples, instructions and choices are not rows."""
    from kepu.editor.spreadsheet import sheets_of

    book = load_workbook(template)
    second = book.copy_worksheet(book[EVENT_SHEET])
    second.title = "胡家园街道"
    fill(book[EVENT_SHEET], 2, 活动名称="甲")
    fill(second, 2, 活动名称="乙")
    fill(second, 4, 活动名称="丙")
    book.save(tmp_path / "合并.xlsx")
    rows = [(row.sheet, row.number, row.cells["活动名称"]) for sheet in sheets_of(tmp_path / "合并.xlsx")
            for row in sheet.rows]
    assert rows == [(EVENT_SHEET, 2, "甲"), ("胡家园街道", 2, "乙"), ("胡家园街道", 4, "丙")]


def test_a_sheet_without_a_needed_column_says_which(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "表.csv").write_text("活动名称,街镇,备注\n科学小课堂,新北街道,无\n", "utf-8")
    before = event_files(tmp_path)
    result = invoke(tmp_path, "import-events", "表.csv")
    assert result.returncode == 1
    assert "「表」表第 1 行：表头里没有「活动介绍」列，改法：用 invoke excel-template 生成的模板填写" in result.stdout
    assert "「表」表第 2 行「备注」列：表头「备注」不是模板里的列，这一格“无”不会导入" in result.stdout
    assert "「表」表第 2 行「活动介绍」列：「活动介绍」必须填写" in result.stdout
    assert event_files(tmp_path) == before


def _claiming_workbook(path: Path, dimension: str, cells: dict[str, str]) -> Path:
    """A minimal .xlsx whose sheet 活动 claims ``dimension`` and holds ``cells`` (A1 → text), as a
    program other than Excel may write one (or someone who wants the importer to run out of memory)."""
    import re
    import zipfile

    rows: dict[int, list[str]] = {}
    for ref, text in cells.items():
        rows.setdefault(int(re.sub(r"[A-Z]", "", ref)), []).append(
            f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
    sheet = "".join(f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(rows.items()))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   f'xml"/><Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/><Override '
                   f'PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
                   f'<Relationship Id="rId1" Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r='
                   f'"{relations}"><sheets><sheet name="活动" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                   f'"{package}"><Relationship Id="rId1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
                   f'<dimension ref="{dimension}"/><sheetData>{sheet}</sheetData></worksheet>')
    return path


HEADER_CELLS = {"A1": "活动名称", "B1": "街镇", "C1": "日期"}


def test_a_sheet_is_read_as_deep_and_wide_as_its_content_not_as_it_claims(tmp_path: Path) -> None:
    """A 2 KB file claiming 1,048,576 rows of 16,384 columns: the importer took 9 GB of memory and
    was still going after two minutes. Its content is read; what it claims beyond is passed over."""
    from kepu.editor.spreadsheet import sheets_of

    path = _claiming_workbook(tmp_path / "big.xlsx", "A1:XFD1048576",
                              {**HEADER_CELLS, "A2": "科学小课堂", "B2": "新北街道", "C2": "2027-03-06"})
    [sheet] = sheets_of(path)
    assert [(row.number, row.cells) for row in sheet.rows] == [
        (2, {"活动名称": "科学小课堂", "街镇": "新北街道", "日期": "2027-03-06"})]


@pytest.mark.parametrize(("cell", "said", "fix"), [
    ("A1048576", "“活动”表第 1048576 行还有内容：一次最多导入 10000 行", "分几次导入"),
    ("GS2", "“活动”表第 2 行第 201 列还有内容：表格最多 200 列", "删去模板以外的列"),
])
def test_content_beyond_what_an_import_reads_is_refused_not_dropped(tmp_path: Path, cell: str, said: str,
                                                                    fix: str) -> None:
    from kepu.editor.spreadsheet import CellError, sheets_of

    path = _claiming_workbook(tmp_path / "big.xlsx", "A1:XFD1048576", {**HEADER_CELLS, "A2": "科学小课堂", cell: "y"})
    with pytest.raises(CellError) as refused:
        sheets_of(path)
    assert refused.value.message == said and fix in refused.value.hint


def test_a_long_introduction_in_a_csv_cell_is_read_and_an_overlong_one_is_said(tmp_path: Path) -> None:
    """A Word text pasted into 活动介绍 (200 KB) stopped the import with Python's
    `_csv.Error: field larger than field limit (131072)`; a cell over a million characters is said in Chinese."""
    from kepu.editor.spreadsheet import CellError, sheets_of

    long = "科普" * 100_000
    path = tmp_path / "活动表.csv"
    path.write_text(f"活动名称,街镇,活动介绍\n科学小课堂,新北街道,{long}\n", "utf-8")
    [sheet] = sheets_of(path)
    assert sheet.rows[0].cells["活动介绍"] == long
    path.write_text(f"活动名称,街镇,活动介绍\n科学小课堂,新北街道,{long * 6}\n", "utf-8")
    with pytest.raises(CellError) as refused:
        sheets_of(path)
    assert refused.value.message == "活动表.csv 里有一格超过 100 万字"


def test_a_small_workbook_repeating_a_huge_text_is_refused_before_anything_is_planned(tmp_path: Path) -> None:
    """A few kilobytes of .xlsx (a repeated text compresses to nothing) put a 330,000-character
    活动介绍 in 300 rows, and the import took 54 s, 1.3 GB of memory and wrote 285 MB. A file's
    cells hold at most MAX_TEXT characters in all; a real science week's sheet is far below it."""
    from kepu.editor.spreadsheet import MAX_TEXT, CellError, sheets_of

    huge = "长" * (MAX_TEXT // 200)
    cells = {**HEADER_CELLS, "D1": "活动介绍"}
    for row in range(2, 302):
        cells |= {f"A{row}": f"科学小课堂 {row}", f"B{row}": "新北街道", f"C{row}": "2027-03-06", f"D{row}": huge}
    path = _claiming_workbook(tmp_path / "bomb.xlsx", "A1:D301", cells)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(CellError) as refused:
        sheets_of(path)
    assert refused.value.message == f"“活动”表的文字太多（超过 {MAX_TEXT // 10_000} 万字）"
    assert "分几次导入" in refused.value.hint


def test_a_csv_file_is_held_to_the_same_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kepu.editor import spreadsheet
    from kepu.editor.spreadsheet import CellError, sheets_of

    monkeypatch.setattr(spreadsheet, "MAX_TEXT", 1_000)
    path = tmp_path / "活动表.csv"
    path.write_text("活动名称,街镇,活动介绍\n" + "".join(f"科学小课堂 {n},新北街道,{'长' * 100}\n" for n in range(12)), "utf-8")
    with pytest.raises(CellError) as refused:
        sheets_of(path)
    assert refused.value.message.startswith("活动表.csv 里的文字太多")
    path.write_text("活动名称,街镇,活动介绍\n科学小课堂,新北街道,长\n", "utf-8")
    assert [row.cells["活动介绍"] for row in sheets_of(path)[0].rows] == ["长"]
