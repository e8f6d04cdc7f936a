"""``/api/admin/client-keys`` and ``/api/admin/usage``: who may call the gateway, and what it cost."""

from __future__ import annotations

from flask.views import MethodView

from backend.api.extensions import Blueprint
from backend.api.facades.schemas import (
    ClientKeyCreateSchema,
    ClientKeySchema,
    GrantsSchema,
    IssuedKeySchema,
    UsageArgsSchema,
    UsageReportSchema,
)
from backend.services import client_keys
from backend.services.usage import usage_report

blp = Blueprint(
    "access", __name__, url_prefix="/api/admin",
    description="Client API keys of the gateway, their access grants, and usage and spend.",
)


@blp.route("/client-keys")
class ClientKeys(MethodView):
    @blp.admin_required
    @blp.response(200, ClientKeySchema(many=True))
    def get(self):
        """Client keys, newest first (never their tokens)"""
        return [client_keys.key_view(key) for key in client_keys.list_client_keys()]

    @blp.admin_required
    @blp.arguments(ClientKeyCreateSchema)
    @blp.response(201, IssuedKeySchema)
    def post(self, values):
        """Create a client key; the token is in this response only"""
        issued = client_keys.create_client_key(values["name"], values["facades"])
        return {**client_keys.key_view(issued.key), "token": issued.token}


@blp.route("/client-keys/<int:key_id>/revoke")
class ClientKeyRevoke(MethodView):
    @blp.admin_required
    @blp.response(200, ClientKeySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, key_id):
        """Revoke a client key"""
        return client_keys.key_view(client_keys.revoke_client_key(key_id))


@blp.route("/client-keys/<int:key_id>/grants")
class ClientKeyGrants(MethodView):
    @blp.admin_required
    @blp.arguments(GrantsSchema)
    @blp.response(200, ClientKeySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def put(self, values, key_id):
        """Limit a key to some facades (access grants), or lift the limit with null"""
        return client_keys.key_view(client_keys.set_grants(key_id, values["facades"]))


@blp.route("/usage")
class Usage(MethodView):
    @blp.admin_required
    @blp.arguments(UsageArgsSchema, location="query")
    @blp.response(200, UsageReportSchema)
    def get(self, args):
        """Requests, tokens and spend by facade, provider, key or day (`from`/`to` inclusive)"""
        return usage_report(args["group_by"], args["start"], args["end"])
