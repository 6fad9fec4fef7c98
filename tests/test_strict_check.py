"""`invoke check --strict`, as the CI templates run it on a change: reminders that almost surely publish
something wrong fail it, named on their line; the same reminders leave a plain check passing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, plugin_env
from kepu.content.problems import STRICT_ADDED, STRICT_ALWAYS, WARNING, Problem, strictly

SAMPLE = ROOT / "content" / "events" / "xinbei" / "2026" / "xinbei-liudong-kejiguan-2026-11.md"


def check(content: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(content), *args],
                          cwd=content.parent, env=plugin_env(), capture_output=True, text=True, timeout=300)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the sample content in a git repository, the way a content repository lives."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "sample"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True)
    return content


def test_event_saved_in_another_streets_folder_fails_only_the_strict_check(site: Path) -> None:
    # A volunteer of 新北 saves their event under 泰达's folder: that folder's reviewers get the request.
    wrong = site / "events" / "taida" / "2026" / SAMPLE.name
    wrong.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(site / "events" / "xinbei" / "2026" / SAMPLE.name, wrong)
    where = f"content/events/taida/2026/{SAMPLE.name}:5"
    plain = check(site)
    assert plain.returncode == 0, plain.stdout
    assert f"{where}: （提醒）street: 文件放在 taida 文件夹，street 却写的是 xinbei" in plain.stdout
    strict = check(site, "--strict")
    assert strict.returncode == 1
    assert f"{where}: street: 文件放在 taida 文件夹，street 却写的是 xinbei" in strict.stdout
    assert "把文件移到 content/events/xinbei/ 下，或改正 street" in strict.stdout
    assert "共 1 个错误" in strict.stdout


def test_a_mistyped_field_name_fails_the_strict_check(site: Path) -> None:
    # "regstration:" loses the whole registration block: 无需报名 would be published.
    text = SAMPLE.read_text("utf-8").replace("registration:", "regstration:")
    (site / "events" / "xinbei" / "2026" / SAMPLE.name).write_text(text, "utf-8")
    line = text.splitlines().index("regstration:") + 1
    strict = check(site, "--strict")
    assert strict.returncode == 1
    assert f"{SAMPLE.name}:{line}: regstration: 未知字段“regstration”，将被忽略 — 是否想写“registration”？" \
        in strict.stdout


def test_unknown_base_branch_is_named_and_fails(site: Path) -> None:
    result = check(site, "--strict", "--base", "origin/mian")
    assert result.returncode == 2
    assert "找不到分支“origin/mian”" in result.stderr and "fetch-depth: 0" in result.stderr


def test_strict_promotes_added_file_problems_only_for_files_the_change_adds() -> None:
    always = Problem("content/events/a.md", 3, "street", "文件夹不对", "", WARNING, STRICT_ALWAYS)
    added = Problem("content/events/b.md", 2, "start", "活动已经结束", "", WARNING, STRICT_ADDED)
    note = Problem("content/events/c.md", 1, "status", "提醒", "", WARNING)
    kept = strictly([always, added, note], added=set())
    assert [p.is_error for p in kept] == [True, False, False]
    assert [p.is_error for p in strictly([always, added, note], added={"content/events/b.md"})] == [True, True, False]
