"""The Models, Model detail and Usage screens, as a person uses them in headless Chromium."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from backend.services.client_keys import create_client_key
from tests.gateway_fakes import (
    Reply,
    make_facade,
    make_provider,
    make_provider_model,
    openai_completion,
    upstream,  # noqa: F401 - a fixture
)


def test_a_model_is_created_from_the_list_and_opens_on_its_detail_page(admin_page, store):
    make_facade("existing-chat")
    page = admin_page
    page.goto("/admin/models")
    expect(page.get_by_role("link", name="existing-chat", exact=True)).to_be_visible()

    page.get_by_role("button", name="Add model").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Slug").fill("Claude Haiku")
    expect(dialog.get_by_text("Use only lowercase letters, digits and single hyphens")).to_be_visible()
    dialog.get_by_label("Slug").fill("claude-haiku-3-5")
    dialog.get_by_label("Display name").fill("Claude Haiku 3.5")
    dialog.get_by_role("button", name="Add model").click()

    expect(page).to_have_url(re.compile(r"/admin/models/claude-haiku-3-5$"))
    expect(page.locator(".facade-card").filter(has_text="Routing")).to_contain_text("Failover")
    expect(page.locator(".facade-card").filter(has_text="Status")).to_contain_text("draft")
    expect(page.get_by_text("No backends yet.")).to_be_visible()

    page.get_by_role("link", name="Back").click()
    page.get_by_label("Search").fill("haiku")
    expect(page.get_by_role("link", name="claude-haiku-3-5", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="existing-chat", exact=True)).to_have_count(0)


def test_a_backend_is_added_and_the_model_published(admin_page, store):
    provider = make_provider("Fake A", "http://127.0.0.1:9/v1")
    make_provider_model(provider, "model-a")
    make_provider_model(provider, "embed-a", kind="embedding")
    make_facade("assistant", status="draft")
    page = admin_page
    page.goto("/admin/models/assistant")

    expect(page.get_by_text("A model needs at least one backend before it can be published.")
           ).to_be_visible()
    page.get_by_role("button", name="Add backend").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("#field-provider").select_option(label="Fake A")
    expect(dialog.locator("#field-provider_model_id option")).to_have_text(
        ["Choose a chat model", "model-a"])
    dialog.locator("#field-provider_model_id").select_option(label="model-a")
    dialog.get_by_label("Top K").fill("40")
    expect(dialog.get_by_text("Honored only by Anthropic-family models")).to_be_visible()
    dialog.get_by_role("button", name="Add backend").click()

    row = page.get_by_role("row").filter(has_text="model-a")
    expect(row).to_contain_text("$2.5 in / $10 out")
    expect(row).to_contain_text("top_k 40")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".facade-card").filter(has_text="Status")).to_contain_text("active")
    expect(page.get_by_role("button", name="Disable")).to_be_visible()


def test_the_usage_page_charts_and_tables_routed_requests(
        admin_page, live_server, upstream, store):  # noqa: F811
    model = make_provider_model(make_provider("Fake A", upstream.base_url), "model-a")
    make_facade("assistant", model)
    token = create_client_key("web app").token
    upstream.queue("/chat/completions", Reply(200, openai_completion(prompt_tokens=1000,
                                                                     completion_tokens=100)))
    routed = requests.post(f"{live_server}/v1/chat/completions", timeout=30,
                           headers={"Authorization": f"Bearer {token}"},
                           json={"model": "assistant", "messages": [{"role": "user", "content": "Hi"}]})
    assert routed.status_code == 200

    page = admin_page
    page.goto("/admin/usage")

    expect(page.locator(".usage-chart svg rect.chart-bar")).to_have_count(1)
    row = page.get_by_role("row").filter(has_text="assistant")
    expect(row).to_contain_text("1000")
    expect(row).to_contain_text("$0.0035")  # 1000 x $2.5/1M + 100 x $10/1M
    page.get_by_label("Group by").select_option(label="Client key")
    expect(page.get_by_role("row").filter(has_text="web app")).to_contain_text("$0.0035")
