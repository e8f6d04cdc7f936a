"""Local fake upstreams for the gateway tests, and store helpers that wire facades to them.

``FakeUpstream`` is a real HTTP server on a free local port. Each test queues the answers it
wants per path (JSON, an error, or server-sent events) and reads back the requests it received.
A streamed answer can hold its remaining events until the test has read the first one, which
proves the gateway relays events as they arrive instead of buffering the stream.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.store.facade_tables import Facade, FacadeBackend
from backend.store.operator_tables import ProviderModel
from backend.store.tables import Provider


@dataclass
class Reply:
    status: int = 200
    body: dict | None = None
    events: list[str] | None = None  # SSE data payloads, already encoded
    hold_after_first: threading.Event | None = None
    chunked: bool = False  # Transfer-Encoding: chunked, or a body that ends when the socket closes
    released: list[bool] = field(default_factory=list)


@dataclass
class Received:
    path: str
    headers: dict
    body: dict


class FakeUpstream:
    def __init__(self):
        self.replies: dict[str, deque[Reply]] = defaultdict(deque)
        self.received: list[Received] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                path = self.path.removeprefix("/v1")
                fake.received.append(Received(path, dict(self.headers), body))
                queue = fake.replies[path]
                reply = queue.popleft() if queue else Reply(500, {"error": {"message": "no reply"}})
                if reply.events is None:
                    self.send_json(reply)
                else:
                    self.send_events(reply)

            def send_json(self, reply: Reply):
                payload = json.dumps(reply.body or {}).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def send_events(self, reply: Reply):
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/event-stream")
                if reply.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                for index, data in enumerate(reply.events):
                    event = f"data: {data}\n\n".encode()
                    if reply.chunked:
                        event = f"{len(event):x}\r\n".encode() + event + b"\r\n"
                    self.wfile.write(event)
                    self.wfile.flush()
                    if index == 0 and reply.hold_after_first is not None:
                        # Wait for the test to read the first event through the gateway.
                        reply.released.append(reply.hold_after_first.wait(timeout=10))
                if reply.chunked:
                    self.wfile.write(b"0\r\n\r\n")
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v1"

    def queue(self, path: str, *replies: Reply) -> None:
        self.replies[path].extend(replies)

    def requests_to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@pytest.fixture
def upstream():
    fake = FakeUpstream()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def openai_completion(text: str = "Hello!", prompt_tokens: int = 12,
                      completion_tokens: int = 5) -> dict:
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "upstream",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


def make_provider(name: str, base_url: str, *, kind: str = "openai-compatible",
                  status: str = "active") -> Provider:
    slug = name.lower().replace(" ", "-")
    return Provider.create(slug=slug, name=name, kind=kind, base_url=base_url, status=status,
                           origin="admin")


def make_provider_model(provider: Provider, model_id: str, *, kind: str = "chat",
                        input_per_1m: str | None = "2.5", output_per_1m: str | None = "10",
                        status: str = "active") -> ProviderModel:
    return ProviderModel.create(
        provider=provider, upstream_model_id=model_id, kind=kind, status=status,
        input_price_per_1m=Decimal(input_per_1m) if input_per_1m else None,
        output_price_per_1m=Decimal(output_per_1m) if output_per_1m else None,
        source="custom",
    )


def make_facade(slug: str, *models: ProviderModel, kind: str = "chat",
                status: str = "active", **defaults) -> Facade:
    """A facade with one backend per Provider Model, in the order given (priority 10, 20, …)."""
    facade = Facade.create(slug=slug, name=slug.title(), kind=kind, status=status)
    for index, model in enumerate(models, start=1):
        FacadeBackend.create(facade=facade, provider_model=model, priority=index * 10, **defaults)
    return facade
