"""invoke cms: the web editor on this computer, saving into the working copy through decap-server."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from kepu.config import add_arguments, for_command
from kepu.content.project import Layout
from kepu.editor.admin import ADMIN_FOLDER, admin_files, cms_site, write_admin
from kepu.editor.server import serve
from kepu.index.history import content_repository

HOST = "127.0.0.1"
DECAP_SERVER = Path(__file__).resolve().parents[3] / "node_modules" / "decap-server" / "dist" / "index.js"
# The editor's own policy (docs/deploy.md, the same with the Git host's address): Decap compiles its
# form checks (unsafe-eval) and styles itself inline; it talks only to its own site and to {git}: the
# Git host when published, decap-server on this computer here.
ADMIN_CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data: blob: {git}; connect-src 'self' blob: {git}; object-src 'none'; base-uri 'self'; "
             "form-action 'self'; frame-ancestors 'self'")
READY_SECONDS = 60


def _decap_server(root: Path, port: int, origin: str) -> subprocess.Popen:
    if shutil.which("node") is None or not DECAP_SERVER.is_file():
        raise SystemExit("找不到 decap-server（网页编辑的本机后台）：先在项目文件夹运行 npm ci（需要 Node.js），再运行 invoke cms")
    env = dict(os.environ, GIT_REPO_DIRECTORY=str(root), MODE="fs", PORT=str(port), BIND_HOST=HOST,
               ORIGIN=origin, LOG_LEVEL="error")
    return subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=subprocess.DEVNULL)


def _listening(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=1).close()
        return True
    except OSError:
        return False


def _port_taken(port: int) -> SystemExit:
    return SystemExit(f"端口 {port} 已被别的程序占用（也许另一个 invoke cms 还开着）：关掉它，或换一个端口，例如 invoke cms --proxy-port 8082")


def _answers(port: int, root: Path) -> bool:
    """True when decap-server serving ``root`` answers on the port (not another program there)."""
    request = urllib.request.Request(f"http://{HOST}:{port}/api/v1", data=b'{"action":"info","params":{}}',
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            info = json.load(response)
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and info.get("type") == "local_fs" and info.get("repo") == root.name


def _wait_for(port: int, process: subprocess.Popen, root: Path) -> None:
    """Until this decap-server answers (or has stopped: the port was taken after we looked)."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if _answers(port, root):
            return
        time.sleep(0.1)
    raise _port_taken(port)


def _stop_on_terminate(signum, frame) -> None:
    raise KeyboardInterrupt  # the same way out as Ctrl+C: decap-server is stopped too


def _registries(lay: Layout):
    registries, problems = lay.registries()
    errors = [p for p in problems if p.is_error]
    for problem in errors:
        print(problem.format(), file=sys.stderr)
    if errors:
        raise SystemExit(f"登记表有错误，网页编辑的下拉选项会不完整：先按上面的提示改好 {registries.folder}/ 里的文件")
    return registries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke cms", description="在本机打开网页编辑，直接修改这个文件夹里的内容。")
    add_arguments(parser)
    parser.add_argument("--port", type=int, default=8080, help="网页编辑的端口，默认 8080；0 表示任选一个空闲端口")
    parser.add_argument("--proxy-port", type=int, default=8081, help="本机后台（decap-server）的端口，默认 8081")
    args = parser.parse_args(argv)
    config = for_command(args)
    settings, lay = config.settings, config.layout
    registries = _registries(lay)
    proxy = f"http://{HOST}:{args.proxy_port}/api/v1"
    if _listening(args.proxy_port):
        raise _port_taken(args.proxy_port)
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    with tempfile.TemporaryDirectory(prefix="kepu-cms-") as folder:
        csp = ADMIN_CSP.format(git=f"http://{HOST}:{args.proxy_port}")
        server = serve(Path(folder), HOST, args.port, headers={"/": {"Content-Security-Policy": csp}})
        origin = f"http://{HOST}:{server.server_address[1]}"
        write_admin(Path(folder) / ADMIN_FOLDER, admin_files(
            registries, cms_site(settings, lay), config.sitename, origin, proxy))
        repository = content_repository(lay.content, lay.root)
        backend = _decap_server(repository, args.proxy_port, origin)
        try:
            _wait_for(args.proxy_port, backend, repository)
            print(f"网页编辑：{origin}/{ADMIN_FOLDER}/  （保存的内容直接写进 {lay.shown(lay.content)}/；Ctrl+C 退出）",
                  flush=True)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            backend.terminate()
            backend.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
