"""Hostile front-matter values: each is refused with file, line and the fix in Chinese, never a
traceback; calendar text keeps a typed backslash; one oversized event never empties a feed.

Most checks run in-process on the validation and feed functions; two builds run the real CLI
on the mini site: one with many hostile files at once (exit 1, every file named), one whose
feeds are read back by independent parsers (ical.js, libical, icalendar).
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest
from dateutil import rrule as dateutil_rrule
from icalendar import Calendar

from conftest import ROOT, TEST_SITE, require, run_build, site_config
from feedtools import SYSTEM_PYTHON, icaljs, libical_available, lint, node_available
from kepu.content.articles import validate_article
from kepu.content.dates import DateFormatError, parse_duration
from kepu.content.events import parse_file
from kepu.content.frontmatter import MAX_FRONT_MATTER_LINES, split
from kepu.content.model import Registries, SessionChange, Team
from kepu.content.project import Layout, check
from kepu.content.recurrence import RecurrenceError, normalize_rule
from kepu.content.registries import load_registries
from kepu.content.validation import SLUG_PATTERN, ValidationContext, slug_problem, validate_event
from kepu.formats.ics import (
    FAIR_SHARE_FLOOR,
    MAX_EVENT_BYTES,
    EventComponents,
    Feed,
    FeedSettings,
    escape_text,
    feed_bytes,
)
from kepu.index.site import build_index

CONTENT = TEST_SITE / "content"
FOLDER = "events/xinbei/2026"
SHOWN = f"content/{FOLDER}/h-field.md"
REGISTRIES = load_registries(CONTENT / "data")[0]
RRULE_HINT = "例如 FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30（每周六，到 2027 年 1 月 30 日）"


def event_text(*extra: str, end: str = 'end: "11:00"', body: str = "活动介绍。") -> str:
    """A valid event; ``extra`` lines start at line 11 (``end`` is line 4)."""
    lines = ["---", "title: 敌意字段测试活动", "start: 2026-12-12 09:00", end, "street: xinbei",
             "team: xinbei-liudong", "categories: [kexue-shiyan]", "audiences: [qinzi]", "venue:",
             "  name: 新北街道科普活动室", *extra, "---", body, ""]
    return "\n".join(lines)


def problems(text: str, shown: str = SHOWN, content: Path = CONTENT) -> list[str]:
    """Every problem of one event file, parsed and validated in-process."""
    parsed = parse_file(Path(shown), shown, text.encode("utf-8"))
    found = list(parsed.problems)
    if parsed.doc is not None:
        found += validate_event(parsed.doc, ValidationContext(REGISTRIES, content))[1]
    return [p.format() for p in found]


def rule(text: str, *more: str) -> str:
    return event_text("recurrence:", f"  rrule: {text}", *more)


# -- 1. values that used to raise inside the validator or dateutil -----------------------------
ORDINAL_HINT = "序号写在星期前面，例如 BYDAY=1WE（第一个周三）、BYDAY=-1SA（最后一个周六）"
SETPOS_HINT = "例如 FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1（每月最后一个工作日）"
BAD_RULES = {
    "monthly +53MO": ("FREQ=MONTHLY;BYDAY=+53MO",
                      "BYDAY 中的“+53MO”序号超出范围：按月重复时只能是 1 到 5 或 -1 到 -5", ORDINAL_HINT),
    "monthly +6MO": ("FREQ=MONTHLY;BYDAY=+6MO",
                     "BYDAY 中的“+6MO”序号超出范围：按月重复时只能是 1 到 5 或 -1 到 -5", ORDINAL_HINT),
    "ordinal zero": ("FREQ=MONTHLY;BYDAY=0MO",
                     "BYDAY 中的“0MO”序号超出范围：按月重复时只能是 1 到 5 或 -1 到 -5", ORDINAL_HINT),
    "yearly -54MO": ("FREQ=YEARLY;BYDAY=-54MO",
                     "BYDAY 中的“-54MO”序号超出范围：按年重复时只能是 1 到 53 或 -1 到 -53", ORDINAL_HINT),
    "yearly in a month +7TU": ("FREQ=YEARLY;BYMONTH=3;BYDAY=+7TU",
                               "BYDAY 中的“+7TU”序号超出范围：按年重复并写了 BYMONTH 时只能是 1 到 5 或 -1 到 -5",
                               ORDINAL_HINT),
    "weekly with an ordinal": ("FREQ=WEEKLY;BYDAY=2TH",
                               "BYDAY 中的“2TH”带了序号：只有按月或按年重复才能写第几个星期几",
                               "按周、按天重复只写星期，例如 BYDAY=TH"),
    "month day 32": ("FREQ=MONTHLY;BYMONTHDAY=32",
                     "BYMONTHDAY 中的“32”无效：日期只能是 1 到 31，或 -1 到 -31（倒数第几天）",
                     "例如 BYMONTHDAY=15（每月 15 日）、BYMONTHDAY=-1（每月最后一天）"),
    "month day -40": ("FREQ=MONTHLY;BYMONTHDAY=-40",
                      "BYMONTHDAY 中的“-40”无效：日期只能是 1 到 31，或 -1 到 -31（倒数第几天）",
                      "例如 BYMONTHDAY=15（每月 15 日）、BYMONTHDAY=-1（每月最后一天）"),
    "month day as words": ("FREQ=MONTHLY;BYMONTHDAY=first",
                           "BYMONTHDAY 中的“FIRST”无效：日期只能是 1 到 31，或 -1 到 -31（倒数第几天）",
                           "例如 BYMONTHDAY=15（每月 15 日）、BYMONTHDAY=-1（每月最后一天）"),
    "month day on a weekly rule": ("FREQ=WEEKLY;BYMONTHDAY=3",
                                   "按周重复（FREQ=WEEKLY）不能写 BYMONTHDAY",
                                   "每月某一天请写 FREQ=MONTHLY;BYMONTHDAY=3"),
    "month 13": ("FREQ=YEARLY;BYMONTH=13", "BYMONTH 中的“13”无效：月份只能是 1 到 12",
                 "例如 BYMONTH=7,8（七月和八月）"),
    "set position zero": ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0",
                          "BYSETPOS 中的“0”无效：只能是 1 到 366，或 -1 到 -366", SETPOS_HINT),
    "set position 400": ("FREQ=YEARLY;BYDAY=MO;BYSETPOS=-400",
                         "BYSETPOS 中的“-400”无效：只能是 1 到 366，或 -1 到 -366", SETPOS_HINT),
    "set position alone": ("FREQ=MONTHLY;BYSETPOS=2",
                           "BYSETPOS 要和 BYDAY、BYMONTHDAY 或 BYMONTH 一起使用", SETPOS_HINT),
    "week start": ("FREQ=WEEKLY;WKST=XX", "WKST=XX 无效：只能是 MO、TU、WE、TH、FR、SA、SU 之一",
                   "一般不需要写 WKST，删去即可"),
    "empty list item": ("FREQ=WEEKLY;BYDAY=TU,,TH", "BYDAY 中有空的一项（多写了逗号）",
                        "多个值用一个英文逗号分隔，例如 BYDAY=TU,TH"),
    "huge interval": ("FREQ=WEEKLY;INTERVAL=" + "9" * 200,
                      f"INTERVAL={'9' * 200} 无效，应为 1 到 366 之间的整数", RRULE_HINT),
}


@pytest.mark.parametrize("case", BAD_RULES, ids=list(BAD_RULES))
def test_out_of_range_rule_parts_are_content_errors(case: str) -> None:
    text, message, hint = BAD_RULES[case]
    assert problems(rule(text)) == [f"{SHOWN}:12: recurrence.rrule: {message} — {hint}"], case


# Each with a start on its first date (a start off the rule is refused: calendars disagree on it).
EDGE_RULES = {"FREQ=MONTHLY;BYDAY=+5SU": "2027-01-31", "FREQ=MONTHLY;BYDAY=-1FR,2SA": "2026-12-12",
              "FREQ=YEARLY;BYDAY=+53MO": "2029-12-31", "FREQ=YEARLY;BYDAY=-53MO": "2029-01-01",
              "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29": "2028-02-29", "FREQ=MONTHLY;BYMONTHDAY=-31": "2027-01-01",
              "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1": "2026-12-31",
              "FREQ=WEEKLY;WKST=SU;BYDAY=SA,SU;INTERVAL=2": "2026-12-12", "FREQ=YEARLY;INTERVAL=4": "2026-12-12"}


@pytest.mark.parametrize("text", list(EDGE_RULES))
def test_rules_at_the_edge_of_their_ranges_still_pass(text: str) -> None:
    on_rule = rule(text).replace("start: 2026-12-12 09:00", f"start: {EDGE_RULES[text]} 09:00")
    assert problems(on_rule) == [], text


HUGE_DURATIONS = ["99999999999999小时", "99999999999天", "999999999999999999分钟", "P99999999999D",
                  "PT99999999999H", "1" + "0" * 400 + ".5小时", "367天", "8785小时"]


@pytest.mark.parametrize("value", HUGE_DURATIONS)
def test_huge_durations_are_refused_not_overflowed(value: str) -> None:
    shown = value if len(value) <= 40 else value[:40] + "…"
    assert problems(event_text(end=f"duration: {value}")) == [
        f"{SHOWN}:4: duration: 时长“{shown}”太长：超过 366 天 — 长期开放的项目请用 recurrence 写成重复活动"], value


def test_a_year_long_duration_is_still_accepted() -> None:
    assert parse_duration("366天").days == 366
    with pytest.raises(DateFormatError):
        parse_duration("9" * 5000 + "小时")


@pytest.mark.parametrize("zone", ["Asia", "../../etc/passwd", "/etc/passwd", "localtime", "posixrules",
                                  "Asia/Shanghai\nX", "right/UTC/..", "zone.tab", "Asia/"])
def test_unknown_time_zones_are_refused(zone: str) -> None:
    visible = zone.replace("\n", "\\n")
    assert problems(event_text(f"timezone: {json.dumps(zone)}")) == [
        f"{SHOWN}:11: timezone: 未知时区“{visible}” — 北京时间请删掉这一行，或写 timezone: Asia/Shanghai"], zone


def test_time_zone_in_the_wrong_case_gets_the_right_name() -> None:
    assert problems(event_text("timezone: asia/shanghai")) == [
        f"{SHOWN}:11: timezone: 未知时区“asia/shanghai” — 是否想写“Asia/Shanghai”？"]


@pytest.mark.parametrize(("zone", "name"), [("UTC\n", "UTC"), ("", "Asia/Shanghai"),
                                            ("Europe/Berlin", "Europe/Berlin")])
def test_known_time_zones_and_an_empty_one_are_accepted(zone: str, name: str) -> None:
    parsed = parse_file(Path(SHOWN), SHOWN, event_text(f"timezone: {json.dumps(zone)}").encode())
    event, found = validate_event(parsed.doc, ValidationContext(REGISTRIES, CONTENT))
    assert found == [] and event is not None and event.timezone == name, zone


def test_file_names_ending_in_a_newline_are_not_slugs() -> None:
    assert SLUG_PATTERN.match("zhoumo\n") is None and SLUG_PATTERN.fullmatch("zhoumo\n") is None
    assert SLUG_PATTERN.match("zhoumo-2") is not None
    shown = "content/events/xinbei/2026/zhoumo\n.md"
    problem = slug_problem(shown)
    assert problem is not None and problem.format() == (
        "content/events/xinbei/2026/zhoumo\\n.md: 文件名“zhoumo\\n”不能用作网址 — "
        "只用小写英文字母、数字和短横线，例如 zhoumo-tongxuehui-dianlu.md")  # the name on one line
    assert problems(event_text(), shown) == [problem.format()]


def test_no_pattern_of_these_modules_ends_in_a_bare_dollar() -> None:
    """``$`` also matches before a final newline: patterns end in ``\\Z`` or are used with fullmatch."""
    import kepu.content.dates
    import kepu.content.frontmatter
    import kepu.content.recurrence
    import kepu.content.validation

    patterns = [(module.__name__, name, value)
                for module in (kepu.content.dates, kepu.content.frontmatter, kepu.content.recurrence, kepu.content.validation)
                for name, value in vars(module).items() if isinstance(value, re.Pattern)]
    assert len(patterns) >= 4, patterns
    for module_name, name, value in patterns:
        assert not value.pattern.endswith("$"), (module_name, name)
    assert problems(event_text(end='end: "2026-12-12 11:00\\n"')) == []  # surrounding space is trimmed


# -- 2. values that were silently wrong ----------------------------------------------------------
NO_DATE_HINT = ("检查 BYDAY、BYMONTHDAY、BYMONTH、BYSETPOS 的组合能否出现；"
                "例如每月最后一个周一写 FREQ=MONTHLY;BYDAY=-1MO")
NO_DATES = {
    "set position beyond the month": "FREQ=MONTHLY;BYSETPOS=366;BYDAY=MO",
    "second of one daily date": "FREQ=DAILY;BYDAY=MO;BYSETPOS=2",
    "fifth monday of february within ten years": "FREQ=YEARLY;BYMONTH=2;BYDAY=+5MO",
    "daily on a day the interval never reaches": "FREQ=DAILY;INTERVAL=7;BYDAY=MO",
    "leap day every fourth year from a common year": "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29",
}


WALKED_YEARS_AT_MOST = 40  # a few decades; from 2026 to the year 9999 would be ~8,000 years
PERIODS_PER_YEAR = {"ydayset": 1, "mdayset": 12, "wdayset": 53, "ddayset": 366}  # dateutil's period kinds


@pytest.fixture
def years_walked(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """How many years' worth of periods (years, months, weeks or days) dateutil generated:
    the work a rule costs, counted instead of timed."""
    walked = [0.0]
    for name, per_year in PERIODS_PER_YEAR.items():
        original = getattr(dateutil_rrule._iterinfo, name)

        def counted(self, *args, _original=original, _per_year=per_year):
            walked[0] += 1 / _per_year
            return _original(self, *args)

        monkeypatch.setattr(dateutil_rrule._iterinfo, name, counted)
    return walked


@pytest.mark.parametrize("case", NO_DATES, ids=list(NO_DATES))
def test_rules_that_yield_no_date_are_refused_quickly(case: str, years_walked: list[float]) -> None:
    found = problems(rule(NO_DATES[case]))
    assert 0 < years_walked[0] <= WALKED_YEARS_AT_MOST, case  # dateutil alone would walk to 9999
    assert found == [f"{SHOWN}:12: recurrence.rrule: 这条重复规则不会产生任何日期（从开始起 10 年内一次也没有） — "
                     f"{NO_DATE_HINT}"], case


def test_impossible_month_day_keeps_its_own_message() -> None:
    assert problems(rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")) == [
        f"{SHOWN}:12: recurrence.rrule: 按这条规则永远不会有活动（所选月份没有这一天） — {RRULE_HINT}"]


def test_until_before_the_start_is_refused() -> None:
    assert problems(rule("FREQ=WEEKLY;UNTIL=2026-12-01")) == [
        f"{SHOWN}:12: recurrence.rrule: UNTIL（2026年12月1日）早于活动开始，这条重复规则不会产生任何日期 — "
        "UNTIL 写最后一次活动的日期，应在 start 之后"]


def test_every_date_excluded_is_refused_on_the_exdates_line() -> None:
    assert problems(rule("FREQ=WEEKLY;COUNT=2", "  exdates: [2026-12-12, 2026-12-19]")) == [
        f"{SHOWN}:13: recurrence.exdates: 重复规则的每一次活动都被 exdates 排除了，活动没有任何日期 — "
        "删去多余的 exdates；活动取消请写 status: cancelled"]
    assert problems(rule("FREQ=WEEKLY;COUNT=2", "  exdates: [2026-12-12, 2026-12-19]",
                         "  rdates: [2027-01-09 09:00]")) == []
    assert problems(rule("FREQ=WEEKLY;COUNT=3", "  exdates: [2026-12-12, 2026-12-19]")) == []


def test_normalize_rule_never_lets_dateutil_raise() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 12, 12, 9, tzinfo=zone)
    for text in ("FREQ=MONTHLY;BYDAY=+53MO", "FREQ=YEARLY;BYMONTH=1;BYDAY=-9SU", "FREQ=MONTHLY;BYMONTHDAY=0",
                 "FREQ=YEARLY;BYSETPOS=+0;BYDAY=MO", "FREQ=DAILY;BYMONTH=,", "FREQ=MONTHLY;BYDAY=+-1MO"):
        with pytest.raises(RecurrenceError) as caught:
            normalize_rule(text, start, zone)
        assert re.search(r"[\u4e00-\u9fff]", caught.value.message), text


EMAIL_HINT = "例如 email: kepu@example.cn；只写一个地址，不要加 mailto:、问号、逗号、空格或尖括号"
BAD_EMAILS = ["kepu@example.cn?bcc=all@example.cn", "kepu@example.cn&subject=x", "a@example.cn,b@example.cn",
              "王老师 <kepu@example.cn>", "kepu @example.cn", "mailto:kepu@example.cn", "kepu%40example.cn",
              '"kepu"@example.cn', "kepu@example", "kepu@@example.cn", ".kepu@example.cn",
              "kepu@-example.cn", "javascript:alert(1)//@example.cn"]


@pytest.mark.parametrize("value", BAD_EMAILS)
@pytest.mark.parametrize("parent", ["contact", "registration"])
def test_emails_are_one_plain_address(parent: str, value: str) -> None:
    assert problems(event_text(f"{parent}:", f"  email: {json.dumps(value, ensure_ascii=False)}")) == [
        f"{SHOWN}:12: {parent}.email: 邮箱“{value}”格式不对 — {EMAIL_HINT}"], value


@pytest.mark.parametrize("value", ["kepu@example.cn", "wang.laoshi+kepu@mail.example.com.cn",
                                   "k_p-1@sub-domain.example.cn"])
def test_ordinary_emails_pass(value: str) -> None:
    assert problems(event_text("contact:", f"  email: {value}", "registration:", f"  email: {value}")) == []


PHONE_HINT = '例如 phone: "0123-2530 0000"；分机写成 "0123-2530 0000 转 123"'
BAD_PHONES = ["tel:javascript:alert(1)", "javascript:alert(1)", "022-2530 0000?call", "1\" onclick=\"x",
              "022-2530 0000, 022-2530 0001", "二零二二", "0", "+86 (22) 2530-0000 ext", "022\n2530"]


@pytest.mark.parametrize("value", BAD_PHONES)
@pytest.mark.parametrize("parent", ["contact", "registration"])
def test_phones_are_digits_spaces_and_dashes(parent: str, value: str) -> None:
    shown = value.replace("\n", "\\n")
    assert problems(event_text(f"{parent}:", f"  phone: {json.dumps(value, ensure_ascii=False)}")) == [
        f"{SHOWN}:12: {parent}.phone: 电话“{shown}”格式不对：只能有数字、空格、-、+ 和括号 — {PHONE_HINT}"], value


@pytest.mark.parametrize("value", ['"022-2530 0000"', '"02225300000"', "13800138000", '"+86 22 2530 0000"',
                                   '"(022) 2530-0000"', '"022-2530 0000 转 123"', '"022-25300000转8"',
                                   '"022-2530 0000 ext. 12"', '"400-800-1234"', '"0571-8888 0000"',
                                   '"022-2530 0000-8012"', '"+86 (0)22 2530 0000"', '"138 2200 3333"'])
def test_phone_forms_editors_use_pass(value: str) -> None:
    assert problems(event_text("contact:", f"  phone: {value}", "registration:", f"  phone: {value}")) == []


@pytest.mark.parametrize("value", ["022-2530 0000 13822003333", "138 2200 3333 139 2200 4444",
                                   "0571-8888 0000 8012", "+86 22 2530 0000 13822003333"])
@pytest.mark.parametrize("parent", ["contact", "registration"])
def test_two_numbers_separated_by_a_space_are_refused(parent: str, value: str) -> None:
    """022-2530 0000 13822003333 passed, and the page's 电话报名 dialled tel:+86222530000013822003333."""
    assert problems(event_text(f"{parent}:", f'  phone: "{value}"')) == [
        f"{SHOWN}:12: {parent}.phone: 电话“{value}”的数字太多，像是两个号码（一个电话最多 12 位数字，手机 11 位） — "
        '只写一个电话，例如 phone: "0123-2530 0000"；另一个写进联系方式 contact；分机写成 "0123-2530 0000 转 123"']


def test_front_matter_over_the_limit_names_its_length_and_closing_line() -> None:
    fields = [f"# 说明第 {n} 行" for n in range(MAX_FRONT_MATTER_LINES + 40)]
    text = event_text(*fields)
    closing = 10 + len(fields) + 1
    found = split(text, SHOWN)
    assert found.format() == (
        f"{SHOWN}:{closing}: 前置信息太长（{closing - 2} 行，上限 {MAX_FRONT_MATTER_LINES} 行） — "
        "前置信息只写字段；较长的介绍请写在第二个 --- 之后的正文里")
    unterminated = text.replace("\n---\n活动介绍。", "\n活动介绍。")
    assert split(unterminated, SHOWN).format() == (
        f"{SHOWN}:1: 前置信息没有结束的 --- 行 — 在最后一个字段之后另起一行写 ---，再写正文")


def test_front_matter_just_under_the_limit_is_read() -> None:
    fields = [f"# 说明第 {n} 行" for n in range(MAX_FRONT_MATTER_LINES - 10 - 2)]
    assert problems(event_text(*fields)) == []


def test_event_image_must_be_under_images(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / FOLDER).mkdir(parents=True)
    (content / FOLDER / "h-photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (content / "images").mkdir()
    (content / "images" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (content / "images" / "a#b.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert problems(event_text(f"image: {FOLDER}/h-photo.png"), content=content) == [
        f"{SHOWN}:11: image: 配图“{FOLDER}/h-photo.png”不在 images/ 文件夹里，网站只发布 content/images/ 下的图片 — "
        "把图片移到 content/images/ 下，写 image: images/h-photo.png"]
    assert problems(event_text('image: "images/a#b.png"'), content=content) == [
        f"{SHOWN}:11: image: 配图路径“images/a#b.png”里有 ?、#、% 等不能用在网址里的字符 — "
        "给图片文件改个名字，只用字母、数字、短横线和汉字"]
    assert problems(event_text("image: images/ok.png\nimage_alt: 活动现场"), content=content) == []
    assert problems(event_text("image: /images/ok.png\nimage_alt: 活动现场"), content=content) == []


def test_article_image_must_be_under_images(mini_site: Path) -> None:
    content = mini_site / "content"
    (content / "articles" / "h-photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    article = content / "articles" / "h-news.md"
    article.write_text("---\ntitle: 新闻\ndate: 2026-11-01\nimage: articles/h-photo.png\n---\n正文\n", "utf-8")
    found = [p.format() for p in check(Layout(content=content, root=mini_site), [article]).problems]
    assert found == [
        "content/articles/h-news.md:4: image: 配图“articles/h-photo.png”不在 images/ 文件夹里，"
        "网站只发布 content/images/ 下的图片 — 把图片移到 content/images/ 下，写 image: images/h-photo.png"]


# -- 3. no field is unbounded ----------------------------------------------------------------------
def test_long_tags_are_errors_not_cut() -> None:
    long = "超长标签" * 16
    assert problems(event_text(f"tags: [电路, {long}]")) == [
        f"{SHOWN}:11: tags[1]: 标签太长（64 字，上限 60 字） — 标签是简短的关键词，例如 tags: [电路, 动手实验]"]


def test_too_many_tags_are_an_error() -> None:
    tags = ", ".join(f"标签{n}" for n in range(25))
    assert problems(event_text(f"tags: [{tags}]")) == [
        f"{SHOWN}:11: tags: 标签太多（25 个，上限 20 个） — 只保留最重要的几个关键词"]


def test_long_values_are_cut_in_messages() -> None:
    long = "x" * 5000
    found = problems(event_text(f"status: {long}", "street2: 1", f"featured: {long}", f"age: {long}",
                                f"attendance: {long}").replace("street: xinbei", f"street: {long}"))
    assert found and all(len(line) < 400 for line in found), [len(line) for line in found]
    assert f"{SHOWN}:5: street: 街镇编号太长（5000 个字符，上限 80 个） — 可用编号见 content/data/streets.yml" in found


def test_unknown_field_names_are_cut_in_messages() -> None:
    key = "k" * 3000
    found = problems(event_text(f"? {key}\n: 1"))
    assert len(found) == 1 and len(found[0]) < 300 and found[0].startswith(f"{SHOWN}:12: （提醒）"), found


def test_article_fields_are_bounded(mini_site: Path) -> None:
    content = mini_site / "content"
    article = content / "articles" / "h-bounded.md"
    events = ", ".join(["liudong-kejiguan"] * 60)
    article.write_text(f"---\ntitle: 新闻\ndate: 2026-11-01\ntags: [{'长' * 61}]\nevents: [{events}]\n"
                       "author: [甲, 乙]\n---\n正文\n", "utf-8")
    found = sorted(p.format() for p in check(Layout(content=content, root=mini_site), [article]).problems)
    assert found == [
        "content/articles/h-bounded.md:4: tags[0]: 标签太长（61 字，上限 60 字） — 标签是简短的关键词，例如 tags: [电路, 动手实验]",
        "content/articles/h-bounded.md:5: events: 关联的活动太多（60 个，上限 50 个） — 只列出这篇新闻报道的活动",
        "content/articles/h-bounded.md:6: author: 这里应写一段文字，而不是列表或多个字段 — 写在同一行：author: 一段文字",
    ]
    article.write_text("---\ntitle: 新闻\ndate: 2026-11-01\nevents: [{a: 1}]\n---\n正文\n", "utf-8")
    meta, found = validate_article(parse_file(article, "a.md").doc,
                                   ValidationContext(REGISTRIES, content), "article", None)
    assert meta is None and [p.format() for p in found] == [
        "a.md:4: events[0]: 这里应写活动的文件名（不含 .md） — 每个文件名写成列表的一项，例如 events: [liudong-kejiguan]"]
    # The news writer's audit: an event named twice was listed twice under 相关活动.
    article.write_text("---\ntitle: 新闻\ndate: 2026-11-01\nevents: [liudong-kejiguan, liudong-kejiguan]\n---\n正文\n",
                       "utf-8")
    meta, found = validate_article(parse_file(article, "a.md").doc,
                                   ValidationContext(REGISTRIES, content), "article", None)
    assert meta.events == ("liudong-kejiguan",) and [p.format() for p in found] == [
        "a.md:4: （提醒）events[1]: 活动“liudong-kejiguan”写了两次 — 删去重复的这一项"]


# -- calendar text: a typed backslash stays a backslash --------------------------------------------
LITERAL = "讲座\\N第二行\\n换行？\\,逗号\\;分号\\\\双斜杠 C:\\Users"


def test_escape_text_escapes_backslashes_first() -> None:
    assert escape_text("a\\Nb") == "a\\\\Nb"
    assert escape_text("a\nb;c,d\\") == "a\\nb\\;c\\,d\\\\"


def _base_events() -> dict:
    return {e.slug: e for e in check(Layout(content=CONTENT, root=TEST_SITE)).events}


def _entries(extra_events=(), registries: Registries = REGISTRIES, build: date = date(2026, 12, 1)):
    events = check(Layout(content=CONTENT, root=TEST_SITE)).events
    return build_index([*events, *extra_events], registries, site_config(ROOT / "content").urls, build).entries


SETTINGS = FeedSettings(site_url="https://kepu.example.cn", uid_domain="kepu.example.cn")


def _components() -> EventComponents:
    return EventComponents(SETTINGS, {}, lambda entry: SETTINGS.absolute(entry.url))


def test_literal_backslash_sequences_read_back_exactly(tmp_path: Path) -> None:
    base = _base_events()["liudong-kejiguan"]
    tricky = dataclasses.replace(base, slug="h-backslash", title=LITERAL, summary=LITERAL,
                                 venue=dataclasses.replace(base.venue, name=LITERAL, address=""))
    entry = next(e for e in _entries([tricky]) if e.event.slug == "h-backslash")
    data, _ = feed_bytes(Feed("feeds/h-backslash.ics", LITERAL, LITERAL, entry.url, [entry]), SETTINGS,
                         _components(), date(2026, 12, 1))  # a feed: it has a name (an event file has none)
    assert lint(data) == []
    ours = Calendar.from_ical(data)
    vevent = ours.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == LITERAL
    assert str(vevent["LOCATION"]) == LITERAL
    assert str(vevent["DESCRIPTION"]).startswith(LITERAL + "\n")
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    assert f"\r\nX-WR-CALNAME:{escape_text(LITERAL)}\r\n" in unfolded  # icalendar leaves X- values raw
    path = tmp_path / "h-backslash.ics"
    path.write_bytes(data)
    require(node_available(), "node and node_modules/ical.js")
    js = icaljs([path], date(2026, 1, 1), date(2028, 1, 1))[str(path)][0]
    assert (js["summary"], js["location"]) == (LITERAL, LITERAL)
    assert js["description"].startswith(LITERAL + "\n")
    require(libical_available(), "python3-gi with libical (gir1.2-ical-3.0)")
    assert libical_summaries(path) == [LITERAL]


def libical_summaries(path: Path) -> list[str]:
    """SUMMARY of each VEVENT as libical reads it (Debian's python3 with GObject bindings)."""
    script = ("import json, sys, gi; gi.require_version('ICalGLib', '3.0');"
              "from gi.repository import ICalGLib as I;"
              "c = I.Component.new_from_string(open(sys.argv[1], encoding='utf-8').read());"
              "e = c.get_first_component(I.ComponentKind.VEVENT_COMPONENT); out = []\n"
              "while e:\n out.append(e.get_summary()); e = c.get_next_component(I.ComponentKind.VEVENT_COMPONENT)\n"
              "print(json.dumps(out))")
    result = subprocess.run([SYSTEM_PYTHON, "-c", script, str(path)], capture_output=True, text=True,
                            check=True, timeout=60)
    return json.loads(result.stdout)


# -- feeds: one oversized event never pushes the others out ---------------------------------------
def _giant_setup(name_chars: int = 540_000):
    giant_team = Team(id="giant-team", name="巨" * name_chars, street="xinbei", email="giant@example.cn")
    registries = dataclasses.replace(REGISTRIES, teams={**REGISTRIES.teams, "giant-team": giant_team})
    base = _base_events()
    giant = dataclasses.replace(base["liudong-kejiguan"], slug="h-giant", team="giant-team")  # the soonest
    return registries, giant, list(base.values())


def test_a_giant_event_is_left_out_of_shared_feeds_and_evicts_nothing() -> None:
    registries, giant, base = _giant_setup()
    entries = _entries([giant], registries)
    normal = {e.event.slug for e in entries if e.event.slug != "h-giant"}
    components = _components()
    data, window = feed_bytes(Feed("feeds/all.ics", "全部", "全部活动。", "", entries), SETTINGS, components,
                              date(2026, 12, 1))
    uids = {str(v["UID"]).split("@")[0] for v in Calendar.from_ical(data).walk("VEVENT")}
    assert uids == normal and len(normal) == len(base)
    assert len(data) <= SETTINGS.max_bytes and window.events == len(normal) and window.oversized == 1
    assert "另有 1 项活动的信息太长" in str(Calendar.from_ical(data)["X-WR-CALDESC"])
    giant_entry = next(e for e in entries if e.event.slug == "h-giant")
    single, _ = feed_bytes(Feed("events/h-giant.ics", "巨", "巨", "", [giant_entry]), SETTINGS, components,
                           date(2026, 12, 1), single=True)
    assert len(components.serialize(giant_entry)) > MAX_EVENT_BYTES and b"UID:h-giant@" in single


def test_an_event_just_under_the_cap_is_kept() -> None:
    registries, giant, _ = _giant_setup(name_chars=MAX_EVENT_BYTES // 7)  # in two properties
    entries = _entries([giant], registries)
    components = _components()
    data, window = feed_bytes(Feed("feeds/all.ics", "全部", "全部活动。", "", entries), SETTINGS,
                              components, date(2026, 12, 1))
    size = len(components.serialize(next(e for e in entries if e.event.slug == "h-giant")))
    assert MAX_EVENT_BYTES * 3 // 4 < size <= MAX_EVENT_BYTES, size
    assert b"UID:h-giant@" in data and window.oversized == 0


def test_many_time_zones_and_a_giant_name_never_push_a_feed_over_its_size() -> None:
    template = _base_events()["liudong-kejiguan"]
    zones = sorted(z for z in available_timezones() if "/" in z)[:40]
    events = [dataclasses.replace(template, slug=f"h-zone-{n}", timezone=zone,
                                  start=template.start.replace(tzinfo=ZoneInfo(zone)),
                                  end=template.end.replace(tzinfo=ZoneInfo(zone)))
              for n, zone in enumerate(zones)]
    entries = _entries(events)
    small = dataclasses.replace(SETTINGS, max_bytes=40_000)
    data, window = feed_bytes(Feed("feeds/all.ics", "名" * 300_000, "说明" * 300_000, "", entries), small,
                              EventComponents(small, {}, lambda e: small.absolute(e.url)), date(2026, 12, 1))
    assert len(data) <= small.max_bytes, len(data)
    assert lint(data) == [] and 0 < window.events < len(entries)


# -- the real build --------------------------------------------------------------------------------
def _raw(name: str, *lines: str, end: str = 'end: "11:00"') -> tuple[str, str]:
    return f"{FOLDER}/{name}.md", event_text(*lines, end=end)


HOSTILE_FILES = dict([
    _raw("h-ordinal", "recurrence:", "  rrule: FREQ=MONTHLY;BYDAY=+53MO"),
    _raw("h-setpos", "recurrence:", "  rrule: FREQ=MONTHLY;BYSETPOS=366;BYDAY=MO"),
    _raw("h-duration", end="duration: 88888888888888小时"),
    _raw("h-zone", "timezone: Asia"),
    _raw("h-mail", "contact:", "  name: 王老师", "  email: kepu@example.cn?bcc=everyone@example.cn"),
    _raw("h-tel", "registration:", "  required: true", '  phone: "tel:javascript:alert(2)"'),
    _raw("h-image", f"image: {FOLDER}/h-image.png"),
    _raw("h-tags", f"tags: [{'标' * 61}]"),
    _raw("h-long", *[f"# 第 {n} 行说明" for n in range(MAX_FRONT_MATTER_LINES)]),
])
EXPECTED = [
    f"content/{FOLDER}/h-ordinal.md:12: recurrence.rrule: BYDAY 中的“+53MO”序号超出范围",
    f"content/{FOLDER}/h-setpos.md:12: recurrence.rrule: 这条重复规则不会产生任何日期",
    f"content/{FOLDER}/h-duration.md:4: duration: 时长“88888888888888小时”太长：超过 366 天",
    f"content/{FOLDER}/h-zone.md:11: timezone: 未知时区“Asia”",
    f"content/{FOLDER}/h-mail.md:13: contact.email: 邮箱“kepu@example.cn?bcc=everyone@example.cn”格式不对",
    f"content/{FOLDER}/h-tel.md:13: registration.phone: 电话“tel:javascript:alert(2)”格式不对",
    f"content/{FOLDER}/h-image.md:11: image: 配图“{FOLDER}/h-image.png”不在 images/ 文件夹里",
    f"content/{FOLDER}/h-tags.md:11: tags[0]: 标签太长（61 字，上限 60 字）",
    f"content/{FOLDER}/h-long.md:{11 + MAX_FRONT_MATTER_LINES}: 前置信息太长（{9 + MAX_FRONT_MATTER_LINES} 行，"
    f"上限 {MAX_FRONT_MATTER_LINES} 行）",
    "content/articles/h-article.md:4: image: 配图“articles/h-article.png”不在 images/ 文件夹里",
]


@pytest.mark.build
def test_build_refuses_every_hostile_field_with_file_and_line(mini_site: Path, tmp_path: Path) -> None:
    content = mini_site / "content"
    for relative, text in HOSTILE_FILES.items():
        (content / relative).write_text(text, "utf-8")
    (content / FOLDER / "h-image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (content / "articles" / "h-article.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (content / "articles" / "h-article.md").write_text(
        "---\ntitle: 配图放错的新闻\ndate: 2026-11-01\nimage: articles/h-article.png\n---\n正文\n", "utf-8")
    result = run_build(content, tmp_path / "out")
    report = result.stdout + result.stderr
    assert result.returncode == 1, report[-3000:]
    assert "Traceback" not in report and "程序出错" not in report, report[-3000:]
    for expected in EXPECTED:
        assert expected in report, (expected, report[-3000:])


@pytest.mark.build
def test_built_feeds_keep_backslashes_and_leave_out_only_the_giant(mini_site: Path, tmp_path: Path) -> None:
    """The \\N title reads back exactly in every parser; an event too large for shared feeds (made
    of 300 categories and 300 audiences with 40-character names) has its own file only."""
    require(node_available(), "node and node_modules/ical.js")
    content = mini_site / "content"
    data = content / "data"
    names = [f"{n:03d}" + "长" * 36 for n in range(300)]
    with (data / "categories.yml").open("a", encoding="utf-8") as handle:
        handle.writelines(f"- id: h-cat-{n}\n  name: 类{names[n]}\n" for n in range(300))
    with (data / "audiences.yml").open("a", encoding="utf-8") as handle:
        handle.writelines(f"- id: h-aud-{n}\n  name: 众{names[n]}\n" for n in range(300))
    (content / FOLDER / "h-literal.md").write_text(event_text(end='end: "11:00"').replace(
        "title: 敌意字段测试活动", f"title: {json.dumps(LITERAL, ensure_ascii=False)}"), "utf-8")
    (content / FOLDER / "h-huge.md").write_text(event_text().replace(
        "categories: [kexue-shiyan]", f"categories: [{', '.join(f'h-cat-{n}' for n in range(300))}]").replace(
        "audiences: [qinzi]", f"audiences: [{', '.join(f'h-aud-{n}' for n in range(300))}]"), "utf-8")
    output = tmp_path / "out"
    result = run_build(content, output)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    single = output / "events" / "h-literal.ics"
    feed = output / "feeds" / "all.ics"
    street = output / "feeds" / "streets" / "xinbei.ics"
    for path in (single, feed, street):
        assert lint(path.read_bytes()) == [], path
        summaries = {str(v["UID"]).split("@")[0]: str(v["SUMMARY"])
                     for v in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
        assert summaries["h-literal"] == LITERAL, (path, summaries.get("h-literal"))
        assert "h-huge" not in summaries, path
    js = {e["uid"].split("@")[0]: e for e in icaljs([feed], date(2026, 1, 1), date(2028, 1, 1))[str(feed)]}
    assert js["h-literal"]["summary"] == LITERAL
    require(libical_available(), "python3-gi with libical (gir1.2-ical-3.0)")
    assert LITERAL in libical_summaries(feed)
    published = {p.stem for p in (output / "events").glob("*.ics")}
    in_feed = {str(v["UID"]).split("@")[0] for v in Calendar.from_ical(feed.read_bytes()).walk("VEVENT")}
    assert in_feed == published - {"h-huge"}, (in_feed, published)
    huge = (output / "events" / "h-huge.ics").read_bytes()
    assert len(huge) > MAX_EVENT_BYTES and b"UID:h-huge@" in huge


def test_many_large_events_cannot_evict_the_others_either() -> None:
    """Sixty events of about 20 KB each (under the per-event cap, over their fair share), dated
    soonest: the shared feed keeps every ordinary event and names the large ones as left out."""
    registries, giant, base = _giant_setup(name_chars=20_000 // 7)
    heavy = [dataclasses.replace(giant, slug=f"h-heavy-{n:02d}", source_path=f"content/h-heavy-{n:02d}.md")
             for n in range(60)]
    entries = _entries(heavy, registries)
    components = _components()
    data, window = feed_bytes(Feed("feeds/all.ics", "全部", "全部活动。", "", entries), SETTINGS, components,
                              date(2026, 12, 1))
    sizes = {len(components.serialize(e)) for e in entries if e.event.slug.startswith("h-heavy")}
    assert min(sizes) < MAX_EVENT_BYTES and 60 * min(sizes) > SETTINGS.max_bytes, sizes
    uids = {str(v["UID"]).split("@")[0] for v in Calendar.from_ical(data).walk("VEVENT")}
    assert {e.event.slug for e in entries if not e.event.slug.startswith("h-")} <= uids
    assert len(base) == len(uids - {e.event.slug for e in entries if e.event.slug.startswith("h-")})
    assert window.left_out and all(path.startswith("content/h-heavy-") for path in window.left_out)


def test_a_series_with_several_changed_sessions_stays_in_the_shared_calendars() -> None:
    """Found by trying the web form: a weekly series whose volunteer changed seven Saturdays (each
    with its reason) is about 8.5 KB of calendar text, one VEVENT per changed session. The
    district calendar gave every event the same room (8 KB once it holds a few hundred events) and
    left the series out: its subscribers lost every session, the unchanged ones too, and only the
    build's log said so. A changed session is a calendar item of its own and gets its own room."""
    base = _base_events()
    series = base["zhoumo-tongxuehui"]
    zone = ZoneInfo("Asia/Shanghai")
    days = (date(2026, 12, 5), date(2026, 12, 12), date(2026, 12, 19), date(2027, 1, 2), date(2027, 1, 9),
            date(2027, 1, 16), date(2027, 1, 23))
    changes = tuple(SessionChange(datetime(d.year, d.month, d.day, 14, 0, tzinfo=zone), cancelled=True,
                                  note="文化站消防检查，本周暂停一次") for d in days)
    changed = dataclasses.replace(  # as the sample's 胡家园 series is written
        series, slug="h-changed", title="周末科学同学会（秋冬学期，每周六下午）",
        summary="每周六下午一个小实验，孩子和家长一起动手，在玩中认识身边的科学。",
        venue=dataclasses.replace(series.venue, name="胡家园街道文化站二楼科普活动室", address="天津市滨海新区胡家园街道文化站"),
        recurrence=dataclasses.replace(series.recurrence, sessions=changes))
    filler = [dataclasses.replace(base["liudong-kejiguan"], slug=f"h-filler-{n:03d}") for n in range(260)]
    entries = _entries([changed, *filler])
    components = _components()
    mine = next(e for e in entries if e.event.slug == "h-changed")
    assert len(components.serialize(mine)) > FAIR_SHARE_FLOOR > SETTINGS.max_bytes // len(entries)  # the premise
    data, window = feed_bytes(Feed("feeds/all.ics", "全部", "全部活动。", "", entries), SETTINGS, components,
                              date(2026, 12, 1))
    found = [v for v in Calendar.from_ical(data).walk("VEVENT") if str(v["UID"]).startswith("h-changed@")]
    assert len(found) == 1 + len(days) and window.oversized == 0 and not window.left_out, window
    assert len(data) <= SETTINGS.max_bytes
