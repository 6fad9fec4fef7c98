"""Lists of past events: one line per event (title, when, where), the rest on the event's page.

A past event's card (summary, tags) was repeated on every list it is in — about four per event —
which made these lists the second-largest part of the site at 16,000 events (bench/RESULTS.md)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

# A row's link holds the title, then the event's status badge if it has one (已取消…: in the link,
# so that a screen reader's list of links says it).
ROW = re.compile(r'<li><a href="/events/([a-z0-9-]+)/">([^<]+?)\s*(?:<span [^>]*>[^<]*</span>)?</a>'
                 r'.*?<time datetime="([^"]+)">[^<]+</time>.*?</li>',
                 re.DOTALL)


def _rows(page: Path) -> list[tuple[str, str, str]]:
    text = page.read_text("utf-8")
    listing = re.search(r'<ol class="past-list">(.*?)</ol>', text, re.DOTALL)
    assert listing, page
    return ROW.findall(listing[1])


def _lead(output: Path, slug: str) -> str:
    found = re.search(r'<p class="lead">([^<]+)</p>', (output / "events" / slug / "index.html").read_text("utf-8"))
    return found[1] if found else ""


def test_a_street_s_past_events_are_one_line_each_with_a_link_and_the_date(sample_output: Path) -> None:
    page = sample_output / "streets" / "taida" / "past" / "index.html"
    rows = _rows(page)
    assert len(rows) >= 3
    text = page.read_text("utf-8")
    for slug, title, start in rows:
        event_page = (sample_output / "events" / slug / "index.html").read_text("utf-8")
        assert f"<h1>{title}</h1>" in event_page and f'datetime="{start}"' in event_page
        lead = _lead(sample_output, slug)
        assert lead and html.unescape(lead) not in html.unescape(text)  # the summary is on the event's page only


def test_the_district_s_past_list_holds_every_past_event_once(sample_output: Path) -> None:
    first = sample_output / "events" / "past" / "index.html"
    count = int(re.search(r"共 (\d+) 项已结束的活动", first.read_text("utf-8"))[1])
    pages = [first, *sorted((sample_output / "events" / "past" / "page").glob("*/index.html"))]
    slugs = [slug for page in pages for slug, _, _ in _rows(page)]
    assert len(slugs) == len(set(slugs)) == count > 20
    assert len(_rows(first)) == min(count, 100)
