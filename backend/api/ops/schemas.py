"""Bodies of the health and readiness answers."""

from __future__ import annotations

from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok"})
    database = fields.String(required=True, metadata={"description": "ok"})


class ReadinessSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ready"})
    version = fields.String(required=True, metadata={"description": "the catalog version in force"})
