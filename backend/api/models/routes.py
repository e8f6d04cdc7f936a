"""``/api/models``: the public, cacheable catalog (seed 003), and its validated upsert."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from backend.api.conditional import catalog_response
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
from backend.services.catalog_reads import provider_exists
from backend.services.upsert import upsert_model

blp = Blueprint(
    "models", __name__, url_prefix="/api/models",
    description="The model catalog: who offers each model, its API name, prices and capabilities.",
)

NOT_MODIFIED = {"description": "Not modified: the catalog still matches If-None-Match"}


@blp.route("")
class Catalog(MethodView):
    @blp.arguments(CatalogArgsSchema, location="query")
    @blp.response(200, CatalogResponseSchema)
    @blp.alt_response(304, **NOT_MODIFIED)
    def get(self, args):
        """The full typed catalog (ModelCatalogResponse)

        Deprecated rows are left out unless `include_deprecated=true`.
        """
        filters = {
            "provider": args.get("provider"),
            "component": args.get("type"),
            "query": args.get("q"),
            "include_deprecated": args["include_deprecated"],
        }
        key = ("catalog", *sorted(filters.items()))
        return catalog_response(key, lambda snap: snap.document(snap.select(**filters)))


@blp.route("/by-type/<string:component_type>")
class CatalogByType(MethodView):
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, ModelRowSchema(many=True))
    @blp.alt_response(304, **NOT_MODIFIED)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, component_type):
        """Rows whose components include GEN, EMB or RERANK"""
        component = component_type.upper()
        if component not in COMPONENT_TYPES:
            abort(404, message=f"unknown component type {component_type!r}; "
                               f"use one of {', '.join(COMPONENT_TYPES)}")
        include = args["include_deprecated"]
        return catalog_response(
            ("by-type", component, include),
            lambda snap: [row_to_document(r) for r in snap.select(
                component=component, include_deprecated=include)],
        )


@blp.route("/providers")
class CatalogProviders(MethodView):
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, {"type": "array", "items": {"type": "string"}})
    @blp.alt_response(304, **NOT_MODIFIED)
    def get(self, args):
        """Provider keys that have catalog rows"""
        include = args["include_deprecated"]
        return catalog_response(
            ("providers", include),
            lambda snap: sorted({r.provider for r in snap.select(include_deprecated=include)}),
        )


@blp.route("/providers/<string:provider>")
class CatalogProviderRows(MethodView):
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, ModelRowSchema(many=True))
    @blp.alt_response(304, **NOT_MODIFIED)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, provider):
        """One provider's rows"""
        include = args["include_deprecated"]
        response = catalog_response(
            ("provider", provider, include),
            lambda snap: [row_to_document(r) for r in snap.select(
                provider=provider, include_deprecated=include)],
        )
        if response.status_code == 200 and response.get_data() == b"[]" and not provider_exists(
                provider):
            abort(404, message=f"unknown provider {provider!r}")
        return response


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
