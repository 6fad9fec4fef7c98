"""Atom feeds of upcoming events as feed readers see them: feedparser reads every file cleanly,
RFC 4287's requirements hold (checked with an XML parser), the entries are the events the
matching calendar feed lists as coming, the bytes follow the events and not the build date, and
pages announce the feeds. The subscribe pages state how often each calendar client refreshes."""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import feedparser
import pytest
import recurring_ical_events
from icalendar import Calendar

from conftest import SAMPLE_BUILD_DATE, plugin_env, run_build
from kepu.editor.linkcheck import check_site

pytestmark = pytest.mark.build
A = "{http://www.w3.org/2005/Atom}"
SITE = "http://127.0.0.1:8000"
ZONE = ZoneInfo("Asia/Shanghai")
BUILD_INSTANT = datetime.fromisoformat(SAMPLE_BUILD_DATE).replace(tzinfo=ZONE)
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def atom_files(output: Path) -> list[Path]:
    """The upcoming-events feeds (the change feed is tests/test_reports.py's)."""
    return sorted(p for p in (output / "feeds").rglob("*.atom") if p.name != "changes.atom")


def _one(parent: ET.Element, name: str) -> ET.Element:
    found = parent.findall(f"{A}{name}")
    assert len(found) == 1, (name, len(found))
    return found[0]


def test_every_calendar_feed_has_an_atom_feed(sample_output: Path) -> None:
    calendars = {p.with_suffix("").relative_to(sample_output) for p in (sample_output / "feeds").rglob("*.ics")}
    atoms = {p.with_suffix("").relative_to(sample_output) for p in atom_files(sample_output)}
    assert atoms == calendars
    assert len(atoms) > 40


def test_feedparser_reads_every_atom_feed_without_complaint(sample_output: Path) -> None:
    total = 0
    for path in atom_files(sample_output):
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path.name, feed.bozo_exception)
        assert feed.version == "atom10", path.name
        assert feed.feed.title and feed.feed.updated_parsed
        for entry in feed.entries:
            assert entry.title and entry.link.startswith(f"{SITE}/events/") and entry.updated_parsed
            assert entry.summary and entry.content[0].type == "text/html"
        total += len(feed.entries)
    assert total > 200


def test_atom_feeds_meet_rfc_4287(sample_output: Path) -> None:
    paths = atom_files(sample_output)
    assert len(paths) > 40
    for path in paths:
        root = ET.parse(path).getroot()
        name = path.relative_to(sample_output).as_posix()
        assert root.tag == f"{A}feed", name
        for required in ("id", "title", "updated"):
            assert _one(root, required).text, (name, required)
        assert RFC3339.fullmatch(_one(root, "updated").text), name
        assert _one(_one(root, "author"), "name").text  # a feed author: entries need none of their own
        self_links = [link.get("href") for link in root.findall(f"{A}link") if link.get("rel") == "self"]
        assert self_links == [f"{SITE}/{name}"]
        ids = set()
        for entry in root.findall(f"{A}entry"):
            for required in ("id", "title", "updated"):
                assert _one(entry, required).text, (name, required)
            assert RFC3339.fullmatch(_one(entry, "updated").text)
            published = entry.find(f"{A}published")
            if published is not None:
                assert published.text <= _one(entry, "updated").text
            alternates = [link for link in entry.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"]
            assert len(alternates) == 1 and alternates[0].get("type") == "text/html", name
            ids.add(_one(entry, "id").text)
            # an event, or a session of one held here (a venue's feed: one moved to it)
            assert _one(entry, "id").text.startswith(("tag:kepu.binhai.example.cn,2026:event:",
                                                     "tag:kepu.binhai.example.cn,2026:session:"))
        assert len(ids) == len(root.findall(f"{A}entry")), f"{name}: an id twice"
        # No relative reference anywhere: every link, scheme and link inside the HTML content is absolute.
        text = path.read_text("utf-8")
        for url in re.findall(r'(?:href|scheme)="([^"]*)"', text.replace("&quot;", '"')):
            assert url.startswith(f"{SITE}/"), (name, url)


def _ics_upcoming(path: Path) -> dict[str, tuple]:
    """What the calendar file lists as coming: its events with a session not over at the build,
    each with its title, revision stamp, categories, page and next session's start."""
    calendar = Calendar.from_ical(path.read_bytes())
    found = {}
    for occurrence in recurring_ical_events.of(calendar).between(BUILD_INSTANT, BUILD_INSTANT + timedelta(days=3000)):
        uid = str(occurrence["UID"]).split("@")[0]
        if "." in uid:
            continue  # a session's own VEVENT (slug.planned time): see _atom_entries
        start = occurrence.decoded("DTSTART")
        if uid in found and _key(found[uid][-1]) <= _key(start):
            continue
        found[uid] = (str(occurrence["SUMMARY"]), occurrence.decoded("DTSTAMP"),
                      sorted(str(c) for c in occurrence["CATEGORIES"].cats), str(occurrence["URL"]), start)
    return found


def _key(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time(), ZONE)


def _atom_entries(path: Path) -> dict[str, tuple]:
    found = {}
    for entry in feedparser.parse(path.read_bytes()).entries:
        if ":session:" in entry.id:
            continue  # a session moved to a venue: compared in test_facts_agree's venue calendars
        slug = entry.id.rsplit(":", 1)[1]
        stamp = datetime(*entry.updated_parsed[:6], tzinfo=ZoneInfo("UTC"))
        found[slug] = (entry.title, stamp, sorted(t.label for t in entry.tags), entry.link, entry.content[0].value)
    return found


def test_atom_entries_are_the_events_the_calendar_feed_lists_as_coming(sample_output: Path) -> None:
    compared = series = 0
    for path in atom_files(sample_output):
        ours, theirs = _atom_entries(path), _ics_upcoming(path.with_suffix(".ics"))
        assert ours.keys() == theirs.keys(), path.name
        for slug, (title, stamp, categories, link, content) in ours.items():
            summary, dtstamp, ics_categories, url, start = theirs[slug]
            assert (title, stamp, categories, link) == (summary, dtstamp, ics_categories, url), (path.name, slug)
            # The session shown is the calendar's next one (a series: 下一场).
            day = _key(start).astimezone(ZONE)
            assert f"{day.month}月{day.day}日" in content, (slug, day)
            if isinstance(start, datetime):
                assert f"{day:%H:%M}" in content, (slug, day)
            series += "下一场：" in content
            compared += 1
    assert compared > 200 and series > 20


def test_the_link_checker_follows_every_atom_link(sample_output: Path, tmp_path: Path) -> None:
    """The sample's feeds pass `invoke linkcheck` (tests/test_linkcheck.py); and it does read them:
    with one event page gone, each feed listing that event is reported."""
    site = tmp_path / "site"
    shutil.copytree(sample_output, site, copy_function=os.link)
    slug = next(iter(_atom_entries(site / "feeds" / "all.atom")))
    shutil.rmtree(site / "events" / slug)
    report = check_site(site, [SITE])
    from_feeds = {p.page for p in report.problems if p.page.endswith(".atom") and f"/events/{slug}/" in p.url}
    expected = {p.relative_to(site).as_posix() for p in (site / "feeds").rglob("*.atom")
                if f"/events/{slug}/" in p.read_text("utf-8")}
    assert from_feeds == expected and {"feeds/all.atom", "feeds/changes.atom"} < expected


def test_a_cancelled_event_keeps_its_entry_marked(mini_output: Path) -> None:
    output = mini_output
    for path in ("feeds/all.atom", "feeds/streets/taida.atom", "feeds/categories/kepu-jiangzuo.atom"):
        entry = _atom_entries(output / path)["kejizhou"]
        assert entry[0] == "【已取消】科技活动周"
        assert "本活动已取消。因场馆维修取消" in entry[4]
    past = _atom_entries(output / "feeds" / "streets" / "taida.atom")
    assert "kepu-ri" not in past and "kexue-huiketing-xianshang" not in past  # over: not upcoming


def test_atom_bytes_change_only_when_events_enter_or_leave(mini_site: Path, tmp_path: Path) -> None:
    """Nothing happens between 1 and 2 December: every Atom file is the same (HTTP caches and ETags
    hold). On 6 December the 5 December events are over: their feeds change, the others do not."""
    builds = {}
    for day, seed in (("2026-12-01", "1"), ("2026-12-02", "7"), ("2026-12-06", "3")):
        output = tmp_path / day
        assert run_build(mini_site / "content", output, build_date=day,
                         env=plugin_env(PYTHONHASHSEED=seed)).returncode == 0
        builds[day] = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*.atom")}
    first, second, later = builds["2026-12-01"], builds["2026-12-02"], builds["2026-12-06"]
    assert first.keys() == second.keys() and len(first) > 5
    assert [name for name in first if first[name] != second[name]] == []
    changed = {name for name in first if first[name] != later[name]}
    assert {"feeds/all.atom", "feeds/streets/xinbei.atom"} <= changed
    assert "feeds/streets/taida.atom" not in changed  # its one coming event (12-14) did not move


def test_pages_announce_their_atom_feed(sample_output: Path) -> None:
    pages = {"index.html": "feeds/all.atom"}
    for kind in ("streets", "teams", "categories", "audiences"):
        for page in (sample_output / kind).glob("*/index.html"):
            pages[page.relative_to(sample_output).as_posix()] = f"feeds/{kind}/{page.parent.name}.atom"
    assert len(pages) > 40
    for page, feed in pages.items():
        head = (sample_output / page).read_text("utf-8").split("</head>")[0]
        announced = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head)
        # Its own feed first (readers take the first), site-relative: the page names no other host.
        assert announced[0] == f"/{feed}", page
        assert (sample_output / feed).is_file()


def test_subscribe_pages_offer_the_reader_feed(sample_output: Path) -> None:
    pages = sorted((sample_output / "subscribe").rglob("index.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text("utf-8")
        links = re.findall(r'<a href="/(feeds/[^"]+\.atom)" type="application/atom\+xml">用阅读器订阅（Atom）</a>', html)
        assert len(links) == 1, page
        if page.parent.name != "subscribe":
            ics = re.search(r'value="http://127\.0\.0\.1:8000/(feeds/[^"]+)\.ics"', html)[1]
            assert links[0] == f"{ics}.atom", page  # the same events as the page's calendar
    main = (sample_output / "subscribe" / "index.html").read_text("utf-8")
    listed = set(re.findall(r'href="/(feeds/[^"]+\.atom)" type="application/atom\+xml"[^>]*>阅读器（Atom）', main))
    assert listed == {p.relative_to(sample_output).as_posix() for p in atom_files(sample_output)}


# One sentence per client, each from that client's documentation or source (docs/subscribing.md).
REFRESH = {
    "iPhone": "可选“自动”“每15分钟”“每30分钟”“每小时”“手动”",
    "Mac": "默认常是“每周”",
    "Android makers": "小米、华为、荣耀、OPPO、vivo 都没有公开说明订阅的日历多久更新一次",
    "ICSx⁵": "默认每天一次",
    "ICSx⁵ choices": "可选手动同步、每15分钟、每小时、每2小时、每4小时、每天、每周",
    "Outlook on the web": "微软说明有时要超过 24 小时才能看到变化",
    "Outlook classic": "每次“发送/接收”时顺便更新，但不会比日历文件建议的间隔更勤（本站建议每 6 小时）",
    "Thunderbird": "默认每 30 分钟一次",
}


def test_every_subscribe_page_states_each_clients_refresh(sample_output: Path) -> None:
    pages = sorted((sample_output / "subscribe").rglob("index.html"))
    for page in pages:
        text = re.sub(r"<[^>]+>", "", page.read_text("utf-8"))
        missing = [client for client, sentence in REFRESH.items() if sentence not in text]
        assert missing == [], page.relative_to(sample_output)
        # Sessions over for FEED_PAST_DAYS leave a subscriber's calendar all at once: each page says so;
        # a campaign's calendar keeps its whole window, and its page says that instead.
        kept = ("最近 90 天内结束的活动", "结束超过 90 天的活动会从订阅的日历里移除",
                *(("的全部活动，结束以后也留在日历里", "这个日历只收录临近的活动") if "/campaigns/" in page.as_posix() else ()))
        assert any(sentence in text for sentence in kept), page
    assert len(pages) > 40


def test_subscribing_doc_cites_each_clients_documentation() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "subscribing.md").read_text("utf-8")
    for source in ("support.microsoft.com", "learn.microsoft.com", "support.apple.com",
                   "github.com/bitfireAT/icsx5", "releases-comm-central"):
        assert source in text, source
    assert "没有找到" in text  # where a maker publishes nothing, the doc says so
