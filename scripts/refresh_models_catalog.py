#!/usr/bin/env python3
"""Seed 003's daily refresh from the command line (and the GitHub workflow).

Works on the configured database and catalog files (``DATABASE_URL``, ``CATALOG_PATH``,
``CATALOG_MIRROR_PATH``): it prepares the database exactly as the app does at start-up (so an
empty database gets the bundled catalog first), then refreshes the managed providers' GEN rows
from the OpenRouter feed.

Exit codes: 0 on success and on a no-op; 1 when the feed cannot be fetched or is malformed
(nothing is written); 2 on a configuration error; 3 when the guard held the change back.
Progress goes to stderr; ``--dry-run`` prints what would change to stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence

from backend.catalog.apply import change_text
from backend.catalog.diff import CatalogDiff
from backend.catalog.rows import CatalogRow
from backend.config import Config
from backend.errors import CatalogError, ConfigError
from backend.services.bootstrap import prepare_database
from backend.services.jobs import REFRESH_JOB, run_exclusively
from backend.services.refresh import RefreshResult, refresh_catalog
from backend.store.db import bind_database

EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_HELD = 3


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Refresh the managed providers' GEN rows "
                                                 "from the OpenRouter models feed.")
    parser.add_argument("--feed-url", help="models feed (default: OPENROUTER_MODELS_URL)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would change; write nothing")
    parser.add_argument("--force", action="store_true",
                        help="apply even a change the guard holds back (mass deprecation)")
    return parser.parse_args(argv)


def _name(row: CatalogRow) -> str:
    return f"{row.provider}/{row.model}"


def _price(row: CatalogRow) -> str:
    if row.pricing_unknown:
        return "pricing unknown"
    return (f"prompt {change_text(row.pricing_prompt)}, "
            f"completion {change_text(row.pricing_completion)} USD/token")


def describe_diff(diff: CatalogDiff) -> list[str]:
    """One line per new, updated or deprecated row, with before -> after for each field."""
    lines = [f"new {_name(row)} ({_price(row)}, context {row.context_length})" for row in diff.new]
    for change in diff.updated:
        fields = "; ".join(
            f"{name} {change_text(old)} -> {change_text(new)}"
            for name, (old, new) in change.fields.items()
        )
        lines.append(f"updated {_name(change.after)}: {fields}")
    lines += [
        f"deprecated {_name(change.after)} (deprecated_on={change.after.deprecated_on})"
        for change in diff.deprecated
    ]
    return lines


def report(result: RefreshResult) -> None:
    counts = result.diff.counts()
    print(
        f"refresh {result.status}: {result.models_fetched} models in the feed, "
        f"{result.models_managed} managed; new {counts['new']}, updated {counts['updated']}, "
        f"deprecated {counts['deprecated']}, unchanged {counts['unchanged']}"
        + (f"; version {result.version}" if result.version else ""),
        file=sys.stderr,
    )
    if result.status == "dry_run":
        for line in describe_diff(result.diff):
            print(line)


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = Config.from_env(environ)
    except ConfigError as error:
        print(f"refresh failed: configuration error: {error.message}", file=sys.stderr)
        return EXIT_CONFIG
    feed = args.feed_url or config.openrouter_models_url
    database = bind_database(config.database_url)
    try:
        with database.connection_context():
            prepare_database(config)
            print(f"refreshing from {feed}{' (dry run)' if args.dry_run else ''}", file=sys.stderr)
            result = run_exclusively(REFRESH_JOB, lambda: refresh_catalog(
                config, trigger="cli", feed_url=feed, dry_run=args.dry_run, force=args.force))
    except CatalogError as error:
        print(f"refresh failed: {error.message}", file=sys.stderr)
        return EXIT_FAILED
    report(result)
    if result.status == "held":
        print(f"refresh held back: {result.held_reason}", file=sys.stderr)
        return EXIT_HELD
    return 0


if __name__ == "__main__":
    sys.exit(main())
