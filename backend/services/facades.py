"""Model facades: their life cycle, their backends, backend health and the routing plan.

A facade is created in ``draft``, published to ``active`` once it has a backend, and can be
disabled or returned to draft without losing its configuration. Its kind (chat or embedding) is
fixed at creation, and every backend's Provider Model must be of that kind and reachable through
a supported wire format. Routing is failover: backends in priority order (lower first), skipping
disabled providers and Provider Models and backends cooling down after a retryable failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import JOIN, IntegrityError, fn

from backend.errors import Conflict, Invalid, NotFound
from backend.gateway.wire import unsupported_reason
from backend.store.db import db
from backend.store.facade_tables import BackendHealth, Facade, FacadeBackend
from backend.store.operator_tables import ProviderModel
from backend.store.tables import Provider, utcnow

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_RULE = "lowercase letters, digits and single hyphens between them (e.g. claude-haiku-3-5)"
FACADE_KINDS = ("chat", "embedding")
DEFAULT_FIELDS = ("temperature", "max_tokens", "top_p", "top_k", "stop")
MILLION = 1_000_000


# --- facades ---------------------------------------------------------------------------------


def facade_view(facade: Facade, backend_count: int | None = None) -> dict:
    if backend_count is None:
        backend_count = FacadeBackend.select().where(FacadeBackend.facade == facade).count()
    return {
        "slug": facade.slug, "name": facade.name, "kind": facade.kind, "status": facade.status,
        "routing": "failover", "backend_count": backend_count,
        "created_at": facade.created_at, "updated_at": facade.updated_at,
    }


def list_facades(query: str | None = None) -> list[dict]:
    """Every facade with its backend count, by slug; ``query`` matches slug or name."""
    counts = fn.COUNT(FacadeBackend.id).alias("backend_count")
    select = (Facade.select(Facade, counts)
              .join(FacadeBackend, JOIN.LEFT_OUTER)
              .group_by(Facade.id)
              .order_by(Facade.slug))
    if query:
        needle = query.lower()
        select = select.where(fn.LOWER(Facade.slug).contains(needle)
                              | fn.LOWER(Facade.name).contains(needle))
    return [facade_view(facade, facade.backend_count) for facade in select]


def get_facade(slug: str) -> Facade:
    facade = Facade.get_or_none(Facade.slug == slug)
    if facade is None:
        raise NotFound(f"no model facade with slug {slug!r}")
    return facade


def _check_slug(slug: str, *, taken_by: int | None = None) -> None:
    if not SLUG_PATTERN.match(slug) or len(slug) > 64:
        raise Invalid(f"slug must be {SLUG_RULE}", errors={"slug": [f"must be {SLUG_RULE}"]})
    existing = Facade.get_or_none(Facade.slug == slug)
    if existing is not None and existing.id != taken_by:
        raise Conflict(f"a model facade with slug {slug!r} already exists",
                       errors={"slug": ["is already taken"]})


def create_facade(slug: str, name: str, kind: str) -> Facade:
    if kind not in FACADE_KINDS:
        raise Invalid("kind must be chat or embedding", errors={"kind": ["must be chat or embedding"]})
    with db.atomic():
        _check_slug(slug)
        try:
            return Facade.create(slug=slug, name=name.strip(), kind=kind, status="draft")
        except IntegrityError:
            raise Conflict(f"a model facade with slug {slug!r} already exists",
                           errors={"slug": ["is already taken"]}) from None


def update_facade(slug: str, changes: dict) -> Facade:
    """Rename (slug, display name). The kind is fixed after creation."""
    with db.atomic():
        facade = get_facade(slug)
        if "kind" in changes and changes["kind"] != facade.kind:
            raise Invalid(f"kind is fixed after creation (this facade is {facade.kind}); "
                          "create a new facade for another kind",
                          errors={"kind": ["is fixed after creation"]})
        if "slug" in changes and changes["slug"] != facade.slug:
            _check_slug(changes["slug"], taken_by=facade.id)
            facade.slug = changes["slug"]
        if "name" in changes:
            facade.name = changes["name"].strip()
        facade.updated_at = utcnow()
        facade.save()
        return facade


STATUS_MOVES = {
    # target: (states it may be reached from, message otherwise)
    "active": (("draft", "disabled"), "is already active"),
    "disabled": (("draft", "active"), "is already disabled"),
    "draft": (("active", "disabled"), "is already a draft"),
}


def set_facade_status(slug: str, status: str) -> Facade:
    """Publish (→ active, needs a backend), disable, or return to draft."""
    with db.atomic():
        facade = get_facade(slug)
        sources, message = STATUS_MOVES[status]
        if facade.status not in sources:
            raise Conflict(f"model facade {slug!r} {message}")
        if status == "active" and not FacadeBackend.select().where(
                FacadeBackend.facade == facade).exists():
            raise Invalid(f"model facade {slug!r} has no backend: add a backend before publishing",
                          errors={"backends": ["at least one backend is required to publish"]})
        facade.status = status
        facade.updated_at = utcnow()
        facade.save()
        return facade


def delete_facade(slug: str) -> None:
    """Delete a facade with its backends and grants; its usage history stays (by slug)."""
    with db.atomic():
        facade = get_facade(slug)
        facade.delete_instance()


# --- backends --------------------------------------------------------------------------------


def backend_query():
    return (FacadeBackend.select(FacadeBackend, ProviderModel, Provider, BackendHealth)
            .join(ProviderModel)
            .join(Provider)
            .switch(FacadeBackend)
            .join(BackendHealth, JOIN.LEFT_OUTER, attr="health")
            .order_by(FacadeBackend.priority, FacadeBackend.id))


def backend_health(backend: FacadeBackend) -> BackendHealth | None:
    """The backend's health row when it was joined by ``backend_query``, else None."""
    health = getattr(backend, "health", None)
    return health if isinstance(health, BackendHealth) and health.failed_at else None


def price_per_1m(provider_model: ProviderModel) -> tuple:
    """The (input, output) USD prices per 1M tokens the gateway bills by; None = unknown."""
    return provider_model.input_price_per_1m, provider_model.output_price_per_1m


def _defaults_view(backend: FacadeBackend) -> dict:
    return {
        "temperature": backend.temperature, "max_tokens": backend.max_tokens,
        "top_p": backend.top_p, "top_k": backend.top_k, "stop": backend.stop,
    }


def backend_view(backend: FacadeBackend, cooldown_seconds: int | None = None) -> dict:
    model = backend.provider_model
    provider = model.provider
    input_price, output_price = price_per_1m(model)
    health = backend_health(backend)
    cooling_until = None
    if health is not None and cooldown_seconds is not None:
        until = health.failed_at + timedelta(seconds=cooldown_seconds)
        cooling_until = until if until > utcnow() else None
    return {
        "id": backend.id,
        "priority": backend.priority,
        "provider": {"id": provider.id, "slug": provider.slug, "name": provider.name,
                     "kind": provider.kind, "status": provider.status},
        "provider_model": {"id": model.id, "upstream_model_id": model.upstream_model_id,
                           "kind": model.kind, "status": model.status},
        "pricing": {"input_per_1m": input_price, "output_per_1m": output_price,
                    "unknown": input_price is None or output_price is None},
        "defaults": _defaults_view(backend),
        "health": {"cooling_down_until": cooling_until,
                   "last_error": health.last_error if health else None,
                   "last_failed_at": health.failed_at if health else None},
        "created_at": backend.created_at, "updated_at": backend.updated_at,
    }


def list_backends(slug: str) -> list[FacadeBackend]:
    facade = get_facade(slug)
    return list(backend_query().where(FacadeBackend.facade == facade))


def _get_backend(facade: Facade, backend_id: int) -> FacadeBackend:
    backend = backend_query().where(FacadeBackend.facade == facade,
                                    FacadeBackend.id == backend_id).first()
    if backend is None:
        raise NotFound(f"model facade {facade.slug!r} has no backend {backend_id}")
    return backend


def _compatible_provider_model(facade: Facade, provider_model_id: int) -> ProviderModel:
    model = (ProviderModel.select(ProviderModel, Provider).join(Provider)
             .where(ProviderModel.id == provider_model_id).first())
    if model is None:
        raise Invalid(f"no Provider Model with id {provider_model_id}",
                      errors={"provider_model_id": ["does not exist"]})
    if model.kind != facade.kind:
        message = (f"a {facade.kind} facade takes only {facade.kind} Provider Models; "
                   f"{model.upstream_model_id!r} is {model.kind}")
        raise Invalid(message, errors={"provider_model_id": [message]})
    reason = unsupported_reason(model.provider.kind, model.kind)
    if reason:
        message = f"{model.provider.name} cannot be routed to: {reason}"
        raise Invalid(message, errors={"provider_model_id": [message]})
    return model


def _apply_defaults(backend: FacadeBackend, values: dict) -> None:
    for name in DEFAULT_FIELDS:
        if name in values:
            setattr(backend, name, values[name])


def add_backend(slug: str, values: dict) -> FacadeBackend:
    with db.atomic():
        facade = get_facade(slug)
        model = _compatible_provider_model(facade, values["provider_model_id"])
        backend = FacadeBackend(facade=facade, provider_model=model,
                                priority=values.get("priority", 0))
        _apply_defaults(backend, values)
        backend.save()
        facade.updated_at = utcnow()
        facade.save()
        return _get_backend(facade, backend.id)


def update_backend(slug: str, backend_id: int, values: dict) -> FacadeBackend:
    with db.atomic():
        facade = get_facade(slug)
        backend = _get_backend(facade, backend_id)
        if "provider_model_id" in values:
            backend.provider_model = _compatible_provider_model(facade, values["provider_model_id"])
        if "priority" in values:
            backend.priority = values["priority"]
        _apply_defaults(backend, values)
        backend.updated_at = utcnow()
        backend.save()
        return _get_backend(facade, backend.id)


def remove_backend(slug: str, backend_id: int) -> None:
    with db.atomic():
        facade = get_facade(slug)
        _get_backend(facade, backend_id).delete_instance()
        facade.updated_at = utcnow()
        facade.save()


def backend_candidates(slug: str) -> list[dict]:
    """Providers with the Provider Models a backend of this facade may use (the Add backend form).

    Each provider says whether the gateway can route to it, and why not.
    """
    facade = get_facade(slug)
    models = (ProviderModel.select(ProviderModel, Provider).join(Provider)
              .where(ProviderModel.kind == facade.kind)
              .order_by(Provider.name, ProviderModel.upstream_model_id))
    providers: dict[int, dict] = {}
    for model in models:
        provider = model.provider
        entry = providers.setdefault(provider.id, {
            "id": provider.id, "slug": provider.slug, "name": provider.name,
            "kind": provider.kind, "status": provider.status,
            "unsupported_reason": unsupported_reason(provider.kind, facade.kind),
            "provider_models": [],
        })
        input_price, output_price = price_per_1m(model)
        entry["provider_models"].append({
            "id": model.id, "upstream_model_id": model.upstream_model_id, "kind": model.kind,
            "status": model.status, "input_per_1m": input_price, "output_per_1m": output_price,
        })
    return list(providers.values())


# --- health and the routing plan -------------------------------------------------------------


@dataclass(frozen=True)
class RoutePlan:
    """The backends a request would try now, in order, and those it would skip (with why)."""

    facade: Facade
    backends: list[FacadeBackend]
    skipped: list[tuple[FacadeBackend, str]]
    # Backends skipped only because they are cooling down: tried last rather than refusing.
    cooling: list[FacadeBackend]


def _skip_reason(backend: FacadeBackend, now: datetime, cooldown: timedelta) -> str | None:
    model = backend.provider_model
    if model.provider.status != "active":
        return f"provider {model.provider.name} is {model.provider.status}"
    if model.status != "active":
        return f"Provider Model {model.upstream_model_id} is {model.status}"
    health = backend_health(backend)
    if health is not None and health.failed_at + cooldown > now:
        return (f"cooling down until {(health.failed_at + cooldown).isoformat()}Z "
                f"after: {health.last_error}")
    return None


def routing_plan(slug: str, cooldown_seconds: int, *, now: datetime | None = None) -> RoutePlan:
    now = now or utcnow()
    cooldown = timedelta(seconds=cooldown_seconds)
    facade = get_facade(slug)
    plan, skipped, cooling = [], [], []
    for backend in backend_query().where(FacadeBackend.facade == facade):
        reason = _skip_reason(backend, now, cooldown)
        if reason is None:
            plan.append(backend)
        else:
            skipped.append((backend, reason))
            if reason.startswith("cooling down"):
                cooling.append(backend)
    return RoutePlan(facade, plan, skipped, cooling)


def mark_unhealthy(backend_id: int, error: str) -> None:
    """Start (or restart) the backend's cool-down after a retryable failure."""
    with db.atomic():
        updated = (BackendHealth.update(failed_at=utcnow(), last_error=error[:500],
                                        consecutive_failures=BackendHealth.consecutive_failures + 1)
                   .where(BackendHealth.backend == backend_id).execute())
        if not updated:
            try:
                with db.atomic():
                    BackendHealth.create(backend=backend_id, failed_at=utcnow(),
                                         last_error=error[:500])
            except IntegrityError:
                pass  # another worker recorded the same failure at the same moment


def mark_healthy(backend_id: int) -> None:
    BackendHealth.delete().where(BackendHealth.backend == backend_id).execute()
