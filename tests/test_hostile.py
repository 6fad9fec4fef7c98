"""Hostile content: each case builds safely or is refused in Chinese, never a traceback or a hang.

Every case is a copy of the mini site plus a few hostile files, built by the real build CLI in
its own subprocess with a time limit. Builds that succeed are searched for anything an editor
could have smuggled in; the cases that build are then combined into one site that headless
Chromium opens page by page, listening for dialogs and for the payloads' own marker.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import TEST_SITE, run_build, run_check, serve_directory
from feedtools import lint
from kepu.content.events import parse_file
from kepu.content.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MarkupError, render
from kepu.editor.linkcheck import check_site

pytestmark = pytest.mark.build

CASE_TIMEOUT = 300  # bounds a hang only (the slowest case, 2,000 events, takes ~20 s on a quiet machine)
MARK = "__pwned"
SCRIPT = f"<script>window.{MARK}=1;alert(1)</script>"
BREAKOUT = f'"><img src=x onerror="window.{MARK}=1;alert(1)">'
JS_URL = f"javascript:window.{MARK}=1;alert(1)"
FOLDER = "events/xinbei/2026"


def front(**fields: object) -> str:
    """YAML front matter; strings are written as JSON, which YAML reads back unchanged."""
    lines = []
    for key, value in fields.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items())
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---\n"


_SERIAL = itertools.count(1)


def event(title: str = "", body: str = "活动介绍。", **extra: object) -> str:
    """An event file; without a title, one of its own (the combined site holds many events, and the
    same title, start and street twice is one event published twice)."""
    fields: dict[str, object] = dict(title=title or f"普通科普活动 {next(_SERIAL)}", start="2026-12-12 09:00", end="11:00",
                                     street="xinbei", team="xinbei-liudong",
                                     categories=["kexue-shiyan"], audiences=["qinzi"],
                                     venue={"name": "新北街道科普活动室"})
    fields.update(extra)
    return front(**fields) + body + "\n"


def raw_event(front_lines: str, body: str = "活动介绍。") -> str:
    return ("---\ntitle: 原样写的活动\nstart: 2026-12-12 09:00\nend: \"11:00\"\nstreet: xinbei\n"
            "team: xinbei-liudong\ncategories: [kexue-shiyan]\naudiences: [qinzi]\n"
            f"venue:\n  name: 活动室\n{front_lines}---\n{body}\n")


def append_registry(name: str, text: str) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        path = content / "data" / name
        path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + text, "utf-8")
    return setup


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        for one in setups:
            one(content)
    return setup


def symlink(relative: str, target: str) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    return setup


def hostile_revision_in_history(content: Path) -> None:
    """The site is a git repository whose history holds a YAML bomb, since fixed."""
    site, path = content.parent, content / FOLDER / "h-history.md"

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.cn", *args],
                       cwd=site, check=True, capture_output=True, timeout=60)

    git("init", "-q")
    path.write_text(raw_event("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
        + "status: *i\nsequence: " + "[" * 50_000 + "]" * 50_000 + "\n"), "utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "bomb")
    path.write_text(event("历史里有炸弹的活动"), "utf-8")
    git("commit", "-q", "-am", "fixed")


def _replace_with_link(path: Path, target: str) -> None:
    path.unlink()
    path.symlink_to(target)


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.yml").write_text("- id: x\n  name: 文件夹里的登记表\n", "utf-8")


def tiny_png() -> bytes:
    """A valid 1×1 PNG (every chunk's checksum right: the build checks images' bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 6, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 5))
            + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    refused: str = ""  # the Chinese message the report must contain ("" = must build)
    where: str = ""  # "path:line" the refusal must name
    warns: tuple[str, ...] = ()  # warnings a successful build must print
    combined: bool = True  # part of the site opened in Chromium (when it builds)
    setup: Callable[[Path], None] | None = None
    check: Callable[[Path], None] | None = None  # extra assertions on the output


PWNED_FILE = Path("/tmp/kepu-hostile-test-pwned")


def _nothing_executed(_output: Path) -> None:
    assert not PWNED_FILE.exists()


def _page_contains(relative: str, *texts: str) -> Callable[[Path], None]:
    def check(output: Path) -> None:
        page = (output / relative).read_text("utf-8")
        for text in texts:
            assert text in page, (relative, text)
    return check


def _bounded_recurrence(output: Path) -> None:
    page = output / "events" / "h-daily-forever" / "index.html"
    assert page.stat().st_size < 200_000
    assert all(p.stat().st_size < 1_000_000 for p in output.rglob("*.ics"))


def _colliding_ids_are_separate(output: Path) -> None:
    for folder, name in (("streets", "同名街道"), ("teams", "同名队伍"), ("categories", "同名类型"),
                         ("audiences", "同名对象")):
        assert name in (output / folder / "shared" / "index.html").read_text("utf-8"), folder
        assert (output / "feeds" / folder / "shared.ics").is_file(), folder
    report = check_site(output)
    assert report.ok, [p.format() for p in report.problems[:10]]


def _many_events(count: int) -> dict[str, str | bytes]:
    return {f"events/taida/2026/yitian-{n:04d}.md": event(f"同一天的第 {n} 场活动", street="taida",
                                                          team="taida-huiketing",
                                                          start="2026-12-20 09:00")
            for n in range(count)}


CASES = [
    # -- script and event-handler payloads in every front-matter field: escaped --------------
    Case("f-title-script", {f"{FOLDER}/f-title-script.md": event(f"标题{SCRIPT}")}),
    Case("f-title-closes-script", {f"{FOLDER}/f-title-closes-script.md": event(
        f"</script><script>window.{MARK}=1</script><!--<script>")}),
    Case("f-title-attribute-breakout", {f"{FOLDER}/f-title-attribute-breakout.md": event(
        f"标题{BREAKOUT}' onmouseover='window.{MARK}=1")}),
    Case("f-summary-and-tags", {f"{FOLDER}/f-summary-and-tags.md": event(
        summary=f"简介{SCRIPT}{BREAKOUT}", tags=[SCRIPT, BREAKOUT])}),
    Case("f-venue-community-cost", {f"{FOLDER}/f-venue-community-cost.md": event(
        venue={"name": f"场地{SCRIPT}", "address": f"地址{BREAKOUT}"}, community=BREAKOUT,
        cost=SCRIPT)}),
    Case("f-status-note-accessibility", {f"{FOLDER}/f-status-note-accessibility.md": event(
        status="cancelled", status_note=SCRIPT, accessibility=BREAKOUT)}),
    Case("f-registration-and-contact", {f"{FOLDER}/f-registration-and-contact.md": event(
        registration={"required": True, "phone": "022-2530 0000", "note": SCRIPT,
                      "url": "https://example.cn/baoming?a=1&b=2"},
        contact={"name": SCRIPT, "phone": "(022) 2530-0001", "email": "a@b.cn"})}),
    # A quote would end the attribute on a page (escaped there), and the junk went verbatim into
    # calendars, open data and structured data: the link is refused.
    Case("f-registration-link-breakout", {f"{FOLDER}/f-registration-breakout.md": event(
        registration={"required": True, "url": f'https://example.cn/"onmouseover="window.{MARK}=1'})},
         refused="网址里不能有引号、尖括号或反斜杠", where=f"content/{FOLDER}/f-registration-breakout.md:13"),
    Case("f-phone-and-email-payloads", {f"{FOLDER}/f-phone-email.md": event(
        registration={"required": True, "phone": f'1" onclick="window.{MARK}=1'},
        contact={"name": "联系人", "phone": BREAKOUT, "email": f'a@b.cn" onclick="window.{MARK}=1'})},
         refused="格式不对：只能有数字、空格、-、+ 和括号", where=f"content/{FOLDER}/f-phone-email.md:13"),
    Case("f-image-alt", {f"{FOLDER}/f-image-alt.md": event(image="images/ok.png",
                                                            image_alt=BREAKOUT),
                         "images/ok.png": tiny_png()}),
    Case("f-rtl-and-emoji-titles", {
        f"{FOLDER}/f-rtl.md": event("مرحبا بالعلم عبري שלום ‏科普‎"),
        f"{FOLDER}/f-emoji.md": event("👩‍🔬🧪🚀 科学之夜 Z̷̢̛a̸l̵g̶o̷ 🏳️‍🌈")}),
    Case("f-registry-names", {"events/xinbei/2026/f-registry-names.md": event(
        team="evil-team", categories=["evil-category"])},
         setup=both(append_registry("teams.yml", f"- id: evil-team\n  name: {json.dumps(SCRIPT)}\n"
                                    f"  street: xinbei\n  description: {json.dumps(BREAKOUT)}\n"),
                    append_registry("categories.yml", f"- id: evil-category\n  name: {json.dumps(BREAKOUT)}\n"))),
    Case("f-article-and-page", {
        "articles/f-evil-news.md": front(title=f"新闻{SCRIPT}", date="2026-11-01",
                                         summary=f"摘要{BREAKOUT}", author=SCRIPT,
                                         tags=[BREAKOUT]) + f"新闻正文{SCRIPT}\n",
        "pages/f-evil-page.md": front(title=f"页面{BREAKOUT}", summary=SCRIPT) + "页面正文。\n"}),
    Case("f-ids-collide-across-registries", {"events/shared/2026/f-shared.md": event(
        "同名编号的活动", street="shared", team="shared", categories=["shared"], audiences=["shared"])},
         setup=both(append_registry("streets.yml", "- id: shared\n  name: 同名街道\n  kind: 街道\n  order: 90\n"),
                    append_registry("teams.yml", "- id: shared\n  name: 同名队伍\n  street: shared\n"),
                    append_registry("categories.yml", "- id: shared\n  name: 同名类型\n"),
                    append_registry("audiences.yml", "- id: shared\n  name: 同名对象\n")),
         check=_colliding_ids_are_separate),
    # -- URLs in front matter: only http(s); mailto and tel are built by the site -------------
    Case("u-online-javascript", {f"{FOLDER}/u-online-javascript.md": event(online=JS_URL)},
         refused="链接“javascript:", where=f"content/{FOLDER}/u-online-javascript.md:"),
    Case("u-registration-mixed-case-javascript", {f"{FOLDER}/u-reg-js.md": event(
        registration={"required": True, "url": "JaVaScRiPt:alert(1)"})},
         refused="只接受以 http:、https: 开头的网址", where=f"content/{FOLDER}/u-reg-js.md:"),
    Case("u-online-data-url", {f"{FOLDER}/u-online-data.md": event(
        online=f"data:text/html,{SCRIPT}")}, refused="只接受以 http:、https: 开头的网址"),
    Case("u-online-vbscript-leading-space", {f"{FOLDER}/u-online-vbscript.md": event(
        online="  vbscript:msgbox(1)")}, refused="只接受以 http:、https: 开头的网址"),
    Case("u-email-and-phone-cannot-become-scripts", {f"{FOLDER}/u-contact.md": event(
        registration={"required": True, "phone": JS_URL, "email": "x@example.cn"},
        contact={"name": "联系人", "email": JS_URL, "phone": f"tel:{JS_URL}"})},
         refused="格式不对", where=f"content/{FOLDER}/u-contact.md:13"),
    Case("u-mailto-with-hidden-recipients", {f"{FOLDER}/u-bcc.md": event(
        contact={"name": "联系人", "email": "kepu@example.cn?bcc=all@example.cn&subject=中奖"})},
         refused="邮箱“kepu@example.cn?bcc=all@example.cn&subje…”格式不对", where=f"content/{FOLDER}/u-bcc.md:13"),
    # -- bodies: raw HTML cleaned with an allowlist, every removal reported -------------------
    Case("b-script-and-handlers", {f"{FOLDER}/b-script.md": event(body=(
        f"第一段。\n\n{SCRIPT}\n\n<img src=\"/images/x.png\" onerror=\"window.{MARK}=1\">\n\n"
        f"<p onclick=\"window.{MARK}=1\" style=\"color:red\">点我</p>\n\n"
        f"<details open ontoggle=\"window.{MARK}=1\"><summary>展开</summary>内容</details>")),
        "images/x.png": tiny_png()},
         warns=(f"content/{FOLDER}/b-script.md:14: （提醒）正文: 已删除不安全的 HTML：<script>",
                f"content/{FOLDER}/b-script.md:16: （提醒）正文: 已删除不安全的 HTML：onerror 属性",
                f"content/{FOLDER}/b-script.md:18: （提醒）正文: 已删除不安全的 HTML：onclick 属性",
                f"content/{FOLDER}/b-script.md:18: （提醒）正文: 已删除不支持的 HTML：style 属性",
                f"content/{FOLDER}/b-script.md:20: （提醒）正文: 已删除不安全的 HTML：ontoggle 属性")),
    Case("b-javascript-links", {f"{FOLDER}/b-js-links.md": event(body=(
        f"[点我]({JS_URL})\n\n<a href=\"JaVa&#x09;ScRiPt:window.{MARK}=1\">再点</a>\n\n"
        f"<a href=\" vbscript:msgbox(1)\">vb</a> [邮件](mailto:kepu@example.cn) [电话](tel:022-25300000)"))},
         warns=("已删除不安全的 HTML：javascript: 链接", "已删除不安全的 HTML：vbscript: 链接"),
         check=_page_contains("events/b-js-links/index.html", 'href="mailto:kepu@example.cn"',
                              'href="tel:022-25300000"')),
    Case("b-iframe-object-embed-form", {f"{FOLDER}/b-embeds.md": event(body=(
        "<iframe src=\"https://evil.example/\" srcdoc=\"<script>alert(1)</script>\"></iframe>\n\n"
        "<object data=\"https://evil.example/x.swf\"></object><embed src=\"https://evil.example/y\">\n\n"
        f"<form action=\"{JS_URL}\"><input autofocus onfocus=\"window.{MARK}=1\"><button>提交</button></form>"))},
         warns=("<iframe>", "<object>", "<embed>", "<form>")),
    Case("b-style-and-css-expressions", {f"{FOLDER}/b-css.md": event(body=(
        "<style>body{background:url(javascript:alert(1))} *{display:none}</style>\n\n"
        "<div style=\"width:expression(alert(1));background-image:url(javascript:alert(1))\">样式</div>\n\n"
        "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">"))},
         warns=("<style>", "style 属性", "<link>")),
    Case("b-comment-and-cdata-tricks", {f"{FOLDER}/b-comments.md": event(body=(
        f"<!--><script>window.{MARK}=1</script>-->\n\n<!-- <script>alert(1)</script> -->\n\n"
        f"<![CDATA[<script>window.{MARK}=1</script>]]>\n\n"
        f"<svg><![CDATA[</svg><img src=/images/ok.png onerror=\"window.{MARK}=1\">]]></svg>\n\n"
        f"<noscript><p title=\"</noscript><img src=/images/ok.png onerror=window.{MARK}=1>\"></noscript>")),
        "images/ok.png": tiny_png()},
         warns=("<script>",)),
    Case("b-svg-math-mxss", {f"{FOLDER}/b-mxss.md": event(body=(
        f"<svg onload=\"window.{MARK}=1\"><script>alert(1)</script></svg>\n\n"
        "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned=1\">"
        "</style></mglyph></table></mtext></math>\n\n"
        f"<form><math><mtext></form><form><mglyph><svg><mtext><style><path id=\"</style>"
        f"<img onerror=window.{MARK}=1 src>\">"))}, warns=("<svg>", "<math>")),
    Case("b-data-and-external-images", {f"{FOLDER}/b-images.md": event(body=(
        "![数据](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n\n"
        "<img src=\"https://evil.example/track.png\" alt=\"跟踪\">\n\n![外站](//evil.example/a.png)\n\n"
        "<img src=\"\\\\evil.example\\b.png\">\n\n![本站](/images/ok.png)")),
        "images/ok.png": tiny_png()},
         warns=("已删除不安全的 HTML：data: 图片", "已删除外部图片：https://evil.example/track.png",
                "已删除外部图片：//evil.example/a.png"),
         check=_page_contains("events/b-images/index.html", 'src="/images/ok.png"')),
    Case("b-meta-base-refresh", {f"{FOLDER}/b-meta.md": event(body=(
        f"<meta http-equiv=\"refresh\" content=\"0;url={JS_URL}\">\n\n<base href=\"https://evil.example/\">\n\n"
        "正文"))}, warns=("<meta>", "<base>")),
    Case("b-dom-clobbering-ids", {f"{FOLDER}/b-clobber.md": event(body=(
        f"<a id=\"{MARK}\" href=\"#{MARK}\">锚</a> <img id=\"main\" name=\"{MARK}\" src=\"/images/ok.png\">\n\n"
        f"段落\n{{: #{MARK} onclick=\"window.{MARK}=1\" }}")), "images/ok.png": tiny_png()},
         warns=("onclick 属性",),
         check=_page_contains("events/b-clobber/index.html", f'id="c-{MARK}"', f'href="#c-{MARK}"')),
    Case("b-text-that-looks-like-markup", {f"{FOLDER}/b-text.md": event(body=(
        "代码：`<script>alert(1)</script>` 和 `</script>`\n\n```html\n<script>alert(1)</script>\n```\n\n"
        "比较：1 < 2 且 3 > 2；&lt;script&gt; 已转义。"))}),
    # -- encodings and bytes ------------------------------------------------------------------
    Case("e-invalid-utf8", {f"{FOLDER}/e-gbk.md": event("GBK 标题").encode("utf-8").replace(
        "GBK 标题".encode(), "科普".encode("gbk"))}, refused="不是 UTF-8 编码",
         where=f"content/{FOLDER}/e-gbk.md:2"),
    Case("e-nul-byte", {f"{FOLDER}/e-nul.md": raw_event("summary: 空@字符\n").encode().replace(b"@", b"\0")},
         refused="空字符（NUL）", where=f"content/{FOLDER}/e-nul.md:11"),
    Case("e-bom", {f"{FOLDER}/e-bom.md": b"\xef\xbb\xbf" + event("带 BOM 的文件").encode()},
         check=_page_contains("events/e-bom/index.html", "带 BOM 的文件")),
    Case("e-utf16", {f"{FOLDER}/e-utf16.md": event("UTF-16 文件").encode("utf-16")},
         refused="UTF-16"),
    Case("e-raw-control-character", {f"{FOLDER}/e-bell.md": raw_event(
        "summary: 响铃@简介\n").encode().replace(b"@", b"\x07")},
         refused="这一行有不可见的控制字符（U+0007）", where=f"content/{FOLDER}/e-bell.md:11"),
    Case("e-escaped-control-characters", {f"{FOLDER}/e-escaped.md": raw_event(
        'summary: "简介\\0含空字符\\e"\n')}, refused="不可见的控制字符（U+0000）",
         where=f"content/{FOLDER}/e-escaped.md:11"),
    Case("e-bidi-override-title", {f"{FOLDER}/e-bidi.md": event("gpj.exe\u202e科普活动")},
         refused="改变文字方向的控制字符（U+202E）", where=f"content/{FOLDER}/e-bidi.md:2"),
    Case("e-lone-surrogate-escape", {f"{FOLDER}/e-surrogate.md": raw_event('summary: "\\ud800"\n')},
         refused="转义写出了无效的字符", where=f"content/{FOLDER}/e-surrogate.md:11"),
    # -- YAML ---------------------------------------------------------------------------------
    Case("y-alias-bomb", {f"{FOLDER}/y-bomb.md": raw_event(
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)))},
         refused="锚点或别名", where=f"content/{FOLDER}/y-bomb.md:"),
    Case("y-python-object-tag", {f"{FOLDER}/y-python.md": raw_event(
        f"summary: !!python/object/apply:os.system [\"touch {PWNED_FILE}\"]\n")},
         refused="YAML 标签“python/object/apply", where=f"content/{FOLDER}/y-python.md:11",
         check=_nothing_executed),
    Case("y-binary-and-set-tags", {f"{FOLDER}/y-binary.md": raw_event(
        "summary: !!binary PHNjcmlwdD4=\ntags: !!set {a, b}\n")}, refused="YAML 标签“binary”"),
    Case("y-deep-flow-nesting", {f"{FOLDER}/y-deep.md": raw_event(
        "tags: " + "[" * 200_000 + "]" * 200_000 + "\n")},
         refused="前置信息嵌套超过 20 层", where=f"content/{FOLDER}/y-deep.md:11"),
    Case("y-huge-integer", {f"{FOLDER}/y-int.md": raw_event("sequence: " + "9" * 5000 + "\n")},
         refused="数字太长（5000 位）", where=f"content/{FOLDER}/y-int.md:11"),
    Case("y-registry-nesting-bomb", setup=append_registry(
        "audiences.yml", "- id: deep\n  name: " + "{a: " * 100_000 + "}" * 100_000 + "\n"),
         refused="登记表嵌套超过 20 层", where="content/data/audiences.yml:"),
    Case("y-long-lists", {f"{FOLDER}/y-lists.md": raw_event(
        "recurrence:\n  rrule: FREQ=WEEKLY\n  exdates: [" + ", ".join(
            f"{y}-{m:02d}-{d:02d}" for y in (2027, 2028) for m in range(1, 13) for d in range(1, 29))
        + "]\n")}, refused="列表太长（672 项，上限 500 项）", where=f"content/{FOLDER}/y-lists.md:13"),
    # -- size and work limits -----------------------------------------------------------------
    Case("s-five-megabyte-body", {f"{FOLDER}/s-5mb.md": event(body="科普" * 900_000)},
         refused="文件太大"),
    Case("s-large-body-builds", {f"{FOLDER}/s-900kb.md": event(
        body="\n\n".join(["滨海新区的科普活动丰富多彩，欢迎居民参加。" * 20] * 700))}, combined=False),
    Case("s-very-long-title", {f"{FOLDER}/s-title.md": event("长" * 10_000)}, refused="内容太长"),
    Case("s-bracket-bomb-body", {f"{FOLDER}/s-brackets.md": event(body="[" * 300_000)},
         refused="正文: 内容太复杂", where=f"content/{FOLDER}/s-brackets.md:12"),
    Case("s-nested-html-body", {f"{FOLDER}/s-nested.md": event(body="<div>" * 100_000)},
         refused="正文: HTML 嵌套超过 500 层"),
    Case("s-nested-list-body", {f"{FOLDER}/s-lists.md": event(body="".join(
        "  " * i + "- 项\n" for i in range(600)))}, refused="正文: 列表、引用或定义嵌套层次太深"),
    Case("s-2000-events-one-day", _many_events(2000), combined=False,
         check=lambda out: (out / "events" / "yitian-1999" / "index.html").is_file()),
    # -- dates and recurrence -----------------------------------------------------------------
    Case("r-minutely-forever", {f"{FOLDER}/r-minutely.md": event(recurrence={"rrule": "FREQ=MINUTELY"})},
         refused="不支持 FREQ=MINUTELY", where=f"content/{FOLDER}/r-minutely.md:"),
    Case("r-count-too-large", {f"{FOLDER}/r-count.md": event(recurrence={"rrule": "FREQ=DAILY;COUNT=1000000"})},
         refused="COUNT=1000000 无效"),
    Case("r-daily-forever-from-2000", {"events/xinbei/2000/h-daily-forever.md": event(
        "每天都有的活动", start="2000-01-01 09:00", recurrence={"rrule": "FREQ=DAILY"})},
         check=_bounded_recurrence, combined=False),
    Case("r-year-9999", {f"{FOLDER}/r-9999.md": event(start="9999-12-31 23:00", end="23:59")},
         refused="年份 9999 超出范围", where=f"content/{FOLDER}/r-9999.md:3"),
    Case("h-yaml-bomb-in-git-history", setup=hostile_revision_in_history, combined=False,
         check=_page_contains("events/h-history/index.html", "历史里有炸弹的活动")),
    # -- paths ----------------------------------------------------------------------------------
    Case("p-slug-percent-traversal", {f"{FOLDER}/a%2f..%2f..%2fetc%2fpasswd.md": event()},
         refused="不能用作网址"),
    Case("p-slug-fullwidth-and-case", {f"{FOLDER}/ＥＶＩＬ-Event.md": event()}, refused="不能用作网址"),
    Case("p-image-traversal", {f"{FOLDER}/p-image.md": event(image="images/../../../../etc/hostname.png")},
         refused="图片路径", where=f"content/{FOLDER}/p-image.md:"),
    Case("p-image-absolute-and-external", {
        f"{FOLDER}/p-image-abs.md": event(image="/etc/passwd.png"),
        f"{FOLDER}/p-image-ext.md": event(image="https://evil.example/x.png")},
         refused="配图必须放在本站"),
    Case("p-report-traversal", {f"{FOLDER}/p-report.md": event(report="../../../etc/passwd")},
         refused="找不到文件名为“../../../etc/passwd”的新闻"),
    Case("p-symlinked-image-out-of-content", setup=symlink("images/leak.png", "/etc/hostname"),
         refused="指向内容文件夹之外的链接", where="content/images/leak.png"),
    Case("p-symlinked-event-out-of-content", setup=symlink(f"{FOLDER}/leak.md", "/etc/passwd"),
         refused="指向内容文件夹之外的链接", where=f"content/{FOLDER}/leak.md"),
    Case("p-page-named-like-a-section", {"pages/events.md": front(title="与栏目同名的页面") + "正文\n"},
         refused="两个页面要写到同一个位置：events/index.html", where="content/pages/events.md"),
    Case("p-event-named-past", {f"{FOLDER}/past.md": event("名叫 past 的活动")},
         refused="两个页面要写到同一个位置：events/past/index.html"),
    # -- round two: every file through one reader, or refused by name ---------------------------
    Case("t-mkd-news-with-script", {"articles/t-mkd-news.mkd": front(title="另一种扩展名的新闻", date="2026-11-03")
                                    + f"正文{SCRIPT}\n"},
         refused="文件名不是以 .md 结尾，这个文件不会被读取或发布", where="content/articles/t-mkd-news.mkd"),
    Case("t-mdown-page", {"pages/t-mdown.mdown": front(title="页面") + f"{SCRIPT}\n"},
         refused="改名为 t-mdown.md", where="content/pages/t-mdown.mdown"),
    Case("t-event-saved-as-markdown", {f"{FOLDER}/t-markdown.markdown": event("扩展名写全了的活动")},
         refused="改名为 t-markdown.md", where=f"content/{FOLDER}/t-markdown.markdown"),
    Case("t-event-upper-case-suffix", {f"{FOLDER}/t-upper.MD": event("大写扩展名的活动")},
         refused="改名为 t-upper.md（扩展名只用小写的 .md）", where=f"content/{FOLDER}/t-upper.MD"),
    Case("t-event-saved-by-notepad", {f"{FOLDER}/t-notepad.md.txt": event("记事本保存的活动")},
         refused="改名为 t-notepad.md", where=f"content/{FOLDER}/t-notepad.md.txt"),
    Case("t-word-file-in-events", {f"{FOLDER}/t-notice.docx": b"PK\x03\x04word/document.xml"},
         refused="events 文件夹里只能放 .md 文件", where=f"content/{FOLDER}/t-notice.docx"),
    Case("t-hidden-event-file", {f"{FOLDER}/.t-hidden.md": event("藏起来的活动")},
         refused="隐藏文件（名字以 . 开头）不会被读取或发布", where=f"content/{FOLDER}/.t-hidden.md"),
    Case("t-htaccess-in-images", {"images/.htaccess": "AddType text/html .png\n", "images/ok.png": tiny_png()},
         refused="隐藏文件（名字以 . 开头）不会被读取或发布", where="content/images/.htaccess"),
    Case("t-save-as-another-event", {"articles/t-save-as.md": "---\ntitle: 覆盖别人的活动\ndate: 2026-11-03\n"
                                     "Save_as: events/liudong-kejiguan/index.html\n---\n被替换了\n"},
         refused="字段“Save_as”会改变网页的位置或模板，内容文件不能设置它", where="content/articles/t-save-as.md:4"),
    Case("t-template-traversal", {"pages/t-template.md": "---\ntitle: 模板\nTemplate: ../../etc/passwd\n---\n正文\n"},
         refused="字段“Template”会改变网页的位置或模板", where="content/pages/t-template.md:3"),
    Case("t-slug-traversal-in-event", {f"{FOLDER}/t-slug.md": raw_event("Slug: ../../../tmp/kepu-slug\n")},
         refused="字段“Slug”会改变网页的位置或模板", where=f"content/{FOLDER}/t-slug.md:11"),
    Case("t-url-override-in-event", {f"{FOLDER}/t-url.md": raw_event("url: /news/\n")},
         refused="字段“url”会改变网页的位置或模板", where=f"content/{FOLDER}/t-url.md:11"),
    Case("t-news-status-published", {"articles/t-status.md": "---\ntitle: 草稿\ndate: 2026-11-03\ndraft: true\n"
                                      "status: published\n---\n正文\n"},
         refused="字段“status”会改变网页的位置或模板", where="content/articles/t-status.md:5"),
    Case("t-two-news-one-address", {"articles/2025/t-same.md": front(title="去年的新闻", date="2025-11-03") + "甲\n",
                                    "articles/2026/t-same.md": front(title="今年的新闻", date="2026-11-03") + "乙\n"},
         refused="与 content/articles/2026/t-same.md 重复，网址会冲突", where="content/articles/2025/t-same.md"),
    # -- round two: the walk reads plain files inside content/ only -----------------------------
    Case("t-named-pipe-event", setup=lambda content: os.mkfifo(content / FOLDER / "t-pipe.md"),
         refused="这不是普通文件（可能是管道或设备文件）", where=f"content/{FOLDER}/t-pipe.md"),
    Case("t-registry-linked-to-dev-zero", setup=lambda content: _replace_with_link(content / "data" / "audiences.yml",
                                                                               "/dev/zero"),
         refused="这是一个指向内容文件夹之外的链接（symlink）", where="content/data/audiences.yml"),
    Case("t-link-inside-content", setup=symlink(f"{FOLDER}/t-copy.md", "liudong-kejiguan.md"),
         refused="这是一个链接（symlink）：同一内容会被读取或发布两次", where=f"content/{FOLDER}/t-copy.md"),
    Case("t-linked-folder-inside-content", setup=symlink("events/taida/2027", "../xinbei/2026"),
         refused="这是一个链接（symlink）：同一内容会被读取或发布两次", where="content/events/taida/2027"),
    Case("t-registry-is-a-folder", setup=lambda content: _replace_with_folder(content / "data" / "categories.yml"),
         refused="登记表应是一个普通文件（这里是文件夹、链接或设备）", where="content/data/categories.yml"),
    # -- round two: registries are bounded, and one bad line loses one item ----------------------
    Case("t-registry-id-with-newline", setup=append_registry("teams.yml", '- id: "evil\\n"\n  name: 换行编号的队伍\n'),
         refused="编号“evil\\n”不合规", where="content/data/teams.yml:"),
    Case("t-giant-team-name", setup=append_registry("teams.yml", "- id: giant\n  name: " + "巨" * 180_000 + "\n"),
         refused="内容太长（180000 字，上限 60 字）", where="content/data/teams.yml:"),
    Case("t-one-bad-registry-line", setup=append_registry("streets.yml", '- id: broken\n  name: "没有结尾的引号\n'
                                                          "  kind: 街道\n- id: fine\n  name: 好的街道\n  kind: 镇\n"),
         refused="引号没有成对", where="content/data/streets.yml:"),
    Case("t-body-image-missing-or-misplaced", {f"{FOLDER}/t-body-images.md": event(body=(
        "第一段。\n\n![大写](/images/OK.PNG)\n\n![没有](/images/nothere.png)\n\n![数据](/data/events.csv)\n\n"
        "![相对](images/ok.png)")), "images/ok.png": tiny_png()},
         refused="正文: 正文里的图片 /images/OK.PNG 不存在", where=f"content/{FOLDER}/t-body-images.md:14"),
    Case("t-news-body-image-missing", {"articles/t-news-image.md": front(title="配图写错的新闻", date="2026-11-03")
                                       + "正文\n\n![图](/images/nothere.jpg)\n"},
         refused="正文里的图片 /images/nothere.jpg 不存在", where="content/articles/t-news-image.md:7"),
]
BUILT = [c for c in CASES if not c.refused]
# The untouched mini site plus one benign event and article that fill every field, so that
# every branch of the theme is seen once: its elements, attributes and scripts are "the site's own".
BASELINE = Case("baseline", {
    f"{FOLDER}/baseline-full.md": event(
        "完整的活动", body="正文 **粗体**\n\n| 甲 | 乙 |\n|:--|--:|\n| 1 | 2 |\n\n![图](/images/ok.png)",
        summary="简介", community="金江社区", cost="10", status="postponed",
        previous_start="2026-12-05 09:00", status_note="天气原因", image="images/ok.png",
        image_alt="示意图", online="https://live.example.cn/1", accessibility="有无障碍通道",
        registration={"required": True, "url": "https://example.cn/bm", "phone": "022-2530 0000",
                      "email": "kepu@example.cn", "note": "请提前报名", "capacity": 30,
                      "deadline": "2026-12-10"},
        contact={"name": "王老师", "phone": "022-2530 0001", "email": "w@example.cn"},
        tags=["实验"], featured=True, updated="2026-12-01 10:00", attendance=20,
        recurrence={"rrule": "FREQ=WEEKLY;COUNT=5"}),
    "articles/baseline-news.md": front(title="完整新闻", date="2026-11-02", summary="摘要",
                                       author="作者", image="images/ok.png", image_alt="图",
                                       tags=["标签"], events=["liudong-kejiguan"], street="xinbei")
    + "新闻正文\n",
    "images/ok.png": tiny_png()})


def test_the_suite_is_as_large_as_promised() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert len(BUILT) >= 15 and len(CASES) - len(BUILT) >= 25


def make_site(root: Path, cases: list[Case]) -> Path:
    site = root / "site"
    shutil.copytree(TEST_SITE, site)
    content = site / "content"
    for case in cases:
        for relative, data in case.files.items():
            path = content / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, "utf-8")
        if case.setup:
            case.setup(content)
    return content


@dataclass
class Outcome:
    returncode: int | None  # None: the build did not finish in time
    stdout: str
    stderr: str
    output: Path


def build_case(root: Path, cases: list[Case]) -> Outcome:
    content = make_site(root, cases)
    output = root / "output"
    try:
        result = run_build(content, output, timeout=CASE_TIMEOUT)
    except subprocess.TimeoutExpired as expired:
        return Outcome(None, str(expired.stdout), str(expired.stderr), output)
    return Outcome(result.returncode, result.stdout, result.stderr, output)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case built once, two at a time (two cores), plus the untouched mini site."""
    jobs = [("baseline", [BASELINE])] + [(c.id, [c]) for c in CASES]
    jobs.sort(key=lambda job: job[0] != "s-2000-events-one-day")  # the longest first
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(build_case, tmp_path_factory.mktemp(name), cases)
                   for name, cases in jobs}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_is_built_safely_or_refused_in_chinese(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    report = outcome.stdout + outcome.stderr
    assert outcome.returncode is not None, f"{case.id}: hung (no answer within {CASE_TIMEOUT} s)"
    assert "Traceback" not in report and "程序出错" not in report, report[-3000:]
    if case.refused:
        assert outcome.returncode == 1, report[-3000:]
        assert case.refused in report, report[-3000:]
        assert case.where in report, report[-3000:]
        assert "构建已停止" in report
        assert not outcome.output.exists()
        if case.check:
            case.check(outcome.output)
        return
    assert outcome.returncode == 0, report[-3000:]
    for warning in case.warns:
        assert warning in report, (warning, report[-3000:])
    assert_nothing_smuggled(outcome.output, baseline(outcomes))
    if case.check:
        case.check(outcome.output)


def test_refusals_name_file_and_line_and_say_how_to_fix(outcomes: dict[str, Outcome]) -> None:
    for case in CASES:
        if not case.refused:
            continue
        lines = [line for line in outcomes[case.id].stderr.splitlines() if case.refused in line]
        assert lines, case.id
        assert re.match(r"\s*content/\S+(:\d+)?: .+ — .+", lines[0]), (case.id, lines[0])



# -- invoke check is as strict as the build ------------------------------------------------------
_PROBLEM = re.compile(r"^\s*((?:content/|网址 /)\S*: .+)$", re.MULTILINE)


def reported(text: str) -> set[str]:
    """The problems a report names (errors and reminders), whatever prints them."""
    return set(_PROBLEM.findall(text))


@pytest.fixture(scope="module")
def checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess]:
    """`invoke check` on a fresh copy of each case, two at a time."""
    def check_case(case: Case) -> subprocess.CompletedProcess:
        content = make_site(tmp_path_factory.mktemp(f"check-{case.id}"), [case])
        return run_check(content=content, cwd=content.parent)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip([c.id for c in CASES], pool.map(check_case, CASES), strict=True))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_and_build_agree(case: Case, outcomes: dict[str, Outcome],
                               checks: dict[str, subprocess.CompletedProcess]) -> None:
    """Same verdict, same problems: what CI shows on a pull request is what the build would say."""
    build, check = outcomes[case.id], checks[case.id]
    check_report = check.stdout + check.stderr
    assert "Traceback" not in check_report, check_report[-3000:]
    assert (check.returncode, bool(case.refused)) == (1 if build.returncode else 0, bool(case.refused)), (
        build.returncode, check_report[-3000:])
    assert reported(check_report) == reported(build.stdout + build.stderr), (
        check_report[-2000:], build.stderr[-2000:])


# -- what a successful build may contain -------------------------------------------------------
class Inventory(HTMLParser):
    """Tags, attributes, scripts and URLs of the pages of one site."""

    URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href",
                      "background", "srcset", "cite", "ping")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        self.handlers: set[tuple[str, str, str]] = set()
        self.script_sources: set[str] = set()
        self.inline_scripts: set[str] = set()
        self.json_blocks: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self._script: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            self.attributes.add((tag, name))
            if name.startswith("on"):
                self.handlers.add((tag, name, value))
            if name in self.URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
        if tag == "script":
            self._script, self._text = values, []

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        text, attrs = "".join(self._text), self._script
        if "src" in attrs:
            self.script_sources.add(attrs["src"])
        elif "json" in attrs.get("type", ""):
            self.json_blocks.append(text)
        else:
            self.inline_scripts.add(text)
        self._script = None


def inventory(output: Path) -> Inventory:
    found = Inventory()
    for page in sorted(output.rglob("*.html")):
        found.feed(page.read_text("utf-8"))
        found.close()
        found.reset()
    return found


_BASELINE: dict[str, Inventory] = {}


def baseline(outcomes: dict[str, Outcome]) -> Inventory:
    if "site" not in _BASELINE:
        assert outcomes["baseline"].returncode == 0, outcomes["baseline"].stderr
        _BASELINE["site"] = inventory(outcomes["baseline"].output)
    return _BASELINE["site"]


def _scheme(url: str) -> str:
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else ""


def assert_nothing_smuggled(output: Path, base: Inventory) -> None:
    """Only the theme's own elements, attributes and scripts, plus the body allowlist."""
    found = inventory(output)
    content_attributes = {(t, a) for t, names in ALLOWED_ATTRIBUTES.items() for a in names}
    extra_tags = found.tags - base.tags - ALLOWED_TAGS
    assert not extra_tags, extra_tags
    extra_attributes = {(t, a) for t, a in found.attributes - base.attributes - content_attributes
                        if (("*", a) not in content_attributes)}
    assert not extra_attributes, extra_attributes
    assert found.handlers <= base.handlers, found.handlers - base.handlers
    assert found.script_sources <= base.script_sources, found.script_sources - base.script_sources
    assert found.inline_scripts <= base.inline_scripts, found.inline_scripts - base.inline_scripts
    for tag, name, value in found.urls:
        assert _scheme(value) not in ("javascript", "vbscript", "data"), (tag, name, value)
        if tag in ("img", "script", "iframe", "embed", "source", "video", "audio", "input"):
            assert not urlsplit(value).netloc and not value.replace("\\", "/").startswith("//"), value
    for block in found.json_blocks:
        assert_json_block(block)
    for path in output.rglob("*.json"):
        assert_json_file(path)
    for path in output.rglob("*.ics"):
        assert lint(path.read_bytes()) == [], path
    assert not any(p.is_symlink() for p in output.rglob("*"))


def _strict(constant: str) -> None:
    raise ValueError(f"not JSON: {constant}")


def assert_json_block(text: str) -> None:
    """JSON-LD inside <script>: no raw "<" at all, so nothing can close or comment out the block."""
    assert "<" not in text, text[:200]
    json.loads(text, parse_constant=_strict)


def assert_json_file(path: Path) -> None:
    """Stand-alone JSON (indexes, search, open data): UTF-8 without BOM, strict JSON.

    Raw "<" is allowed here: a JSON file is data, never parsed as HTML. What matters is how
    the site's scripts insert it (as text), which the browser test exercises.
    """
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), path
    json.loads(data.decode("utf-8"), parse_constant=_strict)


def test_json_ld_and_json_keep_hostile_titles_as_text(outcomes: dict[str, Outcome]) -> None:
    """Whatever JSON the site publishes carries the title itself, neither cut nor HTML-escaped."""
    output = outcomes["f-title-closes-script"].output
    title = f"</script><script>window.{MARK}=1</script><!--<script>"
    page = output / "events" / "f-title-closes-script" / "index.html"
    blocks = inventory_of(page).json_blocks
    own = [json.dumps(json.loads(b), ensure_ascii=False) for b in blocks]
    texts = own + [json.dumps(json.loads(p.read_text("utf-8")), ensure_ascii=False)
                   for p in output.rglob("*.json")]
    holding = [t for t in texts if MARK in t]
    # The page's own JSON-LD names the event (a title cut before the mark would leave nothing to check).
    assert any(MARK in t for t in own), own
    assert all(json.dumps(title, ensure_ascii=False) in t for t in holding), holding[:1]


def inventory_of(page: Path) -> Inventory:
    found = Inventory()
    found.feed(page.read_text("utf-8"))
    return found


# -- the combined hostile site in a real browser ------------------------------------------------
@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("combined")
    outcome = build_case(root, [c for c in BUILT if c.combined])
    assert outcome.returncode == 0, outcome.stderr[-3000:]
    return outcome.output


def test_combined_hostile_site_builds_and_smuggles_nothing(hostile_site: Path, outcomes) -> None:
    assert_nothing_smuggled(hostile_site, baseline(outcomes))


SENTINEL = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) { window.__dialogs.push(name); return original.apply(this, args); };
}
"""


@dataclass
class BrowserReport:
    pages: int = 0
    dialogs: list[tuple[str, str]] = field(default_factory=list)
    fired: list[tuple[str, list]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    searches: list[tuple[str, bool]] = field(default_factory=list)  # (url, payload shown as text)


def visit_every_page(browser, site: Path) -> BrowserReport:
    """Open each HTML file of ``site`` over HTTP; record dialogs, the marker and foreign requests."""
    server, base = serve_directory(site)
    report = BrowserReport()
    context = browser.new_context()
    context.add_init_script(SENTINEL)
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://"),
                  lambda route: (report.foreign.append(route.request.url), route.abort()))
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("dialog", lambda dialog: (report.dialogs.append((page.url, dialog.message)),
                                      dialog.dismiss()))
    forms: set[tuple[str, str]] = set()
    try:
        for path in sorted(site.rglob("*.html")):
            relative = path.relative_to(site).as_posix()
            page.goto(f"{base}/{relative.removesuffix('index.html')}", wait_until="load")
            _exercise(page)
            _check_state(page, relative, report)
            forms.update(map(tuple, page.evaluate(SEARCH_FORMS)))
            report.pages += 1
        for (action, name), query in itertools.product(sorted(forms), ("pwned", "script", "onerror")):
            page.goto(f"{action}?{name}={query}", wait_until="load")
            page.wait_for_load_state("networkidle")
            _check_state(page, f"{action}?{name}={query}", report)
            report.searches.append((page.url, MARK in page.locator("body").inner_text()))
    finally:
        context.close()
        server.shutdown()
    return report


def test_no_payload_runs_in_chromium(hostile_site: Path, browser) -> None:
    """Every page of the hostile site, opened for real: no dialog, no marker, no foreign request."""
    report = visit_every_page(browser, hostile_site)
    assert report.pages >= 30
    assert report.dialogs == [] and report.fired == [], (report.dialogs, report.fired)
    assert report.foreign == []
    if report.searches:  # the search results showed the payloads, as text
        assert any(shown for _, shown in report.searches), report.searches


def test_the_browser_check_would_catch_a_payload(tmp_path: Path, browser) -> None:
    """The same check on planted pages that do run script: it must see each of them."""
    site = tmp_path / "planted"
    site.mkdir()
    (site / "index.html").write_text(f"<p>ok</p><img src=x onerror='window.{MARK}=1'>", "utf-8")
    (site / "alert").mkdir()
    (site / "alert" / "index.html").write_text("<script>alert(1)</script>", "utf-8")
    (site / "hover.html").write_text(
        f"<div style='position:fixed;inset:0' onmouseover='window.{MARK}=1'></div>", "utf-8")
    (site / "remote.html").write_text("<img src='http://evil.example/t.png'>", "utf-8")
    report = visit_every_page(browser, site)
    assert report.pages == 4
    assert [message for _, message in report.dialogs] == ["1"]
    assert sorted(page for page, _ in report.fired) == ["alert/index.html", "hover.html", "index.html"]
    assert report.foreign == ["http://evil.example/t.png"]


SEARCH_FORMS = """[...document.querySelectorAll('input[type=search]')]
  .map(input => [input.form ? input.form.action : location.href.split('?')[0], input.name || 'q'])"""


def _exercise(page) -> None:
    """Give payloads on hovers a chance to fire (image errors and onload fired before the load
    event that goto waited for; _check_state's evaluate waits for the handlers the moves ran)."""
    page.mouse.move(200, 200)
    page.mouse.move(400, 300)


def _check_state(page, where: str, report: BrowserReport) -> None:
    state = page.evaluate(f"[typeof window.{MARK}, window.__dialogs.length]")
    if state != ["undefined", 0]:
        report.fired.append((where, state))


# -- the warnings editors see, from invoke check and from the parser --------------------------
def test_check_warns_with_file_and_line(mini_site: Path) -> None:
    path = mini_site / "content" / FOLDER / "paste.md"
    path.write_text(event(body="第一段。\n\n<p>从 Word 复制的<font color=red>文字</font></p>\n\n"
                                 f"{SCRIPT}\n\n![图](https://evil.example/x.png)"), "utf-8")
    result = run_check(path, content=mini_site / "content", cwd=mini_site)
    shown = f"content/{FOLDER}/paste.md"
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{shown}:14: （提醒）正文: 已删除不支持的 HTML：<font> — 正文只能用 Markdown" in result.stdout
    assert (f"{shown}:16: （提醒）正文: 已删除不安全的 HTML：<script> — "
            "正文只能用 Markdown 和表格、图片等基本 HTML") in result.stdout
    assert (f"{shown}:18: （提醒）正文: 已删除外部图片：https://evil.example/x.png — "
            "网站不加载其他网站的图片") in result.stdout


def test_render_keeps_what_editors_may_use() -> None:
    text = ("## 小标题\n\n**粗体**、*斜体*、~~删除~~、`代码`、[链接](https://example.cn/a)、"
            "[邮件](mailto:a@example.cn)、[电话](tel:022-1)、[站内](/events/)\n\n"
            "| 时间 | 内容 |\n|:--|--:|\n| 9:00 | 签到 |\n\n![图](/images/a.png)\n\n"
            "<figure><img src=\"/images/a.png\" alt=\"示意\"><figcaption>说明</figcaption></figure>\n\n"
            "> 引用\n\n1. 一\n2. 二\n\n<details><summary>更多</summary>内容</details>\n\n"
            "脚注[^1]\n\n[^1]: 注释")
    result = render(text)
    assert result.removed == ()
    for kept in ("<h2>小标题</h2>", "<strong>粗体</strong>", "<em>斜体</em>", "<code>代码</code>",
                 'href="https://example.cn/a"', 'href="mailto:a@example.cn"', 'href="tel:022-1"',
                 'href="/events/"', '<th align="left">', '<img src="/images/a.png" alt="示意">',
                 "<figcaption>说明</figcaption>", "<blockquote>", "<ol>", "<details>",
                 'href="#c-fn:1"', 'id="c-fn:1"'):
        assert kept in result.html, kept


@pytest.mark.parametrize(("text", "what"), [
    ("<script>alert(1)</script>", "<script>"),
    ("<img src=/a.png onerror=alert(1)>", "onerror 属性"),
    ("[x](javascript:alert(1))", "javascript: 链接"),
    ("<a href='java&#x0A;script:alert(1)'>x</a>", "javascript: 链接"),
    ("<iframe src=/x></iframe>", "<iframe>"),
    ("<object data=/x></object>", "<object>"),
    ("<span style='x:expression(alert(1))'>x</span>", "style 属性"),
    ("![x](data:image/png;base64,AAAA)", "data: 图片"),
    ("<img src='vbscript:msgbox(1)'>", "vbscript: 图片"),
    ("<img src='http://evil.example/a.png'>", "http://evil.example/a.png"),
])
def test_every_removal_is_reported(text: str, what: str) -> None:
    result = render(f"第一行\n\n{text}")
    assert what in [r.what for r in result.removed]
    assert {r.line for r in result.removed if r.what == what} <= {3, 0}
    assert "alert" not in result.html and "evil.example" not in result.html


def test_work_limits_give_chinese_errors(tmp_path: Path) -> None:
    for body in ("[" * 300_000, "<ul><li>" * 50_000, "<p " + " ".join(f"a{i}=1" for i in range(50_000)) + ">"):
        with pytest.raises(MarkupError) as error:  # refused by structure, never by a clock
            render(body)
        assert re.search(r"[\u4e00-\u9fff]", error.value.message)
    path = tmp_path / "deep.md"
    path.write_text(raw_event("tags: " + "[" * 100_000 + "]" * 100_000 + "\n"), "utf-8")
    parsed = parse_file(path, "deep.md")
    assert parsed.doc is None
    assert [p.format() for p in parsed.problems] == [
        "deep.md:11: 前置信息嵌套超过 20 层 — 每个字段写成“字段名: 内容”，列表写成 [甲, 乙]，不要层层嵌套括号"]


def test_registry_yaml_is_read_with_the_same_care(tmp_path: Path) -> None:
    """invoke check and the build load registries the same way: bombs give messages, not crashes."""
    from kepu.content.registries import load_registries

    data = tmp_path / "data"
    shutil.copytree(TEST_SITE / "content" / "data", data)
    (data / "streets.yml").write_text("- id: a\n  name: \"街\\x1b道\"\n  kind: 街道\n", "utf-8")
    (data / "teams.yml").write_text("- id: t\n  name: " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    assert yaml.safe_load((data / "streets.yml").read_text("utf-8"))[0]["name"] == "街\x1b道"
    _, problems = load_registries(data)
    assert [p.format() for p in problems] == [
        "content/data/streets.yml:2: 有不可见的控制字符（U+001B） — "
        "删除这些看不见的字符后重新保存（常见于从网页、微信或 Word 复制的文字）",
        "content/data/teams.yml:2: 登记表嵌套超过 20 层 — "
        "每个字段写成“字段名: 内容”，列表写成 [甲, 乙]，不要层层嵌套括号"]
