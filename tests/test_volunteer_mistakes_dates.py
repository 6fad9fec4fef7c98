"""Date mistakes volunteers make that the site would publish wrong: each is a real sample event
broken the way a volunteer breaks it, run through the real `invoke check` (and the build), which
names the file, the line, what is wrong in Chinese and the fix."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_BUILD_DATE, plugin_env, run_build

SERIES = ROOT / "content" / "events" / "hujiayuan" / "2026" / "zhoumo-kexue-tongxuehui-qiudong.md"
TALK = ROOT / "content" / "events" / "dagu" / "2026" / "dagu-qianming-zhuanjia-guanjie-jiankang.md"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.cn", *args],
                   check=True, capture_output=True)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the sample content, committed on main, the way a content repository lives."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "sample")
    return content


def check(content: Path, *args: str, build_date: str | None = SAMPLE_BUILD_DATE,
          **env: str) -> subprocess.CompletedProcess:
    """`invoke check` as a volunteer (or CI) runs it, in the content repository."""
    dated = ["--build-date", build_date] if build_date else []
    return subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(content), *dated, *args],
                          cwd=content.parent, env=plugin_env(**env), capture_output=True, text=True, timeout=300)


def broken(sample: Path, *changes: tuple[str, str]) -> str:
    """The sample's text with each (old, new) replaced once, as the volunteer edited it."""
    text = sample.read_text("utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def save(content: Path, sample: Path, name: str, text: str) -> tuple[Path, str]:
    """Save an event next to the sample; returns its path and the path the check shows."""
    path = sample.parent.relative_to(ROOT / "content")
    target = content / path / name
    target.write_text(text, "utf-8")
    return target, f"content/{path.as_posix()}/{name}"


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def refused(site: Path, sample: Path, name: str, *changes: tuple[str, str]) -> tuple[str, str, str]:
    """The volunteer's edited copy of ``sample``, checked alone and refused: its text, the path the
    check shows and the report."""
    text = broken(sample, *changes)
    path, shown = save(site, sample, name, text)
    result = check(site, str(path))
    assert result.returncode == 1, result.stdout
    return text, shown, result.stdout


# -- 1. the start date is not one of the rule's days ---------------------------------------------
WINTER_TERM = (("title: 周末科学同学会（秋冬学期，每周六下午）", "title: 周末科学同学会（冬季学期）"),
               ("start: 2026-09-05 14:00", "start: 2026-12-01 14:00"),
               ("  exdates: [2026-10-03, 2027-01-02]\n", ""))


def test_start_on_a_day_the_rule_does_not_name_is_refused(site: Path) -> None:
    # The winter term is "every Saturday"; the volunteer typed the date of the Tuesday it was announced.
    # The page would list Saturdays only, while Google/Outlook calendars also show that Tuesday.
    _, shown, report = refused(site, SERIES, "zhoumo-kexue-tongxuehui-dongji.md", *WINTER_TERM)
    assert (f"{shown}:3: start: 开始日期 2026-12-01（周二）不是重复规则“每周六，至 2027年1月23日”里的一天："
            "网页上的第一次活动是 2026-12-05（周六），有的日历软件却会在 2026-12-01 多显示一次"
            " — 把 start 改成 2026-12-05 14:00（周六）；如果是重复规则写错了，改正 recurrence 下的 rrule"
            ) in report


def test_all_day_series_names_the_first_real_day(site: Path) -> None:
    all_day = ("start: 2026-12-01 14:00\nend: \"16:00\"\n", "start: 2026-12-01\n")
    _, shown, report = refused(site, SERIES, "zhoumo-kexue-tongxuehui-dongji.md", *WINTER_TERM, all_day)
    assert f"{shown}:3: start: 开始日期 2026-12-01（周二）不是重复规则“每周六，至 2027年1月23日”里的一天" in report
    assert "把 start 改成 2026-12-05（周六）" in report


def test_a_first_session_off_the_rule_listed_as_an_extra_date_passes(site: Path) -> None:
    # 周二开班, then every Saturday: the Tuesday is one extra date, shown once everywhere.
    text = broken(SERIES, *WINTER_TERM, ("UNTIL=2027-01-23", "UNTIL=2027-01-23\n  rdates: [2026-12-01]"))
    path, _shown = save(site, SERIES, "zhoumo-kexue-tongxuehui-dongji.md", text)
    result = check(site, str(path))
    assert result.returncode == 0 and "检查通过" in result.stdout, result.stdout


# -- 2. exdates / rdates that are not what the volunteer meant -----------------------------------
SPRING_TERM = (("title: 周末科学同学会（秋冬学期，每周六下午）", "title: 周末科学同学会（春季学期）"),
               ("start: 2026-09-05 14:00", "start: 2027-01-09 14:00"),
               ("UNTIL=2027-01-23", "UNTIL=2027-06-26"))
EXDATES = "exdates: [2026-10-03, 2027-01-02]"


def spring_term(site: Path, exceptions: str) -> tuple[str, str, str]:
    return refused(site, SERIES, "zhoumo-kexue-tongxuehui-chunji.md", *SPRING_TERM, (EXDATES, exceptions))


def test_exdate_that_is_not_a_session_is_refused_with_the_nearest_sessions(site: Path) -> None:
    # 春节 falls on Tuesday 2027-02-09 in a Saturday series: the Saturday session stays published.
    text, shown, report = spring_term(site, "exdates: [2027-02-09, 2027-05-01]")
    assert (f"{shown}:{line_of(text, '  exdates:')}: recurrence.exdates[0]: 例外日期 2027-02-09（周二）不是这个活动的日期"
            "（每周六，至 2027年6月26日）：这一天本来就没有活动，要停的那一次仍会发布"
            " — 最近的活动日期是 2027-02-06（周六）和 2027-02-13（周六）：把例外日期改成要停的那一天"
            ) in report
    assert "exdates[1]" not in report  # 2027-05-01 is a Saturday of the series


def test_exdate_with_the_wrong_time_is_refused(site: Path) -> None:
    # The date is right but the time is the morning's: the 14:00 session would still be published.
    text, shown, report = spring_term(site, 'exdates: ["2027-02-06 10:00"]')
    assert (f"{shown}:{line_of(text, '  exdates:')}: recurrence.exdates[0]: 例外日期 2027-02-06 10:00 不是这个活动的一次："
            "这一天的活动 14:00 开始 — 只写日期：2027-02-06（时间按 start 计算）") in report


def test_extra_date_that_is_already_a_session_is_refused(site: Path) -> None:
    # A make-up session typed on a Saturday the rule already gives: ical.js and libical list it twice.
    text, shown, report = spring_term(site, "exdates: [2027-02-06]\n  rdates: [2027-02-13]")
    assert (f"{shown}:{line_of(text, '  rdates:')}: recurrence.rdates[0]: 补充日期 2027-02-13（周六）本来就是这个活动的日期"
            "（每周六，至 2027年6月26日），有的日历软件会把这一天显示两次"
            " — 删去这个日期；如果要加的是另一天，写那一天的日期") in report


def test_the_sample_series_with_right_exceptions_passes(site: Path) -> None:
    result = check(site, str(site / SERIES.relative_to(ROOT / "content")))
    assert result.returncode == 0 and "检查通过" in result.stdout, result.stdout


# -- 3. a start in the small hours -----------------------------------------------------------------
SMALL_HOURS = (("start: 2026-12-08 09:00", "start: 2026-12-15 2:30"), ('end: "10:30"', 'end: "16:00"'))


def test_start_in_the_small_hours_asks_to_confirm_and_fails_ci(site: Path) -> None:
    # "2:30" meaning 下午两点半, as on a clock face.
    path, shown = save(site, TALK, "dagu-qianming-zhuanjia-xiwai.md", broken(TALK, *SMALL_HOURS))
    expected = ("start: 凌晨 2:30 开始？ — 如果是下午 2:30，写成 14:30（时间用 24 小时制）；"
                "如果活动确实在凌晨，加一行 night: true")
    plain = check(site, str(path))
    assert plain.returncode == 0, plain.stdout
    assert f"{shown}:3: （提醒）{expected}" in plain.stdout
    strict = check(site, "--strict", str(path))
    assert strict.returncode == 1
    assert f"{shown}:3: {expected}" in strict.stdout


def test_a_night_marked_as_such_passes_ci(site: Path) -> None:
    # 双子座流星雨: the volunteer really means 2:30 at night, and says so.
    text = broken(TALK, ("start: 2026-12-08 09:00", "start: 2026-12-15 2:30"), ('end: "10:30"', 'end: "4:30"'),
                  ("registration:", "night: true\nregistration:"))
    path, _shown = save(site, TALK, "dagu-liuxingyu-guance.md", text)
    strict = check(site, "--strict", str(path))
    assert strict.returncode == 0, strict.stdout
    assert "凌晨" not in strict.stdout


def test_end_typed_on_a_clock_face_is_already_refused(site: Path) -> None:
    # Not new: end "4:00" for a 09:00 start (4 PM meant) ends before it starts.
    _, shown, report = refused(site, TALK, "dagu-qianming-zhuanjia-xiwai.md", ('end: "10:30"', 'end: "4:00"'))
    assert f"{shown}:4: end: 结束时间早于（或等于）开始时间" in report


# -- a time range typed into start (YAML and ISO read "-16:00" as a UTC offset: the next day) ---------
def test_a_time_range_in_start_is_refused_not_moved_to_the_next_day(site: Path) -> None:
    _, shown, report = refused(site, TALK, "dagu-qianming-zhuanjia-xiawu.md",
                               ("start: 2026-12-08 09:00", "start: 2026-12-08 14:00-16:00"), ('end: "10:30"', 'end: "16:00"'))
    assert (f'{shown}:3: start: 时间写成了一段“14:00-16:00”，这里只写一个时刻 — '
            f'开始时间写 start: 2026-12-08 14:00，结束时间另起一行写 end: "16:00"') in report


def test_a_morning_range_is_named_as_a_range_not_as_a_start_in_the_small_hours(site: Path) -> None:
    # "-11:00" read as an offset made 9:30 into 凌晨 4:30 of the next day.
    _, shown, report = refused(site, TALK, "dagu-qianming-zhuanjia-shangwu.md",
                               ("start: 2026-12-08 09:00", "start: 2026-12-08 9:30-11:00"), ('end: "10:30"', 'end: "11:00"'))
    assert f"{shown}:3: start: 时间写成了一段“9:30-11:00”" in report
    assert "凌晨" not in report


def test_exception_dates_separated_by_a_chinese_comma_are_named(site: Path) -> None:
    text, shown, report = refused(site, SERIES, "zhoumo-kexue-tongxuehui-douhao.md",
                                  ("exdates: [2026-10-03, 2027-01-02]", "exdates: [2026-10-03，2027-01-02]"))
    assert (f"{shown}:{line_of(text, '  exdates:')}: recurrence.exdates[0]: 无法识别的日期“2026-10-03，2027-01-02” — "
            "多个日期要用英文逗号“,”分隔，写成 [2026-10-03, 2027-01-02]") in report


# -- a sign-up deadline after the event: new-event refuses it, and so do the check and the build --
LATE_DEADLINE = (("title: 千名专家进基层：膝关节保养与科学锻炼", "title: 千名专家进基层：腰椎保养"),
                 ("  required: false", "  required: true\n  phone: 022-2588 4031\n  deadline: 2026-12-20"))


def test_a_deadline_after_the_last_day_is_refused(site: Path) -> None:
    text, shown, report = refused(site, TALK, "dagu-qianming-zhuanjia-baoming.md",
                                  *LATE_DEADLINE)
    assert (f"{shown}:{line_of(text, '  deadline:')}: registration.deadline: "
            "报名截止日期 2026年12月20日（周日） 晚于活动的最后一天 2026年12月8日（周二） — "
            "写活动开始之前的日期；不设截止就删去 deadline 这一行") in report


def test_a_series_deadline_before_its_last_session_passes(site: Path) -> None:
    # The autumn term runs every Saturday until 2027-01-23: signing up until 01-20 is fine.
    path = site / SERIES.relative_to(ROOT / "content")
    path.write_text(broken(SERIES, ("  required: true", "  required: true\n  deadline: 2027-01-20")), "utf-8")
    result = check(site, str(path))
    assert result.returncode == 0 and "deadline" not in result.stdout, result.stdout


# -- 4. a new event already over ----------------------------------------------------------------
LAST_YEAR = (("title: 千名专家进基层：膝关节保养与科学锻炼", "title: 千名专家进基层：冬季防跌倒"),
             ("start: 2026-12-08 09:00", "start: 2025-12-22 09:00"))
PAST = ("start: 这个新加的活动在 2025-12-22 就已经结束了（今天是 2026-12-01）"
        " — 如果是新活动，检查年份和日期（是不是从旧文件复制后忘了改）；"
        "如果是补录已经办完的活动，填写 attendance（参加人数）或 report（活动报道）")


def test_new_event_already_over_is_a_reminder_locally_and_an_error_in_review(site: Path) -> None:
    # Copied from last year's file, the year left unchanged.
    text = broken(TALK, *LAST_YEAR)
    _path, shown = save(site, TALK, "dagu-qianming-zhuanjia-fangdiedao.md", text)
    plain = check(site)
    assert plain.returncode == 0, plain.stdout
    assert f"{shown}:3: （提醒）{PAST}" in plain.stdout
    assert plain.stdout.count("已经结束了") == 1  # the sample's own past events are not new
    git(site.parent, "checkout", "-qb", "fangdiedao")
    git(site.parent, "add", "-A")
    git(site.parent, "commit", "-qm", "new event")
    review = check(site, "--strict", "--base", "main")
    assert review.returncode == 1, review.stdout
    assert f"{shown}:3: {PAST}" in review.stdout
    assert review.stdout.count("已经结束了") == 1
    assert "共 1 个错误" in review.stdout


def test_past_event_recorded_on_purpose_is_not_flagged(site: Path) -> None:
    text = broken(TALK, *LAST_YEAR, ("registration:", "attendance: 38\nregistration:"))
    save(site, TALK, "dagu-qianming-zhuanjia-fangdiedao.md", text)
    git(site.parent, "checkout", "-qb", "buliu")
    git(site.parent, "add", "-A")
    git(site.parent, "commit", "-qm", "record a past event")
    review = check(site, "--strict", "--base", "main")
    assert review.returncode == 0, review.stdout
    assert "已经结束" not in review.stdout


def test_past_events_already_in_the_repository_are_not_flagged(site: Path) -> None:
    review = check(site, "--strict", "--base", "main", build_date="2027-12-31")
    assert review.returncode == 0, review.stdout
    assert "已经结束" not in review.stdout


def test_today_is_the_builds_date_by_default(site: Path) -> None:
    _path, shown = save(site, TALK, "dagu-qianming-zhuanjia-fangdiedao.md", broken(TALK, *LAST_YEAR))
    as_build = check(site, build_date=None, KEPU_BUILD_DATE="2026-12-01")  # the build's setting
    assert f"{shown}:3: （提醒）{PAST}" in as_build.stdout
    text = broken(TALK, *LAST_YEAR, ("start: 2025-12-22 09:00", "start: 2001-12-22 09:00"))
    save(site, TALK, "dagu-qianming-zhuanjia-fangdiedao.md", text)
    plain = check(site, build_date=None)  # today, whatever the day the test runs
    assert f"{shown}:3: （提醒）start: 这个新加的活动在 2001-12-22 就已经结束了" in plain.stdout


def test_attendance_recorded_the_evening_the_event_ended_passes_that_day(site: Path) -> None:
    """A volunteer records 参加人数 once the talk (8 December, 09:00–10:30) is over, as the form's
    label says (活动结束后填). The check knew only the day: it said 活动还没有结束 until the next
    day, and her change failed review (strict) on the evening it was made."""
    text = broken(TALK, ("registration:", "attendance: 36\nregistration:"))
    (site / TALK.relative_to(ROOT / "content")).write_text(text, "utf-8")
    git(site.parent, "checkout", "-qb", "renshu")
    git(site.parent, "commit", "-qam", "attendance")
    shown = f"content/{TALK.relative_to(ROOT / 'content').as_posix()}"
    line = line_of(text, "attendance:")
    during = check(site, "--strict", "--base", "main", "--at", "2026-12-08 10:00", build_date=None)
    assert during.returncode == 1, during.stdout
    assert f"{shown}:{line}: attendance: 活动还没有结束（第一场在 2026-12-08 10:30 结束）" in during.stdout
    after = check(site, "--strict", "--base", "main", "--at", "2026-12-08 10:30", build_date=None)
    assert after.returncode == 0, after.stdout
    assert "还没有结束" not in after.stdout
    day = check(site, "--strict", "--base", "main", build_date="2026-12-08")  # a day, not today: from its start
    assert day.returncode == 1 and "活动还没有结束" in day.stdout, day.stdout


# -- 5. the same event twice ---------------------------------------------------------------------
def test_copied_file_left_unchanged_is_refused_naming_both_files(site: Path) -> None:
    copy = site / TALK.relative_to(ROOT / "content").with_name("dagu-qianming-zhuanjia-guanjie-jiankang-2.md")
    shutil.copy(TALK, copy)
    original = f"content/{TALK.relative_to(ROOT / 'content').as_posix()}"
    copied = f"content/{copy.relative_to(site).as_posix()}"
    message = "是同一个活动（标题、开始时间和街镇都相同），网站上会出现两次 — 如果是复制后忘了改，改成新活动的标题和时间；如果是重复添加，删去其中一个文件"
    whole = check(site)
    assert whole.returncode == 1, whole.stdout
    assert f"{copied}: 与 {original} {message}" in whole.stdout
    assert f"{original}: 与 {copied} {message}" in whole.stdout
    single = check(site, str(copy))
    assert single.returncode == 1, single.stdout
    assert f"{copied}: 与 {original} {message}" in single.stdout


def test_same_event_added_twice_with_different_wording_is_refused(site: Path) -> None:
    # A colleague adds the same talk again, typing it on an English keyboard: another file and summary,
    # the same title (half-width colon), street and start (written without leading zeros).
    _, shown, report = refused(site, TALK, "haihewan-xiguanjie-jiangzuo.md", ("summary: 骨科医生", "summary: 专家讲座：骨科医生"),
                               ("title: 千名专家进基层：", "title: 千名专家进基层:"),
                               ("start: 2026-12-08 09:00", "start: 2026-12-8 9:00"))
    assert f"{shown}: 与 content/events/dagu/2026/{TALK.name} 是同一个活动" in report


def test_draft_kept_outside_content_is_compared_with_the_site(site: Path) -> None:
    draft = site.parent / "caogao.md"
    shutil.copy(TALK, draft)
    result = check(site, str(draft))
    assert result.returncode == 1, result.stdout
    assert f"caogao.md: 与 content/events/dagu/2026/{TALK.name} 是同一个活动" in result.stdout


def test_copy_with_a_new_date_is_a_new_event(site: Path) -> None:
    text = broken(TALK, ("start: 2026-12-08 09:00", "start: 2027-01-12 09:00"))
    path, _shown = save(site, TALK, "dagu-qianming-zhuanjia-guanjie-jiankang-2027-01.md", text)
    assert check(site, str(path)).returncode == 0
    assert check(site).returncode == 0


# -- the build refuses what the check refuses ----------------------------------------------------
def test_build_refuses_the_same_mistakes(site: Path, tmp_path: Path) -> None:
    _, mismatch = save(site, SERIES, "zhoumo-kexue-tongxuehui-dongji.md", broken(SERIES, *WINTER_TERM))
    exdate_text = broken(SERIES, *SPRING_TERM, ("exdates: [2026-10-03, 2027-01-02]", "exdates: [2027-02-09]"))
    _, exdate = save(site, SERIES, "zhoumo-kexue-tongxuehui-chunji.md", exdate_text)
    _, night = save(site, TALK, "dagu-qianming-zhuanjia-xiwai.md", broken(TALK, *SMALL_HOURS))
    _, span = save(site, TALK, "dagu-qianming-zhuanjia-xiawu.md", broken(
        TALK, ("start: 2026-12-08 09:00", "start: 2026-12-08 14:00-16:00"), ('end: "10:30"', 'end: "16:00"')))
    late_text = broken(TALK, *LATE_DEADLINE)
    _, late = save(site, TALK, "dagu-qianming-zhuanjia-baoming.md", late_text)
    copy = TALK.with_name("dagu-qianming-zhuanjia-guanjie-jiankang-2.md").name
    shutil.copy(TALK, site / TALK.relative_to(ROOT / "content").with_name(copy))
    result = run_build(site, tmp_path / "output")
    report = result.stdout + result.stderr
    assert result.returncode == 1, report[-3000:]
    assert f"{mismatch}:3: start: 开始日期 2026-12-01（周二）不是重复规则" in report
    assert f"{exdate}:{line_of(exdate_text, '  exdates:')}: recurrence.exdates[0]: 例外日期 2027-02-09（周二）" in report
    assert f"{night}:3: （提醒）start: 凌晨 2:30 开始？" in report
    assert f"{span}:3: start: 时间写成了一段“14:00-16:00”" in report
    assert f"{late}:{line_of(late_text, '  deadline:')}: registration.deadline: 报名截止日期 2026年12月20日（周日） 晚于" in report
    assert f"content/events/dagu/2026/{copy}: 与 content/events/dagu/2026/{TALK.name} 是同一个活动" in report
    assert f"content/events/dagu/2026/{TALK.name}: 与 content/events/dagu/2026/{copy} 是同一个活动" in report
    assert not (tmp_path / "output").exists()


# -- a change time from the future -----------------------------------------------------------------
def test_an_update_time_after_today_is_refused(site: Path) -> None:
    """`updated: 2099-12-31 23:00` passed the check: every calendar carried LAST-MODIFIED 2099 and
    the change feed kept the event at its top; corrected later, the time went back, which calendar
    apps such as ICSx5 take for no change."""
    written = re.search(r"^updated: .*$", SERIES.read_text("utf-8"), re.M)[0]
    path, shown = save(site, SERIES, "zhoumo-kexue-tongxuehui-updated.md",
                       broken(SERIES, (written, "updated: 2099-12-31 23:00"),
                              ("title: 周末科学同学会（秋冬学期，每周六下午）", "title: 周末科学同学会（冬季）")))
    result = check(site, str(path))
    assert result.returncode == 1, result.stdout
    assert (f"{shown}:{line_of(path.read_text('utf-8'), 'updated:')}: updated: 修改时间 2099年12月31日（周四）23:00 在今天之后"
            " — 写这次修改的时间，或删去 updated 这一行（日历会用提交的时间）") in result.stdout, result.stdout
    today = broken(path, ("updated: 2099-12-31 23:00", f"updated: {SAMPLE_BUILD_DATE} 18:00"))
    path.write_text(today, "utf-8")
    assert check(site, str(path)).returncode == 0
