"""Incremental output: a file whose inputs are unchanged since the published build is
hard-linked from it instead of being rendered again.

Every reusable file is written with a fingerprint of everything it was made from; the
fingerprints travel inside the output (``.kepu-build.json``), so they always describe the
files next to them, whatever happened to caches or to a failed build.

The build writes into a recycled tree when there is one: the build before the published one
(the spare). Its files whose fingerprints still match stay where they are, so an edit to one
event neither creates thousands of folders and links nor deletes them afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..settings import previous_output
from .reads import frozen

MANIFEST = ".kepu-build.json"
VERSION = 3


def recycle(staging: Path, kept: Iterable[str] = ()) -> None:
    """Prepare a spare tree to build into: keep the files its manifest describes (each may
    stay, if its fingerprint still matches) and the files and folders ``kept`` names (their
    owners decide, e.g. the search index's shards), and remove everything else."""
    _prune(str(staging), "", set(_manifest(staging)) | {MANIFEST} | set(kept))


def _prune(folder: str, prefix: str, keep: set[str]) -> bool:
    """Remove what is not kept below ``folder``; whether anything is left in it."""
    left = False
    with os.scandir(folder) as entries:
        for entry in entries:
            relative = prefix + entry.name
            if relative in keep:
                left = True
            elif entry.is_dir(follow_symlinks=False):
                if _prune(entry.path, relative + "/", keep):
                    left = True
                else:
                    with contextlib.suppress(OSError):
                        os.rmdir(entry.path)
            else:
                os.unlink(entry.path)
    return left


class OutputReuse:
    """Decides, file by file, whether a file of an earlier build can stand: one still in the
    recycled staging tree, or one linked from the published build."""

    def __init__(self, staging: Path, previous: Path | None):
        self.staging = staging
        self.previous = previous
        self.started_ns = time.time_ns()
        self.known, known_reads = _load(previous) if previous is not None else ({}, {})
        self.present, present_reads = _load(staging)  # a recycled tree: what is already in place
        self.earlier_reads = {**known_reads, **present_reads}  # the reads of earlier pages, by id
        self.fingerprints: dict[str, str] = {}
        self.readsets: dict[str, list] = {}
        self.delta: dict[str, Any] | None = None  # what a forked worker made, for its parent
        self.memo: dict = {}  # digests of values, shared by every reader of this build's context
        self.sizes: dict = {}  # how many values each dataclass holds (engine.canon.small)
        self._folders: set[str] = set()

    def record(self, relative: str, fingerprint: str, readsets: Mapping[str, list] | None = None) -> None:
        """A file of this build and what it was made from (for the manifest)."""
        self.fingerprints[relative] = fingerprint
        if readsets:
            self.readsets.update(readsets)
        if self.delta is not None:
            self.delta["files"][relative] = fingerprint
            self.delta["readsets"].update(readsets or {})

    def earlier(self, relative: str) -> list[str]:
        """The fingerprints this file had in the recycled tree and in the published build."""
        return list(dict.fromkeys(f for f in (self.present.get(relative), self.known.get(relative)) if f))

    def begin_delta(self) -> None:
        self.delta = {"files": {}, "readsets": {}}

    def merge(self, delta: Mapping[str, Any]) -> None:
        """Take in what a worker process wrote or linked."""
        self.fingerprints.update(delta["files"])
        self.readsets.update(delta["readsets"])

    def reuse(self, relative: str, fingerprint: str) -> bool:
        """Record the file's fingerprint; keep or link the old copy if it was made from the
        same inputs. An empty fingerprint: made from something that cannot be compared."""
        if not fingerprint:
            return False
        self.record(relative, fingerprint)
        new = os.path.join(self.staging, relative)
        if relative in self.present:
            if self.present[relative] == fingerprint and os.path.isfile(new):
                return True
            with contextlib.suppress(FileNotFoundError):
                os.unlink(new)  # made from other inputs: replaced by a link or a new file
        if self.previous is None or self.known.get(relative) != fingerprint:
            return False
        old = os.path.join(self.previous, relative)
        folder = os.path.dirname(new)
        if folder not in self._folders:  # one mkdir per folder, not per file
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        try:
            os.link(old, new)
        except FileNotFoundError:
            return False  # the previous build does not have it after all
        except OSError:  # another file system, or links not allowed
            try:
                shutil.copy2(old, new)
            except OSError:
                return False
        return True

    def staged_bytes(self, relative: str) -> bytes:
        """A reused file's bytes."""
        return (self.staging / relative).read_bytes()

    def remove_stale(self) -> None:
        """Remove what the recycled tree had and this build did not make (an event deleted
        since); a file written by this build under such a name stays."""
        for relative in self.present.keys() - self.fingerprints.keys():
            path = os.path.join(self.staging, relative)
            try:
                if os.stat(path).st_mtime_ns >= self.started_ns:
                    continue
                os.unlink(path)
            except FileNotFoundError:
                continue
            folder = os.path.dirname(path)
            while folder != str(self.staging):
                try:
                    os.rmdir(folder)
                except OSError:
                    break
                folder = os.path.dirname(folder)

    def save(self) -> None:
        used = {f.split(":", 1)[0] for f in self.fingerprints.values() if ":" in f}
        paths: dict[str, int] = {}  # each path once: read sets list them by number
        readsets = {rid: [[paths.setdefault(_compact_json(path), len(paths)), mode] for path, mode in reads]
                    for rid, reads in sorted(self.readsets.items()) if rid in used}
        data = {"version": VERSION, "files": dict(sorted(self.fingerprints.items())),
                "paths": list(paths), "readsets": readsets}
        temporary = self.staging / f"{MANIFEST}.tmp"
        temporary.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
        os.replace(temporary, self.staging / MANIFEST)


_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # made once: json.dumps
# with options makes an encoder per call, and a manifest has about five paths per page


def _load(folder: Path) -> tuple[dict[str, str], dict[str, list]]:
    """A manifest's files (their fingerprints) and the reads of its pages; empty if unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
        if data.get("version") == VERSION and isinstance(data["files"], dict) and isinstance(data["readsets"], dict):
            paths = [frozen(json.loads(path)) for path in data["paths"]]  # each converted once
            return data["files"], {rid: [[paths[number], mode] for number, mode in reads]
                                   for rid, reads in data["readsets"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return {}, {}


def _manifest(folder: Path) -> dict[str, str]:
    return _load(folder)[0]


_ACTIVE: dict[str, OutputReuse] = {}


def start_reuse(output_path: str, settings: Mapping[str, Any]) -> OutputReuse:
    """This build's reuse of earlier output (one per output folder and build)."""
    reuse = _ACTIVE.get(output_path)
    if reuse is None:
        reuse = _ACTIVE[output_path] = OutputReuse(Path(output_path), previous_output(Path(output_path), settings))
    return reuse


def active(output_path: str) -> OutputReuse | None:
    return _ACTIVE.get(output_path)


def sessions() -> list[OutputReuse]:
    """This process's builds under way (one, except in tests)."""
    return list(_ACTIVE.values())


def remove_stale(output_path: str) -> None:
    reuse = _ACTIVE.get(output_path)
    if reuse is not None:
        reuse.remove_stale()


def finish_reuse(output_path: str) -> None:
    reuse = _ACTIVE.pop(output_path, None)
    if reuse is not None:
        reuse.save()
