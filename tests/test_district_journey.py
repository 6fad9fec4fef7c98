"""A second district's maintainer copies the project, edits pelicanconf.py and puts its own content
and registries beside it: invoke check, new-event, import-events, build and clean all follow the
settings file (its content folder, folder names, time zone and output folder), not the sample's."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import ROOT, plugin_env, serve_directory

# The district: 乌鲁木齐市天山区, whose events are announced in Xinjiang time (UTC+6).
EDITS = {
    'SITENAME = "滨海科普日历"': 'SITENAME = "天山区科普日历"',
    'SITESUBTITLE = "天津市滨海新区科普活动一站查"': 'SITESUBTITLE = "乌鲁木齐市天山区科普活动一站查"',
    'ORGANIZATION = "天津市滨海新区科学技术协会"': 'ORGANIZATION = "乌鲁木齐市天山区科学技术协会"',
    'KEPU_DISTRICT = "滨海新区"': 'KEPU_DISTRICT = "天山区"',
    'KEPU_REGION = "天津市"': 'KEPU_REGION = "新疆维吾尔自治区"',
    'KEPU_CITY = "天津"': 'KEPU_CITY = "乌鲁木齐"',
    'KEPU_CODEOWNERS_TEAM = "@binhai-kepu"': 'KEPU_CODEOWNERS_TEAM = "@tianshan-kepu"',
    'TIMEZONE = "Asia/Shanghai"': 'TIMEZONE = "Asia/Urumqi"',
    # The content is its own repository, cloned next to the generator; events in huodong/.
    'PATH = str(ROOT / "content")': 'PATH = str(ROOT.parent / "tianshan-content")',
    'EVENT_PATHS = ["events"]': 'EVENT_PATHS = ["huodong"]',
    # The static host publishes the folder public/.
    'OUTPUT_PATH = str(ROOT / "output")': 'OUTPUT_PATH = str(ROOT / "public")',
    'UID_DOMAIN = "kepu.binhai.example.cn"': 'UID_DOMAIN = "kepu.tianshan.example.cn"',
    '"repo": "binhai-kexie/kepu-calendar"': '"repo": "tianshan-kexie/kepu-calendar"',
}

REGISTRIES = {
    "streets.yml": """\
- {id: yanerwo, name: 燕儿窝街道, kind: 街道, order: 10}
- {id: xingfulu, name: 幸福路街道, kind: 街道, order: 20}
- {id: dongmen, name: 东门街道, kind: 街道, order: 30}
""",
    "teams.yml": """\
- id: tianshan-kexie
  name: 天山区科协科普志愿服务队
  contact: 天山区科协科普部 0991-2800 0000
- id: dongmen-shequ
  name: 东门街道社区科普队
  street: dongmen
""",
    "categories.yml": "- {id: kepu-jiangzuo, name: 科普讲座}\n- {id: kexue-shiyan, name: 科学实验}\n",
    "audiences.yml": "- {id: qinzi, name: 亲子家庭}\n- {id: laonianren, name: 老年人}\n",
}

EVENT = """\
---
title: 冬季天文观测
start: 2026-12-12 19:00
end: "21:00"
street: yanerwo
team: tianshan-kexie
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 燕儿窝街道社区活动中心
  address: 乌鲁木齐市天山区燕儿窝街道
summary: 用望远镜看木星和它的卫星。
---
冬季晴夜，带孩子一起看星星。
"""

SHEET = ("活动名称,街镇,志愿服务队,日期,开始时间,结束时间,场地名称,活动类型,服务对象,活动介绍\n"
         "老年人防诈骗讲座,幸福路街道,天山区科协科普志愿服务队,2026-12-16,10:00,11:00,幸福路街道党群服务中心,"
         "科普讲座,老年人,识别常见的电信诈骗。\n")

SAMPLE_WORDS = ("滨海", "天津", "Binhai", "binhai", "Tianjin")


def invoke(project: Path, *args: str) -> subprocess.CompletedProcess:
    """An invoke task run in the district's copy of the project, as its maintainer types it."""
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=project, env=plugin_env(),
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The copied project (settings edited; plugins and theme as they come) and its content repository."""
    top = tmp_path_factory.mktemp("tianshan")
    project, content = top / "kepu-calendar", top / "tianshan-content"
    project.mkdir()
    for name in ("tasks.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("plugins", "theme"):
        (project / name).symlink_to(ROOT / name)
    text = (ROOT / "pelicanconf.py").read_text("utf-8")
    for old, new in EDITS.items():
        assert old in text, old
        text = text.replace(old, new)
    (project / "pelicanconf.py").write_text(text, "utf-8")
    for name, registry in REGISTRIES.items():
        (content / "data").mkdir(parents=True, exist_ok=True)
        (content / "data" / name).write_text(registry, "utf-8")
    for folder in ("articles", "pages", "huodong/yanerwo/2026"):
        (content / folder).mkdir(parents=True)
    (content / "huodong/yanerwo/2026/yanerwo-tianwen-guance.md").write_text(EVENT, "utf-8")
    git = ["git", "-c", "user.name=天山区科协", "-c", "user.email=kepu@tianshan.example.cn"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "天山区科普日历的内容"]):
        subprocess.run([*git, *args], cwd=content, check=True, capture_output=True)
    return project, content


def check_alone(project: Path, path: Path, text: str) -> subprocess.CompletedProcess:
    """invoke check of one file a volunteer saved with ``text`` (taken away again afterwards)."""
    path.write_text(text, "utf-8")
    try:
        return invoke(project, "check", str(path))
    finally:
        path.unlink()


def test_check_reads_the_content_folder_and_folder_names_the_settings_name(district) -> None:
    project, content = district
    wrong = content / "huodong/yanerwo/2026/yanerwo-wrong-street.md"
    wrong.write_text(EVENT.replace("street: yanerwo", "street: yanerow"), "utf-8")
    try:
        result = invoke(project, "check")
    finally:
        wrong.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tianshan-content/huodong/yanerwo/2026/yanerwo-wrong-street.md" in result.stdout
    assert "yanerwo" in result.stdout  # did you mean the registered street?
    passed = invoke(project, "check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "已检查 1 个文件" in passed.stdout


def test_check_names_the_districts_own_registry_files(district) -> None:
    """Hints named content/data/teams.yml, a file this district does not have: its registries are
    in its content repository's data/."""
    project, content = district
    result = check_alone(project, content / "huodong/yanerwo/2026/yanerwo-two-teams.md", EVENT.replace("team: tianshan-kexie", "team: [tianshan-kexie, dongmen-shequ]"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "可用编号见 tianshan-content/data/teams.yml" in result.stdout, result.stdout
    assert " content/data/" not in result.stdout


def test_check_speaks_of_the_sites_own_time_zone(district) -> None:
    """An editor in Urumqi writes a time zone the check does not know: deleting the line gives the
    site's time (Xinjiang time, as TIMEZONE says), not Beijing time."""
    project, content = district
    result = check_alone(project, content / "huodong/yanerwo/2026/yanerwo-xinjiang-shijian.md", EVENT.replace("street: yanerwo", "street: yanerwo\ntimezone: 新疆时间"))
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if "未知时区" in line)
    assert "Asia/Urumqi" in result.stdout and "北京时间" not in result.stdout, line


def new_event(project: Path, day: str, *more: str, team: str = "dongmen-shequ") -> subprocess.CompletedProcess:
    """invoke new-event --batch for 东门街道's afternoon experiment class on ``day``."""
    return invoke(project, "new-event", "--batch", "--title", "东门社区科学实验", "--street", "dongmen",
                  "--team", team, "--date", day, "--time", "15:00-16:30", "--venue", "东门街道青少年之家",
                  "--categories", "kexue-shiyan", "--audiences", "qinzi", *more)


def test_new_event_writes_where_the_settings_say(district) -> None:
    project, content = district
    result = new_event(project, "2026-12-19", "--slug", "dongmen-kexue-shiyan")
    assert result.returncode == 0, result.stdout + result.stderr
    made = content / "huodong/dongmen/2026/dongmen-kexue-shiyan.md"
    assert made.is_file(), sorted(p.as_posix() for p in content.rglob("*.md"))
    assert "tianshan-content/huodong/dongmen/2026/dongmen-kexue-shiyan.md" in result.stdout
    assert not (project / "content").exists()
    front = made.read_text("utf-8").split("\n---\n")[0]
    made.write_text(f"{front}\n---\n孩子们动手做会变色的溶液。\n", "utf-8")  # the editor writes the description


def test_new_event_names_the_districts_own_registry_files(district) -> None:
    """new-event's hints and the comments of the file it writes named content/data/teams.yml, a file
    this district does not have: its registries are in its content repository's data/."""
    project, content = district
    result = new_event(project, "2026-12-26", team="wuli-xiaozu")
    assert result.returncode != 0 and "tianshan-content/data/teams.yml" in result.stdout + result.stderr, (
        result.stdout + result.stderr)
    result = new_event(project, "2026-12-26", "--slug", "dongmen-kexue-shiyan-2")
    assert result.returncode == 0, result.stdout + result.stderr
    made = content / "huodong/dongmen/2026/dongmen-kexue-shiyan-2.md"
    written = made.read_text("utf-8")
    made.unlink()  # the build below is of the editors' steps above
    assert "tianshan-content/data/streets.yml" in written and "tianshan-content/data/teams.yml" in written
    assert "content/data/" not in written.replace("tianshan-content/data/", ""), written


def test_import_writes_where_the_settings_say(district) -> None:
    project, content = district
    sheet = project.parent / "活动表.csv"
    sheet.write_text(SHEET, "utf-8")
    result = invoke(project, "import-events", str(sheet))
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted((content / "huodong" / "xingfulu").rglob("*.md"))
    assert len(made) == 1, sorted(p.as_posix() for p in content.rglob("*.md"))
    assert not (project / "content").exists()


@pytest.fixture(scope="module")
def built(district) -> Path:
    """invoke build in the district's project, after the editors' steps above."""
    project, _ = district
    result = invoke(project, "build", "--build-date", "2026-12-01")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project / "public"


def test_build_publishes_into_its_output_folder_in_its_time_zone(district, built: Path) -> None:
    project, _ = district
    assert (built / "events" / "yanerwo-tianwen-guance" / "index.html").is_file()
    assert not (project / "output").exists()
    feed = (built / "feeds" / "all.ics").read_text("utf-8")
    assert "DTSTART;TZID=Asia/Urumqi:20261212T190000" in feed
    assert "X-WR-CALNAME:天山区科普日历" in feed
    texts = [p for p in built.rglob("*") if p.suffix in {".html", ".ics", ".atom", ".json", ".csv"}]
    found = {f"{p.relative_to(built)}: {w}" for p in texts for w in SAMPLE_WORDS if w in p.read_text("utf-8")}
    assert not found, sorted(found)[:20]


def test_the_readers_today_is_the_sites_day(built: Path, browser) -> None:
    """At 23:30 Xinjiang time on 12 December (already the 13th in Beijing) the home page marks the
    12th, the observation evening, as today, not as over."""
    server, base = serve_directory(built)
    page = browser.new_page()
    try:
        page.clock.set_fixed_time(datetime(2026, 12, 12, 23, 30, tzinfo=ZoneInfo("Asia/Urumqi")))
        page.goto(f"{base}/")
        heading = page.locator('h3.day-heading[data-date="2026-12-12"]')
        assert heading.get_attribute("class").split() == ["day-heading", "today"]
    finally:
        page.close()
        server.shutdown()


def test_codeowners_follow_the_content_folder_and_event_folder(district) -> None:
    project, _ = district
    result = invoke(project, "codeowners")
    assert result.returncode == 0, result.stdout + result.stderr
    # Paths from the top of the content's own repository, where CODEOWNERS lies (not the generator's).
    assert re.search(r"^/huodong/dongmen/ +@tianshan-kepu/dongmen-editors", result.stdout, re.M), result.stdout
    assert "/events/" not in result.stdout and "tianshan-content" not in result.stdout


def test_the_web_editor_saves_into_the_content_repository(built: Path) -> None:
    """The web editor's folders are named from the top of the repository it saves to: the content's
    own, beside the generator (they were ../tianshan-content/huodong, outside any repository)."""
    config = yaml.safe_load((built / "admin" / "config.yml").read_text("utf-8"))
    folders = {c["name"]: c["folder"] for c in config["collections"] if "folder" in c}
    assert folders["events"] == "huodong" and config["media_folder"] == "images", (folders, config["media_folder"])


def test_serving_on_another_port_says_the_subscribe_links_need_a_build_for_it(district, built: Path) -> None:
    """README: invoke serve --port 换端口. The site was built for port 8000: on another port its
    subscribe links and QR codes led nowhere, without a word. Serving says so and names the
    command that builds for that port."""
    import socket
    import threading

    project, _ = district
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "invoke", "serve", "--port", str(port)], cwd=project,
                              env={**plugin_env(), "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, text=True)
    said = []
    watchdog = threading.Timer(300, server.terminate)  # for a hung server, not a time budget
    watchdog.start()
    try:
        for line in server.stdout:
            said.append(line)
            if "提示" in line:
                break
    finally:
        watchdog.cancel()
        server.terminate()
        server.wait(timeout=60)
    assert said[0].startswith(f"本地预览：http://127.0.0.1:{port}/"), said
    assert "是按 http://127.0.0.1:8000 构建的，订阅链接和二维码在这个端口打不开" in said[1], said
    assert f"invoke reserve --port {port}" in said[1], said


def test_clean_removes_its_output_folder(district, built: Path) -> None:
    project, _ = district
    cleaned = invoke(project, "clean")
    assert cleaned.returncode == 0 and built.parent == project and not built.exists()
