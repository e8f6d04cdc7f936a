"""A fault-injection HTTP server on 127.0.0.1: upstreams that trickle, never end, or lie.

``FaultServer.route(path, responder)`` decides what a path answers; a responder is a function of
the request handler that writes the whole response itself, so it can stall, stream forever or
send bytes no honest server would. Every responder gives up on its own after ``MAX_SECONDS`` (or
as soon as the client hangs up), so a test never leaves a thread writing behind it.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.local_server import serving

MAX_SECONDS = 30.0
Responder = Callable[[BaseHTTPRequestHandler], None]


class FaultServer:
    def __init__(self, server: ThreadingHTTPServer):
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.routes: dict[str, Responder] = {}
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()

    def route(self, path: str, responder: Responder) -> None:
        with self.lock:
            self.routes[path] = responder
            self.hits[path] = 0

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        with self.lock:
            responder = self.routes.get(path)
            self.hits[path] = self.hits.get(path, 0) + 1
        (responder or status(404, b'{"error": "not found"}'))(handler)


def _send_head(handler, code: int, headers: dict[str, str]) -> None:
    handler.send_response(code)
    for name, value in {"Content-Type": "application/json", **headers}.items():
        handler.send_header(name, value)
    handler.end_headers()


def body(data: bytes, *, code: int = 200, headers: dict[str, str] | None = None) -> Responder:
    """An ordinary complete response."""

    def respond(handler):
        _send_head(handler, code, {"Content-Length": str(len(data)), **(headers or {})})
        handler.wfile.write(data)

    return respond


def status(code: int, data: bytes = b"", headers: dict[str, str] | None = None) -> Responder:
    return body(data, code=code, headers=headers)


def gzip_bomb(decoded_bytes: int) -> Responder:
    """A small gzip body that inflates to ``decoded_bytes`` of JSON-looking whitespace."""
    compressed = gzip.compress(b"[" + b" " * decoded_bytes + b"]", compresslevel=9, mtime=0)
    return body(compressed, headers={"Content-Encoding": "gzip"})


def trickle(data: bytes, *, interval: float, chunked: bool = False) -> Responder:
    """``data`` one byte per ``interval`` seconds: never slow enough for a read timeout."""

    def respond(handler):
        framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(len(data))}
        _send_head(handler, 200, framing)
        started = time.monotonic()
        for index in range(len(data)):
            if time.monotonic() - started > MAX_SECONDS:
                return
            piece = data[index : index + 1]
            handler.wfile.write(b"1\r\n" + piece + b"\r\n" if chunked else piece)
            handler.wfile.flush()
            time.sleep(interval)
        if chunked:
            handler.wfile.write(b"0\r\n\r\n")

    return respond


def endless(chunk: bytes = b" " * 65536) -> Responder:
    """A body with no length that never ends (until the client hangs up)."""

    def respond(handler):
        handler.close_connection = True
        _send_head(handler, 200, {"Connection": "close"})
        handler.wfile.write(b"[")
        started = time.monotonic()
        while time.monotonic() - started < MAX_SECONDS:
            handler.wfile.write(chunk)

    return respond


def _handler_for(fault: FaultServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
                fault.answer(self)

    return Handler


def running_fault_server() -> contextlib.AbstractContextManager[FaultServer]:
    """Serve a ``FaultServer`` on a free port of 127.0.0.1 for the duration of the block."""
    return serving(FaultServer, _handler_for)
