"""Limits on hostile input: characters, YAML shapes, list sizes and content-tree entries."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from kepu.content.frontmatter import SourceDoc, decode, split
from kepu.content.problems import Problem

try:  # the same parser the loader uses; its event stream needs no recursion
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - libyaml is part of the pinned wheel
    from yaml import SafeLoader as _EventLoader

MAX_YAML_DEPTH = 20
MAX_LIST_ITEMS = 500
MAX_NUMBER_DIGITS = 30
# Tags that only restate what YAML would infer; anything else builds unexpected types.
HARMLESS_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in
                          ("str", "int", "float", "bool", "null", "seq", "map"))
# C0/C1 controls (tab and newline aside), DEL, lone surrogates and noncharacters; in a
# front-matter value also the Unicode line separators, which split titles in calendars.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Zero-width space, word joiner and a BOM inside a value (copied from web pages and WeChat): unseen
# on a page, they make one word two for search and the duplicate check. (Joiners U+200C/U+200D stay:
# emoji and some scripts need them.)
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
_PLAIN_NUMBER = re.compile(r"[-+]?[\d_.,]+(?:[eE][-+]?\d+)?")
_BAD_CHAR_HINT = "删除这些看不见的字符后重新保存（常见于从网页、微信或 Word 复制的文字）"


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def control_problem(text: str, path: str, line: int, field: str = "") -> Problem | None:
    """A value holding control characters (which break pages and calendars) or bidi overrides."""
    found = _CONTROL.search(text)
    if found:
        return Problem(path, line + text.count("\n", 0, found.start()), field,
                       f"有不可见的控制字符（{_char_name(found.group())}）", _BAD_CHAR_HINT)
    found = _BIDI.search(text)
    if found:
        return Problem(path, line + text.count("\n", 0, found.start()), field,
                       f"有改变文字方向的控制字符（{_char_name(found.group())}），显示的顺序会与实际文字不同",
                       _BAD_CHAR_HINT)
    found = _ZERO_WIDTH.search(text)
    if found:
        return Problem(path, line + text.count("\n", 0, found.start()), field,
                       f"有看不见的零宽字符（{_char_name(found.group())}），网页上看不出来，搜索和查重却会把文字当成不同的",
                       _BAD_CHAR_HINT)
    return None


def _raw_control(text: str, path: str) -> Problem | None:
    """Control characters typed into the file itself (bidi marks in a body are allowed)."""
    found = _RAW_CONTROL.search(text)
    if not found:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return Problem(path, line, "", f"这一行有不可见的控制字符（{_char_name(found.group())}）",
                   _BAD_CHAR_HINT)


def _events(text: str) -> Iterator[yaml.Event]:
    loader = _EventLoader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def yaml_problems(text: str, path: str, offset: int, what: str = "前置信息",
                  refuse_aliases: bool = False) -> list[Problem]:
    """Walk YAML events (no objects are built): nesting, tags, numbers and escaped characters.

    ``offset`` is the file line of the text's first line. Syntax errors are left to the
    loader, which explains them; this only refuses what would parse into trouble. Aliases
    are refused too when asked (the front-matter loader refuses them itself, with its message).
    """
    depth = 0
    try:
        for event in _events(text):
            line = event.start_mark.line + offset
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return [Problem(path, line, "", f"{what}嵌套超过 {MAX_YAML_DEPTH} 层",
                                    "每个字段写成“字段名: 内容”，列表写成 [甲, 乙]，不要层层嵌套括号")]
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif refuse_aliases and isinstance(event, yaml.AliasEvent):
                return [Problem(path, line, "", f"{what}中使用了 YAML 别名（*）", "直接写出内容")]
            problem = _node_event_problem(event, path, line)
            if problem:
                return [problem]
    except yaml.MarkedYAMLError as error:
        if "Unicode character escape" in str(error.problem) and error.problem_mark is not None:
            return [Problem(path, error.problem_mark.line + offset, "",
                            "双引号里的 \\u 或 \\x 转义写出了无效的字符",
                            "删除这个转义，直接写出文字；文字里的反斜杠 \\ 要写成 \\\\")]
        return []
    except yaml.YAMLError:
        return []
    return []


def _node_event_problem(event: yaml.Event, path: str, line: int) -> Problem | None:
    tag = getattr(event, "tag", None)
    implicit = getattr(event, "implicit", True)
    explicit = tag is not None and (implicit is False or implicit == (False, False))
    if explicit and tag not in HARMLESS_TAGS:
        return Problem(path, line, "", f"使用了 YAML 标签“{tag.removeprefix('tag:yaml.org,2002:')}”",
                       "不要写以 ! 开头的标签；如果这是文字，请给整段内容加上英文引号")
    if not isinstance(event, yaml.ScalarEvent):
        return None
    value = event.value
    if not event.style and len(value) > MAX_NUMBER_DIGITS and _PLAIN_NUMBER.fullmatch(value):
        return Problem(path, line, "", f"数字太长（{len(value)} 位）",
                       "如果这是编号或文字，请加上英文引号")
    return control_problem(value, path, line)


def source_problems(data: bytes, path: str) -> list[Problem]:
    """Checks to run on a content file before its YAML is loaded and its body rendered.

    Encoding, size and NUL problems are left to ``frontmatter.parse`` (reported once).
    """
    text, _ = decode(data, path)
    if text is None:
        return []
    problem = _raw_control(text, path)
    if problem:
        return [problem]
    parts = split(text, path)
    if isinstance(parts, Problem):
        return []
    front, offset, body, body_line = parts
    return [*([] if _plainly_safe(front) else yaml_problems(front, path, offset)), *_body_direction(body, path, body_line)]


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")  # Hebrew, Arabic, Syriac…


def _body_direction(body: str, path: str, line: int) -> list[Problem]:
    """Direction controls in a body without right-to-left writing: only good for disguising a
    link or a phone number (‮moc.elgoog shows as google.com)."""
    found = _BIDI.search(body)
    if found is None or _RIGHT_TO_LEFT.search(body):
        return []
    return [Problem(path, line + body.count("\n", 0, found.start()), "",
                    f"正文有改变文字方向的控制字符（{_char_name(found.group())}），显示的顺序会与实际文字不同（网址、电话会被伪装）",
                    _BAD_CHAR_HINT)]


_INDENT = re.compile(r"^ *", re.MULTILINE)
_LONG_DIGITS = re.compile(rf"\d{{{MAX_NUMBER_DIGITS + 1}}}")


def _plainly_safe(text: str) -> bool:
    """Front matter that cannot trip any check of ``yaml_problems``, judged from its text:
    no tag, escape, control, direction or zero-width characters, no long digit run, and too few brackets and too little
    indentation to nest deeper than allowed. Most files qualify, and skip the event scan."""
    if ("!" in text or "\\" in text or _LONG_DIGITS.search(text) or _CONTROL.search(text) or _BIDI.search(text)
            or _ZERO_WIDTH.search(text)):
        return False
    brackets = text.count("[") + text.count("{")
    indent = max((len(m) for m in _INDENT.findall(text)), default=0)
    return brackets + indent // 2 + 1 <= MAX_YAML_DEPTH


def registry_text_problems(text: str, shown: str) -> list[Problem]:
    """The same checks for a registry (content/data/*.yml), which is YAML throughout."""
    problem = _raw_control(text, shown)
    return [problem] if problem else yaml_problems(text, shown, 1, "登记表")


# Metadata by which Pelican would choose where a page is written, or with which template:
# never taken from content (the file's name and folder decide), whatever its case.
RESERVED_FIELDS = frozenset({"save_as", "url", "template", "slug", "lang", "translation", "path",
                             "filename", "relative_dir", "source_path", "override_url", "page_name"})
ARTICLE_RESERVED_FIELDS = RESERVED_FIELDS | {"status"}  # news and pages use draft: true


def reserved_problems(doc: SourceDoc, reserved: frozenset[str] = RESERVED_FIELDS) -> list[Problem]:
    """Fields that would choose a page's address or template: refused, not ignored."""
    return [Problem(doc.path, doc.line_of(str(key)), str(key),
                    f"字段“{key}”会改变网页的位置或模板，内容文件不能设置它",
                    "删除这一行：网址由文件名决定，页面样式由网站统一决定"
                    + ("；草稿请写 draft: true" if str(key).lower() == "status" else ""))
            for key in doc.meta if str(key).lower().replace("-", "_") in reserved]


def value_problems(doc: SourceDoc) -> list[Problem]:
    """Checks on loaded front matter: list sizes and types no field can use."""
    problems: list[Problem] = []
    for key, value in _walk(doc.meta, ""):
        if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:
            problems.append(Problem(doc.path, doc.line_of(key), key,
                                    f"列表太长（{len(value)} 项，上限 {MAX_LIST_ITEMS} 项）",
                                    "请精简；很多日期的活动请用重复规则 rrule 表示"))
        elif not isinstance(value, (str, int, float, bool, list, dict, type(None))):
            problems.append(Problem(doc.path, doc.line_of(key), key,
                                    f"无法识别的内容类型（{type(value).__name__}）",
                                    "写文字、数字、列表 [甲, 乙] 或缩进的字段"))
    return problems


def _walk(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    stack = [(prefix, value)]
    while stack:
        key, item = stack.pop()
        if key:
            yield key, item
        if isinstance(item, dict):
            stack.extend((f"{key}.{k}" if key else str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((f"{key}[{i}]", v) for i, v in enumerate(item))


def tree_problems(content: Path, shown: Callable[[Path], str]) -> list[Problem]:
    """Links that lead out of the content folder, and entries that are not plain files.

    A symbolic link to ``/etc/...`` or to a private key would otherwise be read, or
    copied into the published site as an "image"; a named pipe would hang the build.
    """
    root = content.resolve()
    problems = []
    for folder, dirs, files in os.walk(content):
        for name in sorted(dirs + files):
            path = Path(folder, name)
            problem = _entry_problem(path, root, shown)
            if problem:
                problems.append(problem)
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]
    return problems


def _entry_problem(path: Path, root: Path, shown: Callable[[Path], str]) -> Problem | None:
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            target = path.resolve()
            if target != root and root not in target.parents:
                return Problem(shown(path), 0, "", "这是一个指向内容文件夹之外的链接（symlink）",
                               "删除这个链接，把真正的文件放进 content/ 文件夹")
            mode = target.stat().st_mode
    except (OSError, RuntimeError):
        return Problem(shown(path), 0, "", "无法读取这个文件或链接", "删除它，或换成普通文件")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Problem(shown(path), 0, "", "这不是普通文件（可能是管道或设备文件）", "删除它")
    return None


def harmless_yaml(text: str, max_chars: int = 1024 * 1024) -> bool:
    """Whether any YAML loader, even the pure-Python one, can read ``text`` quickly and safely:
    no aliases (a "billion laughs" revision in git history would hang a repr of it), no deep
    nesting (recursion), no odd tags, no control characters, not too long."""
    return (len(text) <= max_chars and _raw_control(text, "") is None
            and not yaml_problems(text, "", 1, refuse_aliases=True))
