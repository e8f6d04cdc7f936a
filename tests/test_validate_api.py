"""``POST /api/models/validate``: an application's GEN/EMB/RERANK models checked for capability."""

from __future__ import annotations

from tests.gateway_fakes import make_facade


def test_a_configuration_of_live_capable_models_is_valid(bundled_catalog, client, store):
    make_facade("assistant")
    response = client.post("/api/models/validate", json={
        "GEN": "assistant", "EMB": "voyage/voyage-3-large", "RERANK": "cohere/rerank-v3.5"})
    assert response.status_code == 200
    assert response.json == {"valid": True}


def test_every_mismatch_is_listed_by_slot(bundled_catalog, client, store):
    make_facade("drafty", status="draft")
    response = client.post("/api/models/validate", json={
        "GEN": "openai/gpt-3.5-turbo-0301", "EMB": "openai/gpt-4o", "RERANK": "drafty"})

    assert response.status_code == 422
    assert response.json["errors"] == {
        "GEN": ["'openai/gpt-3.5-turbo-0301' is deprecated (since 2026-01-02)"],
        "EMB": ["'openai/gpt-4o' lacks the EMB capability (it offers GEN)"],
        "RERANK": ["model facade 'drafty' is draft, not active"],
    }


def test_unknown_names_and_wrong_facade_kinds_are_mismatches(bundled_catalog, client, store):
    make_facade("assistant")
    response = client.post("/api/models/validate", json={
        "GEN": "nobody/nothing", "EMB": "assistant", "RERANK": "no-such-facade"})

    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["GEN"] == ["unknown model 'nobody/nothing': no catalog row and no model facade "
                             "has this name"]
    assert errors["EMB"] == ["model facade 'assistant' is a chat model and lacks the EMB capability"]
    assert errors["RERANK"][0].startswith("unknown model 'no-such-facade'")


def test_an_unknown_slot_is_a_validation_error(client):
    response = client.post("/api/models/validate", json={"TTS": "openai/tts-1"})
    assert response.status_code == 422
    assert "TTS" in response.json["errors"]["json"]
