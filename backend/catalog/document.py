"""The catalog document: the bytes of ``data/models.json`` and of ``GET /api/models``.

One encoder for both, so the file and the API agree: decimals are written as exact fixed-point
JSON numbers (never through a float), keys keep a fixed order, and the same catalog always
encodes to the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import orjson

from backend.catalog.rows import CatalogRow, row_from_document, row_to_document, sort_key
from backend.catalog.versions import version_key
from backend.errors import Invalid
from backend.store.fields import format_decimal


def _encode_default(value: object):
    if isinstance(value, Decimal):
        return orjson.Fragment(format_decimal(value).encode())
    raise TypeError(f"cannot encode {type(value).__name__}")


def encode_json(document: object, *, indent: bool = False) -> bytes:
    option = orjson.OPT_NON_STR_KEYS
    if indent:
        option |= orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    return orjson.dumps(document, default=_encode_default, option=option)


@dataclass(frozen=True)
class CatalogFile:
    """A parsed catalog document."""

    version: str
    source: str
    generated_at: datetime
    rows: tuple[CatalogRow, ...]


def catalog_document(version: str, source: str, generated_at: datetime, rows) -> dict:
    ordered = sorted(rows, key=sort_key)
    return {
        "version": version,
        "source": source,
        "generated_at": generated_at.isoformat() + "Z",
        "count": len(ordered),
        "models": [row_to_document(row) for row in ordered],
    }


def render_catalog_file(version: str, source: str, generated_at: datetime, rows) -> bytes:
    return encode_json(catalog_document(version, source, generated_at, rows), indent=True)


@dataclass(frozen=True)
class CatalogDocuments:
    """A catalog document whose rows are still their decoded JSON (``row_from_document`` input)."""

    version: str
    source: str
    generated_at: datetime
    models: list


def read_catalog_documents(data: bytes) -> CatalogDocuments:
    """Decode a catalog document and validate its header; its rows are parsed by the caller."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise Invalid(f"catalog file is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("models"), list):
        raise Invalid("catalog file must be an object with a 'models' list")
    version = document.get("version")
    if not isinstance(version, str):
        raise Invalid("catalog file has no 'version'")
    version_key(version)
    try:
        generated_at = datetime.fromisoformat(str(document.get("generated_at", "")).rstrip("Z"))
    except (TypeError, ValueError) as exc:
        raise malformed(exc) from None
    return CatalogDocuments(version, str(document.get("source", "")), generated_at, document["models"])


def malformed(exc: Exception) -> Invalid:
    return Invalid(f"catalog file has a malformed row or date: {exc!r}")


def parse_row(document: object) -> CatalogRow:
    """One row of a catalog document; anything malformed is ``Invalid``."""
    try:
        return row_from_document(document)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise malformed(exc) from None


def parse_catalog_file(data: bytes) -> CatalogFile:
    """Parse and validate a catalog document; anything malformed is ``Invalid``, whole."""
    catalog = read_catalog_documents(data)
    rows = tuple(parse_row(doc) for doc in catalog.models)
    return CatalogFile(catalog.version, catalog.source, catalog.generated_at, rows)
