"""A problem's field named as the web form shows it: a web-form volunteer reads the review's annotations
and summary (报名 › 报名电话（registration.phone）), not the file's keys she never saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from kepu.content.problems import ERROR, WARNING, Problem
from kepu.content.project import Layout
from kepu.content.validation import EVENT_FIELDS, REQUIRED_FIELDS
from kepu.editor.annotations import github_command, summary_markdown
from kepu.editor.formlabels import form_fields, form_place, with_form_labels

pytestmark = pytest.mark.unit
LAYOUT = Layout(content=Path("/site/content"), root=Path("/site"))
EVENT = "content/events/xinbei/2026/xinbei-a.md"


@pytest.mark.parametrize("field, place", [
    ("start", "开始"),
    ("registration.phone", "报名 › 报名电话"),
    ("registration", "报名"),
    ("categories[0]", "活动类型"),
    ("venue.lat", "地点"),                 # the widget shows its own parts
    ("recurrence.exdates[0]", "重复"),
    ("image_alt", "配图说明"),
    ("sumary", ""),                        # a misspelt key: no such field in the form
    ("正文", ""),
])
def test_an_event_s_field_is_placed_in_its_form(field: str, place: str) -> None:
    assert form_place(field, form_fields(LAYOUT)(EVENT)) == place


def test_every_field_a_volunteer_sets_has_a_place_in_the_form() -> None:
    """The fields the check asks for all have a label (the form writes every one of them)."""
    fields = form_fields(LAYOUT)(EVENT)
    assert all(form_place(name, fields) for name in REQUIRED_FIELDS)
    placed = [name for name in EVENT_FIELDS if form_place(name, fields)]
    assert len(placed) >= 25, placed


def test_news_and_pages_use_their_own_forms_and_other_files_none() -> None:
    fields = form_fields(LAYOUT)
    assert form_place("title", fields("content/articles/2026/xinwen-1.md")) == "新闻标题"
    assert form_place("events[0]", fields("content/articles/2026/xinwen-1.md")) == "报道的活动"
    assert form_place("title", fields("content/pages/about.md")) == "页面标题"
    assert form_place("title", fields(EVENT)) == "活动名称"
    assert form_place("name", fields("content/data/venues.yml")) == ""


def test_the_review_s_annotation_and_summary_say_the_form_s_words_then_the_file_s() -> None:
    problems = [Problem(EVENT, 14, "registration.phone", "电话号码 02225600000 被 YAML 读成了数字", "加引号"),
                Problem(EVENT, 12, "status", "没有写原定时间", severity=WARNING),
                Problem("content/data/venues.yml", 3, "address", "太长", severity=ERROR)]
    named = with_form_labels(problems, LAYOUT)
    annotation = github_command(named[0], EVENT)
    assert "title=报名 › 报名电话（registration.phone）" in annotation
    summary = summary_markdown(named)
    assert "| 14 | 报名 › 报名电话（registration.phone）：电话号码" in summary
    assert "| 12 | （提醒）状态（status）：没有写原定时间" in summary
    assert "| 3 | address：太长" in summary  # a registry has no form: its key alone
