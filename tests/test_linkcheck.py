"""The link checker: zero broken internal links on the sample site, and it finds each kind of break."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, plugin_env, run_build
from kepu.editor.linkcheck import DEV_SITEURL, check_site, format_report

pytestmark = pytest.mark.build


def test_sample_site_has_no_broken_links(sample_output: Path) -> None:
    report = check_site(sample_output, [DEV_SITEURL])
    assert report.ok, format_report(report, limit=20)
    assert report.pages >= 200
    assert report.links >= 5_000
    assert report.anchors >= 100
    print(format_report(report))


def test_published_build_under_a_path_has_no_broken_links(tmp_path: Path) -> None:
    """Deployed at https://host/kepu/: every link must carry the /kepu prefix."""
    output = tmp_path / "output"
    site = "https://kepu.example.cn/kepu"
    result = run_build(ROOT / "content", output, settings=ROOT / "publishconf.py",
                       extra_args=("--siteurl", site))
    assert result.returncode == 0, result.stderr
    report = check_site(output, [site])
    assert report.ok, format_report(report, limit=20)
    assert report.links >= 5_000
    assert "Disallow: /kepu/admin/" in (output / "robots.txt").read_text("utf-8")  # the web editor there


def test_body_images_and_links_carry_the_site_path(mini_repository: Path, tmp_path: Path) -> None:
    """The README asks for site addresses in bodies (/images/…, /events/…). Deployed under a path
    (a GitHub Pages project site) they must carry it: the photo was missing and check, build and
    CI all passed."""
    content = mini_repository / "content"
    (content / "images" / "xinbei").mkdir(parents=True)
    Image.new("RGB", (320, 240), (30, 144, 255)).save(content / "images" / "xinbei" / "shiyan.png")
    Image.new("RGB", (320, 240), (30, 144, 55)).save(content / "images" / "xinbei" / "活动照片 1.png")
    event = content / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    event.write_text(event.read_text("utf-8") + "\n![孩子们在做实验](/images/xinbei/shiyan.png)\n\n"
                     "![合影](</images/xinbei/活动照片 1.png>)\n\n"
                     "报名前请先看[流动科技馆](/events/liudong-kejiguan/)的安排。\n", "utf-8")
    output = tmp_path / "output"
    site = "https://kepu.example.cn/kepu"
    result = run_build(content, output, settings=ROOT / "publishconf.py", extra_args=("--siteurl", site))
    assert result.returncode == 0, result.stderr
    page = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert f'src="{site}/images/xinbei/shiyan.png"' in page
    assert f'href="{site}/events/liudong-kejiguan/"' in page
    assert f'src="{site}/images/xinbei/活动照片%201.png"' in page  # a space is no valid address
    report = check_site(output, [site])
    assert report.ok, format_report(report, limit=20)


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


@pytest.fixture
def broken_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site, "index.html", """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/css/site.css">
<link rel="stylesheet" href="https://cdn.example.com/x.css">
<link rel="alternate" type="text/calendar" href="/feeds/all.ics">
<script src="/js/missing.js"></script>
<script type="application/ld+json">{"url": "http://127.0.0.1:8000/gone/", "image": "/img/a.png"}</script>
</head><body>
<a href="/a/">ok</a> <a href="/a/#sec">ok</a> <a href="/a/#nope">bad anchor</a>
<a href="a/">relative</a> <a href="/missing/">missing</a> <a href="/empty/">no index</a>
<a href="#top">top</a> <a href="#">top</a> <a href="#here">here</a><p id="here"></p>
<a href="https://example.org/">external</a> <a href="mailto:a@example.cn">mail</a>
<a href="webcal://127.0.0.1:8000/feeds/all.ics">feed</a>
<a href="webcal://127.0.0.1:8000/feeds/none.ics">no feed</a>
<img src="/img/a.png" srcset="/img/a.png 1x, /img/b.png 2x">
<img src="https://tracker.example/p.png">
<span id="dup"></span><span id="dup"></span>
</body></html>""")
    write(site, "a/index.html", '<h2 id="sec">节</h2><a href="../index.html#here">back</a>'
                                '<a href="../missing.html">gone</a>')
    write(site, "css/site.css", 'body{background:url(../img/a.png)} .x{background:url("/img/none.png")}')
    write(site, "img/a.png", "png")
    write(site, "feeds/all.ics", "BEGIN:VCALENDAR\r\nURL:http://127.0.0.1:8000/a/\r\n"
                                 "URL:http://127.0.0.1:8000/mi\r\n ssing-event/\r\nEND:VCALENDAR\r\n")
    write(site, "data/index.json", '{"items": [{"url": "/a/"}, {"url": "/nowhere/"}], "n": "/x"}')
    write(site, "empty/other.html", "<p>no index here</p>")
    return site


def test_checker_finds_each_kind_of_break(broken_site: Path) -> None:
    report = check_site(broken_site)
    found = sorted((p.page, p.url, p.reason.split("（")[0].split("：")[0]) for p in report.problems)
    assert found == [
        ("a/index.html", "../missing.html", "目标不存在"),
        ("css/site.css", "/img/none.png", "目标不存在"),
        ("data/index.json", "/nowhere/", "目标不存在"),
        ("feeds/all.ics", "http://127.0.0.1:8000/missing-event/", "目标不存在"),
        ("index.html", "#dup", "id 重复"),
        ("index.html", "/a/#nope", "页面 a/index.html 中没有 id 为“nope”的锚点"),
        ("index.html", "/empty/", "目标不存在"),
        ("index.html", "/img/b.png", "目标不存在"),
        ("index.html", "/js/missing.js", "目标不存在"),
        ("index.html", "/missing/", "目标不存在"),
        ("index.html", "http://127.0.0.1:8000/gone/", "目标不存在"),
        ("index.html", "https://cdn.example.com/x.css", "从其他网站加载资源"),
        ("index.html", "https://tracker.example/p.png", "从其他网站加载资源"),
        ("index.html", "webcal://127.0.0.1:8000/feeds/none.ics", "目标不存在"),
    ]
    assert report.external == 3
    assert report.pages == 3
    assert all(p.line >= 1 for p in report.problems)


def test_root_relative_links_must_carry_the_site_path(broken_site: Path) -> None:
    report = check_site(broken_site, ["https://kepu.example.cn/kepu"])
    assert ("index.html", "/a/") in {(p.page, p.url) for p in report.problems}
    assert any("/kepu/" in p.reason for p in report.problems)


def test_command_line(broken_site: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kepu.editor.linkcheck", *args], cwd=ROOT,
                              env=plugin_env(), capture_output=True, text=True, timeout=120)

    broken = run(str(broken_site))
    assert broken.returncode == 1
    assert "index.html:" in broken.stdout and "发现 14 处问题" in broken.stdout
    fine = tmp_path / "fine"
    write(fine, "index.html", '<a href="/b/">b</a>')
    write(fine, "b/index.html", '<a href="/">home</a>')
    ok = run(str(fine))
    assert ok.returncode == 0
    assert "检查了 2 个页面、2 个站内链接" in ok.stdout and "没有发现断链" in ok.stdout
    missing = run(str(tmp_path / "nothing"))
    assert missing.returncode == 1 and "请先构建网站" in missing.stderr


def test_a_published_build_is_checked_at_its_own_address_without_being_told(tmp_path: Path) -> None:
    """After `invoke publish --siteurl https://kepu.example.cn`, `invoke linkcheck` alone reported
    thousands of 从其他网站加载资源 (the site's own absolute links): it takes the build's address from
    its home page's canonical link, as the docs only ask for --siteurl under a path."""
    site = tmp_path / "public"
    write(site, "index.html", '<link rel="canonical" href="https://kepu.example.cn/">'
                              '<link rel="stylesheet" href="https://kepu.example.cn/css/site.css">'
                              '<a href="https://kepu.example.cn/b/">b</a>')
    write(site, "b/index.html", '<a href="https://kepu.example.cn/">home</a><a href="https://kepu.example.cn/c/">c</a>')
    write(site, "css/site.css", "body{}")
    result = subprocess.run([sys.executable, "-m", "kepu.editor.linkcheck", str(site)], cwd=ROOT,
                            env=plugin_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "b/index.html:1: https://kepu.example.cn/c/ — 目标不存在" in result.stdout, result.stdout
    assert "从其他网站加载资源" not in result.stdout and "发现 1 处问题" in result.stdout
