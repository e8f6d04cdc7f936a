"""The catalog browser at "/" as a person sees it, on the small test catalog.

The small catalog holds openai gpt-4o (GEN), a deprecated openai gpt-3.5-turbo-0301 (GEN),
anthropic claude-sonnet-4 named "<b>Anthropic</b>: Claude Sonnet 4" (GEN), voyage-3-large (EMB)
and cohere rerank-v3.5 (RERANK, price unknown).
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

HTML_NAME = "<b>Anthropic</b>: Claude Sonnet 4"


@pytest.fixture
def catalog_page(bundled_catalog, page):
    page.requested_paths = []
    page.on("request", lambda request: page.requested_paths.append(urlsplit(request.url).path))
    page.goto("/")
    expect(page.get_by_text("Version 2026.08.01 · 4 active models")).to_be_visible()
    expect(page.get_by_label("Reranker")).to_be_enabled()
    return page


def option_labels(page, selector_label):
    return page.get_by_label(selector_label).locator("option").all_inner_texts()


def table_models(page):
    return page.locator(".data-table tbody .cell-sub")


def test_each_selector_offers_only_models_of_its_type(catalog_page):
    assert option_labels(catalog_page, "Generation model") == [
        "Choose a generation model", HTML_NAME, "OpenAI: GPT-4o"]
    assert option_labels(catalog_page, "Embedding model") == [
        "Choose an embedding model", "Voyage 3 Large"]
    assert option_labels(catalog_page, "Reranker") == ["Choose a reranker", "Cohere Rerank 3.5"]
    requested = catalog_page.requested_paths
    assert {"/api/models/by-type/GEN", "/api/models/by-type/EMB", "/api/models/by-type/RERANK"} <= set(
        requested)
    assert not [path for path in requested if path.endswith("models.json")]


def test_choosing_a_model_shows_its_details(catalog_page):
    catalog_page.get_by_label("Generation model").select_option(label="OpenAI: GPT-4o")
    details = catalog_page.get_by_role("complementary", name="Model details")
    expect(details.get_by_role("heading", level=2)).to_have_text("OpenAI: GPT-4o")
    for text in ("openai", "gpt-4o", "$2.50", "$10.00", "$0.0025", "$0.01", "128,000 tokens",
                 "16,384 tokens", "text, image → text", "streaming, vision, tools",
                 "https://api.openai.com/v1", "Active"):
        expect(details).to_contain_text(text)


def test_a_model_name_containing_html_shows_as_literal_text(catalog_page):
    catalog_page.get_by_label("Generation model").select_option(label=HTML_NAME)
    details = catalog_page.get_by_role("complementary", name="Model details")
    expect(details.get_by_role("heading", level=2)).to_have_text(HTML_NAME)
    expect(catalog_page.get_by_role("row", name=HTML_NAME)).to_be_visible()
    expect(catalog_page.locator("main b")).to_have_count(0)


def test_search_provider_and_type_filters_narrow_the_table(catalog_page):
    catalog_page.get_by_label("Search").fill("sonnet")
    expect(table_models(catalog_page)).to_have_text(["claude-sonnet-4"])
    catalog_page.get_by_label("Search").fill("")
    catalog_page.get_by_label("Provider").select_option("openai")
    expect(table_models(catalog_page)).to_have_text(["gpt-4o"])
    catalog_page.get_by_label("Provider").select_option("")
    catalog_page.get_by_label("Type").select_option("EMB")
    expect(table_models(catalog_page)).to_have_text(["voyage-3-large"])
    catalog_page.get_by_label("Provider").select_option("cohere")
    expect(catalog_page.get_by_text("No models match these filters.")).to_be_visible()


def test_deprecated_models_stay_hidden_until_asked_for(catalog_page):
    expect(catalog_page.get_by_text("gpt-3.5-turbo-0301")).to_have_count(0)
    catalog_page.get_by_label("Show deprecated").check()
    row = catalog_page.get_by_role("row", name="OpenAI: GPT-3.5 Turbo (0301)")
    expect(row).to_contain_text("deprecated")
    row.click()
    details = catalog_page.get_by_role("complementary", name="Model details")
    expect(details).to_contain_text("Deprecated since 2026-01-02")


def test_an_unknown_price_reads_unknown_never_zero(catalog_page):
    row = catalog_page.get_by_role("row", name="Cohere Rerank 3.5")
    expect(row).to_contain_text("unknown")
    expect(row).not_to_contain_text("$0")
    catalog_page.get_by_label("Reranker").select_option(label="Cohere Rerank 3.5")
    details = catalog_page.get_by_role("complementary", name="Model details")
    expect(details).to_contain_text("not published upstream")
    expect(details).not_to_contain_text("$0")
