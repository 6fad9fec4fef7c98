"""``invoke livereload`` as an editor runs it: a subprocess on a copy of a site, its output read line by line."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, SAMPLE_BUILD_DATE, plugin_env


class Preview:
    """``python -m kepu.editor.livereload`` on ``site``'s content, on a free port, with its own output and cache."""

    def __init__(self, site: Path, tmp_path: Path, build_date: str = SAMPLE_BUILD_DATE,
                 code: Path = ROOT, watch: tuple[Path, ...] = ()):
        """``code``: the folder of pelicanconf.py, plugins/ and theme/ (another copy of the generator)."""
        self.out, self.cache = tmp_path / "out", tmp_path / "cache"
        args = [sys.executable, "-u", "-m", "kepu.editor.livereload", "-s", str(code / "pelicanconf.py"),
                "--content", str(site / "content"), "-o", str(self.out), "--cache", str(self.cache),
                "--build-date", build_date, "--port", "0", "--watch", str(site / "content"), *map(str, watch)]
        env = plugin_env(PYTHONPATH=str(code / "plugins")) if code != ROOT else plugin_env()
        self.process = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        url = self.wait_for("本地预览：")
        self.base = re.search(r"http://[\d.]+:\d+", url)[0]

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 180) -> str:
        """The next line of output containing ``text`` (an event wait: the timeout only ends a hung run)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "\n".join(self.seen)
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no “{text}” in:\n" + "\n".join(self.seen))

    def get(self, path: str):
        return urllib.request.urlopen(self.base + path, timeout=30)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
