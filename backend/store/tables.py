"""The catalog's tables: providers, the reference catalog, and its bookkeeping.

Column names of ``providers`` and ``models`` follow seed 004 so its SQL runs verbatim.
Prices are USD per token, exact (see ``PriceField``); an unknown price is NULL with
``pricing_unknown = true``, never zero.
"""

from __future__ import annotations

from datetime import UTC, datetime

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from backend.store.db import db
from backend.store.fields import JSONTextField, PriceField


def utcnow() -> datetime:
    """Naive UTC (both databases store TIMESTAMP without zone)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class BaseTable(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Provider(BaseTable):
    """One upstream endpoint or account."""

    id = AutoField()
    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=200)
    kind = CharField(max_length=40, index=True)
    base_url = TextField(null=True)
    api_key_env = CharField(max_length=100, null=True)
    config = JSONTextField(default=dict)
    status = CharField(max_length=16, default="active")
    # "registry" rows come from backend.sources.registry; "admin" rows were added by an operator.
    origin = CharField(max_length=16, default="registry")
    # Envelope-encrypted credential (backend.crypto): never plaintext, never returned.
    credential_ciphertext = BlobField(null=True)
    credential_nonce = BlobField(null=True)
    credential_wrapped_key = BlobField(null=True)
    credential_kek_id = CharField(max_length=64, null=True)
    credential_prefix = CharField(max_length=16, null=True)
    credential_updated_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "providers"


class CatalogModel(BaseTable):
    """One row of the reference catalog: a model as one provider offers it."""

    id = AutoField()
    provider = ForeignKeyField(Provider, backref="models", on_delete="CASCADE")
    provider_model_id = TextField()
    model_name = TextField()
    family = CharField(max_length=16)
    components = CharField(max_length=64)
    unit = CharField(max_length=16, default="1m_tokens")
    pricing_prompt = PriceField(null=True)
    pricing_completion = PriceField(null=True)
    pricing_cache_read = PriceField(null=True)
    pricing_cache_write = PriceField(null=True)
    pricing_unknown = BooleanField(default=False)
    context_length = IntegerField(null=True)
    max_output_tokens = IntegerField(null=True)
    modality = TextField(null=True)
    input_modalities = CharField(max_length=200, default="")
    output_modalities = CharField(max_length=200, default="")
    supports_streaming = BooleanField(default=True)
    supports_vision = BooleanField(default=False)
    supports_tools = BooleanField(default=False)
    supports_reasoning = BooleanField(default=False)
    is_active = BooleanField(default=True, index=True)
    health_status = CharField(max_length=16, default="unknown")
    deprecated_on = DateField(null=True)
    notes = TextField(default="")
    base_url = TextField(null=True)
    source = CharField(max_length=200, default="")
    first_seen_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "models"
        indexes = ((("provider", "provider_model_id"), True),)


class CatalogVersion(BaseTable):
    """Every version applied to the database, in order."""

    id = AutoField()
    version = CharField(max_length=32, unique=True)
    source = TextField()
    trigger = CharField(max_length=32)
    created_at = DateTimeField(default=utcnow)
    rows_new = IntegerField(default=0)
    rows_updated = IntegerField(default=0)
    rows_deprecated = IntegerField(default=0)
    rows_total = IntegerField(default=0)

    class Meta:
        table_name = "catalog_versions"


class SyncRun(BaseTable):
    """One sync, refresh, upsert or catalog apply: what started it and how it ended."""

    id = AutoField()
    run_id = CharField(max_length=36, unique=True)
    kind = CharField(max_length=16)  # sync | refresh | upsert | apply | revert
    provider_slug = CharField(max_length=64, null=True, index=True)
    trigger = CharField(max_length=32)  # api | cli | schedule | startup
    status = CharField(max_length=16, default="running")  # running|success|noop|held|dry_run|failed
    started_at = DateTimeField(default=utcnow, index=True)
    finished_at = DateTimeField(null=True)
    models_fetched = IntegerField(default=0)
    models_transformed = IntegerField(default=0)
    rows_new = IntegerField(default=0)
    rows_updated = IntegerField(default=0)
    rows_deprecated = IntegerField(default=0)
    rows_unchanged = IntegerField(default=0)
    version = CharField(max_length=32, null=True)
    error = TextField(null=True)
    details = JSONTextField(null=True)

    class Meta:
        table_name = "sync_runs"


class ModelChange(BaseTable):
    """One field of one catalog row changing: the price history."""

    id = AutoField()
    model = ForeignKeyField(CatalogModel, backref="changes", on_delete="CASCADE")
    version = CharField(max_length=32, index=True)
    field = CharField(max_length=64)
    old_value = TextField(null=True)
    new_value = TextField(null=True)
    changed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "model_changes"
        indexes = ((("model", "changed_at"), False),)


CATALOG_TABLES = [Provider, CatalogModel, CatalogVersion, SyncRun, ModelChange]
