"""docker/nginx/edge.conf on a real nginx: pre-rendered bytes, ETag/304, gzip, and a new version.

Skipped where nginx is not installed (``apt-get install nginx``; ``make bench`` installs it).
"""

from __future__ import annotations

import gzip
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from backend.catalog.rows import CatalogRow
from backend.services.catalog_writes import write_catalog

EDGE_CONF = Path(__file__).resolve().parents[1] / "docker" / "nginx" / "edge.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")

MAIN_CONF = """
user root;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {site};
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def prerender_dir(tmp_path):
    return tmp_path / "prerender"


@pytest.fixture
def config(make_config, prerender_dir):
    return make_config(prerender_dir=prerender_dir)


@pytest.fixture
def edge(tmp_path, prerender_dir):
    """nginx with edge.conf; its upstream is a closed port, so anything proxied answers 502."""
    work = tmp_path / "nginx"
    work.mkdir()
    port = _free_port()
    site = EDGE_CONF.read_text().replace("${PRERENDER_DIR}", str(prerender_dir)).replace(
        "${APP_UPSTREAM}", f"127.0.0.1:{_free_port()}").replace("${EDGE_PORT}", f"127.0.0.1:{port}")
    (work / "site.conf").write_text(site)
    (work / "nginx.conf").write_text(MAIN_CONF.format(work=work, site=work / "site.conf"))
    process = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(base: str, process) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start")


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_edge_serves_the_apis_bytes_with_etag_and_304(bundled_catalog, client, edge):
    status, headers, body = get(f"{edge}/api/models")
    assert status == 200
    assert body == client.get("/api/models").get_data()
    assert headers["Content-Type"] == "application/json"
    assert headers["Cache-Control"] == "no-cache"
    etag = headers["ETag"]
    assert not etag.startswith("W/")
    status, headers, body = get(f"{edge}/api/models", If_None_Match=etag)
    assert (status, body) == (304, b"")
    assert headers["ETag"] == etag


def test_the_edge_serves_gzip_with_its_own_etag(bundled_catalog, client, edge):
    _, plain_headers, plain = get(f"{edge}/api/models/by-type/GEN")
    status, headers, body = get(f"{edge}/api/models/by-type/GEN", Accept_Encoding="gzip")
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == plain == client.get("/api/models/by-type/GEN").get_data()
    assert headers["ETag"] != plain_headers["ETag"]
    status, _, _ = get(f"{edge}/api/models/by-type/GEN", Accept_Encoding="gzip",
                       If_None_Match=headers["ETag"])
    assert status == 304


def test_a_new_version_invalidates_the_old_etag(bundled_catalog, client, config, edge):
    _, headers, _ = get(f"{edge}/api/models")
    row = CatalogRow("openai", "gpt-9", "OpenAI: GPT-9", "gen", ("GEN",),
                     pricing_prompt=Decimal("0.000001"), pricing_completion=Decimal("0.000004"))
    write_catalog([row], config=config, source="test", trigger="api")
    status, new_headers, body = get(f"{edge}/api/models", If_None_Match=headers["ETag"])
    assert status == 200
    assert body == client.get("/api/models").get_data()
    assert b'"gpt-9"' in body
    assert new_headers["ETag"] != headers["ETag"]


def test_filters_and_other_paths_go_to_the_app(bundled_catalog, app, edge):
    # The upstream is closed here: a 502 proves nginx passed the request on.
    assert get(f"{edge}/api/models?provider=openai")[0] == 502
    assert get(f"{edge}/api/models/by-type/gen")[0] == 502
    assert get(f"{edge}/api/models/providers/openai")[0] == 502
    assert get(f"{edge}/api/models/providers")[0] == 200
