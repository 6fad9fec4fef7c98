"""Render Markdown bodies to HTML and clean raw HTML with an allowlist."""

from __future__ import annotations

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
    "*": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["extra", "sane_lists", "nl2br"]

_renderer: markdown.Markdown | None = None


def render_markdown(text: str) -> str:
    """Markdown → safe HTML (headings start at h2: the page title is the h1)."""
    global _renderer
    if _renderer is None:
        _renderer = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    html = _renderer.reset().convert(text)
    return sanitize(_demote_h1(html))


def sanitize(html: str) -> str:
    """Keep formatting, tables, images and links; drop scripts, styles, handlers, bad URLs."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def _demote_h1(html: str) -> str:
    return html.replace("<h1", "<h2").replace("</h1>", "</h2>") if "<h1" in html else html
