"""Random Unicode in every front-matter and registry field: never a traceback, and every output
format the site writes still parses with a parser this project did not write.

Values are drawn, from a fixed seed (``KEPU_PROPERTY_SEED`` explores others), out of the characters
that break things: controls, direction marks, zero-width joiners, line separators, quotes,
backslash sequences such as ``\\N``, markup, CSV formula starters and YAML indicators. Characters
the content rules refuse make a build refuse, naming every file; the rest must build, and then
HTML (Nu checker), JSON-LD and JSON (json, jsonschema), ICS (ical.js, libical, icalendar), CSV
(csv), Atom (feedparser) and SVG (expat) all read what was written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import feedparser
import jsonschema
import pytest
from icalendar import Calendar

from conftest import require, run_build, run_check
from feedtools import icaljs, libical_available, libical_errors, lint, node_available
from webtools import vnu_available, vnu_errors

pytestmark = pytest.mark.build

SEED = int(os.environ.get("KEPU_PROPERTY_SEED", "20261202"))
EVENTS = 24
# Accepted: each must come out of every format exactly as typed.
TRICKY = ["<script>alert(1)</script>", "</script>", "]]>", "-->", "&amp;", '"', "'", "\\N", "\\n", "\\,",
          "\\;", "\\", ";", ",", ":", " #", "&a", "*b", "!c", "|", ">", "{{ x }}", "{% if %}", "%s", "\t",
          "\n", "\u200c", "\u200d", "\u200e", "\u200f", "\u0301", "\u00a0",
          "\u3000", "👩\u200d🔬", "🏳️\u200d🌈", "مرحبا", "שלום", "Ｚａｌｇｏ", "z̷̢a̸l̵g̶o̷", "科普", "滨海",
          "＝", "'", "DTSTART:", "END:VEVENT", "\\r\\n"]
FIRST = ["=HYPERLINK(\"http://evil.example\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "科", "A"]
# Refused: each makes the build stop with the file and line named.
# (Zero-width space, word joiner and BOM: unseen, they split words for search and the duplicate check.)
REFUSED = ["\x01", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u2028", "\u2029", "\ufffe",
           "\u200b", "\u2060", "\ufeff"]
# One line in calendars, spreadsheets and cards: a line break in these is refused.
ONE_LINE = {"title", "cost", ("venue", "name"), ("venue", "address")}
EVENT_TEXT_FIELDS = {"title": 100, "summary": 250, "community": 80, "cost": 80, "status_note": 250,
                     "accessibility": 400, "image_alt": 150}
NESTED_TEXT_FIELDS = {("venue", "name"): 150, ("venue", "address"): 250, ("registration", "note"): 250,
                      ("contact", "name"): 80}
REGISTRY_FIELDS = {"streets.yml": ("name", "area", "description"), "teams.yml": ("name", "contact", "description"),
                   "categories.yml": ("name", "description"), "audiences.yml": ("name", "description")}
REGISTRY_LIMITS = {"name": 55, "area": 90, "contact": 180, "description": 900}


def text(rng: random.Random, limit: int, refused: bool = False, one_line: bool = False) -> str:
    """A value of up to ``limit`` characters mixing plain Chinese with hostile pieces."""
    pieces = [rng.choice(FIRST)]
    tricky = [piece for piece in TRICKY if not (one_line and "\n" in piece)]
    while sum(map(len, pieces)) < rng.randint(4, limit // 2):
        pieces.append(rng.choice(tricky) if rng.random() < 0.6 else rng.choice("科普活动讲座实验亲子社区abc123 "))
    if refused:
        pieces.insert(rng.randrange(1, len(pieces) + 1), rng.choice(REFUSED))
    return "".join(pieces)[:limit]


def yaml_text(value: str) -> str:
    """A double-quoted YAML scalar that reads back as ``value`` (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def event_file(rng: random.Random, number: int, refused_field: str = "") -> tuple[str, dict[str, str]]:
    values = {key: text(rng, limit, refused_field == key, key in ONE_LINE) for key, limit in EVENT_TEXT_FIELDS.items()}
    nested = {key: text(rng, limit, refused_field == ".".join(key), key in ONE_LINE)
              for key, limit in NESTED_TEXT_FIELDS.items()}
    tags = [text(rng, 30, refused_field == "tags") for _ in range(2)]
    day = 3 + number % 25
    lines = ["---", f"title: {yaml_text(values['title'])}", f'start: "2026-12-{day:02d} 09:30"', 'end: "11:00"',
             "street: xinbei", "team: prop-team", "categories: [prop-category]", "audiences: [prop-audience]",
             *(f"{key}: {yaml_text(value)}" for key, value in values.items() if key != "title"),
             # A status the page shows its note with (正常举办 shows none: the check questions one).
             "status: cancelled" if number % 5 == 1 else "status: full",
             f"tags: [{', '.join(map(yaml_text, tags))}]", "image: images/prop.png"]
    for parent in ("venue", "registration", "contact"):
        lines.append(f"{parent}:")
        lines.extend(f"  {child}: {yaml_text(nested[(p, child)])}" for p, child in nested if p == parent)
        if parent == "registration":
            lines.extend(["  required: true", '  phone: "022-2530 1234"', "  url: https://example.cn/bm"])
    if number % 3 == 0:
        lines.append("recurrence:\n  rrule: FREQ=WEEKLY;COUNT=4")
    lines += ["---", text(rng, 300).replace("\t", " "), ""]
    return "\n".join(lines), values


def one_line(field: str, value: str) -> str:
    """A registry's name, area or contact is one line (the check refuses a line break in it); its
    description may have several."""
    return value if field == "description" else value.replace("\n", " ")


def registry_items(rng: random.Random, refused: bool = False) -> dict[str, str]:
    """One hostile item appended to each registry (ids the events above use)."""
    items = {}
    for name, fields in REGISTRY_FIELDS.items():
        ident = {"streets.yml": "prop-street", "teams.yml": "prop-team", "categories.yml": "prop-category",
                 "audiences.yml": "prop-audience"}[name]
        body = [f"- id: {ident}"] + [f"  {field}: {yaml_text(one_line(field, text(rng, REGISTRY_LIMITS[field], refused)))}"
                                     for field in fields]
        body += {"streets.yml": ["  kind: 街道", "  order: 99"], "teams.yml": ["  street: xinbei"]}.get(name, [])
        items[name] = "\n".join(body) + "\n"
    return items


def make_site(mini_site: Path, rng: random.Random, refused: bool) -> tuple[Path, dict[str, dict[str, str]]]:
    content = mini_site / "content"
    folder = content / "events" / "xinbei" / "2026"
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "prop.png").write_bytes(_png())
    for name, item in registry_items(rng, refused).items():
        path = content / "data" / name
        path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + item, "utf-8")
    written = {}
    fields = [*EVENT_TEXT_FIELDS, *(".".join(k) for k in NESTED_TEXT_FIELDS), "tags"]
    for number in range(EVENTS):
        body, values = event_file(rng, number, fields[number % len(fields)] if refused else "")
        (folder / f"prop-{number:02d}.md").write_text(body, "utf-8")
        written[f"prop-{number:02d}"] = values
    return content, written


def _png() -> bytes:
    from test_hostile import tiny_png

    return tiny_png()


@pytest.fixture(scope="module")
def accepted_site(tmp_path_factory: pytest.TempPathFactory):
    site = tmp_path_factory.mktemp("property") / "site"
    import shutil

    from conftest import TEST_SITE
    shutil.copytree(TEST_SITE, site)
    content, written = make_site(site, random.Random(SEED), refused=False)
    result = run_build(content, site / "output")
    return result, site / "output", written


def test_refused_characters_are_named_never_a_traceback(mini_site: Path) -> None:
    content, written = make_site(mini_site, random.Random(SEED + 1), refused=True)
    checked = run_check(content=content, cwd=mini_site)
    built = run_build(content, mini_site / "output")
    for result in (checked, built):
        report = result.stdout + result.stderr
        assert result.returncode == 1, f"seed {SEED + 1}: {report[-3000:]}"
        assert "Traceback" not in report and "程序出错" not in report, f"seed {SEED + 1}: {report[-3000:]}"
        for slug in written:
            assert re.search(rf"content/events/xinbei/2026/{slug}\.md:\d+: ", report), (slug, report[-3000:])
        for name in REGISTRY_FIELDS:
            assert re.search(rf"content/data/{name}:\d+: ", report), (name, report[-3000:])
    assert not (mini_site / "output").exists()


def test_accepted_values_build(accepted_site) -> None:
    result, _, _ = accepted_site
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"seed {SEED}: {report[-4000:]}"
    assert "Traceback" not in report


def _titles(written: dict[str, dict[str, str]]) -> dict[str, str]:
    return {slug: values["title"].strip() for slug, values in written.items()}


def test_html_is_valid_for_the_nu_checker(accepted_site) -> None:
    require(vnu_available(), "the Nu HTML Checker (npm vnu-jar) and java")
    _, output, written = accepted_site
    pages = output / "events"
    errors = vnu_errors(pages)
    assert errors == [], errors[:10]
    for slug in written:
        page = (pages / slug / "index.html").read_text("utf-8")
        assert "<script>alert(1)</script>" not in page


def test_json_ld_and_open_data_read_back_every_title(accepted_site) -> None:
    _, output, written = accepted_site
    for slug, title in _titles(written).items():
        page = (output / "events" / slug / "index.html").read_text("utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert blocks, slug
        names = [json.loads(block).get("name") for block in blocks]
        assert any(name is not None and name.endswith(title) for name in names), (slug, title, names)
    data = json.loads((output / "data" / "events.json").read_text("utf-8"))
    schema = json.loads((output / "data" / "events.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    for path in output.rglob("*.json"):
        json.loads(path.read_text("utf-8"))
    serialized = json.dumps(data, ensure_ascii=False)
    for title in _titles(written).values():
        assert json.dumps(title, ensure_ascii=False) in serialized


def test_csv_reads_back_every_title(accepted_site) -> None:
    _, output, written = accepted_site
    rows = list(csv.reader(io.StringIO((output / "data" / "events.csv").read_text("utf-8-sig"), newline="")))
    header, rows = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in rows)
    cells = {cell for row in rows for cell in row}
    for title in _titles(written).values():
        assert title in cells or f"'{title}" in cells, title
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in rows for cell in row
                   if not re.fullmatch(r"-?\d+(\.\d+)?", cell)), "a cell a spreadsheet would run"


def test_calendars_parse_in_three_parsers_and_keep_titles(accepted_site) -> None:
    require(node_available(), "node and ical.js (make test installs them)")
    require(libical_available(), "libical's Python bindings (make test installs them)")
    _, output, written = accepted_site
    feeds = sorted(output.rglob("*.ics"))
    for path in feeds:
        assert lint(path.read_bytes()) == [], path
        Calendar.from_ical(path.read_bytes())
    assert len(feeds) > len(written), feeds  # each event's own feed, and the shared ones
    assert libical_errors(feeds) == {str(p): [] for p in feeds}
    read = icaljs([output / "events" / f"{slug}.ics" for slug in written], date(2026, 11, 1), date(2027, 3, 1))
    for slug, title in _titles(written).items():
        summaries = {o["summary"] for o in read[str(output / "events" / f"{slug}.ics")]}
        assert summaries and all(s.endswith(title) for s in summaries), (slug, title, summaries)


def test_atom_and_svg_are_well_formed(accepted_site) -> None:
    _, output, _ = accepted_site
    atoms = sorted(output.rglob("*.atom"))
    assert (output / "feeds" / "all.atom") in atoms and len(atoms) > 5, atoms
    for path in atoms:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    svgs = 0
    for path in [*output.glob("stats/**/index.html"), *output.glob("streets/*/index.html"),
                 *output.glob("events/prop-*/index.html")]:
        for svg in re.findall(r"<svg\b.*?</svg>", path.read_text("utf-8"), re.S):
            ElementTree.fromstring(svg)
            svgs += 1
    for path in output.rglob("*.svg"):
        ElementTree.fromstring(path.read_bytes())
        svgs += 1
    assert svgs > 10
