"""Running a test's fake HTTP server on a free port of 127.0.0.1, in a thread, for one block."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

Fake = TypeVar("Fake")


@contextlib.contextmanager
def serving(make_fake: Callable[[ThreadingHTTPServer], Fake],
            make_handler: Callable[[Fake], type[BaseHTTPRequestHandler]]) -> Iterator[Fake]:
    """``make_fake(server)`` builds the fake (it may read the port); ``make_handler(fake)`` its
    request handler. The server stops, and its thread ends, when the block does."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    fake = make_fake(server)
    server.RequestHandlerClass = make_handler(fake)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
