"""Pelican made safe to kill: atomic cache writes, tolerant cache loads, no writes through links."""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path

from pelican import cache as pelican_cache
from pelican import writers as pelican_writers

from kepu.processes import collector_paused

logger = logging.getLogger(__name__)

PARTIAL = ".partial-"


def remove_partial_writes(cache_dir: Path) -> None:
    """Delete cache files a killed build was still writing (they were never renamed into place)."""
    if not cache_dir.is_dir():
        return
    for path in cache_dir.iterdir():
        if PARTIAL in path.name and path.is_file():
            path.unlink(missing_ok=True)


def _save_atomically(self: pelican_cache.FileDataCacher) -> None:
    """Write the cache beside its final name, then rename: readers see old or new, never half."""
    if not self._cache_data_policy:
        return
    final = Path(self._cache_path)
    partial = final.with_name(f"{final.name}{PARTIAL}{os.getpid()}")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        with self._cache_open(partial, "wb") as handle, collector_paused():
            pickle.dump(self._cache, handle)
        os.replace(partial, final)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        logger.warning("无法保存缓存 %s（%s），下次构建会重新读取全部内容", final, error)
        partial.unlink(missing_ok=True)


def make_cache_robust() -> None:
    """Patch Pelican's cacher once per process.

    Pelican writes its pickles in place, so a build killed mid-write leaves a truncated
    gzip file, and loading one raises EOFError, which Pelican does not catch; nor does it
    catch a pickle that names a class since renamed. Both now mean "start with no cache".
    """
    cacher = pelican_cache.FileDataCacher
    if getattr(cacher, "_kepu_robust", False):
        return
    original = cacher.__init__

    def tolerant_init(self, settings, cache_name, caching_policy, load_policy):
        try:
            with collector_paused():
                original(self, settings, cache_name, caching_policy, load_policy)
        except Exception as error:
            logger.warning("缓存 %s 无法读取（%s），本次重新读取全部内容", cache_name, type(error).__name__)
            original(self, settings, cache_name, caching_policy, False)

    cacher.__init__ = tolerant_init
    cacher.save_cache = _save_atomically
    cacher._kepu_robust = True


def _break_shared_link(path: str) -> None:
    """A file that shares its inode (hard-linked from the published build) is replaced, never
    rewritten in place: writing through the link would change the live site mid-build."""
    try:
        if os.stat(path).st_nlink > 1:
            os.unlink(path)
    except FileNotFoundError:
        pass


def protect_published_files() -> None:
    """Patch Pelican's writer once per process so that it never writes through a hard link."""
    writer = pelican_writers.Writer
    if getattr(writer, "_kepu_unlinks", False):
        return
    original = writer._open_w

    def open_unshared(self, filename, encoding, override=False):
        _break_shared_link(filename)
        return original(self, filename, encoding, override)

    writer._open_w = open_unshared
    writer._kepu_unlinks = True
