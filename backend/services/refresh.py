"""Seed 003's daily refresh: the managed providers' GEN rows, from the OpenRouter models feed.

Rules (DESIGN.md §5):
- managed providers are ``openai, anthropic, google, cohere, mistral, deepseek, xai``, found in
  the feed under the prefixes of ``MANAGED_PREFIXES``; only text-output models count; ids with a
  ``:variant`` suffix and ``~`` alias slugs are ignored, dated ids are models of their own;
- only GEN rows of managed providers are in scope: their EMB/RERANK rows and every unmanaged
  provider are never read for change, never written;
- an existing row is updated in place in the fields the feed owns (pricing, context, base URL,
  components, unit); its name, notes and other metadata stay the operator's;
- a row the feed no longer lists stays, deprecated, with ``[auto-refresh] deprecated_on=DATE``
  in its notes; if it reappears it is active again and the marker goes;
- a new model is added even without a price: null prices, ``pricing_unknown`` and
  ``[auto-refresh] pricing_unknown=true`` in its notes.

The write goes through ``write_catalog`` (one transaction, a new version, both files published
atomically; a run that changes nothing writes nothing) and leaves one ``sync_runs`` row.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from backend.catalog.diff import CatalogDiff
from backend.catalog.repository import load_stored_rows
from backend.catalog.rows import CatalogRow, RowKey
from backend.config import Config
from backend.logs import run_logger
from backend.services.catalog_writes import write_catalog
from backend.services.runs import finish_run, start_run
from backend.sources.http import HttpSettings, UpstreamClient, safe_url
from backend.sources.openrouter import (
    OpenRouterModel,
    entry_to_row,
    fetch_models_payload,
    parse_models_payload,
)
from backend.sources.registry import provider_spec
from backend.store.tables import Provider

log = logging.getLogger(__name__)

# OpenRouter id prefix -> our provider slug.
MANAGED_PREFIXES = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google": "google",
    "cohere": "cohere",
    "mistralai": "mistral",
    "deepseek": "deepseek",
    "x-ai": "xai",
}
MANAGED_PROVIDERS = tuple(MANAGED_PREFIXES.values())
REFRESH_UNIT = "1m_tokens"
ROW_SOURCE = "openrouter"
MARKER = "[auto-refresh]"
_MARKER_PATTERN = re.compile(r"(?:; )?\[auto-refresh\] [a-z_]+=[^\s;]+")


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did (or, dry, would do)."""

    run_id: str
    status: str  # success | noop | held | dry_run
    feed: str
    diff: CatalogDiff
    version: str | None
    held_reason: str | None
    models_fetched: int
    models_managed: int


def is_managed_gen(row: CatalogRow) -> bool:
    """The rows the refresh owns."""
    return row.provider in MANAGED_PROVIDERS and "GEN" in row.components


def managed_slug(entry: OpenRouterModel) -> str | None:
    """Our provider slug for a feed entry the refresh takes, else None."""
    if entry.is_variant or entry.is_alias or not entry.outputs_text:
        return None
    return MANAGED_PREFIXES.get(entry.vendor)


def strip_markers(notes: str) -> str:
    """``notes`` without the refresh's own ``[auto-refresh] key=value`` markers."""
    return _MARKER_PATTERN.sub("", notes).removeprefix("; ")


def annotate(notes: str, *, pricing_unknown: bool, deprecated_on: date | None) -> str:
    """The operator's notes followed by the markers that hold for the row now."""
    markers = []
    if pricing_unknown:
        markers.append(f"{MARKER} pricing_unknown=true")
    if deprecated_on is not None:
        markers.append(f"{MARKER} deprecated_on={deprecated_on.isoformat()}")
    kept = strip_markers(notes)
    return "; ".join(([kept] if kept else []) + markers)


def deprecate_refreshed(row: CatalogRow, today: date) -> CatalogRow:
    return replace(
        row,
        deprecated_on=today,
        notes=annotate(row.notes, pricing_unknown=row.pricing_unknown, deprecated_on=today),
    )


def refreshed_row(fresh: CatalogRow, existing: CatalogRow | None) -> CatalogRow:
    """``fresh`` (from the feed) as a new row, or folded into ``existing`` in place."""
    base = fresh if existing is None else replace(
        existing,
        family="gen",
        components=fresh.components,
        unit=fresh.unit,
        pricing_prompt=fresh.pricing_prompt,
        pricing_completion=fresh.pricing_completion,
        pricing_cache_read=fresh.pricing_cache_read,
        pricing_cache_write=fresh.pricing_cache_write,
        pricing_unknown=fresh.pricing_unknown,
        context_length=fresh.context_length,
        base_url=fresh.base_url,
    )
    notes = annotate(base.notes, pricing_unknown=base.pricing_unknown, deprecated_on=None)
    return replace(base, deprecated_on=None, notes=notes)


def provider_base_urls(slugs: Iterable[str]) -> dict[str, str | None]:
    """Each provider's base URL: its ``providers`` row, else the registry default."""
    slugs = list(slugs)
    stored = {p.slug: p.base_url for p in Provider.select().where(Provider.slug.in_(slugs))}
    return {
        slug: stored.get(slug) or (spec.base_url if (spec := provider_spec(slug)) else None)
        for slug in slugs
    }


def refresh_candidates(
    entries: Iterable[OpenRouterModel],
    stored: dict[RowKey, CatalogRow],
    base_urls: dict[str, str | None],
) -> list[CatalogRow]:
    """The managed GEN rows the feed describes, merged with what is stored.

    A key already held by a managed provider's EMB/RERANK row is left to that row.
    """
    candidates = []
    for entry in entries:
        slug = managed_slug(entry)
        if slug is None:
            continue
        fresh = replace(
            entry_to_row(entry, provider=slug, model=entry.vendor_model_id,
                         base_url=base_urls.get(slug), source=ROW_SOURCE),
            unit=REFRESH_UNIT,
        )
        existing = stored.get(fresh.key)
        if existing is not None and not is_managed_gen(existing):
            continue
        candidates.append(refreshed_row(fresh, existing))
    return candidates


def _refresh(
    config: Config,
    load_payload: Callable[[], object],
    *,
    feed: str,
    trigger: str,
    dry_run: bool,
    force: bool,
    today: date | None,
    created_at: datetime | None,
) -> RefreshResult:
    run = start_run("refresh", trigger)
    try:
        entries = parse_models_payload(load_payload())
        stored = load_stored_rows(MANAGED_PROVIDERS)
        candidates = refresh_candidates(entries, stored, provider_base_urls(MANAGED_PROVIDERS))
        outcome = write_catalog(
            candidates, config=config, source=feed, trigger=trigger,
            providers=MANAGED_PROVIDERS, in_scope=is_managed_gen, deprecate=deprecate_refreshed,
            fetched=len(candidates), dry_run=dry_run, force=force, today=today,
            created_at=created_at,
        )
    except Exception as exc:
        error = getattr(exc, "message", None) or str(exc)
        finish_run(run, "failed", error=error, details={"feed": feed})
        run_logger(log, run.run_id, feed=feed).warning("refresh failed: %s", error)
        raise
    version = outcome.applied.version if outcome.applied else None
    run_logger(log, run.run_id, status=outcome.status, version=version,
               **outcome.diff.counts()).info("refresh finished")
    finish_run(run, outcome.status, diff=outcome.diff, version=version,
               details={"feed": feed, "held_reason": outcome.verdict.reason},
               models_fetched=len(entries), models_transformed=len(candidates))
    return RefreshResult(
        run_id=run.run_id, status=outcome.status, feed=feed, diff=outcome.diff, version=version,
        held_reason=outcome.verdict.reason, models_fetched=len(entries),
        models_managed=len(candidates),
    )


def refresh_catalog(
    config: Config,
    *,
    trigger: str,
    feed_url: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    today: date | None = None,
    created_at: datetime | None = None,
) -> RefreshResult:
    """Fetch the OpenRouter feed (``feed_url`` or ``OPENROUTER_MODELS_URL``) and refresh.

    Raises ``UpstreamError`` when the feed cannot be fetched or is malformed (nothing written).
    """
    url = feed_url or config.openrouter_models_url

    def fetch() -> object:
        with UpstreamClient(HttpSettings.from_config(config)) as client:
            return fetch_models_payload(client, url)

    return _refresh(
        config, fetch, feed=safe_url(url), trigger=trigger, dry_run=dry_run, force=force,
        today=today, created_at=created_at,
    )


def refresh_from_payload(
    config: Config,
    payload: object,
    *,
    feed: str,
    trigger: str,
    dry_run: bool = False,
    force: bool = False,
    today: date | None = None,
    created_at: datetime | None = None,
) -> RefreshResult:
    """Refresh from a feed payload already at hand (a snapshot file); ``feed`` names it."""
    return _refresh(
        config, lambda: payload, feed=feed, trigger=trigger, dry_run=dry_run, force=force,
        today=today, created_at=created_at,
    )
