"""The security headers of docs/deploy.md: the site works under them, with no policy violated.

The headers are read from the deploy guide's nginx configuration (so the guide and this test
cannot drift apart), served with the built sample portal by kepu.editor.server, and Chromium opens the
pages a reader uses: home, an event, a street, a month, search, and an embed framed by another site.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from kepu.content.images import inspect_image
from kepu.editor.cmsserve import ADMIN_CSP
from kepu.editor.server import serve

DEPLOY = ROOT / "docs" / "deploy.md"
CSP = "Content-Security-Policy"
SNIPPET = "include snippets/kepu-headers.conf;"
WATCH = """window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});"""


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DEPLOY.read_text("utf-8"), re.DOTALL)


def deploy_headers() -> dict[str, dict[str, str]]:
    """URL path prefix -> response headers, as the guide's nginx `map` and header snippet set them."""
    blocks = code_blocks("nginx")
    policies = dict(re.findall(r'^\s*(default|~\^/\S*)\s+"([^"]+)";', next(
        block for block in blocks if "map $uri $kepu_csp" in block), re.MULTILINE))
    snippet = next(block for block in blocks if f"add_header {CSP} $kepu_csp always;" in block)
    common = dict(re.findall(r'^add_header (\S+) "([^"]+)" always;$', snippet, re.MULTILINE))
    return {("/" if key == "default" else key[2:]): {CSP: policy, **common} for key, policy in policies.items()}


def serve_with(directory: Path, headers: dict | None):
    server = serve(directory, port=0, headers=headers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class Watched:
    """A page that records policy violations, script errors, dialogs and requests to other hosts."""

    def __init__(self, browser, base: str):
        self.page = browser.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.page.add_init_script(WATCH)
        self.page.on("console", lambda message: "Content Security Policy" in message.text and self.console.append(
            message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.route("**/*", self._route)
        self.hosts = {urlsplit(base).netloc}

    def _route(self, route) -> None:
        if urlsplit(route.request.url).netloc in self.hosts:
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def violations(self) -> list[str]:
        found = [*self.console]
        for frame in self.page.frames:
            try:
                found += frame.evaluate("window.__csp || []")
            except Exception as error:  # a frame the browser refused to show has no script
                found.append(f"{frame.url}: {error}")
        return found

    def assert_clean(self) -> None:
        assert self.violations() == []
        assert self.errors == [] and self.dialogs == [] and self.foreign == []


@pytest.fixture(scope="module")
def site(sample_output: Path):
    server, base = serve_with(sample_output, deploy_headers())
    yield sample_output, base
    server.shutdown()


def test_the_guide_gives_one_set_of_headers_everywhere() -> None:
    headers = deploy_headers()
    assert sorted(headers) == ["/", "/admin/", "/embed/", "/images/"]
    for prefix, values in headers.items():
        assert values["X-Content-Type-Options"] == "nosniff", prefix
        assert values["Referrer-Policy"] == "strict-origin-when-cross-origin", prefix
    policies = {prefix: values[CSP] for prefix, values in headers.items()}
    assert "frame-ancestors 'self'" in policies["/"] and "frame-ancestors *" in policies["/embed/"]
    assert "'unsafe-inline'" not in policies["/"] and "'unsafe-eval'" not in policies["/"]
    assert "sandbox" in policies["/images/"]
    # The web editor's policy is the one `invoke cms` serves it with (and its journey test runs under).
    assert policies["/admin/"] == ADMIN_CSP.format(git="https://git.example.cn")
    apache = "".join(code_blocks("apache"))
    set_by_apache = re.findall(r'Header always set (\S+) "([^"]+)"', apache)
    assert sorted(v for k, v in set_by_apache if k == CSP) == sorted(policies.values())
    assert {k: v for k, v in set_by_apache if k != CSP} == {k: v for k, v in headers["/"].items() if k != CSP}
    listed = "".join(code_blocks("text"))
    for policy in policies.values():
        assert f"{CSP}: {policy}\n" in listed
    for block in code_blocks("nginx"):  # an add_header in a location hides the server's: each includes them
        assert block.count("add_header Cache-Control") == block.count(SNIPPET), block


def _first(output: Path, folder: str, skip: tuple[str, ...] = ()) -> str:
    """The first page in a folder of the output, as a path under the site's root."""
    return next(p.parent.relative_to(output).as_posix() for p in sorted((output / folder).glob("*/index.html"))
                if p.parent.name not in skip)


def _large_text_toggles(watched: Watched, url: str) -> None:
    page = watched.page
    button = page.locator("button.text-size")
    button.click()
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert button.get_attribute("aria-pressed") == "true"
    page.goto(url)  # the inline script in <head> (allowed by its hash) applies the choice on load
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    page.locator("button.text-size").click()


@pytest.mark.build
def test_pages_work_under_the_documented_policy(site, browser) -> None:
    output, base = site
    pages = ["", _first(output, "events", ("past",)) + "/", _first(output, "streets") + "/",
             "calendar/2026/12/", "venues/", "routes/anquan-caomei-putao/", "events/"]  # events/ last: its filters
    watched = Watched(browser, base)
    try:
        for path in pages:
            response = watched.page.goto(f"{base}/{path}")
            assert response is not None and response.status == 200, path
            assert response.headers["content-security-policy"] == deploy_headers()["/"][CSP]
            watched.page.wait_for_load_state("load")
            assert watched.page.locator("button.text-size").is_visible(), path  # site.js ran
        watched.page.locator("#filters").wait_for(state="visible")  # filters.js fetched its index
        _large_text_toggles(watched, f"{base}/")
        watched.assert_clean()
    finally:
        watched.page.close()


@pytest.mark.build
def test_search_finds_results_under_the_documented_policy(site, browser) -> None:
    _, base = site
    watched = Watched(browser, base)
    try:
        watched.page.goto(f"{base}/search/")
        watched.page.fill("#search-query", "科普")
        watched.page.press("#search-query", "Enter")
        watched.page.locator("#search-results li").first.wait_for(timeout=20_000)  # the search index was read
        assert watched.page.locator("#search-status").inner_text().startswith("找到")
        watched.assert_clean()
    finally:
        watched.page.close()


@pytest.mark.build
def test_only_embeds_can_be_framed_by_another_site(site, browser, tmp_path: Path) -> None:
    output, base = site
    embed = next(f"{base}/{p.parent.relative_to(output).as_posix()}/" for p in
                 sorted((output / "embed" / "streets").glob("*/index.html")) if "embed-list" in p.read_text("utf-8"))
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><title>别的网站</title>'
        f'<iframe id="embed" src="{embed}"></iframe><iframe id="page" src="{base}/"></iframe>', "utf-8")
    other, other_base = serve_with(tmp_path, None)
    watched = Watched(browser, base)
    watched.hosts.add(urlsplit(other_base).netloc)
    try:
        with watched.page.expect_console_message(lambda message: "frame-ancestors" in message.text):
            watched.page.goto(f"{other_base}/")  # the home page's frame is refused: an event, no sleep
        frame = watched.page.frame_locator("#embed")
        assert frame.locator("h1").inner_text().endswith("近期科普活动")
        assert frame.locator("ol.embed-list li").count() > 0
        embedded = next(f for f in watched.page.frames if f.url == embed)
        assert embedded.evaluate("window.__csp") == []
        refused = [text for text in watched.console if "frame-ancestors" in text]
        assert refused and all(f"{base}/" in text for text in refused)  # the home page may not be framed
        assert [text for text in watched.console if text not in refused] == []
        assert watched.errors == [] and watched.foreign == []
    finally:
        watched.page.close()
        other.shutdown()


def test_images_policy_shows_drawings_and_runs_nothing(browser, tmp_path: Path) -> None:
    """Second line of defence: an SVG opened by itself runs nothing even if it had a script."""
    images = tmp_path / "images"
    images.mkdir()
    drawing = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>circle{stroke:#000}</style>'
               b'<rect id="r" width="10" height="10" style="fill:#0a4f96"/><circle r="3"/></svg>')
    (images / "drawing.svg").write_bytes(inspect_image(drawing, "content/images/drawing.svg").publish)
    (images / "missed.svg").write_bytes(  # as if the sanitiser had missed everything
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
        b'<image href="https://evil.example/t.png" width="1" height="1"/></svg>')
    (tmp_path / "index.html").write_text('<!DOCTYPE html><meta charset="utf-8"><title>图</title>'
                                          '<img src="/images/drawing.svg" alt="图">', "utf-8")
    server, base = serve_with(tmp_path, deploy_headers())
    watched = Watched(browser, base)
    try:
        watched.page.goto(f"{base}/")  # shown by a page, as an event's picture is
        assert watched.page.evaluate("document.images[0].complete && document.images[0].naturalWidth") > 0
        watched.page.goto(f"{base}/images/drawing.svg")
        assert watched.console == []
        fill = watched.page.evaluate("getComputedStyle(document.getElementById('r')).fill")
        assert fill == "rgb(10, 79, 150)"
        watched.page.goto(f"{base}/images/missed.svg")  # waits for load: the onload and script had their turn
        assert watched.page.evaluate("self.origin") == "null"  # sandboxed: not the site's origin
        assert watched.dialogs == [] and watched.foreign == []
    finally:
        watched.page.close()
        server.shutdown()


@pytest.mark.build
def test_the_web_editor_opens_under_its_documented_policy(site, browser) -> None:
    """/admin/ (Decap CMS, here with the GitHub backend of the sample settings) shows its sign-in page
    under the guide's /admin/ policy: no violation, no script error, nothing asked of another host."""
    _, base = site
    watched = Watched(browser, base)
    try:
        response = watched.page.goto(f"{base}/admin/")
        assert response.headers["content-security-policy"] == deploy_headers()["/admin/"][CSP]
        watched.page.get_by_role("button", name="使用 GitHub 登录").wait_for()
        watched.assert_clean()
    finally:
        watched.page.close()
