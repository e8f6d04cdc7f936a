"""The apply phase: write one diff to the database in one transaction, as one new version.

Every row of the diff is written or none is. The diff must have been computed against the
version still current when the transaction takes the catalog write lock; otherwise the apply is
refused with ``Conflict`` (the caller recomputes or, for a reviewed preview, reports 409).
Field-level changes go to ``model_changes``: that is the price history.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from peewee import AutoField, Model
from psycopg2.extras import execute_values

from backend.catalog.diff import CatalogDiff
from backend.catalog.repository import current_version, record_values
from backend.catalog.rows import CatalogRow
from backend.catalog.snapshots import store_snapshot
from backend.catalog.versions import is_newer, next_version
from backend.errors import Conflict, Invalid
from backend.store.db import db, is_postgres, write_transaction
from backend.store.fields import format_decimal
from backend.store.tables import CatalogModel, CatalogVersion, ModelChange, Provider, utcnow

BATCH_SIZE = 500
BULK_PAGE_SIZE = 1000

# Counts the versions this process has committed, so its read caches can notice at once.
_local_writes = itertools.count(1)
_local_write_generation = 0


def local_write_generation() -> int:
    """Changes whenever this process has committed a new catalog version."""
    return _local_write_generation


def _note_local_write() -> None:
    global _local_write_generation
    _local_write_generation = next(_local_writes)


@dataclass(frozen=True)
class AppliedVersion:
    version: str
    rows_changed: int
    counts: dict[str, int]


def change_text(value: object) -> str | None:
    """How a field value is recorded in ``model_changes``."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ",".join(str(part) for part in value)
    return str(value)


def _provider_ids(rows: list[CatalogRow]) -> dict[str, int]:
    slugs = sorted({row.provider for row in rows})
    found = {p.slug: p.id for p in Provider.select(Provider.id, Provider.slug).where(
        Provider.slug.in_(slugs))}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise Invalid(f"unknown provider(s): {', '.join(missing)}", errors={"provider": missing})
    return found


def _insert_new(rows: tuple[CatalogRow, ...], provider_ids: dict[str, int], now: datetime) -> None:
    records = [
        {
            **record_values(row),
            "provider": provider_ids[row.provider],
            "provider_model_id": row.model,
            "first_seen_at": now,
            "last_seen_at": now,
            "updated_at": now,
        }
        for row in rows
    ]
    bulk_insert(CatalogModel, records)


def bulk_insert(table: type[Model], records: list[dict]) -> None:
    """Insert ``records`` (field name -> value; unset fields take their defaults) in pages.

    On PostgreSQL through psycopg2's ``execute_values`` (one multi-row statement per page, with
    values converted by each field but no ORM statement building, which dominated large applies);
    on SQLite as peewee ``insert_many`` chunks.
    """
    if not records:
        return
    if not is_postgres():
        for start in range(0, len(records), BATCH_SIZE):
            table.insert_many(records[start : start + BATCH_SIZE]).execute()
        return
    fields = [field for field in table._meta.sorted_fields if not isinstance(field, AutoField)]
    defaults = {field.name: field.default for field in fields}
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    values = [
        tuple(field.db_value(_value_or_default(record, field.name, defaults)) for field in fields)
        for record in records
    ]
    with db.cursor() as cursor:
        # Table and column names come from our own model definitions, never from input.
        statement = f'INSERT INTO "{table._meta.table_name}" ({columns}) VALUES %s'  # noqa: S608  # nosec B608
        execute_values(cursor, statement, values,
                       page_size=BULK_PAGE_SIZE)


def _value_or_default(record: dict, name: str, defaults: dict):
    if name in record:
        return record[name]
    default = defaults[name]
    return default() if callable(default) else default


def _record_ids(keys: list[tuple[str, str]], provider_ids: dict[str, int]) -> dict:
    ids = {}
    by_provider: dict[int, list[str]] = {}
    for provider, model in keys:
        by_provider.setdefault(provider_ids[provider], []).append(model)
    slug_of = {pid: slug for slug, pid in provider_ids.items()}
    for provider_id, models in by_provider.items():
        for start in range(0, len(models), BATCH_SIZE):
            chunk = models[start : start + BATCH_SIZE]
            query = CatalogModel.select(CatalogModel.id, CatalogModel.provider_model_id).where(
                (CatalogModel.provider == provider_id) & CatalogModel.provider_model_id.in_(chunk)
            )
            for record in query:
                ids[(slug_of[provider_id], record.provider_model_id)] = record.id
    return ids


def _update_changed(diff: CatalogDiff, provider_ids, version: str, now: datetime) -> None:
    changes = [*diff.updated, *diff.deprecated]
    ids = _record_ids([change.key for change in changes], provider_ids)
    updates = {}
    history = []
    for change in changes:
        record_id = ids[change.key]
        updates[record_id] = {**record_values(change.after), "last_seen_at": now, "updated_at": now}
        for name, (old, new) in change.fields.items():
            history.append(
                {
                    "model": record_id,
                    "version": version,
                    "field": name,
                    "old_value": change_text(old),
                    "new_value": change_text(new),
                    "changed_at": now,
                }
            )
    bulk_update(CatalogModel, updates)
    bulk_insert(ModelChange, history)


def bulk_update(table: type[Model], updates: dict[int, dict]) -> None:
    """Set fields of existing records (id -> field name -> value; the same fields for each).

    On PostgreSQL in three statements whatever the count: the new values go into a temporary
    table (``execute_values``) and one ``UPDATE … FROM`` rewrites exactly those records; on
    SQLite one ``UPDATE`` per record.
    """
    if not updates:
        return
    if not is_postgres():
        for record_id, values in updates.items():
            table.update(**values).where(table._meta.primary_key == record_id).execute()
        return
    names = list(next(iter(updates.values())))
    fields = [table._meta.fields[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    assignments = ", ".join(f'"{field.column_name}" = changed."{field.column_name}"' for field in fields)
    rows = [(record_id, *(field.db_value(values[field.name]) for field in fields))
            for record_id, values in updates.items()]
    name, key = table._meta.table_name, table._meta.primary_key.column_name
    # Table and column names come from our own model definitions, never from input; the temp
    # table takes the columns' own types, so values need no casts.
    with db.cursor() as cursor:
        cursor.execute(f'CREATE TEMP TABLE changed_rows AS SELECT "{key}", {columns} FROM "{name}" '  # noqa: S608  # nosec B608
                       "WITH NO DATA")
        execute_values(cursor, f'INSERT INTO changed_rows ("{key}", {columns}) VALUES %s', rows,  # noqa: S608  # nosec B608
                       page_size=BULK_PAGE_SIZE)
        cursor.execute(f'UPDATE "{name}" SET {assignments} FROM changed_rows AS changed '  # noqa: S608  # nosec B608
                       f'WHERE "{name}"."{key}" = changed."{key}"')
        cursor.execute("DROP TABLE changed_rows")


def apply_diff(
    diff: CatalogDiff,
    *,
    source: str,
    trigger: str,
    today: date | None = None,
    version: str | None = None,
    created_at: datetime | None = None,
) -> AppliedVersion | None:
    """Write ``diff`` as a new catalog version; None when there is nothing to write.

    ``version``/``created_at`` pin the new version's identity (applying a catalog file keeps the
    file's own); by default the next version after the current one is used.
    """
    if diff.is_empty:
        return None
    now = utcnow()
    with write_transaction():
        latest = current_version()
        base = latest.version if latest else None
        if base != diff.base_version:
            raise Conflict(
                f"the catalog changed since this diff was computed "
                f"(computed against {diff.base_version or 'an empty catalog'}, now {base})"
            )
        new_version = version or next_version(base, today or now.date())
        if not is_newer(new_version, base):
            raise Conflict(f"version {new_version} is not newer than the current {base}")
        rows = [*diff.new, *(c.after for c in diff.updated), *(c.after for c in diff.deprecated)]
        provider_ids = _provider_ids(rows)
        _insert_new(diff.new, provider_ids, now)
        _update_changed(diff, provider_ids, new_version, now)
        counts = diff.counts()
        CatalogVersion.create(
            version=new_version,
            source=source,
            trigger=trigger,
            created_at=created_at or now,
            rows_new=counts["new"],
            rows_updated=counts["updated"],
            rows_deprecated=counts["deprecated"],
            rows_total=CatalogModel.select().count(),
        )
        store_snapshot(new_version, source, created_at or now)
    _note_local_write()
    return AppliedVersion(new_version, diff.rows_changed, counts)
