"""Conditional GET for cached catalog bodies: strong ETag, 304 on a matching If-None-Match, and
the pre-compressed gzip form for clients that accept it (each encoding has its own ETag)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request

from backend.services.catalog_reads import CatalogReader, CatalogSnapshot, RenderedBody


def catalog_reader() -> CatalogReader:
    return current_app.extensions["catalog_reader"]


def _accepts_gzip() -> bool:
    header = request.headers.get("Accept-Encoding", "")
    if "gzip" not in header:
        return False
    # The common "gzip, deflate, br" needs no parsing; q-values (gzip;q=0) do.
    return ";" not in header or request.accept_encodings.quality("gzip") > 0


def _client_holds(etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    # Pollers send back exactly the ETag they were given: compare before parsing a list.
    return header == etag or request.if_none_match.contains(etag.strip('"'))


def conditional_response(rendered: RenderedBody) -> Response:
    """200 with the negotiated encoding of ``rendered``, or 304 when the client already holds it."""
    gzipped = _accepts_gzip()
    etag = rendered.gzip_etag if gzipped else rendered.etag
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if _client_holds(etag):
        return Response(status=304, headers=headers)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        return Response(rendered.gzip_body, headers=headers, content_type="application/json")
    return Response(rendered.body, headers=headers, content_type="application/json")


def catalog_response(key: tuple, build: Callable[[CatalogSnapshot], object]) -> Response:
    return conditional_response(catalog_reader().render(key, build))
