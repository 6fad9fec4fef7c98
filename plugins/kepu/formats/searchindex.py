"""The site search index: static files a browser reads a few at a time (no server, no outside host).

Layout, under the search folder:
    index.json          what search.js reads first: how terms are sharded, each file's
                        version, the page groups, filters, synonyms, pinyin syllables
    t/<n>.<version>.json  the postings of the terms whose hash falls in shard n
    d/<n>.<version>.json  the pages numbered n × chunk … (title, link, date, place and street, status, an event's cost)

A file's version is a digest of its bytes (``index.json`` lists them, ``t`` and ``d``): an edit
gives new names only to the files whose bytes it changes, so a rebuild uploads those and a
browser or host may cache every other file for good.

Pages are numbered events first, by the four weeks in which their next session (as of the
build; an event over: the event) is over and by title within them, then news by date, then the
pages of venues, programmes, teams and the like (a query naming one shows it first). So a query's
first events, those it finds in the coming weeks,
lie in few page files (a programme's sessions of one period side by side), and a browser tells
events to come from events over with each page file's first and last end (``spans``) and its
own clock, reading a page file's own times only where the two straddle now.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat

from kepu.formats.searchterms import CATEGORY, STREET, encode_postings, known_syllables, shard_of, text_terms
from kepu.formats.urls import content_version

# 2: rows end with when the next session is over (ordering); 3: files named by version; 4: the
# groupings' pages (venues, programmes, teams…) after the news, counted apart (``groupings``);
# 5: an event's row says what it costs (its tenth value, 0 or 1, then the cost tag)
FORMAT = 5
CHUNK = 64  # pages per page file
SHARD_BYTES = 16_000  # aimed-at size of one postings file
PERIOD = 28 * 24 * 3600  # events over in the same four weeks are numbered by title


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One page as search shows it, and the text it is found by."""

    url: str
    title: str
    when: str  # 2026年12月12日（周六）14:00–16:00, or a news item's date
    place: str  # events: where the shown session is and the street (某某图书馆报告厅 · 某某街道); news: 新闻动态
    order: tuple  # sort key among pages of its kind
    names: tuple[str, ...]  # title, programmes, campaigns, venue, street, team, community, speakers, …
    text: tuple[str, ...] = ()  # summary, address, cost, body text
    ends: int | None = None  # events: when it is over (Unix seconds); None for news
    soon: int | None = None  # events: when its next session (as of the build) is over; else ``ends``
    status: str = ""  # shown status key when not as planned (cancelled, full, …)
    status_label: str = ""
    street: str = ""
    categories: tuple[str, ...] = ()
    excerpt: str = ""
    held: bool = True  # events: ``Event.held`` (a cancelled one is never 已结束)
    cost: str = ""  # events: the cost tag of their cards, 免费 or what it costs (材料费 10 元, 收费)
    grouping: bool = False  # a venue's, programme's, team's… own page: listed before events

    @property
    def is_event(self) -> bool:
        return self.ends is not None

    def term_key(self) -> str:
        """What the page's terms are made from (``TermStore`` keeps them by it)."""
        made_from = repr((self.names, self.text, self.street, self.categories)).encode("utf-8")
        return hashlib.blake2b(made_from, digest_size=16).hexdigest()

    def term_sets(self) -> tuple[set[str], set[str]]:
        """The page's terms not in its names (text, street and category filters), and its names' terms."""
        names = text_terms(self.names, names=True)
        other = text_terms(self.text, names=False)
        if self.street:
            other.add(STREET + self.street)
        other.update(CATEGORY + c for c in self.categories)
        return other - names, names


@dataclass(frozen=True, slots=True)
class SearchSite:
    """What the filters offer and what a query may be widened to."""

    streets: Sequence[tuple[str, str]] = ()  # (id, name) in display order
    categories: Sequence[tuple[str, str]] = ()
    synonyms: Sequence[Sequence[str]] = ()  # groups of words that mean the same (卒中, 中风)


def _when(doc: SearchDoc) -> int:
    """An event's place in time: when its next session is over (a weekly series is found by its
    next Sunday, not by its last one next summer); an event over, when it ended."""
    return doc.ends if doc.soon is None else doc.soon


def ordered(docs: Iterable[SearchDoc]) -> list[SearchDoc]:
    """Events by the period their next session (or, over, the event) is over in and title, then
    news in date order, then the groupings' pages (page numbers)."""
    docs = list(docs)
    events = sorted((d for d in docs if d.is_event), key=lambda d: (_when(d) // PERIOD, d.title, _when(d), d.url))
    news = sorted((d for d in docs if not d.is_event and not d.grouping), key=lambda d: (d.order, d.url))
    groupings = sorted((d for d in docs if d.grouping), key=lambda d: (d.order, d.url))
    return events + news + groupings


class TermStore:
    """Each page's terms kept from build to build, by what they are made from (``term_key``): an
    edit to one event works out the terms of one page, not of every page. Terms are numbered in
    one vocabulary; a page keeps two arrays of numbers (its other terms, its names' terms).
    ``data`` is what to keep for the next build: the pages of this one only. The caller keys
    the whole by the code that makes terms."""

    def __init__(self, kept: dict | None = None):
        kept = kept or {}
        self.vocabulary: list[str] = list(kept.get("vocabulary", ()))
        self.numbers = {term: number for number, term in enumerate(self.vocabulary)}
        self.known: dict[str, tuple[bytes, bytes]] = dict(kept.get("pages", {}))
        self.used: dict[str, tuple[bytes, bytes]] = {}
        self.made = 0  # pages whose terms were worked out in this build

    def terms(self, doc: SearchDoc) -> tuple[array, array]:
        key = doc.term_key()
        found = self.used.get(key) or self.known.get(key)
        if found is None:
            self.made += 1
            found = tuple(self._numbered(terms).tobytes() for terms in doc.term_sets())
        self.used[key] = found
        return _array(found[0]), _array(found[1])

    def _numbered(self, terms: set[str]) -> array:
        numbers = self.numbers
        for term in terms:
            if term not in numbers:
                numbers[term] = len(self.vocabulary)
                self.vocabulary.append(term)
        return array("I", map(numbers.__getitem__, terms))

    @property
    def changed(self) -> bool:
        """Whether the next build needs what this one kept (a page's terms new, or a page gone)."""
        return bool(self.made) or self.used.keys() != self.known.keys()

    def data(self) -> dict:
        return {"vocabulary": self.vocabulary, "pages": self.used}


def _array(data: bytes) -> array:
    found = array("I")
    found.frombytes(data)
    return found


def postings(docs: Sequence[SearchDoc], store: TermStore | None = None) -> dict[str, list[int]]:
    """Term → ascending numbers (page × 2 + 1 if in the page's names); with ``store``, each
    page's terms as kept from an earlier build."""
    if store is not None:
        return _numbered_postings(docs, store)
    found: dict[str, list[int]] = defaultdict(list)
    lists = found.__getitem__  # a new term gets its empty list (defaultdict)
    for number, doc in enumerate(docs):
        other, names = doc.term_sets()
        _consume(map(list.append, map(lists, other), repeat(number * 2)))
        _consume(map(list.append, map(lists, names), repeat(number * 2 + 1)))
    return found


def _numbered_postings(docs: Sequence[SearchDoc], store: TermStore) -> dict[str, list[int]]:
    pages = [store.terms(doc) for doc in docs]  # (the vocabulary grows with new pages' terms)
    found: list[list[int]] = [[] for _ in store.vocabulary]
    lists = found.__getitem__
    for number, (other, names) in enumerate(pages):
        _consume(map(list.append, map(lists, other), repeat(number * 2)))
        _consume(map(list.append, map(lists, names), repeat(number * 2 + 1)))
    vocabulary = store.vocabulary
    return {vocabulary[term]: values for term, values in enumerate(found) if values}


_consume = deque(maxlen=0).extend  # runs a map for its effect, element by element in C


def shard_count(encoded: dict[str, str], target: int = SHARD_BYTES) -> int:
    """A power of two that keeps the average postings file near ``target`` bytes."""
    total = sum(len(term.encode()) + len(value) + 6 for term, value in encoded.items())
    count = 1
    while total / count > target:
        count *= 2
    return count


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _span(events: Sequence[SearchDoc]) -> list[int]:
    """The first and last moment at which the events of one page file are over."""
    return [min(d.ends for d in events), max(d.ends for d in events)]


def _row(doc: SearchDoc) -> list:
    """A page as a result shows it; an event has a tenth value, 1 when it is not held as shown
    (``held``), else 0, and an eleventh, its cost tag (免费, 材料费 10 元)."""
    row = [doc.url, doc.title, doc.when, doc.place, doc.status, doc.status_label, doc.ends, doc.excerpt,
           _when(doc) if doc.is_event else None]
    return [*row, 0 if doc.held else 1, doc.cost] if doc.is_event else row


def build(docs: Iterable[SearchDoc], site: SearchSite, chunk: int = CHUNK,
          target: int = SHARD_BYTES, store: TermStore | None = None) -> dict[str, bytes]:
    """Every file of the index: path (relative to the search folder) → bytes. The same pages
    give the same bytes, with or without a ``store`` of their terms."""
    docs = ordered(docs)
    encoded = {term: encode_postings(values) for term, values in postings(docs, store).items()}
    count = shard_count(encoded, target)
    shards: list[dict[str, str]] = [{} for _ in range(count)]
    for term, value in encoded.items():
        shards[shard_of(term, count)][term] = value
    files = {"t": [_json(shard) for shard in shards],
             "d": [_json([_row(d) for d in docs[start:start + chunk]]) for start in range(0, len(docs), chunk)]}
    versions = {kind: [content_version(data) for data in made] for kind, made in files.items()}
    events = sum(1 for d in docs if d.is_event)
    groupings = sum(1 for d in docs if d.grouping)
    manifest = {
        "format": FORMAT, "shards": count, "chunk": chunk, **versions,
        "events": events, "news": len(docs) - events - groupings, "groupings": groupings,
        "spans": [_span(docs[start:min(start + chunk, events)]) for start in range(0, events, chunk)],
        "streets": [list(s) for s in site.streets], "categories": [list(c) for c in site.categories],
        "synonyms": [list(group) for group in site.synonyms],
        "syllables": known_syllables(name for doc in docs for name in doc.names),
    }
    out = {file_name(kind, n, versions[kind][n]): data for kind, made in files.items() for n, data in enumerate(made)}
    out["index.json"] = _json(manifest)
    return out


def file_name(kind: str, number: int, file_version: str) -> str:
    """Where shard or page file ``number`` of ``kind`` (t, d) lies in the search folder."""
    return f"{kind}/{number}.{file_version}.json"
