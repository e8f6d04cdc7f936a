"""Sync benchmark: the ``openrouter`` provider synced from a local synthetic feed, on PostgreSQL.

For 1k, 10k and 100k models (built from the real feed's rows with varied ids and prices): the
first apply into an empty catalog, then a re-sync of the same feed with 1% of prices changed.
Beside each, the floor: parse the same payload and ``COPY`` the same rows into a fresh table.
Each phase runs in a process of its own (benchmarks/sync_child.py) that reports its time and
peak RSS. The re-sync's physical writes are counted from PostgreSQL's row versions (``xmin``):
only the changed rows may be rewritten.

Usage: ``python -m benchmarks.sync [--sizes 1000,10000,100000]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import psycopg2

from benchmarks.common import (
    RESULTS_DIR,
    ROOT,
    drop_database,
    fresh_database,
    machine_conditions,
    print_table,
    production_environment,
    synthetic_feed,
    write_report,
)

DATABASE = "mc_bench_sync"
WORK = RESULTS_DIR / "sync"
CHANGED_EVERY = 100  # 1% of the models change price in the re-sync


class FeedServer:
    """The OpenRouter models endpoint on 127.0.0.1, answering whichever payload is current."""

    def __init__(self):
        self.payload = b"{}"
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(feed.payload)))
                self.end_headers()
                self.wfile.write(feed.payload)

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def child(*args: str, env: dict[str, str]) -> dict:
    completed = subprocess.run(  # noqa: S603 (our own module)
        [sys.executable, "-m", "benchmarks.sync_child", *args], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"sync_child {args[0]} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def row_versions(database_url: str) -> dict[int, str]:
    connection = psycopg2.connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM models")
        versions = dict(cursor.fetchall())
    connection.close()
    return versions


def app_environment(database_url: str, feed: FeedServer) -> dict[str, str]:
    return production_environment(
        database_url, WORK, bundled=WORK / "no-bundled-catalog.json",
        OPENROUTER_BASE_URL=feed.base_url,
        # 100k OpenRouter entries are ~150 MB, over the default 64 MiB cap on an upstream body.
        HTTP_MAX_RESPONSE_BYTES=str(512 * 1024 * 1024),
    )


def measure_size(size: int, feed: FeedServer) -> dict:
    first = orjson.dumps({"data": synthetic_feed(size)})
    changed = orjson.dumps({"data": synthetic_feed(size, changed_every=CHANGED_EVERY)})
    feed_files = {"first": WORK / f"feed-{size}.json", "resync": WORK / f"feed-{size}-changed.json"}
    feed_files["first"].write_bytes(first)
    feed_files["resync"].write_bytes(changed)
    database_url = fresh_database(DATABASE)
    env = app_environment(database_url, feed)
    figures = {"payload_bytes": len(first)}
    feed.payload = first
    figures["first"] = child("ours", env=env)
    before = row_versions(database_url)
    feed.payload = changed
    figures["resync"] = child("ours", env=env)
    after = row_versions(database_url)
    figures["resync"]["rows_rewritten"] = sum(1 for key, xmin in after.items() if before.get(key) != xmin)
    for phase, path in feed_files.items():
        figures[f"{phase}_floor"] = child("floor", str(path), database_url, env=env)
        floor_seconds = figures[f"{phase}_floor"]["seconds"]
        figures[phase]["ratio_to_floor"] = round(figures[phase]["seconds"] / floor_seconds, 2)
    drop_database(DATABASE)
    return figures


def report(results: dict[int, dict]) -> dict:
    table = []
    for size, figures in results.items():
        for phase in ("first", "resync"):
            ours, floor = figures[phase], figures[f"{phase}_floor"]
            written = ours.get("rows_rewritten", "")
            table.append([size, phase, ours["seconds"], floor["seconds"], ours["ratio_to_floor"],
                          ours["peak_rss_mib"], floor["peak_rss_mib"], written])
    print_table("sync: openrouter feed -> catalog on PostgreSQL (seconds, MiB)",
                ["models", "phase", "ours s", "floor s", "ours/floor", "ours peak MiB",
                 "floor peak MiB", "rows rewritten"], table)
    growth = {}
    if 10_000 in results and 100_000 in results:
        for phase in ("first", "resync"):
            growth[phase] = round(results[100_000][phase]["seconds"] / results[10_000][phase]["seconds"], 2)
        print(f"\ntime growth 10k -> 100k: first apply x{growth['first']}, re-sync x{growth['resync']}")
    return {"benchmark": "sync", "machine": machine_conditions(), "changed_every": CHANGED_EVERY,
            "sizes": {str(size): figures for size, figures in results.items()},
            "growth_10k_to_100k": growth}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SYNC_SIZES", "1000,10000,100000"))
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    results = {}
    with FeedServer() as feed, contextlib.suppress(KeyboardInterrupt):
        for size in (int(part) for part in args.sizes.split(",")):
            print(f"syncing {size:,} models…", flush=True)
            results[size] = measure_size(size, feed)
            print(f"  first {results[size]['first']['seconds']:.2f}s, re-sync "
                  f"{results[size]['resync']['seconds']:.2f}s", flush=True)
    write_report("sync", report(results))


if __name__ == "__main__":
    main()
