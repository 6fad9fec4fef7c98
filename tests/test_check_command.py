"""``invoke check`` (kepu.editor.check.main) in this process: what an editor reads, and its exit status."""

from __future__ import annotations

from pathlib import Path

import pytest

from kepu.editor.check import main


def _run(site: Path, *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    monkeypatch.chdir(site)
    code = main(["--content", "content", "--build-date", "2026-12-01", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.e2e  # checking everything asks git which files are new (a process)
def test_a_clean_site_passes_and_says_how_many_files(mini_site: Path, monkeypatch, capsys) -> None:
    code, said = _run(mini_site, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0, said
    assert said == "检查通过：没有发现问题。\n已检查 7 个文件。\n"


@pytest.mark.e2e  # checking everything asks git which files are new (a process)
def test_a_broken_event_is_named_with_its_line_and_fix_and_fails(mini_site: Path, monkeypatch, capsys) -> None:
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace('end: "16:00"', "end: 16:00"), "utf-8")
    code, said = _run(mini_site, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert "content/events/xinbei/2026/liudong-kejiguan.md:4: end: “16:00”被 YAML 读成了数字 960" in said, said
    assert "已检查" not in said and "检查通过" not in said


def test_only_the_named_file_is_checked(mini_site: Path, monkeypatch, capsys) -> None:
    broken = mini_site / "content" / "events" / "taida" / "2026" / "kepu-ri.md"
    broken.write_text(broken.read_text("utf-8").replace("street: taida", "street: tiada"), "utf-8")
    code, said = _run(mini_site, "content/events/xinbei/2026/liudong-kejiguan.md", monkeypatch=monkeypatch,
                      capsys=capsys)
    assert (code, said) == (0, "检查通过：没有发现问题。\n已检查 1 个文件。\n")
    code, said = _run(mini_site, "content/events/taida/2026/kepu-ri.md", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1 and "未知的街镇编号“tiada” — 是否想写“taida”（泰达街道）？" in said, said


def test_a_missing_file_is_named(mini_site: Path, monkeypatch, capsys) -> None:
    code, said = _run(mini_site, "content/events/nope.md", monkeypatch=monkeypatch, capsys=capsys)
    assert (code, said.strip()) == (1, "content/events/nope.md: 文件不存在 — 检查路径是否写对")
