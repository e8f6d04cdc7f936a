"""Syncs call the upstream with the provider's stored credential, before and after KEK rotation."""

from __future__ import annotations

import os

import pytest
import responses
from responses import matchers

from backend.app import create_app
from backend.crypto.keyring import encode_key
from backend.errors import Conflict
from backend.services.sync import sync_provider
from backend.store.db import db
from tests.conftest import fixture_bytes

SECRET = "csk-stored-credential-0123456789"
OLD_KEY, NEW_KEY = os.urandom(32), os.urandom(32)
BASE_URL = "https://cerebras.example.test/v1"


def _serve_models(secret: str) -> responses.BaseResponse:
    return responses.get(
        f"{BASE_URL}/models", body=fixture_bytes("cerebras-models-2026-08-13.json"),
        content_type="application/json",
        match=[matchers.header_matcher({"Authorization": f"Bearer {secret}"})],
    )


@pytest.fixture
def team_cerebras(make_config, admin_headers) -> tuple[str, int]:
    """An admin's Cerebras account whose credential is sealed under the KEK ``old``."""
    client = create_app(make_config(catalog_kek=f"old:{encode_key(OLD_KEY)}")).test_client()
    created = client.post("/api/admin/providers", headers=admin_headers, json={
        "kind": "cerebras", "name": "Team Cerebras", "credential": SECRET, "base_url": BASE_URL})
    assert created.status_code == 201
    return created.get_json()["slug"], created.get_json()["id"]


@responses.activate
def test_a_sync_after_kek_rotation_authenticates_with_the_stored_credential(
        team_cerebras, make_config):
    slug, _ = team_cerebras
    rotated = make_config(catalog_kek=f"old:{encode_key(OLD_KEY)},*new:{encode_key(NEW_KEY)}")
    result = create_app(rotated).test_cli_runner().invoke(args=["rotate-kek"])
    assert result.exit_code == 0, result.output

    listing = _serve_models(SECRET)
    new_only = make_config(catalog_kek=f"new:{encode_key(NEW_KEY)}")
    create_app(new_only)
    with db.connection_context():
        report = sync_provider(new_only, slug)
    assert report.status == "success", report.message
    assert listing.call_count == 1
    assert report.diff is not None and len(report.diff.new) > 0


@responses.activate
def test_the_slug_api_key_override_still_wins(team_cerebras, make_config):
    slug, _ = team_cerebras
    config = make_config(catalog_kek=f"old:{encode_key(OLD_KEY)}",
                         environ={"TEAM_CEREBRAS_API_KEY": "csk-from-the-environment-0000"})
    create_app(config)
    listing = _serve_models("csk-from-the-environment-0000")
    with db.connection_context():
        assert sync_provider(config, slug).status == "success"
    assert listing.call_count == 1


def test_a_disabled_provider_is_not_synced(team_cerebras, make_config, admin_headers):
    slug, provider_id = team_cerebras
    config = make_config(catalog_kek=f"old:{encode_key(OLD_KEY)}")
    client = create_app(config).test_client()
    client.post(f"/api/admin/providers/{provider_id}/disable", headers=admin_headers)
    with db.connection_context(), pytest.raises(Conflict, match="disabled"):
        sync_provider(config, slug)
