"""Each applied version's canonical catalog bytes, kept so the version can be reproduced exactly.

``store_snapshot`` runs inside the apply transaction, after the version row is written, so the
bytes are exactly the rows that version committed. A revert previews a snapshot as its candidate;
the published feed serves one, and publishing writes the current version's snapshot to the files.
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

from backend.catalog.document import render_catalog_file
from backend.catalog.repository import load_stored_rows
from backend.store.review_tables import CatalogSnapshot

COMPRESSION_LEVEL = 6

# The snapshot this process stored last (version, sha256, bytes), held until the publish that
# follows the commit takes it, so a write renders its catalog once rather than twice.
_last_stored: tuple[str, str, bytes] | None = None


def store_snapshot(version: str, source: str, generated_at: datetime) -> bytes:
    """Record the catalog as the current transaction sees it, as ``version``; its bytes."""
    global _last_stored
    data = render_catalog_file(version, source, generated_at, load_stored_rows().values())
    digest = hashlib.sha256(data).hexdigest()
    CatalogSnapshot.create(version=version, sha256=digest, data=zlib.compress(data, COMPRESSION_LEVEL))
    _last_stored = (version, digest, data)
    return data


def committed_snapshot(version: str) -> bytes | None:
    """The canonical bytes of ``version`` as committed; None when no snapshot was kept.

    The bytes this process just stored are used when they are the committed ones (same digest:
    a rolled-back attempt's bytes never match another commit's unless they are identical);
    otherwise the snapshot is read back.
    """
    global _last_stored
    digest = (CatalogSnapshot.select(CatalogSnapshot.sha256)
              .where(CatalogSnapshot.version == version).scalar())
    if digest is None:
        return None
    held, _last_stored = _last_stored, None
    if held is not None and held[:2] == (version, digest):
        return held[2]
    return load_snapshot(version)


def load_snapshot(version: str) -> bytes | None:
    """The canonical bytes of ``version``; None when no snapshot was kept."""
    record = CatalogSnapshot.get_or_none(CatalogSnapshot.version == version)
    return None if record is None else zlib.decompress(bytes(record.data))


def snapshot_versions() -> set[str]:
    return {version for (version,) in CatalogSnapshot.select(CatalogSnapshot.version).tuples()}
