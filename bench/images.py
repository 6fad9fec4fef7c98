"""Measure how photos are published: JPEG/WebP quality against size, and what a 20 MB photo costs.

    python -m bench.images [--out bench/RESULTS.md] [--builds]

Part 1 encodes realistic pictures (deterministic synthetic photos and the guide's phone
screenshots), scaled to the published size, at qualities 60–95, and reports bytes and two
measures of fidelity against the unencoded picture: PSNR over RGB and SSIM of the luma on
8×8 blocks (both with Pillow alone). Part 2 times one camera-sized photo: the check's
inspection, the first publication (decode, turn, convert, resize, encode) and a cached one.
With --builds it also times whole builds of a small site holding such photos: cold, into a
fresh output with the cache kept, and in place. The section it writes replaces its own
earlier one in RESULTS.md (between the markers), so `invoke bench` and this script share it.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageMath, ImageStat

from kepu.content import photos
from kepu.content.images import inspect_image, published

ROOT = Path(__file__).resolve().parents[1]
QUALITIES = (60, 65, 70, 75, 80, 82, 85, 88, 90, 95)
BEGIN, END = "<!-- bench/images.py: begin -->", "<!-- bench/images.py: end -->"


def photo(size: tuple[int, int], seed: int = 1, grain: int = 5) -> Image.Image:
    """A photograph-like picture, the same for the same arguments: light falling across the frame,
    textures at every scale (coarse ones strongest, as in real scenes), objects with edges and
    shading, and sensor grain (``grain``: its strength; 0 for none)."""
    width, height = size
    rnd = random.Random(seed)
    small = (max(16, width // 8), max(16, height // 8))
    texture = Image.new("L", small, 128)  # detail lives in brightness, as in photos
    for octave in range(6, 0, -1):  # fine to coarse: the coarse layers end up weighing most
        cells = (max(2, small[0] >> octave), max(2, small[1] >> octave))
        layer = Image.frombytes("L", cells, rnd.randbytes(cells[0] * cells[1]))
        texture = Image.blend(texture, layer.resize(small, Image.Resampling.BICUBIC), 0.4)
    colour = Image.frombytes("RGB", (4, 3), rnd.randbytes(36)).resize(small, Image.Resampling.BICUBIC)
    light = Image.linear_gradient("L").rotate(rnd.randrange(360), fillcolor=128).resize(small)
    shading = ImageChops.multiply(texture.point(lambda v: min(255, 40 + v)), light.point(lambda v: 120 + v // 2))
    image = ImageChops.multiply(colour.point(lambda v: 90 + v * 2 // 3), Image.merge("RGB", [shading] * 3))
    image = ImageChops.add(image, image)
    _objects(ImageDraw.Draw(image), small, rnd)
    image = image.filter(ImageFilter.GaussianBlur(0.6)).resize(size, Image.Resampling.BICUBIC)
    if grain:
        noise = Image.frombytes("L", size, rnd.randbytes(width * height)).point(lambda v: 128 + (v - 128) // grain)
        image = ImageChops.add(image, Image.merge("RGB", [noise] * 3), 1, -128)
    return image


def _objects(draw: ImageDraw.ImageDraw, size: tuple[int, int], rnd: random.Random) -> None:
    """Things in the scene: shapes with a lit side and a shadowed side, a few thin lines (cables,
    railings), text-like marks (a banner)."""
    for _ in range(24):
        x, y, r = rnd.randrange(size[0]), rnd.randrange(size[1]), rnd.randrange(12, max(13, size[0] // 10))
        colour = tuple(rnd.randrange(30, 220) for _ in range(3))
        shape = draw.ellipse if rnd.random() < 0.5 else draw.rectangle
        for step in range(4):
            shade = tuple(min(255, c + 12 * step) for c in colour)
            shape((x - r + step, y - r + step, x + r - 2 * step, y + r // 2 - step), fill=shade)
    for _ in range(12):
        start = (rnd.randrange(size[0]), rnd.randrange(size[1]))
        draw.line((start, (rnd.randrange(size[0]), rnd.randrange(size[1]))), fill=(20, 20, 20), width=1)
    x, y = rnd.randrange(size[0] // 2), rnd.randrange(size[1] // 2)
    draw.rectangle((x, y, x + size[0] // 3, y + size[1] // 12), fill=(200, 30, 40))
    for i in range(12):
        draw.text((x + 4 + i * size[0] // 40, y + 2), "KEPU"[i % 4], fill=(255, 255, 240))


# Fidelity, with Pillow alone.

def psnr(reference: Image.Image, other: Image.Image) -> float:
    """Peak signal-to-noise ratio over the RGB channels, in dB."""
    squares = ImageStat.Stat(ImageChops.difference(reference, other)).sum2
    mse = sum(squares) / (reference.width * reference.height * 3)
    return 99.0 if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def ssim(reference: Image.Image, other: Image.Image, block: int = 8) -> float:
    """Mean SSIM of the luma over 8×8 blocks (means, variances and covariance per block come
    from box-filtered downscaling; the constants are the usual ones for 8-bit pictures)."""
    x, y = (image.convert("L").convert("F") for image in (reference, other))
    size = (x.width // block, x.height // block)
    box = (0, 0, size[0] * block, size[1] * block)

    def mean(image: Image.Image) -> Image.Image:
        return image.resize(size, Image.Resampling.BOX, box=box)

    products = {name: ImageMath.lambda_eval(lambda args: args["a"] * args["b"], a=a, b=b)
                for name, (a, b) in {"xx": (x, x), "yy": (y, y), "xy": (x, y)}.items()}
    mx, my, sxx, syy, sxy = mean(x), mean(y), mean(products["xx"]), mean(products["yy"]), mean(products["xy"])
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    values = ImageMath.lambda_eval(
        lambda a: ((2 * a["mx"] * a["my"] + c1) * (2 * (a["sxy"] - a["mx"] * a["my"]) + c2))
        / ((a["mx"] * a["mx"] + a["my"] * a["my"] + c1)
           * (a["sxx"] - a["mx"] * a["mx"] + a["syy"] - a["my"] * a["my"] + c2)),
        mx=mx, my=my, sxx=sxx, syy=syy, sxy=sxy)
    data = values.get_flattened_data() if hasattr(values, "get_flattened_data") else values.getdata()
    return statistics.fmean(data)


def encoded(image: Image.Image, kind: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    if kind == "JPEG":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(buffer, "WEBP", quality=quality, method=photos.WEBP_METHOD)
    return buffer.getvalue()


def corpus() -> dict[str, Image.Image]:
    """Pictures at their published size: three synthetic photos and the guide's screenshots."""
    pictures = {f"photo {seed}": photo((4000, 3000), seed, grain)
                for seed, grain in ((1, 6), (2, 10), (3, 0))}
    for path in sorted((ROOT / "docs" / "images").glob("*.png")):
        with Image.open(path) as shot:
            pictures[f"screenshot {path.stem}"] = shot.convert("RGB")
    return {name: image.resize(photos.fitted(image.size), Image.Resampling.LANCZOS)
            for name, image in pictures.items()}


Row = tuple[float, float, float, float, float, float]  # photos: KB, PSNR, SSIM; screenshots: the same
TEXT_SSIM = 0.997  # below this, ringing shows around text and thin lines (banners, slides, screenshots)


def measure(pictures: dict[str, Image.Image]) -> dict[tuple[str, int], Row]:
    """Each format and quality: mean bytes and fidelity over the photos and over the screenshots."""
    rows = {}
    for kind in ("JPEG", "WEBP"):
        for quality in QUALITIES:
            cells: list[float] = []
            for group in ("photo", "screenshot"):
                found = []
                for name, image in pictures.items():
                    if name.startswith(group):
                        data = encoded(image, kind, quality)
                        with Image.open(io.BytesIO(data)) as back:
                            found.append((len(data) / 1024, psnr(image, back.convert("RGB")), ssim(image, back)))
                cells += [statistics.fmean(values) for values in zip(*found, strict=True)]
            rows[kind, quality] = tuple(cells)
    return rows


def chosen(rows: dict[tuple[str, int], Row]) -> dict[str, int]:
    """The rule: JPEG at the lowest quality that keeps text crisp (screenshots' SSIM ≥ TEXT_SSIM);
    WebP at the lowest quality whose photos are as faithful (SSIM) as JPEG's at that quality."""
    jpeg = min(q for q in QUALITIES if rows["JPEG", q][5] >= TEXT_SSIM)
    webp = min(q for q in QUALITIES if rows["WEBP", q][2] >= rows["JPEG", jpeg][2])
    return {"JPEG": jpeg, "WEBP": webp}


def quality_table(rows: dict[tuple[str, int], Row]) -> list[str]:
    lines = ["| format | quality | photos: KB (mean) | photos: PSNR dB | photos: SSIM | "
             "screenshots: KB | screenshots: PSNR dB | screenshots: SSIM |", "|---" * 8 + "|"]
    used = {"JPEG": photos.JPEG_QUALITY, "WEBP": photos.WEBP_QUALITY}
    for (kind, quality), row in rows.items():
        mark = "**" if used[kind] == quality else ""
        cells = " | ".join(f"{value:.0f}" if i % 3 == 0 else f"{value:.2f}" if i % 3 == 1 else f"{value:.4f}"
                           for i, value in enumerate(row))
        lines.append(f"| {kind} | {mark}{quality}{mark} | {cells} |")
    return lines


def camera_file(seed: int = 7) -> bytes:
    """A 24-megapixel camera JPEG at the quality cameras use (the kind editors copy off a card)."""
    buffer = io.BytesIO()
    photo((6000, 4000), seed, grain=4).save(buffer, "JPEG", quality=97)
    return buffer.getvalue()


def photo_timings(data: bytes, repeats: int = 3) -> list[str]:
    shown = "content/images/camera.jpg"
    inspect, publish = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        check = inspect_image(data, f"content/images/camera-{len(inspect)}.jpg")  # new name: judged again
        inspect.append(time.perf_counter() - started)
        started = time.perf_counter()
        out = published(check, shown)
        publish.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as folder:
        from kepu_pelican.images import ImageCache

        ImageCache(Path(folder)).put("k", out)
        started = time.perf_counter()
        cached = ImageCache(Path(folder)).read("k")
        hit = time.perf_counter() - started
    assert cached == out
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(out)) as after:
        sizes = f"{before.width}×{before.height} → {after.width}×{after.height}"
    return [f"- Camera photo: {len(data):,} bytes → published {len(out):,} bytes ({sizes}, "
            f"{len(out) / len(data):.1%} of the original).",
            f"- `invoke check` inspecting it (read its header, walk its segments to the end marker; "
            f"no decoding): {statistics.median(inspect) * 1000:.0f} ms.",
            f"- First publication (decode at reduced scale, turn upright, sRGB, resize, encode): "
            f"{statistics.median(publish) * 1000:.0f} ms; from the cache: {hit * 1000:.1f} ms."]


def build_timings(data: bytes, photos_count: int = 4) -> list[str]:
    """Whole builds of the test site: cold without photos (for comparison); cold with camera photos;
    into a fresh output with the cache kept; in place (unchanged photos linked from the last build)."""
    runs = (("no photos, cold", "plain", "plain-cache"),
            (f"{photos_count} camera photos, cold (no cache, no earlier output)", "a", "cache"),
            ("the same, into a fresh output with the cache kept", "b", "cache"),
            ("the same, again in place", "b", "cache"))
    times = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        site = work / "content"
        shutil.copytree(ROOT / "tests" / "test_data" / "site" / "content", site)
        for label, output, cache in runs:
            if output == "a":
                (site / "images").mkdir()
                for number in range(photos_count):  # different photos, one byte apart
                    (site / "images" / f"camera-{number}.jpg").write_bytes(data[:-2] + bytes([number]) + data[-2:])
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "kepu_pelican.build", "-s", str(ROOT / "pelicanconf.py"),
                            "--content", str(site), "-o", str(work / output), "--build-date", "2026-12-01",
                            "--cache", str(work / cache)], cwd=ROOT, check=True, capture_output=True)
            times[label] = time.perf_counter() - started
    return [f"- Build of the test site, {label}: {seconds:.1f} s." for label, seconds in times.items()]


def section(pictures: dict[str, Image.Image], builds: bool) -> str:
    rows = measure(pictures)
    rule = chosen(rows)
    data = camera_file()
    lines = [BEGIN, "## Photos: quality, size and cost (`python -m bench.images`)", "",
             f"Published pictures are at most {photos.MAX_SIDE} px on the longest side. Each row encodes "
             f"{sum(n.startswith('photo') for n in pictures)} synthetic photos (4000×3000, scaled down; two with "
             f"sensor grain, one without) and {sum(n.startswith('screenshot') for n in pictures)} phone "
             "screenshots from docs/images at that quality; PSNR is over RGB, SSIM over luma in 8×8 blocks.", "",
             f"Rule: JPEG at the lowest quality that keeps text and thin lines crisp (screenshots' SSIM ≥ "
             f"{TEXT_SSIM}) → {rule['JPEG']}; WebP at the lowest quality whose photos are as faithful (SSIM) as "
             f"JPEG's at that quality → {rule['WEBP']}. kepu.content.photos uses JPEG {photos.JPEG_QUALITY}, WebP "
             f"{photos.WEBP_QUALITY} (in bold).", "", *quality_table(rows), "",
             "Timings (the photo's: medians of 3; builds: single runs) on this shared 2-core machine vary "
             "by up to ±50 % from run to run.", "", *photo_timings(data)]
    if builds:
        lines += build_timings(data)
    return "\n".join([*lines, END]) + "\n"


def write_section(out: Path, text: str) -> None:
    """Replace this script's section of the report (or add it at the end)."""
    current = out.read_text("utf-8") if out.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head.rstrip("\n") + "\n\n" + rest.split(END, 1)[1].lstrip("\n")
    out.write_text(current.rstrip("\n") + "\n\n" + text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="测量照片发布：JPEG/WebP 质量与大小、处理耗时")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--builds", action="store_true", help="also time whole builds with camera photos")
    args = parser.parse_args(argv)
    text = section(corpus(), args.builds)
    write_section(args.out, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
