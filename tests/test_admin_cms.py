"""A volunteer publishes without a terminal: the web editor (/admin/, `invoke cms`) in Debian's Chromium,
against decap-server's local backend on a copy of the mini site.

She creates a single evening event, a weekly Saturday series with two weeks off, and a news article
with a photo. The files the form writes pass `invoke check --strict`; a build shows the events with
their dates on their pages and in the calendar feeds, and the photo on the news page. The editor asked
nothing of another host. With KEPU_ADMIN_SCREENSHOTS=docs/images the screenshots of the editor
guide are taken along the way.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from icalendar import Calendar
from PIL import Image
from test_csp import WATCH
from test_validation import LINK_CASES

from conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SAMPLE_BUILD_DATE,
    plugin_env,
    require,
    run_build,
    run_check,
)
from kepu.content.validation import TEXT_LIMITS

pytestmark = pytest.mark.build

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
SCREENSHOTS = os.environ.get("KEPU_ADMIN_SCREENSHOTS", "")
SINGLE = "content/events/xinbei/2026/xinbei-liudong-2026-12-12.md"
SERIES = "content/events/taida/2026/taida-huiketing-2026-12-05.md"
WEEKS_OFF = ("2026-12-26", "2027-01-02")
# The volunteer's clock: the editor files an entry under the year it is saved in.
SAVED_AT = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# Before the weekly series' first Saturday (2026-11-07): moving the whole series to another place
# then rewrites no session already held (the form asks about that: see test_a_series_already_held…).
BEFORE_SERIES = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
# A phone as the audits hold it: 390 × 844, touch.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SATURDAYS = ("2026-12-05", "2026-12-12", "2026-12-19", "2027-01-09", "2027-01-16", "2027-01-23", "2027-01-30")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_cms(site: Path, errors: Path) -> tuple[subprocess.Popen, str | None, int]:
    """`invoke cms` started on a free port for decap-server: (process, admin URL or None, port)."""
    proxy = _free_port()
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "kepu.editor.cmsserve", "--content", str(site / "content"), "--port", "0",
             "--proxy-port", str(proxy)], cwd=ROOT, env=plugin_env(), stdout=subprocess.PIPE, stderr=stderr,
            text=True)
    url = re.search(r"http://\S+/admin/", process.stdout.readline())  # printed once both servers answer
    return process, url[0] if url else None, proxy


@contextmanager
def _cms(site: Path) -> Iterator[tuple[Path, str, str]]:
    """`invoke cms` on a site's content: (site folder, admin URL, decap-server's address).

    The free port is chosen here and bound by decap-server a moment later: another test's server
    may take it meanwhile, which `invoke cms` reports (占用) — then another port is tried."""
    require(DECAP_SERVER.is_file(), "decap-server (npm ci)")
    errors = site / "cms-errors.txt"
    for _ in range(3):
        process, url, proxy = _start_cms(site, errors)
        if url:
            break
        process.wait(timeout=30)
        if "占用" not in errors.read_text("utf-8"):
            break
    try:
        assert url, errors.read_text("utf-8")
        yield site, url, f"127.0.0.1:{proxy}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.e2e  # starts decap-server (node)
def test_a_port_taken_by_another_program_is_reported_not_used_as_the_backend(tmp_path: Path) -> None:
    """Another program takes decap-server's port between `invoke cms` looking and decap-server
    starting: decap-server cannot listen, and the editor must say the port is taken instead of
    sending the volunteer's saves to whatever answers there."""
    require(DECAP_SERVER.is_file(), "decap-server (npm ci)")
    from kepu.editor import cmsserve

    other = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    backend = cmsserve._decap_server(tmp_path, other.server_address[1], "http://127.0.0.1:1")
    try:
        with pytest.raises(SystemExit, match="已被别的程序占用"):
            cmsserve._wait_for(other.server_address[1], backend, tmp_path)
    finally:
        backend.kill()
        backend.wait(timeout=30)
        other.shutdown()


@pytest.fixture
def editor(mini_site: Path) -> Iterator[tuple[Path, str, str]]:
    """The web editor on the mini site."""
    with _cms(mini_site) as running:
        yield running


def _shot(page, name: str, target=None, block: str = "center") -> None:
    """A screenshot for the editor guide (KEPU_ADMIN_SCREENSHOTS), ``target`` scrolled into view."""
    if not SCREENSHOTS:
        return
    if target is not None:
        target.evaluate(f"element => element.scrollIntoView({{block: '{block}'}})")
    path = Path(SCREENSHOTS) / f"admin-{name}.png"
    page.screenshot(path=str(path))
    Image.open(path).convert("RGB").quantize(colors=64).save(path, optimize=True)  # small PNGs


def _pick(page, label: str, *choices: str) -> None:
    """Choose from one of the form's drop-down lists, as a person does: click, type, Enter."""
    box = page.get_by_label(re.compile(f"^{label}"))
    for choice in choices:
        box.click()
        box.press_sequentially(choice)
        box.press("Enter")
    box.press("Escape")  # close the list, as clicking elsewhere does


def _when(field, day: str, clock: str = "") -> None:
    if day:
        field.locator("input[type=date]").fill(day)
    if clock:
        field.locator("input[type=time]").fill(clock)


def _press_publish(page) -> None:
    """发布 → 立即发布, as a volunteer does (the form may refuse: see ``_publish`` for a save)."""
    page.get_by_role("button", name="发布").click()
    page.locator("[role=menuitem]:visible", has_text="立即发布").click()


def _publish(page) -> None:
    saved = page.get_by_text(re.compile("内容已保存|内容已发布"))
    for notice in saved.element_handles():  # an earlier save's notice may still show: not this one's
        notice.evaluate("e => e.setAttribute('data-seen', '')")
    _press_publish(page)
    try:
        # Saved (an edited entry's address already has /entries/: the notice is what says so),
        # then the editor opens the saved entry.
        saved.and_(page.locator(":not([data-seen])")).first.wait_for()
        page.wait_for_function("location.hash.includes('/entries/')")
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-publish.png"), full_page=True)
        (ARTIFACTS / "admin-publish.txt").write_text(page.inner_text("body"), "utf-8")
        raise


@contextmanager
def _signed_in(browser, url: str, clock: datetime | None = SAVED_AT, **options) -> Iterator:
    """A page of the editor, signed in, the volunteer's clock at ``clock`` (``options``: the
    page's, e.g. ``PHONE``); closed afterwards."""
    page = browser.new_page(locale="zh-CN", **options)
    if clock is not None:
        page.clock.set_fixed_time(clock)
    try:
        page.goto(url)
        page.get_by_role("button", name="登录").click()
        yield page
    finally:
        page.close()


@contextmanager
def _series_moves(browser, url: str, clock: datetime | None = SAVED_AT) -> Iterator:
    """The mini site's weekly series open in the form, its 改期或换地点 box ready: (page, box)."""
    with _signed_in(browser, url, clock) as page:
        page.goto(f"{url}#/collections/events/entries/xinbei/2026/zhoumo-tongxuehui")
        move = page.locator(".kepu-repeat fieldset", has_text="改期或换地点")
        move.locator("input[name=kepu-repeat-move]").wait_for()
        yield page, move


@contextmanager
def _series_repeat(browser, url: str) -> Iterator:
    """The mini site's weekly series open in the form, its 重复 widget ready: (page, widget)."""
    with _signed_in(browser, url) as page:
        page.goto(f"{url}#/collections/events/entries/xinbei/2026/zhoumo-tongxuehui")
        repeat = page.locator(".kepu-repeat")
        repeat.locator("input[name=kepu-repeat-cancel]").wait_for()
        yield page, repeat


def _new(page, url: str, collection: str) -> None:
    """A new entry in a freshly opened editor (the sign-in is remembered): late replies about the
    entry saved before cannot overwrite this one's fields."""
    page.goto("about:blank")
    page.goto(f"{url}#/collections/{collection}/new")
    page.locator("[class*='ControlContainer']").first.wait_for()


def _other_place(page) -> None:
    """A place the venue registry does not list: 其他地点, then its name and address."""
    page.get_by_label(re.compile("^地点")).select_option(label="其他地点（写名称和地址）")


def _single_event(page, url: str) -> None:
    _new(page, url, "events")
    page.get_by_label("活动名称").fill("冬夜星空观测")
    _pick(page, "街镇", "新北")
    _pick(page, "志愿服务队", "流动科技馆")
    start, end = page.locator(".kepu-when").nth(0), page.locator(".kepu-when").nth(1)
    _when(start, "2026-12-12", "18:30")
    _when(end, "", "20:00")
    assert start.locator("output").inner_text() == "2026年12月12日（周六） 18:30"
    _other_place(page)
    # No longer than the check takes (TEXT_LIMITS): a longer place is not typed, rather than refused after saving.
    assert page.get_by_label("场地名称").get_attribute("maxlength") == str(TEXT_LIMITS["venue.name"])
    assert page.get_by_label("详细地址").get_attribute("maxlength") == str(TEXT_LIMITS["venue.address"])
    page.get_by_label("场地名称").fill("新北街道文化中心")
    page.get_by_label("详细地址").fill("天津市滨海新区新北街道文化中心三楼")
    _pick(page, "活动类型", "科普讲座")
    _pick(page, "服务对象", "亲子家庭")
    page.get_by_label("适合年龄").fill("8-14")
    page.get_by_label("报名链接").fill("https://example.cn/xingkong，")  # the sentence's comma pasted too
    page.get_by_label("报名电话").fill("022-2560 0000 转 123")
    page.get_by_label("名额（人数）").fill("30")
    # 需要报名 left off under 30 places: the page said 无需报名，直接到场，限 30 人 beside 电话报名;
    # and the comma made the published link a broken one.
    said = _message_box(page)
    assert "填了“名额”，却没有打开“需要报名”" in said, said
    assert "“报名链接”：网址要以 http:// 或 https:// 开头，中间不能有空格、中文标点或全角字符" in said, said
    _retype(page.get_by_label("报名链接"), "https://example.cn/xingkong")
    page.get_by_label("需要报名").click()
    _shot(page, "event", page.locator("[class*='ControlContainer']").first, "start")
    _publish(page)


def _series(page, url: str) -> None:
    _new(page, url, "events")
    page.get_by_label("活动名称").fill("周六科学会客厅")
    _pick(page, "街镇", "泰达")
    _pick(page, "志愿服务队", "科学会客厅")
    _when(page.locator(".kepu-when").nth(0), "2026-12-05", "09:30")
    _when(page.locator(".kepu-when").nth(1), "", "11:00")
    repeat = page.locator(".kepu-repeat")
    repeat.locator("select[name=kepu-repeat-kind]").select_option(label="每周几")
    assert repeat.get_by_label("周六").is_checked()  # the start's weekday
    repeat.locator("input[name=kepu-repeat-until]").fill("2027-01-30")
    for day in WEEKS_OFF:
        repeat.locator("input[name=kepu-repeat-except]").fill(day)
        repeat.get_by_role("button", name="添加这一天").click()
    preview = repeat.locator(".kepu-preview")
    assert "共 7 次" in preview.inner_text()
    assert preview.locator("li.kepu-skipped").all_inner_texts() == [
        "2026年12月26日（周六） 不开展", "2027年1月2日（周六） 不开展"]
    _other_place(page)
    page.get_by_label("场地名称").fill("泰达图书馆报告厅")
    _pick(page, "活动类型", "科学实验")
    _pick(page, "服务对象", "亲子家庭", "社区居民")
    _shot(page, "repeat", preview)
    _publish(page)


def _news(page, url: str, photo: Path) -> None:
    _new(page, url, "news")
    page.get_by_label("新闻标题").fill("冬夜星空观测活动圆满结束")
    _when(page.locator(".kepu-when").nth(0), "2026-12-13", "10:00")
    page.get_by_label("一句话简介").fill("四十组家庭用望远镜看到了木星和它的卫星。")
    _pick(page, "相关街镇", "新北")
    events = page.get_by_label(re.compile("^报道的活动"))  # the evening event published before
    events.click()
    events.press_sequentially("冬夜星空")
    # Found by the editor's search, with its date: two events of one name (a yearly 科普日, a
    # lecture given in two streets) are told apart by it.
    page.get_by_role("option", name="冬夜星空观测（2026-12-12 18:30）", exact=True).wait_for()
    events.press("Enter")
    events.press("Escape")
    page.get_by_role("button", name="选择图片").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    # Uploaded and chosen: lower-cased by the editor, the time of the upload added to its name, by
    # the site's clock (the volunteer's computer is set to UTC: 02:00 there is 10:00 in Tianjin).
    page.get_by_text(re.compile(rf"^{re.escape(photo.stem.lower())}-20261204-10\d{{4}}\.jpg$")).wait_for()
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("配图说明").fill("孩子们排队用望远镜观看木星")
    _shot(page, "news", page.get_by_label("配图说明"))
    _publish(page)


def _title_loaded(page):
    """The open event's 活动名称 box, once the form holds the file's values."""
    title = page.get_by_label("活动名称")
    page.wait_for_function("e => e.value.length > 0", arg=title.element_handle())
    return title


def _open_event(page, url: str, entry: str):
    """A published event open in the form (``entry``: street/year/name); its 活动名称 box."""
    page.goto(f"{url}#/collections/events/entries/{entry}")
    return _title_loaded(page)


def _edit(page, url: str, entry: str) -> None:
    """Open a published event, add （更新） to its title, publish again."""
    page.goto("about:blank")
    title = _open_event(page, url, entry)
    title.fill(title.input_value() + "（更新）")
    _publish(page)


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---")[1])


def _dates_listed(html: str) -> list[str]:
    """The 活动日期 list of an event page, as 2026-12-05 strings."""
    text = re.sub(r"<[^>]+>", " ", html.split("活动日期", 1)[1].split("加入日历", 1)[0])
    return [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)]


def _feed_event(output: Path, slug: str):
    calendar = Calendar.from_ical((output / "feeds" / "all.ics").read_bytes())
    return next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"{slug}@")
                and "RECURRENCE-ID" not in e)


def test_a_volunteer_publishes_two_events_and_a_news_photo_from_the_web_form(editor, browser, tmp_path: Path) -> None:
    site, url, proxy = editor
    photo = tmp_path / "IMG_20261212_193015.jpg"  # as a phone names it
    online = site / "content" / "events" / "taida" / "2026" / "kexue-huiketing-xianshang.md"
    online.write_text(online.read_text("utf-8").replace("\nstreet:", "\ncontact: 泰达街道社区服务中心 022-6620 0000\nstreet:"), "utf-8")
    Image.new("RGB", (800, 500), (20, 40, 90)).save(photo, quality=85)
    # A Chinese browser, as volunteers have: date fields read 年/月/日.
    chinese = browser.browser_type.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, "--lang=zh-CN"],
                                          env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"})
    # … whose computer is set to UTC, as a borrowed or freshly installed one often is.
    context = chinese.new_context(locale="zh-CN", timezone_id="UTC", viewport={"width": 1000, "height": 760})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.add_init_script(WATCH)
    # The volunteer's clock, running (a fixed one would stop the editor's search as she types).
    context.clock.install(time=SAVED_AT)
    context.clock.resume()
    page = context.new_page()
    try:
        page.goto(url)
        _shot(page, "login")
        page.get_by_role("button", name="登录").click()
        _single_event(page, url)
        _series(page, url)
        _news(page, url, photo)
        _edit(page, url, "taida/2026/kexue-huiketing-xianshang")  # a one-line contact, a duration
        _edit(page, url, "xinbei/2026/liudong-kejiguan")  # end: "16:00", the same day
        assert page.evaluate("window.__csp") == []  # the editor works under its security policy
    finally:
        chinese.close()
    hosts = {urlsplit(address).netloc for address in requested if not address.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(url).netloc, proxy}  # the page itself and decap-server: nothing else

    single, series = _front_matter(site / SINGLE), _front_matter(site / SERIES)
    assert (single["start"], single["end"], single["street"]) == ("2026-12-12 18:30", "2026-12-12 20:00", "xinbei")
    assert series["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30"
    assert [str(day) for day in series["recurrence"]["exdates"]] == list(WEEKS_OFF)
    edited = _front_matter(online)
    assert (edited["title"], edited["duration"]) == ("科学会客厅：线上直播（更新）", "90分钟")
    assert edited["contact"] == "泰达街道社区服务中心 022-6620 0000"
    news = next((site / "content" / "articles" / "2026").glob("xinwen-2026-12-13*.md"))
    image = _front_matter(news)["image"]
    assert (site / "content" / image).is_file() and image.startswith("images/articles/")
    assert _front_matter(news)["events"] == ["xinbei-liudong-2026-12-12"]  # its file name, not its folder path

    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--strict", "--content", str(site / "content"),
                            "--build-date", SAMPLE_BUILD_DATE], cwd=ROOT, env=plugin_env(),
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    # Not a reminder but one: the report is dated 12月13日, after the check's day, and waits for the
    # build of its day to be published.
    said = [line.strip() for line in check.stdout.splitlines() if "（提醒）" in line]
    assert len(said) == 1 and said[0].startswith(f"content/articles/2026/{news.name}:") and \
        "（提醒）date: 这篇新闻的日期 2026-12-13 在今天（2026-12-01）之后：到那天构建时才会发布" in said[0], check.stdout

    output = tmp_path / "output"
    build = run_build(site / "content", output)
    assert build.returncode == 0, build.stderr
    single_page = (output / "events" / "xinbei-liudong-2026-12-12" / "index.html").read_text("utf-8")
    assert "2026年12月12日（周六）18:30–20:00" in single_page
    series_page = (output / "events" / "taida-huiketing-2026-12-05" / "index.html").read_text("utf-8")
    assert _dates_listed(series_page) == list(SATURDAYS)
    event = _feed_event(output, "xinbei-liudong-2026-12-12")
    assert event.decoded("DTSTART").isoformat() == "2026-12-12T18:30:00+08:00"
    repeating = _feed_event(output, "taida-huiketing-2026-12-05")
    assert "FREQ=WEEKLY" in repeating["RRULE"].to_ical().decode()
    exdates = repeating.get("EXDATE")
    excluded = {d.dt.isoformat()[:10] for x in (exdates if isinstance(exdates, list) else [exdates]) for d in x.dts}
    assert excluded == set(WEEKS_OFF)
    assert "流动科技馆进社区（更新）" in (output / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8")
    atom = (output / "feeds" / "all.atom").read_text("utf-8")
    assert "冬夜星空观测" in atom and "周六科学会客厅" in atom
    assert not (output / "news" / news.stem).exists()  # dated 12月13日: not before the build of its day
    output = tmp_path / "output-13"
    assert run_build(site / "content", output, build_date="2026-12-13").returncode == 0
    news_page = (output / "news" / news.stem / "index.html").read_text("utf-8")
    shown = re.search(r'<img[^>]+src="([^"]+)"', news_page.split("<main", 1)[1])[1]
    assert "冬夜星空观测活动圆满结束" in news_page and (output / shown.lstrip("/")).is_file()


def test_the_form_offers_the_registries_and_public_pages_stay_free_of_it(sample_output: Path) -> None:
    """The drop-downs are the registries' Chinese names storing ids; /admin/ is in no sitemap,
    robots rule or public page, and public pages load nothing of it."""
    config = yaml.safe_load((sample_output / "admin" / "config.yml").read_text("utf-8"))
    events = next(c for c in config["collections"] if c["name"] == "events")
    fields = {field["name"]: field for field in events["fields"]}
    for name, registry in (("street", "streets"), ("categories", "categories"), ("audiences", "audiences")):
        items = yaml.safe_load((ROOT / "content" / "data" / f"{registry}.yml").read_text("utf-8"))
        assert fields[name]["options"] == [{"label": i["name"], "value": i["id"]} for i in items], name
    for name, registry in (("programmes", "programmes"), ("campaigns", "campaigns")):
        items = yaml.safe_load((ROOT / "content" / "data" / f"{registry}.yml").read_text("utf-8"))
        assert fields[name]["options"] == [{"label": i["name"], "value": i["id"]} for i in items], name
    people = yaml.safe_load((ROOT / "content" / "data" / "people.yml").read_text("utf-8"))
    assert [o["value"] for o in fields["speakers"]["options"]] == [p["id"] for p in people if p.get("consent") is True]
    communities = yaml.safe_load((ROOT / "content" / "data" / "communities.yml").read_text("utf-8"))
    assert [o["value"] for o in fields["community"]["options"]] == [c["id"] for c in communities]  # ids, not free text
    teams = yaml.safe_load((ROOT / "content" / "data" / "teams.yml").read_text("utf-8"))
    assert [o["value"] for o in fields["team"]["options"]] == [t["id"] for t in teams]
    venues = yaml.safe_load((ROOT / "content" / "data" / "venues.yml").read_text("utf-8"))
    assert [(v["id"], v["name"]) for v in fields["venue"]["venues"]] == [(v["id"], v["name"]) for v in venues]
    assert config["locale"] == "zh_Hans" and config["publish_mode"] == "editorial_workflow"
    # Each picture's hint says where it goes: a news photo is not kept with a street's pictures.
    hints = {c["name"]: next(f["hint"] for f in c["fields"] if f["name"] == "image") for c in config["collections"]}
    assert "街镇" in hints["events"] and "新闻" in hints["news"] and "街镇" not in hints["news"], hints
    assert "/admin/" not in (sample_output / "sitemap.xml").read_text("utf-8")
    assert "Disallow: /admin/" in (sample_output / "robots.txt").read_text("utf-8")
    public = [p for p in sample_output.rglob("*.html") if "admin" not in p.relative_to(sample_output).parts]
    assert public and not [p for p in public if re.search(r"/admin/|decap|kepu-cms", p.read_text("utf-8"))]


def test_a_monthly_series_is_previewed_and_saved_as_the_rule_it_shows(editor, browser) -> None:
    """每月第一个周三 from a Wednesday start: the form lists the dates, warns when the start is off the
    rule, and saves the rule the preview showed."""
    site, url, _ = editor
    with _signed_in(browser, url) as page:
        _new(page, url, "events")
        page.get_by_label("活动名称").fill("\u3000\u3000")  # only spaces: refused before anything is saved
        _press_publish(page)
        page.get_by_text("“活动名称”：名称要有文字（不能只有空格）").wait_for()  # the field, then how to write it
        page.get_by_label("活动名称").fill("社区健康义诊")
        _pick(page, "街镇", "泰达")
        _pick(page, "志愿服务队", "科学会客厅")
        start = page.locator(".kepu-when").nth(0)
        _when(start, "2026-12-02", "08:30")
        _when(page.locator(".kepu-when").nth(1), "", "11:30")
        repeat = page.locator(".kepu-repeat")
        repeat.locator("select[name=kepu-repeat-kind]").select_option(label="每月第几个周几")
        repeat.locator("input[name=kepu-repeat-until]").fill("2027-03-31")
        preview = repeat.locator(".kepu-preview")
        assert preview.locator("li").all_inner_texts() == [
            "2026年12月2日（周三）", "2027年1月6日（周三）", "2027年2月3日（周三）", "2027年3月3日（周三）"]
        assert preview.get_by_role("alert").count() == 0
        _when(start, "2026-12-03", "")  # a Thursday: off the rule
        assert "不符合这个规律" in preview.get_by_role("alert").inner_text()
        _when(start, "2026-12-02", "")
        _other_place(page)
        page.get_by_label("场地名称").fill("泰达社区卫生服务中心")
        _pick(page, "活动类型", "科普讲座")
        _pick(page, "服务对象", "老年人")
        _publish(page)
    saved = _front_matter(site / "content" / "events" / "taida" / "2026" / "taida-huiketing-2026-12-02.md")
    assert saved["recurrence"] == {"rrule": "FREQ=MONTHLY;BYDAY=1WE;UNTIL=2027-03-31"}
    assert (saved["start"], saved["end"]) == ("2026-12-02 08:30", "2026-12-02 11:30")


def test_a_volunteer_finds_the_published_events_and_news_in_the_lists(editor, browser) -> None:
    """The guide's way to change an event: 活动 → the list (by street) → click it. Every event and
    news file of the site is listed, whatever folder of its street and year it is in."""
    site, url, _ = editor
    content = site / "content"
    titles = {path: _front_matter(path)["title"] for path in (content / "events").rglob("*.md")}
    with _signed_in(browser, url, clock=None) as page:
        page.goto(f"{url}#/collections/events")
        for title in titles.values():
            page.get_by_text(title, exact=False).first.wait_for(timeout=15_000)
        page.get_by_text("流动科技馆进社区").first.click()
        assert _title_loaded(page).input_value() == "流动科技馆进社区"
        page.goto(f"{url}#/collections/news")
        page.get_by_text("科普日集市圆满举办").first.wait_for(timeout=15_000)


def _new_lecture(page, url: str, title: str, day: str, start: str, end: str, audience: str = "亲子家庭",
                 place: bool = True) -> None:
    """A new one-off 科普讲座 of 新北街道's 流动科技馆 team, the required fields filled (the place
    too, unless ``place`` is False)."""
    _new(page, url, "events")
    page.get_by_label("活动名称").fill(title)
    _pick(page, "街镇", "新北")
    _pick(page, "志愿服务队", "流动科技馆")
    _when(page.locator(".kepu-when").nth(0), day, start)
    _when(page.locator(".kepu-when").nth(1), "", end)
    if place:
        _other_place(page)
        page.get_by_label("场地名称").fill("新北街道文化中心")
    _pick(page, "活动类型", "科普讲座")
    _pick(page, "服务对象", audience)


def _event_with_photo(page, url: str, title: str, day: str, photo: Path) -> None:
    _new_lecture(page, url, title, day, "09:00", "11:00")
    page.get_by_role("button", name="选择图片").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("配图说明").fill(title)
    _publish(page)


def test_two_volunteers_photos_of_the_same_name_do_not_replace_each_other(editor, browser, tmp_path: Path) -> None:
    """Two events of one street, each with its own 活动照片 1.JPG: each keeps its own picture."""
    site, url, _ = editor
    colours = {"2026-12-19": (200, 30, 30), "2026-12-20": (30, 30, 200)}
    with _signed_in(browser, url) as page:
        for minute, (day, colour) in enumerate(colours.items()):
            page.clock.set_fixed_time(SAVED_AT + timedelta(minutes=minute))  # one volunteer now, one later
            folder = tmp_path / day
            folder.mkdir()
            photo = folder / "活动照片 1.JPG"
            Image.new("RGB", (400, 300), colour).save(photo, format="JPEG")
            _event_with_photo(page, url, f"科普讲座 {day}", day, photo)
    events = site / "content" / "events" / "xinbei"
    for day, colour in colours.items():
        image = _front_matter(next(events.rglob(f"xinbei-liudong-{day}.md")))["image"]
        with Image.open(site / "content" / image) as shown:
            assert shown.convert("RGB").getpixel((200, 150)) == pytest.approx(colour, abs=12), (day, image)


def _by_label_for(page, label: str):
    """The input a field's label names (the date inputs are also named 日期 for screen readers)."""
    return page.locator(f"[id='{page.locator('label', has_text=label).first.get_attribute('for')}']")


def test_the_form_refuses_an_end_before_the_start_and_a_deadline_after_the_day(editor, browser) -> None:
    """What `invoke check` refuses is said in the form's own words before anything is saved."""
    site, url, _ = editor
    with _signed_in(browser, url) as page:
        # The end 12:00 for 下午四点, as one slips.
        _new_lecture(page, url, "科普讲座：冬季用电安全", "2026-12-12", "14:00", "12:00", audience="社区居民")
        _by_label_for(page, "报名截止日期").fill("2026-12-25")
        _press_publish(page)
        page.get_by_text("结束早于（或等于）开始").wait_for()
        page.get_by_text("报名截止日期晚于活动的最后一天").wait_for()
        saved = list((site / "content" / "events").rglob("xinbei-liudong-2026-12-12*.md"))
        assert saved == []  # nothing was written
        _when(page.locator(".kepu-when").nth(1), "", "16:00")
        _by_label_for(page, "报名截止日期").fill("2026-12-10")
        # The start's time taken away (an all-day event) while the end keeps one: the check refuses it.
        page.locator(".kepu-when").nth(0).locator("input[type=time]").fill("")
        _press_publish(page)
        page.get_by_text("开始没有选时间（全天活动），结束就只选日期").wait_for()
        _when(page.locator(".kepu-when").nth(0), "", "14:00")
        page.get_by_label("需要报名").click()  # a deadline asks for sign-up, and how
        page.get_by_label("报名电话").fill("022-2560 0000")
        _publish(page)
    saved = _front_matter(next((site / "content" / "events").rglob("xinbei-liudong-2026-12-12.md")))
    assert (saved["end"], str(saved["registration"]["deadline"])) == ("2026-12-12 16:00", "2026-12-10")


def test_a_save_refused_by_one_field_says_so_and_shows_where_on_a_phone(editor, browser) -> None:
    """The audit, on a phone: with 结束 before 开始, a sign-up deadline after the event, or a phone
    typed with full-width digits (０２２－２５６０００００: now taken, as the check takes them), 发布 → 立即发布 showed no message and
    did not move: the red messages sat off screen and only 含未保存的修改 hinted at a problem; an
    empty 服务对象 got Decap's 你漏掉了一个必填项, naming no field. Now every refused save shows the
    form's box (没有保存，请先改好：) naming each field by its label, and takes her to the first."""
    site, url, _ = editor
    with _signed_in(browser, url, **PHONE) as page:
        _new_lecture(page, url, "科普讲座：冬季用电安全", "2026-12-12", "14:00", "12:00", audience="社区居民")
        _by_label_for(page, "报名截止日期").fill("2026-12-25")
        # Typed with a Chinese input method in full width: read as the check reads it, written so as
        # she leaves the box (the form refused it, asking for 半角, which the check accepts).
        page.get_by_label("报名电话").fill("０２２－２５６０　００００")
        page.get_by_label("适合年龄").fill("６－１２")
        page.get_by_label("活动名称").focus()  # at the top of the long form: the problems are below
        assert page.get_by_label("报名电话").input_value() == "022-2560 0000"
        assert page.get_by_label("适合年龄").input_value() == "6-12"
        message = _message_box(page)
        for words in ("“结束”：结束早于（或等于）开始", "“报名截止日期”：报名截止日期晚于活动的最后一天"):
            assert words in message, message
        assert "报名电话" not in message and "适合年龄" not in message, message
        first = page.locator(".kepu-when").nth(1).locator("input[type=date]")  # 结束's, the first one named
        assert first.evaluate("box => box === document.activeElement && box.getAttribute('aria-invalid') === 'true'")
        assert _in_view(page, first) and _in_view(page, page.get_by_text("结束早于（或等于）开始").first)
        assert list((site / "content" / "events").rglob("xinbei-liudong-2026-12-12*.md")) == []

        _when(page.locator(".kepu-when").nth(1), "", "16:00")
        _by_label_for(page, "报名截止日期").fill("2026-12-10")
        page.get_by_role("button", name="删去 社区居民").click()  # 服务对象 left empty
        page.get_by_label("活动名称").focus()
        message = _message_box(page)
        assert "“服务对象”" in message and "结束" not in message, message
        audiences = page.get_by_label(re.compile("^服务对象"))
        assert audiences.evaluate("box => box === document.activeElement") and _in_view(page, audiences)
        _pick(page, "服务对象", "社区居民")
        page.get_by_label("需要报名").click()  # (a deadline asks for sign-up)
        _publish(page)
    saved = next((site / "content" / "events").rglob("xinbei-liudong-2026-12-12.md"))
    _passes_check(site, saved)
    assert (_front_matter(saved)["registration"]["phone"], _front_matter(saved)["age"]) == ("022-2560 0000", "6-12")


def test_a_picture_uploaded_on_a_utc_computer_is_named_by_the_site_s_clock(editor, browser, tmp_path: Path) -> None:
    """Uploads are named with their time so that two volunteers' 活动照片1.jpg never replace each
    other. On a computer set to UTC, a picture uploaded at 10:00 in Tianjin was named …-020000.jpg:
    the form took the computer's clock. The 关于本站 page's form, opened first (it has no date field to
    learn the site's time zone from), names it by the site's clock, as every form does."""
    _, url, _ = editor
    photo = tmp_path / "Huodong1.jpg"
    Image.new("RGB", (800, 500), (20, 90, 40)).save(photo, quality=85)
    with _signed_in(browser, url, timezone_id="UTC") as page:
        page.goto(f"{url}#/collections/pages/entries/about")
        page.get_by_label("页面标题").wait_for()
        page.get_by_role("button", name="选择图片").click()
        page.locator("input[type=file]").set_input_files(str(photo))
        page.get_by_text(re.compile(r"^huodong1-20261204-\d{6}\.jpg$")).wait_for()
        assert page.get_by_text(re.compile(r"^huodong1-20261204-100000\.jpg$")).count() == 1, page.get_by_text(
            re.compile(r"^huodong1-")).all_inner_texts()


def test_a_volunteer_cancels_one_session_of_a_series_with_its_reason(editor, browser, tmp_path: Path) -> None:
    """Guide §七: one session off, with the reason residents will read. The form writes it as
    recurrence.sessions, the page says 已取消（原因） on that day, the rest of the series stays."""
    site, url, _ = editor
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_repeat(browser, url) as (page, repeat):
        cancel = repeat.get_by_role("button", name="取消这一场")
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2026-12-17")  # a Thursday: not a session
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("活动室维修")
        cancel.click()
        assert "不是这个系列的一场" in repeat.get_by_role("alert").inner_text()
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2026-12-19")
        cancel.click()
        preview = repeat.locator(".kepu-preview")
        assert "2026年12月19日（周六） 已取消（活动室维修）" in preview.locator("li").all_inner_texts()
        _publish(page)
    saved = _front_matter(path)
    assert saved["recurrence"]["sessions"] == [{"date": date(2026, 12, 19), "status": "cancelled", "note": "活动室维修"}]
    assert saved["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30"
    output = tmp_path / "output"
    assert run_build(site / "content", output).returncode == 0
    text = re.sub(r"<[^>]+>", " ", (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8"))
    assert re.search(r"12月19日[^。]{0,40}已取消[^。]{0,10}活动室维修", text), text[:3000]


def test_a_volunteer_stops_a_series_from_a_session_on_with_its_reason(editor, browser, tmp_path: Path) -> None:
    """The room closes for renovation from 12 December. Before, the form offered 状态 已取消 (which
    marks the Saturdays already held 已取消 too) or an earlier 到哪天为止 (the rest vanish from
    calendars unexplained). 从某一场起停办 keeps the held ones, refuses a past day, a day that is
    no session and a missing reason, folds a single cancellation after it into the stop, and the
    saved file passes the check and builds into a page that says from when and why."""
    site, url, _ = editor
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_repeat(browser, url) as (page, repeat):
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2027-01-09")  # one Saturday off, added earlier
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("停电")
        repeat.get_by_role("button", name="取消这一场").click()
        stop = repeat.locator("fieldset", has_text="从某一场起停办")
        button = stop.get_by_role("button", name="从这一场起停办")
        refusals = []
        for day, reason in (("2026-11-21", "活动室改造"), ("2026-12-13", "活动室改造"), ("2026-12-12", "")):
            stop.locator("input[name=kepu-repeat-stop]").fill(day)
            stop.locator("input[name=kepu-repeat-stop-reason]").fill(reason)
            button.click()
            refusals.append(stop.get_by_role("alert").inner_text())
        assert refusals[0].startswith("2026年11月21日（周六）这一场已经过去了"), refusals
        assert "不是这个系列的一场" in refusals[1] and refusals[2].startswith("写上停办的原因"), refusals
        stop.locator("input[name=kepu-repeat-stop-reason]").fill("活动室改造，本季停办")
        button.click()
        assert "单独取消或改期的 1 场已一并去掉" in stop.get_by_role("status").inner_text()
        assert "2026年12月12日（周六） 起停办（活动室改造，本季停办）" in stop.inner_text()
        dates = repeat.locator(".kepu-preview li").all_inner_texts()
        assert "2026年12月5日（周六）" in dates and "2026年11月28日（周六）" in dates  # held, and to be held
        for day in ("2026年12月12日（周六）", "2027年1月9日（周六）", "2027年1月30日（周六）", "2027年2月6日（周六）"):
            assert f"{day} 已取消（活动室改造，本季停办）" in dates, dates
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2027-01-16")
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("停电")
        repeat.get_by_role("button", name="取消这一场").click()
        cancel_box = repeat.locator("fieldset", has_text="取消其中一场")
        assert "起已经停办" in cancel_box.get_by_role("alert").inner_text()
        repeat.locator("input[name=kepu-repeat-cancel]").fill("")
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("")
        _publish(page)
    saved = _front_matter(path)
    assert saved["recurrence"]["sessions"] == [{"from": date(2026, 12, 12), "status": "cancelled",
                                                "note": "活动室改造，本季停办"}]
    assert saved["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30" and "status" not in saved
    _passes_check(site, path)
    output = tmp_path / "output"
    assert run_build(site / "content", output).returncode == 0
    html = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert "<strong>本系列活动2026年12月12日（周六）起停办。</strong>活动室改造，本季停办" in html


def test_a_series_stopped_from_a_session_is_not_also_cancelled_whole(editor, browser) -> None:
    """The room closed from 12 December (从这一场起停办, saved). Later a volunteer sets 状态 to
    已取消 as well, with a reason: the form saved it, the check refused the file (整个活动写了
    status: cancelled，又写了从某一场起停办 — 二选一) and the whole site's build stopped. Now the
    form refuses it before saving, in its own labels, and saves what she then chooses."""
    site, url, _ = editor
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_repeat(browser, url) as (page, repeat):
        stop = repeat.locator("fieldset", has_text="从某一场起停办")
        stop.locator("input[name=kepu-repeat-stop]").fill("2026-12-12")
        stop.locator("input[name=kepu-repeat-stop-reason]").fill("活动室改造")
        stop.get_by_role("button", name="从这一场起停办").click()
        _publish(page)
        before = path.read_text("utf-8")
        status = page.get_by_label(re.compile("^状态 "))
        status.select_option(label="已取消")
        page.get_by_label("状态说明").fill("活动室拆除")
        message = _refused(page, "“状态”选了“已取消”，“重复”里又写了 2026年12月12日（周六） 起停办：二选一")
        assert "把“状态”改回“正常举办”" in message and "点“恢复举办”" in message, message
        assert path.read_text("utf-8") == before  # nothing was written
        status.select_option(label="正常举办")
        _retype(page.get_by_label("状态说明"), "")
        _publish(page)
    _passes_check(site, path)


def test_a_stop_taken_back_gives_back_what_it_folded_and_stops_no_move_past_it(editor, browser) -> None:
    """Found by a user audit: 恢复举办 after a stop that had folded in the 9 January cancellation
    published 9 January as held; the form refused a stop from the series' extra session (2/6),
    which the preview lists and the check accepts; a session moved past the stop was accepted,
    and the page then said 起停办 above a session still held after it."""
    site, url, _ = editor
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    before = path.read_bytes()
    with _series_repeat(browser, url) as (_page, repeat):
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2027-01-09")
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("停电")
        repeat.get_by_role("button", name="取消这一场").click()
        stop = repeat.locator("fieldset", has_text="从某一场起停办")
        for day in ("2027-02-06", "2026-12-12"):
            stop.locator("input[name=kepu-repeat-stop]").fill(day)
            stop.locator("input[name=kepu-repeat-stop-reason]").fill("活动室改造")
            stop.get_by_role("button", name="从这一场起停办").click()
            assert "起停办（活动室改造）" in stop.inner_text(), stop.inner_text()
            if day == "2027-02-06":
                assert "2027年2月6日（周六） 已取消（活动室改造）" in repeat.locator(".kepu-preview li").all_inner_texts()
                assert "2027年1月9日（周六） 已取消（停电）" in repeat.locator(".kepu-preview li").all_inner_texts()
                stop.get_by_role("button", name="恢复举办").click()
        move = repeat.locator("fieldset", has_text="改期或换地点")
        move.locator("input[name=kepu-repeat-move]").fill("2026-12-05")
        move.locator("input[name=kepu-repeat-move-day]").fill("2026-12-20")
        move.get_by_role("button", name="改这一场").click()
        assert "停办" in move.get_by_role("alert").inner_text()
        stop.get_by_role("button", name="恢复举办").click()
        dates = repeat.locator(".kepu-preview li").all_inner_texts()
        assert "2027年1月9日（周六） 已取消（停电）" in dates and "2026年12月12日（周六）" in dates, dates
        assert "恢复了停办时一并去掉的 1 场" in stop.get_by_role("status").inner_text()
    assert path.read_bytes() == before  # nothing published


def test_a_volunteer_moves_one_session_to_another_time_and_place(editor, browser, tmp_path: Path) -> None:
    """Guide §七: one Saturday session moved to Sunday morning in another room, without touching
    the file. The form refuses a day that is not a session and a change that changes nothing;
    the page lists the new time and place beside the original date, and subscribers' calendars
    (read by the icalendar library) get that one session moved, the others unchanged."""
    site, url, _ = editor
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_moves(browser, url) as (page, move):
        button = move.get_by_role("button", name="改这一场")
        move.locator("input[name=kepu-repeat-move]").fill("2026-12-17")  # a Thursday: not a session
        move.locator("input[name=kepu-repeat-move-day]").fill("2026-12-20")
        button.click()
        assert "不是这个系列的一场" in move.get_by_role("alert").inner_text()
        move.locator("input[name=kepu-repeat-move]").fill("2026-12-19")
        move.locator("input[name=kepu-repeat-move-day]").fill("")
        button.click()
        assert "没有改什么" in move.get_by_role("alert").inner_text()
        move.locator("input[name=kepu-repeat-move-day]").fill("2026-12-20")
        move.locator("input[name=kepu-repeat-move-start]").fill("09:30")
        move.locator("input[name=kepu-repeat-move-end]").fill("09:00")
        button.click()
        assert "结束时间早于" in move.get_by_role("alert").inner_text()
        move.locator("input[name=kepu-repeat-move-end]").fill("11:30")
        move.locator("input[name=kepu-repeat-move-venue]").fill("新北街道党群服务中心")
        move.locator("input[name=kepu-repeat-move-address]").fill("天津市滨海新区新北街道")
        move.locator("input[name=kepu-repeat-move-note]").fill("改到周日上午")
        button.click()
        expected = "2026年12月19日（周六） 改到 2026年12月20日（周日） 09:30–11:30 · 地点：新北街道党群服务中心 · 改到周日上午"
        assert move.locator("li").all_inner_texts() == [expected + " 恢复原安排"]
        assert expected in page.locator(".kepu-preview li").all_inner_texts()
        _publish(page)
    saved = _front_matter(path)
    assert saved["recurrence"]["sessions"] == [{
        "date": date(2026, 12, 19), "start": "2026-12-20 09:30", "end": "2026-12-20 11:30",
        "venue": {"name": "新北街道党群服务中心", "address": "天津市滨海新区新北街道"}, "note": "改到周日上午"}]
    assert saved["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30"
    output = tmp_path / "output"
    assert run_build(site / "content", output).returncode == 0
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")))
    assert re.search(r"12月20日[^。]{0,30}09:30–11:30 已改期（原定2026年12月19日（周六）14:00）"
                     r" · 地点：新北街道党群服务中心 · 改到周日上午", text), text[:3000]
    calendar = Calendar.from_ical((output / "events" / "zhoumo-tongxuehui.ics").read_bytes())
    events = [e for e in calendar.walk("VEVENT")]
    moved = [e for e in events if e.get("RECURRENCE-ID") is not None]
    shanghai = ZoneInfo("Asia/Shanghai")
    assert [e.decoded("RECURRENCE-ID") for e in moved] == [datetime(2026, 12, 19, 14, 0, tzinfo=shanghai)]
    assert moved[0].decoded("DTSTART") == datetime(2026, 12, 20, 9, 30, tzinfo=shanghai)
    assert moved[0].decoded("DTEND") == datetime(2026, 12, 20, 11, 30, tzinfo=shanghai)
    assert "新北街道党群服务中心" in str(moved[0]["LOCATION"])
    series = [e for e in events if e.get("RRULE") is not None]
    assert len(series) == 1 and "新北街道科普活动室" in str(series[0]["LOCATION"])


def test_the_form_fits_a_phone(editor_with_venues, browser) -> None:
    """At 390 px nothing of the form is off screen: the weekday read-out the guide asks to check,
    the repeat section's checkboxes and the dates preview, and the registered venues a session
    can be moved to (their list ran off the screen, with the box's heading)."""
    _, url, _ = editor_with_venues
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    try:
        page.goto(url)
        page.get_by_role("button", name="登录").click()
        page.goto(f"{url}#/collections/events/entries/xinbei/2026/zhoumo-tongxuehui")
        page.locator(".kepu-preview li").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for item in (page.locator(".kepu-weekday").first, page.get_by_label("周日"),
                     page.locator(".kepu-preview li").last, page.get_by_role("button", name="取消这一场"),
                     page.get_by_label("新地点地址"), page.get_by_role("button", name="改这一场"),
                     page.locator("select[name=kepu-repeat-move-place]"),
                     page.locator(".kepu-repeat legend", has_text="改期或换地点")):
            box = item.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    finally:
        context.close()


REGISTERED_VENUES = """- id: xinbei-kepu-huodongshi
  name: 新北街道科普活动室
  kind: 社区中心
  street: xinbei
  address: 天津市滨海新区新北街道新北路 88 号二楼
  lat: 39.0551
  lon: 117.6832
- id: xinbei-wenhua-zhongxin
  name: 新北街道文化中心
  kind: 社区中心
  street: xinbei
  address: 天津市滨海新区新北街道文化中心三楼
- id: xinbei-dangqun-zhongxin
  name: 新北街道党群服务中心
  former_names: [新北街道社区服务中心]
  kind: 社区中心
  street: xinbei
  address: 天津市滨海新区新北街道新港四号路 20 号
"""


@pytest.fixture
def editor_with_venues(mini_site: Path) -> Iterator[tuple[Path, str, str]]:
    """The web editor on the mini site with three registered venues, one of which an event names
    and one of which was renamed (former_names)."""
    (mini_site / "content" / "data" / "venues.yml").write_text(REGISTERED_VENUES, "utf-8")
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    event.write_text(event.read_text("utf-8").replace("venue:\n  name: 新北街道科普活动室\n",
                                                      "venue: xinbei-kepu-huodongshi\n"), "utf-8")
    with _cms(mini_site) as running:
        yield running


def test_an_event_at_a_registered_venue_is_edited_and_moved_to_another_registered_venue(
        editor_with_venues, browser, tmp_path: Path) -> None:
    """Most events name a venue of venues.yml by its id (``venue: xinbei-kepu-huodongshi``), as the
    registry tells volunteers to. She opens one in the web form: it shows the place's name and
    address (the form showed the id in both 场地名称 and 详细地址, and typing there saved the id as
    the address). She corrects the title and publishes; then moves the event to the other
    registered venue, chosen from the list by its name. The file keeps ids; the page shows the places."""
    site, url, _ = editor_with_venues
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _signed_in(browser, url, BEFORE_SERIES) as page:
        title = _open_event(page, url, "xinbei/2026/zhoumo-tongxuehui")
        card = page.locator(".kepu-venue-card")
        assert card.inner_text().split("\n") == ["新北街道科普活动室", "天津市滨海新区新北街道新北路 88 号二楼"]
        assert page.get_by_label("场地名称").count() == 0  # nothing to type for a registered place
        title.fill("周末科学同学会（更新）")
        _publish(page)
        saved = _front_matter(event)
        assert (saved["title"], saved["venue"]) == ("周末科学同学会（更新）", "xinbei-kepu-huodongshi")
        page.get_by_label(re.compile("^地点")).select_option(label="新北街道文化中心")
        assert "天津市滨海新区新北街道文化中心三楼" in card.inner_text()
        _publish(page)
    assert _front_matter(event)["venue"] == "xinbei-wenhua-zhongxin"
    output = tmp_path / "output"
    build = run_build(site / "content", output)
    assert build.returncode == 0, build.stderr
    page_html = (output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8")
    assert "周末科学同学会（更新）" in page_html and "天津市滨海新区新北街道文化中心三楼" in page_html


def test_a_renamed_venue_is_found_in_the_list_by_its_former_name(editor_with_venues, browser) -> None:
    """新北街道党群服务中心 was 新北街道社区服务中心 (venues.yml former_names), the name the volunteer
    knows. The 地点 list named it only as it is now: she found nothing under the old name, chose
    其他地点 and typed the old name, which the form saved as a place of its own that the venue's
    page never lists (the check then says it was the venue's former name). Now the list shows the
    old name beside the new one, and the old name typed under 其他地点 is refused with the new name."""
    site, url, _ = editor_with_venues
    folder = site / "content" / "events" / "xinbei" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _new_lecture(page, url, "社区科普讲座", "2026-12-19", "09:00", "11:00", place=False)
        _other_place(page)
        page.get_by_label("场地名称").fill("新北街道社区服务中心")
        message = _message_box(page)
        assert "“新北街道社区服务中心”是登记过的场地“新北街道党群服务中心”以前的名称：请在上面的列表里选它" in message, message
        places = page.get_by_label(re.compile("^地点"))
        found = places.locator("option", has_text="新北街道社区服务中心")  # looked for by the name she knows
        assert found.all_inner_texts() == ["新北街道党群服务中心（原名新北街道社区服务中心）"]
        places.select_option(found.get_attribute("value"))
        assert page.locator(".kepu-venue-card").inner_text().split("\n") == [
            "新北街道党群服务中心", "天津市滨海新区新北街道新港四号路 20 号"]
        _publish(page)
    [added] = _events_in(folder) - listed
    assert _front_matter(folder / added)["venue"] == "xinbei-dangqun-zhongxin"
    _passes_check(site, folder / added)


def test_a_session_is_moved_to_a_registered_venue_chosen_from_the_list(
        editor_with_venues, browser, tmp_path: Path) -> None:
    """One Saturday of the series moves to the street's culture centre, a venue of venues.yml.
    The move form offered only a name and an address to type (the registry's own wording, not its
    id, and no coordinates); it lists the registered venues, and the file names the one chosen
    by its id, as venues.yml asks. The page and the calendar give its registered address."""
    site, url, _ = editor_with_venues
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_moves(browser, url) as (page, move):
        move.locator("input[name=kepu-repeat-move]").fill("2026-12-12")
        move.locator("select[name=kepu-repeat-move-place]").select_option(label="新北街道文化中心")
        move.locator("input[name=kepu-repeat-move-venue]").fill("文化中心")
        button = move.get_by_role("button", name="改这一场")
        button.click()
        assert "不用再写新地点的名称" in move.get_by_role("alert").inner_text()
        move.locator("input[name=kepu-repeat-move-venue]").fill("")
        button.click()
        assert move.locator("li").all_inner_texts() == ["2026年12月12日（周六） 地点：新北街道文化中心 恢复原安排"]
        _publish(page)
    assert _front_matter(path)["recurrence"]["sessions"] == [{"date": date(2026, 12, 12), "venue": "xinbei-wenhua-zhongxin"}]
    output = tmp_path / "output"
    build = run_build(site / "content", output)
    assert build.returncode == 0, build.stderr
    calendar = Calendar.from_ical((output / "events" / "zhoumo-tongxuehui.ics").read_bytes())
    moved = next(e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e)
    assert str(moved["LOCATION"]) == "新北街道文化中心（天津市滨海新区新北街道文化中心三楼）"


def test_the_form_refuses_to_rewrite_a_held_session_or_send_one_into_the_past(editor, browser) -> None:
    """Found by trying the form on 4 December: 21 November, already held, cancelled (the page then
    counted one session fewer); 5 December moved to 2025 by a year typed wrong (listed as held,
    that week's notice empty); the series' own room chosen as the new place (已换地点 where nothing
    changed); a 240-character reason saved, which the check then refused. Each is refused in the
    form, in words that say what to do, and nothing is written."""
    site, url, _ = editor
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    before = path.read_bytes()
    with _series_moves(browser, url) as (page, move):
        repeat = page.locator(".kepu-repeat")
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2026-11-21")
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("场地检修")
        repeat.get_by_role("button", name="取消这一场").click()
        cancel_box = repeat.locator("fieldset", has_text="取消其中一场")
        assert "2026年11月21日（周六）这一场已经过去了" in cancel_box.get_by_role("alert").inner_text()
        reason = repeat.locator("input[name=kepu-repeat-cancel-reason]")
        assert reason.get_attribute("maxlength") == "200"
        for name, limit in (("note", 200), ("venue", TEXT_LIMITS["venue.name"]), ("address", TEXT_LIMITS["venue.address"])):
            assert move.locator(f"input[name=kepu-repeat-move-{name}]").get_attribute("maxlength") == str(limit)
        button = move.get_by_role("button", name="改这一场")
        refusals = []
        for original, day, place in (("2026-11-28", "2026-12-13", ""), ("2026-12-05", "2025-12-06", ""),
                                     ("2026-12-05", "2027-07-10", ""), ("2026-12-12", "", "新北街道科普活动室")):
            move.locator("input[name=kepu-repeat-move]").fill(original)
            move.locator("input[name=kepu-repeat-move-day]").fill(day)
            move.locator("input[name=kepu-repeat-move-venue]").fill(place)
            button.click()
            refusals.append(move.get_by_role("alert").inner_text())
        assert refusals[0].startswith("2026年11月28日（周六）这一场已经过去了"), refusals
        assert refusals[1] == "新的日期 2025年12月6日（周六） 已经过去了：检查年份和月份", refusals
        assert refusals[2].startswith("新的日期和原定日期相差 217 天：检查年份和月份"), refusals
        assert refusals[3].startswith("这就是活动本来的地点"), refusals
        assert move.locator("li").count() == 0 and "已取消" not in repeat.locator(".kepu-preview").inner_text()
    assert path.read_bytes() == before


def test_the_session_boxes_say_what_to_do_instead(editor_with_venues, browser) -> None:
    """The session boxes' refusals, as a volunteer found them: a day off (不开展) was "not a session
    of the series" though the preview lists it; a session already changed was "written already",
    with no word of the button that undoes it; an end alone before the series' start was "earlier
    than the start" the volunteer never typed; a registered venue's name typed (not chosen) was
    saved as a place the venue's page never lists; the series' own venue chosen said 已换地点."""
    site, url, _ = editor_with_venues
    path = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_moves(browser, url) as (page, move):
        repeat = page.locator(".kepu-repeat")
        cancel_box = repeat.locator("fieldset", has_text="取消其中一场")
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2026-12-26")  # in exdates
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("场地检修")
        repeat.get_by_role("button", name="取消这一场").click()
        assert cancel_box.get_by_role("alert").inner_text().startswith("这一天已经是不开展的日子"), cancel_box.inner_text()
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2026-12-12")
        repeat.get_by_role("button", name="取消这一场").click()
        button = move.get_by_role("button", name="改这一场")
        said = []
        for original, end, name, place in (("2026-12-12", "", "", "新北街道文化中心"),  # cancelled just now
                                           ("2026-12-19", "13:00", "", ""),
                                           ("2026-12-19", "", "新北街道文化中心", ""),
                                           ("2026-12-19", "", "", "新北街道科普活动室")):
            move.locator("input[name=kepu-repeat-move]").fill(original)
            move.locator("input[name=kepu-repeat-move-end]").fill(end)
            move.locator("input[name=kepu-repeat-move-venue]").fill(name)
            move.locator("select[name=kepu-repeat-move-place]").select_option(**({"label": place} if place else {"value": ""}))
            button.click()
            said.append(move.get_by_role("alert").inner_text())
        assert said[0] == "这一场已经改过了：要重新改，先点它旁边的“恢复这一场”或“恢复原安排”", said
        assert said[1] == "结束时间早于（或等于）开始时间 14:00（没有选新的开始时间，按原来的开始时间算）", said
        assert said[2].startswith("“新北街道文化中心”是登记过的场地：请在“换到登记的场地”里选它"), said
        assert said[3].startswith("这就是活动本来的地点"), said
        move.locator("input[name=kepu-repeat-move]").fill("2026-12-05")  # an earlier session, moved as it should be
        move.locator("select[name=kepu-repeat-move-place]").select_option(label="新北街道文化中心")
        button.click()
        _publish(page)
    # Only what was accepted, in date order (not in the order added), as a reader of the file looks for it.
    assert _front_matter(path)["recurrence"]["sessions"] == [
        {"date": date(2026, 12, 5), "venue": "xinbei-wenhua-zhongxin"},
        {"date": date(2026, 12, 12), "status": "cancelled", "note": "场地检修"}]


def test_an_event_moved_to_another_day_keeps_its_length_and_its_tags_are_split(editor, browser) -> None:
    """A volunteer moves a one-day event a day earlier: its end, saved with its day by an earlier
    save, stayed on the old day, and the event was published as lasting two days. Tags typed with
    Chinese commas (the hint says 用逗号分开) were saved as one tag."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    with _signed_in(browser, url) as page:
        title = _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        title.fill("流动科技馆进社区（新北）")
        _publish(page)
        assert _front_matter(event)["end"] == "2026-12-05 16:00"  # the end's day is written out
        assert page.get_by_label("开始日期", exact=True).count() == 1  # each date box says whose it is
        _when(page.locator(".kepu-when").nth(0), "2026-12-04")
        assert page.locator(".kepu-when").nth(1).locator("output").inner_text() == "2026年12月4日（周五） 16:00"
        page.get_by_label("标签").fill("静电，科学实验、亲子")
        # Decap's own words in Chinese too: the 报名 box's toggle said "Collapse".
        english = page.locator("[aria-label='Collapse'], [aria-label='Expand'], [title='Collapse'], [title='Expand']")
        assert english.count() == 0 and page.get_by_text(re.compile("^(Collapse|Expand)$")).count() == 0
        # And what a screen reader says of every control: no English word in any label or title.
        spoken = page.evaluate("""() => [...document.querySelectorAll('[aria-label], [title]')]
            .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title')]).filter(Boolean)""")
        english = sorted({words for words in spoken if re.search(r"[A-Za-z]{3,}", words)})
        assert english == [], "; ".join(english)
        _publish(page)
    saved = _front_matter(event)
    assert (saved["start"], saved["end"]) == ("2026-12-04 09:00", "2026-12-04 16:00")
    assert saved["tags"] == ["静电", "科学实验", "亲子"]


def test_the_form_refuses_what_saving_would_drop_or_list_under_no_venue(editor_with_venues, browser) -> None:
    """A day off picked but its 添加这一天 not pressed was dropped at saving, and the session was
    published as held; a registered venue's name typed as 其他地点 made a place of its own that the
    venue's page never listed. Both are said before saving, in lower case as typed (Decap wrote a
    field's problems in capitals: HTTPS://EXAMPLE.CN)."""
    site, url, _ = editor_with_venues
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    before = event.read_text("utf-8")
    with _series_moves(browser, url, BEFORE_SERIES) as (page, _):
        page.get_by_label("活动名称").fill("周末科学同学会（寒假照常）")
        page.locator("input[name=kepu-repeat-except]").fill("2027-01-09")
        _press_publish(page)
        page.get_by_text("不开展的日期选了 2027-01-09，还没有点“添加这一天”").wait_for()
        errors = page.locator("[class*='ControlErrorsList']").first
        assert errors.evaluate("e => getComputedStyle(e).textTransform") == "none"
        page.get_by_role("button", name="添加这一天").click()
        _other_place(page)
        page.get_by_label("场地名称").fill("新北街道文化中心")
        _press_publish(page)
        page.get_by_text("“新北街道文化中心”是登记过的场地：请在上面的列表里选它").wait_for()
        assert event.read_text("utf-8") == before  # nothing was written
        page.get_by_label(re.compile("^地点")).select_option(label="新北街道文化中心")
        _publish(page)
    saved = _front_matter(event)
    assert saved["venue"] == "xinbei-wenhua-zhongxin" and "2027-01-09" in map(str, saved["recurrence"]["exdates"])


def test_a_volunteer_records_how_many_came(editor, browser) -> None:
    """After an event the check asks for 参加人数 (the year's figures count it) or a report, and the
    form had no such field: she had to leave the web editor to write it."""
    site, url, _ = editor
    event = site / "content" / "events" / "taida" / "2026" / "kexue-huiketing-xianshang.md"
    assert "attendance" not in _front_matter(event)
    with _signed_in(browser, url) as page:
        _open_event(page, url, "taida/2026/kexue-huiketing-xianshang")
        page.get_by_label("参加人数（活动结束后填）").fill("320")
        _publish(page)
    assert _front_matter(event)["attendance"] == 320
    assert run_check(event, content=site / "content", cwd=site).returncode == 0


def _refused(page, words: str) -> str:
    """发布 pressed: the form says why it did not save, in a message box that stays until she
    presses OK (Decap's own notice goes after eight seconds) and in Decap's notice, and takes her to
    the field to mend."""
    message = _message_box(page)
    page.get_by_text(re.compile("没有保存：.*" + re.escape(words))).first.wait_for()
    assert words in message, message
    # Each reason's field is marked, and she is taken to the first (in a long form, on a phone).
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    return message


def _message_box(page) -> str:
    """发布 pressed and the save refused: the form's own message box (it stays until she presses 确定),
    accepted; its text. A refusal by one field's own check comes without Decap's notice."""
    page.once("dialog", lambda box: box.accept())  # as the box opens: the click waits for it
    with page.expect_event("dialog") as opened:
        _press_publish(page)
    box = opened.value
    assert box.type == "alert" and box.message.startswith("没有保存，请先改好："), box.message
    return box.message


def _in_view(page, element) -> bool:
    """Whether ``element`` is on the screen, top to bottom."""
    box = element.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def _retype(field, text: str) -> None:
    """What she wrote replaced as she does it (Ctrl+A, then typing): Decap's text boxes put the
    cursor back where it was when the form redraws, so a programmatic fill may land after the old text."""
    field.click()
    field.press("Control+a")
    field.press("Backspace")
    field.press_sequentially(text)


def _passes_check(site: Path, path: Path) -> None:
    """The oracle for a saved file: the check itself passes it, as CI's --strict does."""
    result = run_check(path, content=site / "content", cwd=site, strict=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _copy(page) -> None:
    """The open published event copied (已发布 ▸ 复制): a new entry with its values, once the editor
    has finished making it. A day chosen at once was sometimes lost: the copy's values arrived after
    it and put the old day back (a person does not choose a day within milliseconds of 复制)."""
    day = page.locator(".kepu-when").nth(0).locator("input[type=date]")
    original = day.input_value()
    page.get_by_role("button", name="已发布").click()
    page.locator("[role=menuitem]:visible", has_text=re.compile("^复制$")).click()
    page.wait_for_function("location.hash.includes('/new')")
    _title_loaded(page)
    page.wait_for_function("([box, value]) => box.value === value", arg=[day.element_handle(), original])
    page.wait_for_load_state("networkidle")


def _saved_series(site: Path, event: Path, rule: str, without: str) -> None:
    """The series saved with ``rule`` and no ``without`` list, and the check passes it."""
    saved = _front_matter(event)["recurrence"]
    assert saved["rrule"] == rule and without not in saved, saved
    _passes_check(site, event)


def _events_in(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*.md")}


def test_attendance_is_taken_the_evening_the_event_ended(editor, browser) -> None:
    """The 流动科技馆 day (5 December, 09:00–16:00) is over; the volunteer types 参加人数 that
    evening, as its label says (活动结束后填). The form and the check knew only the day: both said
    活动还没有结束 until the next morning. Now the form takes the number once the session's end has
    passed on her clock (refusing it still at 15:00), and the check, at the same moment, passes it."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    before = event.read_text("utf-8")
    afternoon = datetime(2026, 12, 5, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with _signed_in(browser, url, clock=afternoon) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        page.get_by_label("参加人数（活动结束后填）").fill("120")
        _refused(page, "活动还没有结束，“参加人数”要在活动办完以后填")
    assert event.read_text("utf-8") == before
    with _signed_in(browser, url, clock=afternoon + timedelta(hours=1, minutes=5)) as page:  # 16:05: it ended
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        page.get_by_label("参加人数（活动结束后填）").fill("120")
        _publish(page)
    assert _front_matter(event)["attendance"] == 120
    evening = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(site / "content"),
                              "--strict", "--at", "2026-12-05 16:05", str(event)], cwd=site, env=plugin_env(),
                             capture_output=True, text=True, timeout=120)
    assert evening.returncode == 0 and "还没有结束" not in evening.stdout, evening.stdout


def test_the_form_says_before_saving_what_the_check_refuses_across_fields(editor, browser) -> None:
    """A place or an online link; a postponed event's two times; 参加人数 before the event is over;
    需要报名 with no way to sign up; a 状态说明 no page shows. Each field was accepted on its own
    and the check refused the saved file, which stopped the whole site's publishing until someone
    mended it. Now the form refuses to save, says why in its own words, and writes nothing; what it
    finally saves passes the check."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    before = event.read_text("utf-8")
    previous = "原定开始时间（改期时填）"
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        page.get_by_label(re.compile("^状态 ")).select_option(label="改期或延期")  # (not 状态说明)
        _refused(page, "状态选了“改期或延期”：如果新时间已定")
        page.get_by_label(previous + "日期").fill("2026-12-05")
        page.get_by_label(previous + "时间").fill("09:00")
        _refused(page, "“原定开始时间”和“开始”相同")
        _when(page.locator(".kepu-when").nth(0), "2026-12-12")  # the new day (the end follows)
        page.get_by_label("参加人数（活动结束后填）").fill("50")
        _refused(page, "活动还没有结束，“参加人数”要在活动办完以后填")
        assert event.read_text("utf-8") == before  # nothing was written
        page.get_by_label("参加人数（活动结束后填）").fill("")
        _publish(page)
    moved = _front_matter(event)
    assert (moved["status"], moved["previous_start"], moved["start"], moved["end"]) == (
        "postponed", "2026-12-05 09:00", "2026-12-12 09:00", "2026-12-12 16:00")
    assert moved.get("attendance") in (None, "")  # cleared (Decap keeps the empty field)

    folder = site / "content" / "events" / "xinbei" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _new_lecture(page, url, "居家安全线上课", "2026-12-19", "19:00", "20:00", place=False)
        _refused(page, "还没有填地点")
        page.get_by_label("线上链接").fill("https://live.example.cn/anquan")
        page.get_by_label("需要报名").click()
        page.get_by_label("状态说明").fill("请提前十分钟进入直播间")
        _refused(page, "打开了“需要报名”，却没有写怎么报名")
        assert page.get_by_label("报名链接").evaluate("box => box === document.activeElement")  # not 收起
        page.get_by_text(re.compile("状态是“正常举办”时“状态说明”不会显示")).first.wait_for()  # both said at once
        assert _events_in(folder) == listed
        page.get_by_label("报名链接").fill("https://bm.example.cn/anquan")
        _retype(page.get_by_label("状态说明"), "")
        _publish(page)
    [added] = _events_in(folder) - listed
    saved = _front_matter(folder / added)
    assert saved["online"] == "https://live.example.cn/anquan" and saved["registration"]["required"] is True
    # The oracle: the check itself passes both saved files, as CI's --strict does.
    for path in (event, folder / added):
        _passes_check(site, path)


def test_the_form_refuses_a_volunteers_slips_that_the_check_refuses(editor, browser) -> None:
    """A volunteer's session against invoke check --strict found more that the form saved and the
    check refused, each stopping the site's publishing: a start with a time and no end, or an end
    with a date and no time; 不填 chosen after a place was typed (saved as an empty place); 12-6 as
    适合年龄; a longitude missing its first digit; a new event already over with no 参加人数; a
    street changed on a saved event (its file stays in the old street's folder). And one the form
    refused that the check takes: a sign-up deadline on the second day of a two-day event."""
    site, url, _ = editor
    folder = site / "content" / "events" / "xinbei" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _new_lecture(page, url, "冬季用电安全讲座", "2026-12-19", "02:30", "", place=False)  # 14:30 meant
        start, end = page.locator(".kepu-when").nth(0), page.locator(".kepu-when").nth(1)
        _refused(page, "“开始”是凌晨 02:30？下午的活动请用 24 小时制")  # not a night event
        assert start.locator("input[type=time]").evaluate("box => box === document.activeElement")  # the time to mend
        _when(start, "", "19:00")
        _refused(page, "“开始”选了时间，还要选“结束”的时间")
        assert end.locator("input[type=time]").evaluate("box => box === document.activeElement")
        _when(end, "2026-12-19")
        _refused(page, "“开始”选了时间，“结束”也要选时间")
        _when(end, "", "20:30")
        page.get_by_label("适合年龄").fill("12-6")
        _other_place(page)
        page.get_by_label("场地名称").fill("新北街道社区活动室")
        page.get_by_label(re.compile("^地点")).select_option(label="不填（纯线上活动）")  # it is online after all
        page.get_by_label("线上链接").fill("https://live.example.cn/yongdian")
        _refused(page, "“适合年龄”前面的数字比后面的大")
        _retype(page.get_by_label("适合年龄"), "6-12")
        _publish(page)
        [online] = _events_in(folder) - listed
        _new_lecture(page, url, "秋季湿地观鸟", "2026-11-20", "09:00", "11:00")  # recorded afterwards
        _refused(page, "这是新加的活动，日期（2026-11-20）已经过去了")
        page.get_by_label("参加人数（活动结束后填）").fill("35")
        _publish(page)
        [past] = _events_in(folder) - listed - {online}
        # A winter camp every day to the 25th, its end set to the last day as the hint for a
        # several-day event says: published as five sessions of five days each.
        _new_lecture(page, url, "寒假科学营", "2026-12-21", "09:00", "")
        _when(end, "2026-12-25", "16:00")
        repeat = page.locator(".kepu-repeat")
        repeat.locator("select[name=kepu-repeat-kind]").select_option(label="每天")
        repeat.locator("input[name=kepu-repeat-until]").fill("2026-12-25")
        _refused(page, "每天重复的活动，“结束”写第一天活动结束的时间")
        _when(end, "2026-12-21", "16:00")
        _publish(page)
        [camp] = _events_in(folder) - listed - {online, past}
        page.goto("about:blank")  # (the title box of the entry before would pass for this one's)
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        _pick(page, "街镇", "泰达")
        _refused(page, "“街镇”改了，活动文件却还在原来街镇（xinbei）的文件夹里")
        _pick(page, "街镇", "新北")
        _when(page.locator(".kepu-when").nth(1), "2026-12-06", "16:00")  # two days now
        page.get_by_label("报名截止日期", exact=True).fill("2026-12-06")
        _refused(page, "填了“报名截止日期”，却没有打开“需要报名”")
        page.get_by_label("需要报名").click()
        page.get_by_label("报名电话").fill("022-2560 0000")
        _retype(page.get_by_label("经度（可不填）"), "17.6470")  # the first digit missed
        _press_publish(page)
        page.get_by_text("坐标不在中国境内").first.wait_for()
        _retype(page.get_by_label("经度（可不填）"), "117.6470")
        _publish(page)
        # An end chosen for an event whose file gives its length (duration: 90分钟, written by hand):
        # the check takes one or the other, and the form has no 时长 to clear.
        page.goto("about:blank")
        _open_event(page, url, "taida/2026/kexue-huiketing-xianshang")
        _when(page.locator(".kepu-when").nth(1), "", "21:00")
        _publish(page)
    lengthy = site / "content" / "events" / "taida" / "2026" / "kexue-huiketing-xianshang.md"
    assert _front_matter(lengthy)["end"] == "2026-11-20 21:00" and "duration" not in _front_matter(lengthy)
    _passes_check(site, lengthy)
    saved = {name: _front_matter(folder / name) for name in (online, past, camp, "liudong-kejiguan.md")}
    assert saved[camp]["end"] == "2026-12-21 16:00"
    assert "venue" not in saved[online] and saved[online]["end"] == "2026-12-19 20:30" and saved[online]["age"] == "6-12"
    assert saved[past]["attendance"] == 35
    moved = saved["liudong-kejiguan.md"]
    assert (moved["street"], moved["end"], str(moved["registration"]["deadline"])) == ("xinbei", "2026-12-06 16:00",
                                                                                      "2026-12-06")
    for name in saved:
        _passes_check(site, folder / name)


def _description(page, text: str) -> None:
    """活动介绍 written as Markdown (its switch beside 富文本), as a volunteer pastes a text prepared elsewhere."""
    body = page.locator("[class*='ControlContainer']", has=page.locator("label[for^='body-field-']")).last
    body.get_by_role("switch").click()
    _retype(body.get_by_role("textbox"), text)


def test_a_link_in_the_description_that_names_another_site_is_refused_before_saving(editor, browser) -> None:
    """活动介绍 with a link whose words are a web address on another site (the words www.gov.cn, the
    link a questionnaire on www.wjx.cn): the form saved it, then the check refused the file and the
    whole site's build stopped. Now the form refuses it before saving, by the check's rule and in
    its words: fed the check's own cases (test_validation.LINK_CASES), it refuses the same links."""
    site, url, _ = editor
    cases = [*LINK_CASES, ("[www.gov.cn](https://www.wjx.cn/vm/baoming.aspx)", True)]
    folder = site / "content" / "events" / "xinbei" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _new_lecture(page, url, "科普讲座：防范网络诈骗", "2026-12-19", "09:00", "11:00")
        _description(page, "\n\n".join(f"报名请看 {written} 。" for written, _ in cases))
        message = _refused(page, "活动介绍里的链接，文字写的是 www.gov.cn，点开却是另一个网站 www.wjx.cn")
        assert "链接文字写成它真正打开的网址，或者写成说明文字" in message, message
        opened = [re.search(r'\]\(https://([^/]+)|href="https://([^/"]+)', written) for written, refused in cases if refused]
        assert re.findall(r"点开却是另一个网站 ([^：\s]+)", message) == [host[1] or host[2] for host in opened], message
        assert _events_in(folder) == listed  # nothing was written
        _description(page, "报名请看[问卷星的报名页](https://www.wjx.cn/vm/baoming.aspx)。")
        _publish(page)
    [added] = _events_in(folder) - listed
    _passes_check(site, folder / added)


def test_a_series_days_off_are_checked_against_its_rule_as_it_is_now(editor_with_venues, browser) -> None:
    """A Friday added as a day off of a Saturday series was taken without a word; 到哪天为止 brought
    forward left a day off after it; a sign-up deadline after the series' last day passed: each
    saved, each refused by the check (the site's publishing stopped)."""
    site, url, _ = editor_with_venues
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    before = event.read_text("utf-8")
    with _series_moves(browser, url) as (page, _):
        repeat = page.locator(".kepu-repeat")
        repeat.locator("input[name=kepu-repeat-except]").fill("2026-12-25")  # a Friday
        repeat.get_by_role("button", name="添加这一天").click()
        repeat.get_by_text("这一天不是这个系列的一场").wait_for()
        repeat.locator("input[name=kepu-repeat-except]").fill("")
        repeat.locator("input[name=kepu-repeat-until]").fill("2026-12-19")  # the term ends earlier
        _by_label_for(page, "报名截止日期").fill("2027-01-09")
        _refused(page, "“不开展的日期”里的 2026年12月26日（周六） 不是这个活动的日期")
        page.get_by_text("报名截止日期晚于最后一次活动").first.wait_for()
        assert event.read_text("utf-8") == before
        repeat.get_by_role("button", name="删去 2026-12-26").click()
        _by_label_for(page, "报名截止日期").fill("2026-12-12")
        page.get_by_label("需要报名").click()  # (a deadline asks for sign-up)
        page.get_by_label("报名电话").fill("022-2560 0000")
        page.once("dialog", lambda box: box.accept())  # its extra session in February is still held
        _publish(page)
    _saved_series(site, event, "FREQ=WEEKLY;BYDAY=SA;UNTIL=2026-12-19", without="exdates")


def test_a_status_written_in_chinese_is_shown_and_checked_in_the_form(editor, browser) -> None:
    """front-matter.md lets a file say ``status: 延期`` (or 已取消, 改期, 已满…). The form showed
    such a status as an empty 状态, so she could not see the event was postponed, and took it for
    正常举办; clearing its 状态说明 then saved a file the check refuses (延期活动需要写原定时间),
    which stopped the site's publishing. A status the form does not offer is refused by name."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace(
        "featured: true\n", "featured: true\nstatus: 延期\nstatus_note: 场馆检修，新时间另行通知\n"), "utf-8")
    assert run_check(event, content=site / "content", cwd=site).returncode == 0  # a file the check takes
    before = event.read_text("utf-8")
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        status = page.get_by_label(re.compile("^状态 "))
        assert status.locator("option:checked").inner_text() == "改期或延期"
        _retype(page.get_by_label("状态说明"), "")
        _refused(page, "状态选了“改期或延期”：如果新时间已定")
        assert event.read_text("utf-8") == before  # nothing was written
        # The field to mend is marked (as a screen reader says it too) and she is taken to it.
        assert status.get_attribute("aria-invalid") == "true"
        assert status.evaluate("element => element === document.activeElement")
        assert page.locator("[aria-invalid=true]").count() == 1
        page.get_by_label("状态说明").fill("场馆检修，改到下周")
        status.focus()  # mended elsewhere: the mark stays until the next 发布 says what is left
        _publish(page)
        assert page.locator("[aria-invalid=true]").count() == 0
    _passes_check(site, event)
    assert _front_matter(event)["status"] in ("延期", "postponed")

    event.write_text(before.replace("status: 延期", "status: 暂停"), "utf-8")  # a slip the check refuses
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        status = page.get_by_label(re.compile("^状态 "))
        assert "暂停" in status.locator("option:checked").inner_text()  # shown as written, not as 正常举办
        _retype(page.get_by_label("一句话简介"), "二十件互动展品来到家门口，场馆检修后再来。")
        _refused(page, "“状态”里的“暂停”不是可选的一项")
        status.select_option(label="改期或延期")
        _publish(page)
    _passes_check(site, event)
    assert _front_matter(event)["status"] == "postponed"



def test_a_series_extra_session_is_shown_and_kept_once_when_the_term_is_extended(editor, browser) -> None:
    """The weekly series has one extra session after its last Saturday (rdates: 2027-02-06 14:00).
    The form did not show it; and 到哪天为止 moved past it saved a file the check refuses (the extra
    day had become one of the rule's own: some calendars list it twice), which stopped the site's
    publishing. Now the dates listed include it, and once the rule holds that day it is kept once."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_moves(browser, url) as (page, _):
        repeat = page.locator(".kepu-repeat")
        repeat.locator("li", has_text="2027年2月6日（周六）").get_by_text("加开一场").wait_for()
        repeat.locator("input[name=kepu-repeat-until]").fill("2027-02-27")  # the term is extended
        repeat.locator("li", has_text="2027年2月20日（周六）").wait_for()
        assert repeat.locator("li", has_text="2027年2月6日（周六）").count() == 1
        _publish(page)
    _saved_series(site, event, "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-02-27", without="rdates")


def test_a_volunteer_publishes_a_night_event_from_the_form(editor, browser) -> None:
    """Watching a meteor shower starts at 02:00. The form rightly asks about a start before 06:00
    (mostly 14:30 written as 02:30), but its only way out was to ask the site's administrator to
    add night: true to the file: a night event could not be published from the form at all."""
    site, url, _ = editor
    folder = site / "content" / "events" / "xinbei" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _new_lecture(page, url, "双子座流星雨观测夜", "2026-12-14", "02:00", "04:00")
        _refused(page, "确实在凌晨开始的活动，打开“凌晨开始”")
        assert _events_in(folder) == listed
        page.get_by_label("凌晨开始").click()
        _publish(page)
    [added] = _events_in(folder) - listed
    saved = _front_matter(folder / added)
    assert (saved["start"], saved["night"]) == ("2026-12-14 02:00", True)
    _passes_check(site, folder / added)
    # A file may say 是 (or yes) as the check reads it; the form took only true and asked again.
    event = folder / added
    event.write_text(event.read_text("utf-8").replace("night: true", "night: 是"), "utf-8")
    _passes_check(site, event)
    with _signed_in(browser, url) as page:
        _open_event(page, url, f"xinbei/2026/{event.stem}")
        _retype(page.get_by_label("一句话简介"), "带上望远镜和保暖衣物。")
        _publish(page)
    _passes_check(site, event)


def test_a_copied_event_gets_its_own_date_and_leaves_the_old_outcome(editor, browser) -> None:
    """复制 (or 发布，然后复制内容) is how the form makes a touring event's next stop. The copy was
    saved with the old date if she forgot to change it (two events with the same name, start and
    street: the check refuses them, and the site's publishing stopped), and with the old event's
    outcome: its 名额已满, the note, the date it was updated. invoke new-event --from leaves those
    out (kepu.editor.copyevent.DROPPED); the form now does the same, or asks."""
    site, url, _ = editor
    folder = site / "content" / "events" / "xinbei" / "2026"
    event = folder / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace(
        "featured: true\n", "featured: true\nstatus: full\nstatus_note: 名额已满，欢迎下次再来\nupdated: 2026-12-01\n"), "utf-8")
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        _copy(page)
        said = _refused(page, "与刚才打开的“流动科技馆进社区”（2026-12-05 09:00）是同一个活动")
        assert said.count("是同一个活动") == 1, said
        _when(page.locator(".kepu-when").nth(0), "2026-12-19")  # the next stop, often under a new name
        _retype(page.get_by_label("活动名称"), "流动科技馆进社区（第二站）")
        _refused(page, "原活动的“状态”（名额已满）、“状态说明”（名额已满，欢迎下次再来）也复制过来了")
        assert page.locator("[aria-invalid=true]").count() == 2  # both fields marked
        page.get_by_label(re.compile("^状态 ")).select_option(label="正常举办")
        _retype(page.get_by_label("状态说明"), "")
        _publish(page)
    [copy] = _events_in(folder) - listed
    saved = _front_matter(folder / copy)
    assert saved["start"] == "2026-12-19 09:00" and saved["end"] == "2026-12-19 16:00", saved
    assert saved["title"] == "流动科技馆进社区（第二站）"
    assert "updated" not in saved and saved.get("status") in (None, "", "scheduled"), saved
    assert _front_matter(event)["status"] == "full"  # the old event is as it was
    _passes_check(site, folder / copy)
    _passes_check(site, event)


def test_a_start_day_chosen_again_keeps_its_time(editor, browser) -> None:
    """Moving an event by clearing its date first (the date box's clear button, or Backspace) and
    choosing the new day lost the time: the time box emptied with the date, and unless she noticed,
    the event became an all-day one (and was refused beside its end's time)."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        day = page.locator(".kepu-when").nth(0).locator("input[type=date]")
        day.fill("")
        day.fill("2026-12-12")
        assert page.locator(".kepu-when").nth(0).locator("input[type=time]").input_value() == "09:00"
        _publish(page)
    assert (_front_matter(event)["start"], _front_matter(event)["end"]) == ("2026-12-12 09:00", "2026-12-12 16:00")


def test_a_session_cancelled_in_chinese_is_shown_cancelled(editor, browser) -> None:
    """A file may cancel one session with ``status: 取消`` (the check reads 取消, 已取消, canceled).
    The form listed that session as held, “改期或换地点”, among the changed times."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    event.write_text(event.read_text("utf-8").replace(
        "  rdates:", "  sessions:\n    - date: 2026-12-12\n      status: 取消\n      note: 活动室维修\n  rdates:"), "utf-8")
    _passes_check(site, event)
    with _series_moves(browser, url) as (page, move):
        repeat = page.locator(".kepu-repeat")
        day = repeat.locator(".kepu-preview li", has_text="2026年12月12日（周六）")
        assert day.inner_text().endswith("已取消（活动室维修）")
        assert day.get_attribute("class") == "kepu-skipped"
        assert "2026-12-12" not in move.inner_text()  # not among the moved sessions


def test_a_copied_series_is_a_new_series(editor, browser) -> None:
    """A copy of the weekly series for next term kept the old series' extra session (rdates
    2027-02-06, which the form cannot show or remove): the new series published that Saturday again,
    a second time on the site. new-event --from writes a new recurrence; the form now leaves the
    old extra sessions out of a copy."""
    site, url, _ = editor
    folder = site / "content" / "events" / "xinbei" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/zhoumo-tongxuehui")
        _copy(page)
        _when(page.locator(".kepu-when").nth(0), "2027-03-06")  # next term's first Saturday
        repeat = page.locator(".kepu-repeat")
        repeat.locator("input[name=kepu-repeat-until]").fill("2027-05-29")
        _refused(page, "“不开展的日期”里的 2026年12月26日（周六） 不是这个活动的日期")
        repeat.get_by_role("button", name="删去 2026-12-26").click()
        _publish(page)
    [copy] = _events_in(folder) - listed
    assert _front_matter(folder / copy)["recurrence"] == {"rrule": "FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-05-29"}
    _passes_check(site, folder / copy)


def test_a_series_that_opens_on_another_day_can_be_edited(editor, browser) -> None:
    """front-matter.md: a course that opens on a Friday and then meets on Saturdays starts on an
    extra session (start and rdates the same). The check takes it; the form said the start was not
    on the rule and would not save it, so the course could not be edited in the form at all."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    event.write_text(event.read_text("utf-8").replace("start: 2026-11-07 14:00", "start: 2026-11-06 14:00").replace(
        "rdates: [2027-02-06 14:00]", "rdates: [2026-11-06 14:00, 2027-02-06 14:00]"), "utf-8")
    _passes_check(site, event)
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/zhoumo-tongxuehui")
        page.locator(".kepu-preview li", has_text="2026年11月6日（周五）").get_by_text("加开一场").wait_for()
        assert page.get_by_text("不符合这个规律").count() == 0
        _retype(page.get_by_label("一句话简介"), "周五开班，以后每周六下午动手做实验。")
        _publish(page)
    assert _front_matter(event)["summary"] == "周五开班，以后每周六下午动手做实验。"
    _passes_check(site, event)


def test_a_sign_up_switch_written_in_words_is_read_as_the_check_reads_it(editor, browser) -> None:
    """A file may say ``required: 否`` (no sign-up) or ``required: 是``; the form took any text for
    “on”, and refused an event with no sign-up for having no way to sign up."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace("featured: true\n", "featured: true\nregistration:\n  required: 否\n"),
                     "utf-8")
    _passes_check(site, event)
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        _retype(page.get_by_label("一句话简介"), "二十件互动展品来到家门口，不用报名。")
        _publish(page)
    _passes_check(site, event)
    event.write_text(event.read_text("utf-8").replace("required: 否", "required: 是"), "utf-8")
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        _retype(page.get_by_label("一句话简介"), "二十件互动展品来到家门口，请先报名。")
        _refused(page, "打开了“需要报名”，却没有写怎么报名")


def _asked(page, answer: bool, refused: str = "已经举办的场次没有改动") -> str:
    """发布 pressed: the form asks first, in the browser's own box; she answers. 确定 saves; 取消
    saves nothing, and Decap says 没有保存： and ``refused``."""
    said: list[tuple[str, str]] = []

    def reply(box) -> None:
        said.append((box.type, box.message))
        box.accept() if answer else box.dismiss()

    page.once("dialog", reply)
    if answer:
        _publish(page)
    else:
        _press_publish(page)
        page.get_by_text(re.compile("没有保存：" + re.escape(refused))).first.wait_for()
    [(kind, message)] = said
    assert kind == "confirm", said
    return message


def test_a_series_already_held_moved_to_the_morning_in_the_form_is_asked_about(editor, browser) -> None:
    """From December the weekly 周末科学同学会 (Saturdays 14:00 since 7 November) meets in the
    morning. The volunteer opens it and changes its start and end, as for any event: the four
    Saturdays already held would read 09:30 on its page and in subscribers' calendars. The form asks
    first, says how to keep them (复制, then 到哪天为止), and 取消 saves nothing; a time that was
    wrong from the start is corrected with 确定. Cancelling one coming session is not asked about."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    before = event.read_text("utf-8")
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/zhoumo-tongxuehui")
        _when(page.locator(".kepu-when").nth(0), "", "09:30")
        _when(page.locator(".kepu-when").nth(1), "", "11:30")
        asked = _asked(page, answer=False)
        assert "这个重复活动已经举办过（第一场 2026-11-07）：改了时间，已经举办的场次在活动页、开放数据和订阅的日历里也会跟着改" in asked
        assert "先点“复制”做一个从新安排第一天开始的新系列" in asked and "“到哪天为止”改成新安排前的最后一次" in asked
        assert event.read_text("utf-8") == before
        _asked(page, answer=True)  # the time was wrong from the start: corrected
    assert _front_matter(event)["start"] == "2026-11-07 09:30"
    with _signed_in(browser, url) as page:
        page.goto(f"{url}#/collections/events/entries/xinbei/2026/zhoumo-tongxuehui")
        page.get_by_label(re.compile("^状态 ")).select_option(label="已取消")
        page.get_by_label(re.compile("^状态说明")).fill("活动室改造，停办")
        asked = _asked(page, answer=False)
        # The way that keeps the Saturdays held: stop the series from a session on, with its reason.
        assert "改了状态" in asked and "把“状态”改回“正常举办”，在“重复”里的“从某一场起停办”选停办后的第一场、写上原因" in asked
        # The new volunteer's audit: meaning “this one lecture is off”, she chose 已取消 and pressed 确定
        # (the box named only stopping, or a mistake): every Saturday read 已取消, the one held too.
        assert "只取消其中一场（比如这一次）：点“取消”，把“状态”改回“正常举办”，在“重复”里的“取消其中一场”选那一场" in asked


def test_a_series_moved_to_the_morning_the_way_the_form_says_keeps_what_was_held(editor, browser,
                                                                                   tmp_path: Path) -> None:
    """What the question says, done in the form: 复制 for a new series from 5 December at 09:30,
    then the old series' 到哪天为止 brought back to its last held Saturday. Neither save is asked
    about; both files pass the check; the site lists November's afternoons and December's mornings."""
    site, url, _ = editor
    folder = site / "content" / "events" / "xinbei" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/zhoumo-tongxuehui")
        _copy(page)
        _when(page.locator(".kepu-when").nth(0), "2026-12-05", "09:30")
        _when(page.locator(".kepu-when").nth(1), "", "11:30")
        _publish(page)
        page.goto("about:blank")
        _open_event(page, url, "xinbei/2026/zhoumo-tongxuehui")
        repeat = page.locator(".kepu-repeat")
        repeat.locator("input[name=kepu-repeat-until]").fill("2026-11-28")
        _refused(page, "2026年12月26日（周六） 不是这个活动的日期")  # its day off now lies past its end
        repeat.get_by_role("button", name="删去 2026-12-26").click()
        page.once("dialog", lambda box: box.accept())  # its extra session in February stays as it was
        _publish(page)
    [copy] = _events_in(folder) - listed
    _passes_check(site, folder / copy)
    _passes_check(site, folder / "zhoumo-tongxuehui.md")
    output = tmp_path / "output"
    assert run_build(site / "content", output).returncode == 0
    old = _dates_listed((output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8"))
    assert sorted(d for d in old if d < "2026-12-31") == ["2026-11-07", "2026-11-14", "2026-11-21", "2026-11-28"], old
    held, coming = _feed_event(output, "zhoumo-tongxuehui"), _feed_event(output, Path(copy).stem)
    assert held["DTSTART"].dt.strftime("%Y-%m-%d %H:%M") == "2026-11-07 14:00", held.to_ical()
    assert coming["DTSTART"].dt.strftime("%Y-%m-%d %H:%M") == "2026-12-05 09:30", coming.to_ical()
    assert coming["DTEND"].dt.strftime("%H:%M") == "11:30", coming.to_ical()
    new = _dates_listed((output / "events" / Path(copy).stem / "index.html").read_text("utf-8"))
    assert "2026-12-19" in new and "2026-12-26" not in new and min(new) == "2026-12-05", new  # the day off kept


def test_a_start_moved_under_postponed_asks_for_the_old_one(editor, browser, tmp_path: Path) -> None:
    """改期 as many do it: 状态 改期或延期, the start moved to the new day, a reason written, and
    原定开始时间 (marked 可选) left empty. It saved, and the page said 已延期（新时间待定） at the new
    day while the old day vanished from every page. The form now names the old start to write in
    原定开始时间; written, the page says 已改期 and the old day says where it went."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    before = event.read_text("utf-8")
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        page.get_by_label(re.compile("^状态 ")).select_option(label="改期或延期")
        _when(page.locator(".kepu-when").nth(0), "2026-12-12")
        page.get_by_label(re.compile("^状态说明")).fill("场地临时被占用，改到下周六")
        said = _refused(page, "“开始”从 2026-12-05 09:00 改成了 2026-12-12 09:00：改期要在“原定开始时间”里填原来的 2026-12-05 09:00")
        assert "新时间还没定的，把“开始”改回 2026-12-05 09:00" in said
        assert event.read_text("utf-8") == before
        page.get_by_label("原定开始时间（改期时填）日期").fill("2026-12-05")
        page.get_by_label("原定开始时间（改期时填）时间").fill("09:00")
        _publish(page)
    saved = _front_matter(event)
    assert (saved["status"], saved["previous_start"], saved["start"]) == ("postponed", "2026-12-05 09:00", "2026-12-12 09:00")
    output = tmp_path / "output"
    assert run_build(site / "content", output).returncode == 0
    page_text = re.sub(r"<[^>]+>", " ", (output / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8"))
    assert "已改期" in page_text and "新时间待定" not in page_text
    fifth = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (output / "calendar" / "2026" / "12" / "05" / "index.html")
                                       .read_text("utf-8")))
    assert "流动科技馆进社区 已改期至 12月12日（周六）09:00" in fifth, fifth


def test_a_place_given_a_new_address_does_not_keep_the_old_pin(editor, browser, tmp_path: Path) -> None:
    """Guide §七: 时间、地点变了，直接改. She types the new place's name and address; the old
    纬度 and 经度 stayed, and the page's map links and the calendars' GEO put 新北街道文化中心 on the
    old place's pin. The form now asks first; 取消 saves nothing, and once the coordinates are
    cleared the page has no pin at the old place."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    before = event.read_text("utf-8")
    with _signed_in(browser, url) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        _retype(page.get_by_label("场地名称"), "新北街道文化中心")
        _retype(page.get_by_label("详细地址"), "天津市滨海新区新北街道文化中心三楼")
        asked = _asked(page, answer=False, refused="地图上的位置没有改动")
        assert "纬度和经度还是原来的：地图和日历会把新地点标在原来的位置" in asked, asked
        assert event.read_text("utf-8") == before
        page.get_by_label("纬度（可不填）").fill("")
        page.get_by_label("经度（可不填）").fill("")
        _publish(page)
    saved = _front_matter(event)
    venue = saved["venue"]
    assert venue["address"] == "天津市滨海新区新北街道文化中心三楼" and not venue.get("lat") and not venue.get("lon"), venue
    # The guide's 改了时间、地点、状态时请更新 updated, which the form does not show: kept by it.
    assert saved["updated"] == SAVED_AT.strftime("%Y-%m-%d %H:%M"), saved
    output = tmp_path / "output"
    assert run_build(site / "content", output).returncode == 0
    html = (output / "events" / "liudong-kejiguan" / "index.html").read_text("utf-8")
    assert "新北街道文化中心" in html and "39.0513" not in html and "117.647" not in html
    assert "信息更新于 2026年12月4日（周五）10:00" in html


def test_a_word_mended_leaves_the_update_time_alone(editor, browser) -> None:
    """A title mended is not 信息更新于: that line tells residents when the time, place or status changed."""
    site, url, _ = editor
    event = site / "content" / "events" / "taida" / "2026" / "kepu-ri.md"
    with _signed_in(browser, url) as page:
        title = _open_event(page, url, "taida/2026/kepu-ri")
        title.fill(title.input_value() + "（更新）")
        _publish(page)
    saved = _front_matter(event)
    assert saved["title"].endswith("（更新）") and "updated" not in saved, saved


def test_a_series_ended_early_does_not_keep_its_extra_session_unasked(editor, browser, tmp_path: Path) -> None:
    """Guide §七, 重复活动提前结束: 到哪天为止 brought to 19 December. The weekly series' extra
    Saturday (加开一场 on 6 February) stayed in the file, and the page and the calendars still listed
    it as to come; the form had no way to take it out. It now asks, and the dates listed give the
    extra session a 删去."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    before = event.read_text("utf-8")
    with _series_moves(browser, url) as (page, _):
        repeat = page.locator(".kepu-repeat")
        repeat.locator("input[name=kepu-repeat-until]").fill("2026-12-19")
        repeat.get_by_role("button", name="删去 2026-12-26").click()  # the day off, now past the end
        asked = _asked(page, answer=False, refused="加开的场次没有改动")
        assert "加开的 2027年2月6日（周六） 14:00 在它之后，网站和日历会照常显示" in asked, asked
        assert event.read_text("utf-8") == before
        repeat.get_by_role("button", name="删去加开的 2027-02-06 14:00").click()
        assert repeat.locator("li", has_text="2027年2月6日").count() == 0
        _publish(page)
    _saved_series(site, event, "FREQ=WEEKLY;BYDAY=SA;UNTIL=2026-12-19", without="rdates")
    output = tmp_path / "output"
    assert run_build(site / "content", output).returncode == 0
    assert "2027-02-06" not in _dates_listed((output / "events" / "zhoumo-tongxuehui" / "index.html").read_text("utf-8"))


def test_a_session_change_left_past_the_new_end_names_the_button_that_undoes_it(editor, browser) -> None:
    """A session cancelled on 9 January, then 到哪天为止 brought to 19 December: the refusal said
    “在“重复”里删去这一条”, and no such button exists (hers says 恢复这一场), with the date as 2027-01-09."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_moves(browser, url) as (page, _):
        repeat = page.locator(".kepu-repeat")
        repeat.locator("input[name=kepu-repeat-cancel]").fill("2027-01-09")
        repeat.locator("input[name=kepu-repeat-cancel-reason]").fill("寒假")
        repeat.get_by_role("button", name="取消这一场").click()
        repeat.locator("input[name=kepu-repeat-until]").fill("2026-12-19")
        repeat.get_by_role("button", name="删去 2026-12-26").click()
        said = _refused(page, "取消的 2027年1月9日（周六） 已经不在这个系列的日期里")
        assert "在“重复”里点它旁边的“恢复这一场”" in said, said
        repeat.get_by_role("button", name="恢复这一场 2027-01-09").click()
        repeat.get_by_role("button", name="删去加开的 2027-02-06 14:00").click()
        _publish(page)
    _saved_series(site, event, "FREQ=WEEKLY;BYDAY=SA;UNTIL=2026-12-19", without="sessions")


def test_a_session_moved_onto_another_of_the_series_is_refused_in_the_form(editor, browser) -> None:
    """The 19th's session moved to the 12th at 14:30, over the 12th's own 14:00–16:00 (a slip in
    the date box): the form took it, the page listed 12月12日 twice, and the check now refuses the
    file. The form says so before it is written; the morning of the 12th is taken."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    with _series_moves(browser, url) as (page, move):
        move.locator("input[name=kepu-repeat-move]").fill("2026-12-19")
        move.locator("input[name=kepu-repeat-move-day]").fill("2026-12-12")
        move.locator("input[name=kepu-repeat-move-start]").fill("14:30")
        move.get_by_role("button", name="改这一场").click()
        assert "新的时间和这个系列 2026年12月12日（周六） 原有的那一场重叠" in move.get_by_role("alert").inner_text()
        move.locator("input[name=kepu-repeat-move-start]").fill("09:30")
        move.locator("input[name=kepu-repeat-move-end]").fill("11:30")
        move.get_by_role("button", name="改这一场").click()
        assert move.get_by_role("alert").count() == 0
        _publish(page)
    saved = _front_matter(event)["recurrence"]["sessions"]
    assert saved == [{"date": date(2026, 12, 19), "start": "2026-12-12 09:30", "end": "2026-12-12 11:30"}], saved
    _passes_check(site, event)


def test_the_people_box_takes_only_a_whole_number(editor, browser) -> None:
    """The team leader's audit: 参加人数 typed as 30-40 or 50+ was saved as nothing (erasing the number
    recorded before) while the box still showed it, with 已发布. The form now refuses what the box
    shows unless it is a whole number, says how to write it, and writes nothing."""
    site, url, _ = editor
    event = site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    before = event.read_text("utf-8")
    evening = datetime(2026, 12, 5, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with _signed_in(browser, url, clock=evening) as page:
        _open_event(page, url, "xinbei/2026/liudong-kejiguan")
        box = page.get_by_label("参加人数（活动结束后填）")
        for typed in ("30-40", "50+"):
            box.fill("")
            box.press_sequentially(typed)
            _refused(page, "“参加人数”只写一个整数，例如 45")
            assert event.read_text("utf-8") == before, typed
        box.fill("45")
        _publish(page)
    assert _front_matter(event)["attendance"] == 45


def test_a_repeat_with_no_last_day_is_asked_for_and_a_mistyped_year_refused(editor, browser) -> None:
    """The new volunteer's audit. Her four Saturday lectures, with 到哪天为止 forgotten, were saved
    as a rule with no end (every Saturday for ever, on the site and in subscribers' calendars; the
    check passes it, as a monthly open day is written so). The form now asks for the last day, or a
    tick for 一直重复下去; a series saved so before opens ticked. A date typed 1月9号2027 that the
    box took as 0027-12-20 read 1927年12月20日 under the box: it reads 27年 and is refused. Her phone
    typed into 报名链接 was refused as a web address only: the message now names 报名电话."""
    site, url, _ = editor
    folder = site / "content" / "events" / "taida" / "2026"
    listed = _events_in(folder)
    with _signed_in(browser, url) as page:
        _new(page, url, "events")
        page.get_by_label("活动名称").fill("社区健康科普讲座")
        _pick(page, "街镇", "泰达")
        _pick(page, "志愿服务队", "科学会客厅")
        start = page.locator(".kepu-when").nth(0)
        _when(start, "0027-12-20", "09:00")
        assert start.locator("output").inner_text().startswith("27年12月20日")
        _when(page.locator(".kepu-when").nth(1), "", "11:00")
        _other_place(page)
        page.get_by_label("场地名称").fill("泰达社区活动室")
        _pick(page, "活动类型", "科普讲座")
        _pick(page, "服务对象", "社区居民")
        page.get_by_label("报名链接").fill("022-2538 6210")  # the sign-up phone, one box too high
        _press_publish(page)
        page.get_by_text("年份“0027”不对：请重新选日期，年份是 4 位数，例如 2027").first.wait_for()
        page.get_by_text(re.compile("报名电话请写在下面的“报名电话”里，这一栏只写网址")).first.wait_for()
        _retype(page.get_by_label("报名链接"), "")
        _when(start, "2026-12-12")
        repeat = page.locator(".kepu-repeat")
        repeat.locator("select[name=kepu-repeat-kind]").select_option(label="每周几")
        _press_publish(page)
        page.get_by_text(re.compile("“到哪天为止”没有填：这样活动会一直重复下去")).first.wait_for()
        assert _events_in(folder) == listed  # nothing was written
        repeat.get_by_label("没有最后一次，一直重复下去（长期开放的活动）").check()
        _publish(page)
    [added] = _events_in(folder) - listed
    assert _front_matter(folder / added)["recurrence"]["rrule"] == "FREQ=WEEKLY;BYDAY=SA"
    with _signed_in(browser, url) as page:  # opened again: the tick stays, and it saves as it is
        _open_event(page, url, f"taida/2026/{added[:-3]}")
        assert page.locator(".kepu-repeat").get_by_label("没有最后一次，一直重复下去（长期开放的活动）").is_checked()
