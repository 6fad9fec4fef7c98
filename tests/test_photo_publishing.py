"""Photos as editors bring them: a 20 MB camera file with GPS in its EXIF and the camera held
upright, an iPhone's HEIC photo in Display P3. The site publishes each small, upright, in
sRGB, without a trace of where it was taken, at the address the editor wrote, the same bytes
on every build; `invoke check` refuses what the build could not publish.

Every published file is read back with Pillow (and by raw bytes); Chromium shows the page.
"""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageSequence, PngImagePlugin

from bench.images import photo
from conftest import ROOT, run_build, run_check, serve_directory, tree
from kepu.content.images import inspect_image, published

EVENT = Path("events") / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
CAMERA = "KepuTestCam EOS"
PLACE = "新北街道科普活动室，北纬31度13分"
SECRETS = (b"Exif\x00\x00", CAMERA.encode(), PLACE.encode(), b"GPSLatitude", b"ns.adobe.com", b"exif:")
RED, BLUE = (220, 30, 30), (30, 40, 210)
P3_SAMPLE, SRGB_RANGE = (200, 120, 100), 3  # a skin-like tone, well inside both gamuts


def camera_exif(orientation: int, maker: str = CAMERA) -> Image.Exif:
    """What a camera or phone writes: maker, time, orientation, and where the photo was taken."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132], exif[0x0112] = maker, "Mark IV", "2026:11:07 14:30:00", orientation
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 30.0), 3: "E", 4: (121.0, 28.0, 10.0), 27: b"ASCII\x00\x00\x00" + PLACE.encode()}
    return exif


def upright_scene(size: tuple[int, int], seed: int = 7, grain: int = 4) -> Image.Image:
    """A photo with a red band along its top and a blue one along its bottom: which way is up shows."""
    scene = photo(size, seed, grain)
    draw = ImageDraw.Draw(scene)
    band = size[1] // 12
    draw.rectangle((0, 0, size[0], band), fill=RED)
    draw.rectangle((0, size[1] - band, size[0], size[1]), fill=BLUE)
    return scene


def camera_jpeg(seed: int = 7) -> bytes:
    """A 24-megapixel portrait photo as a camera stores it: the sensor's landscape pixels, turned by
    the Orientation tag (6: rotate 90° clockwise to show), at quality 97, with GPS, a comment and XMP."""
    stored = upright_scene((4000, 6000), seed, grain=2).transpose(Image.Transpose.ROTATE_90)
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,13.5N"/>'
           b"</rdf:RDF></x:xmpmeta>")
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=97, exif=camera_exif(6), comment=PLACE.encode(), xmp=xmp)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def camera_photo() -> bytes:
    return camera_jpeg()


def display_p3() -> bytes:
    """Apple's Display P3 as an ICC matrix/curve profile (the one iPhones embed): P3 primaries
    adapted to D50, the sRGB tone curve."""
    def fixed(*values: float) -> bytes:
        return b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    def xyz(*values: float) -> bytes:
        return b"XYZ " + bytes(4) + fixed(*values)

    curve = b"para" + bytes(4) + struct.pack(">HH", 3, 0) + fixed(2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)
    description = b"Display P3\x00"
    tags = [(b"desc", b"desc" + bytes(4) + struct.pack(">I", len(description)) + description + bytes(4 + 4 + 2 + 1 + 67)),
            (b"cprt", b"text" + bytes(4) + b"none\x00"),
            (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.515121, 0.241196, -0.001053)), (b"gXYZ", xyz(0.291977, 0.692245, 0.041885)),
            (b"bXYZ", xyz(0.157104, 0.066574, 0.784073)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = struct.pack(">I", len(tags)), b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + bytes(24) + struct.pack(">I", 0)
              + fixed(0.9642, 1.0, 0.8249) + bytes(48))
    assert len(header) == 128
    return header + table + body


def p3_as_srgb(colour: tuple[int, int, int]) -> tuple[int, ...]:
    """The sRGB value showing the same colour as a Display P3 value (both use the sRGB curve and
    D65 white; the matrix is P3 → XYZ → sRGB)."""
    def linear(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    def encoded(v: float) -> int:
        v = min(max(v, 0.0), 1.0)
        return round(255 * (12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055))

    r, g, b = (linear(c) for c in colour)
    matrix = ((1.2249401, -0.2249404, 0.0), (-0.0420569, 1.0420571, 0.0), (-0.0196376, -0.0786361, 1.0982735))
    return tuple(encoded(row[0] * r + row[1] * g + row[2] * b) for row in matrix)


def iphone_heic(size: tuple[int, int] = (2016, 1512)) -> bytes:
    """An iPhone photo: HEIC, Display P3, held upright (orientation 6), with GPS. Its top-left
    corner is one flat P3 colour, so the published colour can be checked."""
    scene = upright_scene(size[::-1], seed=11).transpose(Image.Transpose.ROTATE_90)
    ImageDraw.Draw(scene).rectangle((0, size[1] - 300, 300, size[1]), fill=P3_SAMPLE)  # upright: top-left
    buffer = io.BytesIO()
    scene.save(buffer, "HEIF", quality=90, exif=camera_exif(6, "Apple iPhone").tobytes(), icc_profile=display_p3())
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> None:
    """No EXIF (so no GPS), no comment, no XMP, no colour profile: read by Pillow and by bytes."""
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
        assert not image.getexif().get_ifd(0x8825)
        assert not {"exif", "comment", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info), image.info.keys()
    for secret in SECRETS:
        assert secret not in data, secret


def band_colours(image: Image.Image) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The mean colour of the top and of the bottom strip."""
    rgb = image.convert("RGB")
    strip = max(1, image.height // 40)
    top = rgb.crop((0, 0, rgb.width, strip)).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    bottom = rgb.crop((0, rgb.height - strip, rgb.width, rgb.height)).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return top, bottom


def close(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def use_image(content: Path, image: str, body: str = "") -> None:
    """The editor's journey: the photo is the event's picture (and maybe shown in its body)."""
    event = content / EVENT
    text = event.read_text("utf-8").replace("---\n每周六", f"image: {image}\nimage_alt: 孩子们在做电路实验\n---\n每周六", 1)
    event.write_text(text + body, "utf-8")


def built(content: Path, output: Path, cache: Path | None = None) -> None:
    result = run_build(content, output, extra_args=("--cache", str(cache)) if cache else ())
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


# The camera photo, end to end.

@pytest.mark.build
def test_camera_photo_is_published_small_upright_and_without_location(
        mini_site: Path, tmp_path: Path, camera_photo: bytes, browser) -> None:
    content = mini_site / "content"
    (content / "images" / "xinbei").mkdir(parents=True)
    (content / "images" / "xinbei" / "camera.jpg").write_bytes(camera_photo)
    use_image(content, "images/xinbei/camera.jpg")
    assert len(camera_photo) > 18_000_000  # what a 24-megapixel camera writes
    check = run_check(content / EVENT, content=content, cwd=mini_site)
    assert check.returncode == 0, check.stdout + check.stderr

    output = tmp_path / "output"
    built(content, output)
    data = (output / "images" / "xinbei" / "camera.jpg").read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (1067, 1600)  # portrait, as the photographer held the camera
        top, bottom = band_colours(image)
    assert close(top, RED, 12) and close(bottom, BLUE, 12), (top, bottom)
    assert_no_metadata(data)
    assert len(data) < 1024 * 1024, len(data)  # a phone loads it quickly

    page = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert '<img src="/images/xinbei/camera.jpg" alt="孩子们在做电路实验"' in page
    assert 'content="http://127.0.0.1:8000/images/xinbei/camera.jpg"' in page  # the share picture
    assert shown_size(browser, output, "/events/zhoumo-tongxuehui/") == [1067, 1600]

    again = tmp_path / "again"  # another machine: no cache, no earlier build
    built(content, again)
    assert (again / "images" / "xinbei" / "camera.jpg").read_bytes() == data


@pytest.mark.build
def test_a_shared_news_item_or_event_shows_its_own_photo_as_the_card(mini_site: Path, tmp_path: Path) -> None:
    """Shared in WeChat, a news item's card showed the site's logo although it had a photo; an event
    whose picture is an SVG (which WeChat cannot show) gets the site's card picture instead."""
    content = mini_site / "content"
    (content / "images" / "articles").mkdir(parents=True)
    (content / "images" / "articles" / "jishi.jpg").write_bytes(camera_jpeg_small())
    news = content / "articles" / "kepu-ri-baodao.md"
    news.write_text(news.read_text("utf-8").replace("---\n九月", "image: images/articles/jishi.jpg\n"
                                                    "image_alt: 居民在科普集市\n---\n九月", 1), "utf-8")
    (content / "images" / "xinbei").mkdir(parents=True)
    (content / "images" / "xinbei" / "tubiao.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>', "utf-8")
    use_image(content, "images/xinbei/tubiao.svg")
    output = tmp_path / "output"
    built(content, output)
    card = re.compile(r'<meta property="og:image" content="([^"]+)">')
    news_page = (output / "news" / "kepu-ri-baodao" / "index.html").read_text("utf-8")
    assert card.search(news_page)[1] == "http://127.0.0.1:8000/images/articles/jishi.jpg"
    assert '<img src="/images/articles/jishi.jpg" alt="居民在科普集市" width="400" height="300">' in news_page
    event_page = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert card.search(event_page)[1] == "http://127.0.0.1:8000/theme/images/share.png"
    assert '<img src="/images/xinbei/tubiao.svg" alt="孩子们在做电路实验" width="10" height="10"' in event_page
    # The site's own card (SHARE_IMAGE: content/images/share.png) replaces the theme's on a rebuild,
    # for the event without a photo and for the pages that have none (the home page).
    (content / "images" / "share.png").write_bytes((ROOT / "content" / "images" / "share.png").read_bytes())
    built(content, output)
    for page in ("events/zhoumo-tongxuehui/index.html", "index.html"):
        assert card.search((output / page).read_text("utf-8"))[1] == "http://127.0.0.1:8000/images/share.png", page
    assert '"image":["http://127.0.0.1:8000/images/share.png"]' in (output / "events/zhoumo-tongxuehui/index.html").read_text("utf-8")
    assert card.search((output / "news" / "kepu-ri-baodao" / "index.html").read_text("utf-8"))[1].endswith("jishi.jpg")


def shown_size(browser, output: Path, address: str) -> list[int]:
    """What Chromium decodes for the page's picture: its natural width and height."""
    server, base = serve_directory(output)
    page = browser.new_page()
    try:
        page.goto(f"{base}{address}", wait_until="load")
        picture = page.locator("figure img").first
        picture.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('figure img').complete")
        return page.evaluate("[document.querySelector('figure img').naturalWidth, "
                             "document.querySelector('figure img').naturalHeight]")
    finally:
        page.close()
        server.shutdown()


@pytest.mark.build
def test_replaced_photo_is_republished_and_an_unchanged_one_is_linked(
        mini_site: Path, tmp_path: Path, camera_photo: bytes) -> None:
    """Incremental builds: a photo replaced under the same name is published anew (the warm
    build equals a cold one); an unchanged photo is the published file itself, not made again."""
    content = mini_site / "content"
    images = content / "images" / "xinbei"
    images.mkdir(parents=True)
    (images / "camera.jpg").write_bytes(camera_photo)
    small = io.BytesIO()
    upright_scene((800, 600), 3).save(small, "PNG")
    (images / "plan.png").write_bytes(small.getvalue())
    use_image(content, "images/xinbei/camera.jpg")
    output, cache = tmp_path / "out", tmp_path / "cache"
    built(content, output, cache)
    built(content, output, cache)  # the first build becomes the spare: the next one recycles it
    first = (output / "images" / "xinbei" / "camera.jpg").read_bytes()
    plan = (output / "images" / "xinbei" / "plan.png").stat().st_ino

    (images / "camera.jpg").write_bytes(camera_jpeg(seed=8))
    built(content, output, cache)
    cold = tmp_path / "cold"
    built(content, cold, tmp_path / "cold-cache")
    assert tree(output) == tree(cold)
    assert (output / "images" / "xinbei" / "camera.jpg").read_bytes() != first
    assert (output / "images" / "xinbei" / "plan.png").stat().st_ino == plan

    (images / "camera.jpg").write_bytes(camera_photo)  # back to the first photo
    built(content, output, cache)
    assert (output / "images" / "xinbei" / "camera.jpg").read_bytes() == first
    fresh = tmp_path / "fresh"  # a new output folder: the photos come from the cache
    built(content, fresh, cache)
    assert tree(fresh / "images") == tree(output / "images")


# iPhone photos.

@pytest.mark.build
def test_iphone_heic_photo_is_published_as_jpeg_where_the_editor_pointed(mini_site: Path, tmp_path: Path) -> None:
    content = mini_site / "content"
    (content / "images" / "xinbei").mkdir(parents=True)
    (content / "images" / "xinbei" / "qiandao.heic").write_bytes(iphone_heic())
    use_image(content, "images/xinbei/qiandao.heic", "\n![签到处](/images/xinbei/qiandao.heic)\n")
    check = run_check(content / EVENT, content=content, cwd=mini_site)
    assert check.returncode == 0, check.stdout + check.stderr

    output = tmp_path / "output"
    built(content, output)
    assert not (output / "images" / "xinbei" / "qiandao.heic").exists()
    data = (output / "images" / "xinbei" / "qiandao.jpg").read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (1200, 1600)
        top, bottom = band_colours(image.crop((image.width // 2, 0, image.width, image.height)))
        sample = image.convert("RGB").getpixel((60, 60))
    assert close(top, p3_as_srgb(RED), 12) and close(bottom, p3_as_srgb(BLUE), 12), (top, bottom)
    assert close(sample, p3_as_srgb(P3_SAMPLE), SRGB_RANGE + 2), (sample, p3_as_srgb(P3_SAMPLE))
    assert_no_metadata(data)
    page = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert '<img src="/images/xinbei/qiandao.jpg" alt="孩子们在做电路实验"' in page
    assert '<img alt="签到处" src="/images/xinbei/qiandao.jpg"' in page or \
        '<img src="/images/xinbei/qiandao.jpg" alt="签到处"' in page
    assert "qiandao.heic" not in page

    (content / "images" / "xinbei" / "qiandao.jpg").write_bytes(camera_jpeg_small())
    check = run_check(content=content, cwd=mini_site)
    assert check.returncode == 1
    for expected in ("content/images/xinbei/qiandao.heic: qiandao.heic 和 qiandao.jpg 会发布到同一个地址 "
                     "/images/xinbei/qiandao.jpg — 只保留其中一张，或给另一张改个名字（HEIC 照片发布时转成同名的 .jpg 图片）",
                     "content/images/xinbei/qiandao.jpg: qiandao.jpg 和 qiandao.heic 会发布到同一个地址"):
        assert expected in check.stdout, check.stdout
    refused = run_build(content, output)
    assert refused.returncode == 1 and "会发布到同一个地址" in refused.stderr


def camera_jpeg_small() -> bytes:
    buffer = io.BytesIO()
    upright_scene((400, 300), 5).save(buffer, "JPEG", exif=camera_exif(1))
    return buffer.getvalue()


def test_heic_under_another_name_or_cut_off_is_refused_by_name() -> None:
    heic = iphone_heic((640, 480))
    renamed = inspect_image(heic, "content/images/xinbei/qiandao.jpg")
    assert renamed.publish is None
    assert [p.format() for p in renamed.problems] == [
        "content/images/xinbei/qiandao.jpg: 扩展名与内容不符：qiandao.jpg 的扩展名是 .jpg，内容却是 HEIC 图片 — "
        "这个文件实际是 HEIC 图片：请改名为 qiandao.heic（并改正引用它的 image: 或正文里的地址）"]
    cut = inspect_image(heic[: len(heic) * 2 // 3], "content/images/xinbei/qiandao.heic")
    assert cut.publish is None
    assert [p.format() for p in cut.problems] == [
        "content/images/xinbei/qiandao.heic: HEIC 图片已损坏或不完整（可能没有下载或复制完） — 重新导出或重新下载这张图片后再放入"]


# What the check sees without decoding.

def test_a_camera_photo_cut_off_while_copying_is_refused_by_the_check(camera_photo: bytes) -> None:
    """The check reads no pixels, yet a photo cut off on the way is refused; a whole one is not,
    nor a phone's motion photo (Pixel and Samsung append a short video after the picture's end)."""
    for cut in (len(camera_photo) // 2, len(camera_photo) - 2):
        check = inspect_image(camera_photo[:cut], "content/images/xinbei/camera.jpg")
        assert check.publish is None
        assert [p.format() for p in check.problems] == [
            "content/images/xinbei/camera.jpg: JPEG 图片已损坏或不完整（可能没有下载或复制完） — 重新导出或重新下载这张图片后再放入"]
    whole = inspect_image(camera_photo, "content/images/xinbei/camera.jpg")
    assert whole.publish == camera_photo  # published; only its GPS is pointed out (test_photo_originals)
    assert [(p.is_error, p.message) for p in whole.problems] == [(False, "这张 JPEG 照片里记着拍摄地点（GPS 经纬度）")]
    motion = camera_jpeg_small() + b"\x00\x00\x00\x18ftypmp42" + bytes(5000)
    check = inspect_image(motion, "content/images/xinbei/motion.jpg")
    assert check.publish is not None  # its GPS pointed out, as the camera photo's
    assert [(p.is_error, p.message) for p in check.problems] == [(False, "这张 JPEG 照片里记着拍摄地点（GPS 经纬度）")]
    with Image.open(io.BytesIO(published(check, "motion.jpg"))) as image:
        assert image.size == (400, 300)


def test_an_animation_cut_off_while_copying_is_refused_by_the_check() -> None:
    """A GIF cut off on the way passed the check and stopped the build (GIF 图片已损坏): the check
    now refuses it as the build would, by name; the whole animation passes."""
    frames = [Image.new("P", (320, 240), step * 40) for step in range(5)]
    data = saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    for cut in (len(data) * 6 // 10, len(data) - 1):
        check = inspect_image(data[:cut], "content/images/xinbei/dianlu.gif")
        assert check.publish is None
        assert [p.format() for p in check.problems] == [
            "content/images/xinbei/dianlu.gif: GIF 图片已损坏或不完整（可能没有下载或复制完） — 重新导出或重新下载这张图片后再放入"]
    assert inspect_image(data, "content/images/xinbei/dianlu.gif").problems == ()


# Every kind of picture keeps its format, its pixels' meaning and nothing else.

def saved(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def publish(data: bytes, name: str) -> bytes:
    check = inspect_image(data, f"content/images/{name}")
    assert check.publish is not None, check.problems
    first = published(check, name)
    assert published(check, name) == first  # deterministic
    return first


def test_display_p3_colours_are_converted_not_dropped() -> None:
    """An iPhone's Display P3 picture: the published sRGB values show the same colour (dropping the
    profile without converting would publish the P3 numbers, which look dull in sRGB)."""
    picture = Image.new("RGB", (40, 30), P3_SAMPLE)
    out = publish(saved(picture, "PNG", icc_profile=display_p3()), "p3.png")
    with Image.open(io.BytesIO(out)) as image:
        assert "icc_profile" not in image.info
        assert close(image.getpixel((20, 15)), p3_as_srgb(P3_SAMPLE), SRGB_RANGE), image.getpixel((20, 15))
    assert not close(p3_as_srgb(P3_SAMPLE), P3_SAMPLE, SRGB_RANGE)  # the test can tell the two apart


@pytest.mark.parametrize(("name", "kind"), [("a.png", "PNG"), ("b.jpg", "JPEG"), ("C.JPG", "JPEG"),
                                            ("d.jpeg", "JPEG"), ("e.gif", "GIF"), ("f.webp", "WEBP")])
def test_small_pictures_keep_their_format_and_size(name: str, kind: str) -> None:
    source = photo((300, 200), 4, grain=0).convert("P") if kind == "GIF" else photo((300, 200), 4, grain=0)
    with Image.open(io.BytesIO(publish(saved(source, kind), name))) as image:
        assert image.format == kind and image.size == (300, 200)  # never enlarged


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_large_pictures_of_every_format_are_scaled_and_stripped(kind: str) -> None:
    source = upright_scene((2400, 3200), 9).transpose(Image.Transpose.ROTATE_90)
    extra = {"pnginfo": _png_text()} if kind == "PNG" else {"quality": 90}
    data = saved(source, kind, exif=camera_exif(6), **extra)
    out = publish(data, f"big.{kind.lower()}")
    with Image.open(io.BytesIO(out)) as image:
        assert image.format == kind and image.size == (1200, 1600)
        top, bottom = band_colours(image)
    assert close(top, RED, 12) and close(bottom, BLUE, 12), (top, bottom)
    assert_no_metadata(out)
    assert b"tIME" not in out and b"tEXt" not in out and b"Photoshop" not in out


def _png_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "Photoshop")
    info.add_text("Comment", PLACE)
    return info


def test_transparency_and_lossless_pictures_stay_as_they_were() -> None:
    logo = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((10, 10, 110, 70), fill=(10, 79, 150, 255))
    palette = Image.new("P", (120, 80), 0)
    palette.putpalette([0, 0, 0, 10, 79, 150])
    ImageDraw.Draw(palette).ellipse((10, 10, 110, 70), fill=1)
    for name, data in (("logo.png", saved(logo, "PNG")), ("logo.webp", saved(logo, "WEBP", lossless=True)),
                       ("palette.png", saved(palette, "PNG", transparency=0))):
        with Image.open(io.BytesIO(publish(data, name))) as image:
            assert image.convert("RGBA").getpixel((2, 2))[3] == 0, name  # the corner stays see-through
            assert image.convert("RGBA").getpixel((60, 40)) == (10, 79, 150, 255), name  # exact: lossless


def test_animated_gif_keeps_its_frames_and_timing() -> None:
    frames = []
    for step in range(6):
        frame = Image.new("RGB", (2000, 1000), (255, 255, 255))
        ImageDraw.Draw(frame).rectangle((step * 300, 300, step * 300 + 200, 700), fill=(200, 30, 30))
        frames.append(frame.convert("P", palette=Image.Palette.ADAPTIVE))
    data = saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=[80, 120] * 3, loop=0)
    out = publish(data, "xinbei/spin.gif")
    with Image.open(io.BytesIO(out)) as image:
        assert image.format == "GIF" and image.size == (1600, 800) and image.n_frames == 6
        durations, reds = [], []
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            durations.append(frame.info["duration"])
            rgb = frame.convert("RGB")
            reds.append(rgb.getpixel((index * 240 + 80, 400)))
        assert durations == [80, 120] * 3 and image.info.get("loop") == 0
    assert all(close(colour, (200, 30, 30), 20) for colour in reds), reds  # each frame's square moved


def test_an_animation_too_large_to_handle_is_refused_with_the_fix() -> None:
    frames = [Image.new("P", (1000, 800), index) for index in range(80)]  # 64 million pixels in all
    check = inspect_image(saved(frames[0], "GIF", save_all=True, append_images=frames[1:]), "content/images/long.gif")
    assert check.publish is None
    assert [p.format() for p in check.problems] == [
        "content/images/long.gif: 动图太大：共 80 帧，加起来超过 6000 万像素 — 减少帧数或把画面缩小后再保存；"
        "很长的动画请做成视频，在正文里放链接"]



def box_before_the_photo_arrives(browser, output: Path, address: str) -> tuple[list[float], list[int]]:
    """The page's picture on a phone while the photo is still on its way (the request held, as on a
    slow network): the box the page gives it (width, height) before it arrives, then the photo's own
    size once it has (Chromium's decoding is the oracle)."""
    server, base = serve_directory(output)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    held = []
    page.route("**/images/**", lambda route: held.append(route))
    try:
        with page.expect_request("**/images/**"):  # the lazy picture asked for, and held
            page.goto(f"{base}{address}", wait_until="domcontentloaded")
            page.locator("figure img").first.scroll_into_view_if_needed()
        page.wait_for_function("document.fonts.status === 'loaded'")
        before = page.evaluate("(() => { const r = document.querySelector('figure img').getBoundingClientRect();"
                               " return [r.width, r.height]; })()")
        assert not page.evaluate("document.querySelector('figure img').complete")  # not arrived yet
        for route in held:
            route.continue_()
        page.route("**/images/**", lambda route: route.continue_())
        page.wait_for_function("document.querySelector('figure img').complete")
        natural = page.evaluate("[document.querySelector('figure img').naturalWidth, "
                                "document.querySelector('figure img').naturalHeight]")
        return before, natural
    finally:
        page.close()
        server.shutdown()


@pytest.mark.build
def test_the_page_keeps_room_for_a_photo_before_it_arrives(mini_site: Path, tmp_path: Path, browser) -> None:
    """On a slow phone connection the event's photo arrived after the text below it was read, and
    pushed that text down (the box had no height until then). The page now gives the photo its
    published shape from the start, and follows a photo replaced by one of another shape."""
    content = mini_site / "content"
    images = content / "images" / "xinbei"
    images.mkdir(parents=True)
    portrait = io.BytesIO()
    upright_scene((900, 1200), 5).save(portrait, "JPEG", quality=90, exif=camera_exif(1))
    (images / "photo.jpg").write_bytes(portrait.getvalue())
    use_image(content, "images/xinbei/photo.jpg")
    output, cache = tmp_path / "out", tmp_path / "cache"
    built(content, output, cache)
    address = "/events/zhoumo-tongxuehui/"
    box, natural = box_before_the_photo_arrives(browser, output, address)
    assert natural == [900, 1200]
    assert box[0] > 200 and abs(box[1] - box[0] * 1200 / 900) <= 1, box  # its room is kept, in its shape

    sideways = io.BytesIO()  # a camera's portrait photo: landscape pixels turned upright by its tag
    upright_scene((1200, 3000), 6).transpose(Image.Transpose.ROTATE_90).save(sideways, "JPEG", quality=90,
                                                                              exif=camera_exif(6))
    (images / "photo.jpg").write_bytes(sideways.getvalue())
    built(content, output, cache)  # a warm build: only the photo changed
    box, natural = box_before_the_photo_arrives(browser, output, address)
    assert natural == [640, 1600]  # upright, at most 1600 px
    assert abs(box[1] - box[0] * 1600 / 640) <= 1, box
    cold = tmp_path / "cold"
    built(content, cold, tmp_path / "cold-cache")
    assert tree(output) == tree(cold)


@pytest.mark.parametrize(("root", "size"), [
    ('width="10" height="10"', (10, 10)),
    ('width="640px" height="320.4px" viewBox="0 0 64 32"', (640, 320)),  # its own size first
    ('viewBox="0 0 200 100"', (200, 100)),  # a drawing that gives only its shape
    ('viewBox="0,0,3.5,2"', (4, 2)),
    ('width="100%" height="50%"', None),  # relative to the page: no shape of its own
    ('width="10mm" height="5mm"', None),
    ('width="10cm" height="5cm" viewBox="0 0 200 100"', None),  # shown 10 cm wide, not 200 px
    ("", None),
    # Sizes no page can take (a hostile or broken drawing): no size given, and no build stopped.
    (f'width="{"9" * 400}" height="10"', None),
    ('viewBox="0 0 inf 10"', None),
    ('viewBox="0 0 1e999 10"', None),
    ('viewBox="0 0 nan 10"', None),
    ('viewBox="0 0 1e300 1"', None),
])
def test_an_svg_picture_gives_the_page_the_shape_it_says(root: str, size) -> None:
    """A picture drawn as SVG keeps its room while it loads too, when it says its size or shape."""
    from kepu.content.images import svg_size

    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {root}><rect width="1" height="1"/></svg>'.encode()
    published_svg = inspect_image(svg, "content/images/t.svg").publish
    assert svg_size(published_svg) == size


@pytest.mark.parametrize("side", ["²", "١٠٠", "9" * 400, "9" * 5000, "1e9", "-5", ""])
def test_a_picture_sized_with_no_plain_number_is_left_as_written(side: str) -> None:
    """A width or height pasted with a digit that is no 0–9 (², Arabic-Indic digits), or too long
    for any screen, is left as the editor wrote it (a browser ignores it): no size is made up
    from it, and the build goes on (it stopped with a ValueError or OverflowError)."""
    from kepu_pelican.filters import sized_pictures

    for given in ("width", "height"):
        tag = f'<img src="/images/a.jpg" alt="葡萄园" {given}="{side}">'
        assert str(sized_pictures(tag, {"images/a.jpg": (800, 600)})) == tag


@pytest.mark.build
def test_pictures_in_a_body_keep_their_room_too(mini_site: Path, tmp_path: Path) -> None:
    """A news report with photos put in its text (as the web editor's 插入图片 does) and an event
    with one: each <img> gives the published photo's width and height (Pillow reads the published
    file), unless the editor sized it (given one side, the other follows the photo's shape); a photo
    replaced by another shape updates them on a warm build."""
    content = mini_site / "content"
    images = content / "images" / "articles"
    images.mkdir(parents=True)

    def save(name: str, size: tuple[int, int]) -> None:
        buffer = io.BytesIO()
        upright_scene(size, 9).save(buffer, "JPEG", quality=85)
        (images / name).write_bytes(buffer.getvalue())

    save("jishi.jpg", (2400, 1800))
    save("xiaopeng.jpg", (600, 900))
    news = content / "articles" / "kepu-ri-baodao.md"
    save("照片.jpg", (800, 600))
    save("kuan.jpg", (1200, 800))
    save("gao.jpg", (600, 900))
    news.write_text(news.read_text("utf-8") + "\n\n![科普集市现场](/images/articles/jishi.jpg)\n\n"
                    '<img src="/images/articles/xiaopeng.jpg" alt="小朋友" width="300" height="450">\n\n'
                    "![照片](/images/articles/%E7%85%A7%E7%89%87.jpg)\n\n"
                    '<img src="/images/articles/kuan.jpg" alt="只写了宽" width="300">\n\n'
                    '<img src="/images/articles/gao.jpg" alt="只写了高" height="240">\n', "utf-8")
    event = content / EVENT
    event.write_text(event.read_text("utf-8") + "\n\n![上次的实验](/images/articles/xiaopeng.jpg)\n", "utf-8")
    output, cache = tmp_path / "out", tmp_path / "cache"
    built(content, output, cache)

    def pictures(page: str) -> dict[str, tuple[str, str]]:
        html = (output / page / "index.html").read_text("utf-8")
        body = html[html.index('<div class="body">'):]
        found = {}
        for tag in re.findall(r"<img\s[^>]*>", body):  # attributes in any order
            attributes = dict(re.findall(r'\s([a-z]+)="([^"]*)"', tag))
            found[attributes["src"].removeprefix("/")] = (attributes.get("width"), attributes.get("height"))
        return found

    def published_size(src: str) -> tuple[str, str]:
        with Image.open(output / src) as image:
            return str(image.width), str(image.height)

    assert pictures("news/kepu-ri-baodao") == {"images/articles/jishi.jpg": published_size("images/articles/jishi.jpg"),
                                               "images/articles/xiaopeng.jpg": ("300", "450"),  # as the editor sized it
                                               "images/articles/%E7%85%A7%E7%89%87.jpg": ("800", "600"),
                                               # one side as the editor wrote it, the other in the photo's shape
                                               "images/articles/kuan.jpg": ("300", "200"),
                                               "images/articles/gao.jpg": ("160", "240")}
    assert published_size("images/articles/jishi.jpg") == ("1600", "1200")
    assert pictures("events/zhoumo-tongxuehui") == {"images/articles/xiaopeng.jpg": ("600", "900")}
    # The news writer's audit: five photos in a report were all fetched before the first screen showed.
    for page in ("news/kepu-ri-baodao", "events/zhoumo-tongxuehui"):
        html = (output / page / "index.html").read_text("utf-8")
        tags = re.findall(r"<img\s[^>]*>", html[html.index('<div class="body">'):])
        assert tags and all(' loading="lazy"' in tag for tag in tags), tags

    save("jishi.jpg", (900, 1600))  # replaced by an upright photo
    built(content, output, cache)
    assert pictures("news/kepu-ri-baodao")["images/articles/jishi.jpg"] == ("900", "1600")
    cold = tmp_path / "cold"
    built(content, cold, tmp_path / "cold-cache")
    assert tree(output) == tree(cold)
