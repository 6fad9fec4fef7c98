"""Pelican plugin for Kepu Calendar: the YAML Markdown reader and the portal's generators."""

from . import loaded  # noqa: F401  (first: the code this process runs, digested before it is imported)


def register() -> None:
    # Imported here, not at the top: settings files import kepu_pelican.filters, and the editors'
    # tools (invoke check, new-event) run the settings file without needing Pelican.
    from pelican import signals

    from .engine import get_writer
    from .finalize import finalize
    from .generators import get_generators
    from .readers import add_reader
    from .templates import share_compiled_templates

    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(finalize)
    signals.generator_init.connect(share_compiled_templates)
    signals.get_writer.connect(get_writer)
