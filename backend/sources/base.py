"""The provider-adapter interface: ``fetch`` (HTTP, the only I/O) and ``transform`` (pure).

An adapter knows one upstream wire format: its list endpoint, auth header, pagination and how an
entry maps onto a ``CatalogRow``. ``fetch`` returns the raw pages; ``transform`` turns pages into
rows without touching anything, so it is tested on recorded payloads alone. Subclasses override
the small hooks (``entries``, ``entry_row``, ``next_request``…), not the loops.

A payload that is not the documented shape, or an entry without an id, rejects the whole fetch
with ``UpstreamError(permanent=True)``: nothing is written from a feed we cannot read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urljoin

from backend.catalog.rows import CatalogRow, parse_price
from backend.errors import Invalid, UpstreamError
from backend.sources.http import UpstreamClient

PER_1M = Decimal(1_000_000)
MAX_PAGES = 200
# Bounds on what an upstream may put in a row: far beyond any real model, well short of what
# would bloat every catalog response (a 10 MB name) or break a price (1e300, 1e-999999).
MAX_ID_LENGTH = 512
MAX_NAME_LENGTH = 1024
MAX_PRICE_PER_TOKEN = Decimal(1)
MIN_PRICE_EXPONENT = -20
KINDS = {"gen": ("gen", ("GEN",)), "emb": ("emb", ("EMB",)), "rerank": ("rerank", ("RERANK",))}


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach one provider, resolved from its row and the environment."""

    slug: str
    base_url: str
    api_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Fetched:
    """What ``fetch`` got: every page, or ``not_modified`` after a conditional GET's 304.

    ``etag`` is kept only when the whole list came in one page, so a later 304 on that page
    really means the whole list is unchanged.
    """

    url: str
    pages: tuple[object, ...] = ()
    etag: str | None = None
    not_modified: bool = False


@dataclass(frozen=True)
class TransformContext:
    slug: str
    base_url: str | None
    source: str


@dataclass(frozen=True)
class Transformed:
    rows: tuple[CatalogRow, ...]
    fetched: int
    skipped: int


@dataclass(frozen=True)
class Prices:
    """Exact USD per token; None = unknown."""

    prompt: Decimal | None = None
    completion: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None


NO_PRICES = Prices()


def malformed(context: TransformContext | str, detail: str) -> UpstreamError:
    slug = context.slug if isinstance(context, TransformContext) else context
    return UpstreamError(f"{slug}: malformed model list: {detail}", permanent=True)


def price(value: object, *, per: Decimal = Decimal(1), what: str = "price") -> Decimal | None:
    """An exact per-token price from an upstream value quoted per ``per`` tokens.

    Strings and JSON numbers (decoded as ``Decimal``, or floats via their shortest ``str()``)
    convert exactly; a negative price is the upstream's "variable/unknown", never a number.
    """
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, bool) and Decimal(str(value).strip()) < 0:
            return None
        parsed = parse_price(value, field=what)
        per_token = None if parsed is None else (parsed / per).normalize()
    except (Invalid, ArithmeticError, ValueError) as exc:
        raise UpstreamError(f"{what}: {value!r:.40} is not a price", permanent=True) from exc
    if parsed and (parsed.adjusted() < MIN_PRICE_EXPONENT or per_token > MAX_PRICE_PER_TOKEN):
        raise UpstreamError(f"{what}: {value!r:.40} is not a price (out of range)", permanent=True)
    return per_token


def positive_int(entry: Mapping, *keys: str) -> int | None:
    """The first of ``keys`` holding a positive integer (0 and junk read as unknown)."""
    for key in keys:
        value = entry.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and value > 0:
            return value
        if isinstance(value, Decimal) and value == value.to_integral_value() and value > 0:
            return int(value)
    return None


def text_of(entry: Mapping, *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def kind_from_id(model_id: str) -> str:
    """gen, emb or rerank, from the id alone (for list APIs that say nothing else)."""
    lowered = model_id.lower()
    if "rerank" in lowered:
        return "rerank"
    if "embed" in lowered:
        return "emb"
    return "gen"


def modality_of(inputs: Iterable[str], outputs: Iterable[str]) -> str | None:
    inputs, outputs = tuple(inputs), tuple(outputs)
    if not inputs or not outputs:
        return None
    return f"{'+'.join(inputs)}->{'+'.join(outputs)}"


def build_row(context: TransformContext, model_id: str, *, kind: str = "gen",
              name: str | None = None, prices: Prices = NO_PRICES,
              input_modalities: tuple[str, ...] = (), output_modalities: tuple[str, ...] = (),
              **fields: object) -> CatalogRow:
    """A row of ``context``'s provider; the price is unknown when the billed side is missing."""
    family, components = KINDS[kind]
    billed_unknown = prices.prompt is None or (kind == "gen" and prices.completion is None)
    fields.setdefault("supports_vision", "image" in input_modalities)
    return CatalogRow(
        provider=context.slug,
        model=model_id,
        model_name=name or model_id,
        family=family,
        components=components,
        pricing_prompt=prices.prompt,
        pricing_completion=prices.completion,
        pricing_cache_read=prices.cache_read,
        pricing_cache_write=prices.cache_write,
        pricing_unknown=billed_unknown,
        modality=modality_of(input_modalities, output_modalities),
        input_modalities=input_modalities,
        output_modalities=output_modalities,
        base_url=context.base_url,
        source=context.source,
        **fields,
    )


class ProviderAdapter:
    """One upstream wire format. Instances are stateless and shared."""

    #: the wire format's name, shown by ``GET /admin/model-sync/providers``
    wire_format = "openai-compatible"
    list_path = "/models"
    #: the key of the entry list in a page (None: the page is the list)
    entries_key: str | None = "data"
    requires_key = True

    # --- fetch: HTTP only -------------------------------------------------------------------

    def auth_headers(self, api_key: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}"} if api_key else {}

    def list_url(self, endpoint: Endpoint) -> str:
        return endpoint.base_url.rstrip("/") + self.list_path

    def first_params(self) -> dict[str, str]:
        return {}

    def next_request(self, page: object, url: str, params: dict) -> tuple[str, dict] | None:
        """The next page's URL and query, or None on the last page."""
        return None

    def fetch(self, client: UpstreamClient, endpoint: Endpoint, *, etag: str | None = None) -> Fetched:
        url, params = self.list_url(endpoint), self.first_params()
        headers = self.auth_headers(endpoint.api_key)
        first = client.get_json(url, headers=headers, params=params, etag=etag)
        if first.not_modified:
            return Fetched(url=url, etag=etag, not_modified=True)
        pages = [first.payload]
        following = self.next_request(first.payload, url, params)
        while following is not None:
            if len(pages) >= MAX_PAGES:
                raise UpstreamError(f"{endpoint.slug}: more than {MAX_PAGES} pages; giving up",
                                    permanent=True)
            next_url, params = following
            page = client.get_json(next_url, headers=headers, params=params).payload
            pages.append(page)
            following = self.next_request(page, next_url, params)
        return Fetched(url=url, pages=tuple(pages), etag=first.etag if len(pages) == 1 else None)

    # --- transform: pure --------------------------------------------------------------------

    def entries(self, page: object, context: TransformContext) -> list[Mapping]:
        items = page if self.entries_key is None else (
            page.get(self.entries_key) if isinstance(page, dict) else None)
        if not isinstance(items, list):
            where = "a JSON list" if self.entries_key is None else f'{{"{self.entries_key}": [...]}}'
            raise malformed(context, f"expected {where}, got {type(page).__name__}")
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise malformed(context, f"entry #{index} is not an object")
        return items

    def entry_id(self, entry: Mapping) -> object:
        return entry.get("id")

    def entry_row(self, entry: Mapping, model_id: str, context: TransformContext) -> CatalogRow | None:
        """The row for one entry, or None to skip it (e.g. a model that is not served)."""
        raise NotImplementedError

    def transform(self, pages: Iterable[object], context: TransformContext) -> Transformed:
        rows: list[CatalogRow] = []
        fetched = 0
        for page in pages:
            for index, entry in enumerate(self.entries(page, context)):
                fetched += 1
                model_id = self.entry_id(entry)
                if not isinstance(model_id, str) or not model_id.strip():
                    raise malformed(context, f"entry #{index} has no model id")
                row = self.entry_row(entry, model_id.strip(), context)
                if row is not None:
                    check_row_text(row, index, context)
                    rows.append(row)
        return Transformed(tuple(rows), fetched, fetched - len(rows))


def _has_control_character(text: str) -> bool:
    # Cc: C0/C1 controls (NUL, ESC, newlines); Cf: invisible formatting such as bidi overrides.
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)


def check_row_text(row: CatalogRow, index: int, context: TransformContext) -> None:
    """Reject an entry whose id or name no one could type, read or store sensibly."""
    for what, text, limit in (("model id", row.model, MAX_ID_LENGTH),
                              ("name", row.model_name, MAX_NAME_LENGTH)):
        if len(text) > limit:
            raise malformed(context, f"entry #{index} has a {what} longer than {limit} characters")
        if _has_control_character(text):
            raise malformed(context, f"entry #{index} has a control character in its {what}")


def join_url(base: str, link: str) -> str:
    """A pagination link, absolute or relative to the page that gave it."""
    return urljoin(base, link)
