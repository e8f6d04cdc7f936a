"""flask-smorest, subclassed once: our Api, our Blueprint, and the exact-decimal JSON parser.

Request bodies are parsed with ``parse_float=Decimal`` so a price never passes through a float,
and ``NaN``/``Infinity`` are rejected as invalid JSON; a NUL character anywhere in a body is a 422.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal

import flask_smorest
from marshmallow import ValidationError, missing
from webargs.flaskparser import FlaskParser, is_json_request

from backend.api.auth import require_admin
from backend.api.ratelimit import mark_admin_route
from backend.api.text_guard import NUL_MESSAGE, holds_nul


class ExactJSONParser(FlaskParser):
    """webargs' Flask parser, reading JSON numbers as exact decimals."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        text = req.get_data(cache=True).decode("utf-8")

        def reject_constant(name: str):
            raise json.JSONDecodeError(f"{name} is not valid JSON", text, 0)

        body = json.loads(text, parse_float=Decimal, parse_constant=reject_constant)
        if holds_nul(body):
            raise ValidationError({"_body": [f"text {NUL_MESSAGE}"]})
        return body


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ExactJSONParser()

    def arguments(self, schema, *, location="json", **kwargs):
        """flask-smorest's, also documenting the 400 a JSON body that does not parse answers."""
        document = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return document

        def decorator(func):
            wrapper = document(func)
            wrapper._apidoc["arguments"]["responses"][400] = "BAD_REQUEST"
            return wrapper

        return decorator

    def admin_required(self, func):
        """Require ``Authorization: Bearer $ADMIN_API_KEY`` under the admin rate limit; documents
        the 401, the 429 and the scheme."""

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            require_admin()
            return func(*args, **kwargs)

        wrapper = mark_admin_route(wrapper)
        wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
        wrapper = self.alt_response(429, response="TOO_MANY_REQUESTS")(wrapper)
        return self.doc(security=[{"AdminKey": []}])(wrapper)


class Api(flask_smorest.Api):
    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        self.spec.components.security_scheme(
            "AdminKey",
            {"type": "http", "scheme": "bearer", "description": "The ADMIN_API_KEY"},
        )
