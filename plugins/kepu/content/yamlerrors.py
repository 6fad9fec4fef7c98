"""Every error the YAML parsers (libyaml and PyYAML's own) raise, explained in Chinese on the line where the mistake was made."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# Patterns are used with fullmatch or match at a line's start.
_FULLWIDTH_KEY = re.compile(r"^\s*[A-Za-z_][\w-]*\s*：")
_NO_SPACE_KEY = re.compile(r"^\s*[A-Za-z_][\w-]*:[^\s/]")
# "title: 科普讲座: 线上直播": a second colon-and-space inside an unquoted value.
_COLON_IN_VALUE = re.compile(r"\s*(?:- )?([A-Za-z_][\w-]*):\s+([^\"'\s].*?:\s.*)")
# A line's value: its indentation, list dash and key, then what follows.
_ENTRY = re.compile(r"(\s*(?:-[ \t]+)?(?:[A-Za-z_][\w-]*:[ \t]+)?)(.*?)\s*")
_CLOSERS = {'"': '"', "'": "'", "[": "]", "{": "}"}
_QUOTE = "给整段内容加上英文引号，写成 {fixed}"
_TAG_HINT = "删掉以 ! 开头的标记；如果这是文字，" + _QUOTE
_NOTE = "如果这一行是备注，请在行首加上 #（以 # 开头的行不会发布）"
GENERIC = ("前置信息这一行的写法 YAML 读不懂",
           "检查这一行及上一行的缩进、冒号和引号是否成对；含冒号或 # 的文字请用英文引号括起来")


@dataclass(frozen=True, slots=True)
class Explanation:
    """Where a YAML mistake was made (0-based line of the text) and what to do about it."""

    index: int
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern
    message: str
    hint: str
    at: str = "problem"  # which mark names the line: "problem" or "context" (where it began)


def _rule(pattern: str, message: str, hint: str, at: str = "problem") -> _Rule:
    return _Rule(re.compile(pattern, re.IGNORECASE), message, hint, at)


# Matched against "context | problem" of the error, first match wins. The texts are those of
# libyaml (the loader used) and of PyYAML's Python parser (used when libyaml is missing).
_RULES = (
    _rule(r"tab character|character '\\t'", "这一行有 Tab 字符，YAML 只允许空格", "把 Tab 换成空格，写成 {spaced}"),
    _rule(r"undefined tag handle", "以 ! 开头的内容会被当成 YAML 的类型标记", _TAG_HINT, "context"),
    _rule(r"directive|incompatible yaml document|duplicate tag handle",
          "以 % 开头的行会被当成 YAML 的指令", "删掉行首的 %；" + _NOTE, "context"),
    _rule(r"anchor|alias|recursive node", "以 & 或 * 开头的内容会被当成 YAML 的锚点或别名",
          "前置信息里不要用 & 和 * 引用别的字段；如果这是文字，" + _QUOTE, "context"),
    _rule(r"merging", "“<<”在 YAML 里有特殊含义，不能当作字段名", "删掉这一行，或给 << 加上英文引号"),
    _rule(r"unhashable key", "字段名不能是列表或带括号的内容",
          "字段名只写英文字母，后面是英文冒号和空格，例如 tags: [电路, 实验]"),
    _rule(r"while (?:scanning|parsing) a tag|\btag\b|URI|base64|ordered map|pairs|expected a (?:scalar|sequence|mapping) node",
          "以 ! 开头的内容会被当成 YAML 的类型标记", _TAG_HINT, "context"),
    _rule(r"block scalar|indentation indicator|chomping", "以 | 或 > 开头的内容会被当成多行文字块，这里写得不对",
          _QUOTE + "；较长的介绍请写在正文里", "context"),
    _rule(r"escape|hexadecimal|hexdecimal", "双引号里的反斜杠 \\ 后面跟了 YAML 不认识的字符",
          "把 \\ 写成 \\\\，或者改用单引号把内容括起来"),
    _rule(r"quoted scalar", "引号没有成对：这一行的引号只有开头，没有结尾",
          "在内容末尾补上同样的英文引号", "context"),
    _rule(r"document", "以 --- 或 ... 开头的行会被当成前置信息的分隔线",
          "前置信息中间不要写以 --- 或 ... 开头的行；" + _NOTE),
    _rule(r"flow sequence", "方括号没有成对：列表以 [ 开头，却没有以 ] 结尾",
          "列表写在同一行，用英文逗号分隔，以 ] 结尾，例如 audiences: [qinzi, ertong]", "context"),
    _rule(r"flow mapping", "花括号没有成对：以 {{ 开头，却没有以 }} 结尾",
          "列表请用英文方括号，例如 audiences: [qinzi, ertong]；一般不需要花括号", "context"),
    _rule(r"unexpected ':'", "方括号里的内容有英文冒号", "给这一项加上英文引号，例如 tags: [\"10:00 场\", 亲子]"),
    _rule(r"simple key", "这一行不是“字段名: 内容”的格式，缺少英文冒号",
          "写成 字段名: 内容（英文冒号后加一个空格）；如果这是上一行内容的后半截，请把它接到上一行末尾", "context"),
    _rule(r"sequence entries", "这里不能出现以“- ”开头的列表项",
          "列表项另起一行，行首比字段名多两个空格，例如 tags: 的下一行写“  - 电路”；如果这是文字，" + _QUOTE),
    _rule(r"mapping keys", "内容不能以“? ”开头，YAML 会把它当成特殊符号", _QUOTE),
    _rule(r"mapping values", "这一行多了一个“英文冒号加空格”，或者缩进不对",
          "含冒号的文字请加英文引号，或改用中文冒号“：”；同一层的字段行首空格要一样多"),
    _rule(r"block collection|'-' indicator", "列表项的缩进不一致",
          "同一个列表的每一项，行首的空格要一样多，例如都写成“  - 电路”"),
    _rule(r"block mapping|expected key|block end", "这一行的缩进和上面的字段对不齐",
          "同一层的行首空格要一样多：title、start 等字段顶格写，venue、registration 下面的字段和列表项各缩进两个空格"),
    _rule(r"node content|cannot start any token", "内容不能以“{char}”开头，YAML 会把它当成特殊符号", _QUOTE),
    _rule(r"character|octet|utf-8", "这一行有看不见的控制字符或无法识别的字符",
          "删除这些看不见的字符后重新保存（常见于从网页、微信或 Word 复制的文字）"),
)


def explain(exc: yaml.YAMLError, text: str, loader: type) -> Explanation:
    """The line and the Chinese explanation of a parse error; ``loader`` (the class that raised
    it) re-reads the text with a quote or bracket closed, to find where one was left open."""
    lines = text.split("\n")
    index = _error_line(exc, text)
    candidates = [i for i in (index, index - 1) if 0 <= i < len(lines)]
    return (_typing_slip(lines, candidates, exc)
            or _unclosed(lines, index, loader)
            or _by_rule(exc, lines, index))


def _error_line(exc: yaml.YAMLError, text: str) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line
    position = getattr(exc, "position", None)  # a ReaderError: a character the reader refuses
    return text.count("\n", 0, position) if isinstance(position, int) else 0


def _typing_slip(lines: list[str], candidates: list[int], exc: yaml.YAMLError) -> Explanation | None:
    """Tabs, full-width colons, a missing space after a colon, a colon inside a value."""
    error = str(exc)
    for i in candidates:
        line = lines[i]
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return Explanation(i, "这一行用了 Tab 键缩进，YAML 只允许空格", "把行首的 Tab 换成空格（通常是两个空格）")
        if "\t" in line and ("cannot start any token" in error or "tab character" in error):
            return Explanation(i, "这一行有 Tab 字符，YAML 只允许空格", f"把 Tab 换成一个空格，写成 {_spaced(line)}")
        if _FULLWIDTH_KEY.match(line):
            return Explanation(i, "字段名后面用了中文冒号“：”", "改成英文冒号加一个空格，例如 title: 活动名称")
    for i in candidates:
        if _NO_SPACE_KEY.match(lines[i]) and "http" not in lines[i]:
            fixed = lines[i].strip().replace(":", ": ", 1)
            return Explanation(i, "冒号后面缺少空格", f"在英文冒号后加一个空格，写成 {fixed}")
    if "mapping values are not allowed" in error and candidates:
        match = _COLON_IN_VALUE.fullmatch(lines[candidates[0]])
        if match:
            key, value = match[1], match[2].rstrip()
            quote = "'" if '"' in value else '"'
            return Explanation(candidates[0], f"{key} 的内容里有“英文冒号加空格”，YAML 会把它当成另一个字段",
                               f"给整段内容加上英文引号：{key}: {quote}{value}{quote}，或改用中文冒号“：”")
    return None


def _unclosed(lines: list[str], index: int, loader: type) -> Explanation | None:
    """A quote or bracket opened on some line up to the error and never closed there: the
    first such line whose closing (at the line's end) lets the text parse, or moves the error
    past where it was, is where the mistake is, however far the parser read on."""
    for i in range(min(index, len(lines) - 1) + 1):
        entry = _ENTRY.fullmatch(lines[i])
        opener = entry[2][:1] if entry else ""
        if opener not in _CLOSERS or _parses(entry[2], loader):
            continue
        fixed = lines[i].rstrip() + _CLOSERS[opener]
        after = _error_index("\n".join([*lines[:i], fixed, *lines[i + 1:]]), loader)
        if after is None or after > index:
            return _unclosed_explanation(i, opener, fixed.strip())
    return None


def _unclosed_explanation(index: int, opener: str, fixed: str) -> Explanation:
    if opener in "\"'":
        return Explanation(index, "引号没有成对：这一行的引号只有开头，没有结尾",
                           f"在内容末尾补上同样的英文引号，写成 {fixed}")
    if opener == "[":
        return Explanation(index, "方括号没有成对：列表以 [ 开头，却没有以 ] 结尾", f"在末尾补上 ]，写成 {fixed}")
    as_list = fixed.replace("{", "[", 1)[:-1] + "]"
    return Explanation(index, "花括号没有成对：以 { 开头，却没有以 } 结尾",
                       f"列表要用英文方括号，写成 {as_list}")


def _parses(value: str, loader: type) -> bool:
    return _error_index(f"k: {value}", loader) is None


def _error_index(text: str, loader: type) -> int | None:
    """The 0-based line of the first error reading ``text``, or None when it reads."""
    try:
        yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        return _error_line(exc, text)
    except Exception:
        return None
    return None


def _by_rule(exc: yaml.YAMLError, lines: list[str], index: int) -> Explanation:
    said = f"{getattr(exc, 'context', '') or ''} | {getattr(exc, 'problem', '') or ''}"
    if not isinstance(exc, yaml.MarkedYAMLError):
        said = f"{said} | {exc}"
    for rule in _RULES:
        if rule.pattern.search(said):
            mark = getattr(exc, "context_mark", None) if rule.at == "context" else None
            where = mark.line if mark is not None and 0 <= mark.line < len(lines) else index
            return Explanation(where, *_fill(rule, lines, where, exc))
    return Explanation(index, *GENERIC)


def _fill(rule: _Rule, lines: list[str], index: int, exc: yaml.YAMLError) -> tuple[str, str]:
    line = lines[index] if 0 <= index < len(lines) else ""
    mark = getattr(exc, "problem_mark", None)
    char = line[mark.column] if mark is not None and mark.line == index and mark.column < len(line) else ""
    values = {"fixed": _quoted(line), "spaced": _spaced(line), "char": char.strip() or "这个符号"}
    return rule.message.format(**values), rule.hint.format(**values)


def _quoted(line: str) -> str:
    """The line with its value in quotes (the quote its text does not hold)."""
    entry = _ENTRY.fullmatch(line)
    head, value = (entry[1], entry[2]) if entry else ("", line.strip())
    quote = "'" if '"' in value else '"'
    return f"{head.strip()} {quote}{value}{quote}".strip() if head.strip() else f"{quote}{value}{quote}"


def _spaced(line: str) -> str:
    """The line with leading tabs as two spaces each and any other tab as one space."""
    indent = len(line) - len(line.lstrip("\t"))
    return ("  " * indent + line[indent:].replace("\t", " ")).strip()
