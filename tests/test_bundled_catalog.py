"""The bundled catalog: real data, produced only by our own code from the snapshots in fixtures."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import responses

from backend.catalog.document import parse_catalog_file
from backend.services.refresh import MANAGED_PROVIDERS, refresh_catalog
from backend.store.fields import format_decimal
from tests.conftest import fixture_bytes

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "models.json"
MIRROR = ROOT / "frontend" / "public" / "models.json"
SNAPSHOT = "openrouter-models-2026-08-18-output_modalities-all.json"
FEED = "https://openrouter.test/api/v1/models"
PREFIXES = {"openai": "openai", "anthropic": "anthropic", "google": "google", "cohere": "cohere",
            "mistralai": "mistral", "deepseek": "deepseek", "x-ai": "xai"}


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve their annotations through sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def snapshot_text_models() -> dict[tuple[str, str], dict]:
    """Managed text-output entries of the raw snapshot, keyed as catalog rows."""
    models = {}
    for item in json.loads(fixture_bytes(SNAPSHOT))["data"]:
        vendor, _, model = item["id"].partition("/")
        if vendor in PREFIXES and ":" not in model and "text" in item["architecture"]["output_modalities"]:
            models[(PREFIXES[vendor], model)] = item
    return models


@pytest.fixture(scope="module")
def bundled():
    return parse_catalog_file(BUNDLED.read_bytes())


def test_the_bundled_catalog_and_its_mirror_are_byte_identical():
    assert BUNDLED.read_bytes() == MIRROR.read_bytes()


def test_it_holds_generation_embedding_and_reranker_rows(bundled):
    types = Counter(component for row in bundled.rows for component in row.components)
    assert types["GEN"] > 100 and types["EMB"] > 10 and types["RERANK"] > 5
    providers = {row.provider for row in bundled.rows if "GEN" not in row.components}
    assert {"voyage", "cohere", "google", "jina"} <= providers


def test_every_managed_gen_row_is_the_snapshots_model_at_its_exact_string_price(bundled):
    raw = snapshot_text_models()
    managed = {row.key: row for row in bundled.rows
               if row.provider in MANAGED_PROVIDERS and "GEN" in row.components}
    assert set(managed) == set(raw)
    for key, row in managed.items():
        pricing = raw[key]["pricing"]
        for field, name in (("pricing_prompt", "prompt"), ("pricing_completion", "completion"),
                            ("pricing_cache_read", "input_cache_read"),
                            ("pricing_cache_write", "input_cache_write")):
            price = getattr(row, field)
            if pricing.get(name) in (None, "-1"):
                assert price is None, (key, field)
            else:
                # The exact decimal, and written back it is the snapshot's very string.
                assert price == Decimal(pricing[name]), (key, field)
                assert format_decimal(price) == pricing[name], (key, field)


def test_the_served_per_1m_view_of_a_known_model_is_exact(bundled):
    document = json.loads(BUNDLED.read_bytes())
    gpt4o = next(m for m in document["models"] if (m["provider"], m["model"]) == ("openai", "gpt-4o"))
    assert (gpt4o["input_per_1m"], gpt4o["output_per_1m"]) == (2.5, 10)
    assert gpt4o["base_url"] == "https://api.openai.com/v1"


def test_rebuilding_reproduces_the_committed_bytes(tmp_path):
    builder = load_script("build_bundled_catalog")
    output, mirror = tmp_path / "data" / "models.json", tmp_path / "public" / "models.json"

    assert builder.main(["--output", str(output), "--mirror", str(mirror)]) == 0

    assert output.read_bytes() == BUNDLED.read_bytes()
    assert mirror.read_bytes() == BUNDLED.read_bytes()


@responses.activate
def test_refreshing_the_bundled_catalog_with_its_own_snapshot_changes_nothing(make_config, tmp_path):
    bundled_copy = tmp_path / "bundled.json"
    shutil.copyfile(BUNDLED, bundled_copy)
    config = make_config(bundled_catalog_path=bundled_copy)
    from backend.app import create_app
    from backend.store.db import db

    create_app(config)
    assert config.catalog_path.read_bytes() == BUNDLED.read_bytes()
    responses.add(responses.GET, FEED, body=fixture_bytes(SNAPSHOT))

    with db.connection_context():
        result = refresh_catalog(config, trigger="cli", feed_url=FEED, today=date(2026, 8, 19))

    assert result.status == "noop"
    assert config.catalog_path.read_bytes() == BUNDLED.read_bytes()
    assert config.catalog_mirror_path.read_bytes() == BUNDLED.read_bytes()
