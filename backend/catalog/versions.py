"""Catalog version strings: ``YYYY.MM.DD``, then ``YYYY.MM.DD.N`` for later versions that day.

Versions are strictly increasing even if the clock goes backwards: the next version is never
dated before the last one.
"""

from __future__ import annotations

import re
from datetime import date

from backend.errors import Invalid

VERSION_PATTERN = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})(?:\.(\d{1,6}))?$")

VersionKey = tuple[int, int, int, int]


def version_key(version: str) -> VersionKey:
    match = VERSION_PATTERN.match(version)
    if not match:
        raise Invalid(f"{version!r} is not a catalog version (YYYY.MM.DD or YYYY.MM.DD.N)")
    year, month, day, serial = match.groups()
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        raise Invalid(f"{version!r} is not a calendar date") from None
    return (int(year), int(month), int(day), int(serial or 0))


def is_newer(candidate: str | None, than: str | None) -> bool:
    if candidate is None:
        return False
    return than is None or version_key(candidate) > version_key(than)


def next_version(last: str | None, today: date) -> str:
    """The version that follows ``last`` when written on ``today``."""
    base = today.strftime("%Y.%m.%d")
    if last is None:
        return base
    year, month, day, serial = version_key(last)
    last_day = date(year, month, day)
    if today > last_day:
        return base
    return f"{last_day.strftime('%Y.%m.%d')}.{serial + 1}"
