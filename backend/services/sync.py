"""Provider sync (seed 004): fetch -> transform -> ``write_catalog`` -> record the run.

``sync_provider`` syncs one provider through its adapter and the shared diff/guard/apply; every
attempt leaves one ``sync_runs`` row, and an upstream failure ends as a failed run and a
``SyncReport`` carrying the error — never a partial write. ``sync_providers`` does several and
carries on past one provider's failure. ``sync_provider_listing`` and ``sync_status`` are the
read side of the admin API.

Conditional GET: a run that left the catalog equal to the upstream list (success or no-op) keeps
the list's ETag and a fingerprint of the provider's stored rows. The next run sends
``If-None-Match`` only while those rows are still exactly what that run left, so a 304 can be
trusted to mean "nothing to do". Dry runs and forced runs always fetch the full list.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from peewee import fn

from backend.catalog.apply import change_text
from backend.catalog.bulk import building_objects
from backend.catalog.diff import CatalogDiff
from backend.catalog.document import encode_json
from backend.catalog.repository import current_version, load_stored_rows
from backend.catalog.rows import CatalogRow, row_to_document
from backend.config import Config
from backend.crypto.credentials import stored_credential
from backend.crypto.keyring import load_keyring
from backend.errors import CatalogError, Conflict, Invalid, NotFound, UpstreamError
from backend.logs import run_logger
from backend.services.catalog_writes import WriteOutcome, write_catalog
from backend.services.runs import finish_run, start_run
from backend.sources.base import Endpoint, Fetched, ProviderAdapter, TransformContext, Transformed
from backend.sources.http import HttpSettings, UpstreamClient
from backend.sources.registry import adapter_for, sync_unsupported_reason
from backend.store.tables import CatalogModel, Provider, SyncRun, utcnow

log = logging.getLogger(__name__)

SYNC_KIND = "sync"
TRUSTED_STATUSES = ("success", "noop")
# A diff kept in a run's details lists at most this many rows per section.
DIFF_DETAIL_LIMIT = 1000


@dataclass(frozen=True)
class SyncReport:
    """How one provider's sync ended: seed 004's counts plus the diff and the run."""

    provider: str
    provider_id: int | None
    status: str  # success | noop | dry_run | held | failed | skipped
    message: str
    run_id: str | None = None
    models_fetched: int = 0
    models_transformed: int = 0
    skipped: int = 0
    diff: CatalogDiff | None = None
    version: str | None = None
    error: str | None = None
    error_status: int | None = None
    not_modified: bool = False
    dry_run: bool = False
    forced: bool = False

    @property
    def success(self) -> bool:
        return self.status in ("success", "noop", "dry_run")

    @property
    def held(self) -> bool:
        return self.status == "held"

    @property
    def models_synced(self) -> int:
        """Rows that now mirror the upstream list (0 when nothing was written)."""
        if self.status not in TRUSTED_STATUSES or self.diff is None:
            return 0
        return len(self.diff.new) + len(self.diff.updated) + self.diff.unchanged

    def counts(self) -> dict[str, int]:
        return self.diff.counts() if self.diff else {
            "new": 0, "updated": 0, "deprecated": 0, "unchanged": 0}


@dataclass(frozen=True)
class SyncRequest:
    trigger: str = "api"
    dry_run: bool = False
    force: bool = False


# --- provider resolution ---------------------------------------------------------------------

def provider_credential(provider: Provider, config: Config) -> str | None:
    """The provider's API key: ``<SLUG>_API_KEY``, else its stored (decrypted) credential, else
    the variable its row names."""
    override = config.provider_override(provider.slug, "API_KEY")
    if override:
        return override
    if provider.credential_ciphertext is not None:
        return stored_credential(provider, load_keyring(config))
    if provider.api_key_env:
        return config.environ.get(provider.api_key_env, "").strip() or None
    return None


def provider_base_url(provider: Provider, config: Config) -> str | None:
    return config.provider_override(provider.slug, "BASE_URL") or provider.base_url


def find_provider(slug: str) -> Provider:
    provider = Provider.get_or_none(Provider.slug == slug)
    if provider is None:
        raise NotFound(f"unknown provider {slug!r}; see GET /admin/model-sync/providers")
    return provider


def key_hint(provider: Provider) -> str:
    names = [f"{provider.slug.upper().replace('-', '_')}_API_KEY"]
    if provider.api_key_env and provider.api_key_env not in names:
        names.append(provider.api_key_env)
    return " or ".join(names)


def sync_target(provider: Provider, config: Config) -> tuple[ProviderAdapter, Endpoint]:
    """The adapter and endpoint for ``provider``, or the domain error saying why it can't sync."""
    if provider.status == "disabled":
        raise Conflict(f"provider {provider.slug!r} is disabled")
    reason = sync_unsupported_reason(provider.slug, provider.kind)
    if reason is not None:
        raise Invalid(f"provider {provider.slug!r} is catalog-only: {reason}")
    adapter = adapter_for(provider.kind)
    base_url = provider_base_url(provider, config)
    if not base_url:
        raise Invalid(f"provider {provider.slug!r} has no base URL; set "
                      f"{provider.slug.upper().replace('-', '_')}_BASE_URL")
    api_key = provider_credential(provider, config)
    if adapter.requires_key and not api_key:
        raise Invalid(f"provider {provider.slug!r} has no API key; set {key_hint(provider)}")
    return adapter, Endpoint(provider.slug, base_url, api_key)


# --- conditional GET bookkeeping ---------------------------------------------------------------

def rows_fingerprint(slug: str) -> str:
    rows = sorted(load_stored_rows([slug]).values(), key=lambda row: row.key)
    return hashlib.sha256(encode_json([row_to_document(row) for row in rows])).hexdigest()


def trusted_etag(slug: str, url: str) -> str | None:
    """The ETag of the last list this catalog still mirrors exactly, if any."""
    run = (SyncRun.select().where((SyncRun.kind == SYNC_KIND) & (SyncRun.provider_slug == slug)
                                  & SyncRun.status.in_(TRUSTED_STATUSES))
           .order_by(SyncRun.id.desc()).first())
    conditional = (run.details or {}).get("conditional") if run else None
    if not conditional or conditional.get("url") != url:
        return None
    if conditional.get("rows_fingerprint") != rows_fingerprint(slug):
        return None
    return conditional.get("etag")


# --- the diff as data ------------------------------------------------------------------------

def new_row_summary(row: CatalogRow) -> dict:
    return {
        "provider": row.provider, "model": row.model, "model_name": row.model_name,
        "family": row.family, "pricing_prompt": change_text(row.pricing_prompt),
        "pricing_completion": change_text(row.pricing_completion),
        "context_length": row.context_length,
    }


def diff_document(diff: CatalogDiff, limit: int | None = None) -> dict:
    """The diff as JSON-safe data: values as the exact text ``model_changes`` records."""
    return {
        "new": [new_row_summary(row) for row in diff.new[:limit]],
        "updated": [
            {"provider": change.after.provider, "model": change.after.model,
             "fields": {name: {"before": change_text(old), "after": change_text(new)}
                        for name, (old, new) in change.fields.items()}}
            for change in diff.updated[:limit]
        ],
        "deprecated": [
            {"provider": change.after.provider, "model": change.after.model,
             "deprecated_on": change_text(change.after.deprecated_on)}
            for change in diff.deprecated[:limit]
        ],
        "duplicates": [f"{provider}/{model}" for provider, model in diff.duplicates],
    }


# --- one provider ------------------------------------------------------------------------------

def _message(slug: str, status: str, report_counts: dict, *, fetched: int, transformed: int,
             skipped: int, synced: int, reason: str | None) -> str:
    changes = (f"new {report_counts['new']}, updated {report_counts['updated']}, "
               f"deprecated {report_counts['deprecated']}, unchanged {report_counts['unchanged']}")
    tally = f"Fetched: {fetched}, Transformed: {transformed}, Skipped: {skipped}"
    if status == "dry_run":
        return f"Dry run for {slug}: nothing written. {tally}. Would apply: {changes}"
    if status == "held":
        return f"Held back {slug}: {reason}. {tally}. Would apply: {changes}"
    if status == "noop":
        return f"No changes from {slug}. {tally}"
    return f"Synced {synced} models from {slug}. {tally}. Changes: {changes}"


def _fetch_and_transform(adapter: ProviderAdapter, endpoint: Endpoint, provider: Provider,
                         request: SyncRequest, settings: HttpSettings) -> tuple[Fetched, Transformed]:
    url = adapter.list_url(endpoint)
    etag = None if request.dry_run or request.force else trusted_etag(provider.slug, url)
    with UpstreamClient(settings) as client:
        fetched = adapter.fetch(client, endpoint, etag=etag)
    if fetched.not_modified:
        return fetched, Transformed((), 0, 0)
    transformed = transform_pages(provider, adapter, fetched.pages, endpoint.base_url)
    # The decoded pages are the largest thing a sync holds (≈ 1 GB for 100k entries): let them
    # go before the stored catalog is loaded for the diff.
    return replace(fetched, pages=()), transformed


def transform_pages(provider: Provider, adapter: ProviderAdapter, pages: Iterable[object],
                    fallback_base_url: str | None = None) -> Transformed:
    """The adapter's pure transform, with rows carrying the provider's own base URL."""
    context = TransformContext(provider.slug, provider.base_url or fallback_base_url,
                               f"sync:{provider.slug}")
    with building_objects():
        return adapter.transform(pages, context)


def sync_from_payloads(config: Config, slug: str, pages: Iterable[object], *, trigger: str,
                       **write_options) -> WriteOutcome:
    """Sync ``slug`` from already-fetched pages (recorded payloads): transform, then the shared
    write. ``write_options`` pass through to ``write_catalog`` (``today``, ``created_at``…)."""
    provider = find_provider(slug)
    adapter = adapter_for(provider.kind)
    if adapter is None:
        raise Invalid(f"provider {slug!r} has no sync adapter")
    transformed = transform_pages(provider, adapter, pages)
    return write_catalog(
        transformed.rows, config=config, source=f"sync:{slug}", trigger=trigger,
        providers=[slug], in_scope=lambda row: row.provider == slug,
        fetched=len(transformed.rows), **write_options,
    )


def _record(run: SyncRun, provider: Provider, fetched: Fetched, transformed: Transformed,
            outcome: WriteOutcome) -> None:
    status = outcome.status
    details: dict = {"skipped": transformed.skipped}
    if status in ("dry_run", "held"):
        details["diff"] = diff_document(outcome.diff, DIFF_DETAIL_LIMIT)
    elif outcome.diff.duplicates:
        details["duplicates"] = diff_document(outcome.diff, 0)["duplicates"]
    if status in TRUSTED_STATUSES and fetched.etag:
        details["conditional"] = {"url": fetched.url, "etag": fetched.etag,
                                  "rows_fingerprint": rows_fingerprint(provider.slug)}
    finish_run(
        run, status, diff=outcome.diff,
        version=outcome.applied.version if outcome.applied else None,
        error=outcome.verdict.reason if status == "held" else None,
        details=details, models_fetched=transformed.fetched,
        models_transformed=len(transformed.rows),
    )


def _run_sync(config: Config, provider: Provider, adapter: ProviderAdapter, endpoint: Endpoint,
              request: SyncRequest, run: SyncRun) -> SyncReport:
    settings = HttpSettings.from_config(config)
    fetched, transformed = _fetch_and_transform(adapter, endpoint, provider, request, settings)
    common = {"provider": provider.slug, "provider_id": provider.id, "run_id": run.run_id,
              "dry_run": request.dry_run, "forced": request.force}
    if fetched.not_modified:
        previous = trusted_etag(provider.slug, fetched.url)
        finish_run(run, "noop", details={"not_modified": True, "conditional": {
            "url": fetched.url, "etag": previous, "rows_fingerprint": rows_fingerprint(provider.slug)}})
        return SyncReport(**common, status="noop", not_modified=True,
                          message=f"No changes from {provider.slug}: the model list is not modified "
                                  f"since the last sync (HTTP 304)")
    outcome = write_catalog(
        transformed.rows, config=config, source=f"sync:{provider.slug}", trigger=request.trigger,
        providers=[provider.slug], in_scope=lambda row: row.provider == provider.slug,
        fetched=len(transformed.rows), dry_run=request.dry_run, force=request.force,
    )
    _record(run, provider, fetched, transformed, outcome)
    run_logger(log, run.run_id, provider=provider.slug, status=outcome.status,
               fetched=transformed.fetched, **outcome.diff.counts()).info("sync finished")
    report = SyncReport(
        **common, status=outcome.status, message="", models_fetched=transformed.fetched,
        models_transformed=len(transformed.rows), skipped=transformed.skipped, diff=outcome.diff,
        version=outcome.applied.version if outcome.applied else None,
        error=outcome.verdict.reason if outcome.status == "held" else None,
    )
    message = _message(provider.slug, report.status, report.counts(),
                       fetched=report.models_fetched, transformed=report.models_transformed,
                       skipped=report.skipped, synced=report.models_synced, reason=report.error)
    return replace(report, message=message)


def sync_provider(config: Config, slug: str, request: SyncRequest | None = None) -> SyncReport:
    """Sync one provider. Unknown, disabled or unconfigured providers raise; upstream failures
    come back as a failed ``SyncReport`` with the run recorded."""
    request = request or SyncRequest()
    provider = find_provider(slug)
    adapter, endpoint = sync_target(provider, config)
    run = start_run(SYNC_KIND, request.trigger, provider.slug)
    try:
        return _run_sync(config, provider, adapter, endpoint, request, run)
    except CatalogError as exc:
        finish_run(run, "failed", error=exc.message)
        run_logger(log, run.run_id, provider=provider.slug).warning("sync failed: %s", exc.message)
        status = 502 if isinstance(exc, UpstreamError) else exc.http_status
        return SyncReport(provider.slug, provider.id, "failed", f"Sync of {provider.slug} failed: "
                          f"{exc.message}", run_id=run.run_id, error=exc.message,
                          error_status=status, dry_run=request.dry_run, forced=request.force)
    except Exception as exc:
        finish_run(run, "failed", error=f"internal error ({exc.__class__.__name__})")
        raise


# --- several providers -------------------------------------------------------------------------

def syncable_slugs(config: Config) -> tuple[list[str], list[SyncReport]]:
    """Every provider ``/all`` syncs, and a skipped report for each one it leaves out."""
    chosen, skipped = [], []
    for provider in Provider.select().order_by(Provider.slug):
        try:
            sync_target(provider, config)
        except CatalogError as exc:
            skipped.append(SyncReport(provider.slug, provider.id, "skipped",
                                      f"Skipped {provider.slug}: {exc.message}"))
            continue
        chosen.append(provider.slug)
    return chosen, skipped


def sync_providers(config: Config, slugs: Iterable[str] | None, request: SyncRequest | None = None,
                   *, on_report=None) -> list[SyncReport]:
    """Sync ``slugs`` in order (None: every enabled, configured, syncable provider).

    One provider's failure is reported and the rest carry on. ``on_report`` is called with each
    report as it completes (the CLI prints progress with it).
    """
    request = request or SyncRequest()
    skipped: list[SyncReport] = []
    if slugs is None:
        slugs, skipped = syncable_slugs(config)
    reports = []
    for slug in slugs:
        try:
            report = sync_provider(config, slug, request)
        except CatalogError as exc:
            report = SyncReport(slug, None, "failed", f"Sync of {slug} failed: {exc.message}",
                                error=exc.message, error_status=exc.http_status)
        reports.append(report)
        if on_report:
            on_report(report)
    return reports + skipped


# --- read side -------------------------------------------------------------------------------

def sync_provider_listing(config: Config) -> list[dict]:
    """Every provider: kind, effective base URL, whether a key is present, catalog-only reason."""
    listing = []
    for provider in Provider.select().order_by(Provider.slug):
        reason = sync_unsupported_reason(provider.slug, provider.kind)
        adapter = None if reason else adapter_for(provider.kind)
        has_key = provider_credential(provider, config) is not None
        listing.append({
            "provider_id": provider.id, "slug": provider.slug, "name": provider.name,
            "kind": provider.kind, "status": provider.status,
            "base_url": provider_base_url(provider, config),
            "base_url_overridden": config.provider_override(provider.slug, "BASE_URL") is not None,
            "api_key_env": provider.api_key_env, "has_credential": has_key,
            "configured": adapter is not None and (has_key or not adapter.requires_key),
            "sync_supported": adapter is not None,
            "wire_format": adapter.wire_format if adapter else None,
            "catalog_only_reason": reason,
        })
    return listing


def _row_totals() -> dict[int, dict[str, int]]:
    query = (CatalogModel.select(CatalogModel.provider, CatalogModel.is_active,
                                 fn.COUNT(CatalogModel.id).alias("n"))
             .group_by(CatalogModel.provider, CatalogModel.is_active).tuples())
    totals: dict[int, dict[str, int]] = {}
    for provider_id, active, count in query:
        slot = totals.setdefault(provider_id, {"active": 0, "deprecated": 0})
        slot["active" if active else "deprecated"] += count
    return totals


def _last_runs() -> dict[str, SyncRun]:
    latest = (SyncRun.select(fn.MAX(SyncRun.id)).where(SyncRun.kind == SYNC_KIND)
              .group_by(SyncRun.provider_slug))
    return {run.provider_slug: run for run in SyncRun.select().where(SyncRun.id.in_(latest))}


def run_summary(run: SyncRun) -> dict:
    return {
        "run_id": run.run_id, "status": run.status, "trigger": run.trigger,
        "started_at": run.started_at, "finished_at": run.finished_at, "error": run.error,
        "models_fetched": run.models_fetched, "models_transformed": run.models_transformed,
        "new": run.rows_new, "updated": run.rows_updated, "deprecated": run.rows_deprecated,
        "unchanged": run.rows_unchanged, "version": run.version,
    }


def sync_status() -> dict:
    """The catalog's version and age, and per provider its last sync and row totals."""
    latest = current_version()
    totals, runs = _row_totals(), _last_runs()
    providers = []
    for provider in Provider.select().order_by(Provider.slug):
        counts = totals.get(provider.id, {"active": 0, "deprecated": 0})
        run = runs.get(provider.slug)
        providers.append({
            "provider": provider.slug, "provider_id": provider.id, "status": provider.status,
            "active_models": counts["active"], "deprecated_models": counts["deprecated"],
            "last_run": run_summary(run) if run else None,
        })
    age = int((utcnow() - latest.created_at).total_seconds()) if latest else None
    return {
        "catalog_version": latest.version if latest else None,
        "catalog_updated_at": latest.created_at if latest else None,
        "catalog_age_seconds": age,
        "providers": providers,
    }
