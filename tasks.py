"""Day-to-day tasks (invoke), in the spirit of pelican-quickstart's tasks.py.

    invoke build        build the site into output/ (refuses invalid content)
    invoke rebuild      drop the content cache, then build
    invoke check [FILE] check content without building
    invoke serve        serve output/ on http://127.0.0.1:8000
    invoke reserve      build, then serve
    invoke livereload   serve and rebuild whenever content, theme or plugins change
    invoke preview      build with publishconf.py (absolute URLs)
    invoke publish      build with publishconf.py, atomically replacing output/
    invoke clean        remove output/ and the cache
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from invoke import task
from invoke.parser.parser import ParseMachine

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

CONFIG = {
    "settings": ROOT / "pelicanconf.py",
    "publish_settings": ROOT / "publishconf.py",
    "output": ROOT / "output",
    "cache": ROOT / ".cache",
    "host": "127.0.0.1",
    "port": 8000,
    "watch": ["content", "theme", "plugins", "pelicanconf.py"],
}


# `invoke check` checks everything and `invoke check FILE` one file: invoke has no optional
# positional arguments, so a task's positional ``path`` defaults to "" when none was given.
OPTIONAL_POSITIONAL = {"check": "path"}
_complete_context = ParseMachine.complete_context


def _complete_with_optional_positional(self: ParseMachine) -> None:
    if self.context is not None:
        name = OPTIONAL_POSITIONAL.get(self.context.name)
        for arg in self.context.positional_args:
            if arg.name == name and arg.value is None:
                arg.value = ""
    _complete_context(self)


ParseMachine.complete_context = _complete_with_optional_positional


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "plugins"), env.get("PYTHONPATH")]))
    return env


def _python(*args: str, check: bool = True) -> int:
    """Run ``python -m …`` with the plugins on the path; exit with its status on failure."""
    code = subprocess.call([sys.executable, *args], cwd=ROOT, env=_env())
    if code and check:
        sys.exit(code)
    return code


def _build_args(settings: Path, build_date: str | None, siteurl: str | None) -> list[str]:
    args = ["-m", "kepu_pelican.build", "-s", str(settings)]
    if build_date:
        args += ["--build-date", build_date]
    if siteurl is not None:
        args += ["--siteurl", siteurl]
    return args


@task(help={"build_date": "按这一天区分近期/往期，格式 2026-12-01", "siteurl": "网站地址"})
def build(c, build_date=None, siteurl=None):
    """构建网站到 output/（内容有错误时不构建，output/ 保持不变）。"""
    _python(*_build_args(CONFIG["settings"], build_date, siteurl))


@task
def clean(c):
    """删除 output/ 和缓存。"""
    for path in (CONFIG["output"], CONFIG["cache"]):
        shutil.rmtree(path, ignore_errors=True)


@task
def rebuild(c, build_date=None):
    """清除缓存后重新构建。"""
    shutil.rmtree(CONFIG["cache"], ignore_errors=True)
    build(c, build_date=build_date)


@task(positional=["path"], help={"path": "只检查这个文件，例如 content/events/xinbei/2026/x.md"})
def check(c, path=None):
    """检查活动、新闻、页面和登记表，列出全部问题，不构建网站。"""
    _python("-m", "kepu.check", *([path] if path else []))


def _server():
    from kepu.server import serve as make_server

    server = make_server(CONFIG["output"], CONFIG["host"], CONFIG["port"])
    print(f"本地预览：http://{CONFIG['host']}:{CONFIG['port']}/  （Ctrl+C 退出）")
    return server


@task
def serve(c):
    """在 http://127.0.0.1:8000 预览 output/（.ics 以 text/calendar 发送）。"""
    server = _server()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown()


@task
def reserve(c, build_date=None):
    """构建后预览。"""
    build(c, build_date=build_date)
    serve(c)


@task
def livereload(c, build_date=None):
    """预览并在内容、主题或插件修改后自动重新构建；内容错误只在终端提示，不中断预览。"""
    from watchfiles import watch

    _python(*_build_args(CONFIG["settings"], build_date, None), check=False)
    server = _server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = [ROOT / p for p in CONFIG["watch"]]
    try:
        for changes in watch(*paths):
            names = sorted({Path(p).name for _, p in changes})
            print(f"检测到修改：{'、'.join(names[:5])}，正在重新构建……")
            _python(*_build_args(CONFIG["settings"], build_date, None), check=False)
    except KeyboardInterrupt:
        server.shutdown()


@task
def preview(c, build_date=None):
    """用发布设置（publishconf.py，绝对网址）构建。"""
    _python(*_build_args(CONFIG["publish_settings"], build_date, None))


@task(help={"siteurl": "发布后的网站地址，例如 https://kepu.example.cn 或 https://example.cn/kepu"})
def publish(c, siteurl=None, build_date=None):
    """用 publishconf.py 构建；构建成功才替换 output/，失败时保持原样。"""
    _python(*_build_args(CONFIG["publish_settings"], build_date, siteurl))
    print("发布目录已更新：把 output/ 同步到网站服务器即可（部署说明见 docs/deploy.md）。")
