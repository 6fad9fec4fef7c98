"""What every cached or reused output is made by: the code, the theme and template folders, the
settings and the versions of the libraries that turn content into output."""

from __future__ import annotations

import json
import os
import sysconfig
import time
import types
from collections.abc import Mapping
from datetime import date
from functools import cache, partial
from importlib import metadata
from pathlib import Path
from typing import Any

from ..loaded import AT_IMPORT, PACKAGES, files_digest, plugins_digest
from ..trace import note
from .canon import digest

VOLATILE = ("PATH", "OUTPUT", "CACHE", "KEPU_PREVIOUS_OUTPUT", "KEPU_ROOT", "WORKERS", "PARALLEL", "KEPU_CONTENT_TREE")
TEMPLATE_FOLDERS = ("THEME_TEMPLATES_OVERRIDES", "EXTRA_TEMPLATES_PATHS")  # beside THEME: templates found first


def code_digest(plugins: Path | None = None) -> str:
    """The plugins' code (``plugins``: another copy of plugins/) and the libraries' versions:
    any change to either changes every key. For the running code: its files as they were when
    this process imported it; if they have changed since, a key that matches nothing, so that no
    cache made by this code is taken for the files' (or the other way round)."""
    return _running_code(os.getpid()) if plugins is None else _digest_code(plugins)


@cache
def _running_code(process: int) -> str:  # once per process: a forked build checks for itself
    if plugins_digest() != AT_IMPORT:
        note("engine: the plugins' files changed after this process imported them: nothing is reused or kept")
        return digest("unmatched", process, time.time_ns())
    return digest(AT_IMPORT, libraries())


def _digest_code(plugins: Path) -> str:
    return digest(files_digest([plugins / name for name in PACKAGES]), libraries())


def libraries() -> list[tuple[str, str]]:
    """Every installed distribution with its version: an upgrade of any library a build uses
    (Markdown, the sanitiser, the QR encoder, pinyin…) remakes what it made, with no list of
    them to keep up to date."""
    return sorted({((dist.metadata["Name"] or "").lower(), dist.version) for dist in metadata.distributions()})


def settings_digest(settings: Mapping[str, Any]) -> str:
    """Every setting that may shape output, this machine's paths left out: plain values as they
    are, functions (a filter written in the settings) by their code, classes by their names."""
    settled = {key: _settled(value, set()) for key, value in settings.items()
               if not any(word in key for word in VOLATILE)}
    return digest(json.dumps(settled, sort_keys=True, ensure_ascii=False))


def _settled(value: Any, seen: set[int]) -> Any:
    """A setting's value as JSON that is the same in every process and build."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, (date, Path)):
        return str(value)
    if id(value) in seen:
        return "…"
    seen = seen | {id(value)}
    if isinstance(value, (list, tuple)):
        return [_settled(item, seen) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_settled(item, seen), sort_keys=True, ensure_ascii=False) for item in value)
    if isinstance(value, Mapping):
        return {str(key): _settled(item, seen) for key, item in value.items()}
    if isinstance(value, partial):
        return {"partial": _settled(value.func, seen), "args": _settled(value.args, seen),
                "keywords": _settled(value.keywords, seen)}
    if isinstance(value, (types.FunctionType, types.MethodType)):
        function = getattr(value, "__func__", value)
        return _function(function, seen) if _written_in_settings(function) else _name(function)
    if isinstance(value, type):
        return f"class {value.__module__}.{value.__qualname__}"
    if isinstance(value, types.ModuleType):
        return f"module {value.__name__}"
    return _name(value)


def _name(value: Any) -> str:
    named = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"{getattr(value, '__module__', None) or type(value).__module__}.{named}"


LIBRARIES = tuple({sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")})


def _written_in_settings(function: types.FunctionType) -> bool:
    """A function of a settings file (or any module of the site's own): neither the plugins' nor a
    library's, whose code the code digest and the libraries' versions already stand for."""
    return (function.__module__ or "").split(".")[0] not in PACKAGES and \
        not function.__code__.co_filename.startswith(LIBRARIES)


def _function(function: types.FunctionType, seen: set[int]) -> Any:
    """A function by its code, defaults, closure and the globals its code names (a filter in the
    settings that reads another setting)."""
    code = function.__code__
    named = {name: function.__globals__[name] for name in _names(code) if name in function.__globals__}
    return {"function": f"{function.__module__}.{function.__qualname__}", "code": _code(code),
            "defaults": _settled(function.__defaults__, seen), "kwdefaults": _settled(function.__kwdefaults__, seen),
            "closure": [_settled(cell.cell_contents, seen) for cell in function.__closure__ or ()],
            "globals": {name: _settled(item, seen) for name, item in named.items()
                        if not isinstance(item, types.ModuleType)}}


def _code(code: types.CodeType) -> list:
    return [code.co_code.hex(), list(code.co_names), list(code.co_varnames),
            [_code(const) if isinstance(const, types.CodeType) else repr(const) for const in code.co_consts]]


def _names(code: types.CodeType) -> set[str]:
    return set(code.co_names).union(*(_names(c) for c in code.co_consts if isinstance(c, types.CodeType)))


def engine_key(settings: Mapping[str, Any]) -> str:
    """Code, libraries, the whole theme, every other folder templates are found in, and the
    settings: part of every page's fingerprint."""
    folders = [Path(settings["THEME"]), *(Path(folder) for key in TEMPLATE_FOLDERS for folder in settings.get(key) or ())]
    return digest(code_digest(), files_digest(folders), settings_digest(settings))
