"""The decide phase is pure: rows in, a field-level diff out, nothing touched."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from backend.catalog.diff import diff_catalog
from backend.catalog.guard import guard_diff
from backend.catalog.rows import CatalogRow

TODAY = date(2026, 8, 18)


def row(model, price="0.000001", provider="groq"):
    return CatalogRow(provider, model, model, "gen", ("GEN",), pricing_prompt=Decimal(price))


def test_it_sorts_rows_into_new_updated_deprecated_and_unchanged():
    stored = {r.key: r for r in [row("a"), row("b"), row("c")]}
    candidate = [row("a"), row("b", "0.000002"), row("d")]
    diff = diff_catalog(candidate, stored, base_version="v", today=TODAY)
    assert [r.model for r in diff.new] == ["d"]
    assert [(c.key, c.fields) for c in diff.updated] == [
        (("groq", "b"), {"pricing_prompt": (Decimal("0.000001"), Decimal("0.000002"))})
    ]
    assert [c.after.deprecated_on for c in diff.deprecated] == [TODAY]
    assert diff.unchanged == 1


def test_rows_out_of_scope_are_never_deprecated():
    stored = {r.key: r for r in [row("a"), row("x", provider="openai")]}
    diff = diff_catalog([row("a")], stored, base_version=None, today=TODAY,
                        in_scope=lambda r: r.provider == "groq")
    assert diff.is_empty


def test_an_already_deprecated_row_is_not_deprecated_again():
    gone = replace(row("a"), deprecated_on=date(2026, 1, 1))
    diff = diff_catalog([], {gone.key: gone}, base_version=None, today=TODAY)
    assert diff.is_empty


def test_duplicate_ids_in_one_payload_keep_the_first():
    diff = diff_catalog([row("a"), row("a", "0.5")], {}, base_version=None, today=TODAY)
    assert [r.pricing_prompt for r in diff.new] == [Decimal("0.000001")]
    assert diff.duplicates == (("groq", "a"),)


def test_the_guard_holds_back_an_empty_fetch_and_a_mass_deprecation():
    stored = {r.key: r for r in [row("a"), row("b"), row("c")]}
    mass = diff_catalog([row("a")], stored, base_version=None, today=TODAY)
    assert guard_diff(mass, fetched=1, max_deprecate_ratio=0.5).held
    assert not guard_diff(mass, fetched=1, max_deprecate_ratio=0.7).held
    empty = diff_catalog([], stored, base_version=None, today=TODAY)
    assert guard_diff(empty, fetched=0, max_deprecate_ratio=1).reason == "upstream returned zero models"
