"""Reading server-sent events from an upstream response, one event at a time, as they arrive."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

DONE = "[DONE]"


def sse_events(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Split a byte stream into SSE events (without their blank-line terminator)."""
    buffer = b""
    for chunk in chunks:
        buffer = (buffer + chunk).replace(b"\r\n", b"\n")
        while b"\n\n" in buffer:
            event, buffer = buffer.split(b"\n\n", 1)
            if event.strip():
                yield event
    if buffer.strip():
        yield buffer


def event_data(event: bytes) -> str | None:
    """The joined ``data:`` lines of an event, or None when it has none (a comment, a ping)."""
    lines = [
        line[5:].removeprefix(b" ")
        for line in event.split(b"\n")
        if line.startswith(b"data:")
    ]
    if not lines:
        return None
    return b"\n".join(lines).decode("utf-8", errors="replace")


def event_json(event: bytes) -> dict | None:
    """The event's data as a JSON object, or None for ``[DONE]``, non-JSON and non-object data."""
    data = event_data(event)
    if data is None or data.strip() == DONE:
        return None
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def encode_event(payload: dict | str) -> bytes:
    text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return b"data: " + text.encode() + b"\n\n"


def arriving_chunks(response) -> Iterator[bytes]:
    """The body of a streamed ``requests`` response as it arrives, never waiting to fill a buffer.

    ``iter_content`` would block until its chunk size is filled (or, with no size, until the end)
    on a body without chunked transfer encoding; ``read1`` returns whatever bytes are there.
    """
    raw = response.raw
    if raw.chunked and raw.supports_chunked_reads():
        yield from raw.read_chunked(decode_content=True)
        return
    while chunk := raw.read1(65536, decode_content=True):
        yield chunk
