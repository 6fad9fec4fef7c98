"""Builds forked from a process that has imported Pelican and the plugins once (for the preview).

``python -m kepu_pelican.warm`` reads one build command line per line of stdin (a JSON list of
``kepu_pelican.build`` arguments), forks, runs the build in the child and writes the child's
exit status as one line to stdout. Each build still starts from the state of a fresh
interpreter that has only imported modules (Pelican's signals and the plugins' module state
are the child's own), so it is the same build as ``python -m kepu_pelican.build``, without the
second or so of imports. The build's own output goes to stderr.
"""

from __future__ import annotations

import gc
import json
import os
import sys


def preload() -> None:
    """Import what every build imports (the plugin imports Pelican, Jinja, Markdown, YAML…)."""
    import pelican.generators
    import pelican.readers
    import pelican.settings
    import pelican.writers  # noqa: F401

    import kepu_pelican
    import kepu_pelican.build  # noqa: F401


def run_child(args: list[str]) -> None:
    """In the forked child: run one build and end the process with its status."""
    code = 2
    try:
        from kepu_pelican.build import main

        code = main(args)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except KeyboardInterrupt:  # Ctrl+C in the preview's terminal
        code = 130
    except BaseException:  # reported like any crashed build
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(requests, replies) -> None:
    """One build per request line, in order; a status line for each."""
    for line in requests:
        args = json.loads(line)
        child = os.fork()
        if child == 0:
            run_child(args)
        _, status = os.waitpid(child, 0)
        replies.write(f"{os.waitstatus_to_exitcode(status)}\n")
        replies.flush()


def main() -> int:
    from kepu.engine.processes import die_with_parent

    die_with_parent()
    try:
        preload()
        gc.freeze()  # what every child shares stays out of its collections (and unwritten)
        replies = os.fdopen(os.dup(1), "w")
        os.dup2(2, 1)
        replies.write("ready\n")
        replies.flush()
        serve(sys.stdin, replies)
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
