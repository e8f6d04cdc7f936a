"""Google Gemini ``GET /v1beta/models``: ``models/``-prefixed names, paged by ``nextPageToken``.

Auth is the ``x-goog-api-key`` header (never a ``?key=`` query, which would end up in logs).
The API lists no prices, so every row's price is unknown. ``embedContent`` models are
embeddings; everything else (``generateContent``, ``predict``…) is generative.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend.catalog.rows import CatalogRow
from backend.sources.base import ProviderAdapter, TransformContext, build_row, positive_int, text_of

PAGE_SIZE = "1000"
NAME_PREFIX = "models/"


class GeminiAdapter(ProviderAdapter):
    wire_format = "gemini"
    entries_key = "models"

    def auth_headers(self, api_key: str | None) -> dict[str, str]:
        return {"x-goog-api-key": api_key} if api_key else {}

    def first_params(self) -> dict[str, str]:
        return {"pageSize": PAGE_SIZE}

    def next_request(self, page: object, url: str, params: dict) -> tuple[str, dict] | None:
        token = page.get("nextPageToken") if isinstance(page, dict) else None
        if not isinstance(token, str) or not token:
            return None
        return url, {**params, "pageToken": token}

    def entry_id(self, entry: Mapping) -> object:
        name = entry.get("name")
        return name.removeprefix(NAME_PREFIX) if isinstance(name, str) else name

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        methods = set(entry.get("supportedGenerationMethods") or ())
        embeds = "embedContent" in methods and "generateContent" not in methods
        return build_row(
            context, model_id,
            kind="emb" if embeds else "gen",
            name=text_of(entry, "displayName"),
            context_length=positive_int(entry, "inputTokenLimit"),
            max_output_tokens=None if embeds else positive_int(entry, "outputTokenLimit"),
            supports_reasoning=entry.get("thinking") is True,
        )
