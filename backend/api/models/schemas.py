"""Schemas of the public catalog API (``/api/models…``) and of seed 003's upsert request."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from backend.catalog.rows import COMPONENT_TYPES, FAMILIES, UNITS
from backend.services.upsert import UpsertRequest

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9._-]{0,63}$", error="must be a lowercase slug")
PRICE = {"as_string": False, "allow_nan": False, "validate": validate.Range(min=0)}


class CapabilitiesSchema(ma.Schema):
    streaming = fields.Boolean(required=True)
    vision = fields.Boolean(required=True)
    tools = fields.Boolean(required=True)
    reasoning = fields.Boolean(required=True)


class ModelRowSchema(ma.Schema):
    """One catalog row. Prices are exact decimals in USD; null means unknown, never zero."""

    provider = fields.String(required=True)
    model = fields.String(required=True, metadata={"description": "The API name to call it by"})
    model_name = fields.String(required=True)
    family = fields.String(required=True, validate=validate.OneOf(list(FAMILIES)))
    components = fields.List(fields.String(validate=validate.OneOf(COMPONENT_TYPES)),
                             required=True)
    unit = fields.String(required=True, validate=validate.OneOf(list(UNITS)))
    input_per_1k = fields.Decimal(allow_none=True, **PRICE)
    output_per_1k = fields.Decimal(allow_none=True, **PRICE)
    input_per_1m = fields.Decimal(allow_none=True, **PRICE)
    output_per_1m = fields.Decimal(allow_none=True, **PRICE)
    cache_read_per_1m = fields.Decimal(allow_none=True, **PRICE)
    cache_write_per_1m = fields.Decimal(allow_none=True, **PRICE)
    pricing_unknown = fields.Boolean(required=True)
    context = fields.Integer(allow_none=True)
    max_output_tokens = fields.Integer(allow_none=True)
    modality = fields.String(allow_none=True)
    input_modalities = fields.List(fields.String())
    output_modalities = fields.List(fields.String())
    capabilities = fields.Nested(CapabilitiesSchema)
    base_url = fields.String(allow_none=True)
    notes = fields.String()
    deprecated = fields.Boolean(required=True)
    deprecated_on = fields.Date(allow_none=True)
    source = fields.String()


class CatalogResponseSchema(ma.Schema):
    """ModelCatalogResponse: the typed catalog payload."""

    version = fields.String(allow_none=True, metadata={"example": "2026.08.18"})
    source = fields.String(allow_none=True)
    generated_at = fields.String(allow_none=True)
    count = fields.Integer(required=True)
    models = fields.List(fields.Nested(ModelRowSchema), required=True)


class ListArgsSchema(ma.Schema):
    include_deprecated = fields.Boolean(load_default=False)


class CatalogArgsSchema(ListArgsSchema):
    provider = fields.String(validate=validate.Length(max=64))
    type = fields.String(validate=validate.OneOf(COMPONENT_TYPES))
    q = fields.String(validate=validate.Length(max=200))


class UpsertRequestSchema(ma.Schema):
    """ModelCatalogUpsertRequest. Prices are in the ``unit`` given (per 1k or per 1M tokens)."""

    provider = fields.String(required=True, validate=SLUG)
    model = fields.String(required=True, validate=validate.Length(min=1, max=300))
    family = fields.String(required=True, validate=validate.OneOf(list(FAMILIES)))
    unit = fields.String(load_default="1k_tokens", validate=validate.OneOf(list(UNITS)))
    components = fields.List(
        fields.String(validate=validate.OneOf(COMPONENT_TYPES)),
        validate=validate.Length(min=1, max=3),
    )
    input_per_1k = fields.Decimal(allow_none=True, **PRICE)
    output_per_1k = fields.Decimal(allow_none=True, **PRICE)
    input_per_1m = fields.Decimal(allow_none=True, **PRICE)
    output_per_1m = fields.Decimal(allow_none=True, **PRICE)
    model_name = fields.String(validate=validate.Length(min=1, max=300))
    context = fields.Integer(validate=validate.Range(min=1, max=100_000_000))
    max_output_tokens = fields.Integer(validate=validate.Range(min=1, max=100_000_000))
    base_url = fields.Url(schemes={"http", "https"}, require_tld=False)
    notes = fields.String(validate=validate.Length(max=2000))

    @ma.validates_schema
    def prices_match_unit(self, data, **kwargs):
        other = "1m" if data.get("unit", "1k_tokens") == "1k_tokens" else "1k"
        wrong = [f"{side}_per_{other}" for side in ("input", "output")
                 if data.get(f"{side}_per_{other}") is not None]
        if wrong:
            raise ma.ValidationError(
                {name: [f"does not match unit {data.get('unit', '1k_tokens')!r}"] for name in wrong}
            )

    @ma.validates_schema
    def components_match_family(self, data, **kwargs):
        components = data.get("components")
        family = data.get("family")
        if components and family in FAMILIES and FAMILIES[family] not in components:
            raise ma.ValidationError(
                {"components": [f"must include {FAMILIES[family]} for family {family!r}"]}
            )


    @ma.post_load
    def to_request(self, data, **kwargs) -> UpsertRequest:
        per = "1k" if data["unit"] == "1k_tokens" else "1m"
        return UpsertRequest(
            provider=data["provider"],
            model=data["model"],
            family=data["family"],
            unit=data["unit"],
            components=tuple(data["components"]) if data.get("components") else None,
            input_price=data.get(f"input_per_{per}"),
            output_price=data.get(f"output_per_{per}"),
            model_name=data.get("model_name"),
            context=data.get("context"),
            max_output_tokens=data.get("max_output_tokens"),
            base_url=data.get("base_url"),
            notes=data.get("notes"),
        )


class UpsertResponseSchema(ma.Schema):
    version = fields.String(allow_none=True, metadata={"description": "Catalog version now"})
    changed = fields.Boolean(required=True)
    created = fields.Boolean(required=True)
    model = fields.Nested(ModelRowSchema, required=True)
