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
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
import responses
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from tests.conftest import ADMIN_KEY

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SLOW_EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_SLOW_EXAMPLES", "250"))
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
