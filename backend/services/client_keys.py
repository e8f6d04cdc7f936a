"""Client API keys for the gateway: created by the admin, shown once, stored as a SHA-256 hash.

A key is either unrestricted (every active facade) or restricted to the facades granted to it —
seed 001's access grants. Restriction is an explicit flag, so deleting a key's last granted
facade leaves it with no access rather than silently widening it to every facade.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from backend.errors import Conflict, Invalid, NotFound
from backend.store.db import db
from backend.store.facade_tables import ClientKey, ClientKeyGrant, Facade
from backend.store.tables import utcnow

TOKEN_PREFIX = "mcg_"  # noqa: S105 - a public marker of the token format, not a secret
PREFIX_LENGTH = 12


@dataclass(frozen=True)
class IssuedKey:
    key: ClientKey
    token: str  # the only time the token exists outside the caller's hands


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def key_view(key: ClientKey) -> dict:
    grants = sorted(facade.slug for facade in Facade.select(Facade.slug)
                    .join(ClientKeyGrant).where(ClientKeyGrant.client_key == key))
    return {
        "id": key.id, "name": key.name, "prefix": key.prefix,
        "facades": grants if key.restricted else None,
        "revoked": key.revoked_at is not None, "revoked_at": key.revoked_at,
        "created_at": key.created_at, "last_used_at": key.last_used_at,
    }


def _facades_by_slug(slugs: list[str]) -> list[Facade]:
    found = {f.slug: f for f in Facade.select().where(Facade.slug.in_(slugs))}
    unknown = sorted(set(slugs) - found.keys())
    if unknown:
        raise Invalid(f"unknown model facade(s): {', '.join(unknown)}",
                      errors={"facades": [f"unknown: {', '.join(unknown)}"]})
    return list(found.values())


def _replace_grants(key: ClientKey, slugs: list[str] | None) -> None:
    ClientKeyGrant.delete().where(ClientKeyGrant.client_key == key).execute()
    key.restricted = slugs is not None
    key.save()
    for facade in _facades_by_slug(slugs or []):
        ClientKeyGrant.create(client_key=key, facade=facade)


def create_client_key(name: str, facades: list[str] | None = None) -> IssuedKey:
    """A new key; ``facades`` limits it to those facades (None: every facade)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.atomic():
        key = ClientKey.create(name=name.strip(), key_hash=hash_token(token),
                               prefix=token[:PREFIX_LENGTH])
        _replace_grants(key, facades)
    return IssuedKey(key, token)


def list_client_keys() -> list[ClientKey]:
    return list(ClientKey.select().order_by(ClientKey.created_at.desc(), ClientKey.id.desc()))


def get_client_key(key_id: int) -> ClientKey:
    key = ClientKey.get_or_none(ClientKey.id == key_id)
    if key is None:
        raise NotFound(f"no client key {key_id}")
    return key


def revoke_client_key(key_id: int) -> ClientKey:
    with db.atomic():
        key = get_client_key(key_id)
        if key.revoked_at is not None:
            raise Conflict(f"client key {key.prefix}… is already revoked")
        key.revoked_at = utcnow()
        key.save()
        return key


def set_grants(key_id: int, facades: list[str] | None) -> ClientKey:
    """Limit the key to ``facades``, or lift every limit with None."""
    with db.atomic():
        key = get_client_key(key_id)
        _replace_grants(key, facades)
        return key


def authenticate(token: str | None) -> ClientKey | None:
    """The live key this bearer token belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    key = ClientKey.get_or_none(ClientKey.key_hash == hash_token(token))
    if key is None or key.revoked_at is not None:
        return None
    return key


def may_use(key: ClientKey, facade: Facade) -> bool:
    if not key.restricted:
        return True
    return ClientKeyGrant.select().where(ClientKeyGrant.client_key == key,
                                         ClientKeyGrant.facade == facade).exists()


def usable_facades(key: ClientKey) -> list[Facade]:
    """The active facades this key may call, by slug."""
    query = Facade.select().where(Facade.status == "active").order_by(Facade.slug)
    if key.restricted:
        query = query.join(ClientKeyGrant).where(ClientKeyGrant.client_key == key)
    return list(query)


def touch(key: ClientKey) -> None:
    """Record the key's last use (at most once a minute, to spare the database)."""
    now = utcnow()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() >= 60:
        ClientKey.update(last_used_at=now).where(ClientKey.id == key.id).execute()
