"""Search quality and weight, measured in Chromium through the site's own search page.

    invoke bench-search        (or: PYTHONPATH=plugins python -m bench.search [--results bench/RESULTS.md])

Queries come from the content, checked against an oracle that does not use the index: a page
is expected for a query when its text contains the query (or a synonym of it, as
synonyms.yml says). Kinds of query:
- substrings: 2–6-character parts of titles that jieba's dictionary knows as words (an
  independent word list), and the names of programmes, venues, streets, teams, categories;
- real: hand-written queries in bench/search_queries.yml with what they must find;
- pinyin: full pinyin and initials of those names (pypinyin); expected are the pages with the
  name among their names (pinyin is indexed for names, not for body text);
- typos: 4+-character names with one character after the first replaced by a homophone.
recall@10 of a query = expected pages among the first ten shown ÷ min(10, expected pages).
Bytes and requests count what the page fetched of the index for the query (a fresh browser
context each time: nothing cached). Run at the sample's size (the built sample site) and at
about 16,000 events (the sample's events and news copied as often as that takes, each copy a
week apart, with the sample site's own search page).
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import yaml

from bench import sections
from kepu.config import load
from kepu.content.events import parse_file
from kepu.content.project import Layout, check
from kepu.content.safety import ARTICLE_RESERVED_FIELDS
from kepu.formats.searchdocs import event_doc, news_doc, search_site
from kepu.formats.searchindex import SearchDoc, build
from kepu.formats.searchterms import is_han, runs
from kepu.index.site import build_index

ROOT = Path(__file__).resolve().parents[1]

BUILD_DATE = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # the reader's clock
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
KINDS = ("substrings", "names", "real", "pinyin", "typos")
WEEK = 7 * 24 * 3600


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    expected: frozenset[str]  # page URLs (relative to the site)


@dataclass
class Outcome:
    query: Query
    shown: list[str]
    bytes: int
    requests: int

    @property
    def recall(self) -> float:
        wanted = self.query.expected
        return len(wanted & set(self.shown[:10])) / min(10, len(wanted))


@dataclass
class Corpus:
    docs: list[SearchDoc]
    synonyms: list[tuple[str, ...]] = field(default_factory=list)

    def haystacks(self, names_only: bool = False) -> dict[str, str]:
        return {d.url: normal("\n".join(d.names if names_only else (*d.names, *d.text))) for d in self.docs}


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def sample_corpus() -> tuple[Corpus, object]:
    """The sample's events and news as search records, read without Pelican."""
    layout = Layout(ROOT / "content", ROOT)
    result = check(layout)
    registries, _ = layout.registries()
    index = build_index(result.events, registries, load(ROOT / "pelicanconf.py").urls, BUILD_DATE,
                        "Asia/Shanghai", 365)
    docs = [event_doc(entry) for entry in index.entries]
    for path in sorted((layout.content / layout.articles).rglob("*.md")):
        parsed = parse_file(path, layout.shown(path), reserved=ARTICLE_RESERVED_FIELDS)
        meta = parsed.doc.meta
        day = meta["date"] if isinstance(meta["date"], date) else date.fromisoformat(str(meta["date"])[:10])
        docs.append(news_doc(f"news/{meta.get('slug', path.stem)}/", meta["title"], day, "", parsed.html))
    return Corpus(docs, [s.group for s in registries.synonyms.values()]), registries


def copies(corpus: Corpus, count: int) -> Corpus:
    """The corpus ``count`` times, each copy a week later (so half is over, half to come)."""
    docs = []
    for k in range(count):
        shift = (k - count // 2) * WEEK
        for doc in corpus.docs:
            docs.append(replace(doc, url=f"{doc.url.rstrip('/')}-{k}/",
                                ends=None if doc.ends is None else doc.ends + shift,
                                order=(*doc.order, k)))
    return Corpus(docs, corpus.synonyms)


# --- queries -------------------------------------------------------------------------------

def _names(corpus: Corpus) -> list[str]:
    """Names of two to twelve Chinese characters: programmes, venues, streets, teams, categories."""
    found = set()
    for doc in corpus.docs:
        for name in doc.names[1:]:
            parts = list(runs(name)) if name else []
            if len(parts) == 1 and is_han(parts[0]) and parts[0] == normal(name) and 2 <= len(parts[0]) <= 12:
                found.add(parts[0])
    return sorted(found)


def _words(corpus: Corpus) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.ERROR)
    jieba.initialize()
    found = set()
    for doc in corpus.docs:
        for run in runs(doc.title):
            if not is_han(run):
                continue
            for size in range(2, 7):
                found.update(run[i:i + size] for i in range(len(run) - size + 1)
                             if jieba.dt.FREQ.get(run[i:i + size]))
    return sorted(found)


def _expected(text: str, hay: dict[str, str], synonyms: list[tuple[str, ...]]) -> frozenset[str]:
    words = {normal(text)}
    for group in synonyms:
        if normal(text) in {normal(w) for w in group}:
            words |= {normal(w) for w in group}
    return frozenset(url for url, body in hay.items() if any(w in body for w in words))


def _pinyin(name: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    full = lazy_pinyin(name, style=Style.NORMAL)
    return "".join(full), "".join(s[0] for s in full)


def _homophones() -> dict[str, list[str]]:
    """Characters by sound, the 3,000 most used (jieba's counts) only: what an input method offers."""
    import jieba
    from pypinyin import Style, pinyin

    jieba.initialize()
    chars = [w for w, n in jieba.dt.FREQ.items() if len(w) == 1 and n and "\u4e00" <= w <= "\u9fa5"]
    common = sorted(chars, key=lambda c: -jieba.dt.FREQ[c])[:3000]
    by_sound: dict[str, list[str]] = defaultdict(list)
    for char in common:
        by_sound[pinyin(char, style=Style.NORMAL)[0][0]].append(char)
    return by_sound


def _typo(name: str, rng: random.Random, sounds: dict[str, list[str]], hay: dict[str, str]) -> str | None:
    from pypinyin import Style, pinyin

    for position in rng.sample(range(1, len(name)), len(name) - 1):
        choices = [c for c in sounds.get(pinyin(name[position], style=Style.NORMAL)[0][0], []) if c != name[position]]
        rng.shuffle(choices)
        for char in choices[:20]:
            typo = name[:position] + char + name[position + 1:]
            if not any(typo in body for body in hay.values()):
                return typo
    return None


def queries(corpus: Corpus, limit: int, seed: int = 2023) -> list[Query]:
    rng = random.Random(seed)
    hay = corpus.haystacks()
    names = _names(corpus)
    out: list[Query] = []

    named = corpus.haystacks(names_only=True)

    def add(kind: str, text: str, original: str | None = None) -> None:
        # Pinyin finds names (titles, programmes, venues, streets, teams), not body text.
        expected = _expected(original or text, named if kind == "pinyin" else hay, corpus.synonyms)
        if expected:
            out.append(Query(kind, text, expected))

    words = _words(corpus)
    for word in rng.sample(words, min(limit, len(words))):
        add("substrings", word)
    for name in rng.sample(names, min(limit, len(names))):
        add("names", name)
    for item in yaml.safe_load((ROOT / "bench" / "search_queries.yml").read_text("utf-8")):
        expected = frozenset(url for url, body in hay.items() if any(normal(w) in body for w in item["finds"]))
        out.append(Query("real", item["q"], expected))
    for name in rng.sample(names, min(limit // 2, len(names))):
        full, initials = _pinyin(name)
        add("pinyin", full, name)
        if len(initials) >= 3:
            add("pinyin", initials, name)
    sounds = _homophones()
    long_names = [n for n in names + words if len(n) >= 4]
    for name in rng.sample(long_names, min(limit // 2, len(long_names))):
        typo = _typo(name, rng, sounds, hay)
        if typo:
            add("typos", typo, name)
    return out


# --- the browser ---------------------------------------------------------------------------

def serve(folder: Path):
    from kepu.editor.server import serve as make

    server = make(folder, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def run_queries(base: str, found: list[Query]) -> list[Outcome]:
    """Each query on a fresh page of /search/?q=… (no cache); what was shown and fetched."""
    from playwright.sync_api import sync_playwright

    outcomes = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for query in found:
            context = browser.new_context()
            page = context.new_page()
            page.clock.set_fixed_time(NOW)
            fetched: list = []
            page.on("requestfinished", lambda request, fetched=fetched: fetched.append(request))
            page.goto(f"{base}/search/?q={quote(query.text)}")
            page.wait_for_function("""() => {
                const s = document.getElementById('search-status').textContent;
                return s && !s.startsWith('正在') && !s.startsWith('输入');
            }""")
            hrefs = page.eval_on_selector_all("#search-results h2 a, #search-close a",
                                              "links => links.map(a => a.getAttribute('href'))")
            index = [r for r in fetched if ("/search/" in r.url or "/pagefind/" in r.url)  # ours, or Pagefind's
                     and not r.url.endswith("/search/") and "?q=" not in r.url]
            size = sum(len(r.response().body()) for r in index if r.response())
            shown = [h.split("/", 3)[3] if h.startswith("http") else h.lstrip("/") for h in hrefs]
            outcomes.append(Outcome(query, shown, size, len(index)))
            context.close()
        browser.close()
    return outcomes


# --- reports -------------------------------------------------------------------------------

def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def table(label: str, outcomes: list[Outcome], site_bytes: int, files: int, docs: int) -> list[str]:
    lines = [f"**{label}** — {docs:,} pages indexed; index {site_bytes / 1024:,.0f} KB in {files:,} files.", "",
             "| queries | n | recall@10 | median KB | p95 KB | median requests | p95 requests |",
             "|---|---|---|---|---|---|---|"]
    for kind in (*KINDS, "all"):
        chosen = [o for o in outcomes if kind == "all" or o.query.kind == kind]
        if not chosen:
            continue
        kb = [o.bytes / 1024 for o in chosen]
        req = [float(o.requests) for o in chosen]
        lines.append(f"| {kind} | {len(chosen)} | {statistics.fmean(o.recall for o in chosen):.3f} | "
                     f"{statistics.median(kb):.1f} | {_pct(kb, .95):.1f} | {statistics.median(req):.0f} | "
                     f"{_pct(req, .95):.0f} |")
    misses = [o for o in outcomes if o.recall < 1][:8]
    if misses:
        lines += ["", "Some queries below 1.0: " + "; ".join(
            f"{o.query.kind} “{o.query.text}” {o.recall:.2f}" for o in misses)]
    return [*lines, ""]


def _index_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*.json") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def build_sample(work: Path) -> Path:
    output = work / "sample"
    subprocess.run([sys.executable, "-m", "kepu_pelican.build", "-s", str(ROOT / "pelicanconf.py"), "--content",
                    str(ROOT / "content"), "-o", str(output), "--build-date", BUILD_DATE.isoformat(),
                    "--cache", str(work / "cache")], cwd=ROOT, check=True, capture_output=True,
                   env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"})
    return output


def with_index(sample: Path, corpus: Corpus, registries, target: Path) -> Path:
    """The sample site with its search index replaced by ``corpus``'s."""
    shutil.copytree(sample, target, copy_function=shutil.copy2)
    shutil.rmtree(target / "search")
    (target / "search").mkdir()
    shutil.copy2(sample / "search" / "index.html", target / "search" / "index.html")
    for path, data in build(corpus.docs, search_site(registries)).items():
        (target / "search" / path).parent.mkdir(parents=True, exist_ok=True)
        (target / "search" / path).write_bytes(data)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=16_000, help="events in the large corpus (copies of the sample's)")
    parser.add_argument("--sample-queries", type=int, default=400)
    parser.add_argument("--big-queries", type=int, default=120)
    parser.add_argument("--site", type=Path, help="measure this built site instead (e.g. another engine)")
    parser.add_argument("--big-only", action="store_true", help="only the copies (16,000 events)")
    parser.add_argument("--results", type=Path, help="write the tables into this Markdown file")
    args = parser.parse_args(argv)
    corpus, registries = sample_corpus()
    lines = ["## Search: recall and weight per query (bench/search.py)", "",
             f"Measured {date.today().isoformat()} in Debian's Chromium, a fresh context per query "
             f"(nothing cached), the reader's clock at 2026-12-01 10:00.", ""]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = args.site or build_sample(work)
        server, base = serve(site)
        found = queries(corpus, args.sample_queries)
        size, files = _index_size(site / "search") if (site / "search").is_dir() else (0, 0)
        if not args.big_only:
            lines += table(f"Sample ({len(corpus.docs)} pages)", run_queries(base, found), size, files,
                           len(corpus.docs))
        server.shutdown()
        count = max(1, round(args.events / sum(1 for d in corpus.docs if d.is_event)))
        if count > 1:
            big = copies(corpus, count)
            folder = with_index(site, big, registries, work / "big")
            server, base = serve(folder)
            sample = random.Random(7).sample(found, min(args.big_queries, len(found)))
            scaled = [replace(q, expected=_expected_urls(q, big)) for q in sample]
            size, files = _index_size(folder / "search")
            events = sum(1 for d in big.docs if d.is_event)
            lines += table(f"{events:,} events ({len(big.docs):,} pages: the sample × {count})",
                           run_queries(base, scaled), size, files, len(big.docs))
            server.shutdown()
    text = "\n".join(lines)
    print(text)
    if args.results:
        write_section(args.results, text)
    return 0


BEGIN, END = "<!-- bench/search.py: begin -->", "<!-- bench/search.py: end -->"


def write_section(path: Path, text: str) -> None:
    sections.write_section(path, text, BEGIN, END)


def _expected_urls(query: Query, big: Corpus) -> frozenset[str]:
    """A query's expected pages among the copies: the copies of the pages it expects."""
    stems = {url.rstrip("/") for url in query.expected}
    return frozenset(d.url for d in big.docs if d.url.rstrip("/").rsplit("-", 1)[0] in stems)


if __name__ == "__main__":
    sys.exit(main())
