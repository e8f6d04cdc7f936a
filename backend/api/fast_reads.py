"""The polled public reads, answered in front of Flask.

Gateways and app backends poll ``GET /api/models``, ``/api/models/by-type/<T>`` and
``/api/models/providers`` bare, over and over; their answer is a cached body of the current
version. ``FastReads`` wraps the app's WSGI callable and answers exactly those (GET or HEAD, exact
path, no query string) from the same ``CatalogReader`` cache, negotiated by the same
``conditional.negotiate``: the same status, headers and bytes as the views, without the per-request
cost of Flask's dispatch and the app's hooks. Each answer is still counted in the request metrics
under the view's route template. None of those hooks changes these answers: the rate limit covers
only admin routes, no security header is set on API JSON, a bare path holds no NUL, and the
database connection is opened lazily and closed here as ``app.py`` closes it.

Everything else goes to Flask: a query string, another method or path, an empty catalog, and any
error (the full app answers it with its own error handling).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES

from backend.api.conditional import JSON, negotiate
from backend.api.models.routes import (
    CATALOG_DEFAULTS,
    CachedRead,
    catalog_read,
    provider_names_read,
    rows_of_type_read,
)
from backend.api.ops.metrics import observe_request
from backend.catalog.rows import COMPONENT_TYPES
from backend.services.catalog_reads import CatalogReader, RenderedBody
from backend.store.db import db

FAST_METHODS = ("GET", "HEAD")
# As werkzeug words them, so the status line is the views' own.
STATUS_LINES = {status: f"{status} {HTTP_STATUS_CODES[status].upper()}" for status in (200, 304)}


class FastReads:
    """WSGI middleware: the bare polled catalog URLs from the cache, everything else to ``app``."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self._next = wsgi_app
        self._reader: CatalogReader = app.extensions["catalog_reader"]
        rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
        catalog, providers = rules["models.Catalog"], rules["models.CatalogProviders"]
        by_type = rules["models.CatalogByType"]
        # path -> (route template for the metrics, the view's cached read with default arguments)
        self._reads: dict[str, tuple[str, CachedRead]] = {
            catalog: (catalog, catalog_read(CATALOG_DEFAULTS)),
            providers: (providers, provider_names_read(False)),
        }
        self._by_type_prefix = by_type.partition("<")[0]
        self._by_type = {component: (by_type, rows_of_type_read(component, False))
                         for component in COMPONENT_TYPES}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        read = self._polled_read(environ)
        rendered = self._render(read[1]) if read else None
        if rendered is None:
            return self._next(environ, start_response)
        method = environ["REQUEST_METHOD"]
        status, headers, body = negotiate(rendered, environ.get("HTTP_ACCEPT_ENCODING", ""),
                                          environ.get("HTTP_IF_NONE_MATCH"))
        header_list = list(headers.items())
        if status == 200:
            header_list += [("Content-Type", JSON), ("Content-Length", str(len(body)))]
        start_response(STATUS_LINES[status], header_list)
        observe_request(method, read[0], status, time.perf_counter() - started)
        return [] if method == "HEAD" else [body]

    def _polled_read(self, environ: dict) -> tuple[str, CachedRead] | None:
        if environ.get("QUERY_STRING") or environ["REQUEST_METHOD"] not in FAST_METHODS:
            return None
        path = environ.get("PATH_INFO", "")
        read = self._reads.get(path)
        if read is not None or not path.startswith(self._by_type_prefix):
            return read
        # The view upper-cases the type; a non-ASCII segment is left to Flask's own decoding.
        component = path[len(self._by_type_prefix):]
        return self._by_type.get(component.upper()) if component.isascii() else None

    def _render(self, read: CachedRead) -> RenderedBody | None:
        """The cached body, or None for Flask to answer (no catalog yet, or an error)."""
        was_open = not db.is_closed()
        try:
            if self._reader.snapshot().version is None:
                return None
            return self._reader.render(*read)
        except Exception:
            # The full app answers it again, with its own error handling and logging (a 503 for
            # an unreachable database).
            return None
        finally:
            if not was_open and not db.is_closed():
                db.close()


def install_fast_reads(app: Flask) -> None:
    """Put ``FastReads`` in front of the app; call after the models blueprint is registered."""
    app.wsgi_app = FastReads(app, app.wsgi_app)
