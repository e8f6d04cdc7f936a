"""The canonical file and its mirror: atomic, deterministic, reconciled after a crash."""

from __future__ import annotations

import os

from backend.catalog.files import CatalogPaths, atomic_write
from backend.catalog.publish import publish_catalog
from backend.store.db import db


def paths_of(config) -> CatalogPaths:
    return CatalogPaths(config.catalog_path, config.catalog_mirror_path)


def test_start_up_removes_stale_temp_files_and_repairs_the_mirror(bundled_catalog, make_config):
    from backend.app import create_app

    config = make_config()
    create_app(config)
    stale = config.catalog_path.with_name(f".{config.catalog_path.name}.tmp-999-dead")
    stale.write_bytes(b'{"version": "half')
    config.catalog_mirror_path.write_bytes(b"corrupted")
    create_app(config)
    assert not stale.exists()
    assert config.catalog_mirror_path.read_bytes() == config.catalog_path.read_bytes()


def test_a_database_newer_than_the_file_is_republished(bundled_catalog, app, config):
    good = config.catalog_path.read_bytes()
    config.catalog_path.write_bytes(b"{}")
    with db.connection_context():
        assert publish_catalog(paths_of(config)) is True
    assert config.catalog_path.read_bytes() == good
    assert config.catalog_mirror_path.read_bytes() == good


def test_publishing_an_unchanged_catalog_writes_nothing(bundled_catalog, app, config):
    before = os.stat(config.catalog_path).st_mtime_ns
    with db.connection_context():
        assert publish_catalog(paths_of(config)) is False
    assert os.stat(config.catalog_path).st_mtime_ns == before


def test_a_newer_shipped_file_is_left_for_review(bundled_catalog, app, config):
    newer = config.catalog_path.read_bytes().replace(b'"2026.08.01"', b'"2099.01.01"', 1)
    config.catalog_path.write_bytes(newer)
    with db.connection_context():
        publish_catalog(paths_of(config))
    assert config.catalog_path.read_bytes() == newer
    assert config.catalog_mirror_path.read_bytes() == newer


def test_atomic_write_leaves_no_temp_file_and_a_readable_mode(tmp_path):
    target = tmp_path / "models.json"
    atomic_write(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models.json"]
