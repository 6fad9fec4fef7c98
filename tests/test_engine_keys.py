"""What goes into every page's fingerprint: settings that shape output do, this machine's
paths and how the work is spread over processes do not (a change to them remakes nothing)."""

from __future__ import annotations

from kepu_pelican.engine.keys import settings_digest

SETTINGS = {"SITENAME": "滨海科普日历", "TIMEZONE": "Asia/Shanghai", "DEFAULT_PAGINATION": 30}


def test_a_setting_that_shapes_output_changes_the_digest() -> None:
    assert settings_digest({**SETTINGS, "DEFAULT_PAGINATION": 20}) != settings_digest(SETTINGS)


def test_processes_and_folders_do_not() -> None:
    for name, value in (("KEPU_WORKERS", 2), ("KEPU_PARALLEL_MIN_EVENTS", 8), ("OUTPUT_PATH", "/tmp/o"),
                        ("CACHE_PATH", "/tmp/c")):
        assert settings_digest({**SETTINGS, name: value}) == settings_digest(SETTINGS), name
