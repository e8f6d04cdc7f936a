"""Usage and spend: one row per routed request, and the admin's aggregates over them.

Cost is exact: tokens times the Provider Model's USD price per token (its per-1M price / 1e6), as a
``Decimal``. When a needed price or a token count is unknown the cost is NULL and flagged
``cost_unknown`` — never zero. Aggregates sum in Python with ``Decimal`` so they are exact on
SQLite (whose SUM would go through floats) as on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from backend.errors import Invalid
from backend.store.facade_tables import ClientKey, Facade, UsageRecord
from backend.store.tables import Provider

MILLION = Decimal(1_000_000)
GROUPINGS = ("facade", "provider", "key", "day")


def request_cost(input_tokens: int | None, output_tokens: int | None,
                 input_per_1m: Decimal | None, output_per_1m: Decimal | None) -> Decimal | None:
    """USD for one request, or None when a count or a price it needs is unknown."""
    if input_tokens is None or output_tokens is None:
        return None
    total = Decimal(0)
    for tokens, price in ((input_tokens, input_per_1m), (output_tokens, output_per_1m)):
        if tokens == 0:
            continue
        if price is None:
            return None
        total += tokens * price / MILLION
    return total


@dataclass(frozen=True)
class UsageEntry:
    """What the gateway knows about one routed request when it is done."""

    facade: Facade
    endpoint: str
    status: int
    latency_ms: int
    attempts: int
    streamed: bool = False
    client_key: ClientKey | None = None
    backend_id: int | None = None
    provider: Provider | None = None
    upstream_model_id: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    prices_per_1m: tuple[Decimal | None, Decimal | None] = (None, None)
    error: str | None = None


def record_usage(entry: UsageEntry) -> UsageRecord:
    served = 200 <= entry.status < 300
    cost = request_cost(entry.input_tokens, entry.output_tokens, *entry.prices_per_1m) \
        if served else None
    return UsageRecord.create(
        facade=entry.facade.id, facade_slug=entry.facade.slug,
        backend=entry.backend_id,
        provider=entry.provider.id if entry.provider else None,
        provider_slug=entry.provider.slug if entry.provider else None,
        upstream_model_id=entry.upstream_model_id,
        client_key=entry.client_key.id if entry.client_key else None,
        client_key_name=entry.client_key.name if entry.client_key else None,
        endpoint=entry.endpoint, streamed=entry.streamed, status=entry.status,
        latency_ms=entry.latency_ms, attempts=entry.attempts,
        input_tokens=entry.input_tokens, output_tokens=entry.output_tokens,
        cost=cost, cost_unknown=served and cost is None,
        error=entry.error[:1000] if entry.error else None,
    )


def _group_label(record: UsageRecord, group_by: str) -> str:
    if group_by == "facade":
        return record.facade_slug
    if group_by == "provider":
        return record.provider_slug or "(none)"
    if group_by == "key":
        return record.client_key_name or "(deleted key)"
    return record.created_at.date().isoformat()


def _empty_group(label: str) -> dict:
    return {"key": label, "requests": 0, "errors": 0, "input_tokens": 0, "output_tokens": 0,
            "spend": Decimal(0), "unknown_cost_requests": 0}


def _add(group: dict, record: UsageRecord) -> None:
    group["requests"] += 1
    if not 200 <= record.status < 300:
        group["errors"] += 1
    group["input_tokens"] += record.input_tokens or 0
    group["output_tokens"] += record.output_tokens or 0
    if record.cost is not None:
        group["spend"] += record.cost
    if record.cost_unknown:
        group["unknown_cost_requests"] += 1


def usage_report(group_by: str, start: date | None = None, end: date | None = None) -> dict:
    """Requests, tokens and spend per facade, provider, key or day; ``end`` is inclusive."""
    if group_by not in GROUPINGS:
        raise Invalid(f"group_by must be one of {', '.join(GROUPINGS)}",
                      errors={"group_by": [f"must be one of {', '.join(GROUPINGS)}"]})
    if start and end and start > end:
        raise Invalid("from must not be after to", errors={"from": ["is after to"]})
    query = UsageRecord.select().order_by(UsageRecord.created_at)
    if start:
        query = query.where(UsageRecord.created_at >= datetime.combine(start, time.min))
    if end:
        query = query.where(UsageRecord.created_at < datetime.combine(end + timedelta(days=1),
                                                                      time.min))
    groups: dict[str, dict] = {}
    totals = _empty_group("total")
    for record in query.iterator():
        label = _group_label(record, group_by)
        _add(groups.setdefault(label, _empty_group(label)), record)
        _add(totals, record)
    ordered = sorted(groups.values(), key=lambda g: g["key"])
    return {"group_by": group_by, "start": start, "end": end, "groups": ordered, "totals": totals}
