"""Phone screenshots for the README (run after `make site`; the PNGs are committed).

    .venv/bin/python scripts/readme_screenshots.py
"""

import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from kepu.editor.server import serve

ROOT = Path(__file__).resolve().parents[1]

SHOTS = {
    "phone-home.png": "/",
    "phone-event.png": "/events/zhoumo-kexue-tongxuehui-qiudong/",
    "phone-month.png": "/calendar/2026/12/",
    "phone-stats.png": "/stats/2026/",
}


def main() -> None:
    server = serve(ROOT / "output", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for name, path in SHOTS.items():
            page.goto(base + path)
            page.screenshot(path=str(ROOT / "docs" / "images" / name))
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
