"""The HTTP API: one package per resource (routes + schemas), no business logic."""
