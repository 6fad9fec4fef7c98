"""Where things live in a portal's content folder, and checking all of it without a build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .articles import validate_article
from .content import duplicate_slugs, find_event_files, load_events, parse_file
from .fspaths import resolved, resolved_folder
from .model import Event, Registries
from .problems import Problem
from .registries import load_registries
from .validation import ValidationContext


@dataclass(frozen=True, slots=True)
class Layout:
    """The content folder and the names of its parts (settings EVENT_PATHS etc.)."""

    content: Path
    root: Path
    events: str = "events"
    articles: str = "articles"
    pages: str = "pages"
    data: str = "data"

    def shown(self, path: Path) -> str:
        """A path as editors see it: relative to the project root (a file's own name is kept
        even when it is a link; its folder is resolved once per folder, not once per file)."""
        try:
            return resolved(path).relative_to(resolved_folder(self.root)).as_posix()
        except ValueError:
            return path.as_posix()

    def files(self, folder: str) -> list[Path]:
        return find_event_files(self.content, folder)

    def slugs(self, folder: str) -> frozenset[str]:
        return frozenset(p.stem for p in self.files(folder))

    def context(self, registries: Registries, timezone: str) -> ValidationContext:
        return ValidationContext(registries, self.content, timezone, self.slugs(self.articles))


@dataclass(slots=True)
class CheckResult:
    problems: list[Problem]
    events: list[Event]
    checked_files: int

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def check(layout: Layout, only: list[Path] | None = None,
          timezone: str = "Asia/Shanghai") -> CheckResult:
    """Validate registries and content (all files, or just ``only``) and report every problem."""
    registries, problems = load_registries(layout.content / layout.data,
                                           layout.shown(layout.content / layout.data))
    ctx = layout.context(registries, timezone)
    wanted = {p.resolve() for p in only} if only else None

    def selected(folder: str) -> list[tuple[Path, str]]:
        return [(p, layout.shown(p)) for p in layout.files(folder)
                if wanted is None or p.resolve() in wanted]

    event_files = selected(layout.events)
    events, found = load_events(event_files, ctx)
    problems.extend(found)
    if wanted is not None:  # a checked file still must not reuse another file's name
        all_events = [layout.shown(p) for p in layout.files(layout.events)]
        mine = {shown for _, shown in event_files}
        problems.extend(p for p in duplicate_slugs(all_events, mine) if p not in problems)
    event_slugs = layout.slugs(layout.events)
    checked = len(event_files)
    for folder, kind in ((layout.articles, "article"), (layout.pages, "page")):
        for path, shown in selected(folder):
            parsed = parse_file(path, shown)
            problems.extend(parsed.problems)
            if parsed.doc is not None:
                problems.extend(validate_article(parsed.doc, ctx, kind, event_slugs)[1])
            checked += 1
    return CheckResult(problems, events, checked)
