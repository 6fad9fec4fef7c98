"""Shared fixtures: the mini test site, subprocess builds and checks."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

import tiers
from warmbuilds import run as run_warm

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


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` by its relative path: what two builds are compared by."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_build(content: Path, output: Path, build_date: str = SAMPLE_BUILD_DATE,
              settings: Path = ROOT / "pelicanconf.py", env: dict | None = None,
              timeout: int = 600, extra_args: tuple[str, ...] = (), fresh: bool = False,
              ) -> subprocess.CompletedProcess:
    """A full build in a process of its own (Pelican's signals are process-global): forked from
    a process that imported the build once, or a fresh interpreter for another environment
    (tests/warmbuilds.py). ``fresh``: a new interpreter whatever the environment, for a reference
    that shares nothing with other builds."""
    args = [sys.executable, "-m", "kepu_pelican.build", "-s", str(settings),
            "--content", str(content), "-o", str(output), "--build-date", build_date, *extra_args]
    if "--cache" not in extra_args:  # builds in tests never share (or race on) a cache
        args += ["--cache", str(output.parent / f".cache-{output.name}")]
    env = env or plugin_env()
    if fresh:
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    return run_warm(args, ROOT, env, plugin_env(), timeout)


def run_check(*files: Path, content: Path, cwd: Path, strict: bool = False) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "kepu.editor.check", "--content", str(content), *map(str, files),
            *(["--strict"] if strict else [])]
    return run_warm(args, cwd, plugin_env(), plugin_env(), 120)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"


# "Now" is an input for the browser too: every page opens on the sample's build morning, its
# clock running, unless the test sets another moment. A page on the machine's own clock would
# see the sample's sessions end one by one as the calendar moves on, and a test pass or fail by
# the day it runs.
SAMPLE_MORNING = datetime.fromisoformat(f"{SAMPLE_BUILD_DATE}T10:00:00+08:00")


class ClockedBrowser:
    """A Playwright browser whose new pages and contexts start at ``SAMPLE_MORNING``."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def __getattr__(self, name: str):
        return getattr(self._browser, name)

    @staticmethod
    def _set(clock) -> None:
        clock.install(time=SAMPLE_MORNING)
        clock.resume()

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        self._set(page.clock)
        return page

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        self._set(context.clock)
        return context


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), on the sample's clock."""
    require(CHROMIUM.exists(), "Debian's chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield ClockedBrowser(instance)
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


@pytest.fixture
def mini_repository(mini_site: Path) -> Path:
    """The mini site as published content is: a git repository with everything committed (a
    publish refuses a copy without history: its calendars could not say what changed)."""
    people = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn", "GIT_COMMITTER_NAME": "t",
              "GIT_COMMITTER_EMAIL": "t@example.cn", "GIT_AUTHOR_DATE": "2026-10-01T10:00:00+08:00",
              "GIT_COMMITTER_DATE": "2026-10-01T10:00:00+08:00"}
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-qm", "add events")):
        subprocess.run(["git", "-C", str(mini_site), *args], check=True, capture_output=True,
                       env=plugin_env(**people))
    return mini_site


# Environments a volunteer's laptop or a CI image may well set (only C.utf8 exists on this machine): a
# build must neither fail on them nor let them leak into the output (tests/test_determinism.py).
ENVIRONMENTS = {
    "new-york-c-utf8": {"PYTHONHASHSEED": "1", "TZ": "America/New_York", "LC_ALL": "C.UTF-8",
                        "LANG": "C.UTF-8"},
    "shanghai-missing-zh-locale": {"PYTHONHASHSEED": "2", "TZ": "Asia/Shanghai",
                                   "LANG": "zh_CN.GB18030", "LC_TIME": "zh_CN.UTF-8"},
    "kiritimati-posix": {"PYTHONHASHSEED": "random", "TZ": "Pacific/Kiritimati", "LC_ALL": "POSIX",
                         "LANGUAGE": "fr_FR"},
}
LOCALE_VARIABLES = ("LC_ALL", "LC_CTYPE", "LC_TIME", "LC_COLLATE", "LC_MESSAGES", "LANG", "LANGUAGE")


def environment(overrides: dict[str, str]) -> dict[str, str]:
    """This machine's build environment with the locale, time zone and hash seed of ``overrides``."""
    env = plugin_env()
    for name in LOCALE_VARIABLES:
        env.pop(name, None)
    env.pop("KEPU_BUILD_DATE", None)
    env.update(overrides)
    return env


@dataclass(frozen=True)
class Built:
    output: Path
    result: subprocess.CompletedProcess


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               make: Callable[[Path], subprocess.CompletedProcess]) -> Built:
    """A build made once for the whole session, whichever xdist worker asks first (the others
    wait on a lock, then read the same output and result). ``make`` builds into ``folder/output``."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder, record = root / f"shared-{name}", root / f"shared-{name}.json"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            folder.mkdir()
            result = make(folder)
            record.write_text(json.dumps([result.args, result.returncode, result.stdout, result.stderr]), "utf-8")
        args, returncode, stdout, stderr = json.loads(record.read_text("utf-8"))
    return Built(folder / "output", subprocess.CompletedProcess(args, returncode, stdout, stderr))


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory: pytest.TempPathFactory):
    """The real sample portal built with the sample build date, at most once per session in each
    environment ("default": this machine's; or a name in ENVIRONMENTS), shared by every test that
    only reads it."""
    built: dict[str, Built] = {}

    def build(name: str = "default") -> Built:
        if name not in built:
            env = plugin_env() if name == "default" else environment(ENVIRONMENTS[name])
            built[name] = built_once(tmp_path_factory, f"sample-{name}",
                                     lambda folder: run_build(ROOT / "content", folder / "output", env=env))
        return built[name]

    return build


@pytest.fixture(scope="session")
def sample_output(sample_builds) -> Path:
    """The real sample portal, built once for the session with a fixed build date."""
    built = sample_builds()
    assert built.result.returncode == 0, built.result.stderr
    return built.output


def _build_mini_site(folder: Path) -> subprocess.CompletedProcess:
    shutil.copytree(TEST_SITE, folder / "site")
    return run_build(folder / "site" / "content", folder / "output")


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/test_data/site as it is, built once for the session (for tests that only read the output)."""
    return built_once(tmp_path_factory, "mini", _build_mini_site)


@pytest.fixture(scope="session")
def mini_output(mini_build: Built) -> Path:
    assert mini_build.result.returncode == 0, mini_build.result.stderr
    return mini_build.output


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
    one_template_cache_per_session(config)


def one_template_cache_per_session(config: pytest.Config) -> None:
    """Every build of the session, on any xdist worker, shares one folder of compiled templates
    (pelicanconf.KEPU_TEMPLATE_CACHE): compiling the theme is a fixed cost of each of the
    suite's hundreds of builds. Each entry is checked against its template's source and named
    after the plugins' code, so a test that changes either still gets it compiled again. The
    controller makes the folder; workers inherit the variable."""
    if os.environ.get("KEPU_TEMPLATE_CACHE"):
        return
    os.environ["KEPU_TEMPLATE_CACHE"] = folder = tempfile.mkdtemp(prefix="kepu-templates-")
    config.add_cleanup(lambda: (shutil.rmtree(folder, ignore_errors=True),
                                os.environ.pop("KEPU_TEMPLATE_CACHE", None)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tiers.mark(items)
    tiers.order_files(items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    return (yield from tiers.watch(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    return (yield from tiers.watch(item))


def site_config(content: Path, root: Path | None = None):
    """The project's settings (pelicanconf.py) for another content folder, paths shown from ``root``
    (its parent by default): what the tools work with for that site."""
    from dataclasses import replace

    from kepu.config import content_overrides, load

    config = load(ROOT / "pelicanconf.py", content_overrides(content))
    return replace(config, layout=replace(config.layout, root=root or content.parent))
