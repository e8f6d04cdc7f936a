#!/usr/bin/env python3
"""Seed 004's provider sync from the command line: the same service as ``/admin/model-sync``.

    python3 scripts/sync_models.py                                # every configured provider
    python3 scripts/sync_models.py --providers openrouter groq    # these, in this order
    python3 scripts/sync_models.py --dry-run --verbose            # show the diff, write nothing
    python3 scripts/sync_models.py --providers cerebras --force   # apply a held-back run

Works on the configured database and catalog files (``DATABASE_URL``, ``CATALOG_PATH``…), after
preparing the database as the app does at start-up. Progress per provider goes to stderr, a
summary table to stdout. Exit 0 when every provider synced (a dry run counts; providers skipped
for want of a key do not fail a run over all of them); 1 otherwise; 2 on a configuration error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from backend.config import Config
from backend.errors import AlreadyRunning, ConfigError
from backend.services.bootstrap import prepare_database
from backend.services.jobs import SYNC_JOB, run_exclusively
from backend.services.sync import SyncReport, SyncRequest, diff_document, sync_providers
from backend.store.db import bind_database

EXIT_FAILED = 1
EXIT_CONFIG = 2
SUMMARY_COLUMNS = ("provider", "status", "fetched", "new", "updated", "deprecated", "unchanged")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Sync provider model lists into the catalog.")
    parser.add_argument("--providers", nargs="+", metavar="SLUG",
                        help="provider slugs to sync (default: every enabled, configured one)")
    parser.add_argument("--dry-run", action="store_true", help="fetch and diff; write nothing")
    parser.add_argument("--force", action="store_true",
                        help="apply even what the guard holds back (mass deprecation, empty list)")
    parser.add_argument("--verbose", action="store_true",
                        help="log HTTP and diff details; print each row of a dry/held diff")
    return parser.parse_args(argv)


def print_progress(report: SyncReport, *, verbose: bool) -> None:
    print(f"[{report.provider}] {report.status}: {report.message}", file=sys.stderr)
    if verbose and report.diff is not None and report.status in ("dry_run", "held"):
        diff = diff_document(report.diff)
        for row in diff["new"]:
            print(f"  + {row['model']} (prompt {row['pricing_prompt']}, completion "
                  f"{row['pricing_completion']}, context {row['context_length']})", file=sys.stderr)
        for change in diff["updated"]:
            fields = "; ".join(f"{name} {values['before']} -> {values['after']}"
                               for name, values in change["fields"].items())
            print(f"  ~ {change['model']}: {fields}", file=sys.stderr)
        for row in diff["deprecated"]:
            print(f"  - {row['model']} (deprecated_on={row['deprecated_on']})", file=sys.stderr)


def summary_table(reports: Sequence[SyncReport]) -> str:
    rows = [SUMMARY_COLUMNS] + [
        (r.provider, r.status, str(r.models_fetched), *(str(v) for v in r.counts().values()))
        for r in reports
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(SUMMARY_COLUMNS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        config = Config.from_env()
    except ConfigError as error:
        print(f"sync_models: configuration error: {error.message}", file=sys.stderr)
        return EXIT_CONFIG
    request = SyncRequest(trigger="cli", dry_run=args.dry_run, force=args.force)
    database = bind_database(config.database_url)
    try:
        with database.connection_context():
            prepare_database(config)
            reports = run_exclusively(SYNC_JOB, lambda: sync_providers(
                config, args.providers, request,
                on_report=lambda r: print_progress(r, verbose=args.verbose)))
    except AlreadyRunning as error:
        print(f"sync_models: {error.message}", file=sys.stderr)
        return EXIT_FAILED
    for report in reports:
        if report.status == "skipped" and args.verbose:
            print(f"[{report.provider}] {report.message}", file=sys.stderr)
    print(summary_table(reports))
    ran = [r for r in reports if r.status != "skipped"]
    return 0 if all(r.success for r in ran) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
