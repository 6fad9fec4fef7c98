"""Render the share cards and the touch icon (PNG, 600×600 and 180×180) from HTML with Debian's Chromium.

    .venv/bin/python scripts/render_brand_images.py            # the site's card, from pelicanconf.py:
                                                               #   SITENAME on content/<SHARE_IMAGE>
    .venv/bin/python scripts/render_brand_images.py --theme    # the theme's card (no district) and icon

The PNGs are committed; the build does not run this. Any image editor makes a card as well: a
600×600 PNG or JPG with the site's name, where SHARE_IMAGE says (README, 换一个区使用).
"""

from __future__ import annotations

import argparse
from html import escape
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "theme" / "static" / "images"
ICON = (IMAGES / "icon.svg").read_text("utf-8")
GENERIC_NAME = "科普日历"  # the theme's card: any district's site may show it
TAGLINE = "科普活动一站查"


def card(name: str) -> str:
    size = 64 if len(name) <= 7 else max(36, 448 // len(name))  # a longer name in smaller type, one line
    return f"""<!doctype html><html lang="zh-CN"><body style="margin:0">
<div style="width:600px;height:600px;background:#0a4f96;color:#fff;display:flex;flex-direction:column;
align-items:center;justify-content:center;font-family:'Noto Sans CJK SC',sans-serif">
<div style="width:220px;height:220px">{ICON}</div>
<div style="font-size:{size}px;font-weight:700;margin-top:36px;white-space:nowrap">{escape(name)}</div>
<div style="font-size:30px;margin-top:14px;opacity:.9">{TAGLINE}</div></div></body></html>"""


TOUCH = f"""<!doctype html><body style="margin:0"><div style="width:180px;height:180px">{ICON}</div></body>"""


def site_card() -> tuple[str, Path]:
    """The site's name and where its card goes, as the build reads them (kepu.config)."""
    from kepu.config import load

    config = load(ROOT / "pelicanconf.py")
    return config.sitename, config.layout.content / config.share_image


def render(jobs: list[tuple[str, Path, int]], title: str = "") -> None:
    """Each (HTML, PNG, size); ``title``: the name the card shows, also written into the PNG's
    text (``Title``), by which the check knows a card drawn for another site."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for html, path, size in jobs:
            path.parent.mkdir(parents=True, exist_ok=True)
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(html)
            page.screenshot(path=str(path))
            page.close()
            if title and size == CARD_SIZE:
                _name(path, title)
            print(f"已生成 {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        browser.close()


CARD_SIZE = 600


def _name(path: Path, title: str) -> None:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Title", title)
    with Image.open(path) as image:
        image.load()
        image.save(path, pnginfo=info, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="生成分享到微信时的卡片图片")
    parser.add_argument("--theme", action="store_true", help="生成主题自带的通用卡片（不写区名）和触屏图标")
    if parser.parse_args().theme:
        render([(card(GENERIC_NAME), IMAGES / "share.png", CARD_SIZE), (TOUCH, IMAGES / "apple-touch-icon.png", 180)],
               GENERIC_NAME)
    else:
        name, path = site_card()
        render([(card(name), path, CARD_SIZE)], name)


if __name__ == "__main__":
    main()
