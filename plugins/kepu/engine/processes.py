"""Process housekeeping: child processes that end with the build (a killed build must not
leave workers behind to hold its locks and write into a folder the next build removes),
garbage-collector pauses for bulk work, and handing freed memory back to the system."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Bulk creation of long-lived objects (loading caches, reading every event) without the
    cyclic garbage collector rescanning the growing heap again and again; afterwards what
    exists is frozen out of later collections, which then only look at new objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def die_with_parent() -> None:
    """In a child process (Linux): be killed when the parent dies. Elsewhere: nothing."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
