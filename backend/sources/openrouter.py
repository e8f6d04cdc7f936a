"""The OpenRouter wire format: ``GET /api/v1/models`` payloads -> typed, validated entries.

Reused by seed 003's daily refresh (managed providers' GEN rows, keyed by the vendor's own model
id) and by the ``openrouter`` provider sync (rows keyed by the full OpenRouter id). Both call
``parse_models_payload`` (pure: bytes or decoded JSON -> entries) and ``entry_to_row`` (an
entry -> ``CatalogRow`` for a given provider slug and model id).

Accepted payloads: the ``{"data": [...]}`` envelope (also the newer one with ``total_count`` and
``links.next``) and a bare array of entries, as some scrapers save it. A malformed payload is
rejected whole with ``UpstreamError(permanent=True)`` naming the offending entries.

Prices are per-token decimal strings, converted exactly. OpenRouter's ``"-1"`` marks a router
or variable price: that is an unknown price, never a negative one. ``pricing.overrides`` (tiered
or time-windowed prices) are ignored for the base price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import orjson
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from backend.catalog.rows import CatalogRow, parse_price
from backend.errors import Invalid, UpstreamError
from backend.sources.base import MAX_PRICE_PER_TOKEN, MIN_PRICE_EXPONENT
from backend.sources.http import UpstreamClient

VARIABLE_PRICE = Decimal(-1)
TEXT = "text"


class _Price(fields.Field):
    """A per-token price string (or number); ``-1`` -> None (variable/unknown price)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None:
            return None
        try:
            if not isinstance(value, bool) and Decimal(str(value).strip()) == VARIABLE_PRICE:
                return None
            price = parse_price(value, field=attr or "price")
        except (Invalid, ArithmeticError, ValueError) as exc:
            raise ValidationError(f"{value!r:.40} is not a per-token price") from exc
        if price and (price.adjusted() < MIN_PRICE_EXPONENT or price > MAX_PRICE_PER_TOKEN):
            raise ValidationError(f"{value!r:.40} is out of range for a per-token price")
        return price


class _PricingSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    prompt = _Price(load_default=None)
    completion = _Price(load_default=None)
    input_cache_read = _Price(load_default=None)
    input_cache_write = _Price(load_default=None)


class _ArchitectureSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    modality = fields.String(allow_none=True, load_default=None)
    input_modalities = fields.List(fields.String(), allow_none=True, load_default=None)
    output_modalities = fields.List(fields.String(), allow_none=True, load_default=None)


class _TopProviderSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    context_length = fields.Integer(allow_none=True, load_default=None, strict=True)
    max_completion_tokens = fields.Integer(allow_none=True, load_default=None, strict=True)


class _ModelSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=validate.Length(min=1, max=300))
    name = fields.String(allow_none=True, load_default=None)
    context_length = fields.Integer(allow_none=True, load_default=None, strict=True)
    architecture = fields.Nested(_ArchitectureSchema, required=True)
    pricing = fields.Nested(_PricingSchema, required=True)
    top_provider = fields.Nested(_TopProviderSchema, allow_none=True, load_default=None)
    supported_parameters = fields.List(fields.String(), allow_none=True, load_default=None)


_MODELS = _ModelSchema(many=True)


@dataclass(frozen=True, slots=True)
class OpenRouterModel:
    """One validated entry of the models feed. Prices: exact USD per token, None = unknown."""

    id: str
    name: str
    context_length: int | None
    max_completion_tokens: int | None
    modality: str | None
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    prompt: Decimal | None
    completion: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    supported_parameters: tuple[str, ...]

    @property
    def vendor(self) -> str:
        """The id's prefix (``openai`` in ``openai/gpt-4o``), without an alias ``~``."""
        return self.id.lstrip("~").split("/", 1)[0]

    @property
    def vendor_model_id(self) -> str:
        """The id without its vendor prefix (``gpt-4o`` in ``openai/gpt-4o``)."""
        return self.id.split("/", 1)[1] if "/" in self.id else self.id

    @property
    def is_variant(self) -> bool:
        """``:free``, ``:beta``, ``:thinking``, ``:batch``… — a variant of another model."""
        return ":" in self.id

    @property
    def is_alias(self) -> bool:
        """OpenRouter's moving aliases such as ``~openai/gpt-latest``."""
        return self.id.startswith("~")

    @property
    def outputs_text(self) -> bool:
        return TEXT in self.output_modalities

    @property
    def pricing_unknown(self) -> bool:
        return self.prompt is None or self.completion is None


def _output_modalities(architecture: dict) -> tuple[str, ...]:
    # Older payloads may carry only "modality" ("text+image->text").
    if architecture["output_modalities"] is not None:
        return tuple(architecture["output_modalities"])
    modality = architecture["modality"] or ""
    return tuple(part for part in modality.partition("->")[2].split("+") if part)


def _input_modalities(architecture: dict) -> tuple[str, ...]:
    if architecture["input_modalities"] is not None:
        return tuple(architecture["input_modalities"])
    modality = architecture["modality"] or ""
    return tuple(part for part in modality.partition("->")[0].split("+") if part)


def _entry(item: dict) -> OpenRouterModel:
    top = item["top_provider"] or {}
    pricing = item["pricing"]
    return OpenRouterModel(
        id=item["id"],
        name=item["name"] or item["id"],
        context_length=(
            item["context_length"] if item["context_length"] is not None else top.get("context_length")
        ),
        max_completion_tokens=top.get("max_completion_tokens"),
        modality=item["architecture"]["modality"],
        input_modalities=_input_modalities(item["architecture"]),
        output_modalities=_output_modalities(item["architecture"]),
        prompt=pricing["prompt"],
        completion=pricing["completion"],
        cache_read=pricing["input_cache_read"],
        cache_write=pricing["input_cache_write"],
        supported_parameters=tuple(item["supported_parameters"] or ()),
    )


def _entries_list(document: object) -> list:
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        return document["data"]
    raise UpstreamError(
        "OpenRouter models payload must be {\"data\": [...]} or a list of models", permanent=True
    )


def _summarize(errors: dict) -> str:
    shown = sorted(errors.items(), key=lambda item: int(item[0]) if str(item[0]).isdigit() else 0)
    parts = [f"#{index}: {messages}" for index, messages in shown[:3]]
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more


def parse_models_payload(payload: object) -> list[OpenRouterModel]:
    """Validate a ``/api/v1/models`` payload and return its entries, in feed order."""
    document = payload
    if isinstance(payload, bytes | str):
        try:
            document = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise UpstreamError(f"OpenRouter models payload is not JSON: {exc}", permanent=True) from None
    items = _entries_list(document)
    try:
        loaded = _MODELS.load(items)
    except ValidationError as exc:
        errors = exc.messages if isinstance(exc.messages, dict) else {"payload": exc.messages}
        raise UpstreamError(
            f"OpenRouter models payload has malformed entries: {_summarize(errors)}",
            permanent=True,
            errors={str(key): value for key, value in errors.items()},
        ) from None
    return [_entry(item) for item in loaded]


def fetch_models_payload(client: UpstreamClient, url: str) -> object:
    """GET the models feed through the service's HTTP client; its decoded JSON."""
    return client.get_json(url).payload


def entry_to_row(
    entry: OpenRouterModel,
    *,
    provider: str,
    model: str,
    base_url: str | None,
    source: str,
    family: str = "gen",
    components: Sequence[str] = ("GEN",),
    notes: str = "",
) -> CatalogRow:
    """The catalog row for ``entry`` as ``provider`` offers it under ``model``."""
    parameters = set(entry.supported_parameters)
    return CatalogRow(
        provider=provider,
        model=model,
        model_name=entry.name,
        family=family,
        components=tuple(components),
        pricing_prompt=entry.prompt,
        pricing_completion=entry.completion,
        pricing_cache_read=entry.cache_read,
        pricing_cache_write=entry.cache_write,
        pricing_unknown=entry.pricing_unknown,
        context_length=entry.context_length,
        max_output_tokens=entry.max_completion_tokens,
        modality=entry.modality,
        input_modalities=entry.input_modalities,
        output_modalities=entry.output_modalities,
        supports_vision="image" in entry.input_modalities,
        supports_tools="tools" in parameters,
        supports_reasoning=bool(parameters & {"reasoning", "include_reasoning"}),
        base_url=base_url,
        notes=notes,
        source=source,
    )
