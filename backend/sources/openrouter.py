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

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import orjson

from backend.catalog.rows import CatalogRow, parse_price
from backend.errors import Invalid, UpstreamError
from backend.sources.base import MAX_PRICE_PER_TOKEN, MIN_PRICE_EXPONENT
from backend.sources.http import UpstreamClient

VARIABLE_PRICE = Decimal(-1)
TEXT = "text"


# The messages below are the ones the feed's validation has always reported (they are stored in
# failed runs), one list of messages per field, nested per object, keyed by entry index.
MISSING = "Missing data for required field."
NULL = "Field may not be null."
NOT_TEXT = "Not a valid string."
NOT_INTEGER = "Not a valid integer."
NOT_LIST = "Not a valid list."
NOT_OBJECT = "Invalid input type."
MAX_ID_LENGTH = 300
PRICE_FIELDS = ("prompt", "completion", "input_cache_read", "input_cache_write")


class _Problems(dict):
    """Field name -> messages (a list, or a nested dict for an object or a list's items)."""

    def add(self, name: str, message: str) -> None:
        self[name] = [message]


def _text(value: object, name: str, problems: _Problems) -> str | None:
    if value is None or isinstance(value, str):
        return value
    problems.add(name, NOT_TEXT)
    return None


def _integer(value: object, name: str, problems: _Problems) -> int | None:
    # Strict: a JSON integer only; not a boolean, a float or a decimal with a zero fraction.
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    problems.add(name, NOT_INTEGER)
    return None


def _texts(value: object, name: str, problems: _Problems) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        problems.add(name, NOT_LIST)
        return None
    if {str}.issuperset(map(type, value)):
        return tuple(value)
    bad = {index: [NULL if part is None else NOT_TEXT]
           for index, part in enumerate(value) if not isinstance(part, str)}
    if bad:
        problems[name] = bad
        return None
    return tuple(value)


def _object(item: dict, name: str, problems: _Problems, *, required: bool) -> dict | None:
    """A nested object (None when absent or null and optional); {} after a reported problem."""
    value = item.get(name)
    if isinstance(value, dict):
        return value
    if value is None and not required:
        return None
    if value is None:
        problems.add(name, MISSING if name not in item else NULL)
    else:
        problems[name] = {"_schema": [NOT_OBJECT]}
    return {}


@functools.lru_cache(maxsize=4096)
def _text_price(value: str) -> Decimal | None:
    # Feeds repeat a few hundred distinct price strings across thousands of entries.
    return _checked_price(value)


def _checked_price(value: object) -> Decimal | None:
    """A per-token price string (or number); ``-1`` -> None (variable/unknown price).

    Raises ``ValueError`` with the field's message when it is not a plausible per-token price.
    """
    try:
        if not isinstance(value, bool) and Decimal(str(value).strip()) == VARIABLE_PRICE:
            return None
        price = parse_price(value, field="price")
    except (Invalid, ArithmeticError, ValueError):
        raise ValueError(f"{value!r:.40} is not a per-token price") from None
    if price and (price.adjusted() < MIN_PRICE_EXPONENT or price > MAX_PRICE_PER_TOKEN):
        raise ValueError(f"{value!r:.40} is out of range for a per-token price")
    return price


def _prices(pricing: dict, problems: _Problems) -> list[Decimal | None]:
    prices: list[Decimal | None] = []
    nested = _Problems()
    for name in PRICE_FIELDS:
        value = pricing.get(name)
        try:
            if value is None:
                prices.append(None)
            elif type(value) is str:
                prices.append(_text_price(value))
            else:
                prices.append(_checked_price(value))
        except ValueError as exc:
            nested.add(name, str(exc))
            prices.append(None)
    if nested:
        problems["pricing"] = nested
    return prices


def _validated_id(item: dict, problems: _Problems) -> str | None:
    if "id" not in item:
        problems.add("id", MISSING)
        return None
    value = item["id"]
    if value is None:
        problems.add("id", NULL)
    elif not isinstance(value, str):
        problems.add("id", NOT_TEXT)
    elif not 1 <= len(value) <= MAX_ID_LENGTH:
        problems.add("id", f"Length must be between 1 and {MAX_ID_LENGTH}.")
    else:
        return value
    return None


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


def _modalities(listed: tuple[str, ...] | None, modality: str | None, side: int) -> tuple[str, ...]:
    # Older payloads may carry only "modality" ("text+image->text"): side 0 is the input's.
    if listed is not None:
        return listed
    parts = (modality or "").partition("->")[::2][side]
    return tuple(part for part in parts.split("+") if part)


def _entry(item: object) -> OpenRouterModel | _Problems:
    """One feed entry, validated: the entry, or its problems by field."""
    if not isinstance(item, dict):
        return _Problems(_schema=[NOT_OBJECT])
    problems = _Problems()
    model_id = _validated_id(item, problems)
    name = _text(item.get("name"), "name", problems)
    context_length = _integer(item.get("context_length"), "context_length", problems)
    architecture = _object(item, "architecture", problems, required=True)
    nested = _Problems()
    modality = _text(architecture.get("modality"), "modality", nested)
    inputs = _texts(architecture.get("input_modalities"), "input_modalities", nested)
    outputs = _texts(architecture.get("output_modalities"), "output_modalities", nested)
    if nested:
        problems["architecture"] = nested
    prices = _prices(_object(item, "pricing", problems, required=True), problems)
    top = _object(item, "top_provider", problems, required=False) or {}
    nested = _Problems()
    top_context = _integer(top.get("context_length"), "context_length", nested)
    max_completion = _integer(top.get("max_completion_tokens"), "max_completion_tokens", nested)
    if nested:
        problems["top_provider"] = nested
    parameters = _texts(item.get("supported_parameters"), "supported_parameters", problems)
    if problems:
        return problems
    return OpenRouterModel(
        id=model_id,
        name=name or model_id,
        context_length=context_length if context_length is not None else top_context,
        max_completion_tokens=max_completion,
        modality=modality,
        input_modalities=_modalities(inputs, modality, 0),
        output_modalities=_modalities(outputs, modality, 1),
        prompt=prices[0],
        completion=prices[1],
        cache_read=prices[2],
        cache_write=prices[3],
        supported_parameters=parameters or (),
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
    entries = []
    errors = {}
    for index, item in enumerate(_entries_list(document)):
        entry = _entry(item)
        if isinstance(entry, _Problems):
            errors[index] = dict(entry)
        elif not errors:
            entries.append(entry)
    if errors:
        raise UpstreamError(
            f"OpenRouter models payload has malformed entries: {_summarize(errors)}",
            permanent=True,
            errors={str(key): value for key, value in errors.items()},
        )
    return entries


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
