"""Admin authentication: a bearer token compared in constant time.

Anything that is not exactly ``Bearer <the admin key>`` is a 401 with ``WWW-Authenticate``:
a missing, empty, oversized or non-ASCII header included.
"""

from __future__ import annotations

import hmac

from flask import current_app, request
from flask_smorest import abort

MAX_AUTHORIZATION_LENGTH = 1024


def bearer_token(header: str | None) -> str | None:
    if not header or len(header) > MAX_AUTHORIZATION_LENGTH or not header.isascii():
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def is_admin_token(token: str | None, admin_key: str) -> bool:
    if token is None:
        return False
    return hmac.compare_digest(token.encode(), admin_key.encode())


def require_admin() -> None:
    token = bearer_token(request.headers.get("Authorization"))
    if not is_admin_token(token, current_app.config["CATALOG"].admin_api_key):
        abort(
            401,
            message="a valid admin key is required: Authorization: Bearer $ADMIN_API_KEY",
            headers={"WWW-Authenticate": 'Bearer realm="model-catalog"'},
        )
