"""Schemas of ``/admin/model-sync``: seed 004's response shape, plus the diff and the run."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from backend.api.fields import UtcDateTime


class SyncArgsSchema(ma.Schema):
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "fetch, transform and diff; write nothing and return the diff"})
    force = fields.Boolean(load_default=False, metadata={
        "description": "apply even when the guard would hold the run back"})


class SyncDetailsSchema(ma.Schema):
    provider = fields.String(required=True)
    provider_id = fields.Integer(allow_none=True)
    models_fetched = fields.Integer(required=True)
    models_transformed = fields.Integer(required=True)
    models_synced = fields.Integer(required=True, metadata={
        "description": "rows that now mirror the upstream list; 0 for dry, held or failed runs"})
    skipped = fields.Integer(required=True)
    duplicates = fields.Integer(required=True)


class DiffCountsSchema(ma.Schema):
    new = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    deprecated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


class SyncDiffSchema(ma.Schema):
    """Field values are the exact text recorded in ``model_changes`` (prices per token)."""

    new = fields.List(fields.Dict(), required=True)
    updated = fields.List(fields.Dict(), required=True)
    deprecated = fields.List(fields.Dict(), required=True)
    duplicates = fields.List(fields.String(), required=True)


class SyncResponseSchema(ma.Schema):
    """One provider's sync (seed 004's shape). ``status``: success, noop, dry_run, held, failed,
    skipped. ``diff`` is present for dry runs and held-back runs."""

    success = fields.Boolean(required=True)
    message = fields.String(required=True)
    status = fields.String(required=True)
    held = fields.Boolean(required=True)
    dry_run = fields.Boolean(required=True)
    forced = fields.Boolean(required=True)
    not_modified = fields.Boolean(required=True)
    run_id = fields.String(allow_none=True)
    version = fields.String(allow_none=True, metadata={"description": "catalog version written"})
    error = fields.String(allow_none=True)
    details = fields.Nested(SyncDetailsSchema, required=True)
    counts = fields.Nested(DiffCountsSchema, required=True)
    diff = fields.Nested(SyncDiffSchema)


class SyncAllResponseSchema(ma.Schema):
    success = fields.Boolean(required=True, metadata={
        "description": "true when every provider synced (skipped ones do not count)"})
    message = fields.String(required=True)
    results = fields.List(fields.Nested(SyncResponseSchema), required=True)


class SyncProviderSchema(ma.Schema):
    provider_id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    base_url = fields.String(allow_none=True)
    base_url_overridden = fields.Boolean(required=True)
    api_key_env = fields.String(allow_none=True)
    has_credential = fields.Boolean(required=True, metadata={
        "description": "a key is present (never shown)"})
    configured = fields.Boolean(required=True, metadata={
        "description": "syncable now: an adapter exists and a key is present or not needed"})
    sync_supported = fields.Boolean(required=True)
    wire_format = fields.String(allow_none=True)
    catalog_only_reason = fields.String(allow_none=True)


class RunSummarySchema(DiffCountsSchema):
    run_id = fields.String(required=True)
    status = fields.String(required=True)
    trigger = fields.String(required=True)
    started_at = UtcDateTime(required=True)
    finished_at = UtcDateTime(allow_none=True)
    error = fields.String(allow_none=True)
    models_fetched = fields.Integer(required=True)
    models_transformed = fields.Integer(required=True)
    version = fields.String(allow_none=True)


class ProviderStatusSchema(ma.Schema):
    provider = fields.String(required=True)
    provider_id = fields.Integer(required=True)
    status = fields.String(required=True)
    active_models = fields.Integer(required=True)
    deprecated_models = fields.Integer(required=True)
    last_run = fields.Nested(RunSummarySchema, allow_none=True)


class SyncStatusSchema(ma.Schema):
    catalog_version = fields.String(allow_none=True)
    catalog_updated_at = UtcDateTime(allow_none=True)
    catalog_age_seconds = fields.Integer(allow_none=True)
    providers = fields.List(fields.Nested(ProviderStatusSchema), required=True)
