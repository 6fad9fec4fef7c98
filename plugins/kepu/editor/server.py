"""A development server that sends the right content types (``.ics`` as text/calendar)."""

from __future__ import annotations

import functools
import http.server
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

Headers = Mapping[str, Mapping[str, str]]  # URL path prefix -> response headers

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".yml": "text/yaml; charset=utf-8",  # the web editor's config.yml
    ".webmanifest": "application/manifest+json",
}


class PortalHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder; missing pages get the site's 404 page. ``headers`` adds response
    headers by URL path prefix, the longest matching prefix winning (as a deployment would)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def __init__(self, *args, headers: Headers | None = None, **kwargs):
        self.extra_headers = headers or {}
        super().__init__(*args, **kwargs)

    def end_headers(self):
        path = urlsplit(getattr(self, "path", "")).path
        prefixes = [prefix for prefix in self.extra_headers if path.startswith(prefix)]
        if prefixes:
            for name, value in self.extra_headers[max(prefixes, key=len)].items():
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", CONTENT_TYPES[".html"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):
        pass


class PortalServer(http.server.ThreadingHTTPServer):
    """A threaded local server. A visitor who leaves mid-page (a phone cancelling a load, a closed tab)
    is not an error: it prints no traceback into the volunteer's terminal. Other faults still do."""

    allow_reuse_address = True
    daemon_threads = True  # an unfinished request does not keep the program from stopping

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # broken pipe, reset, aborted
            return
        super().handle_error(request, client_address)


def serve(directory: Path, host: str = "127.0.0.1", port: int = 8000,
          headers: Headers | None = None) -> PortalServer:
    """A server for ``directory``; call ``serve_forever()`` on it."""
    handler = functools.partial(PortalHandler, directory=str(directory), headers=headers)
    return PortalServer((host, port), handler)
