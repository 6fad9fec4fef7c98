"""The example values the new-event and new-article templates show; published unchanged, they are refused."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kepu.content.frontmatter import SourceDoc
from kepu.content.problems import Problem


@dataclass(frozen=True, slots=True)
class Example:
    """A value a template shows for a field (commented out), and what to write instead."""

    field: str  # dotted field name; "" for a line of the body
    text: str  # exactly as the template shows it
    fix: str


# The templates (kepu.editor.scaffold) write these; nothing else defines the example values.
VENUE_NAME = Example("venue.name", "场地名称", "写活动场地的真实名称，例如 新北街道党群服务中心三楼活动室")
VENUE_ADDRESS = Example("venue.address", "详细地址", "写场地的详细地址（街道、路名和门牌号），或删掉这一行")
VENUE_ADDRESS_START = Example("venue.address", "某某市某某区……", "写场地的详细地址：把“……”换成街道、路名和门牌号，或删掉这一行")
ONLINE = Example("online", "https://live.example.cn/room/1", "写真实的直播或会议链接；不是线上活动就删掉这一行")
REGISTRATION_URL = Example("registration.url", "https://example.cn/baoming",
                           "写真实的报名链接（从浏览器地址栏复制）；不能在网上报名就删掉这一行")
REGISTRATION_PHONE = Example("registration.phone", "0123-2560 0000", "写真实的报名电话；不能电话报名就删掉这一行")
REGISTRATION_NOTE = Example("registration.note", "请携带一名家长", "写这次活动真实的报名说明，或删掉这一行")
IMAGE = Example("image", "images/events/xxx.jpg", "把 xxx.jpg 换成 content/images/events/ 里真实图片的文件名，或删掉这一行")
IMAGE_ALT = Example("image_alt", "孩子们在连接电路", "用一句话写这张图片里是什么，或连同 image 一起删掉")
SUMMARY = Example("summary", "用电池、导线和小灯泡搭一个会“跳舞”的电路。", "用一句话介绍这次活动，或删掉这一行")
CONTACT = Example("contact", "王老师 0123-2530 0000", "写真实的联系人和联系电话，或删掉这一行")
REPORT = Example("report", "xinwen-wenjianming", "写报道这次活动的新闻的文件名（不含 .md）；还没有报道就删掉这一行")
EVENT_BODY = Example("", "在这里写活动介绍：做什么、怎么参加、需要带什么。可以用 Markdown，例如 **加粗**、列表和链接。",
                     "删掉这句提示，写上活动介绍：做什么、怎么参加、需要带什么")
ARTICLE_SUMMARY = Example("summary", "三百多位居民参加了科普日集市。", "用一句话概括这篇新闻，或删掉这一行")
ARTICLE_EVENTS = Example("events", "huodong-wenjianming", "写相关活动的文件名（不含 .md），或删掉这一行")
ARTICLE_IMAGE = Example("image", "images/news/xxx.jpg", "把 xxx.jpg 换成 content/images/news/ 里真实图片的文件名，或删掉这一行")
ARTICLE_IMAGE_ALT = Example("image_alt", "居民在体验互动展品", "用一句话写这张图片里是什么，或连同 image 一起删掉")
ARTICLE_BODY = Example("", "在这里写新闻正文。", "删掉这句提示，写上新闻正文")

EXAMPLES = (VENUE_NAME, VENUE_ADDRESS, VENUE_ADDRESS_START, ONLINE, REGISTRATION_URL, REGISTRATION_PHONE,
            REGISTRATION_NOTE, IMAGE, IMAGE_ALT, SUMMARY, CONTACT, REPORT, EVENT_BODY, ARTICLE_SUMMARY,
            ARTICLE_EVENTS, ARTICLE_IMAGE, ARTICLE_IMAGE_ALT, ARTICLE_BODY)
PROMPTS = (EVENT_BODY.text, ARTICLE_BODY.text)  # a new file's body: the editor replaces it
_BY_FIELD: dict[tuple[str, str], Example] = {(e.field, e.text): e for e in EXAMPLES if e.field}
_BODY = tuple(e for e in EXAMPLES if not e.field)
_FIELDS = frozenset(field for field, _ in _BY_FIELD)
_INDEX = re.compile(r"\[\d+\]$")


PROMPT_LEFT = "正文里还留着模板的提示文字“{}……”"


def is_prompt(problem: Problem) -> bool:
    """A new file's body prompt, still there: new-event writes it on purpose for the editor to replace
    (the check refuses to publish it until they do)."""
    return problem.field == "正文" and any(problem.message == PROMPT_LEFT.format(text[:12]) for text in PROMPTS)


def placeholder_problems(doc: SourceDoc) -> list[Problem]:
    """Every field still holding a template's example value, and every body line still holding
    a template's prompt: the page would publish them as if they were true."""
    problems = []
    for key, scalar in doc.scalars.items():
        field = _INDEX.sub("", key) if "[" in key else key
        example = field in _FIELDS and _BY_FIELD.get((field, " ".join(scalar.text.split())))
        if example:
            problems.append(Problem(doc.path, scalar.line, key,
                                    f"模板里的示例“{example.text}”还没有换成真实内容", example.fix))
    prompts = [example for example in _BODY if example.text in doc.body]
    for number, line in enumerate(doc.body.split("\n") if prompts else ()):
        for example in prompts:
            if example.text in line:
                problems.append(Problem(doc.path, doc.body_line + number, "正文",
                                        PROMPT_LEFT.format(example.text[:12]), example.fix))
    return problems
