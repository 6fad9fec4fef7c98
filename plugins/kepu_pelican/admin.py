"""The web editor (/admin/) written with the site, configured from this build's registries and settings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kepu.content.model import Registries
from kepu.editor.admin import ADMIN_FOLDER, ADMIN_THEME, admin_files, cms_site

from .settings import layout, public_url
from .writing import ByteWriter

__all__ = ["ADMIN_FOLDER", "write_admin_files"]


def write_admin_files(out: ByteWriter, settings: Mapping[str, Any], registries: Registries) -> None:
    site = cms_site(settings, layout(settings), public_url(settings))
    base = str(settings.get("SITEURL") or "").rstrip("/")  # as the pages link their files: "" locally
    vendor = Path(settings["THEME"]) / ADMIN_THEME
    for relative, data in admin_files(registries, site, settings["SITENAME"], base, vendor=vendor).items():
        out.write(f"{ADMIN_FOLDER}/{relative}", data)
