"""The interactive API docs at /api/docs: Swagger UI served locally, working under its own CSP."""

from playwright.sync_api import expect


def test_the_api_docs_list_the_catalog_routes_and_can_call_one(page):
    response = page.goto("/api/docs")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Model Catalog")
    operation = page.locator("#operations-models-get_api_models_providers")
    expect(operation).to_contain_text("Provider keys that have catalog rows")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_contain_text("200")
