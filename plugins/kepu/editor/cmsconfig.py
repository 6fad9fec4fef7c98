"""The web editor's (Decap CMS, /admin/) configuration, generated from the registries and settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from kepu.content.datechecks import NIGHT_ENDS, NIGHT_FIELD
from kepu.content.model import STATUS_LABELS, Registries
from kepu.content.sessions import CANCEL_WORDS, MAX_MOVE_DAYS, SESSION_TEXT_LIMITS
from kepu.content.validation import (
    _ADDRESS_WORDS,
    _AGE_MAX,
    _AGE_MIN,
    _AGE_RANGE,
    _BOOL_WORDS,
    _EMAIL,
    _PHONE,
    _URL_WIDE,
    CHINA_LAT,
    CHINA_LON,
    DEFAULT_TIMEZONE,
    MAX_TITLE,
    STATUS_ALIASES,
    TEXT_LIMITS,
)
from kepu.editor.copyevent import DROPPED
from kepu.formats.phones import _EXTENSION_WORD

# Backends whose pull requests carry the editorial workflow (草稿 → 待审核 → 可发布). Decap's
# gitea backend commits directly; Forgejo's has the workflow. Gitee has no Decap backend at all.
WORKFLOW_BACKENDS = ("github", "gitlab", "forgejo", "proxy")
STATUS_CHOICES = ("scheduled", "full", "postponed", "cancelled")
# No space, Chinese punctuation or full-width character (the check's _URL_WIDE): a link pasted with
# the sentence's comma after it was published broken.
URL_PATTERN = [rf"^https?://[^\s{_URL_WIDE.pattern[1:-1]}]+$",
               "网址要以 http:// 或 https:// 开头，中间不能有空格、中文标点或全角字符（复制时常把后面的“，”一起带进来），"
               "例如 https://example.cn/baoming"]
# The sign-up link's: a volunteer typed the sign-up phone into it (the message named only web addresses).
SIGN_UP_URL_PATTERN = [URL_PATTERN[0], URL_PATTERN[1] + "。报名电话请写在下面的“报名电话”里，这一栏只写网址"]
PHONE_PATTERN = [
    rf"^{_PHONE.pattern}(\s*[(（]?\s*{_EXTENSION_WORD}\s*[:：]?\s*[0-9]{{1,6}}\s*[)）]?)?$",
    "电话只能有数字、空格、-、+ 和括号；分机写成“0123-2530 0000 转 123”"]
EMAIL_PATTERN = [rf"^{_EMAIL.pattern}$", "只写一个邮箱地址，例如 kepu@example.cn"]
AGE_PATTERN = [f"^(?:{_AGE_RANGE.pattern}|{_AGE_MIN.pattern}|{_AGE_MAX.pattern})$",
               "例如 6-12（6 到 12 岁）、60+（60 岁以上）、12岁以下"]
# A switch's words the check reads as true (FieldReader.flag); PyYAML also reads yes and on as true,
# which Decap's YAML 1.2 parser hands the form as text.
TRUE_WORDS = sorted({word for word, value in _BOOL_WORDS.items() if value} | {"yes", "on"})
# One character as the check counts it: the browser's patterns count UTF-16 units, an emoji two.
CHARACTER = r"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S])"
TITLE_PATTERN = [rf"^(?=[\s\S]*\S){CHARACTER}{{1,{MAX_TITLE}}}$", f"名称要有文字（不能只有空格），不超过 {MAX_TITLE} 个字"]


@dataclass(frozen=True, slots=True)
class CmsSite:
    """Where the editor saves: the repository's content folder, the Git host, the site's address."""

    content: str = "content"  # the content folder, relative to the repository root
    events: str = "events"
    articles: str = "articles"
    pages: str = "pages"
    images: str = "images"
    backend: dict[str, Any] = field(default_factory=lambda: {"name": "github", "repo": "", "branch": "main"})
    workflow: bool = True
    site_url: str = ""
    timezone: str = DEFAULT_TIMEZONE  # the settings' TIMEZONE: the form's clock (the admin page carries it)


def _choices(items: dict[str, Any]) -> list[dict[str, str]]:
    return [{"label": item.name, "value": ident} for ident, item in items.items()]


def _team_choices(registries: Registries) -> list[dict[str, str]]:
    streets = registries.streets
    return [{"label": f"{team.name}（{streets[team.street].name}）" if team.street in streets else team.name,
             "value": ident} for ident, team in registries.teams.items()]


def _limit(key: str) -> dict[str, Any]:
    """The check's longest text for ``key`` (TEXT_LIMITS) as the form's own refusal, before saving."""
    limit = TEXT_LIMITS[key]
    return {"pattern": [rf"^{CHARACTER}{{0,{limit}}}$", f"不超过 {limit} 字"]}


def _text(name: str, label: str, hint: str = "", required: bool = False, **extra: Any) -> dict[str, Any]:
    found = {"name": name, "label": label, "widget": "string", "required": required, **extra}
    if hint:
        found["hint"] = hint
    return found


def _select(name: str, label: str, options: list, multiple: bool = False, required: bool = True,
            hint: str = "") -> dict[str, Any]:
    found = {"name": name, "label": label, "widget": "select", "options": options, "required": required}
    if multiple:
        found.update(multiple=True, min=1)
    if hint:
        found["hint"] = hint
    return found


def _optional(name: str, label: str, items: dict[str, Any], hint: str) -> list[dict[str, Any]]:
    """A drop-down of an optional registry (programmes, campaigns, people) when the site has one."""
    if not items:
        return []
    return [{"name": name, "label": label, "widget": "select", "options": _choices(items), "multiple": True,
             "required": False, "hint": hint}]


def _community(registries: Registries) -> dict[str, Any]:
    """Once the site has communities.yml, ``community`` is one of its ids: a drop-down; else free text."""
    if not registries.communities:
        return _text("community", "社区或村")
    options = [{"label": f"{c.name}（{registries.streets[c.street].name}）" if c.street in registries.streets
                else c.name, "value": ident} for ident, c in registries.communities.items()]
    return {"name": "community", "label": "社区或村", "widget": "select", "options": options, "required": False,
            "hint": "活动在哪个社区或村；不在某个社区的不选"}


def _when(name: str, label: str, hint: str, required: bool = False, **options: Any) -> dict[str, Any]:
    """A date with an optional time, shown with its weekday (the kepu-when widget of kepu-cms.js)."""
    return {"name": name, "label": label, "widget": "kepu-when", "required": required, "hint": hint, **options}


def _image(prefix: str, folder: str, kept_with: str) -> list[dict[str, Any]]:
    """The picture of an entry, uploaded into ``<content>/<folder>`` and written as ``<folder>/name``;
    ``kept_with``: whose pictures share that folder, as the hint tells the volunteer."""
    return [
        {"name": "image", "label": "配图", "widget": "image", "required": False, "choose_url": False,
         "media_folder": f"/{prefix}{folder}", "public_folder": folder,
         "hint": f"照片会和{kept_with}放在一起；横图效果最好"},
        _text("image_alt", "配图说明", "一句话说明图里是什么，给看不见图的读者（读屏软件）", **_limit("image_alt")),
    ]


def registered_venues(registries: Registries) -> list[dict[str, str]]:
    """venues.yml as the form lists it (the place field, and a moved session's new place), with a
    renamed venue's former names: a volunteer looks for it by the name she knows."""
    streets = {street.id: street.name for street in registries.streets.values()}
    return [{"id": place.id, "name": place.name, "address": place.address, "street": streets.get(place.street, ""),
             "former_names": list(place.former_names)} for place in registries.venues.values()]


def _venue(registries: Registries) -> dict[str, Any]:
    """The place: a registered venue chosen from venues.yml (the file keeps its id, as the
    registry asks), or a name and address written out (kepu-venue shows whichever the file has)."""
    # A coordinate example from the site's own registered venues (none: the range alone).
    known = next((place for place in registries.venues.values() if place.lat is not None and place.lon is not None), None)
    lat_example, lon_example = (f"，例如 {known.lat}", f"，例如 {known.lon}") if known else ("", "")
    return {"name": "venue", "label": "地点", "widget": "kepu-venue", "required": False,
            "hint": "线下活动选登记过的场地，或选“其他地点”写名称和地址；纯线上活动不填，写下面的“线上链接”",
            "venues": registered_venues(registries),
            "limits": {part: TEXT_LIMITS[f"venue.{part}"] for part in ("name", "address")},
            "china": {"lat": list(CHINA_LAT), "lon": list(CHINA_LON)},
            "hints": {"name": "例如 某某社区综合服务中心一楼活动室", "address": "写到门牌号，例如 某某街道某某路 12 号",
                      "lat": f"在中国是 18 到 54 之间的数{lat_example}", "lon": f"在中国是 73 到 135 之间的数{lon_example}"}}


def _registration() -> dict[str, Any]:
    return {"name": "registration", "label": "报名", "widget": "object", "required": False, "collapsed": False,
            "fields": [
                {"name": "required", "label": "需要报名", "widget": "boolean", "default": False, "required": False},
                _text("url", "报名链接", "从浏览器地址栏复制完整网址", pattern=SIGN_UP_URL_PATTERN),
                _text("phone", "报名电话", "例如 0123-2560 0000 转 123", pattern=PHONE_PATTERN),
                _text("email", "报名邮箱", pattern=EMAIL_PATTERN),
                _when("deadline", "报名截止日期", "最后一天可以报名的日期", time="none", not_after="start"),
                {"name": "capacity", "label": "名额（人数）", "widget": "number", "value_type": "int",
                 "min": 1, "max": 100_000, "required": False},
                {"name": "note", "label": "报名说明", "widget": "text", "required": False,
                 **_limit("registration.note")},
            ]}


def _contact() -> dict[str, Any]:
    """One line (most files) or name, phone and e-mail (kepu-contact keeps whichever the file has)."""
    return {"name": "contact", "label": "联系方式", "widget": "kepu-contact", "required": False,
            "limits": {"text": TEXT_LIMITS["contact"], "name": TEXT_LIMITS["contact.name"]},
            "hint": "对外联系的单位和电话，例如 某某街道党群服务中心 0123-2560 0000"}


def _status() -> list[dict[str, Any]]:
    options = [{"label": STATUS_LABELS[s] if s != "postponed" else "改期或延期", "value": s}
               for s in STATUS_CHOICES]
    return [
        # Files may say 延期, 已取消… (STATUS_ALIASES): kepu-choice shows those as the option they mean.
        {**_select("status", "状态", options, required=False,
                   hint="新活动保持“正常举办”。重复的活动选“已取消”会取消每一场；只取消或改期其中一场，在上面“重复”里写"),
         "widget": "kepu-choice", "aliases": STATUS_ALIASES, "shown_empty": "scheduled"},
        _when("previous_start", "原定开始时间（改期时填）", "改到新时间后：上面的开始时间写新的，这里写原来的"),
        {"name": "status_note", "label": "状态说明", "widget": "string", "required": False,
         "hint": "例如 因天气原因延期，新时间另行通知（定了新时间以后，改成只写原因）", **_limit("status_note")},
    ]


def _afterwards() -> list[dict[str, Any]]:
    """What is written once the event is over: how many came (the year's figures count it). The
    check asks for it (or a report) when a past event is added."""
    return [
        {"name": "attendance", "label": "参加人数（活动结束后填）", "widget": "number", "value_type": "int",
         "min": 0, "max": 10_000_000, "required": False, "hint": ("活动办完以后填实际参加的人数，只写一个整数（例如 45），年度统计会用到；"
                  "重复活动填各场的合计，计入第一场所在的年份")},
    ]


def event_fields(registries: Registries, prefix: str, images: str, events: str) -> list[dict[str, Any]]:
    """Every field of docs/front-matter.md a volunteer sets, in the order of the form; the start's
    config says what a copy of an event leaves out (``copy_fields``, see ``_copy_rules``)."""
    return _copy_rules([
        _text("title", "活动名称", "例如 科普讲座：冬季用电安全", required=True, pattern=TITLE_PATTERN),
        _select("street", "街镇", _choices(registries.streets), hint="活动在哪个" + registries.area_words().either),
        _community(registries),
        _select("team", "志愿服务队", _team_choices(registries)),
        _when("start", "开始", "选日期；有具体时间再选时间，全天活动不选时间", required=True,
              night_before=f"{NIGHT_ENDS:02d}:00", night_field=NIGHT_FIELD, true_words=TRUE_WORDS,
              link_words=_ADDRESS_WORDS.pattern),
        _when("end", "结束", "同一天结束只选时间；跨天活动选最后一天", date_from="start"),
        {"name": NIGHT_FIELD, "label": "凌晨开始", "widget": "boolean", "required": False,
         "hint": "只有活动确实在凌晨 0:00 到 6:00 之间开始时才打开，例如凌晨观星、看日出"},
        {"name": "recurrence", "label": "重复", "widget": "kepu-repeat", "required": False, "start_field": "start",
         "venues": registered_venues(registries), "cancel_words": sorted(CANCEL_WORDS),
         "max_move_days": MAX_MOVE_DAYS, "limits": {"note": SESSION_TEXT_LIMITS["note"],
                                                   **{part: TEXT_LIMITS[f"venue.{part}"] for part in ("name", "address")}},
         "hint": "每周、每月或每天举办的活动在这里选规律、到哪天为止和不开展的日期"},
        _venue(registries),
        _text("online", "线上链接", "线上或直播活动的网址", pattern=URL_PATTERN),
        _select("categories", "活动类型", _choices(registries.categories), multiple=True),
        _select("audiences", "服务对象", _choices(registries.audiences), multiple=True),
        *_optional("programmes", "品牌项目", registries.programmes, "属于哪个品牌项目" + "".join(
            f"，例如 {item.name}" for item in list(registries.programmes.values())[:1])),
        *_optional("campaigns", "主题活动", registries.campaigns, "属于科技活动周、全国科普日等主题活动时选"),
        *_optional("speakers", "主讲专家", registries.listed("people"), "只列出同意公开姓名的专家"),
        _text("age", "适合年龄", "例如 6-12、60+；不限年龄不填", pattern=AGE_PATTERN),
        _registration(),
        _text("cost", "费用", "免费就不填；收费写清楚，例如 材料费 10 元", **_limit("cost")),
        {"name": "summary", "label": "一句话简介", "widget": "text", "required": False,
         **_limit("summary"), "hint": "显示在活动列表里"},
        *_image(prefix, f"{images}/{events}/{{{{fields.street}}}}", "这个街镇其他活动的配图"),
        {"name": "tags", "label": "标签", "widget": "list", "required": False, "hint": "关键词，用逗号分开"},
        {"name": "accessibility", "label": "无障碍信息", "widget": "string", "required": False,
         "hint": "例如 一楼，轮椅可通行", **_limit("accessibility")},
        _contact(),
        *_status(),
        *_afterwards(),
        {"name": "body", "label": "活动介绍", "widget": "markdown", "required": False,
         "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "bulleted-list", "numbered-list"],
         "editor_components": ["image"]},
    ])


def _copy_rules(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What belonged to the old event (copyevent.DROPPED) is not the copy's: the form asks her to
    change the fields it shows (by their labels) and leaves out the others, except ``draft``."""
    labels = {f["name"]: f["label"] for f in fields}
    shown = {name: labels[name] for name in DROPPED if name in labels}
    left_out = [name for name in DROPPED if name not in labels and name != "draft"]
    for found in fields:
        if found["name"] == "start":
            found["copy_fields"] = {"shown": shown, "left_out": left_out}
    return fields


def article_fields(registries: Registries, prefix: str, images: str, articles: str) -> list[dict[str, Any]]:
    return [
        _text("title", "新闻标题", required=True, pattern=[r"^[\s\S]{1,200}$", "标题不超过 200 字"]),
        _when("date", "发布时间", "选日期和时间", required=True),
        {"name": "summary", "label": "一句话简介", "widget": "text", "required": False,
         "pattern": [r"^[\s\S]{0,300}$", "不超过 300 字"]},
        _text("author", "作者或单位"),
        _select("street", "相关街镇", _choices(registries.streets), required=False),
        {"name": "events", "label": "报道的活动", "widget": "relation", "collection": "events", "required": False,
         "multiple": True, "search_fields": ["title"], "value_field": "{{filename}}",
         "display_fields": ["{{title}}（{{start}}）"],
         "hint": "输入活动名称里的字，选出这篇新闻报道的活动"},
        *_image(prefix, f"{images}/{articles}", "其他新闻的配图"),
        {"name": "tags", "label": "标签", "widget": "list", "required": False, "hint": "关键词，用逗号分开"},
        {"name": "body", "label": "正文", "widget": "markdown", "required": False},
    ]


def page_fields(prefix: str, images: str, pages: str) -> list[dict[str, Any]]:
    return [
        _text("title", "页面标题", required=True),
        {"name": "summary", "label": "一句话简介", "widget": "text", "required": False},
        {"name": "order", "label": "导航里的顺序", "widget": "number", "value_type": "int", "min": 0,
         "max": 10_000, "required": False},
        *_image(prefix, f"{images}/{pages}", "其他页面的配图"),
        {"name": "body", "label": "正文", "widget": "markdown", "required": False},
    ]


def collections(registries: Registries, site: CmsSite) -> list[dict[str, Any]]:
    """Events in <events>/<street>/<year saved>/<team>-<start date>.md, news in
    <articles>/<year saved>/xinwen-<date>.md; pages are edited, not created (their names are their URLs)."""
    content, images = site.content.strip("/"), site.images
    prefix = f"{content}/" if content else ""
    return [
        {"name": "events", "label": "活动", "label_singular": "活动", "folder": f"{prefix}{site.events}",
         "create": True, "extension": "md", "format": "yaml-frontmatter", "editor": {"preview": False},
         # Every folder is a part of ``path`` (Decap lists a collection only as deep as ``path`` has
         # parts), so the year is ``{{year}}``: the year of saving (a path takes no field filters).
         "path": "{{street}}/{{year}}/{{slug}}", "slug": "{{fields.team}}-{{fields.start | date('YYYY-MM-DD')}}",
         "summary": "{{title}}（{{fields.start}}）", "sortable_fields": ["start", "title"],
         "view_groups": [{"label": "街镇", "field": "street"}],
         "fields": event_fields(registries, prefix, images, site.events)},
        {"name": "news", "label": "新闻", "label_singular": "新闻", "folder": f"{prefix}{site.articles}",
         "create": True, "extension": "md", "format": "yaml-frontmatter", "editor": {"preview": False},
         "path": "{{year}}/{{slug}}", "slug": "xinwen-{{fields.date | date('YYYY-MM-DD')}}",
         "summary": "{{title}}（{{fields.date}}）", "sortable_fields": ["date", "title"],
         "fields": article_fields(registries, prefix, images, site.articles)},
        {"name": "pages", "label": "页面", "label_singular": "页面", "folder": f"{prefix}{site.pages}",
         "create": False, "delete": False, "extension": "md", "format": "yaml-frontmatter",
         "editor": {"preview": False},
         "fields": page_fields(prefix, images, site.pages)},
    ]


def cms_config(registries: Registries, site: CmsSite, proxy_url: str = "") -> dict[str, Any]:
    """Decap's config.yml as a dict; with ``proxy_url`` it edits the working copy through decap-server."""
    backend = {"name": "proxy", "proxy_url": proxy_url, "branch": "main"} if proxy_url else dict(site.backend)
    config: dict[str, Any] = {"backend": backend, "locale": "zh_Hans"}
    if site.workflow and backend.get("name") in WORKFLOW_BACKENDS and not proxy_url:
        config["publish_mode"] = "editorial_workflow"
    prefix = f"{site.content.strip('/')}/" if site.content.strip("/") else ""
    config.update({
        "media_folder": f"{prefix}{site.images}", "public_folder": f"/{site.images}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(registries, site),
    })
    if site.site_url:
        config["site_url"] = config["display_url"] = site.site_url
    return config


def config_yaml(config: dict[str, Any]) -> bytes:
    header = "# Generated by the build from content/data/*.yml and the settings (KEPU_CMS): do not edit.\n"
    return (header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)).encode("utf-8")
