"""The domain's exception hierarchy.

Services raise these; the API layer translates them to HTTP status codes and the CLI to one-line
messages and exit codes. Nothing here knows about Flask.
"""


class CatalogError(Exception):
    """Base of every error the domain raises on purpose."""

    http_status = 500

    def __init__(self, message: str, *, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(CatalogError):
    http_status = 404


class Invalid(CatalogError):
    """The input is well-formed but breaks a domain rule (422)."""

    http_status = 422


class Conflict(CatalogError):
    """The request races another write or an existing state (409)."""

    http_status = 409


class AlreadyRunning(Conflict):
    """A job holding the same lock is already running."""


class UpstreamError(CatalogError):
    """An upstream source failed. ``permanent`` errors are not worth retrying."""

    http_status = 502

    def __init__(self, message: str, *, permanent: bool = False, errors: dict | None = None):
        super().__init__(message, errors=errors)
        self.permanent = permanent


class ConfigError(CatalogError):
    """A configuration value is missing or malformed; the process must not start."""
