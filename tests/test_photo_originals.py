"""Where a photo was taken, kept in the original: the site publishes photos without it, but the
original stays in content/images/ and in the content repository, which anyone can download when
the repository is public (a school photo's GPS is the school; a volunteer's, their home).

The check reminds of it (and refuses it in a change under review, the CI's ``--strict``), and
``invoke clean-photos`` takes it out of JPEG originals without touching a pixel. Pillow reads
every result back.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from test_photo_publishing import CAMERA, PLACE, camera_exif, upright_scene

from conftest import plugin_env, run_check
from kepu.content.images import inspect_image
from kepu.content.photos import without_location
from kepu.editor.photoclean import clean_photos


def phone_jpeg(orientation: int = 6, gps: bool = True, xmp_gps: bool = False) -> bytes:
    exif = camera_exif(orientation)
    if not gps:
        del exif[0x8825]
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,13.5N"/>'
           b"</rdf:RDF></x:xmpmeta>") if xmp_gps else b""
    buffer = io.BytesIO()
    upright_scene((600, 400)).save(buffer, "JPEG", quality=90, exif=camera_exif(orientation) if gps else exif,
                                   xmp=xmp)
    return buffer.getvalue()


def located(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(0x8825)) or b"GPSLatitude" in data


def test_a_photo_that_says_where_it_was_taken_is_pointed_out_and_refused_when_added() -> None:
    check = inspect_image(phone_jpeg(), "content/images/2026/xiaoxue.jpg")
    assert check.publish is not None  # still published (without the location)
    [problem] = check.problems
    assert not problem.is_error
    assert "拍摄地点" in problem.message and problem.path == "content/images/2026/xiaoxue.jpg"
    assert "invoke clean-photos" in problem.hint and "位置" in problem.hint
    assert problem.fails_strict(added={"content/images/2026/xiaoxue.jpg"})
    assert not problem.fails_strict(added=set())


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_other_formats_with_a_location_are_pointed_out_too(kind: str) -> None:
    buffer = io.BytesIO()
    upright_scene((300, 200)).save(buffer, kind, exif=camera_exif(1))
    [problem] = inspect_image(buffer.getvalue(), f"content/images/a.{kind.lower()}").problems
    assert "拍摄地点" in problem.message


def test_a_location_written_only_in_xmp_is_pointed_out() -> None:
    [problem] = inspect_image(phone_jpeg(gps=False, xmp_gps=True), "content/images/a.jpg").problems
    assert "拍摄地点" in problem.message


def test_a_photo_without_a_location_gets_no_reminder() -> None:
    assert inspect_image(phone_jpeg(gps=False), "content/images/a.jpg").problems == ()


def test_cleaning_keeps_every_pixel_and_which_way_is_up_and_drops_the_rest() -> None:
    original = phone_jpeg(orientation=6, xmp_gps=True)
    cleaned = without_location(original)
    assert cleaned is not None and not located(cleaned)
    assert CAMERA.encode() not in cleaned and PLACE.encode() not in cleaned and b"ns.adobe.com" not in cleaned
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(cleaned)) as after:
        assert after.getexif().get(0x0112) == 6  # still shown upright
        assert ImageChops.difference(before.convert("RGB"), after.convert("RGB")).getbbox() is None
    # the compressed picture itself is the same bytes: nothing was encoded again
    assert original[original.index(b"\xff\xda"):] == cleaned[cleaned.index(b"\xff\xda"):]
    assert inspect_image(cleaned, "content/images/a.jpg").problems == ()


def test_a_photo_with_nothing_to_clean_is_left_as_it_is() -> None:
    buffer = io.BytesIO()
    upright_scene((300, 200)).save(buffer, "JPEG")
    assert without_location(buffer.getvalue()) is None
    assert without_location(b"\x89PNG\r\n\x1a\n") is None


def test_clean_photos_rewrites_located_jpegs_and_names_the_others(tmp_path: Path) -> None:
    images = tmp_path / "content" / "images"
    (images / "2026").mkdir(parents=True)
    (images / "2026" / "a.jpg").write_bytes(phone_jpeg())
    (images / "plain.jpg").write_bytes(plain := phone_jpeg(gps=False))
    buffer = io.BytesIO()
    upright_scene((300, 200)).save(buffer, "PNG", exif=camera_exif(1))
    (images / "b.png").write_bytes(png := buffer.getvalue())
    report = clean_photos(images, shown=lambda path: f"content/images/{path.relative_to(images).as_posix()}")
    assert not located((images / "2026" / "a.jpg").read_bytes())
    assert (images / "plain.jpg").read_bytes() == plain and (images / "b.png").read_bytes() == png
    assert report.cleaned == ["content/images/2026/a.jpg"]
    assert report.left == ["content/images/b.png"]


def test_an_editor_is_told_by_the_check_and_cleans_with_one_command(mini_site: Path) -> None:
    """The journey: a volunteer adds a phone photo; ``invoke check`` names it and the command;
    ``invoke clean-photos`` cleans it; the check then says nothing about it."""
    content = mini_site / "content"
    (content / "images" / "xinbei").mkdir(parents=True)
    photo = content / "images" / "xinbei" / "kexue-ke.jpg"
    photo.write_bytes(phone_jpeg())
    told = run_check(content=content, cwd=mini_site)
    assert told.returncode == 0, told.stdout + told.stderr  # a reminder: the site still builds
    assert "content/images/xinbei/kexue-ke.jpg: （提醒）这张 JPEG 照片里记着拍摄地点" in told.stdout
    assert "invoke clean-photos" in told.stdout
    cleaned = subprocess.run([sys.executable, "-m", "kepu.editor.photoclean", "--content", "content"],
                             cwd=mini_site, env=plugin_env(), capture_output=True, text=True, timeout=120)
    assert cleaned.returncode == 0, cleaned.stderr
    assert "content/images/xinbei/kexue-ke.jpg: 已去掉拍摄地点" in cleaned.stdout
    assert not located(photo.read_bytes())
    again = run_check(content=content, cwd=mini_site)
    assert again.returncode == 0 and "拍摄地点" not in again.stdout, again.stdout


def motion_photo() -> bytes:
    """A phone's motion photo: the still, then a short video (MP4) whose ©xyz atom says where."""
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8 + b"\x00\x00\x00\x1e\xa9xyz\x00\x12\x15\xc7+31.2250+121.4700/"
    return phone_jpeg(gps=False) + video


def two_frames() -> bytes:
    """A camera's multi-picture file (MPO): the second frame carries its own EXIF, with GPS."""
    return phone_jpeg(gps=False) + phone_jpeg(gps=True)


@pytest.mark.parametrize("make", [motion_photo, two_frames], ids=["motion-photo", "second-frame"])
def test_a_location_after_the_picture_is_found_and_cleaned_with_what_carries_it(make) -> None:
    """What follows the picture (a motion photo's video, a second frame) said where it was taken:
    the check did not see it and cleaning left it. It is pointed out, and cleaning keeps the still."""
    data = make()
    [problem] = inspect_image(data, "content/images/a.jpg").problems
    assert "拍摄地点" in problem.message
    cleaned = without_location(data)
    assert cleaned is not None and inspect_image(cleaned, "content/images/a.jpg").problems == ()
    assert b"\xa9xyz" not in cleaned and b"GPS" not in cleaned and cleaned.count(b"\xff\xd8") == 1
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(cleaned)) as after:
        assert ImageChops.difference(before.convert("RGB"), after.convert("RGB")).getbbox() is None
