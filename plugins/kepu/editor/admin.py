"""The files of the web editor at /admin/: its page, generated configuration, fields and Decap's bundle."""

from __future__ import annotations

import os
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from kepu.content.model import Registries
from kepu.content.project import Layout
from kepu.content.validation import DEFAULT_TIMEZONE
from kepu.editor.cmsconfig import CmsSite, cms_config, config_yaml
from kepu.formats.urls import ADMIN_FOLDER
from kepu.index.history import content_repository

HERE = Path(__file__).resolve().parent
ADMIN_THEME = Path("admin") / "decap-cms"  # in the theme; sh scripts/vendor-decap.sh VERSION refreshes it
VENDOR = HERE.parents[2] / "theme" / ADMIN_THEME


def cms_site(settings: Mapping[str, Any], lay: Layout, site_url: str = "") -> CmsSite:
    """Where the editor saves: KEPU_CMS_BACKEND and KEPU_CMS_WORKFLOW, and the content layout."""
    top = content_repository(lay.content, lay.root)
    content = os.path.relpath(lay.content.resolve(), top.resolve()).replace(os.sep, "/")
    return CmsSite(content="" if content == "." else content, events=lay.events, articles=lay.articles,
                   pages=lay.pages, images=lay.images, backend=dict(settings.get("KEPU_CMS_BACKEND") or {}),
                   workflow=bool(settings.get("KEPU_CMS_WORKFLOW", True)), site_url=site_url,
                   timezone=settings.get("TIMEZONE") or DEFAULT_TIMEZONE)


def decap_version(vendor: Path = VENDOR) -> str:
    """``3.16.3``, from the first line of theme/admin/decap-cms/SOURCE.txt (``decap-cms 3.16.3 (…)``)."""
    return (vendor / "SOURCE.txt").read_text("utf-8").split()[1]


def admin_page(site_name: str, base: str, bundle: str, timezone: str = DEFAULT_TIMEZONE) -> bytes:
    """The page; its addresses are absolute (``base`` is the site's address + /admin), as every
    page's are, so that it works when the site is published under a sub-path."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN" data-timezone="{escape(timezone)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>网页编辑 · {escape(site_name)}</title>
<link rel="cms-config-url" type="text/yaml" href="{base}/config.yml">
<link rel="stylesheet" href="{base}/kepu-cms.css">
<link rel="icon" href="{base}/icon.svg" type="image/svg+xml">
</head>
<body>
<script src="{base}/kepu-cms.js"></script>
<script src="{base}/{bundle}/decap-cms.js"></script>
</body>
</html>
""".encode()


def _icon(vendor: Path) -> bytes:
    """The theme's icon (the theme the bundle is in, else this project's)."""
    for theme in (vendor.parents[1], VENDOR.parents[1]):
        if (theme / "static" / "images" / "icon.svg").is_file():
            return (theme / "static" / "images" / "icon.svg").read_bytes()
    return b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'


def admin_files(registries: Registries, site: CmsSite, site_name: str, site_url: str, proxy_url: str = "",
                vendor: Path = VENDOR) -> dict[str, bytes]:
    """Paths under /admin/ and their bytes for the site at ``site_url`` (``proxy_url``: edit the
    working copy through decap-server)."""
    bundle = f"decap-cms-{decap_version(vendor)}"
    files = {
        "index.html": admin_page(site_name, f"{site_url}/{ADMIN_FOLDER}", bundle, site.timezone),
        "config.yml": config_yaml(cms_config(registries, site, proxy_url)),
        "kepu-cms.js": (HERE / "cms.js").read_bytes(),
        "kepu-cms.css": (HERE / "cms.css").read_bytes(),
        # The site's own icon (a data: address would be refused by the hostile-markup checks).
        "icon.svg": _icon(vendor),
    }
    for path in sorted(vendor.glob("*.js")):
        files[f"{bundle}/{path.name}"] = path.read_bytes()
    return files


def write_admin(folder: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
