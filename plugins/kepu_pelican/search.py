"""The site search index (kepu.formats.searchindex), written with the other pages from the site index
and the news."""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterable
from pathlib import Path

from kepu.formats.searchdocs import BODY_CHARS, GROUPING_WORDS, event_doc, grouping_doc, news_doc, search_site
from kepu.formats.searchindex import SearchDoc, TermStore, build
from kepu.formats.urls import UrlScheme
from kepu.index.site import SiteIndex

from .engine import code_digest
from .engine.fragments import load_pickle, save_pickle
from .trace import note
from .writing import ByteWriter

logger = logging.getLogger(__name__)
TERMS_CACHE = "search-terms.pickle"  # in the cache folder: each page's search terms (kepu.formats.searchindex.TermStore)


def news_docs(articles: Iterable, body_chars: int) -> list[SearchDoc]:
    """Pelican's articles (news) as search records."""
    return [news_doc(article.url, article.title, article.date.date(), getattr(article, "summary", ""),
                     article.content, tuple(tag.name for tag in getattr(article, "tags", ())), body_chars)
            for article in articles]


def write_search_index(out: ByteWriter, settings, index: SiteIndex, urls: UrlScheme, articles: Iterable) -> None:
    """Every file of the index, beside the manifest that ``SEARCH_INDEX_SAVE_AS`` names."""
    if not settings.get("SEARCH_INDEX", True):
        return
    body_chars = int(settings.get("SEARCH_BODY_CHARS", BODY_CHARS))
    docs = [event_doc(entry, body_chars) for entry in index.entries] + news_docs(articles, body_chars) + [
        grouping_doc(facet, index.registries, index.closures) for kind in GROUPING_WORDS for facet in index.facets[kind].values()]
    manifest = urls.save_as("SEARCH_INDEX")
    folder = posixpath.dirname(manifest)
    kept = Path(settings["CACHE_PATH"]) / TERMS_CACHE
    known = load_pickle(kept)
    store = TermStore(known if known.get("code") == code_digest() else None)
    for path, data in build(docs, search_site(index.registries), store=store).items():
        out.write(manifest if path == "index.json" else posixpath.join(folder, path), data)
    note(f"search index: terms of {store.made} of {len(docs)} pages worked out")
    if not store.changed:
        return  # the kept terms stand as they are: not written again (megabytes at 16,000 pages)
    try:
        save_pickle(kept, {"code": code_digest(), **store.data()})
    except OSError as error:  # an optimisation only: say so, never fail the build
        logger.warning("缓存 %s 未能保存（%s），下次构建会重新生成", kept, error)
