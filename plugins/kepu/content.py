"""Find, parse and validate event files; the parse step is cacheable and parallel."""

from __future__ import annotations

import os
from collections.abc import Iterable, MutableMapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import SourceDoc, parse
from .markup import render_markdown
from .model import Event
from .problems import Problem
from .validation import ValidationContext, validate_event

PARALLEL_THRESHOLD = 400
CACHE_VERSION = 1


@dataclass(slots=True)
class ParsedFile:
    """The expensive, cacheable part of reading a file: YAML and Markdown."""

    doc: SourceDoc | None
    html: str
    problems: list[Problem]


def parse_file(path: Path, shown: str) -> ParsedFile:
    """Read one content file; never raises for bad content."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ParsedFile(None, "", [Problem(shown, 0, "", f"无法读取文件（{exc.strerror}）",
                                             "检查文件权限")])
    doc, problems = parse(data, shown)
    html = render_markdown(doc.body) if doc is not None else ""
    return ParsedFile(doc, html, problems)


def _parse_many(items: list[tuple[str, str]]) -> list[ParsedFile]:
    return [parse_file(Path(path), shown) for path, shown in items]


def parse_files(items: list[tuple[Path, str]], workers: int | None = None) -> list[ParsedFile]:
    """Parse many files, across processes when there are enough to pay for it."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < PARALLEL_THRESHOLD:
        return [parse_file(path, shown) for path, shown in items]
    size = max(50, len(items) // (workers * 4))
    chunks = [[(str(p), s) for p, s in items[i:i + size]] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [parsed for chunk in pool.map(_parse_many, chunks) for parsed in chunk]


def find_event_files(content_dir: Path, folder: str = "events") -> list[Path]:
    """Every Markdown file under content/<folder>, in a stable order."""
    root = content_dir / folder
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.md") if p.is_file() and not p.name.startswith("."))


def load_events(files: Iterable[tuple[Path, str]], ctx: ValidationContext,
                cache: MutableMapping[str, ParsedFile] | None = None,
                ) -> tuple[list[Event], list[Problem]]:
    """Parse (through ``cache`` when given) and validate; report duplicate slugs."""
    files = list(files)
    parsed: dict[str, ParsedFile] = {}
    missing = []
    for path, shown in files:
        hit = cache.get(shown) if cache is not None else None
        if hit is not None:
            parsed[shown] = hit
        else:
            missing.append((path, shown))
    for (_path, shown), result in zip(missing, parse_files(missing), strict=True):
        parsed[shown] = result
        if cache is not None:
            cache[shown] = result
    events, problems = [], []
    for _path, shown in files:
        result = parsed[shown]
        problems.extend(result.problems)
        if result.doc is None:
            continue
        event, found = validate_event(result.doc, ctx, result.html)
        problems.extend(found)
        if event is not None:
            events.append(event)
    problems.extend(duplicate_slugs(shown for _, shown in files))
    slugs_in_error = {p.path for p in problems if p.is_error}
    return [e for e in events if e.source_path not in slugs_in_error], problems


def duplicate_slugs(paths: Iterable[str], report_on: set[str] | None = None) -> list[Problem]:
    """Files with the same name anywhere under events/ would share a URL: name them all."""
    by_slug: dict[str, list[str]] = {}
    for shown in sorted(set(paths)):
        by_slug.setdefault(Path(shown).stem, []).append(shown)
    problems = []
    for slug, shared in by_slug.items():
        if len(shared) < 2:
            continue
        for shown in shared:
            if report_on is not None and shown not in report_on:
                continue
            others = "、".join(s for s in shared if s != shown)
            problems.append(Problem(shown, 0, "", f"文件名“{slug}”与 {others} 重复，网址会冲突",
                                    f"给其中一个文件换个名字，例如 {slug}-2.md"))
    return problems
