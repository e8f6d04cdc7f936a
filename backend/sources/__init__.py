"""Upstream sources: one module per upstream wire format, one registry, one HTTP session factory."""
