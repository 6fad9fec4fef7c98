"""Pelican's writer for this site (given through the ``get_writer`` signal): every page is
rendered with its reads followed, or linked from an earlier build when the same reads give
the same values now."""

from __future__ import annotations

import os
from typing import Any

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from ..trace import note
from .keys import engine_key
from .output import OutputReuse, start_reuse
from .reads import Prepared, prepare, record, replay, stamp, unstamp


class EngineWriter(Writer):
    """Pelican's ``Writer`` whose pages are reused when what their templates read is unchanged."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.key = engine_key(self.settings)
        self.memo = self.reuse.memo  # digests of values (which do not change while pages are written)
        self.sizes = self.reuse.sizes
        self.prepared: dict[str, Prepared] = {}  # earlier pages' reads, ready to follow, by id
        self.claimed: set[str] = set()
        self.shared_digests: dict = {}  # digests of reads from the shared context (reads.replay)

    @property
    def reuse(self) -> OutputReuse:
        return start_reuse(self.output_path, self.settings)

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        if not name:
            return None
        if paginated or (template_name in self.settings["PAGINATED_TEMPLATES"]
                         and kwargs.keys() & {"articles", "dates"}):
            return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                      override_output, url, **kwargs)  # Pelican's news lists: always rendered
        local = _local_context(context, name, kwargs, relative_urls)
        if local["localsiteurl"]:  # as Pelican's writer: contents adjust their links to it
            context["localsiteurl"] = local["localsiteurl"]
        path = self._claim(name, override_output)
        if not self._reused(name, template, local, context):
            self._render(name, path, template, local)
        signals.content_written.send(path, context=local)
        return None

    def _claim(self, name: str, override: bool) -> str:
        """The file's path; two outputs for one path are refused as Pelican does (a collision)."""
        path = sanitised_join(self.output_path, name)
        claims = self.reuse.claims  # this writer's pages and the site's own files (ByteWriter)
        if path in claims and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously')
        self.claimed.add(path)
        claims.add(path)
        return path

    def _reused(self, name: str, template, local: dict, shared: dict) -> bool:
        reuse = self.reuse
        for earlier in reuse.earlier(name):
            rid, params = unstamp(earlier)
            readset = reuse.earlier_reads.get(rid)
            if readset is None:
                continue
            if rid not in self.prepared:
                self.prepared[rid] = prepare(readset)
            found = replay(rid, params, self.prepared[rid], template, local, self.key, self.memo, self.sizes,
                           shared, self.shared_digests)
            if found is None:
                continue
            stamped = stamp(rid, params, found)
            if reuse.reuse(name, stamped):
                reuse.record(name, stamped, {rid: readset})
                return True
        return False

    def _render(self, name: str, path: str, template, local: dict) -> None:
        rendered = record(template, local, self.key, self.memo, self.sizes)
        if os.path.lexists(path):  # never write through a link into the published build
            os.unlink(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(rendered.output)
        if rendered.readset is None:
            note(f"engine: {name} is rendered on every build: {rendered.reason}")
            return
        self.reuse.record(name, rendered.stamp, {rendered.rid: rendered.readset})


def _local_context(context: dict, name: str, kwargs: dict[str, Any], relative_urls: bool) -> dict:
    """The page's context exactly as Pelican's writer makes it."""
    local = context.copy()
    local["localsiteurl"] = local.get("localsiteurl", None)
    if relative_urls:
        relative = path_to_url(get_relative_path(name))
        local["SITEURL"] = relative
        local["localsiteurl"] = relative
    local["output_file"] = name
    local.update(kwargs)
    return local


def get_writer(_pelican) -> type[Writer]:
    return EngineWriter
