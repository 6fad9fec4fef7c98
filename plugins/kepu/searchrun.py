"""Run Pagefind over shards of pages, one after another (a child process of the build).

    python -m kepu.searchrun PLAN.json

The plan lists the site folder, a work folder and, per shard, its output folder and pages.
Each shard's pages are hard-linked into a folder of their own for Pagefind to index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .processes import die_with_parent


def run(plan: dict) -> int:
    site, work = Path(plan["site"]), Path(plan["work"])
    for shard in plan["shards"]:
        farm = work / shard["name"]
        for page in shard["pages"]:
            (farm / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(site / page, farm / page)
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(farm), "--output-path",
                                 shard["output"], "--silent"], capture_output=True, text=True,
                                preexec_fn=die_with_parent)
        shutil.rmtree(farm, ignore_errors=True)
        if result.returncode != 0:
            print(f"分片 {shard['name']}：{(result.stderr or result.stdout).strip()}", file=sys.stderr)
            return 1
    return 0


def main() -> int:
    return run(json.loads(Path(sys.argv[1]).read_text("utf-8")))


if __name__ == "__main__":
    sys.exit(main())
