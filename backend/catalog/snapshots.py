"""Each applied version's canonical catalog bytes, kept so the version can be reproduced exactly.

``store_snapshot`` runs inside the apply transaction, after the version row is written, so the
bytes are exactly the rows that version committed. A revert previews a snapshot as its candidate;
the published feed serves one.
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

from backend.catalog.document import render_catalog_file
from backend.catalog.repository import load_stored_rows
from backend.store.review_tables import CatalogSnapshot

COMPRESSION_LEVEL = 6


def store_snapshot(version: str, source: str, generated_at: datetime) -> None:
    """Record the catalog as the current transaction sees it, as ``version``."""
    data = render_catalog_file(version, source, generated_at, load_stored_rows().values())
    CatalogSnapshot.create(
        version=version,
        sha256=hashlib.sha256(data).hexdigest(),
        data=zlib.compress(data, COMPRESSION_LEVEL),
    )


def load_snapshot(version: str) -> bytes | None:
    """The canonical bytes of ``version``; None when no snapshot was kept."""
    record = CatalogSnapshot.get_or_none(CatalogSnapshot.version == version)
    return None if record is None else zlib.decompress(bytes(record.data))


def snapshot_versions() -> set[str]:
    return {version for (version,) in CatalogSnapshot.select(CatalogSnapshot.version).tuples()}
