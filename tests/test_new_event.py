"""invoke new-event as a volunteer uses it: interviews through a real terminal (a single event,
a weekly series with exceptions, a two-day fair, copies of earlier events), wrong answers asked
again without losing the others, then the built site's pages, calendar files and open data."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pexpect
import pytest
import recurring_ical_events
from icalendar import Calendar

from conftest import ROOT, plugin_env, run_build, run_check, site_config
from kepu.content.problems import Problem
from kepu.content.project import CheckResult, Layout
from kepu.content.recurrence import describe
from kepu.content.registries import load_registries
from kepu.content.repeats import parse_repeat
from kepu.editor import interview, scaffold
from kepu.editor.answers import ScaffoldError, parse_count
from kepu.editor.copyevent import blocks, copy_text
from kepu.editor.schedule import Schedule, as_event, nearest, read_back

TZ = ZoneInfo("Asia/Shanghai")
SINGLE = "content/events/xinbei/2026/liu-dong-ke-ji-guan-jin-she-qu-2026-12.md"
SERIES = "content/events/hujiayuan/2026/zhou-mo-ke-xue-shi-yan-ke-2026-12.md"
FAIR = "content/events/taida/2026/tai-da-ke-ji-zhou-ke-pu-ji-shi-2026-12.md"
NEXT_STOP = "content/events/xinbei/2027/liu-dong-ke-ji-guan-jin-she-qu-2027-01.md"
WINTER_STOP = "content/events/xinbei/2027/liu-dong-ke-ji-guan-jin-xin-bei-2027-03.md"
SATURDAYS = ["2026-12-05", "2026-12-12", "2026-12-19", "2027-01-02", "2027-01-09", "2027-01-16",
             "2027-01-23", "2027-01-30"]  # 每周六 until 2027-01-30, not 2026-12-26


class Terminal:
    """``invoke new-event`` in a pseudo-terminal, answered question by question."""

    def __init__(self, site: Path, *flags: str):
        self.transcript = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable, ["-m", "invoke", "-r", str(ROOT), "new-event", "--content",
                             str(site / "content"), *flags],
            cwd=str(site), env=plugin_env(LANG="C.UTF-8", COLUMNS="200"), encoding="utf-8",
            timeout=60, dimensions=(50, 400))
        self.child.logfile_read = self.transcript

    def answer(self, question: str, text: str) -> str:
        """Wait for the question (its beginning), type the answer; returns what was shown
        since the previous answer, the question included."""
        start = len(self.transcript.getvalue())
        self.child.expect_exact(question)
        self.child.expect(r"[：:] ?$|：")
        shown = self.transcript.getvalue()[start:]
        self.child.sendline(text)
        return shown

    def expect(self, text: str) -> str:
        start = len(self.transcript.getvalue())
        self.child.expect_exact(text)
        return self.transcript.getvalue()[start:]

    def finish(self) -> str:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus == 0, self.transcript.getvalue()
        return self.transcript.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample portal's content, into which the journeys below write, in order,
    as a volunteer's afternoon of work; then it is built."""
    folder = tmp_path_factory.mktemp("newevent") / "site"
    shutil.copytree(ROOT / "content", folder / "content")
    return folder


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A fresh copy of the sample portal's content."""
    shutil.copytree(ROOT / "content", tmp_path / "site" / "content")
    return tmp_path / "site"


# ------------------------------------------------------------------ journeys

def test_a_single_event_with_a_mistyped_time(site: Path) -> None:
    term = Terminal(site)
    term.answer("活动名称", "流动科技馆进社区")
    term.answer("街镇编号", "新北街道")
    assert "[xinbei-liudong]" in term.answer("志愿服务队编号", "")
    term.answer("活动日期", "2026-12-05")
    term.answer("时间，例如", "上午九点到四点")
    assert "✗ 无法识别的时间“上午九点到四点”" in term.answer("时间，例如", "09:00-16:00")
    assert "[不重复]" in term.answer("是否重复举办", "")
    term.answer("跨天活动（例如连续两天的科技周）的最后一天", "")
    term.answer("场地名称", "新北街道党群服务中心")
    term.answer("直播或会议链接", "")
    term.answer("详细地址", "天津市滨海新区新北街道新北路")
    term.answer("活动类型编号", "kexue-shiyan")
    term.answer("服务对象编号", "qinzi,shequ-jumin")
    term.answer("适合年龄", "")
    term.answer("需要报名吗", "否")
    term.answer("费用", "")
    term.answer("文件名", "")
    shown = term.answer("确认写入？（是/否）", "是")
    assert "名称：流动科技馆进社区" in shown
    assert "地点：新北街道党群服务中心（天津市滨海新区新北街道新北路）" in shown
    assert "时间：2026年12月5日（周六）09:00–16:00" in shown
    assert "报名：不用报名" in shown
    assert f"已创建 {SINGLE}" in term.finish().replace(f"{site}/", "")
    text = (site / SINGLE).read_text("utf-8")
    assert "start: 2026-12-05 09:00\n" in text and 'end: "16:00"\n' in text
    assert "\nrecurrence:" not in text  # a one-off event: the repeat example stays commented


def test_a_weekly_series_with_exceptions_and_late_mistakes(site: Path) -> None:
    """每周六 14:00-16:00 until 2027-01-30 except 2026-12-26: the start typed as a Tuesday,
    Christmas typed as the day off, the phone written with a name; each asked again alone."""
    term = Terminal(site)
    term.answer("活动名称", "周末科学实验课")
    term.answer("街镇编号", "hujiayuan")
    term.answer("志愿服务队编号", "")
    term.answer("活动日期", "2026-12-01")
    term.answer("时间，例如", "14:00-16:00")
    term.answer("是否重复举办", "每周六")
    shown = term.answer("活动日期", "")
    assert "✗ 第一次活动的日期 2026年12月1日（周二）不是“每周六”中的一天" in shown
    assert only_asked_again(shown, "活动日期（重复的活动写第一次的日期），例如 2026-12-05 [2026-12-05]：")
    assert "[每周六]" in term.answer("是否重复举办", "")
    term.answer("重复到哪天结束", "2027-01-30")
    term.answer("哪些日期不开展", "2026-12-25")
    shown = term.answer("哪些日期不开展", "")
    assert "✗ 2026年12月25日（周五）不是这个活动的日期" in shown
    assert "2026-12-19（周六）、2026-12-26（周六）" in shown and "[2026-12-26]" in shown
    # The street's registered venues are offered; typing one's name names it by its id (no address asked).
    shown = term.answer("场地名称", "胡家园街道文化站二楼科普活动室")
    assert "本街镇登记过的场地：hujiayuan-wenhuazhan（胡家园街道文化站二楼科普活动室）" in shown
    term.answer("直播或会议链接", "")
    assert "详细地址" not in term.answer("活动类型编号", "kexue-shiyan")
    term.answer("服务对象编号", "qinzi,ertong")
    term.answer("适合年龄", "6-12")
    term.answer("需要报名吗", "是")
    term.answer("报名链接", "")
    term.answer("报名电话", "王老师 022-6310 0000")
    term.answer("报名截止日期", "")
    term.answer("名额", "20")
    term.answer("费用", "")
    term.answer("文件名", "")
    shown = term.answer("报名电话，有分机", "022-6310 0000 转 8012")
    assert "✗ 报名电话：电话“王老师 022-6310 0000”格式不对" in shown
    assert only_asked_again(shown, "报名电话，有分机写“转”，例如 0123-2560 0000 转 123（没有就直接回车）：")
    shown = term.answer("确认写入？（是/否）", "否")
    assert "时间：每周六，至 2027年1月30日，每次 14:00–16:00" in shown
    assert ("日期：2026年12月5日（周六）、2026年12月12日（周六）、2026年12月19日（周六）、"
            "2027年1月2日（周六）、2027年1月9日（周六）……（共 8 次）") in shown
    assert "不开展：2026年12月26日（周六）" in shown
    assert "报名：需要报名；电话 022-6310 0000 转 8012；限 20 人" in shown
    assert "适合年龄：6–12 岁" in shown
    menu = term.expect("要修改哪几项")
    number = re.search(r"(\d+)\. 时间：14:00-16:00", menu)[1]
    assert "不开展的日期：2026-12-26" in menu and "报名电话：022-6310 0000 转 8012" in menu
    term.answer("写编号", number)
    assert "[14:00-16:00]" in term.answer("时间，例如", "14:30-16:30")
    shown = term.answer("确认写入？（是/否）", "是")
    assert "每次 14:30–16:30" in shown and "（共 8 次）" in shown
    term.finish()
    text = (site / SERIES).read_text("utf-8")
    assert "start: 2026-12-05 14:30\n" in text and 'end: "16:30"\n' in text
    assert ("recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30\n"
            "  exdates: [2026-12-26]\n") in text
    assert 'phone: "022-6310 0000 转 8012"' in text and "capacity: 20" in text
    assert "\nvenue: hujiayuan-wenhuazhan\n" in text and "name: 胡家园" not in text


def test_a_two_day_all_day_fair(site: Path) -> None:
    term = Terminal(site)
    term.answer("活动名称", "泰达科技周科普集市")
    term.answer("街镇编号", "taida")
    term.answer("志愿服务队编号", "")
    term.answer("活动日期", "2026-12-12")
    term.answer("时间，例如", "全天")
    term.answer("是否重复举办", "不重复")
    term.answer("跨天活动（例如连续两天的科技周）的最后一天", "2026-12-11")
    shown = term.answer("跨天活动（例如连续两天的科技周）的最后一天", "2026-12-13")
    assert "✗ 最后一天早于活动日期" in shown
    term.answer("场地名称", "泰达图书馆")
    term.answer("直播或会议链接", "")
    term.answer("详细地址", "")
    term.answer("活动类型编号", "科普展览")
    term.answer("服务对象编号", "社区居民、亲子家庭")
    term.answer("适合年龄", "")
    term.answer("需要报名吗", "")
    term.answer("费用", "")
    term.answer("文件名", "")
    shown = term.answer("确认写入？（是/否）", "")
    assert "时间：2026年12月12日（周六）至12月13日（周日）" in shown
    term.finish()
    text = (site / FAIR).read_text("utf-8")
    assert "start: 2026-12-12\n" in text and "end: 2026-12-13\n" in text
    assert "audiences: [shequ-jumin, qinzi]" in text


def test_an_optional_answer_changed_at_the_review_can_be_emptied_with_enter(site: Path) -> None:
    """The fee question says Enter means free: asked again at the review, Enter must mean free
    too, not keep the old fee; the old answer is shown in the question instead."""
    term = Terminal(site)
    term.answer("活动名称", "泰达冬季科普集市")
    term.answer("街镇编号", "taida")
    term.answer("志愿服务队编号", "")
    term.answer("活动日期", "2026-12-19")
    term.answer("时间，例如", "全天")
    term.answer("是否重复举办", "不重复")
    term.answer("跨天活动（例如连续两天的科技周）的最后一天", "")
    term.answer("场地名称", "泰达图书馆")
    term.answer("直播或会议链接", "")
    term.answer("详细地址", "")
    term.answer("活动类型编号", "科普展览")
    term.answer("服务对象编号", "社区居民")
    term.answer("适合年龄", "")
    term.answer("需要报名吗", "")
    term.answer("费用", "材料费10元")
    term.answer("文件名", "taida-dongji-kepu-jishi")
    shown = term.answer("确认写入？（是/否）", "否")
    assert "费用：材料费10元" in shown
    menu = term.expect("要修改哪几项")
    term.answer("写编号", re.search(r"(\d+)\. 费用：材料费10元", menu)[1])
    shown = term.answer("费用", "")
    assert "原来写的是“材料费10元”" in shown and "[材料费10元]" not in shown
    shown = term.answer("确认写入？（是/否）", "是")
    assert "费用：免费" in shown, shown
    term.finish()
    created = site / "content/events/taida/2026/taida-dongji-kepu-jishi.md"
    front = created.read_text("utf-8").split("---")[1]
    created.unlink()  # the site is built after the journeys: this one is not part of them
    assert "\ncost:" not in front, front


INTRODUCTION = "带孩子一起动手做实验，材料现场提供。"


def write_introduction(path: Path) -> None:
    """What new-event's 下一步 asks of the volunteer: the body's prompt replaced by the introduction."""
    from kepu.content.placeholders import EVENT_BODY

    path.write_text(path.read_text("utf-8").replace(EVENT_BODY.text, INTRODUCTION), "utf-8")


def test_copying_this_months_stop_for_next_month(site: Path) -> None:
    """--from the file made above, once its introduction is written: only the new date is typed;
    its comments and text stay."""
    write_introduction(site / SINGLE)
    source = (site / SINGLE).read_text("utf-8")
    term = Terminal(site, "--from", Path(SINGLE).stem)
    term.answer("活动日期", "2027-01-09")
    assert "[09:00-16:00]" in term.answer("时间，例如", "")
    term.answer("是否重复举办", "")
    term.answer("跨天活动", "")
    assert "[liu-dong-ke-ji-guan-jin-she-qu-2027-01]" in term.answer("文件名", "")
    shown = term.answer("确认写入？（是/否）", "是")
    assert "时间：2027年1月9日（周六）09:00–16:00" in shown
    assert f"复制自：{Path(SINGLE).name}" in shown
    term.finish()
    copy = (site / NEXT_STOP).read_text("utf-8")
    assert copy.replace("2027-01-09", "2026-12-05") == source  # every comment and line kept


def test_copying_last_stop_leaves_its_outcome_behind(site: Path) -> None:
    """The November stop (three days, 3200 visitors, a news report) copied to March."""
    term = Terminal(site, "--from", "xinbei-liudong-kejiguan-2026-11")
    term.answer("活动日期", "2027-03-05")
    assert "[全天]" in term.answer("时间，例如", "")
    term.answer("是否重复举办", "")
    assert "[2027-03-07]" in term.answer("跨天活动", "")  # as long as the original: three days
    term.answer("文件名", "")
    shown = term.answer("确认写入？（是/否）", "是")
    assert "时间：2027年3月5日（周五）至3月7日（周日）" in shown
    assert "没有复制原活动的：参加人数、活动报道" in shown
    term.finish()
    copy = (site / WINTER_STOP).read_text("utf-8")
    original = (site / "content/events/xinbei/2026/xinbei-liudong-kejiguan-2026-11.md").read_text("utf-8")
    assert "attendance" not in copy and "report:" not in copy
    assert copy.split("---")[2] == original.split("---")[2]  # the body as written
    assert "start: 2027-03-05\nend: 2027-03-07\n" in copy


def test_every_new_file_passes_the_check_once_its_introduction_is_written(site: Path) -> None:
    """new-event leaves the body's prompt for the volunteer (as its 下一步 says); until they replace it
    the check refuses to publish it, naming the line. Then every new file passes."""
    from kepu.content.placeholders import EVENT_BODY

    files = [site / p for p in (SINGLE, SERIES, FAIR, NEXT_STOP, WINTER_STOP)]
    prompted = [f for f in files if EVENT_BODY.text in f.read_text("utf-8")]
    assert len(prompted) == 2  # the series and the fair; the single event's was written before copying it
    before = run_check(*prompted, content=site / "content", cwd=site)
    assert before.returncode == 1
    for path in prompted:
        line = path.read_text("utf-8").split("\n").index(EVENT_BODY.text) + 1
        assert f"{path.relative_to(site).as_posix()}:{line}: 正文: 正文里还留着模板的提示文字" in before.stdout
        write_introduction(path)
    result = run_check(*files, content=site / "content", cwd=site)
    assert result.returncode == 0, result.stdout
    assert "检查通过：没有发现问题。" in result.stdout


# ------------------------------------------------------------------ the built site

@pytest.fixture(scope="module")
def built(site: Path) -> Path:
    output = site.parent / "output"
    result = run_build(site / "content", output)
    assert result.returncode == 0, result.stderr
    return output


def calendar_sessions(output: Path, slug: str) -> list[tuple]:
    """The sessions as a calendar application sees them (recurring-ical-events)."""
    cal = Calendar.from_ical((output / "events" / f"{slug}.ics").read_bytes())
    found = recurring_ical_events.of(cal).between(date(2026, 1, 1), date(2028, 1, 1))
    return sorted((e["DTSTART"].dt, e["DTEND"].dt) for e in found)


def csv_sessions(output: Path, slug: str) -> list[tuple[str, str, str]]:
    rows = csv.DictReader(io.StringIO((output / "data" / "events.csv").read_text("utf-8-sig")))
    return [(r["日期"], r["开始时间"], r["结束时间"]) for r in rows if r["活动编号"] == slug]


def page_text(output: Path, slug: str) -> str:
    page = (output / "events" / slug / "index.html").read_text("utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def only_asked_again(shown: str, question: str) -> bool:
    """After the ✗ line, the one question asked again and nothing else."""
    return shown[shown.index("✗"):].splitlines()[1:] == [question]


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day} {clock}").replace(tzinfo=TZ)


def test_the_weekly_series_is_published_on_exactly_its_saturdays(built: Path) -> None:
    slug = Path(SERIES).stem
    assert calendar_sessions(built, slug) == [(at(d, "14:30"), at(d, "16:30")) for d in SATURDAYS]
    assert csv_sessions(built, slug) == [(d, "14:30", f"{d} 16:30") for d in SATURDAYS]
    page = (built / "events" / slug / "index.html").read_text("utf-8")
    listed = re.search(r'<ul class="dates">(.*?)</ul>', page, re.S)[1]
    assert re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)', listed) == SATURDAYS
    assert "每周六，至 2027年1月30日" in page_text(built, slug)
    assert 'href="tel:+862263100000,8012"' in page  # the extension dials after a pause


def test_the_single_event_and_the_fair_keep_their_dates(built: Path) -> None:
    single, fair = Path(SINGLE).stem, Path(FAIR).stem
    assert calendar_sessions(built, single) == [(at("2026-12-05", "09:00"), at("2026-12-05", "16:00"))]
    assert csv_sessions(built, single) == [("2026-12-05", "09:00", "2026-12-05 16:00")]
    assert "2026年12月5日（周六）09:00–16:00" in page_text(built, single)
    assert calendar_sessions(built, fair) == [(date(2026, 12, 12), date(2026, 12, 14))]  # DTEND exclusive
    assert csv_sessions(built, fair) == [("2026-12-12", "", "2026-12-13")]
    assert "2026年12月12日（周六）至12月13日（周日）" in page_text(built, fair)


def test_the_copies_have_their_new_dates_only(built: Path) -> None:
    next_stop, winter = Path(NEXT_STOP).stem, Path(WINTER_STOP).stem
    assert calendar_sessions(built, next_stop) == [(at("2027-01-09", "09:00"), at("2027-01-09", "16:00"))]
    assert csv_sessions(built, next_stop) == [("2027-01-09", "09:00", "2027-01-09 16:00")]
    assert calendar_sessions(built, winter) == [(date(2027, 3, 5), date(2027, 3, 8))]
    assert csv_sessions(built, winter) == [("2027-03-05", "", "2027-03-07")]
    assert "参加人数" not in page_text(built, winter)
    assert csv_sessions(built, "xinbei-liudong-kejiguan-2026-11")[0][0] == "2026-11-06"  # the original stays


# ------------------------------------------------------------------ without questions (--batch)

BATCH = ["--title", "周末科学实验课", "--street", "hujiayuan", "--team", "hujiayuan-tongxuehui",
         "--time", "14:00-16:00", "--venue", "胡家园街道文化站", "--categories", "kexue-shiyan",
         "--audiences", "qinzi", "--slug", "shiyanke"]


def batch(site: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kepu.editor.scaffold", "event", "--batch", "--content",
                           str(site / "content"), *flags], cwd=site, env=plugin_env(),
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("flags", "message"), [
    (["--date", "2026-12-01", "--repeat", "每周六"],
     "没有创建文件：第一次活动的日期 2026年12月1日（周二）不是“每周六”中的一天 — 第一次活动如果是 "
     "2026年12月5日（周六），日期就写 2026-12-05；也可以改写重复规律；请改正 --date 或 --repeat"),
    (["--date", "2026-12-05", "--repeat", "每周六", "--until", "2027-01-30", "--except", "2026-12-25"],
     "2026年12月25日（周五）不是这个活动的日期 — 2026年12月25日（周五）前后的活动日期是 "
     "2026-12-19（周六）、2026-12-26（周六）；请改正 --except"),
    (["--date", "2026-12-05", "--end-date", "2027-03-31", "--repeat", "每周六"],
     "重复的活动不写“最后一天” — 跨天活动才用 --end-date；重复活动到哪天结束写 --until"),
    (["--date", "2026-12-05", "--repeat", "每周八"], "看不懂重复规律“每周八”"),
    (["--date", "2026-12-05", "--until", "2027-01-30"],
     "只有重复的活动才有“重复到哪天”和“不开展的日期” — 加上 --repeat，例如 --repeat 每周六"),
    (["--date", "2026-12-05", "--registration-phone", "王老师"],
     "registration.phone: 电话“王老师”格式不对：只能有数字、空格、-、+ 和括号"),
    (["--date", "2026-12-05", "--age", "六到十二岁"], "请改正 --age"),
    (["--date", "2026-12-05", "--registration", "是"], "需要报名，却没有写怎么报名"),
    (["--date", "2026-12-05", "--slug", "past"],
     "past.md: 两个页面要写到同一个位置：events/past/index.html（网址 /events/past/） — "
     "文件名不能与栏目网址重名（如 events、news、streets、past、subscribe）：请给这个文件换个名字\n"
     "共 1 个错误、0 个提醒：请按提示修改后再构建。 — 请改正 --slug"),
])
def test_batch_names_the_flag_to_fix(sample: Path, flags: list[str], message: str) -> None:
    result = batch(sample, *BATCH[:-2], *flags) if "--slug" in flags else batch(sample, *BATCH, *flags)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not list((sample / "content" / "events").rglob("shiyanke.md"))
    assert not list((sample / "content" / "events").rglob("past.md"))


def test_batch_series_with_every_new_flag(sample: Path) -> None:
    result = batch(sample, *BATCH, "--date", "2026-12-05", "--repeat", "每月第一个周六",
                   "--until", "2027-03-06", "--except", "2027-01-02", "--registration", "是",
                   "--registration-url", "https://kepu.example.cn/baoming/shiyanke", "--registration-deadline",
                   "2026-12-03", "--registration-capacity", "30", "--cost", "材料费 10 元", "--age", "60+")
    assert result.returncode == 0, result.stderr
    path = sample / "content/events/hujiayuan/2026/shiyanke.md"
    text = path.read_text("utf-8")
    assert "rrule: FREQ=MONTHLY;BYDAY=1SA;UNTIL=2027-03-06\n  exdates: [2027-01-02]" in text
    assert "# 重复：每月第一个周六，至 2027年3月6日" in text
    assert "deadline: 2026-12-03" in text and "capacity: 30" in text and 'age: "60+"' in text
    assert "cost: 材料费 10 元" in text
    write_introduction(path)
    assert run_check(path, content=sample / "content", cwd=sample).returncode == 0


@pytest.mark.parametrize("typed", ["hujiayuan-wenhuazhan", "胡家园街道文化站二楼科普活动室"])
def test_a_registered_venue_given_by_id_or_name_is_written_by_its_id(sample: Path, typed: str) -> None:
    """``--venue hujiayuan-wenhuazhan`` wrote the id out as the place's name, which the page would
    have shown; its registered name became a place of its own, which the venue's page never listed."""
    flags = [typed if flag == "胡家园街道文化站" else flag for flag in BATCH]
    result = batch(sample, *flags, "--date", "2026-12-05")
    assert result.returncode == 0, result.stderr
    path = sample / "content/events/hujiayuan/2026/shiyanke.md"
    text = path.read_text("utf-8")
    assert "\nvenue: hujiayuan-wenhuazhan\n" in text and "  name:" not in text, text
    assert "# 活动地点：登记过的场地（胡家园街道文化站二楼科普活动室）" in text
    write_introduction(path)
    assert run_check(path, content=sample / "content", cwd=sample).returncode == 0
    path.unlink()
    refused = batch(sample, *flags, "--date", "2026-12-05", "--address", "胡家园街道")
    assert refused.returncode == 1 and "是登记过的场地，地址用登记表里的" in refused.stderr, refused.stderr
    assert "--address" in refused.stderr and not path.exists()


def test_a_copied_series_repeats_as_long_as_the_original_without_its_exceptions(sample: Path) -> None:
    """Last year's Sunday coding class (2026-09-06 … 2027-06-27, three Sundays off, one extra
    Saturday) copied to the next school year: same weekday, same length, no old exceptions."""
    result = batch(sample, "--from", "dagang-zhiqi-biancheng-zhouri", "--date", "2027-09-05",
                   "--except", "2027-10-03")
    assert result.returncode == 0, result.stderr
    path = sample / "content/events/dagang/2027/zhi-qi-meng-gong-chang-zhou-ri-bian-cheng-ban-2027-09.md"
    text = path.read_text("utf-8")
    assert ("start: 2027-09-05 09:00\nend: \"11:00\"\n" in text)
    assert ("recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=SU;UNTIL=2028-06-25\n  exdates: [2027-10-03]\n"
            "venue:") in text  # 294 days, as the original; its rdates and exdates not copied
    assert run_check(path, content=sample / "content", cwd=sample).returncode == 0


def test_batch_copy_refuses_fields_it_would_ignore(sample: Path) -> None:
    before = sorted((sample / "content").rglob("*.md"))
    result = batch(sample, "--from", "xinbei-liudong-kejiguan-2026-11", "--date", "2027-01-09",
                   "--title", "新名称")
    assert "没有创建文件：复制活动时不能同时写 --title" in result.stderr
    result = batch(sample, "--from", "xinbei-liudong-kejiguan-2026-1", "--date", "2027-01-09")
    assert "找不到文件名为“xinbei-liudong-kejiguan-2026-1”的活动 — 是否想写" in result.stderr
    assert sorted((sample / "content").rglob("*.md")) == before


# ------------------------------------------------------------------ in-process

def scripted(replies: list[str], said: list[str]):
    def ask(question: str, default: str) -> str:
        said.append(f"? {question} [{default}]")
        return replies.pop(0)
    return ask


def test_a_problem_found_after_writing_asks_again_for_its_answer_only(sample: Path, monkeypatch) -> None:
    """If ``invoke check`` finds, in the written file, a problem the draft check did not see
    (another file is involved), the file is taken back and only that answer is asked again."""
    real = interview.check
    calls = []

    def check_once_failing(layout: Layout, only: list[Path], **settings) -> CheckResult:
        calls.append(only[0].name)
        if len(calls) == 1:
            return CheckResult([Problem("x.md", 0, "", "文件名与 y.md 重复，网址会冲突", "换个名字")], [], 1)
        return real(layout, only, **settings)

    monkeypatch.setattr(interview, "check", check_once_failing)
    flags = dict(zip([f[2:].replace("-", "_") for f in BATCH[::2]], BATCH[1::2], strict=True))
    flags.update(date="2026-12-05", slug=None)
    said: list[str] = []
    replies = ["", "", "", "", "", "", "", "", "", "shiyanke-2", ""]
    path = scaffold.run("event", flags, site_config(sample / "content"), date(2026, 12, 1),
                        scripted(replies, said), said.append)
    assert replies == [], "\n".join(said)
    assert calls == ["zhou-mo-ke-xue-shi-yan-ke-2026-12.md", "shiyanke-2.md"]
    after = said[said.index("  ✗ 文件名：文件名与 y.md 重复，网址会冲突 — 换个名字"):]
    assert [s for s in after if s.startswith("?")][:2] == [
        "? 文件名（就是网址，直接回车使用建议的） [zhou-mo-ke-xue-shi-yan-ke-2026-12]", "? 确认写入？（是/否） [是]"]
    assert path.name == "shiyanke-2.md" and path.is_file()
    assert not path.with_name("zhou-mo-ke-xue-shi-yan-ke-2026-12.md").exists()


@pytest.mark.parametrize(("words", "rule"), [
    ("每周六", "FREQ=WEEKLY;BYDAY=SA"),
    ("周六", "FREQ=WEEKLY;BYDAY=SA"),
    ("每星期三", "FREQ=WEEKLY;BYDAY=WE"),
    ("每周二和周四", "FREQ=WEEKLY;BYDAY=TU,TH"),
    ("每周四、周二", "FREQ=WEEKLY;BYDAY=TU,TH"),
    ("每周一至周五", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("工作日", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("每周末", "FREQ=WEEKLY;BYDAY=SA,SU"),
    ("每月第二个周六", "FREQ=MONTHLY;BYDAY=2SA"),
    ("每个月的第二个星期六", "FREQ=MONTHLY;BYDAY=2SA"),
    ("每月第一、第三个周六", "FREQ=MONTHLY;BYDAY=1SA,3SA"),
    ("每月最后一个周日", "FREQ=MONTHLY;BYDAY=-1SU"),
    ("每月倒数第二个周五", "FREQ=MONTHLY;BYDAY=-2FR"),
    ("每月15日", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("每天", "FREQ=DAILY"),
    ("freq=weekly;byday=sa", "FREQ=WEEKLY;BYDAY=SA"),
    ("", None),
    ("不重复", None),
])
def test_repeat_words_become_rules(words: str, rule: str | None) -> None:
    assert parse_repeat(words) == rule


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;BYDAY=SA", "FREQ=WEEKLY;BYDAY=TU,TH",
                                  "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=MONTHLY;BYDAY=2SA",
                                  "FREQ=MONTHLY;BYDAY=1SA,3SA", "FREQ=MONTHLY;BYDAY=-1SU", "FREQ=DAILY",
                                  "FREQ=MONTHLY;BYMONTHDAY=15"])
def test_the_site_s_own_words_for_a_rule_read_back_as_that_rule(rule: str) -> None:
    """What the pages say (describe) is what a volunteer may type: copies offer it as default."""
    assert parse_repeat(describe(rule, False, TZ, datetime(2026, 12, 5, 14, tzinfo=TZ))) == rule


@pytest.mark.parametrize("words", ["每周八", "每月第六个周六", "隔周六", "每年", "周六下午"])
def test_repeat_words_not_understood_are_refused_with_examples(words: str) -> None:
    with pytest.raises(ValueError, match=f"看不懂重复规律“{words}”") as caught:
        parse_repeat(words)
    assert "每月第二个周六" in caught.value.hint


SOURCE = """\
---
# 名称
title: 冬季观星
start: 2025-12-20 19:00
duration: 2小时
street: taida
registration:
  required: true
# 截止日期（提前三天）
  deadline: 2025-12-17
  capacity: 30
recurrence:
  rrule: FREQ=WEEKLY;BYDAY=SA;UNTIL=2026-01-31
  exdates: [2026-01-03]
status: cancelled
status_note: |
  因大风取消
  改期另行通知
tags:
- 天文
- 观星
attendance: 12
---
正文 2025-12-20 的安排。
"""


def test_a_copy_replaces_dates_keeps_comments_and_drops_the_old_outcome() -> None:
    new = copy_text(SOURCE, {"start": ["start: 2026-12-19 19:00"], "end": ['end: "21:00"'],
                             "recurrence": []}, "2026-12-16")
    assert new == """\
---
# 名称
title: 冬季观星
start: 2026-12-19 19:00
end: "21:00"
street: taida
registration:
  required: true
# 截止日期（提前三天）
  deadline: 2026-12-16
  capacity: 30
tags:
- 天文
- 观星
---
正文 2025-12-20 的安排。
"""


def test_fields_a_source_lacks_are_added_after_its_start() -> None:
    source = "---\ntitle: t\nstart: 2026-01-01\nstreet: s\n---\n"
    new = copy_text(source, {"start": ["start: 2027-01-02"], "end": ["end: 2027-01-03"],
                             "recurrence": ["recurrence:", "  rrule: FREQ=DAILY"]}, None)
    assert new == "---\ntitle: t\nstart: 2027-01-02\nend: 2027-01-03\nrecurrence:\n  rrule: FREQ=DAILY\nstreet: s\n---\n"
    assert [key for key, _ in blocks(SOURCE.split("---")[1].split("\n")[1:-1])][:4] == [
        None, "title", "start", "duration"]


@pytest.mark.parametrize(("field", "questions"), [
    ("registration.phone", ("registration_phone",)), ("categories[1]", ("categories",)),
    ("venue.name", ("venue",)), ("recurrence.rrule", ("repeat", "until")),
    ("recurrence.exdates[0]", ("except",)), ("start", ("date", "time")), ("", ("slug",)),
    ("正文", ()),
])
def test_each_problem_points_back_to_its_question(field: str, questions: tuple) -> None:
    assert interview.questions_for(field) == questions


def test_a_monthly_series_without_an_end_is_read_back_for_a_year() -> None:
    schedule = Schedule(date(2026, 12, 12), (time(9, 30), time(11)), rule="FREQ=MONTHLY;BYDAY=2SA")
    assert read_back(as_event(schedule), None) == [
        "时间：每月第二个周六，每次 09:30–11:00",
        "日期：2026年12月12日（周六）、2027年1月9日（周六）、2027年2月13日（周六）、2027年3月13日（周六）、"
        "2027年4月10日（周六）……（长期举办，一年内共 13 次）"]


def test_the_nearest_dates_of_a_series_come_first() -> None:
    saturdays = [date(2026, 12, 19), date(2026, 12, 26), date(2027, 1, 2)]
    assert nearest(saturdays, date(2026, 12, 25)) == [date(2026, 12, 26), date(2026, 12, 19)]
    assert nearest(saturdays, date(2027, 2, 1)) == [date(2027, 1, 2)]


@pytest.mark.parametrize("typed", ["二十人", "二十", "20多人", "30 个"])
def test_a_capacity_that_is_not_a_number_is_quoted_as_typed(typed: str) -> None:
    with pytest.raises(ScaffoldError) as caught:
        parse_count(typed)
    assert caught.value.message == f"名额“{typed}”不是人数"


def test_a_capacity_in_full_width_digits_with_people_is_a_number() -> None:
    assert parse_count("２０人") == 20 and parse_count("") is None


def test_a_venue_typed_by_the_name_it_had_before_is_the_registered_venue() -> None:
    """A volunteer types (or a spreadsheet row gives) the name a venue had before it was renamed:
    the new file names the venue by its id, as for its name now, not a place written out that its
    page would never list (and that the check would remind of)."""
    registries, problems = load_registries(ROOT / "content" / "data")
    assert not problems
    assert scaffold.registered_venue("汉沽区中医医院", registries, "hangu") == "hangu-zhongyi-yiyuan"
    assert scaffold.registered_venue("汉沽区中医", registries, "hangu") == ""  # a name, not a part of one


def test_a_registry_name_with_a_line_break_adds_no_field_to_a_new_file() -> None:
    """A venue named "新北科普馆\\nonline: https://evil.example/live\\n#" in venues.yml: every
    new-event for it (and every imported row) wrote the second line as a field of its own, and
    the published page linked the other host. The check now refuses such a name; the files
    new-event writes keep a registry's text on its comment line, whatever it holds."""
    from dataclasses import replace

    from kepu.content.registries import load_registries

    registries, _ = load_registries(ROOT / "content" / "data", "content/data")
    venue = registries.venues["hujiayuan-wenhuazhan"]
    hostile = "新北科普馆\nonline: https://evil.example/live\n#"
    registries = replace(registries, venues={**registries.venues, venue.id: replace(venue, name=hostile)},
                         teams={**registries.teams, "hujiayuan-tongxuehui": replace(
                             registries.teams["hujiayuan-tongxuehui"], name="同学会\nstatus: cancelled\n#")})
    answers = scaffold.Answers({flag.replace("--", "").replace("-", "_"): value for flag, value in
                                zip(BATCH[::2], BATCH[1::2], strict=True)} | {"venue": venue.id, "date": "2026-12-05"},
                               None, lambda _: None)
    draft = scaffold.event_draft(answers, registries, {})
    front = scaffold.render_event(draft, registries).split("\n---\n")[0]
    fields = {line.split(":")[0] for line in front.splitlines() if line and not line.startswith(("#", " ", "-"))}
    assert "online" not in fields and "status" not in fields, front
    assert f"venue: {venue.id}" in front.splitlines()


def test_piped_input_is_named_and_the_district_teams_are_offered(sample: Path) -> None:
    """Found by a new district trying the command: run with its input piped (not a terminal), it
    said 或去掉 --batch to someone who never typed --batch; and a street's volunteer was offered only
    the street's teams, not the district's own (the 科协's 总队), which any event may name."""
    piped = subprocess.run([sys.executable, "-m", "kepu.editor.scaffold", "event", "--content", str(sample / "content"),
                            "--title", "周末科学实验课"], cwd=sample, env=plugin_env(), input="",
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 1 and "输入不是终端（管道或重定向），不能逐项提问" in piped.stderr, piped.stderr
    assert "去掉 --batch" not in piped.stderr and "在终端里运行、不加 --batch" in piped.stderr, piped.stderr
    said: list[str] = []

    def stop(question: str, default: str) -> str:
        raise KeyboardInterrupt  # the first question: the team's

    with pytest.raises(KeyboardInterrupt):
        scaffold.run("event", {"title": "周末科学实验课", "street": "xinbei"}, site_config(sample / "content"),
                     date(2026, 12, 1), stop, said.append)
    offered = next(line for line in said if line.startswith("可选志愿服务队："))
    district = [t for t in load_registries(sample / "content" / "data")[0].teams.values() if not t.street]
    assert "xinbei-liudong（" in offered and district and all(f"{t.id}（{t.name}）" in offered for t in district), offered
    assert "taida-" not in offered  # another street's teams stay out


def test_the_read_back_says_the_body_prompt_must_be_replaced_before_publishing(sample: Path) -> None:
    """The read-back before writing listed the body's prompt as （提醒）, a reminder one may leave;
    the check then refused the file until it was replaced. It says so before the file is written."""
    flags = dict(zip([f[2:].replace("-", "_") for f in BATCH[::2]], BATCH[1::2], strict=True))
    flags.update(date="2026-12-05")
    said: list[str] = []
    replies = [""] * 30
    scaffold.run("event", flags, site_config(sample / "content"), date(2026, 12, 1), scripted(replies, said), said.append)
    readback = next(text for text in said if "请核对将要发布的内容" in text)
    assert "（发布前要改）正文：正文里还留着模板的提示文字" in readback, readback
    assert "（提醒）正文：正文里还留着" not in readback
