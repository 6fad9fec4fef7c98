"""What the content repository's history says about each event file: when it last
changed and how many times its time, place, status or recurrence changed (SEQUENCE)."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

# Changes to these fields make calendar clients update an event (RFC 5545 SEQUENCE).
SIGNIFICANT_FIELDS = ("start", "end", "duration", "timezone", "venue", "online", "status",
                      "previous_start", "recurrence")


@dataclass(frozen=True, slots=True)
class FileHistory:
    """``modified`` is the last commit touching the file; ``sequence`` counts significant changes."""

    modified: datetime | None
    sequence: int


def significant(text: str) -> tuple:
    """The fields of a revision that matter to calendars, comparable across revisions."""
    parts = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n---", 1)
    front = parts[0].removeprefix("---")
    try:
        meta = yaml.load(front, Loader=yaml.BaseLoader)  # strings only: no YAML 1.1 surprises
    except yaml.YAMLError:
        return ("unreadable", front)
    if not isinstance(meta, dict):
        return ("unreadable", front)
    return tuple(repr(meta.get(key)) for key in SIGNIFICANT_FIELDS)


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True,
                                check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _commits_by_file(root: Path, folder: str) -> dict[str, list[tuple[str, int]]]:
    """path → [(commit, unix time)], oldest first, for every file under ``folder``."""
    out = _git(root, "log", "--format=%x00%H %ct", "--name-only", "--no-renames", "--", folder)
    commits: dict[str, list[tuple[str, int]]] = {}
    for block in (out or b"").decode("utf-8", "replace").split("\x00")[1:]:
        header, _, names = block.partition("\n")
        sha, _, stamp = header.partition(" ")
        for name in filter(None, (n.strip() for n in names.split("\n"))):
            commits.setdefault(name, []).append((sha, int(stamp)))
    for revisions in commits.values():
        revisions.reverse()
    return commits


def _blobs(root: Path, requests: list[str]) -> list[str]:
    """Contents of ``commit:path`` objects in one ``git cat-file --batch`` call."""
    if not requests:
        return []
    out = _git(root, "cat-file", "--batch", data=("\n".join(requests) + "\n").encode()) or b""
    texts, position = [], 0
    for _ in requests:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        if len(header) < 3 or header[1] == b"missing":
            texts.append("")
            position = end + 1
            continue
        size = int(header[2])
        texts.append(out[end + 1:end + 1 + size].decode("utf-8", "replace"))
        position = end + 1 + size + 1
    return texts


def _modified(root: Path, folder: str) -> set[str]:
    """Files with uncommitted changes: their working copy is the newest version."""
    out = _git(root, "status", "--porcelain", "--no-renames", "-z", "--", folder) or b""
    return {entry[3:].decode("utf-8", "replace") for entry in out.split(b"\x00") if len(entry) > 3}


def load_history(root: Path, files: Iterable[Path]) -> dict[Path, FileHistory]:
    """History of each file; empty when ``root`` is not in a git work tree."""
    files = list(files)
    top = _git(root, "rev-parse", "--show-toplevel") if files else None
    if top is None:
        return {}
    top_path = Path(top.decode().strip()).resolve()
    relative = {f: f.resolve().relative_to(top_path).as_posix() for f in files}
    folder = _common_folder(relative.values()) or "."
    commits = _commits_by_file(top_path, folder)
    modified = _modified(top_path, folder)
    requests, owners = [], []
    for path, rel in relative.items():
        revisions = commits.get(rel, [])
        if len(revisions) > 1 or (revisions and rel in modified):
            requests.extend(f"{sha}:{rel}" for sha, _ in revisions)
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
        if rel in modified:
            texts.append(path.read_text("utf-8", "replace"))
        history[path] = FileHistory(datetime.fromtimestamp(revisions[-1][1], UTC), _changes(texts))
    return history


def _changes(versions: list[str]) -> int:
    """How many times the significant fields changed from one version to the next."""
    marks = [significant(text) for text in versions if text]
    return sum(1 for before, after in itertools.pairwise(marks) if before != after)


def _common_folder(paths: Iterable[str]) -> str:
    parts = [Path(p).parent.parts for p in paths]
    if not parts:
        return ""
    common = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common)
