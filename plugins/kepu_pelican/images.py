"""Publish content/images/: each real image under images/, with the bytes kepu.images accepted."""

from __future__ import annotations

from pelican.generators import Generator

from kepu.images import inspect_file
from kepu.problems import ContentError, Problem

from .reuse import OutputReuse, digest
from .settings import content_tree, layout
from .trace import phase
from .writing import ByteWriter


class ImagesGenerator(Generator):
    """Replaces Pelican's copy of STATIC_PATHS (which published any file, scripts included):
    an image is written only as inspected, an unchanged one is linked from the previous build."""

    def generate_output(self, writer) -> None:
        lay = layout(self.settings)
        out: ByteWriter = self.context["kepu_writer"]
        reuse: OutputReuse = self.context["kepu_reuse"]
        refused: list[Problem] = []
        with phase("images"):
            for path in content_tree(self.settings).images:
                check = inspect_file(path, lay.shown(path))
                if check.publish is None:  # the preflight refused it already, unless it changed since
                    refused.extend(check.problems)
                    continue
                relative = path.relative_to(lay.content).as_posix()
                if not reuse.reuse(relative, digest("image", check.publish)):
                    out.write(relative, check.publish)
        if refused:
            raise ContentError(refused)
