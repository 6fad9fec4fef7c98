"""Programmes, campaigns, venues, communities and experts (content/data/*.yml): what an editor is
told when a registry or an event names them wrongly, and the pages, feeds and links residents get."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_build, run_check

COMMUNITIES = """\
- id: jinjiang
  name: 金江社区
  kind: 社区
  street: xinbei
- id: yangjiao
  name: 羊角村
  kind: 村
  street: xiaowangzhuang
- id: ganglu
  name: 甘露社区
  kind: 社区
  street: shengtaicheng
"""
VENUES = """\
- id: anquanguan
  name: 生态城安全教育体验馆
  kind: 科普基地
  base_level: 市级
  street: shengtaicheng
  address: 天津市滨海新区中新天津生态城安全馆
  lat: 39.1362
  lon: 117.7534
  hours: 周二至周日 9:00–16:30
"""
PROGRAMMES = """\
- id: huimin-xingxian
  name: 惠民兴县
  level: 国家
- id: xinnong-xuetang
  name: 新农学堂
  level: 街镇
  parent: huimin-xingxian
  owners: [binhai-kexie]
- id: liudong-kejiguan
  name: 流动科技馆
  level: 国家
"""
CAMPAIGNS = """\
- id: kepuri-2026
  name: 2026年全国科普日
  start: 2026-12-01
  end: 2026-12-10
"""
PEOPLE = """\
- id: li-minghua
  name: 李明华
  title: 主任医师
  organisation: 汉沽中医医院
  consent: true
- id: wang-hidden
  name: 王未同意
  title: 高级农艺师
  consent: false
"""
EVENT = """\
---
title: 新农学堂：冬季大棚管理
start: 2026-12-08 09:00
end: "11:00"
street: shengtaicheng
team: binhai-kexie
categories: [keji-xiaxiang]
audiences: [shequ-jumin]
venue: anquanguan
community: ganglu
programmes: [xinnong-xuetang]
campaigns: [kepuri-2026]
speakers: [li-minghua, wang-hidden]
---
专家讲冬季大棚的保温和病害防治。
"""
EVENT_PATH = "content/events/shengtaicheng/2026/xinnong-dongji.md"


def with_registries(site: Path, **changed: str) -> Path:
    """The mini site with the five registries (``changed`` replaces one file's text) and one event using them."""
    files = {"communities": COMMUNITIES, "venues": VENUES, "programmes": PROGRAMMES,
             "campaigns": CAMPAIGNS, "people": PEOPLE} | changed
    for name, text in files.items():
        if name == "event":
            continue
        (site / "content" / "data" / f"{name}.yml").write_text(text, "utf-8")
    event = site / EVENT_PATH
    event.parent.mkdir(parents=True, exist_ok=True)
    event.write_text(changed.get("event", EVENT), "utf-8")
    old = site / "content/events/xinbei/2026/liudong-kejiguan.md"  # the mini site's free text, migrated
    old.write_text(old.read_text("utf-8").replace("community: 金江社区", "community: jinjiang"), "utf-8")
    return site


def check_lines(site: Path) -> list[str]:
    result = run_check(content=site / "content", cwd=site)
    return [line.strip() for line in result.stdout.splitlines()]


def test_the_mini_site_with_all_registries_passes_the_check(mini_site: Path) -> None:
    """The sample of this file is right: every other test changes one thing in it."""
    site = with_registries(mini_site)
    result = run_check(content=site / "content", cwd=site)
    assert result.returncode == 0, result.stdout
    assert "没有发现问题" in result.stdout


def test_unknown_ids_in_an_event_are_named_with_the_id_meant(mini_site: Path) -> None:
    event = (EVENT.replace("venue: anquanguan", "venue: anquangaun")
             .replace("programmes: [xinnong-xuetang]", "programmes: [xinnong-xuetan]")
             .replace("campaigns: [kepuri-2026]", "campaigns: [kepuri-2025]")
             .replace("speakers: [li-minghua, wang-hidden]", "speakers: [li-minhua]"))
    lines = check_lines(with_registries(mini_site, event=event))
    assert f"{EVENT_PATH}:9: venue: 未知的场地编号“anquangaun” — 是否想写“anquanguan”（生态城安全教育体验馆）？" in lines
    assert f"{EVENT_PATH}:11: programmes[0]: 未知的项目编号“xinnong-xuetan” — 是否想写“xinnong-xuetang”（新农学堂）？" in lines
    assert f"{EVENT_PATH}:12: campaigns[0]: 未知的主题活动编号“kepuri-2025” — 是否想写“kepuri-2026”（2026年全国科普日）？" in lines
    assert f"{EVENT_PATH}:13: speakers[0]: 未知的专家编号“li-minhua” — 是否想写“li-minghua”（李明华）？" in lines


def test_a_community_typed_as_free_text_is_given_its_id(mini_site: Path) -> None:
    """Once communities.yml exists, community: is an id; the name an editor used to type is refused
    with the id to write. Without communities.yml (the mini site as it is) free text still passes."""
    plain = run_check(content=mini_site / "content", cwd=mini_site)
    assert plain.returncode == 0, plain.stdout
    site = with_registries(mini_site, event=EVENT.replace("community: ganglu", "community: 甘露社区"))
    (site / EVENT_PATH).with_name("typo.md").write_text(EVENT.replace("community: ganglu", "community: ganglv"))
    lines = check_lines(site)
    assert f"{EVENT_PATH}:10: community: 未知的社区或村编号“甘露社区” — “甘露社区”是名称，这里要写编号：ganglu" in lines
    typo = EVENT_PATH.replace("xinnong-dongji", "typo")
    assert f"{typo}:10: community: 未知的社区或村编号“ganglv” — 是否想写“ganglu”（甘露社区）？" in lines


def test_a_registry_name_on_two_lines_is_refused(mini_site: Path) -> None:
    """A name is one line: shown in titles and calendars, and written into the comments of the
    files new-event makes, where a second line would have been a field of its own (online: …)."""
    venues = VENUES.replace("  name: 生态城安全教育体验馆",
                            '  name: "生态城安全教育体验馆\\nonline: https://evil.example/live\\n#"')
    lines = check_lines(with_registries(mini_site, venues=venues))
    assert "content/data/venues.yml:2: name: 这一项不能换行 — 写在同一行：name: 文字" in lines, lines


def test_a_community_of_another_street_is_questioned(mini_site: Path) -> None:
    """An event of 生态城 naming 新北's 金江社区 passed the check: it was listed on the community's
    page but not on its street's, and on the street's page but not the community's."""
    site = with_registries(mini_site, event=EVENT.replace("community: ganglu", "community: jinjiang"))
    lines = check_lines(site)
    assert (f"{EVENT_PATH}:10: （提醒）community: “金江社区”属于新北街道，不是这个活动的街镇（中新天津生态城）"
            " — 检查 street 和 community 是否写对") in lines, lines
    strict = run_check(content=site / "content", cwd=site, strict=True)
    assert strict.returncode == 1, strict.stdout


def test_registry_items_naming_unknown_ids_are_refused_with_file_and_line(mini_site: Path) -> None:
    venues = VENUES.replace("street: shengtaicheng", "street: shengtaichen")
    programmes = PROGRAMMES.replace("parent: huimin-xingxian", "parent: huimin-xinxian")
    communities = COMMUNITIES + "- id: jinjiang\n  name: 金江社区二\n  kind: 社区\n  street: xinbei\n"
    lines = check_lines(with_registries(mini_site, venues=venues, programmes=programmes, communities=communities))
    assert ("content/data/venues.yml:5: street: 场地“生态城安全教育体验馆”的街镇编号“shengtaichen”不存在"
            " — 是否想写“shengtaicheng”（中新天津生态城）？") in lines
    assert ("content/data/programmes.yml:7: parent: 项目“新农学堂”的上级项目编号“huimin-xinxian”不存在"
            " — 是否想写“huimin-xingxian”（惠民兴县）？") in lines
    assert "content/data/communities.yml:13: id: 编号“jinjiang”重复（第 1 行已使用） — 每个编号只能用一次" in lines


def test_a_registry_item_missing_a_required_field_is_refused(mini_site: Path) -> None:
    communities = COMMUNITIES.replace("  street: xiaowangzhuang\n", "")
    campaigns = CAMPAIGNS.replace("  end: 2026-12-10\n", "")
    lines = check_lines(with_registries(mini_site, communities=communities, campaigns=campaigns))
    assert "content/data/communities.yml:5: street: “羊角村”缺少所属街镇编号 — 加一行 street: …" in lines
    assert "content/data/campaigns.yml:1: end: 缺少活动期的最后一天 — 加一行 end: 2026-05-16（只写日期）" in lines


def test_a_campaign_window_with_a_mistyped_year_is_refused(mini_site: Path) -> None:
    """end: 2036-12-10 for 2026: check said 检查通过 and the build ran for hours writing a page for
    each day, each listing every day (one year: 848 pages, 32 MB; ten years would fill the disk)."""
    campaigns = CAMPAIGNS.replace("  end: 2026-12-10\n", "  end: 2036-12-10\n")
    site = with_registries(mini_site, campaigns=campaigns)
    lines = check_lines(site)
    assert ("content/data/campaigns.yml:4: end: 活动期有 3663 天，主题活动最长 92 天（约三个月） — 检查 end 的年份和月份是否写错；"
            "全年开展的活动请登记为科普项目（programmes.yml）") in lines, lines
    quarter = CAMPAIGNS.replace("  end: 2026-12-10\n", "  end: 2027-03-02\n")  # 92 days: a summer's campaign
    assert run_check(content=with_registries(mini_site, campaigns=quarter) / "content", cwd=site).returncode == 0


def test_campaigns_adding_up_to_more_days_than_any_site_holds_are_refused(mini_site: Path) -> None:
    """300 campaigns of 92 days each (a 40 KB campaigns.yml) passed the check, and every build
    wrote 59,000 pages, 933 MB, one for each campaign day. Together they may last 2,000 days."""
    from datetime import date, timedelta

    first = date(2026, 1, 1)
    many = "".join(f"- id: huodong-{n}\n  name: 主题活动{n}\n  start: {first + timedelta(days=92 * n)}\n"
                   f"  end: {first + timedelta(days=92 * n + 91)}\n" for n in range(30))
    lines = check_lines(with_registries(mini_site, campaigns=CAMPAIGNS + many))
    line = 5 + 4 * 21 + 3  # the end of the 22nd of the thirty: 10 + 21 × 92 = 1,942 days before it
    assert (f"content/data/campaigns.yml:{line}: end: 主题活动的活动期加起来超过 2000 天（每一天都有一个页面） — "
            "删去早已结束、不再需要单独页面的主题活动，或把长期开展的活动登记为科普项目（programmes.yml）") in lines, lines
    fewer = "".join(f"- id: huodong-{n}\n  name: 主题活动{n}\n  start: {first + timedelta(days=92 * n)}\n"
                    f"  end: {first + timedelta(days=92 * n + 91)}\n" for n in range(20))
    assert not [x for x in check_lines(with_registries(mini_site, campaigns=CAMPAIGNS + fewer)) if "加起来" in x]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini site with the registries and the event, built once (build date 2026-12-01)."""
    import shutil

    from conftest import TEST_SITE

    site = tmp_path_factory.mktemp("entities") / "site"
    shutil.copytree(TEST_SITE, site)
    with_registries(site, people=PEOPLE + "- id: zhang-nosay\n  name: 张未表态\n  title: 工程师\n")
    output = site.parent / "output"
    result = run_build(site / "content", output)
    assert result.returncode == 0, result.stderr
    return output


def test_people_without_consent_are_told_and_never_published(mini_site: Path, built: Path) -> None:
    people = PEOPLE + "- id: zhang-nosay\n  name: 张未表态\n  title: 工程师\n"
    lines = check_lines(with_registries(mini_site, people=people))
    assert ("content/data/people.yml:10: （提醒）consent: “张未表态”没有写 consent: true：网站不会为他（她）建页面，"
            "活动页上也不显示姓名 — 本人书面同意公开姓名、职称和单位后，加一行 consent: true") in lines
    assert (built / "people/li-minghua/index.html").is_file()
    assert not (built / "people/wang-hidden").exists() and not (built / "people/zhang-nosay").exists()
    assert not (built / "feeds/people/wang-hidden.ics").exists()
    published = [p for p in built.rglob("*") if p.is_file() and p.suffix in (".html", ".ics", ".json", ".csv", ".atom")]
    assert published and not [p for p in published if "王未同意" in p.read_text("utf-8", errors="replace")]


def _text(path: Path) -> str:
    return path.read_text("utf-8")


def test_the_event_page_links_every_entity_it_names(built: Path) -> None:
    page = _text(built / "events/xinnong-dongji/index.html")
    for url, name in (("venues/anquanguan/", "生态城安全教育体验馆"), ("communities/ganglu/", "甘露社区"),
                      ("programmes/xinnong-xuetang/", "新农学堂"), ("campaigns/kepuri-2026/", "2026年全国科普日"),
                      ("people/li-minghua/", "李明华")):
        assert re.search(rf'<a href="/{url}">{name}</a>', page), url
    assert "王未同意" not in page


def test_each_entity_has_a_page_a_feed_an_embed_and_an_index(built: Path) -> None:
    uid = "UID:xinnong-dongji@"
    for kind, ident in (("programmes", "xinnong-xuetang"), ("campaigns", "kepuri-2026"), ("venues", "anquanguan"),
                        ("communities", "ganglu"), ("people", "li-minghua")):
        assert "新农学堂：冬季大棚管理" in _text(built / kind / ident / "index.html"), kind
        assert uid in _text(built / "feeds" / kind / f"{ident}.ics"), kind
        assert "新农学堂：冬季大棚管理" in _text(built / "embed" / kind / ident / "index.html"), kind
        assert f'href="/{kind}/{ident}/"' in _text(built / kind / "index.html"), kind
        assert f'href="/feeds/{kind}/{ident}.ics"' in _text(built / "subscribe/index.html"), kind


def test_a_parent_programme_lists_its_local_projects_events(built: Path) -> None:
    page = _text(built / "programmes/huimin-xingxian/index.html")
    assert "新农学堂：冬季大棚管理" in page
    assert '<a href="/programmes/xinnong-xuetang/">新农学堂</a>' in page
    assert "UID:xinnong-dongji@" in _text(built / "feeds/programmes/huimin-xingxian.ics")
    assert "xinnong-dongji@" not in _text(built / "feeds/programmes/liudong-kejiguan.ics")


def test_a_venue_page_gives_hours_and_map_links_from_the_registry(built: Path) -> None:
    page = _text(built / "venues/anquanguan/index.html")
    assert "周二至周日 9:00–16:30" in page and "市级科普基地" in page
    assert "https://uri.amap.com/marker?position=117.753400,39.136200" in page
    event = _text(built / "events/xinnong-dongji.ics")
    assert "LOCATION:生态城安全教育体验馆（天津市滨海新区中新天津" in event and "GEO:39.1362;117.7534" in event


@pytest.mark.parametrize(("line", "where"), [
    ("  phone: \"138 1234 5678\"\n", "phone"),
    ("  wechat: liminghua1970\n", "wechat"),
    ("  description: 预约请拨 022-2530 1234\n", "description"),
    ("  description: 联系邮箱 lmh@example.cn\n", "description"),
])
def test_a_phone_number_or_private_contact_in_people_is_refused(mini_site: Path, line: str, where: str) -> None:
    people = PEOPLE.replace("  consent: true\n", "  consent: true\n" + line, 1)
    lines = check_lines(with_registries(mini_site, people=people))
    refused = [text for text in lines if text.startswith(f"content/data/people.yml:6: {where}: 专家登记表")]
    assert refused, lines
    assert "私人联系方式" in refused[0] and "—" in refused[0]
    assert not [text for text in lines if text.startswith(EVENT_PATH)]  # the event is not blamed as well


def test_the_build_reports_the_same_registry_problems_as_the_check(mini_site: Path, tmp_path: Path) -> None:
    venues = VENUES.replace("street: shengtaicheng", "street: shengtaichen")
    event = EVENT.replace("programmes: [xinnong-xuetang]", "programmes: [xinnong-xuetan]")
    site = with_registries(mini_site, venues=venues, event=event)
    checked = run_check(content=site / "content", cwd=site)
    built = run_build(site / "content", tmp_path / "output")
    assert checked.returncode == 1 and built.returncode != 0
    in_check = set(re.findall(r"^\s*(content/\S+: .+)$", checked.stdout, re.MULTILINE))
    in_build = set(re.findall(r"^\s*(content/\S+: .+)$", built.stdout + built.stderr, re.MULTILINE))
    assert in_check == in_build and len(in_check) == 2, sorted(in_check ^ in_build)


def test_naming_a_registered_venue_instead_of_writing_it_out_moves_nothing() -> None:
    """Subscribers are not told an event moved (nor do calendars see a new SEQUENCE) when its
    editor replaces the written-out venue by the venues.yml id of the same place."""
    from kepu.index.history import change_kind, significant

    places = {"anquanguan": ("生态城安全教育体验馆", "天津市滨海新区中新天津生态城安全馆")}
    written = "---\ntitle: 研学\nstart: 2026-12-08 09:00\nvenue:\n  name: 生态城安全教育体验馆\n" \
              "  address: 天津市滨海新区中新天津生态城安全馆\n---\n正文\n"
    named = "---\ntitle: 研学\nstart: 2026-12-08 09:00\nvenue: anquanguan\n---\n正文\n"
    elsewhere = named.replace("venue: anquanguan", "venue:\n  name: 泰达图书馆报告厅")
    assert change_kind(significant(written, places), significant(named, places)) is None
    assert change_kind(significant(named, places), significant(elsewhere, places)) == "moved"


def test_an_event_outside_its_campaign_window_is_questioned(mini_site: Path) -> None:
    event = EVENT.replace("start: 2026-12-08 09:00", "start: 2026-12-18 09:00")
    lines = check_lines(with_registries(mini_site, event=event))
    assert (f"{EVENT_PATH}:12: （提醒）campaigns[0]: 活动日期不在“2026年全国科普日”期间（12月1日至12月10日）"
            " — 检查活动日期，或删去这个主题活动编号") in lines


RENAMED = VENUES + "  former_names: [生态城安全馆]\n"  # the venue's name before it was renamed


def test_a_venue_written_on_one_line_is_told_how_to_write_it(mini_site: Path) -> None:
    """A registered venue's name (or its former name) gets its id; any other place on one line
    still gets the way to write name and address."""
    site = with_registries(mini_site, event=EVENT.replace("venue: anquanguan", "venue: 生态城安全教育体验馆"),
                           venues=RENAMED)
    (site / EVENT_PATH).with_name("elsewhere.md").write_text(EVENT.replace("venue: anquanguan", "venue: 泰达图书馆"))
    (site / EVENT_PATH).with_name("old-name.md").write_text(EVENT.replace("venue: anquanguan", "venue: 生态城安全馆"))
    lines = check_lines(site)
    assert f"{EVENT_PATH}:9: venue: 未知的场地编号“生态城安全教育体验馆” — “生态城安全教育体验馆”是名称，这里要写编号：anquanguan" in lines
    assert (f"{EVENT_PATH.replace('xinnong-dongji', 'old-name')}:9: venue: “生态城安全馆”是场地“生态城安全教育体验馆”"
            "（编号 anquanguan）以前的名称 — 这里写场地编号：venue: anquanguan（名称、地址和地图用登记的）") in lines
    assert (f"{EVENT_PATH.replace('xinnong-dongji', 'elsewhere')}:9: venue: 地点要分开写名称和地址"
            " — 在 venue: 下面另起两行，各缩进两个空格，写 name: 场地名称 和 address: 详细地址"
            "；常用场地也可以只写 content/data/venues.yml 里的场地编号") in lines


def test_a_registered_venue_written_out_by_its_id_or_name_is_told_to_name_it(mini_site: Path) -> None:
    """``invoke new-event --venue anquanguan`` wrote the id out as the place's name, and the check
    passed it: the id would have been published as the place. Written out under its registered
    name, the venue's page listed none of its events."""
    by_id = EVENT.replace("venue: anquanguan", "venue:\n  name: anquanguan")
    site = with_registries(mini_site, event=by_id)
    by_name = EVENT.replace("venue: anquanguan", "venue:\n  name: 生态城安全教育体验馆\n  address: 中新天津生态城安全馆")
    other = (site / EVENT_PATH).with_name("by-name.md")
    other.write_text(by_name.replace("title: 新农学堂：冬季大棚管理", "title: 新农学堂：春季大棚管理"), "utf-8")
    elsewhere = (site / EVENT_PATH).with_name("elsewhere.md")
    elsewhere.write_text(EVENT.replace("venue: anquanguan", "venue:\n  name: 泰达图书馆\n  address: 泰达街道")
                         .replace("title: 新农学堂：冬季大棚管理", "title: 新农学堂：秋季大棚管理"), "utf-8")
    # Written out under the name it had before it was renamed: its page would not list the event,
    # and the event's page would give the old name.
    (site / "content" / "data" / "venues.yml").write_text(RENAMED, "utf-8")
    (site / EVENT_PATH).with_name("old-name.md").write_text(
        by_name.replace("name: 生态城安全教育体验馆", "name: 生态城安全馆").replace(
            "title: 新农学堂：冬季大棚管理", "title: 新农学堂：夏季大棚管理"), "utf-8")
    lines = check_lines(site)
    assert (f"{EVENT_PATH}:10: venue.name: 场地名称“anquanguan”是登记过的场地编号"
            " — 把 venue: 下面的几行换成一行 venue: anquanguan（名称和地址用 content/data/venues.yml 里登记的）") in lines
    assert (f"{EVENT_PATH.replace('xinnong-dongji', 'by-name')}:10: （提醒）venue.name: “生态城安全教育体验馆”是登记过的场地"
            "（编号 anquanguan） — 写成一行 venue: anquanguan，场地页才会列出这个活动，名称和地址也以登记的为准") in lines
    assert (f"{EVENT_PATH.replace('xinnong-dongji', 'old-name')}:10: （提醒）venue.name: “生态城安全馆”是场地"
            "“生态城安全教育体验馆”（编号 anquanguan）以前的名称 — 写成一行 venue: anquanguan，场地页才会列出这个活动，"
            "页面上也是它现在的名称和地址") in lines
    assert not [line for line in lines if "elsewhere.md" in line], lines


def test_a_session_moved_to_a_registered_venue_is_written_by_its_id(mini_site: Path) -> None:
    """The venues.yml header tells volunteers to write ``venue: 场地编号`` instead of copying a
    place out; a series' moved session is written the same way. Its page, its calendar override
    (read by the icalendar library) and open data give the registered name, address and
    coordinates; a mistyped id is told apart from a place written on one line."""
    from icalendar import Calendar
    from test_session_changes import SERIES, with_sessions

    site = with_registries(mini_site)
    with_sessions(site, "  sessions:\n    - date: 2026-12-19\n      venue: anquanguan\n      note: 改在体验馆\n")
    assert "检查通过：没有发现问题。" in check_lines(site), check_lines(site)
    output = site.parent / "out"
    result = run_build(site / "content", output, build_date="2026-12-14")
    assert result.returncode == 0, result.stdout + result.stderr
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (output / "events/zhoumo-tongxuehui/index.html").read_text("utf-8")))
    assert "2026年12月19日（周六）14:00–16:00 已换地点" in page, page  # the next session, where it is held
    assert "地点 生态城安全教育体验馆 天津市滨海新区中新天津生态城安全馆 地图： 高德地图" in page, page
    assert "2026年12月19日（周六） 地点：生态城安全教育体验馆 · 改在体验馆" in page, page  # the list of dates
    calendar = Calendar.from_ical((output / "feeds/all.ics").read_bytes())
    moved = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("zhoumo-tongxuehui@")
                 and "RECURRENCE-ID" in e and e.decoded("RECURRENCE-ID").day == 19)
    assert str(moved["LOCATION"]) == "生态城安全教育体验馆（天津市滨海新区中新天津生态城安全馆）"
    assert (moved["GEO"].latitude, moved["GEO"].longitude) == (39.1362, 117.7534)
    record = next(e for e in json.loads((output / "data/events.json").read_text("utf-8"))["events"]
                  if e["id"] == "zhoumo-tongxuehui")
    assert record["recurrence"]["sessions"][0]["venue"] == {
        "name": "生态城安全教育体验馆", "address": "天津市滨海新区中新天津生态城安全馆", "lat": 39.1362, "lon": 117.7534}

    path = SERIES.as_posix()
    series = site / path
    series.write_text(series.read_text("utf-8").replace("      note: 改在体验馆\n", "      note: 改在体验馆\n"
                      "    - date: 2027-01-02\n      venue: anquangaun\n    - date: 2027-01-09\n      venue: 街道礼堂\n"), "utf-8")
    lines = check_lines(site)
    assert any(line.startswith(f"{path}:") and "recurrence.sessions[1].venue: 未知的场地编号“anquangaun”" in line
               and "anquanguan" in line for line in lines), lines
    assert any(line.startswith(f"{path}:") and "recurrence.sessions[2].venue: 新地点要分开写名称和地址 — 在 venue: 下面"
               in line and "venues.yml" in line for line in lines), lines


def test_a_new_event_file_offers_a_community_id_of_its_street(tmp_path: Path) -> None:
    """invoke new-event's file shows, commented out, an id of the street's own communities once the
    site has communities.yml (not the free text a volunteer would copy into a refused file)."""
    from datetime import date, time

    from conftest import ROOT
    from kepu.content.registries import load_registries
    from kepu.editor.scaffold import EventDraft, render_event
    from kepu.editor.schedule import Schedule

    registries, _ = load_registries(ROOT / "content" / "data")
    draft = EventDraft("流动科技馆进社区", "xinbei", "xinbei-liudong", Schedule(date(2027, 3, 6), (time(9), time(11))),
                       ("kepu-zhanlan",), ("qinzi",), "liudong-test", venue="金江社区活动中心", address="新北街道")
    text = render_event(draft, registries)
    assert "# 社区或村编号（可选，见 content/data/communities.yml）：金江社区\n# community: jinjiang\n" in text
