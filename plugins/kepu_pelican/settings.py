"""Read the portal's settings out of Pelican's settings dict: its SiteConfig, made once per build."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from kepu.config import CONFIG_KEY, SiteConfig
from kepu.content.project import Layout
from kepu.content.tree import ContentTree
from kepu.formats.urls import content_version
from kepu.index.site import DEFAULT_HORIZON_DAYS


def site_config(settings: dict[str, Any]) -> SiteConfig:
    """The build's configuration: made by kepu_pelican.build from the settings file (or here, on
    first use, when Pelican runs the plugin itself), shared through the settings."""
    config = settings.get(CONFIG_KEY)
    if not isinstance(config, SiteConfig):
        config = settings[CONFIG_KEY] = SiteConfig.from_settings(settings)
    return config


def layout(settings: dict[str, Any]) -> Layout:
    """Content layout from PATH and the *_PATHS settings."""
    return site_config(settings).layout


TREE_KEY = "KEPU_CONTENT_TREE"


def content_tree(settings: dict[str, Any]) -> ContentTree:
    """The walk over content/ made once per build (by the preflight, or on first use) and shared
    by the readers and generators of that build through its settings."""
    tree = settings.get(TREE_KEY)
    if not isinstance(tree, ContentTree):
        tree = settings[TREE_KEY] = layout(settings).scan()
    return tree


def build_date(settings: dict[str, Any]) -> date:
    """The date pages are built for; pelicanconf resolves it from the environment once."""
    return site_config(settings).build_date


def horizon_days(settings: Mapping[str, Any]) -> int:
    return int(settings.get("EVENT_HORIZON_DAYS", DEFAULT_HORIZON_DAYS))


def public_url(settings: dict[str, Any]) -> str:
    """Absolute site address for feeds, QR codes and subscribe links (SITEURL when set)."""
    return site_config(settings).public_url


def previous_output(staging: Path, settings: Mapping[str, Any]) -> Path | None:
    """The published output this build will replace (its unchanged parts can be reused)."""
    configured = settings.get("KEPU_PREVIOUS_OUTPUT")
    if configured:
        return Path(configured)
    name = staging.name
    if name.startswith(".") and name.endswith(".building"):
        candidate = staging.parent / name[1:-len(".building")]
        return candidate if candidate.is_dir() else None
    return None


def theme_files(settings: Mapping[str, Any]) -> dict[str, str]:
    """Each theme file's address under the theme's static folder with its version
    (css/site.css → css/site.css?v=…): pages link scripts and styles so, and a browser that kept
    an earlier script never runs it against pages or data it does not know."""
    theme = Path(settings["THEME"])
    addresses = {}
    for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
        root = theme / folder
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            addresses[name] = f"{name}?v={content_version(path.read_bytes())}"
    return addresses
