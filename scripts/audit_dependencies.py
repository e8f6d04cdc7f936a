#!/usr/bin/env python3
"""Audit the pinned dependencies for known vulnerabilities: pip-audit (Python) and npm audit (console).

A known vulnerability fails the run (exit 1): for Python any advisory, for the console one rated
high or critical. An advisory service that cannot be reached (no network, or a registry mirror
without the audit endpoints) is reported on one line and does not fail the run — nothing was
audited, and the line says so rather than printing "no known vulnerabilities".

    .venv/bin/python scripts/audit_dependencies.py     # also `make audit`
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_SECONDS = 120
NPM_FAILING_SEVERITIES = ("high", "critical")


@dataclass(frozen=True)
class Verdict:
    tool: str
    failed: bool
    summary: str


def run_json(command: list[str], cwd: Path) -> dict | None:
    """The command's JSON output, or None when it produced none (or did not finish in time)."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return None
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return None


def pip_audit() -> Verdict:
    report = run_json([sys.executable, "-m", "pip_audit", "--format", "json", "--skip-editable",
                       "--progress-spinner", "off"], ROOT)
    if report is None:
        return Verdict("pip-audit", False, "the vulnerability service could not be reached; "
                                           "nothing was audited")
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
                  for d in dependencies if d.get("vulns")]
    if vulnerable:
        return Verdict("pip-audit", True, "known vulnerabilities: " + "; ".join(vulnerable))
    if dependencies and len(skipped) == len(dependencies):
        return Verdict("pip-audit", False, f"the vulnerability service could not be reached; "
                                           f"none of {len(dependencies)} packages was audited")
    note = f" ({len(skipped)} not audited)" if skipped else ""
    return Verdict("pip-audit", False,
                   f"{len(dependencies) - len(skipped)} packages audited, none vulnerable{note}")


def npm_audit() -> Verdict:
    report = run_json(["npm", "audit", "--json", "--omit=dev"], ROOT / "frontend")
    if report is None or "metadata" not in report:
        reason = (report or {}).get("message", "no answer")
        return Verdict("npm audit", False, f"the advisory service could not be reached ({reason}); "
                                           "nothing was audited")
    counts = report["metadata"]["vulnerabilities"]
    failing = {severity: counts.get(severity, 0) for severity in NPM_FAILING_SEVERITIES}
    total = report["metadata"].get("dependencies", {}).get("total", "?")
    if any(failing.values()):
        names = ", ".join(sorted(report.get("vulnerabilities", {})))
        return Verdict("npm audit", True, f"{failing} in: {names}")
    return Verdict("npm audit", False, f"{total} packages audited, none rated high or critical "
                                       f"({sum(counts.values())} lower)")


def main() -> int:
    verdicts = [pip_audit(), npm_audit()]
    for verdict in verdicts:
        print(f"audit: {verdict.tool}: {'FAILED: ' if verdict.failed else ''}{verdict.summary}")
    return 1 if any(verdict.failed for verdict in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
