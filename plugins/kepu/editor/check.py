"""Command line: check content without building (``python -m kepu.editor.check [files]``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from kepu.config import (
    SiteConfig,
    add_arguments,
    day_argument,
    for_command,
    moment_argument,
    named_word,
    shared_name_hint,
)
from kepu.content.datechecks import Review
from kepu.content.dates import day_of, format_day
from kepu.content.events import load_events, parse_file
from kepu.content.frontmatter import MAX_FILE_BYTES, SourceDoc
from kepu.content.model import Event
from kepu.content.problems import STRICT_ALWAYS, STRICT_NEVER, WARNING, Problem, format_report, strictly
from kepu.content.project import CheckResult, Layout, check, same_events_elsewhere
from kepu.content.recurrence import expand
from kepu.content.revisions import (
    HELD,
    PLACE,
    PastSessionChange,
    RewrittenHistory,
    last_until,
    past_session_changes,
    rewritten_history,
)
from kepu.content.tree import CONTENT_SUFFIX, read_capped
from kepu.content.validation import ValidationContext, validate_event
from kepu.editor.annotations import github_commands, summary_markdown, untrusted
from kepu.editor.formlabels import with_form_labels
from kepu.index.history import UnknownBase, added_since, gone_since, revision_meta, rewritten_since, work_tree

OUTSIDE_NOTE = ("提示：{path} 不在 {content}/ 的 events、articles、pages 文件夹里，按活动文件检查"
                "（发布前请把它放到 {content}/events/<街镇编号>/<年份>/ 下）。")


def inside_content(layout: Layout, path: Path) -> bool:
    """Whether ``path`` is one of the content files a build reads."""
    resolved = path.resolve()
    for folder in (layout.events, layout.articles, layout.pages):
        if resolved.is_relative_to((layout.content / folder).resolve()):
            return True
    return False


def in_data(layout: Layout, path: Path) -> bool:
    return path.resolve().is_relative_to((layout.content / layout.data).resolve())


def check_outside(layout: Layout, files: list[Path], timezone: str) -> CheckResult:
    """Check draft event files kept outside content/ against the site's registries and events
    (no files: the registries alone)."""
    registries, problems = layout.registries()
    tree = layout.scan()
    ctx = layout.context(registries, timezone, tree)
    events, found = load_events([(p, layout.shown(p)) for p in files], ctx)
    problems.extend(found)
    problems.extend(same_events_elsewhere(layout, events, layout.files(layout.events, tree), ctx))
    return CheckResult(problems, events, len(files))


def run(layout: Layout, files: list[Path], config: SiteConfig, review: Review | None = None) -> CheckResult:
    """Check everything (no files given), or just the given files wherever they are."""
    timezone, urls, settings = config.timezone, config.urls, config.settings
    if not files:
        return check(layout, timezone=timezone, urls=urls, settings=settings, review=review)
    inside = [f for f in files if inside_content(layout, f)]
    outside = [f for f in files if not inside_content(layout, f) and not in_data(layout, f)]
    if not inside:
        result = check_outside(layout, outside, timezone)
        result.checked_files += len(files) - len(outside)  # registries
        return result
    result = check(layout, inside, timezone=timezone, urls=urls, settings=settings, review=review)
    if outside:
        extra = check_outside(layout, outside, timezone)
        seen = set(result.problems)
        result.problems.extend(p for p in extra.problems if p not in seen)
        result.events.extend(extra.events)
        result.checked_files += extra.checked_files
    return result


def _added(layout: Layout, base: str | None) -> set[str]:
    """The files the change under review adds, as shown paths (none without a base)."""
    return {layout.shown(path) for path in added_since(layout.content, base)} if base else set()


RENAMED_HINT = ("已经发布的活动请改回原来的文件名（移到别的街镇文件夹可以，文件名不变即可）："
                "改名后旧网址打不开，订阅了日历的居民会把它当成一个新活动，看到两次")
DELETED_HINT = "不再举办请写 status: cancelled 和 status_note 说明原因，不要删除文件；放错了地方就移回来"


def gone_events(layout: Layout, base: str) -> list[Problem]:
    """Published events the change renames (the name is the page's address and the calendars'
    UID) or deletes (it leaves subscribers' calendars without a word): a reminder each."""
    events = layout.content / layout.events
    problems, deleted = [], []
    for old, new in gone_since(events, base):
        if old.suffix != CONTENT_SUFFIX:  # only .md files are published
            continue
        if new is None:
            deleted.append(Problem(layout.shown(old), 0, "", "删除了已经发布的活动：订阅的日历里它会直接消失，不会显示已取消",
                                   DELETED_HINT, WARNING))
        elif new.stem != old.stem:
            problems.append(Problem(layout.shown(new), 0, "", f"文件名从“{old.stem}”改成了“{new.stem}”：文件名是活动页面的网址"
                                    "和订阅日历里的活动编号", RENAMED_HINT, WARNING))
    if len(deleted) > MAX_DELETIONS_LISTED:  # the sample's events cleared by a new district, say: one reminder
        names = "、".join(Path(p.path).stem for p in deleted[:3])
        deleted = [Problem(layout.shown(events), 0, "", f"删除了 {len(deleted)} 个已经发布的活动（{names} 等）："
                           "订阅的日历里它们会直接消失，不会显示已取消", MANY_DELETED_HINT, WARNING)]
    return [*deleted, *problems]


def sample_leftovers(config: SiteConfig) -> list[Problem]:
    """Registries, pages and news still naming the sample's district (SAMPLE_DISTRICT, or one of
    SAMPLE_DISTRICT_NAMES) in a site set up for another (KEPU_DISTRICT): a reminder per such line,
    all at once (a long file: the first MAX_LEFTOVER_LINES and how many more). Events are left out:
    the README has a new district delete the sample's, and its own name no sample."""
    words = config.sample_words
    if not words:
        return []
    layout = config.layout
    files = [*sorted((layout.content / layout.data).glob("*.yml")),
             *(path for folder in (layout.pages, layout.articles)
               for path in sorted((layout.content / folder).rglob(f"*{CONTENT_SUFFIX}")))]
    found = []
    for path in files:
        lines = read_capped(path, MAX_FILE_BYTES).decode("utf-8", "replace").splitlines()
        named = [(number, word) for number, line in enumerate(lines, 1) if (word := named_word(line, words))]
        shown = layout.shown(path)
        found.extend(Problem(shown, number, "", f"还写着示例内容的“{word}”，本站是{config.district.name}",
                             LEFTOVER_HINT + shared_name_hint(word, config.settings), WARNING)
                     for number, word in named[:MAX_LEFTOVER_LINES])
        if len(named) > MAX_LEFTOVER_LINES:
            more = named[MAX_LEFTOVER_LINES:]
            found.append(Problem(shown, more[0][0], "", f"从这一行起还有 {len(more)} 行写着示例内容，不一一列出",
                                 LEFTOVER_HINT, WARNING))
    return found


MAX_LEFTOVER_LINES = 10  # per file: more, and the rest are counted (a whole sample registry, say)
LEFTOVER_HINT = "换成本区的内容，或删掉这一项（整张登记表、整个页面不用就删掉文件）"


MAX_DELETIONS_LISTED = 10  # more, and they are named in one reminder (a list of hundreds hides the rest)
MANY_DELETED_HINT = ("不再举办的请写 status: cancelled 和 status_note，不要删除文件；换一个区使用、清掉示例活动时可以删，"
                     "提交（git commit）这次删除以后就不再提醒")


REUSED_HINT = ("新的一次活动请另建文件（invoke new-event --from 原文件名 --date 新日期），把这个文件改回原来的样子；"
               "确实是这个活动改了时间，写 status: postponed 和 previous_start: 原定时间")


def reused_events(layout: Layout, edited: list[tuple[Path, str]], today: date) -> list[Problem]:
    """Published events the change turns into another event (a past stop copied over for the next
    one, two files' names swapped): the old one leaves the site, and subscribers' calendars take
    the new one for the old one moved. A reminder each. ``edited``: ``rewritten_since``'s files."""
    found = []
    for path, before in edited:
        if path.suffix != CONTENT_SUFFIX or not path.is_file():
            continue
        old, new = _title_and_day(before), _title_and_day(read_capped(path, MAX_FILE_BYTES).decode("utf-8", "replace"))
        if old is None or new is None or new[1] == old[1] or new[2] == "postponed":
            continue
        if new[0] == old[0] and new[3] and old[3]:  # the same series: see rewritten_series
            continue
        if new[0] != old[0] or old[1] < today:  # another event, or one already held, moved to a new day
            found.append(Problem(layout.shown(path), 0, "start",
                                 f"这个文件原来是已发布的“{old[0]}”（{old[1].isoformat()}），现在写的是 {new[1].isoformat()} "
                                 "的活动：订阅的日历会把它当成原来那个活动改了时间，原来的活动也从网站上消失", REUSED_HINT, WARNING))
    return found


def rewritten_series(layout: Layout, edited: list[tuple[Path, str]], config: SiteConfig, review: Review,
                     events: list[Event]) -> list[Problem]:
    """Published series the change edits so that sessions already held would read otherwise
    (a new time, place or weekday, or the whole series cancelled): a reminder each, with the
    way that keeps them. ``edited``: ``rewritten_since``'s files."""
    current = {event.slug: event for event in events if event.recurrence is not None}
    edited = [(path, before) for path, before in edited if path.suffix == CONTENT_SUFFIX and path.stem in current]
    if not edited:
        return []
    registries, _ = layout.registries()
    ctx = layout.context(registries, config.timezone)
    at = review.at(ZoneInfo(config.timezone))
    found = []
    for path, before in edited:
        old = _revision_event(path, layout.shown(path), before, ctx)
        after = current[path.stem]
        if old is None:
            continue
        rewritten = rewritten_history(old, after, at)
        past = past_session_changes(old, after, at)
        if rewritten is None and not past:
            continue
        shown = layout.shown(path)
        doc = parse_file(path, shown).doc  # the lines the reminders name
        if rewritten is not None:
            found.append(_rewritten_problem(shown, doc, after, old, rewritten))
        said = set()  # a series called off from a held session on: one reminder, on its from line
        for item in past:
            problem = _past_session_problem(shown, doc, item)
            if problem.field not in said:
                said.add(problem.field)
                found.append(problem)
    return found


def _session_item(doc: SourceDoc | None, day: date) -> str:
    """The ``recurrence.sessions`` item of the file that changes the session on ``day``: its own
    (``date``), else the one calling the series off from an earlier session on (``from``)."""
    recurrence = doc.meta.get("recurrence") if doc is not None else None
    items = recurrence.get("sessions") if isinstance(recurrence, dict) else None
    items = items if isinstance(items, list) else []
    found = ""
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        if str(item.get("date", ""))[:10] == day.isoformat():
            return f"recurrence.sessions[{number}].date"
        if "from" in item and str(item["from"])[:10] <= day.isoformat():
            found = f"recurrence.sessions[{number}].from"
    return found or "recurrence.sessions"


def _past_session_problem(shown: str, doc: SourceDoc | None, item: PastSessionChange) -> Problem:
    """A reminder on the session's own line: one held, cancelled or moved after the fact (perhaps a
    correction: it stays a reminder), or one moved to a time already over (a slip: CI fails on it)."""
    item_field = _session_item(doc, day_of(item.change.original))
    key = item_field.rpartition(".")[0] if item_field.endswith((".date", ".from")) else item_field
    original = format_day(day_of(item.change.original))
    if item.why == HELD:
        what = "改成已取消，活动页、统计和订阅的日历都会说它没有举办" if item.change.cancelled else \
            "这样改，活动页和订阅的日历会说它是在别的时间或地点举办的"
        hint = "如果那天确实没有按原安排举办，可以保留；要改的是还没举办的一场，就检查 date 的年份和月份"
        if item_field.endswith(".from"):
            what = "从这一场起停办，它和以后已经举办过的各场都会显示已取消，统计也不再算它们"
            hint = "from 写停办后还没举办的第一场（检查年份、月份和日期）；那几场确实没有举办的，可以保留"
        field, strict = item_field, STRICT_NEVER
        message = f"{original}这一场已经举办过了：{what}"
    else:
        field, strict = f"{key}.start", STRICT_ALWAYS
        message = f"这一场改到了已经过去的 {format_day(day_of(item.start))}：活动页会把它列为已经举办，这一周的公告也不再有它"
        hint = f"检查新的 start 的年份、月份和日期（原定 {original}）"
    return Problem(shown, doc.line_of(field) if doc is not None else 0, field, message, hint, WARNING, strict)


def _revision_event(path: Path, shown: str, text: str, ctx: ValidationContext) -> Event | None:
    """An old revision of an event file read as the check reads the file (None when it cannot be)."""
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:  # as the check reads a file: no more than a file may hold
        return None
    parsed = parse_file(path, shown, data)
    if parsed.doc is None:
        return None
    return validate_event(parsed.doc, ctx, parsed.html)[0]


def _rewritten_problem(shown: str, doc: SourceDoc | None, after: Event, before: Event,
                       rewritten: RewrittenHistory) -> Problem:
    field = "status" if rewritten.status else "venue" if rewritten.becomes == {PLACE} else "start"
    first, last = rewritten.held[0].first_day, rewritten.held[-1].first_day
    message = (f"这个重复活动已经举办了 {len(rewritten.held)} 场（{first.isoformat()} 至 {last.isoformat()}）："
               f"这样改，它们在活动页、开放数据和订阅的日历里也会{rewritten.words}")
    if rewritten.status:
        coming = next((o.first_day for o in expand(before, last + timedelta(days=400)) if o.first_day > last), None)
        hint = ("从某一场起不再举办，请删去 status，在 recurrence 下写 sessions: 一项 "
                f"from: {coming.isoformat() if coming else '停办后的第一场'}、status: cancelled、note: 原因"
                "（已经举办的场次照常算数，以后的每一场在页面和订阅的日历里显示已取消和原因）；只取消其中一场用 date")
    else:
        until = last_until(before)
        more = f" --until {until.isoformat()}" if until is not None else ""
        hint = (f"从某天起换时间或地点，要保留已经举办的场次：先把这个文件改回原来的安排，运行 invoke new-event "
                f"--from {after.slug} --date 新安排的第一天 --time 新的时间（如 09:30-11:30）{more} 复制出新的系列"
                "（换地点就在新文件里改 venue）；再在这个文件的 rrule 里写上 UNTIL=新安排前的最后一次"
                f"（已经举办的最后一次是 {last.isoformat()}，例如 UNTIL={last.isoformat()}），之后的 exdates、rdates "
                "和 sessions 移到新文件。只改其中一两场用 sessions；原来就写错了的才直接改")
    return Problem(shown, doc.line_of(field) if doc is not None else 0, field, message, hint, WARNING)


def _title_and_day(text: str) -> tuple[str, date, str, bool] | None:
    """A revision's title, first day, status and whether it repeats, as written (None when it
    cannot be read)."""
    meta = revision_meta(text)[1]
    try:
        day = date.fromisoformat(str(meta.get("start", "")).strip()[:10]) if meta is not None else None
    except ValueError:
        return None
    if not day:
        return None
    return str(meta.get("title", "")).strip(), day, str(meta.get("status", "")).strip(), bool(meta.get("recurrence"))


def in_repository(layout: Layout) -> Callable[[str], str | None]:
    """A problem's path as GitHub names the file: relative to the repository's root (None outside it)."""
    top = work_tree(layout.content)
    root = layout.root.resolve()

    def locate(shown: str) -> str | None:
        if top is None:
            return shown
        relative = os.path.relpath(root / shown, top.resolve())  # an absolute ``shown`` stays itself
        return None if relative == ".." or relative.startswith("../") else Path(relative).as_posix()

    return locate


def report(layout: Layout, result: CheckResult, output: str, summary: Path | None) -> None:
    """Print the problems (``github``: also as workflow commands) and append the job summary. A
    review's results (its log, annotations and summary, which Gitea and Forgejo show as GitHub does)
    name each field as the web form shows it, then as the file has it; the terminal's, the file's key."""
    reviewed = with_form_labels(result.problems, layout) if output == "github" or summary is not None else []
    if output == "github":
        print(untrusted(format_report(reviewed)))
        print(github_commands(reviewed, in_repository(layout)))
    else:
        print(format_report(result.problems))
    if summary is not None:
        with summary.open("a", encoding="utf-8") as file:
            file.write(summary_markdown(reviewed))


def _uncommitted(layout: Layout) -> Callable[[], set[str]]:
    """Without a base, the change is what is not committed yet: the files new since HEAD, asked
    of git once and only if needed (none outside a git repository)."""
    @cache
    def added() -> set[str]:
        try:
            return _added(layout, "HEAD")
        except UnknownBase:
            return set()
    return added


def _review(args: argparse.Namespace, config: SiteConfig, added: Callable[[], set[str]]) -> Review:
    """The day and the instant the check stands for (``--build-date``, ``--at``, else today and now)."""
    if args.at is not None:
        moment = args.at if args.at.tzinfo else args.at.replace(tzinfo=ZoneInfo(config.timezone))
        return Review(args.build_date or moment.date(), added, moment)
    day = args.build_date or config.today()
    return Review(day, added, config.checked_at(day))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke check", description="检查活动、新闻、页面和登记表，不构建网站。")
    parser.add_argument("files", nargs="*", type=Path, help="只检查这些文件（默认检查全部内容）")
    add_arguments(parser)
    parser.add_argument("--strict", action="store_true",
                        help="严格检查（合并请求用）：几乎一定是写错了的提醒也算错误")
    parser.add_argument("--base", metavar="分支",
                        help="与 --strict 一起用：这次修改相对哪个分支（如 origin/main），新加的文件按新文件检查")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="github：另外输出 GitHub Actions 的标注命令，问题显示在合并请求改动的那一行")
    parser.add_argument("--summary", type=Path, metavar="文件",
                        help="把问题表（Markdown）追加到这个文件，例如 $GITHUB_STEP_SUMMARY")
    parser.add_argument("--build-date", type=day_argument, metavar="日期",
                        help="按这一天判断活动是否已经结束（默认今天，或环境变量 KEPU_BUILD_DATE），与构建相同")
    parser.add_argument("--at", type=moment_argument, metavar="时刻",
                        help="按这个时刻判断活动是否已经结束，例如 \"2026-12-08 11:00\"（默认：检查今天时是现在，"
                             "检查别的日子时是那一天 0 点）")
    args = parser.parse_args(argv)
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        for path in missing:
            print(f"{path}: 文件不存在 — 检查路径是否写对", file=sys.stderr)
        return 1
    config = for_command(args)
    layout = config.layout
    for path in args.files:
        if not inside_content(layout, path) and not in_data(layout, path):
            print(OUTSIDE_NOTE.format(path=layout.shown(path), content=layout.shown(layout.content)))
    try:
        added = _added(layout, args.base)
    except UnknownBase:
        print(f"找不到分支“{args.base}”，无法判断哪些文件是这次新加的 — 检查分支名；"
              "在持续集成里要取完整提交历史（GitHub Actions 写 fetch-depth: 0）", file=sys.stderr)
        return 2
    review = _review(args, config, (lambda: added) if args.base else _uncommitted(layout))
    result = run(layout, args.files, config, review)
    if not args.files:
        card = config.share_card_problem()
        if card is not None:
            result.problems.append(card)
        result.problems.extend(config.reminders)
        result.problems.extend(sample_leftovers(config))
        with suppress(UnknownBase):  # outside git (or no commit yet): nothing was published from it
            result.problems.extend(gone_events(layout, args.base or "HEAD"))
            edited = rewritten_since(layout.content / layout.events, args.base or "HEAD")  # git asked once
            result.problems.extend(reused_events(layout, edited, review.today))
            result.problems.extend(rewritten_series(layout, edited, config, review, result.events))
    if args.strict:
        result.problems = strictly(result.problems, added)
    report(layout, result, args.format, args.summary)
    if result.ok:
        print(f"已检查 {result.checked_files} 个文件。")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
