"""A manual sync while the scheduled one runs: 409 at once, and the catalog stays consistent."""

from __future__ import annotations

import threading
import time

import pytest

from backend.jobs.catalog_jobs import default_jobs
from backend.jobs.scheduler import run_slot
from backend.jobs.triggers import parse_schedule
from backend.services.jobs import SYNC_JOB
from backend.store.job_tables import JobClaim
from backend.store.tables import CatalogVersion, SyncRun
from tests.conftest import fixture_bytes
from tests.sync_upstream import Reply, running_upstream

CEREBRAS = "/cerebras/v1/models"
SLOW_UPSTREAM_SECONDS = 5


@pytest.fixture
def upstream():
    with running_upstream() as server:
        yield server


@pytest.fixture
def config(make_config, upstream):
    return make_config(
        environ={"CEREBRAS_BASE_URL": upstream.url + "/cerebras/v1", "CEREBRAS_API_KEY": "csk-secret"},
        sync_providers=("cerebras",), http_read_timeout=30, http_retries=0,
    )


def wait_until(condition, what: str):
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def test_a_manual_sync_during_a_scheduled_sync_is_refused_with_409_at_once(
        config, upstream, client, admin_headers, store):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2026-08-13.json"),
                                   delay=SLOW_UPSTREAM_SECONDS))
    sync_job = next(job for job in default_jobs(config) if job.name == SYNC_JOB)
    outcome: list[str] = []
    scheduled = threading.Thread(
        target=lambda: outcome.append(run_slot(sync_job, parse_schedule(sync_job.schedule), config)))
    scheduled.start()
    wait_until(lambda: upstream.seen(CEREBRAS), "the scheduled sync to reach the upstream")

    response = client.post("/admin/model-sync/all", headers=admin_headers)
    single = client.post("/admin/model-sync/provider/cerebras", headers=admin_headers)
    still_running = scheduled.is_alive()
    scheduled.join(60)

    assert still_running, "the manual trigger waited for the scheduled sync instead of answering"
    assert response.status_code == 409
    assert response.get_json()["message"] == "sync is already running; try again when it has finished"
    assert single.status_code == 409
    assert outcome == ["success"]
    assert len(upstream.seen(CEREBRAS)) == 1
    runs = list(SyncRun.select())
    assert [(r.trigger, r.provider_slug, r.status) for r in runs] == [("schedule", "cerebras", "success")]
    assert CatalogVersion.select().count() == 1
    assert JobClaim.get(JobClaim.job == SYNC_JOB).status == "success"


def test_a_manual_sync_runs_once_the_scheduled_one_has_finished(config, upstream, client, admin_headers,
                                                                 store):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2026-08-13.json")))
    sync_job = next(job for job in default_jobs(config) if job.name == SYNC_JOB)
    assert run_slot(sync_job, parse_schedule(sync_job.schedule), config) == "success"
    response = client.post("/admin/model-sync/provider/cerebras", headers=admin_headers)
    assert response.status_code == 200
    assert response.get_json()["status"] == "noop"
