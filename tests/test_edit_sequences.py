"""Volunteers' edits in random order: after each round of edits, the warm build (reusing what it
can of the published build) must be byte-for-byte the cold build of the same content.

tests/test_incremental.py checks one kind of change at a time; editors make several between two
builds, to events, registries and news, and the build date moves on. A stale page anywhere
(a street's calendar still showing a moved event, a cancelled session still in a feed) shows as
a differing file. The sequences are random but seeded: a failure names the seed, the round and
the edits, so it can be replayed. Before changing the engine, run it longer:
``KEPU_EDIT_SEEDS=20 KEPU_EDIT_ROUNDS=10 pytest tests/test_edit_sequences.py`` (20 more seeds,
every other one in git, ten rounds each)."""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_feed_history import commit, git
from test_incremental import tree

from conftest import ROOT, SAMPLE_BUILD_DATE, run_build

pytestmark = pytest.mark.build

ROUNDS = int(os.environ.get("KEPU_EDIT_ROUNDS", "4"))
SEQUENCES = [(1, False), (2, True)] + [(seed, seed % 2 == 0)
                                        for seed in range(3, 3 + int(os.environ.get("KEPU_EDIT_SEEDS", "0")))]


def _ids(content: Path, registry: str) -> list[str]:
    return re.findall(r"^- id: (\S+)", (content / "data" / registry).read_text("utf-8"), re.M)


def _sub(path: Path, pattern: str, replacement: str | Callable[[re.Match], str]) -> bool:
    """Replace the first match (a line of the front matter); whether there was one."""
    text = path.read_text("utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if count:
        path.write_text(new, "utf-8")
    return bool(count)


def _shift_day(rng: random.Random) -> Callable[[re.Match], str]:
    days = rng.choice([-40, -7, -1, 1, 3, 30])
    return lambda m: m[1] + (date.fromisoformat(m[2]) + timedelta(days=days)).isoformat()


def _recurrence(rng: random.Random, path: Path) -> bool:
    if "rrule:" not in path.read_text("utf-8"):
        return False
    return rng.choice([
        lambda: _sub(path, r"UNTIL=(\d{4}-\d\d)-(\d\d)", lambda m: f"UNTIL={m[1]}-{max(1, int(m[2]) - 7):02d}"),
        lambda: _sub(path, r"BYDAY=\w\w", "BYDAY=" + rng.choice(["SA", "SU", "WE"])),
        lambda: _sub(path, r"^(  rrule: .*)$", lambda m: m[1] + "\n  exdates: [2026-12-13]")
        if "exdates:" not in path.read_text("utf-8") else False,
    ])()


def _toggle_featured(path: Path) -> bool:
    if "\nfeatured:" in path.read_text("utf-8"):
        return _sub(path, r"^featured: .*\n", "")
    return _sub(path, r"^(title: .*)$", lambda m: m[1] + "\nfeatured: true")


def _cancel(rng: random.Random, path: Path) -> bool:
    if "\nstatus:" in path.read_text("utf-8"):
        return _sub(path, r"^status: \S+", "status: " + rng.choice(["scheduled", "cancelled"]))
    return _sub(path, r"^(title: .*)$", lambda m: m[1] + "\nstatus: cancelled\nstatus_note: 因故取消。")


def _copy(rng: random.Random, path: Path) -> bool:
    """A second session of the event, under a new file name and title."""
    copy = path.with_name(f"{path.stem}-jiachang{rng.randrange(1000)}.md")
    if copy.exists():
        return False
    shutil.copy(path, copy)
    return _sub(copy, r"^(title: .*)$", lambda m: m[1] + "（加场）")


def _add_to_body(path: Path) -> bool:
    path.write_text(path.read_text("utf-8") + "\n补充说明：请提前十分钟到场。\n", "utf-8")
    return True


def _delete(path: Path) -> bool:
    path.unlink()
    return True


def event_edits(rng: random.Random, content: Path) -> dict[str, Callable[[Path], bool]]:
    """What volunteers change in an event file, each a function of the file: whether it applied."""
    def pick(registry: str, count: int = 1) -> str:
        return ", ".join(rng.sample(_ids(content, registry), count))

    return {
        "title": lambda p: _sub(p, r"^(title: .*)$", lambda m: m[1] + rng.choice(["（新）", "·二期"])),
        "hour": lambda p: _sub(p, r"^(start: \d{4}-\d\d-\d\d )(\d\d)",
                               lambda m: f"{m[1]}{max(7, min(19, int(m[2]) + rng.choice([-1, 1]))):02d}"),
        "day": lambda p: _sub(p, r"^(start: )(\d{4}-\d\d-\d\d)", _shift_day(rng)),
        "end": lambda p: _sub(p, r'^end: "(\d\d):', lambda m: f'end: "{min(23, int(m[1]) + 1):02d}:'),
        "street": lambda p: _sub(p, r"^street: \S+", "street: " + pick("streets.yml")),
        "team": lambda p: _sub(p, r"^team: \S+", "team: " + pick("teams.yml")),
        "categories": lambda p: _sub(p, r"^categories: \[.*\]", f"categories: [{pick('categories.yml', 2)}]"),
        "audiences": lambda p: _sub(p, r"^audiences: \[.*\]", f"audiences: [{pick('audiences.yml')}]"),
        "programmes": lambda p: _sub(p, r"^programmes: \[.*\]", f"programmes: [{pick('programmes.yml')}]"),
        "campaigns": lambda p: _sub(p, r"^campaigns: \[.*\]", f"campaigns: [{pick('campaigns.yml')}]"),
        "community": lambda p: _sub(p, r"^community: \S+", "community: " + pick("communities.yml")),
        "venue": lambda p: _sub(p, r"^venue: \S+", "venue: " + pick("venues.yml")),
        "capacity": lambda p: _sub(p, r"^  capacity: \d+", f"  capacity: {rng.randrange(5, 300)}"),
        "attendance": lambda p: _sub(p, r"^attendance: \d+", f"attendance: {rng.randrange(5, 300)}"),
        "summary": lambda p: _sub(p, r"^(summary: .*)$", lambda m: m[1] + "欢迎参加。"),
        "body": _add_to_body,
        "recurrence": lambda p: _recurrence(rng, p),
        "featured": _toggle_featured,
        "status": lambda p: _cancel(rng, p),
        "copy": lambda p: _copy(rng, p),
        "delete": _delete,
    }


def other_edit(rng: random.Random, content: Path) -> str:
    """A registry entry renamed or described anew, or a news item retitled."""
    if rng.random() < 0.3:
        article = rng.choice(sorted((content / "articles").rglob("*.md")))
        _sub(article, r"^(title: .*)$", lambda m: m[1] + "（续）")
        return f"article {article.name}"
    registry = rng.choice(["streets.yml", "categories.yml", "teams.yml", "venues.yml", "audiences.yml",
                           "programmes.yml", "people.yml", "communities.yml", "campaigns.yml"])
    path = content / "data" / registry
    lines = re.findall(r"^  (?:name|address|description|contact|title): .*$", path.read_text("utf-8"), re.M)
    line = rng.choice(lines)
    path.write_text(path.read_text("utf-8").replace(line + "\n", line + "乙\n", 1), "utf-8")
    return f"{registry}: {line.strip()}"


def edit_round(rng: random.Random, content: Path) -> list[str]:
    """One to three edits, as between two builds."""
    done = []
    for _ in range(rng.choice([1, 2, 3])):
        if rng.random() < 0.2:
            done.append(other_edit(rng, content))
            continue
        path = rng.choice(sorted((content / "events").rglob("*.md")))
        name, change = rng.choice(sorted(event_edits(rng, content).items()))
        if change(path):
            done.append(f"{name} {path.relative_to(content).as_posix()}")
    return done


@pytest.mark.parametrize(("seed", "in_git"), SEQUENCES)
def test_random_edits_give_the_cold_build(tmp_path: Path, seed: int, in_git: bool) -> None:
    """``in_git``: the content is a git repository and each round is committed, as a district's
    repository is, so that calendar feeds take each event's SEQUENCE and DTSTAMP from its history."""
    rng = random.Random(seed)
    site = tmp_path / "site"
    content = site / "content"
    shutil.copytree(ROOT / "content", content)
    if in_git:
        git(site, "init", "-q", "-b", "main")
        commit(site, "2026-10-01T10:00:00+08:00", "the sample")
    output, cache = tmp_path / "warm", tmp_path / "warm-cache"
    build_date = SAMPLE_BUILD_DATE
    assert run_build(content, output, build_date, extra_args=("--cache", str(cache))).returncode == 0
    history: list[str] = []
    for number in range(ROUNDS):
        before = tmp_path / "before"
        shutil.rmtree(before, ignore_errors=True)
        shutil.copytree(content, before)
        done = edit_round(rng, content)
        if rng.random() < 0.25:
            build_date = rng.choice(["2026-11-20", "2026-12-08", "2027-01-15"])
            done.append(f"build date {build_date}")
        history.append(f"round {number}: " + ("; ".join(done) or "no edit applied"))
        if in_git:
            commit(site, f"2026-11-{10 + number:02d}T10:00:00+08:00", f"round {number}", allow_empty=True)
        warm = run_build(content, output, build_date, extra_args=("--cache", str(cache)))
        cold_output = tmp_path / f"cold-{number}"
        cold = run_build(content, cold_output, build_date, extra_args=("--cache", str(tmp_path / f"cold-cache-{number}")))
        assert warm.returncode == cold.returncode, "\n".join(history) + "\n" + warm.stderr + cold.stderr
        if cold.returncode != 0:  # an edit the build refuses (e.g. a moved date its exceptions no longer fit)
            shutil.rmtree(content)
            shutil.copytree(before, content)  # the volunteer fixes it: back to the last good content
            if in_git:
                commit(site, f"2026-11-{10 + number:02d}T12:00:00+08:00", f"undo round {number}", allow_empty=True)
            history[-1] += " (refused by both builds, undone)"
            continue
        assert ("不在 git 仓库里" in warm.stdout) is not in_git  # stamps from the history, or from the files
        warm_files, cold_files = tree(output), tree(cold_output)
        stale = sorted(path for path in warm_files.keys() | cold_files.keys()
                       if warm_files.get(path) != cold_files.get(path))
        assert stale == [], f"seed {seed}\n" + "\n".join(history)
        shutil.rmtree(cold_output)
