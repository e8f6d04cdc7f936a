"""The decide phase: a pure comparison of candidate rows against the stored catalog.

``diff_catalog`` touches nothing. It says which candidate rows are new, which stored rows change
(field by field, before -> after), which stored rows in the candidate's scope are no longer
offered and become deprecated, and how many are unchanged. The apply phase writes exactly this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, field, replace
from datetime import date

from backend.catalog.rows import CatalogRow, RowKey
from backend.errors import Invalid

Deprecate = Callable[[CatalogRow, date], CatalogRow]


@dataclass(frozen=True)
class RowChange:
    """A stored row and what it becomes."""

    before: CatalogRow
    after: CatalogRow

    @property
    def key(self) -> RowKey:
        return self.after.key

    @property
    def fields(self) -> dict[str, tuple[object, object]]:
        return self.before.changed_fields(self.after)


@dataclass(frozen=True)
class CatalogDiff:
    """What applying a candidate would do, computed against ``base_version``."""

    base_version: str | None
    new: tuple[CatalogRow, ...] = ()
    updated: tuple[RowChange, ...] = ()
    deprecated: tuple[RowChange, ...] = ()
    unchanged: int = 0
    scope_active: int = 0
    duplicates: tuple[RowKey, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.updated or self.deprecated)

    @property
    def rows_changed(self) -> int:
        return len(self.new) + len(self.updated) + len(self.deprecated)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "deprecated": len(self.deprecated),
            "unchanged": self.unchanged,
        }


def default_deprecate(row: CatalogRow, today: date) -> CatalogRow:
    return row.deprecated(today)


def dedupe_rows(rows: Iterable[CatalogRow]) -> tuple[list[CatalogRow], list[RowKey]]:
    """Keep the first row of each key: upstream payloads do repeat ids, and PostgreSQL rejects a
    batch that inserts one key twice."""
    seen: dict[RowKey, CatalogRow] = {}
    duplicates: list[RowKey] = []
    for row in rows:
        if row.key in seen:
            duplicates.append(row.key)
            continue
        seen[row.key] = row
    return list(seen.values()), duplicates


def diff_catalog(
    candidate: Iterable[CatalogRow],
    stored: Mapping[RowKey, CatalogRow],
    *,
    base_version: str | None,
    today: date,
    in_scope: Callable[[CatalogRow], bool] = lambda row: True,
    deprecate: Deprecate = default_deprecate,
) -> CatalogDiff:
    """Compare ``candidate`` with ``stored``.

    A stored row for which ``in_scope`` is true and that the candidate no longer lists is
    deprecated with ``deprecate``; rows out of scope are never touched.
    """
    rows, duplicates = dedupe_rows(candidate)
    new: list[CatalogRow] = []
    updated: list[RowChange] = []
    unchanged = 0
    for row in rows:
        before = stored.get(row.key)
        if before is None:
            new.append(row)
        elif before != row:
            updated.append(RowChange(before, row))
        else:
            unchanged += 1
    offered = {row.key for row in rows}
    deprecated: list[RowChange] = []
    scope_active = 0
    for key, before in stored.items():
        if not in_scope(before) or not before.is_active:
            continue
        scope_active += 1
        if key not in offered:
            after = deprecate(before, today)
            if after == before:
                raise Invalid(f"deprecating {key[0]}/{key[1]} changed nothing")
            deprecated.append(RowChange(before, after))
    return CatalogDiff(
        base_version=base_version,
        new=tuple(sorted(new, key=lambda r: r.key)),
        updated=tuple(sorted(updated, key=lambda c: c.key)),
        deprecated=tuple(sorted(deprecated, key=lambda c: c.key)),
        unchanged=unchanged,
        scope_active=scope_active,
        duplicates=tuple(duplicates),
    )


# The document fields ``row_from_document`` reads prices from.
DOCUMENT_PRICES = ("input_per_1m", "output_per_1m", "cache_read_per_1m", "cache_write_per_1m")


def _same_document(document: dict, before: dict | None) -> bool:
    # Equal documents are equal rows; but JSON's true equals 1, and a boolean price is malformed.
    return before == document and not any(
        type(document[name]) is bool for name in DOCUMENT_PRICES)


def diff_documents(
    candidate: Iterable[object],
    stored: Mapping[RowKey, dict],
    *,
    inexact: Set[RowKey],
    base_version: str | None,
    today: date,
    parse: Callable[[object], CatalogRow],
    load_rows: Callable[[list[RowKey]], Mapping[RowKey, CatalogRow]],
) -> CatalogDiff:
    """``diff_catalog`` of a whole catalog (every stored row in scope) on decoded documents.

    ``candidate`` are a catalog file's row documents; ``stored`` every stored row's document
    decoded the same way, and ``inexact`` the keys whose document would not read back as exactly
    the stored row (``snapshot_documents``); ``parse`` turns a document into a row and
    ``load_rows`` loads stored rows by key. A candidate document equal to an exact stored one is
    the same row, so it is counted unchanged without being parsed; only the others, and the
    stored rows they or a deprecation touch, become rows. The result is ``diff_catalog``'s.
    """
    changed: list[CatalogRow] = []
    duplicates: list[RowKey] = []
    offered: set[RowKey] = set()
    unchanged = 0
    for document in candidate:
        # Parsed in file order, duplicates too, so a malformed row fails as it always has.
        if not isinstance(document, dict) or "provider" not in document or "model" not in document:
            parse(document)  # raises: such a row is malformed
        key = (document["provider"], document["model"])
        same = key not in inexact and _same_document(document, stored.get(key))
        if key in offered:
            duplicates.append(key)
            if not same:
                parse(document)
            continue
        offered.add(key)
        if same:
            unchanged += 1
        else:
            changed.append(parse(document))
    touched = [row.key for row in changed if row.key in stored]
    touched += [key for key in stored if key not in offered]
    before = dict(load_rows([key for key in touched if key in inexact]))
    before.update((key, parse(stored[key])) for key in touched if key not in inexact)
    diff = diff_catalog(changed, before, base_version=base_version, today=today)
    scope_active = sum(1 for document in stored.values() if document["deprecated_on"] is None)
    return replace(diff, unchanged=diff.unchanged + unchanged, scope_active=scope_active,
                   duplicates=tuple(duplicates))
