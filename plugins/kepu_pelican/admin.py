"""The web editor (/admin/) written with the site, configured from this build's registries and settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kepu.content.model import Registries
from kepu.editor.admin import ADMIN_FOLDER, ADMIN_THEME, admin_files, cms_site

from .settings import site_config
from .writing import ByteWriter

__all__ = ["ADMIN_FOLDER", "write_admin_files"]


def write_admin_files(out: ByteWriter, settings: dict[str, Any], registries: Registries) -> None:
    config = site_config(settings)
    site = cms_site(config.settings, config.layout, config.public_url)
    vendor = Path(settings["THEME"]) / ADMIN_THEME
    # config.siteurl: as the pages link their files ("" locally)
    for relative, data in admin_files(registries, site, config.sitename, config.siteurl, vendor=vendor).items():
        out.write_or_keep(f"{ADMIN_FOLDER}/{relative}", data)
