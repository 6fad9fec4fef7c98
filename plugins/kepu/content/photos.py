"""Raster images made fit for the web at build time: upright, in sRGB, at most 1600 px, no metadata."""

from __future__ import annotations

import io
import re
import struct

import pillow_heif
from PIL import Image, ImageCms, ImageOps, ImageSequence

MAX_SIDE = 1600  # longest side in pixels: sharp on a phone and across a laptop's text column
# Chosen by measurement (bench/images.py; the table is in bench/RESULTS.md): past these, each
# step of quality costs far more bytes than the picture gains.
JPEG_QUALITY = 82
WEBP_QUALITY = 85
WEBP_METHOD = 6  # the encoder's slowest, smallest setting: a photo is encoded once, then cached
HEIF_FORMAT = "HEIF"
OUTPUT_FORMATS = {"MPO": "JPEG", HEIF_FORMAT: "JPEG"}  # cameras' multi-picture JPEGs; iPhone photos
ANIMATED_FORMATS = ("GIF", "PNG", "WEBP")
KEPT_INFO = ("transparency",)  # the one entry of a picture's info that is part of its pixels
WHITE = (255, 255, 255)

pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def web_image(data: bytes, formats: tuple[str, ...]) -> bytes:
    """The published version of an accepted raster image, in the format it came in (HEIC as JPEG).
    Same bytes in, same bytes out."""
    with Image.open(io.BytesIO(data), formats=formats) as image:
        target = OUTPUT_FORMATS.get(image.format or "", image.format or "")
        if image.format in ANIMATED_FORMATS and getattr(image, "is_animated", False):
            return _animation(image, target)
        picture = _prepared(image)
        return _encode(picture, target, lossless=target == "WEBP" and _lossless_webp(data))


def fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The published size: at most MAX_SIDE on the longest side, the same shape, never enlarged."""
    width, height = size
    longest = max(width, height)
    if longest <= MAX_SIDE:
        return size
    return max(1, round(width * MAX_SIDE / longest)), max(1, round(height * MAX_SIDE / longest))


def _prepared(image: Image.Image) -> Image.Image:
    """Decoded (a JPEG at the smallest scale still as large as needed), turned upright as the
    camera's orientation tag says, in sRGB, scaled down."""
    size = fitted(image.size)
    scaled = size != image.size
    if image.format in ("JPEG", "MPO") and scaled:
        image.draft(None, size)
    decoded, icc = image.size, image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    if upright.size != decoded:  # turned a quarter: the sides swap
        size = size[::-1]
    plain = _srgb(_plain_mode(upright, keep_palette=not scaled and not icc), icc)
    return _scaled(plain, size)


def _plain_mode(image: Image.Image, keep_palette: bool) -> Image.Image:
    """A mode every step below handles: palettes stay only when nothing is scaled or converted."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L", "LA", "CMYK") or (keep_palette and mode in ("P", "1")):
        return image
    if mode.startswith("I"):  # 16-bit grey: scale to 8 bits rather than clip
        return image.convert("I").point(lambda value: value / 256).convert("L")
    transparent = "transparency" in image.info or mode in ("PA", "La", "RGBa")
    return image.convert("RGBA" if transparent else "RGB")


def _srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Colours converted from the picture's own profile (an iPhone's Display P3, a camera's Adobe RGB)
    to sRGB, which every browser assumes when a picture has none."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image if image.mode != "CMYK" else image.convert("RGB")
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, _SRGB, ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                         "RGB" if image.mode == "CMYK" else image.mode)
    except (OSError, ValueError, ImageCms.PyCMSError):  # a damaged profile: the colours as they are
        return image if image.mode != "CMYK" else image.convert("RGB")


def _scaled(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def _encode(image: Image.Image, target: str, lossless: bool = False) -> bytes:
    """Saved with no metadata: no EXIF (so no GPS), no profile, no comment, no time."""
    if target == "JPEG" and image.mode not in ("RGB", "L"):
        image = _on_white(image)
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    buffer = io.BytesIO()
    image.save(buffer, target, **_options(target, lossless))
    return buffer.getvalue()


def _options(target: str, lossless: bool) -> dict:
    if target == "JPEG":
        return {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
    if target == "WEBP":
        return ({"lossless": True, "quality": 100, "method": WEBP_METHOD} if lossless
                else {"quality": WEBP_QUALITY, "method": WEBP_METHOD})
    return {"optimize": True}  # PNG, GIF: lossless, smallest


def _on_white(image: Image.Image) -> Image.Image:
    """A picture with transparency as JPEG (which has none): on white, as a page shows it."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, WHITE)
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _animation(image: Image.Image, target: str) -> bytes:
    """Every frame kept, with its timing and the loop count, each scaled like a still picture."""
    size = fitted(image.size)
    icc = image.info.get("icc_profile")
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(int(frame.info.get("duration") or 100))
        frames.append(_scaled(_srgb(frame.convert("RGBA"), icc), size))
    first = frames[0]
    first.info = {}
    loop = {"loop": image.info["loop"]} if "loop" in image.info else {}
    options = {"optimize": True} if target != "WEBP" else _options(target, False)
    buffer = io.BytesIO()
    first.save(buffer, target, save_all=True, append_images=frames[1:], duration=durations,
               disposal=2 if target == "GIF" else 0, **loop, **options)
    return buffer.getvalue()


def _lossless_webp(data: bytes) -> bool:
    """Whether a WebP file holds a lossless picture (a VP8L chunk): it is published lossless."""
    offset = 12
    while offset + 8 <= len(data):
        kind, size = data[offset:offset + 4], struct.unpack_from("<I", data, offset + 4)[0]
        if kind == b"VP8L":
            return True
        if kind == b"VP8 ":
            return False
        offset += 8 + size + (size & 1)
    return False


# The originals in content/images/: where a photo was taken, taken out without touching a pixel.

ORIENTATION = 0x0112
GPS_IFD = 0x8825
_APP1, SOS, _EOI = 0xE1, 0xDA, 0xD9
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # markers with no length (TEM, restart markers)
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_LOCATION = (b"GPSLatitude", b"GPSLongitude")
VIDEO_LOCATION = b"\xa9xyz"  # an MP4/QuickTime video's place (ISO 6709), as phones write it
_APP1_EXIF = re.compile(rb"\xff\xe1(..)Exif\x00\x00", re.DOTALL)


def has_location(image: Image.Image, data: bytes) -> bool:
    """Whether an opened picture says where it was taken: GPS coordinates in its EXIF, in another
    frame's EXIF (a camera's multi-picture file), in its XMP, or in a video after it (a phone's
    motion photo: the MP4 ©xyz atom). Read from what opening found and from the bytes: no pixel
    is decoded (nor is ``verify`` spoilt)."""
    raws = [image.info.get("exif") or _png_exif(data)]
    raws += [data[m.start() + 4:m.start() + 2 + int.from_bytes(m[1], "big")] for m in _APP1_EXIF.finditer(data)]
    if any(_gps(raw) for raw in raws if raw):
        return True
    return any(tag in data for tag in XMP_LOCATION) or VIDEO_LOCATION in data


def _gps(raw: bytes) -> bool:
    exif = Image.Exif()
    try:
        exif.load(raw)
        gps = exif.get_ifd(GPS_IFD)
    except Exception:  # damaged EXIF: Pillow could not read it
        return False
    return bool(gps.get(2) and gps.get(4))  # latitude and longitude


def _png_exif(data: bytes) -> bytes | None:
    """A PNG's eXIf chunk (Pillow reads one after the picture data only when decoding)."""
    at = data.find(b"eXIf") if data.startswith(b"\x89PNG") else -1
    if at < 12:
        return None
    return data[at + 4:at + 4 + struct.unpack_from(">I", data, at - 4)[0]]


def without_location(data: bytes) -> bytes | None:
    """A JPEG with its EXIF cut down to the orientation (no GPS, no time, no camera) and its XMP
    dropped; the compressed picture is copied byte for byte. None when it is no JPEG or has
    nothing of that kind."""
    segments = jpeg_segments(data)
    if segments is None:
        return None
    kept, changed = [data[:2]], False
    for marker, start, end in segments:
        payload = data[start + 4:end] if marker == _APP1 else b""
        if payload.startswith(b"Exif\x00\x00"):
            changed, replacement = True, _orientation_only(payload)
            kept.append(replacement)
        elif payload.startswith(_XMP):
            changed = True
        elif marker == SOS:  # the picture, up to its end; what follows (a video, more frames) is left out
            picture_end = _picture_end(data, start)
            changed = changed or picture_end < len(data)
            kept.append(data[start:picture_end])
        else:
            kept.append(data[start:end])
    return b"".join(kept) if changed else None


def _picture_end(data: bytes, offset: int) -> int:
    """Where the picture that starts with the scan at ``offset`` ends: after its EOI marker (a
    progressive JPEG has several scans and tables between them; inside a scan, 0xFF is followed
    by 0 or a restart marker). The file's end if there is no EOI."""
    while offset + 4 <= len(data):
        marker = data[offset + 1]
        if marker == _EOI:
            return offset + 2
        if marker in _STANDALONE:
            offset += 2
            continue
        offset += 2 + struct.unpack_from(">H", data, offset + 2)[0]
        if marker == SOS:  # entropy-coded data until the next marker that is not a restart
            while True:
                offset = data.find(b"\xff", offset)
                if offset < 0 or offset + 1 >= len(data):
                    return len(data)
                following = data[offset + 1]
                if following == 0 or following == 0xFF or 0xD0 <= following <= 0xD7:
                    offset += 1 if following == 0xFF else 2
                    continue
                break
    return len(data)


def jpeg_segments(data: bytes) -> list[tuple[int, int, int]] | None:
    """(marker, start, end) of each part of a JPEG up to and including the picture data (its last
    part runs to the end of the file); None if it is not a JPEG."""
    if not data.startswith(b"\xff\xd8"):
        return None
    found, offset = [], 2
    while offset + 4 <= len(data) and data[offset] == 0xFF:
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in _STANDALONE:
            found.append((marker, offset, offset + 2))
            offset += 2
            continue
        if marker in (SOS, _EOI):
            found.append((marker, offset, len(data)))
            return found
        end = offset + 2 + struct.unpack_from(">H", data, offset + 2)[0]
        found.append((marker, offset, end))
        offset = end
    return None  # cut off before the picture data: nothing is rewritten


def _orientation_only(payload: bytes) -> bytes:
    """An APP1 EXIF segment holding only the orientation, or nothing when there is none."""
    exif = Image.Exif()
    exif.load(payload)
    orientation = exif.get(ORIENTATION)
    if not orientation:
        return b""
    kept = Image.Exif()
    kept[ORIENTATION] = orientation
    body = kept.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
