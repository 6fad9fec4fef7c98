"""The district a portal serves, as its settings name it (no district is built into the code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class District:
    """How pages, feeds and structured data name the district; neutral defaults without settings."""

    name: str = "本区"  # KEPU_DISTRICT, as in “{name}的科普活动”
    region: str = ""  # KEPU_REGION: province or municipality (schema.org addressRegion)
    city: str = ""  # KEPU_CITY: map apps look up venues without coordinates in this city

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> District:
        default = cls()
        return cls(str(settings.get("KEPU_DISTRICT") or default.name),
                   str(settings.get("KEPU_REGION") or default.region),
                   str(settings.get("KEPU_CITY") or default.city))


NO_DISTRICT = District()  # neutral wording when the settings name none
