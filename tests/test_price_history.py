"""Price history: every change of a row with its version and time, and the values at a date."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from backend.store.tables import CatalogModel, ModelChange
from tests.conftest import SMALL_CATALOG_VERSION

UPSERT = {"provider": "openai", "family": "gen", "model": "gpt-4o", "unit": "1m_tokens",
          "input_per_1m": 2, "output_per_1m": 8}


def installed_on_august_first(store):
    """Make the start-up apply look as if it happened on 2026-08-01 (the bundled file's day)."""
    CatalogModel.update(first_seen_at=datetime(2026, 8, 1, 3, 0)).execute()


def test_history_lists_a_price_change_with_its_version(bundled_catalog, client, admin_headers):
    version = client.post("/api/models/upsert", json=UPSERT, headers=admin_headers).get_json()["version"]
    history = client.get("/api/models/openai/gpt-4o/history").get_json()
    (entry,) = history["versions"]
    assert entry["version"] == version
    prices = {change["field"]: (change["before"], change["after"]) for change in entry["changes"]}
    assert prices["pricing_prompt"] == ("2.5", "2")
    assert prices["pricing_completion"] == ("10", "8")


def test_at_a_date_gives_the_price_in_force_then(bundled_catalog, client, admin_headers, store):
    installed_on_august_first(store)
    client.post("/api/models/upsert", json=UPSERT, headers=admin_headers)
    ModelChange.update(changed_at=datetime(2026, 9, 10, 12, 0)).execute()
    before = client.get("/api/models/openai/gpt-4o?at=2026-09-09").get_json()
    assert before["input_per_1m"] == Decimal("2.5") and before["output_per_1m"] == Decimal("10")
    on_the_day = client.get("/api/models/openai/gpt-4o?at=2026-09-10").get_json()
    assert on_the_day["input_per_1m"] == Decimal("2")
    an_hour_earlier = client.get("/api/models/openai/gpt-4o?at=2026-09-10T11:00:00Z").get_json()
    assert an_hour_earlier["input_per_1m"] == Decimal("2.5")
    now = client.get("/api/models/openai/gpt-4o").get_json()
    assert now["input_per_1m"] == Decimal("2")


def test_a_row_that_did_not_exist_yet_is_404(bundled_catalog, client, store):
    installed_on_august_first(store)
    response = client.get("/api/models/openai/gpt-4o?at=2026-07-31")
    assert response.status_code == 404
    assert "was not in the catalog" in response.get_json()["message"]


def test_a_bad_date_is_422_and_an_unknown_row_404(bundled_catalog, client):
    assert client.get("/api/models/openai/gpt-4o?at=yesterday").status_code == 422
    assert client.get("/api/models/openai/no-such-model").status_code == 404
    assert client.get("/api/models/openai/no-such-model/history").status_code == 404


def test_model_ids_with_slashes_and_the_fixed_routes_both_resolve(bundled_catalog, client,
                                                                   admin_headers):
    body = {**UPSERT, "provider": "openrouter", "model": "meta-llama/llama-3.1-8b-instruct"}
    client.post("/api/models/upsert", json=body, headers=admin_headers)
    row = client.get("/api/models/openrouter/meta-llama/llama-3.1-8b-instruct").get_json()
    assert row["model"] == "meta-llama/llama-3.1-8b-instruct"
    history = client.get("/api/models/openrouter/meta-llama/llama-3.1-8b-instruct/history")
    assert history.get_json()["model"] == "meta-llama/llama-3.1-8b-instruct"
    assert client.get("/api/models/providers/openai").get_json()[0]["provider"] == "openai"
    assert client.get("/api/models/by-type/GEN").status_code == 200
    assert client.get("/api/models").get_json()["version"] != SMALL_CATALOG_VERSION
