"""The preview shows what is wrong where the editor is looking: in the browser.

``invoke livereload`` runs on a copy of the tests' mini site; a real Chromium has pages open while
the editor saves a broken file, then the fixed one. Every wait is for an event (a dialog
appearing, a heading changing); the generous timeouts only end a hung run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TEST_SITE, run_build, tree
from previewtools import Preview

pytestmark = pytest.mark.build
WAIT = 600_000  # ms: a watchdog for a build on a loaded machine, not a measure of speed
EVENT = Path("content/events/xinbei/2026/liudong-kejiguan.md")
PAGE = "/events/liudong-kejiguan/"
TITLE = "流动科技馆进社区"
START = "start: 2026-12-05 09:00"
PHONE = {"width": 360, "height": 740}

# The dialog as a person reads it: the smallest text in it, and how far anything in it reaches
# past the right edge of the screen (a sideways scroll on a phone).
LAYOUT = """(dialog) => {
  const texts = [...dialog.querySelectorAll('*')].filter((n) => [...n.childNodes].some(
    (c) => c.nodeType === 3 && c.textContent.trim()) && n.getClientRects().length);
  const sizes = texts.map((n) => parseFloat(getComputedStyle(n).fontSize));
  const right = Math.max(...[dialog, ...dialog.querySelectorAll('*')].map((n) => n.getBoundingClientRect().right));
  return {smallest: Math.min(...sizes), overflow: right - window.innerWidth,
          scrolls: dialog.scrollWidth > dialog.clientWidth};
}"""


def test_a_broken_save_shows_its_problems_on_every_open_page_until_the_next_good_save(
        mini_site: Path, tmp_path: Path, browser) -> None:
    event = mini_site / EVENT
    original = event.read_text("utf-8")
    assert START in original and f"title: {TITLE}" in original
    preview = Preview(mini_site, tmp_path)
    context = browser.new_context(viewport=PHONE)
    try:
        pages = [context.new_page(), context.new_page()]
        pages[0].goto(preview.base + PAGE)
        pages[1].goto(preview.base + "/")
        assert pages[0].get_by_role("heading", level=1).inner_text() == TITLE

        event.write_text(original.replace(START, "start: 2026-11-31"), "utf-8")
        for page in pages:
            dialog = page.get_by_role("alertdialog")
            dialog.wait_for(timeout=WAIT)
            text = dialog.inner_text()
            assert "预览没有更新" in text
            assert EVENT.as_posix() in text
            assert "第 3 行" in text
            assert "日期“2026-11-31”不存在（11 月没有 31 日）" in text
            assert "请核对月份和日期" in text  # the fix
        # Behind the dialog the page is still the last good build.
        assert pages[0].get_by_role("heading", level=1).inner_text() == TITLE

        dialog = pages[0].get_by_role("alertdialog")
        normal = dialog.evaluate(LAYOUT)
        assert normal["smallest"] >= 16 and normal["overflow"] <= 1 and not normal["scrolls"], normal
        pages[0].evaluate("document.documentElement.classList.add('large-text')")  # what 大字 does
        large = dialog.evaluate(LAYOUT)
        assert large["smallest"] >= normal["smallest"] * 1.2 and large["overflow"] <= 1 and not large["scrolls"], large

        fixed = original.replace(f"title: {TITLE}", "title: 流动科技馆进新北（改期）")
        event.write_text(fixed, "utf-8")
        pages[0].get_by_role("heading", level=1, name="流动科技馆进新北（改期）").wait_for(timeout=WAIT)
        for page in pages:
            page.get_by_role("alertdialog").wait_for(state="detached", timeout=WAIT)
    finally:
        context.close()
        preview.stop()
    # Subscribe links and QR codes name the preview's own address (a free port here, not 8000).
    assert not preview.base.endswith(":8000")
    feed = (preview.out / "feeds" / "all.ics").read_text("utf-8")
    assert f"{preview.base}/events/" in feed and "127.0.0.1:8000" not in feed
    # What the preview published, build after build in its warm process, is what a cold build makes.
    cold = run_build(mini_site / "content", tmp_path / "cold", fresh=True, extra_args=("--dev-url", preview.base))
    assert cold.returncode == 0, cold.stderr
    assert tree(preview.out) == tree(tmp_path / "cold")


def test_a_site_that_never_built_shows_the_problems_as_text_and_recovers(
        mini_site: Path, tmp_path: Path, browser) -> None:
    event = mini_site / EVENT
    original = event.read_text("utf-8")
    payload = '<img src=x onerror="window.__pwned=1">'
    event.write_text(original.replace(START, f"start: {payload}"), "utf-8")
    preview = Preview(mini_site, tmp_path)  # its first build fails: there is no site yet
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(preview.base + PAGE)
        dialog = page.get_by_role("alertdialog")
        dialog.wait_for(timeout=WAIT)
        text = dialog.inner_text()
        assert EVENT.as_posix() in text and "第 3 行" in text
        assert f"无法识别的日期“{payload}”" in text  # shown as text, never as markup
        assert dialog.locator("img").count() == 0
        assert page.evaluate("window.__pwned") is None

        event.write_text(original, "utf-8")
        page.get_by_role("heading", level=1, name=TITLE).wait_for(timeout=WAIT)
        assert page.get_by_role("alertdialog").count() == 0
    finally:
        page.close()
        preview.stop()


def test_a_change_to_the_generator_code_is_used_by_the_next_build(tmp_path: Path) -> None:
    """Builds are forked from a process that imported the plugins once: a saved plugin file
    must reach the next build, as it did when every build started a new interpreter."""
    code = tmp_path / "generator"
    for part in ("plugins", "theme"):
        shutil.copytree(ROOT / part, code / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pelicanconf.py", code / "pelicanconf.py")
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    preview = Preview(site, tmp_path, code=code, watch=(code / "plugins",))
    try:
        build = code / "plugins" / "kepu_pelican" / "build.py"
        build.write_text(build.read_text("utf-8").replace('print(f"构建完成：', 'print(f"构建完成（新版本）：'), "utf-8")
        preview.wait_for("构建完成（新版本）：")
        preview.wait_for("预览已更新")
    finally:
        preview.stop()
