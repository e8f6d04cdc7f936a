"""Seed 003's typed add/update flow: one catalog row written through the shared pipeline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from backend.catalog.repository import load_stored_rows
from backend.catalog.rows import FAMILIES, UNITS, CatalogRow
from backend.config import Config
from backend.errors import Invalid
from backend.services.catalog_writes import WriteOutcome, write_catalog
from backend.services.runs import finish_run, start_run
from backend.sources.registry import provider_spec
from backend.store.tables import Provider

UPSERT_SOURCE = "upsert"


@dataclass(frozen=True)
class UpsertRequest:
    """A validated upsert body (the API schema guarantees types and ranges)."""

    provider: str
    model: str
    family: str
    unit: str = "1k_tokens"
    components: tuple[str, ...] | None = None
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    model_name: str | None = None
    context: int | None = None
    max_output_tokens: int | None = None
    base_url: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class UpsertResult:
    row: CatalogRow
    created: bool
    outcome: WriteOutcome


def check_components(family: str, components: tuple[str, ...]) -> None:
    """``family`` and ``components`` must agree: the family's capability must be among them."""
    required = FAMILIES[family]
    if required not in components:
        raise Invalid(
            f"components {list(components)} lack {required}, which family {family!r} requires",
            errors={"components": [f"must include {required} for family {family!r}"]},
        )


def infer_base_url(provider: str, stored: dict) -> str | None:
    """The provider's most common base URL in the catalog, else its registry/provider default."""
    urls = Counter(row.base_url for row in stored.values() if row.base_url)
    if urls:
        return urls.most_common(1)[0][0]
    record = Provider.get_or_none(Provider.slug == provider)
    if record is not None and record.base_url:
        return record.base_url
    spec = provider_spec(provider)
    return spec.base_url if spec else None


def _per_token(price: Decimal | None, unit: str) -> Decimal | None:
    return None if price is None else (price / UNITS[unit]).normalize()


def build_row(request: UpsertRequest, existing: CatalogRow | None, stored: dict) -> CatalogRow:
    components = request.components or (
        existing.components if existing and FAMILIES[request.family] in existing.components
        else (FAMILIES[request.family],)
    )
    check_components(request.family, components)
    prompt = _per_token(request.input_price, request.unit)
    completion = _per_token(request.output_price, request.unit)
    if existing is not None:
        prompt = prompt if request.input_price is not None else existing.pricing_prompt
        completion = completion if request.output_price is not None else existing.pricing_completion
    base = existing or CatalogRow(
        provider=request.provider, model=request.model, model_name=request.model,
        family=request.family, components=components,
    )
    return replace(
        base,
        model_name=request.model_name or base.model_name,
        family=request.family,
        components=components,
        unit=request.unit,
        pricing_prompt=prompt,
        pricing_completion=completion,
        pricing_unknown=prompt is None and completion is None,
        context_length=request.context if request.context is not None else base.context_length,
        max_output_tokens=(
            request.max_output_tokens if request.max_output_tokens is not None
            else base.max_output_tokens
        ),
        base_url=request.base_url or base.base_url or infer_base_url(request.provider, stored),
        notes=request.notes if request.notes is not None else base.notes,
        deprecated_on=None,
        source=UPSERT_SOURCE if existing is None else base.source,
    )


def upsert_model(config: Config, request: UpsertRequest, *, trigger: str = "api") -> UpsertResult:
    """Add or update one catalog row; writes a new version only if something changed."""
    if not Provider.select().where(Provider.slug == request.provider).exists():
        raise Invalid(
            f"unknown provider {request.provider!r}",
            errors={"provider": ["no such provider; see GET /api/models/providers"]},
        )
    stored = load_stored_rows([request.provider])
    existing = stored.get((request.provider, request.model))
    row = build_row(request, existing, stored)
    run = start_run("upsert", trigger, request.provider)
    try:
        outcome = write_catalog(
            [row], config=config, source=UPSERT_SOURCE, trigger=trigger,
            providers=[request.provider],
        )
    except Exception as exc:
        finish_run(run, "failed", error=str(exc))
        raise
    finish_run(run, outcome.status, diff=outcome.diff,
               version=outcome.applied.version if outcome.applied else None,
               models_fetched=1, models_transformed=1)
    return UpsertResult(row, existing is None, outcome)
