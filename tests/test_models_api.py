"""The public catalog API of seed 003, driven through the real app on a real database."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.conftest import SMALL_CATALOG_VERSION


def test_it_serves_the_bundled_catalog_applied_at_start_up(bundled_catalog, client):
    response = client.get("/api/models")
    assert response.status_code == 200
    payload = response.get_json()
    assert payload["version"] == SMALL_CATALOG_VERSION
    assert payload["count"] == 4
    assert {m["model"] for m in payload["models"]} == {
        "gpt-4o", "claude-sonnet-4", "voyage-3-large", "rerank-v3.5"}


def test_it_serializes_prices_exactly(bundled_catalog, client):
    body = client.get("/api/models?provider=openai").get_data(as_text=True)
    assert '"input_per_1m":2.5' in body
    assert '"input_per_1k":0.0025' in body
    assert '"output_per_1m":10' in body


def test_unknown_price_is_null_not_zero(bundled_catalog, client):
    rows = client.get("/api/models/by-type/RERANK").get_json()
    assert rows[0]["pricing_unknown"] is True
    assert rows[0]["input_per_1m"] is None


def test_an_unknown_component_type_is_a_json_404(bundled_catalog, client):
    response = client.get("/api/models/by-type/VIDEO")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_it_answers_304_to_a_matching_etag(bundled_catalog, client):
    first = client.get("/api/models")
    again = client.get("/api/models", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_deprecated_rows_are_hidden_unless_asked_for(bundled_catalog, client):
    models = {m["model"] for m in client.get("/api/models/providers/openai").get_json()}
    assert models == {"gpt-4o"}
    everything = client.get("/api/models/providers/openai?include_deprecated=true").get_json()
    assert {m["model"] for m in everything} == {"gpt-4o", "gpt-3.5-turbo-0301"}


def test_the_canonical_file_round_trips_byte_for_byte(bundled_catalog, app, config):
    assert config.catalog_path.read_bytes() == bundled_catalog.read_bytes()
    assert config.catalog_mirror_path.read_bytes() == bundled_catalog.read_bytes()


def test_upsert_of_seed_003s_example_writes_a_new_version(bundled_catalog, client, admin_headers,
                                                          config):
    body = {"provider": "openai", "family": "gen", "model": "gpt-4.1-mini",
            "unit": "1k_tokens", "input_per_1k": 0.0003, "output_per_1k": 0.0012}
    response = client.post("/api/models/upsert", json=body, headers=admin_headers)
    assert response.status_code == 200, response.get_json()
    payload = response.get_json()
    assert payload["changed"] is True and payload["created"] is True
    assert payload["model"]["input_per_1m"] == Decimal("0.3")
    assert payload["model"]["base_url"] == "https://api.openai.com/v1"
    document = json.loads(config.catalog_path.read_bytes())
    assert document["version"] == payload["version"] != SMALL_CATALOG_VERSION
    assert config.catalog_path.read_bytes() == config.catalog_mirror_path.read_bytes()
    again = client.post("/api/models/upsert", json=body, headers=admin_headers).get_json()
    assert again["changed"] is False and again["version"] == payload["version"]


def test_upsert_requires_the_admin_key(bundled_catalog, client):
    response = client.post("/api/models/upsert", json={}, headers={"Authorization": "Bearer no"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
