"""``/healthz`` (process up, database reachable), ``/readyz`` (catalog applied), ``/metrics``."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import abort
from prometheus_client import CONTENT_TYPE_LATEST

from backend.api.extensions import Blueprint
from backend.api.ops.metrics import render_metrics
from backend.api.ops.schemas import HealthSchema, ReadinessSchema
from backend.services.health import catalog_status, database_error

blp = Blueprint("ops", __name__, description="Liveness, readiness and Prometheus metrics.")

@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="DEFAULT_ERROR")
    def get(self):
        """Liveness: the process answers and the database is reachable"""
        error = database_error()
        if error:
            abort(503, message=f"database unreachable ({error})")
        return {"status": "ok", "database": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, response="DEFAULT_ERROR")
    def get(self):
        """Readiness: a catalog version has been applied, so reads have something to serve"""
        error = database_error()
        if error:
            abort(503, message=f"database unreachable ({error})")
        version = catalog_status().version
        if version is None:
            abort(503, message="no catalog has been applied yet")
        return {"status": "ready", "version": version}


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.response(200, {"type": "string"}, content_type=CONTENT_TYPE_LATEST)
    def get(self):
        """Prometheus metrics in the text exposition format"""
        return Response(render_metrics(), mimetype=CONTENT_TYPE_LATEST)
