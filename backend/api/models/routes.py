"""``/api/models``: the public, cacheable catalog (seed 003), and its validated upsert."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import abort

from backend.api.conditional import catalog_reader, catalog_response, conditional_response
from backend.api.extensions import Blueprint
from backend.api.models.schemas import (
    CatalogArgsSchema,
    CatalogResponseSchema,
    ListArgsSchema,
    ModelRowSchema,
    UpsertRequestSchema,
    UpsertResponseSchema,
)
from backend.catalog.rows import COMPONENT_TYPES, row_to_document
from backend.services.catalog_reads import (
    CatalogSnapshot,
    catalog_body,
    provider_exists,
    provider_names_body,
    rows_body,
)
from backend.services.upsert import upsert_model

blp = Blueprint(
    "models", __name__, url_prefix="/api/models",
    description="The model catalog: who offers each model, its API name, prices and capabilities.",
)

# Instances, not classes: webargs would build a new schema for every request from a class.
CATALOG_ARGS = CatalogArgsSchema()
LIST_ARGS = ListArgsSchema()
CATALOG_DEFAULTS = CATALOG_ARGS.load({})
NOT_MODIFIED = {"description": "Not modified: the catalog still matches If-None-Match"}


# A cached read: the reader's cache key and how to build the body from a snapshot. The views and
# the WSGI fast path (backend/api/fast_reads.py) both answer from these.
CachedRead = tuple[tuple, Callable[[CatalogSnapshot], object]]


def catalog_read(args: dict) -> CachedRead:
    filters = {
        "provider": args.get("provider"),
        "component": args.get("type"),
        "query": args.get("q"),
        "include_deprecated": args["include_deprecated"],
    }
    return ("catalog", *sorted(filters.items())), lambda snap: catalog_body(snap, **filters)


def rows_of_type_read(component: str, include: bool) -> CachedRead:
    return (("by-type", component, include),
            lambda snap: rows_body(snap, component=component, include_deprecated=include))


def provider_names_read(include: bool) -> CachedRead:
    return ("providers", include), lambda snap: provider_names_body(snap, include_deprecated=include)


def _catalog(args: dict) -> Response:
    return catalog_response(*catalog_read(args))


def _rows_of_type(component: str, include: bool) -> Response:
    return catalog_response(*rows_of_type_read(component, include))


def _provider_names(include: bool) -> Response:
    return catalog_response(*provider_names_read(include))


@blp.before_request
def answer_polled_reads_from_cache():
    """The URLs clients poll, bare (no query string), answered before argument parsing.

    An empty query string parses to the defaults, so the answer is the view's own, minus the
    cost of parsing; anything else (filters, an unknown type) goes on to the view.
    """
    if request.query_string or request.method not in ("GET", "HEAD"):
        return None
    if request.endpoint == "models.Catalog":
        return _catalog(CATALOG_DEFAULTS)
    if request.endpoint == "models.CatalogProviders":
        return _provider_names(False)
    if request.endpoint == "models.CatalogByType":
        component = request.view_args["component_type"].upper()
        return _rows_of_type(component, False) if component in COMPONENT_TYPES else None
    return None


@blp.route("")
class Catalog(MethodView):
    @blp.arguments(CATALOG_ARGS, location="query")
    @blp.response(200, CatalogResponseSchema)
    @blp.alt_response(304, **NOT_MODIFIED)
    def get(self, args):
        """The full typed catalog (ModelCatalogResponse)

        Deprecated rows are left out unless `include_deprecated=true`.
        """
        return _catalog(args)


@blp.route("/by-type/<string:component_type>")
class CatalogByType(MethodView):
    @blp.arguments(LIST_ARGS, location="query")
    @blp.response(200, ModelRowSchema(many=True))
    @blp.alt_response(304, **NOT_MODIFIED)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, component_type):
        """Rows whose components include GEN, EMB or RERANK"""
        component = component_type.upper()
        if component not in COMPONENT_TYPES:
            abort(404, message=f"unknown component type {component_type!r}; "
                               f"use one of {', '.join(COMPONENT_TYPES)}")
        return _rows_of_type(component, args["include_deprecated"])


@blp.route("/providers")
class CatalogProviders(MethodView):
    @blp.arguments(LIST_ARGS, location="query")
    @blp.response(200, {"type": "array", "items": {"type": "string"}})
    @blp.alt_response(304, **NOT_MODIFIED)
    def get(self, args):
        """Provider keys that have catalog rows"""
        return _provider_names(args["include_deprecated"])


@blp.route("/providers/<string:provider>")
class CatalogProviderRows(MethodView):
    @blp.arguments(LIST_ARGS, location="query")
    @blp.response(200, ModelRowSchema(many=True))
    @blp.alt_response(304, **NOT_MODIFIED)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, provider):
        """One provider's rows"""
        include = args["include_deprecated"]
        rendered = catalog_reader().render(
            ("provider", provider, include),
            lambda snap: rows_body(snap, provider=provider, include_deprecated=include),
        )
        if rendered.body == b"[]" and not provider_exists(provider):
            abort(404, message=f"unknown provider {provider!r}")
        return conditional_response(rendered)


@blp.route("/upsert")
class CatalogUpsert(MethodView):
    @blp.admin_required
    @blp.arguments(UpsertRequestSchema)
    @blp.response(200, UpsertResponseSchema)
    def post(self, request):
        """Add or update one catalog row (ModelCatalogUpsertRequest)

        Writes the database and both catalog files atomically and bumps the version when
        anything changed. Prices are given in the request's `unit`.
        """
        result = upsert_model(current_app.config["CATALOG"], request)
        applied = result.outcome.applied
        reader = current_app.extensions["catalog_reader"]
        return {
            "version": applied.version if applied else reader.snapshot().version,
            "changed": applied is not None,
            "created": result.created,
            "model": row_to_document(result.row),
        }
