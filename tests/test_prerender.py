"""Pre-rendered read responses for the edge: the API's own bytes, replaced on every new version."""

from __future__ import annotations

import gzip
import os
from decimal import Decimal

import pytest

from backend.catalog.rows import CatalogRow
from backend.services.catalog_writes import write_catalog
from backend.services.prerender import CURRENT, current_version_of, prerender_catalog
from tests.conftest import SMALL_CATALOG_VERSION, small_catalog_rows, write_catalog_fixture

PAGES = {
    "api/models.json": "/api/models",
    "api/models/providers.json": "/api/models/providers",
    "api/models/by-type/GEN.json": "/api/models/by-type/GEN",
    "api/models/by-type/EMB.json": "/api/models/by-type/EMB",
    "api/models/by-type/RERANK.json": "/api/models/by-type/RERANK",
}


@pytest.fixture
def prerender_dir(tmp_path):
    return tmp_path / "prerender"


@pytest.fixture
def config(make_config, prerender_dir):
    return make_config(prerender_dir=prerender_dir)


def new_row(model: str) -> CatalogRow:
    return CatalogRow("openai", model, f"OpenAI: {model}", "gen", ("GEN",),
                      pricing_prompt=Decimal("0.000001"), pricing_completion=Decimal("0.000004"))


def test_start_up_prerenders_the_apis_exact_bytes(bundled_catalog, client, prerender_dir):
    assert current_version_of(prerender_dir) == SMALL_CATALOG_VERSION
    for relative, url in PAGES.items():
        path = prerender_dir / CURRENT / relative
        assert path.read_bytes() == client.get(url).get_data(), url
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()


def test_a_new_version_replaces_the_files_with_a_later_stamp(bundled_catalog, client, config,
                                                             prerender_dir):
    catalog = prerender_dir / CURRENT / "api/models.json"
    first_stamp = catalog.stat().st_mtime
    outcome = write_catalog([new_row("gpt-9")], config=config, source="test", trigger="api")
    assert current_version_of(prerender_dir) == outcome.applied.version
    assert catalog.read_bytes() == client.get("/api/models").get_data()
    assert b'"gpt-9"' in catalog.read_bytes()
    # nginx's ETag is mtime + size: a strictly later stamp means a new ETag for every file.
    assert catalog.stat().st_mtime > first_stamp
    assert (prerender_dir / CURRENT / "api/models.json.gz").stat().st_mtime > first_stamp


def test_a_reviewed_catalog_apply_is_prerendered_too(bundled_catalog, client, admin_headers,
                                                    prerender_dir):
    write_catalog_fixture(bundled_catalog, [*small_catalog_rows(), new_row("gpt-9")],
                          version="2026.08.05")
    shown = client.post("/admin/catalog/preview", json={"source": "bundled"}, headers=admin_headers)
    applied = client.post("/admin/catalog/apply", json={"preview_id": shown.get_json()["id"]},
                          headers=admin_headers)
    assert applied.status_code == 200, applied.get_json()
    assert current_version_of(prerender_dir) == "2026.08.05"
    assert b'"gpt-9"' in (prerender_dir / CURRENT / "api/models.json").read_bytes()


def test_only_the_current_and_two_previous_versions_are_kept(bundled_catalog, app, config,
                                                             prerender_dir):
    for index in range(4):
        write_catalog([new_row(f"gpt-{index}")], config=config, source="test", trigger="api")
    kept = sorted(path.name for path in (prerender_dir / "versions").iterdir())
    assert len(kept) == 3
    assert current_version_of(prerender_dir) == kept[-1]


def test_an_older_version_never_replaces_a_newer_one(bundled_catalog, app, config, prerender_dir):
    outcome = write_catalog([new_row("gpt-9")], config=config, source="test", trigger="api")
    link = prerender_dir / CURRENT
    os.replace(_symlink(prerender_dir, "versions/2099.01.01"), link)
    assert prerender_catalog(prerender_dir) is None
    assert current_version_of(prerender_dir) == "2099.01.01"
    assert outcome.applied.version != "2099.01.01"


def test_rendering_the_current_version_again_writes_nothing(bundled_catalog, app, prerender_dir):
    assert prerender_catalog(prerender_dir) is None


def test_without_a_prerender_dir_nothing_is_written(bundled_catalog, make_config, tmp_path):
    from backend.app import create_app

    create_app(make_config())
    assert not (tmp_path / "prerender").exists()


def _symlink(directory, target):
    link = directory / ".test-link"
    os.symlink(target, link)
    return link
