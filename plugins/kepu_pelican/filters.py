"""Jinja filters the theme uses for Chinese dates."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from markupsafe import Markup

from kepu.config import psb_code
from kepu.content import dates, sessions
from kepu.formats import maps, phones, structured, subscribe
from kepu.index import campaigndays, notices
from kepu.index.site import EventEntry, ends_at


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def format_day(value: date | datetime, with_year: bool = True, zone: tzinfo | None = None) -> str:
    """2026年12月4日（周五）; ``zone``: the day of an instant there (the site's), not its own."""
    return dates.format_day(_day(dates.as_local(value, zone) if zone is not None else value), with_year)


def format_datetime(value: date | datetime | None) -> str:
    return dates.format_datetime(value) if value else ""


def day_short(value: date | datetime) -> str:
    return dates.format_day_short(_day(value))


def iso(value: date | datetime) -> str:
    return value.isoformat()


def ends(value) -> str:
    """``data-ends`` for an occurrence or a whole event: the instant it is over, with offset."""
    return (value.ends if isinstance(value, EventEntry) else ends_at(value)).isoformat()


def _deadline(event) -> datetime | None:
    """The instant an event's sign-up deadline passes (the end of its day); None without one."""
    registration = event.registration
    return registration.closes(ZoneInfo(event.timezone)) if registration is not None else None


def closes(event) -> str:
    """``data-closes`` for an event's sign-up: the instant it closes, with offset ("" without a deadline)."""
    instant = _deadline(event)
    return instant.isoformat() if instant is not None else ""


def signup_closes(entry: EventEntry) -> str:
    """``data-closes`` for an event's sign-up buttons: the end of its deadline day, or the end of
    its last session held when that comes first (no one signs up for what is over or called off)."""
    return min(filter(None, (_deadline(entry.event), entry.held_ends))).isoformat()


def weekday(value: date | datetime) -> str:
    return dates.WEEKDAYS[_day(value).weekday()]


_SITE_ADDRESS = re.compile(r'(\s(?:src|href)=")(/(?!/)[^"]*)"')


def site_links(html: str, siteurl: str) -> Markup:
    """A body's site addresses (/images/…, /events/…, as the guide asks them written) under the
    site's address (a site deployed under a path, https://host/kepu/, needs it in every link), a
    space in a file's name written %20 (a raw space is no valid address)."""
    return Markup(_SITE_ADDRESS.sub(lambda m: f'{m[1]}{siteurl}{m[2].replace(" ", "%20")}"', str(html)))


_IMG = re.compile(r"<img\s[^>]*>")
_SRC = re.compile(r'\ssrc="/?([^"?#]+)"')
_WIDTH = re.compile(r'\swidth="\s*([^"]*?)\s*"')
_HEIGHT = re.compile(r'\sheight="\s*([^"]*?)\s*"')
_PIXELS = re.compile(r"[0-9]{1,5}")  # a side a screen can show; not ² or ١٠٠, which isdigit() takes


def sized_pictures(html: str, pictures: dict[str, tuple[int, int]] | None) -> Markup:
    """A body's pictures with their published width and height (``pictures``: by address, as
    ``images.pictures_in`` found them), so the page keeps their room while they load. A picture
    the editor sized keeps that size; given only its width (or height), the other follows the
    photo's shape, as a browser keeps room only when it knows both."""
    if not pictures:
        return Markup(html)

    def sized(match: re.Match) -> str:
        tag, src = match[0], _SRC.search(match[0])
        size = pictures.get(src[1]) if src else None
        if size is None or not all(size):
            return tag
        width, height = _WIDTH.search(tag), _HEIGHT.search(tag)
        if width and height:
            return tag
        if width:
            added = f'height="{_scaled(width[1], size[1], size[0])}"' if _PIXELS.fullmatch(width[1]) else ""
        elif height:
            added = f'width="{_scaled(height[1], size[0], size[1])}"' if _PIXELS.fullmatch(height[1]) else ""
        else:
            added = f'width="{size[0]}" height="{size[1]}"'
        return f'{tag.removesuffix(">").removesuffix("/").rstrip()} {added}>' if added else tag

    return Markup(_IMG.sub(sized, str(html)))


_LOADING = re.compile(r"\sloading=")


def lazy_pictures(html: str) -> Markup:
    """A body's pictures loaded as the reader scrolls to them (``loading="lazy"``), unless the editor
    said otherwise: a report of five photos cost a phone 1.5–3 MB before its first screen showed."""
    def lazy(match: re.Match) -> str:
        tag = match[0]
        return tag if _LOADING.search(tag) else f'{tag.removesuffix(">").removesuffix("/").rstrip()} loading="lazy" decoding="async">'

    return Markup(_IMG.sub(lazy, str(html)))


def _scaled(given: str, side: int, other: int) -> int:
    """The side a picture shown ``given`` pixels along ``other`` has, in the photo's own shape."""
    return max(1, round(int(given) * side / other))


def page_path(output_file: str) -> str:
    """The URL path of a written file: ``events/x/index.html`` → ``events/x/``."""
    return output_file[: -len("index.html")] if output_file.endswith("index.html") else output_file


FILTERS = {
    "format_day": format_day,
    "psb_code": psb_code,
    "format_when": dates.format_when,
    "format_datetime": format_datetime,
    "day_short": day_short,
    "iso": iso,
    "ends": ends,
    "closes": closes,
    "signup_closes": signup_closes,
    "weekday": weekday,
    "page_path": page_path,
    "site_links": site_links,
    "sized_pictures": sized_pictures,
    "lazy_pictures": lazy_pictures,
    "tel": phones.tel_uri,
    "tel_link": phones.tel_link,
    "link_phones": phones.link_phones,
    "no_signup_text": notices.no_signup_text,
    "session_text": sessions.session_text,
    "own_time": sessions.own_time,
    "session_detail": sessions.session_detail,
    "session_label": sessions.session_label,
    "map_links": maps.map_links,
    "programme_slots": campaigndays.slots,
    # What only a rendered page needs: worked out when it is rendered, not for every page checked.
    "calendar_links": subscribe.calendar_links,
    "event_jsonld": structured.event_jsonld_script,
}
