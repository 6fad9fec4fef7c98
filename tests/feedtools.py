"""Independent readers of .ics files used by the feed tests: a byte-level lint,
Mozilla's ical.js (through node), libical (through the system python3) and
Python's recurring-ical-events."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import recurring_ical_events
import yaml
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[1]
NODE_SCRIPT = ROOT / "tests" / "js" / "occurrences.mjs"
LIBICAL_SCRIPT = ROOT / "tests" / "js" / "libical_check.py"
LIBICAL_OCCURRENCES = ROOT / "tests" / "js" / "libical_occurrences.py"
SYSTEM_PYTHON = "/usr/bin/python3"


def lint(data: bytes) -> list[str]:
    """Byte-level problems that make some client reject or mangle a feed."""
    problems = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a BOM")
    if re.search(rb"(?<!\r)\n", data) or re.search(rb"\r(?!\n)", data):
        problems.append("line ending other than CRLF")
    lines = data.split(b"\r\n")
    if lines[-1] != b"":
        problems.append("does not end with CRLF")
    for number, line in enumerate(lines[:-1], start=1):
        if len(line) > 75:
            problems.append(f"line {number} is {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} is not valid UTF-8 on its own (character split by a fold)")
        if re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line):
            problems.append(f"line {number} has a control character")
        following = lines[number] if number < len(lines) else b""
        trailing = len(line) - len(line.rstrip(b"\\"))
        if following.startswith(b" ") and trailing % 2:
            problems.append(f"line {number} ends in an unescaped backslash before a fold")
    text = data.decode("utf-8", "replace")
    unfolded = text.replace("\r\n ", "")
    used = set(re.findall(r";TZID=([^:;]+)[:;]", unfolded))
    defined = set(re.findall(r"\r\nTZID:([^\r\n]+)", unfolded))
    if used - defined:
        problems.append(f"TZID used but not defined: {sorted(used - defined)}")
    calendar = Calendar.from_ical(data)
    # One VEVENT per UID, besides its RECURRENCE-ID overrides (one per overridden instance).
    uids = [(str(e["UID"]), e.get("RECURRENCE-ID") and e.decoded("RECURRENCE-ID"))
            for e in calendar.walk("VEVENT")]
    if len(uids) != len(set(uids)):
        problems.append("duplicate UID in one file")
    masters = {uid for uid, instance in uids if instance is None}
    if any(uid not in masters for uid, instance in uids if instance is not None):
        problems.append("a RECURRENCE-ID override without its series")
    for event in calendar.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        if type(start) is not type(end) or not end > start:
            problems.append(f"{event['UID']}: DTEND {end} not after DTSTART {start}")
    return problems


def stamp_text(value: date | datetime) -> str:
    """Times as ical.js prints them: UTC with milliseconds; dates as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return value.isoformat()


def python_occurrences(path: Path, start: date, end: date) -> list[tuple[str, str, str]]:
    calendar = Calendar.from_ical(path.read_bytes())
    found = recurring_ical_events.of(calendar).between(start, end)
    return sorted((str(e["UID"]), stamp_text(e["DTSTART"].dt), stamp_text(e["DTEND"].dt)) for e in found)


def node_available() -> bool:
    return shutil.which("node") is not None and (ROOT / "node_modules" / "ical.js").is_dir()


def icaljs(paths: list[Path], start: date, end: date) -> dict[str, list[dict]]:
    """ical.js's reading of each file: one dict per occurrence in [start, end)."""
    result = subprocess.run(["node", str(NODE_SCRIPT), start.isoformat(), end.isoformat(),
                             *map(str, paths)], capture_output=True, text=True, check=True,
                            timeout=300, cwd=ROOT)
    return json.loads(result.stdout)


def libical_available() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0');"
                            "from gi.repository import ICalGLib"], capture_output=True)
    return probe.returncode == 0


def libical_errors(paths: list[Path]) -> dict[str, list[str]]:
    """libical's restriction check: X-LIC-ERROR properties per file."""
    result = subprocess.run([SYSTEM_PYTHON, str(LIBICAL_SCRIPT), *map(str, paths)],
                            capture_output=True, text=True, check=True, timeout=300)
    return json.loads(result.stdout)


def libical_occurrences(paths: list[Path], start: date, end: date) -> dict[str, list[tuple[str, str]]]:
    """libical's recurrence iterator's reading of each file: (uid, start) per occurrence."""
    result = subprocess.run([SYSTEM_PYTHON, str(LIBICAL_OCCURRENCES), start.isoformat(), end.isoformat(),
                             *map(str, paths)], capture_output=True, text=True, check=True, timeout=300)
    return {path: [tuple(item) for item in found] for path, found in json.loads(result.stdout).items()}


def event_fronts(content: Path) -> dict[str, dict]:
    """Each published event's front matter as plain strings (an independent reading)."""
    found = {}
    for path in (content / "events").rglob("*.md"):
        front = yaml.load(path.read_text("utf-8").split("---")[1], Loader=yaml.BaseLoader)
        if front.get("draft") != "true":
            found[path.stem] = front
    return found


def event_occurrences(output: Path, slug: str, until: date) -> list:
    """An event's occurrences expanded by recurring-ical-events: from its own .ics, or, for an
    event long over (it has none), from its record in the open data."""
    path = output / "events" / f"{slug}.ics"
    cal = Calendar.from_ical(path.read_bytes()) if path.exists() else _calendar_from_record(output, slug)
    return list(recurring_ical_events.of(cal).between(date(2000, 1, 1), until))


_RECORDS: dict[Path, dict] = {}


def _calendar_from_record(output: Path, slug: str) -> Calendar:
    from datetime import timedelta

    from icalendar import Event, vRecur

    if output not in _RECORDS:
        data = json.loads((output / "data" / "events.json").read_text("utf-8"))
        _RECORDS[output] = {e["id"]: e for e in data["events"]}
    record = _RECORDS[output][slug]
    parse = date.fromisoformat if record["all_day"] else datetime.fromisoformat
    event = Event()
    event.add("uid", f"{slug}@test")
    event.add("dtstart", parse(record["start"]))
    end = parse(record["end"])
    event.add("dtend", end + timedelta(days=1) if record["all_day"] else end)
    if record["recurrence"]:
        event.add("rrule", vRecur.from_ical(record["recurrence"]["rrule"]))
        for key in ("exdates", "rdates"):
            if record["recurrence"][key]:
                event.add(key[:-1], [parse(value) for value in record["recurrence"][key]])
    calendar = Calendar()
    calendar.add_component(event)
    return calendar
