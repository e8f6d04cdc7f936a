"""The OpenAI-compatible gateway: a client's request, through a facade's backends, and back.

``model`` names a facade. The request goes to the first backend of the routing plan; a retryable
failure (connection error, timeout, 429, 5xx) before anything reached the client marks that
backend unhealthy and moves on to the next one; any other answer, 4xx included, is returned as it
is. A stream is committed to the backend whose answer started it: once its headers said 200 the
bytes flow to the client and there is no more failover. Every routed request leaves one usage row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import requests

from backend.config import Config
from backend.crypto.keyring import Keyring
from backend.errors import Invalid
from backend.gateway.base import (
    BackendDefaults,
    StreamRelay,
    UpstreamCall,
    UpstreamReply,
    WireFormat,
    error_body,
)
from backend.gateway.wire import wire_format
from backend.services.client_keys import may_use, touch, usable_facades
from backend.services.facades import (
    SLUG_PATTERN,
    backend_health,
    mark_healthy,
    mark_unhealthy,
    price_per_1m,
    routing_plan,
)
from backend.services.providers import stored_credential
from backend.services.usage import UsageEntry, record_usage
from backend.store.db import db
from backend.store.facade_tables import ClientKey, Facade, FacadeBackend
from backend.store.tables import Provider

ENDPOINT_KINDS = {"chat.completions": "chat", "embeddings": "embedding"}


class GatewayRefusal(Exception):
    """The gateway answers the client itself, with an OpenAI-style error."""

    def __init__(self, status: int, message: str, *, kind: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None):
        super().__init__(message)
        self.status = status
        self.body = error_body(message, kind=kind, code=code, param=param)


@dataclass(frozen=True)
class GatewayReply:
    """What goes back to the client: a JSON body, or a stream of SSE bytes."""

    status: int
    body: dict | None = None
    stream: Iterator[bytes] | None = None


@dataclass
class Dispatch:
    """How the failover went: the backend that answered (if any) and the attempts it took."""

    attempts: int = 0
    backend: FacadeBackend | None = None
    wire: WireFormat | None = None
    call: UpstreamCall | None = None
    response: requests.Response | None = None
    failure: UpstreamReply | None = None
    errors: list[str] = field(default_factory=list)


# --- who may call what -----------------------------------------------------------------------


def resolve_facade(key: ClientKey, model, endpoint: str) -> Facade:
    """The active facade ``model`` names, if this key may call it on this endpoint."""
    if not isinstance(model, str) or not model:
        raise GatewayRefusal(400, "model is required: the slug of a model facade", param="model")
    # Only a slug can name a facade; anything else (a NUL, a 10 KB string) is not looked up.
    facade = Facade.get_or_none(Facade.slug == model) if SLUG_PATTERN.match(model) else None
    if facade is None:
        raise GatewayRefusal(404, f"the model {model!r} does not exist", code="model_not_found",
                             param="model")
    if not may_use(key, facade):
        raise GatewayRefusal(403, f"this API key is not granted the model {model!r}",
                             kind="permission_error", code="model_not_granted", param="model")
    if facade.status != "active":
        raise GatewayRefusal(404, f"the model {model!r} is {facade.status} and cannot be called",
                             code="model_not_found", param="model")
    wanted = ENDPOINT_KINDS[endpoint]
    if facade.kind != wanted:
        other = "/v1/embeddings" if facade.kind == "embedding" else "/v1/chat/completions"
        raise GatewayRefusal(400, f"the model {model!r} is a {facade.kind} model; call {other}",
                             param="model")
    touch(key)
    return facade


def list_models(key: ClientKey) -> dict:
    """``GET /v1/models``: the active facades this key may call."""
    return {"object": "list", "data": [
        {"id": facade.slug, "object": "model", "created": int(facade.created_at.timestamp()),
         "owned_by": "model-catalog", "kind": facade.kind, "name": facade.name}
        for facade in usable_facades(key)
    ]}


# --- reaching a backend ----------------------------------------------------------------------


@dataclass(frozen=True)
class GatewaySettings:
    """What routing needs from the running service: its configuration and its keyring."""

    config: Config
    keyring: Keyring | None


def upstream_api_key(settings: GatewaySettings, provider: Provider) -> str | None:
    """``<SLUG>_API_KEY`` wins; then the provider's stored credential; then its key variable."""
    config = settings.config
    override = config.provider_override(provider.slug, "API_KEY")
    if override:
        return override
    if provider.credential_ciphertext is not None and settings.keyring is not None:
        return stored_credential(provider, settings.keyring)
    if provider.api_key_env:
        return config.environ.get(provider.api_key_env) or None
    return None


def upstream_call(settings: GatewaySettings, backend: FacadeBackend) -> UpstreamCall | None:
    """How to call this backend, or None when its provider has no base URL."""
    config = settings.config
    model = backend.provider_model
    provider = model.provider
    base_url = config.provider_override(provider.slug, "BASE_URL") or provider.base_url
    if not base_url:
        return None
    defaults = BackendDefaults(
        temperature=backend.temperature, max_tokens=backend.max_tokens, top_p=backend.top_p,
        top_k=backend.top_k, stop=tuple(backend.stop) if backend.stop else None,
    )
    return UpstreamCall(base_url, upstream_api_key(settings, provider), model.upstream_model_id,
                        defaults, config.gateway_timeout_seconds)


def _retryable(response: requests.Response) -> bool:
    return response.status_code == 429 or response.status_code >= 500


def _try_backend(dispatch: Dispatch, settings: GatewaySettings, backend: FacadeBackend,
                 send: Callable[[WireFormat, UpstreamCall], requests.Response]) -> bool:
    """One attempt; True when this backend answered with something to return to the client."""
    provider = backend.provider_model.provider
    wire = wire_format(provider.kind)
    call = upstream_call(settings, backend)
    if wire is None or call is None:
        dispatch.errors.append(f"{provider.slug}: not routable (no wire format or base URL)")
        return False
    dispatch.attempts += 1
    try:
        response = send(wire, call)
    except requests.Timeout:
        failure = f"{provider.slug}: timed out"
    except requests.RequestException as exc:
        failure = f"{provider.slug}: connection failed ({type(exc).__name__})"
    else:
        if not _retryable(response):
            if backend_health(backend) is not None:
                mark_healthy(backend.id)
            dispatch.backend, dispatch.wire, dispatch.call, dispatch.response = (
                backend, wire, call, response)
            return True
        dispatch.failure = wire.error_reply(response)
        response.close()
        failure = f"{provider.slug}: HTTP {response.status_code}"
    dispatch.backend = backend
    dispatch.errors.append(failure)
    mark_unhealthy(backend.id, failure)
    return False


def dispatch(settings: GatewaySettings, facade: Facade,
             send: Callable[[WireFormat, UpstreamCall], requests.Response]) -> Dispatch:
    """Walk the routing plan until a backend answers; backends cooling down are tried last."""
    plan = routing_plan(facade.slug, settings.config.backend_cooldown_seconds)
    outcome = Dispatch()
    for backend in [*plan.backends, *plan.cooling]:
        if _try_backend(outcome, settings, backend, send):
            return outcome
    return outcome


def _all_failed_reply(facade: Facade, outcome: Dispatch) -> UpstreamReply:
    if outcome.attempts == 0:
        return UpstreamReply(503, error_body(
            f"the model {facade.slug!r} has no routable backend", kind="service_unavailable",
            code="no_backend"))
    message = f"every backend of {facade.slug!r} failed: {'; '.join(outcome.errors)}"
    status = outcome.failure.status if outcome.failure else 502
    return UpstreamReply(status, error_body(message, code="upstream_unavailable"))


# --- the endpoints ---------------------------------------------------------------------------


class _Request:
    """The bookkeeping of one client request, from its start to its usage row."""

    def __init__(self, facade: Facade, key: ClientKey, endpoint: str, streamed: bool = False):
        self.facade, self.key, self.endpoint, self.streamed = facade, key, endpoint, streamed
        self.started = time.monotonic()

    def record(self, outcome: Dispatch, status: int, usage=None, error: str | None = None) -> None:
        backend = outcome.backend
        model = backend.provider_model if backend else None
        record_usage(UsageEntry(
            facade=self.facade, endpoint=self.endpoint, status=status, streamed=self.streamed,
            latency_ms=int((time.monotonic() - self.started) * 1000), attempts=outcome.attempts,
            client_key=self.key, backend_id=backend.id if backend else None,
            provider=model.provider if model else None,
            upstream_model_id=model.upstream_model_id if model else None,
            input_tokens=usage.input_tokens if usage else None,
            output_tokens=usage.output_tokens if usage else None,
            prices_per_1m=price_per_1m(model) if model else (None, None),
            error=error or ("; ".join(outcome.errors) or None),
        ))

    def finish(self, outcome: Dispatch, reply: UpstreamReply) -> GatewayReply:
        error = None if 200 <= reply.status < 300 else str(reply.body.get("error", {}).get("message"))
        self.record(outcome, reply.status, reply.usage, error)
        return GatewayReply(reply.status, reply.body)


def _recorded_stream(request: _Request, outcome: Dispatch, relay: StreamRelay) -> Iterator[bytes]:
    try:
        yield from relay
    finally:
        # The stream may outlive the request's connection handling: use (and close) our own.
        with db.connection_context():
            request.record(outcome, 200, relay.usage, relay.error)


def _client_error(error: Invalid) -> GatewayRefusal:
    param = next(iter(error.errors), None)
    return GatewayRefusal(400, error.message, param=param)


def route_chat(settings: GatewaySettings, key: ClientKey, body: dict) -> GatewayReply:
    """``POST /v1/chat/completions`` through the facade ``body["model"]`` names."""
    facade = resolve_facade(key, body.get("model"), "chat.completions")
    if not isinstance(body.get("messages"), list) or not body["messages"]:
        raise GatewayRefusal(400, "messages must be a non-empty list", param="messages")
    stream = body.get("stream") is True
    options = body.get("stream_options")
    include_usage = isinstance(options, dict) and options.get("include_usage") is True
    request = _Request(facade, key, "chat.completions", streamed=stream)
    try:
        outcome = dispatch(settings, facade,
                           lambda wire, call: wire.send_chat(call, body, stream=stream))
    except Invalid as error:
        raise _client_error(error) from None
    if outcome.response is None:
        return request.finish(outcome, _all_failed_reply(facade, outcome))
    response = outcome.response
    if not 200 <= response.status_code < 300:
        reply = outcome.wire.error_reply(response)
        response.close()
        return request.finish(outcome, reply)
    if not stream:
        return request.finish(outcome, outcome.wire.chat_reply(outcome.call, response))
    relay = outcome.wire.chat_stream(outcome.call, response, include_usage)
    return GatewayReply(200, stream=_recorded_stream(request, outcome, relay))


def route_embeddings(settings: GatewaySettings, key: ClientKey, body: dict) -> GatewayReply:
    """``POST /v1/embeddings`` through the facade ``body["model"]`` names."""
    facade = resolve_facade(key, body.get("model"), "embeddings")
    if not body.get("input"):
        raise GatewayRefusal(400, "input is required: a string or a list of strings",
                             param="input")
    request = _Request(facade, key, "embeddings")
    outcome = dispatch(settings, facade, lambda wire, call: wire.send_embeddings(call, body))
    if outcome.response is None:
        return request.finish(outcome, _all_failed_reply(facade, outcome))
    response = outcome.response
    if not 200 <= response.status_code < 300:
        return request.finish(outcome, outcome.wire.error_reply(response))
    return request.finish(outcome, outcome.wire.embeddings_reply(outcome.call, response))
