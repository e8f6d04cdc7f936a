"""Ed25519 signatures for the catalog feed: keys, key ids, signing and verification.

Keys travel as base64 of their raw 32 bytes (``CATALOG_SYNC_PUBKEY``, ``CATALOG_SIGNING_KEY``).
A key id is the first 16 hex digits of the SHA-256 of the raw public key, so a signature can
name the key that made it without revealing anything. Private key material never leaves this
module except as the base64 text ``generate_keypair`` returns to the CLI that asked for it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from backend.errors import ConfigError

KEY_BYTES = 32
SIGNATURE_BYTES = 64


def _raw_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{what} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise ConfigError(f"{what} must be {KEY_BYTES} bytes of base64 (got {len(raw)})")
    return raw


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


@dataclass(frozen=True)
class VerifyingKey:
    key_id: str
    key: Ed25519PublicKey = field(repr=False)

    @classmethod
    def from_base64(cls, text: str, what: str = "public key") -> VerifyingKey:
        raw = _raw_key(text, what)
        return cls(key_id_of(raw), Ed25519PublicKey.from_public_bytes(raw))

    def verifies(self, signature: bytes, data: bytes) -> bool:
        try:
            self.key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def from_base64(cls, text: str, what: str = "signing key") -> SigningKey:
        private = Ed25519PrivateKey.from_private_bytes(_raw_key(text, what))
        return cls(key_id_of(_public_bytes(private.public_key())), private)

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)

    @property
    def public_base64(self) -> str:
        return base64.b64encode(_public_bytes(self.key.public_key())).decode()


def generate_keypair() -> tuple[str, str]:
    """A fresh (private, public) pair, each as base64 of the raw 32 bytes."""
    private = Ed25519PrivateKey.generate()
    private_raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(private_raw).decode(), base64.b64encode(
        _public_bytes(private.public_key())).decode()
