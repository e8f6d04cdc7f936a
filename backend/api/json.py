"""Flask's JSON provider, replaced so every response encodes decimals exactly (orjson)."""

from __future__ import annotations

import json
from decimal import Decimal

from flask.json.provider import JSONProvider

from backend.catalog.document import encode_json


class ExactJSONProvider(JSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        return encode_json(obj).decode()

    def loads(self, s, **kwargs):
        return json.loads(s, parse_float=Decimal)

    def response(self, *args, **kwargs):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(encode_json(obj), mimetype="application/json")
