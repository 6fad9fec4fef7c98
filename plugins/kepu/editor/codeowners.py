"""CODEOWNERS for a content repository, from the street registry: each street's events and images go to its editors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kepu.config import add_arguments, for_command
from kepu.content.model import Street
from kepu.content.problems import format_report
from kepu.content.project import Layout
from kepu.index.history import content_repository

TEAM = "@kepu"  # the organisation's account; settings: KEPU_CODEOWNERS_TEAM
ADMINS = "{team}/admins"
EDITORS = "{team}/{{street}}-editors"
NEWS = "{team}/news-editors"

HEADER = """\
# 科普日历内容仓库的代码负责人（CODEOWNERS），{where}。
# 由 invoke codeowners{flag} 按 content/data/streets.yml 生成：登记表里加了街镇以后重新生成一次。
# 每个街镇的活动文件夹和配图文件夹交给这个街镇的编辑审核：改动它们的合并请求会自动请他们审核。
# 把 {team}/… 换成真实的团队或账号{accounts}，或用 invoke codeowners 的参数直接生成；
# {protect}
# {order}
"""
FLAVOURS = {
    "github": {"where": "用于 GitHub（.github/CODEOWNERS）和 Gitee（.gitee/CODEOWNERS）", "flag": "",
               "accounts": "（Gitee 写 @用户名）",
               "protect": "在仓库设置里打开“合并前需要代码负责人审核”（GitHub：分支保护 Require review from Code Owners）。",
               "order": "一个文件只按最后一条匹配的规则请人审核：先写全站默认，再写每个街镇。"},
    "gitea": {"where": "用于 Gitea 和 Forgejo（.gitea/CODEOWNERS）", "flag": " --gitea", "accounts": "",
              "protect": "在仓库设置的分支保护里要求审核通过才能合并。",
              "order": "每条规则是一个正则表达式（以 . 开头的文件夹写成 \\\\.）；一个文件匹配的所有规则都会请人审核。"},
}


def _pattern(folder: str, flavour: str) -> str:
    """``/content/events/x/`` as the flavour writes it (Gitea: a regular expression, ``\\`` escaped)."""
    if flavour == "github":
        return folder
    if folder == "*":
        return ".*"
    return folder.strip("/").replace(".", "\\\\.") + "/.*"


def _rule(folder: str, flavour: str, *owners: str) -> str:
    return f"{_pattern(folder, flavour):<40} {' '.join(owners)}"


@dataclass(frozen=True, slots=True)
class Folders:
    """Where the content's parts are, as the repository names them (the settings' PATH and *_PATHS)."""

    content: str = "/content/"
    events: str = "events"
    articles: str = "articles"
    pages: str = "pages"
    data: str = "data"
    images: str = "images"

    def __call__(self, *parts: str) -> str:
        return self.content + "".join(f"{part}/" for part in parts)


def folders(layout: Layout) -> Folders:
    """The layout's folders, relative to the repository holding the content (or to the project)."""
    relative = os.path.relpath(layout.content.resolve(), content_repository(layout.content, layout.root).resolve())
    content = "/" if relative == "." else f"/{Path(relative).as_posix()}/"
    return Folders(content, layout.events, layout.articles, layout.pages, layout.data, layout.images)


def render(streets: Mapping[str, Street], admins: str | None = None, editors: str | None = None,
           news: str | None = None, flavour: str = "github", team: str = TEAM, where: Folders = Folders()) -> str:
    """The whole CODEOWNERS file (``editors``: a pattern with ``{street}``, the street's id); owners
    not given are the ``team``'s admins, street editors and news editors."""
    def rule(folder: str, *owners: str) -> str:
        return _rule(folder, flavour, *owners)

    admins, editors, news = (given or default.format(team=team) for given, default in
                             ((admins, ADMINS), (editors, EDITORS), (news, NEWS)))
    lines = [HEADER.format(team=team, **FLAVOURS[flavour]), "# 默认：区科协的网站管理员", rule("*", admins), "",
             "# 登记表（街镇、队伍、类型、对象）、新闻、页面和不属于某个街镇的图片：管理员审核",
             rule(where(where.data), admins),
             rule(where(where.articles), admins, news),
             rule(where(where.pages), admins),
             rule(where(where.images), admins),
             rule(where(where.images, where.articles), admins, news), "",  # where the web editor puts them
             f"# 每个街镇的活动和配图（{where(where.images, where.events).lstrip('/')}<街镇编号>/）：这个街镇的编辑"]
    for street in streets.values():
        owner = editors.format(street=street.id)
        lines += [f"# {street.name}", rule(where(where.events, street.id), owner),
                  rule(where(where.images, where.events, street.id), owner)]
    lines += ["", "# 自动检查和发布的配置：管理员"]
    lines += [rule(folder, admins) for folder in ("/ci-templates/", "/.github/", "/.gitea/", "/.forgejo/",
                                                  "/.gitee/", "/.workflow/")]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke codeowners",
                                     description="按街镇登记表生成 CODEOWNERS（代码负责人），输出到屏幕。")
    add_arguments(parser)  # the team's account: the settings' KEPU_CODEOWNERS_TEAM
    parser.add_argument("--admins", help="网站管理员（默认 <团队>/admins）")
    parser.add_argument("--editors", help="街镇编辑，{street} 换成街镇编号（默认 <团队>/{street}-editors）")
    parser.add_argument("--news", help="新闻编辑（默认 <团队>/news-editors）")
    parser.add_argument("--gitea", action="store_true", help="Gitea、Forgejo 的写法（规则是正则表达式）")
    args = parser.parse_args(argv)
    config = for_command(args)
    registries, problems = config.layout.registries()
    if problems:
        print(format_report(problems), file=sys.stderr)
        return 1
    sys.stdout.write(render(registries.streets, args.admins, args.editors, args.news,
                            "gitea" if args.gitea else "github", config.codeowners_team, folders(config.layout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
