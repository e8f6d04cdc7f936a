"""Serving the web console: the single-page app, its modules, and its npm dependencies.

Only known console paths serve the page, so a mistyped API path still gets a JSON 404.
Every console response carries a strict Content-Security-Policy: scripts and styles from this
origin only, no inline script, no eval, and Trusted Types with no policy (no string ever reaches
an HTML or script sink). The API docs page (flask-smorest's Swagger UI page at
``/api/docs``) gets its own policy: the same, plus its one inline start-up script by hash.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re

from flask import Blueprint, request, send_from_directory
from werkzeug.exceptions import NotFound

from backend.config import PROJECT_ROOT

FRONTEND = PROJECT_ROOT / "frontend"
NODE_MODULES = FRONTEND / "node_modules"
# npm packages the console (and the API docs page) may load, and nothing else from node_modules.
VENDORED_PACKAGES = ("htm", "preact", "swagger-ui-dist")
# Client-side routes of the single-page app.
CONSOLE_ROUTES = ["/", "/admin", "/admin/", "/admin/providers", "/admin/providers/<int:provider_id>",
                  "/admin/models", "/admin/models/<slug>", "/admin/usage", "/admin/settings"]

_IMPORT_MAP = re.compile(rb'<script type="importmap">(.*?)</script>', re.S)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def _script_hash(source: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(source).digest()).decode()}'"


def _policy(script_src: str, *extra: str) -> str:
    """Everything from this origin only, scripts as ``script_src`` allows, nothing framed."""
    return "; ".join([
        "default-src 'self'",
        f"script-src {script_src}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        *extra,
    ])


@functools.cache
def content_security_policy() -> str:
    """Scripts from this origin only; the page's import map is allowed by its hash, not inline."""
    match = _IMPORT_MAP.search((FRONTEND / "index.html").read_bytes())
    import_map = f" {_script_hash(match.group(1))}" if match else ""
    # The console never parses strings into DOM or code (Preact sets text and properties),
    # so every string-to-script or string-to-HTML sink is refused outright.
    return _policy(f"'self'{import_map}", "require-trusted-types-for 'script'", "trusted-types 'none'")


@functools.cache
def api_docs_security_policy(page: bytes) -> str:
    """Swagger UI from /vendor, its page's inline start-up script allowed by hash, and no more."""
    scripts = " ".join(_script_hash(source) for source in _INLINE_SCRIPT.findall(page))
    return _policy(f"'self' {scripts}".rstrip())


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


@console.after_app_request
def _secure_api_docs_page(response):
    if request.blueprint == "api-docs" and response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = api_docs_security_policy(response.get_data())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@console.route("/favicon.ico")
def favicon():
    """No icon: the console declares none, and the docs page's browser request gets a quiet 204."""
    return "", 204


@console.route("/static/<path:filename>")
def static_module(filename: str):
    return _with_security_headers(send_from_directory(FRONTEND / "src", filename, max_age=0))


@console.route("/vendor/<package>/<path:filename>")
def vendor_module(package: str, filename: str):
    if package not in VENDORED_PACKAGES:
        raise NotFound()
    return send_from_directory(NODE_MODULES / package, filename, max_age=3600)
