"""Check a built site for broken internal links, anchors, images, stylesheets, scripts and feeds.

``python -m kepu.editor.linkcheck output/ [--siteurl https://kepu.example.cn]`` exits 1 when
anything inside the site is missing. Links to other sites are counted, not fetched.

Links inside an element marked ``data-label-check`` (the header and footer navigation and the
breadcrumbs) must also lead where their words say: the target page's ``<h1>`` or ``<title>``
contains the link's text (a breadcrumb 活动类型 leads to the page headed 活动类型, not to the
home page), and a link labelled 首页 leads to the site's home page.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kepu.engine.output import built_for

DEV_SITEURL = "http://127.0.0.1:8000"
# (tag, attribute) pairs whose value is a URL the browser follows or loads.
URL_ATTRIBUTES = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
    ("iframe", "src"), ("embed", "src"), ("source", "src"), ("video", "src"), ("video", "poster"),
    ("audio", "src"), ("track", "src"), ("object", "data"), ("form", "action"),
    ("input", "src"), ("use", "href"), ("use", "xlink:href"), ("image", "href"),
    ("blockquote", "cite"), ("q", "cite"), ("del", "cite"), ("ins", "cite"),
}
SRCSET_TAGS = {"img", "source"}
JSON_URL_KEYS = {"url", "href", "src", "image", "icon", "logo", "contentUrl", "sameAs", "@id",
                 "feed", "ics", "page", "thumbnail"}
NO_ANCHOR_NEEDED = {"", "top"}  # "#" and "#top" scroll to the top of any page
LABEL_CHECK = "data-label-check"  # on an element: its links must lead to pages their text names
HOME_LABELS = {"首页"}  # these labels name the home page, whatever its heading
_SPACE = re.compile(r"\s+")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_ICS_URL = re.compile(r"^(?:URL|SOURCE|X-ORIGINAL-URL|ATTACH)(?:;[^:\n]*)?:(.+)$", re.MULTILINE)
_FEED_HREF = re.compile(r"""\bhref=["']([^"']+)["']""")


@dataclass(frozen=True, slots=True, order=True)
class LinkProblem:
    """A reference inside the site that leads nowhere."""

    page: str  # file that holds the link, relative to the site root
    line: int
    url: str  # as written
    reason: str  # in Chinese, for the people fixing it

    def format(self) -> str:
        return f"{self.page}:{self.line}: {self.url} — {self.reason}"


@dataclass(slots=True)
class LinkReport:
    pages: int = 0
    links: int = 0  # internal references checked
    anchors: int = 0  # of which carried a #fragment that was checked
    external: int = 0  # links to other sites (not fetched)
    labels: int = 0  # navigation and breadcrumb links whose words were checked against their target
    problems: list[LinkProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class _Reference:
    page: str
    line: int
    url: str
    kind: str = "link"  # "link" or "resource" (loaded by the page: images, scripts, styles)
    label: str | None = None  # the words of a link under data-label-check


@dataclass(slots=True)
class _Headings:
    """What a page says it is: the text of its <h1> elements and of its <title>."""

    h1: list[str] = field(default_factory=list)
    title: str = ""

    def names(self, label: str) -> bool:
        return any(label in text for text in (*self.h1, self.title))

    def shown(self) -> str:
        return self.h1[0] if self.h1 else self.title


class _PageParser(HTMLParser):
    """Collects ids and every URL reference of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []
        self.urls: list[tuple[int, str, str]] = []  # (line, url, kind)
        self.json_blocks: list[tuple[int, str]] = []
        self._json_line = 0
        self._json: list[str] | None = None
        self.headings = _Headings()
        self.labels: dict[int, str] = {}  # index in urls -> words of a link under data-label-check
        self._checked: list[str] = []  # open elements marked data-label-check (and those inside)
        self._label: tuple[int, list[str]] | None = None  # the open checked link
        self._text: tuple[str, list[str]] | None = None  # the open <h1> or <title>
        self._svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value for name, value in attrs if value is not None}
        self._open(tag, {name for name, _ in attrs})
        names = {values["id"]} if "id" in values else set()
        if tag == "a" and "name" in values:
            names.add(values["name"])
        for name in sorted(names):
            self._anchor(name, line)
        for name, value in values.items():
            if (tag, name) in URL_ATTRIBUTES:
                if tag == "a" and name == "href" and self._checked:
                    self._label = (len(self.urls), [values.get("aria-label", "")])
                self.urls.append((line, value, _kind(tag, values)))
            elif name == "srcset" and tag in SRCSET_TAGS:
                self.urls.extend((line, part.split()[0], "resource")
                                 for part in value.split(",") if part.strip())
        if tag == "meta" and "content" in values:
            self.urls.append((line, values["content"], "meta"))
        if tag == "script" and "json" in values.get("type", ""):
            self._json, self._json_line = [], line

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._close(tag)

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        if self._label is not None:
            self._label[1].append(data)
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            self.json_blocks.append((self._json_line, "".join(self._json)))
            self._json = None
        self._close(tag)

    def _open(self, tag: str, names: set[str]) -> None:
        if tag in _VOID:
            return
        if self._checked or LABEL_CHECK in names:
            self._checked.append(tag)
        if tag == "svg":
            self._svg += 1
        elif (tag == "h1" or (tag == "title" and not self._svg and not self.headings.title)) and \
                self._text is None:
            self._text = (tag, [])

    def _close(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "a" and self._label is not None:
            index, parts = self._label
            # The visible words; aria-label (collected first) only when there are none.
            self.labels[index] = _words("".join(parts[1:])) or _words(parts[0])
            self._label = None
        if self._checked and tag in self._checked:  # close it and anything left open inside
            del self._checked[len(self._checked) - 1 - self._checked[::-1].index(tag):]
        if tag == "svg" and self._svg:
            self._svg -= 1
        elif self._text is not None and tag == self._text[0]:
            text = _words("".join(self._text[1]))
            if tag == "h1":
                self.headings.h1.append(text)
            else:
                self.headings.title = text
            self._text = None

    def _anchor(self, value: str, line: int) -> None:
        if value in self.ids:
            self.duplicates.append((value, line))
        self.ids.setdefault(value, line)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


def _words(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _kind(tag: str, values: dict[str, str]) -> str:
    if tag == "a" or tag == "area" or tag == "form":
        return "link"
    if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(
            values.get("rel", "").lower().split()):
        return "link"
    return "resource"


class SiteChecker:
    """Resolves references against the files of one built site."""

    def __init__(self, root: Path, site_urls: Iterable[str] = (DEV_SITEURL,)):
        self.root = root
        site_urls = [u for u in site_urls if u]
        self.prefixes = sorted({_origin_path(u) for u in site_urls}, key=len, reverse=True)
        # Deployed under a path (https://example.cn/kepu): root-relative links must carry it.
        self.base_path = urlsplit(site_urls[0]).path.rstrip("/") if site_urls else ""
        self.ids: dict[str, set[str]] = {}
        self.headings: dict[str, _Headings] = {}
        self.report = LinkReport()

    def run(self) -> LinkReport:
        references = list(self._collect())
        for reference in references:
            self._check(reference)
        self.report.problems.sort()
        return self.report

    def _collect(self) -> Iterator[_Reference]:
        for path in sorted(self.root.rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(self.root).as_posix()
            suffix = path.suffix.lower()
            if suffix in (".html", ".htm"):
                yield from self._html(path, relative)
            elif suffix == ".css":
                yield from self._css(path, relative)
            elif suffix == ".ics":
                yield from self._ics(path, relative)
            elif suffix in (".atom", ".rss", ".xml"):
                yield from self._feed(path, relative)
            elif suffix in (".json", ".webmanifest"):
                yield from self._json_file(path, relative)

    def _html(self, path: Path, relative: str) -> Iterator[_Reference]:
        parser = _PageParser()
        parser.feed(path.read_text("utf-8", errors="replace"))
        parser.close()
        self.report.pages += 1
        self.ids[relative] = set(parser.ids)
        self.headings[relative] = parser.headings
        for value, line in parser.duplicates:
            self.report.problems.append(LinkProblem(relative, line, f"#{value}",
                                                    "id 重复：同一页面有两个元素用了这个 id，锚点有歧义"))
        for index, (line, url, kind) in enumerate(parser.urls):
            if kind == "meta":
                if self._site_path(url.strip()) is not None:
                    yield _Reference(relative, line, url, "link")
                continue
            yield _Reference(relative, line, url, kind, parser.labels.get(index))
        for line, text in parser.json_blocks:
            yield from self._json_urls(text, relative, line)

    def _css(self, path: Path, relative: str) -> Iterator[_Reference]:
        text = path.read_text("utf-8", errors="replace")
        for match in _CSS_URL.finditer(text):
            url = match.group(2) or match.group(4)
            yield _Reference(relative, text.count("\n", 0, match.start()) + 1, url, "resource")

    def _ics(self, path: Path, relative: str) -> Iterator[_Reference]:
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n", "\n")
        for match in _ICS_URL.finditer(text):
            url = match.group(1).strip()
            if self._site_path(url) is not None:
                yield _Reference(relative, text.count("\n", 0, match.start()) + 1, url)

    def _feed(self, path: Path, relative: str) -> Iterator[_Reference]:
        text = path.read_text("utf-8", errors="replace")
        for match in _FEED_HREF.finditer(text):
            yield _Reference(relative, text.count("\n", 0, match.start()) + 1, match.group(1))

    def _json_file(self, path: Path, relative: str) -> Iterator[_Reference]:
        yield from self._json_urls(path.read_text("utf-8", errors="replace"), relative, 1)

    def _json_urls(self, text: str, relative: str, line: int) -> Iterator[_Reference]:
        try:
            data = json.loads(text)
        except ValueError:
            self.report.problems.append(LinkProblem(relative, line, "(JSON)", "JSON 无法解析"))
            return
        for key, value in _json_strings(data):
            if self._site_path(value) is not None or (key in JSON_URL_KEYS and value.startswith("/")):
                yield _Reference(relative, line, value)

    def _check(self, reference: _Reference) -> None:
        url = reference.url.strip()
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in ("mailto", "tel", "sms", "javascript", "data") or (scheme and len(scheme) == 1):
            return
        path = self._site_path(url)
        if path is None:
            if scheme or url.startswith("//"):
                self.report.external += 1
                if reference.kind == "resource":
                    self._problem(reference, "从其他网站加载资源：本站只能使用自己的文件")
                return
            path = self._local_path(reference, parts.path)
            if path is None:
                return
        self.report.links += 1
        self._resolve(reference, unquote(path), unquote(parts.fragment), bool(parts.fragment))

    def _local_path(self, reference: _Reference, url_path: str) -> str | None:
        """A relative or root-relative path as a path from the site root."""
        base = "/" + reference.page
        if url_path.startswith("/") and self.base_path:
            if url_path != self.base_path and not url_path.startswith(self.base_path + "/"):
                self._problem(reference, f"站内链接没有带网站路径 {self.base_path}/，发布后会指错地方")
                return None
            url_path = url_path[len(self.base_path):] or "/"
        if not url_path:
            return base
        path = posixpath.normpath(posixpath.join(posixpath.dirname(base), url_path))
        return path + "/" if url_path.endswith("/") and not path.endswith("/") else path

    def _resolve(self, reference: _Reference, path: str, fragment: str, has_fragment: bool) -> None:
        relative = path.lstrip("/")
        target = self.root / relative
        if relative == "" or path.endswith("/") or target.is_dir():
            relative = posixpath.join(relative, "index.html") if relative else "index.html"
            target = self.root / relative
        if not target.is_file():
            self._problem(reference, "目标不存在" + ("（文件夹中没有 index.html）"
                                                      if target.parent.is_dir() and path.endswith("/")
                                                      else ""))
            return
        if has_fragment and fragment not in NO_ANCHOR_NEEDED and not fragment.startswith(":~:"):
            self.report.anchors += 1
            ids = self.ids.get(relative)
            if ids is not None and fragment not in ids:
                self._problem(reference, f"页面 {relative} 中没有 id 为“{fragment}”的锚点")
        if reference.label is not None:
            self._check_label(reference, relative)

    def _check_label(self, reference: _Reference, relative: str) -> None:
        """A navigation or breadcrumb link leads to the page its words name."""
        label = reference.label
        self.report.labels += 1
        if not label:
            self._problem(reference, "导航链接没有文字：读者不知道它通向哪里")
        elif label in HOME_LABELS:
            if relative != "index.html":
                self._problem(reference, f"链接“{label}”应通向网站首页，实际通向 {relative}")
        elif (headings := self.headings.get(relative)) is not None and not headings.names(label):
            self._problem(reference, f"链接“{label}”通向的页面 {relative} 标题是“{headings.shown()}”，"
                                     f"与链接文字不符")

    def _site_path(self, url: str) -> str | None:
        """The path part of an absolute URL on this site (http, https or webcal), else None."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https", "webcal") or not parts.netloc:
            return None
        origin_path = f"{parts.netloc.lower()}{parts.path}"
        for prefix in self.prefixes:
            if origin_path == prefix or origin_path.startswith(prefix.rstrip("/") + "/"):
                rest = origin_path[len(prefix.rstrip("/")):]
                return rest if rest.startswith("/") else "/" + rest
        return None

    def _problem(self, reference: _Reference, reason: str) -> None:
        self.report.problems.append(LinkProblem(reference.page, reference.line, reference.url, reason))


def _origin_path(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}/"


def _json_strings(data: object, key: str = "") -> Iterator[tuple[str, str]]:
    stack: list[tuple[str, object]] = [(key, data)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, dict):
            stack.extend((str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((name, v) for v in value)


def check_site(root: Path, site_urls: Iterable[str] = (DEV_SITEURL,)) -> LinkReport:
    """Check every page, stylesheet, feed and JSON file under ``root``.

    Ids are collected while pages are read; anchors are checked after all pages are in.
    """
    return SiteChecker(root, site_urls).run()


def format_report(report: LinkReport, limit: int = 200) -> str:
    lines = [p.format() for p in report.problems[:limit]]
    if len(report.problems) > limit:
        lines.append(f"……另有 {len(report.problems) - limit} 处问题")
    labels = f"，{report.labels} 个导航链接核对了目标页标题" if report.labels else ""
    summary = (f"检查了 {report.pages} 个页面、{report.links} 个站内链接（其中 {report.anchors} 个带锚点{labels}），"
               f"另有 {report.external} 个外部链接未访问。")
    if report.ok:
        lines.append(summary + "没有发现断链。")
    else:
        lines.append(summary + f"发现 {len(report.problems)} 处问题。")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke linkcheck", description="检查构建好的网站中的站内链接。")
    parser.add_argument("output", type=Path, nargs="?", default=Path("output"), help="网站文件夹（默认 output）")
    parser.add_argument("--siteurl", action="append", default=[],
                        help=f"网站地址（可写多次；默认 {DEV_SITEURL}），以它开头的绝对链接也检查")
    args = parser.parse_args(argv)
    if not (args.output / "index.html").is_file():
        print(f"{args.output}/ 中没有 index.html：请先构建网站", file=sys.stderr)
        return 1
    # A published build's own absolute links are the site's, not another host's.
    report = check_site(args.output, args.siteurl or [DEV_SITEURL, *filter(None, [built_for(args.output)])])
    print(format_report(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
