"""``invoke clean-photos``: take where a photo was taken out of the JPEG originals in content/images/.

The site never publishes it (kepu.content.photos strips published copies), but the originals stay
in the content repository, which anyone may download when it is public. JPEGs are rewritten
without decoding a pixel; other formats are named, with the way to do it on a phone.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from kepu.config import add_arguments, for_command
from kepu.content.images import MAX_IMAGE_BYTES, RASTER_FORMATS
from kepu.content.photos import has_location, without_location
from kepu.content.tree import FileTooLarge, read_capped


@dataclass
class Cleaned:
    """What a run did: JPEGs rewritten, and pictures still saying where they were taken."""

    cleaned: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def clean_photos(folder: Path, shown: Callable[[Path], str]) -> Cleaned:
    """Rewrite each JPEG under ``folder`` that says where it was taken; name the others that do."""
    done = Cleaned()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        try:
            data = read_capped(path, MAX_IMAGE_BYTES)
        except (FileTooLarge, OSError):
            continue  # the check names it
        if not _located(data):
            continue
        cleaned = without_location(data)
        if cleaned is not None and not _located(cleaned):
            _replace(path, cleaned)
            done.cleaned.append(shown(path))
        else:
            done.left.append(shown(path))
    return done


def _located(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data), formats=RASTER_FORMATS) as image:
            return has_location(image, data)
    except Exception:  # not a picture, or a damaged one: the check names it
        return False


def _replace(path: Path, data: bytes) -> None:
    """Written beside it and renamed over it: a photo is never left half written."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".clean-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke clean-photos",
                                     description="去掉内容文件夹里 JPG 照片原图记录的拍摄地点（GPS），画面不变。")
    add_arguments(parser)
    config = for_command(parser.parse_args(argv), from_here=True)
    layout = config.layout
    folder = layout.content / layout.images
    if not folder.is_dir():
        print(f"没有图片文件夹 {layout.shown(folder)}，没有需要处理的照片。")
        return 0
    done = clean_photos(folder, layout.shown)
    for name in done.cleaned:
        print(f"{name}: 已去掉拍摄地点")
    for name in done.left:
        print(f"{name}: 这张照片记着拍摄地点，但不是 JPG，无法自动去掉 — "
              "请在手机相册里删除照片的位置信息后重新导出，或另存为 JPG 后再运行本命令", file=sys.stderr)
    if not done.cleaned and not done.left:
        print("没有照片记着拍摄地点。")
    elif done.cleaned:
        print(f"共处理 {len(done.cleaned)} 张照片。提交这些改动后，新版本的原图里不再有拍摄地点；"
              "仓库的提交历史里仍有旧版本，仓库公开前请让管理员按 docs/deploy.md“照片原图里的拍摄地点”处理。")
    return 1 if done.left else 0


if __name__ == "__main__":
    sys.exit(main())
