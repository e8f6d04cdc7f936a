"""POST /api/models/upsert: validated at the edge, written through the shared pipeline."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from backend.store.tables import CatalogVersion, ModelChange, SyncRun

EXAMPLE = {"provider": "openai", "family": "gen", "model": "gpt-4.1-mini", "unit": "1k_tokens",
           "input_per_1k": 0.0003, "output_per_1k": 0.0012}


def post(client, headers, body):
    return client.post("/api/models/upsert", json=body, headers=headers)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"input_per_1k": -0.1}, "input_per_1k"),
        ({"surprise": 1}, "surprise"),
        ({"family": "video"}, "family"),
        ({"unit": "per_request"}, "unit"),
        ({"components": ["EMB"]}, "components"),
        ({"input_per_1m": 0.3}, "input_per_1m"),
        ({"provider": "Not A Slug!"}, "provider"),
        ({"base_url": "javascript:alert(1)"}, "base_url"),
        ({"context": 0}, "context"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(bundled_catalog, client, admin_headers, change,
                                              field):
    response = post(client, admin_headers, {**EXAMPLE, **change})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_malformed_json_is_a_400_json_error(bundled_catalog, client, admin_headers):
    response = client.post("/api/models/upsert", data=b'{"provider": ', headers={
        **admin_headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["code"] == 400


def test_nan_is_not_a_price(bundled_catalog, client, admin_headers):
    body = json.dumps(EXAMPLE).replace("0.0003", "NaN")
    response = client.post("/api/models/upsert", data=body, headers={
        **admin_headers, "Content-Type": "application/json"})
    assert response.status_code == 400


def test_an_unknown_provider_is_422(bundled_catalog, client, admin_headers):
    response = post(client, admin_headers, {**EXAMPLE, "provider": "nobody"})
    assert response.status_code == 422
    assert "provider" in response.get_json()["errors"]


def test_prices_keep_every_digit_through_the_round_trip(bundled_catalog, client, admin_headers):
    body = {**EXAMPLE, "unit": "1m_tokens", "input_per_1m": Decimal("0.123456789012345678901"),
            "output_per_1m": 3}
    del body["input_per_1k"], body["output_per_1k"]
    model = post(client, admin_headers, body).get_json()["model"]
    assert model["input_per_1m"] == Decimal("0.123456789012345678901")
    assert model["input_per_1k"] == Decimal("0.000123456789012345678901")


def test_a_price_change_is_recorded_in_the_history(bundled_catalog, client, admin_headers, store):
    first = post(client, admin_headers, EXAMPLE).get_json()
    second = post(client, admin_headers, {**EXAMPLE, "input_per_1k": 0.0002}).get_json()
    assert second["version"] > first["version"]
    change = ModelChange.get(ModelChange.field == "pricing_prompt")
    assert (change.old_value, change.new_value, change.version) == (
        "0.0000003", "0.0000002", second["version"])
    assert CatalogVersion.select().count() == 3
    assert SyncRun.select().where(SyncRun.kind == "upsert").count() == 2


def test_base_url_is_inferred_from_the_providers_rows(bundled_catalog, client, admin_headers):
    model = post(client, admin_headers, {**EXAMPLE, "provider": "voyage", "family": "emb",
                                         "model": "voyage-4"}).get_json()["model"]
    assert model["base_url"] == "https://api.voyageai.com/v1"
    assert model["components"] == ["EMB"]


def test_omitted_prices_are_unknown_not_zero(bundled_catalog, client, admin_headers):
    body = {"provider": "jina", "family": "rerank", "model": "jina-reranker-v3"}
    model = post(client, admin_headers, body).get_json()["model"]
    assert model["pricing_unknown"] is True
    assert model["input_per_1k"] is None
