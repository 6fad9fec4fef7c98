"""A campaign week of thousands of events (科技活动周: 2,500+ in seven days): build it, then weigh what a
phone loads for one day of the programme and the size of the campaign's calendar files.

    invoke bench-campaign   (or: PYTHONPATH=plugins python -m bench.campaign [--events 2500] [--results bench/RESULTS.md])
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from bench.corpus import _event, _registries, generate
from bench.sections import write_section

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = "keji-huodongzhou-bench"
WEEK = 7
DAY_BOUND = 100 * 1000  # a phone opens a day of the programme in under 100 KB
FEED_BOUND = 1024 * 1024
BEGIN, END = "<!-- bench/campaign.py: begin -->", "<!-- bench/campaign.py: end -->"
_LOADS = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def campaign_start(build_date: date) -> date:
    """The week starts five days before the build day: part of it is over, part is to come."""
    return build_date - timedelta(days=5)


def generate_week(out: Path, events: int, seed: int = 2023, build_date: date = date(2026, 12, 1)) -> Path:
    """A small ordinary corpus plus ``events`` events held in a seven-day campaign that implies them
    (campaigns.yml ``implied: true``: none of them names it); its main event is the first one."""
    content = generate(out, 200, seed, build_date, articles=2)
    rng = random.Random(seed + 1)
    reg = _registries()
    first = campaign_start(build_date)
    slugs = []
    for n in range(events):
        relative, text = _event(rng, 100_000 + n, reg, first, WEEK)
        # 人次 are recorded once an event is over: its start and its end (a date, or a time that day).
        start = date.fromisoformat(re.search(r"^start: (\d{4}-\d\d-\d\d)", text, re.MULTILINE)[1])
        ends = re.search(r"^end: (\d{4}-\d\d-\d\d)", text, re.MULTILINE)
        held = (date.fromisoformat(ends[1]) if ends else start) < build_date
        # Not held: cancelled, or postponed with no new date yet (已延期): nobody to count.
        held = held and "\nstatus: cancelled" not in text and not (
            "\nstatus: postponed" in text and "\nprevious_start:" not in text)
        if held and rng.random() < 0.6:  # the volunteers counted who came
            text = text.replace("\n---\n", f"\nattendance: {rng.randint(12, 400)}\n---\n", 1)
        path = content / "events" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        slugs.append(path.stem)
    with (content / "data" / "campaigns.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"- id: {CAMPAIGN}\n  name: 基准测试科技活动周\n  edition: 第1届\n"
                     f"  start: {first.isoformat()}\n  end: {(first + timedelta(days=WEEK - 1)).isoformat()}\n"
                     f"  implied: true\n  main_event: {slugs[0]}\n")
    return content


def build(content: Path, output: Path, build_date: date, env: dict | None = None,
          settings: Path = ROOT / "pelicanconf.py") -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "kepu_pelican.build", "-s", str(settings), "--content", str(content),
            "-o", str(output), "--build-date", build_date.isoformat(), "--cache", str(output.parent / ".cache")]
    environment = env or {**os.environ, "PYTHONPATH": f"{ROOT / 'plugins'}{os.pathsep}{ROOT}"}
    return subprocess.run(args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=3600)


@dataclass(frozen=True, slots=True)
class Weight:
    """What a browser downloads to show one page: the HTML and the style sheets and scripts it loads."""

    page: str
    html: int
    css: int
    js: int
    gzipped: int  # the same files compressed as a web server would send them

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def page_weight(output: Path, page: Path) -> Weight:
    text = page.read_text("utf-8")
    files = [output / urlsplit(url).path.lstrip("/") for url in _LOADS.findall(text)]  # site.css?v=…
    css = sum(f.stat().st_size for f in files if f.suffix == ".css")
    js = sum(f.stat().st_size for f in files if f.suffix == ".js")
    packed = sum(len(gzip.compress(f.read_bytes(), 9, mtime=0)) for f in [page, *files])
    return Weight(page.relative_to(output).as_posix(), len(page.read_bytes()), css, js, packed)


def day_pages(output: Path, campaign: str = CAMPAIGN) -> list[Path]:
    """Every page of the day views (each day, and each day by street, category or audience)."""
    folder = output / "campaigns" / campaign
    return sorted(p for p in folder.glob("20??-??-??/**/index.html") if "print" not in p.parts)


def feeds(output: Path, campaign: str = CAMPAIGN) -> list[Path]:
    main = output / "feeds" / "campaigns" / f"{campaign}.ics"
    return [main, *sorted((output / "feeds" / "campaigns" / campaign).glob("*.ics"))]


def report(output: Path, events: int, build_date: date) -> str:
    weights = [page_weight(output, p) for p in day_pages(output)]
    days = [w for w in weights if re.fullmatch(r"campaigns/[^/]+/20\d\d-\d\d-\d\d/index\.html", w.page)]
    heaviest, heaviest_day = max(weights, key=lambda w: w.total), max(days, key=lambda w: w.total)
    files = feeds(output)
    sizes = [f.stat().st_size for f in files]
    whole = page_weight(output, output / "campaigns" / CAMPAIGN / "print" / "index.html")
    first = campaign_start(build_date)
    lines = [
        "## A campaign week: the day view on a phone and the campaign's calendar files",
        "",
        f"Generated by `python -m bench.campaign` (build date {build_date.isoformat()}): {events:,} events in a "
        f"seven-day campaign ({first.isoformat()} to {(first + timedelta(days=WEEK - 1)).isoformat()}) that "
        "implies them (`implied: true`), beside 200 ordinary events. Weight = the page's HTML plus the style "
        "sheets and scripts it loads, in bytes as stored (and gzip-compressed, as a server sends them).",
        "",
        "| page | HTML | CSS | JS | total | gzip |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"| {label} `{w.page}` | {w.html:,} | {w.css:,} | {w.js:,} | {w.total:,} | {w.gzipped:,} |"
          for label, w in (("heaviest day", heaviest_day), ("heaviest day view of all", heaviest),
                           ("printable programme, whole week", whole))),
        "",
        f"- day-view pages: {len(weights):,} (days, and each day by street, category and audience)",
        f"- calendar files: {len(files)} (the campaign's feed"
        + (f" and {len(files) - 1} parts by day or street" if len(files) > 1 else "") + f"); largest {max(sizes):,} "
        f"bytes, together {sum(sizes):,} bytes",
        "",
        f"- day view ≤ 100 KB: {heaviest.total:,} bytes — {'met' if heaviest.total <= DAY_BOUND else 'NOT met'}",
        f"- every calendar file ≤ 1 MiB: {max(sizes):,} bytes — {'met' if max(sizes) <= FEED_BOUND else 'NOT met'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="主题活动周（数千项活动）的每日日程页面大小和日历文件大小")
    parser.add_argument("--events", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--build-date", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--work", type=Path, default=ROOT / ".bench" / "campaign")
    parser.add_argument("--results", type=Path, help="bench/RESULTS.md：把结果写进其中的主题活动一节")
    args = parser.parse_args(argv)
    content = generate_week(args.work, args.events, args.seed, args.build_date)
    result = build(content, args.work / "output", args.build_date)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        return 1
    text = report(args.work / "output", args.events, args.build_date)
    if args.results:
        write_section(args.results, text, BEGIN, END)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
