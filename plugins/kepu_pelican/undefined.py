"""A name a template uses but nobody defined fails the build, naming the template and line.

Jinja's default renders an undefined name as an empty string: a link to ``{{ TEAMS_URL }}``
then silently leads to the home page. ``JINJA_ENVIRONMENT["undefined"] = TemplateUndefined``
makes every use of such a name (printing, testing, iterating, comparing) raise
``UndefinedError`` with a Chinese message that says where: the message is complete on its
own, so it survives being sent from a page-writing child process to the build.
``{% if x is defined %}`` and ``x|default(...)`` stay the ways to use optional values.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from jinja2 import StrictUndefined
from jinja2.utils import missing, object_type_repr


class TemplateUndefined(StrictUndefined):
    __slots__ = ()

    @property
    def _undefined_message(self) -> str:  # every failing operation raises with this message
        return f"{template_location()}{self._what()}"

    def _what(self) -> str:
        name = self._undefined_name
        if self._undefined_hint:
            return f"值未定义（{self._undefined_hint}）"
        if self._undefined_obj is missing:
            return f"未定义的名字 {name}"
        return f"{object_type_repr(self._undefined_obj)} 没有属性或键 {name!r}"


def template_location() -> str:
    """``模板 theme/templates/base.html 第 32 行：`` for the innermost template being rendered."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(frame.f_lineno)
            return f"模板 {_shown(template.filename or template.name)} 第 {line} 行："
        frame = frame.f_back
    return ""


def _shown(filename: str) -> str:
    try:
        return Path(filename).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return filename


def template_error(error: BaseException) -> str | None:
    """For a build that failed while rendering a template: a line naming the template and the
    line in it (``模板 X 第 N 行：…``); None when no template was involved."""
    from jinja2 import TemplateSyntaxError

    if isinstance(error, TemplateSyntaxError):
        return f"模板 {_shown(error.filename or error.name or '?')} 第 {error.lineno} 行：语法错误：{error.message}"
    message = str(error)
    if message.startswith("模板 "):  # TemplateUndefined said where
        return message
    # Jinja rewrites tracebacks so that template code shows as frames in the template file.
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.endswith(".py")
              and not f.filename.startswith("<") and Path(f.filename).is_file()]
    if not frames:
        return None
    return f"模板 {_shown(frames[-1].filename)} 第 {frames[-1].lineno} 行：{type(error).__name__}: {message}"
