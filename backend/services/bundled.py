"""Applying a whole catalog file (the bundled catalog, or any candidate file) to the database."""

from __future__ import annotations

from pathlib import Path

from backend.catalog.document import CatalogFile, parse_catalog_file
from backend.config import Config
from backend.services.catalog_writes import WriteOutcome, write_catalog
from backend.services.runs import finish_run, start_run


def read_catalog_file(path: Path) -> CatalogFile:
    return parse_catalog_file(path.read_bytes())


def apply_catalog_file(config: Config, path: Path, *, trigger: str) -> WriteOutcome:
    """Make the catalog equal to the file's: its rows, its version, deprecating what it lacks."""
    catalog = read_catalog_file(path)
    run = start_run("apply", trigger)
    outcome = write_catalog(
        catalog.rows,
        config=config,
        source=catalog.source,
        trigger=trigger,
        in_scope=lambda row: True,
        version=catalog.version,
        created_at=catalog.generated_at,
    )
    finish_run(run, outcome.status, diff=outcome.diff,
               version=outcome.applied.version if outcome.applied else None,
               models_fetched=len(catalog.rows), models_transformed=len(catalog.rows))
    return outcome
