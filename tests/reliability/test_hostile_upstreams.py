"""Provider syncs against hostile upstreams: each ends within its deadline and size cap, with a
clear recorded error and the catalog untouched, or with a clean, validated result.

The upstream is a local fault-injection server (``tests/reliability/fault_server.py``); the sync
runs through the real admin API on a real database.
"""

from __future__ import annotations

import json
import time

import pytest

from backend.store.tables import CatalogModel, CatalogVersion, ModelChange, Provider, SyncRun
from tests.conftest import fixture_bytes
from tests.reliability.fault_server import (
    body,
    endless,
    gzip_bomb,
    running_fault_server,
    status,
    trickle,
)

DEADLINE = 3.0
MAX_BYTES = 16 * 1024 * 1024
# Slack for process scheduling on a loaded CI machine; the deadline is what is under test.
MARGIN = 6.0
HOSTILE_HTTP = {"http_connect_timeout": 1.0, "http_read_timeout": 1.0, "http_deadline": DEADLINE,
                "http_max_response_bytes": MAX_BYTES, "http_retries": 2, "http_backoff": 0.05,
                "http_max_retry_after": 0.5}
CEREBRAS = "/cerebras/v1/models"
TOGETHER = "/together/v1/models"
TEN_MB = 10 * 1024 * 1024
GOOD_LIST = fixture_bytes("cerebras-models-2026-08-13.json")


@pytest.fixture(scope="module")
def fault():
    with running_fault_server() as server:
        yield server


@pytest.fixture
def config(make_config, fault):
    return make_config(environ={
        "CEREBRAS_BASE_URL": fault.url + "/cerebras/v1", "CEREBRAS_API_KEY": "csk-hostile-test",
        "TOGETHER_BASE_URL": fault.url + "/together/v1", "TOGETHER_API_KEY": "tgp-hostile-test",
    }, **HOSTILE_HTTP)


def catalog_state(config):
    """Everything a write would change: versions, rows, history and both files."""
    rows = sorted((m.provider_model_id, m.model_name, str(m.pricing_prompt),
                   str(m.pricing_completion), m.is_active) for m in CatalogModel.select())
    files = tuple(p.read_bytes() if p.exists() else None
                  for p in (config.catalog_path, config.catalog_mirror_path))
    return CatalogVersion.select().count(), rows, ModelChange.select().count(), files


def sync(client, admin_headers, slug):
    started = time.monotonic()
    response = client.post(f"/admin/model-sync/provider/{slug}", headers=admin_headers)
    return response, time.monotonic() - started


def last_run(slug):
    return SyncRun.select().where(SyncRun.provider_slug == slug).order_by(SyncRun.id.desc()).get()


def models_list(*entries) -> bytes:
    return json.dumps({"object": "list", "data": list(entries)}).encode()


def entry(model_id, **fields) -> dict:
    return {"id": model_id, "object": "model", "owned_by": "hostile", **fields}


def together(*entries) -> bytes:
    return json.dumps(list(entries)).encode()


def priced(model_id, input_price, output_price="1") -> dict:
    return {"id": model_id, "type": "chat", "pricing": {"input": input_price, "output": output_price}}


FAILING = {
    "trickle": (CEREBRAS, trickle(GOOD_LIST, interval=0.2), "deadline"),
    "trickle-chunked": (CEREBRAS, trickle(GOOD_LIST, interval=0.2, chunked=True), "deadline"),
    "endless-body": (CEREBRAS, endless(), "larger than"),
    "gzip-bomb": (CEREBRAS, gzip_bomb(64 * MAX_BYTES), "larger than"),
    "429-huge-retry-after": (CEREBRAS, status(429, b"slow down", {"Retry-After": "999999999"}),
                             "HTTP 429"),
    "429-retry-after-year-9999": (
        CEREBRAS, status(429, b"", {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}), "HTTP 429"),
    "503-storm": (CEREBRAS, status(503, b"<html>busy</html>"), "HTTP 503"),
    "truncated-json": (CEREBRAS, body(GOOD_LIST[:-20]), "malformed JSON"),
    "not-json": (CEREBRAS, body(b"<html><script>alert(1)</script></html>"), "malformed JSON"),
    "nan-literal": (CEREBRAS, body(b'{"data": [{"id": "a", "context_length": NaN}]}'),
                    "malformed JSON"),
    "deep-array-nesting": (CEREBRAS, body(b"[" * 100_000), "malformed JSON"),
    "deep-object-nesting": (CEREBRAS, body(b'{"data":' * 100_000), "malformed JSON"),
    "invalid-utf8": (CEREBRAS, body(b'{"data": [{"id": "\xff\xfe"}]}'), "malformed JSON"),
    "ten-mb-id": (CEREBRAS, body(models_list(entry("x" * TEN_MB))), "malformed model list"),
    "ten-mb-name": (CEREBRAS, body(models_list(entry("m", name="n" * TEN_MB))),
                    "malformed model list"),
    "data-not-a-list": (CEREBRAS, body(b'{"data": {"id": "gpt"}}'), "malformed model list"),
    "entry-not-an-object": (CEREBRAS, body(b'{"data": ["gpt", 1]}'), "malformed model list"),
    "numeric-id": (CEREBRAS, body(models_list({"id": 42})), "has no model id"),
    "id-with-nul": (CEREBRAS, body(models_list(entry("gpt\u0000-4o"))), "control character"),
    "id-with-escape-sequence": (CEREBRAS, body(models_list(entry("gpt\u001b[31m-red"))),
                                "control character"),
    "id-with-newline": (CEREBRAS, body(models_list(entry("gpt\n-4o"))), "control character"),
    "name-with-bidi-override": (CEREBRAS, body(models_list(entry("m", name="abc\u202edcba"))),
                                "control character"),
    "price-nan-string": (TOGETHER, body(together(priced("m", "NaN"))), "not a price"),
    "price-infinity": (TOGETHER, body(together(priced("m", "Infinity"))), "not a price"),
    "price-1e300": (TOGETHER, body(together(priced("m", 1e300))), "not a price"),
    "price-1e-999999": (TOGETHER, body(b'[{"id": "m", "pricing": {"input": 1e-999999}}]'),
                        "not a price"),
    "price-a-word": (TOGETHER, body(together(priced("m", "cheap"))), "not a price"),
    "price-an-object": (TOGETHER, body(together(priced("m", {"usd": 1}))), "not a price"),
}


def hostile_sync_problems(client, admin_headers, config, fault, case) -> list[str]:
    """Run one hostile case; what went wrong with it (nothing, when it ends as promised)."""
    path, responder, error = FAILING[case]
    slug = "together" if path == TOGETHER else "cerebras"
    before = catalog_state(config)
    fault.route(path, responder)
    response, elapsed = sync(client, admin_headers, slug)
    fault.route(CEREBRAS, body(GOOD_LIST))
    fault.route(TOGETHER, body(together(priced("kept-model", "0.5"))))
    run = last_run(slug)
    document = response.get_json(silent=True) or {}
    checks = {
        f"took {elapsed:.1f}s": elapsed < DEADLINE + MARGIN,
        f"answered {response.status_code}": response.status_code == 502,
        f"message {document.get('message', '')[:200]!r}": error in document.get("message", ""),
        f"run {run.status} {str(run.error)[:200]!r}": run.status == "failed" and error in run.error
        and run.finished_at is not None and len(run.error) < 2000,
        "changed the catalog": catalog_state(config) == before,
    }
    print(f"hostile upstream {case}: {response.status_code} in {elapsed:.1f}s: {str(run.error)[:100]}")
    return [f"{case}: {problem}" for problem, ok in checks.items() if not ok]


def test_every_hostile_upstream_ends_in_time_with_a_recorded_error_and_changes_nothing(
        client, admin_headers, store, config, fault):
    fault.route(CEREBRAS, body(GOOD_LIST))
    fault.route(TOGETHER, body(together(priced("kept-model", "0.5"))))
    for slug in ("cerebras", "together"):
        assert sync(client, admin_headers, slug)[0].status_code == 200

    problems = [problem for case in sorted(FAILING)
                for problem in hostile_sync_problems(client, admin_headers, config, fault, case)]

    print(f"hostile upstreams: {len(FAILING)} failing cases tried, {len(problems)} problems")
    assert not problems


def stored(slug):
    return {m.provider_model_id: m for m in CatalogModel.select().join(Provider).where(
        Provider.slug == slug)}


def test_html_in_ids_and_names_is_stored_and_served_as_plain_text(client, admin_headers, store, fault):
    hostile_id = '<img src=x onerror="alert(1)">'
    fault.route(CEREBRAS, body(models_list(
        entry(hostile_id, name="<script>alert('name')</script>"), entry("javascript:alert(1)"))))

    response, _ = sync(client, admin_headers, "cerebras")

    assert response.status_code == 200
    assert stored("cerebras")[hostile_id].model_name == "<script>alert('name')</script>"
    served = client.get("/api/models/providers/cerebras")
    assert served.mimetype == "application/json"
    assert {row["model"] for row in served.get_json()} == {hostile_id, "javascript:alert(1)"}


def test_duplicate_keys_take_the_last_value_like_every_json_parser_we_use(
        client, admin_headers, store, fault):
    fault.route(CEREBRAS, body(b'{"data": [{"id": "first", "id": "second", "object": "model"}]}'))

    response, _ = sync(client, admin_headers, "cerebras")

    assert response.status_code == 200
    assert sorted(stored("cerebras")) == ["second"]


def test_wrong_types_in_optional_fields_read_as_unknown(client, admin_headers, store, fault):
    fault.route(CEREBRAS, body(models_list(entry(
        "odd-model", name=["not", "text"], context_length="lots", max_completion_tokens=-5,
        created={"when": "now"}))))

    response, _ = sync(client, admin_headers, "cerebras")

    assert response.status_code == 200
    row = stored("cerebras")["odd-model"]
    assert (row.model_name, row.context_length, row.max_output_tokens) == ("odd-model", None, None)


def test_a_negative_price_is_unknown_never_a_number(client, admin_headers, store, fault):
    fault.route(TOGETHER, body(together(priced("variable-price", "-1", "-0.5"))))

    response, _ = sync(client, admin_headers, "together")

    assert response.status_code == 200
    row = stored("together")["variable-price"]
    assert row.pricing_prompt is None and row.pricing_completion is None and row.pricing_unknown
