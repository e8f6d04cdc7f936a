"""``/api/models/{provider}/{model}`` and ``…/history``: one row, now or at a time, and its changes.

Model ids may contain ``/`` (``meta-llama/llama-3.1-8b``), hence the ``path`` converter. The
fixed routes ``/api/models/providers/…`` and ``/api/models/by-type/…`` take precedence because
their first segment is static; a model id ending in ``/history`` names the history route.
"""

from __future__ import annotations

from flask.views import MethodView

from backend.api.extensions import Blueprint
from backend.api.model_history.schemas import HistorySchema, RowAtArgsSchema
from backend.api.models.schemas import ModelRowSchema
from backend.catalog.rows import row_to_document
from backend.services.price_history import current_row, model_history, row_at

blp = Blueprint(
    "model_history", __name__, url_prefix="/api/models",
    description="One catalog row, its values at a past time, and its price history.",
)


@blp.route("/<string:provider>/<path:model>/history")
class ModelRowHistory(MethodView):
    @blp.response(200, HistorySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, provider, model):
        """Every change of one row: field, before and after, with its version and time"""
        return model_history(provider, model)


@blp.route("/<string:provider>/<path:model>")
class ModelRow(MethodView):
    @blp.arguments(RowAtArgsSchema, location="query")
    @blp.response(200, ModelRowSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, provider, model):
        """One catalog row; with `at`, the values in force at that time"""
        at = args.get("at")
        row = current_row(provider, model) if at is None else row_at(provider, model, at)
        return row_to_document(row)
