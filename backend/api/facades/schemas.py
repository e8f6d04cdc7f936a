"""Schemas of the facades, client keys and usage admin APIs (``/api/admin/...``)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from backend.api.fields import UtcDateTime

DECIMAL = {"as_string": False, "allow_nan": False}


class FacadeArgsSchema(ma.Schema):
    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "Matches slug or display name"})


class FacadeCreateSchema(ma.Schema):
    slug = fields.String(required=True, validate=validate.Length(min=1, max=64),
                         metadata={"description": "Lowercase letters, digits and hyphens"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(["chat", "embedding"]))


class FacadePatchSchema(ma.Schema):
    slug = fields.String(validate=validate.Length(min=1, max=64))
    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = fields.String(metadata={"description": "Fixed after creation: a change is refused"})


class FacadeSchema(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "draft, active or disabled"})
    routing = fields.String(required=True, metadata={"description": "Always failover"})
    backend_count = fields.Integer(required=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class BackendInputSchema(ma.Schema):
    """A backend: the Provider Model it routes to, its priority and default parameters."""

    provider_model_id = fields.Integer(required=True)
    priority = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000),
                              metadata={"description": "Lower is tried first"})
    temperature = fields.Decimal(allow_none=True, validate=validate.Range(min=0, max=2), **DECIMAL)
    max_tokens = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=10_000_000))
    top_p = fields.Decimal(allow_none=True, validate=validate.Range(min=0, max=1), **DECIMAL)
    top_k = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000),
                           metadata={"description": "Honored only by Anthropic-family upstreams"})
    stop = fields.List(fields.String(validate=validate.Length(min=1, max=200)), allow_none=True,
                       validate=validate.Length(max=4),
                       metadata={"description": "Up to 4 stop sequences"})


class BackendPatchSchema(BackendInputSchema):
    """Any subset of a backend's fields; what is left out stays as it is."""

    provider_model_id = fields.Integer()
    priority = fields.Integer(validate=validate.Range(min=0, max=1_000_000))


class ProviderRefSchema(ma.Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    kind = fields.String()
    status = fields.String()


class ProviderModelRefSchema(ma.Schema):
    id = fields.Integer()
    upstream_model_id = fields.String()
    kind = fields.String()
    status = fields.String()


class PricingSchema(ma.Schema):
    input_per_1m = fields.Decimal(allow_none=True, **DECIMAL)
    output_per_1m = fields.Decimal(allow_none=True, **DECIMAL)
    unknown = fields.Boolean()


class DefaultsSchema(ma.Schema):
    temperature = fields.Decimal(allow_none=True, **DECIMAL)
    max_tokens = fields.Integer(allow_none=True)
    top_p = fields.Decimal(allow_none=True, **DECIMAL)
    top_k = fields.Integer(allow_none=True)
    stop = fields.List(fields.String(), allow_none=True)


class BackendHealthSchema(ma.Schema):
    cooling_down_until = UtcDateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    last_failed_at = UtcDateTime(allow_none=True)


class BackendSchema(ma.Schema):
    id = fields.Integer()
    priority = fields.Integer()
    provider = fields.Nested(ProviderRefSchema)
    provider_model = fields.Nested(ProviderModelRefSchema)
    pricing = fields.Nested(PricingSchema, metadata={"description": "USD per 1M tokens"})
    defaults = fields.Nested(DefaultsSchema)
    health = fields.Nested(BackendHealthSchema)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class SkippedBackendSchema(ma.Schema):
    backend = fields.Nested(BackendSchema)
    reason = fields.String()


class RoutePlanSchema(ma.Schema):
    facade = fields.String()
    status = fields.String()
    routing = fields.String()
    backends = fields.List(fields.Nested(BackendSchema),
                           metadata={"description": "In the order a request tries them now"})
    skipped = fields.List(fields.Nested(SkippedBackendSchema))


class CandidateModelSchema(ma.Schema):
    id = fields.Integer()
    upstream_model_id = fields.String()
    kind = fields.String()
    status = fields.String()
    input_per_1m = fields.Decimal(allow_none=True, **DECIMAL)
    output_per_1m = fields.Decimal(allow_none=True, **DECIMAL)


class CandidateProviderSchema(ProviderRefSchema):
    unsupported_reason = fields.String(allow_none=True)
    provider_models = fields.List(fields.Nested(CandidateModelSchema))


class ClientKeyCreateSchema(ma.Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    facades = fields.List(fields.String(), allow_none=True, load_default=None,
                          metadata={"description": "Limit the key to these facade slugs; "
                                                   "omit or null for every facade"})


class GrantsSchema(ma.Schema):
    facades = fields.List(fields.String(), required=True, allow_none=True,
                          metadata={"description": "Facade slugs, or null to lift the limit"})


class ClientKeySchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    facades = fields.List(fields.String(), allow_none=True,
                          metadata={"description": "Granted facades; null = every facade"})
    revoked = fields.Boolean()
    revoked_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)


class IssuedKeySchema(ClientKeySchema):
    token = fields.String(metadata={"description": "Shown once; only its hash is stored"})


class UsageArgsSchema(ma.Schema):
    group_by = fields.String(load_default="day",
                             validate=validate.OneOf(["facade", "provider", "key", "day"]))
    start = fields.Date(data_key="from", load_default=None)
    end = fields.Date(data_key="to", load_default=None)


class UsageGroupSchema(ma.Schema):
    key = fields.String()
    requests = fields.Integer()
    errors = fields.Integer()
    input_tokens = fields.Integer()
    output_tokens = fields.Integer()
    spend = fields.Decimal(metadata={"description": "Exact USD of the requests with a known cost"},
                           **DECIMAL)
    unknown_cost_requests = fields.Integer()


class UsageReportSchema(ma.Schema):
    group_by = fields.String()
    start = fields.Date(data_key="from", allow_none=True)
    end = fields.Date(data_key="to", allow_none=True)
    groups = fields.List(fields.Nested(UsageGroupSchema))
    totals = fields.Nested(UsageGroupSchema)
