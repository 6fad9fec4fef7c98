"""Where a file of content/images/ is published: under its own name, an iPhone HEIC photo as .jpg."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from kepu.content.problems import Problem

HEIF_SUFFIXES = (".heic", ".heif")  # iPhones' photos: browsers cannot show them, the site publishes JPEG
HEIF_AS = ".jpg"
# A local address (no scheme, no host) in src="…" or href="…" that names a HEIC photo.
_HEIF_ADDRESS = re.compile(r'(\s(?:src|href)=")(?![A-Za-z][A-Za-z0-9+.-]*:|//)([^"?#]*)\.hei[cf](?=["?#])',
                           re.IGNORECASE)


def web_name(relative: str) -> str:
    """The published path of an image: its own, or a HEIC photo's with .jpg."""
    path = PurePosixPath(relative)
    return str(path.with_suffix(HEIF_AS)) if path.suffix.lower() in HEIF_SUFFIXES else relative


def web_addresses(html: str) -> str:
    """Addresses of HEIC photos in a body's HTML pointed at their published JPEG."""
    return _HEIF_ADDRESS.sub(lambda m: f"{m.group(1)}{m.group(2)}{HEIF_AS}", html) if ".hei" in html.lower() else html


def name_clashes(images: list[tuple[str, str]]) -> list[Problem]:
    """Files published at one address (photo.heic beside photo.jpg), from (shown, relative) pairs:
    each is named with the others, so the editor keeps one."""
    by_name: dict[str, list[str]] = {}
    for shown, relative in images:
        by_name.setdefault(web_name(relative).lower(), []).append(shown)
    problems = []
    for name, files in by_name.items():
        for shown in files if len(files) > 1 else ():
            others = "、".join(PurePosixPath(other).name for other in files if other != shown)
            problems.append(Problem(shown, 0, "", f"{PurePosixPath(shown).name} 和 {others} 会发布到同一个地址 /{name}",
                                    "只保留其中一张，或给另一张改个名字（HEIC 照片发布时转成同名的 .jpg 图片）"))
    return problems
