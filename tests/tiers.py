"""Test tiers: each test is marked unit, plugin or e2e from what its code and fixtures reach."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parent)
TIERS = ("unit", "plugin", "e2e")  # described in pyproject.toml's markers
# Reaching one of these modules (imported, or called through) makes a test end-to-end.
E2E_MODULES = ("subprocess", "pexpect", "playwright", "multiprocessing")
# A test that starts a process while marked unit fails: its tier was guessed wrong.
PROCESS_EVENTS = frozenset({"subprocess.Popen", "os.fork", "os.forkpty", "os.posix_spawn", "os.system",
                            "os.exec", "os.spawn"})
# ctypes.util.find_library asks ldconfig where a C library is: the standard library's own lookup.
LOOKUPS = frozenset({"/sbin/ldconfig"})
_started: list[str] | None = None


def _is_e2e_module(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in E2E_MODULES)


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """A code object and those nested in it (inner functions, lambdas, comprehensions)."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _functions(obj: object) -> list[types.FunctionType]:
    """The test-suite functions behind ``obj``: itself, or a class's methods; none outside tests/."""
    if isinstance(obj, type):  # only the suite's own classes hold its functions (a library's may refer in a circle)
        module = sys.modules.get(obj.__module__)
        if not (getattr(module, "__file__", None) or "").startswith(TESTS):
            return []
        return [f for value in vars(obj).values() for f in _functions(value)]
    func = getattr(obj, "__func__", obj)
    func = getattr(func, "__wrapped__", func)
    if isinstance(func, types.FunctionType) and func.__code__.co_filename.startswith(TESTS):
        return [func]
    return []


def _tier_of_name(name: str, namespace: dict) -> str | None:
    if _is_e2e_module(name):
        return "e2e"
    value = namespace.get(name)
    module = getattr(value, "__name__", "") if isinstance(value, types.ModuleType) else getattr(
        value, "__module__", "") or ""
    if _is_e2e_module(module):
        return "e2e"
    if module == "pelican" or name == "Pelican":
        return "plugin"
    return None


def reach(func: types.FunctionType, seen: set[int]) -> set[str]:
    """The tiers a test-suite function reaches, following the suite's own helpers."""
    if id(func) in seen:
        return set()
    seen.add(id(func))
    tiers: set[str] = set()
    for code in _codes(func.__code__):
        for name in code.co_names:
            tier = _tier_of_name(name, func.__globals__)
            if tier:
                tiers.add(tier)
            for helper in _functions(func.__globals__.get(name)):
                tiers |= reach(helper, seen)
    return tiers


def tier(item: pytest.Item) -> str:
    """e2e over plugin over unit: the heaviest thing the test or any of its fixtures reaches."""
    functions = _functions(getattr(item, "function", None))
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else ()):
        functions += [f for fixture in defs for f in _functions(fixture.func)]
    seen: set[int] = set()
    reached = set().union(*(reach(f, seen) for f in functions)) if functions else set()
    return "e2e" if "e2e" in reached else "plugin" if "plugin" in reached else "unit"


def configure() -> None:
    sys.addaudithook(_audit)


def mark(items: list[pytest.Item]) -> None:
    """Give every test without an explicit tier marker the tier its code reaches."""
    for item in items:
        if not any(item.get_closest_marker(name) for name in TIERS):
            item.add_marker(tier(item))


def order_files(items: list[pytest.Item]) -> None:
    """Files with end-to-end tests first, then plugin, then unit (stable: alphabetical within a
    tier, each file's own order kept). On xdist workers (``--dist loadfile --no-loadscope-reorder``,
    one file at a time) the many short files then fill the end of the run, where one long file
    would keep a worker busy while the others had nothing left to take."""
    heaviest: dict[Path, int] = {}  # a file's heaviest tier, as its place in TIERS (lightest first)
    for item in items:
        tier = next(TIERS.index(name) for name in TIERS if item.get_closest_marker(name))
        heaviest[item.path] = max(heaviest.get(item.path, 0), tier)
    items.sort(key=lambda item: -heaviest[item.path])


def _audit(event: str, args: tuple) -> None:
    if _started is not None and event in PROCESS_EVENTS and not (args and args[0] in LOOKUPS):
        _started.append(f"{event} {str(args[:2])[:200]}")


def watch(item: pytest.Item):
    """Around a unit test's setup and call: fail it if it started a process (mark it e2e instead)."""
    global _started
    if not item.get_closest_marker("unit"):
        return (yield)
    _started = []
    try:
        result = yield
    finally:
        started, _started = _started, None
    if started:
        pytest.fail("marked unit but started a process (mark it e2e): " + "; ".join(started[:3]), pytrace=False)
    return result
