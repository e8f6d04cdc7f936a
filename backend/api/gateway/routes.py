"""``/v1``: the OpenAI-compatible gateway, authenticated with client keys (not the admin key).

Errors here are OpenAI-shaped (``{"error": {"message", "type", "param", "code"}}``) because the
callers are OpenAI client libraries; this blueprint is plain Flask and documented in the README.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request, stream_with_context

from backend.api.auth import bearer_token
from backend.services import gateway
from backend.services.client_keys import authenticate
from backend.store.facade_tables import ClientKey

blp = Blueprint("gateway", __name__, url_prefix="/v1")

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@blp.errorhandler(gateway.GatewayRefusal)
def refused(error: gateway.GatewayRefusal):
    headers = {"WWW-Authenticate": 'Bearer realm="model-catalog-gateway"'} \
        if error.status == 401 else {}
    return error.body, error.status, headers


def _client_key() -> ClientKey:
    key = authenticate(bearer_token(request.headers.get("Authorization")))
    if key is None:
        raise gateway.GatewayRefusal(
            401, "a valid client API key is required: Authorization: Bearer <key>",
            kind="authentication_error", code="invalid_api_key")
    return key


def _json_body() -> dict:
    """The body as sent (floats stay floats: it is relayed upstream, not stored)."""
    try:
        body = json.loads(request.get_data() or b"null")
    except (ValueError, UnicodeDecodeError):
        raise gateway.GatewayRefusal(400, "the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise gateway.GatewayRefusal(400, "the request body must be a JSON object")
    return body


def _reply(reply: gateway.GatewayReply) -> Response:
    if reply.stream is not None:
        return Response(stream_with_context(reply.stream), status=reply.status,
                        mimetype="text/event-stream", headers=SSE_HEADERS)
    return current_app.json.response(reply.body), reply.status


def _settings() -> gateway.GatewaySettings:
    return gateway.GatewaySettings(current_app.config["CATALOG"], current_app.extensions.get("keyring"))


@blp.post("/chat/completions")
def chat_completions():
    key = _client_key()
    return _reply(gateway.route_chat(_settings(), key, _json_body()))


@blp.post("/embeddings")
def embeddings():
    key = _client_key()
    return _reply(gateway.route_embeddings(_settings(), key, _json_body()))


@blp.get("/models")
def models():
    return gateway.list_models(_client_key())
