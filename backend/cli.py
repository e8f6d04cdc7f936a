"""Flask CLI commands for operators: ``flask --app backend.app db-upgrade`` (and ``rotate-kek``).

``create_app`` already migrates at start-up; this command is for deployments that run migrations
as a separate step before rolling out replicas (a release phase, an init container).
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from backend.errors import CatalogError
from backend.jobs.locks import job_lock
from backend.services.providers import rewrap_credentials
from backend.store.db import db
from backend.store.migrations import migrate_database


@click.command("db-upgrade")
@with_appcontext
def db_upgrade_command() -> None:
    """Bring the database schema up to date (safe to run from several instances at once)."""
    with db.connection_context():
        version = migrate_database()
    click.echo(f"database schema at version {version}")


@click.command("rotate-kek")
@with_appcontext
def rotate_kek_command() -> None:
    """Re-wrap credential data keys under the primary KEK; ciphertexts are not rewritten.

    Run it after putting a new key first (or marking it ``*``) in ``CATALOG_KEK`` while keeping
    the old ids; afterwards the old ids may be dropped. Holds the ``rotate-kek`` job lock.
    """
    keyring = current_app.extensions["keyring"]
    try:
        with db.connection_context(), job_lock("rotate-kek"):
            count = rewrap_credentials(keyring)
    except CatalogError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"re-wrapped {count} credential data key(s) under KEK {keyring.primary!r}")
