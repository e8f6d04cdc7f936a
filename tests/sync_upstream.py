"""A local HTTP server standing in for upstream model-list APIs (the network edge of sync tests).

``upstream.reply(path, Reply(...), ...)`` scripts the answers for a path: they are given in
order and the last one repeats. A reply with an ``etag`` answers 304 to a matching
``If-None-Match``; ``delay`` makes a hanging upstream. Every request is recorded. Test modules wrap
``running_upstream()`` in their own ``upstream`` fixture.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.local_server import serving


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    etag: str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Seen:
    path: str
    query: str
    headers: dict


class FakeUpstream:
    def __init__(self, server: ThreadingHTTPServer):
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.scripts: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self.lock = threading.Lock()

    def reply(self, path: str, *replies: Reply) -> None:
        with self.lock:
            self.scripts[path] = list(replies)

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def next_reply(self, path: str) -> Reply:
        with self.lock:
            script = self.scripts.get(path)
            if not script:
                return Reply(b'{"error":"not found"}', status=404)
            return script.pop(0) if len(script) > 1 else script[0]


def _handler(upstream: FakeUpstream):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            parts = urlsplit(self.path)
            upstream.requests.append(Seen(parts.path, parts.query, dict(self.headers)))
            reply = upstream.next_reply(parts.path)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.etag and self.headers.get("If-None-Match") == reply.etag:
                self.send_response(304)
                self.send_header("ETag", reply.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            if reply.etag:
                headers["ETag"] = reply.etag
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(reply.body)

    return Handler


def running_upstream() -> contextlib.AbstractContextManager[FakeUpstream]:
    """Serve a ``FakeUpstream`` on a free local port for the duration of the block."""
    return serving(FakeUpstream, _handler)
