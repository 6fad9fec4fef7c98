"""Structural work limits of kepu.content.markup, in process and without a clock.

Python-Markdown 3.11 slows down sharply on some shapes of text. kepu.content.markup measures those
shapes before it renders and refuses a body past a limit with a Chinese MarkupError naming the
line where the offending block starts; the refusal depends on the text alone. These tests
check that every costly shape found is refused *before* Python-Markdown or the sanitiser run
(both are replaced by traps), at the right line, the same way every time; that ordinary long
bodies pass and render exactly as they would without the limits; and that the last-resort
watchdog keeps an overall budget. Nothing here measures time.

How the shapes grow (python-markdown 3.11.3, CPU seconds to convert one paragraph or body on
the project's 2-core machine; the measuring scripts timed n = 1k, 2k, 4k, 8k, 16k ... up to
the 1 MB file limit, then each shape at the largest size the limits accept, padded to 1 MB):

    "[" repeated, "![", "[[[…]]]", "[a](" repeated, "<![CDATA["   quadratic: 2k "[": 1.7 s
    "*a", "_a", "**a**", "`a`", "\\*", "&amp;", "<b>", "<br>", "|"  quadratic past ~10k in one
                                                  paragraph (85k "<b>": 7 s); 5-35 us each
    lines of one block: "# a", "a\n=", ": a", "***"  quadratic: 1,000 ": a" lines: 0.17 s
    blocks: paragraphs, list items, quotes          linear, 25-80 us each
    blank lines between blocks                      quadratic: 200k blank lines + a word: 1.2 s
    "> " / "- " / "1. " nesting on one line         linear per level (30 levels: 0.6 ms a
                                                  line); RecursionError past ~300 levels
    "<a", "<a b", "<a x='>'", "<http://a" unfinished  quadratic: 16k "<a": 1.1 s
    "</a" without ">"; "<?" / "<![" at line starts  quadratic (42k "<?" lines: 7.6 s)
    "<b>" then many "<!---->"                       cubic-ish (1,000 pairs: 1.5 s)
    HTML blocks, comments, code fences              each copies the rest of the body
    unclosed "```" fences of different lengths      each searched to the end of the body
    one "~~~~…" line of 500k characters             0.26 s more than plain text
    "[^1]" cited k times; footnote definitions      quadratic: 1,000 citations: 1 s
    "*[" abbreviation lines in long blocks          quadratic in the block
    "<div>" * n (sanitiser), '<div markdown="1">'   quadratic in nh3: 128k chars: 1.3 s
    reference definitions, "<" or "&" runs, long    linear: within the budget
    runs of backticks or "|", huge tables

kepu.content.markup refuses a block past a per-block limit (MAX_BLOCK_LINES, MAX_BLOCK_MARKS,
MAX_LINK_SCAN, MAX_COMMENT_SCAN, MAX_NESTING), HTML nested past MAX_DEPTH, and a body whose
shapes, each weighed in microseconds (COSTS, MARK_COSTS), add up past WORK_BUDGET.
"""

from __future__ import annotations

import random
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT
from kepu.content import markup
from kepu.content.events import parse_file
from kepu.content.frontmatter import parse
from kepu.content.markup import MarkupError, check_structure, measure_structure, render

LEAD = "第一段。\n\n"  # every shape below starts on line 3
SENTENCE = "滨海新区的科普活动丰富多彩，欢迎居民带孩子参加。"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
FILLER = (SENTENCE * 40 + "\n\n") * 200  # 200 ordinary paragraphs, ~400 KB


def rep(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python-Markdown and the sanitiser must not run: a refusal is structural."""
    def trap(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the body reached the renderer")

    monkeypatch.setattr(markup, "_markdown", trap)
    monkeypatch.setattr(markup.nh3, "clean", trap)


# (id, body after LEAD, what the message says, the line: an int, or the prefix of the line
# starting the block where a body-wide budget ran out)
COSTLY = [
    # brackets and links
    ("bracket-bomb", "[" * 300_000, "这一段有 300000 个“[”等标记符号，一段最多 8000 个", 3),
    ("unmatched-brackets", rep("[a ", 6000), "方括号“[ ]”或链接的圆括号“( )”太多或没有配对", 3),
    ("image-brackets", rep("![", 4000), "方括号“[ ]”或链接的圆括号“( )”太多或没有配对", 3),
    ("nested-brackets", "[" * 3000 + "]" * 3000 + "(/x)", "方括号“[ ]”", 3),
    ("link-open-parens", rep("[a](", 8000), "方括号“[ ]”", 3),
    ("paren-run", "[a](" + "(" * 100_000, "这一段有 100002 个“(”", 3),
    ("cdata-brackets", rep("<![CDATA[", 30_000), "个“[”、“<”等标记符号", 3),
    # inline marks crowded into one paragraph
    ("emphasis", rep("*a", 40_000), "这一段有 20000 个“*”等标记符号", 3),
    ("underscores", "_" * 20_000, "这一段有 20000 个“_”等标记符号", 3),
    ("strong", rep("**a** ", 60_000), "个“*”等标记符号", 3),
    ("inline-tags", rep("<b>x</b>", 80_000), "这一段有 20000 个“<”等标记符号", 3),
    ("br-tags", rep("<br>", 40_000), "这一段有 10000 个“<”等标记符号", 3),
    ("lt-run", "<" * 100_000, "这一段有 100000 个“<”等标记符号", 3),
    ("entities", rep("&amp;", 60_000), "这一段有 12000 个“&”等标记符号", 3),
    ("numeric-entities", rep("&#123;", 60_000), "个“&”等标记符号", 3),
    ("code-spans", rep("`a` ", 40_000), "这一段有 20000 个“`”等标记符号", 3),
    ("backtick-run", "`" * 20_000, "这一段有 20000 个“`”等标记符号", 3),
    ("escapes", rep("\\*", 40_000), "“\\”（反斜杠）等标记符号", 3),
    ("table-pipes", rep("|a", 40_000) + "\n" + rep("|-", 40_000), "“|”（表格竖线）", 3),
    # lines of one block
    ("lines-one-paragraph", rep("a\n", 4000), "这一段有 2000 行，一段最多 1000 行", 3),
    ("headings-one-block", rep("# a\n", 8000), "这一段有 2000 行", 3),
    ("table-1500-rows", "| a | b |\n|---|---|\n" + "| x | y |\n" * 1500, "这一段有 1502 行", 3),
    ("hr-html-lines", "<hr>\n" * 3000 + FILLER, "这一段有 3001 行", 3),
    # nesting
    ("quote-depth", ">" * 100 + " a", "列表、引用或定义嵌套层次太深", 3),
    ("quote-depth-spaced", "> " * 100 + "a", "列表、引用或定义嵌套层次太深", 3),
    ("list-one-line", "- " * 100 + "a", "列表、引用或定义嵌套层次太深", 3),
    ("ordered-list-one-line", "1. " * 100 + "a", "列表、引用或定义嵌套层次太深", 3),
    ("nested-list-lines", "".join("  " * i + "- 项\n" for i in range(600)),
     "列表、引用或定义嵌套层次太深", 3 + 60),
    ("nested-quote-lines", "".join(">" * i + " a\n" for i in range(1, 100)),
     "列表、引用或定义嵌套层次太深", 3 + 30),
    ("deep-lines", ("- " * 30 + "a\n\n") * 400, "个列表项、引用、定义或标题", "- "),
    ("definition-lines", (": a\n" * 900 + "\n") * 3, "行数很多的段落", ": a"),
    ("nested-html-source", "<div>" * 100_000, "HTML 嵌套超过 500 层", 3),
    ("nested-md-in-html", '<div markdown="1">' * 1000, "HTML 嵌套超过 500 层", 3),
    ("nested-ul-li", "<ul><li>" * 50_000, "HTML 嵌套超过 500 层", 3),
    # unfinished HTML
    ("unclosed-tags", rep("<a", 20_000), "没有写完的 HTML 标签（“<”后面缺少“>”）", 3),
    ("unclosed-tag-attributes", rep("<a b", 20_000), "没有写完的 HTML 标签", 3),
    ("quoted-gt", rep("<a x='>'", 20_000), "没有写完的 HTML 标签", 3),
    ("autolink-open", rep("<http://a", 30_000), "没有写完的 HTML 标签", 3),
    ("end-tags-unclosed", rep("</a", 150_000), "没有写完的 HTML 结束标签、注释或声明", 3),
    ("huge-tag", "<p " + " ".join(f"a{i}=1" for i in range(50_000)) + ">",
     "有一个 HTML 标签超过 20000 个字符", 3),
    ("processing-instruction-lines", rep("<?\n", 120_000), "没有写完的 HTML 结束标签、注释或声明", "<?"),
    ("comments-in-open-tags", "<b>" * 300 + rep("<!---->a", 8000), "这一段的 HTML 注释", 3),
    # floods of blocks
    ("html-blocks", "<div></div>\n\n" * 5000 + FILLER, "HTML 块或代码块太多", "<div>"),
    ("reference-definitions", "".join(f"[a{i}]: /x\n\n" for i in range(20_000)), "正文有", "[a"),
    ("paragraphs", "a\n\n" * 300_000, "正文有", "a"),
    ("blank-lines", "\n" * 200_000 + "a", "正文的空行太多", ""),
    ("blank-space-lines", " \n" * 300_000 + "a", "正文的空行太多", " "),
    ("footnote-definitions", "".join(f"a[^{i}]\n\n[^{i}]: x\n\n" for i in range(3000)), "正文有", ""),
    # extensions
    ("unclosed-fences", "".join("`" * (3 + i) + "\n" for i in range(100)) + FILLER,
     "没有结束的代码块", "```"),
    ("fence-run", "~" * 600_000 + "\na", "代码块围栏（``` 或 ~~~）太长或太多", 3),
    ("footnote-citations", "[^1]" * 2000 + "\n\n[^1]: x", "脚注标记 [^…] 太多", 3),
    ("abbreviations", "*[A] x\n" * 60 + rep("b ] ", 400_000), "缩写定义", "*[A]"),
]


@pytest.mark.parametrize(("body", "message", "line"), [c[1:] for c in COSTLY], ids=[c[0] for c in COSTLY])
@pytest.mark.usefixtures("no_rendering")
def test_costly_shape_is_refused_before_rendering(body: str, message: str, line: int | str) -> None:
    text = LEAD + body
    refusals = []
    for _ in range(2):  # the same refusal every time
        with pytest.raises(MarkupError) as error:
            render(text)
        refusals.append((error.value.message, error.value.hint, error.value.line))
    assert refusals[0] == refusals[1]
    found, hint, where = refusals[0]
    assert message in found
    assert CHINESE.search(hint)
    if isinstance(line, int):
        assert where == line
    else:  # a body-wide budget ran out: at one of the flood's lines
        lines = text.split("\n")
        assert 3 <= where <= len(lines)
        assert lines[where - 1].startswith(line) and (lines[where - 1].strip() or "空行" in found)


def test_existing_hostile_messages_are_kept(tmp_path: Path) -> None:
    """tests/test_hostile.py's s-bracket-bomb-body, s-nested-html-body, s-nested-list-body."""
    front = ('---\ntitle: "普通科普活动"\nstart: "2026-12-12 09:00"\nend: "11:00"\nstreet: "xinbei"\n'
             'team: "xinbei-liudong"\ncategories: ["kexue-shiyan"]\naudiences: ["qinzi"]\n'
             'venue:\n  name: "新北街道科普活动室"\n---\n')
    cases = {
        "s-brackets.md": ("[" * 300_000, "s-brackets.md:12: 正文: 内容太复杂"),
        "s-nested.md": ("<div>" * 100_000, "s-nested.md:12: 正文: HTML 嵌套超过 500 层"),
        "s-lists.md": ("".join("  " * i + "- 项\n" for i in range(600)),
                       "s-lists.md:72: 正文: 列表、引用或定义嵌套层次太深"),
    }
    for name, (body, expected) in cases.items():
        path = tmp_path / name
        path.write_text(front + body + "\n", "utf-8")
        parsed = parse_file(path, name)
        assert next(p.format() for p in parsed.problems if "正文" in p.format()).startswith(expected)


@pytest.mark.usefixtures("no_rendering")
def test_work_limits_refuse_without_rendering() -> None:
    """test_hostile.py's test_work_limits_give_chinese_errors, without a clock and stricter: the
    same bodies are refused in Chinese before Python-Markdown or the sanitiser start, so they
    cannot take long on any machine."""
    for body in ("[" * 300_000, "<ul><li>" * 50_000,
                 "<p " + " ".join(f"a{i}=1" for i in range(50_000)) + ">"):
        with pytest.raises(MarkupError) as error:
            render(body)
        assert CHINESE.search(error.value.message) and CHINESE.search(error.value.hint)
        assert error.value.line == 1


# -- what must pass ---------------------------------------------------------------------------
def table_200() -> str:
    rows = ["| 时间 | 活动 | 地点 | 对象 | 说明 |", "|:--|:--|:--:|--:|--|"]
    rows += [f"| {8 + i % 10}:{i % 60:02d} | **第 {i} 场**科学实验 | [活动室 {i}](/venues/{i}/) | 亲子 "
             f"| 需要_提前_报名，`编号 {i}` |" for i in range(200)]
    return "## 日程\n\n" + "\n".join(rows) + "\n\n以上安排如有变动另行通知。\n"


def list_100() -> str:
    lines = ["活动清单：", ""]
    for i in range(100):
        lines.append(f"{i + 1}. [{SENTENCE[:6]}第 {i} 项](https://example.cn/a/{i}) —— *{SENTENCE[:8]}*")
        if i % 10 == 0:
            lines += ["    - 子项一：**重点**", "        - 更细的一项 `代码`"]
    return "\n".join(lines) + "\n"


def many_links() -> str:
    paragraphs = [SENTENCE * 3 + " ".join(f"[链接{p}-{i}](https://example.cn/p/{p}/{i}?a=1&b=2 \"标题 {i}\")、"
                                          for i in range(10)) + SENTENCE for p in range(30)]
    uses = " ".join(f"[参考 {i}][ref{i}]" for i in range(50))
    definitions = "\n".join(f"[ref{i}]: https://example.cn/r/{i}" for i in range(50))
    return "\n\n".join([*paragraphs, uses, definitions]) + "\n"


def large_body() -> str:  # test_hostile.py's s-large-body-builds: 900 KB
    return "\n\n".join(["滨海新区的科普活动丰富多彩，欢迎居民参加。" * 20] * 700)


def word_paste() -> str:
    head = ("<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml>"
            "<![endif]-->\n\n")
    paragraphs = [f'<p class=MsoNormal style="margin:0cm;line-height:150%"><span lang=ZH-CN '
                  f'style="font-family:宋体">{SENTENCE}<b>{SENTENCE[:5]}</b><span lang=EN-US>2026</span>'
                  f"{SENTENCE}<o:p></o:p></span></p>" for _ in range(300)]
    return head + "\n".join(paragraphs) + "\n"


def html_table() -> str:
    rows = "\n".join(f'<tr><td>{i}</td><td>{SENTENCE}</td><td><a href="/e/{i}/">详情</a></td></tr>'
                     for i in range(200))
    return f"<table>\n<thead><tr><th>序号</th><th>内容</th><th>链接</th></tr></thead>\n<tbody>\n{rows}\n" \
           "</tbody>\n</table>\n\n说明文字。\n"


def code_blocks() -> str:
    code = "def f(x):\n    return [x[i] for i in range(len(x)) if x[i] < 10 and x[i] > 2]  # [注释]\n" * 20
    return "\n\n".join(f"第 {i} 个例子：\n\n```python\n{code}```\n\n~~~\n{code}~~~" for i in range(10)) + "\n"


def footnotes() -> str:
    text = "\n\n".join(f"{SENTENCE}这是第 {i} 个说法[^{i}]，另见[^{max(0, i - 1)}]。" for i in range(30))
    return text + "\n\n" + "\n\n".join(f"[^{i}]: 出处 {i}：《科普读本》第 {i} 页。" for i in range(30)) + "\n"


def nesting() -> str:
    quote = "> 引用一\n>\n> > 引用二\n> >\n> > > 引用三：**重点**\n"
    nested = "- 一级\n    - 二级\n        - 三级\n            - 四级 [链接](/a/)\n"
    definitions = "术语\n:   解释 *强调*\n\n另一个术语\n:   另一个解释\n"
    return "\n\n".join([quote, nested, definitions] * 20) + "\n"


def pasted_lines() -> str:  # a long article pasted with single line breaks
    return "\n".join(f"{SENTENCE * 4}（第 {i} 行）" for i in range(700)) + "\n"


def comparisons() -> str:
    return "\n\n".join(f"当 x<y 且 y<z 时，x<z。若 a>b，则 a+c>b+c。{SENTENCE}" for _ in range(50)) + "\n"


def headings_and_images() -> str:
    return "\n\n".join(f"## 第 {i} 节\n\n{SENTENCE * 3}\n\n![示意图 {i}](/images/p{i}.png \"图 {i}\")\n\n"
                       f"### 小节\n\n{SENTENCE}" for i in range(100)) + "\n"


REALISTIC = [table_200, list_100, many_links, large_body, word_paste, html_table, code_blocks,
             footnotes, nesting, pasted_lines, comparisons, headings_and_images]


def all_together() -> str:
    """The ordinary Markdown articles above in one body: a 200-row table, a 100-item list,
    300 links, footnotes, nesting, 100 sections with images, code (the HTML pastes and the
    900 KB article, each alone up to half the budget, would take the whole past it)."""
    return "\n\n".join(make() for make in (table_200, list_100, many_links, footnotes, nesting,
                                            headings_and_images, code_blocks, comparisons))


REFUSED_BODIES = {"unclosed-html-comment.md"}  # a broken sample: refused before it is rendered


def repository_bodies() -> list[tuple[str, str]]:
    found = []
    for folder in (ROOT / "content", ROOT / "tests" / "test_data"):
        for path in sorted(folder.rglob("*.md")):
            doc, _ = parse(path.read_bytes(), str(path))
            if doc is not None and path.name not in REFUSED_BODIES:
                found.append((str(path.relative_to(ROOT)), doc.body))
    return found


@contextmanager
def limits_off(monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        patch.setattr(markup, "check_structure", lambda _text: None)
        yield


def test_every_repository_body_renders_as_without_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = repository_bodies()
    assert len(bodies) > 50
    for name, body in bodies:
        assert measure_structure(body)["spent"] < 0.02, name
        rendered = render(body)
        with limits_off(monkeypatch):
            assert render(body) == rendered, name


@pytest.mark.parametrize("make", [*REALISTIC, all_together], ids=lambda make: make.__name__)
def test_ordinary_long_bodies_render_as_without_limits(make, monkeypatch: pytest.MonkeyPatch) -> None:
    body = make()
    spent = measure_structure(body)["spent"]
    assert spent < (0.8 if make is all_together else 0.6), spent
    rendered = render(body)
    with limits_off(monkeypatch):
        assert render(body) == rendered


# -- the limits, exactly ----------------------------------------------------------------------
@pytest.mark.parametrize(("passes", "refused"), [
    ("- " * 30 + "a", "- " * 31 + "a"),
    ("    " * 29 + "- a", "    " * 30 + "- a"),
    ("> " * 30 + "a", "> " * 31 + "a"),
    ("a\n" * 1000, "a\n" * 1001),
    ("*" * 8000, "*" * 8001),
    ("[" * 345, "[" * 346),  # unmatched, the link parsers read n(n + 1)/2: 59,685 and 60,031 characters
], ids=["list-nesting", "indented-nesting", "quote-nesting", "block-lines", "block-marks", "link-scan"])
def test_limits_are_exact(passes: str, refused: str) -> None:
    check_structure(passes)
    with pytest.raises(MarkupError):
        check_structure(refused)


def test_link_scan_counts_what_the_parsers_read() -> None:
    assert measure_structure("[a](/b) [c]")["link"] == 2 + 3 + 2  # "[" to "]", "(" to ")"
    assert measure_structure("[x")["link"] == 2  # unmatched: to the end of the block
    assert measure_structure("[x\n\n]")["link"] == 2  # a blank line ends the block
    assert measure_structure("\\[x]")["link"] == 0  # escaped


def test_fenced_code_costs_nothing_inside() -> None:
    code = "```\n" + "[" * 10_000 + "\n" + "*" * 10_000 + "\n```\n"
    assert measure_structure(code)["marks"] == 0
    with pytest.raises(MarkupError):  # not a fence: "````" does not close "```"
        check_structure("```\n" + "[" * 10_000 + "\n````\n")


# -- the watchdog, a last resort --------------------------------------------------------------
def test_watchdog_has_an_overall_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def expired(seconds: float):
        calls.append(seconds)
        raise markup._Timeout
        yield  # pragma: no cover

    calls: list[float] = []
    monkeypatch.setattr(markup, "_watchdog_spent", 0.0)
    monkeypatch.setattr(markup, "_deadline", expired)
    for _ in range(5):
        with pytest.raises(MarkupError) as error:
            render("正常的一段。")
        assert error.value.message.startswith("内容太复杂")
        assert "网站维护人员" in error.value.hint
    assert calls == [markup.RENDER_SECONDS, markup.RENDER_SECONDS, markup.WATCHDOG_FLOOR,
                     markup.WATCHDOG_FLOOR, markup.WATCHDOG_FLOOR]
    assert markup.RENDER_SECONDS * 2 == markup.WATCHDOG_BUDGET
    assert markup._renderer is None  # a stopped renderer is not reused


# -- removal reports ----------------------------------------------------------------------------
def test_scheme_scan_finds_what_the_pattern_finds() -> None:
    rng = random.Random(15)
    alphabet = "aZ09+.-:x \n\"'<>=&;"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.3:
            text = "j" * rng.randint(20, 50) + "avascript:" + text
        assert markup._schemes(text) == {s.lower() for s in markup._SCHEME.findall(text)}, text
