"""How the search index is split: Pagefind needs ~150 KB of memory per page, so the pages are
indexed in shards of consecutive months, each small enough, and merged in the browser."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

MAX_PAGES = 900


@dataclass(slots=True)
class Shard:
    name: str
    pages: list[str] = field(default_factory=list)  # paths relative to the output folder
    fingerprint: str = ""


def plan(pages: Iterable[tuple[str, str]], max_pages: int = MAX_PAGES) -> list[Shard]:
    """Pages tagged with a sort key (e.g. ``2026-12`` or ``news``) → shards of whole keys,
    consecutive in key order, each at most ``max_pages`` unless one key alone is larger
    (then that key is split by page path)."""
    by_key: dict[str, list[str]] = {}
    for path, key in pages:
        by_key.setdefault(key, []).append(path)
    shards: list[Shard] = []
    for key in sorted(by_key):
        members = sorted(by_key[key])
        if shards and len(shards[-1].pages) + len(members) <= max_pages:
            shards[-1].pages.extend(members)
            continue
        for start in range(0, len(members), max_pages):
            suffix = f"-{start // max_pages + 1}" if len(members) > max_pages else ""
            shards.append(Shard(f"{key}{suffix}", members[start:start + max_pages]))
    return shards


def fingerprint(shard: Shard, root: Path, salt: str, known: Mapping[str, str] | None = None) -> str:
    """Identifies what Pagefind would index: the member pages' paths and bytes. A page whose
    bytes are already identified by a fingerprint of what they are made of (``known``) is not
    read again."""
    digest = hashlib.sha256(salt.encode())
    known = known or {}
    for path in shard.pages:
        digest.update(path.encode() + b"\0")
        made_of = known.get(path)
        digest.update(b"made of " + made_of.encode() if made_of else hashlib.sha256((root / path).read_bytes()).digest())
    return digest.hexdigest()[:32]
