"""The test tiers: a test is e2e as soon as it, a helper or a fixture of the suite reaches a process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tiers
from conftest import ROOT, run_build


def _builds(tmp: Path) -> None:
    run_build(tmp / "content", tmp / "output")


def _through_a_helper(tmp: Path) -> None:
    _builds(tmp)


def _runs_a_tool() -> None:
    subprocess.run(["true"], check=True)


def _imports_the_browser() -> None:
    from playwright.sync_api import sync_playwright  # noqa: F401


def _pure() -> int:
    return len(sorted([3, 1, 2]))


def _runs_pelican() -> None:
    from pelican import Pelican

    Pelican({})


def _tier(func) -> set[str]:
    return tiers.reach(func, set())


@pytest.mark.unit  # names the helpers above without calling them
def test_what_builds_or_starts_a_process_is_end_to_end() -> None:
    assert _tier(_builds) == {"e2e"}
    assert _tier(_through_a_helper) == {"e2e"}
    assert _tier(_runs_a_tool) == {"e2e"}
    assert _tier(_imports_the_browser) == {"e2e"}


@pytest.mark.unit
def test_pure_code_is_unit_and_in_process_pelican_is_plugin() -> None:
    assert _tier(_pure) == set()
    assert _tier(_runs_pelican) == {"plugin"}


def test_a_unit_test_that_starts_a_process_fails_and_names_it(tmp_path: Path) -> None:
    """The guard: a test guessed to be unit that runs a tool anyway fails with the reason."""
    (tmp_path / "test_sneaky.py").write_text(
        "import os\n\ndef test_sneaky():\n    os.system('true')\n", "utf-8")
    for name in ("conftest.py", "tiers.py", "warmbuilds.py"):
        shutil.copy(ROOT / "tests" / name, tmp_path)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "unit",
                             "-c", "/dev/null", "--rootdir", str(tmp_path), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout
    assert "marked unit but started a process (mark it e2e): os.system" in result.stdout
