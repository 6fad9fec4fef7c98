"""The portal's settings, read once from pelicanconf.py (or publishconf.py) into one typed, frozen object."""

from __future__ import annotations

import argparse
import ast
import difflib
import importlib.util
import os
import re
import sys
import traceback
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kepu.content.district import District
from kepu.content.problems import WARNING, ContentError, Problem, format_report
from kepu.content.project import Layout
from kepu.formats.urls import UrlScheme, pattern_problems

LINES_KEY = "__lines__"  # read_file: the line of each setting in the file, for problems
CONFIG_KEY = "KEPU_CONFIG"  # where a build keeps its SiteConfig in Pelican's settings
SETTINGS_FILE = "pelicanconf.py"
PUBLISH_FILE = "publishconf.py"
DEV_SITEURL = "http://127.0.0.1:8000"  # absolute links in feeds while SITEURL is empty
# Folder settings made absolute relative to the settings file, as Pelican does.
PATH_SETTINGS = ("PATH", "OUTPUT_PATH", "THEME", "CACHE_PATH")
# Content folder settings (Pelican's *_PATHS: one folder each) -> Layout field, default.
FOLDERS = {"EVENT_PATHS": ("events", "events"), "ARTICLE_PATHS": ("articles", "articles"),
           "PAGE_PATHS": ("pages", "pages")}
NAMED_FOLDERS = {"KEPU_DATA_PATH": ("data", "data"), "KEPU_IMAGES_PATH": ("images", "images")}


class FrozenSettings(Mapping[str, Any]):
    """The settings, read-only (a plain class: builds hand it to forked page writers by pickling)."""

    def __init__(self, items: Mapping[str, Any]):
        self._items = dict(items)

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class SettingsError(ContentError):
    """A setting the portal cannot use: each problem names the settings file, the setting and the fix."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything the tools read from the settings: build, check, new-event, import, livereload alike."""

    source: str  # the settings file, as problems name it
    layout: Layout
    output: Path
    cache: Path
    timezone: str
    build_date: date  # BUILD_DATE, or today in the site's time zone
    siteurl: str
    dev_siteurl: str
    uid_domain: str
    sitename: str
    organization: str
    district: District
    codeowners_team: str
    share_image: str  # the district's share card under the content folder (images/share.png)
    urls: UrlScheme
    settings: Mapping[str, Any]  # every setting, read-only (the rest: Pelican's, the theme's)
    # Settings the site can be built with but should not be published with (the sample district's
    # wording left in place): said by invoke check and after each build alike.
    reminders: tuple[Problem, ...] = ()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], source: str = SETTINGS_FILE) -> SiteConfig:
        """The configuration of these settings (Pelican's dict, or a settings file's names);
        every unusable setting at once as a SettingsError."""
        where = _Where(source, settings.get(LINES_KEY, {}))
        problems = [*_zone_problems(settings, where), *_content_problems(settings, where),
                    *_folder_problems(settings, where),
                    *_url_problems(settings, where), *_siteurl_problems(settings, where),
                    *_build_date_problems(settings, where), *_uid_problems(settings, where),
                    *_name_problems(settings, where), *_required_problems(settings, where),
                    *_cms_problems(settings, where), *_filing_problems(settings, where),
                    *_share_image_problems(settings, where)]
        reminders = (*_district_name_problems(settings, where), *_sample_setting_problems(settings, where))
        if problems:  # the reminders too: all the settings' problems in one run
            raise SettingsError([*problems, *reminders])
        content = Path(settings.get("PATH") or "content")
        root = Path(settings.get("KEPU_ROOT") or content.parent)
        return cls(
            source=source,
            layout=Layout(content, root, **{field: _folder(settings, key, default)
                                            for key, (field, default) in {**FOLDERS, **NAMED_FOLDERS}.items()}),
            output=Path(settings.get("OUTPUT_PATH") or root / "output"),
            cache=Path(settings.get("CACHE_PATH") or root / ".cache" / "pelican"),
            timezone=settings["TIMEZONE"],
            build_date=_build_date(settings.get("BUILD_DATE")) or datetime.now(ZoneInfo(settings["TIMEZONE"])).date(),
            siteurl=str(settings.get("SITEURL") or "").rstrip("/"),
            dev_siteurl=str(settings.get("DEV_SITEURL") or DEV_SITEURL).rstrip("/"),
            uid_domain=str(settings.get("UID_DOMAIN") or ""),
            sitename=str(settings.get("SITENAME") or "科普日历"),
            organization=str(settings.get("ORGANIZATION") or settings.get("SITENAME") or ""),
            district=District.from_settings(settings),
            codeowners_team=str(settings.get("KEPU_CODEOWNERS_TEAM") or "@kepu"),
            share_image=str(settings.get("SHARE_IMAGE") or f"{_folder(settings, 'KEPU_IMAGES_PATH', 'images')}/share.png").strip(),
            urls=UrlScheme.from_settings(settings),
            settings=FrozenSettings({k: v for k, v in settings.items() if k.isupper() and k != CONFIG_KEY}),
            reminders=reminders,
        )

    @property
    def sample_words(self) -> tuple[str, ...]:
        """What names the sample district (SAMPLE_DISTRICT, then SAMPLE_DISTRICT_NAMES: its short
        name, city, Latin name) in a site set up for another; none for the sample itself."""
        return sample_words(self.settings)

    @property
    def publish_refusals(self) -> tuple[Problem, ...]:
        """What ``invoke publish`` refuses: a web editor saving volunteers' edits to the sample's
        repository (the wording left in place is a reminder, as UID_DOMAIN's example domain is)."""
        return tuple(p for p in self.reminders if p.field == "KEPU_CMS_BACKEND")

    @property
    def public_url(self) -> str:
        """Absolute site address for feeds, QR codes and subscribe links (SITEURL when set)."""
        return self.siteurl or self.dev_siteurl

    def share_card_problem(self) -> Problem | None:
        """The share card names another site (the sample's card left in place by a new district):
        known from the name ``make share-card`` writes into the PNG it draws; a card made otherwise
        says nothing, and nothing is said of it."""
        path = self.layout.content / self.share_image
        named = png_title(path)
        if not named or named == self.sitename:
            return None
        return Problem(self.layout.shown(path), 0, "", f"分享卡片上写的是“{named}”，本站名称是“{self.sitename}”："
                       "微信里分享的每个页面都会显示这张图",
                       "运行 make share-card 按 SITENAME 重新生成；或换一张写着本站名称的 600×600 PNG 或 JPG 图片",
                       WARNING)

    @property
    def example_uid_domain(self) -> bool:
        """Whether calendar entries' ids would end in an example domain (the sample's placeholder):
        once published, changing it makes every subscriber's calendar show each event twice."""
        return "example" in self.uid_domain.split(".")

    def today(self) -> date:
        """The day pages are built and content is checked for."""
        return self.build_date

    def checked_at(self, day: date) -> datetime:
        """The instant content is checked at for ``day``: the clock when ``day`` is today in the
        site's time zone (a volunteer records 参加人数 the evening an event ended), else the
        start of ``day`` (as the build stands for it)."""
        zone = ZoneInfo(self.timezone)
        now = datetime.now(zone)
        return now if now.date() == day else datetime.combine(day, time.min, tzinfo=zone)


def load(path: Path | str = SETTINGS_FILE, overrides: Mapping[str, Any] | None = None) -> SiteConfig:
    """Run the settings file as the build does and read its configuration (``overrides``: settings
    given on the command line, such as another content folder)."""
    path = Path(path)
    return SiteConfig.from_settings({**read_file(path), **(overrides or {})}, shown(path))


GENERATOR = Path(__file__).resolve().parents[2]  # the project this code came with (its pelicanconf.py)


def default_settings_file() -> Path:
    """pelicanconf.py in the working folder (the project), else the generator's own."""
    here = Path(SETTINGS_FILE)
    return here if here.is_file() else GENERATOR / SETTINGS_FILE


@cache
def own_config() -> SiteConfig:
    """The generator's own settings (its pelicanconf.py): for library calls given no settings."""
    return load(GENERATOR / SETTINGS_FILE)


def day_argument(text: str) -> date:
    """A --build-date (--today) as typed: its problem said in Chinese (argparse's own is English)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的日期：写成 2026-12-01 这样的年-月-日") from None


def moment_argument(text: str) -> datetime:
    """An --at as typed (2026-12-08 11:00), in the site's time zone once it is known."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的时刻：写成 2026-12-08 11:00 这样的日期和时间") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The editors' tools' --settings and --content, meaning what they mean to the build."""
    parser.add_argument("--settings", type=Path, metavar="设置文件",
                        help=f"设置文件（默认当前文件夹的 {SETTINGS_FILE}，与构建相同）")
    parser.add_argument("--content", type=Path, metavar="文件夹",
                        help="内容文件夹（默认是设置文件里的 PATH，一般是 content/）")


def for_command(args: argparse.Namespace, from_here: bool = False) -> SiteConfig:
    """The configuration a command-line tool works with (``add_arguments``'s options); paths are
    shown relative to the working folder (``from_here``: always, so a path it prints can be typed
    there; else a content folder elsewhere is shown from its parent, as the check shows it).
    Unusable settings: their report, and exit status 1."""
    try:
        config = load(args.settings or default_settings_file(), content_overrides(args.content))
    except SettingsError as error:
        print(format_report(error.problems), file=sys.stderr)
        raise SystemExit(1) from None
    root = Path.cwd() if from_here else project_root(config.layout.content)
    return replace(config, layout=replace(config.layout, root=root))


def project_root(content: Path) -> Path:
    """Paths are shown relative to the working folder, or to the content folder's parent
    when it lies elsewhere (a content repository checked next to the generator)."""
    here = Path.cwd()
    return here if content.resolve().is_relative_to(here.resolve()) else content.resolve().parent


def settings_file(root: Path, publish: bool = False) -> Path:
    """The project's settings file: publishconf.py when publishing, pelicanconf.py otherwise."""
    return root / (PUBLISH_FILE if publish else SETTINGS_FILE)


def content_overrides(content: Path | None) -> dict[str, Any]:
    """The settings for another content folder (``--content``): its parent is the project."""
    if content is None:
        return {}
    folder = content.resolve()
    return {"PATH": str(folder), "KEPU_ROOT": str(folder.parent),
            "CACHE_PATH": str(folder.parent / ".cache" / "pelican")}


def read_file(path: Path) -> dict[str, Any]:
    """The settings (upper-case names) a settings file defines, running it as Pelican does; its
    folders made absolute relative to it. A file that does not run is a SettingsError naming its line."""
    if not path.is_file():
        raise SettingsError([Problem(shown(path), 0, "", "设置文件不存在",
                                     f"检查路径是否写对；在项目文件夹（有 {SETTINGS_FILE} 的文件夹）里运行")])
    with _importable(path.resolve().parent):
        try:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[path.stem] = module
            spec.loader.exec_module(module)
        except Exception as error:  # the maintainer's Python: say where it failed
            sys.modules.pop(path.stem, None)
            raise SettingsError([_failure(path, error)]) from error
    settings = {name: getattr(module, name) for name in dir(module) if name.isupper()}
    for name in PATH_SETTINGS:
        if isinstance(settings.get(name), str) and settings[name]:
            settings[name] = str((path.resolve().parent / settings[name]).resolve()) if not \
                os.path.isabs(settings[name]) else settings[name]
    return settings | {LINES_KEY: assignment_lines(path)}


@contextmanager
def _importable(folder: Path) -> Iterator[None]:
    """The settings file's folder on the import path while it runs (``from pelicanconf import *``
    imports the pelicanconf.py beside it, not one read before from another folder)."""
    for sibling in folder.glob("*.py"):
        loaded = getattr(sys.modules.get(sibling.stem), "__file__", None)
        if loaded and Path(loaded).resolve() != sibling.resolve():
            del sys.modules[sibling.stem]
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))


def _failure(path: Path, error: Exception) -> Problem:
    line = getattr(error, "lineno", 0) if isinstance(error, SyntaxError) else next(
        (frame.lineno for frame in reversed(traceback.extract_tb(error.__traceback__))
         if Path(frame.filename).resolve() == path.resolve()), 0)
    return Problem(shown(path), line or 0, "", f"设置文件运行出错：{type(error).__name__}: {error}",
                   "按出错的那一行改正（对照示例项目的 pelicanconf.py）；改好后再运行")


def assignment_lines(path: Path) -> dict[str, int]:
    """The line of each setting assigned in the file (for problems about it)."""
    lines: dict[str, int] = {}
    try:
        tree = ast.parse(path.read_text("utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return lines
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id.isupper():
            lines[node.id] = node.lineno
    return lines


def shown(path: Path) -> str:
    """A settings file as problems name it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True, slots=True)
class _Where:
    source: str
    lines: Mapping[str, int]

    def problem(self, name: str, message: str, hint: str) -> Problem:
        return Problem(self.source, self.lines.get(name, 0), name, message, hint)

    def assigned(self, name: str, message: str, hint: str, severity: str) -> Problem:
        """A problem at the line assigning ``name``: in this file, else in the pelicanconf.py beside
        it, which a publishconf.py-style file imports."""
        if name not in self.lines and Path(self.source).name != SETTINGS_FILE:
            imported = Path(self.source).with_name(SETTINGS_FILE)
            line = assignment_lines(imported).get(name, 0) if imported.is_file() else 0
            if line:
                return Problem(imported.as_posix(), line, name, message, hint, severity)
        return Problem(self.source, self.lines.get(name, 0), name, message, hint, severity)


def png_title(path: Path) -> str:
    """The ``Title`` a PNG's text chunks give ("" for none, a JPG, or no such file): read chunk by
    chunk up to the image data, where a drawing program writes it."""
    try:
        with path.open("rb") as file:
            if file.read(8) != b"\x89PNG\r\n\x1a\n":
                return ""
            while header := file.read(8):
                length, kind = int.from_bytes(header[:4], "big"), header[4:]
                if kind in (b"IDAT", b"IEND") or len(header) < 8:
                    return ""
                data = file.read(length)
                file.seek(4, os.SEEK_CUR)  # the CRC
                keyword, _, text = data.partition(b"\x00")
                if kind == b"iTXt" and keyword == b"Title":  # compression flag and method, language, keyword
                    value = text[2:].partition(b"\x00")[2].partition(b"\x00")[2]
                    return (zlib.decompress(value) if text[:1] == b"\x01" else value).decode("utf-8", "replace")
                if kind == b"tEXt" and keyword == b"Title":
                    return text.decode("latin-1")
    except OSError:
        return ""
    return ""


# The district's card shown when a page is shared (WeChat, search engines): SHARE_IMAGE, by default
# share.png in the content's images folder; without one, the theme's card, which names no district.
SHARE_IMAGE_HINT = ("放一张 600×600 的 PNG 或 JPG 图片（写着本站名称），例如 content/images/share.png，"
                    'SHARE_IMAGE = "images/share.png"；不设 SHARE_IMAGE 也可以，没有这张图时用主题自带的通用图片')


def _share_image_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """SHARE_IMAGE, when set: a PNG or JPG in the content's images folder that is there (WeChat
    shows no SVG; a misspelt name would have published the theme's card without a word)."""
    value = settings.get("SHARE_IMAGE")
    if value is None:
        return []
    images = settings.get("KEPU_IMAGES_PATH", "images")
    name = str(value).strip()
    parts = name.split("/")
    if not (isinstance(value, str) and len(parts) > 1 and parts[0] == images and not {"..", ".", ""} & set(parts)
            and "\\" not in name and re.search(r"\.(png|jpe?g)$", name, re.IGNORECASE)):
        return [where.problem("SHARE_IMAGE", f"分享卡片图片 SHARE_IMAGE“{name}”要写 {images}/ 文件夹里的一张 PNG 或 JPG 图片",
                              SHARE_IMAGE_HINT)]
    content = Path(settings.get("PATH") or "content")
    if not (content / name).is_file():
        return [where.problem("SHARE_IMAGE", f"找不到分享卡片图片 {content.name}/{name}", SHARE_IMAGE_HINT)]
    return []


# The Git hosts Decap CMS saves to that docs/deploy.md describes (Gitee has no Decap backend).
CMS_BACKENDS = ("forgejo", "gitea", "github", "gitlab")


def _cms_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """KEPU_CMS_BACKEND: a web editor that could not save anywhere was published without a word."""
    backend = settings.get("KEPU_CMS_BACKEND")
    if backend is None:
        return []
    hint = ('例如 KEPU_CMS_BACKEND = {"name": "forgejo", "repo": "单位/kepu-content", "branch": "main", …}，'
            "见 docs/deploy.md 的“网页编辑”")
    if not isinstance(backend, dict):
        return [where.problem("KEPU_CMS_BACKEND", "网页编辑的保存位置 KEPU_CMS_BACKEND 要写成 {…} 的形式", hint)]
    name, repo = backend.get("name"), backend.get("repo")
    if name not in CMS_BACKENDS:
        return [where.problem("KEPU_CMS_BACKEND", f"网页编辑不能保存到“{name}”",
                              f"name 只能是 {'、'.join(CMS_BACKENDS)}（Gitee 没有网页编辑可用的接口：见 docs/deploy.md）")]
    if not isinstance(repo, str) or not re.fullmatch(r"[^/\s]+/[^/\s]+", repo):
        return [where.problem("KEPU_CMS_BACKEND", f"网页编辑的仓库 repo“{repo or ''}”要写成 所有者/仓库名", hint)]
    return []


def _zone_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    name = settings.get("TIMEZONE")
    hint = '写 IANA 时区名，例如 TIMEZONE = "Asia/Shanghai"（北京时间）'
    if not name:
        return [where.problem("TIMEZONE", "没有设置网站的时区 TIMEZONE", hint)]
    if not isinstance(name, str) or not _is_zone(name):
        return [where.problem("TIMEZONE", f"时区“{name}”不认识", hint)]
    return []


def _is_zone(name: str) -> bool:
    if name == "localtime" or name.startswith(("posix", "right/")):
        return False  # whatever zone the build machine is set to
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        return False
    return True


def _folder(settings: Mapping[str, Any], key: str, default: str) -> str:
    value = settings.get(key, [default] if key in FOLDERS else default)
    return value[0] if key in FOLDERS else value


def _folder_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    problems = []
    for key, (_, default) in FOLDERS.items():
        value = settings.get(key, [default])
        if not isinstance(value, (list, tuple)) or len(value) != 1 or not _plain_folder(value[0]):
            problems.append(where.problem(key, f"{key} 要写内容文件夹里的一个文件夹，现在是 {value!r}",
                                          f'例如 {key} = ["{default}"]（一个文件夹名，不带斜杠）'))
    for key, (_, default) in NAMED_FOLDERS.items():
        if not _plain_folder(settings.get(key, default)):
            problems.append(where.problem(key, f"{key} 要写内容文件夹里的一个文件夹名，现在是 {settings[key]!r}",
                                          f'例如 {key} = "{default}"'))
    return problems


def _content_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """PATH: a folder that is there (Pelican stopped on a missing one with an English traceback,
    and the check spoke only of missing registries)."""
    folder = Path(str(settings.get("PATH") or "content"))
    if folder.is_dir():
        return []
    return [where.problem("PATH", f"内容文件夹 {folder} 不存在",
                          "PATH 写内容文件夹（里面有 events/、data/ 等文件夹）的位置，例如 PATH = str(ROOT / \"content\")；"
                          "命令行用 --content 时，检查写的文件夹名")]


def _plain_folder(value: object) -> bool:
    return isinstance(value, str) and bool(value) and "/" not in value and "\\" not in value \
        and value not in (".", "..")


def _url_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    return [where.problem(name, message, hint) for name, message, hint in pattern_problems(settings)]


def _siteurl_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    url = settings.get("SITEURL") or ""
    if not isinstance(url, str) or (url and not url.startswith(("http://", "https://"))):
        return [where.problem("SITEURL", f"网站地址 SITEURL“{url}”不是完整的网址",
                              '写 https:// 开头的网址，例如 SITEURL = "https://kepu.example.cn"；本机预览留空')]
    return []


# 备案 numbers as the registries issue them: 津ICP备2026000001号(-1), 津公网安备12011602000001号.
ICP_NUMBER = re.compile(r"[\u4e00-\u9fff]ICP[备证]\d{6,10}号(-\d{1,3})?")
PSB_NUMBER = re.compile(r"[\u4e00-\u9fff]公网安备 ?(\d{14})号")


def psb_code(number: str) -> str:
    """The 14 digits of a public security filing number (what its registry is searched by), or ""."""
    found = PSB_NUMBER.fullmatch(number.strip())
    return found[1] if found else ""


def _filing_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """KEPU_ICP and KEPU_PSB, shown in every page's footer: as issued, or not at all."""
    problems = []
    for name, pattern, example in (("KEPU_ICP", ICP_NUMBER, "津ICP备2026000001号-1"),
                                   ("KEPU_PSB", PSB_NUMBER, "津公网安备12011602000001号")):
        value = settings.get(name) or ""
        if not isinstance(value, str) or (value.strip() and not pattern.fullmatch(value.strip())):
            problems.append(where.problem(name, f"备案号 {name}“{value}”的格式不对",
                                          f'照备案系统里的原样写，例如 {name} = "{example}"；没有备案号就留空 ""'))
    return problems


def _uid_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """UID_DOMAIN: the calendar entries' ids end in it (never changed once feeds are published)."""
    domain = settings.get("UID_DOMAIN")
    if isinstance(domain, str) and re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+",
                                               domain):
        return []
    return [where.problem("UID_DOMAIN", f"日历编号的域名 UID_DOMAIN“{domain or ''}”不是域名",
                          '写本单位的域名（小写），例如 UID_DOMAIN = "kepu.example.cn"；订阅源发布以后不要再改')]


# The settings that make a portal another district's (README, 换一个区使用): a misspelt one would
# leave the sample's value, or none, without a word.
DISTRICT_SETTINGS = ("SITENAME", "SITESUBTITLE", "ORGANIZATION", "KEPU_DISTRICT", "KEPU_REGION", "KEPU_CITY",
                     "UID_DOMAIN", "KEPU_CODEOWNERS_TEAM", "KEPU_CMS_BACKEND", "SHARE_IMAGE", "KEPU_ICP", "KEPU_PSB")
PELICAN_SITENAME = "A Pelican Blog"  # Pelican's own default: never a portal's name


def _name_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """No site name (pages would say Pelican's default), and a district setting written with a
    typo (the name is assigned, the setting it resembles is not)."""
    problems = []
    if not settings.get("SITENAME") or settings.get("SITENAME") == PELICAN_SITENAME:
        problems.append(where.problem("SITENAME", "没有设置网站名称 SITENAME（页面上会写成 Pelican 的默认名称 A Pelican Blog）",
                                      '加一行 SITENAME = "某某科普日历"'))
    for name in where.lines:
        if name in DISTRICT_SETTINGS:
            continue
        close = difflib.get_close_matches(name, DISTRICT_SETTINGS, 1, 0.8)
        if close:  # written beside the right one too, the misspelt line changes nothing either
            also = f"{close[0]} 已在第 {where.lines[close[0]]} 行设置，这一行不起作用" if close[0] in where.lines else ""
            problems.append(where.problem(name, f"不认识的设置 {name}", f"是否想写 {close[0]}？{also}"))
    return problems


def sample_words(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """SAMPLE_DISTRICT and SAMPLE_DISTRICT_NAMES, longest first, without those KEPU_DISTRICT itself
    contains (a county of the same short name is no leftover); none when the site is the sample district."""
    sample = str(settings.get("SAMPLE_DISTRICT") or "").strip()
    district = str(settings.get("KEPU_DISTRICT") or "").strip()
    if not sample or sample == district:
        return ()
    others = settings.get("SAMPLE_DISTRICT_NAMES") or ()
    words = {str(word).strip() for word in (sample, *([others] if isinstance(others, str) else others))}
    return tuple(sorted((w for w in words if w and w.casefold() not in district.casefold()), key=lambda w: -len(w)))


def named_word(text: str, words: tuple[str, ...]) -> str:
    """The first of ``words`` in ``text`` (Latin ones whatever their case), or ""."""
    folded = text.casefold()
    return next((word for word in words if word.casefold() in folded), "")


# What each district setting is shown as, for the reminder that it still names the sample district.
SETTING_USES = {
    "SITENAME": "网站名称，每个页面的标题、页头和订阅日历的名称",
    "SITESUBTITLE": "首页的副标题和搜索引擎显示的网站简介",
    "ORGANIZATION": "每个页面页脚的主办单位和订阅源的作者",
    "KEPU_REGION": "搜索引擎读到的活动所在省市（addressRegion）",
    "KEPU_CITY": "没有经纬度的场地，地图链接在这个城市里搜索",
    "UID_DOMAIN": "订阅日历里活动编号的域名（发布以后不能再改）",
    "KEPU_CODEOWNERS_TEAM": " invoke codeowners 写出的审核团队",
    "KEPU_CMS_BACKEND": "网页编辑（/admin/）保存修改的仓库：不改的话，志愿者在网页上改的内容会存进示例的仓库",
    "SHARE_IMAGE": "分享卡片图片",
}


def shared_name_hint(word: str, settings: Mapping[str, Any]) -> str:
    """For a word of SAMPLE_DISTRICT_NAMES (a city, a short name), not the sample district's own
    name: how a district that really is there (in the same city, say) stops the reminder."""
    if word == str(settings.get("SAMPLE_DISTRICT") or "").strip():
        return ""
    return f"；本区确实也在“{word}”或也叫“{word}”的，不用改，把“{word}”从 pelicanconf.py 的 SAMPLE_DISTRICT_NAMES 里去掉"


def _district_name_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """No KEPU_DISTRICT: pages, feeds and structured data would name the district 本区 and 全区."""
    if str(settings.get("KEPU_DISTRICT") or "").strip():
        return []
    return [where.assigned("KEPU_DISTRICT", "没有设置本区的名称 KEPU_DISTRICT：页面、订阅日历和结构化数据里"
                           "会写成“本区”“全区”", '加一行 KEPU_DISTRICT = "某某县"（区县的全称，页面上写成“某某县的科普活动”'
                           "“全县”），见 README 的“换一个区使用”", WARNING)]


def _sample_setting_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    """District settings still naming the sample district in a site set up for another: a reminder
    each, at its line (in pelicanconf.py when a publishconf.py-style file imports it)."""
    words = sample_words(settings)
    found = []
    for name, use in SETTING_USES.items():
        value = settings.get(name)
        text = " ".join(map(str, value.values())) if isinstance(value, dict) else str(value or "")
        word = named_word(text, words)
        if word:
            shown_value = value.get("repo", text) if isinstance(value, dict) else text
            district = str(settings.get("KEPU_DISTRICT") or "本区")
            found.append(where.assigned(name, f"还写着示例内容的“{word}”：{shown_value}（本站是{district}）",
                                        f"它是{use}；改成本区的，见 README 的“换一个区使用”"
                                        + shared_name_hint(word, settings), WARNING))
    return found


# Settings the theme shows on every page (or every subscribe page) without a default: a site without
# one stopped half-way through the build on an undefined name in a template, as a program error.
REQUIRED_SETTINGS = {
    "ORGANIZATION": ("主办单位，写在每个页面的页脚和订阅源里", 'ORGANIZATION = "某某县科学技术协会"'),
    "SITESUBTITLE": ("网站简介，写在首页和搜索引擎显示的网站简介里", 'SITESUBTITLE = "某某县科普活动一站查"'),
    "FEED_REFRESH_TEXT": ("订阅页面上说日历多久刷新一次（与 FEED_REFRESH 一致）", 'FEED_REFRESH_TEXT = "6 小时"'),
    "FEED_PAST_DAYS": ("订阅的日历保留结束了多少天的活动", "FEED_PAST_DAYS = 90"),
}


def _required_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    return [where.problem(name, f"没有设置 {name}：它是{use}", f"加一行 {example}（对照示例项目的 pelicanconf.py）")
            for name, (use, example) in REQUIRED_SETTINGS.items() if settings.get(name) in (None, "")]


def _build_date_problems(settings: Mapping[str, Any], where: _Where) -> list[Problem]:
    try:
        _build_date(settings.get("BUILD_DATE"))
    except ValueError:
        return [where.problem("BUILD_DATE", f"构建日期 BUILD_DATE“{settings['BUILD_DATE']}”不是日期",
                              "写成 2026-12-01 这样的日期；环境变量 KEPU_BUILD_DATE 也一样")]
    return []


def _build_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)) if value else None


def main(argv: list[str] | None = None) -> int:
    """``python -m kepu.config [--settings F]``: the folders the settings name, as JSON (for tasks.py)."""
    import json

    parser = argparse.ArgumentParser(prog="kepu.config", description="列出设置文件里的文件夹（JSON）。")
    add_arguments(parser)
    args = parser.parse_args(argv)
    config = for_command(args)
    print(json.dumps({"settings": str(Path(args.settings or default_settings_file()).resolve()),
                      "content": str(config.layout.content.resolve()), "output": str(config.output),
                      "cache": str(config.cache), "theme": str(config.settings.get("THEME") or ""),
                      "siteurl": config.siteurl, "sample_siteurl": str(config.settings.get("SAMPLE_SITEURL") or ""),
                      "publish_refusals": [problem.format() for problem in config.publish_refusals]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
