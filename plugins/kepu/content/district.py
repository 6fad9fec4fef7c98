"""The district a portal serves, as its settings name it (no district is built into the code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WHOLE_UNITS = "区县旗市"  # the last character of a county-level division's name


NEUTRAL_NAME = "本区"  # what pages call a district the settings do not name


@dataclass(frozen=True, slots=True)
class District:
    """How pages, feeds and structured data name the district; neutral defaults without settings."""

    name: str = NEUTRAL_NAME  # KEPU_DISTRICT, as in “{name}的科普活动”
    region: str = ""  # KEPU_REGION: province or municipality (schema.org addressRegion)
    city: str = ""  # KEPU_CITY: map apps look up venues without coordinates in this city

    @property
    def place(self) -> str:
        """Its name as part of an address: "" when the settings name none (本区 is no place)."""
        return "" if self.name == NEUTRAL_NAME else self.name

    @property
    def whole(self) -> str:
        """The whole district as residents say it: 全区, 全县, 全旗 or 全市 (a county-level city)."""
        return "全" + (self.name[-1] if self.name[-1:] in WHOLE_UNITS else "区")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> District:
        default = cls()
        return cls(str(settings.get("KEPU_DISTRICT") or default.name),
                   str(settings.get("KEPU_REGION") or default.region),
                   str(settings.get("KEPU_CITY") or default.city))


NO_DISTRICT = District()  # neutral wording when the settings name none
