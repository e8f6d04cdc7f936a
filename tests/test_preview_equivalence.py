"""The preview's document diff (parse only what differs) equals the full diff of every row.

Preview compares a candidate file's row documents with the base version's snapshot and parses
only rows that differ; this checks it against ``diff_catalog`` over fully parsed rows, on many
seeded random candidates: price changes (including prices too long to survive a float), new,
removed, duplicated and deprecated rows.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from backend.catalog.diff import diff_catalog
from backend.catalog.document import parse_catalog_file, render_catalog_file
from backend.catalog.repository import current_version_string, load_stored_rows
from backend.catalog.snapshots import snapshot_documents
from backend.services.catalog_review import preview_catalog
from backend.store.tables import utcnow
from tests.conftest import small_catalog_rows

CANDIDATES = 40


def mutated_rows(rng: random.Random) -> list:
    rows = small_catalog_rows()
    for index, row in enumerate(rows):
        choice = rng.random()
        if choice < 0.2:
            rows[index] = replace(row, pricing_prompt=Decimal(f"0.{rng.randrange(10**22):022d}1"))
        elif choice < 0.35:
            rows[index] = replace(row, pricing_completion=Decimal(rng.randrange(1, 90)) / 10**7)
        elif choice < 0.45:
            rows[index] = replace(row, deprecated_on=date(2026, 8, rng.randrange(1, 28)))
        elif choice < 0.5:
            rows[index] = replace(row, notes=row.notes + " changed")
    rng.shuffle(rows)
    del rows[: rng.randrange(0, 2)]
    if rng.random() < 0.5:
        rows.append(replace(rows[0], model=f"new-model-{rng.randrange(1000)}"))
    if rng.random() < 0.3:
        rows.append(rows[-1])
    return rows


@pytest.mark.parametrize("seed", range(CANDIDATES))
def test_the_document_diff_equals_the_full_diff(bundled_catalog, app, config, store, seed):
    rows = mutated_rows(random.Random(seed))
    data = render_catalog_file("2026.09.01", "equivalence", datetime(2026, 9, 1), rows)
    config.bundled_catalog_path.write_bytes(data)

    assert snapshot_documents(current_version_string()) is not None  # the document path runs
    previewed = preview_catalog(config, "bundled").diff

    full = diff_catalog(parse_catalog_file(data).rows, load_stored_rows(),
                        base_version=current_version_string(), today=utcnow().date(),
                        in_scope=lambda row: True)
    assert previewed.new == full.new
    assert previewed.updated == full.updated
    assert previewed.deprecated == full.deprecated
    assert (previewed.unchanged, previewed.duplicates) == (full.unchanged, full.duplicates)
