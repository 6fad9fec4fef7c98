"""docs/registries.md is the registries' reference once a new district has replaced the sample's
files (whose comments were the only description of their fields): it lists exactly the fields the
check accepts, file by file, and every value a field with fixed values allows."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kepu.content.model import BASE_LEVELS, COMMUNITY_KINDS, PROGRAMME_LEVELS, STREET_KINDS, VENUE_KINDS
from kepu.content.registries import OPTIONAL_REGISTRIES, REGISTRY_FIELDS, REGISTRY_FILES

GUIDE = ROOT / "docs" / "registries.md"
FIXED_VALUES = {("streets", "kind"): STREET_KINDS, ("communities", "kind"): COMMUNITY_KINDS,
                ("venues", "kind"): VENUE_KINDS, ("venues", "base_level"): BASE_LEVELS,
                ("programmes", "level"): PROGRAMME_LEVELS}


def sections() -> dict[str, dict[str, str]]:
    """File name → {field: its table row}, from each ``## … `file.yml` `` section."""
    found: dict[str, dict[str, str]] = {}
    for part in GUIDE.read_text("utf-8").split("\n## ")[1:]:
        heading, _, body = part.partition("\n")
        name = re.search(r"`([a-z]+\.yml)`", heading)
        if name:
            found[name[1]] = {row[1]: row[0] for row in re.findall(r"^(\| `([a-z_]+)` \|.*)$", body, re.MULTILINE)}
    return found


@pytest.mark.parametrize("kind", sorted(REGISTRY_FILES))
def test_each_registry_is_described_with_exactly_the_fields_the_check_accepts(kind: str) -> None:
    rows = sections().get(REGISTRY_FILES[kind])
    assert rows is not None, f"docs/registries.md has no section for {REGISTRY_FILES[kind]}"
    assert set(rows) == REGISTRY_FIELDS[kind]
    heading = next(line for line in GUIDE.read_text("utf-8").splitlines()
                   if line.startswith("## ") and f"`{REGISTRY_FILES[kind]}`" in line)
    assert ("（必需）" in heading) == (kind not in OPTIONAL_REGISTRIES), heading


@pytest.mark.parametrize(("kind", "field"), sorted(FIXED_VALUES))
def test_every_allowed_value_of_a_field_is_listed(kind: str, field: str) -> None:
    row = sections()[REGISTRY_FILES[kind]][field]
    assert all(value in row for value in FIXED_VALUES[kind, field]), row


def test_every_event_field_the_check_accepts_is_in_the_front_matter_table() -> None:
    """docs/front-matter.md's 字段一览 is where a volunteer or a new district's maintainer looks a
    field up: a field the check accepts and the table leaves out (``sequence`` was one) can only be
    found by reading the code."""
    from kepu.content.validation import EVENT_FIELDS, NESTED_FIELDS

    text = (ROOT / "docs" / "front-matter.md").read_text("utf-8")
    table = text.split("## 字段一览", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| (?:★ )?`([a-z_]+)` \|", table, re.MULTILINE))
    assert set(EVENT_FIELDS) - listed == set()
    for parent, children in NESTED_FIELDS.items():  # each nested field at least named under its parent
        assert all(re.search(rf"\b{child}\b", text) for child in children), parent
