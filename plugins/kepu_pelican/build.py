"""Command line: validate, build into a staging folder, then publish it atomically.

``python -m kepu_pelican.build [-s pelicanconf.py] [--output DIR] [--build-date YYYY-MM-DD]``
exits 0 on success, 1 on content errors (nothing published), 2 on a program error.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback
from datetime import date
from pathlib import Path

from kepu.output import discard, keep_unchanged_mtimes, publish, staging_dir
from kepu.problems import ContentError, format_report

UNTOUCHED = "构建已停止：{output} 仍是上一次成功构建的内容，没有任何改动。"


def _settings(settings_file: Path, overrides: dict) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=overrides)


def _quiet_logging() -> None:
    from pelican import log

    log.init(level=logging.WARNING)
    kepu = logging.getLogger("kepu_pelican")
    kepu.propagate = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    kepu.addHandler(handler)


def build(settings_file: Path, output: Path | None = None, build_date: date | None = None,
          siteurl: str | None = None, content: Path | None = None, cache: Path | None = None) -> int:
    """Build the site; on any failure the previous output stays exactly as it was."""
    overrides: dict = {}
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
    settings = _settings(settings_file, overrides)
    _drop_truncated_cache(Path(settings["CACHE_PATH"]))
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    staged = staging_dir(target)
    discard(staged)  # left over from a build that was killed
    settings["OUTPUT_PATH"] = str(staged)
    started = time.perf_counter()
    try:
        from pelican import Pelican

        Pelican(settings).run()
    except ContentError as error:
        discard(staged)
        print(format_report(error.problems), file=sys.stderr)
        print(UNTOUCHED.format(output=_shown(target)), file=sys.stderr)
        return 1
    except Exception:  # a bug, not a content problem: say so plainly
        discard(staged)
        traceback.print_exc()
        print("程序出错（不是内容错误）：请把以上信息发给网站维护人员。", file=sys.stderr)
        print(UNTOUCHED.format(output=_shown(target)), file=sys.stderr)
        return 2
    kept = keep_unchanged_mtimes(staged, target)
    publish(staged, target)
    files = sum(1 for p in target.rglob("*") if p.is_file())
    print(f"构建完成：{_shown(target)}，共 {files} 个文件（{kept} 个未变化），"
          f"用时 {time.perf_counter() - started:.1f} 秒。")
    return 0


def _drop_truncated_cache(cache: Path) -> None:
    """Pelican's cache files are pickles written in place; a killed build can leave one cut
    short, which Pelican cannot load. Every complete pickle ends with the STOP opcode."""
    if not cache.is_dir():
        return
    for path in cache.iterdir():
        if path.is_file():
            with path.open("rb") as handle:
                handle.seek(0, 2)
                size = handle.tell()
                handle.seek(max(0, size - 1))
                if size == 0 or handle.read(1) != b".":
                    path.unlink()


def _shown(path: Path) -> str:
    try:
        return f"{path.relative_to(Path.cwd())}/"
    except ValueError:
        return f"{path}/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kepu-build", description="构建科普日历网站。")
    parser.add_argument("-s", "--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--build-date", type=date.fromisoformat,
                        help="按这一天生成“近期/往期”（默认今天，或环境变量 KEPU_BUILD_DATE）")
    parser.add_argument("--siteurl", help="网站地址，例如 https://kepu.example.cn")
    parser.add_argument("--content", type=Path, help="内容文件夹（默认按设置文件，即 content/）")
    parser.add_argument("--cache", type=Path, help="缓存文件夹（默认 .cache/pelican）")
    args = parser.parse_args(argv)
    _quiet_logging()
    return build(args.settings, args.output, args.build_date, args.siteurl, args.content, args.cache)


if __name__ == "__main__":
    sys.exit(main())
