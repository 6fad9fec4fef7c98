"""Same content and build date, byte-identical output: whatever the hash seed, time zone and locale."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import ENVIRONMENTS, environment, run_build

pytestmark = pytest.mark.build


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(sample_builds) -> dict[str, dict[str, str]]:
    """The sample built in this machine's environment and in each of ENVIRONMENTS (the same builds
    other tests read: sample_output is the "default" one)."""
    found = {}
    for name in ("default", *ENVIRONMENTS):
        built = sample_builds(name)
        assert built.result.returncode == 0, (name, built.result.stderr[-2000:])
        assert "Traceback" not in built.result.stderr
        found[name] = tree(built.output)
    return found


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_output_does_not_depend_on_hash_seed_time_zone_or_locale(
        name: str, builds: dict[str, dict[str, str]]) -> None:
    first, other = builds["default"], builds[name]
    assert first.keys() == other.keys(), sorted(first.keys() ^ other.keys())[:10]
    assert [path for path in first if first[path] != other[path]] == []
    assert len(first) > 300


def test_mini_site_builds_identically_twice_in_one_folder(mini_site: Path, mini_output: Path,
                                                          tmp_path: Path) -> None:
    """A rebuild over a previous output (reusing what did not change) equals a fresh build."""
    fresh, again = mini_output, tmp_path / "again"
    assert run_build(mini_site / "content", again, env=environment(ENVIRONMENTS["kiritimati-posix"])
                     ).returncode == 0
    assert run_build(mini_site / "content", again, env=environment(ENVIRONMENTS["new-york-c-utf8"])
                     ).returncode == 0
    assert tree(fresh) == tree(again)
