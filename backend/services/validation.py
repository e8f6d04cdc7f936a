"""Capability validation of an application's model configuration (seed 003's server check).

Each slot — GEN (generation), EMB (embeddings), RERANK (reranking) — names a catalog row as
``provider/model`` (the model id may itself contain ``/``) or a model facade by slug. A name is
valid for a slot when it exists, is not deprecated (or, for a facade, is active) and carries the
slot's capability: the row's ``components``, or the facade's kind (chat → GEN, embedding → EMB).
"""

from __future__ import annotations

from backend.catalog.repository import row_from_record
from backend.store.facade_tables import Facade
from backend.store.tables import CatalogModel, Provider

SLOTS = ("GEN", "EMB", "RERANK")
FACADE_CAPABILITY = {"chat": "GEN", "embedding": "EMB"}


def _catalog_problem(slot: str, name: str) -> str | None:
    provider, _, model_id = name.partition("/")
    record = (CatalogModel.select(CatalogModel, Provider).join(Provider)
              .where(Provider.slug == provider, CatalogModel.provider_model_id == model_id)
              .first())
    if record is None:
        return f"unknown model {name!r}: no catalog row and no model facade has this name"
    row = row_from_record(record, provider)
    if not row.is_active:
        return f"{name!r} is deprecated (since {row.deprecated_on.isoformat()})"
    if slot not in row.components:
        return f"{name!r} lacks the {slot} capability (it offers {', '.join(row.components)})"
    return None


def _facade_problem(slot: str, facade: Facade) -> str | None:
    if facade.status != "active":
        return f"model facade {facade.slug!r} is {facade.status}, not active"
    capability = FACADE_CAPABILITY.get(facade.kind)
    if capability != slot:
        return f"model facade {facade.slug!r} is a {facade.kind} model and lacks the {slot} capability"
    return None


def slot_problem(slot: str, name: str) -> str | None:
    """Why ``name`` cannot fill ``slot``, or None when it can."""
    facade = Facade.get_or_none(Facade.slug == name) if "/" not in name else None
    if facade is not None:
        return _facade_problem(slot, facade)
    if "/" not in name:
        return (f"unknown model {name!r}: name a catalog row as provider/model "
                "or a model facade by slug")
    return _catalog_problem(slot, name)


def validate_model_config(config: dict[str, str | None]) -> dict[str, list[str]]:
    """Every mismatch by slot; empty when the configuration is valid. Unset slots are skipped."""
    problems = {}
    for slot in SLOTS:
        name = config.get(slot)
        if name:
            problem = slot_problem(slot, name)
            if problem:
                problems[slot] = [problem]
    return problems
