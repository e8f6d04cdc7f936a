"""The database handle: a late-bound proxy, opened from DATABASE_URL.

SQLite (the embedded default) and PostgreSQL (production) are reached through the same peewee
``DatabaseProxy``. Exact decimals are stored as TEXT on SQLite (whose NUMERIC affinity would turn
them into floats) and as unconstrained NUMERIC on PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from peewee import Database, DatabaseProxy, SqliteDatabase
from playhouse.db_url import parse as parse_db_url
from playhouse.pool import PooledPostgresqlDatabase

db = DatabaseProxy()

# A fixed key for the transaction-scoped advisory lock that serializes catalog writers on
# PostgreSQL (SQLite serializes them with BEGIN IMMEDIATE).
CATALOG_WRITE_LOCK_KEY = 0x4D43_0001

SQLITE_FIELD_TYPES = {"PRICE": "TEXT"}
POSTGRES_FIELD_TYPES = {"PRICE": "NUMERIC"}


def open_database(url: str, *, max_connections: int = 8) -> Database:
    """Build (but do not connect) the database that ``url`` names."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(
            str(path),
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": 30_000,
                "synchronous": "normal",
            },
            timeout=30,
            field_types=SQLITE_FIELD_TYPES,
        )
    params = parse_db_url(url.replace("postgres://", "postgresql://", 1))
    params.pop("engine", None)
    return PooledPostgresqlDatabase(
        params.pop("database"),
        max_connections=max_connections,
        stale_timeout=300,
        timeout=30,
        field_types=POSTGRES_FIELD_TYPES,
        **params,
    )


def bind_database(url: str) -> Database:
    database = open_database(url)
    db.initialize(database)
    return database


def is_postgres() -> bool:
    return isinstance(db.obj, PooledPostgresqlDatabase)


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """A transaction that serializes catalog writers across processes.

    SQLite takes the write lock up front (no lock upgrade, so no SQLITE_BUSY deadlock);
    PostgreSQL takes a transaction-scoped advisory lock released at commit or rollback.
    """
    if is_postgres():
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CATALOG_WRITE_LOCK_KEY,))
            yield
    else:
        with db.atomic(lock_type="IMMEDIATE"):
            yield


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """A transaction whose reads all see one committed state (e.g. a version and its rows).

    SQLite in WAL mode pins a deferred transaction's snapshot at its first read; PostgreSQL needs
    REPEATABLE READ for that (READ COMMITTED takes a new snapshot for every statement).
    """
    outermost = db.transaction_depth() == 0
    with db.atomic():
        if outermost and is_postgres():
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
