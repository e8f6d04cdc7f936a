"""Health, readiness and metrics: what an operator's probes and Prometheus see."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from backend.services.runs import finish_run, start_run
from backend.store.db import db, open_database


def samples(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_healthz_answers_ok_while_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_json_when_the_database_is_unreachable(client):
    reachable = db.obj
    db.initialize(open_database("postgresql://nobody@127.0.0.1:1/nowhere"))
    try:
        response = client.get("/healthz")
    finally:
        db.initialize(reachable)
    assert response.status_code == 503
    assert response.get_json()["code"] == 503
    assert "database" in response.get_json()["message"]


def test_readyz_is_not_ready_before_any_catalog_is_applied(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["message"] == "no catalog has been applied yet"


def test_readyz_names_the_catalog_version_once_one_is_applied(bundled_catalog, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "version": "2026.08.01"}


def test_metrics_count_requests_by_route_template(bundled_catalog, client):
    before = samples(client)
    client.get("/api/models/providers/openai")
    client.get("/api/models/providers/anthropic")
    after = samples(client)
    key = ("model_catalog_http_requests_total",
           (("method", "GET"), ("route", "/api/models/providers/<string:provider>"), ("status", "200")))
    assert after[key] - before.get(key, 0) == 2
    latency = ("model_catalog_http_request_duration_seconds_count",
               (("method", "GET"), ("route", "/api/models/providers/<string:provider>")))
    assert after[latency] >= 2


def test_metrics_report_the_catalog_version_rows_by_status_and_age(bundled_catalog, client):
    found = samples(client)
    assert found[("model_catalog_database_up", ())] == 1
    assert found[("model_catalog_catalog_version_info", (("version", "2026.08.01"),))] == 1
    assert found[("model_catalog_models", (("status", "active"),))] == 4
    assert found[("model_catalog_models", (("status", "deprecated"),))] == 1
    assert found[("model_catalog_catalog_age_seconds", ())] >= 0


def test_metrics_count_sync_runs_by_provider_and_result_from_the_database(client, store):
    for status in ("success", "success", "failed"):
        finish_run(start_run("sync", "schedule", "groq"), status)
    finish_run(start_run("refresh", "schedule"), "noop")
    found = samples(client)
    assert found[("model_catalog_sync_runs_total",
                  (("kind", "sync"), ("provider", "groq"), ("result", "success")))] == 2
    assert found[("model_catalog_sync_runs_total",
                  (("kind", "sync"), ("provider", "groq"), ("result", "failed")))] == 1
    assert found[("model_catalog_sync_runs_total",
                  (("kind", "refresh"), ("provider", ""), ("result", "noop")))] == 1


def test_the_operations_routes_are_documented_in_openapi(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/healthz", "/readyz", "/metrics"} <= set(paths)
    assert "503" in paths["/healthz"]["get"]["responses"]
