"""The one outbound-HTTP chokepoint: every request to an upstream source goes through here.

``UpstreamClient`` is built per fetch. It owns a ``requests`` session whose adapter retries
connection errors, 429 and 5xx on GET with exponential backoff (urllib3's ``Retry``), and adds
what ``Retry`` lacks: a cap on ``Retry-After`` and an overall deadline spanning every request,
retry and page of the fetch. Every request has connect and read timeouts; bodies are streamed
and counted after decompression, so a gzip bomb hits the size cap, not the memory. A conditional
GET (``If-None-Match``) answered 304 comes back as ``Page(not_modified=True)``.

Every failure becomes ``UpstreamError`` with the status code and the URL without its query or
credentials; ``permanent`` says whether trying again later could help.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

from backend.catalog.bulk import building_objects
from backend.config import Config
from backend.errors import UpstreamError

USER_AGENT = "model-catalog/0.1 (+https://github.com/model-catalog)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 120.0
    max_bytes: int = 64 * 1024 * 1024
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 30.0

    @classmethod
    def from_config(cls, config: Config) -> HttpSettings:
        return cls(
            connect_timeout=config.http_connect_timeout,
            read_timeout=config.http_read_timeout,
            deadline=config.http_deadline,
            max_bytes=config.http_max_response_bytes,
            retries=config.http_retries,
            backoff=config.http_backoff,
            max_retry_after=config.http_max_retry_after,
        )


class DeadlineRetry(Retry):
    """urllib3's ``Retry`` with a capped ``Retry-After`` and no retry past the fetch's deadline."""

    def __init__(self, *args, deadline: float | None = None, max_retry_after: float = 30.0, **kw):
        super().__init__(*args, **kw)
        self.deadline = deadline
        self.max_retry_after = max_retry_after

    def new(self, **kw) -> DeadlineRetry:
        retry = super().new(**kw)
        retry.deadline = self.deadline
        retry.max_retry_after = self.max_retry_after
        return retry

    def _remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def get_retry_after(self, response) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is None:
            return None
        remaining = self._remaining()
        capped = min(seconds, self.max_retry_after)
        return capped if remaining is None else max(0.0, min(capped, remaining))

    def get_backoff_time(self) -> float:
        remaining = self._remaining()
        backoff = super().get_backoff_time()
        return backoff if remaining is None else max(0.0, min(backoff, remaining))

    def is_exhausted(self) -> bool:
        remaining = self._remaining()
        return super().is_exhausted() or (remaining is not None and remaining <= 0)


def open_session(settings: HttpSettings, deadline: float | None = None) -> requests.Session:
    """The session factory: retries on GET for connection errors, 429 and 5xx, nothing else."""
    retry = DeadlineRetry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        other=0,
        backoff_factor=settings.backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        deadline=deadline,
        max_retry_after=settings.max_retry_after,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


def safe_url(url: str) -> str:
    """``url`` for messages and logs: no credentials, no query string."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class Page:
    """One upstream response: its decoded JSON, or ``not_modified`` after a 304."""

    payload: object
    etag: str | None = None
    not_modified: bool = False


def decode_json(body: bytes, url: str) -> object:
    """JSON with exact decimals for every number that has a fraction or exponent."""

    def reject_constant(name: str):
        raise ValueError(f"{name} is not valid JSON")

    try:
        with building_objects():
            return json.loads(body, parse_float=Decimal, parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UpstreamError(f"{safe_url(url)} returned malformed JSON: {exc}", permanent=True) from None
    except RecursionError:
        raise UpstreamError(f"{safe_url(url)} returned malformed JSON: nested too deeply",
                            permanent=True) from None


class UpstreamClient:
    """The HTTP of one fetch: one session, one deadline for all its requests and retries."""

    def __init__(self, settings: HttpSettings):
        self.settings = settings
        self.deadline = time.monotonic() + settings.deadline
        self.session = open_session(settings, self.deadline)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> UpstreamClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _remaining(self, url: str) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise UpstreamError(
                f"{safe_url(url)}: gave up after the {self.settings.deadline:g}s deadline"
            )
        return remaining

    def get_json(self, url: str, *, headers: dict | None = None, params: dict | None = None,
                 etag: str | None = None) -> Page:
        """GET ``url`` and decode its JSON; with ``etag``, a 304 is ``Page(not_modified=True)``."""
        request_headers = dict(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        timeout = (self.settings.connect_timeout,
                   min(self.settings.read_timeout, self._remaining(url)))
        try:
            with self.session.get(url, headers=request_headers, params=params, timeout=timeout,
                                  stream=True) as response:
                if response.status_code == 304 and etag:
                    return Page(None, etag, not_modified=True)
                self._check_status(response, url)
                body = self._read_body(response, url)
                return Page(decode_json(body, url), response.headers.get("ETag"))
        except requests.RequestException as exc:
            raise UpstreamError(f"{safe_url(url)}: {describe_failure(exc)}") from None

    def _check_status(self, response: requests.Response, url: str) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        if status in (401, 403):
            raise UpstreamError(
                f"{safe_url(url)} rejected the credentials (HTTP {status}); check the API key",
                permanent=True,
            )
        if status in RETRY_STATUSES:
            attempts = self.settings.retries + 1
            raise UpstreamError(f"{safe_url(url)} answered HTTP {status} (after up to {attempts} "
                                f"attempts)")
        raise UpstreamError(f"{safe_url(url)} answered HTTP {status}", permanent=True)

    def _read_body(self, response: requests.Response, url: str) -> bytes:
        """The decoded body, streamed: stops at the size cap or the deadline, whichever first."""
        limit = self.settings.max_bytes
        chunks: list[bytes] = []
        size = 0
        for chunk in decoded_chunks(response):
            size += len(chunk)
            if size > limit:
                raise UpstreamError(
                    f"{safe_url(url)}: response is larger than {limit} bytes (decoded)",
                    permanent=True,
                )
            self._remaining(url)
            chunks.append(chunk)
        return b"".join(chunks)


def decoded_chunks(response: requests.Response) -> Iterator[bytes]:
    """The decoded body as it arrives: each chunk is what one read returned, so a trickling
    upstream cannot hold a read past the deadline check (``iter_content`` would wait for a full
    chunk). urllib3's errors become the ``requests`` errors ``iter_content`` would raise."""
    try:
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            yield chunk
    except ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from None
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from None
    except ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from None


def describe_failure(exc: requests.RequestException) -> str:
    """A one-line reason for a transport failure, without the library's nested reprs."""
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text.lower():
        return "timed out waiting for the upstream"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "the response could not be decompressed"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the connection broke while reading the response"
    if isinstance(exc, requests.ConnectionError):
        return "could not connect to the upstream"
    return f"request failed ({exc.__class__.__name__})"
