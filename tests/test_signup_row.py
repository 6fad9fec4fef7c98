"""An event page's 报名 row as a resident reads it: an event called off or put off does not ask
anyone to sign up (the page of the cancelled meteor watch said 需要报名，限 60 人)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

pytestmark = pytest.mark.build


def signup_row(page: Path) -> str:
    found = re.search(r"<dt>报名</dt>\s*<dd>(.*?)</dd>", page.read_text("utf-8"), re.S)
    assert found, page
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found[1]))).strip()


def test_a_cancelled_event_asks_no_one_to_sign_up(sample_output: Path) -> None:
    row = signup_row(sample_output / "events" / "shengtaicheng-shuangzizuo-liuxingyu-guance" / "index.html")
    assert row.startswith("活动已取消，不用报名"), row
    assert "需要报名" not in row and "限 60 人" not in row


def test_an_event_going_ahead_still_says_how_to_sign_up(sample_output: Path) -> None:
    row = signup_row(sample_output / "events" / "tanggu-cuzhong-zhongfeng120-jiangzuo" / "index.html")
    assert row.startswith("需要报名，限 50 人"), row


def test_a_full_event_shared_says_so_in_its_title(sample_output: Path) -> None:
    """名额已满: a card shared in a WeChat group looked open to everyone who read it."""
    page = (sample_output / "events" / "dagang-zhiqi-ai-tiyan-hanjia" / "index.html").read_text("utf-8")
    assert re.search(r"<title>【名额已满】", page)
