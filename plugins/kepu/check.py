"""Command line: check content without building (``python -m kepu.check [files]``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import format_report
from .project import Layout, check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke check", description="检查活动、新闻、页面和登记表，不构建网站。")
    parser.add_argument("files", nargs="*", type=Path, help="只检查这些文件（默认检查全部内容）")
    parser.add_argument("--content", type=Path, default=Path("content"), help="内容文件夹（默认 content）")
    args = parser.parse_args(argv)
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        for path in missing:
            print(f"{path}: 文件不存在 — 检查路径是否写对", file=sys.stderr)
        return 1
    layout = Layout(content=args.content, root=Path.cwd())
    result = check(layout, args.files or None)
    print(format_report(result.problems))
    if result.ok:
        print(f"已检查 {result.checked_files} 个文件。")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
