"""What search engines and map apps read from an event page (schema.org Event as JSON-LD)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from test_site_index import index_for

from kepu.content.district import District
from kepu.formats.structured import event_jsonld, script_json

BUILD = date(2026, 12, 1)
BINHAI = District("滨海新区", "天津市", "天津")


def _data(slug: str, build_date: date = BUILD, site: Path | None = None) -> dict:
    index = index_for(build_date, site) if site else index_for(build_date)
    return event_jsonld(index.by_slug[slug], "https://kepu.example.cn/events/x/",
                        "https://kepu.example.cn/x.png", "https://kepu.example.cn/teams/t/", BINHAI)


def _event(site: Path, name: str, front: str) -> None:
    (site / "content" / "events" / "xinbei" / "2026" / f"{name}.md").write_text(
        f"---\n{front}street: xinbei\nteam: xinbei-liudong\ncategories: [kexue-shiyan]\n"
        "audiences: [qinzi]\n---\n正文。\n", "utf-8")


def test_a_timed_event_says_when_in_beijing_time_where_and_that_it_is_free() -> None:
    data = _data("liudong-kejiguan")
    assert (data["@type"], data["name"]) == ("Event", "流动科技馆进社区")
    assert (data["startDate"], data["endDate"]) == ("2026-12-05T09:00:00+08:00", "2026-12-05T16:00:00+08:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    place = data["location"]
    assert place["name"] == "新北街道党群服务中心"
    assert place["address"] == {"@type": "PostalAddress", "streetAddress": "天津市滨海新区新北街道",
                                "addressLocality": "滨海新区", "addressRegion": "天津市", "addressCountry": "CN"}
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 39.0513, "longitude": 117.647}
    assert data["isAccessibleForFree"] is True
    assert (data["offers"]["price"], data["offers"]["priceCurrency"]) == (0, "CNY")
    assert data["audience"]["audienceType"] == "亲子家庭、社区居民"


def test_a_cancelled_all_day_event_is_cancelled_with_dates_only() -> None:
    data = _data("kejizhou")
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert (data["startDate"], data["endDate"]) == ("2026-12-14", "2026-12-16")


def test_an_online_talk_has_a_virtual_location_only() -> None:
    data = _data("kexue-huiketing-xianshang")
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://live.example.cn/huiketing"}


def test_a_series_shows_its_next_session_after_the_build_date() -> None:
    assert _data("zhoumo-tongxuehui")["startDate"] == "2026-12-05T14:00:00+08:00"
    assert _data("zhoumo-tongxuehui", date(2026, 12, 20))["startDate"] == "2027-01-02T14:00:00+08:00"  # 26th: EXDATE


def test_a_postponed_event_with_its_new_date_is_rescheduled_and_names_the_old_one(mini_site: Path) -> None:
    _event(mini_site, "gaiqi", "title: 改期的讲座\nstart: 2026-12-12 14:00\nend: \"16:00\"\nprevious_start: 2026-12-05 14:00\n"
                              "status: postponed\nstatus_note: 因大风改期一周\nvenue:\n  name: 活动室\n")
    _event(mini_site, "yanqi", "title: 延期的讲座\nstart: 2026-12-06 14:00\nend: \"16:00\"\nstatus: postponed\n"
                              "status_note: 新时间待定\nvenue:\n  name: 活动室\n")
    data = _data("gaiqi", site=mini_site)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert (data["startDate"], data["previousStartDate"]) == ("2026-12-12T14:00:00+08:00", "2026-12-05T14:00:00+08:00")
    waiting = _data("yanqi", site=mini_site)
    assert waiting["eventStatus"] == "https://schema.org/EventPostponed" and "previousStartDate" not in waiting


def test_an_event_both_at_a_venue_and_online_is_mixed_with_both_locations(mini_site: Path) -> None:
    _event(mini_site, "shuangxian", "title: 线上线下同步\nstart: 2026-12-10 19:00\nend: \"20:00\"\n"
                                    "online: https://live.example.cn/a\nvenue:\n  name: 活动室\n")
    data = _data("shuangxian", site=mini_site)
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]


def test_script_json_cannot_close_the_script_and_reads_back_unchanged() -> None:
    title = "</script><script>alert(1)</script><!-- \u2028 & >"
    text = script_json({"name": title})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": title}
