"""The build engine: staging and reuse of earlier output, the manifest, page fingerprints from
recorded template reads, and every cache, each keyed by the code and settings that made it."""

from .canon import Lasting, Undigestable, canonical, digest
from .keys import code_digest, engine_key, settings_digest
from .output import OutputReuse, active, finish_reuse, manifest_store, recycle, remove_stale, start_reuse
from .writer import EngineWriter, get_writer

__all__ = ["EngineWriter", "Lasting", "OutputReuse", "Undigestable", "active", "canonical", "code_digest", "digest",
           "engine_key", "finish_reuse", "get_writer", "manifest_store", "recycle", "remove_stale", "settings_digest",
           "start_reuse"]
