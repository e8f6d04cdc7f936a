"""The jobs the scheduler runs: the daily refresh (seed 003) and the provider syncs.

Both call the same services as the API and the scripts, with ``trigger="schedule"``; the lock and
the slot claim around them come from ``backend.jobs.scheduler.run_slot``.
"""

from __future__ import annotations

import logging

from backend.config import Config
from backend.jobs.scheduler import ScheduledJob
from backend.services.jobs import REFRESH_JOB
from backend.services.refresh import refresh_catalog

log = logging.getLogger(__name__)


def run_refresh(config: Config) -> str:
    result = refresh_catalog(config, trigger="schedule")
    if result.status == "held":
        log.warning("scheduled refresh held back: %s run_id=%s", result.held_reason, result.run_id)
    return result.status


def default_jobs(config: Config) -> list[ScheduledJob]:
    return [
        ScheduledJob(REFRESH_JOB, config.refresh_schedule, run_refresh),
    ]
