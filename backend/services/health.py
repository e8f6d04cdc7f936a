"""What health checks and metrics report, read from the database at the moment they are asked.

Figures come from the tables, not from process memory, so every replica reports the same thing
and a count survives restarts: sync runs from ``sync_runs``, the catalog from ``catalog_versions``
and ``models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import SQL, PeeweeException, fn

from backend.catalog.repository import current_version
from backend.store.db import db
from backend.store.tables import CatalogModel, SyncRun

# Runs that compare the catalog with upstream: a successful one proves it current.
FRESHNESS_KINDS = ("refresh", "sync")


@dataclass(frozen=True)
class CatalogStatus:
    version: str | None
    applied_at: datetime | None  # naive UTC
    # The catalog was last known current then: its version applied, or a refresh/sync that found
    # nothing to change. Staleness alerts are on the age of this.
    confirmed_at: datetime | None
    rows_active: int
    rows_deprecated: int


@dataclass(frozen=True)
class SyncRunCount:
    kind: str
    provider: str
    status: str
    count: int
    last_finished_at: datetime | None  # naive UTC


def database_error() -> str | None:
    """None when a trivial query succeeds; otherwise the error's class name (no DSN, no secrets)."""
    try:
        db.execute_sql("SELECT 1").fetchone()
    except (PeeweeException, OSError) as error:
        return type(error).__name__
    return None


def catalog_status() -> CatalogStatus:
    latest = current_version()
    counts = dict(
        CatalogModel.select(CatalogModel.is_active, fn.COUNT(CatalogModel.id))
        .group_by(CatalogModel.is_active).tuples()
    )
    applied_at = latest.created_at if latest else None
    checked_at = (SyncRun.select(fn.MAX(SyncRun.finished_at))
                  .where(SyncRun.kind.in_(FRESHNESS_KINDS) & SyncRun.status.in_(("success", "noop")))
                  .scalar())
    return CatalogStatus(
        version=latest.version if latest else None,
        applied_at=applied_at,
        confirmed_at=max((t for t in (applied_at, checked_at) if t is not None), default=None),
        rows_active=counts.get(True, 0),
        rows_deprecated=counts.get(False, 0),
    )


def sync_run_counts() -> list[SyncRunCount]:
    """Runs grouped by kind, provider ("" for all-provider runs) and final status."""
    provider = fn.COALESCE(SyncRun.provider_slug, "")
    query = (SyncRun.select(SyncRun.kind, provider.alias("provider"), SyncRun.status,
                            fn.COUNT(SyncRun.id), fn.MAX(SyncRun.finished_at))
             .group_by(SyncRun.kind, SQL("2"), SyncRun.status).tuples())
    return [SyncRunCount(kind, slug, status, count, last) for kind, slug, status, count, last in query]
