"""Incremental builds: whatever was reused from the previous build, the result must be
byte-for-byte what a cold build of the same content makes."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, plugin_env, run_build, tree

pytestmark = pytest.mark.build


def cold(site: Path, tmp_path: Path, name: str, build_date: str = "2026-12-01") -> dict[str, bytes]:
    output = tmp_path / name
    shutil.rmtree(output, ignore_errors=True)
    result = run_build(site / "content", output, build_date=build_date,
                       extra_args=("--cache", str(tmp_path / f"cache-{name}")))
    assert result.returncode == 0, result.stderr
    return tree(output)


def warm(site: Path, output: Path, cache: Path, build_date: str = "2026-12-01") -> None:
    result = run_build(site / "content", output, build_date=build_date, extra_args=("--cache", str(cache)))
    assert result.returncode == 0, result.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize("change", ["event", "moved", "moved-past", "registry", "article", "build-date", "new-event"])
def test_warm_build_equals_cold_build(mini_site: Path, tmp_path: Path, change: str) -> None:
    output, cache = tmp_path / "warm", tmp_path / "warm-cache"
    warm(mini_site, output, cache)
    untouched = output / "events" / "kexue-huiketing-xianshang" / "index.html"
    before = untouched.stat().st_ino
    warm(mini_site, output, cache)  # the first build becomes the spare: the next one recycles it
    events = mini_site / "content" / "events"
    build_date = "2026-12-01"
    if change == "event":
        edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "09:00", "10:00")
        edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "流动科技馆进社区", "流动科技馆来了")
    elif change == "moved":  # to another street, category and audience: their pages and figures change
        edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "street: xinbei", "street: taida")
        edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "[kexue-shiyan]", "[keji-xiaxiang]")
        edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "[qinzi, shequ-jumin]", "[laonianren]")
    elif change == "moved-past":  # only the other pages' counts of past events change
        edit(events / "taida" / "2026" / "kepu-ri.md", "[kexue-shiyan]", "[keji-xiaxiang]")
        edit(events / "taida" / "2026" / "kepu-ri.md", "[shequ-jumin]", "[laonianren]")
    elif change == "registry":
        edit(mini_site / "content" / "data" / "streets.yml", "新北街道", "新北街")
    elif change == "article":
        edit(mini_site / "content" / "articles" / "kepu-ri-baodao.md", "科普日集市圆满举办", "科普日集市办得好")
    elif change == "build-date":
        build_date = "2026-12-20"
    else:
        # Next year's edition (the same title, start and street twice would be refused as a duplicate).
        copy = events / "taida" / "2026" / "kejizhou-2.md"
        shutil.copy(events / "taida" / "2026" / "kejizhou.md", copy)
        edit(copy, "start: 2026-12-14", "start: 2027-05-17")
        edit(copy, "end: 2026-12-16", "end: 2027-05-19")
    warm(mini_site, output, cache, build_date)
    assert tree(output) == cold(mini_site, tmp_path, "cold", build_date)
    reused = untouched.stat().st_ino == before
    # A taida event's page reads nothing the edits change (a xinbei street's name included),
    # except the build date, which every page is made for.
    assert reused is (change != "build-date"), change


def test_unchanged_event_outputs_are_linked_not_rendered(mini_site: Path, tmp_path: Path) -> None:
    output, cache = tmp_path / "out", tmp_path / "cache"
    warm(mini_site, output, cache)
    inodes = {p: p.stat().st_ino for p in output.rglob("*") if p.is_file()}
    edit(mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md", "09:00", "10:00")
    warm(mini_site, output, cache)
    kept = {p.relative_to(output).as_posix() for p, inode in inodes.items() if p.exists() and p.stat().st_ino == inode}
    assert "events/kepu-ri/index.html" in kept and "events/kepu-ri.ics" in kept
    assert "events/liudong-kejiguan/index.html" not in kept and "events/liudong-kejiguan.ics" not in kept


def test_the_manifest_is_kept_in_the_cache_not_deployed(mini_site: Path, tmp_path: Path) -> None:
    """What the engine remembers of a build (every file's fingerprint, every page's recorded
    reads: megabytes for a large site) is not uploaded with the site; the output names it by
    digest. Without it (the cache deleted) nothing is reused and the site is still right."""
    output, cache = tmp_path / "out", tmp_path / "cache"
    warm(mini_site, output, cache)
    hidden = sorted(p.relative_to(output).as_posix() for p in output.rglob(".*"))
    assert hidden == [".kepu-build"]
    assert len((output / ".kepu-build").read_bytes()) <= 64
    assert any((cache / "builds").glob("*.pickle"))
    page = output / "events" / "kepu-ri" / "index.html"
    before = page.stat().st_ino
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    edit(event, "09:00", "10:00")
    warm(mini_site, output, cache)
    assert page.stat().st_ino == before  # reused through the manifest in the cache
    shutil.rmtree(cache / "builds")
    before = page.stat().st_ino
    edit(event, "10:00", "10:30")
    warm(mini_site, output, cache)
    assert page.stat().st_ino != before  # nothing to compare with: made again
    assert tree(output) == cold(mini_site, tmp_path, "cold")


def test_pages_written_on_several_cores_equal_one_core(tmp_path: Path) -> None:
    """Events parsed, pages and feeds written by forked processes, and the one-process outputs
    (the search index, open data, statistics, notice sheets) made in the background while the build goes
    on: the same bytes as one process makes, and a second build reuses every file, the ones the
    background processes wrote included. The threshold is lowered so that a small corpus is
    spread too (the build says so)."""
    subprocess.run([sys.executable, "-m", "bench.corpus", str(tmp_path / "corpus"), "--events", "60",
                    "--seed", "4"], cwd=ROOT, check=True, env=plugin_env(), capture_output=True)
    content = tmp_path / "corpus" / "content"
    trees = []
    for workers in ("1", "2"):
        output = tmp_path / f"out-{workers}"
        result = run_build(content, output, env=plugin_env(KEPU_WORKERS=workers, KEPU_PARALLEL_MIN_EVENTS="8",
                                                            KEPU_TRACE="1"))
        assert result.returncode == 0, result.stderr
        spread = re.findall(r"\[trace\] parallel: (\d+) items over (\d+) processes", result.stderr)
        background = re.findall(r"\[trace\] background: (.+)", result.stderr)
        if workers == "1":
            assert not spread and not background
        else:  # event pages and their .ics at least (and listings, calendars)
            assert len([n for n, w in spread if int(n) >= 60 and w == "2"]) >= 2, result.stderr
            assert set(background) == {"search index", "open data", "statistics", "notice sheets"}, result.stderr
        cards = pickle.loads((output.parent / f".cache-{output.name}" / "cards.pickle").read_bytes())
        assert len(cards) == 60  # every card kept for the next build, whichever process rendered it
        trees.append(tree(output))
        again = run_build(content, output, env=plugin_env(KEPU_WORKERS=workers, KEPU_PARALLEL_MIN_EVENTS="8",
                                                           KEPU_TRACE="1"))
        assert again.returncode == 0, again.stderr
        files = re.search(r"共 (\d+) 个文件（(\d+) 个未变化）", again.stdout + again.stderr)
        assert files is not None and files[1] == files[2], again.stderr
        if workers == "2":  # the cards were rendered on both cores; unchanged, they are checked in one
            assert _spread_while("pages: cards", result.stderr) == 2, result.stderr
            assert _spread_while("pages: cards", again.stderr) == 0, again.stderr
    assert trees[0] == trees[1]


def _spread_while(phase: str, trace: str) -> int:
    """How many jobs the build spread over its processes in the phase it traced as ``phase``."""
    lines = trace.splitlines()
    end = next(number for number, line in enumerate(lines) if re.search(rf"\[trace\].*s  {phase} ", line))
    start = max((number for number, line in enumerate(lines[:end]) if re.search(r"\[trace\] +[\d.]+s  ", line)),
                default=-1)
    return sum("[trace] parallel:" in line for line in lines[start + 1:end])


def test_a_recycled_tree_keeps_nothing_stale(mini_site: Path, tmp_path: Path) -> None:
    """Builds recycle the tree of the build before the previous one: an event deleted since,
    and a page changed back to an older version, must come out as a cold build makes them."""
    output, cache = tmp_path / "out", tmp_path / "cache"
    events = mini_site / "content" / "events"
    gone = events / "taida" / "2026" / "kejizhou.md"
    page = output / "events" / "liudong-kejiguan" / "index.html"
    warm(mini_site, output, cache)
    assert (output / "events" / "kejizhou" / "index.html").is_file()
    gone.unlink()
    edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "流动科技馆进社区", "流动科技馆来了")
    warm(mini_site, output, cache)
    changed_at = page.stat().st_mtime_ns
    edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "流动科技馆来了", "流动科技馆进社区")
    warm(mini_site, output, cache)  # recycles the first tree: kejizhou's files are still in it
    assert tree(output) == cold(mini_site, tmp_path, "cold")
    assert not list(output.rglob("*kejizhou*"))
    assert "kejizhou" not in (output / "sitemap.xml").read_text("utf-8")
    # The page is the first build's file again, but it changed since the published build:
    # browsers and rsync must see it as new.
    assert page.stat().st_mtime_ns > changed_at


def _search_finds(output: Path, word: str) -> set[str]:
    """Pages whose text has ``word`` (two or more Chinese characters), read from the search
    index files as search.js reads them."""
    from kepu.formats.searchterms import decode_postings, han_terms, shard_of

    manifest = json.loads((output / "search" / "index.json").read_text("utf-8"))

    def file(kind: str, number: int) -> object:
        return json.loads((output / "search" / kind / f"{number}.{manifest[kind][number]}.json").read_text("utf-8"))

    pages: set[int] | None = None
    for term in han_terms(word, names=False):
        shard = file("t", shard_of(term, manifest["shards"]))
        found = {v >> 1 for v in decode_postings(shard.get(term, ""))}
        pages = found if pages is None else pages & found
    rows = [row for n in range(len(manifest["d"])) for row in file("d", n)]
    return {rows[page][0] for page in pages or ()}


def test_an_edit_reaches_the_search_index(mini_site: Path, tmp_path: Path) -> None:
    """A warm build indexes the edited title: the new words find the page, the old ones no longer."""
    output, cache = tmp_path / "out", tmp_path / "cache"

    def build() -> None:
        result = run_build(mini_site / "content", output, extra_args=("--cache", str(cache)))
        assert result.returncode == 0, result.stderr

    build()
    assert any("liudong-kejiguan" in url for url in _search_finds(output, "进社区"))
    edit(mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md", "流动科技馆进社区", "流动科技馆来了")
    build()
    assert any("liudong-kejiguan" in url for url in _search_finds(output, "馆来了"))
    assert not any("liudong-kejiguan" in url for url in _search_finds(output, "进社区"))
    manifest = json.loads((output / "search" / "index.json").read_text("utf-8"))
    assert sorted(p.name for p in (output / "search").iterdir()) == ["d", "index.html", "index.json", "t"]
    for kind in ("t", "d"):  # the files the manifest names, and no earlier version beside them
        assert sorted(p.name for p in (output / "search" / kind).iterdir()) == sorted(
            f"{n}.{v}.json" for n, v in enumerate(manifest[kind]))


def test_a_recycled_tree_has_the_search_index_of_a_cold_build(mini_site: Path, tmp_path: Path) -> None:
    """The third build writes into the first one's tree: its search index is a cold build's,
    with nothing left of the earlier indexes."""
    settings = ROOT / "pelicanconf.py"
    events = mini_site / "content" / "events"

    def build(output: Path, cache: Path) -> None:
        result = run_build(mini_site / "content", output, settings=settings, extra_args=("--cache", str(cache)))
        assert result.returncode == 0, result.stderr

    output, cache = tmp_path / "out", tmp_path / "cache"
    build(output, cache)
    edit(events / "xinbei" / "2026" / "liudong-kejiguan.md", "流动科技馆进社区", "流动科技馆来了")
    build(output, cache)
    (events / "taida" / "2026" / "kejizhou.md").unlink()
    edit(events / "taida" / "2026" / "kepu-ri.md", "title: ", "title: 第二届")
    build(output, cache)
    build(tmp_path / "cold", tmp_path / "cold-cache")
    assert tree(output / "search") == tree(tmp_path / "cold" / "search")
    assert tree(output) == tree(tmp_path / "cold")
