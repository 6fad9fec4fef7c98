"""Calendar feeds as subscribers' clients read them: lint, two independent parsers, libical,
round-trips, stable UIDs, SEQUENCE from history, size limits, subscribe links and QR codes."""

from __future__ import annotations

import re
import subprocess
import threading
import urllib.request
from datetime import UTC, date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from icalendar import Calendar

from conftest import ROOT, plugin_env, require, run_build
from feedtools import (
    icaljs,
    libical_available,
    libical_errors,
    libical_occurrences,
    lint,
    node_available,
    python_occurrences,
)

pytestmark = pytest.mark.build
RANGE = (date(2026, 5, 1), date(2027, 9, 1))  # the whole of the sample programmes (issue: to 2027-08-31)
UID_DOMAIN = "kepu.binhai.example.cn"


def feeds(output: Path) -> list[Path]:
    return sorted(output.rglob("*.ics"))


def calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events_by_uid(path: Path) -> dict:
    """Each event's master VEVENT by UID (a series' RECURRENCE-ID overrides left out)."""
    return {str(e["UID"]): e for e in calendar(path).walk("VEVENT") if "RECURRENCE-ID" not in e}


def test_every_feed_exists(sample_output: Path) -> None:
    names = {p.relative_to(sample_output).as_posix() for p in feeds(sample_output)}
    assert "feeds/all.ics" in names
    for kind in ("streets", "teams", "categories", "audiences", "programmes", "campaigns", "venues",
                 "communities", "people"):
        pages = [p.parent.name for p in (sample_output / kind).glob("*/index.html")]
        assert pages and all(f"feeds/{kind}/{ident}.ics" in names for ident in pages), kind
    whole = events_by_uid(sample_output / "feeds" / "all.ics")
    in_all = {str(uid).split("@")[0] for uid in whole}
    offered = 0
    for page in (sample_output / "events").glob("*/index.html"):
        slug = page.parent.name
        if slug in ("past", "page"):
            continue
        html = page.read_text("utf-8")
        has_file = f"events/{slug}.ics" in names
        # An event's own calendar file exists exactly while feeds still carry it, and is offered
        # then unless the event is cancelled (nothing to add).
        assert has_file is (slug in in_all), slug
        cancelled = "【已取消】" in str(whole.get(f"{slug}@{UID_DOMAIN}", {}).get("SUMMARY", ""))
        assert (f'href="/events/{slug}.ics"' in html) is (has_file and not cancelled), slug
        offered += has_file
    assert offered >= 60


def test_every_feed_passes_the_byte_lint(sample_output: Path) -> None:
    problems = {p.name: lint(p.read_bytes()) for p in feeds(sample_output)}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_feed_is_under_one_mebibyte(sample_output: Path) -> None:
    assert max(p.stat().st_size for p in feeds(sample_output)) < 1024 * 1024


def test_icaljs_and_recurring_ical_events_agree_event_by_event(sample_output: Path) -> None:
    require(node_available(), "node and node_modules/ical.js (make test runs npm ci)")
    paths = feeds(sample_output)
    theirs = icaljs(paths, *RANGE)
    total = 0
    for path in paths:
        js = sorted((o["uid"], o["start"], o["end"]) for o in theirs[str(path)])
        py = python_occurrences(path, *RANGE)
        assert js == py, path.relative_to(sample_output)
        total += len(py)
    assert total > 1000  # the sample has weekly programmes: many occurrences were compared


def test_libical_recurrence_iterator_agrees_with_the_other_readers(sample_output: Path) -> None:
    """libical (Evolution, GNOME Calendar, many CalDAV servers) expands every series, RDATEs and
    EXDATEs included, to the same instants as recurring-ical-events."""
    require(libical_available(), "Debian's python3-gi and gir1.2-ical-3.0 (make test installs them)")
    paths = feeds(sample_output)
    theirs = libical_occurrences(paths, *RANGE)
    compared = 0
    for path in paths:
        py = sorted((uid, start) for uid, start, _ in python_occurrences(path, *RANGE))
        assert sorted(theirs[str(path)]) == py, path.relative_to(sample_output)
        compared += len(py)
    assert compared > 1000


def test_libical_restriction_check_passes(sample_output: Path) -> None:
    require(libical_available(), "Debian's python3-gi and gir1.2-ical-3.0 (make test installs them)")
    errors = libical_errors(feeds(sample_output))
    assert {Path(k).name: v for k, v in errors.items() if v} == {}


def test_recurring_event_is_one_vevent_with_rrule_exdate_and_utc_until(sample_output: Path) -> None:
    data = (sample_output / "events" / "zhoumo-kexue-tongxuehui-qiudong.ics").read_bytes()
    text = data.decode().replace("\r\n ", "")
    assert text.count("BEGIN:VEVENT") - text.count("\r\nRECURRENCE-ID") == 1  # one series, its changed sessions
    assert re.search(r"^RRULE:FREQ=WEEKLY;UNTIL=\d{8}T\d{6}Z;BYDAY=SA\r$", text, re.MULTILINE)
    assert "EXDATE;TZID=Asia/Shanghai:" in text
    assert "DTSTART;TZID=Asia/Shanghai:20260905T140000" in text


def test_same_uid_in_every_feed(sample_output: Path) -> None:
    seen: dict[str, bytes] = {}
    compared = 0
    for path in feeds(sample_output):
        for uid, event in events_by_uid(path).items():
            # an event's slug; a session's own VEVENT (a venue's or campaign's calendar) adds its planned time
            assert re.fullmatch(rf"[a-z0-9-]+(\.\d{{8}}T\d{{4}})?@{re.escape(UID_DOMAIN)}", uid)
            body = event.to_ical()
            compared += uid in seen
            assert seen.setdefault(uid, body) == body, f"{uid} differs in {path.name}"
    assert compared > len(seen), (compared, len(seen))  # each event is compared across several feeds
    assert len(seen) >= 70  # every event a calendar can still use


def test_cancelled_event_keeps_its_uid_and_is_marked(mini_output: Path) -> None:
    output = mini_output
    uid = f"kejizhou@{UID_DOMAIN}"
    for path in ("feeds/all.ics", "feeds/streets/taida.ics", "feeds/categories/kepu-jiangzuo.ics",
                 "events/kejizhou.ics"):
        event = events_by_uid(output / path)[uid]
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["SUMMARY"]) == "【已取消】科技活动周"
        assert "本活动已取消。因场馆维修取消" in str(event["DESCRIPTION"])


def test_all_day_events_end_on_the_exclusive_next_day(mini_output: Path) -> None:
    output = mini_output
    text = (output / "events" / "kejizhou.ics").read_bytes().decode("utf-8")
    assert "DTSTART;VALUE=DATE:20261214\r\n" in text and "DTEND;VALUE=DATE:20261217\r\n" in text
    single = (output / "events" / "kepu-ri.ics").read_bytes().decode("utf-8")
    assert "DTSTART;VALUE=DATE:20260919\r\n" in single and "DTEND;VALUE=DATE:20260920\r\n" in single


TRICKY = 'Comma, semi; colon: quote" back\\slash 🧪✨ 右→左 עברית'


def test_text_survives_a_round_trip_through_both_parsers(mini_site: Path, tmp_path: Path) -> None:
    require(node_available(), "node and node_modules/ical.js")
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    text = event.read_text("utf-8")
    title = TRICKY.replace('"', '\\"').replace("\\slash", "\\\\slash")
    text = text.replace("title: 流动科技馆进社区", f'title: "{title}"')
    text = text.replace("summary: 二十件互动展品来到家门口。", f'summary: "第一行{title}\\n第二行"')
    text = text.replace("  name: 新北街道党群服务中心", f'  name: "{title}"')
    event.write_text(text, "utf-8")
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output)
    assert result.returncode == 0, result.stderr
    path = output / "events" / "liudong-kejiguan.ics"
    assert lint(path.read_bytes()) == []
    ours = events_by_uid(path)[f"liudong-kejiguan@{UID_DOMAIN}"]
    js = icaljs([path], date(2026, 12, 1), date(2026, 12, 31))[str(path)][0]
    for summary, description, location in (
        (str(ours["SUMMARY"]), str(ours["DESCRIPTION"]), str(ours["LOCATION"])),
        (js["summary"], js["description"], js["location"]),
    ):
        assert summary == TRICKY
        assert description.startswith(f"第一行{TRICKY}\n第二行\n")
        assert location == f"{TRICKY}（天津市滨海新区新北街道）"


def test_stamps_never_come_from_the_clock(mini_site: Path, mini_output: Path, tmp_path: Path) -> None:
    first, second = mini_output, tmp_path / "b"  # built on 2026-12-01
    assert run_build(mini_site / "content", second, build_date="2026-12-02",
                     env=plugin_env(PYTHONHASHSEED="7")).returncode == 0
    for path in ("events/liudong-kejiguan.ics", "events/kejizhou.ics"):
        assert (first / path).read_bytes() == (second / path).read_bytes()
    # No git here: a stand-in derived from the file (tests/test_feed_history.py), never today's date.
    assert re.search(r"\r\nDTSTAMP:2000\d{4}T\d{6}Z\r\n", (first / "events" / "kejizhou.ics").read_bytes().decode())


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**plugin_env(), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.cn"})


def _commit(repo: Path, when: str, message: str) -> None:
    _git(repo, "add", "-A")
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", message], check=True,
                   env={**plugin_env(), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.cn",
                        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def test_sequence_and_stamps_follow_the_content_history(mini_site: Path, tmp_path: Path) -> None:
    _git(mini_site, "init", "-q")
    _commit(mini_site, "2026-10-01T10:00:00+08:00", "add events")
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    output = tmp_path / "out"
    uid = f"liudong-kejiguan@{UID_DOMAIN}"

    def stamp() -> tuple[int, str]:
        assert run_build(mini_site / "content", output).returncode == 0
        vevent = events_by_uid(output / "feeds" / "all.ics")[uid]
        return int(vevent["SEQUENCE"]), vevent["DTSTAMP"].to_ical().decode()

    assert stamp() == (0, "20261001T020000Z")
    event.write_text(event.read_text("utf-8").replace("流动科技馆进社区", "流动科技馆来了"), "utf-8")
    _commit(mini_site, "2026-10-05T10:00:00+08:00", "retitle")
    assert stamp() == (0, "20261005T020000Z")  # a new title is not a reschedule
    event.write_text(event.read_text("utf-8").replace("09:00", "10:00"), "utf-8")
    _commit(mini_site, "2026-10-06T10:00:00+08:00", "later start")
    assert stamp() == (1, "20261006T020000Z")
    event.write_text(event.read_text("utf-8").replace("featured: true", "status: cancelled"), "utf-8")
    assert stamp()[0] == 2  # uncommitted edits count while previewing
    _commit(mini_site, "2026-10-07T10:00:00+08:00", "cancel")
    assert stamp() == (2, "20261007T020000Z")  # never lowered, never counted twice


def test_feeds_keep_ninety_days_of_past_events(mini_site: Path, tmp_path: Path) -> None:
    uid = f"kepu-ri@{UID_DOMAIN}"  # an all-day event on 2026-09-19
    for build_date, kept in (("2026-12-17", True), ("2026-12-19", False)):
        output = tmp_path / build_date
        assert run_build(mini_site / "content", output, build_date=build_date).returncode == 0
        feed = output / "feeds" / "streets" / "taida.ics"
        assert (uid in events_by_uid(feed)) is kept, build_date
        assert (output / "events" / "kepu-ri.ics").is_file() is kept  # its own file goes with it
    description = str(calendar(output / "feeds" / "streets" / "taida.ics")["X-WR-CALDESC"])
    # The window in words that do not move with the build date (a feed's bytes change only with its events).
    assert description.endswith("包含最近 90 天内结束的活动和今后的全部活动，共 2 项。")


def test_large_feed_is_trimmed_below_one_mebibyte(mini_site: Path, tmp_path: Path) -> None:
    folder = mini_site / "content" / "events" / "xinbei" / "2027"
    folder.mkdir(parents=True)
    long = "科普" * 140
    for n in range(1400):
        day = date(2027, 1, 1).toordinal() + n // 4
        (folder / f"da-{n}.md").write_text(
            f"---\ntitle: 第 {n} 场社区科学讲座与动手实验体验活动\nstart: {date.fromordinal(day)} 09:00\n"
            f"duration: 2小时\nstreet: xinbei\nteam: xinbei-liudong\ncategories: [kepu-jiangzuo, kexue-shiyan]\n"
            f"audiences: [qinzi, shequ-jumin]\nsummary: {long}\nvenue:\n  name: 新北街道党群服务中心\n"
            "  address: 天津市滨海新区新北街道新北路 1000 号\n---\n", "utf-8")
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, timeout=900)
    assert result.returncode == 0, result.stderr
    feed = output / "feeds" / "streets" / "xinbei.ics"
    assert feed.stat().st_size < 1024 * 1024
    cal = calendar(feed)
    starts = sorted(e.decoded("DTSTART").date() for e in cal.walk("VEVENT"))
    assert starts[0] <= date(2026, 12, 5) and 200 < len(starts) < 1400
    description = str(cal["X-WR-CALDESC"])
    assert f"截至{starts[-1].year}年{starts[-1].month}月{starts[-1].day}日" in description
    assert "为使文件小于 1 MB" in description


def _serve(directory: Path):
    from kepu.editor.server import serve

    server = serve(directory, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_dev_server_sends_text_calendar_with_charset(sample_output: Path) -> None:
    server = _serve(sample_output)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feeds/all.ics"
        with urllib.request.urlopen(url) as response:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert "Content-Encoding" not in response.headers
    finally:
        server.shutdown()


def test_street_page_subscribe_block(sample_output: Path) -> None:
    html = (sample_output / "streets" / "xinbei" / "index.html").read_text("utf-8")
    https = "http://127.0.0.1:8000/feeds/streets/xinbei.ics"
    assert 'href="webcal://127.0.0.1:8000/feeds/streets/xinbei.ics"' in html
    assert f'value="{https}"' in html
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', html)[1].replace("&amp;", "&")
    assert unquote(parse_qs(urlparse(google).query, keep_blank_values=True)["cid"][0]) == \
        "webcal://127.0.0.1:8000/feeds/streets/xinbei.ics"
    assert '<svg role="img"' in html and "订阅页面的二维码" in html
    assert 'href="/subscribe/"' in html


def test_qr_code_decodes_to_the_feeds_subscribe_page(sample_output: Path, tmp_path: Path) -> None:
    require(Path("/usr/bin/chromium").exists(), "Debian's chromium (make test installs it)")
    import zxingcpp
    from PIL import Image

    html = (sample_output / "streets" / "taida" / "index.html").read_text("utf-8")
    svg = re.search(r'<svg role="img".*?</svg>', html, re.DOTALL)[0]
    page = tmp_path / "qr.html"
    page.write_text(f"<!doctype html><body style='margin:0;background:#fff'>{svg}</body>", "utf-8")
    shot = tmp_path / "qr.png"
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                    "--window-size=400,400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    codes = zxingcpp.read_barcodes(Image.open(shot))
    # The feed's subscribe page (steps and links), not the .ics: WeChat's scanner cannot use one.
    assert [c.text for c in codes] == ["http://127.0.0.1:8000/subscribe/streets/taida/"]


GOOGLE_ADD = re.compile(r'href="(https://calendar\.google\.com/calendar/render\?action=TEMPLATE[^"]+)"')


def _google_dates(vevent) -> str:
    """What Google's add link must say for this VEVENT (UTC instants, or the all-day dates)."""
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    if hasattr(start, "hour"):
        return "/".join(t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") for t in (start, end))
    return f"{start:%Y%m%d}/{end:%Y%m%d}"


def test_google_add_link_is_offered_only_where_it_equals_the_feed(sample_output: Path) -> None:
    """A copy in Google never corrects itself: a series (its rule restarted, exceptions dropped) and a
    cancelled event get no add link; a one-off event's link says exactly what its .ics says."""
    offered = series = 0
    for path in sorted((sample_output / "events").glob("*.ics")):
        html = (sample_output / "events" / path.stem / "index.html").read_text("utf-8")
        vevent = Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
        link = GOOGLE_ADD.search(html)
        if "RRULE" in vevent or "RDATE" in vevent or str(vevent["STATUS"]) == "CANCELLED":
            assert link is None, path.name
            series += "RRULE" in vevent
            continue
        assert f'href="/events/{path.name}" download=' in html
        query = parse_qs(urlparse(link[1].replace("&amp;", "&")).query)
        assert query["dates"] == [_google_dates(vevent)], path.name
        assert "recur" not in query
        assert len(query["details"][0]) <= 700
        assert query["details"][0].endswith(f"详情：http://127.0.0.1:8000/events/{path.stem}/")
        offered += 1
    assert offered >= 20 and series >= 5


def test_a_series_page_offers_its_whole_file_and_the_subscription_instead(sample_output: Path) -> None:
    html = (sample_output / "events" / "zhoumo-kexue-tongxuehui-qiudong" / "index.html").read_text("utf-8")
    assert 'href="/events/zhoumo-kexue-tongxuehui-qiudong.ics" download=' in html
    section = html[html.index('id="add-title"'):]
    section = section[:section.index("</section>")]
    assert "全部场次" in section and "订阅" in section and "action=TEMPLATE" not in section
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in section  # a subscription stays right


def test_a_cancelled_event_offers_nothing_to_add(mini_output: Path) -> None:
    output = mini_output
    html = (output / "events" / "kejizhou" / "index.html").read_text("utf-8")
    assert 'id="add-title"' not in html and ".ics\" download" not in html
    assert "calendar.google.com/calendar/render" not in html


def test_subscribe_page_lists_every_feed_and_explains_clients(sample_output: Path) -> None:
    html = (sample_output / "subscribe" / "index.html").read_text("utf-8")
    for words in ("iPad", "小米", "华为", "ICSx⁵", "Outlook", "Thunderbird", "刷新"):
        assert words in html
    listed = set(re.findall(r'href="/(feeds/[^"]+\.ics)"', html))
    on_disk = {p.relative_to(sample_output).as_posix() for p in (sample_output / "feeds").rglob("*.ics")}
    assert listed == on_disk


def test_publish_docs_ship_server_snippets() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text("utf-8")
    assert "text/calendar; charset=utf-8" in text
    assert "nginx" in text and "Apache" in text and "gzip" in text
