"""Validate the front matter of news articles and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from kepu.content.frontmatter import SourceDoc
from kepu.content.problems import STRICT_ALWAYS, Problem
from kepu.content.suggest import closest, did_you_mean
from kepu.content.validation import (
    MAX_EVENT_REFS,
    MAX_SLUG,
    FieldReader,
    ValidationContext,
    image_alt,
    image_path,
    shown,
    slug_problem,
    tag_list,
)

ARTICLE_FIELDS = ("title", "date", "summary", "author", "street", "events", "image", "image_alt",
                  "tags", "draft", "updated", "external_id")  # external_id: its row in an imported sheet
PAGE_FIELDS = ("title", "summary", "order", "draft", "image", "image_alt")


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What a news article or page declares about itself."""

    slug: str
    title: str
    date: datetime | None
    updated: datetime | None
    summary: str
    author: str
    street: str
    events: tuple[str, ...]
    image: str
    image_alt: str
    tags: tuple[str, ...]
    draft: bool
    order: int


def validate_article(doc: SourceDoc, ctx: ValidationContext, kind: str = "article",
                     event_slugs: frozenset[str] | None = None) -> tuple[ArticleMeta | None, list[Problem]]:
    """Check a news article (``kind="article"``) or a page (``kind="page"``)."""
    reader = FieldReader(doc, ctx)
    allowed = ARTICLE_FIELDS if kind == "article" else PAGE_FIELDS
    for key in reader.meta:
        if str(key) not in allowed:
            guess = closest(str(key)[:MAX_SLUG], allowed)
            reader.warn(str(key), f"未知字段“{shown(key)}”，将被忽略",
                        f"是否想写“{guess}”？" if guess else f"可用字段：{'、'.join(allowed)}", STRICT_ALWAYS)
    title = reader.text("title", required=True, max_len=200, one_line=True)
    zone = ZoneInfo(ctx.default_timezone)
    published = reader.when("date", zone, required=kind == "article")
    updated = reader.when("updated", zone)
    street = reader.get("street")
    if street:
        street = reader.one_id("street", street, "streets", "街镇")
    events = _event_refs(reader, event_slugs)
    meta = ArticleMeta(
        slug=PurePosixPath(doc.path).stem,
        title=title,
        date=_as_datetime(published, zone),
        updated=_as_datetime(updated, zone),
        summary=reader.text("summary", max_len=300),
        author=reader.text("author", max_len=100),
        street=street or "",
        events=events,
        image=(image := image_path(reader, "image")),
        image_alt=image_alt(reader, image),
        tags=tag_list(reader),
        draft=reader.flag("draft"),
        order=reader.integer("order", 0, 10_000) or 0,
    )
    review = ctx.review
    if kind == "article" and review is not None and scheduled(meta, review.today) and not meta.draft:
        reader.warn("date", f"这篇新闻的日期 {meta.date.date().isoformat()} 在今天（{review.today.isoformat()}）之后："
                            "到那天构建时才会发布",
                    "要现在发布（例如活动预告），date 写今天，活动的时间写在正文里；等到那天再发布的，不用改")
    slug_issue = slug_problem(doc.path)
    if slug_issue:
        reader.problems.append(slug_issue)
    if any(p.is_error for p in reader.problems):
        return None, reader.problems
    return meta, reader.problems


def scheduled(meta: ArticleMeta, today: date) -> bool:
    """A news item dated after the build day: published by the build of its day, not before (it
    was published at once and stood first on the home page, the writer's audit found)."""
    return meta.date is not None and meta.date.date() > today


def _as_datetime(value, zone: ZoneInfo) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), zone)


def _event_refs(reader: FieldReader, event_slugs: frozenset[str] | None) -> tuple[str, ...]:
    value = reader.get("events")
    if value in (None, "", []):
        return ()
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_EVENT_REFS:
        reader.error("events", f"关联的活动太多（{len(items)} 个，上限 {MAX_EVENT_REFS} 个）",
                     "只列出这篇新闻报道的活动")
        return ()
    found = []
    for index, item in enumerate(items):
        key = f"events[{index}]" if isinstance(value, list) else "events"
        if isinstance(item, (dict, list, bool)) or item is None:
            reader.error(key, "这里应写活动的文件名（不含 .md）", "每个文件名写成列表的一项，例如 events: [liudong-kejiguan]")
            continue
        slug = str(item).strip()
        if event_slugs is not None and slug not in event_slugs:
            reader.error(key, f"找不到文件名为“{shown(slug)}”的活动",
                         did_you_mean(slug, event_slugs) or "填写 content/events/ 下活动的文件名（不含 .md）")
            continue
        if slug in found:  # the page would list it twice
            reader.warn(key, f"活动“{shown(slug)}”写了两次", "删去重复的这一项")
            continue
        found.append(slug)
    return tuple(found)
