"""Problems for code review: GitHub workflow commands (annotations on the changed lines) and a Chinese job summary."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable
from itertools import groupby

from kepu.content.problems import Problem

# GitHub shows at most this many error (and as many warning) annotations of one step on the pull request.
SHOWN_PER_STEP = 10
# The summary stays far below GitHub's 1 MiB per step: the whole list is in the job log anyway.
SUMMARY_ROWS = 500


def _escape_data(text: str) -> str:
    """As @actions/core's escapeData: the message after ``::``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """As @actions/core's escapeProperty: a ``name=value`` before ``::``."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(problem: Problem) -> str:
    return f"{problem.message} — {problem.hint}" if problem.hint else problem.message


def github_command(problem: Problem, path: str | None) -> str:
    """``::error file=…,line=…,title=…::message — hint`` (``path``: relative to the repository root,
    None for a file outside it; a problem about the whole file has no line)."""
    properties = [("file", path)] if path else []
    if problem.line:
        properties.append(("line", str(problem.line)))
    if problem.field:
        properties.append(("title", problem.field))
    names = ",".join(f"{name}={_escape_property(value)}" for name, value in properties)
    kind = "error" if problem.is_error else "warning"
    return f"::{kind}{' ' + names if names else ''}::{_escape_data(_message(problem))}"


def github_commands(problems: Iterable[Problem], locate: Callable[[str], str | None] = lambda p: p) -> str:
    """One workflow command per problem, errors first (GitHub shows only the first few of each kind)."""
    ordered = sorted(problems, key=lambda p: (not p.is_error, p))
    return "\n".join(github_command(p, locate(p.path)) for p in ordered)


def untrusted(text: str) -> str:
    """``text`` wrapped so that no line of it runs as a workflow command (it quotes editors' content)."""
    token = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"::stop-commands::{token}\n{text}\n::{token}::"


_MARKDOWN = re.compile(r"([\\`*_\[\]|#~])")


def _cell(text: str) -> str:
    """Text as one Markdown table cell: no markup, no HTML, one line."""
    escaped = _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
    return escaped.replace("\r", "").replace("\n", "<br>")


def summary_markdown(problems: Iterable[Problem]) -> str:
    """The job summary in Chinese: counts, then per file a table of line, problem and fix."""
    problems = sorted(problems)
    errors = sum(p.is_error for p in problems)
    lines = [f"## {'❌ 科普日历内容检查未通过' if errors else '✅ 科普日历内容检查通过'}", ""]
    if not problems:
        return "\n".join([*lines, "没有发现问题。", ""])
    lines.append(f"共 {errors} 个错误、{len(problems) - errors} 个提醒。"
                 + ("错误改好以后才能合并；" if errors else "") + "提醒请看一看是否需要改。")
    if errors > SHOWN_PER_STEP or len(problems) - errors > SHOWN_PER_STEP:
        lines.append(f"合并请求的“文件改动”页上最多标出 {SHOWN_PER_STEP} 个错误和 {SHOWN_PER_STEP} 个提醒，"
                     "全部问题见下表。")
    for path, group in groupby(problems[:SUMMARY_ROWS], key=lambda p: p.path):
        lines += ["", f"### {_cell(path)}", "", "| 行 | 问题 | 怎么改 |", "| --- | --- | --- |"]
        lines.extend(_row(p) for p in group)
    if len(problems) > SUMMARY_ROWS:
        lines += ["", f"另有 {len(problems) - SUMMARY_ROWS} 个问题没有列出，见检查的运行日志。"]
    return "\n".join([*lines, ""])


def _row(problem: Problem) -> str:
    label = "" if problem.is_error else "（提醒）"
    what = f"{label}{problem.field}：{problem.message}" if problem.field else f"{label}{problem.message}"
    return f"| {problem.line or '整个文件'} | {_cell(what)} | {_cell(problem.hint)} |"
