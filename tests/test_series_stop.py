"""A series called off from one session on, with why (`recurrence.sessions`' item with `from`): the
venue closes for renovation after four Saturdays were held. Before, an editor had two ways, both
wrong: `status: cancelled` marked the Saturdays already held 已取消 too (and took them out of the
statistics), and an earlier UNTIL made the rest vanish from subscribed calendars without a word.
Now residents read from when and why on the page, every calendar reader sees each remaining session
cancelled while the held ones stay held, the change feed says 【停办】 once, and the check refuses
the slips an editor makes writing it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import feedparser
import jsonschema
import pytest
from icalendar import Calendar
from test_feed_history import commit, git
from test_year_summary import _csv_rows, _download

from conftest import SAMPLE_BUILD_DATE, TEST_SITE, plugin_env, require, run_build, run_check
from feedtools import icaljs, libical_available, libical_occurrences, lint, node_available, python_occurrences

pytestmark = pytest.mark.build
SERIES = Path("content/events/xinbei/2026/zhoumo-tongxuehui.md")  # Saturdays 11/07–1/30, not 12/26, plus 2/6
UID = "zhoumo-tongxuehui@kepu.binhai.example.cn"
REASON = "活动室改造，本季停办"
STOP = f"  sessions:\n    - from: 2026-12-12\n      status: cancelled\n      note: {REASON}\n"
STOPPED_DAYS = ["2026-12-12", "2026-12-19", "2027-01-02", "2027-01-09", "2027-01-16", "2027-01-23",
                "2027-01-30", "2027-02-06"]  # 12/26 was never a session; 2/6 is the extra one (rdates)


SIGN_UP = 'registration:\n  required: true\n  phone: "022-2530 0000"\n'


def with_stop(site: Path, sessions: str = STOP) -> Path:
    path = site / SERIES
    text = path.read_text("utf-8")
    assert "  rdates: [2027-02-06 14:00]\n" in text
    text = text.replace("  rdates: [2027-02-06 14:00]\n", "  rdates: [2027-02-06 14:00]\n" + sessions)
    path.write_text(text.replace("venue:\n", SIGN_UP + "venue:\n", 1), "utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built on 20 December: 11/07–12/05 held, 12/12 and 12/19 called off already."""
    site = tmp_path_factory.mktemp("stop") / "site"
    shutil.copytree(TEST_SITE, site)
    with_stop(site)
    output = site.parent / "out"
    result = run_build(site / "content", output, build_date="2026-12-20")
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_says_from_when_and_why_and_keeps_the_sessions_held(built: Path) -> None:
    html = (built / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert f"<strong>本系列活动2026年12月12日（周六）起停办。</strong>{REASON}" in html
    assert "本活动已取消" not in html  # the series was held until then
    facts = _text(html[html.index('<dl class="facts">'):html.index("</dl>")])
    assert "每周六，2026年12月12日（周六）起停办" in facts and "至 2027年" not in facts
    coming = _text(html[html.index('<ul class="dates">'):])
    coming = coming[:coming.index("已经举办的")]
    for day in ("2026年12月26日", "2027年1月2日", "2027年1月30日", "2027年2月6日"):
        if day == "2026年12月26日":
            assert day not in coming  # never a session (exdates)
            continue
        assert re.search(day + r"（周六） 已取消（" + REASON + "）", coming), (day, coming)
    # Held ones stay held: the page counts them, and the two called off since are counted apart.
    assert "<summary>已经举办的 5 场（另有 2 场取消）</summary>" in html
    past = html[html.index('<ul class="dates past">'):]
    past = _text(past[:past.index("</ul>")])
    assert "2026年12月5日（周六） " in past and "12月5日（周六） 已取消" not in past
    assert "2026年11月7日（周六） 已取消" not in past


def test_once_the_stop_day_is_over_the_series_is_over(built: Path) -> None:
    """Found by a user audit: eight days after the stop the page still offered 电话报名, its script
    waited for the 20th cancelled session to say 本活动已结束, and the street page listed it under
    近期活动 (a monthly series without an end: for more than a year)."""
    html = (built / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert "电话报名" not in html and "报名电话" not in html  # nothing left to sign up for
    assert 'data-ends="2026-12-12T16:00:00+08:00"' in html  # the stop's first session: the series' end
    assert '<p class="notice notice-past">本活动已结束。</p>' in html
    street = (built / "streets" / "xinbei" / "index.html").read_text("utf-8")
    past = (built / "streets" / "xinbei" / "past" / "index.html").read_text("utf-8")
    assert "/events/zhoumo-tongxuehui/" not in street and "/events/zhoumo-tongxuehui/" in past
    # Found in a browser: the past list and the page led with 12/12 (called off, unmarked in the
    # list) as if the series' last session had been held then. They name the last one held.
    card = _text(past[past.index("/events/zhoumo-tongxuehui/"):])[:200]
    assert "2026年12月5日（周六）14:00–16:00" in card and "起停办" in card, card
    facts = _text(html[html.index('<dl class="facts">'):html.index("</dl>")])
    assert "时间 2026年12月5日（周六）14:00–16:00 每周六，2026年12月12日（周六）起停办" in facts, facts


def test_sign_up_closes_when_the_last_session_held_is_over(mini_site: Path, tmp_path: Path) -> None:
    """Found in a browser: built on 1 December, read on 6 December (12/05 held, the series called
    off from 12/12), the page still offered 电话报名: its script closed sign-up at the end of 12/12,
    the first session called off."""
    with_stop(mini_site)
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date=SAMPLE_BUILD_DATE)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert "电话报名" in html  # 12/05 still to come
    closes = set(re.findall(r'data-closes="([^"]+)"', html))
    assert closes == {"2026-12-05T16:00:00+08:00"}, closes


WEEK_OFF_THEN_STOP = ("  sessions:\n    - date: 2026-12-12\n      status: cancelled\n      note: 场地检修\n"
                      f"    - from: 2026-12-19\n      status: cancelled\n      note: {REASON}\n")


@pytest.mark.parametrize("sessions", [STOP, WEEK_OFF_THEN_STOP], ids=["stop", "week-off-then-stop"])
def test_before_the_stop_day_only_the_sign_up_goes(mini_site: Path, tmp_path: Path, sessions: str) -> None:
    """Built on 10 December: 12/05 was the last Saturday held, 12/12 the first called off (or off
    on its own, the series stopping from 12/19). The series stays under 近期活动 with 12/12
    已取消; there is nothing left to sign up for."""
    with_stop(mini_site, sessions)
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date="2026-12-10")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert "电话报名" not in html
    # The re-audit: its 报名 row still said 需要报名 under 本系列活动…起停办.
    facts = _text(html[html.index('<dl class="facts">'):html.index("</dl>")])
    assert " 报名 系列活动已停办，不用报名 " in facts and "需要报名" not in facts, facts
    # …and the week off before the stop read "12月19日起停办 12月19日不开展": the stop's day is not a day off.
    assert "不开展" not in facts, facts
    if sessions != STOP:
        return  # the card's words for a week off before the stop: test_site_index
    assert '<p class="notice notice-past" hidden>本活动已结束。</p>' in html
    street = _text((output / "streets" / "xinbei" / "index.html").read_text("utf-8"))
    # The resident audit: the card, the shared title and the embedded list said 已取消 of 12/12,
    # as if one Saturday were off; the series stops there.
    assert re.search(r"周末科学同学会 2026年12月12日（周六）14:00–16:00 已停办", street), street[:2000]
    assert re.search(r"<title>【已停办】周末科学同学会 · ", html)
    embed = _text((output / "embed" / "streets" / "xinbei" / "index.html").read_text("utf-8"))
    assert "2026年12月12日（周六）14:00–16:00（已停办）" in embed, embed


def test_every_calendar_reader_sees_the_rest_cancelled_and_the_held_ones_held(built: Path) -> None:
    feed = built / "feeds" / "all.ics"
    assert lint(feed.read_bytes()) == []
    span = (date(2026, 11, 1), date(2027, 9, 1))
    ours = [o for o in python_occurrences(feed, *span) if o[0] == UID]
    require(node_available(), "node and node_modules/ical.js")
    js = [o for o in icaljs([feed], *span)[str(feed)] if o["uid"] == UID]
    assert sorted((o["uid"], o["start"], o["end"]) for o in js) == sorted(ours)
    statuses = {o["start"][:10]: o["status"] for o in js}
    # 14:00 in Beijing is 06:00 UTC, the same day.
    assert sorted(day for day, status in statuses.items() if status == "CANCELLED") == STOPPED_DAYS
    assert [day for day in statuses if day < "2026-12-12"] == [
        "2026-11-07", "2026-11-14", "2026-11-21", "2026-11-28", "2026-12-05"]
    assert all(statuses[day] != "CANCELLED" for day in statuses if day < "2026-12-12")
    calendar = Calendar.from_ical(feed.read_bytes())
    cancelled = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == UID and "RECURRENCE-ID" in e]
    assert all(REASON in str(e["DESCRIPTION"]) and str(e["SUMMARY"]).startswith("【已取消】") for e in cancelled)
    require(libical_available(), "Debian's python3-gi and gir1.2-ical-3.0")
    lib = sorted(o for o in libical_occurrences([feed], *span)[str(feed)] if o[0] == UID)
    assert lib == sorted((uid, start) for uid, start, _ in ours)


@pytest.mark.parametrize(("day", "kept"), [("2027-03-06", True), ("2027-03-12", True), ("2027-03-13", False)])
def test_calendars_keep_a_stopped_series_for_the_feeds_past_days_after_the_stop(mini_site: Path, tmp_path: Path,
                                                                               day: str, kept: bool) -> None:
    """The venue manager's audit: the day after the stop's 90 days were counted from the last session
    held (12/05), a stopped series vanished from every calendar and its own .ics was gone, taking the
    held sessions and the 【已取消】 notices with it, while the guide says the series ends with the
    stop's first session (12/12) and calendars keep what ended in the last 90 days (FEED_PAST_DAYS)."""
    with_stop(mini_site)
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date=day)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for feed in ("feeds/all.ics", "feeds/streets/xinbei.ics"):
        assert (f"UID:{UID}" in (output / feed).read_text("utf-8")) is kept, feed
    assert (output / "events" / "zhoumo-tongxuehui.ics").exists() is kept
    page = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert ('href="/events/zhoumo-tongxuehui.ics"' in page) is kept


def test_open_data_keeps_the_held_rows_and_marks_the_rest(built: Path) -> None:
    rows = {r["日期"]: r["状态"] for r in csv.DictReader(io.StringIO(
        (built / "data" / "events.csv").read_text("utf-8-sig"))) if r["活动编号"] == "zhoumo-tongxuehui"}
    assert rows["2026-12-05"] == "正常举办" and rows["2026-12-12"] == "已取消" and rows["2027-02-06"] == "已取消"
    document = json.loads((built / "data" / "events.json").read_text("utf-8"))
    jsonschema.validate(document, json.loads((built / "data" / "events.schema.json").read_text("utf-8")))
    record = next(e for e in document["events"] if e["id"] == "zhoumo-tongxuehui")
    assert record["recurrence"]["stop"] == {"from": "2026-12-12T14:00:00+08:00", "note": REASON}  # said once, too
    assert record["next_start"] is None


def test_the_figures_count_the_sessions_called_off_apart(built: Path) -> None:
    """Found by an audit of the figures: a series' sessions called off (on their own or by its stop)
    were in no figure (已取消 counts whole events), though events.csv lists each as 已取消."""
    whole = {e["id"] for e in json.loads((built / "data" / "events.json").read_text("utf-8"))["events"]
             if e["status"] == "cancelled"}
    rows = list(csv.DictReader(io.StringIO((built / "data" / "events.csv").read_text("utf-8-sig"))))
    for year in (2026, 2027):
        called_off = sum(1 for r in rows if r["状态"] == "已取消" and r["活动编号"] not in whole
                         and r["日期"].startswith(f"{year}-"))
        page = _text((built / "stats" / str(year) / "index.html").read_text("utf-8"))
        assert called_off and f"取消的场次 {called_off} 场" in page, (year, called_off, page[:2000])
        workbook = {row[0]: row[1] for row in _csv_rows(_download(built, year, "csv").read_bytes()) if len(row) == 3}
        assert workbook["取消的场次（重复活动单独取消或停办的，不计入场次）"] == str(called_off), workbook


def test_a_long_series_shows_twenty_sessions_cancelled_then_ends(mini_site: Path, tmp_path: Path) -> None:
    """A daily series to next summer stopped on 12/12: calendars would carry one cancelled copy per
    day for half a year. Twenty are shown cancelled; the series then ends, in every reader alike."""
    path = mini_site / SERIES
    text = path.read_text("utf-8").replace("FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30", "FREQ=DAILY;UNTIL=2027-06-30")
    path.write_text(text.replace("  exdates: [2026-12-26]\n", "").replace("  rdates: [2027-02-06 14:00]\n", ""),
                    "utf-8")
    path.write_text(path.read_text("utf-8").replace("  rrule: FREQ=DAILY;UNTIL=2027-06-30\n",
                                                    "  rrule: FREQ=DAILY;UNTIL=2027-06-30\n" + STOP), "utf-8")
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date=SAMPLE_BUILD_DATE)
    assert result.returncode == 0, result.stdout + result.stderr
    feed = output / "events" / "zhoumo-tongxuehui.ics"
    span = (date(2026, 11, 1), date(2027, 9, 1))
    require(node_available(), "node and node_modules/ical.js")
    js = [o for o in icaljs([feed], *span)[str(feed)] if o["uid"] == UID]
    cancelled = sorted(o["start"][:10] for o in js if o["status"] == "CANCELLED")
    assert len(cancelled) == 20 and cancelled[0] == "2026-12-12" and cancelled[-1] == "2026-12-31"
    assert max(o["start"][:10] for o in js) == "2026-12-31"  # nothing after, nothing held after the stop
    html = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert "2026年12月31日（周四） 已取消" in _text(html) and "2027年1月1日" not in html


@pytest.mark.parametrize(("sessions", "field", "says"), [
    ("    - from: 2026-12-13\n      status: cancelled\n", "from", "2026-12-13（周日）不是这个活动的一场"),
    ("    - from: 2026-12-12\n      note: 停办\n", "from", "从这一场起停办，要写 status: cancelled"),
    ("    - from: 2026-12-12\n      status: cancelled\n    - date: 2027-01-09\n      status: cancelled\n",
     "date", "这一场在停办（from: 2026-12-12）之后"),
    ("    - from: 2026-12-12\n      status: cancelled\n    - from: 2027-01-09\n      status: cancelled\n",
     "from", "停办（from）只能写一项"),
    ("    - from: 2026-12-12\n      date: 2026-12-12\n      status: cancelled\n", "from", "date 和 from 只能写一个"),
    ("    - date: 2026-12-05\n      start: 2026-12-20 14:00\n    - from: 2026-12-12\n      status: cancelled\n",
     "start", "改到了停办（from: 2026-12-12）以后"),
    ("    - from: 2026-11-07\n      status: cancelled\n", "from", "从第一场起停办，就是整个活动不办了"),
    ("    - from:\n      status: cancelled\n", "from", "没有写停办后的第一场"),
    ("    - from: 2026-12-12 09:00\n      status: cancelled\n", "from", "这个活动这一天 14:00 开始"),
    ("    - form: 2026-12-12\n      status: cancelled\n", "form", "没有写这一场原定的日期"),
    ("    - from: \"  \"\n      status: cancelled\n", "from", "没有写停办后的第一场"),
    # Past the ten years the rule is walked: 本系列活动2099年…起停办 was published, cancelling nothing.
    ("    - from: 2099-12-12\n      status: cancelled\n", "from", "不是这个活动的一场"),
    ("    - date: 2099-12-12\n      status: cancelled\n", "date", "不是这个活动的一场"),
], ids=["not-a-session", "no-status", "session-after-stop", "two-stops", "date-and-from", "moved-past-the-stop",
        "from-the-first", "from-empty", "from-another-time", "from-mistyped", "from-blank", "from-far-future",
        "date-far-future"])
def test_slips_in_writing_a_stop_are_refused_on_their_line(mini_site: Path, sessions: str, field: str,
                                                           says: str) -> None:
    path = with_stop(mini_site, "  sessions:\n" + sessions)
    result = run_check(path, content=mini_site / "content", cwd=mini_site)
    assert result.returncode == 1, result.stdout
    lines = path.read_text("utf-8").splitlines()
    last = max(n for n, line in enumerate(lines, 1) if line.startswith("    - "))  # the last item's first line
    named = [line for line in result.stdout.splitlines() if says in line]
    assert named, result.stdout
    number = int(named[0].split(f"{SERIES}:", 1)[1].split(":", 1)[0])
    assert lines[number - 1].strip().lstrip("- ").startswith(f"{field}:") and number <= last, (named, lines)


@pytest.mark.parametrize(("where", "says"), [
    ("recurrence", "from 要写在 sessions 下面的一项里"),
    ("status", "整个活动写了 status: cancelled"),
], ids=["under-recurrence", "with-status-cancelled"])
def test_a_stop_written_where_it_does_nothing_or_against_the_status_is_refused(mini_site: Path, where: str,
                                                                              says: str) -> None:
    if where == "recurrence":
        path = with_stop(mini_site, "  from: 2026-12-12\n")
    else:
        path = with_stop(mini_site)
        path.write_text(path.read_text("utf-8").replace("street: xinbei\n", "street: xinbei\nstatus: cancelled\n"),
                        "utf-8")
    result = run_check(path, content=mini_site / "content", cwd=mini_site)
    assert result.returncode == 1 and says in result.stdout, result.stdout


def test_a_stop_is_written_in_the_feature_s_own_word(mini_site: Path) -> None:
    """停办 is what the guide calls it: a volunteer writes status: 停办, as she may write 取消."""
    path = with_stop(mini_site, STOP.replace("status: cancelled", "status: 停办"))
    result = run_check(path, content=mini_site / "content", cwd=mini_site, strict=True)
    assert result.returncode == 0, result.stdout


def test_the_change_feed_says_stopped_once_and_the_review_reminds_of_held_ones(mini_site: Path, tmp_path: Path) -> None:
    git(mini_site, "init", "-q", "-b", "main")
    commit(mini_site, "2026-10-01T10:00:00+08:00", "add events")
    with_stop(mini_site)
    commit(mini_site, "2026-11-25T10:00:00+08:00", "call the series off from 12/12")
    output = tmp_path / "out"
    result = run_build(mini_site / "content", output, build_date=SAMPLE_BUILD_DATE)
    assert result.returncode == 0, result.stdout + result.stderr
    feed = feedparser.parse((output / "feeds" / "changes.atom").read_bytes())
    ours = [e for e in feed.entries if e.link.endswith("/zhoumo-tongxuehui/")]
    assert [e.title for e in ours] == ["【停办】周末科学同学会", "【新活动】周末科学同学会"]
    assert f"原定2026年12月12日（周六）14:00起的各场都不再举办（{REASON}）" in ours[0].summary
    assert "起停办" not in ours[1].summary and "每周六，至 2027年1月30日" in ours[1].summary  # as it was then
    # A stop written from a Saturday already held (11/28 for 12/12): one reminder, on the from line.
    git(mini_site, "checkout", "-q", "-b", "edit")
    path = mini_site / SERIES
    path.write_text(path.read_text("utf-8").replace("from: 2026-12-12", "from: 2026-11-21"), "utf-8")
    commit(mini_site, "2026-12-01T10:00:00+08:00", "earlier")
    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(mini_site / "content"),
                            "--base", "main", "--build-date", SAMPLE_BUILD_DATE], cwd=mini_site, env=plugin_env(),
                           capture_output=True, text=True, timeout=300)
    said = [line for line in check.stdout.splitlines() if "已经举办过了" in line]
    line = path.read_text("utf-8").splitlines().index("    - from: 2026-11-21") + 1
    assert len(said) == 1 and f"{SERIES}:{line}:" in said[0] and "停办" in said[0], check.stdout
