"""Where things live in a portal's content folder, and checking all of it without a build."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kepu.content.articles import validate_article
from kepu.content.datechecks import Review
from kepu.content.events import (
    duplicate_events,
    duplicate_slugs,
    load_events,
    may_be_titled,
    parse_file,
    title_key,
)
from kepu.content.fspaths import resolved, resolved_folder
from kepu.content.model import Event, Registries
from kepu.content.problems import Problem
from kepu.content.registries import load_registries
from kepu.content.safety import ARTICLE_RESERVED_FIELDS
from kepu.content.tree import ContentTree, Sections, scan
from kepu.content.validation import ValidationContext, body_problems
from kepu.content.webnames import name_clashes
from kepu.formats.urls import ADMIN_FOLDER, UrlScheme


@dataclass(frozen=True, slots=True)
class Layout:
    """The content folder and the names of its parts (settings EVENT_PATHS etc.)."""

    content: Path
    root: Path
    events: str = "events"
    articles: str = "articles"
    pages: str = "pages"
    data: str = "data"
    images: str = "images"

    def shown(self, path: Path) -> str:
        """A path as editors see it: relative to the project root (a file's own name is kept
        even when it is a link; its folder is resolved once per folder, not once per file)."""
        try:
            return resolved(path).relative_to(resolved_folder(self.root)).as_posix()
        except ValueError:
            return path.as_posix()

    def registries(self, event_slugs: Collection[str] | None = None) -> tuple[Registries, list[Problem]]:
        """The registries of content/<data>, their problems naming the files as editors see them."""
        folder = self.content / self.data
        return load_registries(folder, self.shown(folder), event_slugs)

    @property
    def sections(self) -> Sections:
        return Sections(self.events, self.articles, self.pages, self.data, self.images)

    def scan(self) -> ContentTree:
        """Every plain file in the content folder, by section, and the entries refused."""
        return scan(self.content, self.sections, self.shown)

    def files(self, folder: str, tree: ContentTree | None = None) -> list[Path]:
        return list((tree or self.scan()).section(self.sections, folder))

    def slugs(self, folder: str, tree: ContentTree | None = None) -> frozenset[str]:
        return frozenset(p.stem for p in self.files(folder, tree))

    def context(self, registries: Registries, timezone: str,
                tree: ContentTree | None = None) -> ValidationContext:
        return ValidationContext(registries, self.content, timezone, self.slugs(self.articles, tree),
                                 images=self.images, events=self.events)


@dataclass(slots=True)
class CheckResult:
    problems: list[Problem]
    events: list[Event]
    checked_files: int

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def tree_problems(layout: Layout, tree: ContentTree, only: set[str] | None = None) -> list[Problem]:
    """What the walk refused, and every image that is not the image it claims to be
    (``only``: just these shown paths)."""
    problems = [p for p in tree.problems if only is None or p.path in only]
    for path in tree.images:
        shown = layout.shown(path)
        if only is None or shown in only:
            from kepu.content.images import (
                inspect_file,  # Pillow and pillow-heif: loaded only to judge an image
            )

            problems.extend(inspect_file(path, shown).problems)
    images = [(layout.shown(path), path.relative_to(layout.content).as_posix()) for path in tree.images]
    problems.extend(p for p in name_clashes(images) if only is None or p.path in only)
    return problems


COLLISION = "两个页面要写到同一个位置：{where}（网址 /{url}）"
COLLISION_HINT = "文件名不能与栏目网址重名（如 events、news、streets、past、subscribe）：请给这个文件换个名字"


def fixed_outputs(urls: UrlScheme, settings: Mapping[str, Any] | None = None) -> set[str]:
    """Where the site's own pages go (sections, indexes, feeds): every pattern without a field,
    every ``*_SAVE_AS`` setting without one (Pelican's direct templates such as news/), and the
    web editor's page."""
    fixed = {save_as for _, save_as in urls.patterns.values() if "{" not in save_as} | {f"{ADMIN_FOLDER}/index.html"}
    fixed.update(value for key, value in (settings or {}).items()
                 if key.endswith("_SAVE_AS") and isinstance(value, str) and value and "{" not in value)
    return fixed


def output_collisions(layout: Layout, tree: ContentTree, urls: UrlScheme,
                      settings: Mapping[str, Any] | None = None) -> list[Problem]:
    """A content file whose page would be written where one of the site's own pages goes
    (a page named events.md or news.md, an event named past.md): named before anything is written."""
    fixed = fixed_outputs(urls, settings)
    problems = []
    for folder, kind in ((layout.events, "EVENT"), (layout.articles, "ARTICLE"), (layout.pages, "PAGE")):
        for path in layout.files(folder, tree):
            where = urls.save_as(kind, slug=path.stem)
            if where in fixed:
                problems.append(Problem(layout.shown(path), 0, "", COLLISION.format(
                    where=where, url=where.removesuffix("index.html")), COLLISION_HINT))
    return problems


def check(layout: Layout, only: list[Path] | None = None, timezone: str = "Asia/Shanghai",
          urls: UrlScheme | None = None, settings: Mapping[str, Any] | None = None,
          review: Review | None = None) -> CheckResult:
    """Validate the tree, registries and content (all files, or just ``only``) and report every
    problem: the same problems, from the same functions, as the build (``review``, which the
    build has not: today and the files the change adds, for new events already over). Checking
    some files reads those (and the registries, and the events that may repeat them); the rest of
    the site is looked at by name (the walk)."""
    tree = layout.scan()
    folders = (layout.events, layout.articles, layout.pages)
    wanted = _Wanted(only) if only else None
    chosen = {folder: [(p, layout.shown(p)) for p in layout.files(folder, tree) if wanted is None or p in wanted]
              for folder in folders}
    shown_wanted = {layout.shown(p) for p in only} if only else None
    problems = [p for p in [*tree_problems(layout, tree, shown_wanted),
                            *output_collisions(layout, _only(tree, chosen, layout) if only else tree,
                                               urls or _urls_of(settings), settings)]
                if shown_wanted is None or p.path in shown_wanted]
    registries, found = layout.registries(layout.slugs(layout.events, tree))
    problems.extend(found)
    ctx = layout.context(registries, timezone, tree)
    ctx.review = review
    events, found = load_events(chosen[layout.events], ctx)
    problems.extend(found)
    if wanted is not None:
        others = same_events_elsewhere(layout, events, layout.files(layout.events, tree), replace(ctx, review=None),
                                       skip=wanted.keys)
        problems.extend(p for p in others if p not in problems)
    checked = len(chosen[layout.events])
    for folder in folders:
        if folder != layout.events or wanted is not None:  # load_events named its own
            mine = None if wanted is None else {shown for _, shown in chosen[folder]}
            problems.extend(p for p in shared_names(layout, layout.files(folder, tree), mine) if p not in problems)
    event_slugs = layout.slugs(layout.events, tree)
    for folder, kind in ((layout.articles, "article"), (layout.pages, "page")):
        for path, shown in chosen[folder]:
            parsed = parse_file(path, shown, reserved=ARTICLE_RESERVED_FIELDS)
            problems.extend(parsed.problems)
            if parsed.doc is not None:
                problems.extend(validate_article(parsed.doc, ctx, kind, event_slugs)[1])
                problems.extend(body_problems(parsed.doc, parsed.html, ctx))
            checked += 1
    return CheckResult(problems, events, checked)


def _urls_of(settings: Mapping[str, Any] | None) -> UrlScheme:
    """The URL patterns of these settings; without settings (a library call, a test), those of the
    generator's own pelicanconf.py. The tools pass their SiteConfig's (kepu.config)."""
    if settings:
        return UrlScheme.from_settings(settings)
    from kepu.config import own_config  # kepu.config builds on this module

    return own_config().urls


def shared_names(layout: Layout, files: Iterable[Path], report_on: set[str] | None = None) -> list[Problem]:
    """``duplicate_slugs`` of these files: only files whose name another shares are named
    (resolving the path of each of thousands of files would cost more than the check)."""
    by_stem: dict[str, list[Path]] = {}
    for path in files:
        by_stem.setdefault(path.stem, []).append(path)
    return duplicate_slugs([layout.shown(p) for group in by_stem.values() if len(group) > 1 for p in group],
                           report_on)


class _Wanted:
    """The files given to check, matched however they were typed (no link is followed): by name
    first, so that most of a large tree is passed over without building its absolute paths."""

    def __init__(self, paths: Iterable[Path]):
        self.keys = {_key(p) for p in paths}
        self.names = {os.path.basename(key) for key in self.keys}

    def __contains__(self, path: Path) -> bool:
        return path.name in self.names and _key(path) in self.keys


def _only(tree: ContentTree, chosen: Mapping[str, list[tuple[Path, str]]], layout: Layout) -> ContentTree:
    """The tree with just the chosen text files."""
    keep = {folder: tuple(path for path, _ in files) for folder, files in chosen.items()}
    return replace(tree, events=keep[layout.events], articles=keep[layout.articles], pages=keep[layout.pages])


def same_events_elsewhere(layout: Layout, events: list[Event], paths: list[Path], ctx: ValidationContext,
                          skip: Collection[str] = ()) -> list[Problem]:
    """The checked events that another event file (of ``paths``, but not those ``skip`` names as
    _key gives them) repeats: same title, start and street. Only files whose title line may
    match are parsed, so a single-file check stays quick at 16,000 events."""
    titles = {title_key(event.title) for event in events}
    if not titles:
        return []
    candidates = [(path, layout.shown(path)) for path in paths
                  if may_be_titled(path, titles) and _key(path) not in skip]
    found, _ = load_events(candidates, ctx)
    return duplicate_events([*events, *found], report_on={event.source_path for event in events})


def _key(path: Path) -> str:
    """A path as the same file is named however it was typed (no link is followed)."""
    return os.path.abspath(path)
