"""Conditional GET for cached catalog bodies: strong ETag, 304 on a matching If-None-Match, and
the pre-compressed gzip form for clients that accept it (each encoding has its own ETag).

``negotiate`` decides from the two request headers alone, so the Flask views and the WSGI fast
path (``fast_reads``) answer with the same status, headers and bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import Response, current_app, request
from werkzeug.http import parse_accept_header, parse_etags

from backend.services.catalog_reads import CatalogReader, CatalogSnapshot, RenderedBody

JSON = "application/json"


class Negotiated(NamedTuple):
    """The answer to one conditional GET: 200 with ``body``, or 304 (``body`` empty)."""

    status: int
    headers: dict[str, str]
    body: bytes


def catalog_reader() -> CatalogReader:
    return current_app.extensions["catalog_reader"]


def accepts_gzip(accept_encoding: str) -> bool:
    if "gzip" not in accept_encoding:
        return False
    # The common "gzip, deflate, br" needs no parsing; q-values (gzip;q=0) do.
    return ";" not in accept_encoding or parse_accept_header(accept_encoding).quality("gzip") > 0


def client_holds(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    # Pollers send back exactly the ETag they were given: compare before parsing a list.
    return if_none_match == etag or parse_etags(if_none_match).contains(etag.strip('"'))


def negotiate(rendered: RenderedBody, accept_encoding: str, if_none_match: str | None) -> Negotiated:
    gzipped = accepts_gzip(accept_encoding)
    etag = rendered.gzip_etag if gzipped else rendered.etag
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if client_holds(if_none_match, etag):
        return Negotiated(304, headers, b"")
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        return Negotiated(200, headers, rendered.gzip_body)
    return Negotiated(200, headers, rendered.body)


def conditional_response(rendered: RenderedBody) -> Response:
    """200 with the negotiated encoding of ``rendered``, or 304 when the client already holds it."""
    answer = negotiate(rendered, request.headers.get("Accept-Encoding", ""),
                       request.headers.get("If-None-Match"))
    if answer.status == 304:
        return Response(status=304, headers=answer.headers)
    return Response(answer.body, headers=answer.headers, content_type=JSON)


def catalog_response(key: tuple, build: Callable[[CatalogSnapshot], object]) -> Response:
    return conditional_response(catalog_reader().render(key, build))
