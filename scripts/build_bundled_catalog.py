#!/usr/bin/env python3
"""Build the bundled catalog ``data/models.json`` (+ its mirror) from real upstream payloads.

A one-off import, re-run when the snapshots in ``tests/fixtures/`` change:

    .venv/bin/python scripts/build_bundled_catalog.py

It starts from an empty throwaway SQLite database and runs ``STEPS`` in order through the
service's own code, each one a catalog write of its own (a version ``2026.08.18[.N]``, pinned to
the snapshot's date so the output is byte-for-byte reproducible):

1. the daily refresh over OpenRouter's 2026-08-18 snapshot: the managed providers' GEN rows;
2. the same snapshot's embedding and reranker entries, for the providers we know;
3. LiteLLM's price map for the embedding/reranker providers OpenRouter lacks (Jina, Cohere's
   embed family, Voyage's older models). Rows already present are left as they are;
4. seed 004's provider sync over the recorded model lists in ``PROVIDER_PAYLOADS``: the rows our
   adapters produce for ``openrouter`` (full OpenRouter ids), Cerebras, Chutes and Vercel.

Then the resulting catalog file is published to ``--output`` and ``--mirror``, atomically.
A new source is one more ``BuildStep``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from backend.catalog.files import CatalogPaths, write_catalog_files, writer_lock
from backend.catalog.repository import load_stored_rows
from backend.catalog.rows import CatalogRow, parse_price
from backend.config import PROJECT_ROOT, Config
from backend.services.bootstrap import prepare_database
from backend.services.catalog_writes import write_catalog
from backend.services.refresh import MANAGED_PREFIXES, provider_base_urls, refresh_from_payload
from backend.services.sync import sync_from_payloads
from backend.sources.openrouter import OpenRouterModel, entry_to_row, parse_models_payload
from backend.store.db import bind_database

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
OPENROUTER_SNAPSHOT = FIXTURES / "openrouter-models-2026-08-18-output_modalities-all.json"
LITELLM_PRICES = FIXTURES / "litellm-model-prices.json"
BUILD_DAY = date(2026, 8, 18)
BUILD_TIME = datetime(2026, 8, 18, 0, 0)

# OpenRouter vendor prefix -> provider slug, for embedding and reranker entries.
OPENROUTER_RETRIEVAL_VENDORS = {**MANAGED_PREFIXES, "voyageai": "voyage"}
OPENROUTER_RERANK_NOTE = "OpenRouter bills this reranker per search; its feed has no token price"
# LiteLLM's provider name -> provider slug.
LITELLM_PROVIDERS = {"voyage": "voyage", "jina_ai": "jina", "cohere": "cohere"}
LITELLM_MODES = {"embedding": ("emb", ("EMB",)), "rerank": ("rerank", ("RERANK",))}


@dataclass(frozen=True)
class BuildStep:
    title: str
    run: Callable[[Config], str]


def _import_rows(config: Config, rows: Iterable[CatalogRow], *, source: str) -> str:
    """Add the rows the catalog lacks (an import never changes or deprecates existing rows)."""
    rows = list(rows)
    providers = sorted({row.provider for row in rows})
    stored = load_stored_rows(providers)
    fresh = [row for row in rows if row.key not in stored]
    outcome = write_catalog(fresh, config=config, source=source, trigger="cli",
                            providers=providers, today=BUILD_DAY, created_at=BUILD_TIME)
    version = outcome.applied.version if outcome.applied else "no change"
    return f"{len(outcome.diff.new)} rows added ({version})"


def refresh_step(config: Config) -> str:
    result = refresh_from_payload(
        config, OPENROUTER_SNAPSHOT.read_bytes(), feed=f"openrouter:{OPENROUTER_SNAPSHOT.name}",
        trigger="cli", today=BUILD_DAY, created_at=BUILD_TIME,
    )
    return f"{len(result.diff.new)} managed GEN rows ({result.version})"


def openrouter_retrieval_row(entry: OpenRouterModel, base_urls: dict) -> CatalogRow | None:
    """An embedding or reranker entry of the snapshot as its maker's catalog row."""
    slug = OPENROUTER_RETRIEVAL_VENDORS.get(entry.vendor)
    if slug is None or entry.is_variant or entry.is_alias:
        return None
    if "embeddings" in entry.output_modalities:
        row = entry_to_row(entry, provider=slug, model=entry.vendor_model_id,
                           base_url=base_urls[slug], source="openrouter", family="emb",
                           components=("EMB",))
    elif "rerank" in entry.output_modalities:
        row = entry_to_row(entry, provider=slug, model=entry.vendor_model_id,
                           base_url=base_urls[slug], source="openrouter", family="rerank",
                           components=("RERANK",))
        # "0"/"0" here is not a price: rerankers are billed per search.
        row = replace(row, pricing_prompt=None, pricing_completion=None, pricing_unknown=True,
                      notes=OPENROUTER_RERANK_NOTE)
    else:
        return None
    return replace(row, supports_streaming=False)


def openrouter_retrieval_step(config: Config) -> str:
    entries = parse_models_payload(OPENROUTER_SNAPSHOT.read_bytes())
    base_urls = provider_base_urls(set(OPENROUTER_RETRIEVAL_VENDORS.values()))
    rows = [row for entry in entries if (row := openrouter_retrieval_row(entry, base_urls))]
    return _import_rows(config, rows, source=f"openrouter:{OPENROUTER_SNAPSHOT.name}")


def litellm_row(key: str, spec: dict, base_urls: dict) -> CatalogRow | None:
    """A LiteLLM map entry (USD-per-token floats) as an EMB or RERANK catalog row."""
    slug = LITELLM_PROVIDERS.get(spec.get("litellm_provider"))
    mode = LITELLM_MODES.get(spec.get("mode"))
    if slug is None or mode is None:
        return None
    model = key.removeprefix(f"{spec['litellm_provider']}/")
    prompt = parse_price(spec.get("input_cost_per_token"), field=f"{key}.input_cost_per_token")
    completion = parse_price(spec.get("output_cost_per_token"), field=f"{key}.output_cost_per_token")
    notes = ""
    if spec.get("input_cost_per_query") is not None:
        # Billed per query; LiteLLM's zero token price is not the price.
        prompt = completion = None
        notes = f"priced per query: {spec['input_cost_per_query']} USD (LiteLLM)"
    family, components = mode
    return CatalogRow(
        provider=slug, model=model, model_name=model, family=family, components=components,
        pricing_prompt=prompt, pricing_completion=completion, pricing_unknown=prompt is None,
        context_length=spec.get("max_input_tokens"), supports_streaming=False,
        base_url=base_urls[slug], notes=notes, source="litellm",
    )


def litellm_step(config: Config) -> str:
    prices = json.loads(LITELLM_PRICES.read_bytes())
    base_urls = provider_base_urls(set(LITELLM_PROVIDERS.values()))
    rows = [
        row for key, spec in sorted(prices.items())
        if isinstance(spec, dict) and (row := litellm_row(key, spec, base_urls))
    ]
    return _import_rows(config, rows, source=f"litellm:{LITELLM_PRICES.name}")


# Provider slug -> its newest real model-list payload. Featherless (2,000+ unpriced rows from a
# 2024 snapshot) and the managed providers' lists (the refresh owns those rows) are left out.
PROVIDER_PAYLOADS = {
    "openrouter": FIXTURES / "openrouter-models-2026-08-18.json",
    "cerebras": FIXTURES / "cerebras-models-2026-08-13.json",
    "chutes": FIXTURES / "chutes-models-2025-08-02.json",
    "vercel": FIXTURES / "vercel-ai-gateway-models.json",
}


def provider_sync_step(config: Config) -> str:
    added = []
    for slug, payload in PROVIDER_PAYLOADS.items():
        outcome = sync_from_payloads(config, slug, [json.loads(payload.read_bytes())], trigger="cli",
                                     today=BUILD_DAY, created_at=BUILD_TIME)
        added.append(f"{slug} {len(outcome.diff.new)}")
    return f"rows added: {', '.join(added)}"


STEPS: tuple[BuildStep, ...] = (
    BuildStep("refresh over the OpenRouter snapshot", refresh_step),
    BuildStep("OpenRouter embedding and reranker entries", openrouter_retrieval_step),
    BuildStep("LiteLLM embedding and reranker entries", litellm_step),
    BuildStep("provider sync over recorded model lists", provider_sync_step),
)


def build_catalog(work: Path) -> bytes:
    """Run every step on a fresh database in ``work``; the catalog file's bytes."""
    config = Config(
        database_url=f"sqlite:///{work / 'build.db'}",
        admin_api_key="bundled-catalog-build-only",
        catalog_path=work / "models.json",
        catalog_mirror_path=work / "mirror" / "models.json",
        bundled_catalog_path=work / "no-bundled-catalog.json",
        apply_bundled_on_empty=False,
        var_dir=work,
    )
    database = bind_database(config.database_url)
    with database.connection_context():
        prepare_database(config)
        for step in STEPS:
            print(f"{step.title}: {step.run(config)}", file=sys.stderr)
    return config.catalog_path.read_bytes()


def main(argv: Sequence[str] | None = None) -> int:
    config_defaults = Config(database_url="", admin_api_key="")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=config_defaults.catalog_path)
    parser.add_argument("--mirror", type=Path, default=config_defaults.catalog_mirror_path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bundled-catalog-") as work:
        data = build_catalog(Path(work))
    paths = CatalogPaths(args.output.resolve(), args.mirror.resolve())
    with writer_lock(paths):
        wrote = write_catalog_files(paths, data)
    print(f"{'wrote' if wrote else 'unchanged'}: {paths.canonical} and {paths.mirror}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
