"""The ``openrouter`` provider's adapter: OpenRouter's list, keyed by OpenRouter's own ids.

Parsing is ``backend.sources.openrouter``'s (shared with seed 003's refresh). Here every entry is
kept under its full id as listed — ``:free``/``:beta``/``:thinking`` variants and ``~`` aliases
included, since each is a name one can call — and ``-1`` router prices read as unknown. The newer
envelope pages with ``links.next``. Embedding and rerank outputs map to EMB and RERANK.
"""

from __future__ import annotations

from collections.abc import Iterable

from backend.sources.base import ProviderAdapter, TransformContext, Transformed, join_url
from backend.sources.openrouter import OpenRouterModel, entry_to_row, parse_models_payload

KIND_BY_OUTPUT = {"embeddings": ("emb", ("EMB",)), "rerank": ("rerank", ("RERANK",))}


def family_of(entry: OpenRouterModel) -> tuple[str, tuple[str, ...]]:
    for output, kind in KIND_BY_OUTPUT.items():
        if output in entry.output_modalities and not entry.outputs_text:
            return kind
    return "gen", ("GEN",)


class OpenRouterAdapter(ProviderAdapter):
    wire_format = "openrouter"
    requires_key = False

    def next_request(self, page: object, url: str, params: dict) -> tuple[str, dict] | None:
        links = page.get("links") if isinstance(page, dict) else None
        link = links.get("next") if isinstance(links, dict) else None
        if not isinstance(link, str) or not link:
            return None
        return join_url(url, link), {}

    def transform(self, pages: Iterable[object], context: TransformContext) -> Transformed:
        rows = []
        fetched = 0
        for page in pages:
            for entry in parse_models_payload(page):
                fetched += 1
                family, components = family_of(entry)
                rows.append(entry_to_row(
                    entry, provider=context.slug, model=entry.id, base_url=context.base_url,
                    source=context.source, family=family, components=components,
                ))
        return Transformed(tuple(rows), fetched, fetched - len(rows))
