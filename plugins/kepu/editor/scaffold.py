"""New event and news files for volunteer editors: the interview, slug proposal, template,
copying an event with new dates, safe write."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import yaml

from kepu.config import SiteConfig, add_arguments, for_command
from kepu.content import placeholders as ex
from kepu.content.dates import format_day
from kepu.content.formernames import former_name_owners
from kepu.content.model import Event, Registration, Registries, listed
from kepu.content.problems import format_report
from kepu.content.project import Layout
from kepu.content.suggest import did_you_mean
from kepu.content.validation import MAX_SLUG, SLUG_PATTERN
from kepu.editor import copyevent
from kepu.editor.answers import (
    Answers,
    Ask,
    Say,
    ScaffoldError,
    flag,
    parse_count,
    parse_day,
    parse_optional_day,
    parse_yes_no,
)
from kepu.editor.interview import Composed, check_with, interview, write_new
from kepu.editor.schedule import Schedule, ask_schedule, recurrence_lines, when_lines

__all__ = ["ScaffoldError", "main", "propose_slug", "run", "write_new"]

SLUG_WORDS_MAX = 50
_ID_SEPARATORS = re.compile(r"[\s,，、;；]+")
SLUG_QUESTION = "文件名（就是网址，直接回车使用建议的）"
AGE_QUESTION = "适合年龄，例如 6-12、60+；不限年龄直接回车"
PHONE_QUESTION = "报名电话，有分机写“转”，例如 0123-2560 0000 转 123（没有就直接回车）"
COST_QUESTION = "费用（免费直接回车；收费的写明，例如 材料费 10 元）"
FREE_WORDS = ("", "免费", "0", "0元", "不收费", "无", "-", "—", "/")
# What a copy may be told besides its new dates; other flags would be silently ignored.
COPY_FLAGS = ("from", "date", "time", "repeat", "until", "except", "end_date",
              "registration_deadline", "slug")
DROPPED_NAMES = {"attendance": "参加人数", "report": "活动报道", "status": "状态",
                 "previous_start": "原定时间", "status_note": "状态说明", "updated": "修改时间",
                 "draft": "草稿标记", "sequence": "日历版本号"}


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

def resolve_id(value: str, registry: Mapping[str, object], label: str, where: str) -> str:
    """An id from the registry (``where``: its file, as messages name it); its Chinese name is accepted too."""
    value = str(value).strip()
    names = {getattr(item, "name", ""): ident for ident, item in registry.items()}
    if value in registry:
        return value
    if value in names:
        return names[value]
    partial = {ident for name, ident in names.items() if len(value) >= 2 and value in name}
    if len(partial) == 1:  # "中心" for 中心街道: unambiguous
        return partial.pop()
    hint = did_you_mean(value, registry, names) or f"可用编号见 {where}"
    raise ScaffoldError(f"未知的{label}编号“{value}”", hint)


def resolve_ids(text: str | Iterable[str], registry: Mapping[str, object], label: str,
                where: str) -> tuple[str, ...]:
    """``kexue-shiyan, kepu-jiangzuo`` (any separators) → ids, at least one."""
    items = _ID_SEPARATORS.split(text.strip()) if isinstance(text, str) else list(text)
    found: list[str] = []
    for item in filter(None, items):
        ident = resolve_id(item, registry, label, where)
        if ident not in found:
            found.append(ident)
    if not found:
        raise ScaffoldError(f"至少填写一个{label}编号", f"可用编号见 {where}")
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

@dataclass(frozen=True, slots=True)
class EventDraft:
    """Everything ``new-event`` asks for; the rest of the fields stay commented out."""

    title: str
    street: str
    team: str
    schedule: Schedule
    categories: tuple[str, ...]
    audiences: tuple[str, ...]
    slug: str
    venue: str = ""  # a place's name as typed; with ``venue_id``, the registered venue's
    venue_id: str = ""  # a venue of venues.yml, named by its id or its registered name
    address: str = ""
    online: str = ""
    age: str = ""
    registration: Registration | None = None
    cost: str = ""
    body: str = ""  # the description; empty: the prompt the editor replaces
    external_id: str = ""  # the row's id in an imported spreadsheet (kepu.editor.importer)
    status: str = ""  # an imported row's cancelled or full (new-event leaves it commented out)
    status_note: str = ""
    night: bool = False  # an imported row's start written as 凌晨: meant (datechecks.night_start)

    def path(self, layout: Layout) -> Path:
        return event_path(layout, self.street, self.schedule.day, self.slug)


def event_path(layout: Layout, street: str, day: date, slug: str) -> Path:
    return layout.content / layout.events / street / f"{day.year:04d}" / f"{slug}.md"


@dataclass(slots=True)
class ArticleDraft:
    """What ``new-article`` asks for."""

    title: str
    day: date
    slug: str
    street: str = ""
    events: tuple[str, ...] = field(default_factory=tuple)
    body: str = ""  # the text; empty: the prompt the editor replaces
    external_id: str = ""  # the row's id in an imported spreadsheet (kepu.editor.importer)

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


def said(text: object) -> str:
    """A registry's text inside a comment of the file: on one line, whatever it holds (a line
    break would start a field of its own)."""
    return " ".join(str(text).split())


def _names(ids: Iterable[str], registry: Mapping[str, object]) -> str:
    return "、".join(said(getattr(registry[i], "name", i)) for i in ids)


def _community_lines(registries: Registries, street: str) -> list[str]:
    """The commented community line: an id of communities.yml (one of this street's) once the site has it."""
    if "communities" not in registries.declared:
        return ["# 社区或村（可选）", "# community: 某某社区"]
    mine = [c for c in registries.communities.values() if c.street == street]
    example = f"# community: {mine[0].id}" if mine else "# community: 编号"
    shown = f"：{said(mine[0].name)}" if mine else ""
    return [f"# 社区或村编号（可选，见 {registries.file('communities')}）{shown}", example]


def _place_lines(draft: EventDraft, registries: Registries) -> list[str]:
    lines = ["# 活动地点：name 场地名称（必填）、address 详细地址；lat/lon 纬度/经度（可选）"]
    if draft.venue_id:
        lines[0] = (f"# 活动地点：登记过的场地（{said(draft.venue)}），名称、地址和地图用 {registries.file('venues')} "
                    "里登记的")
        lines.append(f"venue: {draft.venue_id}")
    elif draft.venue:
        lines += ["venue:", f"  name: {yaml_text(draft.venue)}"]
        lines.append(f"  address: {yaml_text(draft.address)}" if draft.address else f"  # address: {ex.VENUE_ADDRESS_START.text}")
        lines += ["  # lat: 纬度（十进制小数，在中国是 18 到 54 之间的数）", "  # lon: 经度（73 到 135 之间的数）"]
    else:
        lines += ["# venue:", f"#   name: {ex.VENUE_NAME.text}", f"#   address: {ex.VENUE_ADDRESS.text}"]
    lines.append("# 线上活动的直播或会议链接（只接受 https:// 或 http:// 开头的网址）；纯线上活动不写 venue")
    lines.append(f"online: {draft.online}" if draft.online else f"# online: {ex.ONLINE.text}")
    return lines


RECURRENCE_EXAMPLE = """\
# 重复活动（可选）：每周六，到 2027 年 1 月 30 日；exdates 是不开展的日期
# recurrence:
#   rrule: FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30
#   exdates: [2026-12-26]"""
AGE_LINES = ("# 适合年龄（可选），要加英文引号，例如 \"6-12\"、\"60+\"", "# age: \"6-12\"")
REGISTRATION_HELP = "# 报名（可选）：是否需要报名、报名链接、电话（加引号）、截止日期、名额、说明"
REGISTRATION_EXAMPLE = f"""\
# registration:
#   required: true
#   url: {ex.REGISTRATION_URL.text}
#   phone: "{ex.REGISTRATION_PHONE.text}"
#   deadline: 2026-12-03
#   capacity: 30
#   note: {ex.REGISTRATION_NOTE.text}"""
COST_LINES = ("# 费用（可选，不写就是“免费”）", "# cost: 材料费 10 元")
OPTIONAL_EVENT_LINES = f"""\
# 状态（可选）：scheduled 正常、cancelled 已取消、postponed 改期或延期、full 名额已满
# status: cancelled
# 改期：写 status: postponed，start 改成新的时间，这里写原定的开始时间（页面显示“已改期”）；
# 新时间还没定：不写这一行，start 保留原定时间，写 status_note（页面显示“已延期（新时间待定）”）
# previous_start: 2026-11-28 14:00
# 状态说明，例如取消或延期的原因
# status_note: 因大风天气延期一周
# night: true   # 活动确实在凌晨（0 点到 6 点）开始时才写，例如凌晨观星；下午两点半要写 14:30
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


def _registration_lines(registration: Registration | None) -> list[str]:
    if registration is None:
        return [REGISTRATION_HELP, REGISTRATION_EXAMPLE]
    lines = [REGISTRATION_HELP, "registration:", f"  required: {str(registration.required).lower()}"]
    if registration.required:
        deadline = registration.deadline
        lines += [f"  url: {registration.url}" if registration.url else f"  # url: {ex.REGISTRATION_URL.text}",
                  f"  phone: {json.dumps(registration.phone, ensure_ascii=False)}" if registration.phone
                  else f'  # phone: "{ex.REGISTRATION_PHONE.text}"',
                  f"  deadline: {deadline.isoformat()}" if deadline else "  # deadline: 2026-12-03",
                  f"  capacity: {registration.capacity}" if registration.capacity else "  # capacity: 30"]
    return [*lines, f"  # note: {ex.REGISTRATION_NOTE.text}"]


def _extra_lines(draft: EventDraft) -> list[str]:
    """Age, registration and cost: filled in when answered, else commented examples."""
    age = [AGE_LINES[0], f"age: {json.dumps(draft.age, ensure_ascii=False)}"] if draft.age else list(AGE_LINES)
    cost = [COST_LINES[0], f"cost: {yaml_text(draft.cost)}"] if draft.cost else list(COST_LINES)
    return [*age, *_registration_lines(draft.registration), *cost]


def render_event(draft: EventDraft, registries: Registries) -> str:
    """The new event file: the answers filled in, every other field commented out, in Chinese."""
    street = said(registries.streets[draft.street].name)
    team = said(registries.teams[draft.team].name)
    lines = [
        "---",
        *_external_id_lines(draft.external_id),
        "# 活动名称（必填）",
        f"title: {yaml_text(draft.title)}",
        *when_lines(draft.schedule),
        *(recurrence_lines(draft.schedule) or [RECURRENCE_EXAMPLE]),
        f"# 街镇编号（必填）：{street}（编号见 {registries.file('streets')}）",
        f"street: {draft.street}",
        *_community_lines(registries, draft.street),
        f"# 主办志愿服务队编号（必填）：{team}（见 {registries.file('teams')}）",
        f"team: {draft.team}",
        f"# 活动类型编号，可写多个（必填）：{_names(draft.categories, registries.categories)}",
        f"categories: [{', '.join(draft.categories)}]",
        f"# 服务对象编号，可写多个（必填）：{_names(draft.audiences, registries.audiences)}",
        f"audiences: [{', '.join(draft.audiences)}]",
        *_place_lines(draft, registries),
        *_extra_lines(draft),
        *_status_lines(draft),
        *(["# 活动确实在凌晨开始", "night: true"] if draft.night else []),
        OPTIONAL_EVENT_LINES,
        "---",
        draft.body or ex.EVENT_BODY.text,
        "",
    ]
    return "\n".join(lines)


def _status_lines(draft: EventDraft) -> list[str]:
    if not draft.status or draft.status == "scheduled":
        return []
    lines = ["# 状态：cancelled 已取消、full 名额已满", f"status: {draft.status}"]
    return lines + ([f"status_note: {yaml_text(draft.status_note)}"] if draft.status_note else [])


def _external_id_lines(external_id: str) -> list[str]:
    if not external_id:
        return []
    return ["# 导入表格里这一行的编号：再次导入同一张表格时，更新的就是这个文件（不要修改）",
            f"external_id: {yaml_text(external_id)}"]


def render_article(draft: ArticleDraft, registries: Registries) -> str:
    """The new news file, every field commented in Chinese."""
    street = f"street: {draft.street}" if draft.street else f"# street: {next(iter(registries.streets), '街镇编号')}"
    team = next(iter(registries.teams.values()), None)
    events = (f"events: [{', '.join(draft.events)}]" if draft.events else f"# events: [{ex.ARTICLE_EVENTS.text}]")
    return "\n".join([
        "---",
        *_external_id_lines(draft.external_id),
        "# 新闻标题（必填）",
        f"title: {yaml_text(draft.title)}",
        "# 发布日期（必填），也可以写日期加时间，例如 2026-11-20 09:30",
        f"date: {draft.day.isoformat()}",
        "# 摘要（可选），用于列表和分享",
        f"# summary: {ex.ARTICLE_SUMMARY.text}",
        "# 作者或来源（可选，默认站点名称）",
        f"# author: {said(team.name) if team else '某某志愿服务队'}",
        f"# 相关街镇编号（可选，见 {registries.file('streets')}）",
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
        draft.body or ex.ARTICLE_BODY.text,
        "",
    ])


# ------------------------------------------------------------------ writing

def create(path: Path, text: str, config: SiteConfig) -> Path:
    """Write the new file, then check it as ``invoke check`` would; remove it if it has errors
    (but for the body's prompt, there on purpose: the check reminds the editor to replace it)."""
    write_new(path, text, config.layout)
    result = check_with(config, [path])
    if any(p.is_error and not ex.is_prompt(p) for p in result.problems):
        path.unlink()
        raise ScaffoldError("生成的文件没有通过检查，已删除：\n" + format_report(result.problems),
                            "请把以上信息发给网站维护人员")
    return path


# ------------------------------------------------------------------ prompting

def _street_teams(registries: Registries, street: str) -> list[str]:
    return [t.id for t in registries.teams.values() if t.street == street]


def _with_district_teams(registries: Registries, local: list[str]) -> list[str]:
    """A street's teams, then the district's own (those of no street), which serve every street."""
    return [*local, *(t.id for t in registries.teams.values() if not t.street)]


def _choices(registry: Mapping[str, object], ids: Iterable[str] | None = None) -> str:
    ids = list(ids) if ids is not None else list(registry)
    return "、".join(f"{i}（{getattr(registry[i], 'name', '')}）" for i in ids)


# ------------------------------------------------------------------ the event interview

def event_draft(answers: Answers, registries: Registries, taken: Mapping[str, str]) -> EventDraft:
    """Collect an event's answers in the order an editor thinks of them."""
    title = answers.get("title", "活动名称", check_title)
    street = answers.get("street", "街镇编号（也可以输入中文名称）",
                         lambda v: resolve_id(v, registries.streets, "街镇", registries.file("streets")),
                         intro=f"可选街镇：{_choices(registries.streets)}")
    local = _street_teams(registries, street)
    team = answers.get("team", "志愿服务队编号", lambda v: resolve_id(v, registries.teams, "志愿服务队", registries.file("teams")),
                       default=local[0] if len(local) == 1 and answers.ask else "",
                       intro=f"可选志愿服务队：{_choices(registries.teams, _with_district_teams(registries, local) if local else None)}")
    schedule = ask_schedule(answers)
    venue, venue_id, address, online = _place(answers, registries, street)
    categories = answers.get("categories", "活动类型编号，多个用逗号分开",
                             lambda v: resolve_ids(v, registries.categories, "活动类型", registries.file("categories")),
                             intro=f"可选活动类型：{_choices(registries.categories)}")
    audiences = answers.get("audiences", "服务对象编号，多个用逗号分开",
                            lambda v: resolve_ids(v, registries.audiences, "服务对象", registries.file("audiences")),
                            intro=f"可选服务对象：{_choices(registries.audiences)}")
    age = answers.get("age", AGE_QUESTION, _plain_text, optional=True)
    registration = _registration(answers, schedule)
    cost = answers.get("cost", COST_QUESTION, _cost, default="免费" if answers.interactive else "", optional=True)
    slug = answers.get("slug", SLUG_QUESTION, lambda v: check_slug(v, taken), default=propose_slug(title, schedule.day))
    return EventDraft(title=title, street=street, team=team, schedule=schedule, categories=categories,
                      audiences=audiences, slug=slug, venue=venue, venue_id=venue_id, address=address, online=online,
                      age=age, registration=registration, cost=cost)


def _plain_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _cost(text: str) -> str:
    text = " ".join(text.split())
    return "" if text in FREE_WORDS else text


def _place(answers: Answers, registries: Registries, street: str) -> tuple[str, str, str, str]:
    """The place: a registered venue (typed by its id or its registered name), or a name and an
    address; or only an online link. Returns (name, venue id, address, online)."""
    local = [v.id for v in registries.venues.values() if v.street == street]
    intro = (f"本街镇登记过的场地：{_choices(registries.venues, local)}；写编号或名称就用登记的名称、地址和地图，"
             "其他地点直接写场地名称") if local else ""
    venue = answers.get("venue", "场地名称（纯线上活动直接回车）", lambda v: v.strip(), optional=True, intro=intro)
    online = answers.get("online", "直播或会议链接（没有就直接回车）",
                         lambda v: check_url(v) if v.strip() else "", optional=True)
    if not venue and not online:
        answers.wrong(("venue", "online"), "缺少活动地点", "线下活动写场地名称，线上活动写直播链接",
                      flag_hint="线下活动写 --venue 场地名称，线上活动写 --online 直播链接")
    if not venue and answers.given.get("address", "").strip():  # would be dropped without a word
        answers.wrong(("address",), "写了详细地址，却没有写场地名称", "线下活动写上场地名称；纯线上活动删去详细地址",
                      flag_hint="线下活动加上 --venue 场地名称；纯线上活动去掉 --address")
    venue_id = registered_venue(venue, registries, street) if venue else ""
    if venue_id and answers.given.get("address", "").strip():  # would be dropped without a word
        answers.wrong(("address",), f"“{venue}”是登记过的场地，地址用登记表里的", "不写详细地址",
                      flag_hint=f"去掉 --address；地址不对时改 {registries.file('venues')}")
    if venue_id:
        return registries.venues[venue_id].name, venue_id, "", online
    address = answers.get("address", "详细地址（可以留空）", lambda v: v.strip(), optional=True) if venue else ""
    return venue, "", address, online


def registered_venue(text: str, registries: Registries, street: str) -> str:
    """The venues.yml id ``text`` names: the id itself, or a registered name (this street's venue
    first, when two streets register one name), or a renamed venue's former name; "" for any other
    place."""
    venues = registries.venues
    if text in venues:
        return text
    named = [v.id for v in venues.values() if v.name == text]
    return next((i for i in named if venues[i].street == street), named[0] if named else "") or (
        former_name_owners(venues).get(text, ""))


REGISTRATION_KEYS = ("registration_url", "registration_phone", "registration_deadline",
                     "registration_capacity")
REGISTRATION_WORDS = {"registration_url": "报名链接", "registration_phone": "报名电话",
                      "registration_deadline": "报名截止日期", "registration_capacity": "名额"}


def _registration(answers: Answers, schedule: Schedule) -> Registration | None:
    """Needed or not; if needed, how (a link or a phone), until when, how many places."""
    implied = "是" if any(k in answers.given for k in REGISTRATION_KEYS) else ""
    needed = answers.get("registration", "需要报名吗？（是/否）", parse_yes_no,
                         default="否" if answers.interactive else implied, optional=True)
    given = [key for key in REGISTRATION_KEYS if key in answers.given]
    if needed is False and given:  # written, and would be dropped without a word
        answers.wrong(("registration", *given), f"写了{listed([REGISTRATION_WORDS[k] for k in given])}，“需要报名”却是“否”",
                      "需要报名的改成“是”；不用报名就删去" + "、".join(REGISTRATION_WORDS[k] for k in given),
                      flag_hint="需要报名的写 --registration 是；不用报名就去掉报名的其他选项")
    if not needed:
        return None if needed is None else Registration(required=False)
    url = answers.get("registration_url", "报名链接（没有就直接回车）",
                      lambda v: check_url(v) if v.strip() else "", optional=True)
    phone = answers.get("registration_phone", PHONE_QUESTION, _plain_text, optional=True)
    if not url and not phone:
        answers.wrong(("registration_url", "registration_phone"), "需要报名，却没有写怎么报名",
                      "写报名链接或报名电话，至少一个")
    deadline = answers.get("registration_deadline", "报名截止日期，例如 2026-12-03（不设截止直接回车）",
                           parse_optional_day, optional=True)
    last = schedule.until if schedule.rule else (schedule.end_day or schedule.day)
    if deadline and last and deadline > last:
        answers.wrong(("registration_deadline",), f"报名截止日期 {format_day(deadline)} 晚于活动的最后一天 {format_day(last)}",
                      "写活动开始之前的日期；不设截止直接回车")
    capacity = answers.get("registration_capacity", "名额（人数，不限直接回车）", parse_count, optional=True)
    return Registration(required=True, url=url, phone=phone, deadline=deadline, capacity=capacity)


def new_event(answers: Answers, layout: Layout, registries: Registries) -> Composed:
    draft = event_draft(answers, registries, taken_slugs(layout, layout.events))
    return Composed(draft.path(layout), render_event(draft, registries), draft.schedule)


# ------------------------------------------------------------------ copying an event

@dataclass(frozen=True, slots=True)
class Source:
    """The event being copied: its file, text and reading."""

    path: Path
    text: str
    event: Event


def load_source(config: SiteConfig, name: str) -> Source:
    """The event named by ``--from`` (its file name, with or without .md, or its path),
    refused if it does not pass the check: a copy would carry its mistakes."""
    layout = config.layout
    stem = Path(name.strip()).stem
    files = {p.stem: p for p in layout.files(layout.events)}
    if stem not in files:
        raise ScaffoldError(f"找不到文件名为“{stem}”的活动",
                            did_you_mean(stem, files) or "写 content/events/ 下活动的文件名（不含 .md）")
    path = files[stem]
    result = check_with(config, [path])
    if not result.ok or not result.events:
        raise ScaffoldError("要复制的活动文件有错误，先改好它：\n" + format_report(result.problems),
                            f"改好后运行 invoke check {layout.shown(path)}")
    text = path.read_bytes().decode("utf-8-sig")
    return Source(path, text, result.events[0])


def copied_event(answers: Answers, layout: Layout, source: Source) -> Composed:
    """The source with the new date, time and repeat answers; its other fields, comments and
    body kept; its outcome (attendance, report, status …) left out."""
    old = source.event
    schedule = ask_schedule(answers, copyevent.defaults_of(old), old.timezone)
    if schedule.start == old.start:
        answers.wrong(("date",), f"新的日期和原活动一样（{format_day(schedule.day)}）", "写这一期活动的新日期")
    deadline = _new_deadline(answers, old)
    taken = taken_slugs(layout, layout.events)
    slug = answers.get("slug", SLUG_QUESTION, lambda v: check_slug(v, taken), default=propose_slug(old.title, schedule.day))
    when = when_lines(schedule, comments=False)
    text = copyevent.copy_text(source.text, {"start": when[:1], "end": when[1:],
                                             "recurrence": recurrence_lines(schedule)}, deadline)
    return Composed(event_path(layout, old.street, schedule.day, slug), text, schedule, _copy_notes(source))


def _new_deadline(answers: Answers, old: Event) -> str | None:
    if old.registration is None or old.registration.deadline is None:
        return copyevent.KEEP
    question = f"新的报名截止日期（原来是 {old.registration.deadline.isoformat()}；不设截止直接回车）"
    deadline = answers.get("registration_deadline", question, parse_optional_day, optional=True)
    return deadline.isoformat() if deadline else None


def _copy_notes(source: Source) -> tuple[str, ...]:
    front, _ = copyevent.split_front(source.text)
    fields = [key for key, _ in copyevent.blocks(front) if key in DROPPED_NAMES]
    notes = [f"复制自：{source.path.name}"]
    if fields:
        notes.append("没有复制原活动的：" + "、".join(DROPPED_NAMES[k] for k in fields))
    if source.event.recurrence and source.event.recurrence.exdates:
        notes.append("原来的不开展日期没有复制")
    notes.append("正文照原样复制：如果写了旧的日期，写入后请打开文件修改")
    return tuple(notes)


def article_draft(answers: Answers, registries: Registries, taken: Mapping[str, str],
                  event_slugs: Iterable[str], today: date) -> ArticleDraft:
    """Collect a news article's answers."""
    events = frozenset(event_slugs)
    title = answers.get("title", "新闻标题", check_title)
    day = answers.get("date", "发布日期", parse_day, default=today.isoformat())
    street = answers.get("street", "相关街镇编号（可以留空）",
                         lambda v: resolve_id(v, registries.streets, "街镇", registries.file("streets")) if v.strip() else "",
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


def run(kind: str, given: Mapping[str, str | None], config: SiteConfig, today: date,
        ask: Ask | None = None, say: Say = print) -> Path:
    """Collect the answers (asking for missing ones when ``ask`` is given), check the draft,
    read it back, write the file; returns the new file's path."""
    layout = config.layout
    registries, problems = layout.registries()
    if any(p.is_error for p in problems):
        raise ScaffoldError("登记表有错误，先修改它们：\n" + format_report(problems), "改好后再运行")
    answers = Answers(given, ask, say if ask else (lambda _: None))
    if kind == "article":
        draft = article_draft(answers, registries, taken_slugs(layout, layout.articles),
                              layout.slugs(layout.events), today)
        return create(draft.path(layout), render_article(draft, registries), config)
    if answers.given.get("from"):
        extra = [flag(k) for k in answers.given if k not in COPY_FLAGS]
        if extra:
            raise ScaffoldError(f"复制活动时不能同时写 {'、'.join(extra)}",
                                "复制只换日期和时间：写好后打开新文件修改其他内容；或者不用 --from，新建活动")
        compose = partial(copied_event, answers, layout, load_source(config, answers.given["from"]))
    else:
        compose = partial(new_event, answers, layout, registries)
    return interview(answers, config, compose, today)


FLAGS = ("title", "street", "team", "date", "time", "repeat", "until", "except", "end-date", "venue",
         "address", "online", "categories", "audiences", "age", "registration", "registration-url",
         "registration-phone", "registration-deadline", "registration-capacity", "cost", "events",
         "slug", "from")


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="invoke new-event", description="新建活动或新闻文件。")
    parser.add_argument("kind", choices=("event", "article"))
    for name in FLAGS:
        parser.add_argument(f"--{name}", dest=name.replace("-", "_"))
    add_arguments(parser)
    parser.add_argument("--batch", action="store_true", help="不提问：缺少的内容直接报错")
    args = parser.parse_args(argv)
    given = {k: v for k, v in vars(args).items() if k not in ("kind", "content", "settings", "batch")}
    interactive = not args.batch and sys.stdin.isatty()
    if not args.batch and not interactive:
        print("提示：输入不是终端（管道或重定向），不能逐项提问：缺少的内容会直接报错。", file=sys.stderr)
    config = for_command(args, from_here=True)  # it prints the command to check the new file
    layout = config.layout
    try:
        path = run(args.kind, given, config, config.today(), _ask if interactive else None)
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
