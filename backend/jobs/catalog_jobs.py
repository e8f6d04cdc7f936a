"""The jobs the scheduler runs: the daily refresh (seed 003), the provider syncs, and (with
``ENABLE_REMOTE_CATALOG``) the download and verification of the signed remote catalog feed.

Both call the same services as the API and the scripts, with ``trigger="schedule"``; the lock and
the slot claim around them come from ``backend.jobs.scheduler.run_slot``.
"""

from __future__ import annotations

import logging

from backend.config import Config
from backend.jobs.scheduler import ScheduledJob
from backend.logs import run_logger
from backend.services.jobs import REFRESH_JOB, REMOTE_CATALOG_JOB, SYNC_JOB
from backend.services.refresh import refresh_catalog
from backend.services.remote_feed import fetch_remote_catalog
from backend.services.sync import SyncRequest, sync_providers

log = logging.getLogger(__name__)


def run_refresh(config: Config) -> str:
    result = refresh_catalog(config, trigger="schedule")
    line = run_logger(log, result.run_id, job=REFRESH_JOB, status=result.status, version=result.version)
    if result.status == "held":
        line.warning("scheduled refresh held back: %s", result.held_reason)
    else:
        line.info("scheduled refresh done")
    return result.status


def run_syncs(config: Config) -> int:
    """Sync ``SYNC_PROVIDERS`` in order, or every enabled, configured, syncable provider."""
    chosen = list(config.sync_providers) or None
    reports = sync_providers(config, chosen, SyncRequest(trigger="schedule"))
    failed = 0
    for report in reports:
        if report.status == "skipped":
            continue
        line = run_logger(log, report.run_id, job=SYNC_JOB, provider=report.provider,
                          status=report.status, version=report.version)
        if report.success:
            line.info("scheduled sync done")
        else:
            failed += 1
            line.warning("scheduled sync failed: %s", report.error)
    return failed


def run_remote_fetch(config: Config) -> str:
    """Fetch and verify the remote feed; an accepted one waits as a pending candidate for review."""
    fetch = fetch_remote_catalog(config, "schedule")
    line = run_logger(log, f"remote-feed-{fetch.id}", job=REMOTE_CATALOG_JOB, status=fetch.status,
                      version=fetch.version, reason=fetch.reason)
    if fetch.status == "rejected":
        line.warning("scheduled remote catalog fetch rejected: %s", fetch.message)
    else:
        line.info("scheduled remote catalog fetch done")
    return fetch.status


def default_jobs(config: Config) -> list[ScheduledJob]:
    jobs = [
        ScheduledJob(REFRESH_JOB, config.refresh_schedule, run_refresh),
        ScheduledJob(SYNC_JOB, config.sync_schedule, run_syncs),
    ]
    if config.enable_remote_catalog:
        jobs.append(ScheduledJob(REMOTE_CATALOG_JOB, config.remote_catalog_schedule, run_remote_fetch))
    return jobs
