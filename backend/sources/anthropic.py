"""Anthropic ``GET /v1/models``: ``x-api-key`` + ``anthropic-version``, paged by ``after_id``.

A page is ``{"data": [...], "has_more": bool, "first_id", "last_id"}``; while ``has_more`` the
next page is asked for with ``after_id=<last_id>``. No prices are listed.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend.catalog.rows import CatalogRow
from backend.sources.base import ProviderAdapter, TransformContext, build_row, positive_int, text_of

ANTHROPIC_VERSION = "2023-06-01"
PAGE_SIZE = "1000"


class AnthropicAdapter(ProviderAdapter):
    wire_format = "anthropic"

    def auth_headers(self, api_key: str | None) -> dict[str, str]:
        headers = {"anthropic-version": ANTHROPIC_VERSION}
        if api_key:
            headers["x-api-key"] = api_key
        return headers

    def first_params(self) -> dict[str, str]:
        return {"limit": PAGE_SIZE}

    def next_request(self, page: object, url: str, params: dict) -> tuple[str, dict] | None:
        if not isinstance(page, dict) or page.get("has_more") is not True:
            return None
        last_id = page.get("last_id")
        if not isinstance(last_id, str) or not last_id:
            return None
        return url, {**params, "after_id": last_id}

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        return build_row(
            context, model_id,
            name=text_of(entry, "display_name"),
            input_modalities=("text", "image"),
            output_modalities=("text",),
            context_length=positive_int(entry, "max_input_tokens"),
            max_output_tokens=positive_int(entry, "max_tokens"),
        )
