"""Generate a realistic, seeded event corpus (Binhai registries, Chinese bodies) for benchmarks.

    python -m bench.corpus OUT_DIR --events 16000 [--seed 2023] [--build-date 2026-12-01]
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "content" / "data"

TOPICS = [
    ("科学会客厅：{x}", ["人工智能与生活", "深海探测", "新能源汽车", "天气预报是怎样做出来的", "芯片里的世界"]),
    ("周末科学同学会：{x}", ["会跳舞的电路", "纸桥承重赛", "彩虹牛奶", "自制指南针", "水火箭"]),
    ("智启梦工厂：{x}", ["图形化编程入门", "机器人巡线", "无人机编队", "开源硬件", "AI 绘画原理"]),
    ("流动科技馆进{x}", ["社区", "学校", "乡村", "养老院", "工地"]),
    ("研学实践：{x}", ["生态城安全馆", "茶淀葡萄庄园", "天津港", "国家海洋博物馆", "航天城"]),
    ("科技下乡：{x}", ["冬枣栽培", "设施蔬菜", "水产养殖", "农机安全", "农村电商"]),
    ("助老科普：{x}", ["智能手机课堂", "防范电信诈骗", "科学用药", "防跌倒", "健康码与挂号"]),
    ("卒中健康科普：{x}", ["识别中风 120", "高血压管理", "合理膳食", "运动处方", "急救常识"]),
    ("千名专家进基层：{x}", ["义诊咨询", "土壤检测", "心理健康", "儿童近视防控", "营养讲座"]),
    ("科创中国：{x}", ["技术对接会", "专利服务", "人才沙龙", "成果路演", "企业问诊"]),
]
PHRASES = [
    "活动由志愿服务队的老师带领，现场准备了材料和讲解展板。",
    "孩子们可以亲手操作，家长陪同参与，边玩边学。",
    "专家会用通俗的语言讲解原理，并留出时间回答居民的问题。",
    "请提前十分钟到场签到，活动期间请保管好随身物品。",
    "现场提供饮用水，建议穿着方便活动的衣服。",
    "活动结束后会发放科普小册子，欢迎带回家与家人分享。",
    "本次活动为公益活动，不收取任何费用。",
    "如遇天气变化，活动可能调整到室内进行，请留意通知。",
    "我们欢迎社区居民报名成为科普志愿者，一起把科学带到身边。",
    "讲座结合滨海新区的实际情况，介绍最新的研究进展和应用案例。",
]


def _registries() -> dict[str, list[dict]]:
    return {name: yaml.safe_load((DATA / f"{name}.yml").read_text("utf-8"))
            for name in ("streets", "teams", "categories", "audiences")}


def _body(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        paragraphs.append("".join(rng.choice(PHRASES) for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.3:
        paragraphs.append("| 时间 | 内容 |\n| --- | --- |\n| 第一部分 | 讲解 |\n| 第二部分 | 动手体验 |")
    return "\n\n".join(paragraphs) + "\n"


def _event(rng: random.Random, n: int, reg: dict, first: date, days: int) -> tuple[str, str]:
    street = rng.choice(reg["streets"])
    teams = [t for t in reg["teams"] if t.get("street") in (street["id"], None)]
    template, subjects = rng.choice(TOPICS)
    day = first + timedelta(days=rng.randrange(days))
    hour = rng.choice([9, 9, 10, 14, 14, 15, 19])
    kind = rng.random()
    lines = [f"title: {template.format(x=rng.choice(subjects))}（第 {n} 场）"]
    if kind < 0.05:  # all-day
        lines.append(f"start: {day.isoformat()}")
    elif kind < 0.07:  # multi-day
        lines += [f"start: {day.isoformat()}", f"end: {(day + timedelta(days=rng.randint(1, 6))).isoformat()}"]
    else:
        lines += [f"start: {day.isoformat()} {hour:02d}:00", f'end: "{hour + rng.choice([1, 2, 2, 3]):02d}:30"']
    lines += [f"street: {street['id']}", f"team: {rng.choice(teams)['id']}",
              f"categories: [{', '.join(c['id'] for c in rng.sample(reg['categories'], rng.randint(1, 2)))}]",
              f"audiences: [{', '.join(a['id'] for a in rng.sample(reg['audiences'], rng.randint(1, 3)))}]",
              f"summary: {rng.choice(PHRASES)}"]
    if rng.random() < 0.05:
        lines.append(f"online: https://live.example.cn/room/{n}")
    else:
        lines += ["venue:", f"  name: {street['name']}第{rng.randint(1, 9)}社区科普活动室",
                  f"  address: 天津市滨海新区{street['name']}"]
        if rng.random() < 0.5:
            lines += [f"  lat: {38.75 + rng.random() * 0.5:.4f}", f"  lon: {117.4 + rng.random() * 0.5:.4f}"]
    if kind >= 0.07 and rng.random() < 0.03:
        until = day + timedelta(days=rng.randint(30, 120))
        lines += ["recurrence:", f"  rrule: FREQ=WEEKLY;UNTIL={until.isoformat()}",
                  f"  exdates: [{(day + timedelta(days=14)).isoformat()}]"]
    status = rng.random()
    if status < 0.02:
        lines += ["status: cancelled", "status_note: 因场地原因取消"]
    elif status < 0.04 and kind >= 0.07:
        lines += ["status: postponed", f"previous_start: {(day - timedelta(days=7)).isoformat()} {hour:02d}:00",
                  "status_note: 因天气原因改期"]
    elif status < 0.07:
        lines += ["status: full", "registration:", "  required: true", "  capacity: 30"]
    elif rng.random() < 0.5:
        lines += ["registration:", "  required: true", '  phone: "022-2530 0000"']
    slug = f"bench-{street['id']}-{n:05d}"
    folder = f"{street['id']}/{day.year}"
    return f"{folder}/{slug}.md", "---\n" + "\n".join(lines) + "\n---\n" + _body(rng)


def without_main_events(path: Path) -> None:
    """The sample's campaigns name the sample's main events, which a generated corpus does not have."""
    if path.is_file():
        lines = path.read_text("utf-8").splitlines()
        path.write_text("".join(f"{line}\n" for line in lines if not line.lstrip().startswith("main_event:")), "utf-8")


def generate(out: Path, events: int, seed: int = 2023, build_date: date = date(2026, 12, 1),
             articles: int = 20) -> Path:
    """Write a whole content folder at ``out`` (replacing it); returns the content path."""
    rng = random.Random(seed)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(DATA, content / "data")
    without_main_events(content / "data" / "campaigns.yml")
    reg = _registries()
    first = build_date - timedelta(days=182)
    for n in range(events):
        relative, text = _event(rng, n, reg, first, 365)
        path = content / "events" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for n in range(articles):
        day = build_date - timedelta(days=rng.randrange(180))
        (content / "articles").mkdir(parents=True, exist_ok=True)
        (content / "articles" / f"bench-news-{n:03d}.md").write_text(
            f"---\ntitle: 科普工作动态第 {n} 期\ndate: {day.isoformat()}\nsummary: {rng.choice(PHRASES)}\n---\n"
            + _body(rng), "utf-8")
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "pages" / "about.md").write_text("---\ntitle: 关于本站\n---\n基准测试站点。\n", "utf-8")
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的活动内容")
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--build-date", type=date.fromisoformat, default=date(2026, 12, 1))
    args = parser.parse_args()
    content = generate(args.out, args.events, args.seed, args.build_date)
    print(f"已生成 {args.events} 项活动：{content}")


if __name__ == "__main__":
    main()
