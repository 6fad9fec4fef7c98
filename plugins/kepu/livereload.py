"""Preview while editing: rebuild in a fresh process on every save, then reload open pages."""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .server import CONTENT_TYPES, PortalHandler

EVENTS_PATH = "/__kepu/livereload"
# Injected into HTML by the preview server only: never part of a build's output.
SCRIPT = (b'<script>/* kepu livereload */new EventSource("' + EVENTS_PATH.encode()
          + b'").addEventListener("reload",function(){location.reload()});</script>')
DEBOUNCE_MS, QUIET_MS, IDLE_MS, PING_SECONDS = 1600, 200, 500, 15


class Reloads:
    """Successful builds so far; event-stream clients wait for the next one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.generation = 0

    def bump(self) -> None:
        with self._changed:
            self.generation += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen, timeout)
            return self.generation


def inject(html: bytes) -> bytes:
    """The page with the reload script just before ``</body>`` (or at the end)."""
    index = html.rfind(b"</body>")
    return html[:index] + SCRIPT + html[index:] if index >= 0 else html + SCRIPT


class LiveHandler(PortalHandler):
    """The portal handler plus an event stream and the reload script in every page."""

    def __init__(self, *args, reloads: Reloads, **kwargs):
        self.reloads = reloads
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == EVENTS_PATH:
            self._stream()
            return
        page = self._page(path)
        if page is None:
            super().do_GET()
            return
        body = inject(page.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, path: str) -> Path | None:
        target = Path(self.translate_path(path))
        if path.endswith("/"):
            target = target / "index.html"
        return target if target.suffix == ".html" and target.is_file() else None

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.reloads.generation
        try:
            while True:
                now = self.reloads.wait(seen, PING_SECONDS)
                message = f"event: reload\ndata: {now}\n\n" if now != seen else ": ping\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = now
        except OSError:  # the page was closed or reloaded
            return


def make_server(directory: Path, reloads: Reloads, host: str = "127.0.0.1",
                port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A preview server for ``directory``; call ``serve_forever()`` on it."""
    handler = functools.partial(LiveHandler, directory=str(directory), reloads=reloads)
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    return http.server.ThreadingHTTPServer((host, port), handler)


def build_command(settings: Path, output: Path, content: Path | None = None, cache: Path | None = None,
                  build_date: str | None = None) -> list[str]:
    """The build CLI with the content cache (``.cache/pelican`` unless ``cache`` is given)."""
    command = [sys.executable, "-m", "kepu_pelican.build", "-s", str(settings), "-o", str(output)]
    for flag, value in (("--content", content), ("--cache", cache), ("--build-date", build_date)):
        if value:
            command += [flag, str(value)]
    return command


def changed_names(changes: Iterable[tuple[object, str]]) -> str:
    names = sorted({Path(path).name for _, path in changes})
    more = f" 等 {len(names)} 个文件" if len(names) > 5 else ""
    return "、".join(names[:5]) + more


def watch(paths: list[Path], rebuild: Callable[[], int], reloads: Reloads,
          say: Callable[[str], None] = print, stop: threading.Event | None = None,
          ready: Callable[[], None] | None = None) -> None:
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
        if rebuild() == 0:
            reloads.bump()
            say("预览已更新，打开的页面会自动刷新。")
        else:
            say("预览保持上一次成功构建的内容：按上面的提示改好并保存，会自动重新构建。")


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
    args = parser.parse_args(argv)
    command = build_command(args.settings, args.output, args.content, args.cache, args.build_date)

    def rebuild() -> int:
        return subprocess.call(command, env=os.environ.copy())

    reloads = Reloads()
    try:
        server = make_server(args.output.resolve(), reloads, args.host, args.port)
    except OSError as exc:
        print(f"无法在端口 {args.port} 上预览（{exc.strerror}） — 换一个端口，例如 --port {args.port + 1}",
              file=sys.stderr)
        return 1
    if rebuild() != 0:
        print("第一次构建没有成功：改好以上问题并保存后会自动重新构建。", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{args.host}:{server.server_address[1]}/"
    try:
        watch([p for p in args.watch if p.exists()], rebuild, reloads, lambda text: print(text, flush=True),
              ready=lambda: print(f"本地预览：{url}  （保存文件后自动重新构建；Ctrl+C 退出）", flush=True))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
