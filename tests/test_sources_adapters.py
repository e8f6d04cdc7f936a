"""Adapters: the pure transform on recorded payloads, and fetch (auth, pagination) on a local server.

Real payloads are used where one exists; ``*.from-docs.json`` fixtures are minimal payloads
written from each provider's published API reference (see ``tests/fixtures/README.md``).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from backend.errors import UpstreamError
from backend.sources.base import Endpoint, TransformContext
from backend.sources.http import HttpSettings, UpstreamClient
from backend.sources.registry import ADAPTERS, PROVIDERS, adapter_for, sync_unsupported_reason
from tests.conftest import fixture_bytes
from tests.sync_upstream import Reply, running_upstream

FAST = HttpSettings(connect_timeout=1, read_timeout=2, deadline=10, retries=0, backoff=0)


def rows_of(kind: str, *fixtures: str, wrap: bool = False):
    pages = [json.loads(fixture_bytes(name)) for name in fixtures]
    if wrap:
        pages = [{"object": "list", "data": page} for page in pages]
    context = TransformContext(kind, f"https://{kind}.example/v1", f"sync:{kind}")
    result = adapter_for(kind).transform(pages, context)
    return {row.model: row for row in result.rows}, result


@pytest.fixture
def upstream():
    with running_upstream() as server:
        yield server


def fetch(kind: str, upstream, prefix: str, key: str | None = "sk-test"):
    with UpstreamClient(FAST) as client:
        return adapter_for(kind).fetch(client, Endpoint(kind, upstream.url + prefix, key))


# --- the registry -----------------------------------------------------------------------------

SEED_004 = ["openrouter", "deepinfra", "featherless", "groq", "fireworks", "together",
            "huggingface", "xai", "cerebras", "vertex", "nebius", "novita", "helicone", "aihubmix",
            "anannas", "aimo", "near", "chutes", "alibaba", "fal", "vercel"]
SEED_002 = ["openai", "anthropic", "google", "mistral", "deepseek", "cohere", "moonshot"]


def test_every_seed_provider_has_an_adapter_or_a_stated_reason():
    registered = {spec.slug: spec for spec in PROVIDERS}
    for slug in SEED_004 + SEED_002:
        spec = registered[slug]
        assert adapter_for(spec.kind) is not None or sync_unsupported_reason(slug, spec.kind)
    assert "openai-compatible" in ADAPTERS


def test_signing_kinds_are_catalog_only_with_the_reason():
    assert "SigV4" in sync_unsupported_reason("bedrock", "bedrock")
    assert "google-auth" in sync_unsupported_reason("vertex", "vertex")
    assert "google-auth" in sync_unsupported_reason("vertex-anthropic", "vertex-anthropic")
    assert sync_unsupported_reason("groq", "groq") is None


# --- transforms on real payloads -------------------------------------------------------------

def test_openrouter_keeps_router_prices_unknown_and_maps_embeddings_and_rerankers():
    rows, result = rows_of("openrouter", "openrouter-models-2026-08-18-output_modalities-all.json")
    assert result.fetched == 549 and len(rows) == 549
    router = rows["openrouter/auto"]
    assert router.pricing_prompt is None and router.pricing_unknown
    assert rows["voyageai/voyage-code-4"].components == ("EMB",)
    assert rows["voyageai/voyage-code-4"].pricing_prompt == Decimal("0.00000012")
    assert rows["cohere/rerank-4-pro"].components == ("RERANK",)
    assert rows["openai/gpt-4o"].pricing_prompt == Decimal("0.0000025")


def test_cerebras_lists_ids_only_so_prices_are_unknown():
    rows, _ = rows_of("cerebras", "cerebras-models-2025-08-26.json")
    assert len(rows) == 9
    assert all(row.pricing_unknown and row.pricing_prompt is None for row in rows.values())


def test_chutes_single_usd_price_per_million_is_both_prompt_and_completion():
    rows, _ = rows_of("chutes", "chutes-models-2025-08-02.json")
    r1 = rows["deepseek-ai/DeepSeek-R1"]
    assert r1.pricing_prompt == r1.pricing_completion == Decimal("0.00000027216")
    assert r1.context_length == 163840
    assert rows["chutesai/Mistral-Small-3.1-24B-Instruct-2503"].pricing_prompt == Decimal(
        "0.000000027216000000000004")


def test_vercel_per_token_strings_are_exact_and_types_map_to_families():
    rows, result = rows_of("vercel", "vercel-ai-gateway-models.json")
    assert result.fetched == 232 and len(rows) == 232
    qwen = rows["alibaba/qwen-3-14b"]
    assert (qwen.pricing_prompt, qwen.pricing_completion) == (Decimal("0.00000006"),
                                                              Decimal("0.00000024"))
    assert qwen.context_length == 40960 and qwen.max_output_tokens == 16384
    assert qwen.supports_tools and qwen.supports_reasoning
    embedding = rows["alibaba/qwen3-embedding-0.6b"]
    assert embedding.components == ("EMB",) and not embedding.pricing_unknown
    video = rows["alibaba/wan-v2.5-t2v-preview"]
    assert video.output_modalities == ("video",) and video.pricing_unknown


def test_featherless_native_list_serves_only_active_models_without_prices():
    rows, result = rows_of("featherless", "featherless-feather-models-2024-09-09.json")
    assert result.fetched == 2038 and len(rows) == 2022 and result.skipped == 16
    llama = rows["meta-llama/Meta-Llama-3-8B-Instruct"]
    assert llama.pricing_unknown and llama.notes == "model_class=llama3-8b-8k"


def test_gemini_strips_the_models_prefix_and_maps_embedders():
    rows, result = rows_of("google", "gemini-models-list-2026-08-05.json")
    assert result.fetched == 50 and "gemini-2.5-flash" in rows
    flash = rows["gemini-2.5-flash"]
    assert flash.model_name == "Gemini 2.5 Flash"
    assert (flash.context_length, flash.max_output_tokens) == (1048576, 65536)
    assert flash.supports_reasoning and flash.pricing_unknown
    assert rows["gemini-embedding-001"].components == ("EMB",)


def test_openai_ids_classify_embeddings_by_name():
    rows, _ = rows_of("openai", "openai-models-2024-04.data-array.json", wrap=True)
    assert len(rows) == 28
    assert rows["text-embedding-3-small"].components == ("EMB",)
    assert rows["gpt-4-turbo-preview"].components == ("GEN",)


# --- transforms on payloads written from the providers' API references -----------------------

def test_xai_cents_per_hundred_million_tokens_convert_exactly():
    rows, _ = rows_of("xai", "xai-language-models.from-docs.json")
    grok = rows["grok-4-0709"]
    assert grok.pricing_prompt == Decimal("0.000003")  # $3 per 1M
    assert grok.pricing_completion == Decimal("0.000015")
    assert grok.pricing_cache_read == Decimal("0.00000075")
    assert grok.supports_vision


def test_deepinfra_prices_per_million_and_embeddings():
    rows, _ = rows_of("deepinfra", "deepinfra-models.from-docs.json")
    vision = rows["meta-llama/Llama-3.2-11B-Vision-Instruct"]
    assert vision.pricing_prompt == Decimal("0.000000049") and vision.supports_vision
    assert vision.context_length == 131072
    embedder = rows["Qwen/Qwen3-Embedding-8B"]
    assert embedder.components == ("EMB",) and embedder.pricing_prompt == Decimal("0.00000001")
    assert not embedder.pricing_unknown


def test_groq_skips_inactive_models_and_reads_its_limits():
    rows, result = rows_of("groq", "groq-models.from-docs.json")
    assert set(rows) == {"llama-3.3-70b-versatile", "whisper-large-v3"} and result.skipped == 1
    assert rows["llama-3.3-70b-versatile"].context_length == 131072
    assert rows["llama-3.3-70b-versatile"].max_output_tokens == 32768


def test_together_types_and_prices_per_million():
    rows, _ = rows_of("together", "together-models.from-docs.json")
    llama = rows["meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert llama.pricing_prompt == llama.pricing_completion == Decimal("0.00000088")
    assert llama.model_name == "Meta Llama 3.3 70B Instruct Turbo"
    assert rows["BAAI/bge-large-en-v1.5"].components == ("EMB",)
    assert rows["Salesforce/Llama-Rank-V1"].components == ("RERANK",)


def test_hugging_face_takes_the_cheapest_live_provider():
    rows, _ = rows_of("huggingface", "huggingface-router-models.from-docs.json")
    v3 = rows["deepseek-ai/DeepSeek-V3-0324"]
    assert (v3.pricing_prompt, v3.pricing_completion) == (Decimal("0.00000028"),
                                                          Decimal("0.00000114"))
    assert v3.context_length == 163840 and v3.supports_tools
    assert rows["Qwen/Qwen2.5-VL-7B-Instruct"].pricing_unknown
    assert rows["Qwen/Qwen2.5-VL-7B-Instruct"].supports_vision


def test_fireworks_and_mistral_capabilities():
    fireworks, _ = rows_of("fireworks", "fireworks-models.from-docs.json")
    assert fireworks["accounts/fireworks/models/qwen2p5-vl-32b-instruct"].supports_vision
    assert fireworks["accounts/fireworks/models/llama-v3p1-70b-instruct"].supports_tools
    mistral, _ = rows_of("mistral", "mistral-models.from-docs.json")
    assert mistral["mistral-large-latest"].supports_tools
    assert mistral["mistral-large-latest"].context_length == 131072
    assert mistral["mistral-embed"].components == ("EMB",)


def test_a_payload_of_the_wrong_shape_is_rejected_whole():
    context = TransformContext("groq", None, "sync:groq")
    with pytest.raises(UpstreamError, match="malformed model list"):
        adapter_for("groq").transform([{"data": {"id": "x"}}], context)
    with pytest.raises(UpstreamError, match="has no model id"):
        adapter_for("groq").transform([{"data": [{"id": "ok"}, {"object": "model"}]}], context)
    with pytest.raises(UpstreamError, match="not a price"):
        adapter_for("chutes").transform([{"data": [{"id": "m", "price": {"usd": "free"}}]}], context)


# --- fetch: auth headers and pagination -----------------------------------------------------

def test_gemini_pages_with_next_page_token_and_sends_the_key_in_a_header(upstream):
    first = json.loads(fixture_bytes("gemini-models-list-2026-08-05.json"))
    upstream.reply("/v1beta/models", Reply(json.dumps(first).encode()),
                   Reply(fixture_bytes("gemini-models-list-page-2.from-docs.json")))
    fetched = fetch("google", upstream, "/v1beta")
    assert len(fetched.pages) == 2 and fetched.etag is None
    first_seen, second_seen = upstream.seen("/v1beta/models")
    assert first_seen.headers["x-goog-api-key"] == "sk-test"
    assert "key=" not in first_seen.query
    assert f"pageToken={first['nextPageToken']}" in second_seen.query
    rows = adapter_for("google").transform(fetched.pages, TransformContext("google", None, "s"))
    assert rows.fetched == 51


def test_anthropic_pages_with_after_id_and_sends_its_headers(upstream):
    upstream.reply("/v1/models", Reply(fixture_bytes("anthropic-models-page-1.from-docs.json")),
                   Reply(fixture_bytes("anthropic-models-page-2.from-docs.json")))
    fetched = fetch("anthropic", upstream, "/v1")
    first_seen, second_seen = upstream.seen("/v1/models")
    assert first_seen.headers["x-api-key"] == "sk-test"
    assert first_seen.headers["anthropic-version"] == "2023-06-01"
    assert "Authorization" not in first_seen.headers
    assert "after_id=claude-sonnet-4-20250514" in second_seen.query
    rows = adapter_for("anthropic").transform(fetched.pages, TransformContext("anthropic", None, "s"))
    assert [r.model for r in rows.rows] == ["claude-sonnet-4-20250514", "claude-3-5-haiku-20241022"]


def test_cohere_pages_with_page_token_and_maps_embed_and_rerank(upstream):
    upstream.reply("/v1/models", Reply(fixture_bytes("cohere-models-page-1.from-docs.json")),
                   Reply(fixture_bytes("cohere-models-page-2.from-docs.json")))
    fetched = fetch("cohere", upstream, "/v1")
    assert "page_token=page-2" in upstream.seen("/v1/models")[1].query
    rows = {r.model: r for r in adapter_for("cohere").transform(
        fetched.pages, TransformContext("cohere", None, "s")).rows}
    assert rows["command-a-03-2025"].supports_tools
    assert rows["embed-v4.0"].components == ("EMB",)
    assert rows["rerank-v3.5"].components == ("RERANK",)


def test_fal_pages_with_a_cursor_and_uses_its_key_scheme(upstream):
    upstream.reply("/v1/models", Reply(fixture_bytes("fal-models-page-1.from-docs.json")),
                   Reply(fixture_bytes("fal-models-page-2.from-docs.json")))
    fetched = fetch("fal", upstream, "/v1")
    first_seen, second_seen = upstream.seen("/v1/models")
    assert first_seen.headers["Authorization"] == "Key sk-test"
    assert "cursor=Mg%3D%3D" in second_seen.query
    result = adapter_for("fal").transform(fetched.pages, TransformContext("fal", None, "s"))
    rows = {r.model: r for r in result.rows}
    assert set(rows) == {"fal-ai/flux/dev", "fal-ai/kling-video/v2/master/image-to-video"}
    assert rows["fal-ai/flux/dev"].output_modalities == ("image",)
    assert result.skipped == 1


def test_openrouter_follows_links_next(upstream):
    snapshot = json.loads(fixture_bytes("openrouter-models-2026-08-18.json"))
    first = {**snapshot, "data": snapshot["data"][:200], "links": {"next": "/api/v1/models?page=2"}}
    second = {**snapshot, "data": snapshot["data"][200:], "links": {"next": None}}
    upstream.reply("/api/v1/models", Reply(json.dumps(first).encode()),
                   Reply(json.dumps(second).encode()))
    fetched = fetch("openrouter", upstream, "/api/v1", key=None)
    assert len(fetched.pages) == 2
    assert upstream.seen("/api/v1/models")[1].query == "page=2"
    assert "Authorization" not in upstream.seen("/api/v1/models")[0].headers
    result = adapter_for("openrouter").transform(fetched.pages, TransformContext("openrouter", None, "s"))
    assert result.fetched == 414


def test_featherless_fetches_the_native_list_beside_the_v1_base(upstream):
    upstream.reply("/feather/models", Reply(b'{"items": [], "pagination": {"current_page": 1, '
                                            b'"total_pages": 1}}'))
    fetch("featherless", upstream, "/v1")
    assert "perPage=1000" in upstream.seen("/feather/models")[0].query
