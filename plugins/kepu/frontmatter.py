"""Split a Markdown file into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

try:  # libyaml is several times faster; both report the same marks
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is part of the pinned wheel
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
    """Safe loader that leaves dates as text: validation parses them with line numbers."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

MAX_FILE_BYTES = 1024 * 1024
MAX_FRONT_MATTER_LINES = 400
# Patterns are used with fullmatch ("$" would also accept a trailing newline).
_DELIMITER = re.compile(r"---[ \t]*")
_END = re.compile(r"(---|\.\.\.)[ \t]*")
# A mapping key typed with a full-width colon, e.g. "title：科普讲座".
_FULLWIDTH_KEY = re.compile(r"^\s*[A-Za-z_][\w-]*\s*：")
_NO_SPACE_KEY = re.compile(r"^\s*[A-Za-z_][\w-]*:[^\s/]")
# "title: 科学会客厅: 线上直播": a second colon-and-space inside an unquoted value.
_COLON_IN_VALUE = re.compile(r"\s*(?:- )?([A-Za-z_][\w-]*):\s+([^\"'\s].*?:\s.*)")
# A live field or list item ("  phone: …", "  - 2026-12-26"), and a commented-out parent
# ("# registration:", "#   venue:"): a key with nothing after its colon.
_LIVE_ENTRY = re.compile(r"( *)(?:- |-$|([A-Za-z_][\w-]*):(?:\s|$))")
_COMMENTED_PARENT = re.compile(r"( *)# ?( *)([A-Za-z_][\w-]*):\s*")


@dataclass(frozen=True, slots=True)
class Scalar:
    """Where a front-matter value stands and how it was written."""

    line: int
    text: str
    plain: bool  # unquoted: YAML resolved its type (numbers, booleans, dates)


@dataclass(slots=True)
class SourceDoc:
    """A parsed content file: metadata, body and where each field stands."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int
    lines: dict[str, int] = field(default_factory=dict)
    scalars: dict[str, Scalar] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """Line of a dotted key, falling back to its parent, then line 1."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0] if "." in key else ""
        return 1


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 with or without BOM, any line endings."""
    if len(data) > MAX_FILE_BYTES:
        size = len(data) / 1024 / 1024
        return None, [Problem(path, 0, "", f"文件太大（{size:.1f} MB），上限为 1 MB",
                              "正文请精简，图片放到 content/images/ 再引用")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(path, 1, "", "文件是 UTF-16 编码",
                              "请用 UTF-8 编码另存此文件（记事本“另存为”→ 编码选 UTF-8）")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "", "这一行有不是 UTF-8 编码的字符（常见于 GBK 编码的文件）",
                              "请用 UTF-8 编码另存此文件")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(path, line, "", "文件中有空字符（NUL），可能是复制粘贴带入的二进制内容",
                              "请删除这一行的不可见字符后重新保存")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split(text: str, path: str) -> tuple[str, int, str, int] | Problem:
    """Return (front matter, its first line, body, body's first line)."""
    lines = text.split("\n")
    if not lines or not _DELIMITER.fullmatch(lines[0]):
        return Problem(path, 1, "", "文件必须以一行 --- 开头，后面是 YAML 前置信息",
                       "在文件第一行写 ---，前置信息写完后再写一行 ---，然后是正文")
    for index, line in enumerate(lines[1:], start=1):
        if _END.fullmatch(line):
            if index - 1 > MAX_FRONT_MATTER_LINES:  # lines 2 … index hold the front matter
                return Problem(path, index + 1, "",
                               f"前置信息太长（{index - 1} 行，上限 {MAX_FRONT_MATTER_LINES} 行）",
                               "前置信息只写字段；较长的介绍请写在第二个 --- 之后的正文里")
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
    return Problem(path, 1, "", "前置信息没有结束的 --- 行",
                   "在最后一个字段之后另起一行写 ---，再写正文")


def commented_parents(fm_text: str, offset: int, path: str) -> list[Problem]:
    """Fields un-commented under a parent that is still commented out (``# registration:``
    above a live ``  phone: …``): YAML files them under whatever live field came before, or
    fails, and the event silently loses them. One problem per such parent, on its first child."""
    lines = fm_text.split("\n")
    found: dict[int, list[tuple[int, str]]] = {}
    for index, line in enumerate(lines):
        entry = _LIVE_ENTRY.match(line)
        if entry and entry[1]:
            parent = _parent_line(lines, index, len(entry[1]))
            if parent is not None:
                found.setdefault(parent, []).append((index, entry[2] or "-"))
    problems = []
    for parent, children in found.items():
        name = _COMMENTED_PARENT.fullmatch(lines[parent])[3]
        keys = "、".join(dict.fromkeys(key for _, key in children if key != "-")) or "列表项"
        numbers = "、".join(str(index + offset) for index, _ in children)
        problems.append(Problem(
            path, children[0][0] + offset, name,
            f"第 {parent + offset} 行的“{name}:”前面还有 #（是注释），下面的 {keys} 不会算作 {name} 的内容",
            f"把第 {parent + offset} 行行首的 # 删掉；如果不需要 {name}，就在第 {numbers} 行行首也加上 #"))
    return problems


def _parent_line(lines: list[str], index: int, indent: int) -> int | None:
    """The commented-out parent of an indented live line, if its nearest less-indented line
    (comments with a value, or free text, do not count) is one; None when the parent is live."""
    for above in range(index - 1, -1, -1):
        line = lines[above]
        if not line.strip():
            continue
        parent = _COMMENTED_PARENT.fullmatch(line)
        if parent:
            if len(parent[1]) + len(parent[2]) < indent:
                return above
            continue
        if line.lstrip().startswith("#"):
            continue
        if len(line) - len(line.lstrip(" ")) < indent:
            return None
    return None


def _yaml_error(exc: yaml.MarkedYAMLError, fm_lines: list[str], offset: int,
                path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    index = mark.line if mark else 0
    # Look at the offending line and the one before it: scanners often stop
    # one line after the real mistake.
    candidates = [i for i in (index, index - 1) if 0 <= i < len(fm_lines)]
    found = _typing_slip(fm_lines, candidates, str(exc))
    if found:
        i, message, hint = found
        return Problem(path, i + offset, "", message, hint)
    found = _unbalanced(exc, fm_lines)
    if found:
        i, message, hint = found
        return Problem(path, i + offset, "", message, hint)
    what = (exc.problem or "格式错误").strip()
    hint = "检查这一行及上一行的缩进、冒号和引号是否成对；含冒号或 # 的文字请用英文引号括起来"
    if "found undefined alias" in what or "found duplicate anchor" in what:
        hint = "前置信息中不要使用 & 和 * 开头的文字，或把它们用引号括起来"
    return Problem(path, index + offset, "", f"YAML 格式错误（{_translate(what)}）", hint)


def _typing_slip(fm_lines: list[str], candidates: list[int],
                 error: str) -> tuple[int, str, str] | None:
    """Tabs, full-width colons, a missing space after a colon, a colon inside a value."""
    for i in candidates:
        text = fm_lines[i]
        if "\t" in text[: len(text) - len(text.lstrip())] or (
            "found character '\\t'" in error and "\t" in text
        ):
            return i, "这一行用了 Tab 键缩进，YAML 只允许空格", "把行首的 Tab 换成空格（通常是两个空格）"
        if _FULLWIDTH_KEY.match(text):
            return i, "字段名后面用了中文冒号“：”", "改成英文冒号加一个空格，例如 title: 活动名称"
    for i in candidates:
        if _NO_SPACE_KEY.match(fm_lines[i]) and "http" not in fm_lines[i]:
            return i, "冒号后面缺少空格", "在英文冒号后加一个空格，例如 street: xinbei"
    if "mapping values are not allowed" in error and candidates:
        match = _COLON_IN_VALUE.fullmatch(fm_lines[candidates[0]])
        if match:
            key, value = match[1], match[2].rstrip()
            quote = "'" if '"' in value else '"'
            return (candidates[0], f"{key} 的内容里有“英文冒号加空格”，YAML 会把它当成另一个字段",
                    f"给整段内容加上英文引号：{key}: {quote}{value}{quote}，或改用中文冒号“：”")
    return None


def _unbalanced(exc: yaml.MarkedYAMLError, fm_lines: list[str]) -> tuple[int, str, str] | None:
    """A quote or bracket opened and never closed: name the line where it was opened."""
    context, mark = exc.context or "", exc.context_mark
    if mark is None or not 0 <= mark.line < len(fm_lines):
        return None
    if "while scanning a quoted scalar" in context:
        return (mark.line, "引号没有成对：这一行的引号只有开头，没有结尾",
                '在内容末尾补上同样的英文引号，例如 end: "16:00"')
    if "while parsing a flow sequence" in context:
        return (mark.line, "方括号没有成对：列表以 [ 开头，却没有以 ] 结尾",
                "列表写在同一行，用英文逗号分隔，以 ] 结尾，例如 audiences: [qinzi, ertong]")
    return None


_YAML_MESSAGES = {
    "mapping values are not allowed": "这里不能出现“冒号加空格”，含冒号的文字要加引号",
    "could not find expected ':'": "缺少英文冒号",
    "found unexpected end of stream": "引号或括号没有成对",
    "found character '\\t' that cannot start any token": "出现了 Tab 字符",
    "did not find expected key": "缩进不一致",
    "did not find expected '-' indicator": "列表项的缩进不一致",
    "found unknown escape character": "双引号中的反斜杠 \\ 需要写成 \\\\",
}


def _translate(message: str) -> str:
    for english, chinese in _YAML_MESSAGES.items():
        if english in message:
            return chinese
    return message


def load_yaml(text: str, path: str, offset: int) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse YAML safely; ``offset`` is the file line of the text's first line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        problem = _check_graph(node, path, offset)
        if problem:
            return None, None, [problem]
        return loader.construct_document(node), node, []
    except yaml.MarkedYAMLError as exc:
        return None, None, [_yaml_error(exc, text.split("\n"), offset, path)]
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        return None, None, [Problem(path, offset, "", f"YAML 无法解析：{exc}",
                                    "检查日期、数字是否写错")]
    finally:
        loader.dispose()


def _check_graph(root: yaml.Node, path: str, offset: int) -> Problem | None:
    """Refuse aliases (no legitimate use, and the basis of 'billion laughs')."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return Problem(path, node.start_mark.line + offset, "",
                           "前置信息中使用了 YAML 锚点或别名（& 和 *）",
                           "请直接写出内容，不要用 & 和 * 引用其他字段；如果是文字，请加引号")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _index_nodes(node: yaml.Node, prefix: str, offset: int, doc: SourceDoc) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}.{key.value}" if prefix else str(key.value)
            doc.lines[name] = key.start_mark.line + offset
            _index_nodes(value, name, offset, doc)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            name = f"{prefix}[{i}]"
            doc.lines[name] = item.start_mark.line + offset
            _index_nodes(item, name, offset, doc)
    elif isinstance(node, yaml.ScalarNode) and prefix:
        doc.scalars[prefix] = Scalar(node.start_mark.line + offset, node.value,
                                     not node.style)


def duplicate_keys(node: yaml.MappingNode, path: str, offset: int,
                    prefix: str = "") -> list[Problem]:
    problems, seen = [], {}
    for key, value in node.value:
        name = f"{prefix}.{key.value}" if prefix else str(key.value)
        line = key.start_mark.line + offset
        if name in seen:
            problems.append(Problem(path, line, name, f"字段重复（第 {seen[name]} 行已经写过）",
                                    "删除其中一个，只保留正确的那一行"))
        seen[name] = line
        if isinstance(value, yaml.MappingNode):
            problems.extend(duplicate_keys(value, path, offset, name))
    return problems


def parse(data: bytes, path: str) -> tuple[SourceDoc | None, list[Problem]]:
    """Parse a content file's bytes into a SourceDoc, or report why not."""
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    parts = split(text, path)
    if isinstance(parts, Problem):
        return None, [parts]
    fm_text, offset, body, body_line = parts
    problems = commented_parents(fm_text, offset, path)
    if problems:
        return None, problems
    meta, node, problems = load_yaml(fm_text, path, offset)
    if problems:
        return None, problems
    if meta is None:
        meta, node = {}, yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        first = fm_text.split("\n", 1)[0]
        hint = "每个字段一行，写成“字段名: 内容”，冒号用英文半角并加空格"
        if "：" in first:
            hint = "字段名后面要用英文冒号加空格，例如 title: 活动名称"
        return None, [Problem(path, offset, "", "前置信息不是“字段名: 内容”的格式", hint)]
    doc = SourceDoc(path=path, meta=meta, body=body, body_line=body_line)
    _index_nodes(node, "", offset, doc)
    return doc, duplicate_keys(node, path, offset)
