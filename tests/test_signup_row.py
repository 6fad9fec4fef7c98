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


def test_a_full_event_whose_note_offers_a_waiting_list_links_where_to_join_it(sample_output: Path) -> None:
    """名额已满，可在报名页登记候补: the page said so and gave no link to that page, nor the
    phone number to call for 可电话登记候补. A full event still says where it signs people up,
    in its 报名 row (the big sign-up buttons stay off: the event is full)."""
    page = (sample_output / "events" / "dagang-zhiqi-ai-tiyan-hanjia" / "index.html").read_text("utf-8")
    row = re.search(r"<dt>报名</dt>\s*<dd>(.*?)</dd>", page, re.S)[1]
    assert re.search(r'<a href="https://[^"]+"[^>]*>报名页</a>', row), row
    # The deadline (1月20日) is for signing up, not for the waiting list: the link stays until the
    # event is over (the page's script hid it from 1月21日, the note still offering the list).
    closes = re.search(r'<span data-closes="([^"]+)"><br><a href="https://[^"]+"[^>]*>报名页</a>', row)[1]
    assert closes == "2027-01-24T16:30:00+08:00", closes
    assert "在线报名" not in page and 'class="actions"' not in page
    aed = (sample_output / "events" / "tanggu-xinfei-fusu-aed-peixun-2026-12" / "index.html").read_text("utf-8")
    row = re.search(r"<dt>报名</dt>\s*<dd>(.*?)</dd>", aed, re.S)[1]
    assert re.search(r'报名电话：<a class="tel" href="tel:\+862225800000">', row), row
    assert "电话报名" not in aed
