"""Read the portal's settings out of Pelican's settings dict."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from kepu.content.project import Layout
from kepu.content.tree import ContentTree
from kepu.index.site import DEFAULT_HORIZON_DAYS


def layout(settings: Mapping[str, Any]) -> Layout:
    """Content layout from PATH and the *_PATHS settings."""
    return Layout.from_settings(settings)


TREE_KEY = "KEPU_CONTENT_TREE"


def content_tree(settings: dict[str, Any]) -> ContentTree:
    """The walk over content/ made once per build (by the preflight, or on first use) and shared
    by the readers and generators of that build through its settings."""
    tree = settings.get(TREE_KEY)
    if not isinstance(tree, ContentTree):
        tree = settings[TREE_KEY] = layout(settings).scan()
    return tree


def build_date(settings: Mapping[str, Any]) -> date:
    """The date pages are built for; pelicanconf resolves it from the environment once."""
    value = settings.get("BUILD_DATE")
    if isinstance(value, date):
        return value
    if not value:
        raise ValueError("BUILD_DATE 未设置：请在 pelicanconf.py 中设置，或设置环境变量 KEPU_BUILD_DATE")
    return date.fromisoformat(str(value))


def horizon_days(settings: Mapping[str, Any]) -> int:
    return int(settings.get("EVENT_HORIZON_DAYS", DEFAULT_HORIZON_DAYS))


def public_url(settings: Mapping[str, Any]) -> str:
    """Absolute site address for feeds, QR codes and subscribe links (SITEURL when set)."""
    url = settings.get("SITEURL") or settings.get("DEV_SITEURL") or "http://127.0.0.1:8000"
    return str(url).rstrip("/")


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
