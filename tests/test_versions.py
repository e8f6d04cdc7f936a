"""Catalog versions are dated, strictly increasing, and survive a clock that goes backwards."""

from datetime import date

import pytest

from backend.catalog.versions import is_newer, next_version, version_key
from backend.errors import Invalid


def test_the_first_version_of_a_day_is_the_date():
    assert next_version(None, date(2026, 8, 18)) == "2026.08.18"
    assert next_version("2026.08.17.3", date(2026, 8, 18)) == "2026.08.18"


def test_later_versions_the_same_day_count_up():
    assert next_version("2026.08.18", date(2026, 8, 18)) == "2026.08.18.1"
    assert next_version("2026.08.18.1", date(2026, 8, 18)) == "2026.08.18.2"


def test_a_clock_behind_the_last_version_still_increases():
    assert next_version("2026.08.18.4", date(2026, 8, 1)) == "2026.08.18.5"


def test_ordering_is_numeric_not_lexical():
    assert is_newer("2026.08.18.10", "2026.08.18.9")
    assert not is_newer("2026.08.18", "2026.08.18.1")
    assert is_newer("2026.08.18", None)


@pytest.mark.parametrize("bad", ["2026-08-18", "2026.13.01", "2026.02.30", "v1", ""])
def test_malformed_versions_are_invalid(bad):
    with pytest.raises(Invalid):
        version_key(bad)
