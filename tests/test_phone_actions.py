"""Acting from a phone inside WeChat: register, call, open a map, add to the calendar, subscribe
by scanning a code. Chromium at 360×740 with WeChat's user agent, on the sample portal."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest

from conftest import ROOT, run_build

pytestmark = pytest.mark.build

WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
          "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
          "MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 "
          "Weixin NetType/WIFI Language/zh_CN ABI/arm64")
PHONE_REGISTRATION = "/events/zhoumo-kexue-tongxuehui-qiudong/"  # registration by phone
ONLINE_REGISTRATION = "/events/dagang-zhiqi-jiqiren-dongji-jixunying/"  # a form and a phone
EXTENSION = "/events/gulin-laonian-fangdie-gusong/"  # “022-6391 2280 转 8012”
PUBLIC = "https://kepu.example.cn"

# Every visible link or button with its box, in document order, inside the event.
TARGETS_JS = """root => [...root.querySelectorAll('a[href], button')].filter(el => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
}).map(el => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return {text: el.innerText.trim(), href: el.getAttribute('href') || '', width: box.width,
            height: box.height, color: style.color, background: style.backgroundColor,
            line: Math.max(...[...el.getClientRects()].map(r => r.height))};
})"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, user_agent=WECHAT,
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def https_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample portal built for its public https address (the QR codes carry it)."""
    output = tmp_path_factory.mktemp("https") / "output"
    result = run_build(ROOT / "content", output, extra_args=("--siteurl", PUBLIC))
    assert result.returncode == 0, result.stderr
    return output


def _luminance(css: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _targets(page) -> list[dict]:
    return page.eval_on_selector("article.event", TARGETS_JS)


# ------------------------------------------------------------------ tel: URIs

@pytest.mark.parametrize("written, uri", [
    ("022-2530 1234", "tel:+862225301234"),
    ("(022) 2530-1234", "tel:+862225301234"),
    ("+86 22 2530 1234", "tel:+862225301234"),
    ("13812345678", "tel:+8613812345678"),
    ("0755-8888 1234", "tel:+8675588881234"),  # any area code: only the trunk 0 goes
    ("022-2530 1234 转 8012", "tel:+862225301234,8012"),
    ("022-2530 1234 分机 8012", "tel:+862225301234,8012"),
    ("022-2530 1234 ext. 8012", "tel:+862225301234,8012"),
    ("+1 415 555 0100", "tel:+14155550100"),
    ("022-25300000转8", "tel:+862225300000,8"),
    ("400-800-1234", "tel:4008001234"),  # national service numbers dial as they are
    ("12345", "tel:12345"),
])
def test_tel_uri_dials_from_the_digits(written: str, uri: str) -> None:
    from kepu.formats.phones import tel_uri

    assert tel_uri(written) == uri


def test_phone_numbers_in_a_contact_line_become_links_and_dates_do_not() -> None:
    from kepu.formats.phones import link_phones

    html = str(link_phones("古林街道 022-6391 2280 转 12，手机 138 1234 5678；2026-12-05 14:00 "
                           "热线 400-800-1234 <b>"))
    assert re.findall(r'href="([^"]+)"', html) == ["tel:+862263912280,12", "tel:+8613812345678", "tel:4008001234"]
    assert ">022-6391 2280 转 12</a>" in html
    assert "&lt;b&gt;" in html


def test_a_number_pasted_with_other_spaces_or_full_width_digits_is_a_link_too() -> None:
    """Pasted from a web page or typed with a Chinese input method: a no-break or ideographic
    space, full-width digits. Such a number lost its tap-to-call link without a word."""
    from kepu.formats.phones import contains_phone, link_phones

    for written, uri in (("胡家园街道文化站　022-2530\u00a01234", "tel:+862225301234"),
                         ("值班电话 ０２２－２５３０ １２３４", "tel:+862225301234"),
                         ("手机 138\u20091234\u20095678", "tel:+8613812345678")):
        html = str(link_phones(written))
        assert contains_phone(written) and re.findall(r'href="([^"]+)"', html) == [uri], html
        assert html.startswith(written.split(" ")[0].split("　")[0])  # the text around it as written


# ------------------------------------------------------------------ the event page

@pytest.mark.parametrize("path, href", [
    (PHONE_REGISTRATION, "tel:+862225300000"),
    (ONLINE_REGISTRATION, "https://zhiqi.example.cn/jixunying-2026"),
])
def test_registration_is_the_first_big_high_contrast_button(public_site, phone, path: str, href: str) -> None:
    _, base = public_site
    phone.goto(base + path)
    big = [t for t in _targets(phone) if t["width"] >= 44 and t["height"] >= 44]
    assert big, _targets(phone)
    first = big[0]
    assert "报名" in first["text"] and first["href"] == href, big[:3]
    assert _contrast(first["color"], first["background"]) >= 4.5, first
    button = phone.locator(f'article.event a[href="{href}"]').first
    assert button.is_visible() and button.bounding_box()["y"] < 740  # on the first screen


def test_tel_links_dial_the_number_and_its_extension(public_site, phone) -> None:
    output, base = public_site
    html = (output / EXTENSION.strip("/") / "index.html").read_text("utf-8")
    assert "022-6391 2280 转 8012" in html  # the sample event with an extension
    phone.goto(base + EXTENSION)
    hrefs = phone.eval_on_selector_all("article.event a[href^='tel:']", "as => as.map(a => a.getAttribute('href'))")
    assert "tel:+862263912280,8012" in hrefs  # registration: main number, pause, extension
    assert "tel:+862263912280" in hrefs  # the contact line's number
    assert set(hrefs) == {"tel:+862263912280,8012", "tel:+862263912280"}
    phone.goto(base + PHONE_REGISTRATION)
    hrefs = phone.eval_on_selector_all("article.event a[href^='tel:']", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and set(hrefs) == {"tel:+862225300000"}


@pytest.mark.parametrize("path", [PHONE_REGISTRATION, EXTENSION])
def test_a_phone_number_never_breaks_across_lines(public_site, phone, path: str) -> None:
    _, base = public_site
    phone.goto(base + path)
    numbers = phone.locator("article.event .tel")
    assert numbers.count() >= 2
    lines = """els => els.map(el => [el.innerText, el.getClientRects().length,
        el.getBoundingClientRect().height <= 1.5 * parseFloat(getComputedStyle(el).lineHeight === 'normal'
            ? 1.3 * parseFloat(getComputedStyle(el).fontSize) : getComputedStyle(el).lineHeight)])"""
    for large in (False, True):
        if large:
            phone.click("button.text-size")
        got = numbers.evaluate_all(lines)
        assert all(count == 1 and one_line for _, count, one_line in got), got
    # Even squeezed into a column narrower than itself, a number stays one line.
    squeezed = numbers.evaluate_all("""els => els.map(el => {
        const box = document.createElement('div');
        box.style.width = Math.floor(el.getBoundingClientRect().width / 2) + 'px';
        el.parentNode.insertBefore(box, el); box.appendChild(el);
        return el.getClientRects().length; })""")
    assert set(squeezed) == {1}, squeezed


def test_map_links_are_big_enough_to_tap(public_site, phone) -> None:
    _, base = public_site
    phone.goto(base + PHONE_REGISTRATION)
    maps = [t for t in _targets(phone) if "map" in t["href"] or t["href"].startswith("geo:")]
    assert {t["text"] for t in maps} >= {"高德地图", "百度地图", "开放街道地图"}
    # Every button is named in Chinese: a reader who knows no English can tell them apart.
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", t["text"]) for t in maps), maps
    assert all(t["width"] >= 44 and t["height"] >= 44 for t in maps), maps


def test_links_out_carry_chinese_as_it_is_and_the_phone_requests_them_escaped(public_site, phone) -> None:
    """Map and Google Calendar links are written as IRIs (a Chinese character 3 bytes in the page,
    not 9); the browser's own URL parser turns each into the fully escaped address, which is what
    the other site receives."""
    _, base = public_site
    phone.goto(base + ONLINE_REGISTRATION)
    links = phone.eval_on_selector_all(".maps a, .add-to-calendar a[href*='calendar.google.com']",
                                       "els => els.map(el => [el.getAttribute('href'), el.href])")
    assert len(links) == 5, links  # 高德, 百度, 开放街道地图 (OpenStreetMap), the phone's map app, Google Calendar
    for written, requested in links:
        escaped = re.sub(r"[^\x00-\x7f]", lambda m: quote(m.group(), safe=""), written)
        assert requested == escaped, (written, requested)
        assert unquote(requested) == unquote(written)
    chinese = [written for written, _ in links if re.search(r"[\u4e00-\u9fff]", written)]
    assert len(chinese) == 4 and not any(re.search(r"%E[4-9]", w) for w in chinese), chinese  # names, title


def test_phone_calendar_comes_first_and_google_last_and_small(public_site, phone) -> None:
    _, base = public_site
    phone.goto(base + PHONE_REGISTRATION)
    links = phone.eval_on_selector(".add-to-calendar", TARGETS_JS)
    ics = next(i for i, t in enumerate(links) if t["href"].endswith(".ics"))
    google = next(i for i, t in enumerate(links) if "calendar.google.com" in t["href"])
    assert ics == 0 and google == len(links) - 1, links
    assert "手机日历" in links[ics]["text"] and links[ics]["height"] >= 44 and links[ics]["width"] >= 44
    assert "境外" in links[google]["text"]
    # Small: a text link (it may wrap onto two lines), not a second button.
    assert links[google]["line"] < 44 and links[google]["background"] == "rgba(0, 0, 0, 0)"
    assert links[ics]["background"] != "rgba(0, 0, 0, 0)"


# ------------------------------------------------------------------ subscribe QR codes

def _decode(page, svg: str, tmp_path: Path, name: str) -> list[str]:
    import zxingcpp
    from PIL import Image

    page.set_content(f"<!doctype html><body style='margin:0;background:#fff'>{svg}</body>")
    shot = tmp_path / f"{name}.png"
    page.locator("svg").first.screenshot(path=str(shot))
    return [c.text for c in zxingcpp.read_barcodes(Image.open(shot))]


@pytest.mark.parametrize("page_path", [
    "subscribe/index.html", "streets/taida/index.html", "teams/binhai-kexie/index.html",
    "categories/zhulao-kepu/index.html", "audiences/laonianren/index.html",
])
def test_subscribe_qr_opens_an_html_page_with_steps_and_the_webcal_link(
        https_output: Path, phone, tmp_path: Path, page_path: str) -> None:
    html = (https_output / page_path).read_text("utf-8")
    blocks = re.findall(r'<section class="subscribe".*?</section>', html, re.DOTALL)
    assert len(blocks) == 1
    svg = re.search(r'<svg role="img".*?</svg>', blocks[0], re.DOTALL)[0]
    feed = re.search(r'href="(webcal://[^"]+\.ics)"', blocks[0])[1]
    [url] = _decode(phone, svg, tmp_path, "qr")
    assert url.startswith(PUBLIC + "/") and url.endswith("/"), url  # a page, not the raw .ics
    target = https_output / urlparse(url).path.strip("/") / "index.html"
    assert target.is_file(), url
    page = target.read_text("utf-8")
    assert f'href="{feed}"' in page  # one tap subscribes
    assert f'value="{feed.replace("webcal://", "https://")}"' in page  # the address to copy
    for steps in ("苹果", "小米", "华为", "OPPO", "ICSx⁵", "在浏览器打开"):
        assert steps in page, steps
    assert f'<link rel="canonical" href="{url}">' in page


def test_scanning_in_wechat_lands_on_a_page_that_explains_what_to_do(public_site, phone, tmp_path: Path) -> None:
    _, base = public_site
    phone.goto(base + "/streets/taida/")
    svg = phone.locator("section.subscribe figure.qr svg").evaluate("el => el.outerHTML")
    [url] = _decode(phone, svg, tmp_path, "taida")
    assert url.startswith(base + "/") and not url.endswith(".ics")
    response = phone.goto(url)
    assert response.status == 200 and "text/html" in response.headers["content-type"]
    assert "订阅" in phone.locator("h1").inner_text()
    subscribe = phone.locator("a[href^='webcal://']").first
    assert subscribe.is_visible() and subscribe.get_attribute("href").endswith("/feeds/streets/taida.ics")
    assert phone.locator("text=在浏览器打开").first.is_visible()


@pytest.mark.parametrize("path", ["/subscribe/streets/taida/", "/subscribe/all/", EXTENSION])
def test_new_pages_and_actions_pass_axe_at_phone_width(public_site, phone, path: str) -> None:
    from conftest import require
    from webtools import axe, axe_available

    require(axe_available(), "npm axe-core (make test runs npm ci)")
    _, base = public_site
    assert phone.goto(base + path).ok
    phone.wait_for_load_state("networkidle")
    assert axe(phone) == []


IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 13; V2148A) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Mobile Safari/537.36")


@pytest.mark.parametrize(("agent", "shown"), [(WECHAT, False), (IPHONE, False), (ANDROID, True)],
                         ids=["wechat", "iphone", "android-browser"])
def test_the_phone_map_app_button_is_offered_only_where_it_opens_one(public_site, browser, agent: str,
                                                                    shown: bool) -> None:
    """手机地图应用 is a geo: link: iPhones have nothing that opens it, and WeChat's browser does not
    hand it to another app, so the biggest map button did nothing for most residents."""
    _, base = public_site
    context = browser.new_context(viewport={"width": 360, "height": 740}, user_agent=agent, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(base + PHONE_REGISTRATION)
    page.wait_for_load_state("load")
    assert page.get_by_role("link", name="高德地图").is_visible()
    assert page.get_by_role("link", name="手机地图应用").is_visible() == shown
    context.close()
