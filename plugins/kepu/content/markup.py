"""Render Markdown bodies to HTML, clean it with an allowlist, and tell what the allowlist removed."""

from __future__ import annotations

import bisect
import html
import importlib
import re
import signal
import string
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from markdown.htmlparser import htmlparser as _md_htmlparser

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "details": {"open"},
    "*": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["extra", "sane_lists", "nl2br"]
EXTENSION_CONFIGS = {"extra": {"tables": {"use_align_attribute": True}}}
# Ids in a body are namespaced: they cannot clash with the page's own ids, nor shadow a
# global such as window.pagefind (DOM clobbering). In-body links to them follow.
ID_PREFIX = "c-"
# Elements removed together with everything inside them.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "applet", "noscript", "noembed", "noframes",
    "template", "textarea", "title", "xmp", "select", "svg", "math", "frameset", "frame",
}
UNSAFE_TAGS = DROP_WITH_CONTENT | {"form", "input", "button", "base", "meta", "link", "portal",
                                   "param", "source", "video", "audio", "dialog", "image"}
UNSAFE_SCHEMES = {"javascript", "vbscript", "data", "file", "blob", "filesystem", "jar",
                  "view-source"}
UNSAFE_ATTRIBUTES = {"srcdoc", "formaction", "action", "xmlns", "srcset", "background",
                     "dynsrc", "lowsrc", "ping", "target"}
SILENT_ATTRIBUTES = {"class"}  # dropped without a warning: Markdown itself writes them
# Work limits. Python-Markdown 3.11 slows down sharply on some shapes of text, and the
# sanitiser cannot be interrupted; both are protected by measuring, before anything runs,
# the shapes that make them slow (see _Meter). A refusal depends on the text alone, never
# on how busy the machine is.
MAX_DEPTH = 500  # HTML elements inside one another
MAX_TAG_CHARS = 20_000  # characters in one HTML tag
MAX_REPORTED = 200
# Per block (lines between blank lines), for what grows with the square of a block:
MAX_NESTING = 30  # list, quote and definition levels on one line
MAX_BLOCK_LINES = 1_000  # each line of a block makes the block processors re-split the rest
MAX_BLOCK_MARKS = 8_000  # each inline element rebuilds its paragraph's text
MAX_LINK_SCAN = 60_000  # characters the link parsers read from "[" to "]" and "](" to ")"
MAX_COMMENT_SCAN = 2_000_000  # characters re-read after comments inside open inline tags
# Per body, for what adds up: each shape is weighed in microseconds of conversion time,
# measured at its worst, and the total may not exceed WORK_BUDGET.
WORK_BUDGET = 300_000.0
COSTS = {  # microseconds per unit
    "blocks": 40.0,  # a block (a definition list item, at worst)
    # a piece of the body between "\n\n", even an empty one between blank lines; each is also
    # taken off the front of the list of the rest, see PIECE_PAIR_COST (200,000 blank lines
    # and a word: 1.2 s)
    "pieces": 5.0,
    "lines": 10.0,  # a non-blank line
    "containers": 40.0,  # a heading, list item, quote or definition (nested ones on a line, each)
    # a line that can start a block of its own (#, =, :, [, <, ~, `, _, a rule...) times
    # the lines of its block: each such line splits the block and the rest is tested again
    # (1,000 ": a" lines in one block: 0.17 s)
    "resplit": 0.14,
    "marks": 1.0,  # an inline mark, weighed by MARK_COSTS
    "rebuild": 0.00033,  # a mark times the length of its block: each rebuilds the block's text
    "link": 0.9,  # a character read by the link parsers
    # a character read by the HTML parser's tag pattern (3-9 ns), plus TAG_SEPARATOR_COST; both
    # count twice, as _Meter reads what the parser will read
    "tag": 0.04,
    "search": 0.002,  # a character searched for the ">" of "</x", or of "<!x" and "<?x" at a line start
    "comment": 0.04,  # a character re-read after a comment, per open inline tag
    "copy": 0.0003,  # a character of the body copied after an HTML block, comment or code fence
    "fence": 0.04,  # a character searched for the end of a code fence that is never closed
    "fences": 0.6,  # a "`" or "~" of a line that could open a code fence (read back one by one)
    "footnote": 4.0,  # a footnote citation per earlier citation of it; a definition counts 60
    "abbreviation": 0.065,  # a character of its block, and 1/250 of the body, per abbreviation
}
PIECE_PAIR_COST = 0.0001  # per piece, per piece
TAG_SEPARATOR_COST = 1.0  # the tag pattern's real cost: each space, "=", "/", quote or comma it reads
MARK_COSTS = {"[": 35.0, "<": 25.0, "&": 20.0, "|": 15.0, "*": 12.0, "_": 12.0, "`": 10.0,
              "\\": 10.0, "\n": 2.0, "(": 1.0, ")": 1.0}
# Weighed on python-markdown 3.11.3 and nh3 0.3.7, CPython 3.11, this project's 2-core
# machine, CPU time (which roughly doubles when the machine is busy). 1 MB of plain text
# renders in 0.24 s whatever the limits; the worst body found that they accept, 1 MB with a
# budget's worth of 30-level list lines ("> - > - …"), in 0.63 s (2.7 times as long); 8,000
# inline tags, 5,000 paragraphs, 650 footnotes or 900-line lists: 0.5-0.56 s. Every body in
# content/ and tests/test_data uses under 1 % of the budget; a 200-row table 23 %, a 100-item
# list 6 %, 300 links 13 %, a 900 KB article of 700 paragraphs 13 %, a 60 KB Word paste 56 %.
# Last resort for a shape these counts miss: a render still running after RENDER_SECONDS is
# stopped. Stopped renders share WATCHDOG_BUDGET per process (a build's workers each have
# their own, and run side by side); once it is spent, each further render gets
# WATCHDOG_FLOOR, still several times the worst accepted body.
RENDER_SECONDS = 5.0
WATCHDOG_BUDGET = 10.0
WATCHDOG_FLOOR = 2.0

UNSAFE, UNSUPPORTED, EXTERNAL = "unsafe", "unsupported", "external"
_NOT_NESTING = {  # void elements and those whose end tag may be left out
    "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "rb", "rt", "rp", "rtc", "colgroup", "caption", "html", "head", "body",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_.-]{0,60})([^<>]*)")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31}):")
_SCHEME_RUN = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z0-9+.-]+):")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_BARE_IMAGE = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
_EVERY_PREFIX = set(string.ascii_letters + string.digits + "_:-@.")

_renderer: markdown.Markdown | None = None


@dataclass(frozen=True, slots=True)
class Removal:
    """Something the sanitiser took out of a body."""

    line: int  # 1-based line of the Markdown text; 0 when it could not be located
    what: str  # as editors read it: "<script>", "onclick 属性", "javascript: 链接"
    kind: str  # UNSAFE, UNSUPPORTED or EXTERNAL


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    removed: tuple[Removal, ...] = ()


class MarkupError(ValueError):
    """A body too large or too tangled to render within the work limits."""

    def __init__(self, message: str, hint: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line


def render(text: str) -> Rendered:
    """Markdown → safe HTML (headings start at h2: the page title is the h1), plus removals."""
    check_comments(text)
    check_structure(text)
    body = _demote_h1(_convert(text))
    _check_shape(body)
    cleaned = nh3.clean(body, **_CLEAN)
    if cleaned == body:  # nothing removed (the usual case): no second pass to find what was
        return Rendered(_BARE_IMAGE.sub("", cleaned), ())
    kept = nh3.clean(body, **_keep_everything(body))
    removed = () if kept == cleaned else tuple(_locate(_removals(kept), text))
    return Rendered(_BARE_IMAGE.sub("", cleaned), removed)


def is_local(url: str) -> bool:
    """A URL on this site: no scheme and no host (``//host`` and ``\\\\host`` name one)."""
    value = _URL_NOISE.sub("", url).replace("\\", "/")
    return not value.startswith("//") and not _SCHEME.match(value)


def _scheme(url: str) -> str:
    match = _SCHEME.match(_URL_NOISE.sub("", url))
    return match.group(1).lower() if match else ""


def _rename_ids(tag: str, name: str, value: str) -> str | None:
    if name == "id":
        return ID_PREFIX + value
    if name == "href" and value.startswith("#") and len(value) > 1:
        return "#" + ID_PREFIX + value[1:]
    return value


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src" and not is_local(value):
        return None  # the site loads nothing from other hosts
    return _rename_ids(tag, name, value)


_CLEAN = dict(tags=ALLOWED_TAGS, clean_content_tags=DROP_WITH_CONTENT, attributes=ALLOWED_ATTRIBUTES,
              attribute_filter=_keep_attribute, url_schemes=URL_SCHEMES, link_rel=None,
              strip_comments=True)


def _keep_everything(body: str) -> dict:
    """Sanitiser settings that keep every element and attribute it parses (same parser, same tree)."""
    names = {m.group(2) for m in _TAG.finditer(body)}
    names |= {n.lower() for n in names} | ALLOWED_TAGS | UNSAFE_TAGS
    schemes = _schemes(_URL_NOISE.sub("", html.unescape(body)))
    return dict(tags=names, clean_content_tags=set(), attributes={},
                generic_attribute_prefixes=_EVERY_PREFIX, attribute_filter=_rename_ids,
                url_schemes=schemes | URL_SCHEMES | UNSAFE_SCHEMES, link_rel=None,
                strip_comments=True)


def _schemes(text: str) -> set[str]:
    """What _SCHEME.findall finds, in one pass: _SCHEME itself tries every letter of a long
    run of letters again (a body of 1 MB without spaces: 0.3 s)."""
    found = set()
    for match in _SCHEME_RUN.finditer(text):
        tail = match.group(1)[-32:]
        start = next((i for i, char in enumerate(tail) if char in string.ascii_letters), -1)
        if start >= 0:
            found.add(tail[start:].lower())
    return found


def _extensions() -> list:
    """EXTENSIONS made from their modules, as Markdown makes them from their names ("extra" is
    its parts, each with its part of the configuration) but without looking the names up among
    every installed package's entry points (a tenth of a second of each check)."""
    from markdown.extensions import extra

    made = []
    for name in EXTENSIONS:
        parts = [(part, EXTENSION_CONFIGS.get(name, {}).get(part, {})) for part in extra.extensions] if (
            name == "extra") else [(name, EXTENSION_CONFIGS.get(name, {}))]
        made += [importlib.import_module(f"markdown.extensions.{part}").makeExtension(**config)
                 for part, config in parts]
    return made


def _markdown() -> markdown.Markdown:
    global _renderer
    if _renderer is None:
        _renderer = markdown.Markdown(extensions=_extensions(), output_format="html")
    return _renderer


class _Timeout(Exception):
    pass


_watchdog_spent = 0.0  # seconds taken by stopped renders in this process


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Timeout in the main thread after ``seconds`` (an earlier timer is respected)."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    outer = signal.getitimer(signal.ITIMER_REAL)[0] if usable else 0.0
    if not usable or 0 < outer <= seconds:
        yield
        return

    def expire(_signum, _frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


def watchdog_seconds() -> float:
    """How long the next render may run: RENDER_SECONDS until this process's stopped renders
    have used up WATCHDOG_BUDGET, then what is left of it, but never less than WATCHDOG_FLOOR."""
    return max(WATCHDOG_FLOOR, min(RENDER_SECONDS, WATCHDOG_BUDGET - _watchdog_spent))


def _convert(text: str) -> str:
    global _renderer, _watchdog_spent
    seconds = watchdog_seconds()
    try:
        with _deadline(seconds):
            return _markdown().reset().convert(text)
    except _Timeout:
        _renderer = None
        _watchdog_spent += seconds
        raise MarkupError(f"内容太复杂，{seconds:g} 秒内没有转换完",
                          "这种情况很少见，多半是粘贴了异常内容（成千上万个括号、标签或符号）：请删除它们；"
                          "长文请分段，段与段之间空一行。内容确实正常时，请把文件交给网站维护人员") from None
    except RecursionError:
        _renderer = None
        raise MarkupError("列表、引用或定义嵌套层次太深",
                          "列表和引用最多嵌套几层；检查是否粘贴了异常内容") from None


# -- structural limits ------------------------------------------------------------------------
# Where Python-Markdown's work grows faster than the text, and what _Meter counts for it
# (seconds measured with python-markdown 3.11.3 on this project's 2-core machine):
#   lines, blocks  each block processor re-splits the rest of its block after each line
#                  (8,000 heading lines in one block: 2.2 s); each block costs 25-55 us
#   pieces         each piece between blank lines is taken off the front of the list of all
#                  the pieces (200,000 blank lines and a word: 1.2 s)
#   containers     each list item, quote or definition is parsed apart (30-80 us each)
#   marks, rebuild each inline element costs 5-35 us and rebuilds its paragraph's text
#                  (85,000 "<b>" in one paragraph: 7 s; 1,000 line breaks in 1 MB: 0.3 s)
#   link           "[" with no "]" makes three link parsers read to the end of the paragraph
#                  (2,000 "[": 1.7 s); "](" with no ")" the same
#   tag            "<" and a letter start a tag that the HTML parser reads up to a ">"
#                  outside quotes; an unfinished one is read again from each later "<"
#                  (16,000 "<a" in a row: 1.1 s; 4,000 "<a x='>'": 3.6 s)
#   search         "</x", and "<!" or "<?" at a line start, look for a ">" anywhere after
#   comment        a comment inside open inline tags re-reads its paragraph once per tag
#                  (1,000 "<b><!---->": 1.5 s)
#   copy           each HTML block, comment and code fence copies the rest of the body
#                  (4,000 "<hr/>" lines in 1 MB: 0.25 s)
#   fence          a fence never closed is searched for to the end of the body
#   footnote       the k-th citation of one footnote tries the k-1 earlier names (1,000: 1 s);
#                  each definition costs about 250 us
#   abbreviation   "*[" at a line start is matched lazily to the end of its block
#   nesting        each level of list, quote or definition re-parses its content; Python's
#                  recursion limit ends the rest (600 levels: RecursionError after seconds)
#   HTML depth     nh3 and Python-Markdown's md_in_html slow down with nesting (MAX_DEPTH)
_MARKER = r"(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|:(?=[ \t]))"  # list item, quote, definition
_MARKS = "*_`\\<&[|()"  # and line breaks inside a block (each a <br>)
_MARK_NAMES = {"\n": "换行", "|": "“|”（表格竖线）", "\\": "“\\”（反斜杠）"}
_BLANK_SPACE = re.compile(r"^[ \t]+$", re.MULTILINE)  # Python-Markdown empties such lines first
_BLOCK = re.compile(r"^(?:[ \t]*[^ \t\n][^\n]*(?:\n|\Z))+", re.MULTILINE)
# a line nested deeper than MAX_NESTING starts with more than MAX_NESTING of these characters
_DEEP = re.compile(rf"^[ \t>*+\-:.)0-9]{{{MAX_NESTING + 1}}}", re.MULTILINE)
_ELEMENT = rf"[ \t]*(?:#+|{_MARKER})"  # a heading, list item, quote or definition starts
_ELEMENTS = re.compile(rf"^(?:{_ELEMENT})+", re.MULTILINE)  # "> - > - x": four, parsed inside each other
_ELEMENT_ONE = re.compile(_ELEMENT)
_SPLITTER = re.compile(  # "- item" does not split its block: a rule, "---" or "-x" may
    r"^[ ]{0,3}(?:[#=:\[<~`_]|[-*+](?![ \t])|([-*])[ \t]*\1[ \t]*\1)", re.MULTILINE)
_DEFINITION_LINE = re.compile(r"^[ ]{0,3}:[ \t]", re.MULTILINE)  # a definition costs twice
_CONTAINER = re.compile(rf"[ \t]*{_MARKER}")
_FENCE_LINE = re.compile(r"^(?:`{3,}|~{3,})[^\n]*", re.MULTILINE)
_FENCE = re.compile(  # an opening fence, as Python-Markdown's fenced_code reads it
    r"(~{3,}|`{3,})[ ]*(?:(\{[^\n]*\})|(?:\.?[\w#.+-]*[ ]*)?(?:hl_lines=(\"|').*?\3[ ]*)?)$")
_LINK_CHARS = re.compile(r"\\.|[\[\]()]", re.DOTALL)
_HTML_START = re.compile(r"<(?:!--|[!?]|/?[A-Za-z])")
_TAG_END = _md_htmlparser.locatestarttagend_tolerant  # the tag pattern Python-Markdown uses
_TO_NUL = str.maketrans(dict.fromkeys(" \t\n=/'\",", "\0"))  # what TAG_SEPARATOR_COST counts
_READ_AGAIN = set(string.ascii_letters + "=/")  # after these, the parser retries from the next "<"
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_FOOTNOTE = re.compile(r"\[\^([^\]\n]*)\]")
_ABBREVIATION = re.compile(r"^\*\[", re.MULTILINE)
_SPLIT_HINT = "检查是否粘贴了异常内容；长文请分段，段与段之间空一行"
_TOO_MUCH = {
    "blocks": ("正文有 {} 段", "正文太长：请精简，或分成几篇"),
    "pieces": ("正文的空行太多（{} 处）", "段与段之间空一行就够了，请删除多余的空行"),
    "lines": ("正文有 {} 行（不算空行）", "正文太长：请精简，或分成几篇"),
    "containers": ("正文有 {} 个列表项、引用、定义或标题", "正文太长：请精简，或分成几篇"),
    "resplit": ("正文有行数很多的段落（标题、列表、定义等之间没有空行）", "段与段之间空一行；很长的表格或列表请拆开"),
    "rebuild": ("正文有很长又有很多标记符号的段落", _SPLIT_HINT),
    "marks": ("正文有 {} 个标记符号（* _ ` \\ < & [ | ( ) 和段内换行）",
              "正文太长或粘贴了异常内容：请精简，或分成几篇"),
    "link": ("正文的方括号“[ ]”或链接的圆括号“( )”太多或没有配对",
             "链接写成 [文字](地址)，括号要成对；不是链接的方括号请换成全角“【】”"),
    "tag": ("正文有没有写完的 HTML 标签（“<”后面缺少“>”）",
            "检查这附近的“<”：HTML 标签要写完整；正文里的小于号请在两边加空格，或写成“&lt;”"),
    "search": ("正文有没有写完的 HTML 结束标签、注释或声明（缺少“>”）",
               "检查这附近的“</”“<!”“<?”：HTML 要写完整；从网页或 Word 复制的注释请删除"),
    "comment": ("正文的 HTML 注释（<!-- -->）和没有结束的标签太多",
                "删除从网页或 Word 复制来的注释；正文请尽量用 Markdown"),
    "copy": ("正文的 HTML 块或代码块太多（常见于从网页或 Word 复制的内容）",
             "正文请用 Markdown：复制内容时先清除格式"),
    "fences": ("正文的代码块围栏（``` 或 ~~~）太长或太多", "代码块以 ``` 单独一行开始、以同样的 ``` 单独一行结束"),
    "fence": ("正文有没有结束的代码块（``` 或 ~~~）",
              "代码块以 ``` 开始、以同样的 ``` 单独一行结束；不需要代码块时，删除这些行"),
    "footnote": ("正文的脚注标记 [^…] 太多", "脚注请精简；同一个脚注不要引用很多次"),
    "abbreviation": ("正文的缩写定义（以 *[ 开头的行）太多",
                     "缩写定义写成 *[缩写]: 全称，请精简；不是缩写的行不要以 *[ 开头"),
}


def check_structure(text: str) -> None:
    """Refuse, before rendering, a body whose shape would make Python-Markdown slow (see the
    limits above): raises MarkupError naming the line where the offending block starts."""
    _Meter(text).check()


def measure_structure(text: str) -> dict[str, float]:
    """What _Meter counted in a body that passes (for tests and tuning): each kind's count,
    and "spent", the share of WORK_BUDGET used. Raises like check_structure."""
    meter = _Meter(text)
    meter.check()
    return {**meter.totals, "spent": meter.spent / WORK_BUDGET}


class _Meter:
    """Measures the costly shapes of a Markdown body in a few linear passes; raises
    MarkupError as soon as a limit is passed, so its own work stays bounded too."""

    def __init__(self, text: str) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.cursor = (0, 1)  # an offset and its line
        self.totals: dict[str, float] = dict.fromkeys(COSTS, 0.0)
        self.costs: dict[str, float] = dict.fromkeys(COSTS, 0.0)
        self.spent = 0.0

    def check(self) -> None:
        visible = self._hide_fenced_code()
        self._check_html(visible)
        self._check_blocks(visible)
        self._check_extensions(visible)
        self._check_pieces()

    def line_of(self, at: int) -> int:
        """The line of offset ``at`` (counted on from the previous call when it is further on)."""
        done, line = self.cursor if self.cursor[0] <= at else (0, 1)
        line += self.text.count("\n", done, at)
        self.cursor = (at, line)
        return line

    def add(self, kind: str, amount: float, at: int, cost: float | None = None) -> None:
        """Count ``amount`` of ``kind`` found at offset ``at``; refuse past the budget."""
        self.totals[kind] += amount
        self.costs[kind] += amount * COSTS[kind] if cost is None else cost
        self.spent += amount * COSTS[kind] if cost is None else cost
        if self.spent > WORK_BUDGET:
            kind = max(self.costs, key=lambda k: self.costs[k])
            what, hint = _TOO_MUCH[kind]
            raise _refuse(self.line_of(at), what.format(int(self.totals[kind])), hint)

    def room(self, kind: str) -> int:
        """How many more units of ``kind`` fit in the budget (at least 1)."""
        return max(1, int((WORK_BUDGET - self.spent) / COSTS[kind]) + 1)

    # fenced code is stashed before anything else runs: its content costs nothing more
    def _hide_fenced_code(self) -> str:
        text = self.text
        if "```" not in text and "~~~" not in text:
            return text
        size = len(text)
        candidates: list[tuple[int, int, str]] = []  # (start, end, line)
        for match in _FENCE_LINE.finditer(text):
            self.add("blocks", 1, match.start())
            self.add("fences", len(match.group()) - len(match.group().lstrip("`~")), match.start())
            candidates.append((match.start(), match.end(), match.group()))
        closers: dict[str, list[int]] = {}
        for index, (_, _, line) in enumerate(candidates):
            closers.setdefault(line.rstrip(" "), []).append(index)
        pieces, done, index = [], 0, 0
        while index < len(candidates):
            start, _, line = candidates[index]
            match = _FENCE.match(line)
            later = closers.get(match.group(1), []) if match else []
            after = bisect.bisect_right(later, index)
            if not match:
                index += 1
            elif after == len(later):  # never closed: searched for to the end of the body
                self.add("fence", size - start, start)
                index += 1
            elif match.group(2):  # {attributes}: Python-Markdown may still refuse the fence
                index += 1
            else:  # a code block: stashed, the body copied around it
                close = later[after]
                end = candidates[close][1]
                self.add("copy", size - start, start)
                pieces += [text[done:start], "\n" * text.count("\n", start, end)]
                done, index = end, close + 1
        return "".join(pieces) + text[done:] if pieces else text

    def _check_html(self, text: str) -> None:
        """Follow the HTML parser from "<" to "<" and add up what it reads and copies."""
        if "<" not in text:
            return
        size = len(text)
        depth = 0
        resume = 0
        no_comment_close = size + 1
        separators: str | None = None
        most = WORK_BUDGET / MARK_COSTS["<"]  # each "<" is a mark: more, and _check_blocks refuses
        for seen, match in enumerate(_HTML_START.finditer(text)):
            at = match.start()
            piece = match.group()
            if seen > most:
                return
            if at < resume:
                continue
            before = text[max(0, at - 4):at]
            at_line_start = not before[before.rfind("\n") + 1:].strip(" ") and (at < 4 or "\n" in before)
            if at_line_start or piece == "<!--":  # an HTML block, or a comment in a paragraph
                self.add("copy", size - at, at)
            if piece[1] in "!?":
                if piece == "<!--":
                    if at + 4 < no_comment_close:
                        close = text.find("-->", at + 4)
                        if close < 0:
                            no_comment_close = at + 4
                        else:
                            resume = close + 3
                elif at_line_start:
                    close = text.find(">", at, at + self.room("search"))
                    self.add("search", (close if close >= 0 else size) - at, at)
                continue
            if piece[1] == "/":
                close = text.find(">", at + 1, at + 1 + self.room("search"))
                self.add("search", (close if close >= 0 else size) - at, at)
                if close >= 0:
                    resume = close + 1
                    depth = max(0, depth - 1)
                continue
            end = min(size, at + self.room("tag"))  # neither this check nor the parser reads more
            reach = _TAG_END.match(text, at, end).end()
            if separators is None:  # every separator made a NUL, to count them in one pass
                separators = text.translate(_TO_NUL)
            cost = COSTS["tag"] * (reach - at) + TAG_SEPARATOR_COST * separators.count("\0", at, reach)
            self.add("tag", reach - at, at, WORK_BUDGET if reach == end < size else cost)
            after = text[reach:reach + 1]
            if after == "/" and text.startswith("/>", reach):
                resume = reach + 2
            elif after == ">":
                if reach + 1 - at > MAX_TAG_CHARS:
                    raise MarkupError(f"有一个 HTML 标签超过 {MAX_TAG_CHARS} 个字符（可能嵌入了图片数据）",
                                      "删除这段 HTML；图片请保存到 content/images/ 下，在前置信息中用 image: 引用",
                                      self.line_of(at))
                resume = reach + 1
                name = _TAG_NAME.match(text, at)
                if (name and name.group(1).lower() not in _NOT_NESTING
                        and not text[at:reach].rstrip().endswith("/")):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise MarkupError(f"HTML 嵌套超过 {MAX_DEPTH} 层",
                                          "检查粘贴的 HTML 是否完整（每个标签都要有结束标签）；正文请尽量用 Markdown",
                                          self.line_of(at))
            elif after and after not in _READ_AGAIN and reach > at:
                resume = reach  # read as text; otherwise the parser goes on from the next character

    def _check_blocks(self, text: str) -> None:
        for match in _BLOCK.finditer(text):
            block = match.group().rstrip("\n")
            at = match.start()
            where = self.line_of(at)
            lines = block.count("\n") + 1
            if lines > MAX_BLOCK_LINES:
                raise _refuse(where, f"这一段有 {lines} 行，一段最多 {MAX_BLOCK_LINES} 行",
                              "段与段之间空一行；很长的表格或列表请拆开")
            if _DEEP.search(block):
                self._check_nesting(block, where)
            counts = {mark: block.count(mark) for mark in _MARKS}
            counts["\n"] = lines - 1
            marks = sum(counts.values())
            if marks > MAX_BLOCK_MARKS:
                raise _refuse(where, f"这一段有 {marks} 个{_mark_names(counts)}等标记符号，"
                              f"一段最多 {MAX_BLOCK_MARKS} 个", _SPLIT_HINT)
            self.add("blocks", 1, at)
            self.add("lines", lines, at)
            elements = sum(len(_ELEMENT_ONE.findall(block, run.start(), run.end() + 1))
                           for run in _ELEMENTS.finditer(block))
            self.add("containers", elements + len(_DEFINITION_LINE.findall(block)) if elements else 0, at)
            if lines > 1:
                self.add("resplit", sum(1 for _ in _SPLITTER.finditer(block)) * lines, at)
            self.add("marks", marks, at, sum(MARK_COSTS[mark] * counts[mark] for mark in counts))
            self.add("rebuild", marks * len(block), at)
            if counts["["]:
                self.add("link", _link_scan(block, where), at)
            if "<!--" in block:
                self.add("comment", _comment_scan(block, where), at)

    @staticmethod
    def _check_nesting(block: str, where: int) -> None:
        for offset, line in enumerate(block.split("\n")):
            depth = at = 0
            while depth <= MAX_NESTING:
                match = _CONTAINER.match(line, at)
                if match is None:
                    break
                depth += 1
                at = match.end()
            if depth and depth + len(line[:len(line) - len(line.lstrip(" \t"))].expandtabs(4)) // 4 > MAX_NESTING:
                raise MarkupError("列表、引用或定义嵌套层次太深",
                                  f"列表、引用和定义最多嵌套 {MAX_NESTING} 层；检查是否粘贴了异常内容",
                                  where + offset)

    def _check_pieces(self) -> None:
        text = _BLANK_SPACE.sub("", self.text)
        pieces = text.count("\n\n") + 1
        cost = COSTS["pieces"] * pieces + PIECE_PAIR_COST * pieces * pieces
        if self.spent + cost <= WORK_BUDGET:
            self.add("pieces", pieces, 0, cost)
            return
        a, b = PIECE_PAIR_COST, COSTS["pieces"]  # the piece where the budget ran out: a k² + b k
        fit = int((-b + (b * b + 4 * a * (WORK_BUDGET - self.spent)) ** 0.5) / (2 * a))
        at = -2
        for _ in range(fit):
            at = text.find("\n\n", at + 2)
        line = text.count("\n", 0, at + 1) + 1  # lines are where they were before the blanking
        self.add("pieces", pieces, _nth(self.text, "\n", line - 1) + 1, cost)

    def _check_extensions(self, text: str) -> None:
        if "[^" in text:
            cited: dict[str, int] = {}
            for match in _FOOTNOTE.finditer(text):
                at = match.start()
                before = text[max(0, at - 4):at]
                if text.startswith(":", match.end()) and not before[before.rfind("\n") + 1:].strip(" "):
                    self.add("footnote", 60, at)  # a definition: a block of its own, parsed apart
                    continue
                label = match.group(1)
                cited[label] = cited.get(label, 0) + 1
                self.add("footnote", cited[label], at)
        if "*[" in text:
            for match in _ABBREVIATION.finditer(text):  # read lazily to the end of its block
                at = match.start()
                end = text.find("\n\n", at)
                self.add("abbreviation", (end if end >= 0 else len(text)) - at + len(text) / 250, at)


def _nth(text: str, char: str, count: int) -> int:
    """Offset of the ``count``-th ``char`` in ``text`` (-1 for the 0th)."""
    at = -1
    for _ in range(count):
        at = text.find(char, at + 1)
    return at


def _refuse(line: int, what: str, hint: str) -> MarkupError:
    return MarkupError(f"内容太复杂：{what}", hint, line)


def _mark_names(counts: dict[str, int]) -> str:
    top = sorted(counts, key=lambda mark: -counts[mark])[:2]
    return "、".join(_MARK_NAMES.get(mark, f"“{mark}”") for mark in top if counts[mark])


def _link_scan(block: str, where: int) -> int:
    """Characters the link parsers read: from each "[" to its "]" (to the end when there is
    none), and from each "](" to its ")" likewise."""
    opened: list[int] = []
    parens: list[int] = []
    links: list[int] = []  # "(" right after a "]" that closed a "["
    closing: dict[int, int] = {}
    scan = 0
    for match in _LINK_CHARS.finditer(block):
        at = match.start()
        char = match.group()
        if char == "[":
            opened.append(at)
        elif char == "]":
            if opened:
                scan += at - opened.pop()
                if block.startswith("(", at + 1):
                    links.append(at + 1)
        elif char == "(":
            parens.append(at)
        elif char == ")" and parens:
            closing[parens.pop()] = at
    scan += sum(len(block) - at for at in opened)
    scan += sum(closing.get(at, len(block)) - at for at in links)
    if scan > MAX_LINK_SCAN:
        raise _refuse(where, "这一段的方括号“[ ]”或链接的圆括号“( )”太多或没有配对",
                      "链接写成 [文字](地址)，括号要成对；不是链接的方括号请换成全角“【】”")
    return scan


def _comment_scan(block: str, where: int) -> int:
    """An HTML comment inside open inline tags re-reads the rest of its block per open tag."""
    opened = scan = 0
    for match in _HTML_START.finditer(block):
        piece = match.group()
        if piece == "<!--":
            scan += opened * (len(block) - match.start())
        elif piece[-1].isalpha():
            name = _TAG_NAME.match(block, match.start())
            if name and name.group(1).lower() not in _VOID:
                opened = max(0, opened - 1) if piece[1] == "/" else opened + 1
    if scan > MAX_COMMENT_SCAN:
        raise _refuse(where, "这一段的 HTML 注释（<!-- -->）和没有结束的标签太多",
                      "删除从网页或 Word 复制来的注释；正文请尽量用 Markdown")
    return scan


_COMMENT_MARK = re.compile(r"<!--|-->")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_NOTE_HINT = "在备注的末尾写上 -->（两个短横线加 >），例如 <!-- 内部备注：钥匙找王老师 -->；不需要这条备注就整段删掉"


def check_comments(text: str) -> None:
    """Refuse an HTML comment that is never closed (Markdown then shows the internal note as
    text) or closed only by a later comment's end (everything between vanishes): raises
    MarkupError naming the line where it opens. Code, where "<!--" is only text, is skipped."""
    if "<!--" not in text:
        return
    opened = 0
    for number, line in enumerate(_outside_code(text.split("\n")), start=1):
        for mark in _COMMENT_MARK.finditer(line):
            if mark.group() == "-->":
                opened = 0
            elif opened:
                raise MarkupError("这里开始的 HTML 注释（<!--）没有正确结束，它和下一个注释之间的正文不会显示在网页上",
                                  _NOTE_HINT, opened)
            else:
                opened = number
    if opened:
        raise MarkupError("这里开始的 HTML 注释（<!--）没有结尾的 -->，备注会原样显示在网页上", _NOTE_HINT, opened)


def _outside_code(lines: list[str]) -> Iterator[str]:
    """Each line with fenced code blocks and inline code spans blanked out."""
    fence = ""
    for line in lines:
        opening = _FENCE_OPEN.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            yield ""
        elif opening:
            fence = opening.group(1)
            yield ""
        else:
            yield _without_code_spans(line) if "<!--" in line and "`" in line else line


def _without_code_spans(line: str) -> str:
    """A line with each `code span` (opened and closed by runs of equal length) blanked."""
    kept, start, run = [], 0, None
    for ticks in _BACKTICKS.finditer(line):
        if run is None:
            run = ticks
        elif len(ticks.group()) == len(run.group()):
            kept.append(line[start:run.start()])
            start, run = ticks.end(), None
    kept.append(line[start:])
    return " ".join(kept)


def _check_shape(body: str) -> None:
    depth = 0
    for match in _TAG.finditer(body):
        closing, name, rest = match.groups()
        if len(rest) > MAX_TAG_CHARS:
            raise MarkupError(f"有一个 HTML 标签超过 {MAX_TAG_CHARS} 个字符（可能嵌入了图片数据）",
                              "删除这段 HTML；图片请保存到 content/images/ 下，在前置信息中用 image: 引用")
        if closing:
            depth = max(0, depth - 1)
        elif name.lower() not in _NOT_NESTING and not rest.rstrip().endswith("/"):
            depth += 1
            if depth > MAX_DEPTH:
                raise MarkupError(f"HTML 嵌套超过 {MAX_DEPTH} 层",
                                  "检查粘贴的 HTML 是否完整（每个标签都要有结束标签）；正文请尽量用 Markdown")


def _demote_h1(html_text: str) -> str:
    return html_text.replace("<h1", "<h2").replace("</h1>", "</h2>") if "<h1" in html_text else html_text


class _Walker(HTMLParser):
    """Reads the sanitiser's own parse of a body and lists what the allowlist would drop."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "iframe", "noembed", "noframes", "noscript", "xmp",
                              "plaintext")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self.dropped = ""  # inside an element removed with its content
        self.nesting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropped:
            self.nesting += tag == self.dropped
            return
        if len(self.found) < MAX_REPORTED:
            self.found.extend(_judge(tag, attrs))
        if tag in DROP_WITH_CONTENT and tag not in _NOT_NESTING:
            self.dropped, self.nesting = tag, 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.dropped and len(self.found) < MAX_REPORTED:
            self.found.extend(_judge(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if self.dropped and tag == self.dropped:
            self.nesting -= 1
            if not self.nesting:
                self.dropped = ""


def _judge(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str, str]]:
    """(what, kind, text to find in the source) for each thing the allowlist drops."""
    if tag not in ALLOWED_TAGS:
        return [(f"<{tag}>", UNSAFE if tag in UNSAFE_TAGS else UNSUPPORTED, f"<{tag}")]
    allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
    found = []
    for name, value in attrs:
        if name in SILENT_ATTRIBUTES:
            continue
        if name not in allowed:
            unsafe = name.startswith("on") or name in UNSAFE_ATTRIBUTES
            found.append((f"{name} 属性", UNSAFE if unsafe else UNSUPPORTED, name))
            continue
        if name not in ("href", "src") or value is None:
            continue
        scheme = _scheme(value)
        noun = "图片" if name == "src" else "链接"
        if scheme and scheme not in URL_SCHEMES:
            found.append((f"{scheme}: {noun}", UNSAFE if scheme in UNSAFE_SCHEMES else UNSUPPORTED,
                          f"{scheme}:"))
        elif tag == "img" and name == "src" and not is_local(value):
            found.append((value if len(value) <= 60 else value[:57] + "…", EXTERNAL, value[:40]))
    return found


def _removals(kept: str) -> list[tuple[str, str, str]]:
    walker = _Walker()
    walker.feed(kept)
    walker.close()
    return walker.found


def _locate(found: list[tuple[str, str, str]], text: str) -> Iterator[Removal]:
    """Give each removal the line of its next unclaimed occurrence in the Markdown text."""
    lowered = text.lower()
    starts = [m.end() for m in re.finditer("\n", text)]
    cursor: dict[str, int] = {}
    for what, kind, needle in found:
        key = needle.lower()
        at = lowered.find(key, cursor.get(key, 0))
        if at < 0:
            at = lowered.find(key)
        cursor[key] = at + 1 if at >= 0 else 0
        line = bisect.bisect_right(starts, at) + 1 if at >= 0 else 0
        yield Removal(line, what, kind)
