"""``scripts/sync_models.py``: seed 004's flags, progress on stderr, a summary, honest exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.sync_upstream import Reply, running_upstream

ROOT = Path(__file__).resolve().parents[1]
CEREBRAS = "/cerebras/v1/models"


@pytest.fixture
def upstream():
    with running_upstream() as server:
        yield server


@pytest.fixture
def run_script(database_url, catalog_dir, tmp_path, upstream):
    def run(*args: str) -> subprocess.CompletedProcess:
        env = {
            "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url, "VAR_DIR": str(tmp_path / "var"),
            "ADMIN_API_KEY": "script-test-admin-key-0123456789",
            "CATALOG_PATH": str(catalog_dir / "data" / "models.json"),
            "CATALOG_MIRROR_PATH": str(catalog_dir / "public" / "models.json"),
            "BUNDLED_CATALOG_PATH": str(catalog_dir / "none.json"),
            "CATALOG_KEK": os.environ.get("CATALOG_KEK", ""),
            "CEREBRAS_BASE_URL": upstream.url + "/cerebras/v1",
            "CEREBRAS_API_KEY": "csk-script-secret", "HTTP_RETRIES": "0",
            "SCHEDULER_ENABLED": "false",
        }
        return subprocess.run([sys.executable, str(ROOT / "scripts" / "sync_models.py"), *args],
                              env=env, capture_output=True, text=True, timeout=120, check=False)

    return run


def test_it_syncs_the_named_provider_and_prints_a_summary(run_script, upstream, catalog_dir):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2025-08-26.json")))
    result = run_script("--providers", "cerebras")
    assert result.returncode == 0, result.stderr
    assert "[cerebras] success: Synced 9 models from cerebras" in result.stderr
    header, line = result.stdout.strip().splitlines()
    assert header.split() == ["provider", "status", "fetched", "new", "updated", "deprecated",
                              "unchanged"]
    assert line.split() == ["cerebras", "success", "9", "9", "0", "0", "0"]
    assert b'"provider": "cerebras"' in (catalog_dir / "data" / "models.json").read_bytes()


def test_a_dry_run_writes_no_file_and_verbose_lists_the_rows(run_script, upstream, catalog_dir):
    upstream.reply(CEREBRAS, Reply(fixture_bytes("cerebras-models-2026-08-13.json")))
    result = run_script("--providers", "cerebras", "--dry-run", "--verbose")
    assert result.returncode == 0, result.stderr
    assert "  + gemma-4-31b" in result.stderr
    canonical = catalog_dir / "data" / "models.json"
    assert not canonical.exists() or b"cerebras" not in canonical.read_bytes()


def test_it_exits_non_zero_when_a_provider_fails(run_script, upstream):
    upstream.reply(CEREBRAS, Reply(b"down", status=500))
    result = run_script("--providers", "cerebras", "nonexistent")
    assert result.returncode == 1
    assert "answered HTTP 500" in result.stderr
    assert "unknown provider 'nonexistent'" in result.stderr
    assert "csk-script-secret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
