"""The normalized catalog row, and its one serialized shape (the API's and the catalog file's).

Every source transforms its upstream payload into ``CatalogRow`` values; the diff compares them;
the store persists them; the API and the canonical file serialize them with ``row_to_document``.
``row_from_document`` is its exact inverse, so a catalog file round-trips byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from backend.errors import Invalid

COMPONENT_TYPES = ("GEN", "EMB", "RERANK")
FAMILIES = {"gen": "GEN", "emb": "EMB", "rerank": "RERANK"}
UNITS = {"1k_tokens": Decimal(1_000), "1m_tokens": Decimal(1_000_000)}
PER_1K = Decimal(1_000)
PER_1M = Decimal(1_000_000)

RowKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """A model as one provider offers it. Prices are exact USD per token; None means unknown."""

    provider: str
    model: str
    model_name: str
    family: str
    components: tuple[str, ...]
    unit: str = "1m_tokens"
    pricing_prompt: Decimal | None = None
    pricing_completion: Decimal | None = None
    pricing_cache_read: Decimal | None = None
    pricing_cache_write: Decimal | None = None
    pricing_unknown: bool = False
    context_length: int | None = None
    max_output_tokens: int | None = None
    modality: str | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    supports_streaming: bool = True
    supports_vision: bool = False
    supports_tools: bool = False
    supports_reasoning: bool = False
    base_url: str | None = None
    notes: str = ""
    deprecated_on: date | None = None
    source: str = ""

    @property
    def key(self) -> RowKey:
        return (self.provider, self.model)

    @property
    def is_active(self) -> bool:
        return self.deprecated_on is None

    def changed_fields(self, other: CatalogRow) -> dict[str, tuple[object, object]]:
        """Field name -> (self's value, other's value) for every field that differs."""
        return {
            name: (getattr(self, name), getattr(other, name))
            for name in COMPARED_FIELDS
            if getattr(self, name) != getattr(other, name)
        }

    def deprecated(self, on: date) -> CatalogRow:
        return replace(self, deprecated_on=on)


COMPARED_FIELDS = tuple(f.name for f in fields(CatalogRow) if f.name not in ("provider", "model"))
PRICE_FIELDS = ("pricing_prompt", "pricing_completion", "pricing_cache_read", "pricing_cache_write")


def parse_price(value: object, *, field: str) -> Decimal | None:
    """An exact, non-negative decimal from an upstream string or number; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Invalid(f"{field}: price must be a number", errors={field: ["not a number"]})
    try:
        # str() of a float is its shortest round-tripping repr, so 0.0003 stays 0.0003.
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Invalid(f"{field}: {value!r} is not a price", errors={field: ["not a number"]}) from None
    if not price.is_finite():
        raise Invalid(f"{field}: price must be finite", errors={field: ["not finite"]})
    if price < 0:
        raise Invalid(f"{field}: price must not be negative", errors={field: ["negative"]})
    return price.normalize()


def scaled(per_token: Decimal | None, factor: Decimal) -> Decimal | None:
    return None if per_token is None else (per_token * factor).normalize()


def row_to_document(row: CatalogRow) -> dict:
    """The served shape of a row: per-1k and per-1M views of the exact per-token prices."""
    return {
        "provider": row.provider,
        "model": row.model,
        "model_name": row.model_name,
        "family": row.family,
        "components": list(row.components),
        "unit": row.unit,
        "input_per_1k": scaled(row.pricing_prompt, PER_1K),
        "output_per_1k": scaled(row.pricing_completion, PER_1K),
        "input_per_1m": scaled(row.pricing_prompt, PER_1M),
        "output_per_1m": scaled(row.pricing_completion, PER_1M),
        "cache_read_per_1m": scaled(row.pricing_cache_read, PER_1M),
        "cache_write_per_1m": scaled(row.pricing_cache_write, PER_1M),
        "pricing_unknown": row.pricing_unknown,
        "context": row.context_length,
        "max_output_tokens": row.max_output_tokens,
        "modality": row.modality,
        "input_modalities": list(row.input_modalities),
        "output_modalities": list(row.output_modalities),
        "capabilities": {
            "streaming": row.supports_streaming,
            "vision": row.supports_vision,
            "tools": row.supports_tools,
            "reasoning": row.supports_reasoning,
        },
        "base_url": row.base_url,
        "notes": row.notes,
        "deprecated": row.deprecated_on is not None,
        "deprecated_on": row.deprecated_on.isoformat() if row.deprecated_on else None,
        "source": row.source,
    }


def row_from_document(doc: dict) -> CatalogRow:
    """Inverse of ``row_to_document`` (used to load a catalog file)."""

    def per_token(name: str) -> Decimal | None:
        value = parse_price(doc.get(name), field=name)
        return None if value is None else (value / PER_1M).normalize()

    caps = doc.get("capabilities") or {}
    deprecated_on = doc.get("deprecated_on")
    return CatalogRow(
        provider=doc["provider"],
        model=doc["model"],
        model_name=doc.get("model_name") or doc["model"],
        family=doc["family"],
        components=tuple(doc["components"]),
        unit=doc.get("unit", "1m_tokens"),
        pricing_prompt=per_token("input_per_1m"),
        pricing_completion=per_token("output_per_1m"),
        pricing_cache_read=per_token("cache_read_per_1m"),
        pricing_cache_write=per_token("cache_write_per_1m"),
        pricing_unknown=bool(doc.get("pricing_unknown", False)),
        context_length=doc.get("context"),
        max_output_tokens=doc.get("max_output_tokens"),
        modality=doc.get("modality"),
        input_modalities=tuple(doc.get("input_modalities") or ()),
        output_modalities=tuple(doc.get("output_modalities") or ()),
        supports_streaming=bool(caps.get("streaming", True)),
        supports_vision=bool(caps.get("vision", False)),
        supports_tools=bool(caps.get("tools", False)),
        supports_reasoning=bool(caps.get("reasoning", False)),
        base_url=doc.get("base_url"),
        notes=doc.get("notes") or "",
        deprecated_on=date.fromisoformat(deprecated_on) if deprecated_on else None,
        source=doc.get("source") or "",
    )


def sort_key(row: CatalogRow) -> RowKey:
    return row.key
