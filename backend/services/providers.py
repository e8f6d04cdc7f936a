"""Providers as operators manage them: kinds and their fields, CRUD, and write-only credentials.

``PROVIDER_KINDS`` is the one table of provider kinds and the fields each needs; the API validates
against it and the console builds its form from it (``GET /api/admin/provider-kinds``).
A credential is sealed by ``backend.crypto`` the moment it arrives; only a short prefix and the
time it was last set are ever shown. No function here logs, returns or raises with a secret in it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from peewee import fn

# stored_credential is re-exported: the gateway reads a provider's credential through here.
from backend.crypto.credentials import seal_credential, stored_credential  # noqa: F401
from backend.crypto.envelope import rewrap
from backend.crypto.keyring import Keyring
from backend.errors import Conflict, Invalid, NotFound
from backend.sources.registry import PROVIDERS
from backend.store.db import db, write_transaction
from backend.store.facade_tables import Facade, FacadeBackend
from backend.store.operator_tables import ProviderModel
from backend.store.tables import CatalogModel, Provider, utcnow

log = logging.getLogger(__name__)

STATUSES = ("active", "disabled")
CONFIG_FIELDS = ("organization", "region", "api_version", "project")
REQUIRED = "Missing data for required field."


@dataclass(frozen=True)
class KindField:
    """One configuration field a provider kind shows in its form."""

    name: str  # base_url or one of CONFIG_FIELDS
    label: str
    required: bool = False
    placeholder: str = ""


@dataclass(frozen=True)
class ProviderKind:
    kind: str
    label: str
    fields: tuple[KindField, ...] = ()
    credential_label: str = "API key"
    credential_required: bool = True
    default_base_url: str | None = None

    def field(self, name: str) -> KindField | None:
        return next((f for f in self.fields if f.name == name), None)


def _base_url(required: bool = False, placeholder: str = "") -> KindField:
    return KindField("base_url", "Base URL", required, placeholder)


_REGISTRY_URLS = {spec.kind: spec.base_url for spec in PROVIDERS if spec.kind == spec.slug}
_REGISTRY_NAMES = {spec.kind: spec.name for spec in PROVIDERS if spec.kind == spec.slug}

# Seed 002's kinds, with the fields each needs.
_EXPLICIT_KINDS = (
    ProviderKind("openai", "OpenAI", (
        _base_url(placeholder="https://api.openai.com/v1"),
        KindField("organization", "Organization", placeholder="org-…"),
    )),
    ProviderKind("anthropic", "Anthropic", (_base_url(placeholder="https://api.anthropic.com/v1"),)),
    ProviderKind("azure", "Azure OpenAI", (
        _base_url(True, "https://my-resource.openai.azure.com"),
        KindField("api_version", "API version", True, "2024-10-21"),
    )),
    ProviderKind("bedrock", "Amazon Bedrock", (
        KindField("region", "Region", True, "us-east-1"),
        _base_url(placeholder="https://bedrock-runtime.us-east-1.amazonaws.com"),
    )),
    ProviderKind("google", "Google (Gemini)", (
        _base_url(placeholder="https://generativelanguage.googleapis.com/v1beta"),
    )),
    ProviderKind("vertex", "Google Vertex", (
        KindField("project", "Project ID", True, "my-gcp-project"),
        KindField("region", "Region", True, "us-central1"),
    ), credential_label="Service-account key (JSON)"),
    ProviderKind("vertex-anthropic", "Vertex Anthropic", (
        KindField("project", "Project ID", True, "my-gcp-project"),
        KindField("region", "Region", True, "us-east5"),
    ), credential_label="Service-account key (JSON)"),
)
_OPENAI_COMPATIBLE = ProviderKind(
    "openai-compatible", "OpenAI-compatible endpoint",
    (_base_url(True, "http://127.0.0.1:8000/v1"),), credential_required=False,
)


def _build_kinds() -> dict[str, ProviderKind]:
    """Seed 002's kinds, then every other sync-source kind of the registry, then any endpoint."""
    kinds = {kind.kind: kind for kind in _EXPLICIT_KINDS}
    for spec in PROVIDERS:
        if spec.kind not in kinds and spec.kind == spec.slug:
            kinds[spec.kind] = ProviderKind(spec.kind, spec.name, (_base_url(
                placeholder=spec.base_url or ""),))
    kinds[_OPENAI_COMPATIBLE.kind] = _OPENAI_COMPATIBLE
    return {name: replace(kind, default_base_url=_REGISTRY_URLS.get(name))
            for name, kind in kinds.items()}


PROVIDER_KINDS: dict[str, ProviderKind] = _build_kinds()


def kind_of(name: str) -> ProviderKind:
    return PROVIDER_KINDS.get(name) or ProviderKind(name, _REGISTRY_NAMES.get(name, name))


# --- reading ---------------------------------------------------------------------------------


def credential_prefix(secret: str) -> str:
    """What the console may show of a secret: its first 4 characters when it is long enough."""
    return f"{secret[:4]}…" if len(secret) >= 16 else "…"


def provider_details(provider: Provider) -> str:
    """The list's one-line summary: the base URL, else the configuration."""
    if provider.base_url:
        return provider.base_url
    config = provider.config or {}
    return " · ".join(f"{name.replace('_', ' ')} {config[name]}" for name in CONFIG_FIELDS
                      if config.get(name))


def provider_view(provider: Provider) -> dict:
    """A provider as the API shows it: never its secret."""
    kind = kind_of(provider.kind)
    return {
        "id": provider.id,
        "slug": provider.slug,
        "name": provider.name,
        "kind": provider.kind,
        "kind_label": kind.label,
        "base_url": provider.base_url,
        **{name: (provider.config or {}).get(name) for name in CONFIG_FIELDS},
        "details": provider_details(provider),
        "status": provider.status,
        "origin": provider.origin,
        "has_credential": provider.credential_ciphertext is not None,
        "credential_prefix": provider.credential_prefix,
        "credential_updated_at": provider.credential_updated_at,
        "api_key_env": provider.api_key_env,
        "created_at": provider.created_at,
        "updated_at": provider.updated_at,
    }


def get_provider(provider_id: int) -> Provider:
    provider = Provider.get_or_none(Provider.id == provider_id)
    if provider is None:
        raise NotFound(f"no provider with id {provider_id}")
    return provider


def list_providers(query: str | None = None) -> list[Provider]:
    """Every provider, by name; ``query`` keeps those whose name contains it (any case)."""
    providers = list(Provider.select().order_by(fn.LOWER(Provider.name), Provider.id))
    if query:
        needle = query.casefold()
        providers = [p for p in providers if needle in p.name.casefold()]
    return providers


# --- validating ------------------------------------------------------------------------------


def _check_fields(kind: ProviderKind, values: dict) -> dict[str, list[str]]:
    """Field-level errors for a provider's merged values against its kind."""
    errors: dict[str, list[str]] = {}
    for name in ("base_url", *CONFIG_FIELDS):
        spec = kind.field(name)
        if spec is None and values.get(name):
            errors[name] = [f"not a field of kind {kind.kind!r}"]
        elif spec is not None and spec.required and not values.get(name):
            errors[name] = [REQUIRED]
    if not values.get("name"):
        errors["name"] = [REQUIRED]
    return errors


def _slug_for(name: str, kind: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48] or kind
    taken = {slug for (slug,) in Provider.select(Provider.slug).where(
        Provider.slug.startswith(base)).tuples()}
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


# --- writing ---------------------------------------------------------------------------------


def _store_credential(provider: Provider, secret: str, keyring: Keyring) -> None:
    sealed = seal_credential(provider.id, secret, keyring)
    provider.credential_ciphertext = sealed.ciphertext
    provider.credential_nonce = sealed.nonce
    provider.credential_wrapped_key = sealed.wrapped_key
    provider.credential_kek_id = sealed.kek_id
    provider.credential_prefix = credential_prefix(secret)
    provider.credential_updated_at = utcnow()


def _apply_fields(provider: Provider, values: dict) -> None:
    if "name" in values:
        provider.name = values["name"]
    if "base_url" in values:
        provider.base_url = values["base_url"] or None
    config = dict(provider.config or {})
    for name in CONFIG_FIELDS:
        if name in values:
            config[name] = values[name] or None
    provider.config = {name: value for name, value in config.items() if value}


def create_provider(values: dict, keyring: Keyring) -> Provider:
    """Add a provider of ``values['kind']``; its credential is sealed before anything is stored."""
    kind = PROVIDER_KINDS[values["kind"]]
    errors = _check_fields(kind, values)
    if kind.credential_required and not values.get("credential"):
        errors["credential"] = [REQUIRED]
    if errors:
        raise Invalid("the provider has invalid fields", errors=errors)
    with db.atomic():
        provider = Provider(slug=_slug_for(values["name"], kind.kind), kind=kind.kind,
                            origin="admin", status="active")
        _apply_fields(provider, values)
        provider.save()
        if values.get("credential"):
            _store_credential(provider, values["credential"], keyring)
            provider.save()
    log.info("provider %s (%s) created", provider.slug, provider.kind)
    return provider


def update_provider(provider_id: int, values: dict, keyring: Keyring) -> Provider:
    """Edit a provider; a ``credential`` in ``values`` replaces the stored one."""
    with db.atomic():
        provider = get_provider(provider_id)
        merged = {"name": provider.name, "base_url": provider.base_url,
                  **(provider.config or {}), **values}
        errors = _check_fields(kind_of(provider.kind), merged)
        if errors:
            raise Invalid("the provider has invalid fields", errors=errors)
        _apply_fields(provider, values)
        if values.get("credential"):
            _store_credential(provider, values["credential"], keyring)
        provider.updated_at = utcnow()
        provider.save()
    log.info("provider %s updated%s", provider.slug,
             " (credential replaced)" if values.get("credential") else "")
    return provider


def set_provider_status(provider_id: int, status: str) -> Provider:
    """Enable or disable a provider; disabled ones are skipped by syncs and routing."""
    provider = get_provider(provider_id)
    Provider.update(status=status, updated_at=utcnow()).where(Provider.id == provider.id).execute()
    log.info("provider %s %s", provider.slug, "enabled" if status == "active" else "disabled")
    return get_provider(provider_id)


@dataclass(frozen=True)
class DeletePreview:
    """What deleting a provider takes with it, or why it may not be deleted."""

    provider_models: int
    facade_backends: int
    facades: tuple[str, ...]
    catalog_models: int

    @property
    def blocked_reason(self) -> str | None:
        if self.catalog_models:
            return (f"it owns {self.catalog_models} reference catalog row(s), which only syncs "
                    "maintain; disable it instead")
        return None


def delete_preview(provider_id: int) -> DeletePreview:
    provider = get_provider(provider_id)
    backends = (FacadeBackend.select(FacadeBackend.id, Facade.slug)
                .join(ProviderModel).switch(FacadeBackend).join(Facade)
                .where(ProviderModel.provider == provider.id))
    return DeletePreview(
        provider_models=ProviderModel.select().where(ProviderModel.provider == provider.id).count(),
        facade_backends=backends.count(),
        facades=tuple(sorted({slug for (_, slug) in backends.tuples()})),
        catalog_models=CatalogModel.select().where(CatalogModel.provider == provider.id).count(),
    )


def delete_provider(provider_id: int) -> DeletePreview:
    """Delete a provider; the foreign keys cascade to its Provider Models and their backends."""
    with db.atomic():
        preview = delete_preview(provider_id)
        if preview.blocked_reason:
            raise Conflict(f"the provider cannot be deleted: {preview.blocked_reason}")
        Provider.delete().where(Provider.id == provider_id).execute()
    log.info("provider %d deleted with %d provider model(s) and %d facade backend(s)",
             provider_id, preview.provider_models, preview.facade_backends)
    return preview


# --- credentials -----------------------------------------------------------------------------


def rewrap_credentials(keyring: Keyring) -> int:
    """Re-wrap every data key not yet under the primary KEK; ciphertexts stay byte-identical."""
    with write_transaction():
        stale = list(Provider.select(Provider.id, Provider.credential_wrapped_key,
                                     Provider.credential_kek_id)
                     .where(Provider.credential_wrapped_key.is_null(False),
                            Provider.credential_kek_id != keyring.primary))
        for provider in stale:
            wrapped = rewrap(bytes(provider.credential_wrapped_key), provider.credential_kek_id,
                             keyring)
            (Provider.update(credential_wrapped_key=wrapped, credential_kek_id=keyring.primary)
             .where(Provider.id == provider.id).execute())
    log.info("re-wrapped %d credential data key(s) under KEK %r", len(stale), keyring.primary)
    return len(stale)
