"""``job_lock(name)``: one holder of a job's lock across every thread, process and instance.

PostgreSQL: a session-level advisory lock taken with ``pg_try_advisory_lock`` on a dedicated
connection opened for the purpose (never one of the pool's, which a request would hand back with
the lock still held). SQLite: ``fcntl.flock`` on a lock file next to the database. Either way the
operating system or the server releases the lock when its holder dies — a ``kill -9`` closes the
socket or the file — so a crashed run never blocks the next one. Taking the lock never waits: a
second caller gets ``AlreadyRunning`` (409) at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2

from backend.errors import AlreadyRunning
from backend.store.db import db, is_postgres

# TCP keepalives let the server notice a holder whose whole host vanished, not only its process.
_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (Python's ``hash`` differs between processes)."""
    digest = hashlib.sha256(f"model-catalog:job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_file_path(name: str) -> Path:
    database = str(db.obj.database)
    if database == ":memory:":
        return Path(tempfile.gettempdir()) / f"model-catalog-{os.getpid()}.job-{name}.lock"
    return Path(database).resolve().with_name(f"{Path(database).name}.job-{name}.lock")


@contextlib.contextmanager
def _postgres_lock(name: str) -> Iterator[bool]:
    connection = psycopg2.connect(
        dbname=db.obj.database, application_name=f"model-catalog job {name}",
        connect_timeout=10, **_KEEPALIVES, **db.obj.connect_params,
    )
    connection.autocommit = True
    key = advisory_key(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", (key,))
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", (key,))
    finally:
        connection.close()


@contextlib.contextmanager
def _file_lock(name: str) -> Iterator[bool]:
    path = lock_file_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def job_lock(name: str) -> Iterator[None]:
    """Hold ``name``'s lock for the block, or raise ``AlreadyRunning`` without waiting."""
    backend = _postgres_lock if is_postgres() else _file_lock
    with backend(name) as acquired:
        if not acquired:
            raise AlreadyRunning(f"{name} is already running; try again when it has finished")
        yield
