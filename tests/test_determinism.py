"""Same content and build date, byte-identical output: whatever the hash seed, time zone and locale."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import ROOT, plugin_env, run_build

pytestmark = pytest.mark.build

# Only C.utf8 exists on this machine: the others are names a volunteer's laptop or a CI image
# may well set, and a build must neither fail on them nor let them leak into the output.
ENVIRONMENTS = {
    "new-york-c-utf8": {"PYTHONHASHSEED": "1", "TZ": "America/New_York", "LC_ALL": "C.UTF-8",
                        "LANG": "C.UTF-8"},
    "shanghai-missing-zh-locale": {"PYTHONHASHSEED": "2", "TZ": "Asia/Shanghai",
                                   "LANG": "zh_CN.GB18030", "LC_TIME": "zh_CN.UTF-8"},
    "kiritimati-posix": {"PYTHONHASHSEED": "random", "TZ": "Pacific/Kiritimati", "LC_ALL": "POSIX",
                         "LANGUAGE": "fr_FR"},
}
LOCALE_VARIABLES = ("LC_ALL", "LC_CTYPE", "LC_TIME", "LC_COLLATE", "LC_MESSAGES", "LANG", "LANGUAGE")


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def environment(overrides: dict[str, str]) -> dict[str, str]:
    env = plugin_env()
    for name in LOCALE_VARIABLES:
        env.pop(name, None)
    env.pop("KEPU_BUILD_DATE", None)
    env.update(overrides)
    return env


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    found = {}
    for name, overrides in ENVIRONMENTS.items():
        output = tmp_path_factory.mktemp(name) / "output"
        result = run_build(ROOT / "content", output, env=environment(overrides))
        assert result.returncode == 0, (name, result.stderr[-2000:])
        assert "Traceback" not in result.stderr
        found[name] = tree(output)
    return found


@pytest.mark.parametrize("name", list(ENVIRONMENTS)[1:])
def test_output_does_not_depend_on_hash_seed_time_zone_or_locale(
        name: str, builds: dict[str, dict[str, str]]) -> None:
    first, other = builds[next(iter(ENVIRONMENTS))], builds[name]
    assert first.keys() == other.keys(), sorted(first.keys() ^ other.keys())[:10]
    assert [path for path in first if first[path] != other[path]] == []
    assert len(first) > 300


def test_mini_site_builds_identically_twice_in_one_folder(mini_site: Path, tmp_path: Path) -> None:
    """A rebuild over a previous output (reusing what did not change) equals a fresh build."""
    fresh, again = tmp_path / "fresh", tmp_path / "again"
    assert run_build(mini_site / "content", fresh).returncode == 0
    assert run_build(mini_site / "content", again, env=environment(ENVIRONMENTS["kiritimati-posix"])
                     ).returncode == 0
    assert run_build(mini_site / "content", again, env=environment(ENVIRONMENTS["new-york-c-utf8"])
                     ).returncode == 0
    assert tree(fresh) == tree(again)
