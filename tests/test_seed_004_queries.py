"""Seed 004's "Query Models" SQL, run verbatim against our PostgreSQL schema."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from backend.services.catalog_writes import write_catalog
from backend.sources.openrouter import entry_to_row, parse_models_payload
from backend.store.db import db, is_postgres
from tests.conftest import fixture_bytes
from tests.seed_004 import (
    GET_ALL_MODELS_WITH_PROVIDER_INFO,
    MODELS_BY_CAPABILITY,
    PROVIDER_STATISTICS,
    SEARCH_BY_NAME,
)

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture
def catalog(make_config, postgres_url):
    """The bundled catalog applied at start-up, plus the ``openrouter`` provider's rows."""
    if not postgres_url:
        pytest.skip("seed 004's queries are PostgreSQL SQL (::numeric, ILIKE); "
                    "set TEST_DATABASE_URL to run them")
    from backend.app import create_app

    config = make_config(bundled_catalog_path=ROOT / "data" / "models.json")
    create_app(config)
    entries = parse_models_payload(fixture_bytes("openrouter-models-2026-08-18.json"))
    rows = [entry_to_row(entry, provider="openrouter", model=entry.id,
                         base_url="https://openrouter.ai/api/v1", source="openrouter")
            for entry in entries]
    with db.connection_context():
        assert is_postgres()
        write_catalog(rows, config=config, source="test: openrouter provider rows", trigger="cli",
                      providers=["openrouter"])
        yield db


def run(sql: str) -> list[tuple]:
    # Straight to psycopg2 without parameters, so '%' in the seed's ILIKE stays a literal.
    with db.connection().cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_the_seed_004_queries_run_verbatim_and_return_the_synced_models(catalog):
    all_models = run(GET_ALL_MODELS_WITH_PROVIDER_INFO)
    assert len(all_models) == 10
    assert all(provider == "openrouter" for provider, *_ in all_models)
    names = [name for _, name, *_ in all_models]
    assert names == sorted(names)
    assert all(isinstance(price, Decimal) for *_, prompt, completion in all_models
               for price in (prompt, completion) if price is not None)

    by_name = dict(run(SEARCH_BY_NAME))
    assert by_name["OpenAI: GPT-4o"] in {"openai/gpt-4o", "gpt-4o"}
    by_capability = {api_name for _, api_name in run(MODELS_BY_CAPABILITY)}
    assert {"openai/gpt-4o", "gpt-4o"} <= by_capability

    stats = {provider: (total, active) for provider, total, active in run(PROVIDER_STATISTICS)}
    assert stats["OpenRouter"][0] == 414
    assert stats["OpenAI"][0] >= stats["OpenAI"][1] > 50
    assert stats["Jina AI"] == (1, 1)
