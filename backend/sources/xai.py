"""xAI ``GET /v1/language-models``: the list that carries prices.

Prices are integers in USD cents per 100 million tokens (``prompt_text_token_price: 20000`` is
$2 per 1M tokens), so USD per token is the value / 100 / 10^8, exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from backend.catalog.rows import CatalogRow
from backend.sources.base import Prices, ProviderAdapter, TransformContext, build_row, price

CENTS_PER_100M_TOKENS = Decimal(100) * Decimal(100_000_000)


class XAIAdapter(ProviderAdapter):
    wire_format = "xai"
    list_path = "/language-models"
    entries_key = "models"

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        def cents(key: str):
            return price(entry.get(key), per=CENTS_PER_100M_TOKENS, what=key)

        inputs = tuple(entry.get("input_modalities") or ("text",))
        return build_row(
            context, model_id,
            prices=Prices(cents("prompt_text_token_price"), cents("completion_text_token_price"),
                          cents("cached_prompt_text_token_price")),
            input_modalities=inputs,
            output_modalities=tuple(entry.get("output_modalities") or ("text",)),
        )
