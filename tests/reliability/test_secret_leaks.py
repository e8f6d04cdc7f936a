"""No secret leaves the app: a tour of every route, scanning every response and every log line.

The app runs with every kind of secret it holds: the admin key, an explicit two-key KEK keyring,
a feed signing key, and a provider credential set through the API (then replaced). The tour
visits every GET operation of the OpenAPI document (with and without the admin key), every
console page, the gateway, the feed, the metrics, and the failure paths that tend to echo input:
validation errors on a body holding the credential, and a provider sync that cannot reach its
upstream. The same scan watches the whole test session too (``tests/conftest.py``).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import responses

from backend.crypto.signing import generate_keypair
from backend.services.client_keys import create_client_key
from tests.conftest import ADMIN_KEY
from tests.reliability.secret_scan import SecretScan

CREDENTIAL = "sk-proj-LeakCanary-0123456789abcdefABCDEF"
NEW_CREDENTIAL = "sk-proj-SecondCanary-9876543210fedcbaFEDCBA"
KEK_PRIMARY, KEK_OLD = bytes(range(32)), bytes(range(100, 132))
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
def signing_key() -> str:
    private, _public = generate_keypair()
    return private


@pytest.fixture
def secret_app(bundled_catalog, make_config, signing_key):
    from backend.app import create_app

    keyring = (f"k2:{base64.b64encode(KEK_PRIMARY).decode()},"
               f"k1:{base64.b64encode(KEK_OLD).decode()}")
    app = create_app(make_config(catalog_kek=keyring, catalog_signing_key=signing_key,
                                 log_level="DEBUG"))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def scan(secret_app, signing_key):
    watcher = SecretScan().install()
    watcher.learn(secret_app)
    for value, what in [(CREDENTIAL, "the provider credential"),
                        (NEW_CREDENTIAL, "the replaced provider credential"),
                        (signing_key, "the feed signing key")]:
        watcher.watch(value, what)
    yield watcher
    watcher.uninstall()


def concrete(path: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda match: values.get(match.group(1), "openai"), path)


def tour(client, provider: dict, token: str) -> int:
    """Visit every route a person or a program would; returns how many requests were made."""
    spec = client.get("/api/openapi.json").get_json()
    values = {"provider_id": str(provider["id"]), "model_id": "1", "slug": provider["slug"],
              "key_id": "1", "backend_id": "1", "provider": "openai", "model": "gpt-4o",
              "component_type": "GEN"}
    requests_made = 1
    for path, operations in spec["paths"].items():
        if "get" in operations:
            for headers in (ADMIN, {}):
                client.get(concrete(path, values), headers=headers)
                requests_made += 1
    pages = [rule.rule for rule in client.application.url_map.iter_rules()
             if rule.endpoint.startswith("console.page")]
    for page in pages:
        client.get(concrete(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", page), values))
    client.get("/v1/models", headers={"Authorization": f"Bearer {token}"})
    client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {CREDENTIAL}"},
                json={"model": "x", "messages": []})
    return requests_made + len(pages) + 2


def test_no_secret_appears_in_any_response_or_log_line(secret_app, scan, capsys, database_url):
    client = secret_app.test_client()
    created = client.post("/api/admin/providers", headers=ADMIN, json={
        "kind": "openai-compatible", "name": "Leak canary", "credential": CREDENTIAL,
        "base_url": "https://upstream.invalid/v1"})
    assert created.status_code == 201, created.get_json()
    provider = created.get_json()
    assert client.patch(f"/api/admin/providers/{provider['id']}", headers=ADMIN,
                        json={"credential": NEW_CREDENTIAL}).status_code == 200
    # Failure paths that tend to echo what they were given.
    client.post("/api/admin/providers", headers=ADMIN,
                json={"kind": "no-such-kind", "name": "", "credential": CREDENTIAL})
    client.post("/api/admin/providers", headers=ADMIN, json={"credential": [CREDENTIAL]})
    client.patch(f"/api/admin/providers/{provider['id']}", headers=ADMIN,
                 json={"credential": CREDENTIAL, "base_url": f"ftp://{CREDENTIAL}"})
    client.get("/api/admin/providers", headers={"Authorization": f"Bearer {CREDENTIAL}"})
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        client.post(f"/admin/model-sync/provider/{provider['slug']}", headers=ADMIN, json={})
    token = create_client_key("tour").token

    requests_made = tour(client, provider, token) + 8

    findings = scan.findings()
    with capsys.disabled():
        print(f"\nsecret scan: {len(scan.secrets)} secrets watched, {requests_made} requests, "
              f"{scan.responses_scanned} responses and {len(scan.log_lines)} log lines scanned, "
              f"{len(findings)} leaks")
    assert scan.responses_scanned >= 50 and scan.log_lines
    assert not findings, "\n".join(findings)
    if database_url.startswith("sqlite:///"):
        stored = Path(database_url.removeprefix("sqlite:///")).read_bytes()
        assert CREDENTIAL.encode() not in stored and NEW_CREDENTIAL.encode() not in stored
