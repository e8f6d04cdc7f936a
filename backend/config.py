"""Configuration: read from the environment once, validated, immutable afterwards.

Every setting has one parser here; a bad value raises ``ConfigError`` with a one-line message
naming the variable, and the process exits before serving anything.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from backend.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"
DEFAULT_OPENROUTER_MODELS_URL = "https://openrouter.ai/api/v1/models"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
APP_ENVS = ("development", "production", "test")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Config:
    """Everything the service needs to know about its environment."""

    database_url: str
    admin_api_key: str
    app_env: str = "development"
    port: int = 8012
    catalog_path: Path = PROJECT_ROOT / "data" / "models.json"
    catalog_mirror_path: Path = PROJECT_ROOT / "frontend" / "public" / "models.json"
    bundled_catalog_path: Path = PROJECT_ROOT / "data" / "models.json"
    apply_bundled_on_empty: bool = True
    openrouter_models_url: str = DEFAULT_OPENROUTER_MODELS_URL
    log_level: str = "INFO"
    var_dir: Path = DEFAULT_VAR_DIR
    sync_max_deprecate_ratio: float = 0.5
    # The scheduler (backend.jobs): on in this process?, cron schedules in UTC, providers to sync.
    scheduler_enabled: bool = True
    refresh_schedule: str = "0 3 * * *"
    sync_schedule: str = "30 3 * * *"
    remote_catalog_schedule: str = "15 * * * *"
    sync_providers: tuple[str, ...] = ()  # empty = every configured provider
    scheduler_misfire_grace: int = 6 * 3600
    # Outbound HTTP to upstream sources (backend.sources.http): seconds, bytes, attempts.
    http_connect_timeout: float = 5.0
    http_read_timeout: float = 30.0
    http_deadline: float = 120.0
    http_max_response_bytes: int = 64 * 1024 * 1024
    http_retries: int = 3
    http_backoff: float = 0.5
    http_max_retry_after: float = 30.0
    # The gateway: how long a failed backend is skipped, and how long an upstream may take.
    backend_cooldown_seconds: int = 30
    gateway_timeout_seconds: int = 120
    # The read path asks which catalog version is current at most this often per process
    # (another process's new version shows within this bound; this process's own at once).
    catalog_version_check_seconds: float = 1.0
    # Where each published version's public read responses are pre-rendered for the edge (nginx).
    prerender_dir: Path | None = None
    # The KEK keyring text (CATALOG_KEK or CATALOG_KEK_FILE); None = the development key in var/.
    catalog_kek: str | None = field(default=None, repr=False)
    # The signed remote catalog feed (consumed) and this instance's own feed (published).
    enable_remote_catalog: bool = False
    catalog_sync_url: str | None = None
    catalog_sync_pubkeys: tuple[str, ...] = ()
    catalog_signing_key: str | None = field(default=None, repr=False)
    catalog_feed_ttl_days: int = 90
    # Requests to admin routes per client address (flask-limiter), counted in this storage:
    # memory:// is per process; redis://host:6379 shares the count between workers and instances.
    admin_rate_limit: str = "120/minute"
    ratelimit_storage_uri: str = "memory://"
    # <SLUG>_API_KEY / <SLUG>_BASE_URL overrides, kept as read so sources can look them up.
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **changes)

    def provider_override(self, slug: str, suffix: str) -> str | None:
        """``<SLUG>_API_KEY`` or ``<SLUG>_BASE_URL`` for a provider slug, if set and non-empty."""
        name = f"{slug.upper().replace('-', '_')}_{suffix}"
        value = self.environ.get(name, "").strip()
        return value or None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = dict(os.environ if environ is None else environ)
        app_env = _choice(env, "APP_ENV", APP_ENVS, "development")
        var_dir = _path(env, "VAR_DIR", DEFAULT_VAR_DIR)
        return cls(
            app_env=app_env,
            database_url=_database_url(env, var_dir),
            admin_api_key=_admin_api_key(env, app_env, var_dir),
            port=_int(env, "PORT", 8012, low=1, high=65535),
            catalog_path=_path(env, "CATALOG_PATH", cls.catalog_path),
            catalog_mirror_path=_path(env, "CATALOG_MIRROR_PATH", cls.catalog_mirror_path),
            bundled_catalog_path=_path(env, "BUNDLED_CATALOG_PATH", cls.bundled_catalog_path),
            apply_bundled_on_empty=_bool(env, "APPLY_BUNDLED_ON_EMPTY", True),
            openrouter_models_url=_url(env, "OPENROUTER_MODELS_URL", DEFAULT_OPENROUTER_MODELS_URL),
            log_level=_choice(env, "LOG_LEVEL", LOG_LEVELS, "INFO", upper=True),
            var_dir=var_dir,
            sync_max_deprecate_ratio=_float(env, "SYNC_MAX_DEPRECATE_RATIO", 0.5, low=0, high=1),
            scheduler_enabled=_bool(env, "SCHEDULER_ENABLED", True),
            refresh_schedule=_schedule(env, "REFRESH_SCHEDULE", cls.refresh_schedule),
            sync_schedule=_schedule(env, "SYNC_SCHEDULE", cls.sync_schedule),
            remote_catalog_schedule=_schedule(env, "REMOTE_CATALOG_SCHEDULE", cls.remote_catalog_schedule),
            sync_providers=_slug_list(env, "SYNC_PROVIDERS"),
            scheduler_misfire_grace=_int(env, "SCHEDULER_MISFIRE_GRACE_SECONDS", 6 * 3600,
                                         low=1, high=7 * 86400),
            http_connect_timeout=_float(env, "HTTP_CONNECT_TIMEOUT", 5.0, low=0.01, high=300),
            http_read_timeout=_float(env, "HTTP_READ_TIMEOUT", 30.0, low=0.01, high=600),
            http_deadline=_float(env, "HTTP_DEADLINE", 120.0, low=0.1, high=3600),
            http_max_response_bytes=_int(env, "HTTP_MAX_RESPONSE_BYTES", 64 * 1024 * 1024,
                                         low=1024, high=2**31),
            http_retries=_int(env, "HTTP_RETRIES", 3, low=0, high=10),
            http_backoff=_float(env, "HTTP_BACKOFF", 0.5, low=0, high=60),
            http_max_retry_after=_float(env, "HTTP_MAX_RETRY_AFTER", 30.0, low=0, high=600),
            backend_cooldown_seconds=_int(env, "BACKEND_COOLDOWN_SECONDS", 30, low=0, high=86400),
            gateway_timeout_seconds=_int(env, "GATEWAY_TIMEOUT_SECONDS", 120, low=1, high=3600),
            catalog_version_check_seconds=_float(env, "CATALOG_VERSION_CHECK_SECONDS", 1.0, low=0, high=60),
            prerender_dir=_path(env, "PRERENDER_DIR", None) if _raw(env, "PRERENDER_DIR") else None,
            catalog_kek=_catalog_kek(env, app_env),
            **_remote_catalog(env),
            catalog_signing_key=_secret_or_file(env, "CATALOG_SIGNING_KEY"),
            catalog_feed_ttl_days=_int(env, "CATALOG_FEED_TTL_DAYS", 90, low=1, high=3650),
            admin_rate_limit=_rate_limit(env, "ADMIN_RATE_LIMIT", cls.admin_rate_limit),
            ratelimit_storage_uri=_storage_uri(env, "RATELIMIT_STORAGE_URI", cls.ratelimit_storage_uri),
            environ=env,
        )


def _raw(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _parsed(env: Mapping[str, str], name: str, default: Any, parse: Callable[[str], Any], what: str):
    value = _raw(env, name)
    if value is None:
        return default
    try:
        return parse(value)
    except (ValueError, TypeError):
        raise ConfigError(f"{name}={value!r} is not {what}") from None


def _int(env, name, default, *, low, high) -> int:
    number = _parsed(env, name, default, int, "an integer")
    if not low <= number <= high:
        raise ConfigError(f"{name}={number} is out of range ({low}..{high})")
    return number


def _float(env, name, default, *, low, high) -> float:
    number = _parsed(env, name, default, float, "a number")
    if not low <= number <= high:
        raise ConfigError(f"{name}={number} is out of range ({low}..{high})")
    return number


def _bool(env, name, default) -> bool:
    truthy, falsy = ("1", "true", "yes", "on"), ("0", "false", "no", "off")

    def parse(value: str) -> bool:
        if value.lower() in truthy:
            return True
        if value.lower() in falsy:
            return False
        raise ValueError(value)

    return _parsed(env, name, default, parse, "a boolean (true/false)")


def _choice(env, name, choices, default, *, upper=False) -> str:
    value = _raw(env, name)
    if value is None:
        return default
    value = value.upper() if upper else value.lower()
    if value not in choices:
        raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}")
    return value


def _path(env, name, default: Path) -> Path:
    value = _raw(env, name)
    return Path(value).expanduser().resolve() if value else Path(default)


def _url(env, name, default: str) -> str:
    value = _raw(env, name) or default
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name}={value!r} must be an http(s) URL")
    return value


def _rate_limit(env, name, default: str) -> str:
    from limits import parse_many

    value = _raw(env, name) or default
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a rate limit such as 120/minute") from None
    return value


def _storage_uri(env, name, default: str) -> str:
    from limits.storage import SCHEMES

    value = _raw(env, name) or default
    if value.split("://", 1)[0] not in SCHEMES or "://" not in value:
        raise ConfigError(f"{name}={value!r} is not a storage URI such as redis://127.0.0.1:6379")
    return value


def _schedule(env, name, default: str) -> str:
    from backend.jobs.triggers import parse_schedule

    value = _raw(env, name) or default
    try:
        parse_schedule(value)
    except ValueError as error:
        raise ConfigError(f"{name}={value!r} is not a cron schedule: {error}") from None
    return value


def _slug_list(env, name) -> tuple[str, ...]:
    value = _raw(env, name) or ""
    slugs = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    bad = [slug for slug in slugs if not slug.replace("-", "").replace("_", "").isalnum()]
    if bad:
        raise ConfigError(f"{name} has malformed provider slug(s): {', '.join(bad)}")
    return slugs


def _database_url(env, var_dir: Path) -> str:
    value = _raw(env, "DATABASE_URL")
    if value is None:
        return f"sqlite:///{var_dir / 'catalog.db'}"
    if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigError(
            "DATABASE_URL must start with sqlite:/// or postgresql:// "
            f"(got {value.split(':', 1)[0]!r})"
        )
    return value


def _admin_api_key(env, app_env: str, var_dir: Path) -> str:
    value = _raw(env, "ADMIN_API_KEY")
    if value is not None:
        if len(value) < 16 or not value.isascii() or not value.isprintable():
            raise ConfigError("ADMIN_API_KEY must be at least 16 printable ASCII characters")
        return value
    if app_env == "production":
        raise ConfigError("ADMIN_API_KEY is required when APP_ENV=production")
    return read_or_create_secret(var_dir / "admin_api_key", "ADMIN_API_KEY")


def _catalog_kek(env, app_env: str) -> str | None:
    value = _raw(env, "CATALOG_KEK")
    path = _raw(env, "CATALOG_KEK_FILE")
    if value is None and path is not None:
        try:
            value = Path(path).expanduser().read_text().strip() or None
        except OSError as error:
            raise ConfigError(f"CATALOG_KEK_FILE={path!r} cannot be read: {error.strerror}") from None
    if value is None and app_env == "production":
        raise ConfigError("CATALOG_KEK or CATALOG_KEK_FILE is required when APP_ENV=production")
    return value


def _ed25519_key(text: str, name: str) -> str:
    """Base64 of a raw 32-byte Ed25519 key; checked here so a bad key stops the process."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{name} is not valid base64") from None
    if len(raw) != 32:
        raise ConfigError(f"{name} must be a base64 32-byte Ed25519 key (got {len(raw)} bytes)")
    return text


def _remote_catalog(env) -> dict:
    """ENABLE_REMOTE_CATALOG, CATALOG_SYNC_URL and CATALOG_SYNC_PUBKEY[_NEXT] (key rotation)."""
    enabled = _bool(env, "ENABLE_REMOTE_CATALOG", False)
    url = _url(env, "CATALOG_SYNC_URL", None) if _raw(env, "CATALOG_SYNC_URL") else None
    texts = [part.strip() for name in ("CATALOG_SYNC_PUBKEY", "CATALOG_SYNC_PUBKEY_NEXT")
             for part in (_raw(env, name) or "").split(",") if part.strip()]
    keys = tuple(_ed25519_key(text, "CATALOG_SYNC_PUBKEY") for text in texts)
    if enabled and (url is None or not keys):
        raise ConfigError("ENABLE_REMOTE_CATALOG=true needs CATALOG_SYNC_URL and CATALOG_SYNC_PUBKEY")
    return {"enable_remote_catalog": enabled, "catalog_sync_url": url, "catalog_sync_pubkeys": keys}


def _secret_or_file(env, name: str) -> str | None:
    """An Ed25519 private key from ``NAME`` or the file ``NAME_FILE``; never logged."""
    value = _raw(env, name)
    path = _raw(env, f"{name}_FILE")
    if value is None and path is not None:
        try:
            value = Path(path).expanduser().read_text().strip() or None
        except OSError as error:
            raise ConfigError(f"{name}_FILE={path!r} cannot be read: {error.strerror}") from None
    return None if value is None else _ed25519_key(value, name)


def read_or_create_secret(path: Path, what: str, *, nbytes: int = 32) -> str:
    """A development secret kept in ``var/`` with mode 0600, created on first use.

    Processes starting together agree on one secret: each writes a private temp file and
    hard-links it into place, which fails for every process but the first.
    """
    existing = _read_secret(path)
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(nbytes) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temp, path)
        log.warning("%s was not set; generated one for development in %s", what, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink()
    return _read_secret(path)


def _read_secret(path: Path) -> str | None:
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None
