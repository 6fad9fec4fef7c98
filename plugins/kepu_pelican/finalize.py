"""After every page is written: the sitemap and the output manifest."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from xml.sax.saxutils import escape

from .engine import finish_reuse, remove_stale
from .parallel import join_background
from .settings import public_url
from .trace import phase

SKIPPED_FOLDERS = ("drafts", "admin")  # top-level folders: not pages, or not public
SKIPPED = ("404.html",)


def _html_pages(output: str) -> list[str]:
    """The HTML files under ``output``, as paths relative to it."""
    pages = []
    for folder, folders, names in os.walk(output):
        relative = os.path.relpath(folder, output)
        if relative == ".":
            folders[:] = [name for name in folders if name not in SKIPPED_FOLDERS]
            prefix = ""
        else:
            prefix = relative.replace(os.sep, "/") + "/"
        pages.extend(prefix + name for name in names if name.endswith(".html"))
    return pages


def sitemap(output: Path, site: str) -> bytes:
    """Every public HTML page, sorted, as a sitemaps.org urlset."""
    paths = sorted(_html_pages(str(output)))
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
    with phase("background outputs joined"):
        join_background()  # their files count for what is stale and what the sitemap lists
    remove_stale(pelican.output_path)  # before the sitemap lists what is there
    with phase("sitemap"):
        (output / "sitemap.xml").write_bytes(sitemap(output, public_url(pelican.settings)))
    finish_reuse(pelican.output_path)
    gc.unfreeze()  # the build froze its objects out of collections (kepu.engine.processes): give them back
