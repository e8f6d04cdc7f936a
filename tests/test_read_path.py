"""The cached read path: gzip negotiation, one ETag per encoding, 304s, and when a new version shows."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

from backend.catalog.rows import CatalogRow
from backend.services.catalog_reads import CatalogReader
from backend.services.catalog_writes import write_catalog
from backend.store.tables import CatalogVersion, utcnow
from tests.conftest import SMALL_CATALOG_VERSION, small_catalog_rows

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_the_gzip_body_is_the_plain_body_compressed(bundled_catalog, client):
    for path in ("/api/models", "/api/models/by-type/GEN", "/api/models/providers",
                 "/api/models/providers/openai", "/api/models?provider=openai"):
        plain = client.get(path)
        packed = client.get(path, headers=GZIP)
        assert packed.headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(packed.get_data()) == plain.get_data(), path
        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Vary"] == plain.headers["Vary"] == "Accept-Encoding"


def test_each_encoding_has_its_own_strong_etag(bundled_catalog, client):
    plain = client.get("/api/models").headers["ETag"]
    packed = client.get("/api/models", headers=GZIP).headers["ETag"]
    assert plain != packed
    assert not plain.startswith("W/") and not packed.startswith("W/")


def test_a_gzip_client_gets_304_for_its_own_etag_only(bundled_catalog, client):
    packed = client.get("/api/models", headers=GZIP).headers["ETag"]
    plain = client.get("/api/models").headers["ETag"]
    again = client.get("/api/models", headers={**GZIP, "If-None-Match": packed})
    assert again.status_code == 304
    assert again.headers["ETag"] == packed
    assert again.get_data() == b""
    other = client.get("/api/models", headers={**GZIP, "If-None-Match": plain})
    assert other.status_code == 200
    listed = client.get("/api/models", headers={**GZIP, "If-None-Match": f'"nope", {packed}'})
    assert listed.status_code == 304


def test_gzip_refused_by_quality_zero_is_not_sent(bundled_catalog, client):
    response = client.get("/api/models", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["count"] == 4


def test_filters_and_unknown_types_still_go_through_validation(bundled_catalog, client):
    assert client.get("/api/models?type=VIDEO").status_code == 422
    assert client.get("/api/models/by-type/video").status_code == 404
    assert client.get("/api/models/by-type/gen").get_json()[0]["provider"] == "anthropic"
    assert client.get("/api/models/providers/nobody", headers=GZIP).status_code == 404
    everything = client.get("/api/models?include_deprecated=true").get_json()
    assert everything["count"] == 5


def test_a_head_request_has_the_headers_and_no_body(bundled_catalog, client):
    response = client.head("/api/models", headers=GZIP)
    assert response.status_code == 200
    assert response.headers["ETag"]
    assert response.get_data() == b""


def test_a_write_in_this_process_is_served_at_once(bundled_catalog, client, config):
    before = client.get("/api/models", headers=GZIP)
    row = CatalogRow("openai", "gpt-4.1", "OpenAI: GPT-4.1", "gen", ("GEN",),
                     pricing_prompt=Decimal("0.000002"), pricing_completion=Decimal("0.000008"))
    outcome = write_catalog([row], config=config, source="test", trigger="api")
    after = client.get("/api/models", headers={**GZIP, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert gzip.decompress(after.get_data()).count(b'"gpt-4.1"') == 1
    assert outcome.applied.version in gzip.decompress(after.get_data()).decode()


def test_another_processs_version_waits_for_the_check_interval(bundled_catalog, app, store):
    """A version committed elsewhere (no local write) is not looked for within the interval."""
    reader = CatalogReader(version_ttl=3600)
    assert reader.snapshot().version == SMALL_CATALOG_VERSION
    CatalogVersion.create(version="2026.08.02", source="elsewhere", trigger="api", created_at=utcnow())
    assert reader.snapshot().version == SMALL_CATALOG_VERSION
    assert CatalogReader(version_ttl=0).snapshot().version == "2026.08.02"


def test_rows_are_served_exactly_as_stored(bundled_catalog, client):
    rows = {row.model: row for row in small_catalog_rows()}
    served = client.get("/api/models", headers=GZIP)
    models = {m["model"]: m for m in json.loads(gzip.decompress(served.get_data()))["models"]}
    assert models["gpt-4o"]["input_per_1m"] == 2.5
    assert set(models) == {key for key, row in rows.items() if row.is_active}
