"""Cohere ``GET /v1/models``: ``{"models": [...], "next_page_token"}``, models named by ``name``.

A model's ``endpoints`` say what it is: ``embed`` -> embeddings, ``rerank`` -> reranker,
``chat``/``generate`` -> generative. No prices are listed.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend.catalog.rows import CatalogRow
from backend.sources.base import ProviderAdapter, TransformContext, build_row, positive_int

PAGE_SIZE = "1000"


class CohereAdapter(ProviderAdapter):
    wire_format = "cohere"
    entries_key = "models"

    def first_params(self) -> dict[str, str]:
        return {"page_size": PAGE_SIZE}

    def next_request(self, page: object, url: str, params: dict) -> tuple[str, dict] | None:
        token = page.get("next_page_token") if isinstance(page, dict) else None
        if not isinstance(token, str) or not token:
            return None
        return url, {**params, "page_token": token}

    def entry_id(self, entry: Mapping) -> object:
        return entry.get("name")

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        endpoints = set(entry.get("endpoints") or ())
        kind = "gen"
        if "rerank" in endpoints:
            kind = "rerank"
        elif "embed" in endpoints and not endpoints & {"chat", "generate"}:
            kind = "emb"
        features = set(entry.get("features") or ())
        return build_row(
            context, model_id, kind=kind,
            context_length=positive_int(entry, "context_length"),
            supports_vision=entry.get("supports_vision") is True or "vision" in features,
            supports_tools="tools" in features or "strict_tools" in features,
        )
