"""What every wire format shares: the call it makes, the usage it reports, the errors it returns.

Requests and replies on the gateway's own side are always OpenAI-shaped; a wire format translates
them to and from its upstream's shape.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import requests

from backend.gateway.http import gateway_session, timeouts


@dataclass(frozen=True)
class BackendDefaults:
    """A backend's default parameters; each fills only what the client did not send."""

    temperature: Decimal | None = None
    max_tokens: int | None = None
    top_p: Decimal | None = None
    top_k: int | None = None
    stop: tuple[str, ...] | None = None


@dataclass(frozen=True)
class UpstreamCall:
    """Where and how to reach one backend's upstream model."""

    base_url: str
    api_key: str | None
    model: str
    defaults: BackendDefaults
    timeout_seconds: int

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


@dataclass
class Usage:
    """Token counts as the upstream reported them; None when it did not."""

    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass(frozen=True)
class UpstreamReply:
    """A complete (non-streamed) answer, already in the gateway's OpenAI shape."""

    status: int
    body: dict
    usage: Usage = field(default_factory=Usage)


class StreamRelay(ABC):
    """Iterates the OpenAI-style SSE bytes for the client; ``usage`` and ``error`` once done."""

    def __init__(self, response: requests.Response):
        self.response = response
        self.usage = Usage()
        self.error: str | None = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.relay()
        except requests.RequestException as exc:
            self.error = f"the upstream stream broke: {type(exc).__name__}"
            yield error_event(self.error)
        finally:
            self.response.close()

    @abstractmethod
    def relay(self) -> Iterator[bytes]:
        """The client's SSE events, filling ``usage`` from the upstream's events."""


def error_body(message: str, *, kind: str = "upstream_error", code: str | None = None,
               param: str | None = None) -> dict:
    """An OpenAI-style error document."""
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def error_event(message: str) -> bytes:
    return b"data: " + json.dumps(error_body(message)).encode() + b"\n\n"


def response_json(response: requests.Response) -> dict | None:
    try:
        payload = response.json()
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def count(value) -> int | None:
    """A token count from an upstream payload, or None when absent or malformed."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class WireFormat(ABC):
    """One upstream dialect. Subclasses translate; this class sends.

    Only formats with ``supports_embeddings`` define ``send_embeddings``/``embeddings_reply``.
    """

    name = ""
    supports_embeddings = False

    def post(self, call: UpstreamCall, path: str, headers: dict, payload: dict,
             *, stream: bool = False) -> requests.Response:
        """Send one request; raises ``requests.RequestException`` on connection errors and timeouts."""
        return gateway_session().post(
            call.url(path), json=payload, headers=headers, stream=stream,
            timeout=timeouts(call.timeout_seconds),
        )

    @abstractmethod
    def send_chat(self, call: UpstreamCall, body: dict, *, stream: bool) -> requests.Response:
        """POST the client's (OpenAI-shaped) chat request upstream, translated and defaulted."""

    @abstractmethod
    def chat_reply(self, call: UpstreamCall, response: requests.Response) -> UpstreamReply:
        """A 2xx non-streamed upstream answer, translated to a ``chat.completion``."""

    @abstractmethod
    def chat_stream(self, call: UpstreamCall, response: requests.Response,
                    include_usage: bool) -> StreamRelay:
        """A 2xx streamed upstream answer, relayed as ``chat.completion.chunk`` events."""

    def error_reply(self, response: requests.Response) -> UpstreamReply:
        """A non-2xx upstream answer as an OpenAI-style error with the upstream's status."""
        payload = response_json(response)
        if payload and isinstance(payload.get("error"), dict):
            error = payload["error"]
            message = str(error.get("message") or f"upstream answered {response.status_code}")
            return UpstreamReply(response.status_code, error_body(
                message, kind=str(error.get("type") or "upstream_error"),
                code=error.get("code") if isinstance(error.get("code"), str) else None,
                param=error.get("param") if isinstance(error.get("param"), str) else None,
            ))
        text = response.text.strip()[:500] or f"upstream answered {response.status_code}"
        return UpstreamReply(response.status_code, error_body(text))
