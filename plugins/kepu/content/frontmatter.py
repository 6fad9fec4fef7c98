"""Split a Markdown file into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kepu.content.problems import Problem
from kepu.content.yamlerrors import explain

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
    if "#" not in fm_text:
        return []
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


def _yaml_error(exc: yaml.YAMLError, text: str, offset: int, path: str) -> Problem:
    found = explain(exc, text, _Loader)
    return Problem(path, found.index + offset, "", found.message, found.hint)


def load_yaml(text: str, path: str, offset: int) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse YAML safely; ``offset`` is the file line of the text's first line."""
    try:
        loader = _Loader(text)  # PyYAML's own reader refuses control characters here
    except yaml.YAMLError as exc:
        return None, None, [_yaml_error(exc, text, offset, path)]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        problem = _check_graph(node, path, offset)
        if problem:
            return None, None, [problem]
        try:
            return loader.construct_document(node), node, []
        except _UNBUILDABLE:
            return None, None, [_unbuildable(node, path, offset)]
    except yaml.YAMLError as exc:
        return None, None, [_yaml_error(exc, text, offset, path)]
    finally:
        loader.dispose()


# What PyYAML's constructors raise, besides YAMLError, on a value its explicit tag cannot hold.
_UNBUILDABLE = (ValueError, OverflowError, KeyError, AttributeError, TypeError)


def _unbuildable(root: yaml.Node, path: str, offset: int) -> Problem:
    """The value a constructor could not build (``!!int 三十``, ``!!bool 是``), by its line."""
    line = root.start_mark.line
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                _Loader("").construct_object(node)
            except _UNBUILDABLE:
                line = node.start_mark.line
                break
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return Problem(path, line + offset, "", "这一行以 !! 开头的类型标记和内容对不上，读不出来",
                   "删掉以 ! 开头的标记，直接写内容；日期写成 2026-12-05，数字直接写数字")


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
