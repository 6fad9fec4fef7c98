"""invoke excel-template -p /some/dir/tpl.xlsx said 填好后导入：invoke import-events tpl.xlsx, a file
that is not where the command is typed: it names the template where it was written."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from conftest import TEST_SITE
from kepu.editor.sheettemplate import main


def test_the_import_command_it_prints_names_the_template_where_it_was_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "各街镇 表格" / "tpl.xlsx"
    path.parent.mkdir()
    assert main([str(path), "--content", str(TEST_SITE / "content"), "--today", "2026-12-01"]) == 0
    assert path.is_file()
    said = capsys.readouterr().out
    assert f"填好后导入：invoke import-events {shlex.quote(str(path))}\n" in said, said
