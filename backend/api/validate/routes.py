"""``POST /api/models/validate``: does an application's model configuration hold up? (public)"""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate

from backend.api.extensions import Blueprint
from backend.errors import Invalid
from backend.services.validation import validate_model_config

blp = Blueprint(
    "validate", __name__, url_prefix="/api/models",
    description="Capability validation of an application's GEN, EMB and RERANK models.",
)

NAME = {"allow_none": True, "validate": validate.Length(min=1, max=300),
        "metadata": {"description": "`provider/model` from the catalog, or a facade slug"}}


class ModelConfigSchema(ma.Schema):
    GEN = fields.String(**NAME)
    EMB = fields.String(**NAME)
    RERANK = fields.String(**NAME)


class ValidResponseSchema(ma.Schema):
    valid = fields.Boolean(required=True)


@blp.route("/validate")
class ValidateModelConfig(MethodView):
    @blp.arguments(ModelConfigSchema)
    @blp.response(200, ValidResponseSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, model_config):
        """Check each slot names a live model with that capability; 422 lists every mismatch"""
        problems = validate_model_config(model_config)
        if problems:
            raise Invalid("the model configuration has mismatches", errors=problems)
        return {"valid": True}
