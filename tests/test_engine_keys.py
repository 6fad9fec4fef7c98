"""What goes into every page's fingerprint: settings that shape output do, this machine's
paths and how the work is spread over processes do not (a change to them remakes nothing)."""

from __future__ import annotations

from importlib import metadata

from kepu_pelican.engine import keys
from kepu_pelican.engine.keys import settings_digest
from kepu_pelican.loaded import PLUGINS

SETTINGS = {"SITENAME": "滨海科普日历", "TIMEZONE": "Asia/Shanghai", "DEFAULT_PAGINATION": 30}


def test_a_setting_that_shapes_output_changes_the_digest() -> None:
    assert settings_digest({**SETTINGS, "DEFAULT_PAGINATION": 20}) != settings_digest(SETTINGS)


def test_processes_and_folders_do_not() -> None:
    for name, value in (("KEPU_WORKERS", 2), ("KEPU_PARALLEL_MIN_EVENTS", 8), ("OUTPUT_PATH", "/tmp/o"),
                        ("CACHE_PATH", "/tmp/c")):
        assert settings_digest({**SETTINGS, name: value}) == settings_digest(SETTINGS), name


class Upgraded:
    """An installed distribution as importlib.metadata lists it, at another version."""

    def __init__(self, dist, version: str):
        self.metadata, self.version = dist.metadata, version


def test_an_upgraded_library_changes_the_code_digest(monkeypatch) -> None:
    """The QR codes and pages a library made are made again after it is upgraded (zxing-cpp,
    the QR encoder whose output is kept in the cache, was once left out of a hand-kept list)."""
    before = keys._digest_code(PLUGINS)
    installed = list(metadata.distributions())
    assert any(dist.metadata["Name"] == "zxing-cpp" for dist in installed)
    for name in ("zxing-cpp", "Markdown", "pypinyin"):
        upgraded = [Upgraded(d, "999") if d.metadata["Name"] == name else d for d in installed]
        monkeypatch.setattr(metadata, "distributions", lambda found=upgraded: found)
        assert keys._digest_code(PLUGINS) != before, name
    monkeypatch.setattr(metadata, "distributions", lambda: installed)
    assert keys._digest_code(PLUGINS) == before
