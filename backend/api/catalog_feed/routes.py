"""``/api/catalog/feed``: this instance's catalog as a signed feed, for other instances to consume.

The body is served as exact bytes (the signature covers bytes, not JSON), with a detached
Ed25519 signature at ``/api/catalog/feed.sig``. Both are 404 unless a signing key is configured.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask.views import MethodView

from backend.api.extensions import Blueprint
from backend.services.remote_feed import FeedPublisher, SignedFeed

blp = Blueprint(
    "catalog_feed", __name__, url_prefix="/api/catalog",
    description="The catalog as a signed feed (Ed25519, detached signature).",
)

def _current_feed() -> SignedFeed:
    publisher = current_app.extensions.setdefault("catalog_feed", FeedPublisher())
    return publisher.current(current_app.config["CATALOG"])


def _exact(body: bytes, etag: str) -> Response:
    response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


@blp.route("/feed")
class CatalogFeed(MethodView):
    @blp.response(200, description="The catalog document with `expires`, as signed")
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """The current catalog as a signed feed (exact bytes)"""
        feed = _current_feed()
        return _exact(feed.body, f"feed-{feed.version}")


@blp.route("/feed.sig")
class CatalogFeedSignature(MethodView):
    @blp.response(200, description='{"algorithm": "ed25519", "key_id": …, "signature": …}')
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """The detached Ed25519 signature over the feed's exact bytes"""
        feed = _current_feed()
        return _exact(feed.signature, f"sig-{feed.version}")
