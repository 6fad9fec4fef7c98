"""The links a resident taps to subscribe to a feed or add one event to Google Calendar."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from test_site_index import index_for

from kepu.formats.ics import FeedSettings
from kepu.formats.iri import quote_iri
from kepu.formats.subscribe import GOOGLE_DETAILS_LIMIT, google_event_link, shorten, webcal

SETTINGS = FeedSettings("https://kepu.example.cn", "kepu.example.cn")


def _google(slug: str, site: Path | None = None) -> dict[str, str]:
    index = index_for(date(2026, 12, 1), site) if site else index_for(date(2026, 12, 1))
    link = google_event_link(index.by_slug[slug], SETTINGS)
    if not link:
        return {}
    assert link.startswith("https://calendar.google.com/calendar/render?")
    return {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}


def test_a_timed_event_is_added_at_its_instant_in_utc_with_its_place_and_page() -> None:
    params = _google("liudong-kejiguan")
    assert params["action"] == "TEMPLATE" and params["text"] == "流动科技馆进社区"
    assert params["dates"] == "20261205T010000Z/20261205T080000Z"  # 09:00–16:00 in Beijing
    assert params["ctz"] == "Asia/Shanghai" and params["location"] == "新北街道党群服务中心"
    assert params["details"].endswith("\n详情：https://kepu.example.cn/events/liudong-kejiguan/")


def test_an_online_event_gives_its_address_as_the_place() -> None:
    assert _google("kexue-huiketing-xianshang")["location"] == "https://live.example.cn/huiketing"


def test_an_all_day_event_ends_the_day_after_its_last_day(mini_site: Path) -> None:
    path = mini_site / "content" / "events" / "taida" / "2026" / "kejizhou.md"  # 14–16 December
    path.write_text(path.read_text("utf-8").replace("status: cancelled\nstatus_note: 因场馆维修取消\n", ""), "utf-8")
    assert _google("kejizhou", mini_site)["dates"] == "20261214/20261217"


def test_no_add_link_where_a_copy_would_be_wrong() -> None:
    """A series (Google would restart its rule and drop the exceptions), a cancelled event."""
    assert _google("zhoumo-tongxuehui") == {} and _google("kejizhou") == {}


def test_a_long_description_is_cut_at_a_line_and_keeps_the_page_link(mini_site: Path) -> None:
    path = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    text = path.read_text("utf-8").replace("summary: 二十件互动展品来到家门口。", "summary: " + "互动展品" * 70)
    path.write_text(text.replace("address: 天津市滨海新区新北街道", "address: " + "新北街道" * 70), "utf-8")
    details = _google("liudong-kejiguan", mini_site)["details"]
    assert len(details) <= GOOGLE_DETAILS_LIMIT + 60
    assert details.endswith("…\n详情：https://kepu.example.cn/events/liudong-kejiguan/")


def test_shorten_cuts_at_a_line_and_webcal_replaces_the_scheme() -> None:
    text = "第一行说明文字\n第二行说明文字\n第三行"
    assert shorten(text, 100) == text
    assert shorten(text, 12) == "第一行说明文字…"
    assert shorten("一二三四五六七八九十", 5) == "一二三四…"
    assert webcal("https://kepu.example.cn/feeds/all.ics") == "webcal://kepu.example.cn/feeds/all.ics"
    assert webcal("http://127.0.0.1:8000/feeds/all.ics") == "webcal://127.0.0.1:8000/feeds/all.ics"


@pytest.mark.parametrize("text", [
    "胡家园街道文化站二楼", "详情：https://kepu.example.cn/events/a b/?x=1&y=2#z", "“种”一棵树 100%",
    "科学\u3000会客厅", "名称\u202e反向", "第一行\u2028第二行\n第三行", "\u00a0前后\u200b", "a/b", "",
])
def test_an_iri_escapes_what_quote_escapes_except_printable_non_ascii(text: str) -> None:
    """Only printable non-ASCII characters are left as they are: every space (ideographic,
    no-break, line separator), invisible or direction character is escaped as before."""
    written = quote_iri(text, safe="")
    assert unquote(written) == text
    assert re.sub(r"[^\x00-\x7f]", lambda m: quote(m.group(), safe=""), written) == quote(text, safe="")
    kept = {c for c in written if c > "\x7f"}
    assert kept == {c for c in text if c > "\x7f" and c.isprintable()}
    assert not kept & {"\u3000", "\u202e", "\u2028", "\u00a0", "\u200b"}
    assert quote_iri("a/b") == quote("a/b")  # quote's default: a slash stays
