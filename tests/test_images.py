"""content/images/: only real images are published, SVGs sanitised, anything else refused by name.

The unit tests feed kepu.content.images hostile files written here; the build test publishes a mini site
with images through the real build, and Chromium opens the published SVG itself.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from conftest import run_build, serve_directory, tree
from kepu.content.images import ALLOWED_ELEMENTS, SVG_NS, inspect_image, published
from kepu.content.problems import WARNING

SHOWN = "content/images/xinbei"
MARK = "__pwned"
ALERT = f"window.{MARK}=1;alert(1)"
SVG_OPEN = f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 40">'
DRAWING = '<rect id="r" x="2" y="2" width="36" height="36" fill="#0a4f96"/>'


def svg(*inner: str) -> bytes:
    return (SVG_OPEN + "\n" + "\n".join(inner) + "\n" + DRAWING + "\n</svg>\n").encode()


def raster(kind: str, size: tuple[int, int] = (6, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 79, 150)).save(buffer, kind)
    return buffer.getvalue()


def messages(check) -> list[str]:
    return [problem.format() for problem in check.problems]


def assert_harmless(published: bytes, drawing: str = DRAWING) -> None:
    """An independent look at a sanitised SVG: SVG elements only, no handlers, nothing outside."""
    text = published.decode("utf-8")
    for marker in (MARK, "alert", "script", "javascript", "evil.example", "@import", "foreignObject",
                   "iframe", "<?"):
        assert marker not in text, marker
    root = ET.fromstring(published)
    for element in root.iter():
        assert element.tag.startswith(f"{{{SVG_NS}}}"), element.tag
        assert element.tag.split("}")[1] in ALLOWED_ELEMENTS, element.tag
        for name, value in element.attrib.items():
            assert not name.split("}")[-1].lower().startswith("on"), name
            if name.split("}")[-1] == "href":
                assert value.startswith(("#", "data:image/png;base64,")), value
    assert drawing.replace("/>", "") in text  # the drawing itself stays


HOSTILE_SVGS = {
    "script": (svg(f"<script>{ALERT}</script>", '<script xlink:href="https://evil.example/x.js"/>'),
               "删除了 <script> 元素（SVG 图片里不能有脚本）（共 2 处）", 2),
    "onload": (f'<svg xmlns="{SVG_NS}" onload="{ALERT}"><g onclick="{ALERT}">{DRAWING}</g></svg>'.encode(),
               "删除了事件属性 onload（图片里不能运行脚本）", 1),
    "foreign-object": (svg(f'<foreignObject width="40" height="40"><iframe xmlns="http://www.w3.org/1999/xhtml" '
                           f'src="https://evil.example/"/><p xmlns="http://www.w3.org/1999/xhtml" '
                           f'onmouseover="{ALERT}">x</p></foreignObject>'),
                       "删除了 <foreignObject> 元素（SVG 图片里不能嵌入网页内容）", 2),
    "javascript-link": (svg(f'<a xlink:href="javascript:{ALERT}"><circle r="3"/></a>'),
                        f'删除了链接 xlink:href="javascript:{ALERT}"（SVG 里的链接只能指向本文件内的 #id）', 2),
    "javascript-entity": (svg('<a href="&#x6A;ava&#x09;script:alert(1)"><circle r="3"/></a>'),
                          "删除了链接 href=", 2),
    "external-use": (svg('<use href="https://evil.example/x.svg#a"/>', '<use xlink:href="#r" x="1"/>'),
                     '删除了链接 href="https://evil.example/x.svg#a"（SVG 里的链接只能指向本文件内的 #id）', 2),
    "external-image": (svg('<image href="http://evil.example/track.png" width="9" height="9"/>'),
                       '删除了链接 href="http://evil.example/track.png"', 2),
    "style-import": (svg("<style>@import url(https://evil.example/a.css); rect { fill: red }</style>"),
                     "删除了 <style> 样式（含有 @import，会从其他地方加载内容）", 2),
    "style-url": (svg('<style>rect { fill: url("https://evil.example/p.svg#g") }</style>'),
                  "删除了 <style> 样式（含有指向外部的 url()", 2),
    "style-smuggled": (svg("<style>rect { fill: red } <g/>@import url(https://evil.example/a.css);</style>"),
                       "删除了 <style> 样式（样式表里不能有其他元素）", 2),
    "style-escape": (svg('<rect style="background: \\75 rl(https://evil.example/x)" width="1" height="1"/>'),
                     "删除了属性 style=", 2),
    "attribute-url": (svg('<rect fill="url(https://evil.example/p.svg#g)" width="1" height="1"/>'),
                      '删除了属性 fill="url(https://evil.example/p.svg#g)"', 2),
    "animate-href": (svg(f'<a href="#r"><animate attributeName="href" to="javascript:{ALERT}" begin="0s"/>'
                         '<circle r="4"/></a>'),
                     "删除了改写 href 属性的动画 <animate>（动画只能改变图形的样式和位置）", 2),
    "set-handler": (svg(f'<set attributeName="onmouseover" to="{ALERT}"/>',
                        f'<set attributeName="xlink:href" to="javascript:{ALERT}"/>'),
                    "删除了改写 onmouseover 属性的动画 <set>", 2),
    "stylesheet-instruction": (b'<?xml version="1.0"?>\n<?xml-stylesheet href="https://evil.example/s.css"?>\n'
                               + svg(), "删除了处理指令 <?xml-stylesheet …?>（它会让浏览器加载其他文件）", 2),
    "embedded-svg": (svg('<image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+"/>'),
                     "删除了链接 href=\"data:image/svg+xml;base64,", 2),
    "embed-object": (svg('<embed src="https://evil.example/a.swf"/>', '<object data="https://evil.example/"/>'),
                     "删除了 <embed> 元素（SVG 图片里不能嵌入其他内容）", 2),
}


@pytest.mark.parametrize("case", HOSTILE_SVGS, ids=list(HOSTILE_SVGS))
def test_hostile_svg_is_published_sanitised_with_a_warning(case: str) -> None:
    data, message, line = HOSTILE_SVGS[case]
    check = inspect_image(data, f"{SHOWN}/{case}.svg")
    assert check.publish is not None, messages(check)
    assert all(problem.severity == WARNING for problem in check.problems)
    assert any(problem.message.startswith(message) and problem.line == line for problem in check.problems), (
        messages(check))
    assert all(problem.path == f"{SHOWN}/{case}.svg" for problem in check.problems)
    assert_harmless(check.publish)


def test_sanitised_svg_is_deterministic_and_clean_twice() -> None:
    for data, _, _ in HOSTILE_SVGS.values():
        first, second = inspect_image(data, f"{SHOWN}/a.svg"), inspect_image(data, f"{SHOWN}/a.svg")
        assert first.publish == second.publish
        again = inspect_image(first.publish, f"{SHOWN}/a.svg")
        assert again.publish == first.publish and again.problems == ()


def test_inkscape_drawing_keeps_its_drawing_and_loses_only_editor_data() -> None:
    drawing = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="120mm" height="80mm" viewBox="0 0 120 80" version="1.1" id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)" sodipodi:docname="电路.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg"
   xmlns:svg="http://www.w3.org/2000/svg" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" inkscape:zoom="1.2"/>
  <defs id="defs2">
    <linearGradient inkscape:collect="always" id="grad1">
      <stop style="stop-color:#0a4f96;stop-opacity:1" offset="0" id="stop1"/>
      <stop style="stop-color:#ffd54a;stop-opacity:1" offset="1" id="stop2"/>
    </linearGradient>
    <linearGradient xlink:href="#grad1" id="grad2" x1="10" y1="10" x2="110" y2="70"
       gradientUnits="userSpaceOnUse"/>
  </defs>
  <metadata id="metadata1"><rdf:RDF><cc:Work rdf:about=""><dc:title>电路</dc:title></cc:Work></rdf:RDF></metadata>
  <g inkscape:label="图层 1" inkscape:groupmode="layer" id="layer1">
    <rect style="fill:url(#grad2);stroke:#222222;stroke-width:0.5" id="rect1" width="100" height="60" x="10" y="10"
       sodipodi:nodetypes="cccc"/>
    <path d="M 20,40 H 100" style="fill:none;stroke:#ffffff;stroke-width:2" id="path1"/>
    <text xml:space="preserve" style="font-size:8px;font-family:sans-serif" x="30" y="30" id="text1"><tspan
       sodipodi:role="line" id="tspan1" x="30" y="30">电池 &amp; 灯泡</tspan></text>
    <use xlink:href="#path1" transform="translate(0,10)"/>
  </g>
</svg>
""".encode()
    check = inspect_image(drawing, f"{SHOWN}/dianlu.svg")
    assert check.problems == ()
    text = check.publish.decode("utf-8")
    for kept in ('viewBox="0 0 120 80"', 'style="fill:url(#grad2);stroke:#222222;stroke-width:0.5"',
                 'd="M 20,40 H 100"', "电池 &amp; 灯泡", 'xml:space="preserve"', 'xlink:href="#path1"',
                 'xmlns:xlink="http://www.w3.org/1999/xlink"', "<linearGradient", "stop-color:#ffd54a"):
        assert kept in text, kept
    for dropped in ("inkscape", "sodipodi", "rdf:", "metadata", "dc:title", "<!--"):
        assert dropped not in text, dropped
    assert_harmless(check.publish, '<path d="M 20,40 H 100"')


def test_embedded_raster_stays_and_a_disguised_one_goes() -> None:
    import base64

    png = base64.b64encode(raster("PNG")).decode()
    html = base64.b64encode(b"<html><script>alert(1)</script></html>").decode()
    check = inspect_image(svg(f'<image width="6" height="4" href="data:image/png;base64,{png}"/>',
                              f'<image width="6" height="4" href="data:image/png;base64,{html}"/>'),
                          f"{SHOWN}/photo.svg")
    assert f"data:image/png;base64,{png}" in check.publish.decode()
    assert html not in check.publish.decode()
    assert len(check.problems) == 1 and check.problems[0].message.startswith('删除了链接 href="data:image/png')


def test_billion_laughs_is_refused() -> None:
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n <!ENTITY a "哈哈哈哈哈哈哈哈哈哈">\n'
            + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
            + f']>\n<svg xmlns="{SVG_NS}"><text>&j;</text></svg>\n').encode()
    check = inspect_image(bomb, f"{SHOWN}/bomb.svg")
    assert check.publish is None
    assert messages(check) == [
        f"{SHOWN}/bomb.svg:2: SVG 文件含有 DOCTYPE 或实体声明（可能引用外部文件、或把几个字展开成几十亿个），"
        "网站不发布这样的 SVG — 删除文件开头的 <!DOCTYPE …> 部分，或在 Inkscape 或 Illustrator 中重新“导出为 SVG”"
        "（不保留编辑功能），或导出为 PNG 后替换"]


def test_external_entity_and_broken_svg_are_refused() -> None:
    xxe = f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="{SVG_NS}">&x;</svg>'.encode()
    assert inspect_image(xxe, f"{SHOWN}/xxe.svg").publish is None
    broken = inspect_image(f'<svg xmlns="{SVG_NS}">\n<g>\n</svg>'.encode(), f"{SHOWN}/cut.svg")
    assert broken.publish is None
    assert broken.problems[0].line == 3 and "SVG 文件无法解析" in broken.problems[0].message
    html = inspect_image(b"<html><body><script>alert(1)</script></body></html>", f"{SHOWN}/page.svg")
    assert html.publish is None and "最外层的元素是 <html>" in html.problems[0].message
    deep = inspect_image((f'<svg xmlns="{SVG_NS}">' + "<g>" * 500 + "</g>" * 500 + "</svg>").encode(),
                         f"{SHOWN}/deep.svg")
    assert deep.publish is None and "嵌套超过" in deep.problems[0].message
    many = inspect_image((f'<svg xmlns="{SVG_NS}">' + "<g/>" * 100_000 + "</svg>").encode(), f"{SHOWN}/many.svg")
    assert many.publish is None and "SVG 图形太复杂（超过 10 万个元素）" in many.problems[0].message


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("evil.png", b"<!DOCTYPE html>\n<html><script>alert(1)</script></html>",
     "content/images/xinbei/evil.png: 这不是图片：evil.png 实际是网页（HTML） — content/images/ 下只能放 JPG、PNG、"
     "GIF、WebP、SVG 图片或苹果手机的 HEIC 照片：删除这个文件；如果它应是图片，请用图片软件另存为 JPG 或 PNG 后再放入"),
    ("photo.png", raster("JPEG"),
     "content/images/xinbei/photo.png: 扩展名与内容不符：photo.png 的扩展名是 .png，内容却是 JPEG 图片 — "
     "这个文件实际是 JPEG 图片：请改名为 photo.jpg（并改正引用它的 image: 或正文里的地址）"),
    ("a.jpg", raster("PNG"),
     "content/images/xinbei/a.jpg: 扩展名与内容不符：a.jpg 的扩展名是 .jpg，内容却是 PNG 图片 — "
     "这个文件实际是 PNG 图片：请改名为 a.png（并改正引用它的 image: 或正文里的地址）"),
    ("notes.jpg", "活动签到表\n姓名,电话\n".encode(),
     "content/images/xinbei/notes.jpg: 这不是图片：notes.jpg 实际是文本文件 — content/images/ 下只能放 JPG、PNG、"
     "GIF、WebP、SVG 图片或苹果手机的 HEIC 照片：删除这个文件；如果它应是图片，请用图片软件另存为 JPG 或 PNG 后再放入"),
    ("cut.png", raster("PNG")[:-20],
     "content/images/xinbei/cut.png: PNG 图片已损坏或不完整（可能没有下载或复制完） — 重新导出或重新下载这张图片后再放入"),
    ("logo.png", f'<svg xmlns="{SVG_NS}"/>'.encode(),
     "content/images/xinbei/logo.png: 扩展名与内容不符：logo.png 的扩展名是 .png，内容却是 SVG 图片 — "
     "这个文件实际是 SVG 图片：请改名为 logo.svg（并改正引用它的 image: 或正文里的地址）"),
    ("a.svg", raster("GIF"),
     "content/images/xinbei/a.svg: 扩展名与内容不符：a.svg 的扩展名是 .svg，内容却是 GIF 图片 — "
     "这个文件实际是 GIF 图片：请改名为 a.gif（并改正引用它的 image: 或正文里的地址）"),
    ("evil.html", b"<html><body onload=alert(1)></body></html>",
     "content/images/xinbei/evil.html: 这不是图片：evil.html 实际是网页（HTML） — content/images/ 下只能放 JPG、"
     "PNG、GIF、WebP、SVG 图片或苹果手机的 HEIC 照片：删除这个文件；如果它应是图片，请用图片软件另存为 JPG 或 PNG 后再放入"),
    ("shouce.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
     "content/images/xinbei/shouce.pdf: 这不是图片：shouce.pdf 实际是 PDF 文档 — content/images/ 下只能放 JPG、"
     "PNG、GIF、WebP、SVG 图片或苹果手机的 HEIC 照片：删除这个文件；如果它应是图片，请用图片软件另存为 JPG 或 PNG 后再放入"),
    ("tool.gif", b"MZ\x90\x00\x03" + bytes(60),
     "content/images/xinbei/tool.gif: 这不是图片：tool.gif 实际是可执行程序 — content/images/ 下只能放 JPG、"
     "PNG、GIF、WebP、SVG 图片或苹果手机的 HEIC 照片：删除这个文件；如果它应是图片，请用图片软件另存为 JPG 或 PNG 后再放入"),
    (".htaccess", b"AddHandler cgi-script .png\n",
     "content/images/xinbei/.htaccess: 隐藏文件 .htaccess 不会发布 — 删除这个文件（它通常是系统或编辑器自动生成的）"),
    ("empty.webp", b"", "content/images/xinbei/empty.webp: empty.webp 是空文件 — 删除它，或换成真正的图片"),
])
def test_files_that_are_not_what_they_claim_are_refused(name: str, data: bytes, expected: str) -> None:
    check = inspect_image(data, f"{SHOWN}/{name}")
    assert check.publish is None
    assert messages(check) == [expected]


@pytest.mark.parametrize(("name", "kind"), [("a.png", "PNG"), ("b.jpg", "JPEG"), ("C.JPG", "JPEG"),
                                            ("d.jpeg", "JPEG"), ("e.gif", "GIF"), ("f.webp", "WEBP")])
def test_real_raster_images_are_accepted_and_published_in_their_own_format(name: str, kind: str) -> None:
    data = raster(kind)
    check = inspect_image(data, f"{SHOWN}/{name}")
    assert check.problems == () and check.publish == data
    with Image.open(io.BytesIO(published(check, name))) as image:
        assert image.format == kind and image.size == (6, 4)


def test_an_image_with_too_many_pixels_is_refused() -> None:
    buffer = io.BytesIO()
    Image.new("1", (10_000, 7_000)).save(buffer, "PNG")  # 70 megapixels in a few kilobytes
    check = inspect_image(buffer.getvalue(), f"{SHOWN}/huge.png")
    assert check.publish is None and "图片像素太多" in check.problems[0].message


# The build: images published as inspected, refused files named, the previous output kept.

HOSTILE_LOGO = svg(f"<script>{ALERT}</script>", '<image href="https://evil.example/t.png" width="1" height="1"/>',
                   "<style>@import url(https://evil.example/s.css);</style>",
                   f'<circle r="5" cx="20" cy="20" fill="#ffd54a" onload="{ALERT}"/>')


@pytest.mark.build
def test_build_publishes_only_checked_images(mini_site: Path, tmp_path: Path, browser) -> None:
    content, output = mini_site / "content", tmp_path / "output"
    images = content / "images"
    (images / "xinbei").mkdir(parents=True)
    (images / "xinbei" / "good.png").write_bytes(raster("PNG"))
    (images / "logo.svg").write_bytes(HOSTILE_LOGO)
    result = run_build(content, output)
    assert result.returncode == 0, result.stderr
    assert "content/images/logo.svg:2: （提醒）删除了 <script> 元素（SVG 图片里不能有脚本）" in result.stderr
    files = tree(output / "images")
    good = published(inspect_image(raster("PNG"), "good.png"), "good.png")
    assert files == {"xinbei/good.png": good, "logo.svg": inspect_image(HOSTILE_LOGO, "logo.svg").publish}
    assert_harmless(files["logo.svg"])
    assert 'fill="#ffd54a"' in files["logo.svg"].decode()
    _open_published_svg(browser, output)

    before = tree(output)
    (images / "evil.html").write_text(f"<html><script>{ALERT}</script></html>", "utf-8")
    (images / ".htaccess").write_text("AddType text/html .png\n", "utf-8")
    (images / "xinbei" / "bad.jpg").write_bytes(raster("PNG"))
    refused = run_build(content, output)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr + refused.stdout
    for named in ("content/images/evil.html: 这不是图片：evil.html 实际是网页（HTML）",
                  "content/images/.htaccess: 隐藏文件",
                  "content/images/xinbei/bad.jpg: 扩展名与内容不符",
                  "这个文件实际是 PNG 图片：请改名为 bad.png"):
        assert named in refused.stderr, named
    assert "构建已停止" in refused.stderr
    assert tree(output) == before

    for name in ("evil.html", ".htaccess", "xinbei/bad.jpg", "xinbei/good.png"):
        (images / name).unlink()
    linked = (output / "images" / "logo.svg").stat().st_ino
    assert run_build(content, output).returncode == 0
    assert tree(output / "images") == {"logo.svg": files["logo.svg"]}  # the deleted image is gone
    assert (output / "images" / "logo.svg").stat().st_ino == linked  # unchanged: linked, not rewritten


def _open_published_svg(browser, output: Path) -> None:
    """Chromium opens the published SVG itself: nothing runs, nothing leaves the site."""
    server, base = serve_directory(output)
    page = browser.new_page()
    dialogs, foreign = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def route(request_route) -> None:
        if urlsplit(request_route.request.url).netloc != urlsplit(base).netloc:
            foreign.append(request_route.request.url)
            request_route.abort()
        else:
            request_route.continue_()

    page.route("**/*", route)
    try:
        response = page.goto(f"{base}/images/logo.svg", wait_until="load")  # scripts and onload have run
        assert response is not None and response.status == 200
        assert page.evaluate(f"typeof window.{MARK}") == "undefined"
        assert page.locator("circle").count() == 1  # the drawing is there
    finally:
        page.close()
        server.shutdown()
    assert dialogs == []
    assert foreign == []
