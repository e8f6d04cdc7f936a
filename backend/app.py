"""The application factory: config -> database -> Api -> blueprints. Nothing runs at import."""

from __future__ import annotations

import logging

import peewee
from flask import Flask, g

from backend.api.catalog_admin.routes import blp as catalog_admin_blp
from backend.api.catalog_feed.routes import blp as catalog_feed_blp
from backend.api.console import console
from backend.api.converters import DatabaseIdConverter
from backend.api.extensions import Api
from backend.api.facades.access import blp as access_blp
from backend.api.facades.routes import blp as facades_blp
from backend.api.fast_reads import install_fast_reads
from backend.api.gateway.routes import blp as gateway_blp
from backend.api.json import ExactJSONProvider
from backend.api.model_history.routes import blp as model_history_blp
from backend.api.model_sync.routes import blp as model_sync_blp
from backend.api.models.routes import blp as models_blp
from backend.api.ops.metrics import install_request_metrics
from backend.api.ops.routes import blp as ops_blp
from backend.api.providers.routes import blp as providers_blp
from backend.api.ratelimit import install_rate_limiting
from backend.api.text_guard import install_nul_guard
from backend.api.validate.routes import blp as validate_blp
from backend.cli import db_upgrade_command, rotate_kek_command
from backend.config import Config
from backend.crypto.keyring import load_keyring
from backend.errors import CatalogError
from backend.logs import configure_logging
from backend.services.bootstrap import prepare_database
from backend.services.catalog_reads import CatalogReader
from backend.store.db import bind_database, db

API_BLUEPRINTS = [models_blp, ops_blp, providers_blp, facades_blp, access_blp, validate_blp,
                  model_history_blp, catalog_admin_blp, catalog_feed_blp, model_sync_blp]

log = logging.getLogger(__name__)


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    configure_logging(config.log_level)
    keyring = load_keyring(config)  # fails fast on a missing or malformed KEK
    app = Flask(__name__, static_folder=None)
    app.json = ExactJSONProvider(app)
    app.url_map.converters["int"] = DatabaseIdConverter  # before any route is added
    app.config.update(
        CATALOG=config,
        API_TITLE="Model Catalog",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/vendor/swagger-ui-dist/",
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    database = bind_database(config.database_url)
    with database.connection_context():
        prepare_database(config)
    app.extensions["catalog_reader"] = CatalogReader(version_ttl=config.catalog_version_check_seconds)
    app.extensions["keyring"] = keyring
    install_request_metrics(app)
    _register_request_hooks(app)
    install_rate_limiting(app, config)
    install_nul_guard(app)
    _register_error_handlers(app)
    api = Api(app)
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(console)
    app.register_blueprint(gateway_blp)  # OpenAI-shaped, outside the documented API
    install_fast_reads(app)  # the polled catalog URLs, answered in front of Flask
    app.cli.add_command(rotate_kek_command)
    app.cli.add_command(db_upgrade_command)
    return app


def _register_request_hooks(app: Flask) -> None:
    # A request connects on its first query (a cached catalog read makes none: no pool check-out,
    # no liveness round trip) and closes only a connection it opened itself (a CLI command or a
    # test may hold one).
    @app.before_request
    def note_open_connection():
        g.db_connection_was_open = not db.is_closed()

    @app.teardown_request
    def close_connection(exc):
        if not g.pop("db_connection_was_open", True) and not db.is_closed():
            db.close()


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(peewee.OperationalError)
    @app.errorhandler(peewee.InterfaceError)
    def handle_database_unavailable(error):
        log.error("database unavailable: %s", type(error).__name__)
        return {"code": 503, "status": "Service Unavailable",
                "message": "the database is unavailable; try again shortly"}, 503

    @app.errorhandler(CatalogError)
    def handle_domain_error(error: CatalogError):
        status = error.http_status
        names = {404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity",
                 502: "Bad Gateway"}
        payload = {"code": status, "status": names.get(status, "Internal Server Error"),
                   "message": error.message}
        if error.errors:
            payload["errors"] = error.errors
        if status >= 500 and status != 502:
            log.error("unhandled domain error: %s", error.message)
        return payload, status
