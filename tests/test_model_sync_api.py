"""``/admin/model-sync``: seed 004's admin API through the real app, upstreams served locally."""

from __future__ import annotations

import pytest

from backend.store.tables import CatalogVersion, SyncRun
from tests.conftest import ADMIN_KEY, fixture_bytes
from tests.sync_upstream import Reply, running_upstream

CEREBRAS = "/cerebras/v1/models"
ROUTES = [("post", "/admin/model-sync/provider/cerebras"), ("post", "/admin/model-sync/all"),
          ("get", "/admin/model-sync/providers"), ("get", "/admin/model-sync/status")]
BAD_AUTHORIZATION = [
    None, "", "Bearer", "Bearer ", f"Basic {ADMIN_KEY}", f"bearer{ADMIN_KEY}", "Bearer wrong-key",
    f"Bearer {ADMIN_KEY}x", f"Bearer {ADMIN_KEY[:-1]}", "Bearer " + "a" * 5000,
    f"Bearer {ADMIN_KEY}\u00e9", "Bearer \u043a\u043b\u044e\u0447",
]


@pytest.fixture
def upstream():
    with running_upstream() as server:
        yield server


@pytest.fixture
def config(make_config, upstream):
    return make_config(environ={
        "CEREBRAS_BASE_URL": upstream.url + "/cerebras/v1", "CEREBRAS_API_KEY": "csk-secret-value",
        "OPENROUTER_BASE_URL": upstream.url + "/openrouter", "VERCEL_BASE_URL": upstream.url + "/vercel",
        "OLLAMA_BASE_URL": upstream.url + "/ollama",
    }, http_read_timeout=0.5, http_retries=1, http_backoff=0.0, http_max_retry_after=0.05)


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("header", BAD_AUTHORIZATION)
def test_every_route_refuses_a_missing_or_malformed_key(client, upstream, method, path, header):
    headers = {} if header is None else {"Authorization": header}
    response = getattr(client, method)(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["code"] == 401
    assert upstream.requests == []


def test_a_sync_answers_in_seed_004s_shape(client, admin_headers, upstream):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2025-08-26.json")))
    response = client.post("/admin/model-sync/provider/cerebras", headers=admin_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["success"] is True and body["status"] == "success"
    assert body["message"].startswith("Synced 9 models from cerebras. Fetched: 9, Transformed: 9")
    details = body["details"]
    assert details["provider"] == "cerebras" and isinstance(details["provider_id"], int)
    assert (details["models_fetched"], details["models_transformed"], details["models_synced"]) == (9, 9, 9)
    assert body["counts"] == {"new": 9, "updated": 0, "deprecated": 0, "unchanged": 0}
    assert "diff" not in body and body["version"]


def test_a_dry_run_returns_the_diff_and_writes_nothing(client, admin_headers, upstream, store):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2025-08-26.json")))
    body = client.post("/admin/model-sync/provider/cerebras?dry_run=true",
                       headers=admin_headers).get_json()
    assert body["status"] == "dry_run" and body["dry_run"] and body["success"]
    assert len(body["diff"]["new"]) == 9 and body["details"]["models_synced"] == 0
    assert CatalogVersion.select().count() == 0


def test_a_held_back_run_is_200_with_held_and_the_diff_then_force_applies(client, admin_headers,
                                                                         upstream):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2025-08-26.json")))
    client.post("/admin/model-sync/provider/cerebras", headers=admin_headers)
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2026-08-13.json")))

    held = client.post("/admin/model-sync/provider/cerebras", headers=admin_headers)
    assert held.status_code == 200
    body = held.get_json()
    assert body["held"] and not body["success"] and len(body["diff"]["deprecated"]) == 8

    forced = client.post("/admin/model-sync/provider/cerebras?force=true", headers=admin_headers)
    assert forced.get_json()["counts"]["deprecated"] == 8 and forced.get_json()["forced"]


def test_an_upstream_failure_is_a_502_with_success_false(client, admin_headers, upstream):
    upstream.reply(CEREBRAS, Reply(b"oops", status=500))
    response = client.post("/admin/model-sync/provider/cerebras", headers=admin_headers)
    assert response.status_code == 502
    body = response.get_json()
    assert body["success"] is False and body["status"] == "failed"
    assert "answered HTTP 500" in body["error"] and body["run_id"]
    assert "csk-secret-value" not in response.get_data(as_text=True)


def test_a_stored_credential_is_used_and_never_shown(client, admin_headers, upstream, store):
    from backend.store.tables import Provider

    groq = Provider.get(Provider.slug == "groq")
    client.patch(f"/api/admin/providers/{groq.id}", headers=admin_headers,
                 json={"credential": "gsk-stored-secret-123"})
    client.application.config["CATALOG"].environ["GROQ_BASE_URL"] = upstream.url + "/groq"
    upstream.reply("/groq/models", Reply(fixture_bytes("groq-models.from-docs.json")))

    response = client.post("/admin/model-sync/provider/groq", headers=admin_headers)

    assert response.get_json()["details"]["models_transformed"] == 2
    assert upstream.seen("/groq/models")[0].headers["Authorization"] == "Bearer gsk-stored-secret-123"
    listing = client.get("/admin/model-sync/providers", headers=admin_headers)
    assert "gsk-stored-secret-123" not in listing.get_data(as_text=True)


def test_an_unknown_provider_is_a_json_404(client, admin_headers):
    response = client.post("/admin/model-sync/provider/no-such-provider", headers=admin_headers)
    assert response.status_code == 404 and response.get_json()["code"] == 404


def test_a_catalog_only_provider_is_refused_with_its_reason(client, admin_headers):
    response = client.post("/admin/model-sync/provider/bedrock", headers=admin_headers)
    assert response.status_code == 422 and "SigV4" in response.get_json()["message"]


def test_a_provider_without_a_key_is_refused_with_the_variable_to_set(client, admin_headers):
    response = client.post("/admin/model-sync/provider/groq", headers=admin_headers)
    assert response.status_code == 422 and "GROQ_API_KEY" in response.get_json()["message"]


def test_all_reports_each_provider_and_carries_on_past_a_failure(client, admin_headers, upstream):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2025-08-26.json")))
    upstream.reply("/vercel/models", Reply(b"down", status=503))
    upstream.reply("/openrouter/models", Reply(fixture_bytes("openrouter-models-2026-08-18.json")))
    upstream.reply("/ollama/models", Reply(b'{"object": "list", "data": [{"id": "llama3.2:3b"}]}'))

    body = client.post("/admin/model-sync/all", headers=admin_headers).get_json()

    results = {r["details"]["provider"]: r for r in body["results"]}
    assert results["cerebras"]["status"] == "success"
    assert results["openrouter"]["details"]["models_synced"] == 414
    assert results["vercel"]["status"] == "failed"
    assert results["ollama"]["status"] == "success"
    assert results["groq"]["status"] == "skipped" and "GROQ_API_KEY" in results["groq"]["message"]
    assert results["bedrock"]["status"] == "skipped"
    assert body["success"] is False and "vercel" in body["message"]


def test_providers_lists_kinds_configuration_and_catalog_only_reasons(client, admin_headers):
    listing = {p["slug"]: p for p in client.get("/admin/model-sync/providers",
                                                headers=admin_headers).get_json()}
    assert listing["cerebras"]["configured"] and listing["cerebras"]["has_credential"]
    assert listing["cerebras"]["base_url_overridden"]
    assert not listing["groq"]["configured"] and listing["groq"]["api_key_env"] == "GROQ_API_KEY"
    assert listing["openrouter"]["configured"]  # its list is public
    assert "SigV4" in listing["bedrock"]["catalog_only_reason"]
    assert not listing["vertex"]["sync_supported"]
    assert listing["google"]["wire_format"] == "gemini"


def test_status_shows_the_last_run_totals_and_catalog_version(client, admin_headers, upstream, store):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2025-08-26.json")))
    client.post("/admin/model-sync/provider/cerebras", headers=admin_headers)

    body = client.get("/admin/model-sync/status", headers=admin_headers).get_json()

    providers = {p["provider"]: p for p in body["providers"]}
    cerebras = providers["cerebras"]
    assert cerebras["active_models"] == 9 and cerebras["deprecated_models"] == 0
    assert cerebras["last_run"]["status"] == "success" and cerebras["last_run"]["new"] == 9
    assert providers["groq"]["last_run"] is None
    assert body["catalog_version"] == CatalogVersion.select().get().version
    assert body["catalog_age_seconds"] >= 0
    assert SyncRun.select().count() == 1
