"""The Providers console as a person uses it: add a provider, see field errors, manage its models.

The small test catalog (applied at start-up) holds openai gpt-4o and a deprecated openai model.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_KEY

SECRET = "sk-proj-BrowserSecretValue-9876543210"
EXPECTED_FAILURES = ("status of 422",)  # the server's field errors, which the form then shows


@pytest.fixture
def console(bundled_catalog, browser, live_server):
    """An admin's tab; fails on any console error except the 422s a test provokes on purpose."""
    context = browser.new_context(base_url=live_server)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
           if msg.type == "error" and not any(s in msg.text for s in EXPECTED_FAILURES) else None)
    tab.goto("/")
    tab.evaluate(f"sessionStorage.setItem('model-catalog.admin-key', {ADMIN_KEY!r})")
    tab.goto("/admin/providers")
    expect(tab.get_by_role("heading", name="Providers")).to_be_visible()
    yield tab
    context.close()
    assert not problems, problems


def open_add_dialog(page, kind_label: str):
    page.get_by_role("button", name="Add provider").click()
    dialog = page.get_by_role("dialog", name="Add provider")
    dialog.get_by_label("Kind").select_option(label=kind_label)
    return dialog


def test_an_added_provider_shows_only_its_credential_prefix(console):
    dialog = open_add_dialog(console, "Azure OpenAI")
    dialog.get_by_label("Name").fill("Azure EU")
    dialog.get_by_label("API key").fill(SECRET)
    dialog.get_by_label("Base URL").fill("https://eu.openai.azure.com")
    dialog.get_by_label("API version").fill("2024-10-21")
    dialog.get_by_role("button", name="Add provider").click()

    row = console.get_by_role("row", name="Azure EU")
    expect(row).to_contain_text("sk-p…")
    expect(row).to_contain_text("Azure OpenAI")
    expect(row).to_contain_text("https://eu.openai.azure.com")
    expect(row).to_contain_text("active")
    assert SECRET not in console.content()

    console.get_by_label("Search").fill("azure e")
    expect(console.locator(".data-table tbody tr")).to_have_count(1)


def test_missing_fields_are_shown_beside_each_field(console):
    dialog = open_add_dialog(console, "Azure OpenAI")
    expect(dialog.get_by_label("Organization")).to_have_count(0)
    dialog.get_by_label("Name").fill("Azure without endpoint")
    dialog.get_by_role("button", name="Add provider").click()
    for field in ("field-credential", "field-base_url", "field-api_version"):
        expect(dialog.locator(f"#{field}-error")).to_have_text("Missing data for required field.")
    expect(dialog.locator("#field-name-error")).to_have_count(0)

    dialog.get_by_label("Kind").select_option(label="OpenAI")
    expect(dialog.get_by_label("Organization")).to_be_visible()
    expect(dialog.get_by_label("API version")).to_have_count(0)


def test_provider_models_are_imported_added_and_go_with_the_provider(console):
    dialog = open_add_dialog(console, "OpenAI")
    dialog.get_by_label("Name").fill("Team OpenAI")
    dialog.get_by_label("API key").fill(SECRET)
    dialog.get_by_role("button", name="Add provider").click()
    console.get_by_role("link", name="Team OpenAI", exact=True).click()
    expect(console.get_by_role("heading", name="Team OpenAI")).to_be_visible()

    console.get_by_role("button", name="Import from catalog").click()
    expect(console.get_by_role("status").first).to_contain_text("Imported 1 model from catalog 2026.08.01")
    imported = console.get_by_role("row", name="gpt-4o")
    expect(imported).to_contain_text("Catalog 2026.08.01")
    expect(imported).to_contain_text("$2.5")
    expect(imported).to_contain_text("128,000")

    console.get_by_role("button", name="Add custom model").click()
    custom = console.get_by_role("dialog", name="Add custom model")
    custom.get_by_label("Upstream model ID").fill("ft:gpt-4o:acme")
    custom.get_by_label("Input price (USD per 1M tokens)").fill("3.75")
    custom.get_by_role("button", name="Add model").click()
    expect(console.get_by_role("row", name="ft:gpt-4o:acme")).to_contain_text("Custom")
    expect(console.get_by_role("row", name="ft:gpt-4o:acme")).to_contain_text("$3.75")

    console.get_by_role("button", name="Delete", exact=True).click()
    confirm = console.get_by_role("dialog", name="Delete Team OpenAI?")
    expect(confirm).to_contain_text("Its 2 Provider Models and 0 facade backends will be deleted")
    confirm.get_by_role("button", name="Delete provider").click()
    expect(console.get_by_role("heading", name="Providers")).to_be_visible()
    expect(console.get_by_role("link", name="Team OpenAI", exact=True)).to_have_count(0)
    assert SECRET not in console.content()
