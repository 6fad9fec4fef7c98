"""Search finds what residents type: the queries that found nothing or too little on the old
search, run in Chromium through the site's own search page. What each must find is read from
the content files themselves (their text and the registries), not from the index."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.build
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EVENTS = ROOT / "content" / "events"
DATA = ROOT / "content" / "data"


@cache  # the content files are read, never changed, by these tests: each is parsed once
def _front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8")
    _, head, body = text.split("---", 2)
    return yaml.safe_load(head), body


@cache
def _names(registry: str, consent_only: bool = False) -> dict[str, dict]:
    path = DATA / f"{registry}.yml"
    items = yaml.safe_load(path.read_text("utf-8")) if path.exists() else []
    return {i["id"]: i for i in items or [] if not consent_only or i.get("consent") is True}


def _texts(meta: dict, body: str) -> list[str]:
    """What a resident reads of an event: its title, summary, venue (and where a session moved to), programmes, campaigns,
    community, speakers, audiences, cost (免费 unless it says otherwise) and text (registry ids read as the names
    they stand for)."""
    sessions = (meta.get("recurrence") or {}).get("sessions") or []
    places = [_venue(meta.get("venue")), *(_venue(s.get("venue")) for s in sessions if s.get("status") != "cancelled")]
    community = str(meta.get("community", "") or "")
    community = _names("communities").get(community, {}).get("name", community)
    named = [_names(kind, consent_only=kind == "people").get(i, {}).get("name", "")
             for kind, key in (("programmes", "programmes"), ("campaigns", "campaigns"), ("people", "speakers"),
                               ("audiences", "audiences"))
             for i in meta.get(key, []) or []]
    return [meta["title"], str(meta.get("summary", "")), *(str(v.get(key, "")) for v in places for key in ("name", "address")),
            *map(str, meta.get("tags", []) or []), community, *named, str(meta.get("cost", "免费")), body]


def _venue(venue: dict | str | None) -> dict:
    """A place as written: its name and address, or a registered venue's id read as the venue."""
    if isinstance(venue, str):
        return _names("venues").get(venue, {"name": venue})
    return venue or {}


def pages_with(*words: str, names_only: bool = False) -> set[str]:
    """Slugs of the sample events whose title or programme (and, unless ``names_only``, any
    text a resident reads of it) contains one of ``words``."""
    found = set()
    for path in EVENTS.rglob("*.md"):
        meta, body = _front_matter(path)
        if meta.get("draft"):
            continue
        programmes = [_names("programmes").get(i, {}).get("name", "") for i in meta.get("programmes", []) or []]
        texts = [meta["title"], *programmes, *map(str, meta.get("tags", []) or [])] if names_only else _texts(meta, body)
        if any(word in text for word in words for text in texts):
            found.add(path.stem)
    return found


GROUPINGS = {"venues": False, "programmes": False, "campaigns": False, "streets": False, "communities": False,
             "teams": False, "people": True}  # whose own pages search finds by name (people: with consent)


def groupings_with(*words: str, names_only: bool = False) -> set[str]:
    """Ids of the venues, programmes, campaigns, streets, communities, teams and experts whose name or
    words hold one of ``words``: search finds their own pages (named so: first; else: last)."""
    return {ident for registry, consent in GROUPINGS.items() for ident, item in _names(registry, consent).items()
            if any(word in str(item.get(key, "")) for word in words
                   for key in (GROUPING_TEXTS[:1] if names_only else GROUPING_TEXTS))}


GROUPING_TEXTS = ("name", "description", "address", "hours", "field")  # what search reads of such a page


def news_with(*words: str) -> set[str]:
    found = set()
    for path in (ROOT / "content" / "articles").rglob("*.md"):
        meta, body = _front_matter(path)
        if not meta.get("draft") and any(w in meta["title"] or w in body for w in words):
            found.add(path.stem)
    return found


def shown_slugs(page, query: str) -> list[str]:
    """Every result, in order (“显示更多结果” pressed until all are shown)."""
    page.goto(f"{page.base}/search/?q={quote(query)}")
    page.wait_for_function("() => /找到|没有/.test(document.getElementById('search-status').textContent)")
    more = page.locator("#search-more")
    while more.is_visible():
        count = page.locator("#search-results > li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#search-results > li').length > {count}")
    hrefs = page.eval_on_selector_all("#search-results h2 a", "links => links.map(a => a.pathname)")
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


@pytest.fixture
def search(public_site, browser):
    _, base = public_site
    page = browser.new_page(viewport={"width": 390, "height": 900}, timezone_id="Asia/Shanghai")
    page.clock.set_fixed_time(NOW)
    page.base = base
    yield page
    page.close()


@pytest.mark.parametrize(("query", "words"), [
    ("智启梦工厂", ("智启梦工厂",)),  # found nothing: five titles contain it
    ("编程", ("编程",)),  # missed 智启梦工厂周日编程班
    ("世界卒中日", ("世界卒中日",)),  # missed the event of that name
    ("脑卒中", ("卒中", "中风")),  # found nothing: the synonyms registry says 卒中 and 中风 are the same
    ("卒中", ("卒中", "中风")),  # found 2 of 5
    ("中风", ("卒中", "中风")),
    ("亲子", ("亲子",)),  # found 3 of about 25: titles, text and the 亲子家庭 audience
    ("梦工厂", ("梦工厂",)),
    ("银龄", ("银龄", "银发", "长者", "老人", "老年")),  # found 3: titles say 银龄, residents 老人 (synonyms.yml)
    ("泰达图书馆", ("泰达图书馆",)),  # missed 科学会客厅, whose January session moves there
    ("材料费", ("材料费",)),  # missed the two workshops whose cost is 材料费 10 元 and whose text does not say it
    ("免费", ("免费",)),  # found the 17 whose text says 免费, not the free events that do not repeat it
])
def test_a_query_finds_every_event_that_contains_it(search, query: str, words: tuple[str, ...]) -> None:
    expected = pages_with(*words)
    assert expected, f"the sample no longer has {words}: choose another query"
    wanted = expected | news_with(*words) | groupings_with(*words)
    shown = shown_slugs(search, query)
    assert set(shown[:10]) <= wanted, (query, sorted(set(shown[:10]) - wanted))  # the first ten are right
    assert expected <= set(shown), (query, sorted(expected - set(shown)))  # and every event is found
    assert set(shown) <= wanted, (query, sorted(set(shown) - wanted))
    said = f"找到 {len(shown)} 条结果"  # after 显示更多结果 (ten at a time), how many of them are shown too
    assert search.locator("#search-status").inner_text() == (said if len(shown) <= 10 else f"{said}，已显示 {len(shown)} 条")


@pytest.mark.parametrize("query", ["kexuehuiketing", "kxhkt", "zhiqimenggongchang", "zqmgc"])
def test_pinyin_and_initials_find_a_programme_by_its_name(search, query: str) -> None:
    name = {"kexuehuiketing": "科学会客厅", "kxhkt": "科学会客厅",
            "zhiqimenggongchang": "智启梦工厂", "zqmgc": "智启梦工厂"}[query]
    expected = pages_with(name, names_only=True)  # by title or programme
    assert expected
    shown = shown_slugs(search, query)
    expected |= groupings_with(name, names_only=True)  # pinyin is made of names
    assert set(shown) == expected, (query, sorted(expected ^ set(shown)))
    assert shown[0] == next(i for i, p in _names("programmes").items() if p["name"] == name)  # its own page first


def test_a_mistyped_name_is_offered_the_names_close_to_it(search) -> None:
    search.goto(f"{search.base}/search/?q={quote('智启梦工场')}")
    close = search.locator("#search-close")
    close.get_by_text("您要找的是不是").wait_for()
    offered = close.locator("a").all_inner_texts()
    assert offered and all("智启梦工厂" in title for title in offered[:3]), offered
    assert "没有找到“智启梦工场”" in search.locator("#search-status").inner_text()


@pytest.mark.parametrize("query", ["智启梦工厂"])  # five programmes by that name, a weekly one among them
def test_events_to_come_are_listed_by_their_next_session(search, public_site, query: str) -> None:
    """A weekly class running until June was listed after one-off events of December and January:
    events to come were ordered by their last session. The first results (events found by name)
    now come by their next session, as the calendar files say it (recurring-ical-events over each
    event's own .ics is the oracle)."""
    from datetime import date

    from feedtools import event_occurrences

    output, _ = public_site

    def next_end(slug: str) -> datetime:
        ends = []
        for occurrence in event_occurrences(output, slug, date(2028, 1, 1)):
            if occurrence.get("STATUS") == "CANCELLED":
                continue
            end = occurrence["DTEND"].dt
            ends.append(end if isinstance(end, datetime) else datetime.combine(end, datetime.min.time(), NOW.tzinfo))
        return min(end for end in ends if end > NOW)

    first = shown_slugs(search, query)[:10]  # one batch: ordered among themselves
    over = {link.get_attribute("href").strip("/").split("/")[-1]
            for link in search.locator("#search-results > li.is-past h2 a").all()}
    coming = [slug for slug in first if slug not in over and slug in pages_with(query, names_only=True)]
    assert len(coming) >= 3, (query, first)
    order = [next_end(slug) for slug in coming]
    assert order == sorted(order), list(zip(coming, order, strict=True))


def test_each_result_says_where_its_session_is_held(search) -> None:
    """泰达图书馆 finds the events held there and 科学会客厅, whose January session moves there: each
    result says where it is held, as the lists' cards do, beside its street; not the street alone.
    On 1 December 科学会客厅's next session is at its usual place (the event file is the oracle)."""
    shown = shown_slugs(search, "泰达图书馆")
    assert shown
    lines = search.locator("#search-results > li p.when").all_inner_texts()
    places = groupings_with("泰达图书馆")  # the venue's own page, first: 活动场地 · its address
    assert places and set(shown[:len(places)]) == places
    for slug, line in zip(shown[len(places):], lines[len(places):], strict=True):
        path = next(EVENTS.rglob(f"{slug}.md"))
        meta, _ = _front_matter(path)
        own = _venue(meta.get("venue")).get("name") or "线上活动"
        assert f" · {own} · " in line, (slug, own, line)


def test_shoufei_finds_the_events_that_cost_something(search) -> None:
    """收费 found nothing: no event's text says it. It finds the events whose cost names a price
    (材料费 10 元), as their cards' cost tag says, and no free one."""
    priced = set()
    for path in EVENTS.rglob("*.md"):
        meta, _ = _front_matter(path)
        if not meta.get("draft") and re.search(r"[1-9][0-9]*\s*元", str(meta.get("cost", ""))):
            priced.add(path.stem)
    assert priced, "the sample has no event that costs something: choose another query"
    shown = shown_slugs(search, "收费")
    assert set(shown) == priced | pages_with("收费") | news_with("收费"), sorted(set(shown) ^ priced)
