"""The outbound-HTTP chokepoint against a local server: caps, deadline, retries, conditional GET."""

from __future__ import annotations

import gzip
from decimal import Decimal

import pytest

from backend.errors import UpstreamError
from backend.sources.http import HttpSettings, UpstreamClient, safe_url
from tests.sync_upstream import Reply, running_upstream

SETTINGS = HttpSettings(connect_timeout=1, read_timeout=2, deadline=10, max_bytes=64 * 1024,
                        retries=2, backoff=0, max_retry_after=0.05)


@pytest.fixture
def upstream():
    with running_upstream() as server:
        yield server


def get(upstream, settings=SETTINGS, **kwargs):
    with UpstreamClient(settings) as client:
        return client.get_json(upstream.url + "/models", **kwargs)


def test_numbers_with_fractions_decode_as_exact_decimals(upstream):
    upstream.reply("/models", Reply(b'{"price": 0.1, "n": 3}'))
    assert get(upstream).payload == {"price": Decimal("0.1"), "n": 3}


def test_a_gzip_bomb_hits_the_decoded_size_cap(upstream):
    bomb = gzip.compress(b" " * (SETTINGS.max_bytes * 20))
    assert len(bomb) < SETTINGS.max_bytes
    upstream.reply("/models", Reply(bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(UpstreamError, match="larger than 65536 bytes") as caught:
        get(upstream)
    assert caught.value.permanent


def test_a_plain_oversized_body_hits_the_cap_too(upstream):
    upstream.reply("/models", Reply(b"[" + b"1," * SETTINGS.max_bytes + b"1]"))
    with pytest.raises(UpstreamError, match="larger than"):
        get(upstream)


def test_the_overall_deadline_bounds_a_slow_upstream(upstream):
    upstream.reply("/models", Reply(b"{}", delay=2.0))
    settings = HttpSettings(connect_timeout=1, read_timeout=30, deadline=0.3, retries=0)
    with pytest.raises(UpstreamError, match="timed out"):
        get(upstream, settings)


def test_a_304_to_a_conditional_get_is_not_modified(upstream):
    upstream.reply("/models", Reply(b'{"data": []}', etag='"abc"'))
    first = get(upstream)
    assert first.etag == '"abc"' and not first.not_modified
    again = get(upstream, etag='"abc"')
    assert again.not_modified and again.payload is None


def test_a_404_is_permanent_and_not_retried(upstream):
    upstream.reply("/models", Reply(b"nope", status=404))
    with pytest.raises(UpstreamError, match="answered HTTP 404") as caught:
        get(upstream)
    assert caught.value.permanent
    assert len(upstream.seen("/models")) == 1


def test_a_503_is_retried_and_transient(upstream):
    upstream.reply("/models", Reply(b"down", status=503))
    with pytest.raises(UpstreamError, match="answered HTTP 503") as caught:
        get(upstream)
    assert not caught.value.permanent
    assert len(upstream.seen("/models")) == 3


def test_nan_is_not_json(upstream):
    upstream.reply("/models", Reply(b'{"price": NaN}'))
    with pytest.raises(UpstreamError, match="malformed JSON"):
        get(upstream)


def test_a_refused_connection_is_a_clear_transient_error():
    with UpstreamClient(HttpSettings(connect_timeout=1, retries=1, backoff=0)) as client, \
            pytest.raises(UpstreamError, match="could not connect") as caught:
        client.get_json("http://127.0.0.1:9/models")
    assert not caught.value.permanent


def test_messages_never_carry_credentials_or_queries():
    assert safe_url("https://user:secret@api.example.com:8443/v1/models?key=sk-123") == (
        "https://api.example.com:8443/v1/models")
