"""Mistakes volunteers really make in the text of a file, which the check used to accept (and the
site then published wrong) or reported badly: template examples left in, fields un-commented
under a still-commented parent, an unclosed HTML comment, a phone extension, a half-typed quote,
a tab after a list dash. Each starts from a real file: one `invoke new-event` wrote, or a sample
event, broken as a volunteer would break it; `invoke check` must name the file, the line, the
mistake in Chinese and the fix, and the build must refuse the same lines."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    command = [sys.executable, "-m", "kepu.scaffold", kind, "--batch", "--slug", slug,
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
        ("天津市滨海新区……", "venue.address", "详细地址"),
        ("https://example.cn/baoming", "registration.url", "报名链接"),
        ("请携带一名家长", "registration.note", "报名说明"),
        ("孩子们在连接电路", "image_alt", "图片"),
        ("会“跳舞”的电路", "summary", "一句话"),
        ("王老师 022-2530 0000", "contact", "联系"),
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
    assert_reported(result, where, line_of(text, '  phone: "022-2560 0000"'), "模板里的示例", "电话")
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
        'phone: "022-2560 0000"', 'phone: "022-6391 2280"'))  # its own number; "# registration:" stays
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
    from kepu.phones import tel_link, tel_uri

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
