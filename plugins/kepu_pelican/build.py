"""Command line: validate, build into a staging folder, then publish it atomically.

``python -m kepu_pelican.build [-s pelicanconf.py] [--output DIR] [--build-date YYYY-MM-DD]``
exits 0 on success, 1 on content errors (nothing published), 2 on a program error.
A build killed at any moment leaves the previous output exactly as it was.
``--problems FILE`` also writes what the build found as JSON (for the preview's browser view).
"""

from __future__ import annotations

import argparse
import dataclasses
import fcntl
import gc
import json
import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from kepu.config import CONFIG_KEY, LINES_KEY, SettingsError, SiteConfig, day_argument, read_file, shown
from kepu.content.problems import ContentError, Problem, format_report
from kepu.content.project import COLLISION, COLLISION_HINT, check, tree_problems
from kepu.engine.output import (
    built_for,
    discard,
    discard_later,
    keep_unchanged_mtimes,
    local_address,
    lock_file,
    output_refusal,
    publish,
    recover,
    staging_dir,
    sweep_trash,
    take_spare,
)
from kepu.index.history import NO_GIT, SHALLOW, repository_state

from .engine import manifest_store, recycle
from .engine.output import MANIFEST
from .settings import content_tree, layout, public_url, site_config
from .trace import phase
from .undefined import template_error
from .writing import OutputClash

UNTOUCHED = "构建已停止：{output} 仍是上一次成功构建的内容，没有任何改动。"
LEFT_ALONE = "构建已停止：{output} 没有任何改动。"
PROGRAM_ERROR = "程序出错（不是内容错误）：请把以上信息发给网站维护人员。"
SHALLOW_CLONE = ("{where}只取了最近的提交（浅克隆）：日历订阅靠完整的提交历史判断每个活动改过几次、何时改的，"
                 "浅克隆会让每个活动都像刚刚改过，订阅者会被反复提醒。{verdict}"
                 "请先取完整历史：git fetch --unshallow；持续集成里 GitHub/Gitea Actions 写 fetch-depth: 0，"
                 "Gitee Go 把克隆深度设为完整。")
NO_HISTORY = ("提示：内容不在 git 仓库里，日历无法从提交历史得出每个活动的修改时间和修改次数（SEQUENCE），"
              "改用活动的 updated 字段和文件内容推算；改动已发布活动的时间或地点时，请同时更新 updated。")
NO_HISTORY_PUBLISH = ("内容不在 git 仓库里：日历订阅靠提交历史判断每个活动改过几次（SEQUENCE）、何时改的；没有历史，"
                      "改了时间、地点或状态的活动在订阅者的手机上可能不会更新。发布已停止。请在内容的 git 仓库里发布"
                      "（网页编辑和持续集成模板都用 git）；确实不用 git 的，在自己的发布设置文件里写一行 "
                      "KEPU_REQUIRE_FULL_HISTORY = False，并在每次改动已发布活动的时间、地点或状态时把它的 sequence 加一、"
                      "同时更新 updated（见 docs/front-matter.md）。")
DEVELOPMENT_ADDRESS = ("提示：这是本机预览用的构建，日历订阅、二维码和分享链接里的网址是 {url}，只能在本机使用；"
                       "正式发布请运行 invoke publish --siteurl 网站地址。")
EXAMPLE_UID_DOMAIN = ("提醒：日历编号的域名 UID_DOMAIN 还是示例“{domain}”。订阅者的日历靠它认出每个活动，发布以后再改，"
                      "每个活动都会在订阅者的日历里出现两次：请在第一次发布之前把它改成本单位的域名（例如网站的域名），"
                      "见 README 的“换一个区使用”。")
SAMPLE_ADDRESS = ("注意：{output} 里的网站是按示例网址 {url} 构建的，日历订阅、二维码和分享链接都指向别人的网站，"
                  "不能上传；发布请运行 invoke publish --siteurl https://你的网址。")
REPLACED_PUBLISHED = ("注意：{output} 原来是发布到 {url} 的网站，现在换成了本机预览的版本；上传之前请重新运行 "
                      "invoke publish --siteurl {url}（或发布到另一个文件夹：invoke publish --output public …）。")


def _settings(settings_file: Path, overrides: dict) -> dict:
    """Pelican's settings, with the portal's configuration made once from the same names
    (kepu.config, as invoke check reads them); unusable settings raise SettingsError."""
    from pelican.settings import read_settings

    names = {**read_file(settings_file), **overrides}
    config = SiteConfig.from_settings(names, shown(settings_file))
    names.pop(LINES_KEY, None)
    settings = read_settings(override=names)
    settings[CONFIG_KEY] = config
    return settings


def _quiet_logging() -> None:
    from pelican import log

    log.init(level=logging.WARNING)
    kepu = logging.getLogger("kepu_pelican")
    kepu.propagate = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    kepu.addHandler(handler)


def _overrides(build_date: date | None, siteurl: str | None, content: Path | None,
               cache: Path | None, dev_url: str | None = None) -> dict:
    overrides: dict = {}
    if dev_url:  # the preview's own address (another port than the settings' DEV_SITEURL)
        overrides["DEV_SITEURL"] = dev_url
    if build_date:
        overrides["BUILD_DATE"] = build_date
    if siteurl is not None:
        overrides["SITEURL"] = siteurl
    if content is not None:  # another site's content (tests, benchmarks)
        root = content.resolve().parent
        overrides.update(PATH=str(content.resolve()), KEPU_ROOT=str(root),
                         CACHE_PATH=str(root / ".cache" / "pelican"))
    if cache is not None:
        overrides["CACHE_PATH"] = str(cache.resolve())
    return overrides


def build(settings_file: Path, output: Path | None = None, build_date: date | None = None,
          siteurl: str | None = None, content: Path | None = None, cache: Path | None = None,
          problems: Path | None = None, dev_url: str | None = None) -> int:
    """Build the site; on any failure the previous output stays exactly as it was.
    ``problems``: where to write the outcome as JSON (see ``write_outcome``)."""
    try:
        settings = _settings(settings_file, _overrides(build_date, siteurl, content, cache, dev_url))
    except SettingsError as error:  # nothing is built: the previous output stays as it was
        print(format_report(error.problems), file=sys.stderr)
        outcome = Outcome(1, tuple(error.problems))
    else:
        outcome = _build_into(settings, Path(output or settings["OUTPUT_PATH"]).resolve())
    if problems is not None:
        write_outcome(problems, outcome)
    return outcome.code


def _build_into(settings: dict, target: Path) -> Outcome:
    """Build and publish into ``target``, unless it is a folder a build must not replace (checked
    before anything is locked or staged beside it, or set aside from it)."""
    refusal = output_refusal(target, Path(settings["PATH"]), MANIFEST, _shown)
    if refusal:
        print(refusal, file=sys.stderr)
        print(LEFT_ALONE.format(output=_shown(target)), file=sys.stderr)
        return Outcome(1, error=refusal)
    with _exclusive(target):
        try:
            return _build_locked(settings, target)
        finally:
            gc.unfreeze()  # also after a refused or failed build: nothing of it stays uncollectable


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """How a build ended: its exit status, the content problems, or a program error's summary."""

    code: int
    problems: tuple[Problem, ...] = ()
    error: str = ""


def write_outcome(path: Path, outcome: Outcome) -> None:
    """``{"ok", "problems": [{path, line, field, message, hint, severity}], "error"}``, replaced atomically."""
    data = {"ok": outcome.code == 0, "error": outcome.error,
            "problems": [{key: getattr(p, key) for key in ("path", "line", "field", "message", "hint", "severity")}
                         for p in sorted(outcome.problems)]}
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(temporary, path)


def _build_locked(settings: dict, target: Path) -> Outcome:
    recover(target)
    staged = staging_dir(target)
    sweep_trash(target)
    discard(staged)  # left over from a build that was killed
    root = Path(settings.get("KEPU_ROOT") or Path.cwd())
    with phase("preflight"):
        problems = preflight(settings)
    if problems:
        return _refuse(problems, target)
    refusal = _history_refusal(settings)
    if refusal:
        return _halt(refusal, target)
    settings["OUTPUT_PATH"] = str(staged)
    published_at = _published_at(target, str(settings.get("SAMPLE_SITEURL") or ""))
    started, started_ns = time.perf_counter(), time.time_ns()
    if take_spare(target, staged):
        with phase("recycle the spare tree"):
            recycle(staged, manifest_store(settings))
    try:
        with phase("pelican: all generators"):
            _run_pelican(settings)
    except ContentError as error:
        discard_later(staged)  # a recycled tree is large: do not keep the editor waiting
        return _refuse(error.problems, target)
    except Exception as error:  # a bug, not a content problem: say so plainly
        discard_later(staged)
        collision = _collision(error, staged, Path(settings["PATH"]), root)
        if collision:
            return _refuse(collision, target)
        traceback.print_exc()
        # --- template errors: name the template file and line (kepu_pelican.undefined) ---
        where = template_error(error)
        if where:
            print(where, file=sys.stderr)
        # ---
        print(PROGRAM_ERROR, file=sys.stderr)
        print(UNTOUCHED.format(output=_shown(target)), file=sys.stderr)
        return Outcome(2, error=where or f"{type(error).__name__}: {error}")
    with phase("keep unchanged mtimes"):
        kept, files = keep_unchanged_mtimes(staged, target, started_ns)
    with phase("publish"):
        publish(staged, target)
    print(f"构建完成：{_shown(target)}，共 {files} 个文件（{kept} 个未变化），"
          f"用时 {time.perf_counter() - started:.1f} 秒。")
    config = site_config(settings)
    if settings.get("SITEURL") and config.example_uid_domain:
        print(EXAMPLE_UID_DOMAIN.format(domain=config.uid_domain), file=sys.stderr)
    card = config.share_card_problem()
    for reminder in (*([card] if card is not None else []), *config.reminders):
        print(reminder.format(), file=sys.stderr)
    sample = str(settings.get("SAMPLE_SITEURL") or "").rstrip("/")
    if sample and str(settings.get("SITEURL") or "").rstrip("/") == sample:
        print(SAMPLE_ADDRESS.format(output=_shown(target), url=sample), file=sys.stderr)
    if not settings.get("SITEURL"):
        print(DEVELOPMENT_ADDRESS.format(url=public_url(settings)))
        if published_at:  # a preview in the folder a publish wrote: not to be uploaded by mistake
            print(REPLACED_PUBLISHED.format(output=_shown(target), url=published_at), file=sys.stderr)
    return Outcome(0)


def _published_at(output: Path, sample: str = "") -> str:
    """The address the build now in ``output`` was published for ("" for a preview, or none; a
    build for the sample's placeholder address is no publication to repeat)."""
    address = built_for(output)
    return "" if local_address(address) or (sample and address == sample.rstrip("/")) else address


def _history_refusal(settings: dict) -> str:
    """A shallow clone, or a copy without git, is refused when publishing (KEPU_REQUIRE_FULL_HISTORY);
    when previewing, the clone is named and the copy told where its calendar stamps come from.
    Returns the refusal, if any."""
    state = repository_state(Path(settings["PATH"]))
    if state == SHALLOW and settings.get("KEPU_REQUIRE_FULL_HISTORY"):
        return SHALLOW_CLONE.format(where="内容仓库", verdict="发布已停止。")
    if state == NO_GIT and settings.get("KEPU_REQUIRE_FULL_HISTORY"):
        return NO_HISTORY_PUBLISH
    if state == SHALLOW:
        print(SHALLOW_CLONE.format(where="提示：内容仓库", verdict="本机预览照常构建，但不要发布这样构建的网站。"),
              file=sys.stderr)
    elif state == NO_GIT:
        print(NO_HISTORY)
    return ""


def _run_pelican(settings: dict) -> None:
    from pelican import Pelican

    Pelican(settings).run()


def _refuse(problems: list[Problem], target: Path) -> Outcome:
    print(format_report(problems), file=sys.stderr)
    print(UNTOUCHED.format(output=_shown(target)), file=sys.stderr)
    return Outcome(1, tuple(problems))


def _halt(message: str, target: Path) -> Outcome:
    """A refusal that is not about one file's content (a shallow clone when publishing)."""
    print(message, file=sys.stderr)
    print(UNTOUCHED.format(output=_shown(target)), file=sys.stderr)
    return Outcome(1, error=message)


def preflight(settings: dict) -> list[Problem]:
    """Before Pelican reads anything (it follows links and would read any file): walk the content
    tree as the check does. When it refuses an entry, the report is the check's whole report, so
    the build and ``invoke check`` name the same problems."""
    lay = layout(settings)
    if not any(p.is_error for p in tree_problems(lay, content_tree(settings))):
        return []
    config = site_config(settings)
    return check(lay, timezone=config.timezone, urls=config.urls, settings=config.settings).problems


def _collision(error: Exception, staged: Path, content: Path, root: Path) -> list[Problem]:
    """Two outputs for one path (e.g. a page named events.md): a content problem, not a bug."""
    from pelican.writers import FileOverwriteFailedError

    text = str(error)
    if isinstance(error, FileOverwriteFailedError):
        found = re.search(r'"([^"]+)"', text)
        if not found:
            return []
        path = Path(found.group(1))
    elif isinstance(error, OutputClash):
        path = staged / error.relative
    else:
        return []
    try:
        where = path.relative_to(staged).as_posix()
    except ValueError:
        where = path.name
    message = COLLISION.format(where=where, url=where.removesuffix("index.html"))
    names = set(Path(where).parts) | {Path(where).stem}
    suspects = sorted(p for p in content.rglob("*.md") if p.stem in names)
    return [Problem(_relative(p, root), 0, "", message, COLLISION_HINT) for p in suspects] or [
        Problem(f"网址 /{where.removesuffix('index.html')}", 0, "", message, COLLISION_HINT)]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


@contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """One build per output folder at a time (two would share the staging folder).

    The lock is held on a small file beside the output (``lock_file``); the kernel releases it
    when the process ends, even on SIGKILL.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock_file(target), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"另一个构建正在写入 {_shown(target)}，等待它结束……", file=sys.stderr)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _shown(path: Path) -> str:
    try:
        return f"{path.relative_to(Path.cwd())}/"
    except ValueError:
        return f"{path}/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kepu-build", description="构建科普日历网站。")
    parser.add_argument("-s", "--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--build-date", type=day_argument,
                        help="按这一天生成“近期/往期”（默认今天，或环境变量 KEPU_BUILD_DATE）")
    parser.add_argument("--siteurl", help="网站地址，例如 https://kepu.example.cn")
    parser.add_argument("--content", type=Path, help="内容文件夹（默认按设置文件，即 content/）")
    parser.add_argument("--cache", type=Path, help="缓存文件夹（默认 .cache/pelican）")
    parser.add_argument("--problems", type=Path, help="把构建结果和发现的问题写成 JSON 文件（预览用）")
    parser.add_argument("--dev-url", help="本机预览的网址（默认按设置 DEV_SITEURL，即 http://127.0.0.1:8000）")
    args = parser.parse_args(argv)
    _quiet_logging()
    return build(args.settings, args.output, args.build_date, args.siteurl, args.content, args.cache,
                 args.problems, args.dev_url)


if __name__ == "__main__":
    status = main()
    # Everything is written, closed and flushed by now. Ending here spares the interpreter
    # freeing the build's objects one by one (about 2 s at 16,000 events); the system takes
    # the memory back at once. The preview's forked builds end the same way (warm.run_child).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
