"""Run Pagefind over shards of pages (a child process of the build).

    python -m kepu.searchrun PLAN.json

The plan lists the site folder, a work folder, shards kept from the previous build (linked
first) and, per shard to index, its output folder and pages. Each shard's pages are
hard-linked into a folder of their own for Pagefind to index. One shard runs at a time
while the build is busy; once the build creates the file ``WIDE`` in the work folder (it
has nothing left but to wait), up to ``jobs`` shards run at once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .processes import die_with_parent

WIDE = "wide"


def pagefind_command() -> list[str]:
    """The Pagefind binary itself (saves a Python start per shard), else its Python launcher."""
    try:
        from pagefind_bin_extended import get_executable

        return [str(get_executable())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


class _Shard:
    def __init__(self, shard: dict, site: Path, work: Path, command: list[str]):
        self.name = shard["name"]
        self.farm = work / shard["name"]
        self.log = work / f"{shard['name']}.log"  # a file, not a pipe: nothing can block on it
        for page in shard["pages"]:
            (self.farm / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(site / page, self.farm / page)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([*command, "--site", str(self.farm), "--output-path",
                                             shard["output"], "--silent"], stdout=log, stderr=subprocess.STDOUT,
                                            preexec_fn=die_with_parent)

    def finish(self) -> str | None:
        """Wait for Pagefind; the error it printed, or None."""
        self.process.wait()
        output = self.log.read_text("utf-8", "replace").strip()
        shutil.rmtree(self.farm, ignore_errors=True)
        self.log.unlink(missing_ok=True)
        if self.process.returncode != 0:
            return f"分片 {self.name}：{output or f'退出码 {self.process.returncode}'}"
        return None


def link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links (instant, keeps mtimes); plain copies across file systems."""
    for folder, _dirs, files in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder, name), destination / name)
            except OSError:
                shutil.copy2(Path(folder, name), destination / name)


def run(plan: dict) -> int:
    site, work = Path(plan["site"]), Path(plan["work"])
    for kept in plan.get("keep", []):
        link_tree(Path(kept["from"]), Path(kept["to"]))
    queue, running = list(plan["shards"]), []
    jobs, command = max(1, int(plan.get("jobs", 2))), pagefind_command()
    while queue or running:
        limit = jobs if (work / WIDE).exists() else 1
        while queue and len(running) < limit:
            running.append(_Shard(queue.pop(0), site, work, command))
        done = [shard for shard in running if shard.process.poll() is not None]
        if not done:
            time.sleep(0.05)
        for shard in done:
            running.remove(shard)
            error = shard.finish()
            if error:
                for other in running:
                    other.process.kill()
                print(error, file=sys.stderr)
                return 1
    return 0


def main() -> int:
    return run(json.loads(Path(sys.argv[1]).read_text("utf-8")))


if __name__ == "__main__":
    sys.exit(main())
