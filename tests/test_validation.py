"""Every validation rule, each with a bad file: the exact file, line and Chinese message."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TEST_SITE
from kepu.content.project import Layout, check
from kepu.content.validation import TEXT_LIMITS

GOOD = """---
title: 流动科技馆进校园
start: 2026-12-05 09:00
end: "16:00"
street: xinbei
team: xinbei-liudong
categories: [kexue-shiyan]
audiences: [qinzi]
venue:
  name: 新北街道党群服务中心
---
正文。
"""
SHOWN = "content/events/xinbei/2026/bad-event.md"


def replace(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def add(line: str) -> str:
    """Insert a front-matter line just before the closing --- (line 11)."""
    return GOOD.replace("\n---\n正文", f"\n{line}\n---\n正文", 1)


def problems_for(site: Path, text: str | bytes, name: str = "bad-event.md",
                 folder: str = "xinbei/2026") -> list[str]:
    path = site / "content" / "events" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    result = check(Layout(content=site / "content", root=site), [path])
    return [p.format() for p in result.problems]


CASES = {
    "unknown street with did-you-mean": (
        replace("street: xinbei", "street: xinbie"),
        [f"{SHOWN}:5: street: 未知的街镇编号“xinbie” — 是否想写“xinbei”（新北街道）？"],
    ),
    "street name instead of id": (
        replace("street: xinbei", "street: 新北街道"),
        [f"{SHOWN}:5: street: 未知的街镇编号“新北街道” — “新北街道”是名称，这里要写编号：xinbei"],
    ),
    "unknown team": (
        replace("team: xinbei-liudong", "team: xinbei-liudon"),
        [f"{SHOWN}:6: team: 未知的志愿服务队编号“xinbei-liudon” — "
         "是否想写“xinbei-liudong”（新北街道流动科技馆志愿服务队）？"],
    ),
    "unknown category in a list": (
        replace("categories: [kexue-shiyan]", "categories:\n  - kexue-shiyan\n  - kepu-jiangzou"),
        [f"{SHOWN}:9: categories[1]: 未知的活动类型编号“kepu-jiangzou” — 是否想写“kepu-jiangzuo”（科普讲座）？"],
    ),
    "unknown audience": (
        replace("audiences: [qinzi]", "audiences: [laoren]"),
        [f"{SHOWN}:8: audiences[0]: 未知的服务对象编号“laoren” — 是否想写“laonianren”（老年人）？"],
    ),
    "unquoted time read as sexagesimal": (
        replace('end: "16:00"', "end: 16:00"),
        [f'{SHOWN}:4: end: “16:00”被 YAML 读成了数字 960 — 时间要加英文引号：end: "16:00"'],
    ),
    "no read as a boolean": (
        add("cost: no"),
        [f'{SHOWN}:11: cost: “no”被 YAML 读成了真假值（否），而这里要写文字 — 给文字加上英文引号：cost: "no"'],
    ),
    "end before start": (
        replace('end: "16:00"', 'end: "08:00"'),
        [f"{SHOWN}:4: end: 结束时间早于（或等于）开始时间 — 检查日期是否写反；跨天活动请在 end 中写完整的日期和时间"],
    ),
    "impossible date": (
        replace("start: 2026-12-05 09:00", "start: 2026-02-30 09:00"),
        [f"{SHOWN}:3: start: 日期“2026-02-30 09:00”不存在（2 月没有 30 日） — 请核对月份和日期"],
    ),
    "slashed date": (
        replace("start: 2026-12-05 09:00", "start: 2026/12/5 09:00"),
        [f"{SHOWN}:3: start: 无法识别的日期“2026/12/5 09:00” — 日期要用短横线分隔，请写成 2026-12-05 09:00"],
    ),
    "bad rrule": (
        add("recurrence:\n  rrule: FREQ=WEEKY;BYDAY=SA"),
        [f"{SHOWN}:12: recurrence.rrule: FREQ=WEEKY 无效 — FREQ 只能是 DAILY、WEEKLY、MONTHLY 或 YEARLY"],
    ),
    "rule in Chinese": (  # what new-event accepts, written straight into the file
        add("recurrence:\n  rrule: 每周六"),
        [f"{SHOWN}:12: recurrence.rrule: rrule 要写成规则代码，不能直接写中文“每周六” — "
         "写成 rrule: FREQ=WEEKLY;BYDAY=SA（每周六）；有最后一天的加上 ;UNTIL=2027-01-30"],
    ),
    "weekday in Chinese": (
        add("recurrence:\n  rrule: FREQ=WEEKLY;BYDAY=周六"),
        [f"{SHOWN}:12: recurrence.rrule: rrule 要写成规则代码，不能直接写中文“FREQ=WEEKLY;BYDAY=周六” — "
         "星期几用英文缩写：周一 MO、周二 TU、周三 WE、周四 TH、周五 FR、周六 SA、周日 SU，例如 BYDAY=SA"],
    ),
    "minutely rrule": (
        add("recurrence:\n  rrule: FREQ=MINUTELY"),
        [f"{SHOWN}:12: recurrence.rrule: 不支持 FREQ=MINUTELY：活动最多每天重复一次 — 每天举办请写 FREQ=DAILY"],
    ),
    "unknown field is a warning with a suggestion": (
        add("sumary: 一句话"),
        [f"{SHOWN}:11: （提醒）sumary: 未知字段“sumary”，将被忽略 — 是否想写“summary”？"],
    ),
    "chinese field name is a warning naming the field": (
        add("标签: [电路]"),
        [f"{SHOWN}:11: （提醒）标签: 未知字段“标签”，将被忽略 — 是否想写“tags”？"],
    ),
    "missing end of a timed event": (
        replace('end: "16:00"\n', ""),
        [f'{SHOWN}:3: start: 缺少结束时间 — 加一行 end: "16:00"（同一天只写时间并加引号），或 duration: 2小时'],
    ),
    "missing team": (
        replace("team: xinbei-liudong\n", ""),
        [f"{SHOWN}:1: team: 必填字段缺失或为空 — 加一行 team: 队伍编号，例如 team: xinbei-liudong"],
    ),
    "title of spaces only": (  # what a form sends when a volunteer typed only spaces
        replace("title: 流动科技馆进校园", 'title: "    "'),
        [f"{SHOWN}:2: title: 只有空格，没有文字 — 在 title: 后面写上内容"],
    ),
    "title of full-width spaces only": (
        replace("title: 流动科技馆进校园", "title: \u3000\u3000"),
        [f"{SHOWN}:2: title: 只有空格，没有文字 — 在 title: 后面写上内容"],
    ),
    "tab indentation": (
        replace("  name: 新北街道党群服务中心", "\tname: 新北街道党群服务中心"),
        [f"{SHOWN}:10: 这一行用了 Tab 键缩进，YAML 只允许空格 — 把行首的 Tab 换成空格（通常是两个空格）"],
    ),
    "full-width colon after a key": (
        replace("team: xinbei-liudong", "team：xinbei-liudong"),
        [f"{SHOWN}:6: 字段名后面用了中文冒号“：” — 改成英文冒号加一个空格，例如 title: 活动名称"],
    ),
    "duplicate key": (
        add("street: xinbei"),
        [f"{SHOWN}:11: street: 字段重复（第 5 行已经写过） — 删除其中一个，只保留正确的那一行"],
    ),
    "no front matter": (
        "title: 没有分隔线\n",
        [f"{SHOWN}:1: 文件必须以一行 --- 开头，后面是 YAML 前置信息 — "
         "在文件第一行写 ---，前置信息写完后再写一行 ---，然后是正文"],
    ),
    "unterminated front matter": (
        GOOD.replace("\n---\n正文", "\n正文", 1),
        [f"{SHOWN}:1: 前置信息没有结束的 --- 行 — 在最后一个字段之后另起一行写 ---，再写正文"],
    ),
    "postponed without previous start": (
        add("status: postponed"),
        [f"{SHOWN}:11: status: 延期活动需要写原定时间 — 已定新时间：加一行 previous_start: 原定的开始时间，"
         "start 写新的时间；新时间待定：start 保留原定时间，加一行 status_note: 延期原因"],
    ),
    # 已取消 alone on the page: residents ask why, and whether it comes back. A reminder, so that a
    # cancellation is never held up for its wording.
    "cancelled without a reason": (
        add("status: cancelled"),
        [f"{SHOWN}:11: （提醒）status: 取消了，但没有写原因 — 加一行 status_note: 取消原因，"
         "例如“场地检修，下周照常”；居民看到“已取消”，最想知道为什么、以后还办不办"],
    ),
    "a series' session cancelled without a reason": (
        replace("end: \"16:00\"\n", "end: \"16:00\"\nrecurrence:\n  rrule: FREQ=WEEKLY;COUNT=3\n  sessions:\n"
                "    - date: 2026-12-12\n      status: cancelled\n"),
        [f"{SHOWN}:9: （提醒）recurrence.sessions[0].status: 取消了，但没有写原因 — 在这一场的 status 下面，"
         "同样缩进，加一行 note: 取消原因，例如“场地检修，下周照常”；居民看到“已取消”，最想知道为什么、以后还办不办"],
    ),
    # The web editor's slips, found by trying it: a year typed wrong moves a session of 5 Dec 2026
    # to 2025 (the page then lists it as held, the notice says nothing is on that week); the
    # series' own place chosen as the new one says 已换地点 where nothing changed.
    "a series' session moved by a year": (
        replace("end: \"16:00\"\n", "end: \"16:00\"\nrecurrence:\n  rrule: FREQ=WEEKLY;COUNT=3\n  sessions:\n"
                "    - date: 2026-12-12\n      start: 2025-12-13 09:00\n      note: 改到周日\n"),
        [f"{SHOWN}:9: （提醒）recurrence.sessions[0].start: 改期后的日期和原定日期相差 364 天 — "
         "检查年份和月份是否写错；真要改到半年以后，请取消这一场（status: cancelled），另外新建一项活动"],
    ),
    "a series' session moved to its own place": (
        replace("end: \"16:00\"\n", "end: \"16:00\"\nrecurrence:\n  rrule: FREQ=WEEKLY;COUNT=3\n  sessions:\n"
                "    - date: 2026-12-12\n      venue:\n        name: 新北街道党群服务中心\n"),
        [f"{SHOWN}:9: （提醒）recurrence.sessions[0].venue: 新地点就是活动本来的地点，页面和日历却会说“已换地点” — "
         "只改时间就删去这一场的 venue；时间也没有改，就删去这一项"],
    ),
    "unknown status": (
        add("status: 暂停"),
        [f"{SHOWN}:11: status: 未知的状态“暂停” — 只能写 scheduled（正常）、cancelled（已取消）、"
         "postponed（延期）或 full（名额已满）"],
    ),
    "online link without scheme": (
        add("online: live.example.cn/room"),
        [f"{SHOWN}:11: online: 链接“live.example.cn/room”无效，只接受以 http:、https: 开头的网址 — "
         "从浏览器地址栏复制完整网址，例如 https://example.cn/baoming"],
    ),
    "javascript link": (
        add("online: javascript:alert(1)"),
        [f"{SHOWN}:11: online: 链接“javascript:alert(1)”无效，只接受以 http:、https: 开头的网址 — "
         "从浏览器地址栏复制完整网址，例如 https://example.cn/baoming"],
    ),
    # A link with markup pasted after it, or no site at all: escaped on pages, but published as
    # it is in calendars, open data and structured data.
    "link with quotes and angle brackets": (
        add("online: 'https://live.example.cn/room/1\"><b>x</b>'"),
        [f'{SHOWN}:11: online: 链接“https://live.example.cn/room/1"><b>x</b>”无效：网址里不能有引号、尖括号或反斜杠 — '
         "从浏览器地址栏复制完整网址，例如 https://example.cn/baoming"],
    ),
    "link without a site": (
        add("online: https:///room"),
        [f"{SHOWN}:11: online: 链接“https:///room”无效：没有网站地址 — "
         "从浏览器地址栏复制完整网址，例如 https://example.cn/baoming"],
    ),
    # Pasted with the sentence's comma after it (a volunteer's audit): the page linked to
    # https://www.wjx.cn/vm/abc123.aspx， and the questionnaire site answered 404.
    "link with a Chinese comma pasted after it": (
        add("registration:\n  url: https://www.wjx.cn/vm/abc123.aspx，"),
        [f"{SHOWN}:12: registration.url: 链接“https://www.wjx.cn/vm/abc123.aspx，”里有中文标点“，”，"
         "网址里不会有它 — 只留网址本身，删去“，”（复制时常把后面的标点一起带进来）"],
    ),
    "link with full-width letters": (
        add("online: https://ｌｉｖｅ.example.cn/room"),
        [f"{SHOWN}:11: online: 链接“https://ｌｉｖｅ.example.cn/room”里有全角字符“ｌ”，"
         "网址里不会有它 — 从浏览器地址栏复制完整网址，或切换到英文输入法重新输入"],
    ),
    # The web form's 需要报名 switch left off under a phone number and 30 places (a volunteer's
    # audit): the page said 无需报名，直接到场，限 30 人 beside a 电话报名 button.
    "places without sign-up": (
        add("registration:\n  phone: \"022-2560 0000\"\n  capacity: 30"),
        [f"{SHOWN}:13: registration.capacity: 写了名额（限 30 人），却没有写需要报名，页面会写“无需报名，直接到场，限 30 人” — "
         "需要报名就在 registration 下加一行 required: true（网页表单里打开“需要报名”）；不用报名就删去这一行"],
    ),
    "a deadline without sign-up": (
        add("registration:\n  required: false\n  deadline: 2026-12-01"),
        [f"{SHOWN}:13: registration.deadline: 写了报名截止日期，却没有写需要报名 — "
         "需要报名就把 required 改成 true（网页表单里打开“需要报名”）；不用报名就删去这一行"],
    ),
    "phone number read as an octal number": (
        add("registration:\n  phone: 02225300000"),
        [f'{SHOWN}:12: registration.phone: 电话号码 02225300000 被 YAML 读成了数字 {0o2225300000}（开头的 0 会丢失） — '
         '给号码加上英文引号：phone: "02225300000"'],
    ),
    "latitude and longitude swapped": (
        replace("  name: 新北街道党群服务中心", "  name: 新北街道党群服务中心\n  lat: 117.647\n  lon: 39.0513"),
        [f"{SHOWN}:11: venue.lat: 纬度和经度写反了 — 应为 lat: 39.0513 和 lon: 117.647（在中国，纬度比经度小）"],
    ),
    # What a web form saves without a word, and the page would say wrongly (a volunteer's audit).
    "postponed to the time it had": (
        add("status: postponed\nprevious_start: 2026-12-05 09:00"),
        [f"{SHOWN}:12: previous_start: 原定开始时间和现在的开始时间相同 — 改期后 start 写新的时间、previous_start "
         "写原来的时间；新时间还没定，删去 previous_start，写 status_note 说明"],
    ),
    # Its new date given later, the note written when there was none still said so (a volunteer's
    # audit): 本活动已改期，原定…，现改为 2027年1月10日…。主讲医生临时出差，新时间另行通知.
    "a note still waiting for the new date it has": (
        replace("start: 2026-12-05 09:00", "start: 2027-01-09 09:00").replace(
            "\n---\n正文", "\nstatus: postponed\nprevious_start: 2026-12-05 09:00\n"
            "status_note: 主讲医生临时出差，新时间另行通知\n---\n正文", 1),
        [f"{SHOWN}:13: （提醒）status_note: 状态说明还写着“新时间另行通知”，可活动已经改到了新的时间，页面两句话会对不上 — "
         "改写状态说明，只留延期的原因（例如“主讲医生临时出差”），或删去这一行"],
    ),
    "a status note beside 正常举办": (
        add("status_note: 因天气原因延期，新时间另行通知"),
        [f"{SHOWN}:11: （提醒）status_note: 正常举办的活动不显示状态说明 — 活动取消、改期或名额已满时，改 status 再写说明；"
         "其他说明写进活动介绍"],
    ),
    "registration needed with no way to register": (
        add("registration:\n  required: true"),
        [f"{SHOWN}:11: （提醒）registration: 需要报名，却没有写怎么报名 — 在 registration 下写报名链接 url、电话 phone "
         "或邮箱 email（或写 contact 联系方式）"],
    ),
    # One mistake, one message: the unreadable latitude also counted as a missing one.
    "latitude not a number": (
        replace("  name: 新北街道党群服务中心", "  name: 新北街道党群服务中心\n  lat: abc\n  lon: 117.647"),
        [f"{SHOWN}:11: venue.lat: 坐标“abc”无效 — 写十进制小数，不带单位和“°”"],
    ),
    "all-day end with a time": (
        replace("start: 2026-12-05 09:00", "start: 2026-12-05"),
        [f"{SHOWN}:4: end: 全天活动的 end 只能写日期 — 写最后一天，例如 end: 2026-05-24；要写时间请在 start 中也写上时间"],
    ),
    "duration and end together": (
        add("duration: 2小时"),
        [f"{SHOWN}:11: duration: end 和 duration 只能写一个 — 删去其中一行"],
    ),
    "unreadable duration": (
        replace('end: "16:00"', "duration: 两个钟"),
        [f"{SHOWN}:4: duration: 无法识别的时长“两个钟” — 例如 duration: 2小时、duration: 90分钟、duration: 1小时30分钟"],
    ),
    "missing venue and online": (
        replace("venue:\n  name: 新北街道党群服务中心\n", ""),
        [f"{SHOWN}:1: venue: 缺少活动地点 — 写 venue:（名称和地址），线上活动写 online: 直播链接"],
    ),
    # A web form's cleared field (online: "") is no link: the event had no place at all and was published.
    "missing venue and an empty online link": (
        replace("venue:\n  name: 新北街道党群服务中心\n", 'online: ""\n'),
        [f"{SHOWN}:1: venue: 缺少活动地点 — 写 venue:（名称和地址），线上活动写 online: 直播链接"],
    ),
    "postponed with an empty original start": (
        add('status: postponed\nprevious_start: ""'),
        [f"{SHOWN}:11: status: 延期活动需要写原定时间 — 已定新时间：加一行 previous_start: 原定的开始时间，start 写新的时间；"
         "新时间待定：start 保留原定时间，加一行 status_note: 延期原因"],
    ),
    # Every day to the 9th, its end written as the last day: five sessions of five days each.
    "daily series ending on its last day": (
        replace('end: "16:00"', "end: 2026-12-09 16:00\nrecurrence:\n  rrule: FREQ=DAILY;UNTIL=20261209"),
        [f"{SHOWN}:4: end: 重复的活动，2026年12月5日（周六）那一场到2026年12月9日（周三）才结束，"
         "下一场2026年12月6日（周日）就开始了 — "
         'end 写第一场结束的时间（同一天结束只写时间，例如 end: "16:00"）；最后一场的日期写在 recurrence 的 until 里'],
    ),
    "yaml alias": (
        replace("title: 流动科技馆进校园", "title: &t 流动科技馆进校园\nsummary: *t"),
        [f"{SHOWN}:2: 前置信息中使用了 YAML 锚点或别名（& 和 *） — "
         "请直接写出内容，不要用 & 和 * 引用其他字段；如果是文字，请加引号"],
    ),
    "missing image": (
        add("image: images/none.jpg"),
        [f"{SHOWN}:11: image: 找不到图片 content/images/none.jpg — 检查文件名和大小写，或把图片放到这个位置"],
    ),
    "image outside content": (
        add("image: ../../etc/passwd.png"),
        [f"{SHOWN}:11: image: 图片路径“../../etc/passwd.png”无效 — "
         "写 content/ 下的相对路径，例如 image: images/events/dianlu.jpg（jpg/png/webp/svg）"],
    ),
    "report names a missing article": (
        add("report: kepu-ri-baodo"),
        [f"{SHOWN}:11: report: 找不到文件名为“kepu-ri-baodo”的新闻 — 是否想写“kepu-ri-baodao”？"],
    ),
    # Pasted from a web page or WeChat: the hidden character let a copy of an event past the
    # duplicate check, and split the title so that search no longer found its words.
    "zero-width space in the title": (
        replace("title: 流动科技馆进校园", "title: 流动科技馆\u200b进校园"),
        [f"{SHOWN}:2: 有看不见的零宽字符（U+200B），网页上看不出来，搜索和查重却会把文字当成不同的 — "
         "删除这些看不见的字符后重新保存（常见于从网页、微信或 Word 复制的文字）"],
    ),
    "line break in the title": (
        replace("title: 流动科技馆进校园", 'title: "流动科技馆\\n进校园"'),
        [f"{SHOWN}:2: title: 这一项不能换行 — 写在同一行：title: 文字"],
    ),
    "line break in the address": (
        replace("  name: 新北街道党群服务中心", '  name: 新北街道党群服务中心\n  address: "新北街道\\r\\n2号楼"'),
        [f"{SHOWN}:11: venue.address: 这一项不能换行 — 写在同一行：address: 文字"],
    ),
    # A news item's body showed ‮moc.elgoog//:sptth‬ as https://google.com, and a phone number
    # reversed: bodies with no right-to-left script need no direction controls.
    "direction override in the body": (
        GOOD.replace("正文。", "报名电话 \u202e0000 0352-220\u202c，欢迎参加。"),
        [f"{SHOWN}:12: 正文有改变文字方向的控制字符（U+202E），显示的顺序会与实际文字不同（网址、电话会被伪装） — "
         "删除这些看不见的字符后重新保存（常见于从网页、微信或 Word 复制的文字）"],
    ),
    # 全天 on the page and in calendars until midnight, while the text says 10:00-16:00: at 17:00 the
    # home page still showed it as on.
    "all-day event whose text gives its hours": (
        GOOD.replace("start: 2026-12-05 09:00\nend: \"16:00\"", "start: 2026-12-05").replace(
            "正文。", "科普集市全天开放（10:00-16:00），欢迎参加。"),
        [f"{SHOWN}:3: （提醒）start: 活动写的是全天，介绍里却写着 10:00-16:00：页面和日历会一直显示到当天夜里"
         " — 活动有开放时间的，写 start: 2026-12-05 开始时间（例如 09:00）和 end: \"结束时间\"，"
         "到点页面就显示已结束；确实全天的，不用改"],
    ),
    "all-day days with their hours say nothing": (  # several days, each with its hours: not one span
        GOOD.replace("start: 2026-12-05 09:00\nend: \"16:00\"", "start: 2026-12-05\nend: 2026-12-07").replace(
            "正文。", "每天开放（9:00-16:30）。"),
        [],
    ),
    "street folder mismatch is a warning": (
        replace("street: xinbei", "street: taida"),
        [f"{SHOWN}:5: （提醒）street: 文件放在 xinbei 文件夹，street 却写的是 taida — "
         "把文件移到 content/events/taida/ 下，或改正 street（这个文件夹的审核人会收到修改请求）"],
    ),
}


def test_an_event_in_a_folder_that_is_no_street_is_questioned(mini_site: Path) -> None:
    """The street folder decides who reviews a change (CODEOWNERS). A file left in a folder that is
    no registered street (another district's sample folder, a typo) went to no street's editors
    without a word; and with events kept under another name (EVENT_PATHS), a file in the wrong
    street's folder was not questioned at all."""
    assert problems_for(mini_site, GOOD, folder="hangu/2026") == [
        "content/events/hangu/2026/bad-event.md:5: （提醒）street: 文件放在 hangu 文件夹，它不是登记过的街镇编号 — "
        "把文件移到 content/events/xinbei/ 下（按街镇分文件夹，这个街镇的编辑才会收到审核请求）"]
    (mini_site / "content" / "events" / "hangu" / "2026" / "bad-event.md").unlink()
    (mini_site / "content" / "events").rename(mini_site / "content" / "huodong")
    path = mini_site / "content" / "huodong" / "taida" / "2026" / "bad-event.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD, "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site, events="huodong"), [path])
    assert [p.format() for p in result.problems] == [
        "content/huodong/taida/2026/bad-event.md:5: （提醒）street: 文件放在 taida 文件夹，street 却写的是 xinbei — "
        "把文件移到 content/huodong/xinbei/ 下，或改正 street（这个文件夹的审核人会收到修改请求）"]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_rule_reports_file_line_and_fix(mini_site: Path, case: str) -> None:
    text, expected = CASES[case]
    assert problems_for(mini_site, text) == expected


def test_good_file_has_no_problems(mini_site: Path) -> None:
    assert problems_for(mini_site, GOOD) == []


def test_bom_and_windows_line_endings_are_accepted(mini_site: Path) -> None:
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    assert problems_for(mini_site, data) == []


def test_gbk_file_is_reported_with_its_line(mini_site: Path) -> None:
    data = GOOD.replace("正文。", "正文：讲座").encode("gbk")
    assert problems_for(mini_site, data) == [
        f"{SHOWN}:2: 这一行有不是 UTF-8 编码的字符（常见于 GBK 编码的文件） — 请用 UTF-8 编码另存此文件"]


def test_file_name_must_be_an_ascii_slug(mini_site: Path) -> None:
    shown = "content/events/xinbei/2026/科普讲座.md"
    assert problems_for(mini_site, GOOD, name="科普讲座.md") == [
        f"{shown}: 文件名“科普讲座”不能用作网址 — 只用小写英文字母、数字和短横线，例如 zhoumo-tongxuehui-dianlu.md"]


def test_upper_case_file_name_gets_the_fixed_name(mini_site: Path) -> None:
    shown = "content/events/xinbei/2026/Kepu_Jiangzuo.md"
    assert problems_for(mini_site, GOOD, name="Kepu_Jiangzuo.md") == [
        f"{shown}: 文件名“Kepu_Jiangzuo”不能用作网址 — 把下划线和空格换成短横线：kepu-jiangzuo.md"]


def test_duplicate_slug_in_another_folder_names_both_files(mini_site: Path) -> None:
    problems = problems_for(mini_site, replace("street: xinbei", "street: taida"),
                            name="liudong-kejiguan.md", folder="taida/2026")
    assert problems == [
        "content/events/taida/2026/liudong-kejiguan.md: 文件名“liudong-kejiguan”与 "
        "content/events/xinbei/2026/liudong-kejiguan.md 重复，网址会冲突 — "
        "给其中一个文件换个名字，例如 liudong-kejiguan-2.md"]


def test_all_problems_of_a_file_are_reported_at_once(mini_site: Path) -> None:
    text = replace("street: xinbei", "street: xinbie").replace('end: "16:00"', "end: 16:00")
    text = text.replace("audiences: [qinzi]", "audiences: [laoren]")
    lines = [p.split(": ", 2)[0:2] for p in problems_for(mini_site, text)]
    assert lines == [[f"{SHOWN}:4", "end"], [f"{SHOWN}:5", "street"], [f"{SHOWN}:8", "audiences[0]"]]


def test_registry_errors_name_the_registry_line(mini_site: Path) -> None:
    teams = mini_site / "content" / "data" / "teams.yml"
    teams.write_text(teams.read_text("utf-8") + "- id: dup-team\n  name: 甲\n  street: xinbie\n"
                     "- id: dup-team\n  name: 乙\n", "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site))
    messages = [p.format() for p in result.problems]
    assert "content/data/teams.yml:13: id: 编号“dup-team”重复（第 10 行已使用） — 每个编号只能用一次" in messages
    assert ("content/data/teams.yml:12: street: 队伍“甲”的街镇编号“xinbie”不存在 — "
            "是否想写“xinbei”（新北街道）？") in messages


def test_article_without_date_and_with_unknown_event(mini_site: Path) -> None:
    article = mini_site / "content" / "articles" / "bad-news.md"
    article.write_text("---\ntitle: 新闻\nevents: [kepu-rii]\n---\n正文\n", "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site), [article])
    assert [p.format() for p in result.problems] == [
        "content/articles/bad-news.md:1: date: 必填字段缺失或为空 — 例如 start: 2026-12-05 14:00",
        "content/articles/bad-news.md:3: events[0]: 找不到文件名为“kepu-rii”的活动 — 是否想写“kepu-ri”？",
    ]


def test_a_news_title_of_spaces_only_is_refused(mini_site: Path) -> None:
    article = mini_site / "content" / "articles" / "blank-news.md"
    article.write_text('---\ntitle: "\u3000 "\ndate: 2026-12-05\n---\n正文\n', "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site), [article])
    assert [p.format() for p in result.problems] == [
        "content/articles/blank-news.md:2: title: 只有空格，没有文字 — 在 title: 后面写上内容"]


@pytest.mark.parametrize("broken", ["  name: 新北街道\n", "  kind: 街道\n"], ids=["no name", "kind missing"])
def test_a_registry_item_with_a_wrong_field_is_blamed_alone(mini_site: Path, broken: str) -> None:
    """README: 某一项写错时只丢掉这一项 … 用到它的活动和队伍不会再被连带报错 — for a missing name or a
    wrong kind as for broken YAML: the teams, communities and events of 新北街道 are not blamed."""
    streets = mini_site / "content" / "data" / "streets.yml"
    text = streets.read_text("utf-8")
    assert broken in text
    streets.write_text(text.replace(broken, "  kind: 社区\n" if "kind" in broken else "", 1), "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site))
    errors = [p.format() for p in result.problems if p.severity != "warning"]
    assert len(errors) == 1 and errors[0].startswith("content/data/streets.yml:"), errors


@pytest.mark.parametrize("written", ["images/xinbei/shiyan.jpg", "{static}/images/xinbei/shiyan.jpg",
                                     "/content/images/xinbei/shiyan.jpg"])
def test_a_body_photo_written_as_a_file_path_is_told_its_site_address(mini_site: Path, written: str) -> None:
    """刘老师 writes the photo as the front matter's image: does (images/…), or as Pelican's
    {static}; the fix names her own file's address, not a generic /images/文件名.jpg that drops her
    folder."""
    from PIL import Image

    content = mini_site / "content"
    (content / "images" / "xinbei").mkdir(parents=True)
    Image.new("RGB", (64, 48), (200, 30, 30)).save(content / "images" / "xinbei" / "shiyan.jpg")
    event = content / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    event.write_text(event.read_text("utf-8") + f"\n![孩子们做实验]({written})\n", "utf-8")
    problems = [p for p in check(Layout(content=content, root=mini_site)).problems if p.field == "正文"]
    assert [p.hint for p in problems] == ["站内的图片地址以 / 开头：写成 ![孩子们做实验](/images/xinbei/shiyan.jpg)"]


def test_a_picture_without_words_for_a_screen_reader_is_asked_about_in_chinese(mini_site: Path) -> None:
    """A picture with no image_alt (or a body picture with nothing in its brackets) was published
    with alt="" and no word from the check; only Pelican's English log line, without a line number."""
    from PIL import Image

    content = mini_site / "content"
    (content / "images" / "xinbei").mkdir(parents=True)
    Image.new("RGB", (64, 48), (200, 30, 30)).save(content / "images" / "xinbei" / "shiyan.jpg")
    event = content / "events" / "xinbei" / "2026" / "zhoumo-tongxuehui.md"
    event.write_text(event.read_text("utf-8").replace("\n---\n", "\nimage: images/xinbei/shiyan.jpg\n---\n", 1)
                     + "\n![](/images/xinbei/shiyan.jpg)\n", "utf-8")
    problems = [p for p in check(Layout(content=content, root=mini_site)).problems if p.path.endswith("zhoumo-tongxuehui.md")]
    assert [(p.field, p.message, p.is_error) for p in problems] == [
        ("image", "配图没有文字说明（image_alt）", False),
        ("正文", "正文里的图片 /images/xinbei/shiyan.jpg 没有文字说明", False)]
    assert all("读屏软件" in p.hint and p.line > 0 for p in problems)
    assert problems[1].hint.startswith("写在方括号里：![图上是什么](地址)")
    # The news writer's audit: a picture written as HTML was told to fill in Markdown's brackets.
    event.write_text(event.read_text("utf-8").replace("![](/images/xinbei/shiyan.jpg)",
                                                      '<img src="/images/xinbei/shiyan.jpg">'), "utf-8")
    problems = [p for p in check(Layout(content=content, root=mini_site)).problems if p.field == "正文"]
    assert [p.hint.split("：")[0] for p in problems] == ['在 <img> 里加上 alt="图上是什么"，例如 <img src="…" alt="孩子们在做电路实验">']


# Each length-limited field written with ``value`` in the good file.
WRITTEN = {
    "summary": lambda v: add(f"summary: {v}"),
    "status_note": lambda v: add(f"status_note: {v}"),
    "accessibility": lambda v: add(f"accessibility: {v}"),
    "cost": lambda v: add(f"cost: {v}"),
    "image_alt": lambda v: add(f"image_alt: {v}"),
    "registration.note": lambda v: add(f"registration:\n  required: true\n  phone: \"0123-2560 0000\"\n  note: {v}"),
    "venue.name": lambda v: replace("  name: 新北街道党群服务中心", f"  name: {v}"),
    "venue.address": lambda v: replace("  name: 新北街道党群服务中心", f"  name: 新北街道党群服务中心\n  address: {v}"),
    "contact": lambda v: add(f"contact: {v}"),
    "contact.name": lambda v: add(f"contact:\n  name: {v}"),
}


def form_limit(key: str) -> Callable[[str], bool]:
    """Whether the web editor's form takes ``text`` for ``key``: its pattern, or the longest its
    widget lets be typed (the place's and the contact's parts)."""
    from kepu.content.registries import load_registries
    from kepu.editor.cmsconfig import event_fields

    registries, _ = load_registries(TEST_SITE / "content" / "data", "content/data")
    fields = {f["name"]: f for f in event_fields(registries, "", "images", "events")}
    top, _, part = key.partition(".")
    field = fields[top]
    if "limits" in field:
        return lambda text: len(text) <= field["limits"][part or "text"]
    if part:
        field = next(f for f in field["fields"] if f["name"] == part)
    return lambda text: re.search(field["pattern"][0], text) is not None


@pytest.mark.parametrize("key", sorted(TEXT_LIMITS))
def test_the_web_editor_refuses_the_text_the_check_refuses(mini_site: Path, key: str) -> None:
    """A volunteer in the web editor learnt only after saving, when the check ran, that 状态说明,
    无障碍信息 or 费用 was too long: every length the check sets is the form's own."""
    assert WRITTEN.keys() == TEXT_LIMITS.keys()
    limit, takes = TEXT_LIMITS[key], form_limit(key)
    longest, too_long = "字" * limit, "字" * (limit + 1)
    assert takes(longest) and not takes(too_long)
    assert not [p for p in problems_for(mini_site, WRITTEN[key](longest)) if "内容太长" in p]
    assert [p for p in problems_for(mini_site, WRITTEN[key](too_long)) if f"{key}: 内容太长（{limit + 1} 字，上限 {limit} 字）" in p]


def test_the_browser_counts_characters_as_the_check_does() -> None:
    """A 300-character summary ending in an emoji passed the check and was refused by the form:
    a browser's pattern counts UTF-16 units, an emoji two. Run in Node, as the browser runs it."""
    import json
    import subprocess

    from kepu.editor.cmsconfig import TITLE_PATTERN, _limit

    script = ("const [summary, title] = JSON.parse(process.argv[1]).map(p => new RegExp(p));"
              "const emoji = String.fromCodePoint(0x1F600);"
              "console.log(JSON.stringify([summary.test('字'.repeat(299) + emoji), summary.test('字'.repeat(300) + emoji),"
              "title.test('字'.repeat(119) + emoji), title.test('字'.repeat(120) + emoji)]));")
    patterns = json.dumps([_limit("summary")["pattern"][0], TITLE_PATTERN[0]])
    said = subprocess.run(["node", "-e", script, patterns], capture_output=True, text=True, check=True).stdout
    assert json.loads(said) == [True, False, True, False]


def test_a_title_with_an_invisible_joiner_is_the_same_title_to_the_duplicate_check() -> None:
    """Joiners (U+200C, U+200D) are allowed in text (emoji need them) but a copy of an event whose
    title has one slipped in is still the same event."""
    from kepu.content.events import title_key

    assert title_key("流动科技馆\u200d进新北") == title_key("流动科技馆进新北") == title_key("流动科技馆进新北\u200c")
    assert title_key("流动科技馆进新北") != title_key("流动科技馆进新河")


def test_direction_marks_stay_allowed_in_a_body_with_right_to_left_writing(mini_site: Path) -> None:
    """An Arabic or Hebrew quotation may need them: the body with such writing is left alone."""
    text = GOOD.replace("正文。", "阿拉伯语的“科学”写作 \u2067علم\u2069。")
    assert problems_for(mini_site, text) == []


def test_a_word_in_two_groups_of_synonyms_is_refused(tmp_path: Path) -> None:
    """A synonyms.yml line gave 中风 (already a word of 卒中) and 讲座 to a group named after a venue:
    search for 讲座 showed that venue first. A word belongs to one group."""
    import shutil

    from kepu.content.registries import load_registries

    data = tmp_path / "data"
    shutil.copytree(TEST_SITE / "content" / "data", data)
    (data / "synonyms.yml").write_text(
        "- id: zuzhong\n  name: 卒中\n  words: 中风、脑卒中\n"
        "- id: poison\n  name: 中风\n  words: [讲座, 防诈骗]\n", "utf-8")
    _, problems = load_registries(data)
    assert [p.format() for p in problems] == [
        "content/data/synonyms.yml:6: words: “中风”已经在“卒中”那一组里（编号 zuzhong） — 一个词只能放在一组里：删去这里的，或把两组合成一组"]


# Links whose words are a web address: refused when they open another site. The web form's rule
# is fed the same (test_admin_cms.test_a_link_in_the_description_that_names_another_site…).
LINK_CASES = [
    ("[https://www.gov.cn/zhengce/](https://gov-cn.example.net/login)", True),
    ("[www.gov.cn](https://gov-cn.example.net/)", True),
    ("<a href=\"https://gov-cn.example.net/\">http://www.gov.cn</a>", True),
    ("[bm.example.cn/ai](https://bm.example.cn/ai?from=kepu)", False),  # the same site
    ("[www.example.cn](https://example.cn/)", False),  # www. or not, the same site
    ("[bilibili.com](https://space.bilibili.com/1)", False),  # a part of the site named (re-audit)
    ("[v.qq.com](https://m.v.qq.com/x/abc)", False),  # its phone pages
    ("[www.gov.cn](https://www.gov.cn.example.net/)", True),  # the name inside another site's
    ("[报名页](https://gov-cn.example.net/)", False),  # words, not an address
    ("<https://www.gov.cn/>", False),
]


@pytest.mark.parametrize(("written", "refused"), LINK_CASES)
def test_a_link_whose_words_name_another_site_is_refused(mini_site: Path, written: str, refused: bool) -> None:
    """A link that reads as one site and opens another (how a phishing page is passed round): the
    resident reads www.gov.cn and trusts it. Its words must be the address it opens, or words."""
    problems = problems_for(mini_site, GOOD.replace("正文。", f"正文。\n\n报名请看 {written} 。\n"))
    if not refused:
        assert problems == []
        return
    host = re.search(r"\]\(https://([^/]+)|href=\"https://([^/\"]+)", written)
    host = host[1] or host[2]
    assert problems == [f"{SHOWN}:14: 正文: 链接文字写的是 www.gov.cn，点开却是另一个网站 {host}"
                        f" — 链接文字写成它真正打开的网址，或者写成说明文字，例如 [报名页](https://{host}/…)"]


def test_full_width_digits_are_read_as_the_volunteer_meant(mini_site: Path) -> None:
    """Typed with a Chinese input method (a volunteer's audit): ０２２－２５６０ ００００ and ６－１２ were
    refused as 格式不对 and 无法识别, though they are the digits the Excel import already accepts. They
    are read as 022-2560 0000 and 6–12, and shown so."""
    text = add("age: ６－１２\nregistration:\n  required: true\n  phone: ０２２－２５６０　００００\n  capacity: ３０")
    assert problems_for(mini_site, text) == []
    path = mini_site / "content" / "events" / "xinbei" / "2026" / "bad-event.md"
    [event] = [e for e in check(Layout(content=mini_site / "content", root=mini_site), [path]).events
               if e.slug == "bad-event"]
    assert (event.age_min, event.age_max) == (6, 12)
    assert (event.registration.phone, event.registration.capacity) == ("022-2560 0000", 30)
