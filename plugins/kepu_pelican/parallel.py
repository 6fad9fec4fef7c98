"""Spread independent page writing over the machine's cores with fork (Linux).

The child processes inherit the whole build state (context, index, templates) without
pickling it, write their share of files and return only small results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from kepu.processes import die_with_parent

T = TypeVar("T")
MIN_ITEMS = 400
_JOB: tuple[Callable[[Sequence[Any]], Any], list[Sequence[Any]]] | None = None


def _run(part: int) -> Any:
    assert _JOB is not None
    function, parts = _JOB
    return function(parts[part])


def fork_map(function: Callable[[Sequence[T]], Any], items: Sequence[T], workers: int | None = None,
             min_items: int = MIN_ITEMS) -> list[Any]:
    """``function`` on interleaved slices of ``items``: in this process for fewer than
    ``min_items`` items or one core, else one slice here and the others in forked children.
    Results in slice order."""
    global _JOB
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [function(items)]
    parts = [items[i::workers] for i in range(workers)]
    _JOB = (function, parts)
    # Objects that exist now are left out of collections from here on (in the children too:
    # their collector would otherwise write to every object and copy every shared page).
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers - 1, initializer=die_with_parent) as pool:
            pending = pool.map_async(_run, range(1, workers))
            first = function(parts[0])
            return [first, *pending.get()]
    finally:
        _JOB = None


_BACKGROUND: list[int] = []


def in_background(function: Callable[[], Any]) -> None:
    """Run optional work (saving a cache) in a forked child, a snapshot of this process,
    while the build goes on; ``wait_for_background`` joins it. Runs here where fork is
    unavailable."""
    if "fork" not in multiprocessing.get_all_start_methods():
        function()
        return
    gc.freeze()  # as in fork_map: keep the child from copying every shared page
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        try:
            die_with_parent()
            function()
        except Exception as error:  # optional work: say so, never fail the build
            print(f"警告：缓存未能保存（{error}），下次构建会重新生成。", file=sys.stderr)
        finally:
            os._exit(0)
    _BACKGROUND.append(pid)


def wait_for_background() -> None:
    """Wait for every background child."""
    while _BACKGROUND:
        os.waitpid(_BACKGROUND.pop(), 0)
