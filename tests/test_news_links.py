"""News and the events they name, as a resident reads them: a news item dated before an event began
cannot report it (it is a preview, or the report of an earlier stop that names this one as the
next), so the event page lists it as 相关新闻, not 活动报道, and open data gives the event no report;
and an event that names its report (report:) is listed on that news item's page."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT, run_build

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
