"""Automatic invalidation: a warm build reflects whatever a page's template reads and whatever
code made its content, without anyone listing what each page depends on.

Each test works on a copy of the project (its plugins, theme and settings), changes the copy as a
maintainer would, and compares the warm build with a cold build of the same project."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_incremental import edit, tree

from conftest import ROOT, SAMPLE_BUILD_DATE, plugin_env, run_build

pytestmark = pytest.mark.build


def project_copy(tmp_path: Path) -> Path:
    """The generator as a maintainer's working copy: plugins, theme and settings."""
    project = tmp_path / "project"
    project.mkdir()
    for folder in ("plugins", "theme"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
    return project


def build(project: Path, content: Path, output: Path, cache: Path) -> None:
    """A build with the project copy's code, theme and settings."""
    args = [sys.executable, "-m", "kepu_pelican.build", "-s", str(project / "pelicanconf.py"),
            "--content", str(content), "-o", str(output), "--build-date", SAMPLE_BUILD_DATE,
            "--cache", str(cache)]
    env = {**os.environ, "PYTHONPATH": f"{project / 'plugins'}:{project}"}
    result = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def warm_and_cold(project: Path, site: Path, tmp_path: Path, change) -> tuple[dict, dict]:
    """Build twice (the second recycles nothing yet: both published), change, build warm; and a
    cold build of the changed project and content."""
    output, cache = tmp_path / "warm", tmp_path / "warm-cache"
    build(project, site / "content", output, cache)
    build(project, site / "content", output, cache)
    change()
    build(project, site / "content", output, cache)
    build(project, site / "content", tmp_path / "cold", tmp_path / "cold-cache")
    return tree(output), tree(tmp_path / "cold")


def test_a_value_newly_shown_by_templates_updates_every_page_showing_it(mini_site: Path, tmp_path: Path) -> None:
    """A maintainer makes the theme show more of what templates already receive: an event page
    shows its report's summary, a street page the summaries of the news about the street. After
    an edit to that summary, a warm build shows it on both pages, with no change to any
    fingerprint code."""
    project = project_copy(tmp_path)
    templates = project / "theme" / "templates"
    edit(templates / "event.html", "{{ report.title }}</a>", "{{ report.title }}</a> {{ report.summary }}")
    edit(templates / "street.html", "{% set teams = kepu.street_teams[facet.id] %}",
         "<ul class=\"news\">{% for a in articles if a.street == facet.id %}<li>{{ a.summary }}</li>{% endfor %}"
         "</ul>\n{% set teams = kepu.street_teams[facet.id] %}")
    article = mini_site / "content" / "articles" / "kepu-ri-baodao.md"

    def change() -> None:
        edit(article, "summary: 三百多位居民参加。", "summary: 五百多位居民参加。")

    warm, cold = warm_and_cold(project, mini_site, tmp_path, change)
    event = warm["events/kepu-ri/index.html"].decode("utf-8")
    assert "五百多位居民参加。" in event and "三百多位" not in event
    street = warm["streets/taida/index.html"].decode("utf-8")
    assert "<li>五百多位居民参加。</li>" in street and "三百多位" not in street
    assert warm == cold


def test_a_change_only_the_site_footer_shows_reaches_every_page(mini_site: Path, tmp_path: Path) -> None:
    """The header and footer are rendered once per build and every page takes them as text
    (``kepu_chrome``). An association adds a volunteer page: the footer of every page links to
    it at the next build, though no event, list or calendar changed; and its title, edited
    later, changes on every page again."""
    project = project_copy(tmp_path)
    volunteer = mini_site / "content" / "pages" / "volunteer.md"

    def change() -> None:
        volunteer.write_text("---\ntitle: 加入志愿服务队\n---\n欢迎报名。\n", encoding="utf-8")

    warm, cold = warm_and_cold(project, mini_site, tmp_path, change)
    assert warm == cold
    pages = {path: data.decode("utf-8") for path, data in warm.items()
             if path.endswith(".html") and b'<footer class="site-footer">' in data}
    assert len(pages) > 20
    link = '<a href="/volunteer/">加入志愿服务队</a>'
    assert [path for path, html in pages.items() if link not in html] == []
    edit(volunteer, "title: 加入志愿服务队", "title: 成为科普志愿者")
    output, cache = tmp_path / "warm", tmp_path / "warm-cache"
    build(project, mini_site / "content", output, cache)
    renamed = {path: (output / path).read_text("utf-8") for path in pages}
    assert [path for path, html in renamed.items() if '<a href="/volunteer/">成为科普志愿者</a>' not in html] == []
    assert [path for path, html in renamed.items() if "加入志愿服务队" in html] == []


def test_a_sanitiser_change_reaches_unchanged_files(mini_site: Path, tmp_path: Path) -> None:
    """A security fix to the sanitiser (``strong`` taken off its allowlist) applies to every
    event and news article at the next build, though none of them changed."""
    project = project_copy(tmp_path)
    article = mini_site / "content" / "articles" / "kepu-ri-baodao.md"
    edit(article, "科普日集市在泰达广场举办", "科普日集市在**泰达广场**举办")
    output, cache = tmp_path / "warm", tmp_path / "warm-cache"
    build(project, mini_site / "content", output, cache)
    bold = {"events/liudong-kejiguan/index.html": "<strong>二十件</strong>",
            "news/kepu-ri-baodao/index.html": "<strong>泰达广场</strong>"}
    assert all(text in (output / page).read_text("utf-8") for page, text in bold.items())
    edit(project / "plugins" / "kepu" / "content" / "markup.py", '"span", "strong",', '"span",')
    build(project, mini_site / "content", output, cache)
    for page, text in bold.items():
        html = (output / page).read_text("utf-8")
        assert text not in html and text.removeprefix("<strong>").removesuffix("</strong>") in html, page
    shown = [page for page, data in tree(output).items() if any(t.encode() in data for t in bold.values())]
    assert shown == []
    build(project, mini_site / "content", tmp_path / "cold", tmp_path / "cold-cache")
    assert tree(output) == tree(tmp_path / "cold")


def test_every_page_of_the_sample_can_be_reused(tmp_path: Path) -> None:
    """A page whose template reads something the engine cannot follow (a value with no
    canonical form, a filter handed the whole context) is rendered again on every build: the
    portal would be a cold build after any edit. On the sample, with every page kind in use,
    a second build of unchanged content makes no page again."""
    output = tmp_path / "out"
    for _ in range(2):
        result = run_build(ROOT / "content", output, env=plugin_env(KEPU_TRACE="1"))
        assert result.returncode == 0, result.stderr
    always = [line for line in result.stderr.splitlines() if "on every build" in line]
    assert always == []


def test_an_edit_to_one_event_makes_again_only_the_pages_that_show_it(tmp_path: Path) -> None:
    """A volunteer corrects one event's title on a site of thousands: the next build makes
    again the pages that show that event and links every other page from the published build.
    A template that tests a whole grouping (``{% if kepu.facets[kind] %}`` in the navigation
    of every page) makes each page depend on every event in it: every edit rebuilt the whole
    site, a one-event edit at 8,000 events took longer than a cold build."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output, cache = tmp_path / "out", tmp_path / "cache"
    args = ("--cache", str(cache))
    assert run_build(content, output, extra_args=args).returncode == 0
    before = {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*.html")}
    edit(content / "events" / "beitang" / "2026" / "beitang-chaojiandai-guancha.md",
         "title: 秋日潮间带观察：北塘湿地海洋科普", "title: 秋日潮间带观察：北塘湿地海洋科普课")
    result = run_build(content, output, extra_args=args)
    assert result.returncode == 0, result.stderr
    made = {path for path, inode in before.items()
            if (output / path).exists() and (output / path).stat().st_ino != inode}
    showing = {path for path in made if "北塘湿地海洋科普课" in (output / path).read_text("utf-8")}
    # Pelican's paginated news lists are always made (the engine leaves them to Pelican's writer).
    news_lists = {path for path in made if path == "news/index.html" or path.startswith("news/page/")}
    assert "events/beitang-chaojiandai-guancha/index.html" in showing
    assert any(path.startswith("calendar/") for path in showing)  # its month, week and day pages
    stale = [path for path in before if re.search("北塘湿地海洋科普(?!课)", (output / path).read_text("utf-8"))]
    assert stale == [], "pages still showing the old title"
    assert len(before) > 500
    assert sorted(made - showing - news_lists) == [], "\n".join(sorted(made - showing))


def test_a_script_changed_is_fetched_anew_by_every_page(mini_site: Path, tmp_path: Path) -> None:
    """Browsers keep a site's scripts for days. A maintainer fixes site.js: after a warm build
    every page links the new file under a new address (``?v=`` the first 8 hex digits of its
    bytes' SHA-256, worked out here from the published file), so no browser runs the old
    script against new pages; the search page links search.js by its own bytes likewise."""
    project = project_copy(tmp_path)
    script = project / "theme" / "static" / "js" / "site.js"

    def change() -> None:
        script.write_text(script.read_text("utf-8") + "\n// fixed\n", "utf-8")

    warm, cold = warm_and_cold(project, mini_site, tmp_path, change)
    assert warm == cold
    assert warm["theme/js/site.js"].endswith(b"// fixed\n")
    versions = {name: hashlib.sha256(warm[f"theme/js/{name}"]).hexdigest()[:8] for name in ("site.js", "search.js")}
    pages = [path for path, data in warm.items() if path.endswith(".html") and b"/theme/js/site.js" in data]
    assert len(pages) > 20
    linked = {re.search(rb'src="/theme/js/site\.js(\?v=\w+)?"', warm[path])[1] for path in pages}
    assert linked == {f"?v={versions['site.js']}".encode()}
    assert f'src="/theme/js/search.js?v={versions["search.js"]}"'.encode() in warm["search/index.html"]


def changed_output(project: Path, site: Path, tmp_path: Path, change) -> tuple[dict, dict, dict]:
    """``warm_and_cold``, with the output before the change: the change must show somewhere."""
    before: dict = {}

    def snapshot_then_change() -> None:
        before.update(tree(tmp_path / "warm"))
        change()

    warm, cold = warm_and_cold(project, site, tmp_path, snapshot_then_change)
    assert cold != before, "the change shows nowhere: the test would prove nothing"
    return before, warm, cold


def test_a_jinja_option_changed_in_the_settings_reaches_every_page(mini_site: Path, tmp_path: Path) -> None:
    """JINJA_ENVIRONMENT holds a class (the handler of undefined values), so the engine's key left
    the whole setting out: turning lstrip_blocks off changed hundreds of pages of a cold build
    (every card's indentation) and none of a warm one."""
    project = project_copy(tmp_path)
    _, warm, cold = changed_output(project, mini_site, tmp_path, lambda: edit(
        project / "pelicanconf.py", '"lstrip_blocks": True', '"lstrip_blocks": False'))
    assert warm == cold


def test_a_filter_written_in_the_settings_edited_reaches_its_pages(mini_site: Path, tmp_path: Path) -> None:
    """A maintainer adds a filter in pelicanconf.py and uses it in a template: editing the filter's
    body changed the embeds of a cold build and none of a warm one (a function was no setting)."""
    project = project_copy(tmp_path)
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write('\nJINJA_FILTERS = {**FILTERS, "district_label": lambda name: f"【{name}】"}\n')
    edit(project / "theme" / "templates" / "embed.html", "{{ facet.name }} · 近期科普活动</a></h1>",
         "{{ facet.name | district_label }} · 近期科普活动</a></h1>")
    before, warm, cold = changed_output(project, mini_site, tmp_path, lambda: edit(
        project / "pelicanconf.py", 'f"【{name}】"', 'f"〔{name}〕"'))
    assert "【" in before["embed/streets/xinbei/index.html"].decode("utf-8")
    assert warm == cold


def test_a_template_in_an_overrides_folder_edited_reaches_its_pages(mini_site: Path, tmp_path: Path) -> None:
    """THEME_TEMPLATES_OVERRIDES: templates found before the theme's. Editing one changed every
    embed of a cold build, and a warm build reported every file unchanged: only the theme folder
    was in the engine's key."""
    project = project_copy(tmp_path)
    overrides = project / "theme_overrides"
    overrides.mkdir()
    shutil.copy(project / "theme" / "templates" / "embed.html", overrides / "embed.html")
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write('\nTHEME_TEMPLATES_OVERRIDES = [str(ROOT / "theme_overrides")]\n')
    _, warm, cold = changed_output(project, mini_site, tmp_path, lambda: edit(
        overrides / "embed.html", " · 近期科普活动</a></h1>", " · 最近的科普活动</a></h1>"))
    assert "最近的科普活动" in warm["embed/streets/xinbei/index.html"].decode("utf-8")
    assert warm == cold


def test_code_saved_while_a_preview_process_waits_leaves_no_stale_page(mini_site: Path, tmp_path: Path) -> None:
    """The preview keeps a process that has imported the plugins, and forks each build from it. A
    maintainer saved a change to the code while it waited: its next build ran the code it had
    imported but filed what it made under the key of the files on disk, and every later build, in
    any process, published the old code's pages (here 周六 after the weekday became 星期六)."""
    project = project_copy(tmp_path)
    output, cache = tmp_path / "warm", tmp_path / "warm-cache"
    build(project, mini_site / "content", output, cache)
    env = {**os.environ, "PYTHONPATH": f"{project / 'plugins'}:{project}"}
    preview = subprocess.Popen([sys.executable, "-m", "kepu_pelican.warm"], cwd=project, env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert preview.stdout.readline() == "ready\n"
        edit(project / "plugins" / "kepu" / "content" / "dates.py", '"周五", "周六"', '"周五", "星期六"')
        args = ["-s", str(project / "pelicanconf.py"), "--content", str(mini_site / "content"), "-o", str(output),
                "--build-date", SAMPLE_BUILD_DATE, "--cache", str(cache)]
        preview.stdin.write(json.dumps(args) + "\n")
        preview.stdin.flush()
        assert preview.stdout.readline() == "0\n"
    finally:
        preview.stdin.close()
        preview.wait(timeout=60)
    build(project, mini_site / "content", output, cache)
    build(project, mini_site / "content", tmp_path / "cold", tmp_path / "cold-cache")
    warm, cold = tree(output), tree(tmp_path / "cold")
    assert any("星期六" in data.decode("utf-8", "replace") for data in cold.values())
    assert sorted(path for path in cold if warm.get(path) != cold[path]) == []
