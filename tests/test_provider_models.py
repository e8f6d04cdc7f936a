"""Provider Models: import from the catalog, custom models, overrides, and drift after a sync."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.store.db import db
from backend.store.operator_tables import ProviderModel
from tests.conftest import SMALL_CATALOG_VERSION


@pytest.fixture
def provider(bundled_catalog, client, admin_headers) -> str:
    """An admin's OpenAI account, as the models path under it."""
    response = client.post("/api/admin/providers", headers=admin_headers, json={
        "kind": "openai", "name": "Team OpenAI", "credential": "sk-team-credential-0000000"})
    return f"/api/admin/providers/{response.get_json()['id']}/models"


def upsert_gpt_4o(client, admin_headers, input_per_1m: str):
    response = client.post("/api/models/upsert", headers=admin_headers, json={
        "provider": "openai", "model": "gpt-4o", "family": "gen", "unit": "1m_tokens",
        "input_per_1m": Decimal(input_per_1m), "output_per_1m": 10})
    assert response.status_code == 200, response.get_json()


def test_import_adds_the_kinds_current_catalog_rows_once(provider, client, admin_headers):
    first = client.post(f"{provider}/import", headers=admin_headers).get_json()
    assert first == {"added": 1, "skipped": 0, "unsupported": 0, "version": SMALL_CATALOG_VERSION}
    again = client.post(f"{provider}/import", headers=admin_headers).get_json()
    assert (again["added"], again["skipped"]) == (0, 1)
    [row] = client.get(provider, headers=admin_headers).get_json()
    assert row["upstream_model_id"] == "gpt-4o"  # the deprecated gpt-3.5-turbo-0301 is left out
    assert (row["kind"], row["status"], row["context_window"]) == ("chat", "active", 128000)
    assert row["input_price_per_1m"] == 2.5
    assert row["source_label"] == f"Catalog {SMALL_CATALOG_VERSION}"


def test_a_custom_model_is_added_with_prices_per_million(provider, client, admin_headers):
    response = client.post(provider, headers=admin_headers, json={
        "upstream_model_id": "ft:gpt-4o:acme", "kind": "chat", "context_window": 64000,
        "input_price_per_1m": 3.75, "output_price_per_1m": 15})
    assert response.status_code == 201
    row = response.get_json()
    assert (row["source_label"], row["input_price_per_1m"]) == ("Custom", 3.75)
    duplicate = client.post(provider, headers=admin_headers, json={
        "upstream_model_id": "ft:gpt-4o:acme", "kind": "chat"})
    assert duplicate.status_code == 409
    assert "upstream_model_id" in duplicate.get_json()["errors"]


def test_a_custom_model_is_validated_field_by_field(provider, client, admin_headers):
    response = client.post(provider, headers=admin_headers, json={
        "upstream_model_id": "", "kind": "rerank", "context_window": 0, "input_price_per_1m": -1})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {
        "upstream_model_id", "kind", "context_window", "input_price_per_1m"}


def test_overrides_disable_and_remove(provider, client, admin_headers):
    client.post(f"{provider}/import", headers=admin_headers)
    [row] = client.get(provider, headers=admin_headers).get_json()
    path = f"{provider}/{row['id']}"
    edited = client.patch(path, headers=admin_headers, json={
        "input_price_per_1m": 2, "context_window": 100000, "status": "disabled"}).get_json()
    assert (edited["input_price_per_1m"], edited["context_window"]) == (2, 100000)
    assert edited["status"] == "disabled"
    assert edited["imported"]["input_price_per_1m"] == 2.5
    assert set(edited["overridden"]) == {"input_price_per_1m", "context_window"}
    assert edited["has_drift"] is False
    assert client.delete(path, headers=admin_headers).status_code == 204
    assert client.get(provider, headers=admin_headers).get_json() == []


def _provider_model_rows() -> list[tuple]:
    with db.connection_context():
        return list(ProviderModel.select().order_by(ProviderModel.id).tuples())


def test_a_price_cut_upstream_leaves_provider_models_alone_and_raises_drift(
        provider, client, admin_headers):
    client.post(f"{provider}/import", headers=admin_headers)
    client.post(provider, headers=admin_headers, json={"upstream_model_id": "gpt-4o-mini-ft",
                                                        "kind": "chat"})
    before = _provider_model_rows()

    upsert_gpt_4o(client, admin_headers, "2.25")

    assert _provider_model_rows() == before
    drifting = client.get("/api/admin/provider-models?drift=true", headers=admin_headers).get_json()
    assert [(r["upstream_model_id"], r["provider_name"]) for r in drifting] == [
        ("gpt-4o", "Team OpenAI")]
    assert drifting[0]["drift"] == {"input_price_per_1m": {
        "catalog": 2.25, "own": 2.5, "imported": 2.5}}
    assert drifting[0]["input_price_per_1m"] == 2.5
    everything = client.get("/api/admin/provider-models", headers=admin_headers).get_json()
    assert len(everything) == 2


def test_an_override_the_catalog_has_not_moved_from_is_not_drift(provider, client, admin_headers):
    client.post(f"{provider}/import", headers=admin_headers)
    [row] = client.get(provider, headers=admin_headers).get_json()
    client.patch(f"{provider}/{row['id']}", headers=admin_headers, json={"input_price_per_1m": 1})
    assert client.get("/api/admin/provider-models?drift=true", headers=admin_headers).get_json() == []
    upsert_gpt_4o(client, admin_headers, "2.25")
    [drifted] = client.get(provider, headers=admin_headers).get_json()
    assert drifted["drift"]["input_price_per_1m"] == {"catalog": 2.25, "own": 1, "imported": 2.5}


def test_the_operator_can_take_the_new_catalog_value(provider, client, admin_headers):
    client.post(f"{provider}/import", headers=admin_headers)
    upsert_gpt_4o(client, admin_headers, "2.25")
    [row] = client.get(provider, headers=admin_headers).get_json()
    taken = client.post(f"{provider}/{row['id']}/accept-catalog", headers=admin_headers).get_json()
    assert taken["input_price_per_1m"] == 2.25
    assert taken["has_drift"] is False


def test_an_unknown_provider_model_is_a_404(provider, client, admin_headers):
    assert client.patch(f"{provider}/999", headers=admin_headers, json={}).status_code == 404
    assert client.post("/api/admin/providers/999/models/import",
                       headers=admin_headers).status_code == 404
