"""The explicit registry of every provider the service knows, seeded into ``providers``.

Each entry names the provider's slug (also its key in the catalog API), display name, kind,
default base URL and the environment variable conventionally holding its API key.
``<SLUG>_BASE_URL`` and ``<SLUG>_API_KEY`` override the stored values at run time.

``ADAPTERS`` maps each provider kind to the adapter that syncs it (seed 004). A kind without one,
or a provider marked ``catalog_only``, is never synced; ``sync_unsupported_reason`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.sources.anthropic import AnthropicAdapter
from backend.sources.base import ProviderAdapter
from backend.sources.cohere import CohereAdapter
from backend.sources.fal import FalAdapter
from backend.sources.featherless import FeatherlessAdapter
from backend.sources.gemini import GeminiAdapter
from backend.sources.openai_compatible import (
    ChutesAdapter,
    DeepInfraAdapter,
    FireworksAdapter,
    GroqAdapter,
    HuggingFaceAdapter,
    MistralAdapter,
    MoonshotAdapter,
    OpenAICompatibleAdapter,
    TogetherAdapter,
    VercelGatewayAdapter,
)
from backend.sources.openrouter_provider import OpenRouterAdapter
from backend.sources.xai import XAIAdapter


@dataclass(frozen=True)
class ProviderSpec:
    slug: str
    name: str
    kind: str
    base_url: str | None
    api_key_env: str | None = None
    # Why this provider has no list-models sync (None when it has one).
    catalog_only: str | None = None


PROVIDERS: tuple[ProviderSpec, ...] = (
    # Seed 003's managed providers (refreshed daily from the OpenRouter feed) and seed 002's kinds.
    ProviderSpec("openai", "OpenAI", "openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
    ProviderSpec("anthropic", "Anthropic", "anthropic", "https://api.anthropic.com/v1",
                 "ANTHROPIC_API_KEY"),
    ProviderSpec("google", "Google (Gemini)", "google",
                 "https://generativelanguage.googleapis.com/v1beta", "GOOGLE_API_KEY"),
    ProviderSpec("cohere", "Cohere", "cohere", "https://api.cohere.com/v1", "COHERE_API_KEY"),
    ProviderSpec("mistral", "Mistral", "mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY"),
    ProviderSpec("deepseek", "DeepSeek", "deepseek", "https://api.deepseek.com/v1",
                 "DEEPSEEK_API_KEY"),
    ProviderSpec("xai", "xAI", "xai", "https://api.x.ai/v1", "XAI_API_KEY"),
    ProviderSpec("moonshot", "Moonshot", "moonshot", "https://api.moonshot.ai/v1",
                 "MOONSHOT_API_KEY"),
    ProviderSpec("azure", "Azure OpenAI", "azure", None, "AZURE_API_KEY",
                 catalog_only="Azure lists deployments per resource; add each account as a provider"),
    ProviderSpec("bedrock", "Amazon Bedrock", "bedrock", "https://bedrock.us-east-1.amazonaws.com",
                 "BEDROCK_API_KEY",
                 catalog_only="ListFoundationModels needs AWS SigV4 signing (boto3), not installed"),
    ProviderSpec("vertex-anthropic", "Vertex Anthropic", "vertex-anthropic", None,
                 "VERTEX_ANTHROPIC_API_KEY",
                 catalog_only="Vertex needs Google service-account auth (google-auth), not installed"),
    # Seed 004's sync sources.
    ProviderSpec("openrouter", "OpenRouter", "openrouter", "https://openrouter.ai/api/v1",
                 "OPENROUTER_API_KEY"),
    ProviderSpec("deepinfra", "DeepInfra", "deepinfra", "https://api.deepinfra.com/v1/openai",
                 "DEEPINFRA_API_KEY"),
    ProviderSpec("featherless", "Featherless", "featherless", "https://api.featherless.ai/v1",
                 "FEATHERLESS_API_KEY"),
    ProviderSpec("groq", "Groq", "groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY"),
    ProviderSpec("fireworks", "Fireworks", "fireworks", "https://api.fireworks.ai/inference/v1",
                 "FIREWORKS_API_KEY"),
    ProviderSpec("together", "Together AI", "together", "https://api.together.xyz/v1",
                 "TOGETHER_API_KEY"),
    ProviderSpec("huggingface", "Hugging Face", "huggingface", "https://router.huggingface.co/v1",
                 "HUGGINGFACE_API_KEY"),
    ProviderSpec("cerebras", "Cerebras", "cerebras", "https://api.cerebras.ai/v1",
                 "CEREBRAS_API_KEY"),
    ProviderSpec("vertex", "Google Vertex", "vertex", None, "VERTEX_API_KEY",
                 catalog_only="Vertex needs Google service-account auth (google-auth), not installed"),
    ProviderSpec("nebius", "Nebius", "nebius", "https://api.studio.nebius.com/v1",
                 "NEBIUS_API_KEY"),
    ProviderSpec("novita", "Novita", "novita", "https://api.novita.ai/v3/openai",
                 "NOVITA_API_KEY"),
    ProviderSpec("helicone", "Helicone", "helicone", "https://ai-gateway.helicone.ai/v1",
                 "HELICONE_API_KEY"),
    ProviderSpec("aihubmix", "AiHubMix", "aihubmix", "https://aihubmix.com/v1", "AIHUBMIX_API_KEY"),
    ProviderSpec("anannas", "Anannas", "anannas", "https://api.anannas.ai/v1", "ANANNAS_API_KEY"),
    ProviderSpec("aimo", "AIMO", "aimo", "https://devnet.aimo.network/api/v1", "AIMO_API_KEY"),
    ProviderSpec("near", "Near AI", "near", "https://cloud-api.near.ai/v1", "NEAR_API_KEY"),
    ProviderSpec("chutes", "Chutes", "chutes", "https://llm.chutes.ai/v1", "CHUTES_API_KEY"),
    ProviderSpec("alibaba", "Alibaba (DashScope)", "alibaba",
                 "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "ALIBABA_API_KEY"),
    ProviderSpec("fal", "Fal.ai", "fal", "https://api.fal.ai/v1", "FAL_API_KEY"),
    ProviderSpec("vercel", "Vercel AI Gateway", "vercel", "https://ai-gateway.vercel.sh/v1",
                 "VERCEL_API_KEY"),
    # Seed 003's unmanaged providers: catalog rows only, maintained by upsert and import.
    ProviderSpec("voyage", "Voyage AI", "voyage", "https://api.voyageai.com/v1", "VOYAGE_API_KEY"),
    ProviderSpec("jina", "Jina AI", "jina", "https://api.jina.ai/v1", "JINA_API_KEY"),
    ProviderSpec("local", "Local", "openai-compatible", "http://127.0.0.1:8000/v1", None,
                 catalog_only="a local server; its models are entered by upsert"),
    ProviderSpec("ollama", "Ollama", "openai-compatible", "http://127.0.0.1:11434/v1", None),
    ProviderSpec("mlx", "MLX", "openai-compatible", "http://127.0.0.1:8080/v1", None,
                 catalog_only="a local server; its models are entered by upsert"),
)

PROVIDERS_BY_SLUG = {spec.slug: spec for spec in PROVIDERS}


def provider_spec(slug: str) -> ProviderSpec | None:
    return PROVIDERS_BY_SLUG.get(slug)


_OPENAI_STYLE = OpenAICompatibleAdapter()

ADAPTERS: dict[str, ProviderAdapter] = {
    "openai": _OPENAI_STYLE,
    "anthropic": AnthropicAdapter(),
    "google": GeminiAdapter(),
    "cohere": CohereAdapter(),
    "mistral": MistralAdapter(),
    "deepseek": _OPENAI_STYLE,
    "xai": XAIAdapter(),
    "moonshot": MoonshotAdapter(),
    # OpenRouter's and Vercel's model lists are public: a key is used when given.
    "openrouter": OpenRouterAdapter(),
    "deepinfra": DeepInfraAdapter(),
    "featherless": FeatherlessAdapter(),
    "groq": GroqAdapter(),
    "fireworks": FireworksAdapter(),
    "together": TogetherAdapter(),
    "huggingface": HuggingFaceAdapter(),
    "cerebras": _OPENAI_STYLE,
    "nebius": _OPENAI_STYLE,
    "novita": _OPENAI_STYLE,
    "helicone": _OPENAI_STYLE,
    "aihubmix": _OPENAI_STYLE,
    "anannas": _OPENAI_STYLE,
    "aimo": _OPENAI_STYLE,
    "near": _OPENAI_STYLE,
    "chutes": ChutesAdapter(),
    "alibaba": _OPENAI_STYLE,
    "fal": FalAdapter(),
    "vercel": VercelGatewayAdapter(requires_key=False),
    # Any other endpoint that speaks the OpenAI list format (local servers need no key).
    "openai-compatible": OpenAICompatibleAdapter(requires_key=False),
}

# Kinds with no list-models API we can call, beyond the registry's own ``catalog_only`` notes.
KIND_WITHOUT_SYNC = {
    "azure": "Azure lists deployments per resource; add each account as a provider",
    "bedrock": "ListFoundationModels needs AWS SigV4 signing (boto3), not installed",
    "vertex": "Vertex needs Google service-account auth (google-auth), not installed",
    "vertex-anthropic": "Vertex needs Google service-account auth (google-auth), not installed",
    "voyage": "Voyage AI publishes no model-list API; its rows come from upsert and the catalog",
    "jina": "Jina AI publishes no model-list API; its rows come from upsert and the catalog",
}


def adapter_for(kind: str) -> ProviderAdapter | None:
    return ADAPTERS.get(kind)


def sync_unsupported_reason(slug: str, kind: str) -> str | None:
    """Why the provider ``slug`` (of ``kind``) is catalog-only, or None when it can be synced."""
    spec = provider_spec(slug)
    if spec is not None and spec.catalog_only:
        return spec.catalog_only
    if kind in ADAPTERS:
        return None
    return KIND_WITHOUT_SYNC.get(kind, f"no sync adapter for provider kind {kind!r}")
