"""The engine's recorded reads (kepu_pelican.engine.reads), in-process: what a template's tests,
searches, comparisons and printed values make a page depend on."""

from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment

from kepu.index.grids import MonthKey
from kepu_pelican.engine import canon, reads
from kepu_pelican.engine.canon import Lasting, canonical, small


def site(title: str = "潮间带观察", venues: tuple[str, ...] = ("shidi",), place: str = "湿地栈道") -> dict:
    """A site index in miniature: groupings holding their events."""
    events = [{"title": title, "venue": {"name": place}}, {"title": "海洋讲座", "venue": {"name": "报告厅"}}]
    return {"kepu": {"facets": {"venues": {v: events for v in venues}, "streets": {"beitang": events}}}}


def render(source: str, context: dict) -> reads.Rendered:
    env = Environment(loader=DictLoader({"page.html": source}), autoescape=True)
    reads.install(env)
    return reads.record(env.get_template("page.html"), context, "key", {}, {})


def replayed(source: str, before: dict, after: dict) -> bool:
    """Whether a page rendered from ``before`` would be reused with ``after``."""
    env = Environment(loader=DictLoader({"page.html": source}), autoescape=True)
    reads.install(env)
    template = env.get_template("page.html")
    first = reads.record(template, before, "key", {}, {})
    assert first.readset is not None, first.reason
    again = reads.replay(first.rid, first.params, reads.prepare(first.readset), template, after, "key", {}, {})
    return again == first.fingerprint


def mode_of(rendered: reads.Rendered, *steps: str) -> str:
    wanted = (("r", "kepu"), *(("a", step) for step in steps))
    return next(mode for path, mode in rendered.readset if path == wanted)


NAV = "{% if kepu.facets.venues %}<a href=/venues/>场地</a>{% endif %}"


def test_a_test_of_a_grouping_depends_on_whether_it_has_items_not_on_its_events() -> None:
    assert render(NAV, site()).output == "<a href=/venues/>场地</a>"
    assert mode_of(render(NAV, site()), "facets", "venues") == reads.SHALLOW
    assert replayed(NAV, site(), site(title="潮间带观察课"))  # an event's title: same page
    assert not replayed(NAV, site(), site(venues=()))  # no venue left: the link goes
    assert not replayed(NAV, site(), site(venues=("shidi", "gang")))


def test_what_is_printed_or_compared_is_read_in_full() -> None:
    printed = "{% if kepu.facets.venues %}{{ kepu.facets.venues.shidi[0].title }}{% endif %}"
    assert render(printed, site()).output == "潮间带观察"
    assert not replayed(printed, site(), site(title="潮间带观察课"))
    tested_and_printed = "{% if kepu.facets.streets.beitang %}{{ kepu.facets.streets.beitang }}{% endif %}"
    assert "潮间带观察" in render(tested_and_printed, site()).output
    assert not replayed(tested_and_printed, site(), site(place="湿地栈道东段"))
    compared = "{% if kepu.facets.venues.shidi == kepu.facets.streets.beitang %}同{% endif %}"
    assert render(compared, site()).output == "同"
    changed = site()
    changed["kepu"]["facets"]["streets"]["beitang"] = changed["kepu"]["facets"]["streets"]["beitang"][::-1]
    assert not replayed(compared, site(), changed)


def test_a_search_reads_the_keys_of_a_mapping() -> None:
    source = "{% if 'shidi' in kepu.facets.venues %}有{% else %}无{% endif %}"
    assert render(source, site()).output == "有"
    assert replayed(source, site(), site(title="潮间带观察课"))
    assert not replayed(source, site(), site(venues=("gang",)))


def test_tests_in_loops_not_and_or_keep_their_meaning() -> None:
    source = ("{% for v in kepu.facets.venues if v %}{{ v }}{% endfor %}|{{ '空' if not kepu.facets.venues else '有' }}"
              "|{% if kepu.facets.venues and kepu.facets.streets %}都有{% endif %}")
    assert render(source, site()).output == "shidi|有|都有"
    assert render(source, site(venues=())).output == "|空|"


def test_a_page_made_from_a_value_without_a_canonical_form_is_not_reused_and_the_value_is_named() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Venue:
        name: str
        opens: tuple

    rendered = render("{{ kepu.venue }}", {"kepu": {"venue": Venue("湿地栈道", ("09:00", print))}})

    assert rendered.readset is None
    assert ".opens[1]: builtins.builtin_function_or_method" in rendered.reason


def test_read_sets_kept_for_the_build_share_their_paths(tmp_path: Path) -> None:
    """Pages of a listing read mostly the same paths: each path is kept once, whichever page's
    read set (or a worker's copy of one) holds it."""
    import pickle

    from kepu_pelican.engine.output import OutputReuse

    one = render("{{ kepu.title }}{{ kepu.place }}", {"kepu": {"title": "潮间带观察", "place": "湿地栈道"}})
    two = render("{{ kepu.title }}{{ kepu.when }}", {"kepu": {"title": "潮间带观察", "when": "周六"}})
    title = next(path for path, _ in one.readset if path[-1] == ("a", "title"))
    assert any(path is title for path, _ in two.readset)

    reuse = OutputReuse(tmp_path / "output", None, tmp_path / "builds")
    copied = pickle.loads(pickle.dumps(two.readset))  # as a forked worker sends it back
    reuse.merge({"files": {"a/index.html": "x"}, "readsets": {"copied": copied}})
    assert any(path is title for path, _ in reuse.readsets["copied"])


def test_a_saved_manifest_gives_back_every_read_set_with_their_paths_shared(tmp_path: Path) -> None:
    """The manifest packs read sets as places in one table of paths: the next build gets back
    each read set as recorded (paths and modes, in order), a path shared by two read sets one
    object, and only read sets that a file of the build names."""
    from kepu_pelican.engine.output import OutputReuse

    one = render("{{ kepu.title }}{{ kepu.place }}", {"kepu": {"title": "潮间带观察", "place": "湿地栈道"}})
    two = render("{{ kepu.title|length }}{{ kepu.when }}", {"kepu": {"title": "潮间带观察", "when": "周六"}})
    staging = tmp_path / "output"
    staging.mkdir()
    reuse = OutputReuse(staging, None, tmp_path / "builds")
    reuse.record("a/index.html", f"{one.rid}:x", {one.rid: one.readset})
    reuse.record("b/index.html", f"{two.rid}:y", {two.rid: two.readset, "unused": one.readset})
    reuse.save()

    again = OutputReuse(staging, None, tmp_path / "builds")
    assert again.present == {"a/index.html": f"{one.rid}:x", "b/index.html": f"{two.rid}:y"}
    assert again.earlier_reads == {one.rid: tuple(one.readset), two.rid: tuple(two.readset)}
    title = next(path for path, _ in again.earlier_reads[one.rid] if path[-1] == ("a", "title"))
    assert any(path is title for path, _ in again.earlier_reads[two.rid])
    assert len({mode for _, mode in one.readset}) > 1  # each read's mode, not one for all


def test_the_build_keeps_digests_and_counts_of_large_values_only() -> None:
    """The memo of digests and the counts of values last the whole build and keep what they
    hold alive: kept for every small value pages read (a month's key, a calendar line), they
    held about 90 MB at 16,000 events. A small or flat value is written or counted again when
    met; a large one holding others once; the digests are the same either way."""
    month, lines = MonthKey(2026, 12), tuple(f"第{n}场：潮间带观察" for n in range(40))
    programme = (month, lines)
    memo: dict = {}
    sizes: dict = {}
    for value in (month, lines, programme):
        assert canonical(value, memo) == canonical(value)
    assert id(month) not in memo and id(lines) not in memo and memo[id(programme)][0] is programme
    assert small(month, reads.WHOLE, sizes) and small(lines, reads.WHOLE, sizes)
    assert id(month) not in sizes and sizes[id(lines)] == (lines, 41)


def test_while_the_index_is_digested_its_small_values_are_written_once_and_then_let_go() -> None:
    """``Lasting``: digesting 16,000 entries met the same street, team and categories in each
    and wrote them out every time. While it is used it keeps such small values as well, and
    the build's memo still gets only the large ones holding others."""
    month = MonthKey(2026, 12)
    entries = [(month, tuple(f"第{n}场：潮间带观察" for n in range(40)), number) for number in range(3)]
    memo: dict = {}
    lasting = Lasting(memo)
    written: list[object] = []
    original = canon._write_composite

    def counting(out, value, memo_used, found):
        written.append(value)
        return original(out, value, memo_used, found)

    canon._write_composite = counting
    try:
        digests = [canonical(entry, lasting) for entry in entries]
    finally:
        canon._write_composite = original
    assert digests == [canonical(entry) for entry in entries]
    assert sum(value is month for value in written) == 1
    assert id(month) not in memo and all(memo[id(entry)][0] is entry for entry in entries)


def test_a_loop_over_plain_values_depends_on_each_value_not_only_how_many() -> None:
    """The calendar's index lists its months as rows of plain values (a name of the page's own
    context, iterated): a month whose count changed, or months moved on with as many rows, must
    reach the page."""
    source = "{% for label, count in months %}<a>{{ label }}：{{ count }} 场</a>{% endfor %}"
    before = {"months": [("2026年11月", 12), ("2026年12月", 9)]}
    assert render(source, before).output == "<a>2026年11月：12 场</a><a>2026年12月：9 场</a>"
    assert replayed(source, before, {"months": [("2026年11月", 12), ("2026年12月", 9)]})
    assert not replayed(source, before, {"months": [("2026年11月", 12), ("2026年12月", 10)]})
    assert not replayed(source, before, {"months": [("2026年12月", 9), ("2027年1月", 4)]})


def test_a_long_text_counts_to_its_last_character_and_its_kind() -> None:
    """A page's body is digested by its hash, not written out: a change at its very end, or the
    same words as plain text instead of markup, is still another page."""
    from markupsafe import Markup

    body = "<p>潮间带观察：退潮后沿湿地栈道认识招潮蟹、沙蚕和碱蓬。</p>" * 12
    page = "{{ kepu.body }}"
    assert replayed(page, {"kepu": {"body": Markup(body)}}, {"kepu": {"body": Markup(body)}})
    assert not replayed(page, {"kepu": {"body": Markup(body)}}, {"kepu": {"body": Markup(body[:-1] + "。")}})
    assert not replayed(page, {"kepu": {"body": Markup(body)}}, {"kepu": {"body": body}})
    assert render(page, {"kepu": {"body": body}}).output != render(page, {"kepu": {"body": Markup(body)}}).output


def test_a_mapping_read_by_attribute_is_read_as_jinja_reads_it() -> None:
    """``kepu.items`` is the dict's method, ``kepu.title`` its item: the quick path for dicts
    gives what Jinja gives, and the item is what the page depends on."""
    page = "{{ kepu.title }}|{{ kepu.items()|list|length }}|{{ kepu.missing is defined }}"
    context = {"kepu": {"title": "潮间带观察", "items": "不是方法"}}
    assert render(page, context).output == "潮间带观察|2|False"
    assert not replayed(page, context, {"kepu": {"title": "海洋讲座", "items": "不是方法"}})


def test_a_test_on_a_set_depends_on_what_it_holds() -> None:
    """A set was digested as its type alone: a page testing it, or whether it holds a name, was
    reused whatever the set came to hold."""
    page = '{% if kepu.open %}有{% endif %}{% if "shidi" in kepu.open %}湿地开放{% endif %}'
    before = {"kepu": {"open": {"shidi", "gang"}}}
    assert render(page, before).output == "有湿地开放"
    assert replayed(page, before, {"kepu": {"open": {"gang", "shidi"}}})
    assert not replayed(page, before, {"kepu": {"open": {"gang", "haian"}}})
    assert not replayed(page, before, {"kepu": {"open": set()}})


class Window:
    """A value every page shares, asked about each page's own event (as a feed's window is)."""

    def holds(self, entry: dict) -> bool:
        return entry["open"]


def test_a_shared_value_asked_about_a_pages_own_value_is_asked_again_for_each_page() -> None:
    """A path from the build's shared context is digested once for every page of a template. A
    call on a shared value with the page's own event as its argument was taken for such a path:
    the second page was given the first page's answer, and reused after its own had changed."""
    source = "{{ entry.slug }}{% if kepu.window.holds(entry) %}在窗口内{% endif %}"  # entry read deeper: by its type
    env = Environment(loader=DictLoader({"page.html": source}), autoescape=True)
    reads.install(env)
    template = env.get_template("page.html")
    shared = {"kepu": {"window": Window()}}
    pages = [{**shared, "entry": {"open": True, "slug": slug}} for slug in ("a", "b")]
    rendered = [reads.record(template, page, "key", {}, {}) for page in pages]
    assert [r.output for r in rendered] == ["a在窗口内", "b在窗口内"]
    known: dict = {}

    def reused(number: int, context: dict) -> bool:
        first = rendered[number]
        again = reads.replay(first.rid, first.params, reads.prepare(first.readset), template, context, "key", {}, {},
                             shared, known)
        return again == first.fingerprint

    assert reused(0, pages[0])
    assert reused(1, pages[1])  # its own slug, not the first page's
    assert not reused(1, {**shared, "entry": {"open": False, "slug": "b"}})
    assert not reused(0, {**shared, "entry": {"open": True, "slug": "c"}})
