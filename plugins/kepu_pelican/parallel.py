"""Spread independent page writing over the machine's cores with fork (Linux).

The child processes inherit the whole build state (context, index, templates) without
pickling it, write their share of files and return only small results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from kepu.content.events import PARALLEL_THRESHOLD
from kepu.engine.processes import die_with_parent

from .engine.output import sessions
from .trace import note

T = TypeVar("T")
MIN_ITEMS = PARALLEL_THRESHOLD  # as for parsing: fewer events than this are not worth forking for
_JOB: tuple[Callable[[Sequence[Any]], Any], list[Sequence[Any]]] | None = None


def _run(part: int) -> Any:
    """In a worker: the function's result, and what it wrote for each build's manifest."""
    assert _JOB is not None
    function, parts = _JOB
    active = sessions()
    for session in active:
        session.begin_delta()
    return function(parts[part]), [session.delta for session in active]


def spread(settings: dict[str, Any]) -> tuple[int | None, int]:
    """Workers and the least number of events worth forking for, from the settings
    (KEPU_WORKERS, KEPU_PARALLEL_MIN_EVENTS)."""
    return settings.get("KEPU_WORKERS"), settings.get("KEPU_PARALLEL_MIN_EVENTS") or MIN_ITEMS


def fork_map(function: Callable[[Sequence[T]], Any], items: Sequence[T], workers: int | None = None,
             min_items: int = MIN_ITEMS) -> list[Any]:
    """``function`` on interleaved slices of ``items``: in this process for fewer than
    ``min_items`` items or one core, else one slice here and the others in forked children.
    Results in slice order."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < min_items or not _can_fork():
        return [function(items)]
    parts = [items[i::workers] for i in range(workers)]
    note(f"parallel: {len(items)} items over {workers} processes")
    return _forked(function, parts, here=True)


def in_child(function: Callable[[], T], size: int, workers: int | None = None, min_items: int = MIN_ITEMS) -> T:
    """``function()`` in one forked child while this process waits: for bulk work over ``size``
    events whose intermediate objects (a search index's postings, a whole CSV document) would
    otherwise stay in the build process's fragmented heap, and so in every later phase's
    memory. In this process for a small site or one worker (``KEPU_WORKERS=1``)."""
    if (workers or os.cpu_count() or 1) < 2 or size < min_items or not _can_fork():
        return function()
    return _forked(lambda _part: function(), [()], here=False)[0]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _forked(function: Callable[[Sequence[Any]], Any], parts: list[Sequence[Any]], here: bool) -> list[Any]:
    """``function`` on each part, the first in this process if ``here``, the rest in forked
    children; what the children wrote is merged into this process's manifests."""
    global _JOB
    _JOB = (function, parts)
    # Objects that exist now are left out of collections from here on (in the children too:
    # their collector would otherwise write to every object and copy every shared page).
    gc.freeze()
    start = 1 if here else 0
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(len(parts) - start, initializer=die_with_parent) as pool:
            pending = pool.map_async(_run, range(start, len(parts)), chunksize=1)
            results = [function(parts[0])] if here else []
            for result, deltas in pending.get():
                for session, delta in zip(sessions(), deltas, strict=True):
                    session.merge(delta)  # the pages a worker wrote or linked, for the manifest
                results.append(result)
            return results
    finally:
        _JOB = None
