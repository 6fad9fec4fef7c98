"""Compiled templates kept between builds and shared by generators (Jinja's bytecode cache).

Pelican gives every generator its own Jinja environment, so without it each build compiles
each template once per generator that uses it (about a third of a small site's rebuild)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from .engine import digest
from .engine.keys import code_digest
from .engine.reads import install


def share_compiled_templates(generator) -> None:
    """Give the generator's environment the build's bytecode cache. Jinja checks each entry
    against the template's source and its own and Python's versions; the folder is named after
    the environment's options, which shape the compiled code (delimiters, trimming, escaping),
    and after the plugins' code, which rewrites each template as it is compiled (engine.reads)."""
    settings = generator.settings
    options = digest(sorted((key, repr(value)) for key, value in settings.get("JINJA_ENVIRONMENT", {}).items()),
                     code_digest())
    shared = settings.get("KEPU_TEMPLATE_CACHE")  # entries are written whole (renamed into place)
    folder = Path(shared or settings["CACHE_PATH"]) / f"templates-{options[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    install(generator.env)  # pages' fingerprints: what their templates read (engine.reads)
