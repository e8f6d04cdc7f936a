"""Test harness: the real app from ``create_app``, on a fresh real database for every test.

SQLite by default (a new file per test). With ``TEST_DATABASE_URL=postgresql://…/postgres`` a new
PostgreSQL database is created for the session (and dropped at the end); every test starts
from empty tables.
"""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
from playhouse.db_url import parse as parse_db_url

from backend.app import create_app
from backend.catalog.document import render_catalog_file
from backend.catalog.rows import CatalogRow
from backend.config import Config
from backend.store import ALL_TABLES
from backend.store.db import db

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN_KEY = "test-admin-key-0123456789abcdef"


def fixture_path(name: str) -> Path:
    return FIXTURES / name


def fixture_bytes(name: str) -> bytes:
    return fixture_path(name).read_bytes()


def _admin_dsn(url: str) -> dict:
    params = parse_db_url(url.replace("postgres://", "postgresql://", 1))
    params.pop("engine", None)
    params["dbname"] = params.pop("database")
    return params


@pytest.fixture(scope="session", autouse=True)
def secret_scan():
    """Watches every response and log line of the session for a secret (the admin key, KEKs,
    signing keys of every app that served a request); any sighting fails the session."""
    from tests.reliability.secret_scan import SecretScan

    scan = SecretScan().install()
    scan.watch(ADMIN_KEY, "the admin key")
    yield scan
    scan.uninstall()
    findings = scan.findings()
    assert not findings, "secrets left the app:\n" + "\n".join(findings[:50])


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL database for this test session, or None on SQLite."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    name = f"mc_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**_admin_dsn(base))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    prefix = base.rsplit("/", 1)[0]
    try:
        yield f"{prefix}/{name}"
    finally:
        if not db.is_closed():
            db.close()
        if hasattr(db.obj, "close_all"):
            db.obj.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def fresh_database_url(tmp_path):
    """A brand-new empty database of its own (for tests that start other processes on it)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"mc_fresh_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**_admin_dsn(base))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _reset_postgres(url: str) -> None:
    connection = psycopg2.connect(**_admin_dsn(url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        tables = [name for (name,) in cursor.fetchall() if name != "schema_version"]
        if tables:
            cursor.execute(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
            )
    connection.close()


@pytest.fixture
def database_url(tmp_path, postgres_url) -> str:
    if postgres_url:
        if db.obj is not None and hasattr(db.obj, "close_all"):
            db.obj.close_all()
        _reset_postgres(postgres_url)
        return postgres_url
    return f"sqlite:///{tmp_path / 'catalog.db'}"


@pytest.fixture
def catalog_dir(tmp_path) -> Path:
    directory = tmp_path / "catalog"
    (directory / "data").mkdir(parents=True)
    (directory / "public").mkdir()
    return directory


@pytest.fixture
def make_config(tmp_path, database_url, catalog_dir):
    """Build a test ``Config``; keyword arguments override fields."""

    def build(**overrides) -> Config:
        environ = overrides.pop("environ", {})
        values = {
            "database_url": database_url,
            "admin_api_key": ADMIN_KEY,
            "app_env": "test",
            "catalog_path": catalog_dir / "data" / "models.json",
            "catalog_mirror_path": catalog_dir / "public" / "models.json",
            "bundled_catalog_path": catalog_dir / "bundled.json",
            "var_dir": tmp_path / "var",
            "environ": environ,
            # Suites send thousands of admin requests from one address; the limit has its own tests.
            "admin_rate_limit": "1000000/minute",
        }
        values.update(overrides)
        return Config(**values)

    return build


SMALL_CATALOG_VERSION = "2026.08.01"


def small_catalog_rows() -> list[CatalogRow]:
    """A few real-shaped rows: GEN, EMB and RERANK, one deprecated, one with HTML in its name."""
    return [
        CatalogRow("openai", "gpt-4o", "OpenAI: GPT-4o", "gen", ("GEN",),
                   pricing_prompt=Decimal("0.0000025"), pricing_completion=Decimal("0.00001"),
                   context_length=128000, max_output_tokens=16384, modality="text+image->text",
                   input_modalities=("text", "image"), output_modalities=("text",),
                   supports_vision=True, supports_tools=True,
                   base_url="https://api.openai.com/v1", source="openrouter"),
        CatalogRow("openai", "gpt-3.5-turbo-0301", "OpenAI: GPT-3.5 Turbo (0301)", "gen",
                   ("GEN",), pricing_prompt=Decimal("0.0000015"),
                   pricing_completion=Decimal("0.000002"), context_length=4096,
                   base_url="https://api.openai.com/v1", notes="[auto-refresh] deprecated_on=2026-01-02",
                   deprecated_on=date(2026, 1, 2), source="openrouter"),
        CatalogRow("anthropic", "claude-sonnet-4", "<b>Anthropic</b>: Claude Sonnet 4", "gen",
                   ("GEN",), pricing_prompt=Decimal("0.000003"),
                   pricing_completion=Decimal("0.000015"), context_length=200000,
                   base_url="https://api.anthropic.com/v1", source="openrouter"),
        CatalogRow("voyage", "voyage-3-large", "Voyage 3 Large", "emb", ("EMB",),
                   pricing_prompt=Decimal("0.00000018"), context_length=32000,
                   base_url="https://api.voyageai.com/v1", source="litellm"),
        CatalogRow("cohere", "rerank-v3.5", "Cohere Rerank 3.5", "rerank", ("RERANK",),
                   pricing_unknown=True, base_url="https://api.cohere.com/v1", source="litellm"),
    ]


def write_catalog_fixture(path: Path, rows, *, version=SMALL_CATALOG_VERSION) -> Path:
    path.write_bytes(
        render_catalog_file(version, "test fixture", datetime(2026, 8, 1, 3, 0), rows)
    )
    return path


@pytest.fixture
def bundled_catalog(catalog_dir) -> Path:
    """The small test catalog as the bundled file; request it before ``app`` to apply it."""
    return write_catalog_fixture(catalog_dir / "bundled.json", small_catalog_rows())


@pytest.fixture
def config(make_config):
    return make_config()


@pytest.fixture
def app(config):
    application = create_app(config)
    application.config["TESTING"] = True
    yield application
    if not db.is_closed():
        db.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin_headers() -> dict:
    return {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
def store(app):
    """An open database connection for asserting on tables directly."""
    with db.connection_context():
        yield db


__all__ = ["ADMIN_KEY", "ALL_TABLES", "FIXTURES", "fixture_bytes", "fixture_path"]


# --- Browser tests: the real console in headless Chromium (Debian's package) -------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def live_server(app):
    """The app served on a free local port from a background thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; fails the test on any console error or uncaught page error."""
    context = browser.new_context(base_url=live_server)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(msg):
        # Chromium logs every 4xx fetch as "Failed to load resource"; an API refusal the page
        # shows to the user is expected behaviour, not a script error.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"console {msg.type}: {msg.text}")

    tab.on("console", on_console)
    yield tab
    context.close()
    assert not problems, problems


@pytest.fixture
def admin_page(page):
    """A page whose session already holds the admin key (as the console's key prompt stores it)."""
    page.goto("/")
    page.evaluate(f"sessionStorage.setItem('model-catalog.admin-key', {ADMIN_KEY!r})")
    return page
