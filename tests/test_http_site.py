"""A county site published at an http:// address (many are): its subscribe pages told residents the
address starts with https:// while the box beside it held http://…"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, TEST_SITE, run_build


def test_the_subscribe_pages_name_the_scheme_of_the_sites_own_address(tmp_path: Path) -> None:
    output = tmp_path / "output"
    result = run_build(TEST_SITE / "content", output, settings=ROOT / "publishconf.py",
                       extra_args=("--siteurl", "http://kx.example.gov.cn"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for page in ("subscribe/index.html", "subscribe/all/index.html"):
        text = (output / page).read_text("utf-8")
        said = re.findall(r"<code>(https?://)</code>", text)
        assert said and set(said) == {"http://"}, (page, said)
        assert "http://kx.example.gov.cn/feeds/" in text
