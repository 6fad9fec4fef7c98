"""The year's figures in the association's own terms: 场次 and 人次 per programme, campaign, street,
category, volunteer team, community level and expert, as the stats page and the year-end summary
table show them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial

from kepu.content.model import COMMUNITY_KINDS, Registries
from kepu.index.site import EventEntry, SiteIndex, local_day, session_community
from kepu.index.stats import (
    VILLAGE,
    Figures,
    Row,
    Tally,
    campaign_day,
    campaign_sessions,
    campaign_whole,
    counted_attendance,
    counted_elsewhere,
    counted_sessions,
    held_sessions,
)

TOTAL = "\0total"  # the tally key of a section's 合计: events with any key in the section
OTHER = "\0other"  # events with none (not in any programme, campaign, …)
NO_COMMUNITY = "未登记社区或村"


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the summary: a line per programme (street, …), then 合计 and the events outside."""

    key: str
    title: str  # 科普项目
    column: str  # the first column's header: 项目
    lines: tuple[Row, ...]
    total: Row
    other: Row | None = None  # 未列入科普项目: events of the year in none of the lines
    note: str = ""


@dataclass(frozen=True, slots=True)
class Unrecorded:
    """An event held in the year whose 参加人数 is not recorded yet: the staffer asks its team."""

    team: str
    title: str
    slug: str  # its 活动编号 in events.csv, and its file's name
    day: date  # its first session (the one its people count on, ``counting_session``)
    street: str


@dataclass(frozen=True, slots=True)
class Yearbook:
    """A year's summary (``year`` None: all years), with the page's ``figures`` it extends."""

    year: int | None
    figures: Figures
    total: Row
    sections: tuple[Section, ...]
    active_programmes: int
    village_share: float  # percent of the year's 场次 held in villages (村)
    unrecorded: tuple[Unrecorded, ...] = ()  # a year's events held with no 参加人数, by team and day
    area: str = "街镇"  # what the district calls its streets (AreaWords.short: 乡镇…)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _keys(entry: EventEntry, registries: Registries) -> dict[str, tuple[str, ...]]:
    """What an event counts under in each dimension of its own (a programme's parents too)."""
    event = entry.event
    return {
        "programmes": tuple(dict.fromkeys(a for p in event.programmes for a in registries.ancestors(p))),
        "teams": (event.team,),
        "people": event.speakers,
    }


def _community_parts(registries: Registries, entry: EventEntry, sessions: list) -> list[tuple[str, list]]:
    """The community kinds an event's sessions are held in, each with its sessions, the event's
    own first: a session moved to a registered venue is in that venue's community, one moved to a
    place written out in none, as events.csv lists them (``session_community``)."""
    parts: dict[str, list] = {}
    for occurrence in sessions:
        community = session_community(registries, entry, occurrence)
        parts.setdefault(community.kind if community else NO_COMMUNITY, []).append(occurrence)
    home = entry.community.kind if entry.community else NO_COMMUNITY
    return sorted(parts.items(), key=lambda part: part[0] != home)


def yearbook(index: SiteIndex, result: Figures, urls: dict[str, dict[str, str]] | None = None) -> Yearbook:
    """The summary of ``result.year`` (the page's figures, which give the streets and categories)."""
    urls = urls or {}
    year, registries = result.year, index.registries
    area = index.area_words.short  # 街镇, 乡镇…: what the district's pages call its streets
    tallies = {kind: Tally() for kind in ("programmes", "campaigns", "teams", "communities", "people", "year")}
    for entry in index.entries:
        counted = counted_sessions(entry, year, index.timezone)
        if not counted:
            continue
        sessions, held = len(counted), len(held_sessions(entry, counted, index.build_date, index.timezone))
        attendance = counted_attendance(entry, year, index.build_date, index.timezone)
        elsewhere = counted_elsewhere(entry, year, index.build_date, index.timezone)
        tallies["year"].add([TOTAL], sessions, attendance, held, elsewhere)
        for kind, keys in _keys(entry, registries).items():
            tallies[kind].add([*keys, TOTAL] if keys else [OTHER], sessions, attendance, held, elsewhere)
        tallies["communities"].add([TOTAL], sessions, attendance, held, elsewhere)
        counting = entry.counting_session  # the event's 人次 once, in the row of the session events.csv writes them on
        for number, (key, part) in enumerate(_community_parts(registries, entry, counted)):
            holds = any(o is counting for o in part)
            tallies["communities"].add([key], len(part), attendance if holds else None,
                                       len(held_sessions(entry, part, index.build_date, index.timezone)),
                                       elsewhere and number == 0)
        _add_campaigns(tallies["campaigns"], index, entry, year, counted, attendance, elsewhere)
    unrecorded = _unrecorded(index, year) if year is not None else ()
    total = tallies["year"].row(TOTAL, "全年合计")
    programmes = _programme_lines(registries, tallies["programmes"], urls.get("programmes", {}))
    sections = (
        _section("programmes", "科普项目", "项目", programmes, tallies["programmes"], "未列入科普项目",
                 "上级项目含其下各项目的活动；一项活动属于几个项目时，合计中只算一次。"),
        _section("campaigns", "主题活动", "主题活动", _lines(registries.campaigns, tallies["campaigns"],
                                                             urls.get("campaigns", {})),
                 tallies["campaigns"], "不属于主题活动",
                 "与主题活动页面的算法相同：只算活动期内的场次（前一天晚上开始、跨进活动期的也算）；"
                 "重复活动在活动期以外的场次算“不属于主题活动”，它按整项登记的参加人数两行都不计入。"),
        _registry_section("streets", f"各{area}", area, result.streets, registries.streets, total),
        _registry_section("categories", "活动类型", "类型", result.categories, registries.categories, total,
                          "一项活动可属于几个类型，合计中只算一次。"),
        _section("teams", "志愿服务队", "队伍", _lines(registries.teams, tallies["teams"], urls.get("teams", {}), True),
                 tallies["teams"], note="每项活动算在主办它的队伍下；没有开展活动的队伍也列出。"),
        _section("communities", "社区和村", "类别", [tallies["communities"].row(kind, kind) for kind in
                                                     (*COMMUNITY_KINDS, NO_COMMUNITY)],
                 tallies["communities"], note="按每一场所在的社区或村登记的类别统计（换到登记场地的一场，算在那个场地所在的社区或村，"
                      "与 events.csv 相同）；一项活动的场次分在几行时，每行都算这项活动，人次只算在它第一场所在的一行。"),
        _people_section(registries, tallies["people"], urls.get("people", {})),
    )
    villages = tallies["communities"].row(VILLAGE, VILLAGE).sessions
    return Yearbook(year, result, total, sections, len(programmes),
                    villages / total.sessions * 100 if total.sessions else 0.0, unrecorded, area)


def _add_campaigns(tally: Tally, index: SiteIndex, entry: EventEntry, year: int | None, counted: list,
                   attendance: int | None, elsewhere: bool) -> None:
    """The event's sessions in each campaign it is in (named or ``implied``), as the campaign's page
    counts them (``campaign_sessions``): a series' sessions outside the window are 不属于主题活动,
    and its people, recorded as a whole, count in neither line (``campaign_whole``)."""
    zone, build_date, held = index.timezone, index.build_date, partial(held_sessions, entry)
    joined: dict[int, object] = {}
    for campaign in entry.campaigns:
        own = campaign_sessions(entry, campaign, zone)
        part = [o for o in own if year is None or campaign_day(o, campaign, zone).year == year]
        if not part:
            continue
        joined.update((id(o), o) for o in part)
        whole = campaign_whole(entry, own, zone)
        tally.add([campaign.id], len(part), attendance if whole else None,
                  len(held(part, build_date, zone)), elsewhere or (not whole and attendance is not None))
    rest = [o for o in counted if id(o) not in joined]
    if joined:  # 合计: each session once, however many campaigns hold it
        sessions = list(joined.values())
        tally.add([TOTAL], len(sessions), attendance if not rest else None, len(held(sessions, build_date, zone)),
                  elsewhere or bool(rest and attendance is not None))
    if rest:
        tally.add([OTHER], len(rest), None if joined else attendance, len(held(rest, build_date, zone)),
                  elsewhere or bool(joined and attendance is not None))


def _unrecorded(index: SiteIndex, year: int) -> tuple[Unrecorded, ...]:
    """The year's events whose people would count in it (their first session is held, in ``year``)
    but are not recorded; none for a cancelled event or one not yet held (``recorded_attendance``)."""
    zone = index.timezone
    teams = {ident: number for number, ident in enumerate(index.registries.teams)}
    found = []
    for entry in index.entries:
        event, first = entry.event, entry.counting_session
        if event.attendance is not None or event.status == "cancelled":
            continue
        day = local_day(first.start, zone)
        if day.year == year and held_sessions(entry, [first], index.build_date, zone):
            found.append((teams[event.team], day, event.slug,
                          Unrecorded(entry.team.name, event.title, event.slug, day, entry.street.name)))
    return tuple(item for *_, item in sorted(found, key=lambda f: f[:3]))


def _section(key: str, title: str, column: str, lines: Iterable[Row], tally: Tally, other: str = "",
             note: str = "") -> Section:
    other_row = tally.row(OTHER, other) if other else None
    return Section(key, title, column, tuple(lines), tally.row(TOTAL, "合计"), other_row, note)


def _lines(registry: dict, tally: Tally, urls: dict[str, str], every: bool = False) -> list[Row]:
    """A line per item with events (``every``: per item), in registry order."""
    return [tally.row(ident, item.name, urls.get(ident, "")) for ident, item in registry.items()
            if every or ident in tally.rows]


def _programme_lines(registries: Registries, tally: Tally, urls: dict[str, str]) -> list[Row]:
    """Programmes as a tree in registry order: each parent followed by the programmes inside it."""
    children: dict[str, list[str]] = {}
    for ident, programme in registries.programmes.items():
        parent = programme.parent if programme.parent in registries.programmes else ""
        children.setdefault(parent, []).append(ident)
    lines: list[Row] = []
    stack = [(ident, 0) for ident in reversed(children.get("", []))]
    seen: set[str] = set()
    while stack:
        ident, depth = stack.pop()
        if ident in seen or ident not in tally.rows:
            continue
        seen.add(ident)
        lines.append(tally.row(ident, registries.programmes[ident].name, urls.get(ident, ""), depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(ident, [])))
    return lines


def _registry_section(key: str, title: str, column: str, rows: list[Row], registry: dict, total: Row,
                      note: str = "") -> Section:
    """Streets or categories from the page's figures, in registry order, with the year's total."""
    order = {ident: number for number, ident in enumerate(registry)}
    lines = tuple(sorted(rows, key=lambda row: order[row.key]))
    return Section(key, title, column, lines, Row(TOTAL, "合计", total.events, total.sessions, "",
                                                 total.attendance, total.recorded, 0, total.held, total.elsewhere),
                   None, note)


def _people_section(registries: Registries, tally: Tally, urls: dict[str, str]) -> Section:
    """Consenting experts by name; the others in one line, neither named nor told apart."""
    public = registries.listed("people")
    lines = [tally.row(ident, person.name, urls.get(ident, "")) for ident, person in public.items()
             if ident in tally.rows]
    hidden = [tally.rows[ident] for ident in tally.rows if ident in registries.people and ident not in public]
    if hidden:
        lines.append(Row("", f"未公开姓名的专家（{len(hidden)} 位）", sum(r.events for r in hidden),
                         sum(r.sessions for r in hidden), "", sum(r.attendance for r in hidden),
                         sum(r.recorded for r in hidden), 0, sum(r.held for r in hidden),
                         sum(r.elsewhere for r in hidden)))
    return Section("people", "专家", "专家", tuple(lines), tally.row(TOTAL, "合计"), tally.row(OTHER, "没有登记专家"),
                   "每位专家的场次是他（她）参加的活动的场次；几位专家同一场活动时各算一次，合计中只算一次。")
