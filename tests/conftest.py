"""Shared fixtures: the mini test site, subprocess builds and checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tiers

ROOT = Path(__file__).resolve().parents[1]
TEST_SITE = ROOT / "tests" / "test_data" / "site"
SAMPLE_BUILD_DATE = "2026-12-01"


def require(available: bool, what: str) -> None:
    """Skip a test whose tool is missing on a developer machine; in CI that is a failure."""
    if available:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must not skip: missing {what}")
    pytest.skip(f"missing {what}")


def plugin_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])
    env.update(extra)
    return env


def run_build(content: Path, output: Path, build_date: str = SAMPLE_BUILD_DATE,
              settings: Path = ROOT / "pelicanconf.py", env: dict | None = None,
              timeout: int = 600, extra_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """A full build in a fresh interpreter (Pelican's signals are process-global)."""
    args = [sys.executable, "-m", "kepu_pelican.build", "-s", str(settings),
            "--content", str(content), "-o", str(output), "--build-date", build_date, *extra_args]
    if "--cache" not in extra_args:  # builds in tests never share (or race on) a cache
        args += ["--cache", str(output.parent / f".cache-{output.name}")]
    return subprocess.run(args, cwd=ROOT, env=env or plugin_env(), capture_output=True,
                          text=True, timeout=timeout)


def run_check(*files: Path, content: Path, cwd: Path) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "kepu.editor.check", "--content", str(content), *map(str, files)]
    return subprocess.run(args, cwd=cwd, env=plugin_env(), capture_output=True, text=True,
                          timeout=120)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    require(CHROMIUM.exists(), "Debian's chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def serve_directory(directory: Path):
    """Serve ``directory`` on a free port in a thread; returns (server, base URL)."""
    import threading

    from kepu.editor.server import serve

    server = serve(directory, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def mini_site(tmp_path: Path) -> Path:
    """A writable copy of tests/test_data/site; returns the site folder (content/ inside)."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    return site


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real sample portal, built once for the session with a fixed build date."""
    out = tmp_path_factory.mktemp("sample") / "output"
    result = run_build(ROOT / "content", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory):
    """The sample portal built for, and served at, its own address (canonical URLs match)."""
    output = tmp_path_factory.mktemp("public") / "output"
    server, base = serve_directory(output)
    result = run_build(ROOT / "content", output, extra_args=("--siteurl", base))
    assert result.returncode == 0, result.stderr
    yield output, base
    server.shutdown()


# Test tiers (tests/tiers.py): each test marked unit, plugin or e2e; a unit test may start no process.
def pytest_configure(config: pytest.Config) -> None:
    tiers.configure()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tiers.mark(items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    return (yield from tiers.watch(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    return (yield from tiers.watch(item))
