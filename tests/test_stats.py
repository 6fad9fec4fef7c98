"""The association's figures (/stats/): what counts as an event (项) and a session (场次), per year,
month and street, in Beijing time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from test_site_index import index_for

from kepu.index.stats import figures, years

BUILD = date(2026, 12, 1)


def _event(site: Path, name: str, front: str) -> None:
    folder = site / "content" / "events" / "xinbei" / "2026"
    (folder / f"{name}.md").write_text(f"---\n{front}street: xinbei\nteam: xinbei-liudong\n"
                                       "categories: [kexue-shiyan]\naudiences: [qinzi]\n"
                                       "venue:\n  name: 新北街道科普活动室\n---\n正文。\n", "utf-8")


def _months(result) -> dict[str, int]:
    return {row.label: row.sessions for row in result.months if row.sessions}


def test_the_mini_sites_year_in_figures() -> None:
    """Four events (the cancelled one apart), a weekly series counted once per Saturday."""
    result = figures(index_for(BUILD), 2026)
    assert (result.events, result.sessions, result.held, result.planned) == (4, 10, 6, 4)
    assert (result.cancelled, result.recurring, result.online, result.teams) == (1, 1, 1, 3)
    assert (result.attendance, result.attendance_events, result.reports) == (300, 1, 1)
    assert _months(result) == {"9月": 1, "11月": 5, "12月": 4}
    assert [(r.label, r.events, r.sessions) for r in result.streets] == [
        ("新北街道", 2, 8), ("泰达街道", 2, 2), ("小王庄镇", 0, 0), ("中新天津生态城", 0, 0)]  # every street: see test_year_summary
    assert sum(r.sessions for r in result.streets) == result.sessions
    assert result.status_counts == [("已取消", 1), ("已改期", 0), ("已延期", 0)]


def test_the_next_year_counts_only_its_own_sessions() -> None:
    index = index_for(BUILD)
    result = figures(index, 2027)
    assert (result.events, result.sessions, result.cancelled) == (1, 6, 0)  # five Saturdays and the RDATE
    assert _months(result) == {"1月": 5, "2月": 1}
    assert years(index.entries, index.timezone) == [2026, 2027]
    everything = figures(index, None)
    assert (everything.events, everything.sessions, everything.months) == (4, 16, [])


def test_a_cancelled_session_of_a_series_is_not_a_session(mini_site: Path) -> None:
    series = mini_site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    text = series.read_text("utf-8").replace(
        "  rdates:", "  sessions:\n    - date: 2026-12-19\n      status: cancelled\n  rdates:")
    series.write_text(text, "utf-8")
    result = figures(index_for(BUILD, mini_site), 2026)
    assert (result.events, result.sessions, result.cancelled) == (4, 9, 1)
    assert _months(result)["12月"] == 3


def test_a_session_counts_in_the_year_and_month_of_its_local_start(mini_site: Path) -> None:
    """Half past midnight on New Year's Day in Beijing is still 31 December in UTC: it is a 2027
    session. A three-day event over New Year counts once, on its first day."""
    _event(mini_site, "xinnian-tianwen", "title: 新年天文夜\nstart: 2027-01-01 00:30\nend: \"01:30\"\n")
    _event(mini_site, "kuanian-kexueying", "title: 跨年科学营\nstart: 2026-12-31\nend: 2027-01-02\n")
    index = index_for(BUILD, mini_site)
    this_year, next_year = figures(index, 2026), figures(index, 2027)
    assert _months(this_year) == {"9月": 1, "11月": 5, "12月": 5}
    assert _months(next_year) == {"1月": 6, "2月": 1}
    assert (this_year.events, next_year.events) == (5, 2)


def test_a_street_row_links_to_its_page_and_a_street_without_events_reads_zero() -> None:
    index = index_for(BUILD)
    urls = {"streets": {"xinbei": "streets/xinbei/", "taida": "streets/taida/"}}
    result = figures(index, 2026, facet_urls=urls)
    assert {r.key: r.url for r in result.streets} == {**urls["streets"], "xiaowangzhuang": "", "shengtaicheng": ""}
    assert {r.key: r.people for r in result.streets if not r.events} == {"xiaowangzhuang": 0, "shengtaicheng": 0}
    kinds = {r.key: r.events for r in result.kinds}
    assert kinds["街道"] == 4 and sum(kinds.values()) == 4
    assert (result.rural_label, result.rural_share) == ("镇和村", 0.0)  # no event in a town or a village
