"""Render Markdown bodies to HTML, clean it with an allowlist, and tell what the allowlist removed."""

from __future__ import annotations

import bisect
import html
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
# Work limits. Python-Markdown slows down sharply on some inputs (thousands of "[" or
# inline tags in one paragraph); a watchdog stops it. The sanitiser cannot be interrupted,
# so what makes it slow (deep nesting, huge tags) is refused before it runs.
RENDER_SECONDS = 6.0
MAX_DEPTH = 500
MAX_TAG_CHARS = 20_000
MAX_REPORTED = 200

UNSAFE, UNSUPPORTED, EXTERNAL = "unsafe", "unsupported", "external"
_NOT_NESTING = {  # void elements and those whose end tag may be left out
    "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "rb", "rt", "rp", "rtc", "colgroup", "caption", "html", "head", "body",
}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_.-]{0,60})([^<>]*)")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31}):")
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
    body = _demote_h1(_convert(text))
    _check_shape(body)
    cleaned = nh3.clean(body, **_CLEAN)
    if cleaned == body:  # nothing removed (the usual case): no second pass to find what was
        return Rendered(_BARE_IMAGE.sub("", cleaned), ())
    kept = nh3.clean(body, **_keep_everything(body))
    removed = () if kept == cleaned else tuple(_locate(_removals(kept), text))
    return Rendered(_BARE_IMAGE.sub("", cleaned), removed)


def render_markdown(text: str) -> str:
    """Markdown → safe HTML; raises MarkupError when the text exceeds the work limits."""
    return render(text).html


def sanitize(html_text: str) -> str:
    """Keep formatting, tables, local images and links; drop scripts, styles, handlers, bad URLs."""
    _check_shape(html_text)
    return _BARE_IMAGE.sub("", nh3.clean(html_text, **_CLEAN))


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
    schemes = {s.lower() for s in _SCHEME.findall(_URL_NOISE.sub("", html.unescape(body)))}
    return dict(tags=names, clean_content_tags=set(), attributes={},
                generic_attribute_prefixes=_EVERY_PREFIX, attribute_filter=_rename_ids,
                url_schemes=schemes | URL_SCHEMES | UNSAFE_SCHEMES, link_rel=None,
                strip_comments=True)


def _markdown() -> markdown.Markdown:
    global _renderer
    if _renderer is None:
        _renderer = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                                      output_format="html")
    return _renderer


class _Timeout(Exception):
    pass


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


def _convert(text: str) -> str:
    global _renderer
    try:
        with _deadline(RENDER_SECONDS):
            return _markdown().reset().convert(text)
    except _Timeout:
        _renderer = None
        raise MarkupError(f"内容太复杂，{RENDER_SECONDS:g} 秒内没有转换完",
                          "检查是否粘贴了异常内容（成千上万个括号、标签或没有空行分段的超长文字）；"
                          "长文请分段，段与段之间空一行") from None
    except RecursionError:
        _renderer = None
        raise MarkupError("列表、引用或定义嵌套层次太深",
                          "列表和引用最多嵌套几层；检查是否粘贴了异常内容") from None


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
