"""What the content repository's history says about each event file: when it last
changed and how many times its time, place, status or recurrence changed (SEQUENCE)."""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import os
import re
import subprocess
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path

import yaml

from kepu.content.dates import DateFormatError, parse_clock, parse_when, shorten
from kepu.content.fspaths import resolved_folder
from kepu.content.safety import harmless_yaml
from kepu.content.sessions import CANCEL_WORDS

# Changes to these fields make calendar clients update an event (RFC 5545 SEQUENCE).
SIGNIFICANT_FIELDS = ("start", "end", "duration", "timezone", "venue", "online", "status",
                      "previous_start", "recurrence")
# Parts of ``recurrence`` that change single sessions (one moved, one left out, one added), not the series.
SINGLE_SESSION_FIELDS = ("sessions", "exdates", "rdates")


# What a revision did to one session of a series (SessionEdit.kind).
CANCELLED, MOVED, PLACE, LEFT_OUT, ADDED, DROPPED, RESTORED = (
    "cancelled", "moved", "place", "left out", "added", "dropped", "restored")
STOPPED, RESUMED = "stopped", "resumed"  # the series called off from that session on; that taken back


@dataclass(frozen=True, slots=True)
class SessionEdit:
    """What one revision did to one session of a series, in that revision's own words: a
    ``sessions`` entry (cancelled, moved, a new place only), a date left out (exdates) or added
    (rdates), an added one taken back (dropped), or an entry or left-out date taken back (restored)."""

    day: str  # the session's date, YYYY-MM-DD
    kind: str
    start: str = ""  # moved: the new start as written (a date and time, or a time alone); added: the date
    end: str = ""  # moved: the new end as written
    place: str = ""  # moved or a new place: its name
    note: str = ""


@dataclass(frozen=True, slots=True)
class Revision:
    """How one revision wrote the series as a whole, for wording its changes in its own terms."""

    start: str = ""  # as written
    end: str = ""
    place: str = ""  # the event's place (a registered venue's name, by its id)
    rule: str = ""  # recurrence.rrule as written
    stop: str = ""  # the day its series was called off from (recurrence.sessions' from), YYYY-MM-DD


UNREAD = Revision()  # a revision not read: the event is worded as it stands


@dataclass(frozen=True, slots=True)
class Change:
    """A significant change to an event: when (commit time; None while uncommitted) and what."""

    when: datetime | None
    kind: str  # rescheduled, shortened, extended, moved, cancelled, postponed, restored, full, session, updated
    sessions: tuple[SessionEdit, ...] = ()  # the single sessions the revision changed, by day
    revision: Revision = UNREAD  # the series as the revision wrote it
    previous: Revision = UNREAD  # … and as the revision before it did


@dataclass(frozen=True, slots=True)
class FileHistory:
    """``created``/``modified``: first and last commit touching the file; ``sequence`` counts
    significant changes; ``changes`` lists them, oldest first."""

    modified: datetime | None
    sequence: int
    created: datetime | None = None
    changes: tuple[Change, ...] = ()
    first: Revision = UNREAD  # the series as its first revision wrote it
    # Each revision's time (None: not committed) and the registered venues it named by id: its
    # own, and those its moved sessions went to (a venue's change is news to the events there then).
    venues: tuple[tuple[datetime | None, str, tuple[str, ...]], ...] = ()

    def venues_at(self, when: datetime) -> tuple[str, tuple[str, ...]] | None:
        """The event's own venue id and its moved sessions' at ``when`` (None: no revision read)."""
        found = None
        for time, own, moved in self.venues:
            if time is not None and time > when:
                break
            found = (own, moved)
        return found


def revision_meta(text: str) -> tuple[str, dict | None]:
    """A revision's front matter as written, and its fields as text (None when it is not a mapping
    YAML reads, or not harmless: old revisions are content too, and a hostile one must not hang us)."""
    front = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n---", 1)[0].removeprefix("---")
    if not harmless_yaml(front):
        return front, None
    try:
        meta = yaml.load(front, Loader=yaml.BaseLoader)  # strings only: no YAML 1.1 surprises
    except yaml.YAMLError:
        return front, None
    return front, meta if isinstance(meta, dict) else None


def significant(text: str, places: Mapping[str, tuple[str, str]] | None = None,
                read: tuple[str, dict | None] | None = None) -> tuple:
    """The fields of a revision that matter to calendars, comparable across revisions.

    A place is its name and address, whether written out or named by its venues.yml id
    (``places``): writing a registered venue's id instead of its name moves nothing. ``read``: the
    text's ``revision_meta`` when the caller has it."""
    front, meta = read or revision_meta(text)
    if meta is None:
        return ("unreadable", front)
    values = {key: meta.get(key) for key in SIGNIFICANT_FIELDS}
    values["venue"] = _place(values["venue"], places or {})
    recurrence = values["recurrence"]
    single: dict = {}
    if isinstance(recurrence, dict):  # one session changed is told apart from the series changing
        single = {key: recurrence.get(key) for key in SINGLE_SESSION_FIELDS}
        values["recurrence"] = {k: v for k, v in recurrence.items() if k not in SINGLE_SESSION_FIELDS}
    clock = _clock(values["start"])
    compared = {**values, "start": _moment(values["start"]), "end": _moment(values["end"], values["start"]),
                "previous_start": _moment(values["previous_start"])}
    sessions = _sessions(single.get("sessions"), places or {})
    return (*(repr(compared[key]) for key in SIGNIFICANT_FIELDS), sessions,
            _dates(single.get("exdates"), ""), _dates(single.get("rdates"), clock), _revision(values, sessions))


def _moment(value: object, day_of: object = None) -> object:
    """A time as the moment it names, written one way: ``2026-12-05 16:00``, ``2026-12-05 16:00:00``
    and (beside a start on the 5th) ``"16:00"`` alike, as the web editor's save rewrites them;
    anything that is no time as written (the build refuses it, or it is not there)."""
    if not isinstance(value, str):
        return value
    try:
        return parse_when(value).isoformat()
    except DateFormatError:
        pass
    try:
        clock = parse_clock(value)
    except DateFormatError:
        return value
    day = _moment(day_of)
    return f"{day[:10]}T{clock.isoformat()}" if isinstance(day, str) and _is_day(day[:10]) else clock.isoformat()


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clock(start: object) -> str:
    """The series' time of day as written in its start (2026-11-07 14:00 → 14:00); "" for all day."""
    text = _text(start)
    return text[10:].strip() if len(text) > 10 else ""


def _revision(values: dict, sessions: object) -> Revision:
    """``sessions``: the revision's changed sessions as ``_sessions`` read them (its stop's day is kept)."""
    recurrence = values["recurrence"]
    rule = _text(recurrence.get("rrule")) if isinstance(recurrence, dict) else ""
    stops = [day for day, _, edit in sessions if edit.kind == STOPPED] if isinstance(sessions, tuple) else []
    return Revision(_old(_text(values["start"]), "time"), _old(_text(values["end"]), "time"),
                    _old(_place_name(values["venue"]), "place"), _old(rule, "rule"), stops[0] if stops else "")


def _place_name(place: object) -> str:
    """A place as ``_place`` gives it, by name."""
    return place[0] if isinstance(place, tuple) else _text(place)


def _dates(dates: object, clock: str) -> object:
    """A revision's dates taken out of a series (``clock`` "": a day is a session, however
    written) or added to it (a date alone, or at the series' time ``clock``, is the day: it moves
    with the series), in order; anything else as written. Dates that are no dates are left out:
    the build refuses such a revision."""
    if dates is None:
        return ()
    if isinstance(dates, str):
        dates = [dates]
    if not isinstance(dates, list):
        return repr(dates)
    found = set()
    for value in map(str, dates):
        value = value.strip()
        if _is_day(value[:10]):  # at the series' own time, written or not: the same session
            found.add(value[:10] if not clock or value[10:].strip() in ("", clock) else value)
    return tuple(sorted(found))


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _sessions(sessions: object, places: Mapping[str, tuple[str, str]]) -> object:
    """A revision's changed sessions by date, each with its entry written out in one way (keys in
    order: moving entries or their keys around changes nothing) and what it says; anything else as written."""
    if sessions is None:
        return ()
    if not isinstance(sessions, list):
        return repr(sessions)
    entries = []
    for item in sessions:
        if isinstance(item, dict) and "from" in item and "date" not in item:
            entries.extend(_stop(item))
            continue
        day = str(item.get("date", "")).strip()[:10] if isinstance(item, dict) else ""
        if not _is_day(day):
            continue  # no session the build would accept: no one's change to tell
        place = _place(item.get("venue"), places)
        edit = _session_edit(day, item, _place_name(place))
        if edit.kind == PLACE and not edit.place:
            continue  # says nothing of how the session changes: the build refuses it
        # Written one way: the day without the series' time, a cancellation in one word, a place by name.
        start = _moment(item.get("start"), day)
        written = {**item, "date": day, "status": CANCELLED if edit.kind == CANCELLED else item.get("status"),
                   "venue": place, "start": start, "end": _moment(item.get("end"), start or day)}
        entries.append((day, json.dumps(written, ensure_ascii=False, sort_keys=True), edit))
    return tuple(sorted(entries, key=lambda entry: entry[:2]))


def _stop(item: dict) -> list[tuple[str, str, SessionEdit]]:
    """A revision's ``from`` item (the series called off from that session on), as ``_sessions``
    writes an entry; none when the build would refuse it."""
    day = str(item.get("from", "")).strip()[:10]
    if not _is_day(day) or str(item.get("status") or "").strip().lower() not in CANCEL_WORDS:
        return []
    edit = SessionEdit(day, STOPPED, note=_old(str(item.get("note") or "").strip(), "note"))
    return [(day, json.dumps({"from": day, "note": edit.note}, ensure_ascii=False, sort_keys=True), edit)]


# The longest text of an old revision that is published (the change feed quotes it): the check
# read only the last revision; one in between may have held a note of any length.
OLD_TEXT = {"note": 200, "place": 200, "time": 40, "rule": 300}


def _old(text: str, kind: str) -> str:
    return shorten(text, OLD_TEXT[kind])


def _session_edit(day: str, item: dict, place: str) -> SessionEdit:
    note = _old(str(item.get("note") or "").strip(), "note")
    if str(item.get("status") or "").strip().lower() in CANCEL_WORDS:
        return SessionEdit(day, CANCELLED, note=note)
    start, end = (_old(str(item.get(key) or "").strip(), "time") for key in ("start", "end"))
    return SessionEdit(day, MOVED if start else PLACE, start, end, _old(place, "place"), note)


_TIME_FIELDS = {SIGNIFICANT_FIELDS.index(k) for k in ("start", "end", "duration", "timezone", "recurrence")}
_RECURRENCE = SIGNIFICANT_FIELDS.index("recurrence")
_PLACE_FIELDS = {SIGNIFICANT_FIELDS.index(k) for k in ("venue", "online")}
_STATUS = SIGNIFICANT_FIELDS.index("status")
_SESSIONS = len(SIGNIFICANT_FIELDS)  # recurrence.sessions, exdates, rdates: single sessions
_EXDATES, _RDATES, _REVISION = _SESSIONS + 1, _SESSIONS + 2, _SESSIONS + 3
_STATUS_KINDS = {"'cancelled'": "cancelled", "'已取消'": "cancelled", "'取消'": "cancelled",
                 "'postponed'": "postponed", "'延期'": "postponed", "'改期'": "postponed",
                 "'full'": "full", "'已满'": "full"}


def session_edits(before: tuple, after: tuple) -> tuple[SessionEdit, ...]:
    """What one revision did to single sessions, by day: a ``sessions`` entry added or changed (as
    the new one says), or taken out (restored); a date left out (exdates) or given back (restored);
    one added (rdates) or taken back (dropped)."""
    edits: list[SessionEdit] = []
    old, new = before[_SESSIONS], after[_SESSIONS]
    if isinstance(old, tuple) and isinstance(new, tuple):
        was = {day: (text, edit) for day, text, edit in old if day}
        now = {day: (text, edit) for day, text, edit in new if day}
        for day in was.keys() | now.keys():
            if was.get(day, ("",))[0] != now.get(day, ("",))[0]:
                if day in now:
                    edits.append(now[day][1])
                elif was[day][1].kind == STOPPED:
                    edits.append(SessionEdit(day, RESUMED))
                elif not _outside_series(after[_REVISION], day):  # (an entry left over a shortened series: no session)
                    edits.append(SessionEdit(day, RESTORED))
    for index, (gone, came) in ((_EXDATES, (RESTORED, LEFT_OUT)), (_RDATES, (DROPPED, ADDED))):
        old, new = before[index], after[index]
        if isinstance(old, tuple) and isinstance(new, tuple):
            edits.extend(SessionEdit(d[:10], gone, start=d) for d in set(old) - set(new)
                         # a left-out date no longer one of a shortened series' days gives nothing back
                         if gone != RESTORED or not _outside_series(after[_REVISION], d[:10]))
            edits.extend(SessionEdit(d[:10], came, start=d) for d in set(new) - set(old))
    # A day both given back and changed otherwise (a left-out date now cancelled with its reason): the change.
    changed = {e.day for e in edits if e.kind != RESTORED}
    kept = {(e.day, e.kind, e.start): e for e in edits if e.kind != RESTORED or e.day not in changed}
    return tuple(kept[key] for key in sorted(kept))


_UNTIL = re.compile(r"UNTIL=(\d{4})-?(\d{2})-?(\d{2})", re.IGNORECASE)


def _outside_series(revision: object, day: str) -> bool:
    """Whether ``day`` (2027-03-13) lies before the revision's first session or after its rule's
    UNTIL: a ``sessions`` entry or a left-out date taken out for such a day gives nothing back (the
    series was shortened; its entry had to go, as the check asks), so it is no 恢复."""
    if not isinstance(revision, Revision):
        return False
    until = _UNTIL.search(revision.rule)
    return bool(revision.start and day < revision.start[:10]) or bool(until and day > "-".join(until.groups()))


def _place(venue: object, places: Mapping[str, tuple[str, str]]) -> object:
    if isinstance(venue, str) and venue.strip() in places:
        return places[venue.strip()]
    if isinstance(venue, dict):
        return tuple(str(venue.get(key) or "").strip() for key in ("name", "address"))
    return venue


def _meaning(mark: tuple) -> tuple:
    """A revision's significant fields without the texts it was written with (its changed sessions'
    own words, its ``Revision``): what two revisions are compared by."""
    sessions = mark[_SESSIONS]
    if isinstance(sessions, tuple):
        sessions = tuple((day, written) for day, written, _edit in sessions)
    return (*mark[:_SESSIONS], sessions, *mark[_SESSIONS + 1:_REVISION])


def change_kind(before: tuple, after: tuple) -> str | None:
    """What a subscriber would call the change between two revisions' significant fields."""
    if "unreadable" in (before[0], after[0]) or _meaning(before) == _meaning(after):
        return None
    if before[_STATUS] != after[_STATUS]:
        kind = _STATUS_KINDS.get(after[_STATUS])
        if kind:
            return kind
        if before[_STATUS] in _STATUS_KINDS and _STATUS_KINDS[before[_STATUS]] in ("cancelled", "postponed"):
            return "restored" if not any(before[i] != after[i] for i in _TIME_FIELDS) else "rescheduled"
    if any(before[i] != after[i] for i in _TIME_FIELDS):
        return _rule_end(before, after) or "rescheduled"
    if any(before[i] != after[i] for i in _PLACE_FIELDS):
        return "moved"
    if _meaning(before)[_SESSIONS:] != _meaning(after)[_SESSIONS:]:
        return "session"
    return "updated"


_ENDS = re.compile(r";?(UNTIL|COUNT)=([^;]*)", re.IGNORECASE)


def _rule_end(before: tuple, after: tuple) -> str | None:
    """"shortened" or "extended" when the only change to the series' time is its rule's end (UNTIL
    or COUNT given, moved or dropped): sessions go or come, none is held at another time."""
    if any(before[i] != after[i] for i in _TIME_FIELDS - {_RECURRENCE}):
        return None
    old, new = before[_REVISION], after[_REVISION]
    if not isinstance(old, Revision) or not isinstance(new, Revision):
        return None
    if _ENDS.sub("", old.rule).upper() != _ENDS.sub("", new.rule).upper():
        return None
    was, now = _rule_limit(old.rule), _rule_limit(new.rule)
    if was == now or (was[0] != now[0] and None not in (was[0], now[0])):
        return None  # an UNTIL for a COUNT: which ends first is the rule's to say
    return "shortened" if now[0] is not None and (was[0] is None or now[1] < was[1]) else "extended"


def _rule_limit(rule: str) -> tuple[str | None, object]:
    """A rule's end: ("UNTIL", its day as digits) or ("COUNT", the number); (None, None) for none."""
    found = _ENDS.search(rule)
    if found is None:
        return None, None
    kind, value = found[1].upper(), found[2].strip()
    return (kind, re.sub(r"\D", "", value)[:8]) if kind == "UNTIL" else (kind, int(value) if value.isdigit() else -1)


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True,
                                check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _commits_by_file(root: Path, folder: str) -> dict[str, list[tuple[str, int, str]]]:
    """path → [(commit, unix time, the file's path in that commit)], oldest first, for every file
    under ``folder``; a file moved with ``git mv`` (to its street's folder, say) keeps its history.

    The history is what the checked-out branch published: its own commits, one after another
    (``--first-parent``), a merged branch's work as its merge commit, diffed against what the branch
    had before (``-m``), at the merge's time. A branch's commits in between are not versions that
    were published: dated before an edit made on main meanwhile, they read as overwritten by it."""
    out = _git(root, "-c", "core.quotepath=off", "log", "--first-parent", "-m", "-M", "--format=%x00%H %ct",
               "--name-status", "--", folder)
    commits: dict[str, list[tuple[str, int, str]]] = {}
    owner: dict[str, str | None] = {}  # a path in older commits → the file it is now (None: another file)
    for block in (out or b"").decode("utf-8", "replace").split("\x00")[1:]:  # newest commit first
        header, _, changes = block.partition("\n")
        sha, _, stamp = header.partition(" ")
        for change in filter(None, changes.split("\n")):
            status, *paths = change.split("\t")
            paths = [_unquoted(p) for p in paths]
            path = paths[-1]
            current = owner.get(path, path)
            if current is not None:
                commits.setdefault(current, []).append((sha, int(stamp), path))
            if status.startswith("R") and len(paths) == 2:
                owner[paths[0]], owner[path] = current, None
            elif status[:1] in ("A", "D"):  # before this commit the name meant another file, or none
                owner[path] = None
    for revisions in commits.values():
        revisions.reverse()
    return commits


def _unquoted(path: str) -> str:
    """A path as git names it: one with a quote, a backslash or a control character is written in
    quotes with C escapes (core.quotepath=off leaves the rest of the UTF-8 as it is)."""
    if len(path) < 2 or not (path.startswith('"') and path.endswith('"')):
        return path
    return codecs.escape_decode(path[1:-1].encode("utf-8"))[0].decode("utf-8", "replace")


def commit_time(stamp: int) -> datetime:
    """A commit's time: any 'git commit' can be dated outside what a calendar holds; such a date
    is read as the nearest one it can hold (and the feeds date nothing after their build)."""
    return datetime.fromtimestamp(min(max(stamp, 0), LATEST_STAMP), UTC)


LATEST_STAMP = 253402300799  # 9999-12-31T23:59:59Z


def _blobs(root: Path, requests: list[str]) -> list[str]:
    """Contents of ``commit:path`` objects in one ``git cat-file --batch`` call."""
    if not requests:
        return []
    asked = [request if "\n" not in request else "0" * 40 for request in requests]  # one per line: git cannot ask
    out = _git(root, "cat-file", "--batch", data=("\n".join(asked) + "\n").encode()) or b""
    texts, position = [], 0
    for _ in asked:
        end = out.index(b"\n", position)
        header = out[position:end]
        # "<sha> <type> <size>", or "<what was asked> missing" (which may hold spaces of its own)
        fields = header.split()
        if header.endswith((b" missing", b" ambiguous")) or len(fields) != 3 or not fields[2].isdigit():
            texts.append("")
            position = end + 1
            continue
        size = int(fields[2])
        texts.append(out[end + 1:end + 1 + size].decode("utf-8", "replace"))
        position = end + 1 + size + 1
    return texts


def _modified(root: Path, folder: str) -> set[str]:
    """Files with uncommitted changes: their working copy is the newest version."""
    out = _git(root, "status", "--porcelain", "--no-renames", "-z", "--", folder) or b""
    return {entry[3:].decode("utf-8", "replace") for entry in out.split(b"\x00") if len(entry) > 3}


@dataclass(frozen=True, slots=True)
class PlaceEdit:
    """A registered venue renamed or given another address by a commit of venues.yml."""

    when: datetime
    ident: str
    before: tuple[str, str]  # (name, address)
    after: tuple[str, str]


@dataclass(frozen=True)
class PlaceHistory:
    """The registered venues as each commit of venues.yml wrote them (oldest first), and now:
    an old revision of an event is read with the registry of its time, and a venue's own change
    (renamed, moved, its coordinates corrected) is a change of the events that name it."""

    revisions: tuple[tuple[datetime, Mapping[str, tuple[str, ...]]], ...] = ()  # id → (name, address, lat, lon)
    current: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id → (name, address)

    @cached_property
    def _named(self) -> tuple[list[datetime], list[dict[str, tuple[str, str]]]]:
        """Each revision's commit time and its venues' names and addresses, made once: every
        revision of every event file is read with one of them."""
        return ([time for time, _ in self.revisions],
                [{ident: place[:2] for ident, place in places.items()} for _, places in self.revisions])

    @cached_property
    def _last_changes(self) -> dict[str, datetime]:
        """Each venue's last changed name, address or coordinates (its registration is no change)."""
        found, before = {}, {}
        for time, places in self.revisions:
            for ident, place in places.items():
                if ident in before and place != before[ident]:
                    found[ident] = time
                before[ident] = place
        return found

    @cached_property
    def _edits(self) -> dict[str, tuple[PlaceEdit, ...]]:
        """Each venue's renamings and new addresses, oldest first (coordinates alone: not said)."""
        found: dict[str, list[PlaceEdit]] = {}
        before: dict[str, tuple[str, str]] = {}
        for time, places in self.revisions:
            for ident, place in places.items():
                named = (place[0], place[1])
                if ident in before and named != before[ident]:
                    found.setdefault(ident, []).append(PlaceEdit(time, ident, before[ident], named))
                before[ident] = named
        return {ident: tuple(edits) for ident, edits in found.items()}

    def edits(self, ident: str) -> tuple[PlaceEdit, ...]:
        return self._edits.get(ident, ())

    def at(self, when: datetime | None) -> Mapping[str, tuple[str, str]]:
        """Each venue's name and address as the registry had them at ``when`` (None: now)."""
        if when is None or not self.revisions:
            return self.current
        times, named = self._named
        position = bisect_right(times, when)
        return named[position - 1] if position else {}

    def changed(self, ident: str) -> datetime | None:
        """When a commit last changed the venue's name, address or coordinates."""
        return self._last_changes.get(ident)


def place_history(content: Path, venues: Path, current: Mapping[str, object]) -> PlaceHistory:
    """venues.yml's history in the git work tree holding ``content`` (empty outside one);
    ``current``: the registry as loaded now (id → Place)."""
    now = {ident: (place.name, place.address) for ident, place in current.items()}
    top = work_tree(content)
    if top is None or not venues.is_file():
        return PlaceHistory((), now)
    top = top.resolve()
    try:
        relative = venues.resolve().relative_to(top).as_posix()
    except ValueError:
        return PlaceHistory((), now)
    out = _git(top, "log", "--first-parent", "--format=%H %ct", "--", relative) or b""
    commits = [line.split() for line in out.decode().splitlines() if line.strip()][::-1]  # oldest first
    texts = _blobs(top, [f"{sha}:{relative}" for sha, _ in commits])
    revisions = tuple((commit_time(int(stamp)), _registry_places(text))
                      for (_, stamp), text in zip(commits, texts, strict=True))
    return PlaceHistory(revisions, now)


def _place_fields(item: Mapping) -> tuple[str, ...]:
    return tuple(str(item.get(key) if item.get(key) is not None else "").strip()
                 for key in ("name", "address", "lat", "lon"))


def _registry_places(text: str) -> dict[str, tuple[str, ...]]:
    """A revision of venues.yml as id → (name, address, lat, lon), as text; {} when unreadable."""
    if not harmless_yaml(text):
        return {}
    try:
        items = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(items, list):
        return {}
    return {str(item["id"]).strip(): _place_fields(item) for item in items
            if isinstance(item, dict) and isinstance(item.get("id"), str)}


def load_history(content: Path, files: Iterable[Path], places: PlaceHistory | None = None) -> dict[Path, FileHistory]:
    """History of each file in the git work tree holding the ``content`` folder (its own
    repository, which may not be the program's); empty outside one. ``places``: the registered
    venues over time (see ``significant``): each revision is read with the registry of its time."""
    files = list(files)
    top = _git(content, "rev-parse", "--show-toplevel") if files else None
    if top is None:
        return {}
    top_path = Path(top.decode().strip()).resolve()
    relative = _relative_paths(files, top_path)
    folder = _common_folder(relative.values()) or "."
    commits = _commits_by_file(top_path, folder)
    modified = _modified(top_path, folder)
    requests, owners = [], []
    for path, rel in relative.items():
        revisions = commits.get(rel, [])
        if len(revisions) > 1 or (revisions and rel in modified):
            requests.extend(f"{sha}:{then}" for sha, _, then in revisions)
            owners.extend(path for _ in revisions)
    versions: dict[Path, list[str]] = {}
    for owner, text in zip(owners, _blobs(top_path, requests), strict=True):
        versions.setdefault(owner, []).append(text)
    history = {}
    for path, rel in relative.items():
        revisions = commits.get(rel, [])
        if not revisions:
            continue
        texts = versions.get(path, [])
        times = [commit_time(stamp) for _, stamp, _ in revisions]
        if rel in modified:
            texts.append(path.read_text("utf-8", "replace"))
            times.append(None)
        changes, first, venues = _changes(texts, times[-len(texts):] if texts else [], places)
        history[path] = FileHistory(times[len(revisions) - 1], len(changes), times[0], tuple(changes), first,
                                    tuple(venues))
    return history


def _changes(versions: list[str], times: list[datetime | None], places: PlaceHistory | None = None
             ) -> tuple[list[Change], Revision, list[tuple[datetime | None, str, tuple[str, ...]]]]:
    """Each significant change from one version to the next, dated by the later version; and the
    series as the first version wrote it. A venue named by its id is read as the registry of the
    version's time wrote it: a venue renamed later did not move the events that named it then."""
    places = places or PlaceHistory()
    registries = [places.at(when) for when in times]
    read = [revision_meta(text) for text in versions]
    marks = [significant(text, named, meta) for text, named, meta in zip(versions, registries, read, strict=True)]
    found = []
    for step, ((before, after), when) in enumerate(zip(itertools.pairwise(marks), times[1:], strict=True)):
        if registries[step] != registries[step + 1]:
            # The registry changed between the two: the venue's own change is not the event's (a
            # session moved after its venue's address was written out is not the series moved).
            before = significant(versions[step], registries[step + 1], read[step])
        kind = change_kind(before, after)
        if kind:
            found.append(Change(when, kind, session_edits(before, after), after[_REVISION], before[_REVISION]))
    first = marks[0][_REVISION] if marks and len(marks[0]) > _REVISION else UNREAD
    venues = [(when, *_venues_named(meta)) for (_, meta), when in zip(read, times, strict=True)]
    return found, first, venues


def _venues_named(meta: dict | None) -> tuple[str, tuple[str, ...]]:
    """A revision's own venue id and its moved sessions' (as written: ids are plain text)."""
    meta = meta or {}
    own = meta.get("venue") if isinstance(meta.get("venue"), str) else ""
    recurrence = meta.get("recurrence") if isinstance(meta.get("recurrence"), dict) else {}
    items = recurrence.get("sessions") if isinstance(recurrence.get("sessions"), list) else []
    moved = tuple(item["venue"].strip() for item in items if isinstance(item, dict) and isinstance(item.get("venue"), str))
    return own.strip(), moved


def _relative_paths(files: list[Path], top: Path) -> dict[Path, str]:
    """Each file's path inside the work tree ``top``, with '/' (string work: thousands of files)."""
    prefix = str(top).rstrip(os.sep) + os.sep
    folders: dict[str, str] = {}
    relative = {}
    for path in files:
        folder = os.path.dirname(path)
        inside = folders.get(folder)
        if inside is None:
            full = str(resolved_folder(Path(folder))) + os.sep
            if not full.startswith(prefix):
                raise ValueError(f"{path} is not in {top}")
            inside = folders[folder] = full[len(prefix):].replace(os.sep, "/")
        relative[path] = inside + os.path.basename(path)
    return relative


def _common_folder(paths: Iterable[str]) -> str:
    folders = {p.rpartition("/")[0] for p in paths}
    if not folders:
        return ""
    common = os.path.commonpath([f"/{f}" for f in folders]).strip("/")
    return common


class UnknownBase(Exception):
    """The change's base cannot be found (a misspelt branch, or a shallow clone without it)."""


def work_tree(folder: Path) -> Path | None:
    """The top folder of the git work tree that holds ``folder`` (None outside one)."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    return Path(top.decode().strip()) if top is not None else None


def content_repository(content: Path, project: Path) -> Path:
    """The folder paths of content are named from where the web editor saves and CODEOWNERS
    applies: the git work tree holding the content (its own repository beside the generator, or
    the project's), else the project folder."""
    return work_tree(content) or project


def _change_since(folder: Path, base: str) -> tuple[Path, str, str]:
    """Where a change since ``base`` is read: the work tree's top, the commit it forked from
    (its merge base with ``base``) and ``folder`` inside the tree; UnknownBase without them. A
    folder the change deleted whole (every sample event removed) is read from the nearest one left."""
    present = folder
    while not present.is_dir() and present.parent != present:
        present = present.parent
    top_path = work_tree(present)
    fork = _git(present, "merge-base", base, "HEAD") if top_path is not None else None
    if top_path is None or fork is None:
        raise UnknownBase(base)
    return top_path, fork.decode().strip(), os.path.relpath(folder.resolve(), top_path.resolve())


def added_since(folder: Path, base: str) -> set[Path]:
    """Files under ``folder`` that the change since ``base`` adds: added in commits after the merge base
    with ``base``, staged, or new and not yet committed (absolute paths)."""
    top_path, fork, where = _change_since(folder, base)
    committed = _git(top_path, "diff", "--name-only", "-z", "--diff-filter=A", "--no-renames",
                     fork, "--", where) or b""
    pending = _git(top_path, "status", "--porcelain", "--no-renames", "-z", "--untracked-files=all",
                   "--", where) or b""
    names = set(filter(None, committed.decode("utf-8", "replace").split("\x00")))
    names.update(entry[3:].decode("utf-8", "replace") for entry in pending.split(b"\x00")
                 if entry[:2] in (b"A ", b"??", b"AM"))
    return {top_path / name for name in names}


def gone_since(folder: Path, base: str) -> list[tuple[Path, Path | None]]:
    """Files under ``folder`` that the change since ``base`` deletes (new: None) or renames
    (git's rename detection: the same content under another name), as (old, new) absolute paths;
    committed after the merge base with ``base``, or staged or changed and not yet committed."""
    top_path, fork, where = _change_since(folder, base)
    out = _git(top_path, "-c", "core.quotepath=off", "diff", "--name-status", "-z", "-M", "--diff-filter=DR",
               fork, "--", where) or b""
    fields = out.decode("utf-8", "replace").split("\x00")
    found, position = [], 0
    while position < len(fields) - 1:
        status = fields[position]
        if status.startswith("R"):
            found.append((top_path / fields[position + 1], top_path / fields[position + 2]))
            position += 3
        else:
            found.append((top_path / fields[position + 1], None))
            position += 2
    return found


def rewritten_since(folder: Path, base: str) -> list[tuple[Path, str]]:
    """Files under ``folder`` that the change since ``base`` edits in place (not added, renamed or
    deleted), each with its text at the merge base with ``base`` (absolute paths)."""
    top_path, fork, where = _change_since(folder, base)
    out = _git(top_path, "-c", "core.quotepath=off", "diff", "--name-only", "-z", "--diff-filter=M", "--no-renames",
               fork, "--", where) or b""
    names = [name for name in out.decode("utf-8", "replace").split("\x00") if name]
    return list(zip((top_path / name for name in names), _blobs(top_path, [f"{fork}:{name}" for name in names]),
                    strict=True))


NO_GIT, SHALLOW, FULL = "none", "shallow", "full"
_DERIVED_FROM = datetime(2000, 1, 1, tzinfo=UTC)


def repository_state(folder: Path) -> str:
    """Whether ``folder`` is in a git work tree (NO_GIT), one cloned with only its latest commits
    (SHALLOW: every event would look changed by the latest commit), or one with its whole history."""
    shallow = _git(folder, "rev-parse", "--is-shallow-repository")
    if shallow is None:
        return NO_GIT
    return SHALLOW if shallow.strip() == b"true" else FULL


def derived_stamp(data: bytes) -> datetime:
    """A stand-in revision time for a file with no history: deterministic, in the year 2000 (so any
    real time is later), and different whenever the file's bytes are."""
    seconds = int.from_bytes(hashlib.sha256(data).digest()[:8], "big") % (366 * 24 * 3600)
    return _DERIVED_FROM + timedelta(seconds=seconds)
