"""Images in content/images/: publish only real images whose bytes match their suffix, photos
made fit for the web (kepu.content.photos), SVG sanitised."""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import hashlib
import io
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as safe_xml
import PIL
import pillow_heif
from defusedxml import DefusedXmlException
from PIL import Image, ImageSequence, UnidentifiedImageError, features

from kepu.content.photos import (
    ANIMATED_FORMATS,
    HEIF_FORMAT,
    MAX_SIDE,
    SOS,
    has_location,
    jpeg_segments,
    web_image,
)
from kepu.content.problems import STRICT_ADDED, WARNING, ContentError, Problem
from kepu.content.tree import FileTooLarge, read_capped

MAX_IMAGE_BYTES = 30 * 1024 * 1024
RASTER_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", HEIF_FORMAT)  # the only Pillow readers ever tried
SUFFIX_KINDS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP",
                ".svg": "SVG", ".heic": HEIF_FORMAT, ".heif": HEIF_FORMAT}
KIND_NAMES = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP", "SVG": "SVG",
              HEIF_FORMAT: "HEIC"}
KIND_SUFFIXES = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "SVG": "svg",
                 HEIF_FORMAT: "heic"}
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs")  # iPhones write heic
MAX_PIXELS = 60_000_000  # a 60-megapixel photo (and an animation's frames together)
MEMO_SIZE = 256  # verdicts remembered within a process (a build asks about each image several times)
MAX_SVG_DEPTH = 100  # nesting of SVG elements (editors' drawings stay far below)
MAX_SVG_ELEMENTS = 100_000  # a detailed map has a few tens of thousands

ONLY_IMAGES = "content/images/ 下只能放 JPG、PNG、GIF、WebP、SVG 图片或苹果手机的 HEIC 照片"
NOT_IMAGE_HINT = f"{ONLY_IMAGES}：删除这个文件；如果它应是图片，请用图片软件另存为 JPG 或 PNG 后再放入"
SVG_HINT = "已自动删除，网站发布清理后的图片；如果显示不对，请用 Inkscape“另存为 → 普通 SVG”或导出为 PNG 替换"
SVG_REDO_HINT = "在 Inkscape 或 Illustrator 中重新“导出为 SVG”（不保留编辑功能），或导出为 PNG 后替换"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Drawing programs' own data: dropped without a word.
EDITOR_NAMESPACES = ("http://sodipodi.sourceforge.net/", "http://www.inkscape.org/namespaces/",
                     "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/",
                     "http://creativecommons.org/ns#", "http://web.resource.org/cc/", "http://ns.adobe.com/",
                     "http://www.bohemiancoding.com/sketch/ns")
SILENT_ELEMENTS = frozenset({"metadata"})


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


ANIMATIONS = frozenset({"animate", "animateMotion", "animateTransform", "set"})
ALLOWED_ELEMENTS = ANIMATIONS | frozenset({
    "a", "circle", "clipPath", "defs", "desc", "ellipse", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge",
    "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
    "feTurbulence", "filter", "g", "image", "line", "linearGradient", "marker", "mask", "mpath", "path",
    "pattern", "polygon", "polyline", "radialGradient", "rect", "stop", "style", "svg", "switch", "symbol",
    "text", "textPath", "title", "tspan", "use", "view"})
ELEMENT_REASONS = {
    "script": "SVG 图片里不能有脚本",
    "foreignObject": "SVG 图片里不能嵌入网页内容",
    "iframe": "SVG 图片里不能嵌入其他网页", "embed": "SVG 图片里不能嵌入其他内容",
    "object": "SVG 图片里不能嵌入其他内容", "handler": "SVG 图片里不能有脚本",
    "listener": "SVG 图片里不能有脚本", "feImage": "滤镜不能加载其他图片",
}
PRESENTATION = _names(
    "alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation "
    "color-interpolation-filters color-rendering cursor direction display dominant-baseline "
    "enable-background fill fill-opacity fill-rule filter flood-color flood-opacity font font-family "
    "font-size font-size-adjust font-stretch font-style font-variant font-weight "
    "glyph-orientation-horizontal glyph-orientation-vertical image-rendering isolation kerning "
    "letter-spacing lighting-color marker marker-end marker-mid marker-start mask mask-type "
    "mix-blend-mode opacity overflow paint-order pointer-events shape-rendering stop-color stop-opacity "
    "stroke stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit "
    "stroke-opacity stroke-width text-anchor text-decoration text-rendering transform-origin unicode-bidi "
    "vector-effect visibility word-spacing writing-mode")
GEOMETRY = _names(
    "id class lang x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength transform "
    "viewBox preserveAspectRatio version baseProfile dx dy rotate textLength lengthAdjust startOffset "
    "method spacing side gradientUnits gradientTransform spreadMethod offset patternUnits "
    "patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits markerUnits "
    "markerWidth markerHeight refX refY orient filterUnits primitiveUnits result in in2 stdDeviation "
    "mode operator k1 k2 k3 k4 type values tableValues slope intercept amplitude exponent scale "
    "xChannelSelector yChannelSelector radius baseFrequency numOctaves seed stitchTiles order "
    "kernelMatrix divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha surfaceScale "
    "diffuseConstant specularConstant specularExponent azimuth elevation z pointsAtX pointsAtY "
    "pointsAtZ limitingConeAngle role aria-label aria-labelledby aria-describedby aria-hidden focusable "
    "requiredFeatures requiredExtensions systemLanguage media zoomAndPan")
TIMING = _names(
    "attributeName attributeType begin dur end min max restart repeatCount repeatDur calcMode keyTimes "
    "keySplines from to by additive accumulate path keyPoints")
ALLOWED_ATTRIBUTES = PRESENTATION | GEOMETRY | TIMING | {"style", "href"}
ANIMATABLE = (PRESENTATION | GEOMETRY) - {"id", "href", "style"}
XML_ATTRIBUTES = frozenset({"space", "lang", "id"})
DATA_RASTER = re.compile(r"data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]*)", re.IGNORECASE)
RASTER_MIME = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
CSS_SUSPECT = re.compile(r"[:(\\@]")  # what every loader, url() and script address needs
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_LOADERS = ("@import", "image-set(", "image(", "cross-fade(", "element(", "src(", "expression(",
               "-moz-binding", "behavior:")
SCRIPT_SCHEMES = ("javascript:", "vbscript:")


@dataclass(frozen=True, slots=True)
class ImageCheck:
    """What to publish (None: refused; a raster image: the file as given, which ``published``
    makes fit for the web), what was said about the file, and what it is (SVG, JPEG, PNG…)."""

    publish: bytes | None
    problems: tuple[Problem, ...] = ()
    kind: str = ""


def published(check: ImageCheck, shown: str) -> bytes:
    """The bytes the site publishes for an accepted image: the sanitised SVG, or the picture
    upright, in sRGB, at most MAX_SIDE pixels, without EXIF (kepu.content.photos). Slow for photos: cache it.
    Raises ContentError for a picture whose data is damaged past what the check can see."""
    if check.publish is None:
        raise ValueError("a refused image is not published")
    if check.kind == "SVG":
        return check.publish
    try:
        return web_image(check.publish, RASTER_FORMATS)
    except Exception as error:  # whatever a damaged picture makes a decoder raise
        raise ContentError([Problem(shown, 0, "", f"{KIND_NAMES[check.kind]} 图片已损坏，无法处理",
                                    "重新导出或重新下载这张图片后再放入")]) from error


@functools.cache
def _code_digest() -> str:
    """What a published image depends on besides its bytes: this code and the encoders' versions.
    A change to either gives every image a new fingerprint, so nothing stale is reused."""
    hasher = hashlib.sha256()
    for module in ("images.py", "photos.py"):
        hasher.update(Path(__file__).with_name(module).read_bytes() + b"\0")
    libraries = [f"{name}={features.version(name)}" for name in ("jpg", "zlib", "webp", "littlecms2")]
    hasher.update(repr([PIL.__version__, pillow_heif.__version__, pillow_heif.libheif_version(),
                        *libraries]).encode())
    return hasher.hexdigest()[:24]


_code_digest()  # now, as the code is imported: a file saved later must not be taken for the code that runs


def fingerprint(data: bytes) -> str:
    """Identifies what the site publishes for an image file: its bytes and the code that judges them."""
    return hashlib.sha256(_code_digest().encode() + b"\0" + data).hexdigest()[:32]


_AS_GIVEN = b""  # a remembered verdict "publish the bytes as given" (no accepted image is empty)
_MEMO: dict[tuple[bytes, str], ImageCheck] = {}


def inspect_image(data: bytes, shown: str) -> ImageCheck:
    """Judge one file from content/images/ by its bytes: publish it, its sanitised SVG, or nothing.
    A build asks about each image several times (preflight, warnings, publishing): judged once,
    and a 20 MB photo is not kept in memory for it."""
    key = (hashlib.sha256(data).digest(), shown)
    check = _MEMO.get(key)
    if check is None:
        check = _inspect(data, shown)
        if len(_MEMO) >= MEMO_SIZE:
            del _MEMO[next(iter(_MEMO))]
        _MEMO[key] = ImageCheck(_AS_GIVEN, check.problems, check.kind) if check.publish is data else check
    return ImageCheck(data, check.problems, check.kind) if check.publish == _AS_GIVEN else check


def _inspect(data: bytes, shown: str) -> ImageCheck:
    name = PurePosixPath(shown).name
    if name.startswith("."):
        return _refused(shown, f"隐藏文件 {name} 不会发布", "删除这个文件（它通常是系统或编辑器自动生成的）")
    if not data:
        return _refused(shown, f"{name} 是空文件", "删除它，或换成真正的图片")
    expected = SUFFIX_KINDS.get(PurePosixPath(name).suffix.lower())
    raster = _raster(data)
    if raster is not None:
        return _judge_raster(data, shown, expected, raster)
    if expected == "SVG":
        return _judge_svg(data, shown)
    if _is_svg(data):
        return _wrong_suffix(shown, expected, "SVG")
    return _refused(shown, f"这不是图片：{name} 实际是{_describe(data)}", NOT_IMAGE_HINT)


def inspect_file(path: Path, shown: str, limit: int = MAX_IMAGE_BYTES) -> ImageCheck:
    """Read one image (never through a link, at most ``limit`` bytes) and judge it."""
    try:
        data = read_capped(path, limit)
    except FileTooLarge as error:
        return _refused(shown, f"图片太大（{error.size / 1024 / 1024:.1f} MB），上限为 {limit // 1024 // 1024} MB",
                        f"用手机或电脑把图片缩小（长边 {MAX_SIDE} 像素足够）后再保存")
    except OSError:
        return _refused(shown, "无法读取这个图片文件", "删除它，或换成普通的图片文件")
    return inspect_image(data, shown)


def _refused(shown: str, message: str, hint: str, line: int = 0) -> ImageCheck:
    return ImageCheck(None, (Problem(shown, line, "", message, hint),))


def _wrong_suffix(shown: str, expected: str | None, actual: str) -> ImageCheck:
    path = PurePosixPath(shown)
    right = f"{path.stem if path.suffix else path.name}.{KIND_SUFFIXES[actual]}"
    if expected:
        message = f"扩展名与内容不符：{path.name} 的扩展名是 {path.suffix}，内容却是 {KIND_NAMES[actual]} 图片"
    else:
        message = f"{ONLY_IMAGES}，{path.name} 的扩展名不对" if path.suffix else f"{path.name} 没有扩展名"
    return _refused(shown, message, f"这个文件实际是 {KIND_NAMES[actual]} 图片：请改名为 {right}"
                                    "（并改正引用它的 image: 或正文里的地址）")


# Raster images: Pillow tells the real format from the bytes.

@dataclass(frozen=True, slots=True)
class _Raster:
    format: str
    pixels: int
    broken: bool
    frames: int = 1
    located: bool = False  # says where it was taken (GPS)


def _raster(data: bytes) -> _Raster | None:
    """The raster format the bytes really are (None: none of ours), and whether the file is whole."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=RASTER_FORMATS)
        except UnidentifiedImageError:  # no reader took it (a cut-off HEIC photo's reader refuses it)
            return _Raster(HEIF_FORMAT, 0, True) if _magic_format(data) == HEIF_FORMAT else None
        except Image.DecompressionBombError:
            return _Raster(_magic_format(data) or "PNG", MAX_PIXELS + 1, False)
        except Exception:  # a reader recognised the header and then failed: a damaged file
            found = _magic_format(data)
            return _Raster(found, 0, True) if found else None
        with image:
            try:
                found = _Raster(image.format or "", image.width * image.height, False, _frames(image),
                                has_location(image, data))
                image.verify()  # PNG: every chunk's checksum, so a cut-off file is found
            except Exception:  # whatever a damaged file makes a reader raise
                return _Raster(image.format or "", image.width * image.height, True)
    if found.format in ("JPEG", "MPO") and not _jpeg_whole(data):
        return _Raster(found.format, found.pixels, True)
    if found.format == "GIF" and not _gif_whole(data):
        return _Raster(found.format, found.pixels, True)
    return found


def _gif_whole(data: bytes) -> bool:
    """Whether a GIF ends with its trailer and every frame decodes: Pillow opens and verifies a copy
    cut off on the way, and fails only when drawing a later frame (as the build does)."""
    if not data.endswith(b";"):
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):
                frame.load()
    except Exception:  # whatever a damaged file makes the reader raise
        return False
    return True


def _frames(image: Image.Image) -> int:
    """An animation's frame count (a HEIC file's other pictures are not frames: never shown)."""
    return image.n_frames if image.format in ANIMATED_FORMATS and getattr(image, "is_animated", False) else 1


def _jpeg_whole(data: bytes) -> bool:
    """Whether a JPEG's picture runs to its end marker: a copy cut off on the way does not (Pillow
    opens it and fails only when decoding, and the check must not decode 20 MB photos). The
    segments before the picture data carry their lengths (an EXIF thumbnail's end marker is
    skipped with them); in the picture data 0xFF is always followed by 0 or a restart marker."""
    segments = jpeg_segments(data)
    if not segments or segments[-1][0] != SOS:
        return False
    return data.rfind(b"\xff\xd9", segments[-1][1]) != -1  # from the end: where it usually is


def _magic_format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return HEIF_FORMAT
    return None


def _judge_raster(data: bytes, shown: str, expected: str | None, raster: _Raster) -> ImageCheck:
    actual = "JPEG" if raster.format == "MPO" else raster.format  # cameras' multi-picture JPEGs
    if expected != actual:
        return _wrong_suffix(shown, expected, actual)
    if raster.broken:
        return _refused(shown, f"{KIND_NAMES[actual]} 图片已损坏或不完整（可能没有下载或复制完）",
                        "重新导出或重新下载这张图片后再放入")
    if raster.pixels > MAX_PIXELS:
        return _refused(shown, f"图片像素太多（超过 {MAX_PIXELS // 10_000} 万像素），浏览器难以显示",
                        f"把图片缩小（长边 {MAX_SIDE} 像素足够）后再保存")
    if raster.pixels * raster.frames > MAX_PIXELS:
        return _refused(shown, f"动图太大：共 {raster.frames} 帧，加起来超过 {MAX_PIXELS // 10_000} 万像素",
                        "减少帧数或把画面缩小后再保存；很长的动画请做成视频，在正文里放链接")
    return ImageCheck(data, (_located(shown, actual),) if raster.located else (), actual)


LOCATED_HINT = ("网站发布的照片已去掉这些信息，但原图还在内容仓库里，仓库公开时任何人都能下载原图看到拍摄地点。"
                "请运行 invoke clean-photos 去掉 JPG 照片里的拍摄地点（画面不变）；其他格式，或用网页编辑上传的，"
                "请在手机相册里删除照片的位置信息（或拍照时关闭“位置”）后重新上传")


def _located(shown: str, kind: str) -> Problem:
    return Problem(shown, 0, "", f"这张 {KIND_NAMES[kind]} 照片里记着拍摄地点（GPS 经纬度）", LOCATED_HINT,
                   WARNING, STRICT_ADDED)


def _describe(data: bytes) -> str:
    """What a file that is not one of our images is, in words an editor knows."""
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
            return " HEIC 照片（苹果手机的格式，多数浏览器无法显示）"
        return " AVIF 图片（网站暂不支持）" if brand in (b"avif", b"avis") else "视频文件"
    for magic, noun in ((b"BM", " BMP 图片"), (b"II*\x00", " TIFF 图片"), (b"MM\x00*", " TIFF 图片"),
                        (b"%PDF", " PDF 文档"), (b"PK\x03\x04", "压缩包或 Word/Excel 文档"),
                        (b"MZ", "可执行程序"), (b"\x7fELF", "可执行程序")):
        if data.startswith(magic):
            return noun
    text = _text_start(data)
    if text is None:
        return "无法识别的文件"
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html")) or any(
            tag in lowered for tag in ("<script", "<body", "<head", "<iframe", "<meta")):
        return "网页（HTML）"
    return "网页或 XML 代码" if lowered.startswith("<") else "文本文件"


def _text_start(data: bytes) -> str | None:
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data[:4096])
    except UnicodeDecodeError:
        return None


# SVG: parsed without DTD or entities, rebuilt from an allowlist.

class _Refusal(Exception):
    def __init__(self, message: str, hint: str, line: int = 0):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


class _Builder(ET.TreeBuilder):
    """A tree builder that records each element's line and every processing instruction."""

    def __init__(self) -> None:
        super().__init__()
        self.expat = None
        self.root: ET.Element | None = None
        self.depth = 0
        self.lines: dict[ET.Element, int] = {}
        self.instructions: list[tuple[int, str]] = []

    def line(self) -> int:
        return self.expat.CurrentLineNumber if self.expat is not None else 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self.depth += 1
        if self.depth > MAX_SVG_DEPTH:
            raise _Refusal(f"SVG 元素嵌套超过 {MAX_SVG_DEPTH} 层", SVG_REDO_HINT, self.line())
        if len(self.lines) >= MAX_SVG_ELEMENTS:
            raise _Refusal(f"SVG 图形太复杂（超过 {MAX_SVG_ELEMENTS // 10_000} 万个元素），浏览器显示会很慢",
                           "在 Inkscape 中简化路径或合并对象后重新导出，或导出为 PNG 后替换", self.line())
        element = super().start(tag, attrs)
        self.lines[element] = self.line()
        return element

    def end(self, tag: str) -> ET.Element:
        self.depth -= 1
        return super().end(tag)

    def pi(self, target: str, text: str | None = None) -> None:
        self.instructions.append((self.line(), target))


class _Notes:
    """What the sanitiser removed: one warning per kind of removal, at its first line."""

    def __init__(self) -> None:
        self.found: dict[str, list[int]] = {}

    def add(self, line: int, message: str) -> None:
        self.found.setdefault(message, []).append(line)

    def problems(self, shown: str) -> tuple[Problem, ...]:
        return tuple(sorted(
            Problem(shown, lines[0], "", message + (f"（共 {len(lines)} 处）" if len(lines) > 1 else ""),
                    SVG_HINT, WARNING) for message, lines in self.found.items()))


def _parse_svg(data: bytes) -> _Builder:
    builder = _Builder()
    parser = safe_xml.DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                                       forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        builder.root = parser.close()
    except DefusedXmlException as error:
        raise _Refusal("SVG 文件含有 DOCTYPE 或实体声明（可能引用外部文件、或把几个字展开成几十亿个），"
                       "网站不发布这样的 SVG", "删除文件开头的 <!DOCTYPE …> 部分，或" + SVG_REDO_HINT,
                       builder.line()) from error
    except ET.ParseError as error:
        line, column = error.position
        raise _Refusal(f"SVG 文件无法解析：第 {line} 行第 {column + 1} 个字符处格式有错（不是完整的 XML）",
                       SVG_REDO_HINT, line) from error
    return builder


MAX_SVG_SIDE = 100_000  # pixels: larger (or inf, nan) is a broken drawing, not a size to give a page
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*")


def svg_size(data: bytes) -> tuple[int, int] | None:
    """A published (sanitised) SVG's shape as a page gives its picture: its width and height in
    pixels, else its viewBox's; None when it says neither (or in other units)."""
    try:
        root = _parse_svg(data).root
    except _Refusal:
        return None
    sides = [_LENGTH.fullmatch(root.get(name) or "") for name in ("width", "height")]
    if all(sides):
        size = tuple(float(side[1]) for side in sides)
    elif root.get("width") or root.get("height"):
        return None  # a size in other units (cm, %): its shown size is not the viewBox's
    else:
        box = (root.get("viewBox") or "").replace(",", " ").split()
        try:
            size = tuple(float(value) for value in box[2:4]) if len(box) == 4 else ()
        except ValueError:
            return None
    if len(size) != 2 or not all(0 < side <= MAX_SVG_SIDE for side in size):  # (nan fails it too)
        return None
    return max(1, round(size[0])), max(1, round(size[1]))


def _is_svg(data: bytes) -> bool:
    text = _text_start(data)
    if text is None or "<svg" not in text:
        return False
    try:
        return _parse_svg(data).root.tag == f"{{{SVG_NS}}}svg"
    except _Refusal:
        return False


def _judge_svg(data: bytes, shown: str) -> ImageCheck:
    try:
        builder = _parse_svg(data)
    except _Refusal as refusal:
        if _text_start(data) is None:  # not text at all: say what it is
            name = PurePosixPath(shown).name
            return _refused(shown, f"这不是 SVG 图片：{name} 实际是{_describe(data)}", NOT_IMAGE_HINT)
        return _refused(shown, refusal.message, refusal.hint, refusal.line)
    root = builder.root
    if root.tag != f"{{{SVG_NS}}}svg":
        return _refused(shown, f"这不是 SVG 图片：最外层的元素是 <{_local(root.tag)}>，"
                               f"应是 <svg xmlns=\"{SVG_NS}\">",
                        f"在开头的 <svg 后面加上 xmlns=\"{SVG_NS}\"，或" + SVG_REDO_HINT, builder.lines.get(root, 0))
    notes = _Notes()
    for line, target in builder.instructions:
        notes.add(line, f"删除了处理指令 <?{target} …?>（它会让浏览器加载其他文件）")
    _clean_attributes(root, builder.lines[root], notes)
    _clean_children(root, builder.lines, notes)
    return ImageCheck(_serialise(root), notes.problems(shown), "SVG")


@functools.lru_cache(maxsize=4096)
def _local(name: str) -> str:
    return name.rpartition("}")[2]


@functools.lru_cache(maxsize=4096)
def _namespace(name: str) -> str:
    return name[1:].partition("}")[0] if name.startswith("{") else ""


def _is_editor(name: str) -> bool:
    return _namespace(name).startswith(EDITOR_NAMESPACES)


def _clean_children(parent: ET.Element, lines: dict[ET.Element, int], notes: _Notes) -> None:
    """Keep the allowed children (cleaned in turn) in one pass: hostile files hold millions."""
    kept: list[ET.Element] = []
    carried: list[str] = []  # text that followed removed elements
    for child in parent:
        reason = _element_reason(child)
        if reason is None:
            _attach_text(parent, kept, carried)
            _clean_attributes(child, lines.get(child, 0), notes)
            _clean_children(child, lines, notes)
            kept.append(child)
            continue
        if reason:
            notes.add(lines.get(child, 0), reason)
        carried.append(child.tail or "")
    _attach_text(parent, kept, carried)
    parent[:] = kept


def _attach_text(parent: ET.Element, kept: list[ET.Element], carried: list[str]) -> None:
    """Text after removed elements stays, joined to what came before them."""
    text = "".join(carried)
    carried.clear()
    if not text:
        return
    if kept:
        kept[-1].tail = (kept[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _element_reason(element: ET.Element) -> str | None:
    """Why an element goes ("" when silently), or None when it stays."""
    tag, local = element.tag, _local(element.tag)
    if _namespace(tag) != SVG_NS:
        return "" if _is_editor(tag) else f"删除了不属于 SVG 的元素 <{local}>"
    if local in SILENT_ELEMENTS:
        return ""
    if local in ELEMENT_REASONS:
        return f"删除了 <{local}> 元素（{ELEMENT_REASONS[local]}）"
    if local not in ALLOWED_ELEMENTS:
        return f"删除了不允许的元素 <{local}>"
    if local in ANIMATIONS:
        return _animation_reason(element, local)
    if local == "style":  # its whole text is CSS, tails of any child element included
        problem = "样式表里不能有其他元素" if len(element) else _css_problem(element.text or "")
        return f"删除了 <style> 样式（{problem}）" if problem else None
    return None


def _animation_reason(element: ET.Element, local: str) -> str | None:
    target = element.get("attributeName", "").strip()
    name = target.rpartition(":")[2]
    if not target or (name in ANIMATABLE and not name.lower().startswith("on")):
        return None
    return f"删除了改写 {target} 属性的动画 <{local}>（动画只能改变图形的样式和位置）"


def _clean_attributes(element: ET.Element, line: int, notes: _Notes) -> None:
    for name, value in list(element.attrib.items()):
        reason = _attribute_reason(element, name, value)
        if reason is None:
            continue
        if reason:
            notes.add(line, reason)
        del element.attrib[name]


def _attribute_reason(element: ET.Element, name: str, value: str) -> str | None:
    """Why an attribute goes ("" when silently), or None when it stays."""
    namespace, local = _namespace(name), _local(name)
    if local.lower().startswith("on"):
        return f"删除了事件属性 {_shown_name(name)}（图片里不能运行脚本）"
    if _is_editor(name) or (not namespace and local.startswith("data-")):
        return ""
    if local == "href" and namespace in ("", XLINK_NS):
        return _href_reason(element, _shown_name(name), value)
    if not _allowed_attribute(namespace, local):
        return f"删除了不允许的属性 {_shown_name(name)}"
    problem = _css_problem(value)
    return f"删除了属性 {_shown_name(name)}=\"{_short(value)}\"（{problem}）" if problem else None


def _allowed_attribute(namespace: str, local: str) -> bool:
    if namespace == XML_NS:
        return local in XML_ATTRIBUTES
    if namespace == XLINK_NS:
        return local == "title"
    return not namespace and local in ALLOWED_ATTRIBUTES


def _href_reason(element: ET.Element, shown: str, value: str) -> str | None:
    """Links stay only inside the file (#id); an <image> may also hold a PNG/JPEG/GIF/WebP itself."""
    target = value.strip()
    if target.startswith("#") and not _css_problem(target):
        return None
    if _local(element.tag) == "image" and _embedded_raster(target):
        return None
    return f"删除了链接 {shown}=\"{_short(target)}\"（SVG 里的链接只能指向本文件内的 #id）"


def _embedded_raster(target: str) -> bool:
    """A data: address holding a whole PNG, JPEG, GIF or WebP image of the type it names."""
    found = DATA_RASTER.fullmatch(target)
    if not found:
        return False
    try:
        data = base64.b64decode(re.sub(r"\s+", "", found.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return False
    raster = _raster(data)
    return (raster is not None and not raster.broken and raster.pixels <= MAX_PIXELS
            and RASTER_MIME[found.group(1).lower()] == ("JPEG" if raster.format == "MPO" else raster.format))


@functools.lru_cache(maxsize=4096)
def _css_problem(text: str) -> str:
    """Why CSS (or an attribute value) could load or run something; "" when it cannot."""
    if not CSS_SUSPECT.search(text):
        return ""
    squeezed = re.sub(r"[\x00-\x20]+", "", text).lower()
    if any(scheme in squeezed for scheme in SCRIPT_SCHEMES):
        return "含有 javascript: 脚本地址"
    if "\\" in text:
        return "含有反斜杠转义，可能藏着外部地址"
    for loader in CSS_LOADERS:
        if loader in squeezed:
            return f"含有 {loader.rstrip('(:')}，会从其他地方加载内容"
    if any(not target.strip().startswith("#") for _, target in CSS_URL.findall(text)):
        return "含有指向外部的 url()，只能用 url(#id) 引用本文件内的内容"
    if "url(" in squeezed and not CSS_URL.search(text):
        return "含有无法判断的 url()"
    return ""


@functools.lru_cache(maxsize=4096)
def _shown_name(name: str) -> str:
    namespace, local = _namespace(name), _local(name)
    prefix = {XLINK_NS: "xlink:", XML_NS: "xml:"}.get(namespace, "")
    return prefix + local


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit] + "…"


def _serialise(root: ET.Element) -> bytes:
    """The sanitised SVG: same input, same bytes (attributes in their original order)."""
    uses_xlink = any(_namespace(name) == XLINK_NS for element in root.iter() for name in element.attrib)
    declarations = f' xmlns="{SVG_NS}"' + (f' xmlns:xlink="{XLINK_NS}"' if uses_xlink else "")
    parts: list[str] = []
    _write(root, parts, declarations)
    return ("".join(parts) + "\n").encode("utf-8")


def _write(element: ET.Element, parts: list[str], declarations: str = "") -> None:
    name = _local(element.tag)
    attributes = "".join(f' {_shown_name(key)}="{_escape(value, True)}"' for key, value in element.attrib.items())
    parts.append(f"<{name}{declarations}{attributes}")
    if not element.text and not len(element):
        parts.append("/>")
        return
    parts.append(">" + _escape(element.text or ""))
    for child in element:
        _write(child, parts)
        parts.append(_escape(child.tail or ""))
    parts.append(f"</{name}>")


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = (text.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
                .replace("\r", "&#13;"))
    return text
