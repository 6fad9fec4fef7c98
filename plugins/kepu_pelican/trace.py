"""Phase timings for profiling builds: set KEPU_TRACE=1 to print them to stderr."""

from __future__ import annotations

import os
import re
import resource
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ENABLED = os.environ.get("KEPU_TRACE") == "1"
# For tests that kill a build between two phases: the build stops itself (SIGSTOP) as the
# phase of this name ends, so that the kill lands exactly there, however fast the build is.
STOP_AFTER = os.environ.get("KEPU_STOP_AFTER")
_STARTED = time.perf_counter()


def _rss_mb() -> float:
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024
    except (OSError, TypeError):
        return 0.0


def _faults() -> int:
    """Minor page faults of this process and its finished children."""
    return sum(resource.getrusage(who).ru_minflt for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def note(message: str) -> None:
    """A fact about this build (e.g. how many parses came from the cache) for tests and
    profiling; printed to stderr as ``[trace] message``, a no-op unless KEPU_TRACE=1."""
    if ENABLED:
        print(f"[trace] {message}", file=sys.stderr, flush=True)


@contextmanager
def phase(name: str):
    """Time a block; a no-op unless KEPU_TRACE=1 (or KEPU_STOP_AFTER names it)."""
    if ENABLED:
        with _timed(name):
            yield
    else:
        yield
    if name == STOP_AFTER:
        os.kill(os.getpid(), signal.SIGSTOP)


@contextmanager
def _timed(name: str):
    started, cpu, faults = time.perf_counter(), os.times(), _faults()
    yield
    elapsed, after = time.perf_counter() - started, os.times()
    user = after.user + after.children_user - cpu.user - cpu.children_user
    system = after.system + after.children_system - cpu.system - cpu.children_system
    print(f"[trace] {time.perf_counter() - _STARTED:7.2f}s  {name:<32} {elapsed:6.2f}s  "
          f"cpu {user:6.2f} user {system:5.2f} sys {(_faults() - faults) / 1000:6.0f}k faults  rss {_rss_mb():6.0f} MB", file=sys.stderr, flush=True)
