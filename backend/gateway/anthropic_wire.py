"""Anthropic's Messages API, spoken on the gateway's side as OpenAI chat completions.

Translates the request (system prompt, messages, max_tokens — required upstream, so a default
applies —, temperature, top_p, top_k, stop → stop_sequences), the answer, and the stream events
(``message_start`` … ``message_stop`` → ``chat.completion.chunk`` events and ``[DONE]``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import requests

from backend.errors import Invalid
from backend.gateway.base import (
    StreamRelay,
    UpstreamCall,
    UpstreamReply,
    Usage,
    WireFormat,
    count,
    response_json,
)
from backend.gateway.sse import arriving_chunks, encode_event, event_json, sse_events

ANTHROPIC_VERSION = "2023-06-01"
# Anthropic requires max_tokens; this applies when neither the client nor the backend set one.
DEFAULT_MAX_TOKENS = 4096
FINISH_REASONS = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length",
                  "tool_use": "tool_calls", "pause_turn": "stop", "refusal": "content_filter"}


def _text_of(content) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content
                       if isinstance(part, dict) and part.get("type") == "text")
    return ""


def _image_block(part: dict) -> dict:
    url = (part.get("image_url") or {}).get("url", "") if isinstance(part.get("image_url"), dict) \
        else str(part.get("image_url") or "")
    if url.startswith("data:") and ";base64," in url:
        media_type, data = url[5:].split(";base64,", 1)
        return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}
    return {"type": "image", "source": {"type": "url", "url": url}}


def _content_blocks(content) -> str | list[dict]:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise Invalid("message content must be a string or a list of parts", errors={
            "messages": ["content must be a string or a list of parts"]})
    blocks = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            blocks.append({"type": "text", "text": str(part.get("text", ""))})
        elif kind == "image_url":
            blocks.append(_image_block(part))
        else:
            raise Invalid(f"content parts of type {kind!r} are not supported by Anthropic backends",
                          errors={"messages": [f"unsupported content part {kind!r}"]})
    return blocks


def translate_request(call: UpstreamCall, body: dict, *, stream: bool) -> dict:
    """The OpenAI-shaped chat request as a Messages API request, defaults filled in."""
    messages = body.get("messages")
    if not isinstance(messages, list):
        raise Invalid("messages must be a list", errors={"messages": ["must be a list"]})
    system = [_text_of(m.get("content")) for m in messages
              if isinstance(m, dict) and m.get("role") in ("system", "developer")]
    turns = []
    for message in messages:
        role = message.get("role") if isinstance(message, dict) else None
        if role in ("system", "developer"):
            continue
        if role not in ("user", "assistant"):
            raise Invalid(f"messages with role {role!r} are not supported by Anthropic backends",
                          errors={"messages": [f"unsupported role {role!r}"]})
        turns.append({"role": role, "content": _content_blocks(message.get("content", ""))})
    defaults = call.defaults
    payload: dict = {
        "model": call.model,
        "messages": turns,
        "max_tokens": body.get("max_tokens") or body.get("max_completion_tokens")
        or defaults.max_tokens or DEFAULT_MAX_TOKENS,
    }
    if system:
        payload["system"] = "\n\n".join(part for part in system if part)
    for name in ("temperature", "top_p", "top_k"):
        value = body.get(name, getattr(defaults, name))
        if value is not None:
            payload[name] = float(value) if name != "top_k" else int(value)
    stop = body.get("stop", list(defaults.stop) if defaults.stop else None)
    if stop:
        payload["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    if stream:
        payload["stream"] = True
    return payload


def _usage(usage) -> Usage:
    if not isinstance(usage, dict):
        return Usage()
    return Usage(count(usage.get("input_tokens")), count(usage.get("output_tokens")))


def translate_reply(payload: dict) -> tuple[dict, Usage]:
    usage = _usage(payload.get("usage"))
    body = {
        "id": payload.get("id", ""),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": payload.get("model", ""),
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": _text_of(payload.get("content"))},
            "finish_reason": FINISH_REASONS.get(payload.get("stop_reason"), "stop"),
        }],
    }
    if usage.input_tokens is not None and usage.output_tokens is not None:
        body["usage"] = {"prompt_tokens": usage.input_tokens,
                         "completion_tokens": usage.output_tokens,
                         "total_tokens": usage.input_tokens + usage.output_tokens}
    return body, usage


class AnthropicStreamRelay(StreamRelay):
    """Turns Messages API stream events into OpenAI ``chat.completion.chunk`` events."""

    def __init__(self, response: requests.Response, model: str, include_usage: bool):
        super().__init__(response)
        self.model = model
        self.include_usage = include_usage
        self.message_id = ""
        self.created = int(time.time())

    def chunk(self, delta: dict | None, finish_reason: str | None = None,
              usage: dict | None = None) -> bytes:
        choices = [] if delta is None else [
            {"index": 0, "delta": delta, "finish_reason": finish_reason}]
        payload = {"id": self.message_id, "object": "chat.completion.chunk",
                   "created": self.created, "model": self.model, "choices": choices}
        if usage is not None:
            payload["usage"] = usage
        return encode_event(payload)

    def relay(self) -> Iterator[bytes]:
        for event in sse_events(arriving_chunks(self.response)):
            payload = event_json(event) or {}
            kind = payload.get("type")
            if kind == "message_start":
                message = payload.get("message") or {}
                self.message_id = message.get("id", "")
                self.model = message.get("model", self.model)
                self.usage.input_tokens = _usage(message.get("usage")).input_tokens
                yield self.chunk({"role": "assistant", "content": ""})
            elif kind == "content_block_delta":
                text = (payload.get("delta") or {}).get("text")
                if text:
                    yield self.chunk({"content": text})
            elif kind == "message_delta":
                self.usage.output_tokens = _usage(payload.get("usage")).output_tokens
                reason = (payload.get("delta") or {}).get("stop_reason")
                yield self.chunk({}, FINISH_REASONS.get(reason, "stop"))
            elif kind == "error":
                error = payload.get("error") or {}
                self.error = str(error.get("message") or "upstream stream error")
                yield encode_event({"error": {"message": self.error,
                                              "type": error.get("type", "upstream_error"),
                                              "param": None, "code": None}})
                return
        yield from self.finish()

    def finish(self) -> Iterator[bytes]:
        """OpenAI's closing usage chunk (when the client asked for it), then ``[DONE]``."""
        if self.include_usage and self.usage.input_tokens is not None:
            completion = self.usage.output_tokens or 0
            yield self.chunk(None, usage={"prompt_tokens": self.usage.input_tokens,
                                          "completion_tokens": completion,
                                          "total_tokens": self.usage.input_tokens + completion})
        yield encode_event("[DONE]")


class AnthropicWire(WireFormat):
    name = "anthropic"

    def _headers(self, call: UpstreamCall) -> dict:
        headers = {"anthropic-version": ANTHROPIC_VERSION}
        if call.api_key:
            headers["x-api-key"] = call.api_key
        return headers

    def send_chat(self, call: UpstreamCall, body: dict, *, stream: bool) -> requests.Response:
        payload = translate_request(call, body, stream=stream)
        return self.post(call, "/messages", self._headers(call), payload, stream=stream)

    def chat_reply(self, call: UpstreamCall, response: requests.Response) -> UpstreamReply:
        body, usage = translate_reply(response_json(response) or {})
        return UpstreamReply(response.status_code, body, usage)

    def chat_stream(self, call: UpstreamCall, response: requests.Response,
                    include_usage: bool) -> StreamRelay:
        return AnthropicStreamRelay(response, call.model, include_usage)
