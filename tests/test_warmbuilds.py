"""The tests' forked builds and checks (tests/warmbuilds.py) are what a fresh interpreter makes:
the same files, the same messages and the same exit status, for a site that builds and one refused."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import warmbuilds
from conftest import plugin_env, run_build, tree

pytestmark = pytest.mark.build


def both(content: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    forked = run_build(content, tmp_path / "forked" / "output")
    fresh = run_build(content, tmp_path / "fresh" / "output", fresh=True)
    return forked, fresh


def shown(text: str, tmp_path: Path) -> str:
    """Messages with the two builds' own folders and timings made alike."""
    text = text.replace(str(tmp_path / "forked"), "…").replace(str(tmp_path / "fresh"), "…")
    return re.sub(r"[\d.]+ (秒|seconds)", r"… \1", text)


def test_a_forked_build_equals_a_fresh_one(mini_site: Path, tmp_path: Path) -> None:
    forked, fresh = both(mini_site / "content", tmp_path)
    assert forked.returncode == fresh.returncode == 0, (forked.stderr, fresh.stderr)
    assert tree(tmp_path / "forked" / "output") == tree(tmp_path / "fresh" / "output")
    assert shown(forked.stdout, tmp_path) == shown(fresh.stdout, tmp_path)
    assert forked.stderr == fresh.stderr == ""


def test_a_refused_build_says_the_same_when_forked(mini_site: Path, tmp_path: Path) -> None:
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace("start: 2026-12-05 09:00", "start: 2026-11-31"), "utf-8")
    forked, fresh = both(mini_site / "content", tmp_path)
    assert forked.returncode == fresh.returncode == 1
    assert "11 月没有 31 日" in forked.stderr
    assert shown(forked.stderr, tmp_path) == shown(fresh.stderr, tmp_path)
    assert shown(forked.stdout, tmp_path) == shown(fresh.stdout, tmp_path)
    check = [sys.executable, "-m", "kepu.editor.check", "--content", str(mini_site / "content")]
    forked = warmbuilds.run(check, mini_site, plugin_env(), plugin_env(), 120)
    fresh = subprocess.run(check, cwd=mini_site, env=plugin_env(), capture_output=True, text=True, timeout=120)
    assert forked.returncode == fresh.returncode == 1
    assert "11 月没有 31 日" in forked.stdout + forked.stderr
    assert (forked.stdout, forked.stderr) == (fresh.stdout, fresh.stderr)


def test_only_the_tests_own_environment_is_forked(mini_site: Path, tmp_path: Path, monkeypatch) -> None:
    """The hash seed, locale, time zone and module path are fixed when an interpreter starts: a
    build in another environment never comes from a server."""
    asked = []
    monkeypatch.setattr(warmbuilds, "_take", lambda env, cwd: asked.append(env))  # None: run it fresh
    content = mini_site / "content"
    assert run_build(content, tmp_path / "seed" / "output", env=plugin_env(PYTHONHASHSEED="1")).returncode == 0
    assert run_build(content, tmp_path / "tz" / "output", env=plugin_env(TZ="America/New_York")).returncode == 0
    assert asked == []
    assert run_build(content, tmp_path / "own" / "output").returncode == 0
    assert len(asked) == 1
