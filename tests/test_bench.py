"""The benchmark runs end to end at a tiny size (it is measured, never asserted on time)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import campaign
from bench.editing import BEGIN, END, replace_section
from conftest import ROOT, plugin_env

pytestmark = pytest.mark.build


def test_corpus_is_reproducible_and_valid(tmp_path: Path) -> None:
    trees = []
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-m", "bench.corpus", str(tmp_path / name), "--events", "60",
                        "--seed", "11"], cwd=ROOT, env=plugin_env(), check=True, capture_output=True)
        content = tmp_path / name / "content"
        trees.append({p.relative_to(content).as_posix(): p.read_bytes()
                      for p in sorted(content.rglob("*.md"))})
    assert trees[0] == trees[1] and len([k for k in trees[0] if k.startswith("events/")]) == 60
    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(tmp_path / "a" / "content")],
                           cwd=ROOT, env=plugin_env(), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_real_mix_corpus_copies_the_sample_with_fresh_names_and_passes_the_check(tmp_path: Path) -> None:
    """Three copies of the sample's events and a part of a fourth: the series, registries and
    campaigns as they are, every file name new, and nothing the check refuses (no duplicate event)."""
    subprocess.run([sys.executable, "-m", "bench.realmix", str(tmp_path), "--events", "600"],
                   cwd=ROOT, env=plugin_env(), check=True, capture_output=True)
    events = sorted((tmp_path / "content" / "events").rglob("*.md"))
    sample = sorted((ROOT / "content" / "events").rglob("*.md"))
    assert len(events) == 600 and len({p.stem for p in events}) == 600
    assert sum("recurrence:" in p.read_text("utf-8") for p in events) > 3 * sum(
        "recurrence:" in p.read_text("utf-8") for p in sample) - 1
    check = subprocess.run([sys.executable, "-m", "kepu.editor.check", "--content", str(tmp_path / "content")],
                           cwd=ROOT, env=plugin_env(), capture_output=True, text=True)
    assert check.returncode == 0 and "没有发现问题" in check.stdout, check.stdout


def test_bench_runs_and_reports_both_sides_on_both_corpora(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    editing = f"{BEGIN}\n## What an editor waits for\n\n| an earlier run's figures |\n{END}\n"
    week = f"{campaign.BEGIN}\n## A campaign week\n\n| bench.campaign's figures |\n{campaign.END}\n"
    out.write_text(f"# Benchmark results\n\nOld build figures.\n\n{editing}\n{week}", "utf-8")
    result = subprocess.run([sys.executable, "-m", "bench.run", "--sizes", "40", "--repeats", "1",
                             "--work", str(tmp_path / "work"), "--out", str(out)],
                            cwd=ROOT, env=plugin_env(), capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr
    text = out.read_text("utf-8")
    assert "Old build figures." not in text and text.count(editing) == 1  # bench.editing's section is kept
    assert text.count(week) == 1  # and bench.campaign's
    assert "Machine:" in text
    sections = re.split(r"^## Corpus: ", text, flags=re.MULTILINE)[1:]
    assert [s.split(" ", 1)[0] for s in sections] == ["seeded", "the"]  # the seeded corpus, the sample's real mix
    for section in sections:
        _check_corpus_section(section.split("\n## ", 1)[0])
    phases = dict(re.findall(r"^\| [\d.]+ \| ([^|]+?) \| ([\d.]+) \| [\d.-]+ \| [\d.-]+ \| \d+k \| \d+ \|$",
                             text, re.MULTILINE))
    assert {"events: read and validate", "pages: events", "feeds: single events", "search index"} <= set(phases)


def _within_rounding(ratio: float, numerator: float, denominator: float) -> bool:
    """Times are printed to 0.01 s and ratios to 0.01: the ratio must lie within what that rounding allows."""
    low = (numerator - 0.005) / (denominator + 0.005)
    high = (numerator + 0.005) / max(denominator - 0.005, 1e-9)
    return low - 0.005 <= ratio <= high + 0.005


def _check_corpus_section(text: str) -> None:
    number = r"([\d.]+)"
    row = re.search(r"^\| 40 \| " + r" \| ".join([number] * 13) + r" \|$", text, re.MULTILINE)
    assert row, text
    (portal, plain, ratio, _, warm, warm_ratio, peak, warm_peak, plain_peak, files, per_event, kb,
     plain_files) = map(float, row.groups())
    assert portal > 0 and plain > 0 and warm > 0 and peak > 0 and warm_peak > 0
    assert _within_rounding(ratio, portal, plain) and _within_rounding(warm_ratio, warm, portal)
    assert files > plain_files > 40  # the portal writes more than plain Pelican, both write pages
    assert abs(per_event - files / 40) <= 0.006
    runs = re.search(r"^- 40 events: portal cold ([\d.]+) s; Pelican cold ([\d.]+) s; portal warm ([\d.]+) s$",
                     text, re.MULTILINE)
    assert runs and [round(float(x), 2) for x in runs.groups()] == [portal, plain, warm]  # one run each: the medians
    sampled = re.search(r"^- 40 events, sampled: portal cold [\d.]+ s \((\d+) MB\); Pelican cold [\d.]+ s "
                        r"\((\d+) MB\); portal warm [\d.]+ s \((\d+) MB\)$", text, re.MULTILINE)
    assert sampled, text  # memory comes from builds of their own, and the table shows theirs
    assert [float(x) for x in sampled.groups()] == [peak, plain_peak, warm_peak]
    total = re.search(r"^\| \*\*all\*\* \| \*\*([\d,]+)\*\* \| \*\*([\d.]+)\*\* \|", text, re.MULTILINE)
    assert total and int(total[1].replace(",", "")) == files  # the table of kinds adds up to the whole output
    assert abs(float(total[2]) * 1e6 / 40 / 1024 - kb) <= 0.1 * kb
    largest = int(re.search(r"largest feed \(bytes\): ([\d,]+)", text)[1].replace(",", ""))
    assert 0 < largest < 1024 * 1024
    verdicts = dict(re.findall(r"^- ([^:]+): .* — (met|NOT met)$", text, re.MULTILINE))
    assert {"cold build ≤ 1.0 × plain Pelican", "warm one-event edit ≤ 0.15 × the portal's cold build",
            "output ≤ 15 KB per event", "output ≤ 2.5 files per event",
            "peak memory ≤ 600 MB (cold and warm builds)", "largest feed ≤ 1 MiB"} == set(verdicts)
    assert verdicts["largest feed ≤ 1 MiB"] == "met"
    assert verdicts["cold build ≤ 1.0 × plain Pelican"] == ("met" if ratio <= 1.0 else "NOT met")
    assert verdicts["output ≤ 2.5 files per event"] == ("met" if per_event <= 2.5 else "NOT met")
    assert verdicts["peak memory ≤ 600 MB (cold and warm builds)"] == (
        "met" if max(peak, warm_peak) <= 600 else "NOT met")


def test_editing_bench_measures_the_check_and_the_preview_and_keeps_its_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    earlier = f"{BEGIN}\n## What an editor waits for\n\n| an earlier run's figures |\n{END}\n"
    out.write_text(f"# Benchmark results\n\nEarlier figures.\n\n{earlier}", "utf-8")  # an earlier run's section
    args = [sys.executable, "-m", "bench.editing", "--sizes", "30", "--repeats", "1", "--rounds", "1",
            "--work", str(tmp_path / "work"), "--out", str(out)]
    result = subprocess.run(args, cwd=ROOT, env=plugin_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    text = out.read_text("utf-8")
    assert text.startswith("# Benchmark results\n\nEarlier figures.\n")
    assert "an earlier run's figures" not in text  # the run replaced the section, it did not add another
    assert text.count("## What an editor waits for") == 1
    assert text.count(BEGIN) == 1 and text.count(END) == 1  # so the next run finds and replaces it again
    assert "the previews: 1 alternating blocks of 1 saves each" in text  # as run (--rounds), not as by default
    first = tmp_path / "FIRST.md"  # a file without the section (a first run): the section is added at the end
    first.write_text("# Benchmark results\n\nEarlier figures.\n", "utf-8")
    section = text[text.index(BEGIN):]
    replace_section(first, section)
    assert first.read_text("utf-8") == "# Benchmark results\n\nEarlier figures.\n\n" + section
    number, separator = r"([\d.]+)", r" \| "
    check, preview = (re.search(rf"^\| 30 events \| {separator.join([number] * cells)} \| [\d.]+ → [\d.]+ \|$",
                                text, re.MULTILINE) for cells in (5, 7))
    assert check and preview, text
    one, one_cpu, start, whole, ratio = map(float, check.groups())
    warm, warm_cpu, fresh, fresh_cpu, wall_ratio, cpu_ratio, problems = map(float, preview.groups())
    assert min(one, one_cpu, start, whole, warm, warm_cpu, fresh, fresh_cpu, problems) > 0
    for value, numerator, denominator in ((ratio, one, whole), (wall_ratio, warm, fresh), (cpu_ratio, warm_cpu, fresh_cpu)):
        low = (numerator - 0.005) / (denominator + 0.005)
        high = (numerator + 0.005) / max(denominator - 0.005, 1e-9)
        assert low - 0.005 <= value <= high + 0.005, (value, numerator, denominator)


def test_a_memory_sample_taken_while_a_process_forks_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parent read just before it forks and its child read just after would count the pages
    they share twice (a build forks workers and background processes many times): such a sample
    is left out, one of an unchanged tree is the sum of its processes' PSS."""
    from bench import run

    trees = iter([[10], [10, 11], [10, 11], [10, 11]])
    monkeypatch.setattr(run, "_tree", lambda pid: next(trees))
    monkeypatch.setattr(run, "_pss_kb", {10: 300_000, 11: 200_000}.__getitem__)
    assert run._tree_rss_kb(10) is None  # forked while it was read
    assert run._tree_rss_kb(10) == 500_000


@pytest.mark.e2e  # it starts processes through bench.run, which the tier guess does not follow
def test_a_timed_build_is_not_sampled_for_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Sampling reads every process's page tables and slows a build of several processes on two
    cores (not plain Pelican's one): timed builds run unwatched, memory is sampled in builds of its own."""
    from bench import run

    reads = []
    monkeypatch.setattr(run, "_tree_rss_kb", lambda pid: reads.append(pid) or 1024)
    timed = run.measure([sys.executable, "-c", "pass"], tmp_path, plugin_env(), tmp_path)
    assert timed.peak_mb is None and reads == []
    sampled = run.measure([sys.executable, "-c", "import sys; sys.stdin.read()"], tmp_path, plugin_env(), tmp_path,
                          sampled=True)
    assert sampled.peak_mb in (0, 1.0)  # a sample, when one was taken before the build ended
