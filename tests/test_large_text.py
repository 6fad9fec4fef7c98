"""大字 as an elder mode (长者模式): on a 360-px phone, a resident taps 大字 and every text on
every kind of page grows, stays at AAA contrast, every control is a 48-px target, nothing
needs a sideways scroll, and the choice is remembered. Measured as a person sees the page:
computed styles and boxes in Chromium, element by element, before and after the tap."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.build
WIDTH = 360
# One page of each template of the sample portal (built for 2026-12-01).
PAGES = {
    "home": "/",
    "event": "/events/zhoumo-kexue-tongxuehui-qiudong/",
    "events": "/events/",
    "street": "/streets/hujiayuan/",
    "team": "/teams/binhai-kexie/",
    "category": "/categories/kepu-jiangzuo/",
    "audience": "/audiences/laonianren/",
    "month": "/calendar/2026/12/",
    "week": "/calendar/week/",
    "day": "/calendar/2026/12/05/",
    "search": "/search/?q=科普",
    "subscribe": "/subscribe/",
    "stats": "/stats/",
    "data": "/data/",
    "news": "/news/",
    "article": "/news/quanguo-kepuri-2026-binhai/",
    "about": "/about/",
    "404": "/no-such-page/",
    "venues": "/venues/",  # the venue map: each point a 48-px target
    "route": "/routes/anquan-caomei-putao/",
}

# Every visible element that shows text of its own (a text node, or a form field's value or
# placeholder): its size, and its contrast against the first opaque background behind it
# (semi-transparent layers composited). Keyed by document position, which the switch does
# not change, so the two modes are compared element by element. Text drawn inside an image
# (an SVG chart or QR code, role="img") belongs to the image: see the no-images test.
TEXTS = r"""() => {
  const rgba = (c) => {
    const n = (c.match(/[\d.]+/g) || []).map(Number);
    return n.length < 3 ? null : [n[0], n[1], n[2], n.length > 3 ? n[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const bg = rgba(getComputedStyle(n).backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const contrast = (fg, bg) => {
    const a = luminance(over(fg, bg)), b = luminance(bg);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const all = [...document.querySelectorAll('*')];
  const out = [];
  all.forEach((el, index) => {
    const field = el.matches('input:not([type=hidden],[type=checkbox],[type=radio]), select, textarea');
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!field && !own) return;
    if (el.closest('head, script, style, noscript, template, title, [role=img]')) return;
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || style.visibility !== 'visible') return;
    const decorative = !!el.closest('[aria-hidden=true], :disabled, [aria-disabled=true]');
    const color = rgba(style.color);
    const bg = background(el);
    let ratio = color ? contrast(color, bg) : 99;
    if (field && el.placeholder && !el.value) {
      ratio = Math.min(ratio, contrast(rgba(getComputedStyle(el, '::placeholder').color), bg));
    }
    out.push({index, tag: el.tagName.toLowerCase(), cls: String(el.className),
              text: (field ? (el.value || el.placeholder || '') : el.textContent).trim().slice(0, 30),
              size: parseFloat(style.fontSize), ratio: Math.round(ratio * 100) / 100, decorative});
  });
  return out;
}"""

# Every control a finger taps, with the box it offers (a checkbox's label, if any), and
# whether it is a link inside running text (WCAG 2.5.8's inline exception).
TARGETS = r"""() => {
  const inline = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block || !block.matches('p, p *, dd, td, li, figcaption, blockquote')) return false;
    const copy = block.cloneNode(true);
    copy.querySelectorAll('a, button').forEach((n) => n.remove());
    return /[\p{L}\p{N}]/u.test(copy.textContent);
  };
  return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .map((el) => {
      const target = el.matches('[type=checkbox], [type=radio]') ? (el.closest('label') || el) : el;
      const box = target.getBoundingClientRect();
      return {tag: el.tagName.toLowerCase(), cls: String(el.className), text: (el.textContent || el.name || '').trim().slice(0, 30),
              width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10,
              shown: box.width > 1 && box.height > 1 && box.right > 0 && getComputedStyle(target).visibility === 'visible',
              inline: inline(el)};
    }).filter((t) => t.shown);
}"""

# Anything that makes a reader scroll sideways: the page itself, or a box scrolling inside it.
SIDEWAYS = r"""() => [document.documentElement.scrollWidth].concat(
  [...document.querySelectorAll('body *')].filter((el) => {
    const x = getComputedStyle(el).overflowX;
    return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1;
  }).map((el) => el.tagName.toLowerCase() + '.' + String(el.className)))"""

# Readable without images (适老化规范): every image has a text alternative, and every chart
# (an image of numbers) is followed by a table of the same numbers, which grows with the text.
IMAGES = r"""() => [...document.querySelectorAll('img, svg[role=img], [role=img]')].filter((el) => {
  if (el.tagName === 'IMG') return !el.hasAttribute('alt');
  const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.querySelector('title');
  if (!named) return true;
  if (!el.matches('svg.chart')) return false;
  const figure = el.closest('figure') || el.parentElement;
  return !figure.querySelector('table') && !(figure.nextElementSibling || {matches: () => false}).matches('table');
}).map((el) => el.outerHTML.slice(0, 80))"""
LARGE = "document.documentElement.classList.contains('large-text')"


def _sizes(texts: list[dict]) -> dict[int, dict]:
    return {t["index"]: t for t in texts}


@pytest.fixture(scope="module")
def elder_views(public_site, browser):
    """Each page at 360×740: its texts in normal mode, then (after tapping 大字) its texts,
    targets, sideways scroll, and what a reload keeps."""
    _, base = public_site
    views = {}
    for name, path in PAGES.items():
        context = browser.new_context(viewport={"width": WIDTH, "height": 740}, device_scale_factor=2)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        normal = page.evaluate(TEXTS)
        normal_body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        page.get_by_role("button", name="大字").click()
        large = page.evaluate(TEXTS)
        view = {
            "normal": normal, "large": large, "normal_body": normal_body,
            "body": page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"),
            "h1": page.evaluate("(h => h && parseFloat(getComputedStyle(h).fontSize))(document.querySelector('h1'))"),
            "pressed": page.get_attribute("button.text-size", "aria-pressed"),
            "targets": page.evaluate(TARGETS),
            "sideways": page.evaluate(SIDEWAYS),
            "imageless": page.evaluate(IMAGES),
            "viewport": page.get_attribute("meta[name=viewport]", "content"),
            "header": page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height"),
        }
        page.reload()
        page.wait_for_load_state("networkidle")
        view["reloaded"] = (page.evaluate(LARGE), page.get_attribute("button.text-size", "aria-pressed"),
                            page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
        view["dialogs"] = dialogs
        views[name] = view
        context.close()
    return views


@pytest.mark.parametrize("name", PAGES)
def test_every_text_grows_and_body_text_is_at_least_20px(elder_views, name: str) -> None:
    view = elder_views[name]
    assert view["pressed"] == "true"
    before = _sizes(view["normal"])
    after = _sizes(view["large"])
    assert after.keys() == before.keys(), "the switch must not hide or show text"
    shrunk = [(t["tag"], t["cls"], t["text"], before[i]["size"], t["size"]) for i, t in after.items()
              if t["size"] < before[i]["size"] * 1.15]
    assert shrunk == [], "every text grows by at least 15 %"
    assert view["body"] >= 20 and view["body"] >= view["normal_body"] * 1.15
    small = [(t["tag"], t["cls"], t["text"], t["size"]) for t in view["large"] if t["size"] < 18]
    assert small == [], "nothing under 18 px in 大字"
    assert view["h1"] and view["h1"] > view["body"] * 1.2, "headings grow in proportion"


@pytest.mark.parametrize("name", PAGES)
def test_large_text_reaches_aaa_contrast(elder_views, name: str) -> None:
    low = [(t["tag"], t["cls"], t["text"], t["ratio"]) for t in elder_views[name]["large"]
           if not t["decorative"] and t["ratio"] < 7]
    assert low == []


@pytest.mark.parametrize("name", PAGES)
def test_large_text_targets_are_48px(elder_views, name: str) -> None:
    small = [(t["tag"], t["cls"], t["text"], t["width"], t["height"]) for t in elder_views[name]["targets"]
             if not t["inline"] and (t["width"] < 48 or t["height"] < 48)]
    assert small == []


@pytest.mark.parametrize("name", PAGES)
def test_large_text_needs_no_sideways_scroll_at_360px(elder_views, name: str) -> None:
    width, *scrollers = elder_views[name]["sideways"]
    assert width <= WIDTH and scrollers == []


@pytest.mark.parametrize("name", PAGES)
def test_large_text_survives_a_reload_without_pop_ups(elder_views, name: str) -> None:
    view = elder_views[name]
    assert view["reloaded"] == (True, "true", view["body"])
    assert view["dialogs"] == []


@pytest.mark.parametrize("name", PAGES)
def test_large_text_pages_read_without_images_and_still_zoom(elder_views, name: str) -> None:
    view = elder_views[name]
    assert view["imageless"] == []
    assert "user-scalable=no" not in view["viewport"].replace(" ", "") and "maximum-scale" not in view["viewport"]


@pytest.mark.parametrize("name", PAGES)
def test_large_text_leaves_the_first_screen_to_the_page(elder_views, name: str) -> None:
    """The header took 340 of 740 px in 大字 (the menu wrapped to three rows): an event page's first
    screen showed its title and nothing else. The menu folds behind 菜单 on a phone."""
    assert elder_views[name]["header"] <= 740 * 0.3


MENU_LINKS = "nav[aria-label='主导航'] a"


def test_the_folded_menu_opens_and_closes_with_one_tap_each(public_site, browser) -> None:
    _, base = public_site
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    page.goto(f"{base}/events/zhoumo-kexue-tongxuehui-qiudong/")
    page.get_by_role("button", name="大字").tap()
    menu = page.get_by_role("button", name="菜单")
    assert menu.get_attribute("aria-expanded") == "false" and not page.locator(MENU_LINKS).first.is_visible()
    box = menu.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    menu.tap()
    assert menu.get_attribute("aria-expanded") == "true"
    links = page.locator(MENU_LINKS)
    assert links.count() >= 6 and all(link.is_visible() for link in links.all())
    assert all(link.bounding_box()["height"] >= 48 for link in links.all())
    page.keyboard.press("Escape")  # closes it, the focus back on its button
    assert menu.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "菜单"
    menu.tap()
    page.locator(MENU_LINKS, has_text="街镇").tap()
    page.wait_for_url(f"{base}/streets/")
    context.close()


def test_the_opened_menu_shows_every_item_in_normal_text_too(public_site, browser) -> None:
    """Opened at normal size it was one row scrolling sideways with no scrollbar: 订阅活动日历 and 关于
    off screen, 新闻动态 cut to 新闻动."""
    _, base = public_site
    for width in (320, 375):
        context = browser.new_context(viewport={"width": width, "height": 740}, has_touch=True)
        page = context.new_page()
        page.goto(f"{base}/events/")
        page.get_by_role("button", name="菜单").tap()
        boxes = [link.bounding_box() for link in page.locator(MENU_LINKS).all()]
        assert len(boxes) >= 6 and all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes), (width, boxes)
        context.close()


@pytest.mark.parametrize(("width", "script"), [(1024, True), (WIDTH, False)])
def test_the_menu_is_shown_whole_on_a_wide_screen_and_without_the_script(public_site, browser, width: int,
                                                                         script: bool) -> None:
    _, base = public_site
    context = browser.new_context(viewport={"width": width, "height": 740}, java_script_enabled=script)
    page = context.new_page()
    page.goto(f"{base}/events/")
    assert not page.get_by_role("button", name="菜单").is_visible()
    assert page.locator(MENU_LINKS).first.is_visible()
    context.close()


def test_a_phone_held_sideways_keeps_the_header_to_one_row(public_site, browser) -> None:
    """At 740×360 in 大字 the header took 42 % of the height: the search row ran under the name and
    菜单 with room beside them. Held sideways, the three share one row."""
    _, base = public_site
    context = browser.new_context(viewport={"width": 740, "height": 360}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base}/events/zhoumo-kexue-tongxuehui-qiudong/")
    page.get_by_role("button", name="大字").tap()
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert header <= 360 * 0.3, header
    page.get_by_role("button", name="菜单").tap()
    assert page.locator(MENU_LINKS).first.is_visible()
    context.close()
