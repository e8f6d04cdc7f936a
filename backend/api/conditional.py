"""Conditional GET for cached catalog bodies: strong ETag, 304 on a matching If-None-Match."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request

from backend.services.catalog_reads import CatalogReader, CatalogSnapshot


def catalog_reader() -> CatalogReader:
    return current_app.extensions["catalog_reader"]


def catalog_response(key: tuple, build: Callable[[CatalogSnapshot], object]) -> Response:
    rendered = catalog_reader().render(key, build)
    etag = rendered.etag.strip('"')
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(rendered.body, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response
