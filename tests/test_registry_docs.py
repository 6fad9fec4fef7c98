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
