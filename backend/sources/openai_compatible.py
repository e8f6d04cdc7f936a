"""The OpenAI-style ``GET /models`` wire format, and the providers that speak a dialect of it.

The base answer is ``{"object": "list", "data": [{"id", "object", "created", "owned_by"}]}``:
ids only, so prices are unknown and the kind (gen/emb/rerank) comes from the id. Many providers
add fields; each dialect below is a thin subclass that reads its own extras, with the unit of
every price stated where it is converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from backend.catalog.rows import CatalogRow
from backend.sources.base import (
    NO_PRICES,
    PER_1M,
    Prices,
    ProviderAdapter,
    TransformContext,
    build_row,
    kind_from_id,
    positive_int,
    price,
    text_of,
)


class OpenAICompatibleAdapter(ProviderAdapter):
    """Any endpoint with an OpenAI-style model list; also the generic adapter for custom ones."""

    wire_format = "openai-compatible"
    context_keys: tuple[str, ...] = ("context_length", "context_window", "max_context_length",
                                     "max_model_len")
    max_output_keys: tuple[str, ...] = ("max_completion_tokens", "max_output_tokens")

    def __init__(self, *, requires_key: bool = True):
        self.requires_key = requires_key

    def kind(self, entry: Mapping, model_id: str) -> str:
        return kind_from_id(model_id)

    def prices(self, entry: Mapping) -> Prices:
        return NO_PRICES

    def modalities(self, entry: Mapping) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (), ()

    def capabilities(self, entry: Mapping) -> dict[str, bool]:
        return {}

    def is_served(self, entry: Mapping) -> bool:
        return True

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        if not self.is_served(entry):
            return None
        inputs, outputs = self.modalities(entry)
        return build_row(
            context, model_id,
            kind=self.kind(entry, model_id),
            name=text_of(entry, "display_name", "name", "title"),
            prices=self.prices(entry),
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=positive_int(entry, *self.context_keys),
            max_output_tokens=positive_int(entry, *self.max_output_keys),
            **self.capabilities(entry),
        )


class GroqAdapter(OpenAICompatibleAdapter):
    """Groq: ``context_window``, ``max_completion_tokens``; ``active: false`` is not served."""

    def is_served(self, entry: Mapping) -> bool:
        return entry.get("active", True) is not False


class FireworksAdapter(OpenAICompatibleAdapter):
    """Fireworks: ``supports_image_input``, ``supports_tools``, ``context_length``."""

    def capabilities(self, entry: Mapping) -> dict[str, bool]:
        return {"supports_vision": entry.get("supports_image_input") is True,
                "supports_tools": entry.get("supports_tools") is True}


class DeepInfraAdapter(OpenAICompatibleAdapter):
    """DeepInfra ``/v1/openai/models``: ``metadata.pricing`` in USD per 1M tokens."""

    def prices(self, entry: Mapping) -> Prices:
        pricing = (entry.get("metadata") or {}).get("pricing") or {}
        return Prices(
            price(pricing.get("input_tokens"), per=PER_1M, what="metadata.pricing.input_tokens"),
            price(pricing.get("output_tokens"), per=PER_1M, what="metadata.pricing.output_tokens"),
            price(pricing.get("cache_read_tokens"), per=PER_1M,
                  what="metadata.pricing.cache_read_tokens"),
        )

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        metadata = entry.get("metadata") or {}
        merged = {**entry, "context_length": metadata.get("context_length"),
                  "max_completion_tokens": metadata.get("max_tokens")}
        row = super().entry_row(merged, model_id, context)
        tags = set(metadata.get("tags") or ())
        return row if row is None else _with_flags(row, vision="vision" in tags)


class TogetherAdapter(OpenAICompatibleAdapter):
    """Together ``/v1/models``: a bare array; ``type``; ``pricing.input/output`` in USD per 1M.

    (The legacy ``/api/models`` endpoint priced in undocumented integer units; it is not used.)
    """

    entries_key = None
    TYPES = {"embedding": "emb", "rerank": "rerank"}

    def kind(self, entry: Mapping, model_id: str) -> str:
        return self.TYPES.get(str(entry.get("type")), "gen")

    def prices(self, entry: Mapping) -> Prices:
        pricing = entry.get("pricing") or {}
        return Prices(price(pricing.get("input"), per=PER_1M, what="pricing.input"),
                      price(pricing.get("output"), per=PER_1M, what="pricing.output"))


class HuggingFaceAdapter(OpenAICompatibleAdapter):
    """The Hugging Face router: one entry per model, priced per inference provider.

    The router picks a provider per request, so the row carries the cheapest *live* provider's
    price (USD per 1M tokens upstream) and the largest context among them.
    """

    def _live(self, entry: Mapping) -> list[Mapping]:
        return [p for p in entry.get("providers") or () if isinstance(p, dict)
                and p.get("status", "live") == "live"]

    def is_served(self, entry: Mapping) -> bool:
        return bool(self._live(entry)) or not entry.get("providers")

    def prices(self, entry: Mapping) -> Prices:
        offers = []
        for provider in self._live(entry):
            pricing = provider.get("pricing") or {}
            offer = Prices(price(pricing.get("input"), per=PER_1M, what="pricing.input"),
                           price(pricing.get("output"), per=PER_1M, what="pricing.output"))
            if offer.prompt is not None and offer.completion is not None:
                offers.append(offer)
        return min(offers, key=lambda o: (o.prompt + o.completion, o.prompt), default=NO_PRICES)

    def modalities(self, entry: Mapping) -> tuple[tuple[str, ...], tuple[str, ...]]:
        architecture = entry.get("architecture") or {}
        return (tuple(architecture.get("input_modalities") or ()),
                tuple(architecture.get("output_modalities") or ()))

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        live = self._live(entry)
        contexts = [p.get("context_length") for p in live]
        merged = {**entry, "context_length": max(
            (c for c in contexts if isinstance(c, int) and not isinstance(c, bool)), default=None)}
        row = super().entry_row(merged, model_id, context)
        tools = any(p.get("supports_tools") is True for p in live)
        return row if row is None else _with_flags(row, tools=tools)


class ChutesAdapter(OpenAICompatibleAdapter):
    """Chutes: one ``price.usd`` per model, USD per 1M tokens, no input/output split.

    Chutes bills input and output tokens at that one rate, so it is both the prompt and the
    completion price. ``price.tao`` (the same price in TAO) is ignored.
    """

    def prices(self, entry: Mapping) -> Prices:
        usd = price((entry.get("price") or {}).get("usd"), per=PER_1M, what="price.usd")
        return Prices(usd, usd)


class MistralAdapter(OpenAICompatibleAdapter):
    """Mistral: ``capabilities`` flags, ``max_context_length``, ``name``."""

    def kind(self, entry: Mapping, model_id: str) -> str:
        capabilities = entry.get("capabilities") or {}
        if "embed" in model_id and not capabilities.get("completion_chat"):
            return "emb"
        return kind_from_id(model_id)

    def capabilities(self, entry: Mapping) -> dict[str, bool]:
        capabilities = entry.get("capabilities") or {}
        return {"supports_vision": capabilities.get("vision") is True,
                "supports_tools": capabilities.get("function_calling") is True}


class MoonshotAdapter(OpenAICompatibleAdapter):
    """Moonshot: ``context_length``, ``supports_image_in``, ``supports_reasoning``."""

    def capabilities(self, entry: Mapping) -> dict[str, bool]:
        return {"supports_vision": entry.get("supports_image_in") is True,
                "supports_reasoning": entry.get("supports_reasoning") is True}


class VercelGatewayAdapter(OpenAICompatibleAdapter):
    """Vercel AI Gateway: ``type`` (language, embedding, image, video), per-token price strings.

    Image and video models are priced per image or per second (``pricing.image``,
    ``video_duration_pricing``), not per token: their token prices stay unknown unless given.
    Tiered prices keep the base (first-tier) ``input``/``output``.
    """

    OUTPUTS = {"language": ("text",), "embedding": ("embeddings",), "image": ("image",),
               "video": ("video",)}
    max_output_keys = ("max_tokens",)

    def kind(self, entry: Mapping, model_id: str) -> str:
        return "emb" if entry.get("type") == "embedding" else "gen"

    def prices(self, entry: Mapping) -> Prices:
        pricing = entry.get("pricing") or {}
        return Prices(
            price(pricing.get("input"), what="pricing.input"),
            price(pricing.get("output"), what="pricing.output"),
            price(pricing.get("input_cache_read"), what="pricing.input_cache_read"),
            price(pricing.get("input_cache_write"), what="pricing.input_cache_write"),
        )

    def modalities(self, entry: Mapping) -> tuple[tuple[str, ...], tuple[str, ...]]:
        tags = set(entry.get("tags") or ())
        inputs = ("text", "image") if "vision" in tags else ("text",)
        return inputs, self.OUTPUTS.get(str(entry.get("type")), ())

    def capabilities(self, entry: Mapping) -> dict[str, bool]:
        tags = set(entry.get("tags") or ())
        return {"supports_tools": "tool-use" in tags, "supports_reasoning": "reasoning" in tags}


def _with_flags(row: CatalogRow, *, vision: bool | None = None, tools: bool | None = None) -> CatalogRow:
    changes = {}
    if vision:
        changes["supports_vision"] = True
    if tools:
        changes["supports_tools"] = True
    return replace(row, **changes) if changes else row
