"""The gateway's tables: model facades, their backends and health, client keys, and usage.

A facade is the name applications call (``model`` in an OpenAI-style request); each backend wires
it to one Provider Model. Usage rows keep the slugs they were recorded under, so deleting a
facade, a provider or a key leaves the spend history intact (the foreign keys become NULL).
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.store.fields import JSONTextField, PriceField
from backend.store.operator_tables import ProviderModel
from backend.store.tables import BaseTable, Provider, utcnow


class Facade(BaseTable):
    """A user-facing model: a slug, a kind fixed at creation, and a routable status."""

    id = AutoField()
    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=200)
    kind = CharField(max_length=16)  # chat | embedding
    status = CharField(max_length=16, default="draft")  # draft | active | disabled
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "facades"


class FacadeBackend(BaseTable):
    """One Provider Model a facade routes to, with its priority and default parameters."""

    id = AutoField()
    facade = ForeignKeyField(Facade, backref="backends", on_delete="CASCADE")
    provider_model = ForeignKeyField(ProviderModel, backref="facade_backends", on_delete="CASCADE")
    priority = IntegerField(default=0)
    temperature = DecimalField(max_digits=4, decimal_places=2, null=True, auto_round=True)
    max_tokens = IntegerField(null=True)
    top_p = DecimalField(max_digits=4, decimal_places=3, null=True, auto_round=True)
    top_k = IntegerField(null=True)
    stop = JSONTextField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "facade_backends"
        indexes = ((("facade", "priority"), False),)


class BackendHealth(BaseTable):
    """The last retryable failure of a backend; it is skipped until the cool-down has passed.

    Kept in the database so every worker process sees the same health.
    """

    backend = ForeignKeyField(FacadeBackend, primary_key=True, on_delete="CASCADE")
    failed_at = DateTimeField()
    consecutive_failures = IntegerField(default=1)
    last_error = TextField()

    class Meta:
        table_name = "backend_health"


class ClientKey(BaseTable):
    """A key applications call the gateway with. Only the SHA-256 of the token is stored.

    ``restricted`` keys may call only the facades granted to them (none, when no grant is left);
    unrestricted keys may call every active facade.
    """

    id = AutoField()
    name = CharField(max_length=200)
    key_hash = CharField(max_length=64, unique=True)
    prefix = CharField(max_length=16)
    restricted = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)
    last_used_at = DateTimeField(null=True)

    class Meta:
        table_name = "client_keys"


class ClientKeyGrant(BaseTable):
    """An access grant: a restricted client key may call this facade."""

    id = AutoField()
    client_key = ForeignKeyField(ClientKey, backref="grants", on_delete="CASCADE")
    facade = ForeignKeyField(Facade, backref="grants", on_delete="CASCADE")

    class Meta:
        table_name = "client_key_grants"
        indexes = ((("client_key", "facade"), True),)


class UsageRecord(BaseTable):
    """One routed request: who called which facade, which backend served it, tokens and cost.

    ``cost`` is exact USD; NULL with ``cost_unknown`` when a price or a token count was unknown
    (never recorded as zero).
    """

    id = AutoField()
    created_at = DateTimeField(default=utcnow, index=True)
    facade = ForeignKeyField(Facade, null=True, on_delete="SET NULL")
    facade_slug = CharField(max_length=64)
    backend = ForeignKeyField(FacadeBackend, null=True, on_delete="SET NULL")
    provider = ForeignKeyField(Provider, null=True, on_delete="SET NULL")
    provider_slug = CharField(max_length=64, null=True)
    upstream_model_id = TextField(null=True)
    client_key = ForeignKeyField(ClientKey, null=True, on_delete="SET NULL")
    client_key_name = CharField(max_length=200, null=True)
    endpoint = CharField(max_length=32)  # chat.completions | embeddings
    streamed = BooleanField(default=False)
    status = IntegerField()
    latency_ms = IntegerField()
    attempts = IntegerField(default=1)
    input_tokens = IntegerField(null=True)
    output_tokens = IntegerField(null=True)
    cost = PriceField(null=True)
    cost_unknown = BooleanField(default=False)
    error = TextField(null=True)

    class Meta:
        table_name = "usage_records"


FACADE_TABLES = [Facade, FacadeBackend, BackendHealth, ClientKey, ClientKeyGrant, UsageRecord]
