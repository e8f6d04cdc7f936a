"""The console under attack: a catalog full of XSS payloads, a strict CSP with Trusted Types.

Every upstream-controlled field of the catalog (ids, names, notes, base URLs, source) carries a
payload that would run script if it ever reached an HTML sink; each payload sets
``window.__xss`` or opens a dialog. The console must show each one as literal text, run none of
them, and link nowhere but http(s). The ``page`` fixture already fails on any console error, so
a CSP or Trusted Types violation fails these tests too.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.catalog.rows import CatalogRow
from tests.conftest import write_catalog_fixture

RUN = "window.__xss=1"
XSS_PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f'<img src="x" onerror="{RUN}">',
    f"<svg onload={RUN}>",
    f"<svg><script>{RUN}</script></svg>",
    f'"><script>{RUN}</script>',
    f"'><img src=x onerror={RUN}>",
    f"</title><script>{RUN}</script>",
    f"</textarea><script>{RUN}</script>",
    f"</style><script>{RUN}</script>",
    f"<body onload={RUN}>",
    f"<iframe src=javascript:{RUN}>",
    f'<iframe srcdoc="<script>parent.{RUN}</script>">',
    f"<a href=javascript:{RUN}>click</a>",
    f'<a href="javascript:{RUN}">link</a>',
    f"javascript:{RUN}",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    f"data:text/html,<script>{RUN}</script>",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    f"<details open ontoggle={RUN}>",
    f"<input autofocus onfocus={RUN}>",
    f"<select autofocus onfocus={RUN}>",
    f"<video><source onerror={RUN}></video>",
    f"<audio src=x onerror={RUN}>",
    f"<marquee onstart={RUN}>",
    f"<object data=javascript:{RUN}>",
    f"<embed src=javascript:{RUN}>",
    f'<form action=javascript:{RUN}><button>go</button></form>',
    f'<math><mtext><table><mglyph><style><img src=x onerror={RUN}>',
    f"<noscript><p title=\"</noscript><img src=x onerror={RUN}>\">",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    "<SCRIPT SRC=//127.0.0.1/xss.js></SCRIPT>",
    f"<img src=`x` onerror={RUN}>",
    f"<img/src=x/onerror={RUN}>",
    f"<svg/onload={RUN}>",
    f'<div style="background:url(javascript:{RUN})">',
    f"<link rel=import href=data:text/html,<script>{RUN}</script>>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f"<base href=javascript:{RUN}//>",
    f"{{{{constructor.constructor('{RUN}')()}}}}",
    f"${{{RUN}}}",
    f"`;{RUN};`",
    f"';{RUN};//",
    f'";{RUN};//',
    "<!--<img src=x onerror=alert(1)>-->",
    f"<![CDATA[<script>{RUN}</script>]]>",
    f"&lt;script&gt;{RUN}&lt;/script&gt;",
    f"&#60;script&#62;{RUN}&#60;/script&#62;",
    f"%3Cscript%3E{RUN}%3C/script%3E",
    f"\\u003cscript\\u003e{RUN}\\u003c/script\\u003e",
    f"<x onclick={RUN}>click me</x>",
    f"<button popovertarget=x onbeforetoggle={RUN}>",
    f"<template><script>{RUN}</script></template>",
    f"<plaintext><script>{RUN}</script>",
    "<img src=x onerror=alert(String.fromCharCode(88,83,83))>",
    "<img src=x onerror=confirm(1)>",
    "<img src=x onerror=prompt(1)>",
]
URL_PAYLOADS = [p for p in XSS_PAYLOADS if ":" in p] or XSS_PAYLOADS
PAGES = {"/": "Model catalog", "/admin/settings": "Settings", "/admin/providers": "Providers",
         "/admin/models": "Models", "/admin/usage": "Usage"}


def hostile_rows() -> list[CatalogRow]:
    """One row per payload, the payload in every text field the upstream controls."""
    rows = []
    for index, payload in enumerate(XSS_PAYLOADS):
        rows.append(CatalogRow(
            "openai", payload, payload, "gen", ("GEN",), base_url=URL_PAYLOADS[index % len(URL_PAYLOADS)],
            notes=payload, source=payload, context_length=1000 + index,
        ))
    return rows


@pytest.fixture
def hostile_catalog(catalog_dir):
    return write_catalog_fixture(catalog_dir / "bundled.json", hostile_rows())


@pytest.fixture
def dialogs(page):
    opened: list[str] = []

    def record(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def assert_nothing_ran(page, dialogs):
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


def assert_links_are_http(page):
    schemes = page.eval_on_selector_all("a[href]", "links => links.map(a => a.protocol)")
    assert set(schemes) <= {"http:", "https:"}, schemes


def test_the_payload_list_is_large_and_distinct():
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS) >= 50


def test_every_console_page_is_served_with_a_strict_policy_and_trusted_types(hostile_catalog, client):
    for path in [*PAGES, "/admin/providers/1", "/admin/models/assistant"]:
        policy = client.get(path).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert directives["script-src"].split()[0] == "'self'"
        assert directives["require-trusted-types-for"] == "'script'"
        assert directives["trusted-types"] == "'none'"


def test_every_payload_shows_as_literal_text_and_none_runs(hostile_catalog, admin_page, dialogs):
    page = admin_page
    page.goto("/")
    expect(page.get_by_text(f"{len(XSS_PAYLOADS)} models shown")).to_be_visible()
    table_text = page.locator("table.data-table tbody").text_content()
    for payload in XSS_PAYLOADS:
        assert payload in table_text, payload

    details = page.locator("aside.model-details")
    rows = page.locator("table.data-table tbody tr")
    for index in range(rows.count()):
        rows.nth(index).click()
        expect(details.locator(".model-history")).to_be_visible()
        shown = details.text_content()
        title = details.locator("h2").text_content()
        row = next(r for r in hostile_rows() if r.model_name == title)
        for value in (row.model, row.notes, row.base_url, row.source):
            assert value in shown, value

    assert_nothing_ran(page, dialogs)
    assert_links_are_http(page)
    print(f"console security: {len(XSS_PAYLOADS)} XSS payloads x 5 fields shown as text, none ran")


def test_every_console_page_works_under_trusted_types_with_the_hostile_catalog(
        hostile_catalog, admin_page, dialogs, client, admin_headers):
    page = admin_page
    providers = client.get("/api/admin/providers?q=openai", headers=admin_headers).get_json()
    openai = next(provider for provider in providers if provider["slug"] == "openai")
    imported = client.post(f"/api/admin/providers/{openai['id']}/models/import", headers=admin_headers)
    assert imported.status_code == 200 and imported.get_json()["added"] == len(XSS_PAYLOADS)

    for path, heading in [*PAGES.items(), (f"/admin/providers/{openai['id']}", openai["name"])]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1, name=heading, exact=True)).to_be_visible()
        assert_nothing_ran(page, dialogs)
        assert_links_are_http(page)

    shown = page.locator("main").text_content()
    missing = [payload for payload in XSS_PAYLOADS if payload not in shown]
    assert missing == []


def test_the_browser_refuses_a_string_written_to_an_html_sink(browser, live_server):
    context = browser.new_context(base_url=live_server)
    try:
        tab = context.new_page()
        tab.goto("/")
        outcome = tab.evaluate("""() => {
            try { document.createElement('div').innerHTML = '<img src=x>'; return 'allowed'; }
            catch (error) { return error.name; }
        }""")
    finally:
        context.close()
    assert outcome == "TypeError"
