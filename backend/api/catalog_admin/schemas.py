"""Schemas of the catalog review API (``/admin/catalog…``)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from backend.api.fields import UtcDateTime
from backend.catalog.versions import VERSION_PATTERN
from backend.services.catalog_review import SOURCES

VERSION = validate.Regexp(VERSION_PATTERN, error="must be a catalog version (YYYY.MM.DD[.N])")


class LastAppliedSchema(ma.Schema):
    version = fields.String()
    at = UtcDateTime()
    kind = fields.String(allow_none=True, metadata={"description": "apply, revert, sync, upsert…"})
    trigger = fields.String(allow_none=True, metadata={"description": "api, schedule, startup…"})
    origin = fields.String(allow_none=True, metadata={"description": "bundled, the feed URL, …"})


class FeedFetchSchema(ma.Schema):
    status = fields.String(metadata={"description": "accepted, unchanged or rejected"})
    reason = fields.String(allow_none=True, metadata={
        "description": "why it was rejected: download_failed, bad_signature, unknown_key, "
                       "malformed, expired, rollback, equivocation"})
    message = fields.String()
    version = fields.String(allow_none=True)
    key_id = fields.String(allow_none=True)
    expires_at = UtcDateTime(allow_none=True)
    fetched_at = UtcDateTime()
    trigger = fields.String()


class CatalogSettingsSchema(ma.Schema):
    current_version = fields.String(allow_none=True)
    source = fields.String(metadata={"description": "`bundled` or the remote feed URL"})
    remote_enabled = fields.Boolean()
    bundled_version = fields.String(allow_none=True)
    bundled_error = fields.String(allow_none=True)
    newer_available = fields.Boolean()
    newer_version = fields.String(allow_none=True)
    newer_source = fields.String(allow_none=True)
    last_applied = fields.Nested(LastAppliedSchema, allow_none=True)
    pending_remote = fields.Nested(FeedFetchSchema, allow_none=True)
    last_remote_fetch = fields.Nested(FeedFetchSchema, allow_none=True)
    publishes_feed = fields.Boolean()


class PreviewRequestSchema(ma.Schema):
    source = fields.String(required=True, validate=validate.OneOf(SOURCES))
    version = fields.String(validate=VERSION, metadata={"description": "for source=revert"})

    @ma.validates_schema
    def revert_needs_version(self, data, **kwargs):
        if data.get("source") == "revert" and not data.get("version"):
            raise ma.ValidationError({"version": ["required when source is revert"]})


class RevertRequestSchema(ma.Schema):
    version = fields.String(required=True, validate=VERSION)


class EntrySchema(ma.Schema):
    name = fields.String(metadata={"description": "provider_kind/upstream_model_id"})
    provider = fields.String()
    provider_kind = fields.String()
    model = fields.String()
    model_name = fields.String()


class FieldChangeSchema(ma.Schema):
    field = fields.String()
    label = fields.String()
    before = fields.String(allow_none=True, metadata={"description": "exact; prices per 1M tokens"})
    after = fields.String(allow_none=True)


class UpdatedEntrySchema(EntrySchema):
    changes = fields.List(fields.Nested(FieldChangeSchema))


class DeprecatedEntrySchema(EntrySchema):
    deprecated_on = fields.Date()


class PreviewSchema(ma.Schema):
    id = fields.String(metadata={"description": "pass it to POST /admin/catalog/apply"})
    source = fields.String()
    candidate_version = fields.String()
    base_version = fields.String(allow_none=True)
    revert_to = fields.String(allow_none=True)
    created_at = UtcDateTime()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows_changed = fields.Integer()
    new = fields.List(fields.Nested(EntrySchema))
    updated = fields.List(fields.Nested(UpdatedEntrySchema))
    deprecated = fields.List(fields.Nested(DeprecatedEntrySchema))


class ApplyRequestSchema(ma.Schema):
    preview_id = fields.String(validate=validate.Length(max=36))
    source = fields.String(validate=validate.OneOf(SOURCES))
    base_version = fields.String(validate=VERSION, allow_none=True)
    version = fields.String(validate=VERSION, metadata={"description": "for source=revert"})

    @ma.validates_schema
    def names_a_preview(self, data, **kwargs):
        if not data.get("preview_id") and not data.get("source"):
            raise ma.ValidationError({"preview_id": ["give preview_id, or source and base_version"]})


class ApplyResultSchema(ma.Schema):
    version = fields.String(allow_none=True, metadata={"description": "the version now applied"})
    rows_changed = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    applied = fields.Boolean(metadata={"description": "false when there was nothing to change"})


class CatalogVersionSchema(ma.Schema):
    version = fields.String()
    source = fields.String()
    trigger = fields.String()
    created_at = UtcDateTime()
    rows_new = fields.Integer()
    rows_updated = fields.Integer()
    rows_deprecated = fields.Integer()
    rows_total = fields.Integer()
    current = fields.Boolean()
    revertable = fields.Boolean()
