"""The public read path: the catalog as served by ``GET /api/models…``.

Each catalog version is loaded from the database once and each distinct response is encoded
once (and gzipped once, on first demand); the strong ETag is a hash of the exact response bytes.
Which version is current is asked of the database at most once per ``version_ttl`` seconds per
process, and at once after this process applied a write: another process's (or instance's) new
version is served within ``version_ttl`` seconds of its commit. With ``version_ttl=0`` every
request asks (one indexed query).
"""

from __future__ import annotations

import gzip
import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from backend.catalog.apply import local_write_generation
from backend.catalog.document import encode_json
from backend.catalog.repository import current_version, load_stored_rows
from backend.catalog.rows import CatalogRow, row_to_document, sort_key
from backend.store.db import read_snapshot
from backend.store.tables import Provider


@dataclass(frozen=True)
class CatalogSnapshot:
    version: str | None
    source: str | None
    generated_at: datetime | None
    rows: tuple[CatalogRow, ...]

    def select(
        self,
        *,
        provider: str | None = None,
        component: str | None = None,
        query: str | None = None,
        include_deprecated: bool = False,
    ) -> list[CatalogRow]:
        needle = query.casefold() if query else None
        return [
            row
            for row in self.rows
            if (include_deprecated or row.is_active)
            and (provider is None or row.provider == provider)
            and (component is None or component in row.components)
            and (
                needle is None
                or needle in row.model.casefold()
                or needle in row.model_name.casefold()
                or needle in row.provider.casefold()
            )
        ]

    def document(self, rows: list[CatalogRow]) -> dict:
        return {
            "version": self.version,
            "source": self.source,
            "generated_at": self.generated_at.isoformat() + "Z" if self.generated_at else None,
            "count": len(rows),
            "models": [row_to_document(row) for row in rows],
        }


GZIP_LEVEL = 6


@dataclass(frozen=True)
class RenderedBody:
    """One encoded response; its gzip form is compressed once, when first asked for."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> RenderedBody:
        return cls(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')

    @cached_property
    def gzip_body(self) -> bytes:
        # mtime=0: the same body always compresses to the same bytes (and the same ETag).
        return gzip.compress(self.body, compresslevel=GZIP_LEVEL, mtime=0)

    @property
    def gzip_etag(self) -> str:
        """A strong validator of its own for the gzip representation (RFC 9110 §8.8.3)."""
        return self.etag[:-1] + '-gzip"'


EMPTY = CatalogSnapshot(None, None, None, ())


def load_snapshot() -> CatalogSnapshot:
    """The current version and exactly its rows.

    One read snapshot for both: a write committing between the two queries would otherwise
    label one version's rows with another's number.
    """
    with read_snapshot():
        latest = current_version()
        rows = tuple(sorted(load_stored_rows().values(), key=sort_key))
    if latest is None:
        return EMPTY
    return CatalogSnapshot(latest.version, latest.source, latest.created_at, rows)


class CatalogReader:
    """Per-process cache of the current snapshot and of encoded responses, keyed by version."""

    def __init__(self, max_bodies: int = 128, version_ttl: float = 0.0):
        self._lock = threading.Lock()
        self._snapshot = EMPTY
        self._bodies: OrderedDict[tuple, RenderedBody] = OrderedDict()
        self._max_bodies = max_bodies
        self._version_ttl = version_ttl
        self._checked_at = -math.inf
        self._checked_generation = -1

    def _version_is_fresh(self, now: float, generation: int) -> bool:
        return generation == self._checked_generation and now - self._checked_at < self._version_ttl

    def snapshot(self) -> CatalogSnapshot:
        now = time.monotonic()
        # Read before the query: a write committed meanwhile leaves a newer generation behind.
        generation = local_write_generation()
        with self._lock:
            if self._version_is_fresh(now, generation):
                return self._snapshot
        latest = current_version()
        version = latest.version if latest else None
        with self._lock:
            if self._snapshot.version == version:
                self._checked_at, self._checked_generation = now, generation
                return self._snapshot
        snapshot = load_snapshot()
        with self._lock:
            self._snapshot = snapshot
            self._bodies.clear()
            self._checked_at, self._checked_generation = now, generation
        return snapshot

    def render(self, key: tuple, build: Callable[[CatalogSnapshot], object]) -> RenderedBody:
        """The encoded response for ``key`` at the current version, built once per version."""
        snapshot = self.snapshot()
        cache_key = (snapshot.version, *key)
        with self._lock:
            cached = self._bodies.get(cache_key)
            if cached is not None:
                self._bodies.move_to_end(cache_key)
                return cached
        rendered = RenderedBody.of(encode_json(build(snapshot)))
        with self._lock:
            self._bodies[cache_key] = rendered
            while len(self._bodies) > self._max_bodies:
                self._bodies.popitem(last=False)
        return rendered


# The public responses' bodies: the API and the pre-rendered files build them with these, so both
# serve the same bytes for the same version.

def catalog_body(snapshot: CatalogSnapshot, *, provider: str | None = None, component: str | None = None,
                 query: str | None = None, include_deprecated: bool = False) -> dict:
    """``GET /api/models``: the typed catalog document."""
    return snapshot.document(snapshot.select(
        provider=provider, component=component, query=query, include_deprecated=include_deprecated))


def rows_body(snapshot: CatalogSnapshot, *, provider: str | None = None, component: str | None = None,
              include_deprecated: bool = False) -> list[dict]:
    """``/by-type/<T>`` and ``/providers/<p>``: a bare list of rows."""
    return [row_to_document(row) for row in snapshot.select(
        provider=provider, component=component, include_deprecated=include_deprecated)]


def provider_names_body(snapshot: CatalogSnapshot, *, include_deprecated: bool = False) -> list[str]:
    """``/providers``: the provider keys that have rows."""
    return sorted({row.provider for row in snapshot.select(include_deprecated=include_deprecated)})


def provider_exists(slug: str) -> bool:
    return Provider.select().where(Provider.slug == slug).exists()
