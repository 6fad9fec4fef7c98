"""The search page as a resident uses it: what is coming first, what is over and what is
cancelled said in words that can be read, a search box that can be seen, no axe findings."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from conftest import require
from webtools import axe, axe_available

pytestmark = pytest.mark.build
# The sample portal is built on 1 Dec 2026; the reader searches that morning.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# "海洋" finds upcoming ocean events, news, a cancelled beach walk of July (over) and more.
QUERY = "海洋"
UPCOMING = "线上海洋课：渤海湾的“海洋牧场”"  # 2027
PAST = "渤海湾的海洋生物：北塘海洋科普讲座"  # Aug 2026
CANCELLED = "跟着海洋老师去赶海：认识潮间带的小生命"  # Jul 2026, cancelled

# WCAG relative luminance and contrast of colours as getComputedStyle gives them; the
# background is the first opaque one up the tree.
CONTRAST = """(element, property) => {
  function rgb(value) { return value.match(/[\\d.]+/g).map(Number); }
  function background(node) {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) { return colour; }
    }
    return [255, 255, 255];
  }
  function luminance([r, g, b]) {
    const [R, G, B] = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  }
  const fore = rgb(getComputedStyle(element)[property]);
  const back = property === "color" ? background(element) : background(element.parentElement);
  const [a, b] = [luminance(fore), luminance(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.fixture
def results(public_site, browser):
    _, base = public_site
    page = browser.new_page(viewport={"width": 390, "height": 900}, timezone_id="Asia/Shanghai")
    page.clock.set_fixed_time(NOW)
    page.goto(f"{base}/search/?q={quote(QUERY)}")
    items = page.locator("#search-results > li")
    items.first.wait_for()
    yield page, items
    page.close()


def titles(items) -> list[str]:
    return [item.locator("h2 a").inner_text() for item in items.all()]


def test_upcoming_events_come_first_then_news_then_past_ones(results) -> None:
    _, items = results
    shown = titles(items)
    assert {UPCOMING, PAST, CANCELLED} <= set(shown)
    over = [item.get_by_text("已结束", exact=True).is_visible() for item in items.all()]
    news = ["/news/" in item.locator("h2 a").get_attribute("href") for item in items.all()]
    groups = [2 if o else 1 if n else 0 for o, n in zip(over, news, strict=True)]
    assert groups == sorted(groups), list(zip(shown, groups, strict=True))
    assert {0, 1, 2} <= set(groups)
    assert shown.index(UPCOMING) < shown.index(PAST)
    assert not over[shown.index(UPCOMING)]
    assert over[shown.index(PAST)] and over[shown.index(CANCELLED)]


def test_a_cancelled_event_says_so_legibly(results) -> None:
    _, items = results
    item = items.filter(has_text=CANCELLED)
    badge = item.get_by_text("已取消", exact=True)
    assert badge.is_visible()
    assert badge.evaluate(CONTRAST, "color") >= 4.5
    over = item.get_by_text("已结束", exact=True)
    assert over.is_visible() and over.evaluate(CONTRAST, "color") >= 4.5


def test_the_search_box_border_can_be_seen(results) -> None:
    page, _ = results
    box = page.get_by_role("searchbox", name="关键词")
    for side in ("Top", "Right", "Bottom", "Left"):
        assert box.evaluate(CONTRAST, f"border{side}Color") >= 3, side


def test_axe_finds_nothing_on_the_search_page_with_results(results) -> None:
    require(axe_available(), "npm axe-core (make test runs npm ci)")
    page, _ = results
    assert axe(page) == []
    # Landmarks too (axe files these under best practice): two search forms, each named.
    landmarks = page.evaluate("""async (rules) => {
        const result = await axe.run(document, {runOnly: {type: 'rule', values: rules}});
        return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""", ["landmark-unique", "landmark-one-main", "landmark-no-duplicate-banner",
           "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main", "region"])
    assert landmarks == []
    assert page.get_by_role("search", name="搜索活动和新闻").is_visible()
