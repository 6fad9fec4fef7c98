"""Incremental output: a file whose inputs are unchanged since the published build is
hard-linked from it instead of being rendered again.

Every reusable file is written with a fingerprint of everything it was made from. The
fingerprints and the pages' recorded reads (the manifest, megabytes for a large site) are kept
in the cache folder (pickled, named by a digest of the files' fingerprints); the output holds only that digest
(``.kepu-build``), so a manifest always describes the files next to it — a tree whose manifest
is gone (cache deleted, another cache folder) is simply not reused — and nothing of it is
deployed with the site.

The build writes into a recycled tree when there is one: the build before the published one
(the spare). Its files whose fingerprints still match stay where they are, so an edit to one
event neither creates thousands of folders and links nor deletes them afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import time
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..settings import previous_output
from .fragments import replace_file, save_pickle
from .reads import as_path, shared_paths

MANIFEST = ".kepu-build"  # in the output: the digest of its manifest
STORE = "builds"  # in the cache folder: manifests by digest
KEEP = 4  # manifests kept: the published build's, the spare's, and a build under way or two
VERSION = 5
SUFFIX = ".pickle"  # written and read only by this code, like the other caches


def manifest_store(settings: Mapping[str, Any]) -> Path:
    return Path(settings["CACHE_PATH"]) / STORE


def recycle(staging: Path, store: Path, kept: Iterable[str] = ()) -> None:
    """Prepare a spare tree to build into: keep the files its manifest describes (each may
    stay, if its fingerprint still matches) and the files and folders ``kept`` names (their
    owners decide, e.g. the search index's shards), and remove everything else."""
    _prune(str(staging), "", set(_load(staging, store, reads=False)[0]) | {MANIFEST} | set(kept))


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

    def __init__(self, staging: Path, previous: Path | None, store: Path):
        self.staging = staging
        self.previous = previous
        self.store = store
        self.started_ns = time.time_ns()
        self.present, present_reads = _load(staging, store)  # a recycled tree: what is already in place
        # The published build's reads, those the recycled tree does not have (most are the same: decoded once).
        self.known, known_reads = _load(previous, store, skip=present_reads) if previous is not None else ({}, {})
        self.earlier_reads = {**known_reads, **present_reads}  # the reads of earlier pages, by id
        self.fingerprints: dict[str, str] = {}
        self.readsets: dict[str, Sequence] = {}
        self.delta: dict[str, Any] | None = None  # what a forked worker made, for its parent
        self.memo: dict = {}  # digests of values, shared by every reader of this build's context
        self.sizes: dict = {}  # how many values each dataclass holds (engine.canon.small)
        self._folders: set[str] = set()
        self.claims: set[str] = set()  # every path this build's writers have written (a second is a clash)

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
        for rid, readset in delta["readsets"].items():
            if rid not in self.readsets:  # a copy made in the worker: its paths shared with this process's
                self.readsets[rid] = shared_paths(readset)

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
        files = dict(sorted(self.fingerprints.items()))
        # Named after the files' fingerprints, which name their read sets: the same build, the same name.
        name = hashlib.sha256(_compact_json(files).encode("utf-8")).hexdigest()[:32]
        data = {"version": VERSION, "files": files,
                "readsets": _encode({rid: self.readsets[rid] for rid in sorted(self.readsets) if rid in used})}
        save_pickle(self.store / f"{name}{SUFFIX}", data)
        replace_file(self.staging / MANIFEST, name.encode("ascii") + b"\n")
        _forget_old(self.store, name)


def _encode(readsets: Mapping[str, Sequence]) -> dict[str, Any]:
    """Read sets as the manifest keeps them: each path once in a table (read sets share most of
    theirs), a read set as the paths' and modes' places in the tables, packed in bytes — not
    hundreds of thousands of small tuples to make and pickle at the end of every build."""
    places: dict[int, int] = {}  # a path object's place (the kept read sets share path objects)
    paths: dict[tuple, int] = {}  # each path's place, in order: the table (equal paths, one place)
    modes: dict[str, int] = {}
    packed = {}
    for rid, reads in readsets.items():
        indices, kinds = array("I"), bytearray()
        for path, mode in reads:
            place = places.get(id(path))
            if place is None:
                place = places[id(path)] = paths.setdefault(as_path(path), len(paths))
            indices.append(place)
            kinds.append(modes.setdefault(mode, len(modes)))
        packed[rid] = (indices.tobytes(), bytes(kinds))
    return {"paths": list(paths), "modes": list(modes), "packed": packed}


def _decode(encoded: Mapping[str, Any], skip: Mapping[str, Any] | frozenset = frozenset()) -> dict[str, tuple]:
    """The read sets ``_encode`` packed (but those ``skip`` has), each path one object shared by
    every read set."""
    paths, modes = encoded["paths"], encoded["modes"]
    readsets = {}
    for rid, (indices, kinds) in encoded["packed"].items():
        if rid in skip:
            continue
        places = array("I")
        places.frombytes(indices)
        readsets[rid] = tuple(zip(map(paths.__getitem__, places), map(modes.__getitem__, kinds), strict=True))
    return readsets


_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # made once: json.dumps
# with options makes an encoder per call


def _forget_old(store: Path, current: str) -> None:
    """Keep the newest manifests only: older trees are gone (each build replaces the spare)."""
    with contextlib.suppress(OSError):
        found = sorted(store.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for path in found[KEEP:]:
            if path.stem != current:
                path.unlink(missing_ok=True)


def _load(folder: Path, store: Path, reads: bool = True,
          skip: Mapping[str, Any] | frozenset = frozenset()) -> tuple[dict[str, str], dict[str, tuple]]:
    """A tree's files (their fingerprints) and the reads of its pages (``reads``; not those whose
    ids ``skip`` has); empty if unknown."""
    try:
        name = (folder / MANIFEST).read_text("ascii").strip()
        if not name.isalnum():
            return {}, {}
        data = pickle.loads((store / f"{name}{SUFFIX}").read_bytes())
        if data.get("version") == VERSION and isinstance(data["files"], dict):
            return data["files"], _decode(data["readsets"], skip) if reads else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, IndexError, ImportError,
            pickle.UnpicklingError):
        pass
    return {}, {}


_ACTIVE: dict[str, OutputReuse] = {}


def start_reuse(output_path: str, settings: Mapping[str, Any]) -> OutputReuse:
    """This build's reuse of earlier output (one per output folder and build)."""
    reuse = _ACTIVE.get(output_path)
    if reuse is None:
        reuse = _ACTIVE[output_path] = OutputReuse(Path(output_path), previous_output(Path(output_path), settings),
                                                           manifest_store(settings))
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
