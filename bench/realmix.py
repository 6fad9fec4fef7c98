"""A benchmark corpus of the sample's real mix: copies of content/events with fresh names and dates.

    python -m bench.realmix OUT_DIR --events 16000

Copy 0 is the sample itself; copy k moves every date of each event by a whole number of weeks
(so weekly series keep their weekday, exdates and sessions stay on the rule) and names the file
``<name>-rNN``. A series on a monthly weekday rule (“the first Wednesday”) cannot move by weeks:
it keeps its dates and its copies' titles carry the copy's number instead. A copy moved out of a
campaign's week leaves the campaign (the check would warn); registries, articles and pages are
the sample's own (fewer events than the sample: no articles, no campaigns' main events, which
name events left out).
"""

from __future__ import annotations

import argparse
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

from bench.corpus import without_main_events

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content"
ISO_DAY = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
BUILD_DAY = date(2026, 12, 1)  # the day the bench builds for (bench.run's BUILD_DATE)


def _weeks(copy: int) -> int:
    """Copy k's shift in weeks: 1, -1, 2, -2, … so that copies spread around the sample's dates."""
    return (copy + 1) // 2 * (1 if copy % 2 else -1)


def _shift(front: str, days: int) -> str:
    def moved(match: re.Match) -> str:
        return (date(*map(int, match.groups())) + timedelta(days=days)).isoformat()

    return ISO_DAY.sub(moved, front)


def _campaign_windows() -> dict[str, tuple[date, date]]:
    data = yaml.safe_load((SAMPLE / "data" / "campaigns.yml").read_text("utf-8")) or []
    return {c["id"]: (c["start"], c["end"]) for c in data}


def _outside(meta: dict, windows: dict[str, tuple[date, date]]) -> bool:
    """True when a (non-recurring) event no longer touches any of its campaigns' weeks."""
    if not meta.get("campaigns") or meta.get("recurrence"):
        return False
    first = _as_day(meta["start"])
    last = _as_day(meta.get("end")) if isinstance(meta.get("end"), (date,)) else first
    return any(not (windows[c][0] <= last and first <= windows[c][1]) for c in meta["campaigns"] if c in windows)


def _as_day(value) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def copy_event(text: str, copy: int, windows: dict[str, tuple[date, date]],
               build_date: date | None = None) -> tuple[str, date]:
    """The text of copy ``copy`` of an event file, and its (new) start day; a copy moved to where its
    first session is not over by ``build_date`` has no attendance (人次 are recorded afterwards),
    nor a change time (``updated``) after it."""
    match = FRONT.match(text)
    front, body = match[1], text[match.end():]
    monthly = "FREQ=MONTHLY" in front or "FREQ=YEARLY" in front
    if copy and monthly:
        front = re.sub(r"^title: (.*)$", lambda m: f"title: {m[1]}（{copy}）", front, count=1, flags=re.MULTILINE)
    elif copy:
        front = _shift(front, 7 * _weeks(copy))
    meta = yaml.safe_load(front)
    if copy and _outside(meta, windows):
        front = re.sub(r"^campaigns:.*\n", "", front, flags=re.MULTILINE)
    first_over = _as_day(meta["end"]) if isinstance(meta.get("end"), date) else _as_day(meta["start"])
    if copy and build_date and first_over >= build_date:
        front = re.sub(r"^attendance:.*\n", "", front, flags=re.MULTILINE)
    if copy and build_date and meta.get("updated") and _as_day(meta["updated"]) > build_date:
        front = re.sub(r"^updated:.*\n", "", front, flags=re.MULTILINE)  # no edit is made after the build's day
    return f"---\n{front}---\n{body}", _as_day(meta["start"])


def generate(out: Path, events: int, build_date: date | None = BUILD_DAY) -> Path:
    """Write a content folder of ``events`` events at ``out`` (replacing it), as of ``build_date``;
    returns its path."""
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    sample = sorted((SAMPLE / "events").rglob("*.md"))
    whole = events >= len(sample)  # the news and campaigns name the sample's events
    for part in ("data", "articles", "pages") if whole else ("data", "pages"):
        if (SAMPLE / part).exists():
            shutil.copytree(SAMPLE / part, content / part)
    if not whole:
        without_main_events(content / "data" / "campaigns.yml")
    windows = _campaign_windows()
    for n in range(events):
        source = sample[n % len(sample)]
        copy = n // len(sample)
        text, start = copy_event(source.read_text("utf-8"), copy, windows, build_date)
        street = source.relative_to(SAMPLE / "events").parts[0]
        name = source.stem if copy == 0 else f"{source.stem}-r{copy:02d}"
        target = content / "events" / street / str(start.year) / f"{name}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description="用示例网站的活动复制出基准测试内容（真实的活动组合）")
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=1000)
    args = parser.parse_args()
    content = generate(args.out, args.events)
    print(f"已生成 {args.events} 项活动：{content}")


if __name__ == "__main__":
    main()
