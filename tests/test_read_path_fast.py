"""The polled catalog URLs answered in front of Flask: the views' exact answers, still counted."""

from __future__ import annotations

import pytest
from flask import request

from backend.store.db import db, open_database
from tests.test_ops import samples

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
POLLED = ("/api/models", "/api/models/by-type/GEN", "/api/models/providers")
# The same cached read through the views: the defaults, spelled out in a query string.
THROUGH_THE_VIEW = "?include_deprecated=false"


@pytest.fixture
def dispatched(app) -> list[str]:
    """Paths that reached Flask's dispatch (its before_request hooks)."""
    seen: list[str] = []

    @app.before_request
    def note_dispatch():
        seen.append(request.full_path.rstrip("?"))

    return seen


def answer(response) -> tuple:
    return response.status, sorted(response.headers.items()), response.get_data()


@pytest.mark.parametrize("path", POLLED)
def test_a_bare_polled_url_answers_exactly_as_its_view_does(bundled_catalog, client, dispatched, path):
    for headers in ({}, GZIP, {"Accept-Encoding": "gzip;q=0, identity"}):
        fast = client.get(path, headers=headers)
        view = client.get(path + THROUGH_THE_VIEW, headers=headers)
        assert answer(fast) == answer(view), headers
        held = {**headers, "If-None-Match": fast.headers["ETag"]}
        fast_304, view_304 = client.get(path, headers=held), client.get(path + THROUGH_THE_VIEW, headers=held)
        assert fast_304.status_code == 304
        assert answer(fast_304) == answer(view_304)
        assert answer(client.head(path, headers=headers)) == answer(client.head(path + THROUGH_THE_VIEW,
                                                                                headers=headers))
    assert set(dispatched) == {path + THROUGH_THE_VIEW}


def test_a_list_of_etags_and_a_lower_case_type_are_answered_in_front_of_flask(
        bundled_catalog, client, dispatched):
    etag = client.get("/api/models", headers=GZIP).headers["ETag"]
    listed = client.get("/api/models", headers={**GZIP, "If-None-Match": f'"stale", {etag}'})
    assert listed.status_code == 304
    assert client.get("/api/models/by-type/gen").get_json()[0]["provider"] == "anthropic"
    assert dispatched == []


def test_anything_but_a_bare_get_or_head_of_a_polled_url_goes_to_flask(bundled_catalog, client, dispatched):
    assert client.get("/api/models?include_deprecated=true").get_json()["count"] == 5
    assert client.get("/api/models?type=VIDEO").status_code == 422
    assert client.post("/api/models").status_code == 405
    assert client.get("/api/models/").status_code in (308, 404)
    assert client.get("/api/models/by-type/video").status_code == 404
    assert client.get("/api/models/providers/openai").status_code == 200
    assert dispatched == ["/api/models?include_deprecated=true", "/api/models?type=VIDEO", "/api/models",
                          "/api/models/", "/api/models/by-type/video", "/api/models/providers/openai"]


def test_an_empty_catalog_is_answered_by_the_app(client, dispatched):
    response = client.get("/api/models")
    assert response.status_code == 200
    assert response.get_json()["count"] == 0
    assert dispatched == ["/api/models"]


def test_an_unreachable_database_gets_the_apps_503(bundled_catalog, client, dispatched):
    reachable = db.obj
    db.initialize(open_database("postgresql://nobody@127.0.0.1:1/nowhere"))
    try:
        response = client.get("/api/models", headers=GZIP)
    finally:
        db.initialize(reachable)
    assert response.status_code == 503
    assert response.get_json()["code"] == 503
    assert dispatched == ["/api/models"]


def test_requests_answered_in_front_of_flask_are_counted_under_the_views_route(bundled_catalog, client):
    etag = client.get("/api/models", headers=GZIP).headers["ETag"]
    before = samples(client)
    client.get("/api/models", headers=GZIP)
    client.get("/api/models", headers={**GZIP, "If-None-Match": etag})
    client.head("/api/models/by-type/EMB")
    after = samples(client)

    def delta(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    requests = "model_catalog_http_requests_total"
    assert delta(requests, method="GET", route="/api/models", status="200") == 1
    assert delta(requests, method="GET", route="/api/models", status="304") == 1
    assert delta(requests, method="HEAD", route="/api/models/by-type/<string:component_type>",
                 status="200") == 1
    assert delta("model_catalog_http_request_duration_seconds_count", method="GET", route="/api/models") == 2
