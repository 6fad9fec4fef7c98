"""Spread independent page writing over the machine's cores with fork (Linux): slices of one
job over several processes, and whole jobs of one process (the search index, statistics…)
in the background while the build goes on.

The child processes inherit the whole build state (context, index, templates) without
pickling it, write their share of files and return only small results.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO, TypeVar

from kepu.content.events import PARALLEL_THRESHOLD
from kepu.engine.processes import die_with_parent

from .engine.output import sessions
from .services import services_of
from .trace import note
from .writing import merge_writes, writes_of

T = TypeVar("T")
MIN_ITEMS = PARALLEL_THRESHOLD  # as for parsing: fewer events than this are not worth forking for
_JOB: tuple[Callable[[Iterable[Any]], Any], Iterable[Any]] | None = None  # the function, and the items it shares
_RUNNING: list[tuple[int, BinaryIO, Callable[[Any], None]]] = []  # background children: pid, result file, then


def _run(_worker: int) -> Any:
    """In a worker: the function's result, and what it wrote for each build's manifest."""
    assert _JOB is not None
    function, items = _JOB
    return _with_deltas(lambda: function(items))


def _with_deltas(function: Callable[[], T]) -> tuple[T, list]:
    """In a forked child: ``function()``, and what it wrote or linked for each build's manifest."""
    active = sessions()
    for session in active:
        session.begin_delta()
    return function(), [session.delta for session in active]


def _merge_deltas(deltas: list) -> None:
    """In this process: what a child wrote or linked, into each build's manifest."""
    for session, delta in zip(sessions(), deltas, strict=True):
        session.merge(delta)


def spread(settings: dict[str, Any]) -> tuple[int | None, int]:
    """Workers and the least number of events worth forking for, from the settings
    (KEPU_WORKERS, KEPU_PARALLEL_MIN_EVENTS)."""
    return settings.get("KEPU_WORKERS"), settings.get("KEPU_PARALLEL_MIN_EVENTS") or MIN_ITEMS


def fork_map(function: Callable[[Iterable[T]], Any], items: Sequence[T], workers: int | None = None,
             min_items: int = MIN_ITEMS) -> list[Any]:
    """``function`` on the items, each once: in this process for fewer than ``min_items`` items
    or one core, else in this process and forked children, each taking the next few items
    whenever it is free (``Claims``: a long item does not hold up the items after it). One
    result per process, in no particular order; ``function`` must go through its items once."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < min_items or not _can_fork():
        return [function(items)]
    note(f"parallel: {len(items)} items over {workers} processes")
    return _forked(function, Claims(items, multiprocessing.get_context("fork").Value("q", 0), workers), workers)


class Claims:
    """Items shared by forked processes: each process iterating takes the next batch not yet
    taken by any (a counter in shared memory), so that every process stays busy to the end."""

    BATCHES_PER_WORKER = 64  # small enough for an even end, large enough to take the lock rarely

    def __init__(self, items: Sequence[T], counter: Any, workers: int):
        self.items, self.counter = items, counter
        self.batch = max(1, len(items) // (workers * self.BATCHES_PER_WORKER))

    def __iter__(self) -> Iterator[T]:
        while True:
            with self.counter.get_lock():
                start = self.counter.value
                self.counter.value = start + self.batch
            if start >= len(self.items):
                return
            yield from self.items[start:start + self.batch]


def in_background(name: str, function: Callable[[], T], then: Callable[[T], None], size: int,
                  workers: int | None = None, min_items: int = MIN_ITEMS) -> None:
    """``function()`` in a forked child while this process goes on with the next output (one
    process's work, such as the search index, beside the one-process outputs this process
    writes meanwhile); ``then(result)`` in this process when ``join_background`` collects the
    child, with what the child wrote merged into this process's manifests. One child at a time,
    and none beside work spread over every core (``fork_map`` joins it first): each holds memory
    of its own. In this process, and without ``then`` (its writes are this process's own), for
    a small site or one worker."""
    if (workers or os.cpu_count() or 1) < 2 or size < min_items or not _can_fork():
        function()
        return
    join_background()  # one at a time: each holds a process's memory beside the build's
    note(f"background: {name}")
    gc.freeze()  # as _forked: the child's collector leaves the shared heap alone
    # The result goes to a file, not a pipe: a child whose result outgrew a pipe's buffer would
    # wait, holding its memory, until the build joins it.
    result = tempfile.TemporaryFile()  # noqa: SIM115 — closed when joined
    pid = os.fork()
    if pid == 0:  # the child: never returns
        _background_child(function, result)
    _RUNNING.append((pid, result, then))


def write_in_background(name: str, out, writer, body: Callable[[], object], size: int, settings: dict) -> None:
    """``body`` (writing files through ``out``, a ByteWriter, and pages through ``writer``) in
    the background; its files and pages count against second writes here when joined."""
    in_background(name, writes_of(out, writer, body), functools.partial(merge_writes, out, writer), size, *spread(settings))


def background_output(name: str) -> Callable[[Callable[[Any, Any], None]], Callable[[Any, Any], None]]:
    """A generator's ``generate_output`` run in the background (``write_in_background``): for
    outputs no later generator reads, made in one process, so that they share the cores with
    the generators after them."""
    def wrap(method: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
        @functools.wraps(method)
        def generate_output(generator, writer) -> None:
            services = services_of(generator)
            write_in_background(name, services.out, writer, functools.partial(method, generator, writer),
                                len(services.index.entries), generator.settings)

        return generate_output

    return wrap


def _background_child(function: Callable[[], Any], result: BinaryIO) -> None:
    status = 0
    try:
        die_with_parent()
        outcome: tuple = (True, *_with_deltas(function))
    except BaseException:  # every failure goes to the parent, which raises it
        outcome, status = (False, traceback.format_exc(), None), 1
    try:
        pickle.dump(outcome, result, protocol=pickle.HIGHEST_PROTOCOL)
        result.flush()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def join_background() -> None:
    """Wait for every background child, merge what each wrote and hand its result on; a
    child's failure is raised here, with the child's traceback."""
    while _RUNNING:
        pid, result, then = _RUNNING.pop(0)
        _, status = os.waitpid(pid, 0)
        with result:
            result.seek(0)
            data = result.read()
        if not data:
            raise RuntimeError(f"后台构建进程 {pid} 意外退出（状态 {status}）")
        ok, value, deltas = pickle.loads(data)
        if not ok:
            raise RuntimeError(f"后台构建进程出错：\n{value}")
        _merge_deltas(deltas)
        then(value)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _forked(function: Callable[[Iterable[Any]], Any], claims: Claims, workers: int) -> list[Any]:
    """``function`` on the shared ``claims`` in this process and ``workers - 1`` forked children;
    what the children wrote is merged into this process's manifests."""
    global _JOB
    join_background()  # the cores are this job's: a background process would only share them
    _JOB = (function, claims)
    # Objects that exist now are left out of collections from here on (in the children too:
    # their collector would otherwise write to every object and copy every shared page).
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers - 1, initializer=die_with_parent) as pool:
            pending = pool.map_async(_run, range(workers - 1), chunksize=1)
            results = [function(claims)]
            for result, deltas in pending.get():
                _merge_deltas(deltas)
                results.append(result)
            return results
    finally:
        _JOB = None
