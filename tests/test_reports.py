"""Figures, open data, embeds and the change feed, checked against the content itself."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import jsonschema
import pytest
import yaml

from conftest import ROOT, plugin_env, require, run_build
from feedtools import event_fronts, event_occurrences
from webtools import vnu_available, vnu_errors

pytestmark = pytest.mark.build
ZONE = ZoneInfo("Asia/Shanghai")
BUILD = date(2026, 12, 1)
HORIZON = BUILD + timedelta(days=366)


def sessions(output: Path, slug: str, held: bool = False) -> list[date]:
    """Local start days of an event's sessions, from its own .ics, expanded independently
    (``held``: without the sessions its calendar marks cancelled one by one)."""
    days = []
    for occurrence in event_occurrences(output, slug, HORIZON + timedelta(days=1)):
        if held and "RECURRENCE-ID" in occurrence and str(occurrence.get("STATUS")) == "CANCELLED":
            continue
        start = occurrence["DTSTART"].dt
        day = start.astimezone(ZONE).date() if isinstance(start, datetime) else start
        if day <= HORIZON:
            days.append(day)
    return days


def expected_figures(output: Path, content: Path, year: int) -> dict:
    registries = {name: {i["id"]: i for i in yaml.safe_load((content / "data" / f"{name}.yml").read_text("utf-8"))}
                  for name in ("streets", "categories", "audiences")}
    events, session_count, months = 0, 0, Counter()
    per_street, per_category, per_audience, kinds, teams = Counter(), Counter(), Counter(), Counter(), set()
    attendance, cancelled = 0, 0
    for slug, front in event_fronts(content).items():
        days = [d for d in sessions(output, slug) if d.year == year]
        if not days:
            continue
        if front.get("status") == "cancelled":  # counted apart, never as 活动 or 场次
            cancelled += 1
            continue
        events += 1
        teams.add(front["team"])
        per_street[registries["streets"][front["street"]]["name"]] += 1
        kinds[registries["streets"][front["street"]]["kind"]] += 1
        cats = front["categories"] if isinstance(front["categories"], list) else [front["categories"]]
        auds = front["audiences"] if isinstance(front["audiences"], list) else [front["audiences"]]
        per_category.update(registries["categories"][c]["name"] for c in cats)
        per_audience.update(registries["audiences"][a]["name"] for a in auds)
        attendance += int(front.get("attendance", 0) or 0)
        held = [d for d in sessions(output, slug, held=True) if d.year == year]
        session_count += len(held)
        months.update(d.month for d in held)
    return {"活动": events, "场次": session_count, "已取消": cancelled, "参与队伍": len(teams),
            "登记参加人数": attendance, "months": months, "streets": per_street, "kinds": kinds,
            "categories": per_category, "audiences": per_audience}


def page_figures(html: str) -> dict:
    keys = dict(re.findall(r"<dt>(.*?)</dt><dd>(\d+)", html))
    tables = {}
    for table_id in ("months", "streets", "kinds", "categories", "audiences"):
        block = re.search(rf'<figure class="chart-figure" id="{table_id}">(.*?)</figure>', html, re.DOTALL)
        if not block:
            continue
        rows = re.findall(r'<tr><th scope="row">(?:<a [^>]+>)?(.*?)(?:</a>)?</th><td>(\d+)</td>', block[1])
        tables[table_id] = Counter({label: int(value) for label, value in rows if int(value)})
    return {**{k: int(v) for k, v in keys.items()}, **tables}


def compare(output: Path, content: Path, year: int) -> None:
    got = page_figures((output / "stats" / str(year) / "index.html").read_text("utf-8"))
    want = expected_figures(output, content, year)
    months = Counter({f"{m}月": n for m, n in want["months"].items()})
    kinds = +want["kinds"]
    for key in ("活动", "场次", "已取消", "参与队伍", "登记参加人数"):
        assert got[key] == want[key], key
    assert got["months"] == months
    assert got["streets"] == want["streets"]
    assert got["kinds"] == kinds
    assert got["categories"] == want["categories"]
    assert got["audiences"] == want["audiences"]


@pytest.mark.parametrize("year", [2026, 2027])
def test_sample_figures_equal_an_independent_count(sample_output: Path, year: int) -> None:
    compare(sample_output, ROOT / "content", year)


def test_generated_corpus_figures_equal_an_independent_count(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "bench.corpus", str(tmp_path / "corpus"), "--events", "400",
                    "--seed", "9"], cwd=ROOT, check=True, env=plugin_env(), capture_output=True)
    output = tmp_path / "out"
    result = run_build(tmp_path / "corpus" / "content", output)
    assert result.returncode == 0, result.stderr
    for year in (2026, 2027):
        compare(output, tmp_path / "corpus" / "content", year)


def test_street_page_shows_its_own_figures(sample_output: Path) -> None:
    html = (sample_output / "streets" / "hujiayuan" / "index.html").read_text("utf-8")
    block = re.search(r'<section class="street-figures".*?</section>', html, re.DOTALL)[0]
    want = expected_figures(sample_output, ROOT / "content", 2026)
    street_events = want["streets"]["胡家园街道"]
    assert f"<dt>活动</dt><dd>{street_events} 项</dd>" in block


def test_charts_are_svg_with_a_table_alternative(sample_output: Path) -> None:
    html = (sample_output / "stats" / "2026" / "index.html").read_text("utf-8")
    figures = re.findall(r'<figure class="chart-figure".*?</figure>', html, re.DOTALL)
    assert len(figures) == 7  # months, programmes, campaigns, kinds, streets, categories, audiences
    for figure in figures:
        assert re.search(r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', figure)
        assert "<table" in figure and "<caption>" in figure
    assert "<script" not in "".join(figures)


def test_events_json_validates_against_its_published_schema(sample_output: Path) -> None:
    document = json.loads((sample_output / "data" / "events.json").read_text("utf-8"))
    schema = json.loads((sample_output / "data" / "events.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["version"] == "1.8" and document["count"] == len(document["events"]) >= 80
    assert document["$schema"] == schema["$id"]
    by_id = {e["id"]: e for e in document["events"]}
    assert by_id.keys() == event_fronts(ROOT / "content").keys()
    for slug, front in event_fronts(ROOT / "content").items():
        assert by_id[slug]["title"] == front["title"].strip()  # Chinese text round-trips
    street = json.loads((sample_output / "data" / "streets" / "hujiayuan.json").read_text("utf-8"))
    jsonschema.validate(street, schema, cls=jsonschema.Draft202012Validator)
    assert {e["street"]["id"] for e in street["events"]} == {"hujiayuan"}


def test_csv_opens_in_excel_style_with_one_row_per_session(sample_output: Path) -> None:
    data = (sample_output / "data" / "events.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0])[:6] == ["活动编号", "日期", "开始时间", "结束时间", "全天", "活动名称"]
    per_event = Counter(row["活动编号"] for row in rows)
    for slug, front in event_fronts(ROOT / "content").items():
        assert per_event[slug] == len(sessions(sample_output, slug)), slug
        titles = {row["活动名称"] for row in rows if row["活动编号"] == slug}
        assert titles == {front["title"].strip()}
    assert [row["日期"] for row in rows] == sorted(row["日期"] for row in rows)


def test_embeds_are_light_valid_and_script_free(sample_output: Path) -> None:
    pages = sorted((sample_output / "embed").rglob("index.html"))
    # streets, categories, teams, audiences; programmes, campaigns, venues, communities, consenting people
    assert len(pages) == 26 + 10 + 14 + 7 + 12 + 3 + 25 + 28 + 5
    for page in pages:
        html = page.read_text("utf-8")
        assert "<script" not in html and "cookie" not in html.lower()
        loaded = re.findall(r'<(?:link[^>]*href|img[^>]*src|iframe[^>]*src)="([^"]+)"', html)
        assert all(url.startswith("/") or url.startswith("http://127.0.0.1:8000/") for url in loaded), loaded
        assert '<base target="_blank">' in html
    xinbei = (sample_output / "embed" / "streets" / "xinbei" / "index.html").read_text("utf-8")
    assert xinbei.count("<li ") <= 10 and "新北街道 · 近期科普活动" in xinbei
    street = (sample_output / "streets" / "xinbei" / "index.html").read_text("utf-8")
    assert "&lt;iframe src=&#34;http://127.0.0.1:8000/embed/streets/xinbei/&#34;" in street or \
        '&lt;iframe src="http://127.0.0.1:8000/embed/streets/xinbei/"' in street
    category = (sample_output / "categories" / "yanxue" / "index.html").read_text("utf-8")
    assert "/embed/categories/yanxue/" in category
    # A parent reading the list on the school's or the community's own site sees what it costs,
    # as the site's cards say it (免费, 材料费 10 元).
    lines = {re.sub(r"<[^>]+>", "", item).split("\n")[0].split(" ")[0]: re.sub(r"<[^>]+>", "", item)
             for item in re.findall(r"<li .*?</li>", (sample_output / "embed" / "streets" / "hujiayuan" /
                                                       "index.html").read_text("utf-8"), re.S)}
    assert lines["周末科学同学会特别场：冰与雪的晶体"].rstrip().endswith(" · 材料费 10 元"), lines
    assert all(line.rstrip().endswith((" · 免费", " 元", " · 收费")) for line in lines.values()), lines
    if vnu_available():
        assert vnu_errors(sample_output / "embed") == []
    else:
        require(False, "npm vnu-jar and Java")


def _entries(path: Path) -> list:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed.entries


def test_change_feed_lists_cancelled_and_rescheduled_sample_events(sample_output: Path) -> None:
    entries = _entries(sample_output / "feeds" / "changes.atom")
    updated = [e.updated for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    cancelled = next(e for e in entries if e.link.endswith("/events/chadian-putao-dongjian-jishu/")
                     and e.title.startswith("【已取消】"))
    assert cancelled.updated == "2026-11-10T07:00:00Z"  # its updated: 2026-11-10 15:00 Beijing time
    postponed = next(e for e in entries if e.link.endswith("/events/xinhe-lajifenlei-chuyu-duifei/")
                     and e.title.startswith("【已改期】"))
    assert postponed.updated == "2026-11-26T02:00:00Z"
    assert "原定：2026年11月28日（周六）14:00" in postponed.summary
    html = (sample_output / "subscribe" / "index.html").read_text("utf-8")
    assert 'href="/feeds/changes.atom"' in html


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**plugin_env(), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.cn"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_change_feed_follows_the_repository_history(mini_site: Path, tmp_path: Path) -> None:
    _git(mini_site, "init", "-q")
    _git(mini_site, "add", "-A")
    _git(mini_site, "commit", "-qm", "add", when="2026-10-01T10:00:00+08:00")
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace("2026-12-05 09:00", "2026-12-06 09:00"), "utf-8")
    _git(mini_site, "commit", "-qam", "move a day", when="2026-10-05T09:30:00+08:00")
    event.write_text(event.read_text("utf-8").replace("name: 新北街道党群服务中心", "name: 新北街道文化站"), "utf-8")
    _git(mini_site, "commit", "-qam", "another place", when="2026-10-06T09:30:00+08:00")
    event.write_text(event.read_text("utf-8").replace("name: 新北街道文化站", "name: 新北第一小学"), "utf-8")
    _git(mini_site, "commit", "-qam", "and another", when="2026-10-07T09:30:00+08:00")
    event.write_text(event.read_text("utf-8").replace("featured: true", "status: cancelled"), "utf-8")
    _git(mini_site, "commit", "-qam", "cancel", when="2026-10-08T18:00:00+08:00")
    output = tmp_path / "out"
    assert run_build(mini_site / "content", output).returncode == 0
    entries = [e for e in _entries(output / "feeds" / "changes.atom") if e.link.endswith("/events/liudong-kejiguan/")]
    assert [(e.title, e.updated) for e in entries] == [("【已取消】流动科技馆进社区", "2026-10-08T10:00:00Z"),
                                                       ("【地点变更】流动科技馆进社区", "2026-10-07T01:30:00Z"),
                                                       ("【地点变更】流动科技馆进社区", "2026-10-06T01:30:00Z"),
                                                       ("【时间变更】流动科技馆进社区", "2026-10-05T01:30:00Z"),
                                                       ("【新活动】流动科技馆进社区", "2026-10-01T02:00:00Z")]
    # Where each commit moved it to, not only that it moved; the time each commit gave it.
    assert "地点：新北第一小学" in entries[1].summary and "地点：新北街道文化站" in entries[2].summary
    assert "时间：2026年12月6日（周日）09:00–16:00" in entries[3].summary
    assert "时间：2026年12月5日（周六）09:00–16:00" in entries[4].summary  # as first published
    first = (output / "feeds" / "changes.atom").read_bytes()
    assert run_build(mini_site / "content", tmp_path / "again").returncode == 0
    assert (tmp_path / "again" / "feeds" / "changes.atom").read_bytes() == first  # deterministic
