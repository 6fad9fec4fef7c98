"""The next session of a series has moved: everything that shows that session shows its new time
*and its new place*, and says it moved. (Found by a time-travel audit: for a month before a moved
科学会客厅 session, cards, the event page and search gave the new time with the usual venue.)

The test site's weekly series meets on Saturdays at 新北街道科普活动室; its 19 Dec session moves to
Sunday 20 Dec 09:30 at 新北街道党群服务中心. Built on 14 Dec, that moved session is the next one."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from icalendar import Calendar
from test_session_changes import with_sessions
from test_site_index import index_for

from conftest import TEST_SITE, run_build, serve_directory
from kepu.content.sessions import session_label
from kepu.formats.finder import rows
from kepu.formats.searchdocs import event_doc
from kepu.formats.structured import event_jsonld

pytestmark = pytest.mark.build
NEW_TIME = "2026年12月20日（周日）09:30–11:30"
NEW_PLACE = "新北街道党群服务中心"
NEW_ADDRESS = "天津市滨海新区新北街道"
USUAL_PLACE = "新北街道科普活动室"
TITLE = "周末科学同学会"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("moved")
    shutil.copytree(TEST_SITE, root / "site")
    with_sessions(root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def built(site: Path) -> Path:
    output = site.parent / "out"
    result = run_build(site / "content", output, build_date="2026-12-14")
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def cards(output: Path) -> dict[str, str]:
    """The text of the series' card on every page that has one (lists, facets, embeds)."""
    found = {}
    for page in sorted(output.rglob("*.html")):
        markup = page.read_text("utf-8")
        for block in re.findall(r"<(?:article class=\"card|li)\b(?:(?!</?(?:article|li)\b).)*?</(?:article|li)>",
                                markup, re.S):
            if TITLE in block and NEW_TIME in text(block):
                found[page.relative_to(output).as_posix()] = text(block)
    return found


def test_every_card_gives_the_moved_sessions_place_and_says_it_moved(built: Path) -> None:
    found = cards(built)
    # The lists' cards (events, street, team, type, audience) and the embeddable lists.
    assert {"events/index.html", "streets/xinbei/index.html", "embed/streets/xinbei/index.html"} <= set(found)
    for page, card in found.items():
        assert NEW_PLACE in card and USUAL_PLACE not in card and "已改期" in card, (page, card)


def test_the_event_page_says_where_and_when_the_next_session_is(built: Path) -> None:
    markup = (built / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    facts = markup[markup.index('<dl class="facts">'):markup.index("</dl>")]
    when = text(facts[facts.index("<dt>时间</dt>"):facts.index("<dt>地点</dt>")])
    where = facts[facts.index("<dt>地点</dt>"):facts.index("<dt>街镇</dt>")]
    assert NEW_TIME in when and "已改期" in when and "原定2026年12月19日（周六）14:00" in when, when
    assert text(where).startswith(f"地点 {NEW_PLACE}"), text(where)
    assert NEW_ADDRESS in text(where)
    assert f"其他场次：{USUAL_PLACE}" in text(where), text(where)  # the series' own place is not lost
    maps = [unquote(html.unescape(u)) for u in re.findall(r'class="button secondary[^"]*" href="([^"]+)"', where)]
    # The map apps look up the new place (by its address), not the usual one.
    assert maps and all(NEW_ADDRESS in u and USUAL_PLACE not in u for u in maps), maps
    description = re.search(r'<meta name="description" content="([^"]*)"', markup).group(1)
    assert NEW_PLACE in description and USUAL_PLACE not in description, description


def test_structured_data_and_search_give_the_moved_session(site: Path) -> None:
    entry = index_for(date(2026, 12, 14), site).by_slug["zhoumo-tongxuehui"]
    data = event_jsonld(entry, "https://x/e/", "https://x/i.png", "https://x/t/")
    assert data["startDate"] == "2026-12-20T09:30:00+08:00"
    assert data["location"]["name"] == NEW_PLACE
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2026-12-19T14:00:00+08:00"
    doc = event_doc(entry)
    assert (doc.when, doc.status_label, doc.place) == (NEW_TIME, "已改期", f"{NEW_PLACE} · 新北街道")
    assert NEW_PLACE in doc.names and NEW_ADDRESS in doc.text  # found by the place it moved to


def test_the_filter_index_gives_the_moved_sessions_place(built: Path) -> None:
    data = json.loads((built / "events" / "filter.json").read_text("utf-8"))
    row = next(r for r in rows(data) if r["url"].endswith("/zhoumo-tongxuehui/"))
    first = row["sessions"][0]
    assert (first["when"], first["place"], first["label"]) == (NEW_TIME, NEW_PLACE, "已改期")
    assert all(s["place"] == USUAL_PLACE and s["label"] == "" for s in row["sessions"][1:])


def test_a_session_that_only_changes_place_is_not_called_rescheduled(mini_site: Path) -> None:
    with_sessions(mini_site, "  sessions:\n    - date: 2026-12-19\n      venue:\n        name: 新北街道图书馆\n")
    entry = index_for(date(2026, 12, 14), mini_site).by_slug["zhoumo-tongxuehui"]
    assert entry.shown.start.date() == date(2026, 12, 19)
    assert session_label(entry.shown) == "已换地点"
    assert event_jsonld(entry, "u", "i", "t")["eventStatus"] == "https://schema.org/EventScheduled"


@pytest.mark.parametrize("moment, when, place, moved", [
    ("2026-12-14T10:00:00+08:00", NEW_TIME, NEW_PLACE, True),
    # A week on, before the next build: the filters find the next session, at the usual place.
    ("2026-12-21T10:00:00+08:00", "2027年1月2日（周六）14:00–16:00", USUAL_PLACE, False),
], ids=["before-the-move", "after-it"])
def test_filtered_cards_give_the_found_sessions_time_and_place(built: Path, browser, moment, when, place,
                                                               moved) -> None:
    server, base = serve_directory(built)
    try:
        page = browser.new_page()
        page.clock.set_fixed_time(datetime.fromisoformat(moment))
        page.goto(f"{base}/events/?street=xinbei")
        # The list as built comes first; the filters' cards replace it once the index has come.
        page.wait_for_function("document.querySelector('.filter-status').textContent !== ''")
        card = page.locator("#results article.card", has_text=TITLE)
        card.wait_for()
        shown = card.locator(".when").inner_text(), card.locator(".where").inner_text()
        page.close()
    finally:
        server.shutdown()
    assert shown[0].startswith(when) and ("已改期" in shown[0]) == moved, shown
    assert shown[1].startswith(place), shown


def test_feeds_give_the_moved_sessions_place(built: Path) -> None:
    # Atom: the entry names the next session, so its place and 已改期 are that session's.
    atom = ElementTree.parse(built / "feeds" / "all.atom").getroot()
    entry = next(e for e in atom.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title", "").endswith(TITLE))
    summary, content = entry.findtext(f"{ATOM}summary"), html.unescape(entry.findtext(f"{ATOM}content"))
    assert NEW_TIME in summary and "已改期" in summary and NEW_PLACE in summary, summary
    assert USUAL_PLACE not in summary and USUAL_PLACE not in content, content
    # The calendar's override of that session: its description agrees with its LOCATION.
    calendar = Calendar.from_ical((built / "feeds" / "all.ics").read_bytes())
    ours = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("zhoumo-tongxuehui@")]
    moved = next(e for e in ours if "RECURRENCE-ID" in e and e.decoded("RECURRENCE-ID").day == 19)
    master = next(e for e in ours if "RECURRENCE-ID" not in e)
    assert NEW_PLACE in str(moved["DESCRIPTION"]) and USUAL_PLACE not in str(moved["DESCRIPTION"])
    assert f"地点：{USUAL_PLACE}" in str(master["DESCRIPTION"])


def test_the_printed_notice_says_where_later_sessions_are(built: Path) -> None:
    # The week after the move has no session (26 Dec is off): the sheet lists what comes later.
    sheet = (built / "streets" / "xinbei" / "notice" / "next" / "index.html").read_text("utf-8")
    later = text(sheet[sheet.index('class="sheet-later"'):sheet.index("</ul>", sheet.index('class="sheet-later"'))])
    assert f"1月2日（周六）14:00–16:00 {TITLE}，{USUAL_PLACE}" in later, later
