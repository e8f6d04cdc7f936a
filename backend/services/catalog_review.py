"""Reviewing catalog versions: settings, preview, apply, revert and the version list.

A candidate catalog (the bundled file, the verified pending remote feed, or an earlier
version's snapshot) is diffed against the database with the shared ``diff_catalog`` and shown
to the admin; the preview is stored with the base version it was computed against. Applying it
recomputes the same diff and hands it to ``apply_diff``, which writes every row or none and
refuses when the base version moved: so what lands is exactly what was reviewed, or nothing.
Provider Models are out of reach here by construction: nothing on this path imports them.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from backend.catalog.apply import apply_diff, change_text
from backend.catalog.bulk import building_objects
from backend.catalog.diff import CatalogDiff, RowChange, diff_catalog, diff_documents
from backend.catalog.document import parse_catalog_file, parse_row, read_catalog_documents
from backend.catalog.publish import publish_catalog
from backend.catalog.repository import (
    current_version,
    current_version_string,
    load_rows_by_key,
    load_stored_rows,
)
from backend.catalog.rows import PER_1M, PRICE_FIELDS, CatalogRow
from backend.catalog.snapshots import load_snapshot, snapshot_documents, snapshot_versions
from backend.catalog.versions import is_newer
from backend.config import Config
from backend.errors import Conflict, Invalid, NotFound
from backend.services.catalog_writes import catalog_paths
from backend.services.prerender import publish_prerendered
from backend.services.remote_feed import pending_feed, pending_feed_bytes
from backend.services.runs import finish_run, start_run
from backend.store.review_tables import CatalogPreview, RemoteFeedFetch
from backend.store.tables import CatalogVersion, Provider, SyncRun, utcnow

SOURCES = ("bundled", "remote", "revert")
PRICE_LABELS = {
    "pricing_prompt": "input per 1M",
    "pricing_completion": "output per 1M",
    "pricing_cache_read": "cache read per 1M",
    "pricing_cache_write": "cache write per 1M",
}


@dataclass(frozen=True)
class Candidate:
    """A catalog an admin may apply, and where it came from."""

    source: str
    version: str
    catalog_source: str
    generated_at: datetime
    documents: list
    sha256: str
    revert_to: str | None = None


@dataclass(frozen=True)
class Preview:
    record: CatalogPreview
    candidate: Candidate
    diff: CatalogDiff


@dataclass(frozen=True)
class ApplyResult:
    version: str | None
    rows_changed: int
    counts: dict[str, int]
    applied: bool


# --- candidates --------------------------------------------------------------------------------

def _candidate(source: str, data: bytes, revert_to: str | None = None) -> Candidate:
    catalog = read_catalog_documents(data)
    return Candidate(source, catalog.version, catalog.source, catalog.generated_at, catalog.models,
                     hashlib.sha256(data).hexdigest(), revert_to)


def bundled_bytes(config: Config) -> bytes:
    path = config.bundled_catalog_path
    if not path.exists():
        raise NotFound(f"no bundled catalog at {path.name}")
    return path.read_bytes()


def load_candidate(config: Config, source: str, revert_to: str | None = None) -> Candidate:
    if source == "bundled":
        return _candidate(source, bundled_bytes(config))
    if source == "remote":
        pending = pending_feed()
        if pending is None:
            raise NotFound("no verified remote feed is pending; fetch one first")
        return _candidate(source, pending_feed_bytes(pending))
    if revert_to is None:
        raise Invalid("a revert needs the version to go back to", errors={"version": ["required"]})
    data = load_snapshot(revert_to)
    if data is None:
        raise NotFound(f"version {revert_to} was never applied here (or kept no snapshot)")
    if revert_to == current_version_string():
        raise Invalid(f"version {revert_to} is the current version; there is nothing to revert")
    return _candidate(source, data, revert_to)


def _diff(candidate: Candidate, base: str | None) -> CatalogDiff:
    # The stored side is the base version's snapshot (exactly its rows, as documents), so the
    # candidate's rows are parsed only where they differ. Without a usable snapshot the rows are
    # loaded, read after the base: if a write lands in between, the apply sees a moved base.
    stored = snapshot_documents(base) if base is not None else None
    if stored is not None:
        return diff_documents(candidate.documents, stored.documents, inexact=stored.inexact,
                              base_version=base, today=utcnow().date(), parse=parse_row,
                              load_rows=load_rows_by_key)
    rows = [parse_row(document) for document in candidate.documents]
    return diff_catalog(rows, load_stored_rows(), base_version=base, today=utcnow().date(),
                        in_scope=lambda row: True)


# --- preview and apply -------------------------------------------------------------------------

def preview_catalog(config: Config, source: str, revert_to: str | None = None) -> Preview:
    """The diff a candidate would apply; stores only the preview record, never a catalog row."""
    with building_objects():
        candidate = load_candidate(config, source, revert_to)
        base = current_version_string()
        diff = _diff(candidate, base)
    record = CatalogPreview.create(
        id=str(uuid.uuid4()), source=source, candidate_version=candidate.version,
        candidate_sha256=candidate.sha256, base_version=base, revert_to=revert_to,
        counts=diff.counts(),
    )
    return Preview(record, candidate, diff)


def find_preview(preview_id: str | None, source: str | None, base_version: str | None,
                 revert_to: str | None) -> CatalogPreview:
    """The preview by id, or the latest one of ``source`` computed against ``base_version``."""
    if preview_id is not None:
        record = CatalogPreview.get_or_none(CatalogPreview.id == preview_id)
    else:
        record = (CatalogPreview.select()
                  .where((CatalogPreview.source == source)
                         & (CatalogPreview.base_version == base_version)
                         & (CatalogPreview.revert_to == revert_to if revert_to
                            else CatalogPreview.revert_to.is_null()))
                  .order_by(CatalogPreview.created_at.desc()).first())
    if record is None:
        raise NotFound("no such preview; preview the candidate first")
    return record


def apply_preview(config: Config, record: CatalogPreview, *, trigger: str = "api") -> ApplyResult:
    """Apply exactly what ``record`` previewed, in one transaction, or refuse with 409."""
    base = current_version_string()
    if base != record.base_version:
        raise Conflict(f"the catalog changed since this preview (previewed against "
                       f"{record.base_version or 'an empty catalog'}, now {base}); preview again")
    with building_objects():
        candidate = load_candidate(config, record.source, record.revert_to)
        if candidate.sha256 != record.candidate_sha256:
            raise Conflict(f"the {record.source} candidate changed since this preview; "
                           "preview again")
        diff = _diff(candidate, record.base_version)
    if diff.is_empty:
        return ApplyResult(base, 0, diff.counts(), applied=False)
    run = start_run("revert" if record.revert_to else "apply", trigger)
    try:
        applied = apply_diff(diff, trigger=trigger, **_version_identity(candidate))
    except Exception as error:
        finish_run(run, "failed", error=str(error), details=_run_details(config, record))
        raise
    publish_catalog(catalog_paths(config))
    publish_prerendered(config)
    finish_run(run, "success", diff=diff, version=applied.version,
               details=_run_details(config, record), models_fetched=len(candidate.documents),
               models_transformed=len(candidate.documents))
    return ApplyResult(applied.version, applied.rows_changed, applied.counts, applied=True)


def _version_identity(candidate: Candidate) -> dict:
    """A file or feed keeps its own version; a revert is the next version after the current."""
    if candidate.revert_to is not None:
        return {"source": f"revert to {candidate.revert_to}"}
    return {"source": candidate.catalog_source, "version": candidate.version,
            "created_at": candidate.generated_at}


def _run_details(config: Config, record: CatalogPreview) -> dict:
    origin = config.catalog_sync_url if record.source == "remote" else record.source
    return {"origin": origin, "preview_id": record.id, "revert_to": record.revert_to}


# --- settings and versions ---------------------------------------------------------------------

def _bundled_version(config: Config) -> tuple[str | None, str | None]:
    try:
        return parse_catalog_file(bundled_bytes(config)).version, None
    except (NotFound, Invalid) as error:
        return None, error.message


def _last_applied(latest: CatalogVersion | None) -> dict | None:
    if latest is None:
        return None
    run = (SyncRun.select().where(SyncRun.version == latest.version)
           .order_by(SyncRun.id.desc()).first())
    details = (run.details or {}) if run else {}
    return {
        "version": latest.version,
        "at": run.finished_at if run and run.finished_at else latest.created_at,
        "kind": run.kind if run else None,
        "trigger": run.trigger if run else latest.trigger,
        "origin": details.get("origin") or latest.source,
    }


def _fetch_summary(record: RemoteFeedFetch | None) -> dict | None:
    if record is None:
        return None
    return {"status": record.status, "reason": record.reason, "message": record.message,
            "version": record.version, "key_id": record.key_id, "expires_at": record.expires_at,
            "fetched_at": record.fetched_at, "trigger": record.trigger}


def catalog_settings(config: Config) -> dict:
    """The Settings card: what is applied, what is available, and where it comes from."""
    latest = current_version()
    current = latest.version if latest else None
    bundled, bundled_error = _bundled_version(config)
    pending = pending_feed() if config.enable_remote_catalog else None
    pending_version = pending.version if pending and pending.expires_at > utcnow() else None
    newer = [(name, version) for name, version in (("remote", pending_version),
                                                   ("bundled", bundled))
             if is_newer(version, current)]
    last_fetch = RemoteFeedFetch.select().order_by(RemoteFeedFetch.id.desc()).first()
    return {
        "current_version": current,
        "source": config.catalog_sync_url if config.enable_remote_catalog else "bundled",
        "remote_enabled": config.enable_remote_catalog,
        "bundled_version": bundled,
        "bundled_error": bundled_error,
        "newer_available": bool(newer),
        "newer_version": newer[0][1] if newer else None,
        "newer_source": newer[0][0] if newer else None,
        "last_applied": _last_applied(latest),
        "pending_remote": _fetch_summary(pending) if pending_version else None,
        "last_remote_fetch": _fetch_summary(last_fetch),
        "publishes_feed": config.catalog_signing_key is not None,
    }


def catalog_versions() -> list[dict]:
    """Every applied version, newest first, with whether it can be reverted to."""
    kept = snapshot_versions()
    records = list(CatalogVersion.select().order_by(CatalogVersion.id.desc()))
    current = records[0].version if records else None
    return [
        {
            "version": record.version, "source": record.source, "trigger": record.trigger,
            "created_at": record.created_at, "rows_new": record.rows_new,
            "rows_updated": record.rows_updated, "rows_deprecated": record.rows_deprecated,
            "rows_total": record.rows_total, "current": record.version == current,
            "revertable": record.version != current and record.version in kept,
        }
        for record in records
    ]


# --- presenting a diff -------------------------------------------------------------------------

def _display(name: str, value: object) -> str | None:
    if name in PRICE_FIELDS and value is not None:
        return change_text(value * PER_1M)
    return change_text(value)


def _entry(row: CatalogRow, kinds: dict[str, str]) -> dict:
    return {"name": f"{row.provider}/{row.model}", "provider": row.provider,
            "provider_kind": kinds.get(row.provider, row.provider), "model": row.model,
            "model_name": row.model_name}


def _change(change: RowChange, kinds: dict[str, str]) -> dict:
    return {
        **_entry(change.after, kinds),
        "changes": [
            {"field": name, "label": PRICE_LABELS.get(name, name.replace("_", " ")),
             "before": _display(name, before), "after": _display(name, after)}
            for name, (before, after) in change.fields.items()
        ],
    }


def present_preview(preview: Preview) -> dict:
    """The preview as the API and the console show it: named entries, exact values, counts."""
    kinds = {slug: kind for slug, kind in Provider.select(Provider.slug, Provider.kind).tuples()}
    diff = preview.diff
    return {
        "id": preview.record.id,
        "source": preview.record.source,
        "candidate_version": preview.candidate.version,
        "base_version": diff.base_version,
        "revert_to": preview.record.revert_to,
        "created_at": preview.record.created_at,
        "counts": diff.counts(),
        "rows_changed": diff.rows_changed,
        "new": [_entry(row, kinds) for row in diff.new],
        "updated": [_change(change, kinds) for change in diff.updated],
        "deprecated": [{**_entry(change.after, kinds),
                        "deprecated_on": change.after.deprecated_on} for change in diff.deprecated],
    }
