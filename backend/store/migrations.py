"""Schema migrations with peewee's ``playhouse.migrate``.

A fresh database gets every table at its current shape and is stamped with the latest migration
number. An existing database runs, in order, the migrations it has not seen. Each migration is a
function ``(migrator) -> None`` appended to ``MIGRATIONS`` and never edited after it ships.
Several instances starting at once are serialized by a lock, so each migration runs once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from peewee import IntegerField, Model
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator

from backend.store import ALL_TABLES
from backend.store.db import db, is_postgres, write_transaction

log = logging.getLogger(__name__)

Migration = Callable[[SchemaMigrator], None]

# (number, name, function). Append only.
MIGRATIONS: list[tuple[int, str, Migration]] = []


class SchemaVersion(Model):
    number = IntegerField()

    class Meta:
        database = db
        table_name = "schema_version"


def latest_migration() -> int:
    return max((number for number, _, _ in MIGRATIONS), default=0)


def migrate_database() -> int:
    """Bring the schema up to date; returns the schema version now in force."""
    with write_transaction():
        if not SchemaVersion.table_exists():
            db.create_tables([SchemaVersion, *ALL_TABLES], safe=True)
            SchemaVersion.create(number=latest_migration())
            log.info("created schema at version %d", latest_migration())
            return latest_migration()
        current = SchemaVersion.select(SchemaVersion.number).scalar() or 0
        # Tables added since the baseline come from the models' current shape.
        db.create_tables(ALL_TABLES, safe=True)
        migrator = PostgresqlMigrator(db) if is_postgres() else SqliteMigrator(db)
        for number, name, migration in MIGRATIONS:
            if number > current:
                log.info("applying migration %d: %s", number, name)
                migration(migrator)
                SchemaVersion.update(number=number).execute()
                current = number
        return current
