"""Deployment: gunicorn with docker/gunicorn.conf.py, the scheduler process, concurrent migrations,
and the compose file — each started for real as its own process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from backend.store.db import bind_database, db
from backend.store.migrations import SchemaVersion
from backend.store.tables import CatalogVersion, Provider
from tests.conftest import ADMIN_KEY, small_catalog_rows, write_catalog_fixture

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def process_env(tmp_path, fresh_database_url) -> dict:
    """The environment of a deployed process: its own database, catalog files and var/."""
    bundled = write_catalog_fixture(tmp_path / "bundled.json", small_catalog_rows())
    return {
        **os.environ, "APP_ENV": "test", "DATABASE_URL": fresh_database_url, "ADMIN_API_KEY": ADMIN_KEY,
        "VAR_DIR": str(tmp_path / "var"), "BUNDLED_CATALOG_PATH": str(bundled),
        "CATALOG_PATH": str(tmp_path / "catalog" / "models.json"),
        "CATALOG_MIRROR_PATH": str(tmp_path / "catalog" / "public" / "models.json"),
        "REFRESH_SCHEDULE": "off", "SYNC_SCHEDULE": "off", "PYTHONPATH": str(PROJECT),
    }


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(condition, what: str, limit: float = 60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


def test_gunicorn_serves_health_readiness_and_metrics_with_the_production_config(process_env, tmp_path):
    port = free_port()
    env = {**process_env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"), "SCHEDULER_ENABLED": "false"}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "docker/gunicorn.conf.py"], cwd=PROJECT,
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(f"{base}/healthz")[0] == 200, "gunicorn to answer /healthz")
        for _ in range(6):  # spread over both workers
            assert get(f"{base}/healthz")[0] == 200
        status, body = get(f"{base}/readyz")
        assert (status, json.loads(body)) == (200, {"status": "ready", "version": "2026.08.01"})
        status, body = get(f"{base}/metrics")
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    output = (tmp_path / "gunicorn.log").read_text()
    assert status == 200, output
    values = {(s.name, tuple(sorted(s.labels.items()))): s.value
              for family in text_string_to_metric_families(body.decode()) for s in family.samples}
    healthz = ("model_catalog_http_requests_total",
               (("method", "GET"), ("route", "/healthz"), ("status", "200")))
    assert values[healthz] >= 7  # summed over every worker (multiprocess mode)
    assert values[("model_catalog_catalog_version_info", (("version", "2026.08.01"),))] == 1
    assert code == 0, output
    assert '"GET /readyz HTTP/1.1" 200' in output  # the access log goes to stdout
    assert ADMIN_KEY not in output


def test_the_scheduler_process_beats_while_alive_and_stops_cleanly_on_sigterm(process_env, tmp_path):
    env = {**process_env, "SCHEDULER_ENABLED": "true"}
    scheduler = subprocess.Popen([sys.executable, "-m", "backend.jobs"], cwd=PROJECT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    heartbeat = tmp_path / "var" / "scheduler.heartbeat"
    try:
        wait_for(heartbeat.exists, "the scheduler's heartbeat")
        check = subprocess.run([sys.executable, "-m", "backend.jobs", "--check"], cwd=PROJECT, env=env,
                               capture_output=True, text=True)
    finally:
        scheduler.send_signal(signal.SIGTERM)
        output, _ = scheduler.communicate(timeout=30)
    assert check.returncode == 0, check.stderr
    assert scheduler.returncode == 0, output
    assert "scheduler stopped" in output
    assert not heartbeat.exists()


def test_several_instances_migrating_one_fresh_database_at_once_all_succeed(process_env,
                                                                            fresh_database_url):
    command = [str(BIN / "flask"), "--app", "backend.app", "db-upgrade"]
    upgrades = [subprocess.Popen(command, cwd=PROJECT, env=process_env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True) for _ in range(4)]
    outputs = [process.communicate(timeout=120)[0] for process in upgrades]
    assert [process.returncode for process in upgrades] == [0] * 4, outputs
    assert all("database schema at version" in output for output in outputs)
    previous = db.obj
    bind_database(fresh_database_url)
    try:
        with db.connection_context():
            assert SchemaVersion.select().count() == 1
            assert CatalogVersion.select().count() == 1  # the bundled catalog, applied once
            slugs = [p.slug for p in Provider.select()]
    finally:
        if hasattr(db.obj, "close_all"):
            db.obj.close_all()
        db.initialize(previous)
    assert len(slugs) == len(set(slugs)) > 0


def test_the_compose_file_declares_postgres_two_api_replicas_and_the_scheduler_with_health_checks():
    compose = yaml.safe_load((PROJECT / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["api"]["command"] == ["gunicorn", "-c", "docker/gunicorn.conf.py"]
    assert services["scheduler"]["command"] == ["python", "-m", "backend.jobs"]
    assert services["api"]["environment"]["SCHEDULER_ENABLED"] == "false"
    assert services["scheduler"]["environment"]["SCHEDULER_ENABLED"] == "true"
    for name in ("postgres", "api", "scheduler"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("api", "scheduler"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql://")
        assert "${ADMIN_API_KEY" in environment["ADMIN_API_KEY"]  # from the environment, not the file
