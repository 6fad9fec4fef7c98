"""On a 360-px phone, in normal text and in 大字, no page whose width depends on what volunteers
wrote needs a sideways scroll: every event page (long live-stream links, phone numbers, notes
of moved sessions), every notice sheet of a street or community (this week and next), the
campaigns' printable programmes and the volunteer page. One template's sample page is not
enough: the content decides how wide a line gets."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.build
WIDTH = 360
# The page's width, and what a reader would have to scroll sideways to see (beyond one pixel).
WIDEST = r"""() => {
  const width = document.documentElement.scrollWidth;
  const wide = [...document.querySelectorAll('main *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > innerWidth + 1 && getComputedStyle(el).position !== 'fixed';
  }).slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + String(el.className) + ': ' + el.textContent.trim().slice(0, 40));
  return [width, wide];
}"""


def content_pages(output: Path) -> list[str]:
    """The addresses of the pages whose width volunteers' content decides."""
    found = [p.parent for p in sorted((output / "events").glob("*/index.html"))]
    for kind in ("streets", "communities"):
        found += [p.parent for p in sorted((output / kind).glob("*/notice/index.html"))]
        found += [p.parent for p in sorted((output / kind).glob("*/notice/next/index.html"))]
    found += [p.parent for p in sorted((output / "campaigns").glob("*/print/index.html"))]
    found.append(output / "volunteer")
    return ["/" + folder.relative_to(output).as_posix() + "/" for folder in found]


@pytest.fixture(scope="module")
def widths(public_site, browser) -> dict[tuple[str, bool], tuple[int, list[str]]]:
    output, base = public_site
    pages = content_pages(output)
    assert len(pages) > 150, pages  # every event and every notice, not a sample
    measured = {}
    for large in (False, True):
        context = browser.new_context(viewport={"width": WIDTH, "height": 740})
        if large:  # what the 大字 button remembers for every page
            context.add_init_script("localStorage.setItem('kepu-large-text', '1')")
        page = context.new_page()
        for path in pages:
            page.goto(base + path, wait_until="load")
            measured[(path, large)] = tuple(page.evaluate(WIDEST))
        context.close()
    return measured


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_no_content_page_needs_a_sideways_scroll(widths, large: bool) -> None:
    too_wide = {path: found for (path, mode), found in widths.items() if mode == large and found[0] > WIDTH}
    assert too_wide == {}, f"{len(too_wide)} pages wider than {WIDTH} px: " + "\n".join(
        f"{path}: {width} px {wide}" for path, (width, wide) in list(too_wide.items())[:20])


# Table cells holding a number whose text spans more than one line (12925 shown as 1292 / 5).
BROKEN_NUMBERS = r"""() => [...document.querySelectorAll('.data-table td')].filter((td) => {
  if (!/^\d+$/.test(td.textContent.trim())) return false;
  const range = document.createRange();
  range.selectNodeContents(td);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
}).map((td) => td.textContent.trim())"""


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_statistics_never_break_a_number_across_lines(public_site, browser, large: bool) -> None:
    """/stats/ on a 360-px phone: 12925 is one number on one line (a reader took 1292 and 5 for two),
    and the tables still fit the screen."""
    output, base = public_site
    pages = ["/stats/", *(f"/stats/{p.parent.name}/" for p in sorted((output / "stats").glob("20*/index.html")))]
    context = browser.new_context(viewport={"width": WIDTH, "height": 740})
    if large:
        context.add_init_script("localStorage.setItem('kepu-large-text', '1')")
    page = context.new_page()
    try:
        for path in pages:
            page.goto(base + path, wait_until="load")
            assert page.locator(".data-table td").count() > 10
            assert page.evaluate(BROKEN_NUMBERS) == [], path
            width, wide = page.evaluate(WIDEST)
            assert width <= WIDTH, (path, width, wide)
    finally:
        context.close()
