"""URL converters: ``<int:…>`` bounded to what a database id column can hold.

Both databases store ids and counts as 32-bit ``INTEGER`` on PostgreSQL (64-bit on SQLite), so a
larger number in a path can never name a row: it is answered 404 by the router, before a query
that would overflow (``integer out of range``, ``Python int too large``) is built.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_DATABASE_INT = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_INT)
        super().__init__(map, *args, **kwargs)
