"""Where a problem's field is in the web form: the labels a web-form volunteer sees, from the form's own configuration."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from kepu.content.model import Registries
from kepu.content.problems import Problem
from kepu.content.project import Layout
from kepu.editor.cmsconfig import article_fields, event_fields, page_fields

# One step of a problem's field: ``registration``, ``sessions[1]``, ``categories[0]``.
_STEP = re.compile(r"([^.\[\]]+)(?:\[\d+\])?")
SEPARATOR = " › "


def form_place(field: str, fields: Sequence[Mapping[str, Any]]) -> str:
    """The labels leading to ``field`` in a form of ``fields`` (``registration.phone`` → ``报名 › 报名电话``;
    ``recurrence.exdates[0]`` → ``重复``: the form's own widget shows its parts); "" when the form has
    no such field (a misspelt key, the body's ``正文``, a registry's)."""
    labels: list[str] = []
    current: Sequence[Mapping[str, Any]] = fields
    for step in field.split("."):
        name = _STEP.fullmatch(step)
        found = next((f for f in current if name and f.get("name") == name[1]), None)
        if found is None:
            break
        labels.append(str(found["label"]))
        current = found.get("fields") or ()  # a widget of its own (重复, 地点) shows its parts itself
    return SEPARATOR.join(labels)


def form_fields(layout: Layout) -> Callable[[str], Sequence[Mapping[str, Any]]]:
    """A shown path → the fields of the web form that edits it (events, news, pages; none for others).
    The labels do not depend on the registries' items: the form's choices are left empty."""
    empty = Registries(streets={}, teams={}, categories={}, audiences={})
    folders = {
        layout.events: event_fields(empty, "", layout.images, layout.events),
        layout.articles: article_fields(empty, "", layout.images, layout.articles),
        layout.pages: page_fields("", layout.images, layout.pages),
    }
    content = layout.shown(layout.content).rstrip("/")
    prefixes = [(f"{content}/{folder}/" if content not in ("", ".") else f"{folder}/", fields)
                for folder, fields in folders.items()]

    def fields_of(shown: str) -> Sequence[Mapping[str, Any]]:
        return next((fields for prefix, fields in prefixes if shown.startswith(prefix)), ())

    return fields_of


def with_form_labels(problems: Sequence[Problem], layout: Layout) -> list[Problem]:
    """The problems with each field named as the web form shows it, then as the file writes it:
    ``报名 › 报名电话（registration.phone）``. A web-form volunteer reads the review's results
    (annotations, the job summary) without ever having seen the file's keys."""
    fields_of = form_fields(layout)

    def named(problem: Problem) -> Problem:
        place = form_place(problem.field, fields_of(problem.path)) if problem.field else ""
        return replace(problem, field=f"{place}（{problem.field}）") if place else problem

    return [named(p) for p in problems]
