"""The providers admin API: kinds and their fields, CRUD, disable/enable, delete, and secrecy."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from backend.store.db import db
from backend.store.facade_tables import Facade, FacadeBackend
from backend.store.operator_tables import ProviderModel
from backend.store.tables import Provider

SECRET = "sk-proj-Zq8ThisIsTheSecretValue0000"
AZURE = {"kind": "azure", "name": "Azure EU", "credential": SECRET,
         "base_url": "https://eu.openai.azure.com", "api_version": "2024-10-21"}


def create(client, admin_headers, **body):
    return client.post("/api/admin/providers", headers=admin_headers, json=body)


def test_every_route_needs_the_admin_key(client):
    assert client.get("/api/admin/providers").status_code == 401
    assert client.get("/api/admin/provider-kinds").status_code == 401
    assert client.post("/api/admin/providers", json=AZURE).status_code == 401


def test_the_kinds_table_lists_each_kinds_fields(client, admin_headers):
    kinds = {k["kind"]: k for k in client.get("/api/admin/provider-kinds",
                                                  headers=admin_headers).get_json()}
    assert {"openai", "anthropic", "azure", "bedrock", "google", "vertex", "vertex-anthropic",
            "groq", "cohere", "deepseek", "moonshot", "mistral", "openrouter", "together",
            "openai-compatible"} <= set(kinds)
    required = {k: {f["name"] for f in spec["fields"] if f["required"]} for k, spec in kinds.items()}
    assert required["azure"] == {"base_url", "api_version"}
    assert required["bedrock"] == {"region"}
    assert required["openai-compatible"] == {"base_url"}
    assert "organization" in {f["name"] for f in kinds["openai"]["fields"]}
    assert kinds["openai-compatible"]["credential_required"] is False


def test_a_provider_is_created_with_only_a_prefix_of_its_credential(client, admin_headers):
    response = create(client, admin_headers, **AZURE)
    assert response.status_code == 201
    provider = response.get_json()
    assert provider["credential_prefix"] == "sk-p…"
    assert provider["credential_updated_at"]
    assert provider["details"] == "https://eu.openai.azure.com"
    assert provider["api_version"] == "2024-10-21"
    assert provider["status"] == "active"
    assert "credential" not in provider


@pytest.mark.parametrize(("body", "errors"), [
    ({"kind": "azure", "name": "Azure", "credential": SECRET},
     {"base_url", "api_version"}),
    ({"kind": "bedrock", "name": "AWS", "credential": SECRET}, {"region"}),
    ({"kind": "openai", "name": "OpenAI", "region": "eu"}, {"credential", "region"}),
    ({"kind": "vertex", "name": "", "credential": SECRET}, {"name", "project", "region"}),
])
def test_each_kinds_fields_are_validated_with_field_level_errors(client, admin_headers, body, errors):
    response = create(client, admin_headers, **body)
    assert response.status_code == 422
    payload = response.get_json()
    field_errors = payload["errors"].get("json", payload["errors"])
    assert set(field_errors) == errors


def test_an_unknown_kind_and_a_bad_base_url_are_field_errors(client, admin_headers):
    response = create(client, admin_headers, kind="telepathy", name="X", credential=SECRET,
                      base_url="not a url")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"kind", "base_url"}


def test_several_providers_of_one_kind_coexist(client, admin_headers):
    first = create(client, admin_headers, **AZURE).get_json()
    second = create(client, admin_headers, **{**AZURE, "name": "Azure EU",
                                              "base_url": "https://us.openai.azure.com"}).get_json()
    assert first["slug"] != second["slug"]
    listed = client.get("/api/admin/providers?q=azure eu", headers=admin_headers).get_json()
    assert [p["id"] for p in listed] == [first["id"], second["id"]]


def test_search_matches_names_in_any_case(client, admin_headers):
    names = [p["name"] for p in client.get("/api/admin/providers?q=GRO",
                                           headers=admin_headers).get_json()]
    assert names == ["Groq"]


def test_edit_keeps_the_credential_unless_a_new_one_is_given(client, admin_headers):
    provider = create(client, admin_headers, **AZURE).get_json()
    path = f"/api/admin/providers/{provider['id']}"
    renamed = client.patch(path, headers=admin_headers, json={"name": "Azure West"}).get_json()
    assert renamed["name"] == "Azure West"
    assert renamed["credential_prefix"] == "sk-p…"
    rotated = client.patch(path, headers=admin_headers,
                           json={"credential": "az-newer-credential-123456"}).get_json()
    assert rotated["credential_prefix"] == "az-n…"
    cleared = client.patch(path, headers=admin_headers, json={"api_version": None})
    assert cleared.status_code == 422
    assert cleared.get_json()["errors"] == {"api_version": ["Missing data for required field."]}


def test_the_kind_cannot_be_changed_by_an_edit(client, admin_headers):
    provider = create(client, admin_headers, **AZURE).get_json()
    response = client.patch(f"/api/admin/providers/{provider['id']}", headers=admin_headers,
                            json={"kind": "openai"})
    assert response.status_code == 422


def test_disable_and_enable(client, admin_headers):
    provider = create(client, admin_headers, **AZURE).get_json()
    path = f"/api/admin/providers/{provider['id']}"
    assert client.post(f"{path}/disable", headers=admin_headers).get_json()["status"] == "disabled"
    assert client.get(path, headers=admin_headers).get_json()["status"] == "disabled"
    assert client.post(f"{path}/enable", headers=admin_headers).get_json()["status"] == "active"


def test_an_unknown_provider_is_a_json_404(client, admin_headers):
    response = client.get("/api/admin/providers/9999", headers=admin_headers)
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def _wire_a_facade_backend(provider_id: int) -> None:
    with db.connection_context():
        model = ProviderModel.create(provider=provider_id, upstream_model_id="gpt-4o",
                                     kind="chat", source="custom")
        facade = Facade.create(slug="smart", name="Smart", kind="chat")
        FacadeBackend.create(facade=facade, provider_model=model, priority=1)


def test_delete_previews_and_then_removes_provider_models_and_backends(client, admin_headers):
    provider = create(client, admin_headers, **AZURE).get_json()
    _wire_a_facade_backend(provider["id"])
    path = f"/api/admin/providers/{provider['id']}"
    preview = client.get(f"{path}/delete-preview", headers=admin_headers).get_json()
    assert preview == {"provider_models": 1, "facade_backends": 1, "facades": ["smart"],
                       "catalog_models": 0, "blocked_reason": None}
    assert client.delete(path, headers=admin_headers).status_code == 204
    assert client.get(path, headers=admin_headers).status_code == 404
    with db.connection_context():
        assert ProviderModel.select().count() == 0
        assert FacadeBackend.select().count() == 0
        assert Facade.select().count() == 1


def test_a_provider_owning_catalog_rows_cannot_be_deleted(bundled_catalog, client, admin_headers):
    with db.connection_context():
        openai_id = Provider.get(Provider.slug == "openai").id
    path = f"/api/admin/providers/{openai_id}"
    preview = client.get(f"{path}/delete-preview", headers=admin_headers).get_json()
    assert preview["catalog_models"] == 2
    assert "disable it instead" in preview["blocked_reason"]
    assert client.delete(path, headers=admin_headers).status_code == 409


# --- the secret never leaves -----------------------------------------------------------------


def _every_response(client, admin_headers) -> list[bytes]:
    created = create(client, admin_headers, **AZURE)
    path = f"/api/admin/providers/{created.get_json()['id']}"
    return [
        created.get_data(),
        client.get("/api/admin/providers", headers=admin_headers).get_data(),
        client.get(path, headers=admin_headers).get_data(),
        client.patch(path, headers=admin_headers, json={"name": "Renamed"}).get_data(),
        client.patch(path, headers=admin_headers,
                     json={"credential": SECRET, "base_url": None}).get_data(),
        create(client, admin_headers, kind="azure", name="", credential=SECRET).get_data(),
        create(client, admin_headers, kind="azure", name="x", credential=SECRET,
               base_url=SECRET).get_data(),
        client.post("/api/admin/providers", headers=admin_headers,
                    data=f'{{"credential": "{SECRET}"', content_type="application/json").get_data(),
        client.get(f"{path}/delete-preview", headers=admin_headers).get_data(),
        client.get("/api/openapi.json").get_data(),
        client.get("/admin/providers").get_data(),
    ]


def test_no_response_or_log_line_contains_the_secret(client, admin_headers, caplog):
    caplog.set_level(logging.DEBUG)
    bodies = _every_response(client, admin_headers)
    assert all(SECRET.encode() not in body for body in bodies)
    assert caplog.records
    assert all(SECRET not in record.getMessage() for record in caplog.records)
    assert SECRET not in caplog.text


def _sqlite_files(database_url: str) -> list[Path]:
    path = Path(database_url.removeprefix("sqlite:///"))
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name)]


def test_the_database_never_holds_the_secret_in_plaintext(client, admin_headers, database_url):
    _every_response(client, admin_headers)
    needles = (SECRET.encode(), SECRET.encode().hex().encode())
    if database_url.startswith("sqlite"):
        with db.connection_context():
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        dumped = b"".join(p.read_bytes() for p in _sqlite_files(database_url))
    else:
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")
        dumped = subprocess.run(["pg_dump", "--data-only", database_url], check=True,
                                capture_output=True).stdout
    assert b"sk-p" in dumped  # the prefix is stored; the dump is real
    assert not any(needle in dumped for needle in needles)
