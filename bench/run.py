"""Benchmark: the portal against plain Pelican on the same Markdown bodies, side by side.

    python -m bench.run [--sizes 1000,4000,16000] [--repeats 3] [--corpora seeded,realmix] [--out bench/RESULTS.md]

For each size it builds, alternating, (a) the portal with every output (event pages,
groupings, calendars, feeds, search index, JSON) and (b) plain Pelican 4.12 with its default
theme on the same bodies as ordinary articles, both from cold; then a warm rebuild of the
portal after one event changed. Wall time, peak memory (all processes of a build) and files
written are measured; ratios are computed within the same run. Two corpora: ``seeded``
(bench/corpus.py, generated events) and ``realmix`` (bench/realmix.py, copies of the sample's
events with their series, registries and programmes).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import yaml

from bench import campaign, realmix, sections
from bench import corpus as seeded_corpus
from bench.editing import kept_section
from bench.footprint import footprint
from bench.footprint import table as footprint_table
from kepu.engine.output import spare_dir

ROOT = Path(__file__).resolve().parents[1]
BUILD_DATE = realmix.BUILD_DAY.isoformat()  # the day every corpus is built for
PLAIN_CONF = '''AUTHOR = "bench"
SITENAME = "Plain Pelican"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 10
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
'''


@dataclass
class Run:
    seconds: float
    peak_mb: float | None  # None: a timed build, not sampled
    files: int


CORPORA = {
    "seeded": ("seeded corpus (`bench/corpus.py`: generated events, few series)",
               lambda work, events, seed: seeded_corpus.generate(work, events, seed=seed,
                                                                 build_date=date.fromisoformat(BUILD_DATE))),
    "realmix": ("the sample's real mix (`bench/realmix.py`: copies of content/events with their recurring "
                "series, registered venues, programmes, campaigns and speakers; fresh names and dates)",
                lambda work, events, seed: realmix.generate(work, events)),
}


@dataclass
class SizeResult:
    events: int
    corpus: str = "seeded"
    portal: list[Run] = field(default_factory=list)
    plain: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    memory: dict[str, Run] = field(default_factory=dict)  # one sampled build of each kind: MEMORY_RUNS
    sizes: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def files_per_event(self) -> float:
        return sum(files for files, _ in self.kinds.values()) / self.events

    @property
    def kb_per_event(self) -> float:
        return sum(size for _, size in self.kinds.values()) / self.events / 1024

    @staticmethod
    def median(runs: list[Run], attr: str = "seconds") -> float:
        return statistics.median(getattr(r, attr) for r in runs)


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc), in order."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return sorted(found)


def _pss_kb(pid: int) -> int:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"^Pss:\s+(\d+)", rollup, re.MULTILINE)[1])


def _tree_rss_kb(pid: int) -> int | None:
    """Memory of a process and all its descendants: the proportional set size, so pages that
    forked workers share with their parent are counted once, not per process. None when the
    tree changed while it was read: a parent read just before it forked and its child read just
    after would count the pages they share twice (the parent's as its own, the child's as shared)."""
    processes = _tree(pid)
    try:
        total = sum(_pss_kb(process) for process in processes)
    except (OSError, TypeError, ValueError):  # one ended meanwhile
        return None
    return total if _tree(pid) == processes else None


def measure(command: list[str], cwd: Path, env: dict[str, str], output: Path, sampled: bool = False) -> Run:
    """Run a build and time it; ``sampled``: also sample the memory of its whole process tree
    every 100 ms. Sampling reads every process's page tables (about 16 ms a sample at 16,000
    events, 5 CPU seconds a build) and takes each process's memory lock while it does: on two
    cores it slows a build of several processes, not one of a single process. So timed builds
    are not sampled, and memory is measured in builds of their own."""
    os.sync()  # the previous build's writes reach the disk now, not during this one
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid) or 0)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampled:
        sampler.start()
    _, error = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    if sampled:
        sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{error.decode('utf-8', 'replace')[-3000:]}")
    files = sum(len(names) for _, _, names in os.walk(output))
    return Run(seconds, peak / 1024 if sampled else None, files)


def plain_corpus(content: Path, target: Path) -> Path:
    """The same bodies as Pelican articles with Pelican's own metadata header."""
    if target.exists():
        shutil.rmtree(target)
    articles = target / "content"
    articles.mkdir(parents=True)
    streets = {s["id"]: s["name"] for s in yaml.safe_load((content / "data" / "streets.yml").read_text("utf-8"))}
    for path in sorted((content / "events").rglob("*.md")):
        _, front, body = path.read_text("utf-8").split("---", 2)
        meta = yaml.load(front, Loader=yaml.BaseLoader)
        start = meta["start"][:16]
        header = [f"Title: {meta['title']}", f"Date: {start}", f"Category: {streets[meta['street']]}",
                  f"Tags: {', '.join(meta['categories'])}", f"Slug: {path.stem}",
                  f"Summary: {meta.get('summary', '')}"]
        (articles / f"{path.stem}.md").write_text("\n".join(header) + "\n\n" + body.strip() + "\n", "utf-8")
    (target / "pelicanconf.py").write_text(PLAIN_CONF, "utf-8")
    return target


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])
    return env


def _portal(work: Path, output: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "kepu_pelican.build", "-s", str(ROOT / "pelicanconf.py"), "--content",
            str(work / "content"), "-o", str(output), "--cache", str(cache), "--build-date", BUILD_DATE]


def _plain(plain: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(plain / "content"), "-s", str(plain / "pelicanconf.py"),
            "-o", str(plain / "output"), "-q", "--delete-output-directory"]


def set_aside(path: Path, work_root: Path) -> None:
    """Move a previous build out of the way; it is deleted when the whole run is over.

    Deleting tens of thousands of files just before a build would slow that build's own
    file creation: ext4 without a journal (as on this machine) skips inodes freed in the last
    minutes, scanning past each of them. Both sides are treated alike."""
    if path.exists():
        trash = work_root / ".trash"
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


MEMORY_RUNS = ("portal cold", "Pelican cold", "portal warm")


def _cold_portal(work_root: Path, work: Path, env: dict[str, str], sampled: bool = False) -> Run:
    output, cache = work / "output", work / "cache"
    for path in (output, spare_dir(output), cache):  # cold: nothing of an earlier build
        set_aside(path, work_root)
    return measure(_portal(work, output, cache), ROOT, env, output, sampled)


def _cold_plain(work_root: Path, plain: Path, env: dict[str, str], sampled: bool = False) -> Run:
    set_aside(plain / "output", work_root)
    return measure(_plain(plain), plain, env, plain / "output", sampled)


def bench_size(events: int, repeats: int, work_root: Path, seed: int, corpus: str = "seeded") -> SizeResult:
    work = work_root / f"{corpus}-{events}"
    CORPORA[corpus][1](work, events, seed)
    plain = plain_corpus(work / "content", work / "plain")
    result = SizeResult(events, corpus)
    output, cache, env = work / "output", work / "cache", _env()
    portal_cold = partial(_cold_portal, work_root, work, env)
    plain_cold = partial(_cold_plain, work_root, plain, env)
    for _ in range(repeats):
        result.portal.append(portal_cold())
        result.plain.append(plain_cold())
    result.memory["portal cold"] = portal_cold(sampled=True)
    result.memory["Pelican cold"] = plain_cold(sampled=True)
    edited = next(iter(sorted((work / "content" / "events").rglob("*.md"))))
    original = edited.read_text("utf-8")
    try:
        for number in range(repeats + 1):  # the last one sampled for memory
            edited.write_text(original.replace("title: ", f"title: 修订{number}：", 1), "utf-8")
            run = measure(_portal(work, output, cache), ROOT, env, output, sampled=number == repeats)
            if number < repeats:
                result.warm.append(run)
            else:
                result.memory["portal warm"] = run
    finally:
        edited.write_text(original, "utf-8")
    result.sizes = _output_sizes(output)
    result.kinds = footprint(output)
    return result


TRACE_LINE = re.compile(r"\[trace\]\s+([\d.]+)s\s+(.+?)\s+([\d.]+)s\s+cpu\s+(-?[\d.]+) user\s+(-?[\d.]+) sys\s+"
                        r"(\d+)k faults\s+rss\s+(\d+) MB")


def profile(events: int, work_root: Path, corpus: str = "seeded") -> list[str]:
    """One more cold build of the largest corpus with KEPU_TRACE=1: where the time goes."""
    work = work_root / f"{corpus}-{events}"
    output, cache = work / "output", work / "cache"
    for path in (output, spare_dir(output), cache):
        set_aside(path, work_root)
    env = {**_env(), "KEPU_TRACE": "1"}
    result = subprocess.run(_portal(work, output, cache), cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"traced build failed:\n{result.stderr[-3000:]}")
    rows = [match.groups() for match in map(TRACE_LINE.search, result.stderr.splitlines()) if match]
    lines = [f"## Where the time goes: one cold build at {events} events, {corpus} (`KEPU_TRACE=1`)", "",
             "Phases in the order they end. Wall seconds of the phase; CPU seconds of the build process and "
             "of worker processes that finished within the phase; minor page faults; resident memory of the build process afterwards.", "",
             "| ends at s | phase | wall s | user s | sys s | page faults | RSS MB |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {end} | {name} | {wall} | {user} | {system} | {faults}k | {rss} |"
              for end, name, wall, user, system, faults, rss in rows if name != "pelican: all generators"]
    return lines


def _output_sizes(output: Path) -> dict[str, int]:
    feeds = [p.stat().st_size for p in (output / "feeds").rglob("*.ics")]
    search = sum(p.stat().st_size for p in (output / "search").rglob("*.json") if p.is_file())
    return {
        "largest feed (bytes)": max(feeds, default=0),
        "feeds": len(feeds),
        "search index (bytes)": search,
        "filter JSON (bytes)": (output / "events" / "filter.json").stat().st_size,
        "events.json (bytes)": (output / "data" / "events.json").stat().st_size,
        "events.csv (bytes)": (output / "data" / "events.csv").stat().st_size,
        **page_weight(output),
    }


def page_weight(output: Path) -> dict[str, int]:
    """What a phone downloads for the home page and the heaviest event page: HTML with the site's
    stylesheet and the scripts the page loads, raw and gzip-compressed (as a server sends it)."""
    css = (output / "theme" / "css" / "site.css").read_bytes()
    heaviest = (0, 0)
    pages = [output / "index.html", *sorted((output / "events").glob("*/index.html"))[:400]]
    for page in pages:
        html = page.read_bytes()
        scripts = [output / "theme" / "js" / name.decode() for name in re.findall(rb"/theme/js/([a-z]+\.js)", html)]
        parts = [html, css, *(path.read_bytes() for path in scripts if path.is_file())]
        heaviest = max(heaviest, (sum(map(len, parts)), sum(len(gzip.compress(part, 9, mtime=0)) for part in parts)))
    return {"heaviest page + CSS + JS (bytes)": heaviest[0], "heaviest page + CSS + JS, gzip (bytes)": heaviest[1]}


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError, TypeError):
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())[1]
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, TypeError):
        pass
    import pelican

    return (f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; Pelican {pelican.__version__}")


INTRO = ("Generated by `invoke bench` (`python -m bench.run`), build date {date}, {repeats} cold builds of each "
         "side alternating, medians shown. (a) is the portal with every output: event pages, listings, "
         "street/team/category/audience/programme/venue/community/people pages, month/week/day calendars, all ICS "
         "feeds and single-event .ics files, search index, filter JSON, open data, statistics, embeds and the "
         "change feed. (b) is plain Pelican 4.12, default theme, feeds off, on the same Markdown bodies as "
         "ordinary articles. Warm = the portal rebuilt with its cache after one event's title changed, {repeats} "
         "times in a row (from the second on, each build recycles the tree of the build before the published "
         "one, as an editor's repeated builds do). Timed builds run with nothing watching them. Peak memory "
         "comes from one more build of each kind (portal cold, Pelican cold, portal warm), sampled every 100 ms: "
         "the whole process tree (worker processes included), summed as proportional set size (memory shared by "
         "forked workers counted once; a sample taken while a process forked or ended is left out, as it would "
         "count shared pages twice); the bar takes the larger of the portal's two. Sampling reads each process's "
         "page tables, which slows a build of several processes on two cores: those builds' times are shown "
         "beside the timed ones, not used. Bytes and files are the whole output folder (what is uploaded to a "
         "host), divided by the number of events.")


def report(results: list[SizeResult], repeats: int, traced: list[str] | None = None) -> str:
    lines = ["# Benchmark results", "", f"Machine: {machine()}.", "",
             INTRO.format(date=BUILD_DATE, repeats=repeats)]
    for corpus in dict.fromkeys(r.corpus for r in results):
        lines += ["", *corpus_section([r for r in results if r.corpus == corpus])]
    if traced:
        lines += ["", *traced]
    return "\n".join(lines) + "\n"


def corpus_section(results: list[SizeResult]) -> list[str]:
    """One corpus: the table of sizes, where the bytes go at the largest size, and the bars."""
    large = results[-1]
    lines = [f"## Corpus: {CORPORA[large.corpus][0]}", "",
             "| events | (a) portal cold s | (b) Pelican cold s | (a)/(b) | portal ms/event | warm s | warm/cold "
             "| portal peak MB | warm peak MB | Pelican peak MB | portal files | files/event | KB/event | Pelican files |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cold, plain, warm = r.median(r.portal), r.median(r.plain), r.median(r.warm)
        lines.append(f"| {r.events} | {cold:.2f} | {plain:.2f} | {cold / plain:.2f} | {cold / r.events * 1000:.2f} "
                     f"| {warm:.2f} | {warm / cold:.2f} | {r.memory['portal cold'].peak_mb:.0f} "
                     f"| {r.memory['portal warm'].peak_mb:.0f} "
                     f"| {r.memory['Pelican cold'].peak_mb:.0f} | {r.portal[0].files} | {r.files_per_event:.2f} "
                     f"| {r.kb_per_event:.1f} | {r.plain[0].files} |")
    lines += ["", "Every timed build at each size, in the order run (seconds): the machine's noise is as visible "
                  "as the medians. Then the builds sampled for memory (seconds with the sampling, peak MB)."]
    for r in results:
        lines.append(f"- {r.events} events: " + "; ".join(
            f"{name} " + ", ".join(f"{x.seconds:.2f} s" for x in runs)
            for name, runs in (("portal cold", r.portal), ("Pelican cold", r.plain), ("portal warm", r.warm))))
        lines.append(f"- {r.events} events, sampled: " + "; ".join(
            f"{name} {r.memory[name].seconds:.2f} s ({r.memory[name].peak_mb:.0f} MB)" for name in MEMORY_RUNS))
    if len(results) > 1:
        small = results[0]
        per_small = small.median(small.portal) / small.events
        per_large = large.median(large.portal) / large.events
        lines += ["", f"Time per event at {large.events} is {per_large / per_small:.2f} × the time per event at "
                      f"{small.events}."]
    lines += ["", f"Where the bytes and files go at {large.events} events:", "", *footprint_table(large.kinds, large.events)]
    lines += ["", "Output sizes at the largest size:", ""]
    lines += [f"- {name}: {value:,}" for name, value in large.sizes.items()]
    lines += ["", f"Bars at {large.events} events ({large.corpus}):", ""] + [f"- {line}" for line in bars(results)]
    return lines


def bars(results: list[SizeResult]) -> list[str]:
    """The issue's bars, each with the measured value and whether this run meets it."""
    large = results[-1]
    cold, plain, warm = large.median(large.portal), large.median(large.plain), large.median(large.warm)
    peak = max(large.memory["portal cold"].peak_mb, large.memory["portal warm"].peak_mb)  # an editor's warm builds count too
    checks = [("cold build ≤ 1.0 × plain Pelican", cold / plain, 1.0, "{:.2f} ×"),
              ("warm one-event edit ≤ 0.15 × the portal's cold build", warm / cold, 0.15, "{:.2f} ×"),
              ("output ≤ 15 KB per event", large.kb_per_event, 15, "{:.1f} KB"),
              ("output ≤ 2.5 files per event", large.files_per_event, 2.5, "{:.2f} files"),
              ("peak memory ≤ 600 MB (cold and warm builds)", peak, 600, "{:.0f} MB"),
              ("largest feed ≤ 1 MiB", large.sizes["largest feed (bytes)"], 1024 * 1024, "{:,} bytes")]
    if len(results) > 1:
        small = results[0]
        growth = (cold / large.events) / (small.median(small.portal) / small.events)
        checks.append((f"time per event at {large.events} ≤ 1.2 × at {small.events}", growth, 1.2, "{:.2f} ×"))
    return [f"{name}: {form.format(value)} — {'met' if value <= limit else 'NOT met'}"
            for name, value, limit, form in checks]


def kept_sections(out: Path) -> str:
    """The sections bench/images.py, bench/campaign.py and bench/search.py wrote into the report:
    measured separately (search with its browser), kept as they are."""
    from bench.images import BEGIN as IMAGES_BEGIN
    from bench.images import END as IMAGES_END
    from bench.search import BEGIN as SEARCH_BEGIN
    from bench.search import END as SEARCH_END

    return "".join(sections.kept_section(out, begin, end) for begin, end in (
        (IMAGES_BEGIN, IMAGES_END), (campaign.BEGIN, campaign.END), (SEARCH_BEGIN, SEARCH_END)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="门户与原生 Pelican 的并排基准测试")
    parser.add_argument("--sizes", default="1000,4000,16000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--corpora", default="seeded,realmix", help="seeded, realmix or both (comma-separated)")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="skip the traced build that shows where the time goes")
    parser.add_argument("--append", type=Path, help="notes on what was optimised, linked from the report")
    args = parser.parse_args(argv)
    results = []
    for corpus in args.corpora.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"基准测试：{corpus}，{size} 项活动……", flush=True)
            results.append(bench_size(size, args.repeats, args.work, args.seed, corpus))
    traced = profile(results[-1].events, args.work, results[-1].corpus) if args.profile else None
    shutil.rmtree(args.work / ".trash", ignore_errors=True)
    text = report(results, args.repeats, traced)
    editing = kept_section(args.out)  # measured by bench.editing, kept until it runs again
    if editing:
        text += "\n" + editing
    if args.append and args.append.exists():  # linked, not copied: the notes are read in their own file
        text += f"\nWhat was tried and measured, session by session: [{args.append.name}]({args.append.name}).\n"
    args.out.write_text(text + kept_sections(args.out), "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
