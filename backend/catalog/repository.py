"""Reading the stored catalog as ``CatalogRow`` values, and mapping rows onto table columns."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal

from backend.catalog.rows import CatalogRow, RowKey
from backend.store.db import db, is_postgres
from backend.store.tables import CatalogModel, CatalogVersion, Provider

_LIST_SEPARATOR = ","
KEY_BATCH = 500


@functools.lru_cache(maxsize=4096)
def _split(value: str) -> tuple[str, ...]:
    # A catalog repeats a few hundred distinct lists (components, modalities) over its rows.
    return tuple(part for part in value.split(_LIST_SEPARATOR) if part)


def row_from_record(record: CatalogModel, provider_slug: str) -> CatalogRow:
    return CatalogRow(
        provider=provider_slug,
        model=record.provider_model_id,
        model_name=record.model_name,
        family=record.family,
        components=_split(record.components),
        unit=record.unit,
        pricing_prompt=record.pricing_prompt,
        pricing_completion=record.pricing_completion,
        pricing_cache_read=record.pricing_cache_read,
        pricing_cache_write=record.pricing_cache_write,
        pricing_unknown=record.pricing_unknown,
        context_length=record.context_length,
        max_output_tokens=record.max_output_tokens,
        modality=record.modality,
        input_modalities=_split(record.input_modalities),
        output_modalities=_split(record.output_modalities),
        supports_streaming=record.supports_streaming,
        supports_vision=record.supports_vision,
        supports_tools=record.supports_tools,
        supports_reasoning=record.supports_reasoning,
        base_url=record.base_url,
        notes=record.notes,
        deprecated_on=record.deprecated_on,
        source=record.source,
    )


def record_values(row: CatalogRow) -> dict:
    """Column values for ``row`` (without the provider, key or timestamps)."""
    return {
        "model_name": row.model_name,
        "family": row.family,
        "components": _LIST_SEPARATOR.join(row.components),
        "unit": row.unit,
        "pricing_prompt": row.pricing_prompt,
        "pricing_completion": row.pricing_completion,
        "pricing_cache_read": row.pricing_cache_read,
        "pricing_cache_write": row.pricing_cache_write,
        "pricing_unknown": row.pricing_unknown,
        "context_length": row.context_length,
        "max_output_tokens": row.max_output_tokens,
        "modality": row.modality,
        "input_modalities": _LIST_SEPARATOR.join(row.input_modalities),
        "output_modalities": _LIST_SEPARATOR.join(row.output_modalities),
        "supports_streaming": row.supports_streaming,
        "supports_vision": row.supports_vision,
        "supports_tools": row.supports_tools,
        "supports_reasoning": row.supports_reasoning,
        "is_active": row.is_active,
        "deprecated_on": row.deprecated_on,
        "notes": row.notes,
        "base_url": row.base_url,
        "source": row.source,
    }


_ROW_COLUMNS = (
    Provider.slug, CatalogModel.provider_model_id, CatalogModel.model_name, CatalogModel.family,
    CatalogModel.components, CatalogModel.unit, CatalogModel.pricing_prompt,
    CatalogModel.pricing_completion, CatalogModel.pricing_cache_read, CatalogModel.pricing_cache_write,
    CatalogModel.pricing_unknown, CatalogModel.context_length, CatalogModel.max_output_tokens,
    CatalogModel.modality, CatalogModel.input_modalities, CatalogModel.output_modalities,
    CatalogModel.supports_streaming, CatalogModel.supports_vision, CatalogModel.supports_tools,
    CatalogModel.supports_reasoning, CatalogModel.base_url, CatalogModel.notes,
    CatalogModel.deprecated_on, CatalogModel.source,
)


def _price(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


def _row_from_tuple(values: tuple) -> CatalogRow:
    (provider, model, model_name, family, components, unit, prompt, completion, cache_read,
     cache_write, unknown, context, max_output, modality, inputs, outputs, streaming, vision, tools,
     reasoning, base_url, notes, deprecated_on, source) = values
    return CatalogRow(
        provider=provider, model=model, model_name=model_name, family=family,
        components=_split(components), unit=unit, pricing_prompt=_price(prompt),
        pricing_completion=_price(completion), pricing_cache_read=_price(cache_read),
        pricing_cache_write=_price(cache_write),
        pricing_unknown=unknown, context_length=context, max_output_tokens=max_output,
        modality=modality, input_modalities=_split(inputs), output_modalities=_split(outputs),
        supports_streaming=streaming, supports_vision=vision, supports_tools=tools,
        supports_reasoning=reasoning, base_url=base_url, notes=notes, deprecated_on=deprecated_on,
        source=source,
    )


def load_stored_rows(provider_slugs: Iterable[str] | None = None) -> dict[RowKey, CatalogRow]:
    """Every stored row (deprecated included), optionally for some providers only."""
    # Plain tuples, not model instances: a sync, a preview or a publish loads the whole catalog,
    # and instances cost several times as much.
    query = CatalogModel.select(*_ROW_COLUMNS).join(Provider)
    if provider_slugs is not None:
        query = query.where(Provider.slug.in_(list(provider_slugs)))
    if is_postgres():
        # psycopg2 already returns Decimal, bool, date and int: skip peewee's column converters.
        sql, params = query.sql()
        records = db.execute_sql(sql, params)
    else:
        records = query.tuples().iterator()
    rows = {}
    for values in records:
        row = _row_from_tuple(values)
        rows[row.key] = row
    return rows


def load_rows_by_key(keys: Iterable[RowKey]) -> dict[RowKey, CatalogRow]:
    """The stored rows with these keys (those that exist)."""
    by_provider: dict[str, list[str]] = {}
    for provider, model in keys:
        by_provider.setdefault(provider, []).append(model)
    rows = {}
    for provider, models in by_provider.items():
        for start in range(0, len(models), KEY_BATCH):
            query = (CatalogModel.select(*_ROW_COLUMNS).join(Provider)
                     .where((Provider.slug == provider)
                            & CatalogModel.provider_model_id.in_(models[start : start + KEY_BATCH])))
            for values in query.tuples():
                row = _row_from_tuple(values)
                rows[row.key] = row
    return rows


def current_version() -> CatalogVersion | None:
    return CatalogVersion.select().order_by(CatalogVersion.id.desc()).first()


def current_version_string() -> str | None:
    latest = current_version()
    return latest.version if latest else None
