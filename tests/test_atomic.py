"""A build killed at any moment leaves the published output exactly as it was, and the next build
recovers: staging leftovers are cleaned, broken caches are ignored, concurrent builds wait."""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import queue
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bench.corpus import generate
from conftest import ROOT, SAMPLE_BUILD_DATE, TEST_SITE, plugin_env, run_build
from kepu.engine.output import lock_file, publish, recover, retired_dir, staging_dir

pytestmark = pytest.mark.build

# Enough events for every kind of page (series, streets, campaigns, feeds); kills land exactly
# at a phase's end (KEPU_STOP_AFTER), so no event count has to keep a build busy.
EVENTS = 40


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_args(content: Path, output: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "kepu_pelican.build", "-s", str(ROOT / "pelicanconf.py"),
            "--content", str(content), "-o", str(output), "--build-date", SAMPLE_BUILD_DATE,
            "--cache", str(cache)]


def _lines_of(stream) -> queue.Queue:
    """The stream's lines, as they come, then None at its end (read on a daemon thread)."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _wait_for_line(lines: queue.Queue, text: str, seen: list[str]) -> bool:
    """True once a line containing ``text`` arrives; False at the stream's end. The timeout
    only bounds a hang."""
    while (line := lines.get(timeout=300)) is not None:
        seen.append(line)
        if text in line:
            return True
    return False


def revise(content: Path, target: Path) -> Path:
    """A second version of the corpus: every seventh event renamed, so most listings change."""
    shutil.copytree(content, target)
    for number, path in enumerate(sorted((target / "events").rglob("*.md"))):
        if number % 7 == 0:
            text = path.read_text("utf-8")
            path.write_text(text.replace("\ntitle: ", "\ntitle: 更新·", 1), "utf-8")
    return target


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corpus")
    first = generate(root / "a", EVENTS)
    return {"A": first, "B": revise(first, root / "b" / "content")}


# Each kill lands as one of these phases ends (the build stops itself there, KEPU_STOP_AFTER):
# staging half-written by the pages, feeds, calendars, ... that follow; just before and after
# publishing.
KILL_AFTER = ("preflight", "recycle the spare tree", "events: read and validate", "pages: events",
              "pages: listings and groupings", "feeds: single events", "calendars", "open data",
              "pelican: all generators", "keep unchanged mtimes", "publish")


def build_killed_after(args: list[str], phase: str, log: Path) -> None:
    """Run a build and SIGKILL it exactly as ``phase`` ends. A build that ends without
    reaching the phase fails the test."""
    with log.open("w") as stderr:
        process = subprocess.Popen(args, env=plugin_env(KEPU_STOP_AFTER=phase), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    hang = threading.Timer(300, process.kill)  # only bounds a hang
    hang.start()
    try:
        _, status = os.waitpid(process.pid, os.WUNTRACED)
    finally:
        hang.cancel()
    reached = os.WIFSTOPPED(status)
    if reached:
        process.kill()
        process.wait()
    assert reached, f"the build ended without reaching “{phase}”:\n" + log.read_text("utf-8")


def test_sigkill_at_every_phase_never_shows_a_half_written_site(
        versions: dict[str, Path], tmp_path: Path) -> None:
    result = run_build(versions["B"], tmp_path / "reference-B")  # B built fresh, on its own
    assert result.returncode == 0, result.stderr
    trees = {"B": digest(tmp_path / "reference-B")}
    output, cache = tmp_path / "site" / "output", tmp_path / "site" / "cache"
    env = plugin_env()
    for name in ("A", "B"):  # A cold (its own reference), then B over it
        assert subprocess.run(build_args(versions[name], output, cache), env=env, cwd=ROOT,
                              capture_output=True, timeout=300).returncode == 0
        trees.setdefault(name, digest(output))
    assert trees["A"] != trees["B"]
    current = "B"
    assert digest(output) == trees["B"]  # an incremental build equals a fresh one
    landed = []
    for phase in KILL_AFTER:
        target = "A" if current == "B" else "B"
        build_killed_after(build_args(versions[target], output, cache), phase, tmp_path / "killed.log")
        now = digest(output)
        assert now in (trees[current], trees[target]), f"half-written output after “{phase}”"
        if phase == "publish":
            assert now == trees[target], "killed after publishing, the new site is not there"
        else:
            assert now == trees[current], f"published although killed after “{phase}”"
        state = "A" if now == trees["A"] else "B"
        landed.append((phase, "unchanged" if state == current else "published"))
        current = state
    print("(killed after phase, output):", landed)
    final = "A" if current == "B" else "B"
    result = subprocess.run(build_args(versions[final], output, cache), env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert digest(output) == trees[final]
    assert not staging_dir(output).exists() and not retired_dir(output).exists()
    assert not [p for p in cache.iterdir() if ".partial-" in p.name]


def test_a_broken_cache_is_ignored_not_fatal(mini_site: Path, tmp_path: Path) -> None:
    """Cache files cut short by a killed build, or written by code whose classes are gone: the
    build says it makes them again, and the site equals a cold build's."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert run_build(mini_site / "content", output, extra_args=("--cache", str(cache))).returncode == 0
    expected = digest(output)
    (cache / "parses.pickle").write_bytes(b"")  # EOFError
    renamed_class = b"cgone_module\nThing\n."  # a pickle naming a class that no longer exists
    with pytest.raises(ModuleNotFoundError):
        pickle.loads(renamed_class)
    (cache / "cards.pickle").write_bytes(renamed_class)
    shutil.rmtree(output)
    result = run_build(mini_site / "content", output, extra_args=("--cache", str(cache)))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert digest(output) == expected
    for name, error in (("parses.pickle", "EOFError"), ("cards.pickle", "ModuleNotFoundError")):
        assert f"缓存 {name} 无法读取（{error}），本次重新生成" in result.stderr, result.stderr


@pytest.mark.parametrize("stale", ["parse and validation", "validation"])
def test_a_stale_parse_is_parsed_again(mini_site: Path, tmp_path: Path, stale: str) -> None:
    """One event's cached parse and validation (or its validation only) name a class since
    renamed (its stamp still matches): that file is parsed (or validated) again, the others
    come from the cache, and the site equals a cold build's."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    env = plugin_env(KEPU_TRACE="1")
    assert run_build(mini_site / "content", output, env=env, extra_args=("--cache", str(cache))).returncode == 0
    expected = digest(output)
    data = pickle.loads((cache / "parses.pickle").read_bytes())
    blobs = cache / data["data"]
    kept, renamed = blobs.read_bytes(), b"cgone_module\nThing\n."
    blobs.write_bytes(kept + renamed)
    entry = data["index"][sorted(data["index"])[0]]
    span = (entry[1][0], len(kept), len(renamed))
    if stale == "parse and validation":
        entry[1] = span
    entry[2] = entry[2]._replace(span=span)
    (cache / "parses.pickle").write_bytes(pickle.dumps(data))
    shutil.rmtree(output)
    result = run_build(mini_site / "content", output, env=env, extra_args=("--cache", str(cache)))
    assert result.returncode == 0, result.stderr
    found = re.search(r"\[trace\] events: (\d+) of (\d+) parses from the cache", result.stderr)
    assert found and int(found[1]) == int(found[2]) - (stale == "parse and validation"), result.stderr
    assert digest(output) == expected


def test_the_cache_is_actually_reused(mini_site: Path, tmp_path: Path) -> None:
    """A second build parses no event again; after one edit, exactly that one. The build says
    how many parses came from its cache (a KEPU_TRACE line)."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    content = mini_site / "content"

    def parses_from_cache() -> tuple[int, int]:
        result = run_build(content, output, env=plugin_env(KEPU_TRACE="1"), extra_args=("--cache", str(cache)))
        assert result.returncode == 0, result.stderr
        found = re.search(r"\[trace\] events: (\d+) of (\d+) parses from the cache", result.stderr)
        assert found, result.stderr
        return int(found[1]), int(found[2])

    def kept() -> set[str]:  # the parse cache's data file is named anew each time it changes
        return {re.sub(r"^parses-[0-9a-f]{16}\.data$", "parses-….data", p.name) for p in cache.iterdir()}

    hits, total = parses_from_cache()
    assert total >= 2 and hits == 0
    before = kept()
    assert {"parses.pickle", "parses-….data"} <= before
    assert parses_from_cache() == (total, total)
    edited = sorted((content / "events").rglob("*.md"))[0]
    edited.write_text(edited.read_text("utf-8") + "\n补充：请提前十分钟到场。\n", "utf-8")
    assert parses_from_cache() == (total - 1, total)
    assert kept() == before  # nothing dropped, nothing left over
    assert len(list(cache.glob("parses-*.data"))) == 1


def test_compiled_templates_are_shared_by_the_builds_of_two_sites(mini_site: Path, tmp_path: Path) -> None:
    """With KEPU_TEMPLATE_CACHE (a CI runner's folder, the test suite's), the first build of a
    second site compiles no template again: Jinja rewrites an entry only when it had to compile
    it. The sites' own cache folders hold no compiled template."""
    shared = tmp_path / "templates"
    env = plugin_env(KEPU_TEMPLATE_CACHE=str(shared))
    other = tmp_path / "other"
    shutil.copytree(mini_site, other)
    first = run_build(mini_site / "content", tmp_path / "a" / "output", env=env)
    assert first.returncode == 0, first.stderr
    entries = {p: p.stat().st_mtime_ns for p in shared.rglob("*.cache")}
    assert len(entries) >= 20  # the theme's templates, each compiled once
    second = run_build(other / "content", tmp_path / "b" / "output", env=env)
    assert second.returncode == 0, second.stderr
    assert {p: p.stat().st_mtime_ns for p in shared.rglob("*.cache")} == entries
    assert not [p for p in tmp_path.glob("[ab]/.cache-output/templates-*")]


def test_after_the_generator_changes_one_build_parses_again_and_the_next_none(mini_site: Path,
                                                                            tmp_path: Path) -> None:
    """Cached parses are tied to the code that made them: after an update of the generator the
    next build parses every event again, and keeps those parses: the build after it parses none
    (it used to parse every unchanged file again on every build, for good)."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    content = mini_site / "content"
    updated = tmp_path / "generator"  # the generator after a `git pull`: one module changed
    for part in ("plugins", "theme"):
        shutil.copytree(ROOT / part, updated / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pelicanconf.py", updated / "pelicanconf.py")
    dates = updated / "plugins" / "kepu" / "content" / "dates.py"
    dates.write_text(dates.read_text("utf-8") + "\n# updated\n", "utf-8")

    def parses_from_cache(code: Path) -> tuple[int, int]:
        env = plugin_env(KEPU_TRACE="1", PYTHONPATH=str(code / "plugins"))
        result = run_build(content, output, settings=code / "pelicanconf.py", env=env, extra_args=("--cache", str(cache)))
        assert result.returncode == 0, result.stderr
        found = re.search(r"\[trace\] events: (\d+) of (\d+) parses from the cache", result.stderr)
        assert found, result.stderr
        return int(found[1]), int(found[2])

    _, total = parses_from_cache(ROOT)
    assert parses_from_cache(ROOT) == (total, total) and total >= 2
    assert parses_from_cache(updated) == (0, total)
    assert parses_from_cache(updated) == (total, total)


def test_a_second_build_waits_for_the_first_and_a_build_of_the_folder_beside_it_does_not(tmp_path: Path) -> None:
    """Two builds into one folder would share the staging folder: the second one waits. A build of
    another folder beside it used to wait too, saying that a build was writing its own folder.

    The test holds the lock itself and waits for the build to say it is waiting (no sleep);
    while the lock is held the build can neither finish nor write the output."""
    output = tmp_path / "output"
    descriptor = os.open(lock_file(output), os.O_RDWR | os.O_CREAT)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    process = subprocess.Popen(build_args(TEST_SITE / "content", output, tmp_path / "cache"),
                               env=plugin_env(), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    try:
        lines = _lines_of(process.stderr)
        assert _wait_for_line(lines, "另一个构建正在写入", seen), "".join(seen)
        assert process.poll() is None
        assert not output.exists()
        beside = run_build(TEST_SITE / "content", tmp_path / "public")
        assert beside.returncode == 0 and "另一个构建" not in beside.stderr, beside.stderr
        assert process.poll() is None and not output.exists()
    finally:
        os.close(descriptor)
    assert process.wait(timeout=300) == 0, "".join(seen)
    assert (output / "index.html").is_file()


def test_leftovers_of_a_killed_build_are_cleaned(mini_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert run_build(mini_site / "content", output).returncode == 0
    expected = digest(output)
    staging = staging_dir(output)
    (staging / "events").mkdir(parents=True)
    (staging / "events" / "half.html").write_text("<p>半", "utf-8")
    # The fallback publish killed between its two renames: no output, the previous one aside.
    os.rename(output, retired_dir(output))
    assert run_build(mini_site / "content", output).returncode == 0
    assert digest(output) == expected
    assert not staging.exists() and not retired_dir(output).exists()


def test_an_output_folder_holding_other_files_is_refused_and_left_as_it_was(mini_site: Path, tmp_path: Path) -> None:
    """``invoke publish --output scratch`` swapped a folder of the maintainer's own files for the
    site, and the next build deleted them: only an empty folder, or one a build made, is replaced."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "important.txt").write_text("重要", "utf-8")
    built = run_build(mini_site / "content", scratch)
    said = built.stdout + built.stderr
    assert built.returncode == 1 and f"输出文件夹 {scratch}/ 里已经有不是构建出来的文件（例如 important.txt）" in said, said
    assert [p.name for p in scratch.iterdir()] == ["important.txt"]
    assert {p.name for p in tmp_path.glob(".scratch.*")} <= {lock_file(scratch).name}  # nothing staged or set aside
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_build(mini_site / "content", empty).returncode == 0
    assert run_build(mini_site / "content", empty).returncode == 0, "a folder a build made is replaced again"


@pytest.mark.parametrize("where", [".", "content", "content/site"])
def test_an_output_folder_that_holds_or_sits_in_the_content_is_refused(mini_site: Path, where: str) -> None:
    """Output set to the folder above the content (the project folder) moved the content aside with
    the old site, and the next build removed it; output inside the content is read back as content."""
    output = mini_site / where
    before = digest(mini_site)
    built = run_build(mini_site / "content", output)
    said = built.stdout + built.stderr
    assert built.returncode == 1 and "内容文件夹" in said and "--output" in said, said
    assert digest(mini_site) == before
    assert not (mini_site / "content" / "site").exists()


@pytest.mark.parametrize("kept", [".out.building", ".out.spare", ".out.previous"])
def test_content_in_a_folder_the_build_keeps_beside_its_output_is_refused(mini_site: Path, tmp_path: Path,
                                                                          kept: str) -> None:
    """The build deletes its staging folder before it starts, and swaps or removes the spare and
    the previous build as wholes: content kept in one of them (--content .out.building -o out)
    was deleted, and the build went on to say the registries were missing."""
    content = tmp_path / kept
    shutil.copytree(mini_site / "content", content)
    before = digest(content)
    built = run_build(content, tmp_path / "out")
    said = built.stdout + built.stderr
    assert built.returncode == 1 and f"内容文件夹 {content}/ 在构建放在输出旁边的临时文件夹 {content}/ 里" in said, said
    assert digest(content) == before and not (tmp_path / "out").exists()


def test_recover_and_publish_without_renameat2(tmp_path: Path, monkeypatch) -> None:
    from kepu.engine import output as output_module

    output, staged = tmp_path / "output", tmp_path / ".output.building"
    output.mkdir()
    (output / "old.html").write_text("旧", "utf-8")
    os.rename(output, retired_dir(output))
    recover(output)
    assert (output / "old.html").read_text("utf-8") == "旧"
    staged.mkdir()
    (staged / "new.html").write_text("新", "utf-8")
    monkeypatch.setattr(output_module, "_exchange", lambda a, b: False)
    publish(staged, output)
    assert [p.name for p in output.iterdir()] == ["new.html"]
    assert not staged.exists() and not retired_dir(output).exists()


def test_renameat2_exchange_is_used_here(tmp_path: Path) -> None:
    """On this machine the swap is one atomic system call, not the two-rename fallback."""
    from kepu.engine.output import _exchange

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", "utf-8")
    assert _exchange(a, b)
    assert (b / "x").read_text("utf-8") == "a"


def test_the_writer_never_writes_through_a_hard_link(tmp_path: Path) -> None:
    """Unchanged pages may be hard-linked from the published build; rewriting one must not
    change the published copy."""
    from jinja2 import Environment
    from pelican.settings import DEFAULT_CONFIG

    from kepu_pelican.engine.writer import EngineWriter

    output = tmp_path / "output"
    output.mkdir()
    published, staged = tmp_path / "published.html", output / "page.html"
    published.write_text("已发布", "utf-8")
    os.link(published, staged)
    writer = EngineWriter(str(output), settings={**DEFAULT_CONFIG, "THEME": str(ROOT / "theme")})
    writer.write_file("page.html", Environment().from_string("新的"), {})
    assert published.read_text("utf-8") == "已发布"
    assert staged.read_text("utf-8") == "新的"


def test_a_page_and_a_site_file_for_one_path_are_refused_whichever_comes_first(tmp_path: Path) -> None:
    """A page named admin.md and the web editor's admin/index.html: the page writer and the
    writer of the site's own files share one build, so the second of the two is refused (it
    silently replaced the first)."""
    from jinja2 import Environment
    from pelican.settings import DEFAULT_CONFIG
    from pelican.writers import FileOverwriteFailedError

    from kepu_pelican.engine.output import finish_reuse, start_reuse
    from kepu_pelican.engine.writer import EngineWriter
    from kepu_pelican.writing import ByteWriter, OutputClash

    settings = {**DEFAULT_CONFIG, "THEME": str(ROOT / "theme"), "CACHE_PATH": str(tmp_path / "cache")}
    for first in ("site file", "page"):
        output = tmp_path / first.replace(" ", "-")
        output.mkdir()
        try:
            pages = EngineWriter(str(output), settings=settings)
            files = ByteWriter(str(output), start_reuse(str(output), settings))
            if first == "page":
                pages.write_file("admin/index.html", Environment().from_string("志愿者的页面"), {})
                with pytest.raises(OutputClash) as clash:
                    files.write("admin/index.html", b"<!doctype html>editor")
                assert clash.value.relative == "admin/index.html"
                assert (output / "admin" / "index.html").read_text("utf-8") == "志愿者的页面"
            else:
                files.write("admin/index.html", b"editor")
                with pytest.raises(FileOverwriteFailedError):
                    pages.write_file("admin/index.html", Environment().from_string("志愿者的页面"), {})
                assert (output / "admin" / "index.html").read_bytes() == b"editor"
        finally:
            finish_reuse(str(output))
