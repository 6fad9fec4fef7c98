"""Turn an event file's front matter into an Event, reporting every problem in Chinese."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, available_timezones

from kepu.content.datechecks import (
    Review,
    closed_venue,
    early_attendance,
    extra_dates,
    late_deadline,
    moved_onto_another,
    new_event_over,
    night_start,
    overlapping_sessions,
    sessions_on_rule,
    start_on_rule,
)
from kepu.content.dates import (
    MAX_SHOWN,
    DateFormatError,
    as_local,
    format_datetime,
    format_day_short,
    parse_clock,
    parse_duration,
    parse_when,
    shorten,
)
from kepu.content.formernames import former_name_owners
from kepu.content.frontmatter import SourceDoc
from kepu.content.model import (
    STATUS_LABELS,
    STATUSES,
    TO_BE_ANNOUNCED,
    Contact,
    Event,
    Recurrence,
    Registration,
    Registries,
    Venue,
)
from kepu.content.problems import ERROR, STRICT_ALWAYS, STRICT_NEVER, WARNING, Problem
from kepu.content.recurrence import RecurrenceError, first_occurrence, normalize_rule, stop_series
from kepu.content.repeats import parse_repeat
from kepu.content.sessions import CANCEL_WORDS, read_sessions, session_facts
from kepu.content.suggest import closest, did_you_mean
from kepu.content.webnames import HEIF_SUFFIXES, web_addresses, web_name
from kepu.formats import phones

# \A…\Z, not ^…$: "$" also matches before a final newline, so "zhoumo\n" passed .match().
SLUG_PATTERN = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG = 80
MAX_TITLE = 120
MAX_TAG = 60
MAX_TAGS = 20
MAX_EVENT_REFS = 50
MAX_EXTERNAL_ID = 200  # an imported spreadsheet row's id (kepu.editor.importer)
# The longest text, in characters, of each field an editor writes in words: the check refuses
# more, and the web editor's form (kepu.editor.cmsconfig) refuses it before saving.
TEXT_LIMITS = {"summary": 300, "status_note": 300, "accessibility": 500, "cost": 100, "registration.note": 300,
               "image_alt": 200, "venue.name": 200, "venue.address": 300, "contact": 300, "contact.name": 100}
IMAGE_FOLDER = "images"  # default of the only folder of content/ whose images are published
URL_SCHEMES = ("http://", "https://")
_URL_MARKUP = re.compile(r"[\"'<>\\`]")  # never in an address copied from a browser: markup pasted with it
_URL_HINT = "从浏览器地址栏复制完整网址，例如 https://example.cn/baoming"
# Never part of an address: CJK punctuation and spaces, full-width forms, curly quotes, dashes, ellipses.
_URL_WIDE = re.compile(r"[\u2014\u2018-\u201f\u2026\u3000-\u303f\uff00-\uffef]")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", *HEIF_SUFFIXES)
DEFAULT_TIMEZONE = "Asia/Shanghai"

EVENT_FIELDS = (
    "title", "start", "end", "duration", "timezone", "street", "community", "venue", "online",
    "team", "categories", "audiences", "age", "registration", "cost", "status", "previous_start",
    "status_note", "recurrence", "image", "image_alt", "summary", "tags", "accessibility",
    "contact", "featured", "draft", "updated", "attendance", "report", "sequence", "night",
    "external_id",
    "programmes", "campaigns", "speakers",
)
REQUIRED_FIELDS = ("title", "start", "street", "team", "categories", "audiences")
NESTED_FIELDS = {
    "venue": ("name", "address", "lat", "lon"),
    "registration": ("required", "url", "phone", "email", "deadline", "capacity", "note"),
    "recurrence": ("rrule", "exdates", "rdates", "sessions"),
    "contact": ("name", "phone", "email"),
}
# Chinese (and common English) names editors type for a field.
FIELD_ALIASES = {
    "标题": "title", "名称": "title", "开始": "start", "开始时间": "start", "时间": "start",
    "日期": "start", "date": "start", "结束": "end", "结束时间": "end", "时长": "duration",
    "街道": "street", "街镇": "street", "镇": "street", "社区": "community", "地点": "venue",
    "场地": "venue", "location": "venue", "place": "venue", "线上": "online", "链接": "online",
    "队伍": "team", "志愿队": "team", "主办": "team", "organizer": "team", "类型": "categories",
    "分类": "categories", "category": "categories", "对象": "audiences", "受众": "audiences",
    "audience": "audiences", "年龄": "age", "报名": "registration", "费用": "cost",
    "price": "cost", "状态": "status", "原定时间": "previous_start", "重复": "recurrence",
    "rrule": "recurrence", "图片": "image", "配图": "image", "简介": "summary", "摘要": "summary",
    "description": "summary", "标签": "tags", "关键词": "tags", "tag": "tags",
    "无障碍": "accessibility", "联系": "contact", "联系人": "contact", "推荐": "featured",
    "草稿": "draft", "更新": "updated", "modified": "updated", "人数": "attendance",
    "报道": "report", "凌晨": "night", "夜间": "night", "村": "community", "项目": "programmes",
    "品牌项目": "programmes", "programme": "programmes", "program": "programmes", "programs": "programmes",
    "活动周": "campaigns", "主题活动": "campaigns", "campaign": "campaigns", "专家": "speakers",
    "主讲": "speakers", "主讲人": "speakers", "嘉宾": "speakers", "speaker": "speakers",
}
CHINA_LAT, CHINA_LON = (0, 60), (70, 140)  # coordinates outside these are asked about (the web form's too)
STATUS_ALIASES = {
    "正常": "scheduled", "正常举办": "scheduled", "如期举办": "scheduled", "已取消": "cancelled",
    "取消": "cancelled", "canceled": "cancelled", "延期": "postponed", "已延期": "postponed",
    "改期": "postponed", "已改期": "postponed", "rescheduled": "postponed", "已满": "full", "名额已满": "full",
    "额满": "full", "满员": "full",
}
_BOOL_WORDS = {"是": True, "否": False, "true": True, "false": False}
# Patterns below are used with fullmatch ("$" would accept a trailing newline).
_AGE_RANGE = re.compile(r"(\d{1,3})\s*(?:-|~|～|—|至|到)\s*(\d{1,3})\s*岁?")
_AGE_MIN = re.compile(r"(\d{1,3})\s*(?:\+|岁以上|岁及以上|周岁以上)")
_AGE_MAX = re.compile(r"(\d{1,3})\s*(?:岁以下|岁及以下)")
_SEXAGESIMAL = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
# One plain address: the site writes mailto:<this>, so no "?", "&", ",", "%", quotes, spaces,
# angle brackets or a second address can ride along.
_EMAIL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@"
                    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
_EMAIL_HINT = "例如 email: kepu@example.cn；只写一个地址，不要加 mailto:、问号、逗号、空格或尖括号"


def is_email(text: str) -> bool:
    """One plain e-mail address the site may write as mailto:."""
    return bool(_EMAIL.fullmatch(text))
# Digits, spaces, dashes, a leading + and brackets, then an optional extension: the site
# writes tel:<this>, so no letters or ":" (tel:javascript:…).
_PHONE = re.compile(r"\+?[0-9 ()-]+")  # the number; phones.split_extension takes the extension off
_PHONE_HINT = '例如 phone: "0123-2530 0000"；分机写成 "0123-2530 0000 转 123"'
_TWO_PHONES_HINT = '只写一个电话，例如 phone: "0123-2530 0000"；另一个写进联系方式 contact；分机写成 "0123-2530 0000 转 123"'
_URL_UNSAFE = re.compile(r"[?#%\"'<>]")


@dataclass(slots=True)
class ValidationContext:
    """What event validation needs to know beyond the file itself."""

    registries: Registries
    content_dir: Path
    default_timezone: str = DEFAULT_TIMEZONE
    article_slugs: frozenset[str] | None = None
    images: str = IMAGE_FOLDER  # the folder of content/ whose images are published
    events: str = "events"  # the folder of content/ that holds events, one folder per street (EVENT_PATHS)
    review: Review | None = None  # the check's today and added files (new events already over)
    probes: list[tuple[str, bool]] | None = None  # files looked for while recording (see ``has_file``)
    _names: dict[str, dict[str, str]] = field(default_factory=dict)

    def inputs(self) -> tuple:
        """Everything validation reads besides the file and the files it looks for: a result
        kept with these (and ``probes``) stands while they are the same."""
        return (self.registries, str(self.content_dir), self.default_timezone, self.article_slugs, self.images,
                self.events, self.review)

    def registry_file(self, kind: str) -> str:
        """A registry's file as messages name it."""
        return self.registries.file(kind)

    def has_file(self, relative: PurePosixPath | str) -> bool:
        """Whether content/<relative> is a file; noted in ``probes`` when they are recorded."""
        found = (self.content_dir / relative).is_file()
        if self.probes is not None:
            self.probes.append((str(relative), found))
        return found

    def names(self, kind: str) -> dict[str, str]:
        """Display name → id, for did-you-mean on names typed instead of ids."""
        if kind not in self._names:
            items = getattr(self.registries, kind)
            self._names[kind] = {item.name: ident for ident, item in items.items()}
        return self._names[kind]

    def former_venue_names(self) -> dict[str, str]:
        """A renamed venue's former name → its id (venues.yml ``former_names``)."""
        if "former venues" not in self._names:  # (kept beside the registries' names)
            self._names["former venues"] = former_name_owners(self.registries.venues)
        return self._names["former venues"]


class FieldReader:
    """Reads one document; each ``_field`` method returns a value or records a problem."""

    def __init__(self, doc: SourceDoc, ctx: ValidationContext):
        self.doc = doc
        self.ctx = ctx
        self.meta = doc.meta
        self.problems: list[Problem] = []

    # -- recording -----------------------------------------------------------------
    def error(self, key: str, message: str, hint: str = "", severity: str = ERROR,
              strict: str = STRICT_NEVER) -> None:
        scalar = self.doc.scalars.get(key)  # a value on the line below its key is named there
        line = scalar.line if scalar else self.doc.line_of(key)
        self.problems.append(Problem(self.doc.path, line, shown(key, MAX_SLUG), message, hint, severity, strict))

    def warn(self, key: str, message: str, hint: str = "", strict: str = STRICT_NEVER) -> None:
        """A reminder; ``strict`` says when ``invoke check --strict`` (CI) counts it as an error."""
        self.error(key, message, hint, WARNING, strict)

    # -- scalar readers ------------------------------------------------------------
    def get(self, key: str) -> Any:
        """The value at a dotted key; ``name[2]`` picks a list's item (``recurrence.sessions[0].date``)."""
        value: Any = self.meta
        for part in key.split("."):
            name, _, index = part.partition("[")
            value = value.get(name) if isinstance(value, dict) else None
            if index:
                position = int(index.rstrip("]"))
                value = value[position] if isinstance(value, list) and position < len(value) else None
        return value

    def text(self, key: str, required: bool = False, max_len: int = 2000, one_line: bool = False) -> str:
        """A text value, stripped; ``one_line``: a line break in it is an error (a title, a place,
        a cost: one line in calendars, spreadsheets and cards)."""
        value = self.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "必填字段缺失或为空", f"加一行 {key.split('.')[-1]}: …")
            return ""
        if isinstance(value, bool):
            raw = self.raw(key)
            self.error(key, f"“{raw}”被 YAML 读成了真假值（{'是' if value else '否'}），而这里要写文字",
                       f"给文字加上英文引号：{key.split('.')[-1]}: \"{raw}\"")
            return ""
        if isinstance(value, (int, float)):
            return self.raw(key) or str(value)
        if not isinstance(value, str):
            self.error(key, "这里应写一段文字，而不是列表或多个字段",
                       f"写在同一行：{key.split('.')[-1]}: 一段文字")
            return ""
        value = value.strip()
        if not value:  # only spaces (a form's blank answer): as good as missing
            if required:
                self.only_spaces(key)
            return ""
        if one_line and ("\n" in value or "\r" in value):
            leaf = key.split(".")[-1]
            self.error(key, "这一项不能换行", f"写在同一行：{leaf}: 文字")
            value = " ".join(value.split())
        if len(value) > max_len:
            self.error(key, f"内容太长（{len(value)} 字，上限 {max_len} 字）", "请精简")
            return value[:max_len]
        return value

    def only_spaces(self, key: str) -> None:
        self.error(key, "只有空格，没有文字", f"在 {key.split('.')[-1]}: 后面写上内容")

    def raw(self, key: str) -> str:
        scalar = self.doc.scalars.get(key)
        return scalar.text if scalar else ""

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
            return _BOOL_WORDS[value.strip().lower()]
        self.error(key, f"“{shown(value)}”不是真假值", f"写 {key.split('.')[-1]}: true 或 false")
        return False

    def integer(self, key: str, low: int = 0, high: int = 1_000_000) -> int | None:
        value = self.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"“{shown(value)}”不是整数", f"只写数字，例如 {key.split('.')[-1]}: 30")
            return None
        if not low <= value <= high:
            self.error(key, f"数值 {value} 超出范围（{low}–{high}）", "请检查是否写错")
            return None
        return value

    def url(self, key: str, schemes: tuple[str, ...] = URL_SCHEMES) -> str:
        value = self.text(key, max_len=2000)
        if not value:
            return ""
        lowered = value.lower()
        if not lowered.startswith(schemes) or re.search(r"\s", value):
            shown = "、".join(s.rstrip("/") for s in schemes)
            self.error(key, f"链接“{value[:60]}”无效，只接受以 {shown} 开头的网址", _URL_HINT)
            return ""
        wide = _URL_WIDE.search(value)
        if wide:  # pasted with the sentence's punctuation, or typed with a Chinese input method
            mark = wide[0]
            punctuation = unicodedata.category(unicodedata.normalize("NFKC", mark)[:1] or mark).startswith(("P", "Z"))
            self.error(key, f"链接“{value[:60]}”里有{'中文标点' if punctuation else '全角字符'}“{mark}”，网址里不会有它",
                       f"只留网址本身，删去“{mark}”（复制时常把后面的标点一起带进来）" if punctuation
                       else "从浏览器地址栏复制完整网址，或切换到英文输入法重新输入")
            return ""
        wrong = ("网址里不能有引号、尖括号或反斜杠" if _URL_MARKUP.search(value) else
                 "没有网站地址" if not urlsplit(value).hostname else "")
        if wrong:
            self.error(key, f"链接“{value[:60]}”无效：{wrong}", _URL_HINT)
            return ""
        return value

    def phone(self, key: str) -> str:
        value = self.get(key)
        raw = self.raw(key)
        if isinstance(value, int) and not isinstance(value, bool):
            if raw.startswith("0") or raw != str(value):
                self.error(key, f"电话号码 {raw} 被 YAML 读成了数字 {value}（开头的 0 会丢失）",
                           f"给号码加上英文引号：{key.split('.')[-1]}: \"{raw}\"")
                return ""
            text = number = raw
        else:
            text = unicodedata.normalize("NFKC", self.text(key, max_len=60))  # full-width digits and dashes
            number = phones.split_extension(text)[0]
            if text and (not _PHONE.fullmatch(number) or sum(c.isdigit() for c in number) < 3):
                self.error(key, f"电话“{shown(text)}”格式不对：只能有数字、空格、-、+ 和括号", _PHONE_HINT)
                return ""
        if phones.too_many_digits(number):
            self.error(key, f"电话“{shown(text)}”的数字太多，像是两个号码（一个电话最多 12 位数字，手机 11 位）",
                       _TWO_PHONES_HINT)
            return ""
        return phones.shown(text)

    def email(self, key: str) -> str:
        value = self.text(key, max_len=254)
        if value and not _EMAIL.fullmatch(value):
            self.error(key, f"邮箱“{shown(value)}”格式不对", _EMAIL_HINT)
            return ""
        return value

    def when(self, key: str, zone: tzinfo, required: bool = False) -> date | datetime | None:
        value = self.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "必填字段缺失或为空", "例如 start: 2026-12-05 14:00")
            return None
        if isinstance(value, int) and not isinstance(value, bool) and _SEXAGESIMAL.fullmatch(self.raw(key)):
            raw = self.raw(key)
            self.error(key, f"“{raw}”被 YAML 读成了数字 {value}，缺少日期",
                       f"写完整的日期和时间，例如 {key.split('.')[-1]}: 2026-12-05 {raw}")
            return None
        if not isinstance(value, str):
            self.error(key, f"“{shown(value)}”不是日期", "日期写成 2026-12-05，日期加时间写成 2026-12-05 14:00")
            return None
        try:
            return as_local(parse_when(value), zone)
        except DateFormatError as exc:
            self.error(key, exc.message, exc.hint)
            return None

    def ids(self, key: str, kind: str, label: str, required: bool = True) -> tuple[str, ...]:
        value = self.get(key)
        if value is None or value == "" or value == []:
            if required:
                self.error(key, f"必填字段缺失：至少填写一个{label}编号",
                           f"例如 {key}: [{next(iter(getattr(self.ctx.registries, kind)), 'id')}]")
            return ()
        if isinstance(value, dict):
            self.error(key, f"这里应写{label}编号的列表", f"例如 {key}: [{next(iter(getattr(self.ctx.registries, kind)), 'id')}]")
            return ()
        items = value if isinstance(value, list) else [value]
        found = []
        for index, item in enumerate(items):
            name = f"{key}[{index}]" if isinstance(value, list) else key
            ident = self.one_id(name, item, kind, label)
            if ident and ident not in found:
                found.append(ident)
        return tuple(found)

    def unknown_nested(self, parent: str, fields: tuple[str, ...] | None = None) -> None:
        """Warn of each key under ``parent`` that is not one of its ``fields`` (by default its own)."""
        known = fields or NESTED_FIELDS[parent]
        for key in self.get(parent) or {}:
            if key not in known:
                guess = closest(str(key)[:MAX_SLUG], known)
                self.warn(f"{parent}.{key}", f"{parent.rsplit('.', 1)[-1]} 下的未知字段“{shown(key)}”，将被忽略",
                          f"是否想写“{guess}”？" if guess else f"可用字段：{'、'.join(known)}", STRICT_ALWAYS)

    def one_id(self, key: str, value: Any, kind: str, label: str) -> str:
        registry = getattr(self.ctx.registries, kind)
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"{label}编号应是一段文字，例如 {next(iter(registry), 'id')}",
                       f"可用编号见 {self.ctx.registry_file(kind)}")
            return ""
        ident = value.strip()
        if ident in registry:
            return ident
        if len(ident) > MAX_SLUG:
            self.error(key, f"{label}编号太长（{len(ident)} 个字符，上限 {MAX_SLUG} 个）",
                       f"可用编号见 {self.ctx.registry_file(kind)}")
            return ""
        hint = _list_hint(key, ident, registry) or did_you_mean(ident, registry, self.ctx.names(kind))
        self.error(key, f"未知的{label}编号“{shown(ident)}”", hint or _all_ids(registry, self.ctx.registry_file(kind)))
        return ""


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """An editor's value quoted in a message: cut short, line breaks and tabs made visible."""
    return shorten(str(value), limit).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _all_ids(registry: Any, file: str) -> str:
    """No close match: list a short registry, or name the file of a long (or empty) one."""
    if not registry:
        return f"登记表 {file} 里还没有可用的编号：先修好或补上登记表"
    if len(registry) <= 12:
        return "可用编号：" + "、".join(f"{i}（{getattr(item, 'name', '')}）" for i, item in registry.items())
    return f"可用编号见 {file}"


def _list_hint(key: str, ident: str, registry: Any) -> str:
    """Several ids typed as one ("qinzi, ertong", "qinzi，ertong") or "-id" without a space."""
    field_name = key.split("[")[0]
    parts = [p.strip() for p in re.split(r"[,，、;；]", ident) if p.strip()]
    if len(parts) > 1 and all(p in registry for p in parts):
        comma = "要用英文逗号“,”分隔" if re.search(r"[，、;；]", ident) else "要写成方括号里的列表"
        return f"多个编号{comma}：{field_name}: [{', '.join(parts)}]"
    if ident.startswith("-") and ident.lstrip("- ") in registry:
        return f"列表项的短横线后面要有一个空格：- {ident.lstrip('- ')}"
    return ""


@cache
def known_timezones() -> dict[str, str]:
    """IANA zone names (lower case → name). Only these are opened: ZoneInfo() itself reads
    any file under the zoneinfo folder ("Asia" is a folder: IsADirectoryError), and
    "localtime" would be whatever zone the build machine is set to."""
    return {name.lower(): name for name in available_timezones()
            if name != "localtime" and not name.startswith(("posix", "right/"))}


def _zone(checker: FieldReader) -> tuple[str, tzinfo]:
    name = checker.text("timezone", max_len=60) or checker.ctx.default_timezone
    known = known_timezones()
    if known.get(name.lower()) == name or name == checker.ctx.default_timezone:
        return name, ZoneInfo(name)
    if "timezone" in checker.meta:
        right = known.get(name.lower())
        checker.error("timezone", f"未知时区“{shown(name)}”",
                      f"是否想写“{right}”？" if right else f"{_zone_words(checker.ctx.default_timezone)}请删掉这一行，"
                                                           f"或写 timezone: {checker.ctx.default_timezone}")
    return checker.ctx.default_timezone, ZoneInfo(checker.ctx.default_timezone)


def _zone_words(zone: str) -> str:
    """The site's time zone as editors say it (the settings' TIMEZONE)."""
    return "北京时间" if zone == DEFAULT_TIMEZONE else f"本站时间（{zone}）"


def _end(checker: FieldReader, start: date | datetime, zone: tzinfo) -> date | datetime | None:
    value, has_duration = checker.get("end"), checker.get("duration") not in (None, "")
    if value not in (None, "") and has_duration:
        checker.error("duration", "end 和 duration 只能写一个", "删去其中一行")
        return None
    if has_duration:
        return _end_from_duration(checker, start)
    if value in (None, ""):
        if isinstance(start, datetime):
            checker.error("start", "缺少结束时间", '加一行 end: "16:00"（同一天只写时间并加引号），或 duration: 2小时')
            return None
        return start
    raw = checker.raw("end")
    if isinstance(value, int) and not isinstance(value, bool) and _SEXAGESIMAL.fullmatch(raw):
        checker.error("end", f"“{raw}”被 YAML 读成了数字 {value}", f'时间要加英文引号：end: "{raw}"')
        return None
    if isinstance(value, str) and ":" in value and "-" not in value:
        if not isinstance(start, datetime):
            checker.error("end", "全天活动的 end 只能写日期", "写最后一天，例如 end: 2026-05-24；要写时间请在 start 中也写上时间")
            return None
        try:
            return datetime.combine(start.date(), parse_clock(value), start.tzinfo)
        except DateFormatError as exc:
            checker.error("end", exc.message, exc.hint)
            return None
    end = checker.when("end", zone)
    if end is None:
        return None
    if isinstance(start, datetime) != isinstance(end, datetime):
        if isinstance(start, datetime):
            checker.error("end", "开始写了时间，结束只写了日期", "结束也写上时间，例如 end: 2026-12-20 17:00")
        else:
            checker.error("end", "开始只写了日期（全天活动），结束却写了时间",
                          "全天活动的 end 只写最后一天的日期；要写时间请在 start 中也写上时间")
        return None
    return end


def _end_from_duration(checker: FieldReader, start: date | datetime) -> date | datetime | None:
    try:
        span = parse_duration(str(checker.get("duration")))
    except DateFormatError as exc:
        checker.error("duration", exc.message, exc.hint)
        return None
    if isinstance(start, datetime):
        return start + span
    if span % timedelta(days=1):
        checker.error("duration", "全天活动的时长只能是整天", "例如 duration: 3天，或直接写 end: 最后一天")
        return None
    return start + span - timedelta(days=1)


def _check_order(checker: FieldReader, start: date | datetime, end: date | datetime) -> bool:
    if (end < start) if not isinstance(start, datetime) else (end <= start):
        checker.error("end", "结束时间早于（或等于）开始时间",
                      "检查日期是否写反；跨天活动请在 end 中写完整的日期和时间")
        return False
    if end - start > timedelta(days=366):
        checker.error("end", "活动持续超过一年", "长期开放的项目请用 recurrence 写成重复活动")
        return False
    return True


def venue_at(checker: FieldReader, key: str = "venue", label: str = "地点") -> Venue | None:
    """A place: a registered venue by its id (or its registered name), or its name and address
    written out with optional coordinates. The event's ``venue`` and a moved session's read alike."""
    value = checker.get(key)
    if value is None:
        return None
    venues = checker.ctx.registries.venues
    if isinstance(value, str) and venues and (SLUG_PATTERN.fullmatch(value.strip()) or value.strip() in
                                               checker.ctx.names("venues")):
        ident = checker.one_id(key, value, "venues", "场地")  # an id, or a registered name typed
        return venues[ident].venue if ident else None
    leaf = key.rsplit(".", 1)[-1]
    registered = f"；常用场地也可以只写 {checker.ctx.registry_file('venues')} 里的场地编号" if venues else ""
    if isinstance(value, str) and (ident := checker.ctx.former_venue_names().get(value.strip())):
        checker.error(key, f"“{value.strip()}”是场地“{venues[ident].name}”（编号 {ident}）以前的名称",
                      f"这里写场地编号：{leaf}: {ident}（名称、地址和地图用登记的）")
        return None
    if isinstance(value, str):
        checker.error(key, f"{label}要分开写名称和地址",
                      f"在 {leaf}: 下面另起两行，各缩进两个空格，写 name: 场地名称 和 address: 详细地址{registered}")
        return None
    if not isinstance(value, dict):
        checker.error(key, f"{label}格式不对", f"在 {leaf}: 下一行缩进写 name: 和 address:{registered}")
        return None
    checker.unknown_nested(key, NESTED_FIELDS["venue"])
    name = checker.text(f"{key}.name", required=True, max_len=TEXT_LIMITS["venue.name"], one_line=True)
    address = checker.text(f"{key}.address", max_len=TEXT_LIMITS["venue.address"], one_line=True)
    lat, lon = _coordinates(checker, key)
    if name and venues:
        _registered_written_out(checker, key, name)
    return Venue(name, address, lat, lon) if name else None


def registered_venue_id(checker: FieldReader, key: str) -> str:
    """The id of the registered venue a place names by its id ("" for one written out, or unknown)."""
    value = checker.get(key)
    return value.strip() if isinstance(value, str) and value.strip() in checker.ctx.registries.venues else ""


def _registered_written_out(checker: FieldReader, key: str, name: str) -> None:
    """A registered venue written out: by its id as the name (the id would be published as the
    place), or by its registered name (its venue page would not list the event)."""
    leaf = key.rsplit(".", 1)[-1]
    if name in checker.ctx.registries.venues:
        checker.error(f"{key}.name", f"场地名称“{name}”是登记过的场地编号",
                      f"把 {leaf}: 下面的几行换成一行 {leaf}: {name}（名称和地址用 {checker.ctx.registry_file('venues')} 里登记的）")
    elif (ident := checker.ctx.names("venues").get(name)) is not None:
        checker.warn(f"{key}.name", f"“{name}”是登记过的场地（编号 {ident}）",
                     f"写成一行 {leaf}: {ident}，场地页才会列出这个活动，名称和地址也以登记的为准")
    elif (ident := checker.ctx.former_venue_names().get(name)) is not None:  # renamed since
        checker.warn(f"{key}.name", f"“{name}”是场地“{checker.ctx.registries.venues[ident].name}”（编号 {ident}）以前的名称",
                     f"写成一行 {leaf}: {ident}，场地页才会列出这个活动，页面上也是它现在的名称和地址")


def _coordinates(checker: FieldReader, key: str) -> tuple[float | None, float | None]:
    lat, lon = _number(checker, f"{key}.lat"), _number(checker, f"{key}.lon")
    if (checker.get(f"{key}.lat") is None) != (checker.get(f"{key}.lon") is None):  # one not written at all
        checker.error(key, "经纬度要同时填写 lat 和 lon", "补全另一个，或两个都删去")
        return None, None
    if lat is None or lon is None:
        return None, None
    if _in_china(lon, lat):
        checker.error(f"{key}.lat", "纬度和经度写反了", f"应为 lat: {lon} 和 lon: {lat}（在中国，纬度比经度小）")
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        checker.error(f"{key}.lat", f"坐标（{lat}, {lon}）无效", "纬度在 -90 到 90 之间，经度在 -180 到 180 之间")
        return None, None
    if not _in_china(lat, lon):
        checker.warn(f"{key}.lat", f"坐标（{lat}, {lon}）不在中国境内", "请核对经纬度", STRICT_ALWAYS)
    return lat, lon


def _in_china(lat: float, lon: float) -> bool:
    return CHINA_LAT[0] < lat < CHINA_LAT[1] and CHINA_LON[0] < lon < CHINA_LON[1]


def _number(checker: FieldReader, key: str) -> float | None:
    value = checker.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        checker.error(key, f"坐标“{shown(value)}”无效", "写十进制小数，不带单位和“°”")
        return None
    return float(value)


def _registration(checker: FieldReader, zone: tzinfo) -> Registration | None:
    value = checker.get("registration")
    if value is None:
        return None
    if isinstance(value, bool):
        return Registration(required=value)
    if not isinstance(value, dict):
        checker.error("registration", "报名信息格式不对", "在 registration: 下一行缩进写 required: true 等字段")
        return None
    checker.unknown_nested("registration")
    deadline = checker.when("registration.deadline", zone)
    email = checker.email("registration.email")
    registration = Registration(
        required=checker.flag("registration.required"),
        url=checker.url("registration.url"),
        phone=checker.phone("registration.phone"),
        email=email,
        deadline=deadline.date() if isinstance(deadline, datetime) else deadline,
        capacity=checker.integer("registration.capacity", 1, 100_000),
        note=checker.text("registration.note", max_len=TEXT_LIMITS["registration.note"]),
    )
    _sign_up_left_off(checker, registration, "required" in value)
    return registration


def _sign_up_left_off(checker: FieldReader, registration: Registration, written: bool) -> None:
    """Places or a deadline with sign-up not asked for: the page would say 无需报名，直接到场，限 30 人
    (the web form's 需要报名 switch is off until turned on)."""
    if registration.required:
        return
    fix = ("需要报名就把 required 改成 true" if written else "需要报名就在 registration 下加一行 required: true")
    fix += "（网页表单里打开“需要报名”）；不用报名就删去这一行"
    if registration.capacity:
        checker.error("registration.capacity", f"写了名额（限 {registration.capacity} 人），却没有写需要报名，"
                      f"页面会写“无需报名，直接到场，限 {registration.capacity} 人”", fix)
    if registration.deadline:
        checker.error("registration.deadline", "写了报名截止日期，却没有写需要报名", fix)


def _contact(checker: FieldReader) -> Contact | None:
    value = checker.get("contact")
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        checker.unknown_nested("contact")
        contact = Contact(name=checker.text("contact.name", max_len=TEXT_LIMITS["contact.name"]),
                          phone=checker.phone("contact.phone"),
                          email=checker.email("contact.email"))
        return contact if (contact.name or contact.phone or contact.email) else None
    text = checker.phone("contact") if isinstance(value, int) else checker.text("contact", max_len=TEXT_LIMITS["contact"], one_line=True)
    return Contact(text=text) if text else None


def _status(checker: FieldReader) -> str:
    value = checker.text("status", max_len=40)
    if not value:
        return "scheduled"
    status = STATUS_ALIASES.get(value, value.lower())
    if status not in STATUSES:
        checker.error("status", f"未知的状态“{shown(value)}”",
                      "只能写 scheduled（正常）、cancelled（已取消）、postponed（延期）或 full（名额已满）")
        return "scheduled"
    return status


def _age(checker: FieldReader) -> tuple[int | None, int | None]:
    value = checker.get("age")
    if value is None or value == "":
        return None, None
    if isinstance(value, dict):
        low = checker.integer("age.min", 0, 120)
        high = checker.integer("age.max", 0, 120)
    elif isinstance(value, int) and not isinstance(value, bool):
        low, high = value, None
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()  # ６－１２ typed with a Chinese input method
        if match := _AGE_RANGE.fullmatch(text):
            low, high = int(match[1]), int(match[2])
        elif match := _AGE_MIN.fullmatch(text):
            low, high = int(match[1]), None
        elif match := _AGE_MAX.fullmatch(text):
            low, high = None, int(match[1])
        else:
            checker.error("age", f"无法识别的年龄“{shown(text)}”", '例如 age: "6-12"（6 到 12 岁）或 age: "60+"（60 岁以上）')
            return None, None
    if low is not None and high is not None and low > high:
        checker.error("age", "最小年龄大于最大年龄", '例如 age: "6-12"')
        return None, None
    return low, high


def _dates_list(checker: FieldReader, key: str, start: date | datetime,
                zone: tzinfo) -> list[tuple[str, date | datetime]]:
    """Each readable date of an exdates/rdates list, with the name its problems are reported on."""
    value = checker.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    found = []
    for index, item in enumerate(items):
        name = f"{key}[{index}]" if isinstance(value, list) else key
        if not isinstance(item, str):
            checker.error(name, f"“{shown(item)}”不是日期", "例如 [2026-12-26, 2027-01-02]")
            continue
        try:
            moment = as_local(parse_when(item), zone)
        except DateFormatError as exc:
            checker.error(name, exc.message, exc.hint)
            continue
        if not isinstance(start, datetime) and isinstance(moment, datetime):
            checker.error(name, "全天重复活动的例外日期只写日期", f"写成 {moment.date().isoformat()}")
            continue
        found.append((name, moment))
    return found


def _ordered(named: list[tuple[str, date | datetime]], zone: tzinfo) -> tuple:
    return tuple(sorted({moment for _, moment in named}, key=lambda d: (
        d if isinstance(d, datetime) else datetime.combine(d, time(), zone))))


def _recurrence(checker: FieldReader, start: date | datetime, zone: tzinfo) -> Recurrence | None:
    value = checker.get("recurrence")
    if value is None:
        return None
    if isinstance(value, str):
        value = {"rrule": value}
        checker.meta["recurrence"] = value
    if not isinstance(value, dict):
        checker.error("recurrence", "重复规则格式不对", "在 recurrence: 下一行缩进写 rrule: FREQ=WEEKLY;BYDAY=SA")
        return None
    checker.unknown_nested("recurrence", (*NESTED_FIELDS["recurrence"], "from"))
    if "from" in value:
        checker.error("recurrence.from", "from 要写在 sessions 下面的一项里，写在这里不起作用",
                      "写成\n  sessions:\n    - from: 停办后的第一场\n      status: cancelled\n      note: 原因")
    text = checker.text("recurrence.rrule", required=True, max_len=300)
    if not text:
        return None
    if _CHINESE.search(text):
        checker.error("recurrence.rrule", f"rrule 要写成规则代码，不能直接写中文“{shown(text)}”", _rule_hint(text))
        return None
    try:
        rule = normalize_rule(text, start, zone)
    except RecurrenceError as exc:
        checker.error("recurrence.rrule", exc.message, exc.hint)
        return None
    named_exdates = _dates_list(checker, "recurrence.exdates", start, zone)
    named_rdates = _dates_list(checker, "recurrence.rdates", start, zone)
    exdates, rdates = _ordered(named_exdates, zone), _ordered(named_rdates, zone)
    if exdates and not rdates and first_occurrence(rule, start, zone, exdates) is None:
        checker.error("recurrence.exdates", "重复规则的每一次活动都被 exdates 排除了，活动没有任何日期",
                      "删去多余的 exdates；活动取消请写 status: cancelled")
        return None
    start_on_rule(checker, rule, start, zone, rdates)
    extra_dates(checker, rule, start, zone, named_exdates, named_rdates)
    sessions, stop = read_sessions(checker, start, zone, exdates)
    refused = sessions_on_rule(checker, rule, start, zone, rdates, sessions)
    if stop is not None and sessions_on_rule(checker, rule, start, zone, rdates, dict([stop]), "from"):
        stop = None
    session_facts(checker, {key: change for key, change in sessions.items() if key not in refused}, stop)
    if stop is not None and str(checker.get("status") or "").strip().lower() in CANCEL_WORDS:
        checker.error(f"{stop[0]}.from", "整个活动写了 status: cancelled，又写了从某一场起停办",
                      "二选一：已经举办过、从这一场起不办了，就删去 status 和 status_note；整个活动都没办，就删去这一项")
    if stop is None:
        return Recurrence(rule, exdates, rdates, tuple(sessions.values()))
    rule, rdates, stopped = stop_series(rule, start, zone, exdates, rdates, stop[1])
    return Recurrence(rule, exdates, rdates, (*sessions.values(), *stopped), stop=stop[1])


_CHINESE = re.compile(r"[\u3400-\u9fff]")
_WEEKDAY_CODES = "星期几用英文缩写：周一 MO、周二 TU、周三 WE、周四 TH、周五 FR、周六 SA、周日 SU，例如 BYDAY=SA"


def _rule_hint(text: str) -> str:
    """The code for a rule written in words (what ``new-event`` accepts), or how weekdays are written."""
    if "=" in text:
        return _WEEKDAY_CODES if re.search("周|星期", text) else (
            "规则代码里只写英文、数字、=、; 和 -，例如 FREQ=WEEKLY;BYDAY=SA;UNTIL=2027-01-30")
    try:
        rule = parse_repeat(text)
    except RecurrenceError:
        rule = None
    if not rule:
        return _WEEKDAY_CODES
    return f"写成 rrule: {rule}（{text}）；有最后一天的加上 ;UNTIL=2027-01-30"


def image_alt(checker: FieldReader, image: str) -> str:
    """image_alt: what a screen reader says for the picture, asked for when there is one."""
    alt = checker.text("image_alt", max_len=TEXT_LIMITS["image_alt"])
    if image and not alt:
        checker.warn("image", "配图没有文字说明（image_alt）",
                     "加一行 image_alt: 图上是什么，例如 孩子们在做电路实验：看不见图片的居民，读屏软件读的就是这句话")
    return alt


def image_path(checker: FieldReader, key: str) -> str:
    value = checker.text(key, max_len=300)
    if not value:
        return ""
    path = PurePosixPath(value.replace("\\", "/").lstrip("/"))
    if value.startswith(("http://", "https://", "//")):
        checker.error(key, "配图必须放在本站，不能引用外部网址", "把图片保存到 content/images/ 下，写 image: images/文件名.jpg")
        return ""
    if ".." in path.parts or path.suffix.lower() not in IMAGE_SUFFIXES:
        checker.error(key, f"图片路径“{shown(value)}”无效", "写 content/ 下的相对路径，例如 image: images/events/dianlu.jpg（jpg/png/webp/svg）")
        return ""
    folder = checker.ctx.images
    if path.parts[0] != folder:
        checker.error(key, f"配图“{shown(value)}”不在 {folder}/ 文件夹里，网站只发布 content/{folder}/ 下的图片",
                      f"把图片移到 content/{folder}/ 下，写 image: {folder}/{path.name}")
        return ""
    if _URL_UNSAFE.search(str(path)):
        checker.error(key, f"配图路径“{shown(value)}”里有 ?、#、% 等不能用在网址里的字符",
                      "给图片文件改个名字，只用字母、数字、短横线和汉字")
        return ""
    if not checker.ctx.has_file(path):
        checker.error(key, f"找不到图片 content/{path}", "检查文件名和大小写，或把图片放到这个位置")
        return ""
    return web_name(str(path))  # where the site publishes it (an iPhone photo as .jpg)


_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'\s(src|alt)="([^"]*)"')
# A picture written as a file path (as the front matter's image:, Pelican's {static}, content/…).
_FILE_PATH = re.compile(r"^(?:\{(?:static|attach)\}/?|\.?/|/?content/)*")


def _images(html_text: str) -> dict[str, str]:
    """Each body picture's src as written, with its alt text (the first, when one is shown twice)."""
    found: dict[str, str] = {}
    for tag in _IMG.findall(html_text):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if "src" in attributes:
            found.setdefault(attributes["src"], htmllib.unescape(attributes.get("alt", "")))
    return found


def body_image_problems(doc: SourceDoc, html_text: str, ctx: ValidationContext) -> list[Problem]:
    """Pictures in a body that the site would show broken: a file that is not in content/images/
    (a typo, the wrong case, a missing upload), or an address outside the images folder; and
    pictures without words for a screen reader (reminders)."""
    problems, wordless = [], []
    folder = ctx.images
    for src, alt in _images(html_text).items():
        if not alt.strip():
            line = _body_line(doc, src)
            written = doc.body.split("\n")[line - doc.body_line] if line >= doc.body_line else ""
            how = ('在 <img> 里加上 alt="图上是什么"，例如 <img src="…" alt="孩子们在做电路实验">' if "<img" in written
                   else "写在方括号里：![图上是什么](地址)，例如 ![孩子们在做电路实验](/images/…)")
            wordless.append(Problem(doc.path, line, "正文", f"正文里的图片 {shown(src)} 没有文字说明",
                                    f"{how}：看不见图片的居民，读屏软件读的就是这句话", WARNING))
        target = unquote(htmllib.unescape(src))
        path = PurePosixPath(target.lstrip("/"))
        if target.startswith("/") and path.parts[:1] == (folder,) and ".." not in path.parts:
            if ctx.has_file(path):
                continue
            message, hint = f"正文里的图片 {shown(target)} 不存在", "检查文件名和大小写（网址区分大小写），或把图片放到 content/" + str(path)
        else:
            message = f"正文里的图片 {shown(target)} 不在本站的 /{folder}/ 下，网页上会显示不出来"
            meant = PurePosixPath(_FILE_PATH.sub("", target))
            if meant.parts[:1] == (folder,) and ctx.has_file(meant):
                hint = f"站内的图片地址以 / 开头：写成 ![{alt or '说明'}](/{meant})"
            else:
                hint = f"把图片放到 content/{folder}/ 下，写成 ![说明](/{folder}/文件名.jpg)"
        problems.append(Problem(doc.path, _body_line(doc, src), "正文", message, hint))
    return problems + wordless


_ANCHOR = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)
# Words that read as a web address: with its scheme, or www., or a common ending (not "Node.js").
_ADDRESS_WORDS = re.compile(r"(?:(?:https?://)((?:[a-z0-9-]+\.)+[a-z]{2,})|((?:www\.)(?:[a-z0-9-]+\.)+[a-z]{2,})"
                            r"|((?:[a-z0-9-]+\.)+(?:cn|com|net|org|gov|edu)))(?::\d+)?(?:[/?#]\S*)?", re.I)


def _site(host: str) -> str:
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def _same_site(said: str, opened: str) -> bool:
    """The same site, or a part of the one named (bilibili.com → space.bilibili.com, v.qq.com →
    m.v.qq.com); not a site whose name merely contains it (www.gov.cn.example.net)."""
    return said == opened or opened.endswith("." + said) or said.endswith("." + opened)


def body_link_problems(doc: SourceDoc, html_text: str) -> list[Problem]:
    """Links in a body whose words are a web address on another site than the one they open: a
    resident reads the words (www.gov.cn) and trusts where the link goes."""
    problems = []
    for href, words in _ANCHOR.findall(html_text):
        said = _ADDRESS_WORDS.fullmatch(htmllib.unescape(re.sub(r"<[^>]+>", "", words)).strip())
        target = urlsplit(htmllib.unescape(href))
        if not said or target.scheme not in ("http", "https") or not target.hostname:
            continue
        named = next(group for group in said.groups() if group)
        if not _same_site(_site(named), _site(target.hostname)):
            problems.append(Problem(
                doc.path, _body_line(doc, htmllib.unescape(href)), "正文",
                f"链接文字写的是 {named.lower()}，点开却是另一个网站 {target.hostname}",
                f"链接文字写成它真正打开的网址，或者写成说明文字，例如 [报名页]({target.scheme}://{target.hostname}/…)"))
    return problems


def body_problems(doc: SourceDoc, html_text: str, ctx: ValidationContext) -> list[Problem]:
    """What the check finds in a body: its pictures, then its links."""
    return body_image_problems(doc, html_text, ctx) + body_link_problems(doc, html_text)


def _body_line(doc: SourceDoc, src: str) -> int:
    for variant in (src, htmllib.unescape(src), unquote(htmllib.unescape(src))):
        for number, line in enumerate(doc.body.split("\n")):
            if variant in line:
                return doc.body_line + number
    return doc.body_line


def tag_list(checker: FieldReader) -> tuple[str, ...]:
    value = checker.get("tags")
    if value is None or value == "":
        return ()
    if isinstance(value, dict):
        checker.error("tags", "标签应是文字", "例如 tags: [电路, 动手实验]")
        return ()
    items = value if isinstance(value, list) else re.split(r"[,，、]", str(value))
    if len(items) > MAX_TAGS:
        checker.error("tags", f"标签太多（{len(items)} 个，上限 {MAX_TAGS} 个）", "只保留最重要的几个关键词")
        return ()
    tags = []
    for index, item in enumerate(items):
        key = f"tags[{index}]" if isinstance(value, list) else "tags"
        if isinstance(item, (dict, list, bool)):
            checker.error(key, "标签应是文字", "例如 tags: [电路, 动手实验]")
            continue
        text = str(item).strip()
        if len(text) > MAX_TAG:
            checker.error(key, f"标签太长（{len(text)} 字，上限 {MAX_TAG} 字）", "标签是简短的关键词，例如 tags: [电路, 动手实验]")
            continue
        if text and text not in tags:
            tags.append(text)
    return tuple(tags)


def _unknown_fields(checker: FieldReader) -> None:
    for key in checker.meta:
        if not isinstance(key, str):
            checker.error(str(key), f"字段名“{shown(key)}”无效", "字段名用英文，例如 title、start")
            continue
        if key in EVENT_FIELDS:
            continue
        guess = FIELD_ALIASES.get(key) or FIELD_ALIASES.get(key.lower()) or closest(key[:MAX_SLUG], EVENT_FIELDS)
        hint = f"是否想写“{guess}”？" if guess else "字段说明见 docs/front-matter.md；不需要的话删去这一行"
        checker.warn(key, f"未知字段“{shown(key)}”，将被忽略", hint, STRICT_ALWAYS)


def slug_problem(path: str) -> Problem | None:
    """The file name is the slug: ASCII, lower case, hyphenated."""
    stem = PurePosixPath(path).stem
    if SLUG_PATTERN.fullmatch(stem) and len(stem) <= MAX_SLUG:
        return None
    hint = "只用小写英文字母、数字和短横线，例如 zhoumo-tongxuehui-dianlu.md"
    if stem.lower() != stem and SLUG_PATTERN.fullmatch(stem.lower()):
        hint = f"改为小写：{stem.lower()}.md"
    elif "_" in stem or " " in stem:
        fixed = re.sub(r"[_\s]+", "-", stem.lower()).strip("-")
        if SLUG_PATTERN.fullmatch(fixed):
            hint = f"把下划线和空格换成短横线：{fixed}.md"
    message = f"文件名“{shown(stem)}”不能用作网址" if len(stem) <= MAX_SLUG else f"文件名太长（{len(stem)} 个字符，上限 {MAX_SLUG}）"
    return Problem(path, 0, "", message, hint)


def validate_event(doc: SourceDoc, ctx: ValidationContext, body_html: str = "") -> tuple[Event | None, list[Problem]]:
    """Check every field; return the Event (None if any error) and all problems."""
    checker = FieldReader(doc, ctx)
    _unknown_fields(checker)
    for key in REQUIRED_FIELDS:
        value = checker.get(key)
        if isinstance(value, str) and value and not value.strip():  # a form's blank answer
            checker.only_spaces(key)
        elif value in (None, "", []) and key not in ("categories", "audiences", "start"):
            checker.error(key, "必填字段缺失或为空", _required_hint(key, ctx))
    title = checker.text("title", max_len=MAX_TITLE, one_line=True)
    tz_name, zone = _zone(checker)
    start = checker.when("start", zone, required=True)
    night_start(checker, start)
    end = _end(checker, start, zone) if start is not None else None
    if start is not None and end is not None and not _check_order(checker, start, end):
        end = None
    street = checker.one_id("street", checker.get("street"), "streets", "街镇") if checker.get("street") else ""
    team = checker.one_id("team", checker.get("team"), "teams", "志愿服务队") if checker.get("team") else ""
    venue, online = venue_at(checker), checker.url("online")
    # A key left empty (a web form's field cleared: online: "") says nothing; a value written
    # wrong has its own message.
    if venue is None and not online and "venue" not in checker.meta and _empty(checker, "online"):
        checker.error("venue", "缺少活动地点", "写 venue:（名称和地址），线上活动写 online: 直播链接")
    status = _status(checker)
    previous = checker.when("previous_start", zone)
    if status == "postponed" and previous is None and _empty(checker, "previous_start"):
        # Postponed, new date to be announced: start stays the original date, status_note says why.
        if str(checker.get("status_note") or "").strip():
            checker.warn("status", f"没有写原定时间，网站将显示“{STATUS_LABELS['postponed']}（{TO_BE_ANNOUNCED}）”",
                         "新时间定了以后：start 改成新的时间，再加一行 previous_start: 原定的开始时间")
        else:
            checker.error("status", "延期活动需要写原定时间",
                          "已定新时间：加一行 previous_start: 原定的开始时间，start 写新的时间；"
                          "新时间待定：start 保留原定时间，加一行 status_note: 延期原因")
    if previous is not None and status != "postponed":
        checker.warn("previous_start", "只有改期的活动才需要 previous_start",
                     "如果活动改到了新的时间，请写 status: postponed", STRICT_ALWAYS)
    _status_facts(checker, status, previous, start)
    recurrence = _recurrence(checker, start, zone) if start is not None else None
    updated = checker.when("updated", zone)
    if updated is not None and not isinstance(updated, datetime):
        updated = datetime.combine(updated, time(), zone)
    _updated_not_ahead(checker, updated)
    report = checker.text("report", max_len=MAX_SLUG)
    if report and ctx.article_slugs is not None and report not in ctx.article_slugs:
        checker.error("report", f"找不到文件名为“{report}”的新闻",
                      did_you_mean(report, ctx.article_slugs) or "填写 content/articles/ 下新闻的文件名（不含 .md）")
    age_min, age_max = _age(checker)
    fields = dict(
        summary=checker.text("summary", max_len=TEXT_LIMITS["summary"]),
        **_community(checker),
        venue=venue,
        online=online,
        age_min=age_min,
        age_max=age_max,
        registration=_registration(checker, zone),
        cost=_cost(checker),
        status=status,
        status_note=checker.text("status_note", max_len=TEXT_LIMITS["status_note"]),
        previous_start=previous,
        recurrence=recurrence,
        image=(image := image_path(checker, "image")),
        image_alt=image_alt(checker, image),
        tags=tag_list(checker),
        accessibility=checker.text("accessibility", max_len=TEXT_LIMITS["accessibility"]),
        contact=_contact(checker),
        featured=checker.flag("featured"),
        draft=checker.flag("draft"),
        updated=updated,
        attendance=checker.integer("attendance", 0, 10_000_000),
        report=report,
        sequence=checker.integer("sequence", 0, 10_000) or 0,
        external_id=checker.text("external_id", max_len=MAX_EXTERNAL_ID),
    )
    _way_to_register(checker, fields["registration"], fields["contact"])
    categories = checker.ids("categories", "categories", "活动类型")
    audiences = checker.ids("audiences", "audiences", "服务对象")
    fields.update(_entity_refs(checker, start, end, fields["community_id"]))
    slug_issue = slug_problem(doc.path)
    if slug_issue:
        checker.problems.append(slug_issue)
    _check_folder(checker, street)
    checker.problems.extend(body_problems(doc, body_html, ctx))
    if any(p.is_error for p in checker.problems) or start is None or end is None:
        return None, checker.problems
    event = Event(slug=PurePosixPath(doc.path).stem, source_path=doc.path, title=title,
                  start=start, end=end, all_day=not isinstance(start, datetime), timezone=tz_name,
                  street=street, team=team, categories=categories, audiences=audiences,
                  body_html=web_addresses(body_html), **fields)
    new_event_over(checker, event)
    late_deadline(checker, event)
    overlapping_sessions(checker, event)
    moved_onto_another(checker, event)
    early_attendance(checker, event)
    closed_venue(checker, event)
    _all_day_with_hours(checker, event, doc.body)
    if any(p.is_error for p in checker.problems):
        return None, checker.problems
    return event, checker.problems


# 10:00-16:00, 9:00—16:30, 上午9：00至11：30: a time of day, a dash or 至/到, another.
_HOURS = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:：][0-5]\d\s*[-–—~～至到]\s*(?:[01]?\d|2[0-3])[:：][0-5]\d(?!\d)")


def _all_day_with_hours(checker: FieldReader, event: Event, body: str) -> None:
    """A one-day event written as all day whose summary or text gives hours: shown as on until
    midnight (never 已结束 that afternoon), and as all day in calendars. (The hours found may be a
    part of the day, a lunch break: the hint does not copy them.)"""
    if not event.all_day or event.end != event.start:
        return
    found = _HOURS.search(event.summary) or _HOURS.search(body)
    if found is None:
        return
    checker.warn("start", f"活动写的是全天，介绍里却写着 {found[0]}：页面和日历会一直显示到当天夜里",
                 f"活动有开放时间的，写 start: {event.start.isoformat()} 开始时间（例如 09:00）和 end: \"结束时间\"，"
                 "到点页面就显示已结束；确实全天的，不用改")


# 已取消 with no reason: residents ask why, and whether it will be held again (a reminder: a
# cancellation must not wait for its wording).
CANCELLED_WITHOUT_WHY = ("取消了，但没有写原因",
                         "{}: 取消原因，例如“场地检修，下周照常”；居民看到“已取消”，最想知道为什么、以后还办不办")


def _empty(checker: FieldReader, key: str) -> bool:
    """Whether ``key`` is absent, or present with nothing in it."""
    value = checker.meta.get(key)
    return value is None or (isinstance(value, str) and not value.strip())


def _status_facts(checker: FieldReader, status: str, previous: date | datetime | None,
                  start: date | datetime | None) -> None:
    """What a status would make the page say wrongly: 改期 from a time to the same time; a note
    beside 正常举办, which no page shows (a web form's status left as it was); and what it would
    leave unsaid: 已取消 without why."""
    if status == "postponed" and previous is not None and previous == start:
        checker.error("previous_start", "原定开始时间和现在的开始时间相同",
                      "改期后 start 写新的时间、previous_start 写原来的时间；新时间还没定，删去 previous_start，"
                      "写 status_note 说明")
    if status == "postponed" and previous is not None and previous != start:
        _note_still_waiting(checker)
    if status == "scheduled" and str(checker.get("status_note") or "").strip():
        checker.warn("status_note", "正常举办的活动不显示状态说明",
                     "活动取消、改期或名额已满时，改 status 再写说明；其他说明写进活动介绍", STRICT_ALWAYS)
    if status == "cancelled" and _empty(checker, "status_note"):
        checker.warn("status", CANCELLED_WITHOUT_WHY[0], CANCELLED_WITHOUT_WHY[1].format("加一行 status_note"))


# 新时间另行通知, 具体日期待定, 时间未定…: not 如有变化另行通知 (said of any event).
_WAITING_WORDS = re.compile(r"[，,。；;、\s]*(?:新的?|具体|活动)?(?:时间|日期)(?:另行|再行|另|待)(?:通知|公布|告知|安排|确定|定)"
                            r"|[，,。；;、\s]*(?:新的?|具体)?(?:时间|日期)(?:未定|还没定|没有定)")


def _note_still_waiting(checker: FieldReader) -> None:
    """An event given its new date whose note still says the date is to come (written when it had
    none): the page would say 现改为 X and 新时间另行通知 side by side."""
    note = str(checker.get("status_note") or "")
    found = _WAITING_WORDS.search(note)
    if not found:
        return
    rest = _WAITING_WORDS.sub("", note).strip("，,。；;、 ")
    checker.warn("status_note", f"状态说明还写着“{found[0].strip('，,。；;、 ')}”，可活动已经改到了新的时间，页面两句话会对不上",
                 f"改写状态说明，只留延期的原因（例如“{rest}”），或删去这一行" if rest else "改写状态说明，或删去这一行")


def _way_to_register(checker: FieldReader, registration: Registration | None, contact: Contact | None) -> None:
    """需要报名 with no link, phone, e-mail or contact: residents are told to register and not how."""
    if registration is None or not registration.required:
        return
    written = any(checker.get(f"registration.{key}") not in (None, "") for key in ("url", "phone", "email"))
    if not (written or contact):  # one written but refused has its own message
        checker.warn("registration", "需要报名，却没有写怎么报名",
                     "在 registration 下写报名链接 url、电话 phone 或邮箱 email（或写 contact 联系方式）", STRICT_ALWAYS)


def _updated_not_ahead(checker: FieldReader, updated: datetime | None) -> None:
    """``updated`` after the check's day: calendars would carry a change time from the future,
    and when it is corrected the time goes back, which calendar apps take for no change."""
    review = checker.ctx.review
    if updated is not None and review is not None and updated.date() > review.today + timedelta(days=1):
        checker.error("updated", f"修改时间 {format_datetime(updated)} 在今天之后",
                      "写这次修改的时间，或删去 updated 这一行（日历会用提交的时间）")


def _community(checker: FieldReader) -> dict[str, str]:
    """``community:`` is an id of communities.yml once the site has that file (a name typed
    instead is refused with the id to write); a site without it keeps free text."""
    registries = checker.ctx.registries
    if "communities" not in registries.declared:
        return {"community": checker.text("community", max_len=100), "community_id": ""}
    value = checker.get("community")
    if value is None or value == "":
        return {"community": "", "community_id": ""}
    ident = checker.one_id("community", value, "communities", "社区或村")
    if ident:
        _community_street(checker, registries.communities[ident])
    return {"community": registries.communities[ident].name if ident else "", "community_id": ident}


def _community_street(checker: FieldReader, community) -> None:
    """A community of another street than the event's: listed on one's page and not the other's."""
    street = checker.get("street")
    streets = checker.ctx.registries.streets
    if isinstance(street, str) and street in streets and community.street in streets and community.street != street:
        checker.warn("community", f"“{community.name}”属于{streets[community.street].name}，"
                                  f"不是这个活动的街镇（{streets[street].name}）",
                     "检查 street 和 community 是否写对", STRICT_ALWAYS)


def _entity_refs(checker: FieldReader, start: date | datetime | None, end: date | datetime | None,
                 community: str) -> dict[str, Any]:
    """Programmes, campaigns and speakers by id; a registered venue (and the community it is in)."""
    registries = checker.ctx.registries
    venue_id = registered_venue_id(checker, "venue")
    named = {}
    if venue_id and not community and "community" not in checker.meta:
        community = registries.venues[venue_id].community
        if community in registries.communities:  # a registered venue says where it is
            named = {"community": registries.communities[community].name}
    campaigns = checker.ids("campaigns", "campaigns", "主题活动", required=False)
    if start is not None and end is not None:
        _campaign_dates(checker, campaigns, _as_day(start), _as_day(end))
    return {**named, "venue_id": venue_id, "community_id": community,
            "programmes": checker.ids("programmes", "programmes", "项目", required=False),
            "campaigns": campaigns, "speakers": checker.ids("speakers", "people", "专家", required=False)}


def _as_day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _campaign_dates(checker: FieldReader, campaigns: tuple[str, ...], first: date, last: date) -> None:
    """An event listed under a campaign but held outside its window: almost surely the wrong id or date."""
    if checker.get("recurrence") is not None:
        return  # a series may run on before and after the campaign week
    for position, ident in enumerate(campaigns):
        campaign = checker.ctx.registries.campaigns[ident]
        if not campaign.touches(first, last):
            key = f"campaigns[{position}]" if isinstance(checker.get("campaigns"), list) else "campaigns"
            checker.warn(key, f"活动日期不在“{campaign.name}”期间（{format_day_short(campaign.start)}至{format_day_short(campaign.end)}）",
                         "检查活动日期，或删去这个主题活动编号", STRICT_ALWAYS)


def _cost(checker: FieldReader) -> str:
    value = checker.get("cost")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "免费" if value == 0 else f"{checker.raw('cost') or value} 元"
    return checker.text("cost", max_len=TEXT_LIMITS["cost"], one_line=True) or "免费"


def _required_hint(key: str, ctx: ValidationContext) -> str:
    examples = {
        "title": "加一行 title: 活动名称",
        "street": "加一行 street: 街镇编号" + (f"，例如 street: {next(iter(ctx.registries.streets))}" if ctx.registries.streets else ""),
        "team": f"加一行 team: 队伍编号，例如 team: {next(iter(ctx.registries.teams), 'team')}",
    }
    return examples.get(key, f"加一行 {key}: …")


def _check_folder(checker: FieldReader, street: str) -> None:
    """Events live in their street's folder (events/<street>/…): the folder decides who reviews a
    change (CODEOWNERS), so a file in another street's folder, or in a folder that is no street
    (a district's leftover sample, a typo), goes to the wrong reviewers or to none."""
    parts = PurePosixPath(checker.doc.path).parts
    events = checker.ctx.events
    if events not in parts or not street:
        return
    at = len(parts) - 1 - parts[::-1].index(events)
    folder = parts[at + 1] if len(parts) > at + 2 else ""
    if not folder or folder == street:
        return
    move = f"把文件移到 {'/'.join(parts[:at + 1])}/{street}/ 下"
    if folder in checker.ctx.registries.streets:
        checker.warn("street", f"文件放在 {folder} 文件夹，street 却写的是 {street}",
                     f"{move}，或改正 street（这个文件夹的审核人会收到修改请求）", STRICT_ALWAYS)
    else:
        checker.warn("street", f"文件放在 {folder} 文件夹，它不是登记过的街镇编号",
                     f"{move}（按街镇分文件夹，这个街镇的编辑才会收到审核请求）", STRICT_ALWAYS)
