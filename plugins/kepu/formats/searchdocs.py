"""What search knows of each event and news item: the site's model turned into SearchDoc records."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import date

from kepu.content.dates import format_day
from kepu.content.model import Event, Registries, Venue
from kepu.formats.finder import ONLINE
from kepu.formats.searchindex import SearchDoc, SearchSite
from kepu.index.site import EventEntry, Facet, ends_at

BODY_CHARS = 2000  # of a page's text, what search reads beyond its names
EXCERPT_CHARS = 80
NEWS_PLACE = "新闻动态"
FORMER_SAID = "原名："  # before a renamed venue's former names, in its result
FREE = "免费"  # a free event's cost word and its cards' tag (``Event.cost_tag`` is "" for it)
PRICED = "收费"  # what a resident types for the events that cost something (材料费 10 元 does not say it)
# The groupings whose own pages search finds by name, and what a result calls each (a street's and
# a community's own kind: 街道, 镇, 社区, 村); categories and audiences are the filters' and lists'.
# In the order shown: a street's or community's name begins many venues' and teams' (某某街道 before
# 某某街道社区服务中心), a programme's many teams'.
GROUPING_WORDS = {"streets": "", "communities": "", "programmes": "科普项目", "campaigns": "主题活动",
                  "venues": "活动场地", "teams": "志愿服务队", "people": "科普专家"}
_TAGS = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain_text(markup: str, limit: int = BODY_CHARS) -> str:
    """The words of sanitised HTML, in one line."""
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", markup))).strip()[:limit]


def _excerpt(summary: str, body: str) -> str:
    text = summary or body
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"


def _places(entry: EventEntry) -> list[Venue]:
    """Where the event is held: its own place, then the places its sessions moved to."""
    event = entry.event
    moved = [s.venue for s in (event.recurrence.sessions if event.recurrence else ())
             if s.venue is not None and not s.cancelled]
    return [v for v in (event.venue, *moved) if v is not None]


def _where(entry: EventEntry) -> str:
    """Where the result's session is, as the cards say it: 某某图书馆报告厅 · 某某街道."""
    venue = entry.shown_venue
    place = venue.name if venue else ONLINE if entry.event.online else ""
    return f"{place} · {entry.street.name}" if place else entry.street.name


def _cost_words(event: Event) -> tuple[str, str]:
    """What the event is found by of its cost: the cost as written (材料费 10 元; 免费 by default) and
    免费 or 收费, words residents type that the cost itself may not say. Text, not names: a page is
    not named by its cost (it does not go first), nor found by a character or the pinyin of it."""
    return (event.cost.strip(), FREE if event.is_free else PRICED)


def event_doc(entry: EventEntry, body_chars: int = BODY_CHARS) -> SearchDoc:
    event = entry.event
    places = _places(entry)
    body = plain_text(event.body_html, body_chars)
    shown = event.shown_status
    return SearchDoc(
        url=entry.url, title=event.title, when=entry.when, place=_where(entry),
        order=(event.slug,),
        names=(event.title, *event.tags, *(p.name for p in entry.programmes), *(c.name for c in entry.campaigns),
               *(v.name for v in places), entry.street.name, entry.team.name,
               entry.community.name if entry.community else event.community,
               *(s.name for s in entry.speakers), *(c.name for c in entry.categories),
               *(a.name for a in entry.audiences)),
        # A renamed venue's former names find the events held there, as its name now does (the
        # venue's own result, first, says 原名：…).
        text=(event.summary, *(v.address for v in places), *(entry.place.former_names if entry.place else ()),
              *_cost_words(event), body),
        ends=int(entry.listed_until.timestamp()),  # among those to come as long as the lists have it
        # When the session shown is over (这一场已结束 then, for a series); none for one not held.
        soon=None if entry.is_past or entry.next is None or not event.held else int(ends_at(entry.next).timestamp()),
        # A series' shown session moved or cancelled says so as the cards do (已改期, 已换地点).
        status=((("cancelled" if entry.shown.cancelled else "postponed") if entry.shown_label else "")
                if shown == "scheduled" else shown),
        status_label=entry.shown_label if shown == "scheduled" else event.status_text,  # as cards say it
        street=entry.street.id, categories=tuple(c.id for c in entry.categories),
        excerpt=_excerpt(event.summary, body), held=event.held, cost=event.cost_said,
    )


def news_doc(url: str, title: str, day: date, summary_html: str, body_html: str,
             tags: tuple[str, ...] = (), body_chars: int = BODY_CHARS) -> SearchDoc:
    summary, body = plain_text(summary_html, EXCERPT_CHARS * 2), plain_text(body_html, body_chars)
    return SearchDoc(url=url, title=title, when=format_day(day), place=NEWS_PLACE,
                     order=(day.isoformat(),), names=(title, *tags), text=(body,),
                     excerpt=_excerpt(summary, body))


def grouping_doc(facet: Facet, registries: Registries, closures: Mapping[str, str]) -> SearchDoc:
    """A venue's, programme's, campaign's, street's, community's, team's or expert's own page: found
    by its name (a resident looking for 安全教育体验馆 found only events held there), its words and
    address; shown before the events, with where it is and how many events are to come."""
    item, kind = facet.item, facet.kind
    street = registries.streets.get(getattr(item, "street", ""))
    if kind == "campaigns":
        where = [f"{format_day(item.start)}至{format_day(item.end, with_year=item.end.year != item.start.year)}"]
    elif kind == "people":
        where = [item.title, item.organisation]
    else:
        where = [getattr(item, "address", ""), street.name if street and kind != "streets" else ""]
    description = getattr(item, "description", "")
    text = tuple(t for t in (description, getattr(item, "address", ""), getattr(item, "hours", ""),
                             getattr(item, "field", "")) if t)
    coming = f"近期活动 {len(facet.upcoming)} 项"
    if kind == "venues" and facet.id in closures:  # SiteIndex.closures: as its page says it
        coming = f"{closures[facet.id]}。{coming}"
    # A venue is looked for by its address too (新港路), and by the names it had before it was
    # renamed, which its result says first (原名：…, the typed words marked): a result under another
    # name is no puzzle. One with events to come before one without (科技活动周: next May's week
    # before last May's).
    former = getattr(item, "former_names", ()) if kind == "venues" else ()
    names = (facet.name, item.address) if kind == "venues" and item.address else (facet.name,)
    excerpt = f"{coming}。{_excerpt(description, '')}" if description else coming
    return SearchDoc(url=facet.url, title=facet.name, when=GROUPING_WORDS[kind] or getattr(item, "kind", ""),
                     place=" · ".join(w for w in where if w),
                     order=(not facet.upcoming, list(GROUPING_WORDS).index(kind), facet.id),
                     names=(*names, *former), text=text, street=street.id if street else "",
                     excerpt=f"{FORMER_SAID}{'、'.join(former)}。{excerpt}" if former else excerpt, grouping=True)


def search_site(registries: Registries) -> SearchSite:
    """The filters' choices and the synonym groups, from the registries."""
    return SearchSite(
        streets=[(s.id, s.name) for s in registries.streets.values()],
        categories=[(c.id, c.name) for c in registries.categories.values()],
        synonyms=[s.group for s in registries.synonyms.values()],
    )
