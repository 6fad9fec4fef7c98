"""Work handed to forked processes: results come back, and what a child wrote still counts in
the build process (a second write of the same file is refused there, as in one process); work
in the background is collected when the build joins it, its failures raised there."""

from __future__ import annotations

import functools
import multiprocessing
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from kepu_pelican.parallel import fork_map, in_background, join_background, write_in_background
from kepu_pelican.writing import ByteWriter

pytestmark = pytest.mark.e2e  # forks


def test_background_work_runs_in_another_process_and_is_collected_when_joined() -> None:
    parent, results = os.getpid(), []
    in_background("测试", lambda: (os.getpid(), "结果"), results.append, size=500, workers=2, min_items=400)
    assert results == []  # this process went on: the result is handed over only when joined
    join_background()
    assert len(results) == 1 and results[0][0] != parent and results[0][1] == "结果"
    # A small site, or one worker: done here at once (its writes are this process's own).
    for size, workers in ((10, 2), (500, 1)):
        here: list[int] = []
        in_background("测试", functools.partial(lambda seen: seen.append(os.getpid()), here), results.append,
                      size=size, workers=workers, min_items=400)
        assert here == [parent]
    join_background()
    assert len(results) == 1


def test_a_failure_in_the_background_is_raised_when_joined() -> None:
    def broken() -> None:
        raise ValueError("索引写不下去")

    in_background("测试", broken, lambda _: None, size=500, workers=2, min_items=400)
    with pytest.raises(RuntimeError, match="索引写不下去"):
        join_background()
    join_background()  # nothing left to collect


def test_a_file_written_in_the_background_and_here_is_refused(tmp_path: Path) -> None:
    out, pages = ByteWriter(str(tmp_path)), SimpleNamespace(claimed=set())
    settings = {"KEPU_WORKERS": 2, "KEPU_PARALLEL_MIN_EVENTS": 400}
    write_in_background("测试", out, pages, lambda: out.write("search/index.json", b"{}"), 500, settings)
    out.write("data/events.json", b"[]")
    join_background()
    assert (tmp_path / "search" / "index.json").read_bytes() == b"{}"
    with pytest.raises(RuntimeError, match="写入了两次"):  # after the join, as in one process
        out.write("search/index.json", b"[]")
    write_in_background("测试", out, pages, lambda: out.write("stats/summary.csv", b"a"), 500, settings)
    out.write("stats/summary.csv", b"b")  # here first: the clash is found when the two meet
    with pytest.raises(RuntimeError, match=r"^stats/summary\.csv 被写入了两次"):
        join_background()


def test_fork_map_gives_each_item_once_to_a_process() -> None:
    parent = os.getpid()
    results = fork_map(lambda part: (os.getpid(), list(part)), list(range(10)), workers=2, min_items=4)
    assert sorted(item for _, items in results for item in items) == list(range(10))
    assert len(results) == 2 and parent in {pid for pid, _ in results}
    assert len({pid for pid, _ in results}) == 2


def test_a_long_item_does_not_hold_up_the_items_after_it() -> None:
    """Item 0 takes until every other item is done: the other process must take them all (a
    fixed share per process would leave items 2, 4, … waiting behind it)."""
    context = multiprocessing.get_context("fork")
    done, others_done = context.Value("i", 0), context.Event()

    def work(part) -> tuple[int, list[int], bool]:
        handled, waited = [], True
        for item in part:
            handled.append(item)
            if item == 0:
                waited = others_done.wait(60)  # set at once when the others are shared out well
                continue
            with done.get_lock():
                done.value += 1
                if done.value == 9:
                    others_done.set()
        return os.getpid(), handled, waited

    results = fork_map(work, list(range(10)), workers=2, min_items=4)
    assert all(waited for _, _, waited in results)
    assert sorted(len(handled) for _, handled, _ in results) == [1, 9]
