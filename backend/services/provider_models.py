"""Provider Models: the operator's curated models per provider, and their drift from the catalog.

Only admins write ``provider_models`` — by importing from the reference catalog, adding a custom
model, or editing one. Syncs update the reference catalog only; when a catalog value then moves
away from what a Provider Model was imported with (and from what it holds now), the row shows
the catalog value beside its own as *drift*. Nothing here changes a row unless an admin asks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from peewee import IntegrityError

from backend.catalog.repository import current_version_string
from backend.catalog.rows import PER_1M
from backend.errors import Conflict, NotFound
from backend.services.providers import get_provider
from backend.store.db import db
from backend.store.operator_tables import ProviderModel
from backend.store.tables import CatalogModel, Provider, utcnow

log = logging.getLogger(__name__)

KINDS_BY_FAMILY = {"gen": "chat", "emb": "embedding"}
CUSTOM_SOURCE = "custom"
CATALOG_SOURCE_PREFIX = "catalog:"
# A Provider Model's own column -> (its import snapshot column, how to read the catalog's value).
TRACKED_VALUES = {
    "context_window": ("catalog_context_window", lambda m: m.context_length),
    "input_price_per_1m": ("catalog_input_price_per_1m", lambda m: _per_1m(m.pricing_prompt)),
    "output_price_per_1m": ("catalog_output_price_per_1m",
                            lambda m: _per_1m(m.pricing_completion)),
}


def _per_1m(per_token: Decimal | None) -> Decimal | None:
    return None if per_token is None else (per_token * PER_1M).normalize()


@dataclass(frozen=True)
class ImportReport:
    added: int
    skipped: int
    unsupported: int
    version: str | None


def source_label(source: str) -> str:
    if source.startswith(CATALOG_SOURCE_PREFIX):
        return f"Catalog {source.removeprefix(CATALOG_SOURCE_PREFIX)}"
    return "Custom"


def drift_of(row: ProviderModel, catalog: CatalogModel | None) -> dict[str, dict]:
    """Values the catalog has moved to since import, where the row does not already hold them."""
    if catalog is None:
        return {}
    drift = {}
    for own, (snapshot, read_catalog) in TRACKED_VALUES.items():
        current = read_catalog(catalog)
        if current != getattr(row, snapshot) and current != getattr(row, own):
            drift[own] = {"catalog": current, "own": getattr(row, own),
                          "imported": getattr(row, snapshot)}
    return drift


def provider_model_view(row: ProviderModel, catalog: CatalogModel | None) -> dict:
    overridden = [own for own, (snapshot, _) in TRACKED_VALUES.items()
                  if row.source != CUSTOM_SOURCE and getattr(row, own) != getattr(row, snapshot)]
    drift = drift_of(row, catalog)
    return {
        "id": row.id,
        "provider_id": row.provider_id,
        "upstream_model_id": row.upstream_model_id,
        "kind": row.kind,
        "status": row.status,
        "context_window": row.context_window,
        "input_price_per_1m": row.input_price_per_1m,
        "output_price_per_1m": row.output_price_per_1m,
        "source": row.source,
        "source_label": source_label(row.source),
        "imported": {own: getattr(row, snapshot) for own, (snapshot, _) in TRACKED_VALUES.items()},
        "overridden": overridden,
        "drift": drift,
        "has_drift": bool(drift),
        "catalog_deprecated_on": catalog.deprecated_on if catalog else None,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _with_catalog(query) -> list[tuple[ProviderModel, CatalogModel | None]]:
    rows = list(query)
    ids = {row.catalog_model_id for row in rows if row.catalog_model_id is not None}
    catalog = {m.id: m for m in CatalogModel.select().where(CatalogModel.id.in_(list(ids)))} if ids else {}
    return [(row, catalog.get(row.catalog_model_id)) for row in rows]


def list_provider_models(provider_id: int) -> list[dict]:
    provider = get_provider(provider_id)
    query = (ProviderModel.select().where(ProviderModel.provider == provider.id)
             .order_by(ProviderModel.upstream_model_id))
    return [provider_model_view(row, catalog) for row, catalog in _with_catalog(query)]


def all_provider_models(*, drift_only: bool = False) -> list[dict]:
    """Provider Models across providers; ``drift_only`` keeps those whose catalog values moved."""
    query = ProviderModel.select().order_by(ProviderModel.provider, ProviderModel.upstream_model_id)
    if drift_only:
        query = query.where(ProviderModel.catalog_model.is_null(False))
    names = dict(Provider.select(Provider.id, Provider.name).tuples())
    views = [{**provider_model_view(row, catalog), "provider_name": names[row.provider_id]}
             for row, catalog in _with_catalog(query)]
    return [view for view in views if view["has_drift"] or not drift_only]


def get_provider_model(provider_id: int, model_id: int) -> ProviderModel:
    row = ProviderModel.get_or_none((ProviderModel.id == model_id)
                                    & (ProviderModel.provider == provider_id))
    if row is None:
        raise NotFound(f"provider {provider_id} has no provider model with id {model_id}")
    return row


def provider_model_detail(provider_id: int, model_id: int) -> dict:
    row = get_provider_model(provider_id, model_id)
    catalog = CatalogModel.get_or_none(CatalogModel.id == row.catalog_model_id)
    return provider_model_view(row, catalog)


# --- import ----------------------------------------------------------------------------------


def _importable(provider: Provider) -> tuple[dict[str, CatalogModel], int]:
    """Non-deprecated catalog rows of the provider's kind (its own slug's rows win a tie)."""
    slugs = [provider.kind] + ([provider.slug] if provider.slug != provider.kind else [])
    query = (CatalogModel.select(CatalogModel, Provider.slug).join(Provider)
             .where(Provider.slug.in_(slugs), CatalogModel.deprecated_on.is_null()))
    chosen: dict[str, CatalogModel] = {}
    unsupported = 0
    for record in sorted(query.objects(), key=lambda r: r.slug == provider.slug):
        if record.family not in KINDS_BY_FAMILY:
            unsupported += 1
        else:
            chosen[record.provider_model_id] = record
    return chosen, unsupported


def _imported_values(record: CatalogModel, provider: Provider, source: str) -> dict:
    values = {"provider": provider.id, "catalog_model": record.id,
              "upstream_model_id": record.provider_model_id,
              "kind": KINDS_BY_FAMILY[record.family], "source": source}
    for own, (snapshot, read_catalog) in TRACKED_VALUES.items():
        values[own] = values[snapshot] = read_catalog(record)
    return values


def import_from_catalog(provider_id: int) -> ImportReport:
    """Add the provider's catalog models it lacks; existing Provider Models are left as they are."""
    provider = get_provider(provider_id)
    version = current_version_string()
    source = f"{CATALOG_SOURCE_PREFIX}{version or 'unversioned'}"
    candidates, unsupported = _importable(provider)
    with db.atomic():
        existing = {model_id for (model_id,) in ProviderModel.select(ProviderModel.upstream_model_id)
                    .where(ProviderModel.provider == provider.id).tuples()}
        new = [_imported_values(record, provider, source)
               for model_id, record in sorted(candidates.items()) if model_id not in existing]
        for start in range(0, len(new), 200):
            ProviderModel.insert_many(new[start:start + 200]).on_conflict_ignore().execute()
    log.info("imported %d model(s) from catalog %s into provider %s (%d already present)",
             len(new), version, provider.slug, len(candidates) - len(new))
    return ImportReport(added=len(new), skipped=len(candidates) - len(new),
                        unsupported=unsupported, version=version)


# --- custom models and edits -----------------------------------------------------------------


def add_custom_model(provider_id: int, values: dict) -> ProviderModel:
    provider = get_provider(provider_id)
    try:
        with db.atomic():
            return ProviderModel.create(provider=provider.id, source=CUSTOM_SOURCE, **values)
    except IntegrityError:
        raise Conflict(
            f"provider {provider.name!r} already has a model {values['upstream_model_id']!r}",
            errors={"upstream_model_id": ["already exists at this provider"]},
        ) from None


def update_provider_model(provider_id: int, model_id: int, values: dict) -> ProviderModel:
    """Set overrides (context window, prices) or the status; the import snapshot stays."""
    with db.atomic():
        row = get_provider_model(provider_id, model_id)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        row.save()
    return row


def accept_catalog_values(provider_id: int, model_id: int) -> ProviderModel:
    """Take the catalog's current values for every drifted field (the operator's choice)."""
    with db.atomic():
        row = get_provider_model(provider_id, model_id)
        catalog = CatalogModel.get_or_none(CatalogModel.id == row.catalog_model_id)
        for own, values in drift_of(row, catalog).items():
            setattr(row, own, values["catalog"])
            setattr(row, TRACKED_VALUES[own][0], values["catalog"])
        row.updated_at = utcnow()
        row.save()
    return row


def remove_provider_model(provider_id: int, model_id: int) -> None:
    """Remove a Provider Model; facade backends wired to it go with it (foreign-key cascade)."""
    row = get_provider_model(provider_id, model_id)
    ProviderModel.delete().where(ProviderModel.id == row.id).execute()
