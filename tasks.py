"""Day-to-day tasks (invoke), in the spirit of pelican-quickstart's tasks.py.

    invoke new-event    create an event file (asks, or takes --title --street … flags;
                        --from SLUG copies an event with new dates)
    invoke new-article  create a news file
    invoke excel-template [PATH]   write the Excel template staff fill in (dropdowns from the registries)
    invoke import-events FILE      one event file per row of a filled template (.xlsx or .csv)
    invoke check [FILE] check content without building
    invoke codeowners   print CODEOWNERS for the content repository, from the street registry
    invoke build        build the site into output/ (refuses invalid content)
    invoke rebuild      drop the content cache, then build
    invoke serve        serve output/ on http://127.0.0.1:8000
    invoke reserve      build, then serve
    invoke livereload   serve and rebuild whenever content, theme or plugins change
    invoke preview      build with publishconf.py (absolute URLs)
    invoke publish      build with publishconf.py, atomically replacing output/
    invoke clean        remove output/ (with its staging and spare trees) and the cache
    invoke cms          the web editor (/admin/) on this computer, saving into content/ (npm ci first)

Every task runs a module of plugins/ in a fresh interpreter; the logic lives there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import Task, task
from invoke.parser.parser import ParseMachine

ROOT = Path(__file__).resolve().parent

# The folders (content, output, cache, theme) are the settings file's: see _folders().
CONFIG = {
    "settings": ROOT / "pelicanconf.py",
    "publish_settings": ROOT / "publishconf.py",
    "cache": ROOT / ".cache",
    "host": "127.0.0.1",
    "port": 8000,
}


# `invoke check` checks everything and `invoke check FILE` one file: invoke has no optional
# positional arguments, so a task's positional ``path`` defaults to "" when none was given.
OPTIONAL_POSITIONAL = {"check": "path", "excel-template": "path"}
_complete_context = ParseMachine.complete_context


def _complete_with_optional_positional(self: ParseMachine) -> None:
    if self.context is not None:
        name = OPTIONAL_POSITIONAL.get(self.context.name)
        for arg in self.context.positional_args:
            if arg.name == name and arg.value is None:
                arg.value = ""
    _complete_context(self)


ParseMachine.complete_context = _complete_with_optional_positional

# invoke gives each option a one-letter alias: the first letter of its name not yet taken.
# When every letter before a dash is taken (--registration-url), it picks the dash itself,
# which makes the option "--=…": never use a dash as a letter.
_arg_opts = Task.arg_opts


def _arg_opts_without_dash(self: Task, name: str, default: object, taken_names: set[str]) -> dict:
    opts = _arg_opts(self, name, default, taken_names | {"-"})
    opts["names"] = [n for n in opts["names"] if n != "-"]
    return opts


Task.arg_opts = _arg_opts_without_dash


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "plugins"), env.get("PYTHONPATH")]))
    return env


def _python(*args: str, check: bool = True) -> int:
    """Run ``python -m …`` with the plugins on the path; exit with its status on failure."""
    code = subprocess.call([sys.executable, *args], cwd=ROOT, env=_env())
    if code and check:
        sys.exit(code)
    return code


def _folders(settings: Path = CONFIG["settings"]) -> dict[str, str]:
    """The folders pelicanconf.py names (PATH, OUTPUT_PATH, CACHE_PATH, THEME), as the build reads them,
    and its SITEURL."""
    found = subprocess.run([sys.executable, "-m", "kepu.config", "--settings", str(settings)],
                           cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True)
    if found.returncode:
        sys.exit(found.returncode)
    return json.loads(found.stdout)


def _help_asked(path: str | None, task_name: str) -> bool:
    """`invoke check --help`: the task's optional positional path takes the flag; show its help."""
    if path not in ("-h", "--help"):
        return False
    subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), "--help", task_name], check=False)
    return True


def _here(path: str) -> str:
    """A path the editor typed, relative to where they ran invoke (tasks run in ROOT)."""
    return os.path.abspath(os.path.expanduser(path))


def _flags(**values: str | bool | None) -> list[str]:
    """``--name value`` for each given value (``True`` alone for switches)."""
    flags: list[str] = []
    for name, value in values.items():
        flag = f"--{name.replace('_', '-')}"
        if value is True:
            flags.append(flag)
        elif value not in (None, False):
            flags += [flag, str(value)]
    return flags


def _build_args(settings: Path, build_date: str | None, siteurl: str | None,
                output: str | None = None, content: str | None = None) -> list[str]:
    args = ["-m", "kepu_pelican.build", "-s", str(settings)]
    paths = {"output": output and _here(output), "content": content and _here(content)}
    return args + _flags(build_date=build_date, siteurl=siteurl, **paths)


def _siteurl(siteurl: str | None) -> str | None:
    """``https://example.cn/kepu/`` → ``https://example.cn/kepu``; refuse what is not a web address."""
    if siteurl is None:
        return None
    url = siteurl.strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        sys.exit(f"网址“{siteurl}”无效 — 写完整的网址，以 https:// 开头，例如 https://example.cn 或 https://example.cn/kepu")
    return url


PATH_HELP = {"content": "内容文件夹（默认 content/）", "output": "输出文件夹（默认 output/）"}


@task(help={"build_date": "按这一天区分近期/往期，格式 2026-12-01", "siteurl": "网站地址", **PATH_HELP})
def build(c, build_date=None, siteurl=None, content=None, output=None):
    """构建网站到 output/（内容有错误时不构建，output/ 保持不变）。"""
    _python(*_build_args(CONFIG["settings"], build_date, _siteurl(siteurl), output, content))


@task
def clean(c):
    """删除 output/ 和缓存。"""
    folders = _folders()
    output = Path(folders["output"])
    for path in (output, *output.parent.glob(f".{output.name}.*"), CONFIG["cache"], Path(folders["cache"])):
        shutil.rmtree(path, ignore_errors=True)


@task
def rebuild(c, build_date=None):
    """清除缓存后重新构建。"""
    shutil.rmtree(CONFIG["cache"], ignore_errors=True)
    build(c, build_date=build_date)


@task(positional=["path"], help={"path": "只检查这个文件，例如 content/events/街镇编号/2026/活动.md",
                                  "content": PATH_HELP["content"],
                                  "strict": "严格检查（合并请求用）：几乎一定是写错了的提醒也算错误",
                                  "base": "与 --strict 一起用：这次修改相对的分支，例如 origin/main",
                                  "format": "github：另外输出 GitHub Actions 标注，问题显示在合并请求改动的那一行",
                                  "summary": "把问题表追加到这个文件（Markdown），例如 $GITHUB_STEP_SUMMARY",
                                  "build_date": "按这一天判断新加的活动是否已经结束，格式 2026-12-01（默认今天）",
                                  "at": "按这个时刻判断活动是否已经结束，例如 \"2026-12-08 11:00\"（默认现在）"})
def check(c, path=None, content=None, strict=False, base=None, format=None, summary=None, build_date=None,
          at=None):
    """检查活动、新闻、页面和登记表，列出全部问题，不构建网站。"""
    if _help_asked(path, "check"):
        return
    _python("-m", "kepu.editor.check", *([_here(path)] if path else []),
            *_flags(content=content and _here(content), strict=strict, base=base, format=format,
                    summary=summary and _here(summary), build_date=build_date, at=at))


@task(help={"content": PATH_HELP["content"]})
def clean_photos(c, content=None):
    """去掉内容文件夹里 JPG 照片原图记录的拍摄地点（GPS 经纬度），画面不变；网站发布的照片本来就不带这些信息。"""
    _python("-m", "kepu.editor.photoclean", *_flags(content=content and _here(content)))


@task(help={"admins": "网站管理员，默认 <KEPU_CODEOWNERS_TEAM>/admins", "editors": "街镇编辑，{street} 换成街镇编号",
            "news": "新闻编辑", "gitea": "Gitea、Forgejo 的写法（规则是正则表达式）",
            "content": PATH_HELP["content"]})
def codeowners(c, admins=None, editors=None, news=None, gitea=False, content=None):
    """按街镇登记表生成 CODEOWNERS（每个街镇的活动和配图由这个街镇的编辑审核），输出到屏幕。"""
    _python("-m", "kepu.editor.codeowners", *_flags(admins=admins, editors=editors, news=news, gitea=gitea,
                                             content=content and _here(content)))


EVENT_HELP = {
    "title": "活动名称",
    "street": "街镇编号（或中文名称），见 content/data/streets.yml",
    "team": "志愿服务队编号，见 content/data/teams.yml",
    "date": "活动日期，例如 2026-12-05",
    "time": "时间，例如 14:00-16:00；全天活动写 全天",
    "end_date": "跨天活动（例如两天的科技周）的最后一天，例如 2026-12-07；重复活动不用它",
    "repeat": "重复规律，例如 每周六、每周二和周四、每月第二个周六、每月最后一个周日、每天；不写就是不重复",
    "until": "重复活动到哪天结束（最后一次的日期），例如 2027-01-30",
    "except": "重复活动不开展的日期，多个用逗号分开，例如 2026-12-26,2027-01-02",
    "venue": "场地名称",
    "address": "详细地址",
    "online": "线上活动链接（https://…）",
    "categories": "活动类型编号，多个用逗号分开",
    "audiences": "服务对象编号，多个用逗号分开",
    "age": "适合年龄，例如 6-12、60+",
    "registration": "是否需要报名：是 或 否",
    "registration_url": "报名链接（https://…）",
    "registration_phone": "报名电话，分机写“转”，例如 \"0123-2560 0000 转 123\"",
    "registration_deadline": "报名截止日期，例如 2026-12-03",
    "registration_capacity": "名额（人数）",
    "cost": "费用，不写就是免费，例如 材料费 10 元",
    "from": "复制这个活动（文件名，不带 .md），只换日期和时间",
    "slug": "文件名（就是网址），默认按名称的拼音生成",
    "batch": "不提问，缺少的内容直接报错（用于脚本和测试）",
    "content": PATH_HELP["content"],
}


@task(help=EVENT_HELP)
def new_event(c, title=None, street=None, team=None, date=None, time=None, end_date=None, venue=None,
              address=None, online=None, categories=None, audiences=None, slug=None, batch=False,
              content=None, repeat=None, until=None, except_=None, age=None, registration=None,
              registration_url=None, registration_phone=None, registration_deadline=None,
              registration_capacity=None, cost=None, from_=None):
    """新建活动文件：逐项提问（或用参数给出），核对后写到 content/events/<街镇>/<年份>/，不会覆盖已有文件；
    --from 复制已有的活动，只换日期和时间。"""
    _python("-m", "kepu.editor.scaffold", "event", *_flags(
        title=title, street=street, team=team, date=date, time=time, end_date=end_date, venue=venue,
        address=address, online=online, categories=categories, audiences=audiences, slug=slug,
        batch=batch, content=content and _here(content), repeat=repeat, until=until,
        age=age, registration=registration, registration_url=registration_url,
        registration_phone=registration_phone, registration_deadline=registration_deadline,
        registration_capacity=registration_capacity, cost=cost, **{"except": except_, "from": from_}))


@task(help={"title": "新闻标题", "date": "发布日期，默认今天", "street": "相关街镇编号（可选）",
            "events": "相关活动的文件名，多个用逗号分开（可选）", "slug": EVENT_HELP["slug"],
            "batch": EVENT_HELP["batch"], "content": EVENT_HELP["content"]})
def new_article(c, title=None, date=None, street=None, events=None, slug=None, batch=False, content=None):
    """新建新闻文件：写到 content/articles/<年份>/，不会覆盖已有文件。"""
    _python("-m", "kepu.editor.scaffold", "article", *_flags(
        title=title, date=date, street=street, events=events, slug=slug, batch=batch,
        content=content and _here(content)))


TEMPLATE_NAME = "科普活动导入表.xlsx"


@task(positional=["path"], help={"path": f"模板写到哪里，默认当前文件夹的 {TEMPLATE_NAME}",
                                  "content": PATH_HELP["content"]})
def excel_template(c, path=None, content=None):
    """写出导入活动用的 Excel 表格模板：下拉选项来自登记表，另有填写说明和示例。"""
    if _help_asked(path, "excel-template"):
        return
    _python("-m", "kepu.editor.sheettemplate", _here(path or TEMPLATE_NAME),
            *_flags(content=content and _here(content)))


@task(help={"path": "填好的表格（.xlsx，或 .csv）", "partial": "有错误的行先不导入，只导入没有错误的行",
            "content": PATH_HELP["content"]})
def import_events(c, path, partial=False, content=None):
    """把表格里的活动导入成活动文件（一行一个）；有一行有错误就什么也不写（除非加 --partial）；
    同一张表格再次导入时更新已导入的活动，不会重复。"""
    _python("-m", "kepu.editor.importer", _here(path), *_flags(partial=partial, content=content and _here(content)))


def _server(port: int):
    from kepu.editor.server import serve as make_server
    from kepu.engine.output import built_for, local_address

    output = Path(_folders()["output"])
    server = make_server(output, CONFIG["host"], port)
    here, built = f"http://{CONFIG['host']}:{port}", built_for(output)
    print(f"本地预览：{here}/  （Ctrl+C 退出）")
    if local_address(built) and built != here:
        print(f"提示：{output.name}/ 是按 {built} 构建的，订阅链接和二维码在这个端口打不开；"
              f"要一起预览，运行 invoke reserve --port {port}（按这个端口构建再预览）")
    return server


@task(help={"port": "端口，默认 8000"})
def serve(c, port=CONFIG["port"]):
    """在 http://127.0.0.1:8000 预览 output/（.ics 以 text/calendar 发送）。"""
    server = _server(int(port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown()


@task(help={"port": "端口，默认 8000", "build_date": "按这一天区分近期/往期"})
def reserve(c, build_date=None, port=CONFIG["port"]):
    """构建后预览（订阅链接和二维码用预览的端口）。"""
    _python(*_build_args(CONFIG["settings"], build_date, None), "--dev-url", f"http://{CONFIG['host']}:{port}")
    serve(c, port=port)


@task(help={"port": "端口，默认 8000", "build_date": "按这一天区分近期/往期"})
def livereload(c, build_date=None, port=CONFIG["port"]):
    """预览并在内容、主题或插件保存后自动重新构建、刷新页面；内容有错误时，终端和打开的页面上都列出问题，改好保存后自动恢复。"""
    folders = _folders()
    watch = [folders["content"], folders["theme"], str(ROOT / "plugins"), folders["settings"]]
    _python("-m", "kepu.editor.livereload", "-s", str(CONFIG["settings"]), "-o", folders["output"],
            "--host", CONFIG["host"], "--port", str(port), *_flags(build_date=build_date),
            "--watch", *watch, check=False)


@task
def preview(c, build_date=None):
    """用发布设置（publishconf.py，绝对网址）构建。"""
    _python(*_build_args(CONFIG["publish_settings"], build_date, None))


@task(help={"siteurl": "发布后的网站地址，例如 https://example.cn 或 https://example.cn/kepu（示例网址 https://kepu.example.cn 会被拒绝）",
            "output": "发布到这个文件夹（默认 output/）", "content": PATH_HELP["content"],
            "build_date": "按这一天区分近期/往期"})
def publish(c, siteurl=None, build_date=None, output=None, content=None):
    """用 publishconf.py 构建到新的临时文件夹，成功后才整体替换 output/；失败时 output/ 一个字节也不变。"""
    url = _siteurl(siteurl)
    publishing = _folders(CONFIG["publish_settings"])
    sample = publishing["sample_siteurl"].rstrip("/")
    if sample and (url or publishing["siteurl"].rstrip("/")) == sample:
        said = f"{sample} 是示例网址" if url else f"没有指定网站的网址：{sample} 只是示例"
        sys.exit(f"{said}，用它发布的网站里，日历订阅、二维码和分享链接都会指向别人的网站 — 写 invoke publish "
                 "--siteurl https://你的网址（或设置环境变量 KEPU_SITEURL，或改 publishconf.py 的 SITEURL）")
    if publishing.get("publish_refusals"):
        sys.exit("\n".join([*publishing["publish_refusals"], "发布已停止：先改好上面的设置再发布。"]))
    _python(*_build_args(CONFIG["publish_settings"], build_date, url, output, content))
    folder = output or os.path.relpath(publishing["output"])
    print(f"发布目录已更新：把 {folder.rstrip('/')}/ 同步到网站服务器或对象存储即可（见 docs/deploy.md）。")


@task(help={"output": "要检查的输出文件夹，默认 output/", "siteurl": "网站地址（发布到子路径时需要）"})
def linkcheck(c, output=None, siteurl=None):
    """检查 output/ 中所有内部链接、锚点、图片、样式、脚本和订阅链接是否有效。"""
    args = ["-m", "kepu.editor.linkcheck", str(output or _folders()["output"])]
    if siteurl:
        args += ["--siteurl", siteurl]
    _python(*args)


@task(help={"events": "活动数量，默认 1000", "out": "输出文件夹，默认 .bench/corpus", "seed": "随机种子"})
def bench_corpus(c, events=1000, out=None, seed=2023):
    """生成基准测试用的活动内容（可复现）。"""
    _python("-m", "bench.corpus", str(out or ROOT / ".bench" / "corpus"), "--events", str(events),
            "--seed", str(seed))


@task(help={"queries": "每类查询最多多少条，默认 150", "events": "大规模测量的活动数（复制示例活动），默认 16000"})
def bench_search(c, queries=150, events=16000):
    """在 Chromium 里用网站自己的搜索页测量搜索的召回率、每次查询的流量和请求数，结果写入 bench/RESULTS.md。"""
    _python("-m", "bench.search", "--sample-queries", str(queries), "--events", str(events),
            "--results", str(ROOT / "bench" / "RESULTS.md"))


@task(help={"events": "活动周里的活动数量，默认 2500"})
def bench_campaign(c, events=2500):
    """生成一个数千项活动的科技活动周，测量手机打开每日日程要下载多少字节、主题活动日历文件有多大，结果写入 bench/RESULTS.md。"""
    _python("-m", "bench.campaign", "--events", str(events), "--results", str(ROOT / "bench" / "RESULTS.md"))


@task(help={"sizes": "活动数量，逗号分隔，默认 1000,4000,16000", "repeats": "每种规模重复次数，默认 3"})
def bench(c, sizes="1000,4000,16000", repeats=3):
    """并排测量本门户与原生 Pelican 的构建时间和内存，结果写入 bench/RESULTS.md。"""
    _python("-m", "bench.run", "--sizes", sizes, "--repeats", str(repeats),
            "--append", str(ROOT / "bench" / "NOTES.md"))


@task(help={"port": "网页编辑的端口，默认 8080", "proxy_port": "本机后台（decap-server）的端口，默认 8081",
            "content": PATH_HELP["content"]})
def cms(c, port=8080, proxy_port=8081, content=None):
    """在本机打开网页编辑（/admin/），保存的活动、新闻和图片直接写进 content/（需要先 npm ci）。"""
    _python("-m", "kepu.editor.cmsserve", "--port", str(port), "--proxy-port", str(proxy_port),
            *_flags(content=content and _here(content)))
