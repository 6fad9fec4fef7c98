"""Paginated listings written page by page through the site's writer (which reuses a page
whose template would read the same values as in the previous build)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pelican.paginator import Paginator


def write_pages(writer, name: str, url: str, template, template_name: str, context: dict,
                entries: Sequence, **kwargs: Any) -> None:
    """Write ``entries`` paginated as Pelican's writer does (same names, same template variables)."""
    settings = writer.settings
    per_page = settings["PAGINATED_TEMPLATES"].get(template_name) or settings["DEFAULT_PAGINATION"]
    paginator = Paginator(name, url, entries, settings, per_page)
    total = paginator.num_pages
    for number in range(1, total + 1):
        page = paginator.page(number)
        writer.write_file(page.save_as, template, context, entries_paginator=paginator, entries_page=page,
                          entries_previous_page=paginator.page(number - 1) if number > 1 else None,
                          entries_next_page=paginator.page(number + 1) if number < total else None,
                          **kwargs)
