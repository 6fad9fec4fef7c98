"""The content tree: the one walk over content/ that the build and the check share, and capped reads."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kepu.content.problems import STRICT_ALWAYS, WARNING, Problem
from kepu.content.suggest import closest

CONTENT_SUFFIX = ".md"
MAX_DEPTH = 12  # content/events/<street>/<year>/ needs 3
# Files a content repository may keep beside the sections without being told about them.
IGNORED_BESIDE = frozenset({"readme.md", "readme.txt", "license", "license.md", "codeowners"})
# Names a file manager or git leaves behind; never published, never an error.
IGNORED_NAMES = frozenset({".gitkeep"})
# Suffixes of Markdown files that other tools write: refused by name with the fix, not ignored.
MARKDOWN_LIKE = (".markdown", ".mkd", ".mkdn", ".mdown", ".mdwn", ".mdtxt", ".mdtext", ".text", ".txt",
                 ".rst", ".html", ".htm")
LINK_OUT = ("这是一个指向内容文件夹之外的链接（symlink）", "删除这个链接，把真正的文件放进 content/ 文件夹")
LINK_IN = ("这是一个链接（symlink）：同一内容会被读取或发布两次",
           "删除这个链接；需要两份时复制文件并改名")
LINK_BROKEN = ("这是一个链接（symlink），指向的文件不存在或者绕成了圈", "删除这个链接，把真正的文件放进 content/ 文件夹")
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
        # The whole file in one read, with room for one more byte (a file grown since is seen);
        # not a megabyte's buffer for each of 16,000 small files.
        want = info.st_size + 1
        while chunk := os.read(descriptor, min(want, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(total)
            want = 1 << 16
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
    """Walk content/ without following links (and without recursion): plain files inside it,
    sorted; links, pipes, devices, hidden files and folders, folders too deep and files no reader
    takes are problems named by path; a folder or file beside the sections is a reminder."""
    found: dict[str, list[Path]] = {name: [] for name in (*sections.texts(), sections.data, sections.images)}
    problems: list[Problem] = []
    root = content.resolve() if content.is_dir() else content
    stack: list[tuple[Path, str, int]] = [(content, "", 0)] if content.is_dir() else []
    while stack:
        folder, top, depth = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name, reverse=True)
        except OSError:
            problems.append(Problem(shown(folder), 0, "", *UNREADABLE))
            continue
        for item in entries:
            path = folder / item.name
            section = top or item.name
            kind = _entry(path, _mode(item), root, section, sections, shown, problems)
            if kind == "dir" and _folder_ok(path, section, depth, sections, shown, problems):
                stack.append((path, section, depth + 1))
            elif kind == "file" and section in found and top:
                found[section].append(path)
            elif kind == "file" and not top:
                problems.extend(_beside_sections(path, sections, shown))
    return ContentTree(*(tuple(sorted(found[name])) for name in
                         (sections.events, sections.articles, sections.pages, sections.data, sections.images)),
                       tuple(problems))


def _folder_ok(path: Path, section: str, depth: int, sections: Sections, shown: Callable[[Path], str],
               problems: list[Problem]) -> bool:
    """Whether to descend: hidden folders inside a section are refused, folders beside the
    sections are only named (nothing in them is published), and no tree is deeper than the limit."""
    if depth == 0 and section not in (*sections.texts(), sections.data, sections.images):
        if not path.name.startswith("."):
            problems.extend(_beside_sections(path, sections, shown))
        return False
    if path.name.startswith("."):
        problems.append(Problem(shown(path), 0, "", "隐藏文件夹（名字以 . 开头）里的内容不会被读取或发布",
                                "去掉文件夹名开头的点，或删除这个文件夹"))
        return False
    if depth >= MAX_DEPTH:
        problems.append(Problem(shown(path), 0, "", f"文件夹层次太深（超过 {MAX_DEPTH} 层），里面的内容不会被读取",
                                "活动放在 events/<街镇编号>/<年份>/ 下，不要再建更深的文件夹"))
        return False
    return True


def _beside_sections(path: Path, sections: Sections, shown: Callable[[Path], str]) -> list[Problem]:
    """A folder or file in content/ that is not a section (a typo such as event/ or Images/)."""
    if path.name.startswith(".") or path.name.lower() in IGNORED_BESIDE:
        return []
    names = (*sections.texts(), sections.data, sections.images)
    guess = closest(path.name.lower().removesuffix("s") + "s", names) or closest(path.name, names)
    hint = f"是否想放在 content/{guess}/ 里？" if guess else f"内容请放到 content/ 下的 {'、'.join(names)} 文件夹里"
    return [Problem(shown(path), 0, "", "这里的内容不会被读取或发布（不在任何栏目文件夹里）", hint, WARNING,
                    STRICT_ALWAYS)]


def _mode(item: os.DirEntry) -> int | None:
    """The kind of a folder entry as ``lstat`` gives it (the listing usually knows it without a
    system call per file); None when it cannot be told."""
    try:
        if item.is_symlink():
            return stat.S_IFLNK
        if item.is_dir(follow_symlinks=False):
            return stat.S_IFDIR
        if item.is_file(follow_symlinks=False):
            return stat.S_IFREG
        return item.stat(follow_symlinks=False).st_mode
    except OSError:
        return None


def _entry(path: Path, mode: int | None, root: Path, top: str, sections: Sections,
           shown: Callable[[Path], str], problems: list[Problem]) -> str:
    """Classify one entry: "dir" to descend, "file" to read, "" when refused or ignored."""
    if mode is None:
        problems.append(Problem(shown(path), 0, "", *UNREADABLE))
        return ""
    if stat.S_ISLNK(mode):
        problems.append(Problem(shown(path), 0, "", *_link_problem(path, root)))
        return ""
    if stat.S_ISDIR(mode):
        return "dir"
    if not stat.S_ISREG(mode):
        problems.append(Problem(shown(path), 0, "", *NOT_REGULAR))
        return ""
    if top not in (*sections.texts(), sections.data, sections.images):
        return "file"  # beside the sections: the walk names it as a reminder
    problem = _name_problem(path, top, sections, shown)
    if problem:
        problems.append(problem)
        return ""
    return "" if path.name in IGNORED_NAMES else "file"


def _link_problem(path: Path, root: Path) -> tuple[str, str]:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return LINK_BROKEN
    return LINK_IN if target == root or root in target.parents else LINK_OUT


def _name_problem(path: Path, top: str, sections: Sections, shown: Callable[[Path], str]) -> Problem | None:
    name = path.name
    if name in IGNORED_NAMES:
        return None
    if name.startswith("."):
        return Problem(shown(path), 0, "", "隐藏文件（名字以 . 开头）不会被读取或发布",
                       "删除这个文件；如果它是内容，去掉文件名开头的点")
    if top in sections.texts():
        return _text_name_problem(path, top, sections, shown)
    if top == sections.data:
        return _registry_name_problem(path, shown)
    return None


def _registry_name_problem(path: Path, shown: Callable[[Path], str]) -> Problem | None:
    """A file in the registries' folder that no registry is read from (streets.yml misspelt)."""
    from kepu.content.outlines import OUTLINE_FILE
    from kepu.content.registries import REGISTRY_FILES  # the registries read this module: import late

    known = tuple(REGISTRY_FILES.values())
    if path.name in (*known, OUTLINE_FILE):
        return None
    guess = closest(path.name.lower(), known) or closest(path.stem.lower() + ".yml", known)
    hint = f"是否想写 {guess}？（文件名区分大小写）" if guess else f"登记表只有 {'、'.join(known)}；不需要的文件请移出 content/"
    return Problem(shown(path), 0, "", "这不是登记表文件，不会被读取", hint, WARNING, STRICT_ALWAYS)


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
