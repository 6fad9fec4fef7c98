"""The plugin tier: Pelican with kepu_pelican, run in this process on the mini site. Pelican's
signals are process-global, so the run is fenced: every receiver it connects is disconnected after."""

from __future__ import annotations

import gc
import logging
import shutil
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import blinker
from pelican import Pelican
from pelican.plugins import signals
from pelican.settings import read_settings

from conftest import ROOT, TEST_SITE

SIGNALS = [value for value in vars(signals).values() if isinstance(value, blinker.Signal)]


def _receivers() -> dict[int, set]:
    return {id(signal): set(signal.receivers) for signal in SIGNALS}


@contextmanager
def fenced() -> Iterator[None]:
    """Leave Pelican's signals and the loggers as they were."""
    before, handlers = _receivers(), {name: list(logging.getLogger(name).handlers) for name in ("", "pelican")}
    try:
        yield
    finally:
        for signal in SIGNALS:
            for key in set(signal.receivers) - before[id(signal)]:
                held = signal.receivers[key]
                signal.disconnect(held() if isinstance(held, weakref.ref) else held)
        for name, kept in handlers.items():
            logging.getLogger(name).handlers[:] = kept


def test_pelican_in_process_builds_the_mini_site_and_leaves_no_receiver(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    before = _receivers()
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "BUILD_DATE": date(2026, 12, 1), "PATH": str(site / "content"), "KEPU_ROOT": str(site),
        "OUTPUT_PATH": str(site / "output"), "CACHE_PATH": str(site / "cache"), "PAGEFIND": False})
    frozen = gc.get_freeze_count()
    with fenced():
        Pelican(settings).run()
        assert _receivers() != before  # the plugin did connect its receivers
    assert _receivers() == before
    # The build froze what it made out of the collector's reach; a process that goes on (the
    # test suite, an embedding program) gets it back.
    assert gc.get_freeze_count() <= frozen
    page = (site / "output" / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8")
    assert "流动科技馆进社区" in page and "2026年12月5日（周六）" in page
    feed = (site / "output" / "feeds" / "all.ics").read_text("utf-8")
    assert "DTSTART;TZID=Asia/Shanghai:20261205T090000" in feed
