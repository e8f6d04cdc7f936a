"""Seed 004's provider sync against upstreams served locally from real payloads.

The network edge is a local HTTP server (``tests/sync_upstream.py``); everything else is the real
service on a real database (SQLite, or PostgreSQL with ``TEST_DATABASE_URL``).
"""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

import pytest

from backend.services.sync import SyncRequest, sync_provider
from backend.store.db import is_postgres
from backend.store.tables import CatalogModel, CatalogVersion, ModelChange, Provider, SyncRun
from tests import seed_004
from tests.conftest import fixture_bytes
from tests.sync_upstream import Reply, running_upstream

OPENROUTER = "/openrouter/api/v1/models"
CEREBRAS = "/cerebras/v1/models"
CEREBRAS_GONE = ["llama-3.3-70b", "llama-4-maverick-17b-128e-instruct", "llama-4-scout-17b-16e-instruct",
                 "llama3.1-8b", "qwen-3-235b-a22b-instruct-2507", "qwen-3-235b-a22b-thinking-2507",
                 "qwen-3-32b", "qwen-3-coder-480b"]
FAST_HTTP = {"http_connect_timeout": 1.0, "http_read_timeout": 0.5, "http_deadline": 10.0,
             "http_retries": 2, "http_backoff": 0.0, "http_max_retry_after": 0.05}


@pytest.fixture
def upstream():
    with running_upstream() as server:
        yield server


@pytest.fixture
def config(make_config, upstream):
    return make_config(environ={
        "OPENROUTER_BASE_URL": upstream.url + "/openrouter/api/v1",
        "CEREBRAS_BASE_URL": upstream.url + "/cerebras/v1",
        "CEREBRAS_API_KEY": "csk-test-secret-key",
    }, **FAST_HTTP)


def serve(upstream, path, fixture, **reply):
    upstream.reply(path, Reply(fixture_bytes(fixture), **reply))


def sync(config, slug, **request):
    return sync_provider(config, slug, SyncRequest(trigger="cli", **request))


def catalog_state(config):
    """Everything a write would change: versions, rows, history and both files."""
    rows = sorted((m.provider_model_id, str(m.pricing_prompt), str(m.pricing_completion),
                   m.context_length, m.is_active) for m in CatalogModel.select())
    files = tuple(p.read_bytes() if p.exists() else None
                  for p in (config.catalog_path, config.catalog_mirror_path))
    return (CatalogVersion.select().count(), rows, ModelChange.select().count(), files)


def last_run(slug):
    return SyncRun.select().where(SyncRun.provider_slug == slug).order_by(SyncRun.id.desc()).get()


def stored(slug):
    return {m.provider_model_id: m for m in CatalogModel.select().join(Provider).where(
        Provider.slug == slug)}


def test_the_second_openrouter_snapshot_reports_exactly_the_real_difference(config, upstream, store):
    serve(upstream, OPENROUTER, "openrouter-models-2026-08-08.data-array.json")
    first = sync(config, "openrouter")
    assert first.status == "success"
    assert first.counts()["new"] == 400

    serve(upstream, OPENROUTER, "openrouter-models-2026-08-18.json")
    second = sync(config, "openrouter")

    assert second.status == "success"
    assert len(second.diff.new) == 16
    assert {c.after.model for c in second.diff.deprecated} == {
        "inclusionai/ling-3.0-tiny:free", "openai/gpt-5.3-chat"}
    price_changes = [c for c in second.diff.updated
                     if {"pricing_prompt", "pricing_completion"} & set(c.fields)]
    context_changes = [c for c in second.diff.updated if "context_length" in c.fields]
    assert len(price_changes) == 36
    assert len(context_changes) == 4
    assert second.models_fetched == 414


def test_after_the_sync_the_catalog_matches_the_snapshots_prices_exactly(config, upstream, store):
    serve(upstream, OPENROUTER, "openrouter-models-2026-08-08.data-array.json")
    sync(config, "openrouter")
    serve(upstream, OPENROUTER, "openrouter-models-2026-08-18.json")
    sync(config, "openrouter")

    rows = stored("openrouter")
    snapshot = json.loads(fixture_bytes("openrouter-models-2026-08-18.json"))["data"]
    for entry in snapshot:
        row = rows[entry["id"]]
        for column, key in (("pricing_prompt", "prompt"), ("pricing_completion", "completion")):
            expected = Decimal(entry["pricing"][key])
            assert getattr(row, column) == (None if expected < 0 else expected), entry["id"]
        assert row.is_active
    assert sum(1 for row in rows.values() if row.is_active) == 414
    assert rows["openai/gpt-5.3-chat"].deprecated_on is not None


def test_variants_and_aliases_are_kept_under_their_full_openrouter_ids(config, upstream, store):
    serve(upstream, OPENROUTER, "openrouter-models-2026-08-18.json")
    sync(config, "openrouter")
    ids = set(stored("openrouter"))
    assert any(i.endswith(":free") for i in ids)
    assert any(i.startswith("~") for i in ids)


def test_a_mass_deprecation_is_held_back_and_changes_nothing(config, upstream, store):
    serve(upstream, CEREBRAS, "cerebras-models-2025-08-26.json")
    assert sync(config, "cerebras").counts()["new"] == 9
    before = catalog_state(config)

    serve(upstream, CEREBRAS, "cerebras-models-2026-08-13.json")
    held = sync(config, "cerebras")

    # The real lists share one id: 9 -> 3 is 8 gone and 2 new, not "6 missing".
    assert held.status == "held" and not held.success
    assert sorted(c.after.model for c in held.diff.deprecated) == sorted(CEREBRAS_GONE)
    assert "would deprecate 8 of 9" in held.error
    assert catalog_state(config) == before
    run = last_run("cerebras")
    assert run.status == "held" and "would deprecate" in run.error
    assert len(run.details["diff"]["deprecated"]) == 8


def test_force_applies_the_held_back_deprecations(config, upstream, store):
    serve(upstream, CEREBRAS, "cerebras-models-2025-08-26.json")
    sync(config, "cerebras")
    serve(upstream, CEREBRAS, "cerebras-models-2026-08-13.json")

    forced = sync(config, "cerebras", force=True)

    assert forced.status == "success"
    assert sorted(c.after.model for c in forced.diff.deprecated) == sorted(CEREBRAS_GONE)
    rows = stored("cerebras")
    assert sorted(m for m, row in rows.items() if row.is_active) == [
        "gemma-4-31b", "gpt-oss-120b", "zai-glm-4.7"]
    assert sum(1 for row in rows.values() if row.deprecated_on is not None) == 8


def test_a_dry_run_writes_nothing_and_returns_the_diff(config, upstream, store):
    serve(upstream, CEREBRAS, "cerebras-models-2025-08-26.json")
    before = catalog_state(config)

    report = sync(config, "cerebras", dry_run=True)

    assert report.status == "dry_run" and report.success
    assert len(report.diff.new) == 9
    assert catalog_state(config) == before
    assert last_run("cerebras").details["diff"]["new"][0]["provider"] == "cerebras"


def test_a_rerun_with_the_same_upstream_writes_nothing(config, upstream, store):
    serve(upstream, CEREBRAS, "cerebras-models-2025-08-26.json")
    sync(config, "cerebras")
    before = catalog_state(config)
    mtime = config.catalog_path.stat().st_mtime_ns

    again = sync(config, "cerebras")

    assert again.status == "noop"
    assert catalog_state(config) == before
    assert config.catalog_path.stat().st_mtime_ns == mtime


def test_an_unchanged_list_is_answered_by_a_conditional_get(config, upstream, store):
    serve(upstream, CEREBRAS, "cerebras-models-2025-08-26.json", etag='"v1"')
    sync(config, "cerebras")
    before = catalog_state(config)

    again = sync(config, "cerebras")

    assert again.status == "noop" and again.not_modified
    assert upstream.seen(CEREBRAS)[-1].headers.get("If-None-Match") == '"v1"'
    assert catalog_state(config) == before


def test_a_changed_catalog_is_not_trusted_to_a_conditional_get(config, upstream, store):
    serve(upstream, CEREBRAS, "cerebras-models-2025-08-26.json", etag='"v1"')
    sync(config, "cerebras")
    CatalogModel.update(context_length=1).where(CatalogModel.provider_model_id == "qwen-3-32b").execute()

    again = sync(config, "cerebras")

    assert "If-None-Match" not in upstream.seen(CEREBRAS)[-1].headers
    assert again.status == "success" and len(again.diff.updated) == 1


def test_the_api_key_is_sent_as_a_bearer_token(config, upstream, store):
    serve(upstream, CEREBRAS, "cerebras-models-2026-08-13.json")
    sync(config, "cerebras")
    assert upstream.seen(CEREBRAS)[0].headers["Authorization"] == "Bearer csk-test-secret-key"


@pytest.mark.parametrize(("reply", "status", "error"), [
    (Reply(b'{"object":"list","data":[]}'), "held", "upstream returned zero models"),
    (Reply(b'{"object":"list","data":[{"id": "a"'), "failed", "malformed JSON"),
    (Reply(b'{"models": "nope"}'), "failed", "malformed model list"),
    (Reply(b"<html>oops</html>", status=500), "failed", "answered HTTP 500"),
    (Reply(b"{}", delay=3.0), "failed", "timed out"),
    (Reply(b"{}", status=401), "failed", "rejected the credentials"),
], ids=["empty-list", "malformed-json", "wrong-shape", "500-storm", "hanging", "unauthorized"])
def test_a_broken_upstream_ends_with_a_clear_error_and_the_catalog_untouched(
        config, upstream, store, reply, status, error):
    serve(upstream, CEREBRAS, "cerebras-models-2025-08-26.json")
    sync(config, "cerebras")
    before = catalog_state(config)
    upstream.reply(CEREBRAS, reply)

    report = sync(config, "cerebras")

    assert report.status == status and not report.success
    assert error in report.error
    assert "csk-test-secret-key" not in report.message
    assert catalog_state(config) == before
    run = last_run("cerebras")
    assert run.status == status and error in run.error and run.finished_at is not None


def test_a_500_storm_is_retried_then_given_up(config, upstream, store):
    upstream.reply(CEREBRAS, Reply(b"busy", status=500))
    report = sync(config, "cerebras")
    assert report.error_status == 502
    assert len(upstream.seen(CEREBRAS)) == 3  # the first try and http_retries=2


def test_a_429_with_retry_after_is_retried_and_the_wait_capped(config, upstream, store):
    upstream.reply(CEREBRAS, Reply(b"slow down", status=429, headers={"Retry-After": "3600"}),
                   Reply(fixture_bytes("cerebras-models-2026-08-13.json")))
    report = sync(config, "cerebras")
    assert report.status == "success"
    assert len(upstream.seen(CEREBRAS)) == 2


def test_a_gzipped_body_is_decoded(config, upstream, store):
    upstream.reply(CEREBRAS, Reply(gzip.compress(fixture_bytes("cerebras-models-2026-08-13.json")),
                                   headers={"Content-Encoding": "gzip"}))
    assert sync(config, "cerebras").counts()["new"] == 3


def test_duplicate_ids_in_one_payload_are_written_once(config, upstream, store):
    payload = json.loads(fixture_bytes("cerebras-models-2026-08-13.json"))
    payload["data"].append(dict(payload["data"][0]))
    upstream.reply(CEREBRAS, Reply(json.dumps(payload).encode()))

    report = sync(config, "cerebras")

    assert report.status == "success"
    assert report.diff.duplicates == (("cerebras", "gemma-4-31b"),)
    assert sorted(stored("cerebras")) == ["gemma-4-31b", "gpt-oss-120b", "zai-glm-4.7"]


def test_a_disabled_provider_is_not_synced(config, upstream, store):
    from backend.errors import Conflict

    Provider.update(status="disabled").where(Provider.slug == "cerebras").execute()
    with pytest.raises(Conflict, match="disabled"):
        sync(config, "cerebras")
    assert upstream.seen(CEREBRAS) == []


def test_seed_004s_queries_return_the_synced_openrouter_rows(config, upstream, store):
    if not is_postgres():
        pytest.skip("seed 004's queries are PostgreSQL SQL (ILIKE, ::numeric)")
    serve(upstream, OPENROUTER, "openrouter-models-2026-08-18.json")
    sync(config, "openrouter")

    def run_verbatim(sql):
        # A raw cursor without parameters, so '%gpt-4%' reaches PostgreSQL as written.
        with store.connection().cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    listing, gpt4, vision, stats = (run_verbatim(sql) for sql in seed_004.QUERIES)

    assert len(listing) == 10 and {row[0] for row in listing} == {"openrouter"}
    assert all(isinstance(row[4], Decimal) or row[4] is None for row in listing)
    assert any(api_name.startswith("openai/gpt-4") for _, api_name in gpt4)
    assert vision
    assert stats[0][0] == "OpenRouter" and stats[0][1] == 414 and stats[0][2] == 414
