"""Problems found in content, reported to volunteer editors in Chinese."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from itertools import groupby

ERROR = "error"
WARNING = "warning"

# When a reminder (WARNING) fails ``invoke check --strict``, the check the CI templates run on a change:
STRICT_NEVER = ""          # a note the editor may leave as it is
STRICT_ALWAYS = "always"   # almost surely a mistake that would publish something wrong
STRICT_ADDED = "added"     # a mistake only in a file the change under review adds (e.g. an event already over)


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong in one file, with the fix to make.

    ``path`` is relative to the project (e.g. ``content/events/x.md``),
    ``line`` is 1-based (0 when the problem concerns the whole file).
    """

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = ERROR
    strict: str = STRICT_NEVER

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def fails_strict(self, added: Collection[str] = ()) -> bool:
        """Whether ``invoke check --strict`` counts this problem as an error (``added``: the files
        the change under review adds, as shown paths)."""
        return self.is_error or self.strict == STRICT_ALWAYS or (
            self.strict == STRICT_ADDED and self.path in added)

    def format(self) -> str:
        """``path:line: field: message — hint`` as the editors read it."""
        path = _printable(self.path)
        where = f"{path}:{self.line}" if self.line else path
        label = "" if self.is_error else "（提醒）"
        text = f"{where}: {label}{self.field}: {self.message}" if self.field else (
            f"{where}: {label}{self.message}"
        )
        return f"{text} — {self.hint}" if self.hint else text


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """A file name as it can be shown on one line: control and direction characters escaped."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.errors)} 个内容错误")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def strictly(problems: Iterable[Problem], added: Collection[str] = ()) -> list[Problem]:
    """The problems as ``invoke check --strict`` reports them: reminders that fail it become errors."""
    return [replace(p, severity=ERROR) if p.fails_strict(added) and not p.is_error else p for p in problems]


def format_report(problems: Iterable[Problem]) -> str:
    """All problems grouped by file, errors and warnings counted at the end."""
    problems = sorted(problems)
    lines: list[str] = []
    for path, group in groupby(problems, key=lambda p: p.path):
        lines.append(f"▶ {_printable(path)}")
        lines.extend(f"  {p.format()}" for p in group)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors:
        lines.append(f"共 {errors} 个错误、{warnings} 个提醒：请按提示修改后再构建。")
    elif warnings:
        lines.append(f"没有错误，有 {warnings} 个提醒。")
    else:
        lines.append("检查通过：没有发现问题。")
    return "\n".join(lines)
