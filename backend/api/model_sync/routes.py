"""``/admin/model-sync``: sync one provider or all, list providers, show sync status (seed 004).

Status codes of a sync: 200 when it ran (``success`` false and ``held`` true for a run the guard
held back — nothing written, the diff returned); 502 with ``success: false`` when the upstream
failed (the run is recorded); 404 unknown provider; 409 disabled; 422 catalog-only or not
configured. ``/all`` is always 200 and reports every provider, carrying on past failures.
"""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from backend.api.extensions import Blueprint
from backend.api.model_sync.schemas import (
    SyncAllResponseSchema,
    SyncArgsSchema,
    SyncProviderSchema,
    SyncResponseSchema,
    SyncStatusSchema,
)
from backend.services.jobs import SYNC_JOB, run_exclusively
from backend.services.sync import (
    SyncReport,
    SyncRequest,
    diff_document,
    sync_provider,
    sync_provider_listing,
    sync_providers,
    sync_status,
)

blp = Blueprint(
    "model_sync", __name__, url_prefix="/admin/model-sync",
    description="Provider sync (seed 004): fetch each provider's model list into the catalog.",
)


def report_document(report: SyncReport) -> dict:
    document = {
        "success": report.success, "message": report.message, "status": report.status,
        "held": report.held, "dry_run": report.dry_run, "forced": report.forced,
        "not_modified": report.not_modified, "run_id": report.run_id, "version": report.version,
        "error": report.error, "counts": report.counts(),
        "details": {
            "provider": report.provider, "provider_id": report.provider_id,
            "models_fetched": report.models_fetched,
            "models_transformed": report.models_transformed,
            "models_synced": report.models_synced, "skipped": report.skipped,
            "duplicates": len(report.diff.duplicates) if report.diff else 0,
        },
    }
    if report.diff is not None and report.status in ("dry_run", "held"):
        document["diff"] = diff_document(report.diff)
    return document


def _request(args) -> SyncRequest:
    return SyncRequest(trigger="api", dry_run=args["dry_run"], force=args["force"])


@blp.route("/provider/<string:slug>")
class ProviderSync(MethodView):
    @blp.admin_required
    @blp.arguments(SyncArgsSchema, location="query")
    @blp.response(200, SyncResponseSchema)
    @blp.alt_response(502, schema=SyncResponseSchema, description="The upstream failed")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, args, slug):
        """Sync one provider's models

        `?dry_run=true` writes nothing and returns the diff; `?force=true` applies a run the
        guard would hold back (mass deprecation, empty list).
        """
        config = current_app.config["CATALOG"]
        report = run_exclusively(SYNC_JOB, lambda: sync_provider(config, slug, _request(args)))
        if report.status == "failed":
            return report_document(report), report.error_status or 502
        return report_document(report)


@blp.route("/all")
class AllSync(MethodView):
    @blp.admin_required
    @blp.arguments(SyncArgsSchema, location="query")
    @blp.response(200, SyncAllResponseSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, args):
        """Sync every enabled, configured provider

        Providers without a key, disabled or catalog-only ones are reported as `skipped`.
        """
        config = current_app.config["CATALOG"]
        reports = run_exclusively(SYNC_JOB, lambda: sync_providers(config, None, _request(args)))
        ran = [r for r in reports if r.status != "skipped"]
        failed = [r.provider for r in ran if not r.success]
        message = f"{len(ran) - len(failed)} of {len(ran)} provider(s) synced" + (
            f"; not synced: {', '.join(failed)}" if failed else "")
        return {"success": not failed, "message": message,
                "results": [report_document(r) for r in reports]}


@blp.route("/providers")
class SyncProviders(MethodView):
    @blp.admin_required
    @blp.response(200, SyncProviderSchema(many=True))
    def get(self):
        """Every provider: kind, base URL, whether configured, catalog-only reason"""
        return sync_provider_listing(current_app.config["CATALOG"])


@blp.route("/status")
class SyncStatus(MethodView):
    @blp.admin_required
    @blp.response(200, SyncStatusSchema)
    def get(self):
        """Per provider: the last sync, its counts, active/deprecated totals; catalog version and age"""
        return sync_status()
