"""Every non-public route refuses every bad credential, with the documented 401.

The admin routes are enumerated at run time: the operations the OpenAPI document marks with the
``AdminKey`` scheme, plus every ``/admin/…`` and ``/api/admin/…`` API route in the url_map (the
console's pages are public shells that hold no data). The ``/v1`` gateway routes come from the
url_map too and answer in OpenAI's error shape. A route added later is covered without editing
this file.
"""

from __future__ import annotations

import re

import pytest
import responses

from backend.services.client_keys import create_client_key, revoke_client_key
from tests.conftest import ADMIN_KEY

ADMIN_PREFIXES = ("/admin/", "/api/admin/")
NOT_API = {"console", "api-docs", "gateway"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}
PATH_VALUES = {"int": "1", "path": "openai/gpt-4o", "default": "openai"}
NON_ASCII = "ключ-доступа-🔑".encode().decode("latin-1")  # how a server hands UTF-8 bytes to WSGI

# (what it is, the Authorization header or None to send none)
BAD_HEADERS = [
    ("missing", None),
    ("empty", ""),
    ("wrong key", "Bearer wrong-key-0123456789abcdef"),
    ("the key's prefix", f"Bearer {ADMIN_KEY[:-1]}"),
    ("the key plus a character", f"Bearer {ADMIN_KEY}x"),
    ("scheme only", "Bearer"),
    ("scheme and spaces", "Bearer  "),
    ("Basic scheme", "Basic xyz"),
    ("Basic with the key", f"Basic {ADMIN_KEY}"),
    ("key without scheme", ADMIN_KEY),
    ("tab after the scheme", f"Bearer\t{ADMIN_KEY}"),
    ("tabs only", "Bearer\t\t"),
    ("two tokens", f"Bearer {ADMIN_KEY} {ADMIN_KEY}"),
    ("two headers joined", f"Bearer {ADMIN_KEY}, Bearer {ADMIN_KEY}"),
    ("non-ASCII token", f"Bearer {NON_ASCII}"),
    ("the key plus non-ASCII", f"Bearer {ADMIN_KEY}{NON_ASCII}"),
    ("10 KB token", "Bearer " + "k" * 10240),
    ("10 KB token starting with the key", f"Bearer {ADMIN_KEY}" + "k" * 10240),
]


def concrete_path(rule: str) -> str:
    """``/api/x/<int:id>/<path:model>`` -> ``/api/x/1/openai/gpt-4o``."""
    def value(match: re.Match) -> str:
        return PATH_VALUES.get(match.group(1) or "default", PATH_VALUES["default"])

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", value, rule)


def openapi_rule(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def admin_routes(app, spec) -> list[tuple[str, str]]:
    """(method, concrete path) of every route that needs the admin key."""
    secured = {(path, method.upper()) for path, operations in spec["paths"].items()
               for method, operation in operations.items()
               if isinstance(operation, dict) and {"AdminKey": []} in operation.get("security", [])}
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in NOT_API:
            continue
        for method in rule.methods - IGNORED_METHODS:
            if (openapi_rule(rule.rule), method) in secured or rule.rule.startswith(ADMIN_PREFIXES):
                found.add((method, concrete_path(rule.rule)))
    assert len(secured) <= len(found)
    return sorted(found)


def gateway_routes(app) -> list[tuple[str, str]]:
    return sorted((method, rule.rule) for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("gateway.")
                  for method in rule.methods - IGNORED_METHODS)


def send(client, method: str, path: str, header: str | None):
    headers = {} if header is None else {"Authorization": header}
    return client.open(path, method=method, headers=headers, json={} if method != "GET" else None)


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


def test_every_admin_route_refuses_every_bad_header_with_the_json_envelope(app, client, spec, capsys):
    routes = admin_routes(app, spec)
    assert len(routes) >= 40, "the admin routes were not found"
    wrong = []
    for method, path in routes:
        for what, header in BAD_HEADERS:
            response = send(client, method, path, header)
            body = response.get_json(silent=True) or {}
            if (response.status_code != 401 or body.get("code") != 401
                    or not body.get("message")
                    or not response.headers.get("WWW-Authenticate", "").startswith("Bearer")):
                wrong.append(f"{method} {path} [{what}] -> {response.status_code} {body}")
    with capsys.disabled():
        print(f"\nauth matrix: {len(routes)} admin routes x {len(BAD_HEADERS)} bad headers = "
              f"{len(routes) * len(BAD_HEADERS)} requests, {len(wrong)} not refused")
    assert not wrong, "\n".join(wrong[:40])


def test_the_right_key_passes_every_admin_route(app, client, spec):
    """The control: the matrix's 401s come from the key, not from routes that always refuse."""
    refused = []
    with responses.RequestsMock(assert_all_requests_are_fired=False):  # syncs stay on the machine
        for method, path in admin_routes(app, spec):
            for header in (f"Bearer {ADMIN_KEY}", f"bearer {ADMIN_KEY}", f"Bearer {ADMIN_KEY} "):
                response = send(client, method, path, header)
                if response.status_code == 401:
                    refused.append(f"{method} {path} [{header!r}]")
    assert not refused, refused


def test_every_admin_operation_documents_the_scheme_the_401_and_the_429(app, spec):
    for method, path in admin_routes(app, spec):
        rule = next(r for r in app.url_map.iter_rules()
                    if concrete_path(r.rule) == path and method in r.methods)
        operation = spec["paths"][openapi_rule(rule.rule)][method.lower()]
        assert {"AdminKey": []} in operation["security"], (method, path)
        assert {"401", "429"} <= set(operation["responses"]), (method, path)


@pytest.fixture
def client_token(store):
    return create_client_key("matrix").token


def test_every_gateway_route_refuses_bad_keys_in_openai_shape(app, client, client_token, capsys):
    routes = gateway_routes(app)
    assert len(routes) >= 3, "the /v1 routes were not found"
    revoked = create_client_key("revoked")
    revoke_client_key(revoked.key.id)
    headers = [*BAD_HEADERS, ("the admin key", f"Bearer {ADMIN_KEY}"),
               ("a revoked client key", f"Bearer {revoked.token}"),
               ("a client key's prefix", f"Bearer {client_token[:-1]}")]
    wrong = []
    for method, path in routes:
        for what, header in headers:
            response = send(client, method, path, header)
            error = (response.get_json(silent=True) or {}).get("error") or {}
            if (response.status_code != 401 or error.get("code") != "invalid_api_key"
                    or error.get("type") != "authentication_error"
                    or not response.headers.get("WWW-Authenticate", "").startswith("Bearer")):
                wrong.append(f"{method} {path} [{what}] -> {response.status_code} {error}")
    with capsys.disabled():
        print(f"\nauth matrix: {len(routes)} gateway routes x {len(headers)} bad headers, "
              f"{len(wrong)} not refused")
    assert not wrong, "\n".join(wrong[:40])
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {client_token}"}).status_code == 200
