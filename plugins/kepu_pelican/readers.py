"""Markdown reader with YAML front matter for news articles and pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from markupsafe import escape
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from kepu.content.articles import scheduled, validate_article
from kepu.content.events import parse_file
from kepu.content.safety import ARTICLE_RESERVED_FIELDS
from kepu.content.validation import body_image_problems
from kepu.content.webnames import web_addresses

from .settings import build_date, content_tree, layout, site_config

PLACEHOLDER_DATE = SafeDatetime(2000, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


class KepuMarkdownReader(BaseReader):
    """Reads ``.md`` files whose metadata is YAML between ``---`` lines.

    Content problems never raise: they travel in the ``kepu_problems`` metadata,
    and the events generator reports them all at once and stops the build.
    """

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings):
        super().__init__(settings)
        self._layout = layout(settings)
        self._ctx = None

    def _context(self):
        if self._ctx is None:
            lay = self._layout
            registries, _ = lay.registries()
            self._ctx = lay.context(registries, site_config(self.settings).timezone, content_tree(self.settings))
        return self._ctx

    def read(self, source_path):
        path = Path(source_path)
        shown = self._layout.shown(path)
        parsed = parse_file(path, shown, reserved=ARTICLE_RESERVED_FIELDS)
        problems = list(parsed.problems)
        meta = None
        if parsed.doc is not None:
            kind = "page" if _is_under(path, self._layout.content / self._layout.pages) else "article"
            meta, found = validate_article(parsed.doc, self._context(), kind)
            problems.extend(found)
            problems.extend(body_image_problems(parsed.doc, parsed.html, self._context()))
        metadata = {"kepu_problems": problems, "kepu_source": shown, "slug": path.stem}
        if meta is None:
            metadata.update(title=path.stem, date=PLACEHOLDER_DATE)
            return "", metadata
        metadata.update(
            title=meta.title,
            kepu_meta=meta,
            kepu_lines=dict(parsed.doc.lines),
            street=meta.street,
            events=meta.events,
            image=meta.image,
            image_alt=meta.image_alt,
            order=meta.order,
        )
        if meta.date:
            metadata["date"] = _safe(meta.date)
        if meta.updated:
            metadata["modified"] = _safe(meta.updated)
        if meta.summary:
            metadata["summary"] = str(escape(meta.summary))
        if meta.author:
            metadata["author"] = self.process_metadata("author", meta.author)
        if meta.tags:
            metadata["tags"] = self.process_metadata("tags", list(meta.tags))
        # A draft is checked, not published (DRAFT_SAVE_AS is empty), and so is news dated after the
        # build day until the build of its day; Pelican's drafts want a category.
        if meta.draft or (kind == "article" and scheduled(meta, build_date(self.settings))):
            metadata["status"] = "draft"
            metadata["category"] = self.process_metadata("category", "草稿")
        return web_addresses(parsed.html), metadata  # HEIC photos are published as .jpg


def _safe(value: datetime) -> SafeDatetime:
    return SafeDatetime(value.year, value.month, value.day, value.hour, value.minute,
                        value.second, tzinfo=value.tzinfo)


def _is_under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def add_reader(readers) -> None:
    """This reader is the only one: no other extension reaches Pelican's stock readers, which
    would publish a body unsanitised and take save_as or template from the file (the content
    walk refuses such files by name before the build starts)."""
    readers.reader_classes.clear()
    readers.reader_classes.update(dict.fromkeys(KepuMarkdownReader.file_extensions, KepuMarkdownReader))
