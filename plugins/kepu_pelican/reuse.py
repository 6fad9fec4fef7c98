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
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .settings import previous_output

MANIFEST = ".kepu-build.json"
VOLATILE = ("PATH", "OUTPUT", "CACHE", "KEPU_PREVIOUS_OUTPUT", "KEPU_ROOT", "WORKERS")


def digest(*parts: Any) -> str:
    """A short, stable hash of values (bytes are hashed as they are, the rest through repr)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def _files_digest(folders: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> str:
    hasher = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if suffixes is None or path.suffix in suffixes:
                hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def _plain(value: Any) -> bool:
    if isinstance(value, (str, int, float, bool, type(None), date)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def settings_digest(settings: Mapping[str, Any]) -> str:
    """The settings that shape output (plain values only; this machine's paths left out)."""
    plain = {key: value for key, value in settings.items()
             if not any(word in key for word in VOLATILE) and _plain(value)}
    return digest(json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str))


def code_digest(theme: Path, plugins: Path) -> str:
    """The theme and the plugins' Python code: changing either invalidates everything."""
    return digest(_files_digest([theme]), _files_digest([plugins], (".py",)))


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
        self.known = _manifest(previous) if previous is not None else {}
        self.present = _manifest(staging)  # a recycled tree: what is already in place
        self.fingerprints: dict[str, str] = {}
        self._folders: set[str] = set()

    def reuse(self, relative: str, fingerprint: str) -> bool:
        """Record the file's fingerprint; keep or link the old copy if it was made from the
        same inputs."""
        self.fingerprints[relative] = fingerprint
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
        data = {"version": 1, "files": dict(sorted(self.fingerprints.items()))}
        temporary = self.staging / f"{MANIFEST}.tmp"
        temporary.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
        os.replace(temporary, self.staging / MANIFEST)


def _manifest(folder: Path) -> dict[str, str]:
    try:
        files = json.loads((folder / MANIFEST).read_text("utf-8"))["files"]
        return files if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


_ACTIVE: dict[str, OutputReuse] = {}


def start_reuse(output_path: str, settings: Mapping[str, Any]) -> OutputReuse:
    reuse = OutputReuse(Path(output_path), previous_output(Path(output_path), settings))
    _ACTIVE[output_path] = reuse
    return reuse


def remove_stale(output_path: str) -> None:
    reuse = _ACTIVE.get(output_path)
    if reuse is not None:
        reuse.remove_stale()


def finish_reuse(output_path: str) -> None:
    reuse = _ACTIVE.pop(output_path, None)
    if reuse is not None:
        reuse.save()
