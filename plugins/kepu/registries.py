"""Load and validate the registries in content/data/*.yml."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import MAX_FILE_BYTES, decode, duplicate_keys, load_yaml
from .model import STREET_KINDS, Audience, Category, Registries, Street, Synonym, Team
from .problems import Problem
from .safety import registry_text_problems
from .suggest import did_you_mean
from .tree import FileTooLarge, NotRegularFile, read_capped
from .validation import is_email

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no trailing newline
MAX_ID = 40
MAX_ITEMS = 1000  # items in one registry: every item makes pages, feeds and data files
# Longest text, in characters, of each registry field: names appear in titles, feeds and CSV cells.
MAX_CHARS = {"name": 60, "area": 100, "contact": 200, "description": 1000, "street": MAX_ID,
             "kind": 10, "email": 254, "words": 200}
STAND_IN = "__stand_in__"
_STAND_IN_ID = re.compile(r"-\s+id:\s*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
_ITEM_START = re.compile(r"^-(?:\s|$)", re.MULTILINE)
REGISTRY_FILES = {
    "streets": "streets.yml",
    "teams": "teams.yml",
    "categories": "categories.yml",
    "audiences": "audiences.yml",
}
OPTIONAL_FILES = {"synonyms": "synonyms.yml"}  # read when present
LISTS = "words"  # the one registry field that may be a YAML list
_FIELDS = {
    "streets": {"id", "name", "kind", "order", "area", "description"},
    "teams": {"id", "name", "street", "contact", "description", "email"},
    "categories": {"id", "name", "description"},
    "audiences": {"id", "name", "description"},
    "synonyms": {"id", "name", "words", "description"},
}


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
        return b"", Problem(shown, 0, "", "登记表文件不存在", "从示例站点复制一份再修改")
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


def _text(item: dict, key: str) -> str:
    value = item.get(key, "")
    return "" if value is None else str(value).strip()


def _load_one(kind: str, path: Path, shown: str,
              make: Callable[[dict], Any]) -> tuple[dict[str, Any], dict[str, dict[str, int]],
                                                    list[Problem]]:
    entries, problems = _entries(path, shown)
    result: dict[str, Any] = {}
    item_lines: dict[str, dict[str, int]] = {}
    for item, lines in entries:
        line = lines[""]
        if item.get(STAND_IN):
            result.setdefault(item["id"], make(_STAND_IN_VALUES | item))
            item_lines.setdefault(item["id"], lines)
            continue
        for key in item:
            if str(key) not in _FIELDS[kind]:
                problems.append(Problem(shown, lines.get(str(key), line), str(key), "未知字段",
                                        did_you_mean(str(key), _FIELDS[kind]) or "删除这一行",
                                        "warning"))
        ident = item.get("id")
        typed = _type_problem(item, lines, shown)
        if typed:
            problems.append(typed)
            continue
        if not isinstance(ident, str) or not ID_PATTERN.fullmatch(ident) or len(ident) > MAX_ID:
            shown_id = repr(ident)[1:-1] if isinstance(ident, str) else ident
            problems.append(Problem(shown, lines.get("id", line), "id",
                                    f"编号“{str(shown_id)[:MAX_ID + 10]}”不合规：只能用小写英文字母、数字和短横线，"
                                    f"最多 {MAX_ID} 个字符",
                                    "例如 id: xinbei；编号会出现在网址中，发布后不要再改"))
            continue
        too_long = _too_long(item, lines, shown)
        if too_long:
            problems.append(too_long)
            continue
        if not _text(item, "name"):
            problems.append(Problem(shown, lines.get("name", line), "name",
                                    f"“{ident}”缺少中文名称", "加一行 name: 中文名称"))
            continue
        if ident in result:
            problems.append(Problem(shown, lines.get("id", line), "id",
                                    f"编号“{ident}”重复（第 {item_lines[ident].get('id')} 行已使用）",
                                    "每个编号只能用一次"))
            continue
        error = _check_item(kind, item, lines, shown)
        if error:
            problems.append(error)
            continue
        result[ident] = make(item)
        item_lines[ident] = lines
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


def _words(value: str | list | None) -> tuple[str, ...]:
    """Synonyms written as a list, or on one line as 脑卒中、中风 (or with ，, commas or spaces)."""
    text = "、".join(value) if isinstance(value, list) else str(value or "")
    return tuple(dict.fromkeys(w for w in re.split(r"[、，,；;\s]+", text) if w))


def _check_item(kind: str, item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    if kind == "streets":
        if item.get("kind") not in STREET_KINDS:
            return Problem(shown, lines.get("kind", lines[""]), "kind",
                           f"类别“{item.get('kind')}”无效", "只能写 街道、镇 或 功能区")
        if not isinstance(item.get("order", 0), int) or isinstance(item.get("order"), bool):
            return Problem(shown, lines.get("order", lines[""]), "order",
                           "显示顺序必须是整数", "例如 order: 50")
    email = _text(item, "email")
    if kind == "teams" and email and not is_email(email):
        return Problem(shown, lines.get("email", lines[""]), "email", f"邮箱“{email}”格式不对",
                       "只写一个地址，例如 email: kepu@example.cn；日历软件会把它显示为主办方的邮箱")
    return None


def load_registries(data_dir: Path, shown_prefix: str = "content/data") -> tuple[Registries, list[Problem]]:
    """Read every registry; problems name the file and line."""
    makers = {
        "streets": lambda i: Street(i["id"], _text(i, "name"), i["kind"], i.get("order", 0) or 0,
                                    _text(i, "area"), _text(i, "description")),
        "teams": lambda i: Team(i["id"], _text(i, "name"), _text(i, "street"),
                                _text(i, "contact"), _text(i, "description"), _text(i, "email")),
        "categories": lambda i: Category(i["id"], _text(i, "name"), _text(i, "description")),
        "audiences": lambda i: Audience(i["id"], _text(i, "name"), _text(i, "description")),
        "synonyms": lambda i: Synonym(i["id"], _text(i, "name"), _words(i.get("words")),
                                      _text(i, "description")),
    }
    loaded: dict[str, dict[str, Any]] = {}
    lines: dict[str, dict[str, dict[str, int]]] = {}
    problems: list[Problem] = []
    for kind, filename in REGISTRY_FILES.items():
        loaded[kind], lines[kind], found = _load_one(
            kind, data_dir / filename, f"{shown_prefix}/{filename}", makers[kind])
        problems.extend(found)
    for kind, filename in OPTIONAL_FILES.items():
        loaded[kind], lines[kind] = {}, {}
        if (data_dir / filename).exists():
            loaded[kind], lines[kind], found = _load_one(
                kind, data_dir / filename, f"{shown_prefix}/{filename}", makers[kind])
            problems.extend(found)
    streets = dict(sorted(loaded["streets"].items(), key=lambda kv: (kv[1].order, kv[0])))
    shown = f"{shown_prefix}/{REGISTRY_FILES['teams']}"
    problems.extend(_check_team_streets(loaded["teams"], lines["teams"], streets, shown))
    registries = Registries(streets, loaded["teams"], loaded["categories"], loaded["audiences"],
                            loaded["synonyms"])
    return registries, problems


def _check_team_streets(teams: dict[str, Team], lines: dict[str, dict[str, int]],
                        streets: dict[str, Street], shown: str) -> list[Problem]:
    names = {s.name: s.id for s in streets.values()}
    return [
        Problem(shown, lines[team.id].get("street", lines[team.id][""]), "street",
                f"队伍“{team.name}”的街镇编号“{team.street}”不存在",
                did_you_mean(team.street, streets, names) or "填写 streets.yml 中的编号")
        for team in teams.values()
        if team.street and team.street not in streets
    ]
