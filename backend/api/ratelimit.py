"""Rate limiting of the admin routes (flask-limiter).

One limit (``ADMIN_RATE_LIMIT``) is shared by every admin route and counted per client address.
It is checked before the admin key, so guessing keys is limited too. The count lives in
``RATELIMIT_STORAGE_URI``: memory in development (per process); Redis in production, so that
every worker and instance draws on the same count. If that storage cannot be reached, requests go
on without the limit and the error is logged: the admin key, not the limit, guards these routes.

A route is an admin route when its handler went through ``Blueprint.admin_required``, which marks
it here; a 429 is the usual JSON error envelope, with ``Retry-After``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from backend.config import Config

ADMIN_MARK = "_admin_rate_limited"


def mark_admin_route(handler: Callable) -> Callable:
    setattr(handler, ADMIN_MARK, True)
    return handler


def is_admin_request() -> bool:
    """Whether the request was routed to a handler that ``admin_required`` marked."""
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return bool(getattr(view, ADMIN_MARK, False))
    method = "get" if request.method == "HEAD" else request.method.lower()
    return bool(getattr(getattr(view_class, method, None), ADMIN_MARK, False))


def install_rate_limiting(app: Flask, config: Config) -> Limiter:
    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        return {"code": 429, "status": "Too Many Requests",
                "message": f"too many admin requests from this address ({error.description}); "
                           "retry after the time in Retry-After"}, 429

    limiter = Limiter(
        get_remote_address,
        app=app,
        application_limits=[config.admin_rate_limit],
        application_limits_exempt_when=lambda: not is_admin_request(),
        storage_uri=config.ratelimit_storage_uri,
        key_prefix="model-catalog-admin",
        headers_enabled=True,
        swallow_errors=True,
    )
    # Every other request (the polled catalog reads above all) leaves the limiter before it
    # resolves any limit: the exemption alone is evaluated only after that work.
    limiter.request_filter(lambda: not is_admin_request())
    return limiter
