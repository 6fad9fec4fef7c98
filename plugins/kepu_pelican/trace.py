"""Phase timings for profiling builds: set KEPU_TRACE=1 to print them to stderr."""

from __future__ import annotations

import os
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ENABLED = os.environ.get("KEPU_TRACE") == "1"
_STARTED = time.perf_counter()


def _rss_mb() -> float:
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024
    except (OSError, TypeError):
        return 0.0


@contextmanager
def phase(name: str):
    """Time a block; a no-op unless KEPU_TRACE=1."""
    if not ENABLED:
        yield
        return
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    print(f"[trace] {time.perf_counter() - _STARTED:7.2f}s  {name:<32} {elapsed:6.2f}s  rss {_rss_mb():6.0f} MB",
          file=sys.stderr, flush=True)
