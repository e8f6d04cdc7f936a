"""The guard phase: hold back a run that looks like an upstream accident rather than news."""

from __future__ import annotations

from dataclasses import dataclass

from backend.catalog.diff import CatalogDiff


@dataclass(frozen=True)
class GuardVerdict:
    held: bool
    reason: str | None = None


PASS = GuardVerdict(held=False)


def guard_diff(diff: CatalogDiff, *, fetched: int, max_deprecate_ratio: float) -> GuardVerdict:
    """Hold back an empty fetch, or one that would deprecate too large a share of active rows."""
    if fetched == 0:
        return GuardVerdict(True, "upstream returned zero models")
    if diff.scope_active and diff.deprecated:
        ratio = len(diff.deprecated) / diff.scope_active
        if ratio > max_deprecate_ratio:
            return GuardVerdict(
                True,
                f"would deprecate {len(diff.deprecated)} of {diff.scope_active} active models "
                f"({ratio:.0%} > {max_deprecate_ratio:.0%}); re-run with force to apply",
            )
    return PASS
