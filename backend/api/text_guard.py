"""NUL characters stop at the door: no name, id, search term or stored text may hold one.

PostgreSQL text cannot hold NUL (psycopg2 refuses the whole query), and nothing in this API has a
use for it. A path segment holding one names nothing (404); a query argument holding one is
invalid (422); a JSON body holding one anywhere, keys included, is invalid (422, from the parser in
``extensions``). Checked once here rather than in each route, so a route added later is covered.
"""

from __future__ import annotations

from flask import Flask, request
from flask_smorest import abort

NUL = "\x00"
NUL_MESSAGE = "must not contain NUL characters"


def holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


def install_nul_guard(app: Flask) -> None:
    @app.before_request
    def refuse_nul():
        if holds_nul(list((request.view_args or {}).values())):
            abort(404, message="nothing here has a NUL character in its name")
        names = sorted({name.replace(NUL, "\\0") for name, value in request.args.items(multi=True)
                        if NUL in name or NUL in value})
        if names:
            abort(422, message=f"query arguments {NUL_MESSAGE}",
                  errors={"query": {name: [NUL_MESSAGE] for name in names}})
