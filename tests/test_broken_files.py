"""Real mistakes volunteers make, one file each: `invoke check FILE` gives the documented message."""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT, plugin_env

BROKEN = ROOT / "tests" / "test_data" / "broken"
GUIDE = ROOT / "docs" / "editor-guide.md"
PASSED = "检查通过：没有发现问题。"
_ROW = re.compile(r"^\| (?P<what>[^|]+) \| \[(?P<name>[^\]]+)\]\([^)]+\) \| (?P<output>.+) \|$")


def documented() -> dict[str, list[str]]:
    """File name → the exact lines the guide's table promises (section 常见错误与提示)."""
    section = GUIDE.read_text("utf-8").split("## 五、常见错误与提示", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = _ROW.match(line)
        if match:
            rows[match["name"]] = re.findall(r"`([^`]+)`", match["output"])
    return rows


def broken_files() -> list[str]:
    return sorted(p.name for p in BROKEN.glob("*.md"))


def invoke_check(name: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "invoke", "check", f"tests/test_data/broken/{name}"]
    return subprocess.run(args, cwd=ROOT, env=plugin_env(), capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def results() -> dict[str, subprocess.CompletedProcess]:
    """Every broken file checked once, two at a time (the machine has two cores)."""
    names = broken_files()
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(names, pool.map(invoke_check, names), strict=True))


def test_there_are_at_least_25_realistic_mistakes_each_documented() -> None:
    files, rows = broken_files(), documented()
    assert len([f for f in files if rows.get(f) != [PASSED]]) >= 25
    assert sorted(rows) == files


@pytest.mark.parametrize("name", broken_files())
def test_each_file_gets_the_documented_message(name: str, results) -> None:
    result, expected = results[name], documented()[name]
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    problems = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]
    if expected == [PASSED]:
        assert problems == []
        assert PASSED in result.stdout
        assert result.returncode == 0
        return
    assert problems == expected
    assert f"▶ tests/test_data/broken/{name}" in result.stdout
    warning_only = all("（提醒）" in line for line in expected)
    assert result.returncode == (0 if warning_only else 1), output


def test_bom_and_windows_line_endings_are_really_in_the_files() -> None:
    assert (BROKEN / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf---")
    data = (BROKEN / "windows-line-endings.md").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 10
