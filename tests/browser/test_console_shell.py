"""The console shell loads under its Content-Security-Policy with no script errors."""

from playwright.sync_api import expect


def test_the_console_loads_with_its_navigation(page):
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".brand")).to_have_text("Model Catalog")
    expect(page.get_by_role("link", name="Catalog")).to_be_visible()
