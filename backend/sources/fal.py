"""Fal.ai ``GET https://api.fal.ai/v1/models``: image/video endpoints, cursor-paged.

Auth is ``Authorization: Key <key>``. A page is ``{"models": [...], "next_cursor", "has_more"}``;
a model is ``{"endpoint_id", "metadata": {"display_name", "category", "status"}}``. Fal prices
per image, megapixel or second (a separate pricing API), never per token: prices are unknown.
Deprecated endpoints are not served.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend.catalog.rows import CatalogRow
from backend.sources.base import ProviderAdapter, TransformContext, build_row, text_of

PAGE_SIZE = "100"


def _category_modalities(category: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``text-to-image`` -> (("text",), ("image",)); anything else -> unknown."""
    source, sep, target = category.partition("-to-")
    if not sep or not source or not target:
        return (), ()
    return (source,), (target,)


class FalAdapter(ProviderAdapter):
    wire_format = "fal"
    entries_key = "models"

    def auth_headers(self, api_key: str | None) -> dict[str, str]:
        return {"Authorization": f"Key {api_key}"} if api_key else {}

    def first_params(self) -> dict[str, str]:
        return {"limit": PAGE_SIZE}

    def next_request(self, page: object, url: str, params: dict) -> tuple[str, dict] | None:
        if not isinstance(page, dict) or page.get("has_more") is not True:
            return None
        cursor = page.get("next_cursor")
        if not isinstance(cursor, str) or not cursor:
            return None
        return url, {**params, "cursor": cursor}

    def entry_id(self, entry: Mapping) -> object:
        return entry.get("endpoint_id")

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        metadata = entry.get("metadata") or {}
        if metadata.get("status") == "deprecated":
            return None
        inputs, outputs = _category_modalities(str(metadata.get("category") or ""))
        return build_row(context, model_id, name=text_of(metadata, "display_name"),
                         input_modalities=inputs, output_modalities=outputs,
                         supports_streaming=False)
