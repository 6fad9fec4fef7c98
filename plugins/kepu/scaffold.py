"""New event and news files for volunteer editors: slug proposal, answers, template, safe write."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import yaml

from . import placeholders as ex
from .dates import DateFormatError, parse_clock, parse_when
from .model import Registries
from .problems import format_report
from .project import Layout, check
from .suggest import did_you_mean
from .validation import MAX_SLUG, SLUG_PATTERN

SLUG_WORDS_MAX = 50
ALL_DAY_WORDS = ("全天", "全日", "整天", "all-day", "allday")
_LOOSE_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME_RANGE = re.compile(r"^(\d{1,2}:\d{2})\s*(?:-|~|–|—|－|到|至)\s*(\d{1,2}:\d{2})$")
_ID_SEPARATORS = re.compile(r"[\s,，、;；]+")


class ScaffoldError(Exception):
    """An answer or flag that cannot be used, with the fix (both in Chinese)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


# ------------------------------------------------------------------ slugs

def pinyin_words(text: str) -> list[str]:
    """Title → lower-case ASCII words: one per Chinese syllable, ASCII runs kept whole."""
    from pypinyin import lazy_pinyin

    words: list[str] = []
    for chunk in lazy_pinyin(unicodedata.normalize("NFKC", text)):
        words.extend(w for w in re.split(r"[^a-z0-9]+", chunk.lower()) if w)
    return words


def propose_slug(title: str, day: date | None = None) -> str:
    """``流动科技馆进社区`` on 2026-12-05 → ``liu-dong-ke-ji-guan-jin-she-qu-2026-12``.

    Long titles keep their first clauses (split at punctuation) that fit in SLUG_WORDS_MAX."""
    words: list[str] = []
    for clause in re.split(r"[\W_]+", unicodedata.normalize("NFKC", title)):
        more = pinyin_words(clause)
        if words and len("-".join(words + more)) > SLUG_WORDS_MAX:
            break
        words += more
    while len("-".join(words)) > SLUG_WORDS_MAX:
        words.pop()
    if day is not None:
        words += [f"{day.year:04d}", f"{day.month:02d}"]
    return "-".join(words) or "huodong"


def check_slug(slug: str, taken: Mapping[str, str]) -> str:
    """A usable file name, or ScaffoldError; ``taken`` maps slugs in use to their files."""
    slug = slug.strip().removesuffix(".md")
    if not SLUG_PATTERN.match(slug) or len(slug) > MAX_SLUG:
        raise ScaffoldError(f"文件名“{slug}”不能用作网址",
                            f"只用小写英文字母、数字和短横线，最长 {MAX_SLUG} 个字符，例如 liu-dong-ke-ji-guan-2026-12")
    if slug in taken:
        raise ScaffoldError(f"文件名“{slug}”已被 {taken[slug]} 使用",
                            f"换一个文件名，例如 {slug}-2；如果是同一个活动，请直接编辑那个文件")
    return slug


def taken_slugs(layout: Layout, folder: str) -> dict[str, str]:
    return {p.stem: layout.shown(p) for p in layout.files(folder)}


# ------------------------------------------------------------------ answers

def parse_day(text: str) -> date:
    """``2026-12-05``, ``2026/12/5`` or ``2026年12月5日`` → a date."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    match = _LOOSE_DAY.match(text)
    if match:
        text = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    try:
        value = parse_when(text)
    except DateFormatError as exc:
        raise ScaffoldError(exc.message, "日期写成 2026-12-05") from None
    if isinstance(value, datetime):
        raise ScaffoldError(f"“{text}”不是日期", "只写日期，例如 2026-12-05；时间另外填写")
    return value


def parse_times(text: str) -> tuple[time, time] | None:
    """``14:00-16:00`` → (14:00, 16:00); ``全天`` → None (an all-day event)."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if text.lower() in ALL_DAY_WORDS:
        return None
    match = _TIME_RANGE.match(text)
    if not match:
        raise ScaffoldError(f"无法识别的时间“{text}”",
                            "写开始和结束时间，例如 14:00-16:00；全天活动写“全天”")
    try:
        start, end = parse_clock(match[1]), parse_clock(match[2])
    except DateFormatError as exc:
        raise ScaffoldError(exc.message, exc.hint) from None
    return start, end


def resolve_id(value: str, registry: Mapping[str, object], label: str, kind: str) -> str:
    """An id from the registry; its Chinese name is accepted too."""
    value = str(value).strip()
    names = {getattr(item, "name", ""): ident for ident, item in registry.items()}
    if value in registry:
        return value
    if value in names:
        return names[value]
    partial = {ident for name, ident in names.items() if len(value) >= 2 and value in name}
    if len(partial) == 1:  # "新北" for 新北街道: unambiguous
        return partial.pop()
    hint = did_you_mean(value, registry, names) or f"可用编号见 content/data/{kind}.yml"
    raise ScaffoldError(f"未知的{label}编号“{value}”", hint)


def resolve_ids(text: str | Iterable[str], registry: Mapping[str, object], label: str,
                kind: str) -> tuple[str, ...]:
    """``kexue-shiyan, kepu-jiangzuo`` (any separators) → ids, at least one."""
    items = _ID_SEPARATORS.split(text.strip()) if isinstance(text, str) else list(text)
    found: list[str] = []
    for item in filter(None, items):
        ident = resolve_id(item, registry, label, kind)
        if ident not in found:
            found.append(ident)
    if not found:
        raise ScaffoldError(f"至少填写一个{label}编号", f"可用编号见 content/data/{kind}.yml")
    return tuple(found)


def check_url(text: str) -> str:
    text = text.strip()
    if not re.match(r"^https?://\S+$", text):
        raise ScaffoldError(f"链接“{text}”无效", "从浏览器地址栏复制完整网址，以 https:// 开头")
    return text


def check_title(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise ScaffoldError("名称不能为空", "例如 流动科技馆进社区")
    if len(text) > 120:
        raise ScaffoldError(f"名称太长（{len(text)} 字，上限 120 字）", "请精简")
    return text


# ------------------------------------------------------------------ drafts

@dataclass(slots=True)
class EventDraft:
    """Everything ``new-event`` asks for; the rest of the fields stay commented out."""

    title: str
    street: str
    team: str
    day: date
    times: tuple[time, time] | None
    categories: tuple[str, ...]
    audiences: tuple[str, ...]
    slug: str
    venue: str = ""
    address: str = ""
    online: str = ""
    end_day: date | None = None

    def path(self, layout: Layout) -> Path:
        return layout.content / layout.events / self.street / f"{self.day.year:04d}" / f"{self.slug}.md"


@dataclass(slots=True)
class ArticleDraft:
    """What ``new-article`` asks for."""

    title: str
    day: date
    slug: str
    street: str = ""
    events: tuple[str, ...] = field(default_factory=tuple)

    def path(self, layout: Layout) -> Path:
        return layout.content / layout.articles / f"{self.day.year:04d}" / f"{self.slug}.md"


# ------------------------------------------------------------------ templates

def yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value`` (quoted only when needed)."""
    plain = value and value == value.strip() and "#" not in value and ": " not in value
    if plain:
        try:
            plain = yaml.load(f"k: {value}", Loader=yaml.BaseLoader) == {"k": value} and \
                yaml.safe_load(f"k: {value}") == {"k": value}
        except yaml.YAMLError:
            plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def _names(ids: Iterable[str], registry: Mapping[str, object]) -> str:
    return "、".join(getattr(registry[i], "name", i) for i in ids)


def _when_lines(draft: EventDraft) -> list[str]:
    if draft.times is None:
        lines = ["# 开始日期（必填）：只写日期，表示全天活动", f"start: {draft.day.isoformat()}"]
        if draft.end_day and draft.end_day != draft.day:
            lines += ["# 最后一天（跨天的全天活动）", f"end: {draft.end_day.isoformat()}"]
        else:
            lines += ["# 最后一天（跨天的全天活动才需要写），例如", f"# end: {draft.day.isoformat()}"]
        return lines
    start, end = (t.strftime("%H:%M") for t in draft.times)
    lines = ["# 开始时间（必填）：日期加时间；只写日期表示全天活动",
             f"start: {draft.day.isoformat()} {start}"]
    if draft.end_day and draft.end_day != draft.day:
        return [*lines, "# 结束时间：跨天活动写完整的日期和时间", f"end: {draft.end_day.isoformat()} {end}"]
    return [*lines, "# 结束时间：同一天只写时间，一定要加英文引号；也可以删掉这一行改写时长，如 duration: 2小时",
            f'end: "{end}"']


def _place_lines(draft: EventDraft) -> list[str]:
    lines = ["# 活动地点：name 场地名称（必填）、address 详细地址；lat/lon 纬度/经度（可选）"]
    if draft.venue:
        lines += ["venue:", f"  name: {yaml_text(draft.venue)}"]
        lines.append(f"  address: {yaml_text(draft.address)}" if draft.address else f"  # address: {ex.VENUE_ADDRESS_START.text}")
        lines += ["  # lat: 39.0513", "  # lon: 117.6470"]
    else:
        lines += ["# venue:", f"#   name: {ex.VENUE_NAME.text}", f"#   address: {ex.VENUE_ADDRESS.text}"]
    lines.append("# 线上活动的直播或会议链接（只接受 https:// 或 http:// 开头的网址）；纯线上活动不写 venue")
    lines.append(f"online: {draft.online}" if draft.online else f"# online: {ex.ONLINE.text}")
    return lines


OPTIONAL_EVENT_LINES = f"""\
# 适合年龄（可选），要加英文引号，例如 "6-12"、"60+"
# age: "6-12"
# 报名（可选）：是否需要报名、报名链接、电话（加引号）、截止日期、名额、说明
# registration:
#   required: true
#   url: {ex.REGISTRATION_URL.text}
#   phone: "{ex.REGISTRATION_PHONE.text}"
#   deadline: 2026-12-03
#   capacity: 30
#   note: {ex.REGISTRATION_NOTE.text}
# 费用（可选，不写就是“免费”）
# cost: 材料费 10 元
# 状态（可选）：scheduled 正常、cancelled 已取消、postponed 改期或延期、full 名额已满
# status: cancelled
# 改期：写 status: postponed，start 改成新的时间，这里写原定的开始时间（页面显示“已改期”）；
# 新时间还没定：不写这一行，start 保留原定时间，写 status_note（页面显示“已延期（新时间待定）”）
# previous_start: 2026-11-28 14:00
# 状态说明，例如取消或延期的原因
# status_note: 因大风天气延期一周
# 重复活动（可选）：每周六，到 2027 年 1 月 30 日；exdates 是不开展的日期
# recurrence:
#   rrule: FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30
#   exdates: [2026-12-26]
# 配图（可选）：content/ 下的路径；image_alt 是给读屏软件的文字说明
# image: {ex.IMAGE.text}
# image_alt: {ex.IMAGE_ALT.text}
# 一句话简介（建议 60 字以内），用于列表和分享
# summary: {ex.SUMMARY.text}
# 关键词（可选）
# tags: [电路, 动手实验]
# 无障碍说明（可选）
# accessibility: 一楼场地，有无障碍通道
# 联系方式（可选）：一段文字，或 name/phone/email
# contact: {ex.CONTACT.text}
# 在首页推荐（可选）
# featured: true
# 草稿（可选）：写 true 时检查但不发布
# draft: true
# 最后修改时间：改了时间、地点或状态时请更新
# updated: 2026-11-20 10:00
# 活动结束后填写：参加人数、活动报道新闻的文件名
# attendance: 45
# report: {ex.REPORT.text}"""


def render_event(draft: EventDraft, registries: Registries) -> str:
    """The new event file: the answers filled in, every other field commented out, in Chinese."""
    street = registries.streets[draft.street].name
    team = registries.teams[draft.team].name
    lines = [
        "---",
        "# 活动名称（必填）",
        f"title: {yaml_text(draft.title)}",
        *_when_lines(draft),
        f"# 街镇编号（必填）：{street}（编号见 content/data/streets.yml）",
        f"street: {draft.street}",
        "# 社区或村（可选）",
        "# community: 金江社区",
        f"# 主办志愿服务队编号（必填）：{team}（见 content/data/teams.yml）",
        f"team: {draft.team}",
        f"# 活动类型编号，可写多个（必填）：{_names(draft.categories, registries.categories)}",
        f"categories: [{', '.join(draft.categories)}]",
        f"# 服务对象编号，可写多个（必填）：{_names(draft.audiences, registries.audiences)}",
        f"audiences: [{', '.join(draft.audiences)}]",
        *_place_lines(draft),
        OPTIONAL_EVENT_LINES,
        "---",
        ex.EVENT_BODY.text,
        "",
    ]
    return "\n".join(lines)


def render_article(draft: ArticleDraft, registries: Registries) -> str:
    """The new news file, every field commented in Chinese."""
    street = (f"street: {draft.street}" if draft.street else "# street: xinbei")
    events = (f"events: [{', '.join(draft.events)}]" if draft.events else f"# events: [{ex.ARTICLE_EVENTS.text}]")
    return "\n".join([
        "---",
        "# 新闻标题（必填）",
        f"title: {yaml_text(draft.title)}",
        "# 发布日期（必填），也可以写日期加时间，例如 2026-11-20 09:30",
        f"date: {draft.day.isoformat()}",
        "# 摘要（可选），用于列表和分享",
        f"# summary: {ex.ARTICLE_SUMMARY.text}",
        "# 作者或来源（可选，默认站点名称）",
        "# author: 新北街道流动科技馆志愿服务队",
        "# 相关街镇编号（可选，见 content/data/streets.yml）",
        street,
        "# 相关活动的文件名（可选，content/events/ 下的文件名，不含 .md）",
        events,
        "# 配图（可选）：content/ 下的路径；image_alt 是文字说明",
        f"# image: {ex.ARTICLE_IMAGE.text}",
        f"# image_alt: {ex.ARTICLE_IMAGE_ALT.text}",
        "# 关键词（可选）",
        "# tags: [科普日, 流动科技馆]",
        "# 草稿（可选）：写 true 时不发布",
        "# draft: true",
        "---",
        ex.ARTICLE_BODY.text,
        "",
    ])


# ------------------------------------------------------------------ writing

def write_new(path: Path, text: str, layout: Layout) -> None:
    """Create ``path`` with ``text``; never replaces an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"文件已存在：{layout.shown(path)}",
                            "不会覆盖已有文件；请直接编辑它，或换一个文件名（--slug）") from None


def create(path: Path, text: str, layout: Layout) -> Path:
    """Write the new file, then check it as ``invoke check`` would; remove it if it has errors
    (but for the body's prompt, there on purpose: the check reminds the editor to replace it)."""
    write_new(path, text, layout)
    result = check(layout, [path])
    prompts = {number for number, line in enumerate(text.split("\n"), start=1) if line in ex.PROMPTS}
    if any(p.is_error and p.line not in prompts for p in result.problems):
        path.unlink()
        raise ScaffoldError("生成的文件没有通过检查，已删除：\n" + format_report(result.problems),
                            "请把以上信息发给网站维护人员")
    return path


# ------------------------------------------------------------------ prompting

Ask = Callable[[str, str], str]
Say = Callable[[str], None]


class Answers:
    """Flags given on the command line, then (when allowed) questions for the rest."""

    def __init__(self, given: Mapping[str, str | None], ask: Ask | None, say: Say):
        self.given = {k: v for k, v in given.items() if v is not None}
        self.ask = ask
        self.say = say

    def get(self, key: str, question: str, parse: Callable[[str], object], default: str = "",
            optional: bool = False) -> object:
        """Parse the flag's value, or ask until the answer parses; errors name the flag."""
        if key in self.given:
            if not optional and not self.given[key].strip():
                raise ScaffoldError(f"--{key.replace('_', '-')} 不能为空", question)
            return parse(self.given[key])
        if self.ask is None:
            if default or optional:
                return parse(default)
            raise ScaffoldError(f"缺少 --{key.replace('_', '-')}",
                                f"{question}；或去掉 --batch，按提示逐项填写")
        while True:
            answer = self.ask(question, default).strip() or default
            if not answer.strip() and not optional:
                self.say("  ✗ 这一项必须填写")
                continue
            try:
                return parse(answer)
            except ScaffoldError as exc:
                self.say(f"  ✗ {exc}")


def _street_teams(registries: Registries, street: str) -> list[str]:
    return [t.id for t in registries.teams.values() if t.street == street]


def _choices(registry: Mapping[str, object], ids: Iterable[str] | None = None) -> str:
    ids = list(ids) if ids is not None else list(registry)
    return "、".join(f"{i}（{getattr(registry[i], 'name', '')}）" for i in ids)


def event_draft(answers: Answers, registries: Registries, taken: Mapping[str, str]) -> EventDraft:
    """Collect an event's answers in the order an editor thinks of them."""
    title = answers.get("title", "活动名称", check_title)
    answers.say(f"可选街镇：{_choices(registries.streets)}")
    street = answers.get("street", "街镇编号（也可以输入中文名称）",
                         lambda v: resolve_id(v, registries.streets, "街镇", "streets"))
    local = _street_teams(registries, street)
    answers.say(f"可选志愿服务队：{_choices(registries.teams, local or None)}")
    team = answers.get("team", "志愿服务队编号", lambda v: resolve_id(v, registries.teams, "志愿服务队", "teams"),
                       default=local[0] if len(local) == 1 and answers.ask else "")
    day = answers.get("date", "活动日期，例如 2026-12-05", parse_day)
    times = answers.get("time", "时间，例如 14:00-16:00；全天活动写“全天”", parse_times)
    venue = answers.get("venue", "场地名称（纯线上活动直接回车）", lambda v: v.strip(), optional=True)
    online = answers.get("online", "直播或会议链接（没有就直接回车）",
                         lambda v: check_url(v) if v.strip() else "", optional=True)
    if not venue and not online:
        raise ScaffoldError("缺少活动地点", "线下活动写 --venue 场地名称，线上活动写 --online 直播链接")
    address = answers.get("address", "详细地址（可以留空）", lambda v: v.strip(), optional=True) if venue else ""
    answers.say(f"可选活动类型：{_choices(registries.categories)}")
    categories = answers.get("categories", "活动类型编号，多个用逗号分开",
                             lambda v: resolve_ids(v, registries.categories, "活动类型", "categories"))
    answers.say(f"可选服务对象：{_choices(registries.audiences)}")
    audiences = answers.get("audiences", "服务对象编号，多个用逗号分开",
                            lambda v: resolve_ids(v, registries.audiences, "服务对象", "audiences"))
    end_day = answers.get("end_date", "最后一天（一天内结束的活动直接回车）",
                          lambda v: parse_day(v) if v.strip() else None, optional=True)
    if end_day is not None and end_day < day:
        raise ScaffoldError("最后一天早于活动日期", "检查 --end-date 是否写反")
    if times and times[1] <= times[0] and end_day in (None, day):
        raise ScaffoldError("结束时间早于（或等于）开始时间", "跨夜的活动请用 --end-date 写第二天的日期")
    slug = answers.get("slug", "文件名（就是网址，直接回车使用建议的）", lambda v: check_slug(v, taken),
                       default=propose_slug(title, day))
    return EventDraft(title=title, street=street, team=team, day=day, times=times,
                      categories=categories, audiences=audiences, slug=slug, venue=venue,
                      address=address, online=online, end_day=end_day)


def article_draft(answers: Answers, registries: Registries, taken: Mapping[str, str],
                  event_slugs: Iterable[str], today: date) -> ArticleDraft:
    """Collect a news article's answers."""
    events = frozenset(event_slugs)
    title = answers.get("title", "新闻标题", check_title)
    day = answers.get("date", "发布日期", parse_day, default=today.isoformat())
    street = answers.get("street", "相关街镇编号（可以留空）",
                         lambda v: resolve_id(v, registries.streets, "街镇", "streets") if v.strip() else "",
                         optional=True)
    related = answers.get("events", "相关活动的文件名（可以留空，多个用逗号分开）",
                          lambda v: _event_refs(v, events), optional=True)
    slug = answers.get("slug", "文件名（就是网址，直接回车使用建议的）", lambda v: check_slug(v, taken),
                       default=propose_slug(title))
    return ArticleDraft(title=title, day=day, slug=slug, street=street, events=related)


def _event_refs(text: str, events: frozenset[str]) -> tuple[str, ...]:
    found = []
    for slug in filter(None, _ID_SEPARATORS.split(text.strip())):
        slug = slug.removesuffix(".md")
        if slug not in events:
            raise ScaffoldError(f"找不到文件名为“{slug}”的活动",
                                did_you_mean(slug, events) or "填写 content/events/ 下活动的文件名（不含 .md）")
        found.append(slug)
    return tuple(found)


# ------------------------------------------------------------------ command line

def _ask(question: str, default: str) -> str:
    shown = f"{question} [{default}]：" if default.strip() else f"{question}："
    try:
        return input(shown)
    except EOFError:
        raise ScaffoldError("输入已结束，没有创建文件", "可以用参数一次给出全部内容，见 invoke new-event --help") from None


def run(kind: str, given: Mapping[str, str | None], layout: Layout, today: date,
        ask: Ask | None = None, say: Say = print) -> Path:
    """Collect the answers (asking for missing ones when ``ask`` is given), write the file,
    check it; returns the new file's path."""
    from .registries import load_registries

    registries, problems = load_registries(layout.content / layout.data,
                                           layout.shown(layout.content / layout.data))
    if any(p.is_error for p in problems):
        raise ScaffoldError("登记表有错误，先修改它们：\n" + format_report(problems), "改好后再运行")
    answers = Answers(given, ask, say if ask else (lambda _: None))
    if kind == "event":
        draft = event_draft(answers, registries, taken_slugs(layout, layout.events))
        text = render_event(draft, registries)
    else:
        draft = article_draft(answers, registries, taken_slugs(layout, layout.articles),
                              layout.slugs(layout.events), today)
        text = render_article(draft, registries)
    return create(draft.path(layout), text, layout)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    from zoneinfo import ZoneInfo

    parser = argparse.ArgumentParser(prog="invoke new-event", description="新建活动或新闻文件。")
    parser.add_argument("kind", choices=("event", "article"))
    for name in ("title", "street", "team", "date", "time", "venue", "address", "online",
                 "categories", "audiences", "end-date", "events", "slug"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--batch", action="store_true", help="不提问：缺少的内容直接报错")
    args = parser.parse_args(argv)
    given = {k: v for k, v in vars(args).items() if k not in ("kind", "content", "batch")}
    interactive = not args.batch and sys.stdin.isatty()
    layout = Layout(content=args.content, root=Path.cwd())
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    try:
        path = run(args.kind, given, layout, today, _ask if interactive else None)
    except ScaffoldError as exc:
        print(f"没有创建文件：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n已取消，没有创建文件。", file=sys.stderr)
        return 1
    print(f"已创建 {layout.shown(path)}")
    print(f"下一步：打开它补充介绍和其他字段，然后运行 invoke check {layout.shown(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
