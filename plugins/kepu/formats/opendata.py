"""Open data: every event as JSON (with a published JSON Schema) and as CSV for Excel/WPS."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kepu.content.model import COMMUNITY_KINDS, STATUS_LABELS, STATUSES, STREET_KINDS, Community, Place
from kepu.content.recurrence import occurrence_point
from kepu.content.sessions import changed_times, session_label
from kepu.formats import phones
from kepu.formats.csvsafe import cell
from kepu.index.site import EventEntry, SiteIndex, in_window, last_local_day, local_day, session_community
from kepu.index.stats import recorded_attendance

DATA_VERSION = "1.8"  # 1.1: status_label; 1.2: recurrence.sessions (changed sessions of a series);
# 1.3: programmes, campaigns, venue_id, community_id, community_kind, speakers (and the CSV's columns);
# 1.4: the CSV's 名额 and 免费 columns; 1.5: recurrence.sessions[].venue_id; 1.6: recurrence.stop (a
# series called off from one session on), attendance null where events.csv and the figures leave it out;
# 1.7: a series' CSV rows name a campaign only for its sessions in the campaign's window; 1.8:
# venues.json's former_names (a renamed venue's earlier names)
CSV_COLUMNS = [
    ("event_id", "活动编号"), ("date", "日期"), ("start", "开始时间"), ("end", "结束时间"),
    ("all_day", "全天"), ("title", "活动名称"), ("status", "状态"), ("street_id", "街镇编号"),
    ("street", "街镇"), ("community", "社区"), ("venue", "地点"), ("address", "地址"),
    ("online", "线上链接"), ("team", "主办队伍"), ("categories", "活动类型"), ("audiences", "服务对象"),
    ("cost", "费用"), ("registration", "需要报名"), ("phone", "报名电话"), ("attendance", "参加人数"),
    ("url", "活动页面"),
    # Appended in 1.3 (existing columns keep their place): the association's registries.
    ("programme_ids", "科普项目编号"), ("programmes", "科普项目"), ("campaign_ids", "主题活动编号"),
    ("campaigns", "主题活动"), ("venue_id", "场地编号"), ("community_id", "社区编号"),
    ("community_kind", "社区类别"), ("speaker_ids", "专家编号"), ("speakers", "专家"),
    # Appended in 1.4: what a year's report counts besides sessions.
    ("capacity", "名额"), ("free", "免费"),
]
# What each CSV column holds (the open-data page lists them); several values are joined by 、.
CSV_NOTES = {
    "event_id": "活动编号（文件名），同一活动的各场相同", "date": "这一场的日期", "start": "开始时间，全天活动为空",
    "end": "结束时间或全天活动的最后一天", "all_day": "是 / 否", "title": "活动名称",
    "status": "这一场的状态：正常举办、已取消、已改期等", "street_id": "街镇编号", "street": "街镇名称",
    "community": "社区或村的名称", "venue": "地点名称", "address": "地址", "online": "线上参加的链接",
    "team": "主办志愿服务队", "categories": "活动类型", "audiences": "服务对象", "cost": "费用说明",
    "registration": "是否需要报名", "phone": "报名电话；只写数字的号码按读法分组（0123-4567 8900、138 1234 5678），表格软件不会丢掉开头的 0", "attendance": "活动结束后登记的整项活动参加人数，只写在这项活动举办的第一场那一行（重复活动的其余各场留空），按列求和每项活动只算一次",
    "url": "活动页面地址", "programme_ids": "活动所属科普项目的编号（programmes.json；上级项目见其 parent）",
    "programmes": "科普项目名称", "campaign_ids": "这一场所属主题活动的编号（campaigns.json）；重复活动只有活动期内的那几场写它", "campaigns": "主题活动名称",
    "venue_id": "这一场所在登记场地的编号（venues.json），换了地点的一场是新地点的；临时地点为空", "community_id": "社区或村的编号（communities.json）",
    "community_kind": "社区 / 村；未登记时为空", "speaker_ids": "同意公开姓名的专家的编号（people.json）",
    "speakers": "同意公开姓名的专家",
    "capacity": "这一场的报名名额（人）；没有写名额为空", "free": "免费活动为“是”，收费为“否”",
}
NUMERIC_CSV_COLUMNS = frozenset({"attendance", "capacity"})  # written as numbers, a negative one too
COLUMN_KEYS = frozenset(key for key, _ in CSV_COLUMNS)


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _named(ident: str, name: str) -> dict[str, str]:
    return {"id": ident, "name": name}


def _session(event, change) -> dict[str, Any]:
    """A changed session: the rule's date it replaces, cancelled or its new time and place."""
    zone = ZoneInfo(event.timezone)
    original = occurrence_point(change.original, event.start, zone)
    original = original if isinstance(event.start, datetime) else original.date()
    start, end = changed_times(event, change, original)
    venue = change.venue
    return {"date": _when(original), "status": "cancelled" if change.cancelled else "moved",
            "start": None if change.cancelled else _when(start), "end": None if change.cancelled else _when(end),
            "venue": None if venue is None else {"name": venue.name, "address": venue.address,
                                                 "lat": venue.lat, "lon": venue.lon},
            "venue_id": change.venue_id or None, "note": change.note}


def event_record(entry: EventEntry, index: SiteIndex, site: str, ics: str | None = None) -> dict[str, Any]:
    """One event as open data; field names are stable across versions of the same major number.
    Its attendance is the one events.csv and the statistics count (``recorded_attendance``)."""
    event = entry.event
    venue, reg, contact = event.venue, event.registration, event.contact
    return {
        "id": event.slug,
        "url": f"{site}/{entry.url}",
        "ics": ics,
        "title": event.title,
        "summary": event.summary,
        "status": event.status,
        "status_label": event.status_label,
        "status_note": event.status_note,
        "start": _when(event.start),
        "end": _when(event.end),
        "all_day": event.all_day,
        "timezone": event.timezone,
        "previous_start": _when(event.previous_start),
        "recurrence": None if event.recurrence is None else {
            "rrule": event.recurrence.rrule,
            "exdates": [_when(d) for d in event.recurrence.exdates],
            "rdates": [_when(d) for d in event.recurrence.rdates],
            "sessions": [_session(event, s) for s in event.recurrence.sessions],
            "stop": None if event.recurrence.stop is None else {
                "from": _session(event, event.recurrence.stop)["date"], "note": event.recurrence.stop.note},
        },
        "next_start": _when(entry.next.start) if entry.next and entry.next.held else None,
        "street": _named(event.street, entry.street.name),
        "street_kind": entry.street.kind,
        "community": event.community,
        "community_id": event.community_id or None,
        "community_kind": entry.community.kind if entry.community else None,
        "venue_id": event.venue_id or None,
        "venue": None if venue is None else {"name": venue.name, "address": venue.address,
                                             "lat": venue.lat, "lon": venue.lon},
        "online": event.online or None,
        "team": _named(event.team, entry.team.name),
        "categories": [_named(c.id, c.name) for c in entry.categories],
        "audiences": [_named(a.id, a.name) for a in entry.audiences],
        "age_min": event.age_min,
        "age_max": event.age_max,
        "cost": event.cost,
        "free": event.is_free,
        "registration": None if reg is None else {
            "required": reg.required, "url": reg.url or None, "phone": reg.phone or None,
            "email": reg.email or None, "deadline": _when(reg.deadline), "capacity": reg.capacity},
        "contact": None if contact is None else (contact.text or " ".join(
            filter(None, (contact.name, contact.phone, contact.email)))),
        "accessibility": event.accessibility or None,
        "tags": list(event.tags),
        "programmes": [_named(p.id, p.name) for p in entry.programmes],
        "campaigns": [_named(c.id, c.name) for c in entry.campaigns],
        "speakers": [_named(p.id, p.name) for p in entry.speakers],
        "attendance": recorded_attendance(entry, index.build_date, index.timezone),
        "report": entry.reports[0] if entry.reports else None,
        "updated": _when(event.updated),
    }


def events_document(records: list[dict[str, Any]], index: SiteIndex, site: str, schema_url: str) -> dict:
    """The published document around event records (see ``event_record``)."""
    return {
        "$schema": schema_url,
        "version": DATA_VERSION,
        "build_date": index.build_date.isoformat(),
        "site": site,
        "count": len(records),
        "events": records,
    }


def dumps(document: dict) -> bytes:
    """Compact UTF-8 JSON (the C encoder: indenting would use the slow pure-Python one)."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def record_json(record: dict[str, Any]) -> bytes:
    """One record as it appears inside ``events_json`` (UTF-8)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def events_json(records: list[bytes], index: SiteIndex, site: str, schema_url: str) -> bytes:
    """``dumps(events_document(...))`` from records already encoded by ``record_json``."""
    return b"".join(events_json_parts(records, index, site, schema_url))


def events_json_parts(records: list[bytes], index: SiteIndex, site: str, schema_url: str) -> list[bytes]:
    """``events_json`` as pieces to write one after another: the records are not copied into
    one document (tens of megabytes at 16,000 events)."""
    head = dumps(events_document([], index, site, schema_url) | {"count": len(records)})
    assert head.endswith(b"[]}\n")  # "events" is the document's last member
    parts = [head[:-4], b"["]
    for record in records:
        parts += (record, b",")
    if records:
        parts.pop()
    parts.append(b"]}\n")
    return parts


CsvLine = tuple[str, str]  # (sort key: day, time and event, tab-separated; line)


def csv_lines(entry: EventEntry, index: SiteIndex, site: str) -> list[CsvLine]:
    """An event's CSV lines, one per session (recurring events expanded up to the horizon)."""
    zone = index.timezone
    event = entry.event
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    keys = []
    # The whole event's attendance, on one row only: a spreadsheet's SUM counts a series once.
    counted = entry.counting_session
    attendance = recorded_attendance(entry, index.build_date, zone)  # none on a cancelled or coming event
    for occurrence in entry.occurrences:
        timed = isinstance(occurrence.start, datetime)
        venue = occurrence.venue  # a moved session's own place
        elsewhere = occurrence.elsewhere
        place = index.registries.venues.get(occurrence.venue_id) if elsewhere else None
        moved_to = session_community(index.registries, entry, occurrence) if elsewhere else None
        start = occurrence.start.astimezone(zone) if timed else None
        end = occurrence.end.astimezone(zone) if timed else None
        day = local_day(occurrence.start, zone)
        keys.append(f"{day.isoformat()}\t{start.strftime('%H:%M') if start else ''}\t{event.slug}")
        registration = event.registration
        writer.writerow(csv_row({
            "event_id": event.slug, "date": day.isoformat(), "start": start.strftime("%H:%M") if start else "",
            "end": end.strftime("%Y-%m-%d %H:%M") if end else last_local_day(occurrence, zone).isoformat(),
            "all_day": "否" if timed else "是", "title": event.title,
            "status": session_label(occurrence) or event.status_label, "street_id": event.street,
            "street": entry.street.name,
            "community": (moved_to.name if moved_to else "") if elsewhere else event.community,
            "venue": venue.name if venue else "", "address": venue.address if venue else "", "online": event.online,
            "team": entry.team.name, "categories": "、".join(c.name for c in entry.categories),
            "audiences": "、".join(a.name for a in entry.audiences), "cost": event.cost,
            "registration": "是" if registration and registration.required else "否",
            "phone": phones.grouped(registration.phone) if registration else "",
            "attendance": attendance if occurrence is counted else None, "url": f"{site}/{entry.url}",
            # A series' session is in the campaigns whose window it is in (its other sessions are not
            # theirs: a spreadsheet counting a campaign's 场次 counted a weekly series' whole season).
            **_registry_cells(entry, elsewhere, place, moved_to,
                              tuple(c for c in entry.campaigns if in_window(occurrence, c, zone))
                              if event.recurrence is not None else entry.campaigns),
        }))
    return list(zip(keys, lines, strict=True))


def _registry_cells(entry: EventEntry, elsewhere: bool = False, place: Place | None = None,
                    moved_to: Community | None = None, campaigns: tuple | None = None) -> dict[str, Any]:
    """The 1.3 and 1.4 columns: programmes, campaigns, venue, community, consenting speakers,
    places and whether it is free. A session moved to another place (``elsewhere``) is at the
    registered venue it went to (``place``) and in that venue's community, else at none."""
    def joined(items: tuple, attribute: str) -> str:
        return "、".join(getattr(item, attribute) for item in items)

    community = moved_to if elsewhere else entry.community
    community_id = (community.id if community else "") if elsewhere else entry.event.community_id
    return {"programme_ids": joined(entry.programmes, "id"), "programmes": joined(entry.programmes, "name"),
            "campaign_ids": joined(entry.campaigns if campaigns is None else campaigns, "id"),
            "campaigns": joined(entry.campaigns if campaigns is None else campaigns, "name"),
            "venue_id": (place.id if place else "") if elsewhere else entry.event.venue_id,
            "community_id": community_id,
            "community_kind": community.kind if community else "",
            "speaker_ids": joined(entry.speakers, "id"), "speakers": joined(entry.speakers, "name"),
            "capacity": entry.event.registration.capacity if entry.event.registration else None,
            "free": "是" if entry.event.is_free else "否"}


def csv_row(values: Mapping[str, Any]) -> list:
    """A row in ``CSV_COLUMNS`` order, from its values by column, made safe for spreadsheets:
    numbers stay numbers in numeric columns, text that could start a formula gets a leading '
    (``csvsafe.cell``). A value for no column, or a column without a value, is a mistake."""
    if values.keys() != COLUMN_KEYS:
        raise ValueError(f"CSV row: missing {sorted(COLUMN_KEYS - values.keys())}, unknown {sorted(values.keys() - COLUMN_KEYS)}")
    return [cell(values[key], key in NUMERIC_CSV_COLUMNS) for key, _ in CSV_COLUMNS]


class _Lines(list):
    """A csv writer's file: each row, written in one call, becomes one item (with any quoted
    line breaks inside it)."""

    write = list.append


def csv_document(lines: Iterable[list[CsvLine]]) -> bytes:
    """The CSV file from every event's ``csv_lines``: sessions by day, time and event; UTF-8
    with BOM (so that spreadsheet programs read it as UTF-8)."""
    return b"".join(csv_document_parts(lines))


def csv_document_parts(lines: Iterable[list[CsvLine]]) -> list[bytes]:
    """``csv_document`` as pieces to write one after another (a line each, not one copy)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(label) for _, label in CSV_COLUMNS])
    ordered = sorted((line for event in lines for line in event), key=lambda line: line[0])
    return ["\ufeff".encode() + buffer.getvalue().encode("utf-8"), *(text.encode("utf-8") for _, text in ordered)]


def _string(description: str, nullable: bool = False, **extra: Any) -> dict:
    return {"type": ["string", "null"] if nullable else "string", "description": description, **extra}


def _named_schema(description: str) -> dict:
    return {"type": "object", "description": description, "required": ["id", "name"],
            "additionalProperties": False,
            "properties": {"id": _string("编号"), "name": _string("中文名称")}}


def schema(schema_url: str) -> dict:
    """JSON Schema (2020-12) of events.json, with Chinese descriptions of every field."""
    when = "ISO 8601：全天活动为日期（2026-12-05），其他为带时区偏移的时间（2026-12-05T14:00:00+08:00）"
    venue_schema = {"type": ["object", "null"], "description": "活动地点；纯线上活动为 null",
                    "properties": {"name": _string("地点名称"), "address": _string("地址"),
                                   "lat": {"type": ["number", "null"], "description": "纬度（WGS-84）"},
                                   "lon": {"type": ["number", "null"], "description": "经度（WGS-84）"}},
                    "required": ["name", "address", "lat", "lon"], "additionalProperties": False}
    session_schema = {"type": "object", "description": "单独取消或改期的一场",
                      "properties": {"date": _string(f"这一场按重复规则原定的开始。{when}"),
                                     "status": {"enum": ["cancelled", "moved"],
                                                "description": "cancelled 这一场取消、moved 这一场改了时间或地点"},
                                     "start": _string("改期后的开始；取消时为 null", nullable=True),
                                     "end": _string("改期后的结束；取消时为 null", nullable=True),
                                     "venue": venue_schema | {"description": "改后的地点；没有改地点时为 null"},
                                     "venue_id": _string("改后的地点是登记场地时，它的编号（venues.json）；"
                                                         "临时地点或没有改地点时为 null", nullable=True),
                                     "note": _string("说明")},
                      "required": ["date", "status", "start", "end", "venue", "venue_id", "note"],
                      "additionalProperties": False}
    event_properties = {
        "id": _string("活动编号，即文件名；永久不变，也是日历订阅中 UID 的前半部分", pattern="^[a-z0-9]+(-[a-z0-9]+)*$"),
        "url": _string("活动页面地址", format="uri"),
        "ics": _string("单个活动的日历文件地址；早已结束的活动没有", nullable=True),
        "title": _string("活动名称"),
        "summary": _string("一句话简介"),
        "status": {"enum": list(STATUSES),
                   "description": "状态：scheduled 正常举办、cancelled 已取消、full 名额已满、postponed "
                                  "改期或延期（previous_start 有值：已改期，start 是新的时间；"
                                  "previous_start 为 null：已延期，新时间待定，start 是原定时间）"},
        "status_label": {"enum": list(dict.fromkeys(STATUS_LABELS.values())),
                         "description": "页面上显示的状态：" + "、".join(STATUS_LABELS.values())},
        "status_note": _string("状态说明"),
        "start": _string(f"开始。{when}"),
        "end": _string(f"结束（全天活动为最后一天，含当天）。{when}"),
        "all_day": {"type": "boolean", "description": "是否全天活动"},
        "timezone": _string("时区（IANA），通常为 Asia/Shanghai"),
        "previous_start": _string("改期活动原定的开始时间", nullable=True),
        "recurrence": {"type": ["object", "null"], "description": "重复规则（RFC 5545），不重复时为 null",
                       "properties": {"rrule": _string("RRULE，UNTIL 为 UTC 时间"),
                                      "exdates": {"type": "array", "items": _string("不举办的日期"),
                                                  "description": "不举办的日期"},
                                      "rdates": {"type": "array", "items": _string("额外的日期"),
                                                 "description": "额外增加的日期"},
                                      "sessions": {"type": "array", "items": session_schema,
                                                   "description": "单独取消或改期的场次"},
                                      "stop": {"type": ["object", "null"], "description":
                                               "从某一场起停办：from 是停办后的第一场原定的时间，note 是原因；"
                                               "这一场和以后的场次（最多 20 场，重复规则到其中最后一场为止）都在 sessions 里，"
                                               "标为 cancelled；没有停办时为 null",
                                               "properties": {"from": _string("停办后的第一场原定的时间"),
                                                              "note": _string("停办的原因")},
                                               "required": ["from", "note"], "additionalProperties": False}},
                       "required": ["rrule", "exdates", "rdates", "sessions", "stop"], "additionalProperties": False},
        "next_start": _string("构建日期以后下一次举办的开始时间；已结束、已取消或延期待定（以后的场次都不举办）的活动为 null",
                              nullable=True),
        "street": _named_schema("所属街镇"),
        "street_kind": {"enum": list(STREET_KINDS), "description": "街镇类别"},
        "community": _string("社区或村"),
        "community_id": _string("社区或村的编号（communities.json）；未登记时为 null", nullable=True),
        "community_kind": {"enum": [*COMMUNITY_KINDS, None], "description": "社区或村的类别；未登记时为 null"},
        "venue_id": _string("登记场地的编号（venues.json）；临时地点或纯线上活动为 null", nullable=True),
        "venue": venue_schema,
        "online": _string("线上参加的链接", nullable=True),
        "team": _named_schema("主办志愿服务队"),
        "categories": {"type": "array", "items": _named_schema("活动类型"), "description": "活动类型"},
        "audiences": {"type": "array", "items": _named_schema("服务对象"), "description": "服务对象"},
        "age_min": {"type": ["integer", "null"], "description": "最小适合年龄"},
        "age_max": {"type": ["integer", "null"], "description": "最大适合年龄"},
        "cost": _string("费用说明"),
        "free": {"type": "boolean", "description": "是否免费"},
        "registration": {"type": ["object", "null"], "description": "报名信息",
                         "properties": {"required": {"type": "boolean", "description": "是否需要报名"},
                                        "url": _string("报名链接", nullable=True),
                                        "phone": _string("报名电话", nullable=True),
                                        "email": _string("报名邮箱", nullable=True),
                                        "deadline": _string("报名截止日期", nullable=True),
                                        "capacity": {"type": ["integer", "null"], "description": "名额"}},
                         "required": ["required", "url", "phone", "email", "deadline", "capacity"],
                         "additionalProperties": False},
        "contact": _string("联系方式", nullable=True),
        "accessibility": _string("无障碍说明", nullable=True),
        "tags": {"type": "array", "items": {"type": "string"}, "description": "关键词"},
        "programmes": {"type": "array", "items": _named_schema("科普项目"),
                       "description": "所属科普项目（programmes.json；上级项目见其 parent）"},
        "campaigns": {"type": "array", "items": _named_schema("主题活动"), "description": "所属主题活动（campaigns.json）"},
        "speakers": {"type": "array", "items": _named_schema("专家"),
                     "description": "同意公开姓名的专家（people.json）；其他专家不列出"},
        "attendance": {"type": ["integer", "null"], "description":
                       "活动结束后登记的参加人数（整项活动一个数）；已取消、延期待定、还没办完第一场的活动为 null，"
                       "与 events.csv 和统计页一致"},
        "report": _string("活动报道新闻的编号（活动的 report:，没有时是提到它的最新一篇新闻）", nullable=True),
        "updated": _string("最后修改时间", nullable=True),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": "科普日历活动数据",
        "description": "全部已发布活动。字段名在同一主版本号内保持不变；新增字段只增加次版本号。",
        "type": "object",
        "required": ["version", "build_date", "site", "count", "events"],
        "properties": {
            "$schema": _string("本结构说明的地址"),
            "version": _string("数据格式版本（主版本.次版本）", pattern=r"^\d+\.\d+$"),
            "build_date": _string("生成数据所依据的日期"),
            "site": _string("网站地址"),
            "count": {"type": "integer", "description": "活动数量"},
            "events": {"type": "array", "description": "活动列表，按编号排序", "items": {
                "type": "object", "required": list(event_properties), "additionalProperties": False,
                "properties": event_properties}},
        },
    }
