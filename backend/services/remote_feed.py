"""The signed catalog feed: publishing this instance's catalog, and consuming a remote one.

Feed format (README "Catalog versions, review and the signed feed"): the feed is a catalog
document exactly as ``data/models.json`` renders it, with one more top-level field, ``expires``
(ISO 8601 UTC), inside the signed bytes. Its detached signature lives at ``<feed URL>.sig``:
``{"algorithm": "ed25519", "key_id": "<16 hex>", "signature": "<base64 of 64 bytes>"}`` over the
feed's exact bytes.

Consuming: download both with the shared HTTP client (size cap, deadline), check the signature
over the exact bytes before parsing anything, then the expiry, then the version against the last
accepted one (no rollback, no equivocation). Every fetch is recorded with its verdict; only a
feed that passed every check becomes the pending candidate for preview and apply.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
import requests

from backend.catalog.document import CatalogFile, catalog_document, encode_json, parse_catalog_file
from backend.catalog.repository import current_version
from backend.catalog.snapshots import load_snapshot
from backend.catalog.versions import version_key
from backend.config import Config
from backend.crypto.signing import SIGNATURE_BYTES, SigningKey, VerifyingKey
from backend.errors import Invalid, NotFound, UpstreamError
from backend.sources.http import HttpSettings, UpstreamClient, describe_failure, safe_url
from backend.store.review_tables import CatalogSnapshot, RemoteFeedFetch
from backend.store.tables import utcnow

log = logging.getLogger(__name__)

SIGNATURE_SUFFIX = ".sig"
ALGORITHM = "ed25519"


class FeedRejected(Exception):
    """A downloaded feed failed a check; ``reason`` is the recorded code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class SignedFeed:
    version: str
    body: bytes
    signature: bytes


@dataclass(frozen=True)
class VerifiedFeed:
    catalog: CatalogFile
    expires_at: datetime
    key_id: str
    sha256: str


# --- publishing --------------------------------------------------------------------------------

def render_feed(catalog_bytes: bytes, expires_at: datetime) -> bytes:
    """The feed bytes for a catalog file: the same document, with ``expires`` added."""
    catalog = parse_catalog_file(catalog_bytes)
    document = catalog_document(catalog.version, catalog.source, catalog.generated_at, catalog.rows)
    ordered = {
        "version": document["version"],
        "source": document["source"],
        "generated_at": document["generated_at"],
        "expires": expires_at.replace(microsecond=0).isoformat() + "Z",
        **{name: document[name] for name in ("count", "models")},
    }
    return encode_json(ordered, indent=True)


def signature_document(key: SigningKey, body: bytes) -> bytes:
    return encode_json(
        {"algorithm": ALGORITHM, "key_id": key.key_id,
         "signature": base64.b64encode(key.sign(body)).decode()},
        indent=True,
    )


def sign_catalog(catalog_bytes: bytes, key: SigningKey, expires_at: datetime) -> SignedFeed:
    body = render_feed(catalog_bytes, expires_at)
    return SignedFeed(parse_catalog_file(body).version, body, signature_document(key, body))


class FeedPublisher:
    """This instance's catalog as a signed feed, signed once per version.

    ``expires`` is fixed per version (its apply time plus ``CATALOG_FEED_TTL_DAYS``), so a
    version always has the same bytes: re-signing it differently would look like equivocation.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._cached: SignedFeed | None = None

    def current(self, config: Config) -> SignedFeed:
        if config.catalog_signing_key is None:
            raise NotFound("this instance publishes no feed: CATALOG_SIGNING_KEY is not set")
        latest = current_version()
        if latest is None:
            raise NotFound("the catalog is empty; there is nothing to publish")
        with self._lock:
            if self._cached is not None and self._cached.version == latest.version:
                return self._cached
        snapshot = CatalogSnapshot.get_or_none(CatalogSnapshot.version == latest.version)
        if snapshot is None:
            raise NotFound(f"no snapshot of version {latest.version} to publish")
        expires_at = snapshot.created_at + timedelta(days=config.catalog_feed_ttl_days)
        feed = sign_catalog(load_snapshot(latest.version),
                            SigningKey.from_base64(config.catalog_signing_key), expires_at)
        with self._lock:
            self._cached = feed
        return feed


# --- verifying ---------------------------------------------------------------------------------

def _signature_of(signature_bytes: bytes) -> tuple[str, bytes]:
    try:
        document = orjson.loads(signature_bytes)
        key_id, signature = document["key_id"], base64.b64decode(document["signature"], validate=True)
    except (orjson.JSONDecodeError, KeyError, TypeError, binascii.Error, ValueError):
        raise FeedRejected("bad_signature", "the signature file is malformed") from None
    if document.get("algorithm") != ALGORITHM or len(signature) != SIGNATURE_BYTES:
        raise FeedRejected("bad_signature", f"the signature is not a {ALGORITHM} signature")
    return str(key_id), signature


def _expiry_of(body: bytes) -> datetime:
    try:
        expires = orjson.loads(body)["expires"]
        return datetime.fromisoformat(str(expires).rstrip("Z")).replace(tzinfo=None)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise FeedRejected("malformed", "the feed has no valid 'expires' field") from None


def verify_feed(body: bytes, signature_bytes: bytes, keys: list[VerifyingKey],
                now: datetime) -> VerifiedFeed:
    """Signature over the exact bytes first; only then parse, and check the expiry."""
    key_id, signature = _signature_of(signature_bytes)
    key = next((k for k in keys if k.key_id == key_id), None)
    if key is None:
        raise FeedRejected("unknown_key", f"the feed is signed by key {key_id}, which is not "
                                          "one of CATALOG_SYNC_PUBKEY")
    if not key.verifies(signature, body):
        raise FeedRejected("bad_signature", f"the signature does not match the feed's bytes "
                                            f"(key {key_id})")
    expires_at = _expiry_of(body)
    if expires_at <= now:
        raise FeedRejected("expired", f"the feed expired at {expires_at.isoformat()}Z")
    try:
        catalog = parse_catalog_file(body)
    except Invalid as error:
        raise FeedRejected("malformed", error.message) from None
    return VerifiedFeed(catalog, expires_at, key_id, hashlib.sha256(body).hexdigest())


def last_accepted() -> RemoteFeedFetch | None:
    """The accepted feed with the highest version: the reference for rollback and equivocation."""
    accepted = RemoteFeedFetch.select().where(RemoteFeedFetch.status == "accepted")
    return max(accepted, key=lambda record: version_key(record.version), default=None)


def check_against_last(feed: VerifiedFeed, last: RemoteFeedFetch | None) -> bool:
    """True when ``feed`` is new; False when it repeats the last accepted bytes."""
    if last is None:
        return True
    version = feed.catalog.version
    if version_key(version) < version_key(last.version):
        raise FeedRejected("rollback", f"the feed's version {version} is older than the last "
                                       f"accepted {last.version}")
    if version == last.version:
        if feed.sha256 != last.sha256:
            raise FeedRejected("equivocation", f"version {version} was accepted before with "
                                               "other bytes")
        return False
    return True


# --- consuming ---------------------------------------------------------------------------------

class FeedClient(UpstreamClient):
    """The shared HTTP client, reading raw bytes: the signature covers bytes, not JSON."""

    def get_bytes(self, url: str) -> bytes:
        timeout = (self.settings.connect_timeout,
                   min(self.settings.read_timeout, self._remaining(url)))
        try:
            with self.session.get(url, timeout=timeout, stream=True,
                                  headers={"Accept": "application/json"}) as response:
                self._check_status(response, url)
                return self._read_body(response, url)
        except requests.RequestException as exc:
            raise UpstreamError(f"{safe_url(url)}: {describe_failure(exc)}") from None


def _download(config: Config) -> tuple[bytes, bytes]:
    url = config.catalog_sync_url
    with FeedClient(HttpSettings.from_config(config)) as client:
        try:
            return client.get_bytes(url), client.get_bytes(url + SIGNATURE_SUFFIX)
        except UpstreamError as error:
            raise FeedRejected("download_failed", error.message) from None


def _record(config: Config, trigger: str, status: str, **values) -> RemoteFeedFetch:
    return RemoteFeedFetch.create(url=safe_url(config.catalog_sync_url), trigger=trigger,
                                  status=status, **values)


def fetch_remote_catalog(config: Config, trigger: str) -> RemoteFeedFetch:
    """Download, verify and record the remote feed (the scheduled job and the admin button)."""
    if not config.enable_remote_catalog:
        raise Invalid("the remote catalog is not enabled (ENABLE_REMOTE_CATALOG=false)")
    keys = [VerifyingKey.from_base64(text) for text in config.catalog_sync_pubkeys]
    size = None
    try:
        body, signature = _download(config)
        size = len(body)
        feed = verify_feed(body, signature, keys, utcnow())
        is_new = check_against_last(feed, last_accepted())
    except FeedRejected as rejection:
        log.warning("rejected the remote catalog feed (%s): %s", rejection.reason, rejection.message)
        return _record(config, trigger, "rejected", reason=rejection.reason,
                       message=rejection.message, size=size)
    values = {"version": feed.catalog.version, "sha256": feed.sha256, "key_id": feed.key_id,
              "expires_at": feed.expires_at, "size": size}
    if not is_new:
        return _record(config, trigger, "unchanged", message="same version and bytes as before",
                       **values)
    log.info("accepted remote catalog feed %s (key %s)", feed.catalog.version, feed.key_id)
    return _record(config, trigger, "accepted", message="verified; pending review",
                   payload=zlib.compress(body), **values)


def pending_feed() -> RemoteFeedFetch | None:
    return last_accepted()


def pending_feed_bytes(record: RemoteFeedFetch) -> bytes:
    """The verified bytes of an accepted feed; refused once it has expired."""
    if record.expires_at <= utcnow():
        raise Invalid(f"the pending remote feed {record.version} expired at "
                      f"{record.expires_at.isoformat()}Z; fetch a fresh one")
    return zlib.decompress(bytes(record.payload))
