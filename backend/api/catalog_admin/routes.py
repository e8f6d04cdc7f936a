"""``/admin/catalog…``: the catalog's settings card, preview, apply, revert, versions, remote fetch."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from backend.api.catalog_admin.schemas import (
    ApplyRequestSchema,
    ApplyResultSchema,
    CatalogSettingsSchema,
    CatalogVersionSchema,
    FeedFetchSchema,
    PreviewRequestSchema,
    PreviewSchema,
    RevertRequestSchema,
)
from backend.api.extensions import Blueprint
from backend.services.catalog_review import (
    apply_preview,
    catalog_settings,
    catalog_versions,
    find_preview,
    present_preview,
    preview_catalog,
)
from backend.services.remote_feed import fetch_remote_catalog

blp = Blueprint(
    "catalog_admin", __name__, url_prefix="/admin/catalog",
    description="Catalog versions and review: preview a candidate catalog, apply it atomically, "
                "revert, and fetch the signed remote feed.",
)


def _config():
    return current_app.config["CATALOG"]


@blp.route("")
class CatalogSettings(MethodView):
    @blp.admin_required
    @blp.response(200, CatalogSettingsSchema)
    def get(self):
        """The Model Catalog settings card: current, bundled and pending versions"""
        return catalog_settings(_config())


@blp.route("/preview")
class CatalogPreview(MethodView):
    @blp.admin_required
    @blp.arguments(PreviewRequestSchema)
    @blp.response(200, PreviewSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, request):
        """Diff a candidate catalog against the database; writes nothing but the preview"""
        return present_preview(preview_catalog(_config(), request["source"], request.get("version")))


@blp.route("/apply")
class CatalogApply(MethodView):
    @blp.admin_required
    @blp.arguments(ApplyRequestSchema)
    @blp.response(200, ApplyResultSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="DEFAULT_ERROR", description="the catalog changed since the preview")
    def post(self, request):
        """Apply a preview in one transaction: every row or none"""
        record = find_preview(request.get("preview_id"), request.get("source"),
                              request.get("base_version"), request.get("version"))
        result = apply_preview(_config(), record)
        return {"version": result.version, "rows_changed": result.rows_changed,
                "counts": result.counts, "applied": result.applied}


@blp.route("/revert")
class CatalogRevert(MethodView):
    @blp.admin_required
    @blp.arguments(RevertRequestSchema)
    @blp.response(200, PreviewSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, request):
        """Preview going back to an earlier version, as a new forward version

        Apply the returned preview with `POST /admin/catalog/apply`.
        """
        return present_preview(preview_catalog(_config(), "revert", request["version"]))


@blp.route("/versions")
class CatalogVersions(MethodView):
    @blp.admin_required
    @blp.response(200, CatalogVersionSchema(many=True))
    def get(self):
        """Every applied catalog version, newest first, with its source, time and counts"""
        return catalog_versions()


@blp.route("/remote/fetch")
class RemoteFetch(MethodView):
    @blp.admin_required
    @blp.response(200, FeedFetchSchema)
    @blp.alt_response(502, response="DEFAULT_ERROR", description="the feed was rejected; see reason")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY",
                      description="the remote catalog is not enabled (ENABLE_REMOTE_CATALOG)")
    def post(self):
        """Download and verify the signed remote feed now

        An accepted feed becomes the pending `remote` candidate. A rejected one answers 502 with
        `errors.reason`, and nothing changes.
        """
        record = fetch_remote_catalog(_config(), "api")
        if record.status == "rejected":
            abort(502, message=f"remote feed rejected: {record.message}",
                  errors={"reason": record.reason})
        return record
