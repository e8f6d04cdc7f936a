"""The operator's own tables: Provider Models, curated per provider.

No sync, refresh or catalog apply writes here (DESIGN.md §2): those paths live in
``backend.catalog``, ``backend.sources`` and the catalog-writing services, which never import this
module (``tests/test_provider_models_isolation.py`` checks their imports).
"""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from backend.store.fields import PriceField
from backend.store.tables import BaseTable, CatalogModel, Provider, utcnow


class ProviderModel(BaseTable):
    """A concrete upstream model at one configured provider, with the operator's overrides.

    ``context_window`` and the ``*_price_per_1m`` columns are the operator's values, the ones the
    gateway bills by. The ``catalog_*`` columns keep what was copied from the reference catalog at
    import, unchanged by edits, so an override and a later catalog change (drift) can both be seen.
    Custom models have no catalog values.
    """

    id = AutoField()
    provider = ForeignKeyField(Provider, backref="provider_models", on_delete="CASCADE")
    catalog_model = ForeignKeyField(CatalogModel, null=True, on_delete="SET NULL")
    upstream_model_id = TextField()
    kind = CharField(max_length=16)  # chat | embedding
    status = CharField(max_length=16, default="active")  # active | disabled
    context_window = IntegerField(null=True)
    input_price_per_1m = PriceField(null=True)
    output_price_per_1m = PriceField(null=True)
    source = CharField(max_length=64)  # catalog:<version> | custom
    catalog_context_window = IntegerField(null=True)
    catalog_input_price_per_1m = PriceField(null=True)
    catalog_output_price_per_1m = PriceField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "provider_models"
        indexes = ((("provider", "upstream_model_id"), True),)


OPERATOR_TABLES = [ProviderModel]
