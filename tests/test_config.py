"""Configuration is read once, validated, and a bad value is a one-line error at start-up."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys

import pytest

from backend.config import Config
from backend.errors import ConfigError

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_defaults_need_no_configuration(tmp_path):
    config = Config.from_env({"VAR_DIR": str(tmp_path)})
    assert config.port == 8012
    assert config.database_url == f"sqlite:///{tmp_path / 'catalog.db'}"
    assert config.catalog_path.name == "models.json"


def test_a_development_admin_key_is_generated_into_var_with_mode_0600(tmp_path):
    config = Config.from_env({"VAR_DIR": str(tmp_path)})
    key_file = tmp_path / "admin_api_key"
    assert key_file.read_text().strip() == config.admin_api_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Config.from_env({"VAR_DIR": str(tmp_path)}).admin_api_key == config.admin_api_key


def test_production_refuses_to_start_without_an_admin_key(tmp_path):
    with pytest.raises(ConfigError, match="ADMIN_API_KEY is required"):
        Config.from_env({"APP_ENV": "production", "VAR_DIR": str(tmp_path)})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PORT", "eighty", "PORT='eighty' is not an integer"),
        ("PORT", "70000", "out of range"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL='LOUD' must be one of"),
        ("OPENROUTER_MODELS_URL", "ftp://x", "must be an http(s) URL"),
        ("SYNC_MAX_DEPRECATE_RATIO", "2", "out of range"),
        ("APPLY_BUNDLED_ON_EMPTY", "maybe", "is not a boolean"),
        ("ADMIN_API_KEY", "short", "at least 16"),
    ],
)
def test_a_bad_value_names_the_variable(tmp_path, name, value, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        Config.from_env({"VAR_DIR": str(tmp_path), name: value})


def test_the_server_exits_with_a_one_line_error_on_bad_configuration(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "ADMIN_API_KEY": "k" * 32, "PORT": "not-a-port"}
    result = subprocess.run(
        [sys.executable, "-m", "backend"], cwd=PROJECT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "model-catalog: configuration error: PORT='not-a-port' is not an integer"
    ]


def test_provider_overrides_come_from_slug_named_variables(tmp_path):
    config = Config.from_env({"VAR_DIR": str(tmp_path), "GROQ_BASE_URL": "http://127.0.0.1:9/v1"})
    assert config.provider_override("groq", "BASE_URL") == "http://127.0.0.1:9/v1"
    assert config.provider_override("groq", "API_KEY") is None


def _secret_in_subprocess(path: str) -> str:
    from pathlib import Path

    from backend.config import read_or_create_secret

    return read_or_create_secret(Path(path), "TEST_SECRET")


def test_processes_starting_together_agree_on_one_development_secret(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    target = str(tmp_path / "var" / "secret")
    with ProcessPoolExecutor(max_workers=4) as pool:
        secrets_seen = set(pool.map(_secret_in_subprocess, [target] * 8))
    assert len(secrets_seen) == 1
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == ["secret"]
