"""The back half of every pipeline: diff -> guard -> apply -> publish.

Refresh, provider sync, upsert and catalog apply all hand their candidate rows to
``write_catalog``, so they share one diff, one guard, one transaction and one publisher.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from backend.catalog.apply import AppliedVersion, apply_diff
from backend.catalog.bulk import building_objects
from backend.catalog.diff import CatalogDiff, Deprecate, default_deprecate, diff_catalog
from backend.catalog.files import CatalogPaths
from backend.catalog.guard import PASS, GuardVerdict, guard_diff
from backend.catalog.publish import publish_catalog
from backend.catalog.repository import current_version_string, load_stored_rows
from backend.catalog.rows import CatalogRow
from backend.config import Config
from backend.errors import Conflict
from backend.services.prerender import publish_prerendered
from backend.store.db import write_transaction
from backend.store.tables import utcnow

log = logging.getLogger(__name__)

CONFLICT_RETRIES = 3


@dataclass(frozen=True)
class WriteOutcome:
    diff: CatalogDiff
    verdict: GuardVerdict
    applied: AppliedVersion | None
    dry_run: bool = False

    @property
    def status(self) -> str:
        if self.dry_run:
            return "dry_run"
        if self.applied is not None:
            return "success"
        if self.verdict.held:
            return "held"
        return "noop"


def catalog_paths(config: Config) -> CatalogPaths:
    return CatalogPaths(config.catalog_path, config.catalog_mirror_path)


def write_catalog(
    candidate: Iterable[CatalogRow],
    *,
    config: Config,
    source: str,
    trigger: str,
    providers: Iterable[str] | None = None,
    in_scope: Callable[[CatalogRow], bool] = lambda row: False,
    deprecate: Deprecate = default_deprecate,
    fetched: int | None = None,
    dry_run: bool = False,
    force: bool = False,
    version: str | None = None,
    created_at: datetime | None = None,
    today: date | None = None,
) -> WriteOutcome:
    """Diff ``candidate`` against the stored catalog and, unless held or dry, apply and publish.

    ``providers`` limits which stored rows are loaded (None: all); ``in_scope`` says which of them
    the candidate speaks for (absent ones are deprecated). With ``fetched`` given, the guard holds
    back an empty fetch or a mass deprecation unless ``force``.
    """
    # Diffing, applying and rendering a large catalog builds many objects at once.
    with building_objects():
        rows = list(candidate)
        provider_set = None if providers is None else sorted(set(providers))
        for attempt in range(CONFLICT_RETRIES):
            # The last attempt diffs under the catalog write lock, so nothing can move its base: a
            # writer that keeps losing the race to others still lands instead of answering 409.
            locked = attempt == CONFLICT_RETRIES - 1
            with write_transaction() if locked else contextlib.nullcontext():
                base = current_version_string()
                stored = load_stored_rows(provider_set)
                diff = diff_catalog(
                    rows, stored, base_version=base, today=today or utcnow().date(),
                    in_scope=in_scope, deprecate=deprecate,
                )
                verdict = PASS
                if fetched is not None:
                    verdict = guard_diff(
                        diff, fetched=fetched, max_deprecate_ratio=config.sync_max_deprecate_ratio
                    )
                if dry_run or diff.is_empty or (verdict.held and not force):
                    return WriteOutcome(diff, verdict, None, dry_run=dry_run)
                try:
                    applied = apply_diff(
                        diff, source=source, trigger=trigger, today=today, version=version,
                        created_at=created_at,
                    )
                except Conflict:
                    if version is not None:
                        raise
                    log.info("catalog changed while diffing; recomputing")
                    continue
            # Published after the commit, so the files never run ahead of the database.
            publish_catalog(catalog_paths(config))
            publish_prerendered(config)
            return WriteOutcome(diff, verdict, applied)
        raise Conflict("the catalog kept changing during this write; try again")
