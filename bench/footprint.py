"""Where a built site's bytes and files go, by kind of output (event pages, listings, feeds, …)."""

from __future__ import annotations

import os
from pathlib import Path

FACETS = {"streets", "teams", "categories", "audiences", "programmes", "campaigns", "venues", "communities", "people"}
TOP = {"calendar": "calendars (month, week, day pages)", "feeds": "feeds (.ics and Atom)",
       "subscribe": "subscribe pages", "embed": "embeds", "search": "search index (search/)",
       "data": "open data (events.json/csv, per street)", "admin": "web editor (/admin/)",
       "theme": "theme (CSS, JS, images)"}
RECORD = "build record (.kepu-build: the digest naming the manifest kept in the cache folder)"
KINDS = ("event pages", "single-event .ics", "event lists (events/page, past)", "facet listings: upcoming",
         "facet listings: past", *TOP.values(), RECORD, "other (home, news, stats, sitemap)")


def kind(relative: str) -> str:
    """The kind of output a path (relative to the output folder, with /) belongs to."""
    if relative == ".kepu-build":
        return RECORD
    parts = relative.split("/")
    top = parts[0]
    if top == "events":
        if len(parts) == 2:
            return "single-event .ics" if parts[1].endswith(".ics") else "event lists (events/page, past)"
        return "event lists (events/page, past)" if parts[1] in ("page", "past") else "event pages"
    if top in FACETS:
        return "facet listings: past" if "past" in parts[1:] else "facet listings: upcoming"
    return TOP.get(top, "other (home, news, stats, sitemap)")


def footprint(output: Path) -> dict[str, tuple[int, int]]:
    """(files, bytes) per kind of output, in the order of ``KINDS``."""
    found: dict[str, list[int]] = {name: [0, 0] for name in KINDS}
    root = str(output)
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in names:
            relative = name if prefix == "." else f"{prefix}/{name}"
            counts = found[kind(relative)]
            counts[0] += 1
            counts[1] += os.lstat(os.path.join(folder, name)).st_size
    return {name: (files, size) for name, (files, size) in found.items()}


def table(sizes: dict[str, tuple[int, int]], events: int) -> list[str]:
    """A Markdown table of ``footprint`` per event, largest first, with the totals."""
    lines = ["| output | files | MB | files per event | KB per event |", "|---|---:|---:|---:|---:|"]
    for name, (files, size) in sorted(sizes.items(), key=lambda item: -item[1][1]):
        lines.append(f"| {name} | {files:,} | {size / 1e6:.1f} | {files / events:.3f} | {size / events / 1024:.2f} |")
    files, size = (sum(v[0] for v in sizes.values()), sum(v[1] for v in sizes.values()))
    lines.append(f"| **all** | **{files:,}** | **{size / 1e6:.1f}** | **{files / events:.2f}** "
                 f"| **{size / events / 1024:.1f}** |")
    return lines


def main() -> None:
    import sys

    output, events = Path(sys.argv[1]), int(sys.argv[2])
    print("\n".join(table(footprint(output), events)))


if __name__ == "__main__":
    main()
