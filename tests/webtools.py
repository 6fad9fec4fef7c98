"""The auditors the public-site tests run: Lighthouse, axe-core and the Nu HTML Checker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

NODE_BIN = ROOT / "node_modules" / ".bin"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# What tests assert: none depends on the machine's speed. Lighthouse's "performance" category
# is a timing (load metrics under throttling): it varies with the load on the machine, so no
# test asserts it (pass categories=("performance",) to measure it by hand).
QUALITY_CATEGORIES = ("accessibility", "best-practices", "seo")


def lighthouse_available() -> bool:
    return (NODE_BIN / "lighthouse").exists() and CHROMIUM.exists()


# URL and categories → the report of the audit already made in this session. A URL carries the port of
# the session's server (conftest.public_site), so it names one build: the same page is audited once.
_AUDITED: dict[tuple[str, tuple[str, ...]], Path] = {}


def lighthouse(url: str, report: Path, categories: tuple[str, ...] = QUALITY_CATEGORIES) -> dict[str, float]:
    """Lighthouse's mobile audit of one URL: category → score (0–1); the JSON report is kept."""
    report.parent.mkdir(parents=True, exist_ok=True)
    earlier = _AUDITED.get((url, categories))
    if earlier is None or not earlier.is_file():
        _audit(url, report, categories)
        _AUDITED[(url, categories)] = report
    elif earlier != report:
        shutil.copyfile(earlier, report)
    result = json.loads(report.read_text("utf-8"))
    return {name: result["categories"][name]["score"] for name in categories}


def _audit(url: str, report: Path, categories: tuple[str, ...]) -> None:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS, f"--user-data-dir={report.with_suffix('.profile')}"])
    subprocess.run([str(NODE_BIN / "lighthouse"), url, "--quiet", "--output=json",
                    f"--output-path={report}", f"--chrome-flags={flags}",
                    f"--only-categories={','.join(categories)}"],
                   env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, check=True, timeout=300,
                   capture_output=True)
    shutil.rmtree(report.with_suffix(".profile"), ignore_errors=True)


def failing_audits(report: Path) -> list[str]:
    """Audits that lost points, to explain a low score."""
    result = json.loads(report.read_text("utf-8"))
    return sorted(f"{a['id']}: {a.get('score')}" for a in result["audits"].values()
                  if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") in (
                      "binary", "numeric", "metricSavings"))


def axe_available() -> bool:
    return AXE.exists()


def axe(page) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary)}));
    }""", WCAG_TAGS)


def vnu_available() -> bool:
    return VNU.exists() and shutil.which("java") is not None


def vnu_errors(directory: Path) -> list[str]:
    """The Nu HTML Checker's errors over every HTML file under ``directory``."""
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(directory)],
                            capture_output=True, text=True, timeout=600)
    return [line for line in result.stderr.splitlines() if line.strip()]


def link_titles(links) -> list[str]:
    """The titles of event links (a Playwright locator), without the statuses they carry in
    their text (已取消, 名额已满, 已结束: badges inside the link, for a screen reader's list of links)."""
    return links.evaluate_all("""links => links.map(a => [...a.childNodes]
        .filter(node => !(node.classList && node.classList.contains('badge')))
        .map(node => node.textContent).join('').replace(/\\s+/g, ' ').trim())""")
