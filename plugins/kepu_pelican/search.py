"""The Pagefind search index, built shard by shard in the background while the rest of the
site is written; shards whose pages did not change are taken from the previous build."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import threading
from importlib.metadata import version
from pathlib import Path

from kepu.searchplan import MAX_PAGES, Shard, fingerprint, plan

from .settings import previous_output

MANIFEST = "shards.json"
_ACTIVE: dict[str, SearchIndexer] = {}


def _link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links (instant, keeps mtimes); plain copies across file systems."""
    for folder, _dirs, files in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder, name), destination / name)
            except OSError:
                shutil.copy2(Path(folder, name), destination / name)


class SearchIndexer:
    """Indexes event and news pages with Pagefind, one shard at a time, in a thread."""

    def __init__(self, output: Path, previous: Path | None, max_pages: int = MAX_PAGES):
        self.output = output
        self.previous = previous
        self.max_pages = max_pages
        self.work = output.parent / f".{output.name}.search"
        self.salt = f"pagefind {version('pagefind')}"
        self.shards: list[Shard] = []
        self.error = ""
        self.reused = 0
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen | None = None

    def start(self, pages: list[tuple[str, str]]) -> None:
        self.shards = plan(pages, self.max_pages)
        known = self._previous_manifest()
        pending = []
        for shard in self.shards:
            shard.fingerprint = fingerprint(shard, self.output, self.salt)
            old = self.previous / "pagefind" / shard.name if self.previous else None
            if old and known.get(shard.name) == shard.fingerprint and old.is_dir():
                _link_tree(old, self.output / "pagefind" / shard.name)
                self.reused += 1
            else:
                pending.append(shard)
        shutil.rmtree(self.work, ignore_errors=True)
        atexit.register(self._stop)
        self._thread = threading.Thread(target=self._run, args=(pending,), daemon=True)
        self._thread.start()

    def _previous_manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.previous / "pagefind" / MANIFEST).read_text("utf-8"))
            return {s["name"]: s["fingerprint"] for s in data["shards"]}
        except (OSError, TypeError, ValueError, KeyError):
            return {}

    def _run(self, shards: list[Shard]) -> None:
        for shard in shards:
            farm = self.work / shard.name
            for page in shard.pages:
                (farm / page).parent.mkdir(parents=True, exist_ok=True)
                os.link(self.output / page, farm / page)
            self._process = subprocess.Popen(
                [sys.executable, "-m", "pagefind", "--site", str(farm), "--output-path",
                 str(self.output / "pagefind" / shard.name), "--silent"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            log = self._process.communicate()[0].decode("utf-8", "replace")
            shutil.rmtree(farm, ignore_errors=True)
            if self._process.returncode != 0:
                self.error = f"分片 {shard.name}：{log.strip()}"
                return

    def _stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.kill()
        shutil.rmtree(self.work, ignore_errors=True)

    def finish(self) -> None:
        if self._thread:
            self._thread.join()
        shutil.rmtree(self.work, ignore_errors=True)
        if self.error:
            raise RuntimeError(f"Pagefind 建立搜索索引失败：{self.error}")
        manifest = {"version": 1, "shards": [
            {"name": s.name, "path": f"{s.name}/", "pages": len(s.pages), "fingerprint": s.fingerprint}
            for s in self.shards]}
        (self.output / "pagefind").mkdir(exist_ok=True)
        (self.output / "pagefind" / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False) + "\n", "utf-8")


def start_search_index(output_path: str, settings, pages: list[tuple[str, str]]) -> None:
    if not settings.get("PAGEFIND", True):
        return
    output = Path(output_path)
    indexer = SearchIndexer(output, previous_output(output, settings),
                            int(settings.get("PAGEFIND_MAX_PAGES", MAX_PAGES)))
    indexer.start(pages)
    _ACTIVE[output_path] = indexer


def finish_search_index(output_path: str) -> None:
    indexer = _ACTIVE.pop(output_path, None)
    if indexer:
        indexer.finish()
