"""One configuration (kepu.config): a settings file a maintainer got wrong is named with its line and the fix,
by the check and by the build alike; URL patterns come from the settings alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TEST_SITE, plugin_env, run_build
from kepu.config import SettingsError, load

SAMPLE = (ROOT / "pelicanconf.py").read_text("utf-8")


def settings_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the sample's settings with one line changed, as a maintainer edits it."""
    assert old in SAMPLE, old
    path = tmp_path / "pelicanconf.py"
    path.write_text(SAMPLE.replace(old, new), "utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)  # its PATH: a project's content folder
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line.startswith(text))


@pytest.mark.parametrize(("old", "new", "setting", "message", "fix"), [
    ('TIMEZONE = "Asia/Shanghai"', 'TIMEZONE = "Beijing"', "TIMEZONE", "时区“Beijing”不认识", 'TIMEZONE = "Asia/Shanghai"'),
    ('EVENT_PATHS = ["events"]', 'EVENT_PATHS = ["events", "huodong"]', "EVENT_PATHS", "一个文件夹", 'EVENT_PATHS = ["events"]'),
    ('STREET_URL, STREET_SAVE_AS = "streets/{id}/", "streets/{id}/index.html"',
     'STREET_URL, STREET_SAVE_AS = "streets/{name}/", "streets/{id}/index.html"', "STREET_URL",
     "STREET_URL 里的 {name} 不能用", "只能用 {id}"),
    ('TEAM_URL, TEAM_SAVE_AS = "teams/{id}/", "teams/{id}/index.html"',
     'TEAM_URL, TEAM_SAVE_AS = "teams/{id}/", "teams/index.html"', "TEAM_SAVE_AS",
     "缺少 {id}：不同的页面会写到同一个位置", "把 {id} 写进 TEAM_SAVE_AS"),
    ('SITEURL = os.environ.get("KEPU_SITEURL", "")', 'SITEURL = "kepu.example.cn"', "SITEURL",
     "不是完整的网址", "https://"),
    ('UID_DOMAIN = "kepu.binhai.example.cn"', 'UID_DOMAIN = "https://kepu.example.cn/"', "UID_DOMAIN",
     "不是域名", 'UID_DOMAIN = "kepu.example.cn"'),
    # Another district's settings with a typo: the sample's value would stay, without a word.
    ('SITENAME = "滨海科普日历"', 'SITE_NAME = "浦东科普日历"', "SITE_NAME", "不认识的设置 SITE_NAME",
     "是否想写 SITENAME？"),
    ('KEPU_DISTRICT = "滨海新区"', 'KEPU_DISTRCT = "浦东新区"', "KEPU_DISTRCT", "不认识的设置 KEPU_DISTRCT",
     "是否想写 KEPU_DISTRICT？"),
    # The footer's filing numbers, as the registries issue them (a host in mainland China must show them).
    ('KEPU_ICP = ""', 'KEPU_ICP = "备案号 12345"', "KEPU_ICP", "备案号 KEPU_ICP“备案号 12345”的格式不对",
     'KEPU_ICP = "津ICP备2026000001号-1"'),
    ('KEPU_PSB = ""', 'KEPU_PSB = "津公网安备 1201"', "KEPU_PSB", "格式不对", "津公网安备12011602000001号"),
    ('KEPU_ICP = ""', 'KEPU_IPC = "津ICP备2026000001号"', "KEPU_IPC", "不认识的设置 KEPU_IPC", "是否想写 KEPU_ICP？"),
    # A misspelt content folder stopped the build with Pelican's English traceback, and the check
    # spoke only of missing registries.
    ('PATH = str(ROOT / "content")', 'PATH = str(ROOT / "contnet")', "PATH", "内容文件夹", "PATH ="),
    # A share card that is not there would have left the theme's card on every page without a word.
    ('# SHARE_IMAGE = "images/share.png"', 'SHARE_IMAGE = "images/fenxiang.png"', "SHARE_IMAGE",
     "找不到分享卡片图片 content/images/fenxiang.png", "600×600 的 PNG 或 JPG"),
    ('# SHARE_IMAGE = "images/share.png"', 'SHARE_IMAGE = "theme/images/share.svg"', "SHARE_IMAGE",
     "要写 images/ 文件夹里的一张 PNG 或 JPG 图片", "content/images/share.png"),
    # The file is there (the path finds it), but no page's address would name it: the theme's card.
    ('# SHARE_IMAGE = "images/share.png"', 'SHARE_IMAGE = "images//share.png"', "SHARE_IMAGE",
     "要写 images/ 文件夹里的一张 PNG 或 JPG 图片", "content/images/share.png"),
])
def test_a_wrong_setting_is_named_with_its_file_line_and_fix(tmp_path: Path, old: str, new: str, setting: str,
                                                            message: str, fix: str) -> None:
    path = settings_with(tmp_path, old, new)
    with pytest.raises(SettingsError) as raised:
        load(path)
    [problem] = [p for p in raised.value.problems if p.field == setting]
    assert problem.path.endswith("pelicanconf.py") and problem.line == line_of(path, new.split(" = ")[0])
    assert message in problem.message and fix in problem.hint, problem


def test_a_content_folder_that_is_not_there_is_named_by_check_and_build(tmp_path: Path) -> None:
    """``invoke build --content`` a misspelt folder ended in Pelican's English traceback ("You need
    to specify a path containing the content"); the check only said four registries were missing."""
    missing = tmp_path / "neirong"
    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(missing)], cwd=ROOT,
                           env=plugin_env(), capture_output=True, text=True, timeout=120)
    build = run_build(missing, tmp_path / "output")
    for done in (check, build):
        said = done.stdout + done.stderr
        assert done.returncode == 1 and f"内容文件夹 {missing} 不存在" in said, said
        assert "Traceback" not in said and "登记表" not in said, said
    assert not (tmp_path / "output").exists()


def test_a_share_card_named_with_spaces_around_is_the_card_the_pages_show(tmp_path: Path) -> None:
    """SHARE_IMAGE = "images/share.png " passed the check (which stripped it) and the build looked the
    card up with the space, found nothing and showed the theme's card on every page without a word."""
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "share.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = settings_with(tmp_path, '# SHARE_IMAGE = "images/share.png"', 'SHARE_IMAGE = " images/share.png "')
    assert load(path).share_image == "images/share.png"


def test_a_url_pattern_missing_from_the_settings_is_a_problem_not_a_default(tmp_path: Path) -> None:
    """The code holds no URL patterns: a settings file without one is told which one to add."""
    path = settings_with(tmp_path, 'TEAMS_URL, TEAMS_SAVE_AS = "teams/", "teams/index.html"\n', "")
    with pytest.raises(SettingsError) as raised:
        load(path)
    assert {p.field for p in raised.value.problems} == {"TEAMS_URL", "TEAMS_SAVE_AS"}
    assert all("对照示例项目的 pelicanconf.py" in p.hint for p in raised.value.problems)


def test_a_settings_file_that_does_not_run_is_named_with_its_line(tmp_path: Path) -> None:
    path = settings_with(tmp_path, 'EVENT_HORIZON_DAYS = 366', 'EVENT_HORIZON_DAYS = 366 天')
    with pytest.raises(SettingsError) as raised:
        load(path)
    [problem] = raised.value.problems
    assert problem.line == line_of(path, "EVENT_HORIZON_DAYS") and "设置文件运行出错" in problem.message


def test_settings_a_file_imports_are_read_as_the_build_reads_them(tmp_path: Path) -> None:
    """publishconf.py-style files (``from pelicanconf import *``) and computed values are the build's:
    the check used to read literals only, and missed both."""
    (tmp_path / "pelicanconf.py").write_text(SAMPLE.replace('EVENT_PATHS = ["events"]',
                                                            'EVENT_PATHS = ["huo" + "dong"]'), "utf-8")
    publish = tmp_path / "publishconf.py"
    publish.write_text("from pelicanconf import *  # noqa: F403\nTIMEZONE = 'Asia/Urumqi'\n", "utf-8")
    (tmp_path / "content").mkdir()
    config = load(publish)
    assert (config.layout.events, config.timezone) == ("huodong", "Asia/Urumqi")
    assert config.layout.content == tmp_path / "content"


@pytest.fixture(scope="module")
def wrong_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zone")
    return settings_with(folder, 'TIMEZONE = "Asia/Shanghai"', 'TIMEZONE = "Asia/Beijing"')


def test_check_refuses_a_wrong_setting_like_the_build(wrong_zone: Path, tmp_path: Path) -> None:
    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--settings", str(wrong_zone),
                            "--content", str(TEST_SITE / "content")], cwd=ROOT, env=plugin_env(),
                           capture_output=True, text=True, timeout=120)
    build = run_build(TEST_SITE / "content", tmp_path / "output", settings=wrong_zone)
    line = f"{line_of(wrong_zone, 'TIMEZONE =')}: TIMEZONE: 时区“Asia/Beijing”不认识"
    assert check.returncode == 1 and line in check.stderr, check.stdout + check.stderr
    assert build.returncode == 1 and line in build.stderr, build.stdout + build.stderr
    assert not (tmp_path / "output").exists()


def test_a_site_without_a_name_or_with_a_misspelt_one_is_refused_by_check_and_build(tmp_path: Path) -> None:
    """Without SITENAME every page, feed and share card would say Pelican's 'A Pelican Blog'; with
    SITE_NAME beside the sample's settings, the sample's name would stay."""
    path = settings_with(tmp_path, 'SITENAME = "滨海科普日历"', 'SITE_NAME = "浦东科普日历"')
    with pytest.raises(SettingsError) as raised:
        load(path)
    assert any(p.field == "SITENAME" and "A Pelican Blog" in p.message for p in raised.value.problems)
    own = tmp_path / "site" / "pudongconf.py"
    own.parent.mkdir()
    own.write_text('from pelicanconf import *  # noqa: F403\n\nSITE_NAME = "浦东科普日历"\n', "utf-8")
    built = run_build(TEST_SITE / "content", tmp_path / "output", settings=own)
    assert built.returncode != 0 and "是否想写 SITENAME" in built.stdout + built.stderr, built.stdout + built.stderr
    assert not (tmp_path / "output" / "index.html").exists()


@pytest.mark.parametrize(("backend", "message"), [
    ('{"name": "gitee", "repo": "binhai-kexie/kepu-content"}', "网页编辑不能保存到“gitee”"),
    ('{"name": "forgejo", "repo": "kepu-content"}', "要写成 所有者/仓库名"),
    ('"forgejo"', "要写成 {…} 的形式"),
])
def test_a_web_editor_that_could_not_save_anywhere_is_refused(tmp_path: Path, backend: str, message: str) -> None:
    """deploy.md: Gitee has no Decap backend. KEPU_CMS_BACKEND naming it (or no repository) built an
    /admin/ that could not work, and check said 检查通过."""
    sample = 'KEPU_CMS_BACKEND = {"name": "github", "repo": "binhai-kexie/kepu-calendar", "branch": "main"}'
    path = settings_with(tmp_path, sample, f"KEPU_CMS_BACKEND = {backend}")
    with pytest.raises(SettingsError) as raised:
        load(path)
    [problem] = [p for p in raised.value.problems if p.field == "KEPU_CMS_BACKEND"]
    assert problem.line == line_of(path, "KEPU_CMS_BACKEND") and message in problem.message, problem


@pytest.mark.parametrize("name", ["ORGANIZATION", "SITESUBTITLE", "FEED_REFRESH_TEXT", "FEED_PAST_DAYS"])
def test_a_setting_every_page_shows_is_required_up_front(tmp_path: Path, name: str) -> None:
    """Without ORGANIZATION the check said 检查通过 and the build stopped on 模板 … 未定义的名字
    ORGANIZATION / 程序出错（不是内容错误）: the templates show these settings on every page."""
    text = "\n".join(line for line in SAMPLE.splitlines() if not line.startswith(f"{name} ="))
    path = tmp_path / "pelicanconf.py"
    path.write_text(text.replace("AUTHOR = ORGANIZATION", "AUTHOR = SITENAME"), "utf-8")
    (tmp_path / "content").mkdir()
    with pytest.raises(SettingsError) as raised:
        load(path)
    [problem] = [p for p in raised.value.problems if p.field == name]
    assert f"没有设置 {name}" in problem.message and f"{name} = " in problem.hint, problem
    if name == "ORGANIZATION":
        built = run_build(TEST_SITE / "content", tmp_path / "output", settings=path)
        said = built.stdout + built.stderr
        assert built.returncode == 1 and "没有设置 ORGANIZATION" in said and "程序出错" not in said, said


def test_a_misspelt_district_setting_beside_the_right_one_is_named(tmp_path: Path) -> None:
    """A new district's maintainer added 浦东's name under a misspelt setting below the sample's
    SITENAME: every page kept the sample's name, and nothing said why."""
    path = settings_with(tmp_path, 'SITENAME = "滨海科普日历"', 'SITENAME = "滨海科普日历"\nSITENAEM = "浦东科普日历"')
    with pytest.raises(SettingsError) as raised:
        load(path)
    [problem] = [p for p in raised.value.problems if p.field == "SITENAEM"]
    assert problem.line == line_of(path, "SITENAEM") and "不认识的设置 SITENAEM" in problem.message
    assert problem.hint == f"是否想写 SITENAME？SITENAME 已在第 {line_of(path, 'SITENAME =')} 行设置，这一行不起作用"
