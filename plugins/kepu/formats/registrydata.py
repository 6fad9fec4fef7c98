"""The association's registries as open data: programmes, campaigns, venues, communities and
the experts who agreed to be named (no private field is ever published)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kepu.index.site import SiteIndex

# Registry -> the fields published, in order (an explicit list: a field added to the model later
# is not published by accident; people never get ``consent`` or anything private).
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "programmes": ("id", "name", "level", "parent", "owners", "description"),
    "campaigns": ("id", "name", "edition", "start", "end", "main_event", "description"),
    "venues": ("id", "name", "kind", "street", "community", "address", "lat", "lon", "hours", "accessibility",
               "base_level", "description", "closed_from", "closed_until", "closed_note", "former_names"),
    "communities": ("id", "name", "kind", "street", "description"),
    "people": ("id", "name", "title", "field", "organisation", "description"),
}
# What each field means (the open-data page lists them).
FIELD_NOTES = {
    "id": "编号（网址中使用，不会改变）", "name": "名称", "level": "级别：国家、市、区、街镇",
    "parent": "上级项目的编号（没有时为空）", "owners": "承办队伍的编号列表", "description": "介绍",
    "edition": "届次", "start": "开始日期", "end": "结束日期", "main_event": "主场活动的编号",
    "kind": "类别", "street": "所属街镇编号", "community": "所在社区或村的编号", "address": "地址",
    "lat": "纬度", "lon": "经度", "hours": "开放时间", "accessibility": "无障碍说明",
    "base_level": "科普基地级别", "title": "职称", "field": "专业领域", "organisation": "单位",
    "closed_from": "暂停开放的第一天（没有暂停时为空）", "closed_until": "恢复开放前的最后一天（为空：另行通知）",
    "closed_note": "暂停开放的原因", "former_names": "改名前用过的名称（原名）的列表，近的在前；没有改过名为空列表",
    "events": "本站登记的活动数（项）", "url": "页面地址", "feed": "日历订阅地址（ICS）",
}
TITLES = {"programmes": "科普项目", "campaigns": "主题活动", "venues": "场地", "communities": "社区和村",
          "people": "专家（仅本人同意公开的）"}


def _value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def registry_document(index: SiteIndex, kind: str, site: str, links: dict[str, tuple[str, str]],
                      version: str) -> dict[str, Any]:
    """Every listed item of ``kind`` with its page and calendar (``links``: id -> (page, feed))."""
    facets = index.facets[kind]
    items = []
    for ident, item in index.registries.listed(kind).items():
        record = {key: _value(getattr(item, key)) for key in PUBLIC_FIELDS[kind]}
        page, feed = links[ident]
        items.append(record | {"events": facets[ident].count if ident in facets else 0,
                               "url": f"{site}/{page}", "feed": f"{site}/{feed}"})
    return {"version": version, "build_date": index.build_date.isoformat(), "site": site,
            "title": TITLES[kind], "count": len(items), kind: items}
