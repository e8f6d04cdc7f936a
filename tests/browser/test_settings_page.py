"""The Settings page: the Model Catalog card, the newer-available badge, and the reviewed sync."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import SMALL_CATALOG_VERSION, write_catalog_fixture
from tests.test_catalog_review import NEWER, newer_rows

pytestmark = pytest.mark.browser


@pytest.fixture
def newer_bundled(bundled_catalog, app):
    return write_catalog_fixture(bundled_catalog, newer_rows(), version=NEWER)


def test_the_catalog_card_shows_versions_and_a_newer_available_badge(newer_bundled, admin_page):
    admin_page.goto("/admin/settings")
    card = admin_page.locator(".catalog-card")
    expect(card.locator("[data-field=current]")).to_have_text(SMALL_CATALOG_VERSION)
    expect(card.locator("[data-field=source]")).to_have_text("bundled")
    expect(card.locator("[data-field=bundled]")).to_have_text(NEWER)
    expect(card.get_by_text("newer available")).to_be_visible()


def test_sync_from_bundled_previews_three_sections_and_applies_on_click(newer_bundled, admin_page):
    admin_page.goto("/admin/settings")
    admin_page.get_by_role("button", name="Sync from bundled").click()
    dialog = admin_page.get_by_role("dialog", name=f"Sync from bundled {NEWER}")
    expect(dialog).to_be_visible()
    for title, count in (("New", "1"), ("Updated", "1"), ("Deprecated", "1")):
        expect(dialog.locator("summary", has_text=title)).to_contain_text(count)
    expect(dialog.get_by_text("openai/gpt-4.1")).to_be_hidden()
    dialog.locator("summary", has_text="New").click()
    expect(dialog.get_by_text("openai/gpt-4.1")).to_be_visible()
    dialog.locator("summary", has_text="Updated").click()
    expect(dialog.get_by_text("anthropic/claude-sonnet-4")).to_be_visible()
    expect(dialog.locator(".diff-before")).to_have_text("3")
    expect(dialog.locator(".diff-after")).to_have_text("2.5")
    dialog.locator("summary", has_text="Deprecated").click()
    expect(dialog.get_by_text("voyage/voyage-3-large")).to_be_visible()
    expect(admin_page.locator("[data-field=current]")).to_have_text(SMALL_CATALOG_VERSION)

    dialog.get_by_role("button", name="Apply").click()
    expect(admin_page.get_by_role("status").locator(".toast-message")).to_have_text(
        f"Applied catalog {NEWER}: 3 rows changed")
    expect(dialog).to_be_hidden()
    expect(admin_page.locator("[data-field=current]")).to_have_text(NEWER)
    expect(admin_page.get_by_text("newer available")).to_be_hidden()
