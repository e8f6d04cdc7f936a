"""Seed 003's daily refresh over the real OpenRouter snapshots, served at the network edge."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import responses

from backend.catalog.document import encode_json, parse_catalog_file
from backend.catalog.repository import load_stored_rows
from backend.catalog.rows import CatalogRow, row_to_document
from backend.errors import UpstreamError
from backend.services.refresh import refresh_catalog
from backend.store.tables import CatalogVersion, ModelChange, SyncRun
from tests.conftest import ADMIN_KEY, fixture_bytes, small_catalog_rows, write_catalog_fixture

FEED = "https://openrouter.test/api/v1/models"
SNAPSHOT_0808 = "openrouter-models-2026-08-08.data-array.json"
SNAPSHOT_0818 = "openrouter-models-2026-08-18.json"
AUG_8, AUG_18, AUG_19 = date(2026, 8, 8), date(2026, 8, 18), date(2026, 8, 19)
PREFIXES = {"openai": "openai", "anthropic": "anthropic", "google": "google", "cohere": "cohere",
            "mistralai": "mistral", "deepseek": "deepseek", "x-ai": "xai"}
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "refresh_models_catalog.py"


def feed_items(name: str) -> list[dict]:
    document = json.loads(fixture_bytes(name))
    return document if isinstance(document, list) else document["data"]


def expected_managed(items: list[dict]) -> dict[tuple[str, str], tuple]:
    """From the raw JSON: managed key -> (prompt, completion, cache read, cache write, context)."""

    def price(pricing: dict, name: str) -> Decimal | None:
        value = pricing.get(name)
        return None if value in (None, "-1") else Decimal(value)

    expected = {}
    for item in items:
        model_id = item["id"]
        vendor, _, model = model_id.partition("/")
        if ":" in model_id or model_id.startswith("~") or vendor not in PREFIXES:
            continue
        if "text" not in item["architecture"]["output_modalities"]:
            continue
        pricing = item["pricing"]
        expected[(PREFIXES[vendor], model)] = (
            price(pricing, "prompt"), price(pricing, "completion"),
            price(pricing, "input_cache_read"), price(pricing, "input_cache_write"),
            item["context_length"],
        )
    return expected


def stored_facts(row: CatalogRow) -> tuple:
    return (row.pricing_prompt, row.pricing_completion, row.pricing_cache_read,
            row.pricing_cache_write, row.context_length)


def serve(body: bytes | str | Exception, status: int = 200) -> None:
    responses.upsert(responses.GET, FEED, body=body, status=status)


def refresh(config, snapshot: str, today: date, **options):
    serve(fixture_bytes(snapshot))
    return refresh_catalog(config, trigger="cli", feed_url=FEED, today=today, **options)


def files(config) -> tuple[bytes, bytes]:
    return config.catalog_path.read_bytes(), config.catalog_mirror_path.read_bytes()


def assert_files_identical(config) -> None:
    canonical, mirror = files(config)
    assert canonical == mirror


@pytest.fixture
def unmanaged_bundle(catalog_dir):
    """The small catalog plus an unmanaged GEN row, as the bundled file applied at start-up."""
    rows = [*small_catalog_rows(),
            CatalogRow("ollama", "llama3.1:8b", "Llama 3.1 8B", "gen", ("GEN",),
                       pricing_unknown=True, base_url="http://127.0.0.1:11434/v1", notes="local")]
    return write_catalog_fixture(catalog_dir / "bundled.json", rows)


@responses.activate
def test_refresh_between_two_real_snapshots_yields_exactly_their_managed_differences(config, store):
    before, after = expected_managed(feed_items(SNAPSHOT_0808)), expected_managed(feed_items(SNAPSHOT_0818))

    first = refresh(config, SNAPSHOT_0808, AUG_8)
    assert first.status == "success" and first.version == "2026.08.08"
    assert {row.key for row in first.diff.new} == set(before)
    assert_files_identical(config)

    second = refresh(config, SNAPSHOT_0818, AUG_18)
    assert second.version == "2026.08.18"
    assert {row.key for row in second.diff.new} == set(after) - set(before)
    assert {c.key for c in second.diff.deprecated} == set(before) - set(after)
    assert {c.key for c in second.diff.updated} == {
        key for key in set(before) & set(after) if before[key] != after[key]
    }
    stored = load_stored_rows()
    assert {key: stored_facts(stored[key]) for key in after} == after
    assert_files_identical(config)


@responses.activate
def test_it_applies_known_real_changes_of_2026_08_18(config, store):
    refresh(config, SNAPSHOT_0808, AUG_8)
    refresh(config, SNAPSHOT_0818, AUG_18)
    rows = load_stored_rows()

    sol = rows[("openai", "gpt-5.6-sol")]
    assert (sol.pricing_prompt, sol.pricing_completion) == (Decimal("0.0000025"), Decimal("0.000015"))
    assert rows[("deepseek", "deepseek-r1")].context_length == 64000
    assert rows[("deepseek", "deepseek-v3.1-terminus")].pricing_cache_read is None
    grok = rows[("xai", "grok-4.6")]
    assert grok.is_active and grok.model_name == "SpaceXAI: Grok 4.6"
    assert grok.base_url == "https://api.x.ai/v1" and grok.components == ("GEN",)

    gone = rows[("openai", "gpt-5.3-chat")]
    assert gone.deprecated_on == AUG_18
    assert gone.notes == "[auto-refresh] deprecated_on=2026-08-18"
    changes = {(c.field, c.old_value, c.new_value)
               for c in ModelChange.select().where(ModelChange.version == "2026.08.18")}
    assert ("pricing_prompt", "0.000005", "0.0000025") in changes
    assert ("context_length", "163840", "64000") in changes


@responses.activate
def test_a_second_run_with_the_same_feed_changes_nothing(config, store):
    refresh(config, SNAPSHOT_0808, AUG_8)
    refresh(config, SNAPSHOT_0818, AUG_18)
    snapshot, versions = files(config), CatalogVersion.select().count()

    again = refresh(config, SNAPSHOT_0818, AUG_19)

    assert again.status == "noop" and again.version is None
    assert files(config) == snapshot
    assert CatalogVersion.select().count() == versions
    assert SyncRun.select().where(SyncRun.kind == "refresh").count() == 3


@responses.activate
def test_it_leaves_unmanaged_rows_and_managed_emb_rerank_rows_untouched(unmanaged_bundle, app, config,
                                                                       store):
    untouched = [("voyage", "voyage-3-large"), ("cohere", "rerank-v3.5"), ("ollama", "llama3.1:8b")]

    def documents() -> dict:
        catalog = parse_catalog_file(config.catalog_path.read_bytes())
        return {row.key: encode_json(row_to_document(row)) for row in catalog.rows
                if row.key in untouched}

    before_rows, before_docs = load_stored_rows(), documents()
    refresh(config, SNAPSHOT_0808, AUG_8)
    refresh(config, SNAPSHOT_0818, AUG_18)

    after_rows = load_stored_rows()
    assert {key: after_rows[key] for key in untouched} == {key: before_rows[key] for key in untouched}
    assert documents() == before_docs and len(before_docs) == 3
    # The small catalog's managed GEN rows are the refresh's: gpt-4o is updated from the feed.
    assert after_rows[("openai", "gpt-4o")].pricing_prompt == Decimal("0.0000025")
    assert after_rows[("openai", "gpt-4o")].model_name == "OpenAI: GPT-4o"
    assert_files_identical(config)


@responses.activate
def test_a_new_model_without_a_price_is_added_as_pricing_unknown(config, store):
    items = feed_items(SNAPSHOT_0818)
    priceless = next(item for item in items if item["id"] == "x-ai/grok-4.6")
    priceless["pricing"] = {"prompt": "-1", "completion": "-1"}
    serve(json.dumps({"data": items}))
    refresh_catalog(config, trigger="cli", feed_url=FEED, today=AUG_18)

    grok = load_stored_rows()[("xai", "grok-4.6")]
    assert grok.pricing_prompt is None and grok.pricing_completion is None and grok.pricing_unknown
    assert grok.notes == "[auto-refresh] pricing_unknown=true"
    document = json.loads(config.catalog_path.read_bytes())
    served = next(m for m in document["models"] if m["model"] == "grok-4.6")
    assert served["input_per_1m"] is None and served["pricing_unknown"] is True

    refresh(config, SNAPSHOT_0818, AUG_19)
    grok = load_stored_rows()[("xai", "grok-4.6")]
    # 0.000004 is the >200k-token tier in pricing.overrides, which the base price ignores.
    assert grok.pricing_prompt == Decimal("0.000002") and not grok.pricing_unknown
    assert grok.notes == ""


@responses.activate
def test_a_deprecated_model_that_reappears_is_active_again_without_its_marker(config, store):
    refresh(config, SNAPSHOT_0808, AUG_8)
    refresh(config, SNAPSHOT_0818, AUG_18)
    assert not load_stored_rows()[("openai", "gpt-5.3-chat")].is_active

    back = refresh(config, SNAPSHOT_0808, AUG_19)

    row = load_stored_rows()[("openai", "gpt-5.3-chat")]
    assert row.is_active and row.deprecated_on is None and row.notes == ""
    assert ("openai", "gpt-5.3-chat") in {c.key for c in back.diff.updated}
    document = json.loads(config.catalog_path.read_bytes())
    served = next(m for m in document["models"] if m["model"] == "gpt-5.3-chat")
    assert served["deprecated"] is False


@responses.activate
def test_a_dry_run_reports_the_changes_and_writes_nothing(config, store):
    refresh(config, SNAPSHOT_0808, AUG_8)
    snapshot, versions = files(config), CatalogVersion.select().count()

    dry = refresh(config, SNAPSHOT_0818, AUG_18, dry_run=True)

    assert dry.status == "dry_run" and dry.version is None
    assert len(dry.diff.new) == 3 and len(dry.diff.deprecated) == 1
    assert files(config) == snapshot
    assert CatalogVersion.select().count() == versions
    assert load_stored_rows()[("openai", "gpt-5.3-chat")].is_active


@pytest.mark.parametrize("body", [
    b"<html>Bad gateway</html>",
    b'{"models": []}',
    b'{"data": [{"id": "openai/gpt-4o", "pricing": {"prompt": "cheap"}, "architecture": {}}]}',
    b'{"data": [{"name": "no id", "pricing": {}, "architecture": {}}]}',
    b'{"data": [{"id": "openai/gpt-4o", "pricing": {"prompt": "1e300"}, "architecture": {}}]}',
    b'{"data": [{"id": "openai/gpt-4o", "pricing": {"prompt": "1e-999999"}, "architecture": {}}]}',
])
@responses.activate
def test_a_malformed_feed_is_rejected_whole_and_nothing_is_written(config, store, body):
    refresh(config, SNAPSHOT_0808, AUG_8)
    snapshot, versions = files(config), CatalogVersion.select().count()
    serve(body)

    with pytest.raises(UpstreamError) as caught:
        refresh_catalog(config, trigger="cli", feed_url=FEED, today=AUG_18)

    assert caught.value.permanent
    assert files(config) == snapshot and CatalogVersion.select().count() == versions
    failed = SyncRun.select().where(SyncRun.status == "failed").get()
    assert failed.kind == "refresh" and failed.error


@responses.activate
def test_one_malformed_entry_among_real_ones_rejects_the_whole_feed(config, store):
    items = feed_items(SNAPSHOT_0818)
    items[7]["pricing"]["completion"] = "-0.5"
    serve(json.dumps({"data": items}))

    with pytest.raises(UpstreamError, match="#7"):
        refresh_catalog(config, trigger="cli", feed_url=FEED, today=AUG_18)
    assert load_stored_rows() == {}


# --- scripts/refresh_models_catalog.py -------------------------------------------------------


def script_environ(config) -> dict:
    return {
        "DATABASE_URL": config.database_url, "ADMIN_API_KEY": ADMIN_KEY, "APP_ENV": "test",
        "CATALOG_PATH": str(config.catalog_path), "CATALOG_MIRROR_PATH": str(config.catalog_mirror_path),
        "BUNDLED_CATALOG_PATH": str(config.bundled_catalog_path), "VAR_DIR": str(config.var_dir),
        "OPENROUTER_MODELS_URL": FEED, "HTTP_RETRIES": "0",
    }


@pytest.fixture
def refresh_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("refresh_models_catalog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve their annotations through sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@responses.activate
def test_the_script_exits_zero_on_success_and_on_a_no_op(refresh_script, config, capsys):
    environ = script_environ(config)
    serve(fixture_bytes(SNAPSHOT_0818))

    assert refresh_script.main([], environ) == 0
    written = files(config)
    assert written[0] == written[1] and b'"model": "grok-4.6"' in written[0]
    assert refresh_script.main([], environ) == 0
    assert files(config) == written
    assert "refresh noop" in capsys.readouterr().err


@responses.activate
def test_the_scripts_dry_run_prints_each_change_with_before_and_after(refresh_script, config, capsys):
    environ = script_environ(config)
    serve(fixture_bytes(SNAPSHOT_0808))
    assert refresh_script.main([], environ) == 0
    written = files(config)
    serve(fixture_bytes(SNAPSHOT_0818))
    capsys.readouterr()

    assert refresh_script.main(["--dry-run", "--feed-url", FEED], environ) == 0

    out = capsys.readouterr().out.splitlines()
    assert "deprecated openai/gpt-5.3-chat (deprecated_on=" in "\n".join(out)
    assert any(line.startswith("new xai/grok-4.6 (prompt 0.000002") for line in out)
    assert "updated openai/gpt-5.6-sol: pricing_prompt 0.000005 -> 0.0000025" in "\n".join(out)
    assert files(config) == written


@responses.activate
def test_the_script_fails_with_a_one_line_reason_on_a_malformed_feed(refresh_script, config, capsys):
    serve(b'{"data": "nope"}')

    assert refresh_script.main([], script_environ(config)) == 1

    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("refresh failed: OpenRouter models payload")
    assert not config.catalog_path.exists()


@responses.activate
def test_the_script_fails_on_a_network_error(refresh_script, config, capsys):
    serve(requests.ConnectionError("connection refused"))

    assert refresh_script.main([], script_environ(config)) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("refresh failed: ")


def test_the_script_run_as_a_program_fails_when_the_feed_is_unreachable(config):
    environ = {**script_environ(config), "OPENROUTER_MODELS_URL": "http://127.0.0.1:9/api/v1/models",
               "PATH": "/usr/bin:/bin"}

    finished = subprocess.run([sys.executable, str(SCRIPT)], env=environ, cwd=ROOT,
                              capture_output=True, text=True, check=False)

    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines()[-1] == (
        "refresh failed: http://127.0.0.1:9/api/v1/models: could not connect to the upstream"
    )
