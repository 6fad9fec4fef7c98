"""The one walk over content/ and the capped reader, which the build and invoke check share."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from conftest import run_build, run_check
from kepu.content.project import Layout, check
from kepu.content.registries import load_registries
from kepu.content.tree import FileTooLarge, NotRegularFile, Sections, read_capped, scan

SECRET = "KEPU-SECRET-TOKEN-8d1f"


def shown(root: Path):
    return lambda path: path.relative_to(root).as_posix()


def test_scan_takes_plain_md_files_and_names_everything_else(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for relative in ("events/a/2026/ok.md", "events/a/2026/note.markdown", "events/a/2026/Upper.MD",
                     "events/a/2026/word.md.txt", "events/a/2026/.swap.md", "articles/n.md", "articles/n.mkd",
                     "pages/p.md", "data/streets.yml", "data/readme.txt", "images/a.png", "images/.htaccess",
                     "images/.gitkeep", "README.md"):
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", "utf-8")
    tree = scan(content, Sections(), shown(tmp_path))
    assert [p.relative_to(content).as_posix() for p in tree.events] == ["events/a/2026/ok.md"]
    assert [p.name for p in (*tree.articles, *tree.pages, *tree.data, *tree.images)] == [
        "n.md", "p.md", "streets.yml", "a.png"]
    found = {p.path: (p.message, p.hint, p.is_error) for p in tree.problems}
    assert found["content/events/a/2026/note.markdown"][1] == "改名为 note.md（扩展名只用小写的 .md）"
    assert found["content/events/a/2026/Upper.MD"][1] == "改名为 Upper.md（扩展名只用小写的 .md）"
    assert found["content/events/a/2026/word.md.txt"][1] == "改名为 word.md（扩展名只用小写的 .md）"
    assert found["content/articles/n.mkd"][1] == "改名为 n.md（扩展名只用小写的 .md）"
    assert found["content/events/a/2026/.swap.md"][0].startswith("隐藏文件")
    assert found["content/images/.htaccess"][0].startswith("隐藏文件")
    assert found["content/data/readme.txt"][2] is False  # a reminder: nothing reads it
    assert len(found) == 7  # README.md beside the sections and .gitkeep are nobody's business


def test_scan_refuses_links_pipes_and_linked_folders_without_following_them(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "events" / "a").mkdir(parents=True)
    (content / "events" / "a" / "real.md").write_text("x", "utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    (content / "events" / "a" / "out.md").symlink_to(tmp_path / "secret.txt")
    (content / "events" / "a" / "in.md").symlink_to("real.md")
    (content / "events" / "b").symlink_to("a")
    os.mkfifo(content / "events" / "a" / "pipe.md")
    tree = scan(content, Sections(), shown(tmp_path))
    assert [p.name for p in tree.events] == ["real.md"]
    messages = {p.path: p.message for p in tree.problems}
    assert messages == {
        "content/events/a/out.md": "这是一个指向内容文件夹之外的链接（symlink）",
        "content/events/a/in.md": "这是一个链接（symlink）：同一内容会被读取或发布两次",
        "content/events/b": "这是一个链接（symlink）：同一内容会被读取或发布两次",
        "content/events/a/pipe.md": "这不是普通文件（可能是管道或设备文件）",
    }


def test_read_capped_never_hangs_follows_or_reads_without_end(tmp_path: Path) -> None:
    plain = tmp_path / "plain.md"
    plain.write_bytes(b"a" * 100)
    assert read_capped(plain, 100) == b"a" * 100
    with pytest.raises(FileTooLarge) as error:
        read_capped(plain, 99)
    assert error.value.size == 100
    link = tmp_path / "zero.yml"
    link.symlink_to("/dev/zero")
    with pytest.raises(NotRegularFile):
        read_capped(link, 1000)
    with pytest.raises(NotRegularFile):
        read_capped(Path("/dev/zero"), 1000)
    with pytest.raises(OSError):
        read_capped(tmp_path, 1000)
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(_attempt(fifo)), daemon=True)
    reader.start()
    reader.join(60)  # a hang guard, not a time budget: opening a FIFO to read blocks forever
    assert outcome == [NotRegularFile], "reading a named pipe must be refused, not waited on"


def _attempt(path: Path) -> object:
    try:
        read_capped(path, 1000)
    except OSError as error:
        return type(error)
    return None


def test_a_registry_mistake_loses_one_item_and_no_event_is_blamed(mini_site: Path) -> None:
    """A half-typed quote in streets.yml: one error on its line, the other streets still load,
    and the events of those streets are not buried under follow-on "unknown id" errors."""
    streets = mini_site / "content" / "data" / "streets.yml"
    lines = streets.read_text("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("name:"))
    lines[index] = lines[index].replace("name: ", 'name: "', 1)
    streets.write_text("\n".join(lines) + "\n", "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site))
    errors = [p.format() for p in result.problems if p.is_error]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"content/data/streets.yml:{index + 1}: 引号没有成对")
    registries, _ = load_registries(mini_site / "content" / "data")
    assert len(registries.streets) >= 1


def test_registry_fields_and_ids_are_bounded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("streets", "categories", "audiences"):
        (data / f"{name}.yml").write_text("", "utf-8")
    (data / "teams.yml").write_text(
        '- id: "ok\\n"\n  name: 队\n- id: long\n  name: ' + "名" * 61 + "\n- id: desc\n  name: 队\n"
        "  description: " + "介" * 1001 + "\n- id: " + "a" * 41 + "\n  name: 队\n- id: fine\n  name: 好队\n",
        "utf-8")
    registries, problems = load_registries(data)
    # Only the good item is taken; a refused one with a usable id stands in (its name is its id,
    # none of its values are kept) so that what uses it is not blamed as well.
    assert registries.teams["fine"].name == "好队"
    assert {i: (t.name, t.description) for i, t in registries.teams.items() if i != "fine"} == {
        "long": ("long", ""), "desc": ("desc", "")}
    assert [p.format().split(" — ")[0] for p in problems] == [
        "content/data/teams.yml:1: id: 编号“ok\\n”不合规：只能用小写英文字母、数字和短横线，最多 40 个字符",
        "content/data/teams.yml:4: name: 内容太长（61 字，上限 60 字）",
        "content/data/teams.yml:7: description: 内容太长（1001 字，上限 1000 字）",
        f"content/data/teams.yml:8: id: 编号“{'a' * 41}”不合规：只能用小写英文字母、数字和短横线，最多 40 个字符",
    ]


@pytest.mark.build
def test_a_link_to_a_secret_is_refused_and_never_echoed(mini_site: Path) -> None:
    """A pull request adds a link to a private file: neither check (shown on the pull request)
    nor the build prints any of it."""
    (mini_site / "secret.yml").write_text(f"title: [{SECRET}\n", "utf-8")
    content = mini_site / "content"
    (content / "events" / "xinbei" / "2026" / "leak.md").symlink_to(mini_site / "secret.yml")
    (content / "data" / "streets.yml").unlink()
    (content / "data" / "streets.yml").symlink_to(mini_site / "secret.yml")
    checked = run_check(content=content, cwd=mini_site)
    built = run_build(content, mini_site / "output")
    for result in (checked, built):
        report = result.stdout + result.stderr
        assert result.returncode == 1, report
        assert SECRET not in report
        assert "content/events/xinbei/2026/leak.md: 这是一个指向内容文件夹之外的链接（symlink）" in report
        assert "content/data/streets.yml: 这是一个指向内容文件夹之外的链接（symlink）" in report
    assert not (mini_site / "output").exists()


def test_an_empty_registry_says_so_instead_of_an_empty_list(mini_site: Path) -> None:
    (mini_site / "content" / "data" / "audiences.yml").write_text("", "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site))
    hints = {p.hint for p in result.problems if "服务对象编号" in p.message}
    assert hints == {"登记表 content/data/audiences.yml 里还没有可用的编号：先修好或补上登记表"}


def test_a_file_name_with_a_line_break_is_named_on_one_line(mini_site: Path) -> None:
    folder = mini_site / "content" / "events" / "xinbei" / "2026"
    (folder / "evil\n.md").write_bytes((folder / "liudong-kejiguan.md").read_bytes())
    result = run_check(content=mini_site / "content", cwd=mini_site)
    assert result.returncode == 1, result.stdout
    assert "▶ content/events/xinbei/2026/evil\\n.md\n" in result.stdout
    assert "content/events/xinbei/2026/evil\\n.md: 文件名“evil\\n”不能用作网址" in result.stdout


def test_registry_values_of_the_wrong_type_and_repeated_keys_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("streets", "teams"):
        (data / f"{name}.yml").write_text("", "utf-8")
    (data / "audiences.yml").write_text("- {id: typed, name: [1, 2], description: {a: b}}\n- id: yes-no\n"
                                        "  name: yes\n- id: 12345\n  name: 数字\n- id: fine\n  name: 好\n", "utf-8")
    (data / "categories.yml").write_text("- id: tianwen\n  name: 天文观测\n  name: '=恶意名称'\n", "utf-8")
    registries, problems = load_registries(data)
    assert registries.audiences["fine"].name == "好"  # the others stand in: their ids, none of their values
    assert {i: a.name for i, a in registries.audiences.items() if i != "fine"} == {"typed": "typed", "yes-no": "yes-no"}
    assert registries.categories["tianwen"].name != "=恶意名称"
    assert sorted(p.format().split(" — ")[0] for p in problems) == [
        "content/data/audiences.yml:1: name: 这里应写一段文字，而不是列表或多个字段",
        "content/data/audiences.yml:3: name: 这一项被 YAML 读成了真假值，而这里要写文字",
        "content/data/audiences.yml:4: id: 这一项被 YAML 读成了数字，而这里要写文字",
        "content/data/categories.yml:3: name: 字段重复（第 2 行已经写过）",
    ]


def test_walk_names_hidden_folders_deep_trees_and_misplaced_content(tmp_path: Path) -> None:
    content = tmp_path / "content"
    deep = content / "events" / "a"
    deep.mkdir(parents=True)
    made = []
    for _ in range(1100):  # deeper than Python's recursion limit: the walk must not recurse
        deep = deep / "d"
        deep.mkdir()
        made.append(deep)
    (deep / "e.md").write_text("x", "utf-8")
    try:
        _check_walk(content, tmp_path)
    finally:  # shutil.rmtree (pytest's clean-up) recurses too: take the tower down from the top
        (deep / "e.md").unlink()
        for folder in reversed(made):
            folder.rmdir()


def _check_walk(content: Path, tmp_path: Path) -> None:
    for relative in ("events/a/.drafts/secret.md", "pages/.hidden/p.md", "images/.well-known/x.png",
                     "event/a/2026/typo.md", "Images/a.png", "data/street.yml", "data/Teams.yml", "x.md",
                     "README.md", ".github/workflows/ci.yml"):
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text("x", "utf-8")
    tree = scan(content, Sections(), shown(tmp_path))
    assert tree.events == tree.pages == tree.images == ()
    found = {p.path: (p.message.split("（")[0], p.hint, p.is_error) for p in tree.problems}
    too_deep = [path for path, (message, _, error) in found.items() if message == "文件夹层次太深" and error]
    assert len(too_deep) == 1 and too_deep[0].startswith("content/events/a/d/d/"), too_deep
    for hidden in ("content/events/a/.drafts", "content/pages/.hidden", "content/images/.well-known"):
        assert found[hidden][0] == "隐藏文件夹" and found[hidden][2], hidden
    assert found["content/event"] == ("这里的内容不会被读取或发布", "是否想放在 content/events/ 里？", False)
    assert found["content/Images"][1] == "是否想放在 content/images/ 里？"
    assert found["content/data/street.yml"][:2] == ("这不是登记表文件，不会被读取", "是否想写 streets.yml？（文件名区分大小写）")
    assert found["content/data/Teams.yml"][1] == "是否想写 teams.yml？（文件名区分大小写）"
    assert found["content/x.md"][2] is False
    assert "content/README.md" not in found and "content/.github" not in found


@pytest.mark.parametrize("name", ["news", "admin"])  # a section of the site's; the web editor's folder
def test_a_page_named_like_news_is_refused_by_the_check_too(mini_site: Path, name: str) -> None:
    (mini_site / "content" / "pages" / f"{name}.md").write_text("---\ntitle: 测试页\n---\n正文\n", "utf-8")
    result = check(Layout(content=mini_site / "content", root=mini_site))
    assert [p.format() for p in result.problems if p.is_error] == [
        f"content/pages/{name}.md: 两个页面要写到同一个位置：{name}/index.html（网址 /{name}/） — "
        "文件名不能与栏目网址重名（如 events、news、streets、past、subscribe）：请给这个文件换个名字"]
