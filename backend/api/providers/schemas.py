"""Schemas of the providers admin API. A credential is load-only: no schema ever dumps it."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from backend.api.fields import UtcDateTime
from backend.services.providers import CONFIG_FIELDS, PROVIDER_KINDS, STATUSES

PRICE = {"as_string": False, "allow_nan": False, "validate": validate.Range(min=0)}
MODEL_KINDS = ("chat", "embedding")
TEXT = validate.Length(max=200)


def _config_field(**kwargs):
    return fields.String(allow_none=True, validate=TEXT, **kwargs)


class ProviderWriteSchema(ma.Schema):
    """Fields an admin may set; which ones a kind needs is in ``GET /api/admin/provider-kinds``."""

    # An empty name is reported by the service with the kind's other missing fields, all at once.
    name = fields.String(validate=TEXT)
    credential = fields.String(
        load_only=True, validate=validate.Length(min=1, max=16384),
        metadata={"description": "Write-only. Sealed on arrival; only a prefix is ever shown."},
    )
    base_url = fields.Url(allow_none=True, schemes={"http", "https"}, require_tld=False)
    organization = _config_field()
    region = _config_field()
    api_version = _config_field()
    project = _config_field()

    @ma.pre_load
    def strip_strings(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        return {key: value.strip() if isinstance(value, str) else value
                for key, value in data.items()}


class ProviderCreateSchema(ProviderWriteSchema):
    kind = fields.String(required=True, validate=validate.OneOf(list(PROVIDER_KINDS)))
    name = fields.String(required=True, validate=TEXT)


class ProviderListArgsSchema(ma.Schema):
    q = fields.String(validate=validate.Length(max=200))


class ProviderSchema(ma.Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    base_url = fields.String(allow_none=True)
    organization = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    api_version = fields.String(allow_none=True)
    project = fields.String(allow_none=True)
    details = fields.String(metadata={"description": "Base URL, else a configuration summary"})
    status = fields.String(validate=validate.OneOf(STATUSES))
    origin = fields.String(metadata={"description": "registry (seeded) or admin"})
    has_credential = fields.Boolean()
    credential_prefix = fields.String(allow_none=True, metadata={"example": "sk-p…"})
    credential_updated_at = UtcDateTime(allow_none=True)
    api_key_env = fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class KindFieldSchema(ma.Schema):
    name = fields.String(validate=validate.OneOf(["base_url", *CONFIG_FIELDS]))
    label = fields.String()
    required = fields.Boolean()
    placeholder = fields.String()


class ProviderKindSchema(ma.Schema):
    class Meta:
        include = {"fields": fields.List(fields.Nested(KindFieldSchema))}  # a name Schema reserves

    kind = fields.String()
    label = fields.String()
    credential_label = fields.String()
    credential_required = fields.Boolean()
    default_base_url = fields.String(allow_none=True)


class DeletePreviewSchema(ma.Schema):
    provider_models = fields.Integer()
    facade_backends = fields.Integer()
    facades = fields.List(fields.String())
    catalog_models = fields.Integer()
    blocked_reason = fields.String(allow_none=True)


class ProviderModelCreateSchema(ma.Schema):
    upstream_model_id = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(required=True, validate=validate.OneOf(MODEL_KINDS))
    context_window = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100_000_000))
    input_price_per_1m = fields.Decimal(allow_none=True, **PRICE)
    output_price_per_1m = fields.Decimal(allow_none=True, **PRICE)

    @ma.pre_load
    def strip_model_id(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("upstream_model_id"), str):
            return {**data, "upstream_model_id": data["upstream_model_id"].strip()}
        return data


class ProviderModelUpdateSchema(ma.Schema):
    """Overrides: null prices mean unknown (never zero)."""

    context_window = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100_000_000))
    input_price_per_1m = fields.Decimal(allow_none=True, **PRICE)
    output_price_per_1m = fields.Decimal(allow_none=True, **PRICE)
    status = fields.String(validate=validate.OneOf(STATUSES))


class DriftValueSchema(ma.Schema):
    catalog = fields.Raw(metadata={"description": "The catalog's value now"})
    own = fields.Raw(metadata={"description": "The Provider Model's value"})
    imported = fields.Raw(metadata={"description": "The catalog's value when it was imported"})


class ProviderModelSchema(ma.Schema):
    id = fields.Integer()
    provider_id = fields.Integer()
    upstream_model_id = fields.String()
    kind = fields.String()
    status = fields.String()
    context_window = fields.Integer(allow_none=True)
    input_price_per_1m = fields.Decimal(allow_none=True, as_string=False)
    output_price_per_1m = fields.Decimal(allow_none=True, as_string=False)
    source = fields.String(metadata={"example": "catalog:2026.08.01"})
    source_label = fields.String(metadata={"example": "Catalog 2026.08.01"})
    imported = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True))
    overridden = fields.List(fields.String())
    drift = fields.Dict(keys=fields.String(), values=fields.Nested(DriftValueSchema))
    has_drift = fields.Boolean()
    catalog_deprecated_on = fields.Date(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class ProviderModelWithProviderSchema(ProviderModelSchema):
    provider_name = fields.String()


class ImportReportSchema(ma.Schema):
    added = fields.Integer()
    skipped = fields.Integer(metadata={"description": "Already present at this provider"})
    unsupported = fields.Integer(metadata={"description": "Catalog rows neither chat nor embedding"})
    version = fields.String(allow_none=True)


class DriftArgsSchema(ma.Schema):
    drift = fields.Boolean(load_default=False)
