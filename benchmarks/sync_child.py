"""One measured sync phase, in a process of its own so its peak memory is its own.

``python -m benchmarks.sync_child ours`` syncs the ``openrouter`` provider from the local feed
(``OPENROUTER_BASE_URL``) through ``sync_provider``, end to end: fetch, parse, transform, diff,
guard, apply, publish. ``python -m benchmarks.sync_child floor <feed file>`` is the floor: parse
the same payload and PostgreSQL ``COPY`` the same rows into a fresh table. Each prints one JSON
line: seconds, peak RSS, and (ours) the run's counts.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time

import orjson
import psycopg2

FLOOR_COLUMNS = ("provider_model_id", "model_name", "pricing_prompt", "pricing_completion",
                 "pricing_cache_read", "pricing_cache_write", "context_length", "max_output_tokens",
                 "modality", "input_modalities", "output_modalities")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sync_ours() -> dict:
    from backend.app import create_app
    from backend.config import Config
    from backend.services.sync import sync_provider
    from backend.store.db import db

    config = Config.from_env()
    create_app(config)
    with db.connection_context():
        started = time.perf_counter()
        report = sync_provider(config, "openrouter")
        seconds = time.perf_counter() - started
    if report.status not in ("success", "noop"):
        raise SystemExit(f"sync ended {report.status}: {report.message}")
    return {"seconds": seconds, "peak_rss_mib": peak_rss_mib(), "status": report.status,
            "counts": report.counts(), "fetched": report.models_fetched}


def _cell(value) -> str:
    if value is None:
        return r"\N"
    text = ",".join(value) if isinstance(value, list) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def copy_floor(feed_path: str, database_url: str) -> dict:
    started = time.perf_counter()
    with open(feed_path, "rb") as handle:
        items = orjson.loads(handle.read())["data"]
    buffer = io.StringIO()
    for item in items:
        pricing = item.get("pricing") or {}
        architecture = item.get("architecture") or {}
        top = item.get("top_provider") or {}
        row = (item["id"], item.get("name"), pricing.get("prompt"), pricing.get("completion"),
               pricing.get("input_cache_read"), pricing.get("input_cache_write"),
               item.get("context_length"), top.get("max_completion_tokens"),
               architecture.get("modality"), architecture.get("input_modalities"),
               architecture.get("output_modalities"))
        buffer.write("\t".join(_cell(value) for value in row) + "\n")
    buffer.seek(0)
    connection = psycopg2.connect(database_url)
    with connection, connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS copy_floor")
        cursor.execute(
            "CREATE TABLE copy_floor (id serial PRIMARY KEY, provider_model_id text UNIQUE, "
            "model_name text, pricing_prompt numeric, pricing_completion numeric, "
            "pricing_cache_read numeric, pricing_cache_write numeric, context_length integer, "
            "max_output_tokens integer, modality text, input_modalities text, output_modalities text)"
        )
        cursor.copy_expert(f"COPY copy_floor ({', '.join(FLOOR_COLUMNS)}) FROM STDIN", buffer)
    connection.close()
    return {"seconds": time.perf_counter() - started, "peak_rss_mib": peak_rss_mib(), "rows": len(items)}


def main() -> None:
    mode = sys.argv[1]
    result = sync_ours() if mode == "ours" else copy_floor(sys.argv[2], sys.argv[3])
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
