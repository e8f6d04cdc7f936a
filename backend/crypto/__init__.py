"""Envelope encryption of stored secrets: the only place that touches key material.

``keyring`` holds the key-encryption keys (KEKs) from the environment; ``envelope`` seals a secret
under a fresh data key bound to its row and column, and re-wraps data keys on KEK rotation.
"""
