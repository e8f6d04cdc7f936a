"""Preview benchmark: the diff preview of a 100k-row candidate against a 100k-row catalog.

The catalog is applied at start-up from a bundled file of N synthetic rows; the candidate is
another bundled file of the same rows with 1% of prices changed, 0.5% removed and 0.5% new.
Timed, in process, on PostgreSQL: ``preview_catalog`` (decode the candidate, read the base
version's snapshot documents, diff them, parsing only differing rows, record the preview) and
``present_preview`` (what the admin API returns), with the parts broken down.
Usage: ``python -m benchmarks.preview [--rows 100000]``.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import shutil
import time
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from benchmarks.common import (
    RESULTS_DIR,
    drop_database,
    fresh_database,
    machine_conditions,
    print_table,
    synthetic_rows,
    write_report,
)

DATABASE = "mc_bench_preview"
WORK = RESULTS_DIR / "preview"


def candidate_rows(rows: list) -> list:
    """1% repriced, 0.5% gone, 0.5% new."""
    candidate = []
    for index, row in enumerate(rows):
        if index % 200 == 1:
            continue
        if index % 100 == 0 and row.pricing_prompt is not None:
            row = replace(row, pricing_prompt=row.pricing_prompt * 2 + Decimal("0.0000001"))
        candidate.append(row)
        if index % 200 == 2:
            candidate.append(replace(row, model=row.model + "-preview-new"))
    return candidate


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_PREVIEW_ROWS", 100_000)))
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    os.environ.update({
        "APP_ENV": "production",
        "DATABASE_URL": fresh_database(DATABASE),
        "ADMIN_API_KEY": secrets.token_hex(16),
        "CATALOG_KEK": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "CATALOG_PATH": str(WORK / "data" / "models.json"),
        "CATALOG_MIRROR_PATH": str(WORK / "public" / "models.json"),
        "BUNDLED_CATALOG_PATH": str(WORK / "bundled.json"),
        "VAR_DIR": str(WORK / "var"),
        "LOG_LEVEL": "WARNING",
    })
    from backend.app import create_app
    from backend.catalog.diff import diff_documents
    from backend.catalog.document import parse_row, read_catalog_documents, render_catalog_file
    from backend.catalog.repository import current_version_string, load_rows_by_key
    from backend.catalog.snapshots import snapshot_documents
    from backend.config import Config
    from backend.services.catalog_review import present_preview, preview_catalog
    from backend.store.db import db

    rows = synthetic_rows(args.rows)
    bundled = WORK / "bundled.json"
    bundled.write_bytes(render_catalog_file("2026.11.01", "bench", datetime(2026, 11, 1), rows))
    config = Config.from_env()
    print(f"applying a {args.rows:,}-row catalog…", flush=True)
    _, apply_seconds = timed(lambda: create_app(config))
    changed = candidate_rows(rows)
    bundled.write_bytes(render_catalog_file("2026.11.02", "bench", datetime(2026, 11, 2), changed))
    with db.connection_context():
        data = bundled.read_bytes()
        base = current_version_string()
        candidate, parse_seconds = timed(lambda: read_catalog_documents(data))
        stored, load_seconds = timed(lambda: snapshot_documents(base))
        _, diff_seconds = timed(lambda: diff_documents(
            candidate.models, stored.documents, inexact=stored.inexact, base_version=base,
            today=datetime(2026, 11, 2).date(), parse=parse_row, load_rows=load_rows_by_key))
        preview, preview_seconds = timed(lambda: preview_catalog(config, "bundled"))
        _, present_seconds = timed(lambda: present_preview(preview))
    drop_database(DATABASE)
    figures = {
        "rows": args.rows, "candidate_rows": len(candidate.models),
        "inexact_stored_rows": len(stored.inexact), "counts": preview.diff.counts(),
        "preview_seconds": round(preview_seconds, 3), "present_seconds": round(present_seconds, 3),
        "total_seconds": round(preview_seconds + present_seconds, 3),
        "parts": {"decode_candidate": round(parse_seconds, 3),
                  "snapshot_documents": round(load_seconds, 3),
                  "diff": round(diff_seconds, 3)},
        "initial_apply_seconds": round(apply_seconds, 1),
    }
    print_table(f"preview: {len(candidate.models):,}-row candidate against a {args.rows:,}-row catalog "
                f"({figures['counts']})", ["step", "seconds"],
                [["decode candidate file", parse_seconds],
                 ["stored side: base version's snapshot documents", load_seconds],
                 ["diff (only differing documents parsed)", diff_seconds],
                 ["preview_catalog (all of the above + record)", preview_seconds],
                 ["present_preview (API body)", present_seconds],
                 ["total (POST /admin/catalog/preview)", preview_seconds + present_seconds]])
    write_report("preview", {"benchmark": "preview", "machine": machine_conditions(), **figures})


if __name__ == "__main__":
    main()
