"""Publish a finished build atomically, keeping the mtimes of files whose bytes did not change."""

from __future__ import annotations

import ctypes
import ctypes.util
import filecmp
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


_CANONICAL = re.compile(r'<link rel="canonical" href="(https?://[^"]+)"')


def built_for(output: Path) -> str:
    """The address the site in ``output`` was built for, from its home page's canonical link
    ("" when there is no built home page)."""
    try:
        with open(output / "index.html", encoding="utf-8", errors="replace") as page:
            found = _CANONICAL.search(page.read(4096))  # in the head
    except OSError:
        return ""
    return found[1].rstrip("/") if found else ""


def local_address(address: str) -> bool:
    """Whether a site address is this computer's own (a preview build's, not a publication's)."""
    return address.startswith(("http://127.0.0.1", "http://localhost"))


OUTPUT_HOLDS_CONTENT = ("输出文件夹 {output} 包含内容文件夹 {content}：构建完成后整个输出文件夹会被换成新网站，"
                        "内容会被移走并删除")
OUTPUT_IN_CONTENT = "输出文件夹 {output} 在内容文件夹 {content} 里面：构建出的网页会被当成内容再读进来"
FOREIGN_OUTPUT = ("输出文件夹 {output} 里已经有不是构建出来的文件（例如 {example}）：构建完成后整个文件夹会被换成"
                  "新网站，这些文件会被移走并删除")
OUTPUT_HINT = ("请把网站输出到内容以外的一个新文件夹或空文件夹，例如 output/：命令行写 --output 文件夹，"
               "或改设置里的 OUTPUT_PATH")
CONTENT_IN_WORKING = ("内容文件夹 {content} 在构建放在输出旁边的临时文件夹 {folder} 里：构建会删除或替换这个文件夹，"
                      "内容会丢失")
NOT_A_FOLDER = "输出位置 {output} 是一个文件，不是文件夹"


def output_refusal(output: Path, content: Path, marker: str, shown=str) -> str:
    """Why ``output`` may not be replaced by a build ("" when it may): publishing swaps the whole
    folder, so it must hold nothing but an earlier build (``marker``, a file every build leaves in
    it) and be neither the content nor inside it. ``shown``: how a folder is named to the editor."""
    output, content = output.resolve(), content.resolve()
    where = {"output": shown(output), "content": shown(content)}
    if output == content or output in content.parents:
        return f"{OUTPUT_HOLDS_CONTENT.format(**where)}。{OUTPUT_HINT}。"
    for folder in (staging_dir(output), spare_dir(output), retired_dir(output)):  # deleted or swapped whole too
        if folder == content or folder in content.parents:
            return f"{CONTENT_IN_WORKING.format(folder=shown(folder), **where)}。{OUTPUT_HINT}。"
    if content in output.parents:
        return f"{OUTPUT_IN_CONTENT.format(**where)}。{OUTPUT_HINT}。"
    if output.exists() and not output.is_dir():
        return f"{NOT_A_FOLDER.format(**where)}。{OUTPUT_HINT}。"
    if output.is_dir() and not (output / marker).is_file():
        names = sorted(entry.name for entry in os.scandir(output))
        if names:
            return f"{FOREIGN_OUTPUT.format(example=names[0], **where)}。{OUTPUT_HINT}。"
    return ""


def staging_dir(output: Path) -> Path:
    """Where a build writes before it is published: beside the output, same file system."""
    return output.parent / f".{output.name}.building"


def lock_file(output: Path) -> Path:
    """What a build holds locked while it builds ``output``: beside it, named after it, so builds
    of other folders beside it do not wait."""
    return output.parent / f".{output.name}.lock"


def spare_dir(output: Path) -> Path:
    """Where the build before the published one waits to be recycled by the next build."""
    return output.parent / f".{output.name}.spare"


def take_spare(output: Path, staged: Path) -> bool:
    """Move the spare tree (if any) to be the staging folder; True if there was one."""
    try:
        os.rename(spare_dir(output), staged)
    except OSError:
        return False
    return True


def _keep_as_spare(tree: Path, output: Path) -> None:
    spare = spare_dir(output)
    try:
        if spare.exists():
            discard_later(spare)
        os.rename(tree, spare)
    except OSError:  # the site is published: a spare is only an optimisation
        discard_later(tree)


def retired_dir(output: Path) -> Path:
    """Where the previous build waits during the two-rename fallback of ``publish``."""
    return output.parent / f".{output.name}.previous"


def recover(output: Path) -> None:
    """Undo a fallback publish killed between its two renames: bring the previous build back."""
    retired = retired_dir(output)
    if retired.is_dir() and not output.exists():
        os.rename(retired, output)
    discard(retired)


def discard(path: Path) -> None:
    """Remove a file or a whole folder, if it exists."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def discard_later(path: Path) -> None:
    """Move a folder aside at once and delete it in a detached process: the build does not
    wait while tens of thousands of old files are removed."""
    trash = path.parent / f"{path.name}.trash-{os.getpid()}-{time.monotonic_ns()}"
    try:
        os.rename(path, trash)
    except FileNotFoundError:
        return
    _delete_detached(trash)


def _delete_detached(folder: Path) -> None:
    subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(folder)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def sweep_trash(output: Path) -> None:
    """Delete what earlier builds set aside and did not finish deleting."""
    for folder in output.parent.glob(f".{output.name}.*.trash-*"):
        _delete_detached(folder)


def keep_unchanged_mtimes(new: Path, old: Path, since_ns: int) -> tuple[int, int]:
    """Give files identical to the previous build their old mtime, and files that differ from
    it but were made before ``since_ns`` (kept from an older build) the time of now: a browser
    or an rsync that knows the previous build must see them as changed. Return how many files
    are unchanged, and how many there are."""
    counts = [0, 0]
    _keep_mtimes(str(new), str(old), new.stat().st_dev, since_ns, counts)
    return counts[0], counts[1]


def _keep_mtimes(new: str, old: str, device: int, since_ns: int, counts: list[int]) -> None:
    with os.scandir(new) as entries:
        for entry in entries:
            previous = os.path.join(old, entry.name)
            if entry.is_dir(follow_symlinks=False):
                _keep_mtimes(entry.path, previous, device, since_ns, counts)
                continue
            counts[1] += 1
            try:
                stat = os.stat(previous)
            except OSError:
                stat = None
            if stat is not None and stat.st_ino == entry.inode() and stat.st_dev == device:
                counts[0] += 1  # linked from the previous build: the same file
            elif stat is not None and stat.st_size == entry.stat().st_size and \
                    filecmp.cmp(entry.path, previous, shallow=False):
                os.utime(entry.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
                counts[0] += 1
            elif entry.stat().st_mtime_ns < since_ns:
                os.utime(entry.path)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories with renameat2(RENAME_EXCHANGE) (Linux)."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def publish(staged: Path, output: Path) -> None:
    """Replace ``output`` by ``staged``; readers see the old tree or the new one, never a mix.
    The old tree is kept as the spare, for the next build to recycle (``take_spare``)."""
    if output.exists() and not output.is_dir():
        raise NotADirectoryError(output)
    if output.exists() and _exchange(staged, output):
        _keep_as_spare(staged, output)  # now holds the previous build
        return
    if output.exists():  # no renameat2: two renames; ``recover`` closes the gap after a kill
        retired = retired_dir(output)
        discard(retired)
        os.rename(output, retired)
        os.rename(staged, output)
        _keep_as_spare(retired, output)
        return
    os.rename(staged, output)
