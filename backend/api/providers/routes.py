"""Admin routes for providers and their Provider Models. Every route needs the admin key."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from backend.api.extensions import Blueprint
from backend.api.providers.schemas import (
    DeletePreviewSchema,
    DriftArgsSchema,
    ImportReportSchema,
    ProviderCreateSchema,
    ProviderKindSchema,
    ProviderListArgsSchema,
    ProviderModelCreateSchema,
    ProviderModelSchema,
    ProviderModelUpdateSchema,
    ProviderModelWithProviderSchema,
    ProviderSchema,
    ProviderWriteSchema,
)
from backend.services import provider_models as models
from backend.services import providers

blp = Blueprint(
    "providers", __name__, url_prefix="/api/admin",
    description="Upstream providers with write-only credentials, and their Provider Models.",
)


def _keyring():
    return current_app.extensions["keyring"]


@blp.route("/provider-kinds")
class ProviderKinds(MethodView):
    @blp.admin_required
    @blp.response(200, ProviderKindSchema(many=True))
    def get(self):
        """Provider kinds and the fields each one needs"""
        return list(providers.PROVIDER_KINDS.values())


@blp.route("/providers")
class Providers(MethodView):
    @blp.admin_required
    @blp.arguments(ProviderListArgsSchema, location="query")
    @blp.response(200, ProviderSchema(many=True))
    def get(self, args):
        """Providers by name; `q` searches names"""
        return [providers.provider_view(p) for p in providers.list_providers(args.get("q"))]

    @blp.admin_required
    @blp.arguments(ProviderCreateSchema)
    @blp.response(201, ProviderSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, values):
        """Add a provider; its credential is sealed on arrival and never returned"""
        return providers.provider_view(providers.create_provider(values, _keyring()))


@blp.route("/providers/<int:provider_id>")
class ProviderItem(MethodView):
    @blp.admin_required
    @blp.response(200, ProviderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, provider_id):
        """One provider"""
        return providers.provider_view(providers.get_provider(provider_id))

    @blp.admin_required
    @blp.arguments(ProviderWriteSchema)
    @blp.response(200, ProviderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, values, provider_id):
        """Edit a provider; a `credential` replaces the stored one"""
        return providers.provider_view(providers.update_provider(provider_id, values, _keyring()))

    @blp.admin_required
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, provider_id):
        """Delete a provider with its Provider Models and the facade backends wired to them"""
        providers.delete_provider(provider_id)


@blp.route("/providers/<int:provider_id>/delete-preview")
class ProviderDeletePreview(MethodView):
    @blp.admin_required
    @blp.response(200, DeletePreviewSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, provider_id):
        """What deleting this provider would remove"""
        return providers.delete_preview(provider_id)


@blp.route("/providers/<int:provider_id>/disable")
class ProviderDisable(MethodView):
    @blp.admin_required
    @blp.response(200, ProviderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, provider_id):
        """Disable a provider: syncs and routing skip it"""
        return providers.provider_view(providers.set_provider_status(provider_id, "disabled"))


@blp.route("/providers/<int:provider_id>/enable")
class ProviderEnable(MethodView):
    @blp.admin_required
    @blp.response(200, ProviderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, provider_id):
        """Enable a provider"""
        return providers.provider_view(providers.set_provider_status(provider_id, "active"))


@blp.route("/providers/<int:provider_id>/models")
class ProviderModels(MethodView):
    @blp.admin_required
    @blp.response(200, ProviderModelSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, provider_id):
        """The provider's Provider Models, with drift from the catalog"""
        return models.list_provider_models(provider_id)

    @blp.admin_required
    @blp.arguments(ProviderModelCreateSchema)
    @blp.response(201, ProviderModelSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, values, provider_id):
        """Add a custom model (prices per 1M tokens)"""
        row = models.add_custom_model(provider_id, values)
        return models.provider_model_detail(provider_id, row.id)


@blp.route("/providers/<int:provider_id>/models/import")
class ProviderModelsImport(MethodView):
    @blp.admin_required
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, provider_id):
        """Import the non-deprecated catalog models of the provider's kind; existing ones are skipped"""
        return models.import_from_catalog(provider_id)


@blp.route("/providers/<int:provider_id>/models/<int:model_id>")
class ProviderModelItem(MethodView):
    @blp.admin_required
    @blp.response(200, ProviderModelSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, provider_id, model_id):
        """One Provider Model"""
        return models.provider_model_detail(provider_id, model_id)

    @blp.admin_required
    @blp.arguments(ProviderModelUpdateSchema)
    @blp.response(200, ProviderModelSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, values, provider_id, model_id):
        """Override the context window or prices, or disable/enable"""
        models.update_provider_model(provider_id, model_id, values)
        return models.provider_model_detail(provider_id, model_id)

    @blp.admin_required
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, provider_id, model_id):
        """Remove a Provider Model (and the facade backends wired to it)"""
        models.remove_provider_model(provider_id, model_id)


@blp.route("/providers/<int:provider_id>/models/<int:model_id>/accept-catalog")
class ProviderModelAcceptCatalog(MethodView):
    @blp.admin_required
    @blp.response(200, ProviderModelSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, provider_id, model_id):
        """Take the catalog's current values where they drifted"""
        models.accept_catalog_values(provider_id, model_id)
        return models.provider_model_detail(provider_id, model_id)


@blp.route("/provider-models")
class AllProviderModels(MethodView):
    @blp.admin_required
    @blp.arguments(DriftArgsSchema, location="query")
    @blp.response(200, ProviderModelWithProviderSchema(many=True))
    def get(self, args):
        """Provider Models across providers; `drift=true` lists those the catalog moved away from"""
        return models.all_provider_models(drift_only=args["drift"])
