"""A catalog row's history, from ``model_changes``: every change, and the values in force at a time.

Each change row holds a field's old and new value as text (``change_text``); walking a row's
changes backwards from its current values reconstructs it exactly at any earlier moment.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal

from backend.catalog.repository import row_from_record
from backend.catalog.rows import PER_1M, PRICE_FIELDS, CatalogRow
from backend.errors import NotFound
from backend.store.fields import format_decimal
from backend.store.tables import CatalogModel, ModelChange, Provider

_TYPES = {f.name: str(f.type) for f in fields(CatalogRow)}


def value_from_text(name: str, text: str | None) -> object:
    """Inverse of ``change_text`` for the field ``name`` of ``CatalogRow``."""
    if text is None:
        return None
    kind = _TYPES[name]
    if name in PRICE_FIELDS:
        return Decimal(text)
    if kind.startswith("bool"):
        return text == "true"
    if kind.startswith("int"):
        return int(text)
    if kind.startswith("tuple"):
        return tuple(part for part in text.split(",") if part)
    if kind.startswith("date"):
        return date.fromisoformat(text)
    return text


def _record(provider: str, model: str) -> CatalogModel:
    record = (CatalogModel.select(CatalogModel, Provider.slug).join(Provider)
              .where((Provider.slug == provider) & (CatalogModel.provider_model_id == model))
              .objects().first())
    if record is None:
        raise NotFound(f"no catalog row {provider}/{model}")
    return record


def _shown(name: str, text: str | None) -> str | None:
    """Prices per 1M tokens (as the API shows them), exact; other values as recorded."""
    if name in PRICE_FIELDS and text is not None:
        return format_decimal(Decimal(text) * PER_1M)
    return text


def model_history(provider: str, model: str) -> dict:
    """Every change of one row, grouped by the version that made it, oldest first."""
    record = _record(provider, model)
    versions: list[dict] = []
    for change in ModelChange.select().where(ModelChange.model == record.id).order_by(ModelChange.id):
        if not versions or versions[-1]["version"] != change.version:
            versions.append({"version": change.version, "changed_at": change.changed_at,
                             "changes": []})
        versions[-1]["changes"].append({
            "field": change.field, "before": _shown(change.field, change.old_value),
            "after": _shown(change.field, change.new_value),
            "per_1m": change.field in PRICE_FIELDS,
        })
    return {"provider": provider, "model": model, "first_seen_at": record.first_seen_at,
            "versions": versions}


def current_row(provider: str, model: str) -> CatalogRow:
    record = _record(provider, model)
    return row_from_record(record, record.slug)


def row_at(provider: str, model: str, at: datetime) -> CatalogRow:
    """The row's values in force at ``at`` (naive UTC); 404 if it did not exist yet."""
    record = _record(provider, model)
    if record.first_seen_at > at:
        raise NotFound(f"{provider}/{model} was not in the catalog at {at.isoformat()}Z "
                       f"(first seen {record.first_seen_at.isoformat()}Z)")
    row = row_from_record(record, record.slug)
    later = (ModelChange.select().where((ModelChange.model == record.id)
                                        & (ModelChange.changed_at > at))
             .order_by(ModelChange.id.desc()))
    for change in later:
        row = replace(row, **{change.field: value_from_text(change.field, change.old_value)})
    return row
