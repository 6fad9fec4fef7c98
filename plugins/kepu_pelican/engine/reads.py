"""Recorded reads: what a template actually takes from its context, as paths from the context's
names (``kepu.facets.streets["<id>"].name``), and the digest of the values found there.

While a page renders, Jinja's attribute and item lookups, calls and filters are followed; the
page's fingerprint is the digest of every value read. The next build follows the same paths in
its own context: the same digest means the page would come out the same, so it is reused.

What is digested at each path: a value the template read and went no deeper into, in full (a
value handed to a filter too); a value it went deeper into, its type only; a collection it
iterated over, its length and the plain values directly in it (the rest is read through paths
to its items). A value with no canonical form (see ``canon``), or a lookup on an object that
came from nowhere the recorder knows, makes the page un-reusable, with the reason kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import types
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, Sequence, ValuesView
from datetime import date
from typing import Any

from jinja2 import Environment, nodes
from jinja2.environment import TemplateModule
from jinja2.nodes import EvalContext
from jinja2.runtime import BlockReference, Context, LoopContext, Macro, TemplateReference, Undefined, missing
from jinja2.utils import Cycler, Joiner, Namespace

from .canon import DATACLASS, KINDS, SCALAR, Undigestable, canonical, kind, recent, small, text_hash

SEQUENCES = (list, tuple, KeysView, ValuesView, ItemsView, set, frozenset)
LOCAL = (list, tuple, dict, Namespace, LoopContext, Macro, Cycler, Joiner, Undefined, TemplateReference,
         BlockReference, TemplateModule,  # made by the template
         types.FunctionType, types.BuiltinFunctionType, type)  # Jinja's globals (range, dict…)
PRIVATE_ARGUMENTS = ("_loop_vars", "_block_vars")
SHAPE_FILTERS = frozenset({"length", "count"})  # read only how many items there are
SAME_FILTERS = frozenset({"default", "d"})  # give back the value itself (or a default)
# Jinja's filters that take the template context only to look up tests and filters by name.
LOOKUP_FILTERS = frozenset({"map", "select", "reject", "selectattr", "rejectattr"})
DEEP, SHALLOW, TYPE = "d", "s", "t"
WHOLE = 400  # a dataclass holding at most this many values is digested whole, not path by path

_CURRENT: Recorder | None = None  # the page being rendered with its reads followed


class Unreusable(Exception):
    """A page's reads cannot be followed again: it is rendered on every build."""


CONTAINERS = (*SEQUENCES, dict)


def _scalar(value: Any) -> bool:
    found = KINDS.get(type(value))  # ``kind`` without its call: this runs for every lookup
    return (kind(value) if found is None else found) == SCALAR or value is missing


def _instance_of(classes: tuple[type, ...]) -> Callable[[Any], bool]:
    """``isinstance(value, classes)``, known by the value's type: some of the classes are
    abstract, whose checks are slow, and pages make millions of them."""
    known: dict[type, bool] = {}

    def check(value: Any) -> bool:
        cls = type(value)
        found = known.get(cls)
        if found is None:
            found = known[cls] = issubclass(cls, classes)
        return found

    return check


_container = _instance_of(CONTAINERS)
_ordered = _instance_of((list, tuple, KeysView, ValuesView, ItemsView))


def key_of(value: Any) -> Any:
    """A lookup key as JSON (dates tagged); None when it has no such form."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, date):
        return ("date", value.isoformat())
    return None


def _unkey(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) == 2 and value[0] == "date":
        return date.fromisoformat(value[1])
    return value


class Recorder:
    """The reads of one render."""

    def __init__(self, context: Mapping[str, Any], sizes: dict):
        self.context = context
        self.sizes = sizes
        self.known: dict[int, tuple[Any, tuple]] = {}  # id → (object, its path)
        self.values: dict[tuple, Any] = {}  # every path read → the value found there
        self.modes: dict[tuple, str] = {}  # paths whose digest is not the default
        self.parents: set[tuple] = set()  # paths read deeper
        self.containers: list[tuple[Any, tuple]] = []  # read collections, not yet indexed
        self.items: dict[int, tuple] = {}  # id → (order, collection, path, place) in small collections
        self.large: list[tuple] = []  # (order, collection, path, places) of large ones, in order
        self.order = 0
        self.positions: dict[int, tuple[Any, dict, int]] = {}  # this page's small collections' items
        self.covered: dict[int, Any] = {}  # derived from values digested in full
        self.in_filter = False  # a filter or test is running: lookups are its own, not the template's
        self.covered_containers: list[Any] = []  # their collections, not yet indexed
        self.failure = ""

    def fail(self, reason: str) -> None:
        self.failure = self.failure or reason

    def read(self, path: tuple, value: Any, parent: tuple | None = None) -> None:
        """``value`` was read at ``path`` (``parent``: the path without its last step, if known)."""
        self.values[path] = value
        if parent is not None:
            self.parents.add(parent)
        elif len(path) > 1:
            self.parents.add(path[:-1])
        found = KINDS.get(type(value))  # ``kind`` without its call: this runs for every lookup
        if found is None:
            found = kind(value)
        if found == DATACLASS and small(value, WHOLE, self.sizes):
            self.modes[path] = DEEP  # digested whole: what the template reads inside is covered
            self._cover(value)
        elif found != SCALAR and value is not missing and not isinstance(value, Undefined):
            self.known[id(value)] = (value, path)
            if _container(value):
                self.containers.append((value, path))

    def path_of(self, value: Any) -> tuple | None:
        """The path a value was read at; None for plain values and what the template made itself."""
        if _scalar(value):
            return None
        known = self.known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if id(value) in self.covered:
            return None
        found = self._find_item(value)
        if found is not None:
            return found
        if self._in_covered(value):
            return None
        if not isinstance(value, LOCAL):
            self.fail(f"模板读取了来源不明的 {type(value).__qualname__}")
        return None

    def _find_item(self, value: Any) -> tuple | None:
        """A value the template took from inside a collection it read (by iterating, slicing
        or a filter): found by identity, it is read at its place in the collection (the first
        collection indexed that holds it)."""
        while self.containers:
            self._index(*self.containers.pop())
        key = id(value)
        found = self.items.get(key)
        for order, container, path, positions in self.large:  # few: a facet's events, a day's sessions
            if found is not None and found[0] < order:
                break
            hit = positions.get(key)
            if hit is not None and hit[0] is value:
                found = (order, container, path, hit)
                break
        if found is None or found[3][0] is not value:
            return None
        _, container, path, (_, steps, inner) = found
        chain = ((container, path), *((collection, (*path, *where)) for collection, where in inner))
        for collection, where in chain:  # the template went through these collections
            if where not in self.values:
                self.read(where, collection)
            if self.modes.get(where) != DEEP:
                self.modes[where] = SHALLOW
        path = (*path, *steps)
        self.read(path, value)
        return path

    def _index(self, container: Any, path: tuple) -> None:
        """Make a read collection's items findable; an item in several keeps the first place."""
        self.order += 1
        positions = _positions(container, self.positions)
        if len(container) >= LARGE:
            self.large.append((self.order, container, path, positions))
            return
        for key, hit in positions.items():
            if key not in self.items:
                self.items[key] = (self.order, container, path, hit)

    def _cover(self, value: Any) -> None:
        self.covered[id(value)] = value
        if _ordered(value):
            self.covered_containers.append(value)

    def _in_covered(self, value: Any) -> bool:
        """Whether a value came out of a collection inside a value digested whole."""
        while self.covered_containers:
            for item in self.covered_containers.pop():
                if not _scalar(item) and id(item) not in self.covered:
                    self._cover(item)
        return id(value) in self.covered

    def step(self, parent: Any, step: tuple, result: Any) -> None:
        """A lookup (``step``) on ``parent`` gave ``result``. Called for every attribute and
        item a page looks up: a parent read before, or inside a value digested whole, is
        found without ``path_of``'s search (the same outcome: both hold only live objects
        that are not plain values)."""
        key = id(parent)
        known = self.known.get(key)
        if known is not None and known[0] is parent:
            self.read((*known[1], step), result, known[1])
            return
        if key not in self.covered:
            path = self.path_of(parent)  # may find the parent in a collection, or cover it
            if path is not None:
                self.read((*path, step), result, path)
                return
            if key not in self.covered:
                return
        self.inside_whole(result)

    def inside_whole(self, result: Any) -> None:
        """A lookup on a value digested whole gave ``result``: covered too, unless plain."""
        found = KINDS.get(type(result))
        if (kind(result) if found is None else found) != SCALAR and result is not missing:
            self._cover(result)

    def observe(self, value: Any, mode: str) -> None:
        """A value tested or searched: read as ``mode`` unless read otherwise (in full) elsewhere."""
        path = self.path_of(value) if not _scalar(value) else None
        if path is not None and path not in self.modes:
            self.modes[path] = mode

    def escape(self, value: Any, mode: str = DEEP) -> None:
        """A value handed to Python code (a filter): its whole content counts."""
        if isinstance(value, (Environment, EvalContext, Undefined)) or _scalar(value):
            return  # settings of the rendering (autoescape), not data
        if isinstance(value, Context):
            self.fail("过滤器读取了整个模板上下文")
            return
        path = self.path_of(value)
        if path is not None:
            if self.modes.get(path) != DEEP:
                self.modes[path] = mode
        elif isinstance(value, (list, tuple)) and id(value) not in self.covered:
            for item in value:
                self.escape(item, mode)
        elif isinstance(value, dict):
            for item in value.values():
                self.escape(item, mode)

    def reads(self) -> list[tuple[tuple, str]]:
        """Each path read with how it is digested, in the order first read (a page renders the
        same way in every build and process, so it reads in the same order). What lies below a
        value digested whole is left out, and a value read at several paths is digested whole
        at each of them if at one."""
        values, chosen, parents = self.values, self.modes, self.parents
        modes: dict[tuple, str] = {}
        whole: set[int] = set()
        for path, value in values.items():
            mode = chosen.get(path)
            if mode is None:
                mode = TYPE if path in parents else SHALLOW if len(path) == 1 and not _scalar(value) else DEEP
            modes[path] = mode
            if mode == DEEP and not _scalar(value):
                whole.add(id(value))
        if whole:
            for path, value in values.items():
                if id(value) in whole:
                    modes[path] = DEEP
        # A path is read only after the path it was looked up from, so a path with something
        # read below it is in ``parents``: only those can hide what lies below them.
        whole_parents = {path for path in parents if modes.get(path) == DEEP}
        if not whole_parents:
            return list(modes.items())
        lengths = sorted({len(path) for path in whole_parents})
        return [(path, mode) for path, mode in modes.items()
                if not any(path[:end] in whole_parents for end in lengths if end < len(path))]


_LARGE: dict[int, tuple[Any, dict, int]] = {}  # the items of large collections (a facet's events), for every page
LARGE = 64


def _positions(container: Any, small_ones: dict) -> dict[int, tuple[Any, tuple, tuple]]:
    """id → (item, its steps from the container, the nested collections on the way with their
    steps): worked out once per collection, and for a large one once per build (values do not
    change while pages are written), so that a page's lookups do not walk a long list again."""
    cache = _LARGE if len(container) >= LARGE else small_ones
    known = cache.get(id(container))
    if known is None or known[0] is not container or known[2] != len(container):
        found: dict[int, tuple[Any, tuple, tuple]] = {}
        _collect(container, (), (), found)
        known = cache[id(container)] = (container, found, len(container))
    return known[1]


def _collect(container: Any, steps: tuple, chain: tuple, found: dict) -> None:
    if isinstance(container, (dict, set, frozenset)):
        return  # a mapping's items are read by key; a set has no stable order
    for position, item in enumerate(container):
        step = ("i", position) if isinstance(container, (list, tuple)) else ("n", position)
        if _scalar(item):
            continue
        where = (*steps, step)
        if isinstance(item, (list, tuple)):  # rows of a table, pairs of a grouping
            _collect(item, where, (*chain, (item, where)), found)
        else:
            found.setdefault(id(item), (item, where, chain))


def value_digest(value: Any, mode: str, memo: dict, sizes: dict) -> str:
    found = KINDS.get(type(value))  # ``kind`` without its call: this runs for every read
    if found is None:
        found = kind(value)
    if found == SCALAR:
        return _plain_digest(value) if mode != TYPE else type(value).__qualname__
    if value is missing or isinstance(value, Undefined):
        return "undefined"
    if mode == TYPE and found == DATACLASS:
        # Whether it is read whole or path by path is part of what was read: a value that
        # became small enough to be read whole is read again (as a cold build would).
        return type(value).__qualname__ + (" whole" if small(value, WHOLE, sizes) else "")
    if mode == TYPE or (mode == SHALLOW and not _container(value)):
        return type(value).__qualname__ + ("" if value is not None else "None")
    if mode == SHALLOW:
        return _shallow_digest(value, memo)
    if found == DATACLASS:
        return _dataclass_digest(value, memo)
    try:
        return canonical(value, memo)
    except Undigestable as error:
        raise Unreusable(str(error)) from error


def _plain_digest(value: Any) -> str:
    """A plain value as its ``repr``; long text (a page's body) as its type and the hash of its
    UTF-8 bytes, which costs less than writing it out quoted and hashing that again."""
    if isinstance(value, str) and len(value) > SHORT_TEXT:
        return type(value).__qualname__ + "#" + text_hash(value)
    return repr(value)


SHORT_TEXT = 64


def _dataclass_digest(value: Any, memo: dict) -> str:
    """``canonical`` of a frozen dataclass, kept among the most recent ones (site-wide values
    every page reads: the district, a facet's links), so that each is written once."""
    kept = recent(memo)
    known = kept.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    try:
        text = canonical(value, memo)
    except Undigestable as error:
        raise Unreusable(str(error)) from error
    kept[id(value)] = (value, text)
    return text


def _shallow_digest(value: Any, memo: dict) -> str:
    """A collection's length and plain values; kept for the build for a large one (a facet's
    events: every page of its listing reads it) and for a mapping (the groupings every page's
    navigation tests: a page's own lists are rarely mappings, so few are kept alive)."""
    if len(value) < LARGE and not isinstance(value, dict):
        return repr(_shallow(value, 2))
    key = ("shallow", id(value))
    known = memo.get(key)
    if known is None or known[0] is not value or known[2] != len(value):
        known = memo[key] = (value, repr(_shallow(value, 2)), len(value))
    return known[1]


def _shallow(value: Any, depth: int) -> Any:
    if _scalar(value):
        return value
    if depth and isinstance(value, dict):
        return [(key, _shallow(item, depth - 1)) for key, item in value.items()]
    if depth and isinstance(value, (set, frozenset)):  # no order of its own: its items' in a sorted order
        return sorted((_shallow(item, depth - 1) for item in value), key=repr)
    if depth and isinstance(value, SEQUENCES):
        return [_shallow(item, depth - 1) for item in value]
    return type(value).__qualname__


@dataclasses.dataclass(frozen=True, slots=True)
class Rendered:
    """A render with its reads: ``readset`` (None: not reusable, see ``reason``) is shared by
    pages that read the same paths with other keys (``params``: a page's keys, in order)."""

    output: str
    rid: str = ""
    readset: tuple | None = None
    params: tuple = ()
    fingerprint: str = ""
    reason: str = ""

    @property
    def stamp(self) -> str:
        """The fingerprint as the manifest keeps it: reads' id, keys, digest."""
        return stamp(self.rid, self.params, self.fingerprint)


def stamp(rid: str, params: tuple, fingerprint: str) -> str:
    return f"{rid}:{_compact_json(params)}:{fingerprint}"


_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def unstamp(text: str) -> tuple[str, tuple]:
    """The reads' id and keys of a manifest's fingerprint."""
    rid, rest = text.split(":", 1)
    params = rest.rsplit(":", 1)[0]
    return rid, frozen(json.loads(params)) if params else ()


def fingerprint(key: str, name: str, rid: str, params: tuple, values: list[str]) -> str:
    """The digest of a page's reads: each value's digest is text without a NUL (a ``repr``, a
    type's name or a hex digest), so NULs separate them; hashed as they are, not quoted again."""
    hasher = hashlib.sha256(repr((key, name, rid, params)).encode("utf-8"))
    if values:
        hasher.update(("\0" + "\0".join(values)).encode("utf-8"))
    return hasher.hexdigest()[:32]


@contextlib.contextmanager
def unfollowed() -> Iterator[None]:
    """Lookups made inside are not the page's own (a part rendered once for every page)."""
    global _CURRENT
    previous, _CURRENT = _CURRENT, None
    try:
        yield
    finally:
        _CURRENT = previous


def record(template, context: dict, key: str, memo: dict, sizes: dict) -> Rendered:
    """Render, following the reads."""
    global _CURRENT
    recorder = Recorder(context, sizes)
    previous, _CURRENT = _CURRENT, recorder
    try:
        output = template.render(context)
    finally:
        _CURRENT = previous
    if recorder.failure:
        return Rendered(output, reason=recorder.failure)
    reads = recorder.reads()
    try:
        values = [value_digest(recorder.values[path], mode, memo, sizes) for path, mode in reads]
    except Unreusable as error:
        return Rendered(output, reason=str(error))
    params: list = []
    general = tuple((_lift(path, params), mode) for path, mode in reads)
    readset, rid = _readset(general)
    keys = tuple(params)  # text keys: as JSON gives them back
    return Rendered(output, rid, readset, keys, fingerprint(key, template.name, rid, keys, values))


_READSETS: dict[tuple, tuple[tuple, str]] = {}  # pages of one template mostly read the same paths


def _readset(general: tuple) -> tuple[tuple, str]:
    """The reads as the manifest keeps them (paths of tuples, each with its mode) and their id;
    worked out once per build for each set of reads. The paths hold only text, numbers and
    tuples of them, so their ``repr`` is the same in every process and build."""
    known = _READSETS.get(general)
    if known is None:
        general = shared_paths(general)
        known = _READSETS[general] = (general, _readset_id(general))
    return known


_TEXTS: dict[int, str] = {}  # a kept path's ``repr``, by the id of the one object kept for it (``_PATHS``)


def _readset_id(readset: tuple) -> str:
    """The digest of a read set (kept paths, in order, each with its mode): a calendar's or a
    listing's pages each read another set, but of paths mostly written out for a page before."""
    texts = []
    for path, mode in readset:
        text = _TEXTS.get(id(path))
        if text is None:
            text = _TEXTS[id(path)] = repr(path)
        texts.append(text)
        texts.append(mode)
    return text_hash("\0".join(texts))[:16]


_PATHS: dict[tuple, tuple] = {}  # one object for each path kept: read sets repeat most of each other's


def shared_paths(readset: Sequence) -> tuple:
    """A read set kept for the build, each path the one object every kept read set holds (read
    sets of a listing's or a calendar's pages differ in a few paths and share the rest)."""
    return tuple((_PATHS.setdefault(path, path), mode) for path, mode in readset)


def _lift(path: tuple, params: list) -> tuple:
    """The path with its text keys replaced by placeholders (``$n``: the page's n-th key)."""
    lifted = []
    for step in path:
        if step[0] == "i" and isinstance(step[1], str):
            if step[1] not in params:
                params.append(step[1])
            step = ("i", ("$", params.index(step[1])))
        lifted.append(step)
    return tuple(lifted)


@dataclasses.dataclass(frozen=True, slots=True)
class Prepared:
    """Reads as the manifest keeps them, ready to follow: ``reads``, (path, mode) pairs; per
    read, the steps of its path that name one of the page's keys (``places``: (step, n) pairs,
    none for most) and the names of the context it starts from (``roots``); ``names``, all of
    those names."""

    reads: Sequence[tuple[tuple, str]]
    places: tuple[tuple[tuple[int, int], ...], ...]
    roots: tuple[tuple[str, ...], ...]
    names: frozenset[str]


def prepare(readset: Sequence) -> Prepared:
    """A read set ready to follow: its pairs are not copied when their paths are tuples already
    (as a manifest gives them back: a warm build follows hundreds of thousands)."""
    pairs = readset if all(isinstance(path, tuple) for path, _ in readset) else [
        (as_path(path), mode) for path, mode in readset]
    places = []
    for path, _ in pairs:
        keyed = _KEYED.get(id(path))
        if keyed is None or keyed[0] is not path:
            keyed = _KEYED[id(path)] = (path, tuple((position, step[1][1]) for position, step in enumerate(path)
                                                    if _placeholder(step)))
        places.append(keyed[1])
    roots = tuple(_roots(path) for path, _ in pairs)
    return Prepared(pairs, tuple(places), roots, frozenset(name for names in roots for name in names))


_KEYED: dict[int, tuple[tuple, tuple]] = {}  # a manifest's paths are shared by its read sets: looked at once


def _placeholder(step: tuple) -> bool:
    return step[0] == "i" and isinstance(step[1], tuple) and bool(step[1]) and step[1][0] == "$"


def as_path(path: list | tuple) -> tuple:
    """A recorded path as tuples all the way down (one read from a manifest is already)."""
    return path if isinstance(path, tuple) else tuple(frozen(step) for step in path)


def frozen(value: Any) -> Any:
    """Lists (as JSON gives them) as tuples, all the way down."""
    return tuple(frozen(item) for item in value) if isinstance(value, (list, tuple)) else value


def _bind(path: tuple, params: tuple, places: tuple) -> tuple:
    """The path with the page's keys in the steps ``places`` names."""
    bound = list(path)
    for position, number in places:
        bound[position] = ("i", params[number])
    return tuple(bound)


def replay(rid: str, params: tuple, reads: Prepared, template, context: Mapping[str, Any],
           key: str, memo: dict, sizes: dict, shared: Mapping[str, Any] | None = None,
           known: dict | None = None) -> str | None:
    """The fingerprint the page would have now, following the same reads; None if they cannot
    be followed (a name, item or attribute gone, a value without a canonical form).

    ``shared``: the context every page of this build starts from; a path from its values only
    (none replaced by the page's own) gives the same digest on every page of the template, kept
    in ``known`` for the build: a page follows only the paths from its own values (without
    ``shared``, every path)."""
    try:
        values = _digests(rid, params, reads, template, context, memo, sizes, shared or {},
                          {} if known is None else known)
    except Exception:  # anything that stops the lookup means: render the page again
        return None
    return fingerprint(key, template.name, rid, params, values)


OWN, KEYED, SHARED = object(), object(), object()  # how a read of a read set is digested on a page


def _digests(rid: str, params: tuple, reads: Prepared, template, context: Mapping[str, Any], memo: dict,
             sizes: dict, shared: Mapping[str, Any], known: dict) -> list[str]:
    """The digests of a page's reads. Which reads start from the page's own values depends only
    on which names of the context the page replaced (``own``): the plan for the read set and
    those names says, per read, OWN (followed on every page), KEYED (a shared value at a path
    naming the page's keys: kept per path), or the digest itself, once found (SHARED before)."""
    own = frozenset(name for name in reads.names if name not in shared or context.get(name) is not shared[name])
    plan_key = ("plan", template.name, rid, own)
    plan = known.get(plan_key)
    if plan is None:
        plan = known[plan_key] = [OWN if not own.isdisjoint(roots) else KEYED if places else SHARED
                                  for roots, places in zip(reads.roots, reads.places, strict=True)]
    env = template.environment
    found: dict[tuple, Any] = {}
    values = []
    for number, step in enumerate(plan):
        if type(step) is str:
            values.append(step)
            continue
        path, mode = reads.reads[number]
        places = reads.places[number]
        bound = _bind(path, params, places) if places else path
        if step is OWN:
            values.append(value_digest(_resolve(bound, context, env, found), mode, memo, sizes))
        elif step is KEYED:
            cache_key = (template.name, bound, mode)
            digest = known.get(cache_key)
            if digest is None:
                digest = known[cache_key] = value_digest(_resolve(bound, context, env, found), mode, memo, sizes)
            values.append(digest)
        else:
            digest = plan[number] = value_digest(_resolve(bound, context, env, found), mode, memo, sizes)
            values.append(digest)
    return values


_ROOTS: dict[int, tuple[tuple, tuple[str, ...]]] = {}  # by the id of a kept path (a manifest's are shared)


def _roots(path: tuple) -> tuple[str, ...]:
    """The names of the context a path starts from (a page's keys in it change none of them)."""
    known = _ROOTS.get(id(path))
    if known is None or known[0] is not path:
        known = _ROOTS[id(path)] = (path, _find_roots(path))
    return known[1]


def _find_roots(path: tuple) -> tuple[str, ...]:
    found = [path[0][1]]
    for step in path:
        if step[0] == "c":
            arguments = [*step[1], *(a for _, a in (step[2] if len(step) > 2 else ()))]
            found.extend(root for a in arguments if isinstance(a, tuple) and a and a[0] == "ref"
                         for root in _find_roots(a[1]))
    return tuple(found)


def _resolve(path: tuple, context: Mapping[str, Any], env: Environment, found: dict) -> Any:
    if path in found:
        return found[path]
    if len(path) == 1:
        value = context.get(path[0][1], missing)
    else:
        value = _apply(_resolve(path[:-1], context, env, found), path[-1], context, env, found)
    found[path] = value
    return value


def _apply(parent: Any, step: tuple, context: Mapping, env: Environment, found: dict) -> Any:
    kind, argument = step[0], step[1]
    if kind == "a":
        return Environment.getattr(env, parent, argument)
    if kind == "i":
        return Environment.getitem(env, parent, _unkey(argument))
    if kind == "n":
        return list(parent)[argument]
    def value(a: Any) -> Any:
        return _resolve(a[1], context, env, found) if isinstance(a, tuple) and a and a[0] == "ref" else _unkey(a)

    named = {name: value(a) for name, a in step[2]} if len(step) > 2 else {}
    return parent(*map(value, argument), **named)


# --- hooks installed on a generator's Jinja environment ---

_DICT_ATTRIBUTES = frozenset(dir(dict))


def _getattr(env: Environment, obj: Any, attribute: str) -> Any:
    if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
        result = obj[attribute]  # what Jinja finds once ``getattr`` has failed, without the failure
    else:
        try:  # Jinja's own lookup tries this first too: one call less on every lookup of a page
            result = getattr(obj, attribute)
        except AttributeError:
            result = Environment.getattr(env, obj, attribute)
    recorder = _CURRENT
    if recorder is not None and not recorder.in_filter:
        if id(obj) in recorder.covered and id(obj) not in recorder.known:
            recorder.inside_whole(result)  # ``step``'s outcome here, without making the step
        else:
            recorder.step(obj, ("a", attribute), result)
    return result


def _getitem(env: Environment, obj: Any, argument: Any) -> Any:
    result = Environment.getitem(env, obj, argument)
    recorder = _CURRENT
    if recorder is not None and not recorder.in_filter:
        key = key_of(argument)
        if key is None and not isinstance(argument, (str, int, float, bool, type(None))):
            if recorder.path_of(obj) is not None:
                recorder.fail(f"模板用 {type(argument).__qualname__} 作键读取")
        else:
            recorder.step(obj, ("i", key), result)
    return result


class RecordingContext(Context):
    """Jinja's context that notes the names a template takes from the page's context."""

    def resolve_or_missing(self, key: str) -> Any:
        value = super().resolve_or_missing(key)
        recorder = _CURRENT
        if recorder is not None and key not in self.vars and key in recorder.context:
            recorder.read((("r", key),), value)
        return value

    def call(__self, __obj, *args, **kwargs):
        result = super().call(__obj, *args, **kwargs)
        recorder = _CURRENT
        if recorder is None or (type(__obj) is Macro and id(__obj) not in recorder.known) or _scalar(__obj):
            return result  # a macro of the theme's (a calendar page calls hundreds): made by the template
        if id(__obj) in recorder.covered:  # a method of a value digested whole
            for value in (*args, *kwargs.values()):
                recorder.escape(value)
            if not _scalar(result):
                recorder._cover(result)
            return result
        path = recorder.path_of(__obj)
        if path is None:
            return result
        names = sorted(name for name in kwargs if name not in PRIVATE_ARGUMENTS)
        values = [*args, *(kwargs[name] for name in names)]
        encoded = [_argument(recorder, value) for value in values]
        if any(e is None and v is not None for e, v in zip(encoded, values, strict=True)):
            recorder.fail("模板调用时传入了无法记录的参数")
        else:  # keyword arguments, when given, as a third part of the step: (name, argument) pairs
            named = tuple(zip(names, encoded[len(args):], strict=True))
            step = ("c", tuple(encoded[:len(args)]), named) if named else ("c", tuple(encoded))
            recorder.read((*path, step), result)
        return result


def _argument(recorder: Recorder, value: Any) -> Any:
    if _scalar(value):
        return key_of(value) if not isinstance(value, str) else value
    path = recorder.path_of(value)
    return ("ref", path) if path is not None else None


def _follow_filter(name: str, function):
    mode = SHALLOW if name in SHAPE_FILTERS else DEEP

    @functools.wraps(function)
    def followed(*args, **kwargs):
        recorder = _CURRENT
        if recorder is None or recorder.in_filter:
            return function(*args, **kwargs)
        recorder.in_filter = True  # its lookups (selectattr's) are the filter's own: its arguments count whole
        try:
            result = function(*args, **kwargs)
        finally:
            recorder.in_filter = False
        if name not in SAME_FILTERS:
            for value in (*args, *kwargs.values()):
                if not (name in LOOKUP_FILTERS and isinstance(value, Context)):
                    recorder.escape(value, mode)
            if not _scalar(result):
                recorder._cover(result)  # made from the arguments, digested in full: so is what is in it
        return result

    return followed


def _tested(value: Any) -> bool:
    """``{% if value %}``: whether there is something (a collection's items, a value at all)."""
    recorder = _CURRENT
    if recorder is not None and not recorder.in_filter and KINDS.get(type(value)) != SCALAR:
        recorder.observe(value, SHALLOW if _container(value) else TYPE)  # (a plain value: nothing to note)
    return bool(value)


def _searched(value: Any) -> Any:
    """``x in value``: a mapping's keys or a collection of plain values; anything else in full."""
    recorder = _CURRENT
    if recorder is not None and not recorder.in_filter:
        plain = isinstance(value, (dict, set, frozenset, KeysView)) or (
            isinstance(value, (list, tuple)) and all(_scalar(item) for item in value))
        if plain:
            recorder.observe(value, SHALLOW)
        else:
            recorder.escape(value)
    return value


def _whole(value: Any) -> Any:
    """A value compared or printed: read in full."""
    recorder = _CURRENT
    if recorder is not None and not recorder.in_filter and KINDS.get(type(value)) != SCALAR:
        recorder.escape(value)  # (most printed values are text: nothing to note)
    return value


TESTED, SEARCHED, COMPARED = "kepu_tested", "kepu_searched", "kepu_whole"
BOOLEAN = (nodes.Compare, nodes.Test, nodes.Not, nodes.And, nodes.Or, nodes.Const)


def _call(name: str, node: nodes.Expr) -> nodes.Expr:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


def _as_test(node: nodes.Expr) -> nodes.Expr:
    """An expression in a test position, its operands' truth observed."""
    if isinstance(node, (nodes.And, nodes.Or)):
        node.left, node.right = _as_test(node.left), _as_test(node.right)
        return node
    if isinstance(node, nodes.Not):
        node.node = _as_test(node.node)
        return node
    if isinstance(node, BOOLEAN) or (isinstance(node, nodes.Filter) and node.name == TESTED):
        return node
    return _call(TESTED, node)


def observe_template(tree: nodes.Template) -> nodes.Template:
    """Rewrite a parsed template so that tests, searches and comparisons are observed."""
    for node in list(tree.find_all((nodes.If, nodes.CondExpr, nodes.For, nodes.Not, nodes.Compare))):
        if isinstance(node, nodes.Not):
            node.node = _as_test(node.node)
        elif isinstance(node, nodes.Compare):
            searched = any(op.op in ("in", "notin") for op in node.ops)
            if not searched:
                node.expr = _call(COMPARED, node.expr)
            for op in node.ops:
                op.expr = _call(SEARCHED if op.op in ("in", "notin") else COMPARED, op.expr)
        elif node.test is not None:
            node.test = _as_test(node.test)
    return tree


def install(env: Environment) -> None:
    """Follow this environment's templates' reads (only while ``record`` renders a page)."""
    if getattr(env, "_kepu_follows", False):
        return
    env.getattr = functools.partial(_getattr, env)
    env.getitem = functools.partial(_getitem, env)
    env.context_class = RecordingContext
    env.filters.update({name: _follow_filter(name, f) for name, f in env.filters.items()})
    env.tests.update({name: _follow_filter(name, f) for name, f in env.tests.items()})
    env.filters.update({TESTED: _tested, SEARCHED: _searched, COMPARED: _whole})
    parse = env._parse
    env._parse = lambda source, name, filename: observe_template(parse(source, name, filename))
    env.finalize = _whole
    env.auto_reload = False  # a build's templates do not change while it runs: no file checked per include
    env._kepu_follows = True
