"""The parse cache keeps what validating each event file gave: a rebuild validates only changed
files, and an unchanged file again whenever anything its validation read is no longer as it was
(a registry, the news, a picture it names)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kepu.content.events as events_module
from conftest import TEST_SITE
from kepu.content.events import load_events
from kepu.content.registries import load_registries
from kepu.content.validation import ValidationContext
from kepu_pelican.engine.parses import ParseCache

PICTURE = b"\x89PNG\r\n\x1a\n"  # validation looks for the file, it does not open it


def _site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(TEST_SITE / "content", content)
    return content


def _load(content: Path, cache_folder: Path) -> tuple[list, list, ParseCache]:
    """One build's reading: registries, news names, every event through the cache folder's cache."""
    files = [(path, f"content/{path.relative_to(content).as_posix()}")
             for path in sorted((content / "events").rglob("*.md"))]
    registries, found = load_registries(content / "data", "content/data", {path.stem for path, _ in files})
    assert not found
    news = frozenset(path.stem for path in (content / "articles").glob("*.md"))
    ctx = ValidationContext(registries, content, article_slugs=news)
    cache = ParseCache(cache_folder, "content")
    events, problems = load_events(files, ctx, cache, workers=1)
    cache.keep_only({shown for _, shown in files})
    cache.save()
    return events, problems, cache


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    validated: list[str] = []
    real = events_module.validate_event

    def counted(doc, ctx, html=""):
        validated.append(doc.path)
        return real(doc, ctx, html)

    monkeypatch.setattr(events_module, "validate_event", counted)
    return validated


def test_a_rebuild_validates_only_the_changed_file_and_gives_the_same_events(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, cache = _site(tmp_path), tmp_path / "cache"
    validated = _counting(monkeypatch)
    first, problems, _ = _load(content, cache)
    assert len(validated) == len(first) == 5 and not [p for p in problems if p.is_error]
    validated.clear()
    second, _, _ = _load(content, cache)
    assert validated == [] and second == first
    edited = content / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    edited.write_text(edited.read_text("utf-8").replace("流动科技馆进社区", "流动科技馆来了"), "utf-8")
    third, _, _ = _load(content, cache)
    assert validated == ["content/events/xinbei/2026/liudong-kejiguan.md"]
    assert [e.title for e in third if e.slug == "liudong-kejiguan"] == ["流动科技馆来了"]


@pytest.mark.parametrize("change", ["picture removed", "picture added", "team removed", "news removed"])
def test_an_unchanged_file_is_validated_again_when_what_it_refers_to_changes(
        tmp_path: Path, change: str) -> None:
    """The same problems as a first reading without any cache, whichever way it changed."""
    content, cache = _site(tmp_path), tmp_path / "cache"
    event = content / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    event.write_text(event.read_text("utf-8").replace("featured: true", "featured: true\nimage: images/che.png"),
                     "utf-8")
    picture = content / "images" / "che.png"
    picture.parent.mkdir()
    if change != "picture added":
        picture.write_bytes(PICTURE)
    _, before, _ = _load(content, cache)
    if change == "picture removed":
        picture.unlink()
    elif change == "picture added":
        picture.write_bytes(PICTURE)
    elif change == "team removed":
        teams = content / "data" / "teams.yml"
        text = teams.read_text("utf-8")
        teams.write_text(text[text.index("- id: taida-huiketing"):], "utf-8")
    else:
        (content / "articles" / "kepu-ri-baodao.md").unlink()
    _, after, _ = _load(content, cache)
    _, fresh, _ = _load(content, tmp_path / "no-cache")
    assert sorted(after) == sorted(fresh) != sorted(before)


def test_one_data_file_is_kept_whatever_the_builds(tmp_path: Path) -> None:
    """Each save writes the next data file and removes the one before: no file is left over."""
    content, cache = _site(tmp_path), tmp_path / "cache"
    edited = content / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    for number in range(3):
        edited.write_text(edited.read_text("utf-8").replace("summary: ", f"summary: {number}", 1), "utf-8")
        _load(content, cache)
        names = sorted(p.name for p in cache.iterdir())
        assert len(names) == 2 and names[1] == "parses.pickle" and names[0].startswith("parses-"), names


def test_a_rebuild_starts_with_the_digests_of_its_unchanged_events(tmp_path: Path) -> None:
    """The digest a build worked out for each event (its pages' and files' fingerprints are made
    from it) is kept: the next build's memo starts with those of unchanged events, each equal to
    the digest worked out again, and none for the edited one."""
    from kepu_pelican.engine.canon import canonical, written

    content, folder = _site(tmp_path), tmp_path / "cache"
    first, _, cache = _load(content, folder)
    memo: dict = {}
    for event in first:
        canonical(event, memo)
    cache.keep_digests(memo)
    edited = content / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    edited.write_text(edited.read_text("utf-8").replace("流动科技馆进社区", "流动科技馆来了"), "utf-8")
    second, _, cache = _load(content, folder)
    seeded: dict = {}
    cache.seed(seeded)
    again: dict = {}
    for event in second:
        canonical(event, again)
    unchanged = [event for event in second if event.slug != "liudong-kejiguan"]
    assert len(unchanged) == 4 and len(seeded) == 4
    assert all(written(event, seeded) == written(event, again) is not None for event in unchanged)


def test_a_cache_that_cannot_be_written_costs_speed_never_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A full disk (or a cache folder without write permission) while the next data file is
    written: the events are read and validated as without a cache, the editor is told in
    Chinese, and the cache stays as the last build left it (the next build uses it)."""
    from kepu_pelican.engine import blobs

    content, folder = _site(tmp_path), tmp_path / "cache"
    first, _, _ = _load(content, folder)
    index_before = (folder / "parses.pickle").read_bytes()
    edited = content / "events" / "xinbei" / "2026" / "liudong-kejiguan.md"
    edited.write_text(edited.read_text("utf-8").replace("流动科技馆进社区", "流动科技馆来了"), "utf-8")

    def full(self, data):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(blobs.Blobs, "add", full)
        second, problems, _ = _load(content, folder)
    assert [e.title for e in second if e.slug == "liudong-kejiguan"] == ["流动科技馆来了"]
    assert not [p for p in problems if p.is_error] and len(second) == len(first)
    assert "缓存 parses.pickle 未能保存" in caplog.text
    assert (folder / "parses.pickle").read_bytes() == index_before
    assert len(list(folder.glob("parses-*.data"))) == 1 and not list(folder.glob(".*.tmp"))
    third, _, cache = _load(content, folder)  # the disk has room again: the old cache serves the rest
    assert third == second and cache.hits == len(third) - 1
