"""Find, parse and validate event files; the parse step is cacheable and parallel."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kepu.content.frontmatter import MAX_FILE_BYTES, SourceDoc, parse
from kepu.content.markup import EXTERNAL, UNSAFE, MarkupError, Removal, render
from kepu.content.model import Event
from kepu.content.placeholders import placeholder_problems
from kepu.content.problems import WARNING, Problem
from kepu.content.safety import RESERVED_FIELDS, reserved_problems, source_problems, value_problems
from kepu.content.tree import FileTooLarge, NotRegularFile, read_capped
from kepu.content.validation import ValidationContext, validate_event

PARALLEL_THRESHOLD = 400  # files; fewer are parsed in this process (KEPU_PARALLEL_MIN_EVENTS's default)


MAX_REMOVAL_WARNINGS = 20
BODY = "正文"
_REMOVAL_TEXT = {
    UNSAFE: ("已删除不安全的 HTML：{}", "正文只能用 Markdown 和表格、图片等基本 HTML"),
    EXTERNAL: ("已删除外部图片：{}",
               "网站不加载其他网站的图片：把图片保存到 content/images/ 下，在前置信息中用 image: 引用"),
}
_UNSUPPORTED_TEXT = ("已删除不支持的 HTML：{}",
                     "正文只能用 Markdown 和表格、图片等基本 HTML；从 Word 或微信复制来的格式会被去掉")


@dataclass(slots=True)
class ParsedFile:
    """The expensive, cacheable part of reading a file: YAML and Markdown."""

    doc: SourceDoc | None
    html: str
    problems: list[Problem]


def parse_file(path: Path, shown: str, data: bytes | None = None,
               reserved: frozenset[str] = RESERVED_FIELDS) -> ParsedFile:
    """Read one content file (unless its bytes are given); never raises for bad content.
    ``reserved``: the fields that file may not set (news and pages also may not set status)."""
    if data is None:
        try:
            data = read_capped(path, MAX_FILE_BYTES)
        except OSError as exc:
            return _unreadable(shown, exc)
    problems = source_problems(data, shown)
    if problems:
        return ParsedFile(None, "", problems)
    try:
        doc, problems = parse(data, shown)
    except RecursionError:
        return ParsedFile(None, "", [Problem(shown, 1, "", "前置信息嵌套层次太深",
                                             "每个字段写成“字段名: 内容”，不要层层嵌套")])
    if doc is None:
        return ParsedFile(None, "", problems)
    found = value_problems(doc) + reserved_problems(doc, reserved)
    if found:
        return ParsedFile(None, "", problems + found)
    problems = problems + placeholder_problems(doc)
    try:
        rendered = render(doc.body)
    except MarkupError as exc:
        line = doc.body_line + max(exc.line - 1, 0)
        return ParsedFile(doc, "", [*problems, Problem(shown, line, BODY, exc.message, exc.hint)])
    return ParsedFile(doc, rendered.html, problems + removal_problems(rendered.removed, doc))


def _unreadable(shown: str, exc: OSError) -> ParsedFile:
    if isinstance(exc, FileTooLarge):
        size = exc.size / 1024 / 1024
        return ParsedFile(None, "", [Problem(shown, 0, "", f"文件太大（{size:.1f} MB），上限为 1 MB",
                                             "正文请精简，图片放到 content/images/ 再引用")])
    if isinstance(exc, NotRegularFile):
        return ParsedFile(None, "", [Problem(shown, 0, "", "这不是普通文件（可能是链接、管道或设备文件）",
                                             "删除它，换成普通的 .md 文件")])
    return ParsedFile(None, "", [Problem(shown, 0, "", f"无法读取文件（{exc.strerror or '读取失败'}）",
                                         "检查文件权限")])


def stamp(data: bytes) -> bytes:
    """What identifies a file's content in the cache."""
    return hashlib.sha1(data, usedforsecurity=False).digest()


def _parse_or_hit(path: str, shown: str, known: bytes | None) -> tuple[bytes | None, ParsedFile | None]:
    """Read a file once: if its stamp is the cached one, say so; else parse it."""
    try:
        data = read_capped(Path(path), MAX_FILE_BYTES)
    except OSError as exc:
        return None, _unreadable(shown, exc)
    current = stamp(data)
    if current == known:
        return current, None
    return current, parse_file(Path(path), shown, data)


def removal_problems(removed: Iterable[Removal], doc: SourceDoc) -> list[Problem]:
    """One warning per line and kind of removal, naming what went; at most a screenful."""
    grouped: dict[tuple[int, str], list[str]] = {}
    for item in removed:
        line = doc.body_line + item.line - 1 if item.line else doc.body_line
        names = grouped.setdefault((line, item.kind), [])
        if item.what not in names:
            names.append(item.what)
    problems = []
    for (line, kind), names in sorted(grouped.items()):
        message, hint = _REMOVAL_TEXT.get(kind, _UNSUPPORTED_TEXT)
        problems.append(Problem(doc.path, line, BODY, message.format("、".join(names)), hint, WARNING))
    if len(problems) > MAX_REMOVAL_WARNINGS:
        rest = len(problems) - MAX_REMOVAL_WARNINGS
        more = Problem(doc.path, problems[MAX_REMOVAL_WARNINGS].line, BODY,
                       f"另有 {rest} 行的 HTML 也被删除了", _UNSUPPORTED_TEXT[1], WARNING)
        problems = [*problems[:MAX_REMOVAL_WARNINGS], more]
    return problems


def _parse_many(items: list[tuple[str, str, bytes | None]]) -> list[tuple[bytes | None, bytes | None]]:
    """In a worker: each parse pickled here, once, both to travel to the parent and to be
    kept in the cache as it is (so saving the cache does not pickle thousands of objects)."""
    results = []
    for path, shown, known in items:
        current, parsed = _parse_or_hit(path, shown, known)
        results.append((current, None if parsed is None else pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL)))
    return results


def _unchanged(path: str, known: bytes | None) -> tuple[bytes, None] | None:
    """(stamp, None) when the file's stamp is the cached one; None when it must be parsed."""
    if known is None:
        return None
    try:
        current = stamp(read_capped(Path(path), MAX_FILE_BYTES))
    except OSError:
        return None  # parsed, so that its problem is reported
    return (current, None) if current == known else None


def parse_files(items: list[tuple[Path, str]], workers: int | None = None,
                known: dict[str, bytes] | None = None, min_items: int = PARALLEL_THRESHOLD,
                ) -> Iterator[tuple[bytes | None, bytes | None]]:
    """Read and parse many files, across processes when there are enough to pay for it.

    Yields (stamp, pickled parse) in the order of ``items`` as soon as each is ready, so the
    caller works on early files while later ones are parsed; the parse is None when the stamp
    equals ``known[shown]`` (the caller has that file's parse cached already). Files with a
    stamp in ``known`` are read and stamped in this process first (a rebuild, where most are
    unchanged, starts no workers); of the rest, fewer than ``min_items`` are parsed here."""
    known = known or {}
    requests = [(str(path), shown, known.get(shown)) for path, shown in items]
    hits = [_unchanged(path, stamped) for path, _shown, stamped in requests]
    parsed = _parse_all([r for r, hit in zip(requests, hits, strict=True) if hit is None], workers, min_items)
    for hit in hits:
        yield hit if hit is not None else next(parsed)


def _parse_all(requests: list[tuple[str, str, bytes | None]], workers: int | None,
               min_items: int) -> Iterator[tuple[bytes | None, bytes | None]]:
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(requests) < min_items:
        yield from _parse_many(requests)
        return
    from concurrent.futures import ProcessPoolExecutor  # only a large site reads in parallel

    from kepu.engine.processes import die_with_parent

    size = max(50, len(requests) // (workers * 8))
    chunks = [requests[i:i + size] for i in range(0, len(requests), size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent) as pool:
        for chunk in pool.map(_parse_many, chunks):
            yield from chunk


Validated = tuple[Event | None, list[Problem]]  # what ``validate_event`` gives


class ParseCache(Protocol):
    """Where parsed files are kept between builds, by their shown path and stamp; and what
    validating them gave, with what validation read besides the file (``ValidationContext.inputs``
    and the files it looked for)."""

    def stamps(self) -> dict[str, bytes]: ...

    def get(self, shown: str) -> ParsedFile | None: ...

    def put(self, shown: str, stamp: bytes, pickled: bytes) -> None: ...

    def validated(self, shown: str, stamp: bytes, ctx: ValidationContext) -> Validated | None: ...

    def keep_validated(self, shown: str, stamp: bytes, ctx: ValidationContext, probes: list[tuple[str, bool]],
                       result: Validated) -> None: ...


def load_events(files: Iterable[tuple[Path, str]], ctx: ValidationContext,
                cache: ParseCache | None = None, workers: int | None = None,
                min_items: int = PARALLEL_THRESHOLD) -> tuple[list[Event], list[Problem]]:
    """Parse (files unchanged since the cache was written are not parsed again) and
    validate; report duplicate slugs."""
    files = list(files)
    results = parse_files(files, workers, cache.stamps() if cache else None, min_items)
    events, problems = [], []
    for (_path, shown), (current, pickled) in zip(files, results, strict=True):
        kept = cache.validated(shown, current, ctx) if cache is not None and pickled is None else None
        if kept is not None:  # unchanged, and so is everything its validation read
            event, found = kept
            problems.extend(found)
            if event is not None:
                events.append(event)
            continue
        result = None if pickled is None else pickle.loads(pickled)
        if result is None and cache is not None:
            result = cache.get(shown)
        if result is None:  # a stale cache entry: parse here
            current, result = _parse_or_hit(str(_path), shown, None)
            pickled = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        if cache is not None and current is not None and pickled is not None:
            cache.put(shown, current, pickled)
        problems.extend(result.problems)
        if result.doc is None:
            continue
        event, found = _validate(result, ctx, cache, shown, current)
        problems.extend(found)
        if event is not None:
            events.append(event)
    problems.extend(duplicate_slugs(shown for _, shown in files))
    problems.extend(duplicate_events(events))
    slugs_in_error = {p.path for p in problems if p.is_error}
    return [e for e in events if e.source_path not in slugs_in_error], problems


def _validate(parsed: ParsedFile, ctx: ValidationContext, cache: ParseCache | None, shown: str,
              stamp: bytes | None) -> Validated:
    """``validate_event``, kept in the cache with the files it looked for."""
    if cache is None or stamp is None or parsed.problems:
        return validate_event(parsed.doc, ctx, parsed.html)
    ctx.probes = []
    try:
        result = validate_event(parsed.doc, ctx, parsed.html)
        cache.keep_validated(shown, stamp, ctx, ctx.probes, result)
    finally:
        ctx.probes = None
    return result


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


SAME_EVENT = "与 {others} 是同一个活动（标题、开始时间和街镇都相同），网站上会出现两次"
SAME_EVENT_HINT = "如果是复制后忘了改，改成新活动的标题和时间；如果是重复添加，删去其中一个文件"


def title_key(title: str) -> str:
    """A title as two volunteers typing the same one would both write it: full-width and
    half-width forms, spacing and case made alike, invisible format characters (U+200B…) dropped."""
    text = "".join(c for c in unicodedata.normalize("NFKC", title) if unicodedata.category(c) != "Cf")
    return " ".join(text.split()).casefold()


def duplicate_events(events: Iterable[Event], report_on: set[str] | None = None) -> list[Problem]:
    """Published events with the same title, start and street (a copied file left unchanged, or
    one event added twice): each file's problem names the others. One pass, keyed by a dict."""
    by_key: dict[tuple, list[str]] = {}
    for event in events:
        if not event.draft:
            by_key.setdefault((event.street, event.start, title_key(event.title)), []).append(event.source_path)
    problems = []
    for shared in by_key.values():
        for path in sorted(shared) if len(shared) > 1 else ():
            if report_on is None or path in report_on:
                others = "、".join(sorted(p for p in shared if p != path))
                problems.append(Problem(path, 0, "", SAME_EVENT.format(others=others), SAME_EVENT_HINT))
    return problems


_TITLE_LINE = re.compile(r"^title:(.*)$", re.MULTILINE)
_PLAIN_START = tuple("'\"[]{}&*!|>%@`#")
TITLE_HEAD_BYTES = 2048  # the title is near the top; a file whose title is further down is parsed


def plain_title(path: Path) -> str | None:
    """The title a file's ``title:`` line gives, read without YAML (quick enough for every event
    file at each single-file check); None when that line alone cannot tell (quoted, continued
    on the next line, not near the top, or unreadable): such a file must be parsed."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # plain files only reach here
        try:
            head = os.read(descriptor, TITLE_HEAD_BYTES).decode("utf-8-sig", "ignore")  # a cut last character
        finally:
            os.close(descriptor)
    except OSError:
        return None
    front = head.split("\n---", 1)[0]  # the front matter, or all of the head
    found = _TITLE_LINE.search(front)
    if not found:
        return None
    value = found[1].strip()
    following = front[found.end():].lstrip("\r\n")
    if not value or value.startswith(_PLAIN_START) or re.search(r"\s#", value) or following[:1] in (" ", "\t"):
        return None
    return value


def may_be_titled(path: Path, titles: Collection[str]) -> bool:
    """Whether the event file at ``path`` may have one of ``titles`` (as title_key gives them)."""
    title = plain_title(path)
    return title is None or title_key(title) in titles
