"""The content tree: the one walk over content/ that the build and the check share, and capped reads."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .problems import WARNING, Problem

CONTENT_SUFFIX = ".md"
# Names a file manager or git leaves behind; never published, never an error.
IGNORED_NAMES = frozenset({".gitkeep"})
# Suffixes of Markdown files that other tools write: refused by name with the fix, not ignored.
MARKDOWN_LIKE = (".markdown", ".mkd", ".mkdn", ".mdown", ".mdwn", ".mdtxt", ".mdtext", ".text", ".txt",
                 ".rst", ".html", ".htm")
LINK_OUT = ("这是一个指向内容文件夹之外的链接（symlink）", "删除这个链接，把真正的文件放进 content/ 文件夹")
LINK_IN = ("这是一个链接（symlink）：同一内容会被读取或发布两次",
           "删除这个链接；需要两份时复制文件并改名")
NOT_REGULAR = ("这不是普通文件（可能是管道或设备文件）", "删除它")
UNREADABLE = ("无法读取这个文件或链接", "删除它，或换成普通文件")


class NotRegularFile(OSError):
    """A path that is a link, a folder, a pipe or a device where a plain file is expected."""


class FileTooLarge(OSError):
    """A file over the size limit; ``size`` is its size in bytes."""

    def __init__(self, size: int):
        super().__init__(f"file of {size} bytes")
        self.size = size


def read_capped(path: Path, limit: int) -> bytes:
    """A plain file's bytes, at most ``limit`` of them: never follows a link in the file's own name,
    never blocks on a pipe, never reads a device or a growing file without end."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == 40 or os.path.islink(path):  # ELOOP: the name itself is a link
            raise NotRegularFile(f"{path} is a link") from error
        raise
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path} is not a plain file")
        if info.st_size > limit:
            raise FileTooLarge(info.st_size)
        chunks, total = [], 0
        while chunk := os.read(descriptor, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(total)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


@dataclass(frozen=True, slots=True)
class Sections:
    """The names of the content folder's parts (settings EVENT_PATHS, STATIC_PATHS…)."""

    events: str = "events"
    articles: str = "articles"
    pages: str = "pages"
    data: str = "data"
    images: str = "images"

    def texts(self) -> tuple[str, ...]:
        return (self.events, self.articles, self.pages)


@dataclass(frozen=True, slots=True)
class ContentTree:
    """Every plain file the build reads or publishes, by section, and what was refused."""

    events: tuple[Path, ...]
    articles: tuple[Path, ...]
    pages: tuple[Path, ...]
    data: tuple[Path, ...]
    images: tuple[Path, ...]
    problems: tuple[Problem, ...]

    def section(self, sections: Sections, name: str) -> tuple[Path, ...]:
        by_name = {sections.events: self.events, sections.articles: self.articles,
                   sections.pages: self.pages, sections.data: self.data, sections.images: self.images}
        return by_name.get(name, ())


def scan(content: Path, sections: Sections, shown: Callable[[Path], str]) -> ContentTree:
    """Walk content/ without following links: plain files inside it, sorted; links, pipes, devices,
    hidden files and files no reader takes are problems named by path."""
    found: dict[str, list[Path]] = {name: [] for name in (*sections.texts(), sections.data, sections.images)}
    problems: list[Problem] = []
    root = content.resolve() if content.is_dir() else content
    for folder, dirs, files in os.walk(content):
        here = Path(folder)
        relative = here.relative_to(content)
        top = relative.parts[0] if relative.parts else ""
        kept_dirs = []
        for name in sorted(dirs):
            if _entry(here / name, root, top or name, sections, shown, problems) == "dir":
                kept_dirs.append(name)
        dirs[:] = kept_dirs
        for name in sorted(files):
            if _entry(here / name, root, top, sections, shown, problems) == "file" and top in found:
                found[top].append(here / name)
    return ContentTree(*(tuple(sorted(found[name])) for name in
                         (sections.events, sections.articles, sections.pages, sections.data, sections.images)),
                       tuple(problems))


def _entry(path: Path, root: Path, top: str, sections: Sections, shown: Callable[[Path], str],
           problems: list[Problem]) -> str:
    """Classify one entry: "dir" to descend, "file" to read, "" when refused or ignored."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        problems.append(Problem(shown(path), 0, "", *UNREADABLE))
        return ""
    if stat.S_ISLNK(mode):
        problems.append(Problem(shown(path), 0, "", *(LINK_IN if _inside(path, root) else LINK_OUT)))
        return ""
    if stat.S_ISDIR(mode):
        return "dir"
    if not stat.S_ISREG(mode):
        problems.append(Problem(shown(path), 0, "", *NOT_REGULAR))
        return ""
    if not top or top not in (*sections.texts(), sections.data, sections.images):
        return ""  # not a section: nothing reads or publishes it
    problem = _name_problem(path, top, sections, shown)
    if problem:
        problems.append(problem)
        return ""
    return "" if path.name in IGNORED_NAMES else "file"


def _inside(path: Path, root: Path) -> bool:
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return False
    return target == root or root in target.parents


def _name_problem(path: Path, top: str, sections: Sections, shown: Callable[[Path], str]) -> Problem | None:
    name = path.name
    if name in IGNORED_NAMES:
        return None
    if name.startswith("."):
        return Problem(shown(path), 0, "", "隐藏文件（名字以 . 开头）不会被读取或发布",
                       "删除这个文件；如果它是内容，去掉文件名开头的点")
    if top in sections.texts():
        return _text_name_problem(path, top, sections, shown)
    if top == sections.data and not name.endswith(".yml"):
        return Problem(shown(path), 0, "", "登记表文件夹里只读取 .yml 文件，这个文件不会被读取",
                       "删除它，或移出 content/ 文件夹", WARNING)
    return None


def _text_name_problem(path: Path, top: str, sections: Sections, shown: Callable[[Path], str]) -> Problem | None:
    name = path.name
    if name.endswith(CONTENT_SUFFIX):
        return None
    lowered = name.lower()
    stem = PurePosixPath(name).stem
    if lowered.endswith(".md"):
        fixed = f"{name[:-3]}.md"
    elif lowered.endswith(".md.txt"):
        fixed = name[:-7] + ".md"
    elif lowered.endswith(MARKDOWN_LIKE):
        fixed = f"{stem}.md"
    else:
        return Problem(shown(path), 0, "", f"{top} 文件夹里只能放 .md 文件，这个文件不会被读取或发布",
                       f"图片请放到 content/{sections.images}/，其他文件请移出 content/ 文件夹")
    return Problem(shown(path), 0, "", "文件名不是以 .md 结尾，这个文件不会被读取或发布",
                   f"改名为 {fixed}（扩展名只用小写的 .md）")
