"""Load and validate the registries in content/data/*.yml."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from kepu.content.dates import DateFormatError, parse_when
from kepu.content.formernames import (
    former_name_clashes,
    former_names_problem,
    read_former_names,
    spaced_former_names,
)
from kepu.content.frontmatter import MAX_FILE_BYTES, decode, duplicate_keys, load_yaml
from kepu.content.model import (
    BASE_LEVELS,
    COMMUNITY_KINDS,
    PROGRAMME_LEVELS,
    STREET_KINDS,
    VENUE_KINDS,
    Audience,
    Campaign,
    Category,
    Community,
    Person,
    Place,
    Programme,
    Registries,
    Street,
    Synonym,
    Team,
    listed,
)
from kepu.content.outlines import load_outlines
from kepu.content.problems import WARNING, Problem
from kepu.content.routes import make_route, stop_reference_problems, stops_problem
from kepu.content.safety import registry_text_problems
from kepu.content.suggest import did_you_mean
from kepu.content.tree import FileTooLarge, NotRegularFile, read_capped
from kepu.content.validation import is_email
from kepu.formats import phones

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no trailing newline
MAX_ID = 40
MAX_ITEMS = 1000  # items in one registry: every item makes pages, feeds and data files
# Longest text, in characters, of each registry field: names appear in titles, feeds and CSV cells.
MAX_CHARS = {"name": 60, "area": 100, "contact": 200, "description": 1000, "street": MAX_ID,
             "kind": 10, "email": 254, "level": 10, "parent": MAX_ID, "edition": 30, "main_event": 80,
             "community": MAX_ID, "address": 200, "hours": 200, "accessibility": 300, "base_level": 10, "closed_note": 100,
             "title": 60, "field": 60, "organisation": 100, "words": 200}
STAND_IN = "__stand_in__"
# A venue's closure written as a state (status: closed): how it is written.
CLOSURE_WORDS = {"status", "closed", "open", "state", "closure"}
CLOSURE_HINT = ("场地暂停开放时写 closed_from: 暂停的第一天、closed_until: 恢复前的最后一天（还不知道就不写）"
                "和 closed_note: 原因；没有暂停开放就删除这一行")
IMPLIED_HINT = "活动期内的全部活动都算这个主题活动时写 implied: true，否则删去这一行"
_STAND_IN_ID = re.compile(r"-\s+id:\s*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
_ITEM_START = re.compile(r"^-(?:\s|$)", re.MULTILINE)
REGISTRY_FILES = {
    "streets": "streets.yml",
    "teams": "teams.yml",
    "categories": "categories.yml",
    "audiences": "audiences.yml",
    # Optional: a site without one of these files simply has none (communities: free text).
    "communities": "communities.yml",
    "venues": "venues.yml",
    "programmes": "programmes.yml",
    "campaigns": "campaigns.yml",
    "people": "people.yml",
    "synonyms": "synonyms.yml",  # words residents search by that mean the same (卒中、中风)
    "routes": "routes.yml",  # 科普路线: venues visited in order
}
OPTIONAL_REGISTRIES = frozenset({"communities", "venues", "programmes", "campaigns", "people", "synonyms",
                                 "routes"})
LISTS = "words"  # the one registry field that may be a YAML list
REGISTRY_FIELDS = {
    "streets": {"id", "name", "kind", "order", "area", "description"},
    "teams": {"id", "name", "street", "contact", "description", "email"},
    "categories": {"id", "name", "description"},
    "audiences": {"id", "name", "description"},
    "communities": {"id", "name", "kind", "street", "description"},
    "venues": {"id", "name", "kind", "street", "community", "address", "lat", "lon", "hours",
               "accessibility", "base_level", "description", "closed_from", "closed_until", "closed_note",
               "former_names"},
    "programmes": {"id", "name", "level", "parent", "owners", "description"},
    "campaigns": {"id", "name", "edition", "start", "end", "main_event", "implied", "description"},
    "people": {"id", "name", "title", "field", "organisation", "consent", "description"},
    "synonyms": {"id", "name", "words", "description"},
    "routes": {"id", "name", "stops", "description"},
}
# people.yml is published: private contact details are refused, whatever the field is called.
PRIVATE_FIELDS = frozenset({"phone", "mobile", "tel", "telephone", "cell", "email", "mail", "wechat", "weixin",
                            "qq", "address", "contact", "home", "idcard", "id_card", "电话", "手机", "座机",
                            "微信", "邮箱", "地址", "住址", "联系方式", "身份证"})
_PRIVATE_WORDS = re.compile(r"微信|wechat|QQ|手机|电话|[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+", re.IGNORECASE)


_STAND_IN_VALUES = {"kind": STREET_KINDS[0], "order": 0}


def _entries(path: Path, shown: str) -> tuple[list[tuple[dict, dict[str, int]]], list[Problem]]:
    """Items of a registry file, each with the line of each of its keys."""
    data, problem = _read(path, shown)
    if problem:
        return [], [problem]
    text, problems = decode(data, shown)
    if text is None:
        return [], problems
    problems = registry_text_problems(text, shown)  # before the loader: deep nesting crashes it
    if problems:
        return [], problems
    data, node, problems = load_yaml(text, shown, 1)
    if problems:
        return _items_one_by_one(text, shown)
    if data is None:
        return [], []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        return [], [Problem(shown, 1, "", "登记表应是一个列表，每项以“- id: …”开头",
                            "参照示例站点的写法")]
    return _items(data, node, shown, 0)


def _read(path: Path, shown: str) -> tuple[bytes, Problem | None]:
    try:
        return read_capped(path, MAX_FILE_BYTES), None
    except FileNotFoundError:
        return b"", Problem(shown, 0, "", "登记表文件不存在", "按 docs/registries.md 的说明写一份（每一项以 - id: 开头），或从示例站点复制一份再修改")
    except FileTooLarge as error:
        return b"", Problem(shown, 0, "", f"登记表文件太大（{error.size / 1024 / 1024:.1f} MB），上限为 1 MB",
                            "登记表只写编号、名称和简短说明")
    except (NotRegularFile, IsADirectoryError):
        return b"", Problem(shown, 0, "", "登记表应是一个普通文件（这里是文件夹、链接或设备）",
                            "删除它，从示例站点复制一份登记表文件再修改")
    except OSError as error:
        return b"", Problem(shown, 0, "", f"无法读取登记表（{error.strerror}）", "检查文件权限")


def _items_one_by_one(text: str, shown: str) -> tuple[list[tuple[dict, dict[str, int]]], list[Problem]]:
    """A registry with a YAML mistake: read each "- id:" item on its own, so one bad line loses
    only its own item (and its error is reported once, on its own line)."""
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if not starts:
        return [], load_yaml(text, shown, 1)[2]
    items: list[tuple[dict, dict[str, int]]] = []
    problems: list[Problem] = []
    head = text[:starts[0]]
    if head.strip() and any(not line.lstrip().startswith("#") for line in head.splitlines() if line.strip()):
        problems.extend(load_yaml(head, shown, 1)[2] or [Problem(
            shown, 1, "", "登记表开头有不属于任何一项的内容", "每项以“- id: …”开头")])
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        offset = text.count("\n", 0, begin)
        data, node, found = load_yaml(text[begin:end], shown, offset + 1)
        if found:
            problems.extend(found)
            items.extend(_stand_in(text[begin:end], offset))
            continue
        if isinstance(data, list) and isinstance(node, yaml.SequenceNode):
            more, found = _items(data, node, shown, offset)
            items.extend(more)
            problems.extend(found)
    return items, problems


def _stand_in(chunk: str, offset: int) -> list[tuple[dict, dict[str, int]]]:
    """An item whose YAML is broken still names its id: it stands in for references (the build
    stops on the item's own error anyway), so files using that id are not blamed as well."""
    found = _STAND_IN_ID.match(chunk)
    if not found:
        return []
    return [({"id": found.group(1), "name": found.group(1), STAND_IN: True}, {"": offset + 1})]


def _items(data: list, node: yaml.SequenceNode, shown: str,
           offset: int) -> tuple[list[tuple[dict, dict[str, int]]], list[Problem]]:
    items, problems = [], []
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1 + offset
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
            problems.append(Problem(shown, line, "", "这一项不是“字段: 内容”的格式",
                                    "每项写成 - id: 编号，下一行缩进写 name: 名称"))
            continue
        lines = {str(k.value): k.start_mark.line + 1 + offset for k, _ in item_node.value}
        lines.update(_element_lines(item_node, offset))
        lines[""] = line
        repeated = duplicate_keys(item_node, shown, 1 + offset)
        if repeated:  # the second value would silently win (a renamed id, a changed name)
            problems.extend(repeated)
            if isinstance(item.get("id"), str):
                items.append(({"id": item["id"], "name": item["id"], STAND_IN: True}, {"": line}))
            continue
        items.append((item, lines))
    if len(items) > MAX_ITEMS:
        problems.append(Problem(shown, items[MAX_ITEMS][1][""], "", f"登记表太长（{len(items)} 项，上限 {MAX_ITEMS} 项）",
                                "登记表只列真正在用的街镇、队伍、类型和对象"))
        items = items[:MAX_ITEMS]
    return items, problems


def _element_lines(item_node: yaml.MappingNode, offset: int) -> dict[str, int]:
    """The line of each element of a list field, as ``key[index]`` (a route's stops)."""
    return {f"{key.value}[{index}]": element.start_mark.line + 1 + offset
            for key, value in item_node.value if isinstance(value, yaml.SequenceNode)
            for index, element in enumerate(value.value)}


def _text(item: dict, key: str) -> str:
    value = item.get(key, "")
    return "" if value is None else str(value).strip()


def _load_one(kind: str, path: Path, shown: str,
              make: Callable[[dict], Any]) -> tuple[dict[str, Any], dict[str, dict[str, int]],
                                                    list[Problem]]:
    entries, problems = _entries(path, shown)
    result: dict[str, Any] = {}
    item_lines: dict[str, dict[str, int]] = {}

    def stand_in(item: dict, lines: dict[str, int]) -> None:
        """A refused item with a usable id stands in for references, as one whose YAML is broken:
        the build stops on its own error, and what uses it is not blamed as well."""
        ident = item.get("id")
        if isinstance(ident, str) and ID_PATTERN.fullmatch(ident) and len(ident) <= MAX_ID:
            result.setdefault(ident, make(_STAND_IN_VALUES | {"id": ident, "name": ident, STAND_IN: True}))
            item_lines.setdefault(ident, lines)

    for item, lines in entries:
        line = lines[""]
        if item.get(STAND_IN):
            result.setdefault(item["id"], make(_STAND_IN_VALUES | item))
            item_lines.setdefault(item["id"], lines)
            continue
        private = _private_problem(kind, item, lines, shown)
        if private:  # refused, but events naming the person are not blamed as well
            problems.append(private)
            if isinstance(item.get("id"), str) and ID_PATTERN.fullmatch(item["id"]):
                result.setdefault(item["id"], make({"id": item["id"], "name": item["id"]}))
                item_lines.setdefault(item["id"], {"": line, "consent": line})
            continue
        for key in item:
            if str(key) not in REGISTRY_FIELDS[kind]:
                problems.append(Problem(shown, lines.get(str(key), line), str(key), "未知字段",
                                        did_you_mean(str(key), REGISTRY_FIELDS[kind])
                                        or (CLOSURE_HINT if kind == "venues" and str(key) in CLOSURE_WORDS else "删除这一行"),
                                        "warning"))
        ident = item.get("id")
        typed = _type_problem(item, lines, shown)
        if typed:
            problems.append(typed)
            stand_in(item, lines)
            continue
        if not isinstance(ident, str) or not ID_PATTERN.fullmatch(ident) or len(ident) > MAX_ID:
            shown_id = repr(ident)[1:-1] if isinstance(ident, str) else ident
            problems.append(Problem(shown, lines.get("id", line), "id",
                                    f"编号“{str(shown_id)[:MAX_ID + 10]}”不合规：只能用小写英文字母、数字和短横线，"
                                    f"最多 {MAX_ID} 个字符",
                                    "用名称的拼音，例如 中心街道写 id: zhongxin；编号会出现在网址中，发布后不要再改"))
            continue
        too_long = _too_long(item, lines, shown) or _line_break(item, lines, shown)
        if too_long:
            problems.append(too_long)
            stand_in(item, lines)
            continue
        if not _text(item, "name"):
            problems.append(Problem(shown, lines.get("name", line), "name",
                                    f"“{ident}”缺少中文名称", "加一行 name: 中文名称"))
            stand_in(item, lines)
            continue
        if ident in result:
            problems.append(Problem(shown, lines.get("id", line), "id",
                                    f"编号“{ident}”重复（第 {item_lines[ident].get('id')} 行已使用）",
                                    "每个编号只能用一次"))
            continue
        error = _check_item(kind, item, lines, shown)
        if error:
            problems.append(error)
            stand_in(item, lines)
            continue
        result[ident] = make(item)
        item_lines[ident] = lines
        problems.extend(filter(None, [_spaced_name(item, lines, shown)]))
        if kind == "venues":
            problems.extend(spaced_former_names(result[ident], lines, shown))
        if kind == "campaigns":  # the campaign stays (events naming it are not blamed), as not implied
            problems.extend(filter(None, [_flag_type(item, lines, shown, "implied", IMPLIED_HINT)]))
    return result, item_lines, problems


def _type_problem(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """Text fields that YAML read as something else: a list or mapping would be published as
    Python's text of it, yes/no as True/False, an id of digits as a number."""
    for key in ("id", *MAX_CHARS):
        value = item.get(key)
        line = lines.get(key, lines[""])
        if key == LISTS and isinstance(value, list) and all(isinstance(v, str) for v in value):
            continue
        if isinstance(value, (list, dict)):
            return Problem(shown, line, key, "这里应写一段文字，而不是列表或多个字段",
                           f"写在同一行，例如 {key}: 文字")
        if isinstance(value, bool) or (key == "id" and isinstance(value, (int, float))):
            what = "真假值" if isinstance(value, bool) else "数字"
            return Problem(shown, line, key, f"这一项被 YAML 读成了{what}，而这里要写文字",
                           f"给内容加上英文引号，例如 {key}: \"…\"")
    return None


MULTILINE_FIELDS = frozenset({"description"})  # a paragraph; every other text is one line
LINE_BREAKS = re.compile(r"[\n\r\v\f\x85]")


def _line_break(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """A name, an address… is one line: it is shown in titles, calendars and lists, and written
    into the comments of files new-event makes, where a line break would start a field of its own."""
    for key in MAX_CHARS.keys() - MULTILINE_FIELDS:
        value = item.get(key)
        if isinstance(value, str) and LINE_BREAKS.search(value.strip()):
            return Problem(shown, lines.get(key, lines[""]), key, "这一项不能换行", f"写在同一行：{key}: 文字")
    return None


def _spaced_name(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """A full-width space typed inside a name (spaces around it are trimmed): every heading,
    list and calendar would show it."""
    name = _text(item, "name")
    if "\u3000" not in name:
        return None
    return Problem(shown, lines.get("name", lines[""]), "name", f"名称“{name}”中间有全角空格，页面和日历上会照样显示",
                   "删掉名称中间的空格；确实要分开的，用顿号或不加空格", WARNING)


def _too_long(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """Every text field has a limit: one giant name must not swell every page and feed."""
    for key, limit in MAX_CHARS.items():
        value = item.get(key)
        value = "、".join(value) if key == LISTS and isinstance(value, list) else value
        if isinstance(value, str) and len(value.strip()) > limit:
            return Problem(shown, lines.get(key, lines[""]), key,
                           f"内容太长（{len(value.strip())} 字，上限 {limit} 字）",
                           "请精简；详细介绍可以写在新闻或页面里")
    return None


def _private_problem(kind: str, item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """A phone number, e-mail, WeChat or address in people.yml: the file is published as pages."""
    if kind != "people":
        return None
    for key, value in item.items():
        line = lines.get(str(key), lines[""])
        if str(key).lower() in PRIVATE_FIELDS:
            return Problem(shown, line, str(key), "专家登记表不能写电话、邮箱、微信、住址等私人联系方式",
                           "删除这一行；居民要联系专家，请通过主办队伍（teams.yml 的 contact）")
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if text and (phones.contains_phone(text) or _PRIVATE_WORDS.search(text)):
            return Problem(shown, line, str(key), "专家登记表里不能有电话号码、邮箱或微信等私人联系方式",
                           "删去号码和联系方式，只写姓名、职称、领域和单位")
    return None


def _one_of(item: dict, lines: dict[str, int], shown: str, key: str, allowed: tuple[str, ...],
            required: bool = False) -> Problem | None:
    value = _text(item, key)
    if (value or required) and value not in allowed:
        return Problem(shown, lines.get(key, lines[""]), key, f"类别“{value}”无效" if value else "缺少类别",
                       f"只能写 {'、'.join(allowed)}")
    return None


def _needs(item: dict, lines: dict[str, int], shown: str, key: str, label: str) -> Problem | None:
    if _text(item, key):
        return None
    return Problem(shown, lines[""], key, f"“{item.get('name')}”缺少{label}", f"加一行 {key}: …")


def _check_new_item(kind: str, item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """Checks of one item of the optional registries (references are checked once all are read)."""
    checks: dict[str, Callable[[], Problem | None]] = {
        "communities": lambda: _needs(item, lines, shown, "street", "所属街镇编号")
        or _one_of(item, lines, shown, "kind", COMMUNITY_KINDS, required=True),
        "venues": lambda: _needs(item, lines, shown, "street", "所属街镇编号")
        or _one_of(item, lines, shown, "kind", VENUE_KINDS, required=True)
        or _one_of(item, lines, shown, "base_level", BASE_LEVELS) or _place_coordinates(item, lines, shown)
        or _closure_problem(item, lines, shown) or former_names_problem(item, lines, shown, MAX_CHARS["name"]),
        "programmes": lambda: _one_of(item, lines, shown, "level", PROGRAMME_LEVELS)
        or _id_list_problem(item, lines, shown, "owners"),
        "campaigns": lambda: _window_problem(item, lines, shown),
        "people": lambda: _flag_type(item, lines, shown, "consent", "本人同意公开时写 consent: true，否则删去这一行"),
        "routes": lambda: stops_problem(item, lines, shown),
    }
    return checks[kind]() if kind in checks else None


def _id_list_problem(item: dict, lines: dict[str, int], shown: str, key: str) -> Problem | None:
    value = item.get(key)
    if value is None or isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return None
    return Problem(shown, lines.get(key, lines[""]), key, "这里应写编号的列表", f"例如 {key}: [队伍编号, 另一个队伍编号]")


def _ids(item: dict, key: str) -> tuple[str, ...]:
    value = item.get(key) or ()
    return tuple(v.strip() for v in ([value] if isinstance(value, str) else value) if v.strip())


def _closure_problem(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    """A venue closed for a while: closed_from (and closed_until, if known) as days, in order."""
    days = {}
    for key in ("closed_from", "closed_until"):
        if item.get(key) in (None, ""):
            continue
        days[key] = _registry_day(item, lines, shown, key, "暂停开放")
        if isinstance(days[key], Problem):
            return days[key]
    if "closed_until" in days and "closed_from" not in days:
        return Problem(shown, lines.get("closed_until", lines[""]), "closed_until", "写了恢复前的最后一天，没写从哪天起暂停开放",
                       "加一行 closed_from: 暂停开放的第一天（只写日期）")
    if "closed_note" in item and "closed_from" not in days:
        return Problem(shown, lines.get("closed_note", lines[""]), "closed_note", "写了暂停开放的原因，没写从哪天起暂停开放",
                       "加一行 closed_from: 暂停开放的第一天；已经恢复开放的，删去 closed_ 开头的几行")
    if "closed_until" in days and days["closed_until"] < days["closed_from"]:
        return Problem(shown, lines.get("closed_until", lines[""]), "closed_until", "恢复前的最后一天早于暂停开放的第一天",
                       "检查 closed_from 和 closed_until 是否写反")
    return None


def _registry_day(item: dict, lines: dict[str, int], shown: str, key: str, what: str) -> date | Problem:
    """A registry's day (``what``: 活动期, 暂停开放), or why it is not one: a date only, no time."""
    line = lines.get(key, lines[""])
    try:
        day = parse_when(str(item[key]))
    except DateFormatError as error:
        return Problem(shown, line, key, error.message, error.hint)
    if isinstance(day, datetime):
        return Problem(shown, line, key, f"{what}只写日期，不写时间", f"写成 {key}: {day.date().isoformat()}")
    return day


def _opt_day(value: Any) -> date | None:
    return None if value in (None, "") else _day(value)


MAX_CAMPAIGN_DAYS = 92


def _window_problem(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    days = {}
    for key, word in (("start", "第一天"), ("end", "最后一天")):
        if item.get(key) in (None, ""):
            return Problem(shown, lines.get(key, lines[""]), key, f"缺少活动期的{word}", f"加一行 {key}: 2026-05-16（只写日期）")
        days[key] = _registry_day(item, lines, shown, key, "活动期")
        if isinstance(days[key], Problem):
            return days[key]
    if days["end"] < days["start"]:
        return Problem(shown, lines.get("end", lines[""]), "end", "活动期的最后一天早于第一天",
                       "检查 start 和 end 是否写反")
    length = (days["end"] - days["start"]).days + 1
    if length > MAX_CAMPAIGN_DAYS:  # each day has its page, listing every day: a mistyped year fills the disk
        return Problem(shown, lines.get("end", lines[""]), "end",
                       f"活动期有 {length} 天，主题活动最长 {MAX_CAMPAIGN_DAYS} 天（约三个月）",
                       "检查 end 的年份和月份是否写错；全年开展的活动请登记为科普项目（programmes.yml）")
    return None


MAX_CAMPAIGN_DAYS_IN_ALL = 2_000  # two hundred science weeks; each day is a page


def _campaign_days_in_all(campaigns: Mapping[str, Any], lines: Mapping[str, dict[str, int]],
                          shown: str) -> list[Problem]:
    """Every campaign day has a page of its own: 300 campaigns of 92 days each wrote 59,000 pages
    (933 MB) into every build. The first campaign past the total is named."""
    total = 0
    for ident, campaign in campaigns.items():
        total += (campaign.end - campaign.start).days + 1
        if total > MAX_CAMPAIGN_DAYS_IN_ALL:
            line = lines.get(ident, {})
            return [Problem(shown, line.get("end", line.get("", 0)), "end",
                            f"主题活动的活动期加起来超过 {MAX_CAMPAIGN_DAYS_IN_ALL} 天（每一天都有一个页面）",
                            "删去早已结束、不再需要单独页面的主题活动，或把长期开展的活动登记为科普项目（programmes.yml）")]
    return []


def _flag_type(item: dict, lines: dict[str, int], shown: str, key: str, hint: str) -> Problem | None:
    """A yes/no field (consent, implied) written as something else than true or false."""
    if key in item and not isinstance(item[key], bool):
        return Problem(shown, lines.get(key, lines[""]), key, f"“{item[key]}”不是真假值", hint)
    return None


def _place_coordinates(item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    lat, lon = item.get("lat"), item.get("lon")
    if lat is None and lon is None:
        return None
    line = lines.get("lat", lines.get("lon", lines[""]))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        return Problem(shown, line, "lat", "经纬度要同时填写 lat 和 lon，写十进制小数",
                       "在地图上查到场地的纬度和经度，写 lat: 纬度 和 lon: 经度（不带单位和“°”）")
    if 70 < lat < 140 and 0 < lon < 60:
        return Problem(shown, line, "lat", "纬度和经度写反了", f"应为 lat: {lon} 和 lon: {lat}（在中国，纬度比经度小）")
    if not (0 < lat < 60 and 70 < lon < 140):
        return Problem(shown, line, "lat", f"坐标（{lat}, {lon}）不在中国境内", "请核对经纬度（WGS-84，与活动文件相同）")
    return None


def _check_item(kind: str, item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    if kind in OPTIONAL_REGISTRIES:
        return _check_new_item(kind, item, lines, shown)
    if kind == "streets":
        if item.get("kind") not in STREET_KINDS:
            return Problem(shown, lines.get("kind", lines[""]), "kind",
                           f"类别“{item.get('kind')}”无效", f"只能写 {listed(STREET_KINDS, ' 或 ')}")
        if not isinstance(item.get("order", 0), int) or isinstance(item.get("order"), bool):
            return Problem(shown, lines.get("order", lines[""]), "order",
                           "显示顺序必须是整数", "例如 order: 50")
    email = _text(item, "email")
    if kind == "teams" and email and not is_email(email):
        return Problem(shown, lines.get("email", lines[""]), "email", f"邮箱“{email}”格式不对",
                       "只写一个地址，例如 email: kepu@example.cn；日历软件会把它显示为主办方的邮箱")
    return None


MAKERS: dict[str, Callable[[dict], Any]] = {
    "streets": lambda i: Street(i["id"], _text(i, "name"), i["kind"], i.get("order", 0) or 0,
                                _text(i, "area"), _text(i, "description")),
    "teams": lambda i: Team(i["id"], _text(i, "name"), _text(i, "street"),
                            _text(i, "contact"), _text(i, "description"), _text(i, "email")),
    "categories": lambda i: Category(i["id"], _text(i, "name"), _text(i, "description")),
    "audiences": lambda i: Audience(i["id"], _text(i, "name"), _text(i, "description")),
    "communities": lambda i: Community(i["id"], _text(i, "name"), _text(i, "kind"), _text(i, "street"),
                                       _text(i, "description")),
    "venues": lambda i: Place(i["id"], _text(i, "name"), _text(i, "kind"), _text(i, "street"),
                              _text(i, "community"), _text(i, "address"), _float(i.get("lat")),
                              _float(i.get("lon")), _text(i, "hours"), _text(i, "accessibility"),
                              _text(i, "base_level"), _text(i, "description"), _opt_day(i.get("closed_from")),
                              _opt_day(i.get("closed_until")), _text(i, "closed_note"),
                              read_former_names(i.get("former_names"))),
    "programmes": lambda i: Programme(i["id"], _text(i, "name"), _text(i, "level"), _text(i, "parent"),
                                      _ids(i, "owners"), _text(i, "description")),
    "campaigns": lambda i: Campaign(i["id"], _text(i, "name"), _day(i.get("start")), _day(i.get("end")),
                                    _text(i, "edition"), _text(i, "main_event"), _text(i, "description"),
                                    i.get("implied") is True),
    "people": lambda i: Person(i["id"], _text(i, "name"), _text(i, "title"), _text(i, "field"),
                               _text(i, "organisation"), i.get("consent") is True, _text(i, "description")),
    "synonyms": lambda i: Synonym(i["id"], _text(i, "name"), _words(i.get("words")), _text(i, "description")),
    "routes": lambda i: make_route(i, _text(i, "name"), _text(i, "description")),
}


def _words(value: str | list | None) -> tuple[str, ...]:
    """Synonyms written as a list, or on one line as 脑卒中、中风 (or with ，, commas or spaces)."""
    text = "、".join(value) if isinstance(value, list) else str(value or "")
    return tuple(dict.fromkeys(w for w in re.split(r"[、，,；;\s]+", text) if w))
# (kind, field, registry it names, what the item is, what the field is): checked once all are read.
REFERENCES = (
    ("teams", "street", "streets", "队伍", "街镇"),
    ("communities", "street", "streets", "社区或村", "街镇"),
    ("venues", "street", "streets", "场地", "街镇"),
    ("venues", "community", "communities", "场地", "社区或村"),
    ("programmes", "parent", "programmes", "项目", "上级项目"),
    ("programmes", "owners", "teams", "项目", "队伍"),
)


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _day(value: Any) -> date:
    """A checked campaign day; a stand-in (an item whose YAML is broken) gets a window never touched."""
    try:
        day = parse_when(str(value))
    except DateFormatError:
        return date.min
    return day if not isinstance(day, datetime) else day.date()


def load_registries(data_dir: Path, shown_prefix: str = "content/data",
                    event_slugs: Collection[str] | None = None) -> tuple[Registries, list[Problem]]:
    """Read every registry; problems name the file and line. ``event_slugs``: the event files'
    names, to check a campaign's main event (the check and the build both pass them)."""
    loaded: dict[str, dict[str, Any]] = {}
    lines: dict[str, dict[str, dict[str, int]]] = {}
    problems: list[Problem] = []
    declared = set()
    for kind, filename in REGISTRY_FILES.items():
        path = data_dir / filename
        if kind in OPTIONAL_REGISTRIES and not path.exists() and not path.is_symlink():
            loaded[kind], lines[kind] = {}, {}
            continue
        declared.add(kind)
        loaded[kind], lines[kind], found = _load_one(kind, path, f"{shown_prefix}/{filename}", MAKERS[kind])
        problems.extend(found)
    loaded["streets"] = dict(sorted(loaded["streets"].items(), key=lambda kv: (kv[1].order, kv[0])))
    for kind, key, target, what, label in REFERENCES:
        problems.extend(_unknown_references(loaded, lines[kind], f"{shown_prefix}/{REGISTRY_FILES[kind]}",
                                            kind, key, target, what, label))
    shown = f"{shown_prefix}/{REGISTRY_FILES['programmes']}"
    problems.extend(_programme_cycles(loaded["programmes"], lines["programmes"], shown))
    shown = f"{shown_prefix}/{REGISTRY_FILES['campaigns']}"
    problems.extend(_main_events(loaded["campaigns"], lines["campaigns"], shown, event_slugs))
    problems.extend(_campaign_days_in_all(loaded["campaigns"], lines["campaigns"], shown))
    problems.extend(_without_consent(loaded["people"], lines["people"], f"{shown_prefix}/{REGISTRY_FILES['people']}"))
    problems.extend(_shared_words(loaded["synonyms"], lines["synonyms"], f"{shown_prefix}/{REGISTRY_FILES['synonyms']}"))
    problems.extend(former_name_clashes(loaded["venues"], lines["venues"], f"{shown_prefix}/{REGISTRY_FILES['venues']}"))
    problems.extend(load_outlines(data_dir, shown_prefix, loaded["streets"])[1])
    problems.extend(stop_reference_problems(loaded["routes"], loaded["venues"], lines["routes"],
                                            f"{shown_prefix}/{REGISTRY_FILES['routes']}"))
    registries = Registries(**loaded, declared=frozenset(declared & OPTIONAL_REGISTRIES), folder=shown_prefix)
    return registries, problems


def _shared_words(synonyms: dict[str, Synonym], lines: dict[str, dict[str, int]], shown: str) -> list[Problem]:
    """A word in two groups of synonyms: search would take each group's words for the other's (one
    line could make 讲座 find a venue first); each word means one thing."""
    owner: dict[str, Synonym] = {}
    problems = []
    for item in synonyms.values():
        for word in item.group:
            key = " ".join(word.split()).casefold()
            first = owner.setdefault(key, item)
            if first is not item:
                problems.append(Problem(shown, lines[item.id].get("words", lines[item.id][""]), "words",
                                        f"“{word}”已经在“{first.name}”那一组里（编号 {first.id}）",
                                        "一个词只能放在一组里：删去这里的，或把两组合成一组"))
    return problems


def _unknown_references(loaded: dict[str, dict[str, Any]], lines: dict[str, dict[str, int]], shown: str,
                        kind: str, key: str, target: str, what: str, label: str) -> list[Problem]:
    """An item naming an id its registry does not have: file, line and the closest id."""
    targets = loaded[target]
    names = {item.name: ident for ident, item in targets.items()}
    problems = []
    for item in loaded[kind].values():
        value = getattr(item, key)
        for ident in (value,) if isinstance(value, str) else value:
            if ident and ident not in targets:
                problems.append(Problem(
                    shown, lines[item.id].get(key, lines[item.id][""]), key,
                    f"{what}“{item.name}”的{label}编号“{ident}”不存在",
                    did_you_mean(ident, targets, names) or f"填写 {REGISTRY_FILES[target]} 中的编号"))
    return problems


def _programme_cycles(programmes: dict[str, Programme], lines: dict[str, dict[str, int]],
                      shown: str) -> list[Problem]:
    problems = []
    for programme in programmes.values():
        seen, parent = {programme.id}, programme.parent
        while parent in programmes and parent not in seen:
            seen.add(parent)
            parent = programmes[parent].parent
        if parent == programme.id:
            problems.append(Problem(shown, lines[programme.id].get("parent", lines[programme.id][""]), "parent",
                                    f"项目“{programme.name}”的上级项目绕了一圈又回到它自己",
                                    "上级项目只写真正包含它的项目；最上层的项目不写 parent"))
    return problems


def _main_events(campaigns: dict[str, Campaign], lines: dict[str, dict[str, int]], shown: str,
                 event_slugs: Collection[str] | None) -> list[Problem]:
    if event_slugs is None:
        return []
    return [Problem(shown, lines[c.id].get("main_event", lines[c.id][""]), "main_event",
                    f"找不到文件名为“{c.main_event}”的活动（“{c.name}”的主场活动）",
                    did_you_mean(c.main_event, event_slugs) or "填写 content/events/ 下活动的文件名（不含 .md）")
            for c in campaigns.values() if c.main_event and c.main_event not in event_slugs]


def _without_consent(people: dict[str, Person], lines: dict[str, dict[str, int]], shown: str) -> list[Problem]:
    """Not an error: the person is simply never named on the site."""
    return [Problem(shown, lines[p.id][""], "consent",
                    f"“{p.name}”没有写 consent: true：网站不会为他（她）建页面，活动页上也不显示姓名",
                    "本人书面同意公开姓名、职称和单位后，加一行 consent: true", WARNING)
            for p in people.values() if not p.consent and p.id in lines and "consent" not in lines[p.id]]
