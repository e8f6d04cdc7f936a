"""Property-based fuzzing of every documented operation with schemathesis, in process.

The operations come from the app's own ``/api/openapi.json`` at run time, so a route added later
is fuzzed without editing this file. Each operation gets schema-valid (positive) and schema-invalid
(negative) requests, once with the admin key and once without. Every response must:

- not be a server error (5xx), except a 502 an operation documents (an upstream it could not reach);
- carry a status code the operation lists explicitly (the ``default`` error response does not count);
- match the documented content type, headers and body schema.

Operations that would reach an upstream (provider syncs, the remote feed) run with the network
edge closed by ``responses``: an attempted call fails like an unreachable host, which such an
operation must answer with its documented 502, never a 500.

The ``/v1`` gateway is not in the OpenAPI document (it speaks OpenAI's wire format): its request
validation is fuzzed here with generated JSON and raw bytes, against facades whose only backend is
a closed local port, so nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

import pytest
import responses
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from backend.services.client_keys import create_client_key
from tests.conftest import ADMIN_KEY
from tests.gateway_fakes import make_facade, make_provider, make_provider_model

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SLOW_EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_SLOW_EXAMPLES", "50"))
# schemathesis' WSGI transport does not undo Content-Encoding, and catalog reads are served
# pre-compressed to clients that accept gzip: ask for the identity form, as a plain client does.
PLAIN = {"Accept-Encoding": "identity"}
ADMIN = {**PLAIN, "Authorization": f"Bearer {ADMIN_KEY}"}


def documented_status_code(ctx, response, case) -> None:
    """Stricter than schemathesis' own check: ``default`` does not make every status documented."""
    listed = {code for code in case.operation.responses.status_codes if code.isdigit()}
    if str(response.status_code) not in listed:
        raise AssertionError(
            f"undocumented status {response.status_code} (documented: {', '.join(sorted(listed))})")


def no_undocumented_server_error(ctx, response, case) -> None:
    """A 5xx is a failure unless the operation documents that exact status (a 502 upstream error)."""
    listed = set(case.operation.responses.status_codes)
    if response.status_code >= 500 and str(response.status_code) not in listed:
        not_a_server_error(ctx, response, case)


CHECKS = [no_undocumented_server_error, documented_status_code, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@dataclass
class FuzzReport:
    examples: int
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    failures: dict[str, str] = field(default_factory=dict)

    def summary(self, label: str) -> str:
        return (f"fuzz[{label}]: {len(self.operations)} operations, {self.examples} examples per "
                f"operation and mode (positive + negative), {self.requests} requests, "
                f"{len(self.failures)} failures")


def fuzz_operation(operation, mode: GenerationMode, headers: dict, report: FuzzReport) -> None:
    """Send up to ``report.examples`` generated requests; keep the first failure (no shrinking)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=report.examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        if operation.label in report.failures:
            return
        report.requests += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Failure, FailureGroup) as failure:
            report.failures[operation.label] = f"{mode.value}: {failure}\n{case.as_curl_command()}"
        except Exception as error:  # TESTING propagates what would have been a 500
            report.failures[operation.label] = (
                f"{mode.value}: unhandled {type(error).__name__}: {error}\n{case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:
        # An operation that takes no input has no invalid input to generate.
        if mode is GenerationMode.POSITIVE:
            raise


def fuzz_every_operation(app, headers: dict, examples: int) -> FuzzReport:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    report = FuzzReport(examples=examples)
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        for result in schema.get_all_operations():
            operation = result.ok()
            report.operations.add(operation.label)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz_operation(operation, mode, headers, report)
    return report


def assert_clean(report: FuzzReport, label: str, capsys) -> None:
    with capsys.disabled():
        print(f"\n{report.summary(label)}")
    assert len(report.operations) >= 50, "the OpenAPI document lost its operations"
    problems = "\n\n".join(f"{label}\n{text}" for label, text in sorted(report.failures.items()))
    assert not report.failures, f"{len(report.failures)} operations failed:\n\n{problems}"


@pytest.fixture
def fuzz_app(bundled_catalog, app):
    """The app on a fresh database with the small bundled catalog applied at start-up."""
    return app


@pytest.mark.parametrize("auth", ["admin-key", "no-key"])
def test_every_operation_survives_generated_requests(fuzz_app, auth, capsys):
    headers = ADMIN if auth == "admin-key" else PLAIN
    report = fuzz_every_operation(fuzz_app, headers, EXAMPLES_PER_OPERATION)
    assert_clean(report, auth, capsys)


@pytest.mark.slow
def test_every_operation_survives_a_long_run_with_the_admin_key(fuzz_app, capsys):
    report = fuzz_every_operation(fuzz_app, ADMIN, SLOW_EXAMPLES_PER_OPERATION)
    assert_clean(report, "admin-key, long run", capsys)


def json_bytes(value) -> bytes:
    return json.dumps(value).encode()


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
NUMBERS = st.integers() | st.floats() | st.decimals(allow_nan=False, allow_infinity=False).map(float)
MESSAGES = st.lists(st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "system", "assistant", "tool"]) | st.text(max_size=6),
     "content": st.text() | JSON_VALUES}), max_size=3) | JSON_VALUES
GATEWAY_FIELDS = {
    "messages": MESSAGES,
    "input": st.text() | st.lists(st.text(), max_size=3) | JSON_VALUES,
    "stream": st.booleans() | JSON_VALUES,
    "stream_options": st.fixed_dictionaries({"include_usage": st.booleans()}) | JSON_VALUES,
    "temperature": NUMBERS | JSON_VALUES,
    "max_tokens": NUMBERS | JSON_VALUES,
    "top_p": NUMBERS | JSON_VALUES,
    "stop": st.lists(st.text(), max_size=6) | JSON_VALUES,
    "tools": JSON_VALUES,
    "n": NUMBERS | JSON_VALUES,
}
GATEWAY_BODIES = st.one_of(
    st.binary(max_size=64),
    JSON_VALUES.map(json_bytes),
    st.fixed_dictionaries(
        {"model": st.sampled_from(["assistant", "embedder"])
         | st.sampled_from(["missing", "", "ASSISTANT", "assistant\x00"]) | JSON_VALUES},
        optional=GATEWAY_FIELDS,
    ).map(json_bytes),
)


@pytest.fixture
def gateway_token(store):
    """A client key, a chat and an embedding facade whose one backend is a closed local port."""
    closed = make_provider("Closed", "http://127.0.0.1:9/v1")
    make_facade("assistant", make_provider_model(closed, "model-chat"))
    make_facade("embedder", make_provider_model(closed, "model-emb", kind="embedding"),
                kind="embedding")
    return create_client_key("fuzz").token


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/embeddings"])
def test_the_gateway_answers_generated_bodies_with_openai_shaped_errors(
        client, gateway_token, path, capsys):
    outcomes: dict[int, int] = {}

    @given(body=GATEWAY_BODIES)
    @settings(max_examples=EXAMPLES_PER_OPERATION * 8, deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    def run(body):
        response = client.post(path, data=body, content_type="application/json",
                               headers={"Authorization": f"Bearer {gateway_token}"})
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
        assert response.status_code in {400, 403, 404, 502}, response.data[:300]
        error = response.get_json()["error"]
        assert isinstance(error["message"], str) and isinstance(error["type"], str)

    run()
    with capsys.disabled():
        print(f"\nfuzz[{path}]: {sum(outcomes.values())} requests, statuses {dict(sorted(outcomes.items()))}")


def test_nul_characters_are_refused_on_every_operation_before_any_query(fuzz_app, client):
    """PostgreSQL text cannot hold NUL: in a path it names nothing, in a query or a body it is invalid.

    Found by the gateway fuzzing on PostgreSQL; checked here on every operation of the document.
    """
    spec = client.get("/api/openapi.json").get_json()
    wrong = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            plain = re.sub(r"{(\w+)}", lambda m: "1" if m[1].endswith("id") else "openai", path)
            probes = []
            if re.search(r"{(?!\w*id})\w+}", path):  # a text segment in the path
                probes.append((re.sub(r"{(\w+)}", lambda m: "1" if m[1].endswith("id") else "a%00b",
                                      path), None, 404))
            if names:
                probes.append((f"{plain}?{'&'.join(f'{n}=x%00y' for n in names)}", None, 422))
            if "requestBody" in operation:
                probes.append((plain, {"name": "x\x00y", "a\x00": 1}, 422))
            for url, body, expected in probes:
                response = client.open(url, method=method.upper(), headers=ADMIN, json=body)
                if response.status_code != expected or "code" not in response.get_json():
                    wrong.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not wrong, wrong
