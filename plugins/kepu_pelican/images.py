"""Publish content/images/: each real image under images/ (an iPhone photo as .jpg), photos made
fit for the web once and kept in the cache folder."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from PIL import Image

from kepu.content.images import fingerprint, inspect_file, published, svg_size
from kepu.content.problems import ContentError, Problem
from kepu.content.project import Layout
from kepu.content.webnames import web_name

from .engine import code_digest, digest
from .parallel import fork_map
from .settings import content_tree, layout
from .trace import phase
from .writing import ByteWriter

logger = logging.getLogger(__name__)
CACHE_FOLDER = "images"


class ImageCache:
    """Published images by fingerprint (the source's bytes and the image code): a 20 MB photo is
    resized once, not on every build. One file per image; what a build did not use is removed."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()

    def read(self, key: str) -> bytes | None:
        self.used.add(key)
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        path = self.folder / key
        partial = path.with_name(f"{key}.partial-{os.getpid()}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
            os.replace(partial, path)  # a killed build leaves a partial file, never a cut-off entry
        except OSError as error:  # an optimisation only: say so, never fail the build
            logger.warning("图片缓存 %s 未能保存（%s），下次构建会重新处理这张图片", path, error)
            partial.unlink(missing_ok=True)

    def prune(self) -> None:
        """Keep only the images this build used (the cache never outgrows one site)."""
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name not in self.used:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def publish_images(settings: dict, out: ByteWriter) -> dict[str, tuple[int, int]]:
    """Publish content/images/ (in place of Pelican's copy of STATIC_PATHS, which published any
    file, scripts included): an image is written only as inspected; an unchanged one is linked from
    the previous build or taken from the cache; the others are made on every core. Done before any
    page is written, so that pages give each picture its published size (width and height: the page
    keeps its room while the photo is on its way). Returns those sizes by address (images/x.jpg);
    an SVG that says neither its size nor its shape has none."""
    lay = layout(settings)
    reuse = out.reuse
    cache = ImageCache(Path(settings["CACHE_PATH"]) / CACHE_FOLDER)
    refused: list[Problem] = []
    pending: list[tuple[Path, str]] = []
    sizes: dict[str, tuple[int, int]] = {}
    with phase("images"):
        for path in content_tree(settings).images:
            check = inspect_file(path, lay.shown(path))
            if check.publish is None:  # the preflight refused it already, unless it changed since
                refused.extend(check.problems)
                continue
            relative, key = web_name(path.relative_to(lay.content).as_posix()), _key(check)
            if reuse.reuse(relative, key):
                cache.used.add(key)
                _measure(sizes, relative, check.kind, Path(out.output_path) / relative)
            elif (cached := cache.read(key)) is not None:
                out.write(relative, cached)
                _measure(sizes, relative, check.kind, io.BytesIO(cached))
            else:
                pending.append((path, relative))
        made = partial(_publish, lay, out, cache)
        for problems, measured in fork_map(made, pending, settings.get("KEPU_WORKERS"), min_items=2):
            refused.extend(problems)
            sizes.update(measured)
        if not refused:
            cache.prune()
    if refused:
        raise ContentError(refused)
    return dict(sorted(sizes.items()))


_PICTURE = re.compile(r'<img\s[^>]*?\bsrc="/?(images/[^"?#]+)"')


def pictures_in(html: str, sizes: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The published sizes of the site's pictures a body shows (``<img src="/images/…">``, by the
    address as written: 照片.jpg or %E7%85%A7%E7%89%87.jpg)."""
    found: dict[str, tuple[int, int]] = {}
    if not sizes or "<img" not in (html or ""):  # most bodies show no picture: no search through them
        return found
    for src in _PICTURE.findall(html):
        size = sizes.get(src) or sizes.get(unquote(src))
        if size is not None:
            found[src] = size
    return found


def _measure(sizes: dict[str, tuple[int, int]], relative: str, kind: str, source: Path | BinaryIO) -> None:
    """A published image's width and height: a raster's from its header (nothing decoded), an
    SVG's from its own width and height or viewBox (none when it says neither)."""
    if kind == "SVG":
        data = source.read_bytes() if isinstance(source, Path) else source.read()
        if (size := svg_size(data)) is not None:
            sizes[relative] = size
        return
    with Image.open(source) as image:
        sizes[relative] = image.size


def _publish(lay: Layout, out: ByteWriter, cache: ImageCache,
             items: Iterable[tuple[Path, str]]) -> tuple[list[Problem], dict[str, tuple[int, int]]]:
    """Make these images fit for the web, keep them in the cache, write them; the problems of
    pictures damaged past what the check sees (or changed into something else meanwhile), and the
    sizes of those published."""
    problems: list[Problem] = []
    sizes: dict[str, tuple[int, int]] = {}
    for path, relative in items:
        shown = lay.shown(path)
        check = inspect_file(path, shown)
        try:
            data = published(check, shown) if check.publish is not None else None
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if data is None:
            problems.extend(check.problems)
            continue
        cache.put(_key(check), data)
        out.write(relative, data)
        _measure(sizes, relative, check.kind, io.BytesIO(data))
    return problems, sizes


def _key(check) -> str:
    """An image as published: its inspected bytes, and the code that makes it fit for the web."""
    return digest(code_digest(), fingerprint(check.publish))
