"""The registry of wire formats: which provider kinds the gateway can route to, and why not.

Kinds not listed in either set are refused when a backend is created, with the reason from
``UNSUPPORTED_REASONS`` (or a generic one for a kind added later).
"""

from __future__ import annotations

from backend.gateway.anthropic_wire import AnthropicWire
from backend.gateway.base import WireFormat
from backend.gateway.openai_wire import OpenAIWire

OPENAI = OpenAIWire()
ANTHROPIC = AnthropicWire()

OPENAI_COMPATIBLE_KINDS = frozenset({
    "openai", "openai-compatible", "groq", "deepseek", "mistral", "moonshot", "openrouter",
    "together", "fireworks", "deepinfra", "xai", "cerebras", "featherless", "huggingface",
    "nebius", "novita", "helicone", "aihubmix", "anannas", "aimo", "near", "chutes", "alibaba",
    "vercel",
})
ANTHROPIC_KINDS = frozenset({"anthropic"})

UNSUPPORTED_REASONS = {
    "azure": "Azure OpenAI routes by deployment name and api-version in the URL; "
             "it is catalog-only here",
    "bedrock": "Amazon Bedrock needs AWS SigV4 request signing, which the gateway does not do",
    "vertex": "Google Vertex needs service-account OAuth tokens, which the gateway does not mint",
    "vertex-anthropic": "Vertex Anthropic needs service-account OAuth tokens, "
                        "which the gateway does not mint",
    "google": "the Gemini API is not OpenAI-compatible at this provider's base URL",
    "cohere": "Cohere's v1 API is not OpenAI-compatible",
    "voyage": "Voyage AI has no OpenAI-compatible chat API and its embeddings differ",
    "jina": "Jina AI's API is not OpenAI-compatible",
    "fal": "Fal.ai's API is not OpenAI-compatible",
}


def wire_format(kind: str) -> WireFormat | None:
    if kind in OPENAI_COMPATIBLE_KINDS:
        return OPENAI
    if kind in ANTHROPIC_KINDS:
        return ANTHROPIC
    return None


def unsupported_reason(provider_kind: str, model_kind: str) -> str | None:
    """Why a backend of this provider kind and Provider Model kind cannot be routed, or None."""
    wire = wire_format(provider_kind)
    if wire is None:
        return UNSUPPORTED_REASONS.get(
            provider_kind, f"provider kind {provider_kind!r} has no supported wire format")
    if model_kind == "embedding" and not wire.supports_embeddings:
        return f"{provider_kind} has no embeddings API the gateway can call"
    return None
