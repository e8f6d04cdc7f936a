"""Recording sync runs: every sync, refresh, upsert and apply leaves one ``sync_runs`` row."""

from __future__ import annotations

import uuid

from backend.catalog.diff import CatalogDiff
from backend.store.tables import SyncRun, utcnow


def start_run(kind: str, trigger: str, provider_slug: str | None = None) -> SyncRun:
    return SyncRun.create(
        run_id=str(uuid.uuid4()), kind=kind, trigger=trigger, provider_slug=provider_slug
    )


def finish_run(
    run: SyncRun,
    status: str,
    *,
    diff: CatalogDiff | None = None,
    version: str | None = None,
    error: str | None = None,
    details: dict | None = None,
    **counts: int,
) -> SyncRun:
    run.status = status
    run.finished_at = utcnow()
    run.version = version
    run.error = error
    run.details = details
    if diff is not None:
        run.rows_new = len(diff.new)
        run.rows_updated = len(diff.updated)
        run.rows_deprecated = len(diff.deprecated)
        run.rows_unchanged = diff.unchanged
    for name, value in counts.items():
        setattr(run, name, value)
    run.save()
    return run
