"""The key-encryption keys (KEKs): a keyring of ids and 256-bit keys, one of them primary.

Written as ``id:base64key[,id:base64key…]`` in ``CATALOG_KEK`` or the file ``CATALOG_KEK_FILE``.
The first entry is primary unless one id is marked with a leading ``*``. New data keys are
wrapped by the primary; older ids stay so existing wrappers can still be unwrapped until
``rotate-kek`` has re-wrapped them. Keys never come from the database. In development, when
neither variable is set, one key is generated into ``var/catalog_kek`` (mode 0600).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field

from backend.config import Config, read_or_create_secret
from backend.errors import ConfigError

KEK_BYTES = 32
DEVELOPMENT_KEK_ID = "dev"
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class Keyring:
    """KEKs by id; ``primary`` wraps every new or re-wrapped data key."""

    primary: str
    keys: dict[str, bytes] = field(repr=False)

    def key(self, kek_id: str) -> bytes | None:
        return self.keys.get(kek_id)

    @property
    def primary_key(self) -> bytes:
        return self.keys[self.primary]


def parse_keyring(text: str, *, what: str = "CATALOG_KEK") -> Keyring:
    """A keyring from ``id:base64key,…``; a malformed entry is a one-line ``ConfigError``."""
    keys: dict[str, bytes] = {}
    marked: list[str] = []
    for entry in (part.strip() for part in text.replace("\n", ",").split(",")):
        if not entry:
            continue
        kek_id, separator, encoded = entry.partition(":")
        if kek_id.startswith("*"):
            kek_id = kek_id[1:]
            marked.append(kek_id)
        if not separator or not _KEY_ID.match(kek_id):
            raise ConfigError(f"{what}: each entry must be id:base64key with a short id "
                              "of letters, digits, '.', '_' or '-'")
        if kek_id in keys:
            raise ConfigError(f"{what}: key id {kek_id!r} appears twice")
        keys[kek_id] = _decode_key(encoded.strip(), kek_id, what)
    if not keys:
        raise ConfigError(f"{what} holds no keys")
    if len(marked) > 1:
        raise ConfigError(f"{what}: only one key id may be marked primary with '*'")
    return Keyring(primary=marked[0] if marked else next(iter(keys)), keys=keys)


def _decode_key(encoded: str, kek_id: str, what: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{what}: key {kek_id!r} is not valid base64") from None
    if len(key) != KEK_BYTES:
        raise ConfigError(f"{what}: key {kek_id!r} must be {KEK_BYTES} bytes (AES-256), "
                          f"got {len(key)}")
    return key


def load_keyring(config: Config) -> Keyring:
    """The configured keyring, or (outside production) the generated development key."""
    if config.catalog_kek is not None:
        return parse_keyring(config.catalog_kek)
    if config.is_production:
        raise ConfigError("CATALOG_KEK or CATALOG_KEK_FILE is required when APP_ENV=production")
    secret = read_or_create_secret(config.var_dir / "catalog_kek", "CATALOG_KEK", nbytes=KEK_BYTES)
    try:
        key = bytes.fromhex(secret)
    except ValueError:
        raise ConfigError(f"{config.var_dir / 'catalog_kek'} does not hold a hex key") from None
    if len(key) != KEK_BYTES:
        raise ConfigError(f"{config.var_dir / 'catalog_kek'} must hold {KEK_BYTES} bytes")
    return Keyring(primary=DEVELOPMENT_KEK_ID, keys={DEVELOPMENT_KEK_ID: key})


def encode_key(key: bytes) -> str:
    """How a KEK is written in ``CATALOG_KEK`` (for the rotation how-to and tests)."""
    return base64.b64encode(key).decode()
