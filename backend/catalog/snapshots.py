"""Each applied version's canonical catalog bytes, kept so the version can be reproduced exactly.

``store_snapshot`` runs inside the apply transaction, after the version row is written, so the
bytes are exactly the rows that version committed. A revert previews a snapshot as its candidate;
the published feed serves one, and publishing writes the current version's snapshot to the files.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import datetime

import orjson

from backend.catalog.document import render_catalog_file
from backend.catalog.repository import load_stored_rows
from backend.catalog.rows import RowKey
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


# A price that row_from_document reads (per 1M) whose text may not survive orjson's float
# exactly: 16 or more characters, so possibly more than 15 digits (feeds do carry prices such as
# 0.00000958083832335329 per token). Snapshots are written fixed-point, never with an exponent.
_INEXACT_PRICE = re.compile(rb'_per_1m": -?\d[\d.]{15}')
_EMPTY_NAME = re.compile(rb'"model_name":\s*""')
# Where each row document starts in a rendered catalog (two-space indent, rows at depth 2).
_ROW_START = re.compile(rb"\n    \{\n")


@dataclass(frozen=True)
class SnapshotDocuments:
    """A snapshot's row documents by key, and the keys whose document would not read back as
    exactly the stored row (a price whose digits a float does not hold)."""

    documents: dict[RowKey, dict]
    inexact: frozenset[RowKey]


def snapshot_documents(version: str) -> SnapshotDocuments | None:
    """``version``'s snapshot rows as served documents, decoded as catalog files are.

    None when no snapshot was kept, or when some row has an empty model name (a document reads
    it back as the model id).
    """
    data = load_snapshot(version)
    if data is None or _EMPTY_NAME.search(data):
        return None
    models = orjson.loads(data)["models"]
    starts = [match.start() for match in _ROW_START.finditer(data)]
    if len(starts) != len(models):
        return None
    inexact = {bisect.bisect_right(starts, match.start()) - 1
               for match in _INEXACT_PRICE.finditer(data)}
    documents = {(doc["provider"], doc["model"]): doc for doc in models}
    return SnapshotDocuments(documents, frozenset(
        (models[index]["provider"], models[index]["model"]) for index in inexact))


def snapshot_versions() -> set[str]:
    return {version for (version,) in CatalogSnapshot.select(CatalogSnapshot.version).tuples()}
