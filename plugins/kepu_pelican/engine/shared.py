"""Parts of every page (the site's header and footer) rendered once per build and handed to
each page as text: a page reads the text, so its fingerprint still follows what the part shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from . import reads


class SharedParts:
    """``render(name, siteurl)``: the template ``name`` rendered with the build's shared context
    (and this page's ``SITEURL``, which differs by page when URLs are relative), once per build.

    Its own lookups are not the page's: the page reads the call's result in full, which any
    change to what the part shows changes, so no page can keep a stale header."""

    def __init__(self, env: Environment, context: Mapping[str, Any]):
        self._env = env
        self._context = context  # the build's: names set before any page is written
        self._made: dict[tuple[str, str], Markup] = {}

    def render(self, name: str, siteurl: str) -> Markup:
        key = (name, siteurl)
        made = self._made.get(key)
        if made is None:
            with reads.unfollowed():
                text = self._env.get_template(name).render({**self._context, "SITEURL": siteurl})
            made = self._made[key] = Markup(text)
        return made
