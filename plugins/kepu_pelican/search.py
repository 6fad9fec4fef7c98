"""The Pagefind search index, built shard by shard in the background while the rest of the
site is written; shards whose pages did not change are linked from the previous build."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from kepu.processes import die_with_parent
from kepu.searchplan import MAX_PAGES, Shard, fingerprint, plan
from kepu.searchrun import WIDE

from .settings import previous_output

MANIFEST = "shards.json"
_ACTIVE: dict[str, SearchIndexer] = {}


class SearchIndexer:
    """Indexes event and news pages with Pagefind, shard by shard, in a child process (not a
    thread: the build forks worker processes meanwhile) that dies with the build; one shard at
    a time while the build renders, ``jobs`` at a time once it only waits."""

    def __init__(self, output: Path, previous: Path | None, max_pages: int = MAX_PAGES, jobs: int = 2):
        self.output = output
        self.jobs = jobs
        self.previous = previous
        self.max_pages = max_pages
        self.work = output.parent / f".{output.name}.search"
        self.salt = f"pagefind {version('pagefind')}"
        self.shards: list[Shard] = []
        self._process: subprocess.Popen | None = None

    def start(self, pages: list[tuple[str, str]], known: Mapping[str, str] | None = None) -> None:
        """Plan the shards and start indexing those neither still in place in the recycled
        tree nor linked from the previous build; ``known`` maps pages to the fingerprints they
        were written from."""
        self.shards = plan(pages, self.max_pages)
        present = _shards(self.output)  # a recycled tree's shards, kept by ``recycle``
        previous = _shards(self.previous) if self.previous else {}
        pending, kept = [], []
        for shard in self.shards:
            shard.fingerprint = fingerprint(shard, self.output, self.salt, known)
            staged = self.output / "pagefind" / shard.name
            if present.pop(shard.name, None) == shard.fingerprint and staged.is_dir():
                continue
            shutil.rmtree(staged, ignore_errors=True)  # made from other pages
            old = self.previous / "pagefind" / shard.name if self.previous else None
            if old and previous.get(shard.name) == shard.fingerprint and old.is_dir():
                kept.append({"from": str(old), "to": str(staged)})
            else:
                pending.append(shard)
        for name in present:  # shards this build does not have
            shutil.rmtree(self.output / "pagefind" / name, ignore_errors=True)
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        job = {"site": str(self.output), "work": str(self.work), "jobs": self.jobs, "keep": kept, "shards": [
            {"name": s.name, "pages": s.pages, "output": str(self.output / "pagefind" / s.name)} for s in pending]}
        (self.work / "plan.json").write_text(json.dumps(job, ensure_ascii=False), "utf-8")
        self._process = subprocess.Popen([sys.executable, "-m", "kepu.searchrun", str(self.work / "plan.json")],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         preexec_fn=die_with_parent, env=_env())
        atexit.register(self._stop)

    def _stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self.work, ignore_errors=True)

    def finish(self) -> None:
        error = ""
        if self._process:
            (self.work / WIDE).touch()  # the build only waits from now on: use every core
            _out, err = self._process.communicate()
            if self._process.returncode != 0:
                error = err.decode("utf-8", "replace").strip() or f"退出码 {self._process.returncode}"
        shutil.rmtree(self.work, ignore_errors=True)
        if error:
            raise RuntimeError(f"Pagefind 建立搜索索引失败：{error}")
        manifest = {"version": 1, "shards": [
            {"name": s.name, "path": f"{s.name}/", "pages": len(s.pages), "fingerprint": s.fingerprint}
            for s in self.shards]}
        (self.output / "pagefind").mkdir(exist_ok=True)
        temporary = self.output / "pagefind" / f".{MANIFEST}.tmp"  # a recycled list may be linked: replace it
        temporary.write_text(json.dumps(manifest, ensure_ascii=False) + "\n", "utf-8")
        os.replace(temporary, self.output / "pagefind" / MANIFEST)


def _shards(output: Path) -> dict[str, str]:
    """Shard name -> fingerprint, as a build's ``pagefind/shards.json`` lists them."""
    try:
        data = json.loads((output / "pagefind" / MANIFEST).read_text("utf-8"))
        return {s["name"]: s["fingerprint"] for s in data["shards"]}
    except (OSError, TypeError, ValueError, KeyError):
        return {}


def recyclable_shards(tree: Path) -> set[str]:
    """A spare tree's search shards and their list, for ``recycle`` to keep: the next build's
    indexer keeps each shard whose pages are unchanged where it is, and removes the others."""
    return {f"pagefind/{name}" for name in _shards(tree)} | {f"pagefind/{MANIFEST}"}


def _env() -> dict[str, str]:
    """The child imports kepu from the plugins folder, as this process does."""
    env = dict(os.environ)
    plugins = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [plugins, env.get("PYTHONPATH")]))
    return env


def start_search_index(output_path: str, settings, pages: list[tuple[str, str]],
                       known: Mapping[str, str] | None = None) -> None:
    if not settings.get("PAGEFIND", True):
        return
    output = Path(output_path)
    indexer = SearchIndexer(output, previous_output(output, settings),
                            int(settings.get("PAGEFIND_MAX_PAGES", MAX_PAGES)),
                            int(settings.get("PAGEFIND_JOBS", os.cpu_count() or 1)))
    indexer.start(pages, known)
    _ACTIVE[output_path] = indexer


def stop_search_indexes() -> None:
    """A failed build: stop indexing now, before the staging folder is removed under it."""
    while _ACTIVE:
        _ACTIVE.popitem()[1]._stop()


def finish_search_index(output_path: str) -> None:
    indexer = _ACTIVE.pop(output_path, None)
    if indexer:
        indexer.finish()
