"""The facades admin API: life cycle, backends, their validation, and the routing plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.store.facade_tables import Facade
from tests.gateway_fakes import make_facade, make_provider, make_provider_model


@pytest.fixture
def admin(client, admin_headers):
    class Admin:
        def get(self, path):
            return client.get(path, headers=admin_headers)

        def post(self, path, body=None):
            return client.post(path, json=body or {}, headers=admin_headers)

        def put(self, path, body):
            return client.put(path, json=body, headers=admin_headers)

        def patch(self, path, body):
            return client.patch(path, json=body, headers=admin_headers)

        def delete(self, path):
            return client.delete(path, headers=admin_headers)

    return Admin()


@pytest.fixture
def chat_model(store):
    return make_provider_model(make_provider("Fake A", "http://127.0.0.1:9/v1"), "model-a")


def test_a_facade_is_created_in_draft_and_found_by_slug_or_name(admin):
    created = admin.post("/api/admin/facades", {"slug": "claude-haiku-3-5",
                                                "name": "Claude Haiku", "kind": "chat"})
    admin.post("/api/admin/facades", {"slug": "embed", "name": "Embeddings", "kind": "embedding"})

    assert created.status_code == 201
    assert created.json["status"] == "draft"
    assert created.json["routing"] == "failover"
    assert [f["slug"] for f in admin.get("/api/admin/facades?q=haiku").json] == ["claude-haiku-3-5"]
    assert [f["slug"] for f in admin.get("/api/admin/facades?q=EMBED").json] == ["embed"]
    listed = admin.get("/api/admin/facades").json
    assert [(f["slug"], f["kind"], f["backend_count"]) for f in listed] == [
        ("claude-haiku-3-5", "chat", 0), ("embed", "embedding", 0)]


@pytest.mark.parametrize("slug", ["Claude", "claude_3", "-claude", "claude-", "a--b", "a b"])
def test_a_slug_that_is_not_lowercase_letters_digits_and_hyphens_is_refused(admin, slug):
    response = admin.post("/api/admin/facades", {"slug": slug, "name": "X", "kind": "chat"})
    assert response.status_code == 422
    assert "lowercase letters, digits" in response.json["errors"]["slug"][0]


def test_a_taken_slug_is_a_conflict(admin):
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})
    response = admin.post("/api/admin/facades", {"slug": "gpt", "name": "Other", "kind": "chat"})
    assert response.status_code == 409
    assert response.json["errors"] == {"slug": ["is already taken"]}


def test_slug_and_name_can_change_but_the_kind_cannot(admin):
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})

    renamed = admin.patch("/api/admin/facades/gpt", {"slug": "gpt-main", "name": "Main GPT"})
    refused = admin.patch("/api/admin/facades/gpt-main", {"kind": "embedding"})

    assert (renamed.json["slug"], renamed.json["name"]) == ("gpt-main", "Main GPT")
    assert refused.status_code == 422
    assert refused.json["message"].startswith("kind is fixed after creation")
    assert refused.json["errors"] == {"kind": ["is fixed after creation"]}
    assert admin.get("/api/admin/facades/gpt-main").json["kind"] == "chat"


def test_publishing_without_a_backend_is_refused_with_a_clear_message(admin):
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})
    response = admin.post("/api/admin/facades/gpt/publish")
    assert response.status_code == 422
    assert response.json["message"] == (
        "model facade 'gpt' has no backend: add a backend before publishing")


def test_a_facade_with_a_backend_is_published_disabled_and_returned_to_draft(admin, chat_model):
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})
    admin.post("/api/admin/facades/gpt/backends", {"provider_model_id": chat_model.id})

    assert admin.post("/api/admin/facades/gpt/publish").json["status"] == "active"
    assert admin.post("/api/admin/facades/gpt/publish").status_code == 409
    assert admin.post("/api/admin/facades/gpt/disable").json["status"] == "disabled"
    assert admin.post("/api/admin/facades/gpt/draft").json["status"] == "draft"
    assert admin.get("/api/admin/facades/gpt").json["backend_count"] == 1


def test_a_backend_shows_the_provider_model_pricing_and_its_defaults(admin, chat_model):
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})
    response = admin.post("/api/admin/facades/gpt/backends", {
        "provider_model_id": chat_model.id, "priority": 5, "temperature": 0.7, "max_tokens": 512,
        "top_p": 0.9, "top_k": 40, "stop": ["END"]})

    assert response.status_code == 201
    backend = response.json
    assert backend["pricing"] == {"input_per_1m": Decimal("2.5"), "output_per_1m": Decimal("10"),
                                  "unknown": False}
    assert backend["defaults"] == {"temperature": Decimal("0.7"), "max_tokens": 512,
                                   "top_p": Decimal("0.9"), "top_k": 40, "stop": ["END"]}
    assert backend["provider"]["name"] == "Fake A"

    edited = admin.patch(f"/api/admin/facades/gpt/backends/{backend['id']}", {"priority": 1})
    assert (edited.json["priority"], edited.json["defaults"]["max_tokens"]) == (1, 512)
    assert admin.delete(f"/api/admin/facades/gpt/backends/{backend['id']}").status_code == 204
    assert admin.get("/api/admin/facades/gpt/backends").json == []


@pytest.mark.parametrize(("field", "value"), [
    ("temperature", 2.5), ("max_tokens", 0), ("top_p", 1.5), ("top_k", 0),
    ("stop", ["a", "b", "c", "d", "e"]), ("priority", -1)])
def test_backend_defaults_out_of_range_are_refused_by_field(admin, chat_model, field, value):
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})
    response = admin.post("/api/admin/facades/gpt/backends",
                          {"provider_model_id": chat_model.id, field: value})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_an_embedding_provider_model_cannot_back_a_chat_facade(admin, store):
    embedder = make_provider_model(make_provider("Fake A", "http://127.0.0.1:9/v1"), "embed-1",
                                   kind="embedding")
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})

    response = admin.post("/api/admin/facades/gpt/backends", {"provider_model_id": embedder.id})

    assert response.status_code == 422
    assert response.json["errors"]["provider_model_id"] == [
        "a chat facade takes only chat Provider Models; 'embed-1' is embedding"]


def test_a_provider_kind_without_a_supported_wire_format_is_refused_with_the_reason(admin, store):
    bedrock = make_provider_model(make_provider("My Bedrock", None, kind="bedrock"), "claude-v2")
    admin.post("/api/admin/facades", {"slug": "gpt", "name": "GPT", "kind": "chat"})

    response = admin.post("/api/admin/facades/gpt/backends", {"provider_model_id": bedrock.id})

    assert response.status_code == 422
    assert "SigV4" in response.json["errors"]["provider_model_id"][0]


def test_the_add_backend_candidates_match_the_facade_kind(admin, store):
    provider = make_provider("Fake A", "http://127.0.0.1:9/v1")
    make_provider_model(provider, "chat-1")
    make_provider_model(provider, "embed-1", kind="embedding")
    admin.post("/api/admin/facades", {"slug": "embed", "name": "Embed", "kind": "embedding"})

    candidates = admin.get("/api/admin/facades/embed/backend-candidates").json

    assert [(c["name"], [m["upstream_model_id"] for m in c["provider_models"]])
            for c in candidates] == [("Fake A", ["embed-1"])]


def test_the_routing_plan_skips_disabled_providers_and_provider_models(admin, store):
    live = make_provider_model(make_provider("Live", "http://127.0.0.1:9/v1"), "m-live")
    off_model = make_provider_model(make_provider("Other", "http://127.0.0.1:9/v1"), "m-off",
                                    status="disabled")
    off_provider = make_provider_model(
        make_provider("Paused", "http://127.0.0.1:9/v1", status="disabled"), "m-paused")
    make_facade("gpt", off_model, off_provider, live)

    plan = admin.get("/api/admin/facades/gpt/route").json

    assert [b["provider_model"]["upstream_model_id"] for b in plan["backends"]] == ["m-live"]
    assert [s["reason"] for s in plan["skipped"]] == [
        "Provider Model m-off is disabled", "provider Paused is disabled"]


def test_deleting_a_facade_removes_its_backends(admin, chat_model):
    make_facade("gpt", chat_model)
    assert admin.delete("/api/admin/facades/gpt").status_code == 204
    assert admin.get("/api/admin/facades/gpt").status_code == 404
    assert Facade.select().count() == 0


def test_the_facades_api_needs_the_admin_key(client):
    assert client.get("/api/admin/facades").status_code == 401
    assert client.post("/api/admin/facades", json={}).status_code == 401


def test_a_client_key_token_is_shown_once_and_stored_hashed(admin, store):
    make_facade("gpt")
    created = admin.post("/api/admin/client-keys", {"name": "web app", "facades": ["gpt"]})
    token = created.json["token"]

    listed = admin.get("/api/admin/client-keys").json
    assert created.status_code == 201
    assert listed[0]["prefix"] == token[:12]
    assert listed[0]["facades"] == ["gpt"]
    assert "token" not in listed[0]
    assert token not in str(list(store.execute_sql("SELECT * FROM client_keys")))

    opened = admin.put(f"/api/admin/client-keys/{created.json['id']}/grants", {"facades": None})
    assert opened.json["facades"] is None
    unknown = admin.put(f"/api/admin/client-keys/{created.json['id']}/grants", {"facades": ["x"]})
    assert unknown.status_code == 422
