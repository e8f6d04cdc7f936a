"""The signed remote feed: one instance publishes, another consumes; every forgery is refused."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from backend.crypto.signing import SigningKey, generate_keypair
from backend.services.remote_feed import sign_catalog
from tests.conftest import ADMIN_KEY, SMALL_CATALOG_VERSION, small_catalog_rows, write_catalog_fixture

PRIVATE, PUBLIC = generate_keypair()
OTHER_PRIVATE, _ = generate_keypair()
ROOT = Path(__file__).resolve().parents[1]


def catalog_bytes(version: str, price: str = "0.000002", tmp: Path | None = None) -> bytes:
    rows = [replace(row, pricing_prompt=Decimal(price)) if row.model == "gpt-4o" else row
            for row in small_catalog_rows()]
    from backend.catalog.document import render_catalog_file

    return render_catalog_file(version, "feed test", datetime(2026, 8, 1, 3, 0), rows)


def signed(version: str, *, key: str = PRIVATE, price: str = "0.000002", days: int = 30):
    return sign_catalog(catalog_bytes(version, price), SigningKey.from_base64(key),
                        datetime.utcnow() + timedelta(days=days))


class FeedServer:
    """A local HTTP server answering fixed bytes per path; ``trickle`` sends them a byte at a time."""

    def __init__(self):
        self.routes: dict[str, tuple[bytes, bool]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body, trickle = server.routes.get(self.path, (b"", False))
                self.send_response(200 if self.path in server.routes else 404)
                self.send_header("Content-Type", "application/json")
                if trickle:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for byte in body:
                        self.wfile.write(b"1\r\n" + bytes([byte]) + b"\r\n")
                        self.wfile.flush()
                        time.sleep(0.02)
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/feed.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, body: bytes, signature: bytes, *, trickle: bool = False) -> None:
        self.routes = {"/feed.json": (body, trickle), "/feed.json.sig": (signature, False)}

    def serve_feed(self, feed) -> None:
        self.serve(feed.body, feed.signature)


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.httpd.shutdown()


@pytest.fixture
def config(make_config, feed_server, bundled_catalog):
    return make_config(enable_remote_catalog=True, catalog_sync_url=feed_server.url,
                       catalog_sync_pubkeys=(PUBLIC,), http_retries=0, http_deadline=1.0)


def fetch(client, headers):
    return client.post("/admin/catalog/remote/fetch", headers=headers)


def assert_rejected(client, headers, reason: str, pending: str | None = None):
    response = fetch(client, headers)
    assert response.status_code == 502, response.get_json()
    assert response.get_json()["errors"]["reason"] == reason
    settings = client.get("/admin/catalog", headers=headers).get_json()
    assert settings["last_remote_fetch"]["status"] == "rejected"
    assert settings["last_remote_fetch"]["reason"] == reason
    assert settings["current_version"] == SMALL_CATALOG_VERSION
    assert (settings["pending_remote"] or {}).get("version") == pending
    return response.get_json()["message"]


def test_an_accepted_feed_is_pending_until_reviewed_and_applied(feed_server, client, admin_headers):
    feed_server.serve_feed(signed("2026.08.05"))
    response = fetch(client, admin_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "accepted"
    settings = client.get("/admin/catalog", headers=admin_headers).get_json()
    assert settings["source"] == feed_server.url
    assert settings["newer_available"] and settings["newer_source"] == "remote"
    assert client.get("/api/models").get_json()["version"] == SMALL_CATALOG_VERSION
    preview = client.post("/admin/catalog/preview", json={"source": "remote"},
                          headers=admin_headers).get_json()
    assert [entry["name"] for entry in preview["updated"]] == ["openai/gpt-4o"]
    applied = client.post("/admin/catalog/apply", json={"preview_id": preview["id"]},
                          headers=admin_headers).get_json()
    assert applied == {"version": "2026.08.05", "rows_changed": 1, "applied": True,
                       "counts": {"new": 0, "updated": 1, "deprecated": 0, "unchanged": 4}}
    again = fetch(client, admin_headers).get_json()
    assert again["status"] == "unchanged"


def test_a_feed_with_one_byte_changed_is_rejected(feed_server, client, admin_headers):
    feed = signed("2026.08.05")
    tampered = feed.body.replace(b'"input_per_1m": 2,', b'"input_per_1m": 1,', 1)
    assert tampered != feed.body and len(tampered) == len(feed.body)
    feed_server.serve(tampered, feed.signature)
    assert "does not match" in assert_rejected(client, admin_headers, "bad_signature")


def test_a_feed_signed_by_another_key_is_rejected(feed_server, client, admin_headers):
    feed_server.serve_feed(signed("2026.08.05", key=OTHER_PRIVATE))
    assert_rejected(client, admin_headers, "unknown_key")


def test_an_expired_feed_is_rejected(feed_server, client, admin_headers):
    feed_server.serve_feed(signed("2026.08.05", days=-1))
    assert "expired" in assert_rejected(client, admin_headers, "expired")


def test_an_older_feed_replayed_after_a_newer_one_is_rejected(feed_server, client, admin_headers):
    feed_server.serve_feed(signed("2026.08.05"))
    assert fetch(client, admin_headers).status_code == 200
    feed_server.serve_feed(signed("2026.08.03"))
    assert "older than" in assert_rejected(client, admin_headers, "rollback", pending="2026.08.05")


def test_the_same_version_re_signed_with_other_bytes_is_rejected(feed_server, client, admin_headers):
    feed_server.serve_feed(signed("2026.08.05"))
    assert fetch(client, admin_headers).status_code == 200
    feed_server.serve_feed(signed("2026.08.05", price="0.0000001"))
    assert_rejected(client, admin_headers, "equivocation", pending="2026.08.05")


def test_an_oversized_feed_is_rejected(feed_server, make_config, client, admin_headers, app):
    app.config["CATALOG"] = app.config["CATALOG"].with_overrides(http_max_response_bytes=2048)
    feed_server.serve_feed(signed("2026.08.05"))
    assert "larger than 2048 bytes" in assert_rejected(client, admin_headers, "download_failed")


def test_a_trickling_feed_is_cut_off_at_the_deadline(feed_server, client, admin_headers):
    feed = signed("2026.08.05")
    feed_server.serve(feed.body, feed.signature, trickle=True)
    assert "deadline" in assert_rejected(client, admin_headers, "download_failed")


def test_fetching_needs_the_remote_catalog_enabled(make_config, tmp_path):
    from backend.errors import Invalid
    from backend.services.remote_feed import fetch_remote_catalog

    with pytest.raises(Invalid):
        fetch_remote_catalog(make_config(), "api")


# --- One running instance publishes, a second consumes ----------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def publisher(tmp_path):
    """``python -m backend`` on its own SQLite database, its bundled catalog at 2026.08.05."""
    directory = tmp_path / "publisher"
    directory.mkdir()
    bundled = write_catalog_fixture(directory / "bundled.json",
                                    [replace(r, notes="published") for r in small_catalog_rows()],
                                    version="2026.08.05")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{directory / 'catalog.db'}",
           "ADMIN_API_KEY": ADMIN_KEY, "APP_ENV": "test", "PORT": str(port),
           "VAR_DIR": str(directory / "var"), "BUNDLED_CATALOG_PATH": str(bundled),
           "CATALOG_PATH": str(directory / "models.json"),
           "CATALOG_MIRROR_PATH": str(directory / "mirror.json"),
           "SCHEDULER_ENABLED": "false", "CATALOG_SIGNING_KEY": PRIVATE}
    process = subprocess.Popen([sys.executable, "-m", "backend"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/api/catalog/feed"
    try:
        _wait_until_serving(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_serving(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode())
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("the publishing instance did not start")


def test_a_feed_published_by_one_instance_is_consumed_by_another(publisher, make_config,
                                                                 bundled_catalog):
    from backend.app import create_app

    consumer = create_app(make_config(enable_remote_catalog=True, catalog_sync_url=publisher,
                                      catalog_sync_pubkeys=(PUBLIC,)))
    client = consumer.test_client()
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    fetched = client.post("/admin/catalog/remote/fetch", headers=headers)
    assert fetched.status_code == 200, fetched.get_json()
    assert fetched.get_json()["version"] == "2026.08.05"
    preview = client.post("/admin/catalog/preview", json={"source": "remote"},
                          headers=headers).get_json()
    client.post("/admin/catalog/apply", json={"preview_id": preview["id"]}, headers=headers)
    published = requests.get(publisher.replace("/api/catalog/feed", "/api/models"), timeout=5).json()
    consumed = client.get("/api/models").get_json()
    assert consumed["version"] == published["version"] == "2026.08.05"
    assert [m["notes"] for m in consumed["models"]] == ["published"] * 4
    assert requests.get(publisher + ".sig", timeout=5).json()["algorithm"] == "ed25519"


def test_the_cli_signs_a_catalog_file_that_a_consumer_accepts(tmp_path, feed_server, client,
                                                             admin_headers):
    key_file = tmp_path / "signing_key"
    script = [sys.executable, str(ROOT / "scripts" / "sign_catalog.py")]
    generated = subprocess.run([*script, "keygen", "--private-key-file", str(key_file)],
                               capture_output=True, text=True, check=True)
    public = generated.stdout.strip().removeprefix("CATALOG_SYNC_PUBKEY=")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert key_file.read_text().strip() not in generated.stdout + generated.stderr
    catalog = tmp_path / "models.json"
    catalog.write_bytes(catalog_bytes("2026.08.07"))
    out = tmp_path / "feed.json"
    subprocess.run([*script, "sign", str(catalog), "--key-file", str(key_file), "--out", str(out)],
                   check=True, capture_output=True)
    feed_server.serve(out.read_bytes(), (tmp_path / "feed.json.sig").read_bytes())
    client.application.config["CATALOG"] = client.application.config["CATALOG"].with_overrides(
        catalog_sync_pubkeys=(PUBLIC, public))
    response = fetch(client, admin_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == "2026.08.07"


def test_the_scheduler_fetches_the_feed_only_when_remote_is_enabled(feed_server, app, config,
                                                                     make_config, client,
                                                                     admin_headers):
    from backend.jobs.catalog_jobs import default_jobs
    from backend.store.db import db

    assert "remote-catalog" not in {job.name for job in default_jobs(make_config())}
    job = {job.name: job for job in default_jobs(config)}["remote-catalog"]
    feed_server.serve_feed(signed("2026.08.05"))
    with db.connection_context():
        assert job.run(config) == "accepted"
    settings = client.get("/admin/catalog", headers=admin_headers).get_json()
    assert settings["last_remote_fetch"]["status"] == "accepted"
    assert settings["newer_available"] is True
