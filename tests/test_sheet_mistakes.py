"""王老师's sheet: what a team leader types into the import template and the import must not publish
silently — a cell it would drop, a time it would guess, a series it would turn into one long event,
a phone number missing its 0, a column it does not know. Each is refused by sheet, row and column,
with what to do; what is meant on purpose (凌晨 written out, a 序号 column, 费用 “-”) imports as meant."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, plugin_env

HEADER = ("活动名称,街镇,志愿服务队,日期,开始时间,结束时间,最后一天,场地名称,详细地址,线上链接,活动类型,服务对象,"
          "需要报名,报名电话,名额,费用,状态,状态说明,活动介绍")
TEAM = "新北街道流动科技馆志愿服务队"


def row(title: str, day: str = "2027-03-06", **cells: str) -> str:
    values = {"活动名称": title, "街镇": "新北街道", "志愿服务队": TEAM, "日期": day, "开始时间": "14:00",
              "结束时间": "16:00", "场地名称": "新北街道党群服务中心", "活动类型": "科普讲座", "服务对象": "社区居民",
              "活动介绍": "欢迎参加。", **cells}
    return ",".join(values.get(h, "") for h in HEADER.split(","))


def run_import(folder: Path, name: str, text: str) -> subprocess.CompletedProcess:
    (folder / name).write_text(text, "utf-8")
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), "import-events", name, "--content",
                           str(folder / "content")], cwd=folder, env=plugin_env(), capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "content" / "events").rglob("*.md"))}


MISTAKES = {  # row number → (its cells, the start of what the import says about it)
    2: (row("冬季用电安全讲座", 需要报名="否", 报名电话="022-2560 0000", 名额="30"),
        "「表」表第 2 行「需要报名」列：写了报名电话和名额，「需要报名」却是“否”"),
    3: (row("家庭急救小课堂", 开始时间="2点", 结束时间="4点"),
        "「表」表第 3 行「开始时间」列：“2点”是凌晨 2 点吗？"),
    4: (row("航天主题展", day="2027-03-12", 最后一天="2027-03-14", 开始时间="9:00", 结束时间="16:00"),
        "「表」表第 4 行「最后一天」列：从 2027年3月12日（周五）09:00 连续进行到 2027年3月14日（周日）16:00，中间不停？"),
    5: (row("防诈骗讲座", 需要报名="是", 报名电话="2225600000"),
        "「表」表第 5 行「报名电话」列：电话“2225600000”前面是不是少了 0？"),
    6: (row("科学小实验", 状态说明="请带身份证"),
        "「表」表第 6 行「状态说明」列：写了状态说明，「状态」却空着"),
    7: (row("线上天文课", 场地名称="", 详细地址="新港四号路100号", 线上链接="https://live.example.cn/tianwen"),
        "「表」表第 7 行「详细地址」列：写了详细地址，却没有写场地名称"),
}


def test_cells_that_would_be_dropped_or_guessed_are_refused_and_nothing_is_written(site: Path) -> None:
    before = files(site)
    result = run_import(site, "表.csv", "\n".join([HEADER, *(cells for cells, _ in MISTAKES.values())]) + "\n")
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    for number, (_, said) in MISTAKES.items():
        assert any(line.startswith(said) for line in lines), (number, result.stdout)
    assert "没有写入任何文件：有 6 行要改" in result.stdout
    assert files(site) == before


def test_the_fixes_the_messages_give_import(site: Path) -> None:
    """Each row fixed as its message says: sign-up 是, 下午2点, a daily series, the 0 added, the note in
    the description, the address dropped; the import passes and writes what was typed."""
    fixed = [row("冬季用电安全讲座", 需要报名="是", 报名电话="022-2560 0000", 名额="30"),
             row("家庭急救小课堂", 开始时间="下午2点", 结束时间="下午4点"),
             row("科学小实验", 活动介绍="请带身份证。")]
    result = run_import(site, "表.csv", "\n".join([HEADER, *fixed]) + "\n")
    assert result.returncode == 0, result.stdout
    assert "导入完成：新建 3 个" in result.stdout


def test_a_column_it_does_not_know_keeps_its_cells_from_being_lost(site: Path) -> None:
    """收费标准 for 费用: each filled cell under it is refused, with the column meant; a 序号 column of
    numbered empty rows is the usual habit and is left out without a word."""
    header = "序号," + HEADER.replace("费用", "收费标准")
    cells = row("冬季用电安全讲座", 费用="每人 20 元")
    result = run_import(site, "表.csv", f"{header}\n1,{cells}\n2{',' * HEADER.count(',')}\n3\n")
    assert result.returncode == 1, result.stdout
    assert "「表」表第 2 行「收费标准」列：表头「收费标准」不是模板里的列，这一格“每人 20 元”不会导入" in result.stdout
    assert "是否想写「费用」" in result.stdout
    assert "第 3 行" not in result.stdout and "第 4 行" not in result.stdout and "序号" not in result.stdout
    result = run_import(site, "表.csv", f"{header}\n1,{row('冬季用电安全讲座')}\n2\n3\n")
    assert result.returncode == 0, result.stdout
    assert "导入完成：新建 1 个" in result.stdout


def test_what_is_meant_on_purpose_imports_as_meant(site: Path) -> None:
    """凌晨4点 written out is a night event (no reminder, night: true in the file); 费用 “-” is free."""
    result = run_import(site, "表.csv", HEADER + "\n" + row("凌晨观星", 开始时间="凌晨4点", 结束时间="6:00", 费用="-") + "\n")
    assert result.returncode == 0, result.stdout
    assert "凌晨" not in result.stdout and "提醒" not in result.stdout, result.stdout
    (path,) = [p for p in (site / "content" / "events").rglob("*.md") if "凌晨观星" in p.read_text("utf-8")]
    meta = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
    assert meta["night"] is True and "cost" not in meta
    assert str(meta["start"]).endswith("04:00")


def test_a_row_entered_twice_is_named_as_the_same_event_not_by_a_number_she_never_wrote(site: Path) -> None:
    same = row("冬季用电安全讲座")
    result = run_import(site, "表.csv", f"{HEADER}\n{same}\n{same}\n")
    assert result.returncode == 1, result.stdout
    assert "「表」表第 3 行：和「表」表第 2 行是同一个活动（街镇、日期和名称都一样），改法：同一个活动只写一行" in result.stdout
    assert "编号相同" not in result.stdout


def test_a_name_corrected_without_a_number_is_not_published_twice(site: Path) -> None:
    """Without 编号 an event is known by street, date and name: correcting a typo in the name would
    publish a second event beside the old one. The same day, time and place as an imported event
    under another name is refused, naming the old file and both ways out."""
    first = run_import(site, "表.csv", f"{HEADER}\n{row('冬季用电安全讲座')}\n")
    assert first.returncode == 0, first.stdout
    before = files(site)
    again = run_import(site, "表.csv", f"{HEADER}\n{row('冬季用电安全知识讲座')}\n")
    assert again.returncode == 1, again.stdout
    assert "「表」表第 2 行「活动名称」列：和已导入的“冬季用电安全讲座”（content/events/xinbei/2027/" in again.stdout
    assert "是同一天、同一时间、同一地点：是不是改了活动名称？" in again.stdout
    assert files(site) == before
    other = run_import(site, "表.csv", f"{HEADER}\n{row('冬季用电安全讲座')}\n{row('儿童安全讲座', 开始时间='9:00', 结束时间='10:00')}\n")
    assert other.returncode == 0, other.stdout  # another time: another event


def test_importing_again_says_what_changed_in_each_updated_event(site: Path) -> None:
    """A sheet imported again (here saved by another program, its ？ for an emoji) changes published
    events: each updated one is listed with what changed, the name with its old and new text."""
    header = "编号," + HEADER
    first = run_import(site, "表.csv", f"{header}\nK1,{row('冬季用电安全讲座')}\nK2,{row('家庭急救小课堂')}\n")
    assert first.returncode == 0, first.stdout
    again = run_import(site, "表.csv", f"{header}\nK1,{row('冬季用电安全讲座?', 费用='材料费 10 元')}\n"
                                       f"K2,{row('家庭急救小课堂')}\n")
    assert again.returncode == 0, again.stdout
    (line,) = [x for x in again.stdout.splitlines() if x.startswith("更新 ")]
    assert line.endswith("：活动名称 “冬季用电安全讲座” → “冬季用电安全讲座?”，费用"), line
    assert "导入完成：新建 0 个、更新 1 个、没有变化 1 个文件。" in again.stdout
