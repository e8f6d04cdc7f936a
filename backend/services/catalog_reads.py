"""The public read path: the catalog as served by ``GET /api/models…``.

Each catalog version is loaded from the database once and each distinct response is encoded
once; a request costs one indexed query (the current version) plus a dictionary lookup. The
strong ETag is a hash of the exact response bytes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from backend.catalog.document import encode_json
from backend.catalog.repository import current_version, load_stored_rows
from backend.catalog.rows import CatalogRow, row_to_document, sort_key
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


@dataclass(frozen=True)
class RenderedBody:
    body: bytes
    etag: str


EMPTY = CatalogSnapshot(None, None, None, ())


class CatalogReader:
    """Per-process cache of the current snapshot and of encoded responses, keyed by version."""

    def __init__(self, max_bodies: int = 128):
        self._lock = threading.Lock()
        self._snapshot = EMPTY
        self._bodies: OrderedDict[tuple, RenderedBody] = OrderedDict()
        self._max_bodies = max_bodies

    def snapshot(self) -> CatalogSnapshot:
        latest = current_version()
        version = latest.version if latest else None
        with self._lock:
            if self._snapshot.version == version:
                return self._snapshot
        rows = tuple(sorted(load_stored_rows().values(), key=sort_key))
        snapshot = (
            CatalogSnapshot(latest.version, latest.source, latest.created_at, rows)
            if latest else EMPTY
        )
        with self._lock:
            self._snapshot = snapshot
            self._bodies.clear()
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
        body = encode_json(build(snapshot))
        rendered = RenderedBody(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        with self._lock:
            self._bodies[cache_key] = rendered
            while len(self._bodies) > self._max_bodies:
                self._bodies.popitem(last=False)
        return rendered


def provider_exists(slug: str) -> bool:
    return Provider.select().where(Provider.slug == slug).exists()
