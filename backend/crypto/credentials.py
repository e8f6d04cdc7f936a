"""A provider's credential as sealed columns: ``providers.credential_*``, bound to its row id.

Works on any object with the ``credential_*`` attributes of ``store.tables.Provider``, so the sync
and the gateway can decrypt a provider's credential without importing anything else.
"""

from __future__ import annotations

from backend.crypto.envelope import SealedSecret, associated_data, open_sealed, seal
from backend.crypto.keyring import Keyring


def credential_aad(provider_id: int) -> bytes:
    return associated_data("providers", provider_id, "credential")


def seal_credential(provider_id: int, secret: str, keyring: Keyring) -> SealedSecret:
    return seal(secret, credential_aad(provider_id), keyring)


def stored_credential(provider, keyring: Keyring) -> str | None:
    """The provider's decrypted credential (to call its upstream), or None when none is set."""
    if provider.credential_ciphertext is None:
        return None
    sealed = SealedSecret(
        ciphertext=bytes(provider.credential_ciphertext),
        nonce=bytes(provider.credential_nonce),
        wrapped_key=bytes(provider.credential_wrapped_key),
        kek_id=provider.credential_kek_id,
    )
    return open_sealed(sealed, credential_aad(provider.id), keyring)
