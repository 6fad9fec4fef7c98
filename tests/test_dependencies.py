"""`make site` installs only what building needs: the sample portal builds, and `invoke` runs, with every
test-only package (requirements-test.txt) made unimportable — in the build and in every process it starts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from conftest import ROOT, plugin_env, run_build

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==\S+$")


def pinned(name: str) -> set[str]:
    """Normalised distribution names pinned in a requirements file."""
    lines = (ROOT / name).read_text("utf-8").splitlines()
    return {re.sub(r"[-_.]+", "-", m[1]).lower() for m in map(PIN.match, lines) if m}


def test_requirement_files_are_disjoint_and_building_needs_no_test_tool() -> None:
    runtime, tests = pinned("requirements.txt"), pinned("requirements-test.txt")
    assert not runtime & tests
    assert {"pytest", "playwright", "ruff", "pexpect"} <= tests
    assert {"pelican", "markdown", "pyyaml", "icalendar", "invoke", "pillow"} <= runtime


def test_make_site_installs_only_requirements_txt() -> None:
    make = subprocess.run(["make", "-n", "-B", "site"], cwd=ROOT, capture_output=True, text=True, check=True)
    installs = [line for line in make.stdout.splitlines() if "pip install" in line]
    assert installs and all("requirements-test" not in line for line in installs), make.stdout
    test = subprocess.run(["make", "-n", "-B", "test"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "-r requirements-test.txt" in test.stdout


def _blocker(folder: Path) -> Path:
    """A sitecustomize that makes every test-only package's modules unimportable in any Python started
    with this folder on PYTHONPATH (the build's worker processes included)."""
    tests = pinned("requirements-test.txt")
    modules = sorted(module for module, dists in packages_distributions().items()
                     if any(re.sub(r"[-_.]+", "-", d).lower() in tests for d in dists))
    assert {"pytest", "playwright", "ruff"} <= set(modules)
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(f"""\
import sys
import tomllib
BLOCKED = {set(modules)!r}
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"test-only package imported while building: {{name}}")
        return None
sys.meta_path.insert(0, Blocker())
""", "utf-8")
    return folder


def test_sample_portal_builds_without_test_only_packages(tmp_path: Path) -> None:
    blocker = _blocker(tmp_path / "site")
    env = plugin_env()
    env["PYTHONPATH"] = f"{blocker}:{env['PYTHONPATH']}"
    probe = subprocess.run([sys.executable, "-c", "import pytest"], env=env, capture_output=True, text=True)
    assert "test-only package imported" in probe.stderr  # the blocker really blocks
    invoke = Path(sys.executable).with_name("invoke")
    listing = subprocess.run([str(invoke), "--list"], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert listing.returncode == 0 and "new-event" in listing.stdout, listing.stderr
    output = tmp_path / "output"
    build = run_build(ROOT / "content", output, env=env)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert "test-only package" not in build.stdout + build.stderr
    assert (output / "index.html").is_file() and (output / "search" / "index.json").is_file()
    check = subprocess.run([str(invoke), "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert check.returncode == 0 and "检查通过" in check.stdout, check.stdout + check.stderr


def _requirements(name: str) -> set[str]:
    lines = (ROOT / name).read_text("utf-8").splitlines()
    return {line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()}


def test_the_package_metadata_pins_what_the_requirement_files_pin() -> None:
    """pyproject.toml (pip install .[test]) and requirements*.in (make lock) name the same packages
    at the same versions: installing the project either way gives the same environment."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert set(project["dependencies"]) == _requirements("requirements.in")
    assert set(project["optional-dependencies"]["test"]) == _requirements("requirements-test.in")


def test_make_site_with_an_older_python_says_which_version_it_needs(tmp_path: Path) -> None:
    """On a machine whose python3 is 3.10, make site failed with pip's English refusal of a pinned
    package, and left a .venv that later runs kept using. It says what it needs, in Chinese, before
    making anything."""
    old = tmp_path / "python3.10"
    old.write_text('#!/bin/sh\n[ "$1" = "--version" ] && echo "Python 3.10.13" && exit 0\nexit 1\n', "utf-8")
    old.chmod(0o755)
    for name in ("Makefile", "requirements.txt"):
        shutil.copy2(ROOT / name, tmp_path / name)
    result = subprocess.run(["make", "--no-print-directory", ".venv/.installed", f"PYTHON={old}"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"需要 Python 3.11 或更新的版本，而 {old} 是 Python 3.10.13" in result.stderr
    assert not (tmp_path / ".venv").exists()
