"""Render the share image and touch icon (PNG) from HTML with Debian's Chromium.

Run once after changing the design: .venv/bin/python scripts/render_brand_images.py
The PNGs are committed; the build does not run this.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parents[1] / "theme" / "static" / "images"
ICON = (IMAGES / "icon.svg").read_text("utf-8")
SHARE = f"""<!doctype html><html lang="zh-CN"><body style="margin:0">
<div style="width:600px;height:600px;background:#0a4f96;color:#fff;display:flex;flex-direction:column;
align-items:center;justify-content:center;font-family:'Noto Sans CJK SC',sans-serif">
<div style="width:220px;height:220px">{ICON}</div>
<div style="font-size:64px;font-weight:700;margin-top:36px">滨海科普日历</div>
<div style="font-size:30px;margin-top:14px;opacity:.9">科普活动一站查</div></div></body></html>"""
TOUCH = f"""<!doctype html><body style="margin:0"><div style="width:180px;height:180px">{ICON}</div></body>"""


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for html, name, size in ((SHARE, "share.png", 600), (TOUCH, "apple-touch-icon.png", 180)):
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(html)
            page.screenshot(path=str(IMAGES / name))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
