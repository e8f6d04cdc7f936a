"""Several processes, each its own ``create_app`` on one database, write and read at once.

Upserts, provider syncs (against a local fake upstream), reviewed catalog applies and catalog
reads run in parallel processes on the same database (SQLite, or PostgreSQL with
``TEST_DATABASE_URL``). Afterwards: no upsert is lost, no row is duplicated, every process
finished (no deadlock), every answer was one the API documents (never a "database is locked"),
versions only ever increase, and every read saw one complete catalog version.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import queue
import time
from decimal import Decimal

import pytest
from peewee import fn

from backend.catalog.versions import version_key
from backend.store.tables import CatalogModel, CatalogVersion, Provider
from tests.conftest import ADMIN_KEY, small_catalog_rows, write_catalog_fixture
from tests.reliability.fault_server import body, running_fault_server

UPSERTERS = 3
UPSERTS_EACH = 12
SYNCS = 6
APPLIES = 3
READERS = 2
READS_EACH = 40
# Generous: a healthy run takes a few seconds; only a deadlock or a livelock comes near it.
PROCESS_TIMEOUT = 240
HEADERS = {"Authorization": f"Bearer {ADMIN_KEY}"}
SYNC_MODELS = [f"sync-model-{n}" for n in range(10)]


def _worker_app(config, barrier):
    from backend.app import create_app

    app = create_app(config)
    barrier.wait(timeout=PROCESS_TIMEOUT)
    return app.test_client()


def _answer(kind: str, response) -> dict:
    document = response.get_json(silent=True)
    return {"kind": kind, "status": response.status_code,
            "body": document if response.status_code != 200 else None}


def upserter(config, barrier, results, worker: int) -> None:
    """Adds its own models and updates each one; the last price it sent is the one that counts."""
    client = _worker_app(config, barrier)
    answers, final = [], {}
    for step in range(UPSERTS_EACH):
        model = f"race-{worker}-{step % 4}"
        price = f"{worker}.{step:03d}"
        response = client.post("/api/models/upsert", headers=HEADERS, json={
            "provider": "openai", "family": "gen", "model": model, "unit": "1m_tokens",
            "input_per_1m": price, "output_per_1m": price})
        answers.append(_answer("upsert", response))
        if response.status_code == 200:
            final[model] = price
    results.put({"answers": answers, "final": final})


def syncer(config, barrier, results, worker: int) -> None:
    client = _worker_app(config, barrier)
    answers = [_answer("sync", client.post("/admin/model-sync/provider/cerebras", headers=HEADERS))
               for _ in range(SYNCS)]
    results.put({"answers": answers})


def applier(config, barrier, results, worker: int) -> None:
    """Previews the bundled catalog and applies it: 409 when another write got in between."""
    client = _worker_app(config, barrier)
    answers = []
    for _ in range(APPLIES):
        preview = client.post("/admin/catalog/preview", headers=HEADERS, json={"source": "bundled"})
        answers.append(_answer("preview", preview))
        if preview.status_code == 200:
            answers.append(_answer("apply", client.post("/admin/catalog/apply", headers=HEADERS,
                                                        json={"preview_id": preview.get_json()["id"]})))
    results.put({"answers": answers})


def reader(config, barrier, results, worker: int) -> None:
    client = _worker_app(config, barrier)
    answers, seen = [], []
    for _ in range(READS_EACH):
        response = client.get("/api/models?include_deprecated=true")
        answers.append(_answer("read", response))
        if response.status_code == 200:
            document = response.get_json()
            seen.append((document["version"], document["count"], len(document["models"])))
    results.put({"answers": answers, "seen": seen})


def sync_list(hit: int) -> bytes:
    """A model list that changes on every request, so every sync has something to write."""
    return json.dumps({"object": "list", "data": [
        {"id": model, "object": "model", "context_length": 1000 * (hit + 1) + n}
        for n, model in enumerate(SYNC_MODELS)]}).encode()


def changing_list(fault):
    def respond(handler):
        body(sync_list(fault.hits["/cerebras/v1/models"]))(handler)
    return respond


@pytest.fixture
def fault():
    with running_fault_server() as server:
        yield server


@pytest.fixture
def shared_config(make_config, catalog_dir, fault):
    """One configuration every process shares: the same database, files and fake upstream."""
    write_catalog_fixture(catalog_dir / "bundled.json", small_catalog_rows())
    fault.route("/cerebras/v1/models", changing_list(fault))
    return make_config(catalog_version_check_seconds=0.0, environ={
        "CEREBRAS_BASE_URL": fault.url + "/cerebras/v1", "CEREBRAS_API_KEY": "csk-concurrency"})


def run_workers(config) -> list[dict]:
    """Start every worker, release them together, and collect what each one saw."""
    context = multiprocessing.get_context("spawn")
    plan = ([(upserter, n) for n in range(UPSERTERS)] + [(syncer, 0), (applier, 0)]
            + [(reader, n) for n in range(READERS)])
    barrier, results = context.Barrier(len(plan)), context.Queue()
    processes = [context.Process(target=target, args=(config, barrier, results, n))
                 for target, n in plan]
    for process in processes:
        process.start()
    collected, deadline = [], time.monotonic() + PROCESS_TIMEOUT
    try:
        while len(collected) < len(processes):
            collected.append(results.get(timeout=max(0.1, deadline - time.monotonic())))
    except queue.Empty:
        pass  # reported below: some worker never finished
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    assert len(collected) == len(processes), "a worker died or never finished (deadlock?)"
    assert all(process.exitcode == 0 for process in processes)
    return collected


def test_parallel_upserts_syncs_applies_and_reads_lose_nothing(shared_config, app, store):
    results = run_workers(shared_config)

    answers = [answer for result in results for answer in result["answers"]]
    unexpected = [a for a in answers if a["status"] not in (200, 409)]
    assert unexpected == []
    assert not [a for a in answers if a["kind"] in ("upsert", "read") and a["status"] != 200]

    stored = {m.provider_model_id: m for m in CatalogModel.select().join(Provider)
              .where(Provider.slug == "openai")}
    for result in results:
        for model, price in result.get("final", {}).items():
            assert stored[model].pricing_prompt == Decimal(price) / 1_000_000, model

    duplicates = (CatalogModel.select(CatalogModel.provider, CatalogModel.provider_model_id)
                  .group_by(CatalogModel.provider, CatalogModel.provider_model_id)
                  .having(fn.COUNT(CatalogModel.id) > 1).count())
    assert duplicates == 0

    versions = list(CatalogVersion.select().order_by(CatalogVersion.id))
    keys = [version_key(v.version) for v in versions]
    assert all(a < b for a, b in itertools.pairwise(keys)), [v.version for v in versions]

    totals = {v.version: v.rows_total for v in versions}
    reads = [seen for result in results for seen in result.get("seen", [])]
    torn = [(version, count, totals.get(version)) for version, count, listed in reads
            if count != listed or totals.get(version) != count]
    assert torn == []

    counts = {kind: sum(1 for a in answers if a["kind"] == kind) for kind in
              ("upsert", "sync", "preview", "apply", "read")}
    conflicts = sum(1 for a in answers if a["status"] == 409)
    print(f"concurrency: {len(results)} processes, {counts}, {len(versions)} versions, "
          f"{conflicts} answered 409, 0 lost, 0 duplicated, 0 torn reads")
