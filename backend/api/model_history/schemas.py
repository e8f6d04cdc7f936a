"""Schemas of a catalog row's history and of the point-in-time row lookup."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import marshmallow as ma
from marshmallow import fields

from backend.api.fields import UtcDateTime


class InstantField(fields.Field):
    """An ISO date (its end, UTC) or an ISO date-time (UTC unless it names an offset)."""

    default_error_messages = {"invalid": "must be an ISO date (2026-08-15) or date-time"}

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        text = str(value).strip()
        try:
            if len(text) == 10:
                return datetime.combine(date.fromisoformat(text), time(23, 59, 59))
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise self.make_error("invalid") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment


class RowAtArgsSchema(ma.Schema):
    at = InstantField(metadata={
        "description": "the values in force then: an ISO date (end of that day, UTC) or date-time"})


class HistoryChangeSchema(ma.Schema):
    field = fields.String()
    before = fields.String(allow_none=True)
    after = fields.String(allow_none=True)
    per_1m = fields.Boolean(metadata={"description": "a price, shown exactly per 1M tokens"})


class HistoryVersionSchema(ma.Schema):
    version = fields.String()
    changed_at = UtcDateTime()
    changes = fields.List(fields.Nested(HistoryChangeSchema))


class HistorySchema(ma.Schema):
    provider = fields.String()
    model = fields.String()
    first_seen_at = UtcDateTime()
    versions = fields.List(fields.Nested(HistoryVersionSchema))
