"""Catalog versions and review: settings, preview, atomic apply, 409 on a race, revert."""

from __future__ import annotations

import ast
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from backend.store.operator_tables import ProviderModel
from backend.store.tables import CatalogModel, ModelChange, Provider
from tests.conftest import SMALL_CATALOG_VERSION, small_catalog_rows, write_catalog_fixture

NEWER = "2026.08.05"
BACKEND = Path(__file__).resolve().parents[1] / "backend"


def newer_rows():
    """The small catalog two releases later: one new row, one price cut, one row gone."""
    rows = [row for row in small_catalog_rows() if row.model != "voyage-3-large"]
    rows = [replace(row, pricing_prompt=Decimal("0.0000025")) if row.model == "claude-sonnet-4"
            else row for row in rows]
    return [*rows, replace(rows[0], model="gpt-4.1", model_name="OpenAI: GPT-4.1",
                           pricing_prompt=Decimal("0.000002"))]


@pytest.fixture
def newer_bundled(bundled_catalog, app):
    """After start-up applied the small catalog, an upgrade ships a newer bundled file."""
    return write_catalog_fixture(bundled_catalog, newer_rows(), version=NEWER)


def preview(client, headers, **body):
    response = client.post("/admin/catalog/preview", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_settings_show_a_newer_bundled_catalog(newer_bundled, client, admin_headers):
    settings = client.get("/admin/catalog", headers=admin_headers).get_json()
    assert settings["current_version"] == SMALL_CATALOG_VERSION
    assert settings["bundled_version"] == NEWER
    assert settings["source"] == "bundled"
    assert settings["newer_available"] is True
    assert settings["last_applied"]["trigger"] == "startup"


def test_settings_need_the_admin_key(bundled_catalog, client):
    assert client.get("/admin/catalog").status_code == 401


def test_preview_lists_exactly_the_real_entries_and_writes_nothing(newer_bundled, client,
                                                                    admin_headers, store):
    changes_before = ModelChange.select().count()
    shown = preview(client, admin_headers, source="bundled")
    assert shown["base_version"] == SMALL_CATALOG_VERSION
    assert shown["candidate_version"] == NEWER
    assert shown["counts"] == {"new": 1, "updated": 1, "deprecated": 1, "unchanged": 3}
    assert [entry["name"] for entry in shown["new"]] == ["openai/gpt-4.1"]
    assert [entry["name"] for entry in shown["deprecated"]] == ["voyage/voyage-3-large"]
    (updated,) = shown["updated"]
    assert updated["name"] == "anthropic/claude-sonnet-4"
    assert updated["changes"] == [{"field": "pricing_prompt", "label": "input per 1M",
                                   "before": "3", "after": "2.5"}]
    assert ModelChange.select().count() == changes_before
    assert client.get("/api/models").get_json()["version"] == SMALL_CATALOG_VERSION


def test_apply_writes_every_previewed_row_as_the_bundled_version(newer_bundled, client,
                                                                 admin_headers, config):
    shown = preview(client, admin_headers, source="bundled")
    response = client.post("/admin/catalog/apply", json={"preview_id": shown["id"]},
                           headers=admin_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"version": NEWER, "rows_changed": 3, "applied": True,
                                   "counts": {"new": 1, "updated": 1, "deprecated": 1,
                                              "unchanged": 3}}
    catalog = client.get("/api/models?include_deprecated=true").get_json()
    assert catalog["version"] == NEWER
    by_model = {m["model"]: m for m in catalog["models"]}
    assert by_model["claude-sonnet-4"]["input_per_1m"] == Decimal("2.5")
    assert by_model["voyage-3-large"]["deprecated"] is True
    assert "gpt-4.1" in by_model
    assert config.catalog_path.read_bytes().startswith(b'{\n  "version": "2026.08.05"')
    settings = client.get("/admin/catalog", headers=admin_headers).get_json()
    assert settings["newer_available"] is False
    assert settings["last_applied"]["kind"] == "apply"
    assert settings["last_applied"]["origin"] == "bundled"


def test_an_apply_by_base_version_finds_the_preview(newer_bundled, client, admin_headers):
    preview(client, admin_headers, source="bundled")
    response = client.post("/admin/catalog/apply", headers=admin_headers,
                           json={"source": "bundled", "base_version": SMALL_CATALOG_VERSION})
    assert response.get_json()["version"] == NEWER


def test_an_apply_racing_an_upsert_is_refused_with_409(newer_bundled, client, admin_headers):
    shown = preview(client, admin_headers, source="bundled")
    upsert = {"provider": "openai", "family": "gen", "model": "gpt-4o", "unit": "1m_tokens",
              "input_per_1m": 2, "output_per_1m": 8}
    raced = client.post("/api/models/upsert", json=upsert, headers=admin_headers).get_json()
    response = client.post("/admin/catalog/apply", json={"preview_id": shown["id"]},
                           headers=admin_headers)
    assert response.status_code == 409
    assert "changed since this preview" in response.get_json()["message"]
    catalog = client.get("/api/models").get_json()
    assert catalog["version"] == raced["version"]
    assert "gpt-4.1" not in {m["model"] for m in catalog["models"]}


def test_applying_the_same_preview_twice_is_refused(newer_bundled, client, admin_headers):
    shown = preview(client, admin_headers, source="bundled")
    client.post("/admin/catalog/apply", json={"preview_id": shown["id"]}, headers=admin_headers)
    again = client.post("/admin/catalog/apply", json={"preview_id": shown["id"]},
                        headers=admin_headers)
    assert again.status_code == 409


def test_a_bundled_file_replaced_after_the_preview_is_refused(newer_bundled, client,
                                                              admin_headers):
    shown = preview(client, admin_headers, source="bundled")
    write_catalog_fixture(newer_bundled, newer_rows()[:2], version=NEWER)
    response = client.post("/admin/catalog/apply", json={"preview_id": shown["id"]},
                           headers=admin_headers)
    assert response.status_code == 409
    assert client.get("/api/models").get_json()["version"] == SMALL_CATALOG_VERSION


def test_an_apply_that_cannot_write_every_row_writes_none(newer_bundled, client, admin_headers):
    rows = [*newer_rows(), replace(newer_rows()[0], provider="no-such-provider")]
    write_catalog_fixture(newer_bundled, rows, version=NEWER)
    shown = preview(client, admin_headers, source="bundled")
    response = client.post("/admin/catalog/apply", json={"preview_id": shown["id"]},
                           headers=admin_headers)
    assert response.status_code == 422
    catalog = client.get("/api/models?include_deprecated=true").get_json()
    assert catalog["version"] == SMALL_CATALOG_VERSION
    assert {m["model"] for m in catalog["models"]} == {r.model for r in small_catalog_rows()}


def test_an_unknown_preview_is_404_and_a_bad_body_422(bundled_catalog, client, admin_headers):
    missing = client.post("/admin/catalog/apply", json={"preview_id": "nope"}, headers=admin_headers)
    assert missing.status_code == 404
    assert client.post("/admin/catalog/apply", json={}, headers=admin_headers).status_code == 422
    assert client.post("/admin/catalog/preview", json={"source": "revert"},
                       headers=admin_headers).status_code == 422


def test_revert_restores_an_earlier_version_as_a_new_version(newer_bundled, client, admin_headers):
    shown = preview(client, admin_headers, source="bundled")
    client.post("/admin/catalog/apply", json={"preview_id": shown["id"]}, headers=admin_headers)
    response = client.post("/admin/catalog/revert", json={"version": SMALL_CATALOG_VERSION},
                           headers=admin_headers)
    assert response.status_code == 200, response.get_json()
    revert = response.get_json()
    assert revert["base_version"] == NEWER and revert["revert_to"] == SMALL_CATALOG_VERSION
    assert revert["counts"]["updated"] == 2  # the price back, voyage no longer deprecated
    assert [entry["name"] for entry in revert["deprecated"]] == ["openai/gpt-4.1"]
    applied = client.post("/admin/catalog/apply", json={"preview_id": revert["id"]},
                          headers=admin_headers).get_json()
    assert applied["applied"] is True and applied["version"] not in (NEWER, SMALL_CATALOG_VERSION)
    catalog = client.get("/api/models").get_json()
    assert catalog["version"] == applied["version"]
    restored = {(m["provider"], m["model"]): m["input_per_1m"] for m in catalog["models"]}
    original = {r.key: r.pricing_prompt * 1_000_000 if r.pricing_prompt is not None else None
                for r in small_catalog_rows() if r.is_active}
    assert restored == original
    versions = client.get("/admin/catalog/versions", headers=admin_headers).get_json()
    assert [v["version"] for v in versions] == [applied["version"], NEWER, SMALL_CATALOG_VERSION]
    assert versions[0]["current"] and versions[0]["source"] == f"revert to {SMALL_CATALOG_VERSION}"
    assert versions[1]["revertable"] and not versions[0]["revertable"]


def test_revert_to_an_unknown_version_is_404(bundled_catalog, client, admin_headers):
    response = client.post("/admin/catalog/revert", json={"version": "2020.01.01"},
                           headers=admin_headers)
    assert response.status_code == 404


# --- Provider Models are out of reach of every catalog write ----------------------------------

APPLY_PATH = [BACKEND / "catalog", BACKEND / "services" / "catalog_writes.py",
              BACKEND / "services" / "bundled.py", BACKEND / "services" / "catalog_review.py",
              BACKEND / "services" / "remote_feed.py"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _module_file(name: str) -> Path | None:
    base = BACKEND.parent / Path(*name.split("."))
    candidate = base.with_suffix(".py")
    return candidate if candidate.exists() and name.startswith("backend.") else None


def test_nothing_on_the_apply_path_imports_provider_models():
    queue = [p for entry in APPLY_PATH for p in ([entry] if entry.is_file()
                                                 else sorted(entry.glob("*.py")))]
    seen: set[Path] = set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            assert "operator_tables" not in name and "ProviderModel" not in name, (path, name)
            module = _module_file(name)
            if module is not None:
                queue.append(module)
    assert BACKEND / "catalog" / "apply.py" in seen


def test_apply_leaves_provider_models_exactly_as_they_were(newer_bundled, client, admin_headers,
                                                          store):
    claude = (CatalogModel.select().join(Provider)
              .where(CatalogModel.provider_model_id == "claude-sonnet-4").get())
    ProviderModel.create(provider=claude.provider, catalog_model=claude,
                         upstream_model_id="claude-sonnet-4", kind="chat",
                         input_price_per_1m=Decimal("2.75"), source=f"catalog:{SMALL_CATALOG_VERSION}")
    before = list(ProviderModel.select().dicts())
    shown = preview(client, admin_headers, source="bundled")
    client.post("/admin/catalog/apply", json={"preview_id": shown["id"]}, headers=admin_headers)
    assert list(ProviderModel.select().dicts()) == before
