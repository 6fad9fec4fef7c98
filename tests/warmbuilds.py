"""Test builds and checks forked from a process that imported them once, as the preview does.

A forked build is the same build as ``python -m kepu_pelican.build`` in a fresh interpreter
(Pelican's signals and the plugins' module state are the child's own; tests/test_livereload.py
shows that such builds equal a cold one), without the second of imports that hundreds of
small test builds would otherwise spend. What an interpreter fixes when it starts (hash seed,
locale, time zone, module search path) is the server's: a build asked for in any other
environment runs in a fresh interpreter, as before.

The child runs the module as ``python -m`` does (``runpy``, as ``__main__``, with its own
``sys.argv`` and ``sys.path[0]``). Run as a script, this file is the server: one JSON request per
line of stdin (``module``, ``args``, ``cwd``, ``env``, ``stdout``, ``stderr``), answered with the
child's pid, then its status.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import json
import locale
import os
import runpy
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

MODULES = ("kepu_pelican.build", "kepu.editor.check")  # what may be asked for (preloaded)
MAX_SERVERS = 4  # per test process: more concurrent builds than this run in fresh interpreters
VOLATILE = "PYTEST_CURRENT_TEST"  # pytest sets it for each test: passed on, not compared


def _startup(env: dict[str, str]) -> dict[str, str]:
    """What of an environment a server must have started with to run a build in it."""
    return {name: value for name, value in env.items() if name != VOLATILE}


# -- the server --------------------------------------------------------------------------------
def _run_child(request: dict) -> None:
    """In the forked child: the module run as python -m runs it, its output in the request's files,
    then its exit status."""
    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for fd, name in ((1, "stdout"), (2, "stderr")):
            handle = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(handle, fd)
            os.close(handle)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.path[0] = request["cwd"]  # as for python -m run in that folder
        sys.argv = ["-m", *request["args"]]
        # Preloaded, the module is in sys.modules already: runpy says so, python -m would not.
        warnings.filterwarnings("ignore", message=".*found in sys.modules", category=RuntimeWarning)
        runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as stop:  # as the interpreter treats it
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
    except BaseException:  # an uncaught exception: traceback and status 1, as python -m gives
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    from kepu_pelican.warm import preload

    sys.path[0] = os.getcwd()  # as for python -m run in the same folder
    preload()
    for module in MODULES:
        importlib.import_module(module)
    gc.freeze()
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # nothing but replies on the pipe
    replies.write("ready\n")
    replies.flush()
    for line in sys.stdin:  # ends when the test process closes the pipe (or dies)
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        child = os.fork()
        if child == 0:
            _run_child(request)
        replies.write(f"{child}\n")
        replies.flush()
        _, status = os.waitpid(child, 0)
        replies.write(f"{os.waitstatus_to_exitcode(status)}\n")
        replies.flush()


# -- the client ----------------------------------------------------------------------------------
def _text(path: Path) -> str:
    """A captured stream as subprocess.run(text=True) returns it."""
    data = path.read_bytes().decode(locale.getpreferredencoding(False))
    return data.replace("\r\n", "\n").replace("\r", "\n")


class Server:
    """One server process; one build at a time."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = _startup(env)
        self.folder = Path(tempfile.mkdtemp(prefix="warmbuilds-"))
        self.process = subprocess.Popen([sys.executable, __file__], cwd=cwd, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._pending = b""
        if self._line(300) != "ready":
            raise RuntimeError("the build server did not start")

    def _line(self, timeout: float | None) -> str | None:
        """The next reply line, or None when ``timeout`` seconds pass first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self._pending:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError("the build server ended")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode()

    def build(self, args: list[str], cwd: Path, env: dict[str, str],
              timeout: float | None) -> subprocess.CompletedProcess:
        out, err = self.folder / "stdout", self.folder / "stderr"
        request = {"module": args[2], "args": args[3:], "cwd": str(cwd), "env": env, "stdout": str(out),
                   "stderr": str(err)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        pid = int(self._line(300))
        status = self._line(timeout)
        if status is None:
            os.kill(pid, signal.SIGKILL)
            self._line(None)
            raise subprocess.TimeoutExpired(args, timeout, output=out.read_bytes(), stderr=err.read_bytes())
        return subprocess.CompletedProcess(args, int(status), _text(out), _text(err))

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_idle: list[Server] = []
_started = 0
_lock = threading.Lock()


def _take(env: dict[str, str], cwd: Path) -> Server | None:
    global _started
    with _lock:
        for server in [s for s in _idle if s.process.poll() is not None]:  # ended: replaced
            _idle.remove(server)
            shutil.rmtree(server.folder, ignore_errors=True)
            _started -= 1
        for server in _idle:
            if server.env == _startup(env):
                _idle.remove(server)
                return server
        if _started >= MAX_SERVERS:
            return None
        _started += 1
    return Server(env, cwd)


def run(args: list[str], cwd: Path, env: dict[str, str], default_env: dict[str, str],
        timeout: float | None) -> subprocess.CompletedProcess:
    """``subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)``
    for ``python -m`` one of MODULES; forked from a server when ``env`` is the tests' default
    environment."""
    server = None
    if _startup(env) == _startup(default_env) and args[:2] == [sys.executable, "-m"] and args[2] in MODULES:
        server = _take(env, cwd)
    if server is None:
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    try:
        return server.build(args, cwd, env, timeout)
    finally:
        with _lock:
            _idle.append(server)


@atexit.register
def _stop_all() -> None:
    for server in _idle:
        server.stop()


if __name__ == "__main__":
    serve()
