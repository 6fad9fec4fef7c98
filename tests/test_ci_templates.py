"""The CI templates on a content repository, run the way the CI runs them: a broken pull request fails,
each problem is a GitHub annotation on its file and line, the job summary lists them in Chinese, and
publishing refuses a shallow clone (the change feed and calendar SEQUENCE come from history)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TEST_SITE, plugin_env
from kepu.content.problems import WARNING, Problem
from kepu.content.registries import load_registries
from kepu.editor.annotations import github_commands
from kepu.editor.codeowners import render

TEMPLATES = ROOT / "ci-templates"
SCRIPT = "ci-templates/check-and-build.sh"
INVOKE = Path(sys.executable).with_name("invoke")
GIT_ENV = {"GIT_AUTHOR_NAME": "志愿者", "GIT_AUTHOR_EMAIL": "v@example.cn",
           "GIT_COMMITTER_NAME": "志愿者", "GIT_COMMITTER_EMAIL": "v@example.cn"}
# The generator, for the layout that is a fork of the whole project.
PROGRAM = ("plugins", "theme", "tasks.py", "Makefile", "pelicanconf.py", "publishconf.py", "requirements.txt")


def clean_environment() -> dict[str, str]:
    """This machine's environment without any CI's own variables (the tests may run inside a CI)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITEE_", "KEPU_", "RUNNER_"))}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env={**clean_environment(), **GIT_ENV}, check=True,
                          capture_output=True, text=True).stdout


def run_ci(repo: Path, mode: str, layout: str = "content", **env: str) -> subprocess.CompletedProcess:
    """``sh ci-templates/check-and-build.sh MODE`` as the workflow's step runs it."""
    program = {"KEPU_DIR": str(ROOT)} if layout == "content" else {}
    return subprocess.run(["sh", SCRIPT, mode], cwd=repo, capture_output=True, text=True, timeout=600,
                          env={**clean_environment(), **program, "KEPU_SKIP_SETUP": "1",
                               "KEPU_INVOKE": str(INVOKE), **env})


def copy_program(into: Path) -> None:
    """The generator's files, as a fork of the project (or the program's own repository) has them."""
    for name in PROGRAM:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, into / name)


def make_repository(where: Path, layout: str) -> Path:
    """A content repository on branch main: only content/ and the CI script, or a fork of the project."""
    repo = where / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(TEMPLATES, repo / "ci-templates")
    if layout == "fork":
        copy_program(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "科普日历内容")
    return repo


@dataclass(frozen=True)
class Broken:
    """One line a volunteer got wrong, and what a reviewer must see on it."""

    path: str
    line: int
    kind: str   # error or warning, as annotated
    field: str
    says: str   # part of the message and fix
    form: str = ""  # where the web form shows the field ("" when it has none, e.g. a misspelt key)

    @property
    def title(self) -> str:
        """The annotation's title: the field as the web form shows it, then as the file has it."""
        return f"{self.form}（{self.field}）" if self.form else self.field


def line_of(text: str, wanted: str) -> int:
    return text.splitlines().index(wanted) + 1


def edit(repo: Path, path: str, old: str, new: str) -> str:
    file = repo / path
    text = file.read_text("utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), "utf-8")
    return file.read_text("utf-8")


def open_broken_pull_request(repo: Path) -> list[Broken]:
    """A branch with the mistakes volunteers really make, committed as a pull request would be."""
    git(repo, "switch", "-q", "-c", "xinbei-2026-11")
    broken = []
    # 1. Saved in 泰达's folder although it is 新北's event: reviewed by the wrong street's editors.
    moved = "content/events/taida/2026/xinbei-liudong-kejiguan-2026-11.md"
    (repo / moved).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", "content/events/xinbei/2026/xinbei-liudong-kejiguan-2026-11.md", moved)
    broken.append(Broken(moved, line_of((repo / moved).read_text("utf-8"), "street: xinbei"), "error", "street",
                         "文件放在 taida 文件夹，street 却写的是 xinbei — 把文件移到 content/events/xinbei/ 下，或改正 street", "街镇"))
    # 2. A mistyped field name: the registration block would be dropped ("无需报名" published).
    typo = "content/events/beitang/2026/beitang-chaojiandai-guancha.md"
    text = edit(repo, typo, "\nregistration:", "\nregstration:")
    broken.append(Broken(typo, line_of(text, "regstration:"), "error", "regstration",
                         "未知字段“regstration”，将被忽略 — 是否想写“registration”？"))
    # 3. A date that does not exist.
    date = "content/events/dagu/2026/dagu-shujia-fangni-shui-anquan.md"
    text = edit(repo, date, "start: 2026-06-28 09:30", "start: 2026-06-31 09:30")
    broken.append(Broken(date, line_of(text, "start: 2026-06-31 09:30"), "error", "start", "2026-06-31", "开始"))
    # 4. A reminder that stays a reminder: postponed, new date to be announced.
    note = "content/events/beitang/2026/beitang-dongji-guanniao.md"
    title = next(line for line in (repo / note).read_text("utf-8").splitlines() if line.startswith("title:"))
    text = edit(repo, note, title, f"{title}\nstatus: postponed\nstatus_note: 因大风延期，新时间另行通知。")
    broken.append(Broken(note, line_of(text, "status: postponed"), "warning", "status", "没有写原定时间", "状态"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "新北街道：11 月流动科技馆")
    return broken


_COMMAND = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def annotations(stdout: str) -> list[dict[str, str]]:
    """The workflow commands GitHub turns into annotations, parsed and unescaped."""
    found = []
    for line in stdout.splitlines():
        command = _COMMAND.match(line)
        if command:
            properties = dict(item.split("=", 1) for item in command[2].split(","))
            found.append({"kind": command[1], **{k: unescape(v) for k, v in properties.items()},
                          "message": unescape(command[3])})
    return found


def summary_rows(summary: str) -> dict[str, list[list[str]]]:
    """The summary's tables: file heading → rows of cells."""
    rows: dict[str, list[list[str]]] = {}
    for section in summary.split("\n### ")[1:]:
        heading, _, body = section.partition("\n")
        rows[heading.strip().strip("`").replace("\\_", "_")] = [
            [cell.strip() for cell in line.strip("|").split(" | ")]
            for line in body.splitlines() if line.startswith("| ") and not line.startswith("| 行 |")]
    return rows


@pytest.mark.parametrize("layout", ["content", "fork"])
def test_a_broken_pull_request_is_annotated_on_its_lines_and_summarised(tmp_path: Path, layout: str) -> None:
    repo = make_repository(tmp_path, layout)
    broken = open_broken_pull_request(repo)
    summary = tmp_path / "step-summary.md"
    result = run_ci(repo, "check", layout, GITHUB_ACTIONS="true", GITHUB_BASE_REF="main",
                    GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode != 0
    assert "invoke check --strict（这次改动相对于 main）" in result.stdout
    found = annotations(result.stdout)
    for wrong in broken:
        hits = [a for a in found if a.get("file") == wrong.path and a.get("line") == str(wrong.line)]
        assert [(a["kind"], a["title"]) for a in hits] == [(wrong.kind, wrong.title)], (wrong, found)
        assert wrong.says in hits[0]["message"], hits[0]
        # … and the run's log says it the same way (Gitea and Forgejo show the log, not annotations).
        kind = "" if wrong.kind == "error" else "（提醒）"
        assert f"  {wrong.path}:{wrong.line}: {kind}{wrong.title}: " in result.stdout, result.stdout
    assert {a["file"] for a in found} == {b.path for b in broken}
    assert not (repo / "public").exists()  # no trial build of a failing change
    rows = summary_rows(summary.read_text("utf-8"))
    assert "科普日历内容检查未通过" in summary.read_text("utf-8")
    assert "3 个错误、1 个提醒" in summary.read_text("utf-8")
    assert "| 行 | 问题 | 怎么改 |" in summary.read_text("utf-8")
    for wrong in broken:
        row = next(r for r in rows[wrong.path] if r[0] == str(wrong.line))
        assert ("提醒" in row[1]) == (wrong.kind == "warning"), row
        assert row[1].removeprefix("（提醒）").startswith(f"{wrong.title}："), row


def test_the_same_pull_request_fixed_passes_with_a_summary(tmp_path: Path) -> None:
    repo = make_repository(tmp_path, "content")
    git(repo, "switch", "-q", "-c", "fix")
    summary = tmp_path / "step-summary.md"
    result = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(repo / "content"), "--strict",
                             "--base", "main", "--format", "github", "--summary", str(summary)],
                            cwd=repo, env=plugin_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout
    assert annotations(result.stdout) == []
    assert "科普日历内容检查通过" in summary.read_text("utf-8")


@pytest.mark.parametrize("mode", ["publish", "check"])
def test_a_shallow_clone_is_refused_with_the_fix(tmp_path: Path, mode: str) -> None:
    origin = make_repository(tmp_path, "content")
    git(origin, "commit", "-q", "--allow-empty", "-m", "再一次提交")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow))
    result = run_ci(shallow, mode, KEPU_SITEURL="https://kepu.example.cn", GITHUB_BASE_REF="main")
    assert result.returncode != 0
    assert "只取了最近的提交（浅克隆）" in result.stderr
    assert "fetch-depth: 0" in result.stderr and "Gitee Go" in result.stderr
    assert not (shallow / "public").exists()


def test_an_unknown_target_branch_is_named(tmp_path: Path) -> None:
    repo = make_repository(tmp_path, "content")
    result = run_ci(repo, "check", GITHUB_BASE_REF="release-2027")
    assert result.returncode != 0
    assert "找不到合并请求的目标分支“release-2027”" in result.stderr


def test_annotations_escape_what_github_would_misread() -> None:
    problem = Problem("content/events/a,b:c.md", 7, "venue.name", "名称 100% 写错了\n第二行", "改成：正确的,名称",
                      WARNING)
    [command] = github_commands([problem]).splitlines()
    assert command == ("::warning file=content/events/a%2Cb%3Ac.md,line=7,title=venue.name::"
                       "名称 100%25 写错了%0A第二行 — 改成：正确的,名称")
    assert annotations(command)[0]["file"] == problem.path
    whole = github_commands([Problem("content/data/streets.yml", 0, "", "登记表读不出来")])
    assert whole == "::error file=content/data/streets.yml::登记表读不出来"


# ------------------------------------------------------------------ workflow templates

def workflow_files() -> list[Path]:
    return sorted(TEMPLATES.glob("*.yml"))


def actions_workflows() -> list[Path]:
    return [p for p in workflow_files() if not p.name.startswith("gitee-go")]


def steps_of(workflow: dict) -> list[dict]:
    if "jobs" in workflow:
        return [step for job in workflow["jobs"].values() for step in job["steps"]]
    return [step for stage in workflow["stages"] for step in stage["steps"]]


def commands_of(step: dict) -> str:
    return "\n".join([step.get("run", ""), *step.get("commands", [])])


def test_every_workflow_template_parses_and_runs_the_script() -> None:
    names = {p.name for p in workflow_files()}
    assert {"github-actions.yml", "gitea-actions.yml", "forgejo-actions.yml", "gitee-go-pr.yml",
            "gitee-go-publish.yml"} <= names
    for path in workflow_files():
        workflow = yaml.safe_load(path.read_text("utf-8"))
        scripts = [commands_of(s) for s in steps_of(workflow) if SCRIPT in commands_of(s)]
        assert scripts, path.name
        for text in scripts:
            assert re.search(rf"sh {SCRIPT} (check|publish)$", text, re.MULTILINE), (path.name, text)


def test_actions_templates_check_pull_requests_and_fetch_the_whole_history() -> None:
    workflows = actions_workflows()
    assert [p.name for p in workflows] == ["forgejo-actions.yml", "gitea-actions.yml", "github-actions.yml"]
    for path in workflows:
        workflow = yaml.safe_load(path.read_text("utf-8"))
        triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
        assert {"pull_request", "push"} <= set(triggers), path.name
        modes = {job: {m for s in spec["steps"] for m in re.findall(rf"{SCRIPT} (\w+)", commands_of(s))}
                 for job, spec in workflow["jobs"].items()}
        assert {"check"} in modes.values() and {"publish"} in modes.values(), (path.name, modes)
        checkouts = [s for s in steps_of(workflow) if "checkout" in s.get("uses", "")]
        assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts), path.name


def test_gitee_go_templates_complete_a_shallow_clone_before_the_script() -> None:
    for name in ("gitee-go-pr.yml", "gitee-go-publish.yml"):
        commands = [c for s in steps_of(yaml.safe_load((TEMPLATES / name).read_text("utf-8")))
                    for c in s.get("commands", [])]
        unshallow = next(i for i, c in enumerate(commands) if "--unshallow" in c)
        assert unshallow < next(i for i, c in enumerate(commands) if SCRIPT in c), name


# ------------------------------------------------------------------ CODEOWNERS

def codeowners_rules(name: str) -> dict[str, list[str]]:
    rules = {}
    for line in (TEMPLATES / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            assert owners and all(o.startswith("@") for o in owners), line
            rules[pattern] = owners
    return rules


def github_owners(rules: dict[str, list[str]], path: str) -> list[str]:
    """GitHub's reading: the last rule that matches (a folder rule covers everything below it)."""
    found: list[str] = []
    for pattern, owners in rules.items():
        if pattern == "*" or path.startswith(pattern.lstrip("/")):
            found = owners
    return found


def gitea_owners(rules: dict[str, list[str]], path: str) -> set[str]:
    """Gitea's and Forgejo's reading: every rule is a regular expression (``\\`` escapes) and all that
    match the whole path request a review."""
    return {o for pattern, owners in rules.items() if re.fullmatch(pattern.replace("\\\\", "\\"), path)
            for o in owners}


def test_every_street_folder_of_the_sample_has_its_editors_for_events_and_images() -> None:
    registries, _ = load_registries(ROOT / "content" / "data")
    streets = sorted(p.name for p in (ROOT / "content" / "events").iterdir() if p.is_dir())
    assert streets and set(streets) <= set(registries.streets)
    github, gitea = codeowners_rules("CODEOWNERS.example"), codeowners_rules("CODEOWNERS.gitea.example")
    for street in registries.streets:
        editors = f"@binhai-kepu/{street}-editors"
        for path in (f"content/events/{street}/2027/a.md", f"content/images/events/{street}/photo.jpg"):
            assert github_owners(github, path) == [editors], path
            assert editors in gitea_owners(gitea, path), path
        assert gitea_owners(gitea, f"content/images/events/{street}x/photo.jpg").isdisjoint({editors})
    assert github_owners(github, "content/images/logo.png") == ["@binhai-kepu/admins"]
    # News pictures go where the web editor uploads them (content/images/articles/).
    assert github_owners(github, "content/images/articles/photo.jpg") == ["@binhai-kepu/admins", "@binhai-kepu/news-editors"]
    assert "@binhai-kepu/news-editors" in gitea_owners(gitea, "content/images/articles/photo.jpg")
    assert gitea_owners(gitea, ".gitea/workflows/kepu.yml") == {"@binhai-kepu/admins"}


def test_codeowners_examples_are_what_the_generator_writes_for_the_sample() -> None:
    """`invoke codeowners` names the team of the sample's settings (KEPU_CODEOWNERS_TEAM)."""
    for flags, example in (((), "CODEOWNERS.example"), (("--gitea",), "CODEOWNERS.gitea.example")):
        made = subprocess.run([sys.executable, "-m", "kepu.editor.codeowners", *flags], cwd=ROOT, env=plugin_env(),
                              capture_output=True, text=True, check=True)
        assert made.stdout == (TEMPLATES / example).read_text("utf-8")


def test_codeowners_without_a_team_setting_names_no_district() -> None:
    registries, _ = load_registries(ROOT / "content" / "data")
    assert "@kepu/xinbei-editors" in render(registries.streets)
    assert "@xihu/admins" in render(registries.streets, team="@xihu")


def _runs(condition: str, event: str, ref: str) -> bool:
    """A job's ``if:`` for one run (the two GitHub expressions the templates use, && and ||)."""
    python = (condition.replace("github.event_name", repr(event)).replace("github.ref", repr(ref))
              .replace("&&", " and ").replace("||", " or "))
    assert re.fullmatch(r"[\s'\w/.\-=!()]+", python.replace(" and ", " ").replace(" or ", " ")), condition
    return bool(eval(python))  # only literals and comparisons: checked above


@pytest.mark.parametrize(("event", "ref", "publishes"), [
    ("push", "refs/heads/main", True), ("schedule", "refs/heads/main", True),
    ("workflow_dispatch", "refs/heads/main", True),
    ("workflow_dispatch", "refs/heads/volunteer-edit", False),  # unreviewed content
    ("push", "refs/heads/volunteer-edit", False), ("pull_request", "refs/pull/7/merge", False),
])
def test_only_the_reviewed_main_branch_is_published(event: str, ref: str, publishes: bool) -> None:
    """A run started by hand on a volunteer's branch would publish content no reviewer approved
    (CODEOWNERS only guards merges into main)."""
    for path in actions_workflows():
        jobs = yaml.safe_load(path.read_text("utf-8"))["jobs"]
        publish = next(spec for spec in jobs.values()
                       if any(f"{SCRIPT} publish" in commands_of(s) for s in spec["steps"]))
        assert _runs(publish["if"], event, ref) == publishes, (path.name, event, ref)


def _program_repository(where: Path) -> tuple[Path, str, str]:
    """The generator's repository as a content repository's CI clones it: two commits on main."""
    program = where / "program"
    copy_program(program)
    git(program, "init", "-q", "-b", "main")
    git(program, "add", ".")
    git(program, "commit", "-qm", "1.0")
    first = git(program, "rev-parse", "HEAD").strip()
    (program / "NEWS").write_text("下一版\n", "utf-8")
    git(program, "add", ".")
    git(program, "commit", "-qm", "1.1")
    return program, first, git(program, "rev-parse", "HEAD").strip()


def test_the_program_is_taken_at_kepu_ref_on_every_run(tmp_path: Path) -> None:
    """Content-only layout: KEPU_REF pins the generator to a branch, a tag or a commit. A commit was
    refused (git clone --branch takes none), and once .kepu/ existed (a runner that keeps its folder)
    KEPU_REF was never looked at again: a moved branch or a wrong ref went unnoticed."""
    program, first, second = _program_repository(tmp_path)
    repo = tmp_path / "content-repo"
    shutil.copytree(TEST_SITE / "content", repo / "content")
    shutil.copytree(TEMPLATES, repo / "ci-templates")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "内容")
    source = {"KEPU_REPO": f"file://{program}"}

    def run(ref: str) -> subprocess.CompletedProcess:
        return subprocess.run(["sh", SCRIPT, "check"], cwd=repo, capture_output=True, text=True, timeout=600,
                              env={**clean_environment(), **source, "KEPU_REF": ref, "KEPU_SKIP_SETUP": "1",
                                   "KEPU_INVOKE": str(INVOKE)})

    pinned = run(first)
    assert pinned.returncode == 0, pinned.stdout[-2000:] + pinned.stderr[-2000:]
    assert git(repo / ".kepu", "rev-parse", "HEAD").strip() == first
    moved = run("main")
    assert moved.returncode == 0, moved.stderr[-2000:]
    assert git(repo / ".kepu", "rev-parse", "HEAD").strip() == second
    wrong = run("v9.9")
    assert wrong.returncode != 0
    assert "取不到程序仓库" in wrong.stderr and "v9.9" in wrong.stderr
