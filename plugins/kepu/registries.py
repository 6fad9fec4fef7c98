"""Load and validate the registries in content/data/*.yml."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import decode, load_yaml
from .model import STREET_KINDS, Audience, Category, Registries, Street, Team
from .problems import Problem
from .safety import registry_text_problems
from .suggest import did_you_mean

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REGISTRY_FILES = {
    "streets": "streets.yml",
    "teams": "teams.yml",
    "categories": "categories.yml",
    "audiences": "audiences.yml",
}
_FIELDS = {
    "streets": {"id", "name", "kind", "order", "area", "description"},
    "teams": {"id", "name", "street", "contact", "description"},
    "categories": {"id", "name", "description"},
    "audiences": {"id", "name", "description"},
}


def _entries(path: Path, shown: str) -> tuple[list[tuple[dict, dict[str, int]]], list[Problem]]:
    """Items of a registry file, each with the line of each of its keys."""
    if not path.exists():
        return [], [Problem(shown, 0, "", "登记表文件不存在", "从示例站点复制一份再修改")]
    text, problems = decode(path.read_bytes(), shown)
    if text is None:
        return [], problems
    problems = registry_text_problems(text, shown)  # before the loader: deep nesting crashes it
    if problems:
        return [], problems
    data, node, problems = load_yaml(text, shown, 1)
    if problems:
        return [], problems
    if data is None:
        return [], []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        return [], [Problem(shown, 1, "", "登记表应是一个列表，每项以“- id: …”开头",
                            "参照示例站点的写法")]
    items = []
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(item_node, yaml.MappingNode):
            problems.append(Problem(shown, line, "", "这一项不是“字段: 内容”的格式",
                                    "每项写成 - id: 编号，下一行缩进写 name: 名称"))
            continue
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in item_node.value}
        lines[""] = line
        items.append((item, lines))
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
        for key in item:
            if str(key) not in _FIELDS[kind]:
                problems.append(Problem(shown, lines.get(str(key), line), str(key), "未知字段",
                                        did_you_mean(str(key), _FIELDS[kind]) or "删除这一行",
                                        "warning"))
        ident = item.get("id")
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            problems.append(Problem(shown, lines.get("id", line), "id",
                                    f"编号“{ident}”不合规：只能用小写英文字母、数字和短横线",
                                    "例如 id: xinbei；编号会出现在网址中，发布后不要再改"))
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


def _check_item(kind: str, item: dict, lines: dict[str, int], shown: str) -> Problem | None:
    if kind == "streets":
        if item.get("kind") not in STREET_KINDS:
            return Problem(shown, lines.get("kind", lines[""]), "kind",
                           f"类别“{item.get('kind')}”无效", "只能写 街道、镇 或 功能区")
        if not isinstance(item.get("order", 0), int) or isinstance(item.get("order"), bool):
            return Problem(shown, lines.get("order", lines[""]), "order",
                           "显示顺序必须是整数", "例如 order: 50")
    return None


def load_registries(data_dir: Path, shown_prefix: str = "content/data") -> tuple[Registries, list[Problem]]:
    """Read every registry; problems name the file and line."""
    makers = {
        "streets": lambda i: Street(i["id"], _text(i, "name"), i["kind"], i.get("order", 0) or 0,
                                    _text(i, "area"), _text(i, "description")),
        "teams": lambda i: Team(i["id"], _text(i, "name"), _text(i, "street"),
                                _text(i, "contact"), _text(i, "description")),
        "categories": lambda i: Category(i["id"], _text(i, "name"), _text(i, "description")),
        "audiences": lambda i: Audience(i["id"], _text(i, "name"), _text(i, "description")),
    }
    loaded: dict[str, dict[str, Any]] = {}
    lines: dict[str, dict[str, dict[str, int]]] = {}
    problems: list[Problem] = []
    for kind, filename in REGISTRY_FILES.items():
        loaded[kind], lines[kind], found = _load_one(
            kind, data_dir / filename, f"{shown_prefix}/{filename}", makers[kind])
        problems.extend(found)
    streets = dict(sorted(loaded["streets"].items(), key=lambda kv: (kv[1].order, kv[0])))
    shown = f"{shown_prefix}/{REGISTRY_FILES['teams']}"
    problems.extend(_check_team_streets(loaded["teams"], lines["teams"], streets, shown))
    registries = Registries(streets, loaded["teams"], loaded["categories"], loaded["audiences"])
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
