"""Paginated listings written page by page; a page whose inputs are unchanged is linked
from the previous build instead of being rendered again."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from pelican.paginator import Paginator

from .reuse import OutputReuse, digest

UNSTABLE = " at 0x"  # a repr with a memory address differs on every run


def stable_key(*parts: Any) -> str:
    """A digest of values that shape a page beyond its events; a value without a stable repr
    gives a digest that never matches, so the page is always rendered (never stale)."""
    text = repr(parts)
    return os.urandom(16).hex() if UNSTABLE in text else digest(text)


def write_pages(writer, reuse: OutputReuse, fingerprints: Mapping[str, str], key: str,
                name: str, url: str, template, template_name: str, context: dict,
                entries: Sequence, **kwargs: Any) -> dict[str, str]:
    """Write ``entries`` paginated as Pelican's writer does (same names, same template
    variables); return each page's output path with its fingerprint.

    A page's fingerprint is ``key`` (the site and the listing), its place in the listing,
    and the fingerprints of the events on it, whose cards it shows."""
    settings = writer.settings
    per_page = settings["PAGINATED_TEMPLATES"].get(template_name) or settings["DEFAULT_PAGINATION"]
    paginator = Paginator(name, url, entries, settings, per_page)
    made: dict[str, str] = {}
    total = paginator.num_pages
    for number in range(1, total + 1):
        page = paginator.page(number)
        fingerprint = digest(key, template_name, number, total, paginator.count,
                             [fingerprints[entry.event.slug] for entry in page.object_list])
        made[page.save_as] = fingerprint
        if reuse.reuse(page.save_as, fingerprint):
            continue
        writer.write_file(page.save_as, template, context, entries_paginator=paginator, entries_page=page,
                          entries_previous_page=paginator.page(number - 1) if number > 1 else None,
                          entries_next_page=paginator.page(number + 1) if number < total else None,
                          **kwargs)
    return made
