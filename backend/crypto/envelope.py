"""Envelope encryption with AES-256-GCM data keys wrapped by a KEK (RFC 3394 AES key wrap).

Each secret gets a fresh 256-bit data key and a 96-bit nonce. The associated data names the row
and column it belongs to (``providers:17:credential``), so a ciphertext copied into another row
or column fails to decrypt. Only the data key is wrapped by the KEK; rotating the KEK re-wraps
that small wrapper and never touches the ciphertext.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from backend.crypto.keyring import Keyring
from backend.errors import CatalogError

NONCE_BYTES = 12


class CredentialError(CatalogError):
    """A stored secret cannot be opened: its KEK is missing, or it was tampered with or moved."""

    http_status = 500


@dataclass(frozen=True)
class SealedSecret:
    ciphertext: bytes
    nonce: bytes
    wrapped_key: bytes
    kek_id: str


def associated_data(table: str, row_id: int, column: str) -> bytes:
    return f"{table}:{row_id}:{column}".encode()


def seal(secret: str, aad: bytes, keyring: Keyring) -> SealedSecret:
    """Encrypt ``secret`` under a fresh data key wrapped by the primary KEK."""
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, secret.encode(), aad)
    return SealedSecret(
        ciphertext=ciphertext,
        nonce=nonce,
        wrapped_key=aes_key_wrap(keyring.primary_key, data_key),
        kek_id=keyring.primary,
    )


def open_sealed(sealed: SealedSecret, aad: bytes, keyring: Keyring) -> str:
    """The plaintext, or ``CredentialError`` (which never carries key material or plaintext)."""
    data_key = _unwrap(sealed.wrapped_key, sealed.kek_id, keyring)
    try:
        plaintext = AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, aad)
    except InvalidTag:
        raise CredentialError(
            f"the secret stored for {aad.decode()} does not belong there or was altered"
        ) from None
    return plaintext.decode()


def rewrap(wrapped_key: bytes, kek_id: str, keyring: Keyring) -> bytes:
    """The same data key, wrapped by the primary KEK instead of ``kek_id``."""
    return aes_key_wrap(keyring.primary_key, _unwrap(wrapped_key, kek_id, keyring))


def _unwrap(wrapped_key: bytes, kek_id: str, keyring: Keyring) -> bytes:
    kek = keyring.key(kek_id)
    if kek is None:
        raise CredentialError(f"KEK {kek_id!r} is not in the keyring (CATALOG_KEK); "
                              "keep old ids configured until rotate-kek has run")
    try:
        return aes_key_unwrap(kek, wrapped_key)
    except InvalidUnwrap:
        raise CredentialError(f"a data key wrapped by KEK {kek_id!r} failed to unwrap") from None
