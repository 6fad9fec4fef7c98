"""Tap-to-call links for the phone numbers residents see (landlines, mobiles, extensions)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

COUNTRY_CODE = "86"
_EXTENSION_WORD = r"(?:转|分机号?|内线|ext\.?)"
# An extension after its word: “转 8012”, “分机：8012”, “（转 8012）”, “ext. 8012”.
_EXTENSION = re.compile(rf"\s*[(（]?\s*{_EXTENSION_WORD}\s*[:：]?\s*([0-9]{{1,6}})\s*[)）]?\s*$", re.IGNORECASE)
# An extension after a dash, “0123-2560 1234-123”: only when the number before it is complete.
_DASH_EXTENSION = re.compile(r"(.*[0-9])\s*-\s*([0-9]{1,6})\s*")
# A phone number inside free text (“某某街道党群服务中心 0123-6391 2280”): a number with a trunk
# 0 and an area code, a mobile number, or an international one; each with an extension or not.
# Dates (2026-12-05) and times do not match: none starts with 0, 1[3-9]xx, 400, 800 or +.
_IN_TEXT = re.compile(
    r"(?<![0-9+])"
    r"(?:\+[0-9][0-9 ()-]{6,18}[0-9]"                       # +86 22 2530 1234
    r"|\(0[0-9]{2,3}\) ?[0-9]{3,4}[ -]?[0-9]{4}"            # (022) 2530-1234
    r"|0[0-9]{2,3}[ -]?[0-9]{3,4}[ -]?[0-9]{4}"             # 0123-2530 1234
    r"|1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}"               # 138 1234 5678
    r"|[48]00[ -]?[0-9]{3}[ -]?[0-9]{4})"                   # 400-800-1234 (dialled as is)
    rf"(?:\s?[(（]?\s?{_EXTENSION_WORD}\s?[:：]?\s?[0-9]{{1,6}}[)）]?|-[0-9]{{1,6}})?"
    r"(?![0-9])",
    re.IGNORECASE,
)


# What a pasted number holds besides ASCII, one character for one: full-width digits and signs (an
# input method's), no-break, thin and ideographic spaces (a web page's, a word processor's).
_PLAIN = str.maketrans({**{chr(0xFF10 + n): str(n) for n in range(10)}, "＋": "+", "（": "(", "）": ")",
                        "－": "-", "‐": "-", "‑": "-", "–": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
                        "\u3000": " "})


def plain(text: str) -> str:
    """``text`` with a pasted number's look-alike characters as the ASCII they stand for (same length)."""
    return text.translate(_PLAIN)


def contains_phone(text: str) -> bool:
    """Whether free text carries a phone number (a landline with its area code, a mobile, …)."""
    return bool(_IN_TEXT.search(plain(text)))


def split_extension(text: str) -> tuple[str, str]:
    """(number, extension) of a phone number as editors write it; the extension may be ""."""
    text = text.strip()
    found = _EXTENSION.search(text)
    if found:
        return text[: found.start()].rstrip(), found[1]
    found = _DASH_EXTENSION.fullmatch(text)
    if found and _complete(found[1]) and not _complete(text):
        return found[1].rstrip(), found[2]
    return text, ""


def _complete(number: str) -> bool:
    """A whole Chinese number: trunk 0, area code and local number (11 digits after 010 and
    02x, 11 or 12 after the others), or an 11-digit mobile number; +86 may replace the 0."""
    digits = re.sub(r"[^0-9]", "", number)
    if number.lstrip().startswith("+"):
        if not digits.startswith(COUNTRY_CODE):
            return False
        digits = digits[len(COUNTRY_CODE):].removeprefix("0")
        digits = digits if digits.startswith("1") and len(digits) == 11 else "0" + digits
    if digits.startswith("0") and len(digits) > 2:
        return len(digits) == 11 if digits[1] in "12" else len(digits) in (11, 12)
    return len(digits) == 11 and digits.startswith("1")


NATIONAL_DIGITS = 11  # a mobile number; an area code and local number after the trunk 0 (12 with it)
INTERNATIONAL_DIGITS = 15  # the longest number anywhere (E.164), its country code included


def too_many_digits(number: str) -> bool:
    """Whether a number (its extension taken off) has more digits than one phone number can hold:
    two numbers run together, “0123-2530 0000 13800000000”. Counted without +86 (0086, +86 (0))
    and the trunk 0: at most 11, a mobile number's or a landline's with its area code."""
    digits = re.sub(r"[^0-9]", "", plain(number))
    if number.lstrip().startswith(("+", "＋")) or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if not digits.startswith(COUNTRY_CODE):
            return len(digits) > INTERNATIONAL_DIGITS
        digits = digits[len(COUNTRY_CODE):]
    return len(digits.removeprefix("0")) > NATIONAL_DIGITS


def shown(text: str) -> str:
    """A phone number as residents read it: an extension, however written, as “转 123”."""
    number, extension = split_extension(text)
    return f"{number} 转 {extension}" if extension else text.strip()


def grouped(text: str) -> str:
    """A number written as bare digits, grouped as it is read aloud (0123-4567 8900, 138 1234 5678,
    400-800-1234): a spreadsheet then keeps it as text, leading 0 and all; anything else as written."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        return text
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith(("400", "800")) and len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if digits.startswith("0") and _complete(digits):
        area = 3 if digits[1] in "12" else 4
        local = digits[area:]
        return f"{digits[:area]}-{local[:-4]} {local[-4:]}"
    return text


def tel_uri(text: str, country: str = COUNTRY_CODE) -> str:
    """A ``tel:`` URI built from the digits of a number as editors write it, or "".

    The trunk 0 of a domestic number gives way to the country code (0123-2530 1234 →
    +86 123 2530 1234, whatever the area code); an 11-digit mobile number gets the country code;
    a number written with + keeps its own; a short number (a local 8-digit one, 12345) stays
    as written, since only the caller's own area can complete it.

    An extension follows a comma: ``tel:+8612325301234,8012``. RFC 3966's ``;ext=8012`` is the
    standard, but neither phone dials it: Android's dialer reads ``;`` as a "wait" prompt and
    turns the letters of ``ext`` into keypad digits, and iOS drops or refuses the parameter.
    A comma is the pause character (3GPP TS 22.101) that both the Android and the iOS Phone
    app honour: the main number always dials, and about two seconds after the call is answered
    the extension is sent as tones, as a switchboard expects; if the switchboard wants it later,
    the caller still reaches the main line (the page shows the extension as text too).
    """
    text, extension = split_extension(text)
    digits = re.sub(r"[^0-9]", "", text)
    if not digits:
        return ""
    if text.lstrip().startswith("+"):
        if digits.startswith(country + "0"):  # “+86 (0)22 …”: a trunk 0 after the country code
            digits = country + digits[len(country) + 1:]
        number = "+" + digits
    elif digits.startswith("00"):  # international prefix
        number = "+" + digits[2:]
    elif digits.startswith("0") and len(digits) >= 10:  # trunk 0 + area code + local number
        number = f"+{country}{digits[1:]}"
    elif len(digits) == 11 and digits.startswith("1"):  # mobile
        number = f"+{country}{digits}"
    else:
        number = digits
    return f"tel:{number},{extension}" if extension else f"tel:{number}"


def tel_link(text: str) -> Markup:
    """One phone number as a tap-to-call link whose text never breaks across lines."""
    uri = tel_uri(text)
    if not uri:
        return escape(text.strip())
    return Markup('<a class="tel" href="{}">{}</a>').format(uri, shown(text))


def link_phones(text: str) -> Markup:
    """Free text (a contact line) with each phone number in it made a tap-to-call link."""
    parts, last = [], 0
    for match in _IN_TEXT.finditer(plain(text)):  # positions are the text's own: one character for one
        parts.append(escape(text[last:match.start()]))
        parts.append(tel_link(match[0]))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
