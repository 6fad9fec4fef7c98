"""News and the events they name, as a resident reads them: a news item dated before an event began
cannot report it (it is a preview, or the report of an earlier stop that names this one as the
next), so the event page lists it as 相关新闻, not 活动报道, and open data gives the event no report;
and an event that names its report (report:) is listed on that news item's page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT, plugin_env, run_build

NEXT_STOP = "xinbei-liudong-kejiguan-2026-12"  # 12/11–12/13; the 11/10 report of the November stop names it
REPORTED = "xinbei-liudong-kejiguan-2026-11"  # the November stop: that report is its own
REPORT_TITLE = "流动科技馆金江社区站三天迎客三千二百人次"
LINKED = "kjz26-chadian-putao"  # given report: in the copy below, not named by the news item's events:


def _line(page: Path, label: str) -> str:
    found = re.search(rf'<p class="report">{label}：(.*?)</p>', page.read_text("utf-8"), re.S)
    return unescape(re.sub(r"<[^>]+>", "", found[1])) if found else ""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("news-links")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    event = next((content / "events").rglob(f"{LINKED}.md"))
    text = event.read_text("utf-8")
    event.write_text(text.replace("\ntitle:", "\nreport: chadian-putao-yanxue-jishi\ntitle:", 1), "utf-8")
    # The news writer's audit: report: naming a news item from before the event (the November
    # stop's report, named for December's) made it the December stop's 活动报道 before it was held.
    event = next((content / "events").rglob(f"{NEXT_STOP}.md"))
    text = event.read_text("utf-8")
    event.write_text(text.replace("\ntitle:", "\nreport: xinbei-liudong-kejiguan-baodao\ntitle:", 1), "utf-8")
    result = run_build(content, root / "output")
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_a_news_item_from_before_an_event_is_related_news_not_its_report(site: Path) -> None:
    page = site / "events" / NEXT_STOP / "index.html"
    assert _line(page, "活动报道") == ""
    assert REPORT_TITLE in _line(page, "相关新闻")
    assert REPORT_TITLE in _line(site / "events" / REPORTED / "index.html", "活动报道")  # the stop it reports
    records = {e["id"]: e for e in json.loads((site / "data" / "events.json").read_text("utf-8"))["events"]}
    assert records[NEXT_STOP]["report"] is None
    assert records[REPORTED]["report"] == "xinbei-liudong-kejiguan-baodao"


def test_a_news_item_named_as_an_events_report_links_back_to_it(site: Path) -> None:
    page = site / "news" / "chadian-putao-yanxue-jishi" / "index.html"
    related = page.read_text("utf-8").split("<h2>相关活动</h2>", 1)
    assert len(related) == 2
    assert f'/events/{LINKED}/"' in related[1]
    assert related[1].count(f'/events/{LINKED}/"') == 1
    event = site / "events" / LINKED / "index.html"
    assert "一粒葡萄里的科学" in _line(event, "活动报道")


@pytest.mark.parametrize(("day", "published"), [("2026-12-07", False), ("2026-12-20", True)])
def test_news_dated_later_is_published_by_the_build_of_its_day(mini_site: Path, tmp_path: Path, day: str,
                                                               published: bool) -> None:
    """The news writer's audit: a preview dated 12月20日 was published on the 7th and stood first on
    the home page for two weeks (she thought the date scheduled it). It is published by the build of
    its day; until then the check says when."""
    news = mini_site / "content" / "articles" / "dongzhi-yugao.md"
    news.write_text("---\ntitle: 冬至科普市集预告\ndate: 2026-12-20\nsummary: 冬至当天的科普市集。\n---\n欢迎参加。\n", "utf-8")
    output = tmp_path / "output"
    result = run_build(mini_site / "content", output, build_date=day)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (output / "news" / "dongzhi-yugao" / "index.html").exists() is published
    assert ("冬至科普市集预告" in (output / "index.html").read_text("utf-8")) is published
    assert ("冬至科普市集预告" in (output / "news" / "index.html").read_text("utf-8")) is published
    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(mini_site / "content"),
                            "--build-date", day], cwd=mini_site, env=plugin_env(), capture_output=True, text=True,
                           timeout=300)
    said = [line.strip() for line in check.stdout.splitlines() if "dongzhi-yugao.md" in line and "date" in line]
    assert said == ([] if published else [
        "content/articles/dongzhi-yugao.md:3: （提醒）date: 这篇新闻的日期 2026-12-20 在今天（2026-12-07）之后：到那天构建时才会发布"
        " — 要现在发布（例如活动预告），date 写今天，活动的时间写在正文里；等到那天再发布的，不用改"]), check.stdout


def test_a_corrected_report_says_when_and_one_without_summary_is_shared_by_its_words(mini_site: Path,
                                                                                    tmp_path: Path) -> None:
    """The news writer's audit: a report corrected after publishing (updated:) said nothing of it,
    and one with no summary was shared in WeChat with the site's slogan as its description."""
    news = mini_site / "content" / "articles" / "kepu-ri-baodao.md"
    text = news.read_text("utf-8").replace("summary: 三百多位居民参加。\n", "updated: 2026-09-23 10:00\n")
    news.write_text(text, "utf-8")
    output = tmp_path / "output"
    result = run_build(mini_site / "content", output)
    assert result.returncode == 0, result.stderr[-2000:]
    html = (output / "news" / "kepu-ri-baodao" / "index.html").read_text("utf-8")
    meta = re.sub(r"<[^>]+>", "", re.search(r'<p class="meta">.*?</p>', html, re.S)[0])
    assert meta.startswith("2026年9月20日（周日）（9月23日（周三）更新）"), meta
    description = re.search(r'<meta name="description" content="([^"]*)"', html)[1]
    assert description.startswith("九月十九日，科普日集市在泰达广场举办"), description
