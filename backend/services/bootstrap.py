"""Start-up: migrate, seed the provider registry, reconcile the files, apply the bundled catalog."""

from __future__ import annotations

import logging

from backend.catalog.publish import publish_catalog
from backend.catalog.repository import current_version, current_version_string
from backend.config import Config
from backend.errors import Conflict
from backend.services.bundled import apply_catalog_file
from backend.services.catalog_writes import catalog_paths
from backend.services.prerender import publish_prerendered
from backend.sources.registry import PROVIDERS
from backend.store.db import write_transaction
from backend.store.migrations import migrate_database
from backend.store.tables import Provider

log = logging.getLogger(__name__)


def seed_registry_providers() -> int:
    """Insert every registry provider the table lacks; existing rows are the admins' and stay."""
    with write_transaction():
        existing = {slug for (slug,) in Provider.select(Provider.slug).tuples()}
        missing = [spec for spec in PROVIDERS if spec.slug not in existing]
        for spec in missing:
            Provider.create(
                slug=spec.slug, name=spec.name, kind=spec.kind, base_url=spec.base_url,
                api_key_env=spec.api_key_env, origin="registry",
            )
    return len(missing)


def _apply_bundled_catalog(config: Config) -> None:
    try:
        outcome = apply_catalog_file(config, config.bundled_catalog_path, trigger="startup")
    except Conflict:
        # Instances starting together all saw an empty catalog; one applied it first, and that
        # catalog is the one every instance serves.
        log.info("another instance applied a catalog first (%s)", current_version_string())
        return
    log.info("applied the bundled catalog %s (%d rows)",
             outcome.applied.version if outcome.applied else "-", outcome.diff.rows_changed)


def prepare_database(config: Config) -> None:
    """Everything the service needs before it answers its first request."""
    migrate_database()
    added = seed_registry_providers()
    if added:
        log.info("seeded %d provider(s) from the registry", added)
    if current_version() is None and config.apply_bundled_on_empty:
        if config.bundled_catalog_path.exists():
            _apply_bundled_catalog(config)
        else:
            log.warning("no bundled catalog at %s; starting empty", config.bundled_catalog_path)
    publish_catalog(catalog_paths(config))
    publish_prerendered(config)
