"""The local servers (serve, the web editor, the preview): a visitor leaving mid-page is not an error."""

from __future__ import annotations

import socket
import struct
import threading
from pathlib import Path

import pytest

from kepu.editor.livereload import PreviewState, make_server
from kepu.editor.server import serve

BIG = 8 * 1024 * 1024  # more than the socket buffers hold, so the server is still writing when the visitor leaves


def _leave_mid_page(port: int, path: str) -> None:
    """Ask for ``path`` and hang up at once, resetting the connection (a phone cancelling a page load)."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        sock.recv(1)  # the server has started answering
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _server_for(kind: str, folder: Path):
    if kind == "serve":
        return serve(folder, port=0)
    return make_server(folder, PreviewState(), port=0)


@pytest.mark.parametrize("kind", ["serve", "preview"])
def test_a_visitor_who_leaves_mid_page_prints_no_traceback(kind: str, tmp_path: Path, capsys) -> None:
    (tmp_path / "big.bin").write_bytes(b"\0" * BIG)
    server = _server_for(kind, tmp_path)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        _leave_mid_page(server.server_address[1], "/big.bin")
    finally:
        server.shutdown()
        server.server_close()  # waits for the request's thread to finish
        thread.join()
    said = capsys.readouterr()
    assert "Traceback" not in said.err + said.out, said.err


def test_a_server_error_is_still_reported(tmp_path: Path, capsys) -> None:
    """Only a visitor hanging up is quiet: a fault in the server itself still prints its traceback."""
    server = serve(tmp_path, port=0)
    try:
        try:
            raise ValueError("a fault in the handler")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    assert "ValueError: a fault in the handler" in capsys.readouterr().err
