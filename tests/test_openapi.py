"""The OpenAPI document: every API route is in it, with the errors a client must handle.

The checks walk the app's own ``url_map``, so a route added later is covered without editing
this file: it must appear in ``/api/openapi.json`` with its error responses documented.
"""

from __future__ import annotations

import re

import pytest

# Blueprints that serve pages and the spec itself rather than API operations.
NOT_OPERATIONS = {"console", "api-docs"}
API_PREFIXES = ("/api/", "/admin/")
ADMIN_PREFIXES = ("/api/admin/", "/admin/")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
ERROR_ENVELOPE = {"code", "status", "message", "errors"}


def openapi_path(rule: str) -> str:
    """``/api/x/<int:provider_id>`` -> ``/api/x/{provider_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_operations(app):
    """(OpenAPI path, lower-case method) of every API route the app serves."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in NOT_OPERATIONS or not rule.rule.startswith(API_PREFIXES):
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            yield openapi_path(rule.rule), method.lower()


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def operations(app, spec):
    found = list(api_operations(app))
    assert found, "the app serves no API routes"
    return [(path, method, spec["paths"].get(path, {}).get(method)) for path, method in found]


def test_the_docs_page_and_the_document_are_served(client, spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Model Catalog"
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert b"/vendor/swagger-ui-dist/swagger-ui-bundle.js" in page.data
    assert b"/api/openapi.json" in page.data


def test_every_api_route_is_in_the_document(operations):
    missing = [f"{method.upper()} {path}" for path, method, operation in operations
               if operation is None]
    assert not missing, f"routes missing from /api/openapi.json: {missing}"


def test_every_operation_has_a_summary(operations):
    unsummarized = [f"{method.upper()} {path}" for path, method, operation in operations
                    if operation and not operation.get("summary")]
    assert not unsummarized, f"operations without a docstring summary: {unsummarized}"


def test_every_operation_documents_the_error_envelope(operations):
    bare = [f"{method.upper()} {path}" for path, method, operation in operations
            if operation and "default" not in operation["responses"]]
    assert not bare, f"operations without the default error response: {bare}"


def test_routes_with_path_parameters_document_404(operations):
    lacking = [f"{method.upper()} {path}" for path, method, operation in operations
               if operation and "{" in path and "404" not in operation["responses"]]
    assert not lacking, f"operations on an addressed resource without a 404: {lacking}"


def test_routes_that_take_input_document_422(operations):
    def takes_input(operation):
        return "requestBody" in operation or any(
            parameter.get("in") == "query" for parameter in operation.get("parameters", []))

    lacking = [f"{method.upper()} {path}" for path, method, operation in operations
               if operation and takes_input(operation) and "422" not in operation["responses"]]
    assert not lacking, f"operations that validate input without a 422: {lacking}"


def test_admin_routes_document_the_admin_key_and_401(operations):
    lacking = [f"{method.upper()} {path}" for path, method, operation in operations
               if operation and path.startswith(ADMIN_PREFIXES)
               and ("401" not in operation["responses"]
                    or {"AdminKey": []} not in operation.get("security", []))]
    assert not lacking, f"admin operations without the AdminKey scheme and a 401: {lacking}"


def test_the_upsert_write_is_documented_as_admin_only(spec):
    upsert = spec["paths"]["/api/models/upsert"]["post"]
    assert {"AdminKey": []} in upsert["security"]
    assert {"401", "422"} <= set(upsert["responses"])
    assert spec["components"]["securitySchemes"]["AdminKey"]["scheme"] == "bearer"


def test_error_responses_describe_the_json_envelope(spec):
    schemas = spec["components"]["schemas"]
    for name, response in spec["components"]["responses"].items():
        reference = response["content"]["application/json"]["schema"]["$ref"]
        schema = schemas[reference.rsplit("/", 1)[1]]
        assert set(schema["properties"]) >= ERROR_ENVELOPE, name


def test_schema_names_do_not_collide(spec):
    names = set(spec["components"]["schemas"])
    renamed = sorted(name for name in names
                     if (match := re.fullmatch(r"(.+?)\d+", name)) and match.group(1) in names)
    assert not renamed, f"two schemas share a name and apispec renamed one: {renamed}"


def test_the_docs_page_allows_only_its_own_inline_script(client):
    page = client.get("/api/docs")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "Content-Security-Policy" not in client.get("/api/openapi.json").headers


def test_the_browsers_favicon_request_is_answered_quietly(client):
    assert client.get("/favicon.ico").status_code == 204
