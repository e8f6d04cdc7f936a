"""Column types peewee does not ship: exact prices and small JSON documents."""

from __future__ import annotations

import json
from decimal import Decimal

from peewee import Field, TextField


def format_decimal(value: Decimal) -> str:
    """Fixed-point text with no exponent and no trailing zeros: Decimal('2.5E-7') -> '0.00000025'."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class PriceField(Field):
    """An exact decimal: TEXT on SQLite, NUMERIC on PostgreSQL, ``Decimal`` in Python."""

    field_type = "PRICE"

    def db_value(self, value):
        if value is None:
            return None
        return format_decimal(Decimal(value))

    def python_value(self, value):
        if value is None:
            return None
        return Decimal(value).normalize() if not isinstance(value, Decimal) else value.normalize()


class JSONTextField(TextField):
    """A JSON document kept as text, so it behaves the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def python_value(self, value):
        if value is None:
            return None
        return json.loads(value)
