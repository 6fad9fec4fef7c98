"""Reading event files for a rebuild: unchanged files are known by their stamp, changed ones parsed."""

from __future__ import annotations

import concurrent.futures
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from kepu.content.events import parse_files, stamp

SAMPLE = sorted((ROOT / "content" / "events").rglob("*.md"))[:12]


def _copies(tmp_path: Path) -> list[tuple[Path, str]]:
    items = []
    for number, source in enumerate(SAMPLE):
        path = tmp_path / f"e{number}.md"
        shutil.copyfile(source, path)
        items.append((path, f"content/events/{path.name}"))
    return items


class _NoPool:
    def __init__(self, *args, **kwargs):
        raise AssertionError("a rebuild of a few changed files started worker processes")


def test_a_rebuild_parses_only_changed_files_and_starts_no_workers_for_a_few(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _copies(tmp_path)
    known = {shown: stamp(path.read_bytes()) for path, shown in items}
    changed = items[3][0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("title: ", "title: 改", 1), encoding="utf-8")
    known[items[5][1]] = b"stale"
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _NoPool)

    results = list(parse_files(items, workers=2, known=known, min_items=3))

    parsed = {shown for (_path, shown), (_stamp, pickled) in zip(items, results, strict=True) if pickled}
    assert parsed == {items[3][1], items[5][1]}
    assert [current for current, _ in results] == [stamp(path.read_bytes()) for path, _ in items]
    assert pickle.loads(results[3][1]).doc.meta["title"].startswith("改")


def test_a_file_that_cannot_be_read_is_parsed_so_its_problem_is_reported(tmp_path: Path) -> None:
    items = _copies(tmp_path)[:2]
    known = {shown: stamp(path.read_bytes()) for path, shown in items}
    items[1][0].unlink()

    (_, first), (current, pickled) = parse_files(items, workers=2, known=known, min_items=3)

    assert first is None and current is None
    assert pickle.loads(pickled).problems
