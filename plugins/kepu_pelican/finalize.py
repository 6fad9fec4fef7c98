"""After every page is written: the sitemap; then wait for the search index."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from kepu.processes import return_free_memory

from .reuse import finish_reuse
from .search import finish_search_index
from .settings import public_url
from .trace import phase

SKIPPED = ("404.html", "drafts/", "pagefind/")


def sitemap(output: Path, site: str) -> bytes:
    """Every public HTML page, sorted, as a sitemaps.org urlset."""
    paths = sorted(Path(folder, name).relative_to(output).as_posix()
                   for folder, _dirs, names in os.walk(output) for name in names if name.endswith(".html"))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in paths:
        if path.startswith(SKIPPED):
            continue
        url = path[: -len("index.html")] if path.endswith("index.html") else path
        lines.append(f"  <url><loc>{escape(f'{site}/{url}')}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def finalize(pelican) -> None:
    output = Path(pelican.output_path)
    with phase("sitemap"):
        (output / "sitemap.xml").write_bytes(sitemap(output, public_url(pelican.settings)))
    return_free_memory()  # the search indexer goes wide now: make room for it
    with phase("search index: wait"):
        finish_search_index(pelican.output_path)
    finish_reuse(pelican.output_path)
