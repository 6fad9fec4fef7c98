"""One Atom feed of upcoming events (kepu.formats.atom), read back with feedparser as a feed reader would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import feedparser
from test_site_index import index_for

from kepu.formats.atom import AtomFeed, AtomSettings, Revision, feed_bytes

ZONE = ZoneInfo("Asia/Shanghai")
SETTINGS = AtomSettings("https://kepu.example.cn", "kepu.example.cn", "滨海新区科协", "categories/")
REVISIONS = {slug: Revision(datetime(2026, 11, day, 8, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC))
             for day, slug in enumerate(["liudong-kejiguan", "zhoumo-tongxuehui", "kejizhou", "kepu-ri",
                                         "kexue-huiketing-xianshang"], start=1)}


def _feed(max_entries: int = 100):
    index = index_for(date(2026, 12, 1))
    feed = AtomFeed("feeds/all.atom", "all", "全区科普活动", "滨海新区的科普活动。", "events/", "feeds/all.ics",
                    tuple(index.entries))
    settings = AtomSettings(SETTINGS.site_url, SETTINGS.uid_domain, SETTINGS.author, SETTINGS.category_scheme,
                            max_entries)
    data = feed_bytes(feed, settings, REVISIONS, ZONE)
    return data, feedparser.parse(data)


def test_upcoming_events_soonest_first_each_at_its_next_session() -> None:
    data, parsed = _feed()
    assert not parsed.bozo and parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["流动科技馆进社区", "周末科学同学会", "【已取消】科技活动周"]
    assert parsed.feed.subtitle == "滨海新区的科普活动。共 3 项即将举办的活动。"
    series = parsed.entries[1]
    assert "下一场：2026年12月5日（周六）14:00–16:00" in series.summary
    assert series.id == "tag:kepu.example.cn,2026:event:zhoumo-tongxuehui"
    assert series.link == "https://kepu.example.cn/events/zhoumo-tongxuehui/"
    assert data == _feed()[0]  # no clock: the same events give the same bytes


def test_the_feed_is_dated_by_its_newest_entry_and_a_long_feed_says_what_it_leaves_out() -> None:
    _, parsed = _feed(max_entries=2)
    assert len(parsed.entries) == 2
    assert parsed.feed.subtitle == "滨海新区的科普活动。即将举办的活动共 3 项，这里列出最近的 2 项。"
    assert parsed.feed.updated == "2026-11-02T08:00:00Z"  # the newer of the two shown
    assert parsed.entries[0].published == "2026-10-01T00:00:00Z"


def test_an_entry_written_once_for_several_feeds_reads_as_in_each_feed_alone() -> None:
    """The build writes each event's entry once for every feed it is in: a street's feed made
    after the district's has the bytes it has when made alone, and the nesting of a feed
    written in one piece (ElementTree's own indenting of the whole document)."""
    from xml.etree import ElementTree as ET

    index = index_for(date(2026, 12, 1))
    district = AtomFeed("feeds/all.atom", "all", "全区科普活动", "全区。", "events/", "feeds/all.ics",
                        tuple(index.entries))
    street = AtomFeed("feeds/xinbei.atom", "streets/xinbei", "新北街道", "新北。", "streets/xinbei/",
                      "feeds/xinbei.ics", tuple(e for e in index.entries if e.street.id == "xinbei"))
    written: dict[str, bytes] = {}
    feed_bytes(district, SETTINGS, REVISIONS, ZONE, written)
    shared = feed_bytes(street, SETTINGS, REVISIONS, ZONE, written)
    assert len(written) == 3 and shared == feed_bytes(street, SETTINGS, REVISIONS, ZONE)
    whole = ET.fromstring(shared)
    ET.indent(whole)
    ET.register_namespace("", "http://www.w3.org/2005/Atom")
    assert shared == b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(whole, encoding="utf-8") + b"\n"
    assert len(feedparser.parse(shared).entries) == 2
