"""Preview while editing: rebuild on every save, reload open pages, and show a failed build's
problems in them (file, line, message and fix), until the next good save."""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kepu.editor.server import CONTENT_TYPES, PortalHandler, PortalServer

EVENTS_PATH = "/__kepu/livereload"
SCRIPT_PATH = "/__kepu/livereload.js"
CLIENT = Path(__file__).with_name("livereload.js")
# The script tag the preview server adds to every page it serves: never part of a build's output.
SCRIPT = f'<script src="{SCRIPT_PATH}" defer'.encode()
# A page for addresses the output does not have while there is no site yet (its first build failed).
NO_SITE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>预览：网站还没有构建成功</title></head>
<body><h1>网站还没有构建成功</h1>
<p>按终端里（或这一页上）列出的问题改好文件并保存，构建成功后这一页会自动刷新。</p></body></html>
""".encode()
UNFINISHED = "构建没有完成（终端里有详细信息）"
DEBOUNCE_MS, QUIET_MS, IDLE_MS, PING_SECONDS = 1600, 100, 500, 15


@dataclass(frozen=True, slots=True)
class Outcome:
    """The preview's state after a build: ``built`` counts the successful builds (the output's
    generation), ``finished`` all of them; ``problems`` is the JSON pages show after a failure."""

    built: int = 0
    finished: int = 0
    problems: str | None = None


class PreviewState:
    """The last build's outcome; event-stream clients wait for the next one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.outcome = Outcome()

    def finished(self, problems: str | None) -> None:
        """A build ended: successfully (``problems`` None) or with these problems."""
        with self._changed:
            now = self.outcome
            self.outcome = Outcome(now.built + (problems is None), now.finished + 1, problems)
            self._changed.notify_all()

    def wait(self, finished: int, timeout: float) -> Outcome:
        with self._changed:
            self._changed.wait_for(lambda: self.outcome.finished != finished, timeout)
            return self.outcome


def script_tag(built: int) -> bytes:
    """The preview's script, told which build the page comes from."""
    return SCRIPT + f' data-built="{built}"></script>'.encode()


def inject(html: bytes, built: int = 0) -> bytes:
    """The page with the preview's script just before ``</body>`` (or at the end)."""
    tag = script_tag(built)
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


def events(outcome: Outcome, since: int, shown: int) -> tuple[list[str], int]:
    """What a page from build ``since`` is told about ``outcome``, having been shown the problems of
    build ``shown``: reload after a newer good build; the problems of a failed build once."""
    if outcome.built != since and outcome.problems is None:
        return [f"event: reload\ndata: {outcome.built}\n\n"], outcome.finished
    if outcome.problems is not None and outcome.finished != shown:
        return [f"event: problems\ndata: {outcome.problems}\n\n"], outcome.finished
    return [], shown


class LiveHandler(PortalHandler):
    """The portal handler plus the preview's script in every page and its event stream."""

    def __init__(self, *args, state: PreviewState, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._stream(parse_qs(url.query).get("since", [""])[0])
            return
        if url.path == SCRIPT_PATH:
            self._send(200, CONTENT_TYPES[".js"], CLIENT.read_bytes())
            return
        page = self._page(url.path)
        if page is None:
            super().do_GET()
            return
        self._send(200, CONTENT_TYPES[".html"], inject(page.read_bytes(), self.state.outcome.built))

    def send_error(self, code, message=None, explain=None):
        """A missing page is the site's 404 page (or, with no site yet, a note) with the script:
        it shows a failed build's problems and reloads after the next good build."""
        if code != 404 or self.command != "GET":
            super().send_error(code, message, explain)
            return
        missing = Path(self.directory, "404.html")
        body = missing.read_bytes() if missing.is_file() else NO_SITE
        self._send(404, CONTENT_TYPES[".html"], inject(body, self.state.outcome.built))

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, path: str) -> Path | None:
        target = Path(self.translate_path(path))
        if path.endswith("/"):
            target = target / "index.html"
        return target if target.suffix == ".html" and target.is_file() else None

    def _stream(self, since: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        outcome = self.state.outcome
        built = int(since) if since.isdigit() else outcome.built
        shown = -1
        try:
            while True:
                messages, shown = events(outcome, built, shown)
                if outcome.problems is None:
                    built = outcome.built
                self.wfile.write("".join(messages or [": ping\n\n"]).encode())
                self.wfile.flush()
                outcome = self.state.wait(outcome.finished, PING_SECONDS)
        except OSError:  # the page was closed or reloaded
            return


def make_server(directory: Path, state: PreviewState, host: str = "127.0.0.1",
                port: int = 8000) -> PortalServer:
    """A preview server for ``directory``; call ``serve_forever()`` on it."""
    handler = functools.partial(LiveHandler, directory=str(directory), state=state)
    return PortalServer((host, port), handler)


def build_args(settings: Path, output: Path, content: Path | None = None, cache: Path | None = None,
               build_date: str | None = None, problems: Path | None = None, dev_url: str | None = None) -> list[str]:
    """``kepu_pelican.build``'s arguments, with the content cache (``.cache/pelican`` unless ``cache``)
    and ``dev_url``, the preview's address, in subscribe links and QR codes."""
    args = ["-s", str(settings), "-o", str(output)]
    for flag, value in (("--content", content), ("--cache", cache), ("--build-date", build_date),
                        ("--problems", problems), ("--dev-url", dev_url)):
        if value:
            args += [flag, str(value)]
    return args


class WarmBuilds:
    """Builds forked from a process that has imported Pelican and the plugins already
    (``kepu_pelican.warm``), started again when code changes; a fresh interpreter if it fails."""

    def __init__(self, args: list[str], warm: bool = True):
        self.args = args
        self.warm = warm
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "kepu_pelican.warm"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=os.environ.copy())

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        try:
            process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()

    def build(self) -> int:
        if not self.warm:
            return self._fresh()
        if self.process is None or self.process.poll() is not None:
            self.start()
        try:
            self.process.stdin.write(json.dumps(self.args) + "\n")
            self.process.stdin.flush()
            for line in self.process.stdout:
                if line.strip().lstrip("-").isdigit():
                    return int(line)
        except (OSError, ValueError):
            pass
        self.stop()  # the warm process is gone: this build in a fresh interpreter
        return self._fresh()

    def _fresh(self) -> int:
        return subprocess.call([sys.executable, "-m", "kepu_pelican.build", *self.args], env=os.environ.copy())

    def code_changed(self) -> None:
        """Plugins or settings changed: the next builds need a process that imported them anew."""
        self.stop()
        if self.warm:
            self.start()  # imports now, while the editor is still looking at the terminal


def read_problems(path: Path) -> str:
    """The JSON a failed build left for the pages (a note to look at the terminal if it left none)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("ok") or not (data.get("problems") or data.get("error")):
        data = {"ok": False, "problems": [], "error": UNFINISHED}
    return json.dumps(data, ensure_ascii=False)


def changed_names(changes: Iterable[tuple[object, str]]) -> str:
    names = sorted({Path(path).name for _, path in changes})
    more = f" 等 {len(names)} 个文件" if len(names) > 5 else ""
    return "、".join(names[:5]) + more


def is_code(changes: Iterable[tuple[object, str]]) -> bool:
    """Whether a change touches Python code (the plugins or the settings file)."""
    return any(path.endswith(".py") for _, path in changes)


def watch(paths: list[Path], rebuild: Callable[[set], bool], say: Callable[[str], None] = print,
          stop: threading.Event | None = None, ready: Callable[[], None] | None = None) -> None:
    """Rebuild after each burst of saves; changes made during a build trigger one more.
    ``ready`` is called once the watcher is running (no save can be missed after that)."""
    from watchfiles import watch as watch_files

    for changes in watch_files(*paths, debounce=DEBOUNCE_MS, step=QUIET_MS, stop_event=stop,
                               yield_on_timeout=True, rust_timeout=IDLE_MS):
        if not changes:
            if ready is not None:
                ready()
                ready = None
            continue
        say(f"检测到修改：{changed_names(changes)}，正在重新构建……")
        if rebuild(changes):
            say("预览已更新，打开的页面会自动刷新。")
        else:
            say("预览保持上一次成功构建的内容：按上面的提示改好并保存，会自动重新构建"
                "（打开的页面上也列出了这些问题）。")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke livereload", description="预览网站，保存后自动重新构建。")
    parser.add_argument("-s", "--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("-o", "--output", type=Path, default=Path("output"))
    parser.add_argument("--content", type=Path)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--build-date")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--watch", type=Path, nargs="+", default=[Path("content")])
    parser.add_argument("--fresh", action="store_true",
                        help="每次都在新的 Python 进程中构建（较慢；用于排查问题和基准测试对比）")
    args = parser.parse_args(argv)
    state = PreviewState()
    try:
        server = make_server(args.output.resolve(), state, args.host, args.port)
    except OSError as exc:
        print(f"无法在端口 {args.port} 上预览（{exc.strerror}） — 换一个端口，例如 --port {args.port + 1}",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="kepu-preview-") as scratch:
        report = Path(scratch) / "problems.json"
        builds = WarmBuilds(build_args(args.settings, args.output, args.content, args.cache, args.build_date, report,
                                       address(server)), warm=not args.fresh)

        def rebuild(changes: set) -> bool:
            if is_code(changes):
                builds.code_changed()
            report.unlink(missing_ok=True)
            ok = builds.build() == 0
            state.finished(None if ok else read_problems(report))
            return ok

        try:
            return _serve(args, server, state, builds, rebuild)
        finally:
            builds.stop()


def address(server: http.server.HTTPServer) -> str:
    """Where the preview is served, as the pages' absolute links should name it."""
    host, port = server.server_address[:2]
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}"


def _serve(args, server, state: PreviewState, builds: WarmBuilds, rebuild: Callable[[set], bool]) -> int:
    if not rebuild(set()):
        print("第一次构建没有成功：改好以上问题并保存后会自动重新构建。", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = address(server) + "/"
    try:
        watch([p for p in args.watch if p.exists()], rebuild, lambda text: print(text, flush=True),
              ready=lambda: print(f"本地预览：{url}  （保存文件后自动重新构建；Ctrl+C 退出）", flush=True))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
