"""``/api/admin/facades``: model facades, their backends and routing plan (admin key)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from backend.api.extensions import Blueprint
from backend.api.facades.schemas import (
    BackendInputSchema,
    BackendPatchSchema,
    BackendSchema,
    CandidateProviderSchema,
    FacadeArgsSchema,
    FacadeCreateSchema,
    FacadePatchSchema,
    FacadeSchema,
    RoutePlanSchema,
)
from backend.services import facades

blp = Blueprint(
    "facades", __name__, url_prefix="/api/admin/facades",
    description="Model facades: the names applications call, routed to Provider Models.",
)


def _cooldown() -> int:
    return current_app.config["CATALOG"].backend_cooldown_seconds


@blp.route("")
class Facades(MethodView):
    @blp.admin_required
    @blp.arguments(FacadeArgsSchema, location="query")
    @blp.response(200, FacadeSchema(many=True))
    def get(self, args):
        """Facades by slug, searchable by slug or name"""
        return facades.list_facades(args.get("q"))

    @blp.admin_required
    @blp.arguments(FacadeCreateSchema)
    @blp.response(201, FacadeSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, values):
        """Create a facade (in draft)"""
        return facades.facade_view(facades.create_facade(**values), 0)


@blp.route("/<string:slug>")
class FacadeDetail(MethodView):
    @blp.admin_required
    @blp.response(200, FacadeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, slug):
        """One facade"""
        return facades.facade_view(facades.get_facade(slug))

    @blp.admin_required
    @blp.arguments(FacadePatchSchema)
    @blp.response(200, FacadeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, changes, slug):
        """Change the slug or display name (the kind is fixed)"""
        return facades.facade_view(facades.update_facade(slug, changes))

    @blp.admin_required
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, slug):
        """Delete a facade with its backends and grants (usage history stays)"""
        facades.delete_facade(slug)


def _status_view(status: str, summary: str):
    class FacadeStatus(MethodView):
        @blp.admin_required
        @blp.response(200, FacadeSchema)
        @blp.alt_response(404, response="NOT_FOUND")
        @blp.alt_response(409, response="CONFLICT")
        def post(self, slug):
            return facades.facade_view(facades.set_facade_status(slug, status))

    FacadeStatus.post.__doc__ = summary
    FacadeStatus.__name__ = f"Facade{status.title()}"
    return FacadeStatus


blp.route("/<string:slug>/publish")(_status_view(
    "active", "Publish: draft → active (needs at least one backend)"))
blp.route("/<string:slug>/disable")(_status_view(
    "disabled", "Disable: no longer routable, configuration kept"))
blp.route("/<string:slug>/draft")(_status_view("draft", "Return to draft"))


@blp.route("/<string:slug>/backends")
class Backends(MethodView):
    @blp.admin_required
    @blp.response(200, BackendSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, slug):
        """The facade's backends by priority"""
        return [facades.backend_view(b, _cooldown()) for b in facades.list_backends(slug)]

    @blp.admin_required
    @blp.arguments(BackendInputSchema)
    @blp.response(201, BackendSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, values, slug):
        """Wire a Provider Model of the facade's kind as a backend"""
        return facades.backend_view(facades.add_backend(slug, values), _cooldown())


@blp.route("/<string:slug>/backends/<int:backend_id>")
class BackendDetail(MethodView):
    @blp.admin_required
    @blp.arguments(BackendPatchSchema)
    @blp.response(200, BackendSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, values, slug, backend_id):
        """Change a backend's Provider Model, priority or defaults"""
        return facades.backend_view(facades.update_backend(slug, backend_id, values), _cooldown())

    @blp.admin_required
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, slug, backend_id):
        """Remove a backend"""
        facades.remove_backend(slug, backend_id)


@blp.route("/<string:slug>/backend-candidates")
class BackendCandidates(MethodView):
    @blp.admin_required
    @blp.response(200, CandidateProviderSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, slug):
        """Providers and their Provider Models of the facade's kind (the Add backend form)"""
        return facades.backend_candidates(slug)


@blp.route("/<string:slug>/route")
class RoutePlan(MethodView):
    @blp.admin_required
    @blp.response(200, RoutePlanSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, slug):
        """The routing plan: the backends a request would try now, in order, and those skipped"""
        plan = facades.routing_plan(slug, _cooldown())
        return {
            "facade": plan.facade.slug, "status": plan.facade.status, "routing": "failover",
            "backends": [facades.backend_view(b, _cooldown()) for b in plan.backends],
            "skipped": [{"backend": facades.backend_view(b, _cooldown()), "reason": reason}
                        for b, reason in plan.skipped],
        }
