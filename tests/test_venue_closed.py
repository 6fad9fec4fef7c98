"""A venue closed for a while (venues.yml closed_from, closed_until, closed_note): the venue
manager's audit found no way to say so — ``status: closed`` was refused as an unknown field, the
route still sent residents to it as its first stop, and events there went on as if it were open.
Residents now read the closure on the venue's page, the venues' list and every route through it;
an event still to come there is pointed out to its editor (CI fails on it); the open data has it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_entities import EVENT_PATH, VENUES, with_registries

from conftest import plugin_env, run_build

CLOSED = VENUES + "  closed_from: 2026-12-01\n  closed_until: 2027-02-28\n  closed_note: 闭馆装修\n"
OTHER = "- id: wenhua\n  name: 新北文化中心\n  kind: 场馆\n  street: xinbei\n"
SAID = "2026年12月1日（周二）至2027年2月28日（周日）暂停开放。闭馆装修"
ROUTE = "- id: anquan-yanxue\n  name: 安全研学一日游\n  stops:\n    - anquanguan\n    - wenhua\n"


def _check(site: Path, day: str, strict: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(site / "content"),
                           "--build-date", day, *(["--strict"] if strict else [])], cwd=site, env=plugin_env(),
                          capture_output=True, text=True, timeout=300)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.build
def test_residents_read_the_closure_where_they_look_for_the_venue(mini_site: Path, tmp_path: Path) -> None:
    site = with_registries(mini_site, venues=CLOSED + OTHER)
    (site / "content" / "data" / "routes.yml").write_text(ROUTE, "utf-8")
    output = tmp_path / "during"
    result = run_build(site / "content", output, build_date="2026-11-20")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for page in ("venues/anquanguan/index.html", "venues/index.html", "routes/anquan-yanxue/index.html"):
        assert SAID in _text((output / page).read_text("utf-8")), page
    venue = json.loads((output / "data" / "venues.json").read_text("utf-8"))["venues"][0]
    assert (venue["closed_from"], venue["closed_until"], venue["closed_note"]) == ("2026-12-01", "2027-02-28", "闭馆装修")
    after = tmp_path / "after"  # open again: a closure over is not news
    result = run_build(site / "content", after, build_date="2027-03-01")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for page in ("venues/anquanguan/index.html", "venues/index.html", "routes/anquan-yanxue/index.html"):
        assert "暂停开放" not in (after / page).read_text("utf-8"), page


def test_an_event_to_come_at_a_closed_venue_is_pointed_out_on_its_line(mini_site: Path) -> None:
    site = with_registries(mini_site, venues=CLOSED)
    result = _check(site, "2026-11-20")
    line = (site / EVENT_PATH).read_text("utf-8").splitlines().index("venue: anquanguan") + 1
    said = [text for text in result.stdout.splitlines() if "暂停开放" in text]
    assert said == [f"  {EVENT_PATH}:{line}: （提醒）venue: 2026年12月8日（周二）在“生态城安全教育体验馆”举办，"
                    f"但{SAID} — 改到别的场地（一场：在 recurrence.sessions 里写 date 和新的 venue），或取消这几场"
                    "（写 date、status: cancelled 和 note）；场地其实照常开放的，改正 venues.yml 里的 closed_from 和 closed_until"], \
        result.stdout
    assert _check(site, "2026-11-20", strict=True).returncode != 0  # CI does not publish it
    # Closed from the day after: nothing to say.
    with_registries(site, venues=CLOSED.replace("closed_from: 2026-12-01", "closed_from: 2026-12-09"))
    assert "暂停开放" not in _check(site, "2026-11-20").stdout


@pytest.mark.parametrize(("closure", "field", "said"), [
    ("  closed_until: 2027-02-28\n", "closed_until", "写了恢复前的最后一天，没写从哪天起暂停开放"),
    ("  closed_from: 2027-03-01\n  closed_until: 2027-02-28\n", "closed_until", "恢复前的最后一天早于暂停开放的第一天"),
    ("  closed_from: 2027-03-01 09:00\n", "closed_from", "暂停开放只写日期，不写时间"),
    ("  closed_note: 闭馆装修\n", "closed_note", "写了暂停开放的原因，没写从哪天起暂停开放"),
    ("  status: closed\n", "status", "未知字段 — 场地暂停开放时写 closed_from: 暂停的第一天"),
])
def test_a_closure_written_wrongly_is_said_on_its_line(mini_site: Path, closure: str, field: str, said: str) -> None:
    site = with_registries(mini_site, venues=VENUES + closure)
    result = _check(site, "2026-11-20")
    lines = (site / "content" / "data" / "venues.yml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith(f"  {field}:"))
    assert any(re.search(f"content/data/venues.yml:{line}: (（提醒）)?{field}: {re.escape(said)}", text)
               for text in result.stdout.splitlines()), \
        result.stdout
