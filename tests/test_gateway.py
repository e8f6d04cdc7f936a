"""The OpenAI-compatible gateway against local fake upstreams (OpenAI and Anthropic formats)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import requests

from backend.services.client_keys import create_client_key
from backend.store.facade_tables import BackendHealth, FacadeBackend, UsageRecord
from backend.store.tables import utcnow
from tests.gateway_fakes import (
    Reply,
    make_facade,
    make_provider,
    make_provider_model,
    openai_completion,
    upstream,  # noqa: F401 - a fixture
)

HELLO = {"messages": [{"role": "user", "content": "Hi"}]}


@pytest.fixture
def client_key(store):
    return create_client_key("test app").token


def call(client, token, path="/v1/chat/completions", **body):
    return client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def two_backends(store, upstream):  # noqa: F811
    """A chat facade "assistant": primary at provider A, standby at provider B."""
    primary = make_provider_model(make_provider("Fake A", upstream.base_url), "model-a")
    standby = make_provider_model(make_provider("Fake B", upstream.base_url), "model-b",
                                  input_per_1m="1", output_per_1m="2")
    return make_facade("assistant", primary, standby)


def test_a_facade_whose_first_backend_answers_503_is_served_by_the_second(
        client, client_key, upstream, two_backends):  # noqa: F811
    upstream.queue("/chat/completions",
                   Reply(503, {"error": {"message": "overloaded"}}),
                   Reply(200, openai_completion("from the standby")))

    response = call(client, client_key, model="assistant", **HELLO)

    assert response.status_code == 200
    assert response.json["choices"][0]["message"]["content"] == "from the standby"
    assert [r.body["model"] for r in upstream.requests_to("/chat/completions")] == [
        "model-a", "model-b"]
    record = UsageRecord.get()
    assert (record.provider_slug, record.attempts, record.status) == ("fake-b", 2, 200)


def test_a_400_from_the_first_backend_is_returned_without_failover(
        client, client_key, upstream, two_backends):  # noqa: F811
    bad_request = {"error": {"message": "messages[0].content is too long",
                             "type": "invalid_request_error", "param": "messages", "code": None}}
    upstream.queue("/chat/completions", Reply(400, bad_request),
                   Reply(200, openai_completion()))

    response = call(client, client_key, model="assistant", **HELLO)

    assert response.status_code == 400
    assert response.json["error"]["message"] == "messages[0].content is too long"
    assert response.json["error"]["type"] == "invalid_request_error"
    assert len(upstream.requests_to("/chat/completions")) == 1
    assert BackendHealth.select().count() == 0


def test_a_connection_error_fails_over_and_the_backend_cools_down(
        client, client_key, upstream, store):  # noqa: F811
    dead = make_provider_model(make_provider("Dead", "http://127.0.0.1:9/v1"), "model-dead")
    alive = make_provider_model(make_provider("Alive", upstream.base_url), "model-alive")
    make_facade("assistant", dead, alive)
    upstream.queue("/chat/completions", Reply(200, openai_completion()),
                   Reply(200, openai_completion()))

    assert call(client, client_key, model="assistant", **HELLO).status_code == 200
    plan = client.get("/api/admin/facades/assistant/route",
                      headers={"Authorization": "Bearer test-admin-key-0123456789abcdef"}).json
    assert [b["provider"]["slug"] for b in plan["backends"]] == ["alive"]
    assert plan["skipped"][0]["reason"].startswith("cooling down")
    assert "connection failed" in plan["skipped"][0]["reason"]

    # While it cools down, the dead backend is not even tried.
    assert call(client, client_key, model="assistant", **HELLO).status_code == 200
    assert UsageRecord.select().order_by(UsageRecord.id.desc()).get().attempts == 1


def test_a_backend_is_tried_again_once_its_cooldown_has_passed(
        client, admin_headers, upstream, two_backends):  # noqa: F811
    first = FacadeBackend.get(FacadeBackend.priority == 10)
    BackendHealth.create(backend=first, failed_at=utcnow(), last_error="fake-a: HTTP 503")
    plan = client.get("/api/admin/facades/assistant/route", headers=admin_headers).json
    assert [b["provider_model"]["upstream_model_id"] for b in plan["backends"]] == ["model-b"]

    BackendHealth.update(failed_at=utcnow() - timedelta(seconds=31)).execute()  # default: 30 s

    plan = client.get("/api/admin/facades/assistant/route", headers=admin_headers).json
    assert [b["provider_model"]["upstream_model_id"] for b in plan["backends"]] == [
        "model-a", "model-b"]


def test_usage_rows_carry_tokens_and_cost_equal_to_tokens_times_the_price(
        client, client_key, upstream, two_backends):  # noqa: F811
    upstream.queue("/chat/completions",
                   Reply(200, openai_completion(prompt_tokens=1234, completion_tokens=567)))

    call(client, client_key, model="assistant", **HELLO)

    record = UsageRecord.get()
    assert (record.input_tokens, record.output_tokens) == (1234, 567)
    # model-a costs $2.5 in / $10 out per 1M tokens.
    assert record.cost == Decimal(1234) * Decimal("2.5") / 10**6 + Decimal(567) * 10 / 10**6
    assert record.cost == Decimal("0.008755")
    assert record.cost_unknown is False
    assert (record.facade_slug, record.client_key_name, record.endpoint) == (
        "assistant", "test app", "chat.completions")


def test_an_unknown_price_is_recorded_as_unknown_never_zero(
        client, client_key, upstream, store):  # noqa: F811
    unpriced = make_provider_model(make_provider("Fake A", upstream.base_url), "model-a",
                                   input_per_1m=None, output_per_1m=None)
    make_facade("assistant", unpriced)
    upstream.queue("/chat/completions", Reply(200, openai_completion()))

    call(client, client_key, model="assistant", **HELLO)

    record = UsageRecord.get()
    assert record.cost is None
    assert record.cost_unknown is True


def test_backend_defaults_fill_only_what_the_client_did_not_send(
        client, client_key, upstream, store):  # noqa: F811
    model = make_provider_model(make_provider("Fake A", upstream.base_url), "model-a")
    make_facade("assistant", model, temperature=Decimal("0.3"), max_tokens=256, top_k=40,
                stop=["END"])
    upstream.queue("/chat/completions", Reply(200, openai_completion()))

    call(client, client_key, model="assistant", temperature=0.9, **HELLO)

    sent = upstream.requests_to("/chat/completions")[0].body
    assert sent["temperature"] == 0.9
    assert sent["max_tokens"] == 256
    assert sent["stop"] == ["END"]
    assert "top_k" not in sent  # honored only by Anthropic-family upstreams


def test_an_anthropic_backend_is_spoken_to_in_its_messages_format(
        client, client_key, upstream, store):  # noqa: F811
    model = make_provider_model(make_provider("Claude", upstream.base_url, kind="anthropic"),
                                "claude-sonnet-4", input_per_1m="3", output_per_1m="15")
    make_facade("claude", model, top_k=40, temperature=Decimal("0.5"))
    upstream.queue("/messages", Reply(200, {
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4",
        "content": [{"type": "text", "text": "Bonjour"}], "stop_reason": "max_tokens",
        "usage": {"input_tokens": 20, "output_tokens": 7}}))

    response = call(client, client_key, model="claude", stop="###", messages=[
        {"role": "system", "content": "Answer in French."},
        {"role": "user", "content": "Hello"}])

    sent = upstream.requests_to("/messages")[0]
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert sent.body == {"model": "claude-sonnet-4", "system": "Answer in French.",
                         "messages": [{"role": "user", "content": "Hello"}],
                         "max_tokens": 4096, "temperature": 0.5, "top_k": 40,
                         "stop_sequences": ["###"]}
    assert response.status_code == 200
    assert response.json["choices"][0] == {
        "index": 0, "message": {"role": "assistant", "content": "Bonjour"},
        "finish_reason": "length"}
    assert response.json["usage"]["prompt_tokens"] == 20
    assert UsageRecord.get().cost == Decimal(20 * 3 + 7 * 15) / 10**6


def _stream_over_http(live_server, token, body):
    return requests.post(f"{live_server}/v1/chat/completions", json=body, stream=True,
                         headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _sse_payloads(lines):
    return [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]


def test_a_stream_is_passed_through_chunk_by_chunk(
        live_server, client_key, upstream, two_backends):  # noqa: F811
    chunks = [{"id": "c", "object": "chat.completion.chunk", "choices": [
        {"index": 0, "delta": {"content": word}, "finish_reason": None}]} for word in ("Hel", "lo")]
    usage = {"id": "c", "object": "chat.completion.chunk", "choices": [],
             "usage": {"prompt_tokens": 8, "completion_tokens": 2, "total_tokens": 10}}
    gate = threading.Event()
    reply = Reply(200, events=[*map(json.dumps, chunks), json.dumps(usage), "[DONE]"],
                  hold_after_first=gate)
    upstream.queue("/chat/completions", reply)

    response = _stream_over_http(live_server, client_key,
                                 {"model": "assistant", "stream": True, **HELLO})
    lines = response.iter_lines(decode_unicode=True)
    first = next(line for line in lines if line)
    gate.set()  # only now does the upstream send the rest
    rest = _sse_payloads(list(lines))

    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert json.loads(first.removeprefix("data: "))["choices"][0]["delta"]["content"] == "Hel"
    assert reply.released == [True]  # the first event reached us before the upstream finished
    assert json.loads(rest[0])["choices"][0]["delta"]["content"] == "lo"
    assert rest[-1] == "[DONE]"
    record = UsageRecord.get()
    assert (record.streamed, record.input_tokens, record.output_tokens) == (True, 8, 2)
    assert record.cost == Decimal(8 * 2.5 + 2 * 10) / 10**6


def test_an_anthropic_stream_is_translated_into_openai_chunks(
        live_server, client_key, upstream, store):  # noqa: F811
    model = make_provider_model(make_provider("Claude", upstream.base_url, kind="anthropic"),
                                "claude-sonnet-4", input_per_1m="3", output_per_1m="15")
    make_facade("claude", model)
    events = [
        {"type": "message_start", "message": {"id": "msg_1", "model": "claude-sonnet-4",
                                              "usage": {"input_tokens": 11, "output_tokens": 1}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "text_delta", "text": " there"}},
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"},
         "usage": {"output_tokens": 4}},
        {"type": "message_stop"},
    ]
    upstream.queue("/messages", Reply(200, events=[json.dumps(e) for e in events], chunked=True))

    response = _stream_over_http(live_server, client_key, {
        "model": "claude", "stream": True, "stream_options": {"include_usage": True}, **HELLO})
    payloads = _sse_payloads(response.iter_lines(decode_unicode=True))

    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert [c["choices"][0]["delta"] for c in chunks[:4]] == [
        {"role": "assistant", "content": ""}, {"content": "Hi"}, {"content": " there"}, {}]
    assert chunks[3]["choices"][0]["finish_reason"] == "stop"
    assert chunks[4]["usage"] == {"prompt_tokens": 11, "completion_tokens": 4, "total_tokens": 15}
    assert upstream.requests_to("/messages")[0].body["stream"] is True
    record = UsageRecord.get()
    assert (record.input_tokens, record.output_tokens) == (11, 4)


def test_embeddings_are_routed_and_costed(client, client_key, upstream, store):  # noqa: F811
    model = make_provider_model(make_provider("Fake A", upstream.base_url), "embed-small",
                                kind="embedding", input_per_1m="0.02", output_per_1m=None)
    make_facade("embedder", model, kind="embedding")
    upstream.queue("/embeddings", Reply(200, {
        "object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [0.5, -0.25]}],
        "model": "embed-small", "usage": {"prompt_tokens": 9, "total_tokens": 9}}))

    response = call(client, client_key, "/v1/embeddings", model="embedder", input="hello")

    assert response.status_code == 200
    assert response.json["data"][0]["embedding"] == [0.5, -0.25]
    assert UsageRecord.get().cost == Decimal("0.00000018")


def test_a_chat_request_to_an_embedding_facade_is_refused(client, client_key, store):
    make_facade("embedder", kind="embedding")
    response = call(client, client_key, model="embedder", **HELLO)
    assert response.status_code == 400
    assert "/v1/embeddings" in response.json["error"]["message"]


def test_a_key_calling_a_facade_it_is_not_granted_is_refused(
        client, upstream, two_backends):  # noqa: F811
    make_facade("other")
    limited = create_client_key("limited app", ["other"]).token

    response = call(client, limited, model="assistant", **HELLO)

    assert response.status_code == 403
    assert response.json["error"]["code"] == "model_not_granted"
    assert response.json["error"]["message"] == "this API key is not granted the model 'assistant'"
    assert upstream.received == []
    listed = client.get("/v1/models", headers={"Authorization": f"Bearer {limited}"}).json
    assert [m["id"] for m in listed["data"]] == ["other"]


def test_a_disabled_facade_answers_an_openai_style_error_and_keeps_its_backends(
        client, client_key, admin_headers, upstream, two_backends):  # noqa: F811
    client.post("/api/admin/facades/assistant/disable", headers=admin_headers)

    response = call(client, client_key, model="assistant", **HELLO)

    assert response.status_code == 404
    assert response.json["error"] == {"message": "the model 'assistant' is disabled and cannot "
                                                 "be called", "type": "invalid_request_error",
                                      "param": "model", "code": "model_not_found"}
    assert FacadeBackend.select().count() == 2
    listed = client.get("/v1/models", headers={"Authorization": f"Bearer {client_key}"}).json
    assert listed["data"] == []


def test_a_missing_revoked_or_admin_key_is_refused(client, admin_headers, two_backends):
    issued = create_client_key("soon revoked")
    client.post(f"/api/admin/client-keys/{issued.key.id}/revoke", headers=admin_headers)

    for headers in ({}, {"Authorization": f"Bearer {issued.token}"}, admin_headers):
        response = client.post("/v1/chat/completions", json={"model": "assistant", **HELLO},
                               headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "invalid_api_key"


def test_malformed_json_is_a_400(client, client_key):
    response = client.post("/v1/chat/completions", data="{not json",
                           headers={"Authorization": f"Bearer {client_key}",
                                    "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["error"]["message"] == "the request body is not valid JSON"


def test_when_every_backend_fails_the_last_failure_is_returned_and_recorded(
        client, client_key, upstream, two_backends):  # noqa: F811
    upstream.queue("/chat/completions", Reply(503, {"error": {"message": "down"}}),
                   Reply(429, {"error": {"message": "slow down"}}))

    response = call(client, client_key, model="assistant", **HELLO)

    assert response.status_code == 429
    assert "fake-a: HTTP 503" in response.json["error"]["message"]
    assert "fake-b: HTTP 429" in response.json["error"]["message"]
    record = UsageRecord.get()
    assert (record.status, record.cost, record.cost_unknown) == (429, None, False)
