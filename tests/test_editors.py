"""What a volunteer editor does: scaffold, check, preview, publish, review; and the guide's examples."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLE_BUILD_DATE, TEST_SITE, plugin_env, run_build, run_check, site_config
from kepu.content.frontmatter import parse
from kepu.content.project import Layout, check
from kepu.content.registries import load_registries
from kepu.editor import scaffold
from kepu.editor.livereload import QUIET_MS, SCRIPT
from previewtools import Preview

GUIDE = ROOT / "docs" / "editor-guide.md"
TEMPLATES = ROOT / "ci-templates"
# Another stop than the mini site's liudong-kejiguan.md (same title and day, but 09:00): the same
# title, start and street twice would be one event published twice.
EVENT_FLAGS = ["--title", "流动科技馆进社区", "--street", "xinbei", "--team", "xinbei-liudong",
               "--date", "2026-12-05", "--time", "13:30-16:00", "--venue", "新北街道党群服务中心",
               "--address", "天津市滨海新区新北街道", "--categories", "kexue-shiyan",
               "--audiences", "qinzi,shequ-jumin"]
NEW_EVENT = Path("content/events/xinbei/2026/liu-dong-ke-ji-guan-jin-she-qu-2026-12.md")


def invoke(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    """A task exactly as an editor types it (``invoke …``), in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *args], cwd=cwd,
                          env=plugin_env(), capture_output=True, text=True, timeout=timeout)


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def layout_of(site: Path) -> Layout:
    return Layout(content=site / "content", root=site)


def besides_the_prompt(problems: list) -> list:
    """A new file's problems other than its body's prompt, which the editor is to replace
    (the check refuses it: published, it would be the event's description)."""
    return [p for p in problems if "模板的提示文字" not in p.message]


# ------------------------------------------------------------------ new-event / new-article

def test_new_event_without_questions_passes_check_and_builds(mini_site: Path, tmp_path: Path) -> None:
    result = invoke("new-event", "--content", str(mini_site / "content"), "--batch", *EVENT_FLAGS)
    assert result.returncode == 0, result.stderr
    created = mini_site / NEW_EVENT
    assert f"已创建 {created}" in result.stdout
    text = created.read_text("utf-8")
    assert text.count("# ") > 40  # every field explained in Chinese, most left commented out
    assert 'end: "16:00"' in text and "street: xinbei" in text
    checked = run_check(created, content=mini_site / "content", cwd=mini_site)
    assert checked.returncode == 1 and "正文里还留着模板的提示文字" in checked.stdout  # the intro is to write
    prompt = text.rstrip("\n").rsplit("\n", 1)[1]
    created.write_text(text.replace(prompt, "流动科技馆带来二十件互动展品。"), "utf-8")
    checked = run_check(created, content=mini_site / "content", cwd=mini_site)
    assert checked.returncode == 0, checked.stdout
    assert "检查通过：没有发现问题。" in checked.stdout
    built = run_build(mini_site / "content", tmp_path / "out")
    assert built.returncode == 0, built.stderr
    page = tmp_path / "out" / "events" / created.stem / "index.html"
    assert "流动科技馆进社区" in page.read_text("utf-8")
    assert (tmp_path / "out" / "events" / f"{created.stem}.ics").is_file()


def test_new_event_never_overwrites(mini_site: Path) -> None:
    content = str(mini_site / "content")
    assert invoke("new-event", "--content", content, "--batch", *EVENT_FLAGS).returncode == 0
    created = mini_site / NEW_EVENT
    created.write_text(created.read_text("utf-8") + "志愿者补充的介绍。\n", "utf-8")
    before = created.read_bytes()
    for extra in ([], ["--slug", created.stem]):
        again = invoke("new-event", "--content", content, "--batch", *EVENT_FLAGS, *extra)
        assert again.returncode == 1
        assert f"没有创建文件：文件名“{created.stem}”已被" in again.stderr
        assert "Traceback" not in again.stderr
        assert created.read_bytes() == before
    with pytest.raises(scaffold.ScaffoldError, match="文件已存在"):
        scaffold.write_new(created, "---\n", layout_of(mini_site))
    assert created.read_bytes() == before


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--street", "xinbie", "未知的街镇编号“xinbie” — 是否想写“xinbei”（新北街道）？"),
    ("--team", "xinbei-liudon", "未知的志愿服务队编号“xinbei-liudon” — 是否想写“xinbei-liudong”"),
    ("--categories", "kexue-shiyan,kepu-jiangzou", "未知的活动类型编号“kepu-jiangzou” — 是否想写“kepu-jiangzuo”（科普讲座）？"),
    ("--time", "下午两点", "无法识别的时间“下午两点” — 写开始和结束时间，例如 14:00-16:00；全天活动写“全天”"),
    ("--date", "2026-02-30", "日期“2026-02-30”不存在（2 月没有 30 日）"),
    ("--street", "", "--street 不能为空 — 街镇编号"),
    ("--venue", "", "缺少活动地点 — 线下活动写 --venue 场地名称，线上活动写 --online 直播链接"),
])
def test_bad_flags_are_refused_with_a_suggestion(mini_site: Path, flag: str, value: str,
                                                 message: str) -> None:
    flags = list(EVENT_FLAGS)
    flags[flags.index(flag) + 1] = value
    result = invoke("new-event", "--content", str(mini_site / "content"), "--batch", *flags)
    assert result.returncode == 1
    assert message in result.stderr
    assert not (mini_site / NEW_EVENT).exists()


def test_batch_mode_names_the_missing_flag(mini_site: Path) -> None:
    flags = EVENT_FLAGS[:6] + EVENT_FLAGS[8:]  # no --date
    result = invoke("new-event", "--content", str(mini_site / "content"), "--batch", *flags)
    assert result.returncode == 1
    assert "没有创建文件：缺少 --date — 活动日期" in result.stderr


def scripted(answers: list[str], asked: list[str]):
    def ask(question: str, default: str) -> str:
        asked.append(f"{question} [{default}]")
        return answers.pop(0)
    return ask


def test_questions_are_repeated_until_the_answer_is_usable(mini_site: Path) -> None:
    asked, said = [], []
    answers = ["科学会客厅：星空讲座", "", "tiada", "泰达", "", "2026/12/20", "19：00—20：30",
               "", "", "泰达图书馆", "", "", "kepu-jiangzuo", "shequ-jumin", "", "", "", "", ""]
    path = scaffold.run("event", {}, site_config(mini_site / "content"), date(2026, 11, 30),
                        scripted(answers, asked), said.append)
    assert answers == []
    assert "  ✗ 这一项必须填写" in said
    assert any("✗ 未知的街镇编号“tiada” — 是否想写“taida”（泰达街道）？" in s for s in said)
    assert "志愿服务队编号 [taida-huiketing]" in asked  # the street's only team is offered
    assert path == mini_site / "content/events/taida/2026/ke-xue-hui-ke-ting-xing-kong-jiang-zuo-2026-12.md"
    doc, problems = parse(path.read_bytes(), "x.md")
    assert problems == [] and doc is not None
    assert (doc.meta["start"], doc.meta["end"], doc.meta["team"]) == ("2026-12-20 19:00", "20:30",
                                                                       "taida-huiketing")
    assert besides_the_prompt(check(layout_of(mini_site), [path]).problems) == []


@pytest.mark.parametrize(("given", "expected"), [
    ({"time": "全天", "end_date": "2026-12-07"}, {"start": "2026-12-05", "end": "2026-12-07"}),
    ({"time": "全天"}, {"start": "2026-12-05"}),
    ({"venue": None, "address": None, "online": "https://live.example.cn/1"}, {"online": "https://live.example.cn/1"}),
    ({"time": "20:00-02:00", "end_date": "2026-12-06"}, {"end": "2026-12-06 02:00"}),
])
def test_all_day_multi_day_and_online_drafts_validate(mini_site: Path, given: dict,
                                                      expected: dict) -> None:
    flags = dict(zip([f[2:].replace("-", "_") for f in EVENT_FLAGS[::2]], EVENT_FLAGS[1::2], strict=True))
    flags.update(given)
    path = scaffold.run("event", flags, site_config(mini_site / "content"), date(2026, 11, 30))
    doc, _ = parse(path.read_bytes(), "x.md")
    assert {k: doc.meta.get(k) for k in expected} == expected
    assert ("venue" in doc.meta) == bool(flags.get("venue"))
    assert besides_the_prompt(check(layout_of(mini_site), [path]).problems) == []


def test_new_article_links_an_event_and_suggests_misspelled_ones(mini_site: Path) -> None:
    path = scaffold.run("article", {"title": "流动科技馆进社区圆满结束", "events": "liudong-kejiguan",
                                    "street": "新北街道"}, site_config(mini_site / "content"), date(2026, 12, 6))
    assert path == mini_site / "content/articles/2026/liu-dong-ke-ji-guan-jin-she-qu-yuan-man-jie-shu.md"
    doc, _ = parse(path.read_bytes(), "x.md")
    assert (doc.meta["date"], doc.meta["street"], doc.meta["events"]) == (
        "2026-12-06", "xinbei", ["liudong-kejiguan"])
    assert besides_the_prompt(check(layout_of(mini_site), [path]).problems) == []
    with pytest.raises(scaffold.ScaffoldError, match="是否想写“liudong-kejiguan”"):
        scaffold.run("article", {"title": "另一篇", "events": "liudong-kejigua"}, site_config(mini_site / "content"),
                     date(2026, 12, 6))


@pytest.mark.parametrize(("title", "day", "slug"), [
    ("流动科技馆进社区", date(2026, 12, 5), "liu-dong-ke-ji-guan-jin-she-qu-2026-12"),
    ("重庆银行行长讲理财", None, "chong-qing-yin-hang-hang-zhang-jiang-li-cai"),  # polyphones
    ("3D打印体验 DIY！", None, "3d-da-yin-ti-yan-diy"),
    ("！！！", date(2027, 1, 2), "2027-01"),
    ("？", None, "huodong"),
    ("全国科普日" * 12, None, "quan-guo-ke-pu-ri-quan-guo-ke-pu-ri-quan-guo-ke-pu"),
    ("冬季科学实验课：电与磁的奥秘，亲子动手做电动机和指南针", None,
     "dong-ji-ke-xue-shi-yan-ke-dian-yu-ci-de-ao-mi"),  # whole clauses that fit
])
def test_slug_is_ascii_pinyin(title: str, day: date | None, slug: str) -> None:
    assert scaffold.propose_slug(title, day) == slug


@pytest.mark.parametrize("title", ["科学会客厅: 线上直播", "#1 科普讲座", "yes", "2026-12-05", "[亲子] 实验",
                                   '"引号"里的名称', "100", "a: b # c", " 前后有空格 "])
def test_any_title_is_written_so_it_reads_back_unchanged(mini_site: Path, title: str) -> None:
    flags = dict(zip([f[2:].replace("-", "_") for f in EVENT_FLAGS[::2]], EVENT_FLAGS[1::2], strict=True))
    flags.update(title=title, slug="biaoti-ceshi")
    path = scaffold.run("event", flags, site_config(mini_site / "content"), date(2026, 11, 30))
    doc, problems = parse(path.read_bytes(), "x.md")
    assert problems == []
    assert doc.meta["title"] == " ".join(title.split())


# ------------------------------------------------------------------ check

def test_check_lists_every_problem_grouped_by_file(mini_site: Path) -> None:
    events = mini_site / "content" / "events" / "xinbei" / "2026"
    good = (events / "liudong-kejiguan.md").read_text("utf-8")
    (events / "bad-a.md").write_text(good.replace('end: "16:00"', "end: 16:00"), "utf-8")
    (events / "bad-b.md").write_text(good.replace("street: xinbei", "street: xinbie")
                                     .replace("audiences: [qinzi, shequ-jumin]", "audiences: [laoren]"),
                                     "utf-8")
    result = invoke("check", "--content", str(mini_site / "content"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "▶ content/events/xinbei/2026/bad-a.md",
        '  content/events/xinbei/2026/bad-a.md:4: end: “16:00”被 YAML 读成了数字 960 — 时间要加英文引号：end: "16:00"',
        "▶ content/events/xinbei/2026/bad-b.md",
        "  content/events/xinbei/2026/bad-b.md:5: street: 未知的街镇编号“xinbie” — 是否想写“xinbei”（新北街道）？",
        "  content/events/xinbei/2026/bad-b.md:9: audiences[0]: 未知的服务对象编号“laoren” — 是否想写“laonianren”（老年人）？",
        "共 3 个错误、0 个提醒：请按提示修改后再构建。",
    ]


def test_checking_one_file_checks_just_that_file() -> None:
    """`invoke check FILE` checks the one file (its speed is measured by bench/, never here)."""
    event = next((ROOT / "content" / "events").rglob("*.md")).relative_to(ROOT)
    result = invoke("check", str(event))
    assert result.returncode == 0, result.stdout
    assert "已检查 1 个文件。" in result.stdout


# ------------------------------------------------------------------ publish

def test_failed_publish_leaves_the_published_site_byte_for_byte_intact(mini_repository: Path,
                                                                        tmp_path: Path) -> None:
    published = tmp_path / "www"
    args = ["publish", "--content", str(mini_repository / "content"), "--output", str(published),
            "--siteurl", "https://example.cn/kepu/", "--build-date", SAMPLE_BUILD_DATE]
    first = invoke(*args)
    assert first.returncode == 0, first.stderr
    before = tree(published)
    assert "events/liudong-kejiguan/index.html" in before
    bad = mini_repository / "content" / "events" / "xinbei" / "2026" / "bad.md"
    bad.write_text("---\ntitle: 坏活动\nstart: 2026/12/5\n---\n", "utf-8")
    second = invoke(*args)
    assert second.returncode == 1
    assert "content/events/xinbei/2026/bad.md:3: start: 无法识别的日期“2026/12/5”" in second.stderr
    assert "Traceback" not in second.stderr
    assert tree(published) == before
    assert not (tmp_path / ".www.building").exists()
    wrong = invoke("publish", "--content", str(mini_repository / "content"), "--output", str(published),
                   "--siteurl", "kepu.example.cn")
    assert wrong.returncode == 1
    assert "网址“kepu.example.cn”无效" in wrong.stderr
    assert tree(published) == before
    # The sample's placeholder, typed out (as docs/deploy.md's first example reads): refused as when
    # it is only the default; a new district's calendars would point at someone else's site.
    sample = invoke("publish", "--content", str(mini_repository / "content"), "--output", str(published),
                    "--siteurl", "https://kepu.example.cn/")
    assert sample.returncode == 1 and "https://kepu.example.cn 是示例网址" in sample.stderr, sample.stderr
    assert tree(published) == before


def test_a_build_for_the_sample_address_is_never_offered_for_upload(mini_repository: Path, tmp_path: Path) -> None:
    """A new district's maintainer ran invoke preview (publishconf.py, the sample's address) into
    output/, then a local build: the build told them to upload after
    `invoke publish --siteurl https://kepu.example.cn` -- someone else's address. The preview says
    its site is not to be uploaded, and the next build does not offer the sample address."""
    output = tmp_path / "output"
    preview = run_build(mini_repository / "content", output, settings=ROOT / "publishconf.py")
    assert preview.returncode == 0, preview.stderr
    assert "是按示例网址 https://kepu.example.cn 构建的" in preview.stderr and "不能上传" in preview.stderr, preview.stderr
    local = run_build(mini_repository / "content", output)
    assert local.returncode == 0, local.stderr
    assert "kepu.example.cn" not in local.stdout + local.stderr, local.stdout + local.stderr


SITE_HOSTS = {"https://example.cn/kepu": "example.cn", "https://kepu.example.cn": "kepu.example.cn"}
_ATTRIBUTE = re.compile(r'\s(href|src|action|data-[a-z-]+|content)="([^"]*)"')


def internal_links(output: Path, siteurl: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Every link in the build that points into the site, and those not under ``siteurl``."""
    host = SITE_HOSTS[siteurl]
    found, wrong = [], []
    for page in output.rglob("*"):
        if page.suffix not in (".html", ".ics", ".xml", ".json", ".js", ".css", ".webmanifest", ".txt"):
            continue
        text = re.sub(r"\r?\n[ \t]", "", page.read_bytes().decode("utf-8", "replace"))  # unfold .ics
        where = page.relative_to(output).as_posix()
        for name, value in _ATTRIBUTE.findall(text) if page.suffix == ".html" else ():
            if name in ("href", "src", "action") and not re.match(r"^(#|[a-z]+:|$)", value):
                wrong.append((where, value))  # relative or root-relative: breaks under a sub-path
        for url in re.findall(rf"(?:https?|webcal)://{re.escape(host)}[^\s\"'<>)\\]*", text):
            rest = url.split("://", 1)[1]
            if rest.startswith(f"{siteurl.split('://')[1]}/") or url == siteurl:  # a page, or the base
                found.append(url)
            else:
                wrong.append((where, url))
        for encoded in re.findall(rf"(?:https?|webcal)%3A%2F%2F{re.escape(host)}(%2F[^&\"]*)?", text):
            prefix = siteurl.split("://")[1].removeprefix(host).replace("/", "%2F")
            if not encoded.startswith(prefix + "%2F"):
                wrong.append((where, encoded))
    return found, wrong


@pytest.mark.parametrize("siteurl", list(SITE_HOSTS))
def test_published_links_work_at_a_domain_root_and_under_a_sub_path(tmp_path: Path, siteurl: str) -> None:
    output = tmp_path / "out"
    result = run_build(TEST_SITE / "content", output, settings=ROOT / "publishconf.py",
                       extra_args=("--siteurl", siteurl))
    assert result.returncode == 0, result.stderr
    found, wrong = internal_links(output, siteurl)
    assert wrong == []
    assert len(found) > 500
    missing = set()
    for url in found:
        path = url.split("://", 1)[1].removeprefix(siteurl.split("://", 1)[1]).split("#")[0].split("?")[0]
        target = output / path.lstrip("/")
        if not (target.is_file() or (target / "index.html").is_file()):
            missing.add(url)
    assert not missing, sorted(missing)[:10]


# ------------------------------------------------------------------ livereload

def test_livereload_rebuilds_on_save_reports_errors_and_keeps_serving(mini_site: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    event = mini_site / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    original = event.read_text("utf-8")
    monkeypatch.setenv("KEPU_TRACE", "1")  # each build says how many parses came from its cache
    preview = Preview(mini_site, tmp_path)
    try:
        with preview.get("/feeds/all.ics") as response:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        with preview.get("/events/liudong-kejiguan/") as response:
            assert SCRIPT in response.read()
        assert SCRIPT not in (preview.out / "events" / "liudong-kejiguan" / "index.html").read_bytes()
        reloads: list[bytes] = []
        reloaded = threading.Event()
        stream = preview.get("/__kepu/livereload")

        def listen() -> None:  # as an open page does: reads the event stream
            for line in stream:
                reloads.append(line)
                if b"event: reload" in line:
                    reloaded.set()

        threading.Thread(target=listen, daemon=True).start()

        event.write_text(original.replace('end: "16:00"', "end: 16:00"), "utf-8")
        preview.wait_for("content/events/xinbei/2026/liudong-kejiguan.md:4: end: “16:00”被 YAML 读成了数字 960")
        preview.wait_for("预览保持上一次成功构建的内容")
        with preview.get("/events/liudong-kejiguan/") as response:
            assert "流动科技馆进社区" in response.read().decode()
        assert not any(b"event: reload" in line for line in reloads)

        saved: list[tuple[float, float]] = []  # when each save began and ended
        for step in ("流动科技馆", "流动科技馆进", "流动科技馆进新北"):  # several saves in a burst,
            began = time.monotonic()
            event.write_text(original.replace("title: 流动科技馆进社区", f"title: {step}"), "utf-8")
            saved.append((began, time.monotonic()))
            time.sleep(0.02)  # as fast as an editor saves (the input, not a wait for a result)
        # The watcher waits QUIET_MS after a save for the next one. Only if this process was paused longer
        # than that between two saves (a loaded machine) may the burst be seen as two.
        paused = any(after[1] - before[0] >= QUIET_MS / 1000 for before, after in pairwise(saved))
        for rebuilds in range(1, 3):
            preview.wait_for("预览已更新")
            with preview.get("/events/liudong-kejiguan/") as response:
                if "流动科技馆进新北" in response.read().decode():
                    break
            assert paused and rebuilds == 1, preview.seen  # the burst's one rebuild shows the last save
        assert reloaded.wait(timeout=120), reloads  # the open page is told to reload
        # Another file saved after that rebuild. Its own rebuild closes the sequence (no sleep); after a
        # paused burst, the burst's second rebuild comes first or is reported together with this file.
        other = mini_site / "content" / "events" / "taida" / "2026" / "kepu-ri.md"
        other.write_text(other.read_text("utf-8") + "\n补充：请提前十分钟到场。\n", "utf-8")
        preview.wait_for("kepu-ri.md")
        preview.wait_for("预览已更新")
        detected = [line for line in preview.seen if "检测到修改" in line]
        burst, other_file = "检测到修改：liudong-kejiguan.md，正在重新构建……", "检测到修改：kepu-ri.md，正在重新构建……"
        one_each = [burst, burst, other_file]
        split = [[burst, burst, burst, other_file], [burst, burst, "检测到修改：kepu-ri.md、liudong-kejiguan.md，正在重新构建……"]]
        assert detected == one_each or (paused and detected in split), (saved, detected)  # one rebuild per burst
        parses = [re.search(r"events: (\d+) of (\d+) parses from the cache", line) for line in preview.seen]
        hits, total = (int(n) for n in [m for m in parses if m][-1].groups())
        assert total >= 2 and hits == total - 1, preview.seen  # the cache is used: only kepu-ri parsed again
    finally:
        preview.stop()


# ------------------------------------------------------------------ CI templates and review

def ci_yaml(name: str) -> dict:
    return yaml.load((TEMPLATES / name).read_text("utf-8"), Loader=yaml.BaseLoader)  # "on" stays "on"


def test_ci_templates_run_the_check_on_pull_requests_and_publish_on_merge() -> None:
    github = ci_yaml("github-actions.yml")
    assert {"pull_request", "push"} <= set(github["on"])
    runs = {job: [s.get("run", "") for s in spec["steps"]] for job, spec in github["jobs"].items()}
    assert "sh ci-templates/check-and-build.sh check" in runs["check"]
    assert "sh ci-templates/check-and-build.sh publish" in runs["publish"]
    assert "pull_request" in github["jobs"]["check"]["if"]
    for name, trigger, mode in (("gitee-go-pr.yml", "pr", "check"), ("gitee-go-publish.yml", "push", "publish")):
        gitee = ci_yaml(name)
        assert trigger in gitee["triggers"]
        commands = [c for stage in gitee["stages"] for s in stage["steps"] for c in s["commands"]]
        assert f"sh ci-templates/check-and-build.sh {mode}" in commands
    script = TEMPLATES / "check-and-build.sh"
    assert script.stat().st_mode & stat.S_IXUSR
    tasks = invoke("--list").stdout
    for task in set(re.findall(r'"\$invoke" -r "\$kepu" ([a-z-]+)', script.read_text("utf-8"))):
        assert re.search(rf"^\s+{task}\s", tasks, re.MULTILINE), task
    assert ".venv/.installed" in script.read_text("utf-8")
    assert "$(STAMP):" in (ROOT / "Makefile").read_text("utf-8")


def content_repository(tmp_path: Path) -> Path:
    """A content-only repository: content/, the CI script, and history."""
    repo = tmp_path / "repo"
    shutil.copytree(TEST_SITE / "content", repo / "content")
    shutil.copytree(TEMPLATES, repo / "ci-templates")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.cn"}
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "content"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True)
    return repo


def run_ci(repo: Path, mode: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "ci-templates/check-and-build.sh", mode], cwd=repo, capture_output=True,
                          text=True, timeout=300,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITEE_"))},
                               "KEPU_DIR": str(ROOT), "KEPU_SKIP_SETUP": "1",
                               "KEPU_INVOKE": str(Path(sys.executable).with_name("invoke")),
                               "KEPU_BUILD_DATE": SAMPLE_BUILD_DATE, **env})


def test_ci_script_checks_builds_and_publishes_a_content_repository(tmp_path: Path) -> None:
    repo = content_repository(tmp_path)
    checked = run_ci(repo, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "检查通过：没有发现问题。" in checked.stdout
    assert (repo / "public" / "events" / "liudong-kejiguan" / "index.html").is_file()
    published = run_ci(repo, "publish", KEPU_SITEURL="https://example.cn/kepu")
    assert published.returncode == 0, published.stdout + published.stderr
    found, wrong = internal_links(repo / "public", "https://example.cn/kepu")
    assert found and wrong == []
    bad = repo / "content" / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    bad.write_text(bad.read_text("utf-8").replace("street: xinbei", "street: xinbie"), "utf-8")
    before = tree(repo / "public")
    failed = run_ci(repo, "publish", KEPU_SITEURL="https://example.cn/kepu")
    assert failed.returncode != 0
    assert ("content/events/xinbei/2026/liudong-kejiguan.md:5: street: 未知的街镇编号“xinbie” — "
            "是否想写“xinbei”（新北街道）？") in failed.stdout
    assert tree(repo / "public") == before


def test_codeowners_gives_every_street_folder_to_its_editors() -> None:
    registries, _ = load_registries(ROOT / "content" / "data")
    rules = {}
    for line in (TEMPLATES / "CODEOWNERS.example").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            assert owners and all(o.startswith("@") for o in owners), line
            rules[pattern] = owners
    assert len(registries.streets) >= 5
    for street in registries.streets:
        assert rules.get(f"/content/events/{street}/") == [f"@binhai-kepu/{street}-editors"], street


# ------------------------------------------------------------------ the editor's guide

_EXAMPLE = re.compile(r"文件 `(?P<path>content/events/[^`]+\.md)`：\n\n```markdown\n(?P<text>---\n.*?)```", re.S)


def guide_examples() -> list[tuple[str, str]]:
    return [(m["path"], m["text"]) for m in _EXAMPLE.finditer(GUIDE.read_text("utf-8"))]


def kind_of(meta: dict) -> set[str]:
    kinds = {meta.get("status", "scheduled")}
    if "recurrence" in meta and meta["recurrence"].get("exdates"):
        kinds.add("recurring-with-exceptions")
    if ":" not in str(meta["start"]):
        kinds.add("multi-day" if meta.get("end") not in (None, meta["start"]) else "all-day")
    if "online" in meta and "venue" not in meta:
        kinds.add("online")
    return kinds


def test_every_guide_example_is_a_valid_event_of_each_kind(tmp_path: Path) -> None:
    text = GUIDE.read_text("utf-8")
    examples = guide_examples()
    assert len(examples) == text.count("```markdown\n---") >= 8  # no example escapes this test
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content" / "data", site / "content" / "data")
    campaigns = site / "content" / "data" / "campaigns.yml"  # its main events are the sample's, not here
    campaigns.write_text("".join(line for line in campaigns.read_text("utf-8").splitlines(keepends=True)
                                 if not line.lstrip().startswith("main_event:")), "utf-8")
    for path, body in examples:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(body, "utf-8")
    result = check(layout_of(site))
    assert [p.format() for p in result.problems] == []
    assert result.checked_files == len(examples)
    kinds = set().union(*(kind_of(parse(body.encode(), p)[0].meta) for p, body in examples))
    assert {"scheduled", "recurring-with-exceptions", "multi-day", "all-day", "online", "cancelled",
            "postponed", "full"} <= kinds
    built = run_build(site / "content", tmp_path / "out")
    assert built.returncode == 0, built.stderr
    for path, _ in examples:
        assert (tmp_path / "out" / "events" / Path(path).stem / "index.html").is_file(), path


def test_guide_commands_and_names_match_the_tools() -> None:
    text = GUIDE.read_text("utf-8")
    assert str(NEW_EVENT) in text  # the file name new-event proposes for the guide's example
    assert scaffold.propose_slug("流动科技馆进社区", date(2026, 12, 5)) == NEW_EVENT.stem
    for task in set(re.findall(r"\binvoke ([a-z][a-z-]+)", text)):
        assert f"\n  {task} " in invoke("--list").stdout, task
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "docs/editor-guide.md" in readme


@pytest.mark.parametrize("task", ["check", "excel-template"])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_a_task_s_help_is_shown_not_taken_for_a_file(tmp_path: Path, task: str, flag: str) -> None:
    """`invoke check --help` said 文件不存在: --help was taken for the file to check (the other tasks
    show their help)."""
    result = invoke(task, flag, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "文件不存在" not in result.stdout + result.stderr
    assert "--content" in result.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written (no template named --help)


def test_a_build_date_that_is_no_date_is_said_in_chinese(tmp_path: Path) -> None:
    """--build-date 2026-12-32: argparse's own message was English (invalid fromisoformat value)."""
    result = invoke("build", "--build-date", "2026-12-32", cwd=tmp_path)
    assert result.returncode != 0
    assert "“2026-12-32”不是有效的日期：写成 2026-12-01 这样的年-月-日" in result.stderr
    assert "fromisoformat" not in result.stdout + result.stderr


def test_publishing_at_the_sample_s_placeholder_address_is_refused(mini_site: Path, tmp_path: Path) -> None:
    """`invoke publish` without --siteurl built a site whose subscriptions, QR codes and share links
    pointed at https://kepu.example.cn (publishconf.py's placeholder), with only a hint."""
    published = tmp_path / "www"
    result = invoke("publish", "--content", str(mini_site / "content"), "--output", str(published),
                    "--build-date", SAMPLE_BUILD_DATE)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "没有指定网站的网址：https://kepu.example.cn 只是示例" in result.stderr
    assert "invoke publish --siteurl https://你的网址" in result.stderr
    assert not published.exists()


def test_publishing_with_the_samples_calendar_id_domain_is_questioned(mini_repository: Path, tmp_path: Path) -> None:
    """A district that took the sample's settings and changed its names published calendars whose
    entries' ids ended in the sample's example domain without a word; changing it afterwards shows
    every event twice in subscribers' calendars. A preview says nothing of it."""
    site = ("--siteurl", "https://kepu.pudong.cn")
    sample = run_build(mini_repository / "content", tmp_path / "sample", settings=ROOT / "publishconf.py", extra_args=site)
    assert sample.returncode == 0, sample.stderr[-2000:]
    assert "提醒：日历编号的域名 UID_DOMAIN 还是示例“kepu.binhai.example.cn”" in sample.stderr, sample.stderr
    own = tmp_path / "pudongconf.py"
    own.write_text('from publishconf import *  # noqa: F403\n\nUID_DOMAIN = "kepu.pudong.cn"\n', "utf-8")
    published = run_build(mini_repository / "content", tmp_path / "own", settings=own, extra_args=site)
    preview = run_build(mini_repository / "content", tmp_path / "preview")
    for done in (published, preview):
        assert done.returncode == 0 and "UID_DOMAIN" not in done.stderr, done.stderr[-2000:]


def test_a_preview_built_over_a_published_site_says_so(mini_repository: Path, tmp_path: Path) -> None:
    """deploy.md says to upload the folder invoke publish wrote; a preview (invoke build, preview,
    livereload) run afterwards replaced it with 127.0.0.1 addresses without a word."""
    output = tmp_path / "output"
    site = "https://example.cn/kepu"
    published = run_build(mini_repository / "content", output, settings=ROOT / "publishconf.py", extra_args=("--siteurl", site))
    assert published.returncode == 0, published.stderr[-2000:]
    assert "原来是发布到" not in published.stderr
    preview = run_build(mini_repository / "content", output)
    assert preview.returncode == 0, preview.stderr[-2000:]
    assert f"原来是发布到 {site} 的网站，现在换成了本机预览的版本" in preview.stderr
    again = run_build(mini_repository / "content", output)
    assert "原来是发布到" not in again.stderr  # a preview over a preview: nothing to say
