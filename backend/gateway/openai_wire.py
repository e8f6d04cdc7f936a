"""The OpenAI wire format: ``/chat/completions`` and ``/embeddings``, spoken by most providers.

Requests go upstream as the client sent them, with the upstream model id and the backend's
defaults for what the client left out; answers and stream events come back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator

import requests

from backend.gateway.base import (
    StreamRelay,
    UpstreamCall,
    UpstreamReply,
    Usage,
    WireFormat,
    count,
    response_json,
)
from backend.gateway.sse import arriving_chunks, event_json, sse_events


def _with_defaults(call: UpstreamCall, body: dict) -> dict:
    """top_k is not an OpenAI parameter, so the backend's top_k default is never sent here."""
    payload = {**body, "model": call.model}
    defaults = call.defaults
    if defaults.temperature is not None:
        payload.setdefault("temperature", float(defaults.temperature))
    if defaults.top_p is not None:
        payload.setdefault("top_p", float(defaults.top_p))
    if defaults.max_tokens is not None and not {"max_tokens", "max_completion_tokens"} & body.keys():
        payload["max_tokens"] = defaults.max_tokens
    if defaults.stop:
        payload.setdefault("stop", list(defaults.stop))
    return payload


def openai_usage(payload: dict | None) -> Usage:
    usage = payload.get("usage") if payload else None
    if not isinstance(usage, dict):
        return Usage()
    return Usage(count(usage.get("prompt_tokens")), count(usage.get("completion_tokens")))


class OpenAIStreamRelay(StreamRelay):
    """Forwards every upstream event as it arrives; the usage comes from the chunk carrying it."""

    def relay(self) -> Iterator[bytes]:
        for event in sse_events(arriving_chunks(self.response)):
            payload = event_json(event)
            if payload is not None:
                if isinstance(payload.get("usage"), dict):
                    self.usage = openai_usage(payload)
                if isinstance(payload.get("error"), dict):
                    self.error = str(payload["error"].get("message") or "upstream stream error")
            yield event + b"\n\n"


class OpenAIWire(WireFormat):
    name = "openai"
    supports_embeddings = True

    def _headers(self, call: UpstreamCall) -> dict:
        return {"Authorization": f"Bearer {call.api_key}"} if call.api_key else {}

    def send_chat(self, call: UpstreamCall, body: dict, *, stream: bool) -> requests.Response:
        return self.post(call, "/chat/completions", self._headers(call), _with_defaults(call, body),
                         stream=stream)

    def chat_reply(self, call: UpstreamCall, response: requests.Response) -> UpstreamReply:
        payload = response_json(response) or {}
        return UpstreamReply(response.status_code, payload, openai_usage(payload))

    def chat_stream(self, call: UpstreamCall, response: requests.Response,
                    include_usage: bool) -> StreamRelay:
        return OpenAIStreamRelay(response)

    def send_embeddings(self, call: UpstreamCall, body: dict) -> requests.Response:
        return self.post(call, "/embeddings", self._headers(call), {**body, "model": call.model})

    def embeddings_reply(self, call: UpstreamCall, response: requests.Response) -> UpstreamReply:
        payload = response_json(response) or {}
        usage = openai_usage(payload)
        if usage.input_tokens is not None:
            usage.output_tokens = 0
        return UpstreamReply(response.status_code, payload, usage)
