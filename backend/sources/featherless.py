"""Featherless' native ``GET /feather/models``: ``{"items": [...], "pagination": {...}}``.

The native list (not ``/v1/models``) is used because it says whether a model is deployed:
only ``status == "active"`` entries are served. Featherless bills by subscription and
concurrency class (``model_class``), not per token, so prices are unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from backend.catalog.rows import CatalogRow
from backend.sources.base import Endpoint, ProviderAdapter, TransformContext, build_row, text_of

PAGE_SIZE = "1000"


class FeatherlessAdapter(ProviderAdapter):
    wire_format = "featherless"
    entries_key = "items"

    def list_url(self, endpoint: Endpoint) -> str:
        # The native API lives beside the OpenAI-compatible ``/v1`` base, at the host's root.
        parts = urlsplit(endpoint.base_url)
        return urlunsplit((parts.scheme, parts.netloc, "/feather/models", "", ""))

    def first_params(self) -> dict[str, str]:
        return {"page": "1", "perPage": PAGE_SIZE}

    def next_request(self, page: object, url: str, params: dict) -> tuple[str, dict] | None:
        pagination = page.get("pagination") if isinstance(page, dict) else None
        if not isinstance(pagination, dict):
            return None
        current, total = pagination.get("current_page"), pagination.get("total_pages")
        if not isinstance(current, int) or not isinstance(total, int) or current >= total:
            return None
        return url, {**params, "page": str(current + 1)}

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        if entry.get("status") != "active":
            return None
        return build_row(context, model_id, name=text_of(entry, "name"),
                         input_modalities=("text",), output_modalities=("text",),
                         notes=f"model_class={entry['model_class']}" if entry.get("model_class") else "")
