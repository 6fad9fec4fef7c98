"""A new district copies the project and changes KEPU_DISTRICT, but settings still carrying the sample
district's wording (its name in the footer, its city in map links, its repository behind the web
editor) passed `invoke check` and were published: each is pointed out, with its line and the fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, TEST_SITE, plugin_env, run_build
from kepu.config import load

SAMPLE = (ROOT / "pelicanconf.py").read_text("utf-8")
COUNTY = 'KEPU_DISTRICT = "梅江县"'
# What a county in Jiangxi forgot to change (each names the sample district, its city or its repository).
LEFT = ("SITENAME", "SITESUBTITLE", "ORGANIZATION", "KEPU_REGION", "KEPU_CITY", "KEPU_CODEOWNERS_TEAM",
        "KEPU_CMS_BACKEND", "UID_DOMAIN")


def county_settings(folder: Path, text: str = SAMPLE) -> Path:
    """The sample's settings with only KEPU_DISTRICT changed, as a new district's maintainer starts."""
    assert 'KEPU_DISTRICT = "滨海新区"' in text
    path = folder / "pelicanconf.py"
    path.write_text(text.replace('KEPU_DISTRICT = "滨海新区"', COUNTY), "utf-8")
    (folder / "content").mkdir(exist_ok=True)
    return path


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line.startswith(start))


def test_settings_still_naming_the_sample_district_are_each_pointed_out_at_their_line(tmp_path: Path) -> None:
    path = county_settings(tmp_path)
    reminders = {p.field: p for p in load(path).reminders}
    assert set(LEFT) <= set(reminders), sorted(reminders)
    for name in LEFT:
        problem = reminders[name]
        assert problem.path.endswith("pelicanconf.py") and problem.line == line_of(path, f"{name} ="), problem
        assert "还写着示例内容" in problem.message and problem.severity == "warning", problem
    assert "天津" in reminders["KEPU_CITY"].message and "地图" in reminders["KEPU_CITY"].hint
    assert "binhai-kexie/kepu-calendar" in reminders["KEPU_CMS_BACKEND"].message
    assert "梅江县" in reminders["ORGANIZATION"].message


def test_the_samples_own_settings_and_a_district_that_changed_them_hear_nothing(tmp_path: Path) -> None:
    assert load(ROOT / "pelicanconf.py").reminders == ()
    own = {'SITENAME = "滨海科普日历"': 'SITENAME = "梅江科普日历"',
           'SITESUBTITLE = "天津市滨海新区科普活动一站查"': 'SITESUBTITLE = "梅江县科普活动一站查"',
           'ORGANIZATION = "天津市滨海新区科学技术协会"': 'ORGANIZATION = "梅江县科学技术协会"',
           'KEPU_REGION = "天津市"': 'KEPU_REGION = "江西省"', 'KEPU_CITY = "天津"': 'KEPU_CITY = "赣州"',
           '"@binhai-kepu"': '"@meijiang-kepu"', '"binhai-kexie/kepu-calendar"': '"meijiang-kexie/kepu"',
           'UID_DOMAIN = "kepu.binhai.example.cn"': 'UID_DOMAIN = "kepu.meijiang.gov.cn"'}
    text = SAMPLE
    for old, new in own.items():
        assert old in text, old
        text = text.replace(old, new)
    assert not [p for p in load(county_settings(tmp_path, text)).reminders if "示例" in p.message]


def test_a_publish_settings_file_names_the_line_of_pelicanconf(tmp_path: Path) -> None:
    """publishconf.py imports the settings: the reminder names the file and line to change."""
    path = county_settings(tmp_path)
    publish = tmp_path / "publishconf.py"
    publish.write_text("from pelicanconf import *  # noqa: F403\n", "utf-8")
    problem = next(p for p in load(publish).reminders if p.field == "ORGANIZATION")
    assert (Path(problem.path).name, problem.line) == ("pelicanconf.py", line_of(path, "ORGANIZATION ="))


def test_check_and_build_say_it_and_publish_refuses_the_samples_web_editor_repository(tmp_path: Path) -> None:
    """check said 检查通过 and publish went through with the volunteers' web edits saved to the
    sample's repository: both reminders are said, and the publish stops before building."""
    project = tmp_path / "kepu-calendar"
    project.mkdir()
    for name in ("tasks.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("plugins", "theme"):
        (project / name).symlink_to(ROOT / name)
    settings = county_settings(project)
    shutil.rmtree(project / "content")
    shutil.copytree(TEST_SITE / "content", project / "content")
    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--build-date", "2026-12-01"], cwd=project,
                           env=plugin_env(), capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    said = f"pelicanconf.py:{line_of(settings, 'ORGANIZATION =')}: （提醒）ORGANIZATION: 还写着示例内容"
    assert said in check.stdout, check.stdout[-3000:]
    build = run_build(project / "content", tmp_path / "preview", settings=settings)
    assert build.returncode == 0 and said in build.stderr, build.stdout[-3000:] + build.stderr[-3000:]
    publish = subprocess.run([sys.executable, "-m", "invoke", "publish", "--siteurl", "http://kx.meijiang.gov.cn"],
                             cwd=project, env=plugin_env(), capture_output=True, text=True, timeout=300)
    assert publish.returncode != 0 and "binhai-kexie/kepu-calendar" in publish.stderr, publish.stdout + publish.stderr
    assert "KEPU_CMS_BACKEND" in publish.stderr and not (project / "output").exists()


def test_every_line_still_naming_the_sample_is_listed_at_once(tmp_path: Path) -> None:
    """Only the first line per file was named, and only the exact 滨海新区: the maintainer fixed it,
    ran the check again, found the next. Each line is listed (a long file: the first ten and how
    many more), short names too."""
    from dataclasses import replace

    from kepu.config import content_overrides
    from kepu.editor.check import sample_leftovers

    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "data" / "teams.yml").write_text(
        "- id: kexie\n  name: 滨海新区科协志愿服务队\n  contact: 滨海科协 0797-000 0000\n"
        "- id: binhai-laoshi\n  name: 梅江县科普讲师团\n", "utf-8")
    (content / "data" / "venues.yml").write_text(
        "".join(f"- {{id: v{n}, name: 场地{n}, address: 天津市滨海新区第{n}号}}\n" for n in range(1, 14)), "utf-8")
    (content / "pages" / "about.md").write_text("---\ntitle: 关于本站\n---\n梅江县科协主办。\n", "utf-8")
    config = load(county_settings(tmp_path), content_overrides(content))
    config = replace(config, layout=replace(config.layout, root=tmp_path))
    found = [(p.path, p.line, p.message) for p in sample_leftovers(config)]
    teams = [(line, message) for path, line, message in found if path == "content/data/teams.yml"]
    assert [line for line, _ in teams] == [2, 3, 4], found
    assert "“滨海新区”" in teams[0][1] and "“滨海”" in teams[1][1] and "“binhai”" in teams[2][1]
    venues = [(line, message) for path, line, message in found if path == "content/data/venues.yml"]
    assert [line for line, _ in venues] == list(range(1, 12)), venues
    assert "还有 3 行" in venues[-1][1]
    assert not [p for p in found if "about.md" in p[0]]


def test_a_site_without_its_district_is_told_what_its_pages_would_say(tmp_path: Path) -> None:
    """Without KEPU_DISTRICT every page said 本区 and 全区, and neither check nor build said a word."""
    path = tmp_path / "pelicanconf.py"
    path.write_text(SAMPLE.replace('KEPU_DISTRICT = "滨海新区"\n', ""), "utf-8")
    (tmp_path / "content").mkdir()
    [problem] = [p for p in load(path).reminders if p.field == "KEPU_DISTRICT"]
    assert "没有设置" in problem.message and "本区" in problem.message and "全区" in problem.message, problem
    assert 'KEPU_DISTRICT = "' in problem.hint and problem.severity == "warning"


def test_a_district_really_in_the_samples_city_is_told_how_to_quiet_the_reminder(tmp_path: Path) -> None:
    """天津市河西区 keeps KEPU_CITY = "天津" and KEPU_REGION = "天津市", rightly: the reminders told it to
    change correct values (the re-audit), and only the README said what to do. Each reminder for one
    of SAMPLE_DISTRICT_NAMES now says: a district that really is there takes the word out of it."""
    path = tmp_path / "pelicanconf.py"
    path.write_text(SAMPLE.replace('KEPU_DISTRICT = "滨海新区"', 'KEPU_DISTRICT = "河西区"'), "utf-8")
    (tmp_path / "content").mkdir()
    reminders = {p.field: p for p in load(path).reminders}
    for name in ("KEPU_CITY", "KEPU_REGION"):
        assert "SAMPLE_DISTRICT_NAMES" in reminders[name].hint and "“天津”" in reminders[name].hint, reminders[name]
    assert "SAMPLE_DISTRICT_NAMES" not in reminders["ORGANIZATION"].hint  # it names 滨海新区 itself
    assert "它是 invoke codeowners" in reminders["KEPU_CODEOWNERS_TEAM"].hint


def test_a_missing_setting_is_told_with_the_reminders_in_one_run(tmp_path: Path) -> None:
    """Without ORGANIZATION and KEPU_DISTRICT the check said only that ORGANIZATION was missing; the
    missing district name came on the next run (the re-audit). Both are said at once."""
    text = SAMPLE.replace('ORGANIZATION = "天津市滨海新区科学技术协会"\n', "").replace('KEPU_DISTRICT = "滨海新区"\n', "")
    text = text.replace("AUTHOR = ORGANIZATION", 'AUTHOR = "某某县"')
    path = tmp_path / "pelicanconf.py"
    path.write_text(text, "utf-8")
    (tmp_path / "content").mkdir()
    result = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(tmp_path / "content"),
                             "--settings", str(path), "--build-date", "2026-12-01"],
                            cwd=ROOT, env=plugin_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "没有设置 ORGANIZATION" in said and "没有设置本区的名称 KEPU_DISTRICT" in said, said[-2000:]
