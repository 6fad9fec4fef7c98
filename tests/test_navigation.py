"""Header navigation, footer and breadcrumbs lead to the pages their words name; a template that
uses a name nobody defined fails the build and says where."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, run_build, serve_directory
from kepu.editor.linkcheck import check_site, format_report

pytestmark = pytest.mark.build

HEADER_NAV = "nav[aria-label='主导航']"
FOOTER_NAV = "footer nav"
# Label -> what the page it leads to is headed (as a person sees it on 2026-12-01).
HEADER_TARGETS = {"近期活动": "近期活动", "日历": "2026年12月", "街镇": "街镇与功能区",
                  "活动类型": "活动类型", "新闻动态": "新闻动态", "订阅活动日历": "订阅活动日历",
                  "关于": "关于本站"}
FOOTER_TARGETS = {"街镇": "街镇与功能区", "活动类型": "活动类型", "服务对象": "服务对象",
                  "志愿服务队": "志愿服务队", "加入志愿服务队": "加入志愿服务队", "关于本站": "关于本站",
                  "订阅活动日历": "订阅活动日历", "活动数据": "活动数据", "开放数据": "开放数据"}
VOLUNTEER_DAY = "events/jingkaiqu-guoji-zhiyuanzheri-kepu-jishi/index.html"


class _Navigation(HTMLParser):
    """The site's navigation regions on one page: header and footer <nav>, breadcrumbs; each
    with whether it is marked for the link checker, and its links as (label, href)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.regions: list[dict] = []
        self.h1: list[str] = []
        self._landmarks: list[str] = []
        self._region: dict | None = None
        self._link: list[str] | None = None
        self._h1: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("header", "footer"):
            self._landmarks.append(tag)
        elif tag == "nav" and (self._landmarks or "breadcrumb" in (values.get("class") or "")):
            kind = self._landmarks[-1] if self._landmarks else "breadcrumb"
            self._region = {"kind": kind, "marked": "data-label-check" in values, "links": []}
            self.regions.append(self._region)
        elif tag == "a" and self._region is not None and "href" in values:
            self._link = [values["href"]]
        elif tag == "h1":
            self._h1 = []

    def handle_data(self, data: str) -> None:
        for collecting in (self._link, self._h1):
            if collecting is not None:
                collecting.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("header", "footer") and self._landmarks:
            self._landmarks.pop()
        elif tag == "nav":
            self._region = None
        elif tag == "a" and self._link is not None and self._region is not None:
            self._region["links"].append((" ".join("".join(self._link[1:]).split()), self._link[0]))
            self._link = None
        elif tag == "h1" and self._h1 is not None:
            self.h1.append(" ".join("".join(self._h1).split()))
            self._h1 = None


def navigation(page: Path) -> _Navigation:
    parser = _Navigation()
    parser.feed(page.read_text("utf-8"))
    return parser


def target_h1(output: Path, href: str) -> str:
    path = output / href.lstrip("/")
    return " ".join(navigation(path / "index.html" if href.endswith("/") else path).h1)


def test_every_navigation_footer_and_breadcrumb_label_names_its_page(sample_output: Path) -> None:
    """The link checker compares each label with its target's heading; every navigation region
    on the site is marked for it, and the index pages are in the header or footer."""
    kinds: dict[str, int] = {}
    for page in sorted(sample_output.rglob("*.html")):
        for region in navigation(page).regions:
            assert region["marked"], (page.relative_to(sample_output).as_posix(), region)
            kinds[region["kind"]] = kinds.get(region["kind"], 0) + 1
    assert kinds["header"] >= 700 and kinds["footer"] >= 700 and kinds["breadcrumb"] >= 500, kinds

    home = navigation(sample_output / "index.html")
    header = dict(next(r["links"] for r in home.regions if r["kind"] == "header"))
    footer = dict(next(r["links"] for r in home.regions if r["kind"] == "footer"))
    assert set(HEADER_TARGETS) <= set(header) and set(FOOTER_TARGETS) <= set(footer)
    assert header["活动类型"] == footer["活动类型"] == "/categories/"
    assert (footer["服务对象"], footer["志愿服务队"], footer["加入志愿服务队"]) == (
        "/audiences/", "/teams/", "/volunteer/")
    for label, heading in HEADER_TARGETS.items():
        assert heading in target_h1(sample_output, header[label]), (label, header[label])
    for label, heading in FOOTER_TARGETS.items():
        assert heading in target_h1(sample_output, footer[label]), (label, footer[label])

    category = next((sample_output / "categories").glob("*/index.html"))
    crumbs = dict(next(r["links"] for r in navigation(category).regions if r["kind"] == "breadcrumb"))
    assert crumbs == {"首页": "/", "活动类型": "/categories/"}

    report = check_site(sample_output)
    assert report.ok, format_report(report, limit=20)
    assert report.labels >= 10_000  # every page's header, footer and breadcrumb links were compared


def test_team_pages_and_the_volunteer_day_lead_to_the_recruitment_page(sample_output: Path) -> None:
    teams = sorted((sample_output / "teams").glob("*/index.html"))
    assert len(teams) >= 10
    for page in teams:
        assert re.search(r'href="/volunteer/">加入志愿服务队</a>', page.read_text("utf-8")), page
    body = (sample_output / VOLUNTEER_DAY).read_text("utf-8").split('class="body"', 1)[1]
    link = re.search(r'<a href="([^"]+)">加入志愿服务队</a>', body)
    assert link, "国际志愿者日的正文没有链接到招募页"
    assert target_h1(sample_output / VOLUNTEER_DAY.rsplit("/", 1)[0], link.group(1)) == "加入志愿服务队"


@pytest.fixture(scope="module")
def served_sample(sample_output: Path):
    server, base = serve_directory(sample_output)
    yield base
    server.shutdown()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("region, targets", [(HEADER_NAV, HEADER_TARGETS), (FOOTER_NAV, FOOTER_TARGETS)],
                         ids=["header", "footer"])
def test_clicking_each_navigation_link_opens_the_page_it_names(served_sample: str, browser, width: int,
                                                               region: str, targets: dict) -> None:
    """From an event page deep in the site, on a phone and on a desktop."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        for label, heading in targets.items():
            page.goto(f"{served_sample}/{VOLUNTEER_DAY}")
            if region == HEADER_NAV and width < 768:  # a phone's menu folds behind 菜单
                page.get_by_role("button", name="菜单").click()
            page.locator(region).get_by_role("link", name=label, exact=True).click()
            page.wait_for_load_state()
            h1 = page.locator("h1").first.inner_text()
            assert heading in h1, (width, label, page.url, h1)
            assert label in h1 or label in page.title(), (width, label, page.url, h1, page.title())
    finally:
        page.close()


def test_checker_reports_a_breadcrumb_that_leads_to_the_wrong_page(sample_output: Path,
                                                                  tmp_path: Path) -> None:
    site = tmp_path / "output"
    shutil.copytree(sample_output, site)
    category = next((site / "categories").glob("*/index.html"))
    text = category.read_text("utf-8")
    planted = text.replace('<a href="/categories/">活动类型</a>', '<a href="/">活动类型</a>', 1)
    assert planted != text
    category.write_text(planted, "utf-8")
    about = site / "about" / "index.html"
    about.write_text(about.read_text("utf-8").replace('<a href="/">首页</a>', '<a href="/news/">首页</a>')
                     .replace('<a href="/streets/">街镇</a>', '<a href="/streets/"> </a>', 1), "utf-8")

    report = check_site(site)
    found = sorted((p.page, p.url, p.reason) for p in report.problems)
    relative = category.relative_to(site).as_posix()
    assert found == [
        ("about/index.html", "/streets/", "导航链接没有文字：读者不知道它通向哪里"),
        (relative, "/", "链接“活动类型”通向的页面 index.html 标题是“滨海科普日历”，与链接文字不符"),
    ], found


def test_sites_without_volunteer_page_or_events_build_and_check_clean(mini_site: Path,
                                                                     tmp_path: Path) -> None:
    """Every template renders with no events (undefined names fail the build), and links only
    to pages the site has: the mini site has no recruitment page."""
    for path in (mini_site / "content" / "events").iterdir():
        shutil.rmtree(path)
    for path in (mini_site / "content" / "articles").glob("*.md"):
        path.unlink()  # they report on events that are gone
    output = tmp_path / "output"
    result = run_build(mini_site / "content", output)
    assert result.returncode == 0, result.stderr
    report = check_site(output)
    assert report.ok, format_report(report, limit=20)
    assert report.labels >= 100
    assert "/volunteer/" not in (output / "index.html").read_text("utf-8")


def test_undefined_name_in_a_template_fails_the_build_naming_template_and_line(mini_site: Path,
                                                                              tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates" / "page.html"
    lines = template.read_text("utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if "<h1>" in line) + 1
    lines.insert(at, "  <p>{{ NO_SUCH_NAME }}</p>\n")
    template.write_text("".join(lines), "utf-8")
    settings = tmp_path / "themeconf.py"
    settings.write_text(f"from pelicanconf import *  # noqa: F403\nTHEME = {str(theme)!r}\n", "utf-8")

    output = tmp_path / "output"
    result = run_build(mini_site / "content", output, settings=settings)
    assert result.returncode == 2, result.stderr
    assert f"templates/page.html 第 {at + 1} 行：未定义的名字 NO_SUCH_NAME" in result.stderr.splitlines()[-3]
    assert "程序出错" in result.stderr
    assert not output.exists()
