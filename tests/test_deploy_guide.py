"""The deploy guide's cache table covers every kind of file a build writes, and its upload commands
for object storage give each the headers the table says: a search manifest cached for a day broke
search for a day after each publish (its shards had been deleted)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

GUIDE = (ROOT / "docs" / "deploy.md").read_text("utf-8")


def _table_rows() -> list[tuple[set[str], str]]:
    """Each row of the 文件类型和缓存 table: the extensions it names, and its Cache-Control."""
    section = GUIDE.split("## 文件类型和缓存", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and "`" in cells[0]:
            rows.append((set(re.findall(r"\*\.([a-z]+)`", cells[0])) | set(re.findall(r"`[^`*]*\.([a-z]+)`", cells[0])),
                         cells[2]))
    return rows


def test_every_kind_of_file_a_build_writes_has_its_cache_row(sample_output: Path) -> None:
    written = {path.suffix.lstrip(".") for path in sample_output.rglob("*")
               if path.is_file() and path.name != ".kepu-build"}  # the build's record: one line, not served
    named = {extension for extensions, _ in _table_rows() for extension in extensions}
    assert written - named == set(), sorted(written - named)


def test_fixed_names_are_not_cached_and_each_object_store_says_so() -> None:
    """Files whose names never change are revalidated; the OSS, COS and S3 commands set that."""
    fixed = next(extensions for extensions, cache in _table_rows() if "json" in extensions and cache == "`no-cache`")
    assert {"json", "atom", "xml", "csv"} <= fixed
    for store in ("ossutil", "coscli", "aws s3"):
        block = next(block for block in re.findall(r"```sh\n(.*?)```", GUIDE, re.S) if block.startswith(store))
        commands = [command for command in block.replace("\\\n", " ").splitlines() if "no-cache" in command]
        for extension in fixed:
            assert any(f".{extension}" in command or f"|{extension}" in command or f"({extension}" in command
                       for command in commands if "text/html" not in command), (store, extension)
