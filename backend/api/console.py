"""Serving the web console: the single-page app, its modules, and its npm dependencies.

Only known console paths serve the page, so a mistyped API path still gets a JSON 404.
Every console response carries a strict Content-Security-Policy: scripts and styles from this
origin only, no inline script, no eval.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re

from flask import Blueprint, send_from_directory
from werkzeug.exceptions import NotFound

from backend.config import PROJECT_ROOT

FRONTEND = PROJECT_ROOT / "frontend"
NODE_MODULES = FRONTEND / "node_modules"
# npm packages the console (and the API docs page) may load, and nothing else from node_modules.
VENDORED_PACKAGES = ("htm", "preact", "swagger-ui-dist")
# Client-side routes of the single-page app.
CONSOLE_ROUTES = ["/", "/admin", "/admin/", "/admin/providers", "/admin/providers/<int:provider_id>",
                  "/admin/models", "/admin/models/<slug>", "/admin/usage"]

_IMPORT_MAP = re.compile(rb'<script type="importmap">(.*?)</script>', re.S)


@functools.cache
def content_security_policy() -> str:
    """Scripts from this origin only; the page's import map is allowed by its hash, not inline."""
    match = _IMPORT_MAP.search((FRONTEND / "index.html").read_bytes())
    import_map = (
        f" 'sha256-{base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()}'"
        if match else ""
    )
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self'{import_map}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])

console = Blueprint("console", __name__)


def _with_security_headers(response):
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def index(**_path_args):
    response = send_from_directory(FRONTEND, "index.html", max_age=0)
    return _with_security_headers(response)


def register_console_route(rule: str) -> None:
    """Serve the console page at ``rule`` (a client-side route of the app)."""
    console.add_url_rule(rule, f"page:{rule}", index)


for _rule in CONSOLE_ROUTES:
    register_console_route(_rule)


@console.route("/static/<path:filename>")
def static_module(filename: str):
    return _with_security_headers(send_from_directory(FRONTEND / "src", filename, max_age=0))


@console.route("/vendor/<package>/<path:filename>")
def vendor_module(package: str, filename: str):
    if package not in VENDORED_PACKAGES:
        raise NotFound()
    return send_from_directory(NODE_MODULES / package, filename, max_age=3600)
