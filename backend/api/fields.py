"""Marshmallow fields shared by the API's schemas."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """A date-time the store keeps as naive UTC, served with its offset (RFC 3339 ``date-time``).

    Without it a stored ``2026-08-01 03:00`` would go out as ``2026-08-01T03:00:00``, which the
    OpenAPI format does not allow and which a browser reads as local time.
    """

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
