"""A volunteer coordinator's audit of the import: what an office sheet really holds (merged cells,
hidden rows and sheets, formula errors, a column twice, two phones in a cell, 晚上12点, a Weibo
hashtag in the description) and what importing twice does (the same 编号 in two streets' sheets,
last month's numbers again). Each was published silently, or said wrongly; each is now refused by
sheet, row and column with the fix in plain words, or imported as the cell said."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from datetime import datetime, time
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import ROOT, plugin_env, run_build

SHEET = "活动"
TODAY = "2027-03-01"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    shutil.copytree(ROOT / "content", folder / "content")
    result = run_import(folder, "excel-template", "模板.xlsx")
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "模板.xlsx"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def run_import(site: Path, *args: str, today: str = TODAY) -> subprocess.CompletedProcess:
    """``invoke import-events`` (or another task) as the administrator runs it, on ``today``."""
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *args, "--content", str(site / "content")],
                          cwd=site, env=plugin_env(KEPU_BUILD_DATE=today), capture_output=True, text=True,
                          timeout=300)


def event_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "content" / "events").rglob("*.md"))}


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def headers(sheet) -> dict[str, int]:
    return {str(c.value).replace("（必填）", ""): c.column for c in sheet[1] if c.value}


def row(title: str, day: datetime = datetime(2027, 3, 13), **cells: object) -> dict[str, object]:
    return {"活动名称": title, "街镇": "新北街道", "志愿服务队": "新北街道流动科技馆志愿服务队", "日期": day,
            "开始时间": time(14, 0), "结束时间": time(16, 0), "场地名称": "新北街道党群服务中心",
            "活动类型": "科普讲座", "服务对象": "社区居民", "活动介绍": "欢迎参加。", **cells}


def workbook(template: Path, rows: list[dict[str, object]]):
    """The template with ``rows`` typed into the 活动 sheet from row 2 (a cell typed as text stays text)."""
    book = load_workbook(template)
    sheet = book[SHEET]
    where = headers(sheet)
    for number, cells in enumerate(rows, start=2):
        for header, value in cells.items():
            sheet.cell(number, where[header], value)
    return book, sheet


def letter(sheet, header: str) -> str:
    return get_column_letter(headers(sheet)[header])


def save_and_import(site: Path, book, *args: str, name: str = "表.xlsx", today: str = TODAY):
    book.save(site / name)
    return run_import(site, "import-events", name, *args, today=today)


def new_file(site: Path, before: dict[str, bytes], title: str) -> Path:
    (path,) = [site / f for f in event_files(site) if f not in before and title in (site / f).read_text("utf-8")]
    return path


# ------------------------------------------------------------------ 1. merged cells

def test_cells_merged_over_several_rows_are_refused_in_every_column(template: Path, site: Path) -> None:
    """An office sheet merges what three rows share: 开始时间, 结束时间, 报名电话, 费用 over rows 2-4.
    Only row 2 holds the value; rows 3 and 4 would be published with no time, phone or cost."""
    book, sheet = workbook(template, [
        row("岷江里社区 趣味化学", 报名电话="022-2530 1234", 费用="材料费5元", 需要报名="是"),
        row("岷江里社区 种子发芽", 开始时间=None, 结束时间=None),
        row("岷江里社区 纸飞机比赛", 开始时间=None, 结束时间=None)])
    for header in ("开始时间", "结束时间", "报名电话", "费用"):
        sheet.merge_cells(f"{letter(sheet, header)}2:{letter(sheet, header)}4")
    before = event_files(site)
    for args in ((), ("--partial",)):
        result = save_and_import(site, book, *args)
        assert result.returncode == 1, result.stdout
        for header in ("开始时间", "结束时间", "报名电话", "费用"):
            assert f"「活动」表第 2 行「{header}」列：第 2 到 4 行的这一列合并成了一格，只有第 2 行有内容，" \
                   f"第 3 到 4 行导入后是空的，改法：取消合并，每一行都写上" in result.stdout, result.stdout
        assert "第 3 行「开始时间」列" not in result.stdout  # said once, not as a missing time
    assert event_files(site) == before  # with --partial too: no row of the merged block is written


# ------------------------------------------------------------------ 2. 编号 used again

def test_another_streets_rows_numbered_1_to_3_do_not_take_over_the_first_streets_events(template: Path,
                                                                                     site: Path) -> None:
    first, _ = workbook(template, [row(t, 编号=n) for n, t in ((1, "流动科技馆进社区"), (2, "家庭安全用电讲座"))])
    assert save_and_import(site, first).returncode == 0
    before = event_files(site)
    second, _ = workbook(template, [
        row("老年人防诈骗讲座", 编号=1, 街镇="杭州道街道", 志愿服务队="杭州道街道助老科普服务队"),
        row("流动科技馆进社区", 编号=2, 日期=datetime(2027, 3, 20))])  # the same event moved a week: an update
    result = save_and_import(site, second, name="杭州道.xlsx")
    assert result.returncode == 1, result.stdout
    lines = [x for x in result.stdout.splitlines() if x.startswith("「活动」表第 2 行「编号」列：")]
    assert lines and "content/events/xinbei/2027/liu-dong-ke-ji-guan-jin-she-qu-2027-03.md" in lines[0], result.stdout
    assert "“流动科技馆进社区”" in lines[0] and "新北街道" in lines[0]
    assert "给这一行写一个自己的编号" in lines[0] and "KPR2026-001" in lines[0]
    assert "第 3 行" not in result.stdout
    assert event_files(site) == before


def test_last_months_numbers_do_not_rewrite_events_already_held(template: Path, site: Path) -> None:
    november, _ = workbook(template, [row("十一月科普讲座", 编号="1", 日期=datetime(2027, 2, 20)),
                                      row("十一月手工课", 编号="2", 日期=datetime(2027, 2, 20))])
    assert save_and_import(site, november, today="2027-02-01").returncode == 0
    before = event_files(site)
    december, _ = workbook(template, [row("十二月科普讲座", 编号="1", 日期=datetime(2027, 3, 20)),
                                      row("十一月手工课", 编号="2", 日期=datetime(2027, 2, 20), 开始时间=time(15, 0),
                                          结束时间=time(17, 0))])  # a correction of a held event: allowed
    result = save_and_import(site, december)
    assert result.returncode == 1, result.stdout
    said = next(x for x in result.stdout.splitlines() if x.startswith("「活动」表第 2 行「编号」列："))
    assert "“十一月科普讲座”" in said and "已经办完" in said and "给这一行写一个自己的编号" in said, said
    assert not any(x.startswith("「活动」表第 3 行") for x in result.stdout.splitlines()), result.stdout
    assert event_files(site) == before


# ------------------------------------------------------------------ 3. a date already past

def test_an_event_already_over_is_said_to_block_the_merge_as_the_strict_check_will(template: Path,
                                                                                  site: Path) -> None:
    """1月9日 typed in December is stored as this January: the import said “可以不管这条提醒” and
    the check of the merge request then failed on the same file."""
    subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    subprocess.run(["git", "add", "-A"], cwd=site, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "sample"],
                   cwd=site, check=True)
    book, _ = workbook(template, [row("寒假科学营", 编号="PD-1", 日期=datetime(2027, 1, 9))])
    before = event_files(site)
    result = save_and_import(site, book)
    assert "可以不管" not in result.stdout, result.stdout
    said = next(x for x in result.stdout.splitlines() if "就已经结束了" in x)
    assert said.startswith("（合并前必须处理）「活动」表第 2 行「日期」列"), said
    assert "提交后的检查不会通过" in said and "参加人数" in said
    strict = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--strict", "--base", "HEAD", "--content",
                             str(site / "content"), str(new_file(site, before, "寒假科学营"))], cwd=site,
                            env=plugin_env(KEPU_BUILD_DATE=TODAY), capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1 and "就已经结束了" in strict.stdout, strict.stdout


# ------------------------------------------------------------------ 4-7. cells that would be published wrong

def test_two_phone_numbers_on_two_lines_of_one_cell_are_refused(template: Path, site: Path) -> None:
    book, _ = workbook(template, [row("急救培训", 需要报名="是", 报名电话="022-2530 2222\n13822003333")])
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 1, result.stdout
    assert "「活动」表第 2 行「报名电话」列：这一格写了两个电话（分在两行）" in result.stdout, result.stdout
    assert "只写一个电话" in result.stdout
    assert event_files(site) == before


def test_hidden_rows_and_hidden_sheets_are_refused(template: Path, site: Path) -> None:
    book, sheet = workbook(template, [row("测试活动1"), row("已取消不办了（隐藏了这一行）"), row("测试活动3")])
    sheet.row_dimensions[3].hidden = True
    old = book.copy_worksheet(sheet)
    old.title = "旧版（别用）"
    old.cell(2, headers(old)["编号"], "OLD-1")
    old.cell(2, headers(old)["活动名称"], "旧版的活动")
    old.sheet_state = "hidden"
    before = event_files(site)
    result = save_and_import(site, book, "--partial")
    assert "「活动」表第 3 行：这一行是隐藏的（或被筛选掉了），表格里看不见，却会被导入，" \
           "改法：取消隐藏后再导入，或者删掉这一行" in result.stdout, result.stdout
    assert "「旧版（别用）」表第 1 行：这张表是隐藏的，里面的 3 行活动看不见，却会被导入，" \
           "改法：取消隐藏后再导入，或者删掉这张表" in result.stdout
    assert "导入完成：新建 2 个" in result.stdout
    written = "".join(p.decode("utf-8") for f, p in event_files(site).items() if f not in before)
    assert "测试活动1" in written and "测试活动3" in written
    assert "隐藏了这一行" not in written and "旧版的活动" not in written


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"])
def test_a_formula_error_is_refused_naming_the_cell(template: Path, site: Path, error: str) -> None:
    """A VLOOKUP that found nothing saves #N/A as its result: it was published as the venue."""
    book, sheet = workbook(template, [row("北塘古镇社区 手工课")])
    sheet.cell(2, headers(sheet)["场地名称"], error)  # openpyxl stores it as an error cell, as Excel does
    assert sheet.cell(2, headers(sheet)["场地名称"]).data_type == "e"
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 1, result.stdout
    assert f"「活动」表第 2 行「场地名称」列：这一格是公式算出的错误“{error}”，不是内容" in result.stdout, result.stdout
    assert event_files(site) == before


def test_a_column_header_written_twice_is_refused_naming_both_columns(template: Path, site: Path) -> None:
    book, sheet = workbook(template, [row("急救培训", 需要报名="是", 报名电话="022-2530 1234")])
    extra = sheet.max_column + 1
    sheet.cell(1, extra, "报名电话")
    sheet.cell(2, extra, "13822009999")
    first = next(c.column_letter for c in sheet[1] if c.value == "报名电话")
    before = event_files(site)
    result = save_and_import(site, book, "--partial")
    assert f"「活动」表第 1 行「报名电话」列：有两列都叫「报名电话」（{first} 列和 {get_column_letter(extra)} 列）" \
           in result.stdout, result.stdout
    assert "没有导入的 1 行" in result.stdout
    assert event_files(site) == before


# ------------------------------------------------------------------ 8. 晚上12点

def test_midnight_written_as_evening_twelve_is_midnight_not_noon(template: Path, site: Path) -> None:
    from kepu.editor.spreadsheet import time_text

    assert [time_text(v) for v in ("晚上12点", "夜里12点", "半夜12点", "中午12点", "晚上11点半")] == \
        ["00:00", "00:00", "00:00", "12:00", "23:30"]
    book, _ = workbook(template, [row("双子座流星雨观测", 开始时间="晚上8点", 结束时间="晚上12点",
                                      最后一天=datetime(2027, 3, 14))])
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 0, result.stdout
    meta = front(new_file(site, before, "双子座流星雨观测"))
    assert (str(meta["start"]), str(meta["end"])) == ("2027-03-13 20:00", "2027-03-14 00:00")


# ------------------------------------------------------------------ 9. the description is plain text

def test_the_description_is_shown_exactly_as_the_cell_said(template: Path, site: Path) -> None:
    said = ["#全国科普日# 欢迎大家来参加！", "注意事项：", "1. 带身份证", "- 自带水杯", "> 家长陪同",
            "*名额有限* 下划线_a_b_ `代码` [链接](x) <b>粗</b> 反斜杠\\"]
    book, _ = workbook(template, [row("科普日活动", 活动介绍="\n".join(said[:2]) + "\n" + "\n".join(said[2:]))])
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 0, result.stdout
    slug = new_file(site, before, "科普日活动").stem
    output = site / "output"
    built = run_build(site / "content", output, build_date=TODAY)
    assert built.returncode == 0, built.stderr
    page = (output / "events" / slug / "index.html").read_text("utf-8")
    text = html.unescape(re.sub(r"<(?!br)[^>]+>", "", page))
    for line in said:
        assert line in text, (line, text[:3000])
    shown = page[page.index("#全国科普日#"):page.index("反斜杠\\") + 4]
    for markup in ("<h", "<em>", "<strong>", "<ol>", "<ul>", "<li>", "<blockquote>", "<code>", "<a ", "<b>"):
        assert markup not in shown, (markup, shown)
    assert "\\#" not in page and "\\*" not in page and "&amp;lt;" not in page  # no escape shown anywhere


# ------------------------------------------------------------------ 10. hints that point to the fix

def test_a_time_span_in_one_cell_and_a_weekday_in_the_date_say_which_column_to_use(template: Path,
                                                                                    site: Path) -> None:
    book, _ = workbook(template, [row("健康义诊", 开始时间="9:00-11:30", 结束时间=None),
                                  row("亲子阅读", 日期="每周六")])
    result = save_and_import(site, book)
    assert result.returncode == 1, result.stdout
    assert "「活动」表第 2 行「开始时间」列：开始时间写成了一段“9:00-11:30”，改法：「开始时间」写 9:00，" \
           "把 11:30 写在「结束时间」列" in result.stdout, result.stdout
    assert "「活动」表第 3 行「日期」列：日期写了“每周六”，改法：「日期」写第一次的日期，例如 2027-03-06；" \
           "“每周六”写在「重复」列" in result.stdout, result.stdout


# ------------------------------------------------------------------ 11. 晚上12点 as a start

@pytest.mark.parametrize("written", ["晚上12点", "夜里12点", "24:00"])
def test_a_start_at_evening_twelve_is_refused_with_the_next_day_to_write(template: Path, site: Path,
                                                                          written: str) -> None:
    """日期 3月13日, 开始时间 晚上12点: it was written as 3月13日 00:00, and residents came the night before."""
    book, _ = workbook(template, [row("零点观流星", 开始时间=written, 结束时间="凌晨2点")])
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 1, result.stdout
    assert f"「活动」表第 2 行「开始时间」列：{written}开始，就是第二天的 0 点，" \
           "改法：把「日期」改成第二天（3月14日），开始时间写 0:00" in result.stdout, result.stdout
    assert "写成 24 小时制" not in result.stdout and "中午" not in result.stdout
    assert event_files(site) == before


@pytest.mark.parametrize("written", ["0:00", "00:00", "凌晨0点", "凌晨12点", time(0, 0)])
def test_midnight_written_as_the_fix_says_starts_at_0_on_that_day(template: Path, site: Path,
                                                                   written: object) -> None:
    book, _ = workbook(template, [row("零点观流星", day=datetime(2027, 3, 14), 开始时间=written, 结束时间="凌晨2点")])
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 0, result.stdout
    assert "中午" not in result.stdout and "12:00" not in result.stdout  # not pushed toward noon
    assert "合并前必须处理" not in result.stdout, result.stdout
    meta = front(new_file(site, before, "零点观流星"))
    assert (str(meta["start"]), str(meta["end"])[-5:]) == ("2027-03-14 00:00", "02:00")


def test_an_end_at_24_00_is_midnight_as_evening_twelve_is(template: Path, site: Path) -> None:
    book, _ = workbook(template, [row("观星夜", 开始时间="晚上9点", 结束时间="24:00", 最后一天=datetime(2027, 3, 14))])
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 0, result.stdout
    meta = front(new_file(site, before, "观星夜"))
    assert (str(meta["start"]), str(meta["end"])) == ("2027-03-13 21:00", "2027-03-14 00:00")


# ------------------------------------------------------------------ 12. the same 编号 and name next month

def test_next_months_row_with_the_same_number_and_name_does_not_move_the_held_event(template: Path,
                                                                                     site: Path) -> None:
    """编号 1 流动科技馆进社区 on 2月20日, then March's sheet with 编号 1, the same name, 3月20日: the
    February session (already held) moved to March and disappeared from the site."""
    february, _ = workbook(template, [row("流动科技馆进社区", 编号=1, 日期=datetime(2027, 2, 20)),
                                      row("家庭安全用电讲座", 编号=2, 日期=datetime(2027, 2, 20))])
    assert save_and_import(site, february, today="2027-02-01").returncode == 0
    before = event_files(site)
    march, _ = workbook(template, [row("流动科技馆进社区", 编号=1, 日期=datetime(2027, 3, 20))])
    result = save_and_import(site, march)
    assert result.returncode == 1, result.stdout
    said = next(x for x in result.stdout.splitlines() if x.startswith("「活动」表第 2 行「编号」列："))
    assert "“流动科技馆进社区”" in said and "已经在 2027-02-20 办完" in said, said
    assert "这一行是新的活动" in said and "给这一行写一个自己的编号" in said, said
    assert event_files(site) == before
    fixed, _ = workbook(template, [row("家庭安全用电讲座", 编号=2, 日期=datetime(2027, 2, 20),
                                       场地名称="新北街道社区活动中心")])  # the held event's place corrected
    result = save_and_import(site, fixed, name="更正.xlsx")
    assert result.returncode == 0 and "更新 " in result.stdout and "：场地" in result.stdout, result.stdout


# ------------------------------------------------------------------ 13. two phones with a space between

def test_two_phone_numbers_separated_by_a_space_are_refused_by_the_import_and_the_check(template: Path,
                                                                                         site: Path) -> None:
    """022-2530 0000 13822003333 was imported and passed check --strict; the page's 电话报名 dialled
    tel:+86222530000013822003333."""
    book, _ = workbook(template, [row("急救培训", 需要报名="是", 报名电话="022-2530 0000 13822003333")])
    before = event_files(site)
    result = save_and_import(site, book)
    assert result.returncode == 1, result.stdout
    assert "「活动」表第 2 行「报名电话」列：电话“022-2530 0000 13822003333”的数字太多，像是两个号码" in result.stdout, \
        result.stdout
    assert "改法：只写一个电话，例如 \"0123-2530 0000\"；另一个写进「活动介绍」" in result.stdout, result.stdout
    assert event_files(site) == before
    book, _ = workbook(template, [row("急救培训", 需要报名="是", 报名电话="022-2530 0000")])
    assert save_and_import(site, book).returncode == 0
    path = new_file(site, before, "急救培训")
    path.write_text(path.read_text("utf-8").replace('"022-2530 0000"', '"022-2530 0000 13822003333"'), "utf-8")
    strict = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--strict", "--content",
                             str(site / "content"), str(path)], cwd=site, env=plugin_env(KEPU_BUILD_DATE=TODAY),
                            capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1 and "像是两个号码" in strict.stdout, strict.stdout


# ------------------------------------------------------------------ 14. a held event, merged, corrected

def git(site: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.cn", *args], cwd=site, check=True,
                   capture_output=True)


def test_correcting_a_held_event_already_merged_is_not_said_to_block_the_merge(template: Path, site: Path) -> None:
    """Imported for 3月8日 and merged; after it was held, its place corrected: the import said
    “（合并前必须处理）… 否则提交后的检查不会通过”, and the check of the merge request passed."""
    git(site, "init", "-q")
    first, _ = workbook(template, [row("科学小实验", 编号="HX-1", 日期=datetime(2027, 3, 8))])
    assert save_and_import(site, first, today="2027-03-01").returncode == 0
    git(site, "add", "-A")
    git(site, "commit", "-qm", "imported")
    before = event_files(site)
    again, _ = workbook(template, [row("科学小实验", 编号="HX-1", 日期=datetime(2027, 3, 8), 场地名称="新北街道图书馆"),
                                   row("寒假科学营", 编号="HX-2", 日期=datetime(2027, 3, 6))])
    result = save_and_import(site, again, name="更正.xlsx", today="2027-03-12")
    lines = result.stdout.splitlines()
    assert any(x.startswith("更新 ") and "：场地" in x for x in lines), result.stdout
    assert not any("第 2 行" in x and ("合并前必须处理" in x or "提交后的检查不会通过" in x) for x in lines), \
        result.stdout
    new = next(x for x in lines if "第 3 行" in x and "就已经结束了" in x)  # not merged yet: it still blocks
    assert new.startswith("（合并前必须处理）"), new
    changed = [site / f for f, data in event_files(site).items() if before.get(f) != data]
    strict = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--strict", "--base", "HEAD", "--content",
                             str(site / "content"), *map(str, changed)], cwd=site,
                            env=plugin_env(KEPU_BUILD_DATE="2027-03-12"), capture_output=True, text=True, timeout=120)
    (held,) = [p for p in changed if "科学小实验" in p.read_text("utf-8")]
    assert held.name not in strict.stdout, strict.stdout  # the merged event: nothing to handle
    assert "就已经结束了" in strict.stdout, strict.stdout


# ------------------------------------------------------------------ 15. hidden columns

def test_a_hidden_column_with_content_is_refused_naming_the_column(template: Path, site: Path) -> None:
    """费用 hidden with 材料费 50 元 in it: published, though whoever checked the sheet never saw it."""
    book, sheet = workbook(template, [row("趣味化学", 费用="材料费 50 元"), row("种子发芽")])
    sheet.column_dimensions[letter(sheet, "费用")].hidden = True
    sheet.column_dimensions[letter(sheet, "状态说明")].hidden = True  # hidden and empty: nothing unseen
    before = event_files(site)
    result = save_and_import(site, book, "--partial")
    assert f"「活动」表第 1 行「费用」列：这一列（{letter(sheet, '费用')} 列）是隐藏的，表格里看不见，" \
           "第 2 行的内容却会被导入，改法：取消隐藏这一列后再导入，或者删掉这一列" in result.stdout, result.stdout
    assert "状态说明" not in result.stdout
    assert "导入完成：新建 1 个" in result.stdout and "没有导入的 1 行：「活动」表第 2 行" in result.stdout
    written = "".join(p.decode("utf-8") for f, p in event_files(site).items() if f not in before)
    assert "种子发芽" in written and "趣味化学" not in written and "50 元" not in written


# ------------------------------------------------------------------ 16. 参加人数 in the sheet

def strict_check(site: Path, *files: Path, base: bool = True) -> subprocess.CompletedProcess:
    """The merge request's check (invoke check --strict) of ``files``, on TODAY."""
    return subprocess.run([sys.executable, "-m", "kepu.editor.check", "--strict", *(("--base", "HEAD") if base else ()),
                           "--content", str(site / "content"), *map(str, files)], cwd=site,
                          env=plugin_env(KEPU_BUILD_DATE=TODAY), capture_output=True, text=True, timeout=120)


def test_a_held_events_attendance_is_written_in_the_sheet_and_imported_again(template: Path, site: Path) -> None:
    """A held event was imported with the advice to write attendance in the generated file; once
    written there, every later import of the sheet refused the row (“被直接修改过”) until the row was
    deleted. The advice now names the sheet's 参加人数 column, and the same sheet imported again with
    it filled updates the file, which then passes the merge request's check."""
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "sample")
    book, sheet = workbook(template, [row("寒假科学营", 编号="PD-1", 日期=datetime(2027, 1, 9))])
    before = event_files(site)
    first = save_and_import(site, book)
    said = next(x for x in first.stdout.splitlines() if "就已经结束了" in x)
    assert said.startswith("（合并前必须处理）「活动」表第 2 行「日期」列"), said
    assert "在表格的「参加人数」列填上实际参加的人数，再导入一次" in said, said
    assert "生成的文件里" not in said and "attendance" not in said, said
    path = new_file(site, before, "寒假科学营")
    shown = path.relative_to(site).as_posix()
    sheet.cell(2, headers(sheet)["参加人数"], "１２０人")  # typed with a Chinese input method
    again = save_and_import(site, book)
    assert again.returncode == 0, again.stdout
    assert "被直接修改过" not in again.stdout and "就已经结束了" not in again.stdout, again.stdout
    assert f"更新 {shown}：参加人数" in again.stdout, again.stdout
    assert front(path)["attendance"] == 120
    strict = strict_check(site, path)
    assert strict.returncode == 0, strict.stdout
    third = save_and_import(site, book)
    assert "没有变化 1 个" in third.stdout and "被直接修改过" not in third.stdout, third.stdout


def test_attendance_of_an_event_not_yet_over_is_said_as_the_check_says_it(template: Path, site: Path) -> None:
    """参加人数 typed for next week's event (the row above it, say): the check of the merge request
    fails on it, so the import says so with the check's own words, naming the column."""
    book, _ = workbook(template, [row("科学小实验", 编号="NX-1", 参加人数=50)])  # 3月13日; today is 3月1日
    before = event_files(site)
    result = save_and_import(site, book)
    said = next(x for x in result.stdout.splitlines() if "参加人数要在活动结束后登记" in x)
    assert said.startswith("（合并前必须处理）「活动」表第 2 行「参加人数」列：活动还没有结束"), said
    assert "先清空「参加人数」，活动结束后再填写实际人数" in said and "attendance" not in said, said
    strict = strict_check(site, new_file(site, before, "科学小实验"), base=False)
    message = said.split("列：", 1)[1].split("，改法")[0]
    assert strict.returncode == 1 and message in strict.stdout, (message, strict.stdout)


def test_attendance_cells_are_read_as_whole_numbers_and_approximations_are_refused(template: Path,
                                                                                  site: Path) -> None:
    """Statistics add 参加人数 up: 200人次, 200人 and full-width digits are the number; 约200人,
    200多人 and 200.5 are refused by row and column, not published as text the check refuses."""
    cells = {"约200人": None, "200多人": None, 200.5: None, "200人次": 200, "２００": 200, 45: 45}
    book, _ = workbook(template, [row(f"科学营第{n}期", 编号=f"YX-{n}", 日期=datetime(2027, 1, 9), 参加人数=value)
                                  for n, value in enumerate(cells, start=1)])
    before = event_files(site)
    result = save_and_import(site, book, "--partial")
    lines = result.stdout.splitlines()
    for number, (value, read) in enumerate(cells.items(), start=2):
        title = f"科学营第{number - 1}期"
        if read is None:
            said = next((x for x in lines if x.startswith(f"「活动」表第 {number} 行「参加人数」列：")), "")
            assert f"“{value}”" in said and "例如 200" in said, result.stdout
        else:
            assert front(new_file(site, before, title))["attendance"] == read
            assert not any(f"第 {number} 行" in x for x in lines), result.stdout
    assert "约" in next(x for x in lines if x.startswith("「活动」表第 2 行")).split("改法")[1]


# ------------------------------------------------------------------ the year-end list of 参加人数 (team leader's audit)

def test_a_number_naming_a_published_file_is_refused_not_imported_as_a_second_event(template: Path,
                                                                                    site: Path) -> None:
    """The year-end workbook lists events waiting for their 参加人数 by 活动编号, "the event's file name";
    a team leader typed it into the sheet's 编号 with the number of people: the import made a second
    event (活动 151 → 152, 场次 +1, 人次 +35) and the real one stayed on the list. A 编号 that is a
    published event's file name, not one imported from a sheet, is refused with the way that works."""
    existing = next(p for p in sorted((site / "content" / "events").rglob("*.md"))
                    if "external_id" not in p.read_text("utf-8"))
    meta = front(existing)
    before = event_files(site)
    book, _ = workbook(template, [row(meta["title"], 编号=existing.stem, 日期=datetime(2027, 2, 20), 参加人数=35)])
    result = save_and_import(site, book)
    assert result.returncode == 1, result.stdout
    said = next(x for x in result.stdout.splitlines() if x.startswith("「活动」表第 2 行「编号」列："))
    assert existing.stem in said and "网页编辑" in said and "attendance" in said, said
    assert event_files(site) == before


def test_importing_an_earlier_sheet_again_keeps_the_people_recorded_since(template: Path, site: Path) -> None:
    """Re-importing last month's copy of the sheet (its 参加人数 column empty) silently erased the 120
    people recorded since: the file kept only the commented-out example. An empty cell now leaves a
    recorded number alone; a number written replaces it."""
    first, _ = workbook(template, [row("二月科普讲座", 编号="XB-1", 日期=datetime(2027, 2, 20))])
    assert save_and_import(site, first, today="2027-02-01").returncode == 0
    before = event_files(site)
    recorded, _ = workbook(template, [row("二月科普讲座", 编号="XB-1", 日期=datetime(2027, 2, 20), 参加人数=120)])
    assert save_and_import(site, recorded, name="表2.xlsx").returncode == 0
    path = next(site / f for f in event_files(site) if event_files(site)[f] != before.get(f))
    assert front(path)["attendance"] == 120
    result = save_and_import(site, first, name="表3.xlsx")  # last month's copy again
    assert result.returncode == 0, result.stdout
    assert front(path)["attendance"] == 120, path.read_text("utf-8")
    corrected, _ = workbook(template, [row("二月科普讲座", 编号="XB-1", 日期=datetime(2027, 2, 20), 参加人数=125)])
    assert save_and_import(site, corrected, name="表4.xlsx").returncode == 0
    assert front(path)["attendance"] == 125


def test_an_empty_cell_still_clears_a_number_written_before_the_event(template: Path, site: Path) -> None:
    """The import says of a number written for an event not yet held: 先清空「参加人数」. Emptying the
    cell and importing again clears it (a kept number is kept only where the check takes it)."""
    early, _ = workbook(template, [row("三月科普讲座", 编号="XB-2", 参加人数=80)])  # on 2027-03-13, after today
    result = save_and_import(site, early)
    assert "先清空「参加人数」" in result.stdout, result.stdout
    path = next(site / f for f in event_files(site) if "三月科普讲座" in (site / f).read_text("utf-8"))
    assert front(path)["attendance"] == 80
    cleared, _ = workbook(template, [row("三月科普讲座", 编号="XB-2")])
    result = save_and_import(site, cleared, name="表2.xlsx")
    assert result.returncode == 0 and "先清空" not in result.stdout, result.stdout
    assert "attendance" not in front(path), path.read_text("utf-8")
