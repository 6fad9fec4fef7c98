"""Work handed to forked processes: results come back, and what a child wrote still counts in
the build process (a second write of the same file is refused there, as in one process)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kepu_pelican.parallel import fork_map, in_child
from kepu_pelican.writing import ByteWriter

pytestmark = pytest.mark.e2e  # forks


def test_in_child_runs_in_another_process_and_returns_its_result() -> None:
    parent = os.getpid()
    child, result = in_child(lambda: (os.getpid(), "结果"), size=500, workers=2, min_items=400)
    assert child != parent and result == "结果"
    # A small site, or one worker: in this process.
    assert in_child(lambda: os.getpid(), size=10, workers=2, min_items=400) == parent
    assert in_child(lambda: os.getpid(), size=500, workers=1, min_items=400) == parent


def test_a_file_written_in_a_child_cannot_be_written_again_here(tmp_path: Path) -> None:
    out = ByteWriter(str(tmp_path))
    out.adopt(in_child(out.written_in(lambda: out.write("search/index.json", b"{}")), size=500, workers=2,
                       min_items=400))
    assert (tmp_path / "search" / "index.json").read_bytes() == b"{}"
    with pytest.raises(RuntimeError, match="写入了两次"):
        out.write("search/index.json", b"[]")
    assert (tmp_path / "search" / "index.json").read_bytes() == b"{}"


def test_fork_map_gives_each_slice_once_in_order() -> None:
    parent = os.getpid()
    results = fork_map(lambda part: (os.getpid(), list(part)), list(range(10)), workers=2, min_items=4)
    assert [items for _, items in results] == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    assert results[0][0] == parent and results[1][0] != parent
