"""The admin rate limit: one count per client address over every admin route, 429 beyond it.

With ``RATELIMIT_STORAGE_URI=redis://…`` the count is shared: two app instances, one of them in
another process, draw on the same limit. Each test uses an address of its own (the WSGI
``REMOTE_ADDR``), so runs never share a count in Redis.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from backend.app import create_app
from tests.conftest import ADMIN_KEY

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def fresh_address() -> str:
    a, b, c = uuid.uuid4().bytes[:3]
    return f"127.{a}.{b}.{max(c, 1)}"


def admin_get(client, path: str, address: str, headers=ADMIN):
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def limited_app(make_config):
    app = create_app(make_config(admin_rate_limit="5/minute"))
    app.config["TESTING"] = True
    return app


def test_admin_routes_share_one_limit_and_answer_429_with_the_envelope(limited_app):
    client, address = limited_app.test_client(), fresh_address()
    paths = ["/api/admin/providers", "/admin/catalog", "/api/admin/facades",
             "/api/admin/client-keys", "/admin/model-sync/providers"]
    assert [admin_get(client, path, address).status_code for path in paths] == [200] * 5

    refused = admin_get(client, "/api/admin/provider-kinds", address)

    assert refused.status_code == 429
    body = refused.get_json()
    assert (body["code"], body["status"]) == (429, "Too Many Requests")
    assert "5 per 1 minute" in body["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert admin_get(client, "/api/admin/providers", fresh_address()).status_code == 200


def test_wrong_keys_count_against_the_limit_too(limited_app):
    client, address = limited_app.test_client(), fresh_address()
    guesses = [admin_get(client, "/api/admin/providers", address,
                         {"Authorization": f"Bearer guess-{n}"}).status_code for n in range(7)]
    assert guesses == [401] * 5 + [429] * 2
    assert admin_get(client, "/api/admin/providers", address).status_code == 429


def test_public_routes_are_not_limited(limited_app):
    client, address = limited_app.test_client(), fresh_address()
    statuses = {client.get(path, environ_base={"REMOTE_ADDR": address}).status_code
                for path in ["/api/models", "/api/models/providers", "/healthz"] * 4}
    assert statuses == {200}


def redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error}); the shared limit needs one")


CHILD = """
import json, sys
from backend.app import create_app
from backend.config import Config
app = create_app(Config.from_env())
client = app.test_client()
statuses = [client.get("/api/admin/providers", headers={"Authorization": "Bearer " + sys.argv[2]},
                       environ_base={"REMOTE_ADDR": sys.argv[1]}).status_code for _ in range(3)]
print(json.dumps(statuses))
"""


def requests_from_another_process(config, address: str) -> list[int]:
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": config.database_url,
           "ADMIN_API_KEY": ADMIN_KEY, "VAR_DIR": str(config.var_dir),
           "CATALOG_PATH": str(config.catalog_path),
           "CATALOG_MIRROR_PATH": str(config.catalog_mirror_path),
           "BUNDLED_CATALOG_PATH": str(config.bundled_catalog_path),
           "SCHEDULER_ENABLED": "false", "LOG_LEVEL": "WARNING",
           "ADMIN_RATE_LIMIT": config.admin_rate_limit,
           "RATELIMIT_STORAGE_URI": config.ratelimit_storage_uri}
    done = subprocess.run([sys.executable, "-c", CHILD, address, ADMIN_KEY], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_instances_sharing_redis_share_the_limit_across_processes(make_config):
    redis_or_skip()
    config = make_config(admin_rate_limit="8/minute", ratelimit_storage_uri=REDIS_URL)
    first, second = create_app(config), create_app(config)
    address = fresh_address()
    one, two = first.test_client(), second.test_client()

    mine = [admin_get(one, "/api/admin/providers", address).status_code,
            admin_get(two, "/api/admin/providers", address).status_code,
            admin_get(one, "/api/admin/providers", address).status_code]
    theirs = requests_from_another_process(config, address)
    last = [admin_get(two, "/api/admin/providers", address).status_code,
            admin_get(one, "/api/admin/providers", address).status_code,
            admin_get(two, "/api/admin/providers", address).status_code]

    assert mine == [200, 200, 200] and theirs == [200, 200, 200]
    assert last == [200, 200, 429]  # 8 in all, wherever they landed; the ninth is refused
    assert admin_get(one, "/api/admin/providers", address).status_code == 429
