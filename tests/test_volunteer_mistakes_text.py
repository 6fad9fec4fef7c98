"""Mistakes volunteers really make in the text of a file, which the check used to accept (and the
site then published wrong) or reported badly: template examples left in, fields un-commented
under a still-commented parent, an unclosed HTML comment, a phone extension, a half-typed quote,
a tab after a list dash. Each starts from a real file: one `invoke new-event` wrote, or a sample
event, broken as a volunteer would break it; `invoke check` must name the file, the line, the
mistake in Chinese and the fix, and the build must refuse the same lines."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TEST_SITE, plugin_env, run_build, run_check

SAMPLE = ROOT / "content"
FOLDER = "events/xinbei/2026"
_REPORTED = re.compile(r"^  (?P<path>\S+?):(?P<line>\d+): (?P<text>.+)$", re.MULTILINE)


# -- helpers --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the real sample content (the folder holding content/)."""
    root = tmp_path_factory.mktemp("mistakes")
    shutil.copytree(SAMPLE, root / "content")
    return root


def reported(result: subprocess.CompletedProcess) -> list[tuple[str, int, str]]:
    """(file, line, "message — fix") of each problem the report lists."""
    return [(m["path"], int(m["line"]), m["text"]) for m in _REPORTED.finditer(result.stdout)]


def on_line(result: subprocess.CompletedProcess, path: str, line: int) -> list[str]:
    return [text for shown, number, text in reported(result) if shown == path and number == line]


def assert_reported(result: subprocess.CompletedProcess, path: str, line: int, message: str,
                    fix: str) -> None:
    """An error (not a reminder) on ``path:line`` whose message holds ``message`` and whose fix
    (after " — ") holds ``fix``."""
    texts = on_line(result, path, line)
    assert any(message in text.split(" — ")[0] and fix in text.split(" — ", 1)[-1]
               and "（提醒）" not in text for text in texts), (path, line, result.stdout[-3000:])
    assert result.returncode == 1, result.stdout[-2000:]


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line holding ``needle``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def uncomment(text: str, *starts: str) -> str:
    """Delete the "# " of the first commented line starting (after it) with each of ``starts``,
    as an editor does: the line keeps its indentation."""
    lines = text.split("\n")
    for start in starts:
        for index, line in enumerate(lines):
            plain = re.sub(r"^(\s*)# ?", r"\1", line, count=1)
            if line.lstrip().startswith("#") and plain.strip().startswith(start):
                lines[index] = plain
                break
        else:
            raise AssertionError(f"no commented line {start!r}")
    return "\n".join(lines)


def new_file(site: Path, kind: str, slug: str, *args: str) -> Path:
    """What `invoke new-event` (or new-article) writes, answered on the command line."""
    command = [sys.executable, "-m", "kepu.editor.scaffold", kind, "--batch", "--slug", slug,
               "--content", "content", *args]
    result = subprocess.run(command, cwd=site, env=plugin_env(), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    found = list((site / "content").rglob(f"{slug}.md"))
    assert len(found) == 1, found
    return found[0]


def new_event(site: Path, slug: str, *extra: str) -> Path:
    return new_file(site, "event", slug, "--title", "科学会客厅", "--street", "xinbei",
                    "--team", "xinbei-liudong", "--date", "2026-12-12", "--time", "14:00-16:00",
                    "--categories", "kexue-shiyan", "--audiences", "qinzi", *extra)


def sample_copy(site: Path, source: str, name: str, edit) -> tuple[Path, str]:
    """A sample event copied under a new name and edited; returns (file, shown path)."""
    text = (SAMPLE / source).read_text("utf-8")
    path = site / "content" / Path(source).parent / name
    path.write_text(edit(text), "utf-8")
    return path, shown(site, path)


def retitle(text: str, mark: str) -> str:
    """A copy that is not a duplicate of its source (another title)."""
    return re.sub(r"^title: (.*)$", rf"title: \1（{mark}）", text, count=1, flags=re.MULTILINE)


def shown(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


def check(site: Path, *files: Path) -> subprocess.CompletedProcess:
    return run_check(*files, content=site / "content", cwd=site)


def edit_and_check(site: Path, path: Path, edit) -> tuple[str, subprocess.CompletedProcess, str]:
    """The editor's change saved, then `invoke check` on the file: (text, result, shown path)."""
    text = edit(path.read_text("utf-8"))
    path.write_text(text, "utf-8")
    return text, check(site, path), shown(site, path)


# -- 1. the template's example values, published ----------------------------------------------

def test_example_values_left_from_new_event_are_refused_line_by_line(site: Path) -> None:
    path = new_event(site, "kexue-huiketing-shili", "--venue", "新北街道科普活动室")
    text, result, where = edit_and_check(site, path, lambda t: uncomment(  # the body is left as it was
        t, "address:", "registration:", "required:", "url:", "note:", "image_alt:", "summary:", "contact:",
        "report:"))
    expected = [
        ("某某市某某区……", "venue.address", "详细地址"),
        ("https://example.cn/baoming", "registration.url", "报名链接"),
        ("请携带一名家长", "registration.note", "报名说明"),
        ("孩子们在连接电路", "image_alt", "图片"),
        ("会“跳舞”的电路", "summary", "一句话"),
        ("王老师 0123-2530 0000", "contact", "联系"),
        ("xinwen-wenjianming", "report", "新闻"),
    ]
    for value, field, fix in expected:
        assert_reported(result, where, line_of(text, value), f"{field}: 模板里的示例", fix)
    assert_reported(result, where, line_of(text, "在这里写活动介绍"), "模板的提示文字", "活动介绍")


def test_the_online_template_and_its_phone_example_are_refused(site: Path) -> None:
    path = new_event(site, "kexue-huiketing-xianshang-shili", "--online", "https://live.example.cn/kexue/1")
    text, result, where = edit_and_check(site, path, lambda t: uncomment(
        t, "venue:", "name:", "address:", "registration:", "required:", "phone:").replace(
        "在这里写活动介绍：做什么、怎么参加、需要带什么。可以用 Markdown，例如 **加粗**、列表和链接。",
        "和科学家面对面聊一聊。"))
    assert_reported(result, where, line_of(text, "  name: 场地名称"), "venue.name: 模板里的示例", "场地")
    assert_reported(result, where, line_of(text, "  address: 详细地址"), "模板里的示例", "地址")
    assert_reported(result, where, line_of(text, '  phone: "0123-2560 0000"'), "模板里的示例", "电话")
    assert not on_line(result, where, line_of(text, "和科学家面对面"))


def test_example_values_left_from_new_article_are_refused(site: Path) -> None:
    path = new_file(site, "article", "kepu-ji-shili", "--title", "科普集市", "--date", "2026-11-20")
    text, result, where = edit_and_check(site, path, lambda t: uncomment(t, "summary:", "image_alt:"))
    assert_reported(result, where, line_of(text, "summary: 三百多位居民"), "模板里的示例", "一句话")
    assert_reported(result, where, line_of(text, "image_alt:"), "模板里的示例", "图片")
    assert_reported(result, where, line_of(text, "在这里写新闻正文"), "模板的提示文字", "新闻")


def test_the_sample_portal_passes_these_checks() -> None:
    """No false alarm on the whole sample content."""
    result = run_check(content=SAMPLE, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    for word in ("模板", "行首的 #", "注释", "引号没有成对"):
        assert word not in result.stdout, result.stdout[-3000:]


# -- 2. fields un-commented under a parent still commented -----------------------------------

def test_registration_fields_under_a_commented_registration_are_refused(site: Path) -> None:
    path = new_event(site, "kexue-huiketing-baoming", "--venue", "新北街道科普活动室")
    text, result, where = edit_and_check(site, path, lambda t: uncomment(t, "required:", "phone:").replace(
        'phone: "0123-2560 0000"', 'phone: "022-6391 2280"'))  # its own number; "# registration:" stays
    parent = line_of(text, "# registration:")
    assert_reported(result, where, line_of(text, "  required: true"), "registration", f"把第 {parent} 行行首的 # 删掉")


@pytest.mark.parametrize("source, name, old, new", [
    ("events/hujiayuan/2026/zhoumo-kexue-tongxuehui-qiudong.md", "recurrence",  # before venue:
     "\nrecurrence:\n", "\n# recurrence:\n"),
    ("events/taida/2026/taida-kexue-huiketing.md", "contact",  # after the last top-level field
     "contact: 泰达街道社区服务中心 022-6620 0000\n", '# contact:\n  name: 王老师\n  phone: "022-6620 0000"\n'),
])
def test_a_commented_parent_in_a_sample_event_is_named_with_its_line(site: Path, source: str, name: str,
                                                                      old: str, new: str) -> None:
    path, where = sample_copy(site, source, f"zhushi-{name}.md", lambda t: t.replace(old, new))
    text = path.read_text("utf-8")
    result = check(site, path)
    parent = line_of(text, f"# {name}:")
    assert_reported(result, where, parent + 1, name, f"把第 {parent} 行行首的 # 删掉")


def test_an_old_value_commented_out_above_its_replacement_is_fine(site: Path) -> None:
    source = "events/taida/2026/taida-kexue-huiketing.md"
    path, where = sample_copy(site, source, "huiketing-jiu.md", lambda t: retitle(t, "旧名").replace(
        "  name: 泰达街道社区服务中心“科学会客厅”\n",
        "# name: 旧场地\n  # address: 旧地址\n  name: 泰达街道社区服务中心“科学会客厅”\n"))
    result = check(site, path)
    assert not [p for p in reported(result) if p[0] == where and "（提醒）" not in p[2]], result.stdout


# -- 3. an HTML comment left open in the body ----------------------------------------------

NOTE = "<!-- 内部备注：场地钥匙找文化站王老师，电话 139 2000 1234"


def test_an_unclosed_html_comment_is_refused_where_it_opens(site: Path) -> None:
    source = "events/taida/2026/taida-kexue-huiketing.md"
    path, where = sample_copy(site, source, "huiketing-beizhu.md",
                              lambda t: t.replace("---\n“科学会客厅”", f"---\n{NOTE}\n\n“科学会客厅”"))
    text = path.read_text("utf-8")
    result = check(site, path)
    assert_reported(result, where, line_of(text, "<!--"), "注释", "-->")


def test_a_comment_closed_wrongly_before_another_is_refused(site: Path) -> None:
    """“->” instead of “-->”: everything up to the next comment's end would vanish."""
    source = "events/taida/2026/taida-kexue-huiketing.md"
    path, where = sample_copy(site, source, "huiketing-beizhu-2.md", lambda t: t.replace(
        "---\n“科学会客厅”", "---\n<!-- 备注一：茶水找社区 ->\n\n“科学会客厅”").replace(
        "**近期安排：**", "<!-- 备注二 -->\n\n**近期安排：**"))
    text = path.read_text("utf-8")
    result = check(site, path)
    assert_reported(result, where, line_of(text, "<!-- 备注一"), "注释", "-->")


def test_closed_comments_and_comments_in_code_are_fine(site: Path) -> None:
    source = "events/taida/2026/taida-kexue-huiketing.md"
    path, where = sample_copy(site, source, "huiketing-beizhu-ok.md", lambda t: retitle(t, "备注").replace(
        "---\n“科学会客厅”", "---\n<!-- 内部备注：\n钥匙找王老师 -->\n\n“科学会客厅”") + "\n网页注释写成 `<!--` 开头。\n")
    result = check(site, path)
    assert not [p for p in reported(result) if p[0] == where], result.stdout


# -- 4. a phone number with an extension ------------------------------------------------------

@pytest.mark.parametrize("written, uri, text", [
    ("022-2560 1234-123", "tel:+862225601234,123", "022-2560 1234 转 123"),
    ("022-25601234-8", "tel:+862225601234,8", "022-25601234 转 8"),
    ("0755-8888 1234-12", "tel:+8675588881234,12", "0755-8888 1234 转 12"),
    ("022-2560 1234 分机：123", "tel:+862225601234,123", "022-2560 1234 转 123"),
    ("022-2560 1234（转 123）", "tel:+862225601234,123", "022-2560 1234 转 123"),
    ("022-2560 1234 ext. 123", "tel:+862225601234,123", "022-2560 1234 转 123"),
    ("+86 22 2560 1234-123", "tel:+862225601234,123", "+86 22 2560 1234 转 123"),
    ("022-2560-1234", "tel:+862225601234", "022-2560-1234"),  # dashes inside a number stay
    ("0755-888-8123", "tel:+867558888123", "0755-888-8123"),
    ("138-1234-5678", "tel:+8613812345678", "138-1234-5678"),
])
def test_an_extension_dials_after_a_pause_and_reads_in_chinese(written: str, uri: str, text: str) -> None:
    from kepu.formats.phones import tel_link, tel_uri

    assert tel_uri(written) == uri
    assert str(tel_link(written)) == f'<a class="tel" href="{uri}">{text}</a>'


def test_a_built_event_links_registration_and_contact_extensions(tmp_path: Path) -> None:
    """The page a resident opens: each phone button dials the switchboard, then the extension."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    source = (site / "content" / FOLDER / "liudong-kejiguan.md").read_text("utf-8")
    text = source.replace("featured: true\n", 'registration:\n  required: true\n'
                          '  phone: "022-2560 1234-123"\ncontact:\n  name: 王老师\n'
                          '  phone: "022-6391 2280 分机：8012"\n')
    (site / "content" / FOLDER / "liudong-kejiguan.md").write_text(text, "utf-8")
    checked = check(site, site / "content" / FOLDER / "liudong-kejiguan.md")
    assert checked.returncode == 0 and "电话" not in checked.stdout, checked.stdout
    built = run_build(site / "content", tmp_path / "output")
    assert built.returncode == 0, built.stderr[-3000:]
    page = (tmp_path / "output" / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8")
    links = re.findall(r'<a class="[^"]*" href="(tel:[^"]*)">(.*?)</a>', page, re.DOTALL)
    hrefs = {href for href, _ in links}
    assert hrefs == {"tel:+862225601234,123", "tel:+862263912280,8012"}, links
    shown_text = re.sub(r"<[^>]+>", "", page)
    assert "022-2560 1234 转 123" in shown_text and "022-6391 2280 转 8012" in shown_text
    assert "1234-123" not in shown_text and "分机：" not in shown_text


# -- 5. a quote or bracket opened and never closed ------------------------------------------

@pytest.mark.parametrize("name, field, edit, message, fix", [
    ("team-quote", "team:", lambda t: t.replace("team: taida", 'team: "taida'),
     "引号没有成对", 'team: "taida-kexue-huiketing"'),
    ("title-quote", "title:", lambda t: t.replace("title: ", 'title: "', 1),
     "引号没有成对", 'title: "科学会客厅：和科学家面对面（每月第二个周六）"'),
    ("summary-single", "summary:", lambda t: t.replace("summary: ", "summary: '"),
     "引号没有成对", "summary: '每月请一位科技工作者走进社区客厅，用聊天的方式讲自己的研究。'"),
    ("categories-bracket", "categories:", lambda t: t.replace("[kepu-jiangzuo]", "[kepu-jiangzuo"),
     "方括号没有成对", "categories: [kepu-jiangzuo]"),
    ("audiences-brace", "audiences:", lambda t: t.replace("[shequ-jumin, qinzi]", "{shequ-jumin, qinzi"),
     "花括号没有成对", "audiences: [shequ-jumin, qinzi]"),
])
def test_a_half_typed_quote_or_bracket_is_reported_where_it_opens(site: Path, name: str, field: str,
                                                                  edit, message: str, fix: str) -> None:
    source = "events/taida/2026/taida-kexue-huiketing.md"
    path, where = sample_copy(site, source, f"huiketing-{name}.md", edit)
    text = path.read_text("utf-8")
    result = check(site, path)
    assert_reported(result, where, line_of(text, field), message, fix)
    assert len(reported(result)) == 1, result.stdout


# -- 6. tabs, and every error the YAML library can raise, in Chinese ------------------------

def test_a_tab_after_a_list_dash_is_named_with_the_fix(site: Path) -> None:
    source = "events/taida/2026/taida-kexue-huiketing.md"
    path, where = sample_copy(site, source, "huiketing-tab.md", lambda t: t.replace(
        "categories: [kepu-jiangzuo]", "categories:\n-\tkepu-jiangzuo"))
    text = path.read_text("utf-8")
    result = check(site, path)
    assert_reported(result, where, line_of(text, "-\t"), "Tab", "- kepu-jiangzuo")


YAML_SOURCE = Path(yaml.__file__).parent
# The classes a safe loader runs: their every error text is the oracle.
LOADER_CLASSES = {"reader": {"Reader"}, "scanner": {"Scanner"}, "parser": {"Parser"},
                  "composer": {"Composer"}, "constructor": {"BaseConstructor", "SafeConstructor"}}
UNREACHABLE = {  # with the reason no front matter can reach them
    "blacklisted key '%s' in instance state found": "only Python-object tags, which a safe loader never builds",
    "found unconstructable recursive node": "needs an alias, refused before anything is built; and the safe "
                                            "constructors of collections yield before they recurse",
}
HEAD, TAIL = "head", "tail"
# One front-matter mistake per problem: where it goes (before or after the good fields) and the text.
YAML_MISTAKES = [
    (TAIL, "note: @全体居民 请准时到场"), (HEAD, "% 内部备注"), (HEAD, "%YAML 1x"), (HEAD, "%YAML 1.1x"),
    (HEAD, "%YAML x"), (HEAD, "%TAG !a!x y"), (HEAD, "%YAML 1.1 x"), (TAIL, "note: & 请带身份证"),
    (TAIL, "note: !<x>y"), (TAIL, "note: |x"), (TAIL, "note: | 请带身份证"), (TAIL, 'note: "请带身份证'),
    (HEAD, "%TAG a b"), (HEAD, "%TAG !a b"), (TAIL, "note: !<> x"), (TAIL, "请带身份证\nnote2: x"),
    (TAIL, "note: - 身份证"), (TAIL, "note: ? 身份证"), (TAIL, "note: !<x y"),
    (TAIL, 'note: "请带\n--- 身份证"'), (TAIL, "note: 请带: 身份证"), (TAIL, "note: |0"),
    (TAIL, "note: !a%zz x"), (TAIL, 'note: "C:\\q"'), (TAIL, 'note: "\\x4"'),
    (TAIL, "tags:\n  - 电路\n - 动手"), (TAIL, "tags:\n  - 电路\n  动手: x"),
    (TAIL, "registration:\n  required: true\n phone: x"), (TAIL, "... x"),
    (HEAD, "%YAML 1.1\n%YAML 1.1"), (HEAD, "%YAML 2.0"), (TAIL, "tags: [电路, 动手}"),
    (TAIL, "contact: {name: 王老师, phone: x]"), (HEAD, "%TAG !a! x\n%TAG !a! y"),
    (TAIL, "note: !a!b x"), (TAIL, "note: ]"), (TAIL, "--- 报名信息"), (TAIL, "note: *a"),
    (TAIL, "note: *请带身份证"), (TAIL, "note: &a x\nsummary: &a y"), (TAIL, "note: !foo x"),
    (TAIL, "note: !!str [a]"), (TAIL, "note: !!seq x"), (TAIL, "note: !!map x"),
    (TAIL, "note: !!omap x"), (TAIL, "note: !!pairs x"), (TAIL, "note: !!omap [a]"),
    (TAIL, "note: !!omap [{a: 1, b: 2}]"), (TAIL, "note: !!pairs [a]"),
    (TAIL, "note: !!pairs [{a: 1, b: 2}]"), (TAIL, "[电路]: x"), (TAIL, "note: !!binary 中文"),
    (TAIL, "note: !!binary a"), (TAIL, "<<: 1"), (TAIL, "<<: [1]"), (TAIL, "note: \x07"),
    # not from the oracle: values a tag cannot build (the constructors raise plain Python errors)
    (TAIL, "featured: !!bool 是"), (TAIL, "updated: !!timestamp 明天"), (TAIL, "capacity: !!int 三十"),
    (TAIL, "capacity: !!float 三十"), (TAIL, "updated: !!timestamp 2026-13-45"),
    (TAIL, "categories:\n-\tkexue-shiyan"), (TAIL, "venue:\n\tname: 活动室"),
]
GOOD_FIELDS = ("title: 科学会客厅\nstart: 2026-12-12 14:00\nend: \"16:00\"\nstreet: xinbei\n"
               "team: xinbei-liudong\ncategories: [kexue-shiyan]\naudiences: [qinzi]")
ENGLISH = re.compile(r"\b(?:found|expected|while|could not|did not|cannot|not allowed|unexpected|"
                     r"unknown|invalid|error|line \d+|column \d+)\b", re.IGNORECASE)


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _literal(node.left)
    return None


def yaml_error_texts() -> set[str]:
    """Every problem and context text the safe loader's classes pass to an error (PyYAML's source)."""
    found = set()
    for module, classes in LOADER_CLASSES.items():
        tree = ast.parse((YAML_SOURCE / f"{module}.py").read_text("utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name in classes):
            for node in ast.walk(cls):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith("Error"):
                    found.update(t for t in map(_literal, node.args) if t and " " in t)
    return found


def _pattern(text: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in re.split(r"%[rsd]", text)), re.DOTALL)


def _front(where: str, mistake: str) -> str:
    return f"{mistake}\n{GOOD_FIELDS}" if where == HEAD else f"{GOOD_FIELDS}\n{mistake}"


def _raised(loader: type, text: str) -> BaseException | None:
    try:
        yaml.load(text, Loader=loader)
    except Exception as exc:
        return exc
    return None


def _fragments(exc: BaseException) -> set[str]:
    """The library's own words in an error: each run of two or more English words."""
    words = " ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None),
                                             str(exc)) if part)
    return {m.group() for m in re.finditer(r"[A-Za-z]+(?: [A-Za-z]+)+", words)}


def test_each_yaml_library_error_text_has_a_mistake_that_raises_it() -> None:
    """The oracle: PyYAML's own error texts; each is raised by one of the mistakes below."""
    texts, raised = yaml_error_texts(), set()
    assert len(texts) > 60
    for where, mistake in YAML_MISTAKES:
        exc = _raised(yaml.SafeLoader, _front(where, mistake))
        assert exc is not None, mistake
        said = " ".join(str(p) for p in (getattr(exc, "context", ""), getattr(exc, "problem", ""), exc))
        raised.update(t for t in texts if _pattern(t).search(said))
    assert texts - raised == set(UNREACHABLE), sorted(texts - raised - set(UNREACHABLE))


def test_every_yaml_error_is_explained_in_chinese_with_its_line(tmp_path: Path) -> None:
    """`invoke check` on one file per mistake: an error on a line of the front matter, in Chinese,
    with a fix; none of the YAML library's English (from either of its parsers) survives."""
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    files, english = [], set()
    for number, (where, mistake) in enumerate(YAML_MISTAKES):
        text = _front(where, mistake)
        path = site / "content" / FOLDER / f"yaml-{number:02d}.md"
        path.write_text(f"---\n{text}\n---\n活动介绍。\n", "utf-8")
        files.append((path, text))
        for loader in (yaml.SafeLoader, yaml.CSafeLoader):
            english |= _fragments(_raised(loader, text) or Exception())
    result = check(site, *(path for path, _ in files))
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]
    problems = reported(result)
    for path, text in files:
        mine = [(line, said) for where, line, said in problems if where == shown(site, path)]
        assert mine, (text, result.stdout[-2000:])
        line, said = mine[0]
        assert 2 <= line <= text.count("\n") + 2, (text, said)
        message, _, fix = said.partition(" — ")
        assert fix and re.search(r"[\u4e00-\u9fff]", message), (text, said)
        assert not ENGLISH.search(said), (text, said)
        assert not [f for f in english if f in said and len(f) > 8], (text, said)
        assert "读不懂" not in said, (text, said)  # each has its own explanation, not the catch-all


def test_the_pure_python_parser_is_explained_in_chinese_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the same loader runs PyYAML's Python parser: its texts are explained too."""
    from kepu.content import frontmatter

    class PythonLoader(yaml.SafeLoader):
        pass

    PythonLoader.yaml_implicit_resolvers = frontmatter._Loader.yaml_implicit_resolvers
    monkeypatch.setattr(frontmatter, "_Loader", PythonLoader)
    for where, mistake in YAML_MISTAKES:
        text = _front(where, mistake)
        _, _, problems = frontmatter.load_yaml(text, "x.md", 2)
        if not problems:  # e.g. a tag the check refuses before loading; nothing raised here
            continue
        said = problems[0].format()
        english = _fragments(_raised(yaml.SafeLoader, text) or Exception())
        assert problems[0].hint and not ENGLISH.search(said) and "读不懂" not in said, (mistake, said)
        assert not [f for f in english if f in said and len(f) > 8], (mistake, said)


# -- the check and the build agree -----------------------------------------------------------

def test_the_build_refuses_the_same_files_on_the_same_lines(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    folder = site / "content" / FOLDER
    good = (folder / "liudong-kejiguan.md").read_text("utf-8")
    broken = {
        "a-placeholder.md": good.replace("  name: 新北街道党群服务中心", "  name: 场地名称"),
        "a-orphan.md": good.replace("featured: true\n", "# registration:\n  required: true\n"),
        "a-comment.md": good + "\n<!-- 内部备注：钥匙找王老师\n",
        "a-quote.md": good.replace("community: 金江社区", 'community: "金江社区'),
        "a-tab.md": good.replace("categories: [kexue-shiyan]", "categories:\n-\tkexue-shiyan"),
    }
    for name, text in broken.items():
        (folder / name).write_text(retitle(text, name), "utf-8")
    checked = run_check(content=site / "content", cwd=site)
    built = run_build(site / "content", tmp_path / "output")
    assert checked.returncode == 1 and built.returncode != 0
    in_check = {line for line in re.findall(r"^\s*(content/\S+: .+)$", checked.stdout, re.MULTILINE)}
    in_build = {line for line in re.findall(r"^\s*(content/\S+: .+)$", built.stdout + built.stderr,
                                           re.MULTILINE)}
    assert in_check == in_build, (sorted(in_check ^ in_build))
    assert {Path(line.split(":")[0]).name for line in in_check} == set(broken)
