"""Catalog jobs that must never overlap, whoever starts them: the scheduler, the API or a script.

``run_exclusively`` takes the job's database-level lock (``backend.jobs.locks``) for the whole
run; a second caller gets ``AlreadyRunning`` (409) at once instead of waiting or duplicating the
work. The scheduler takes the same lock, so a manual sync and a scheduled one never overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from backend.jobs.locks import job_lock

T = TypeVar("T")

# Lock names: one per job. Every provider sync shares one lock, like every refresh.
REFRESH_JOB = "refresh"
SYNC_JOB = "sync"
REMOTE_CATALOG_JOB = "remote-catalog"


def run_exclusively(name: str, operation: Callable[[], T]) -> T:
    """Run ``operation`` holding ``name``'s lock; raises ``AlreadyRunning`` if someone holds it."""
    with job_lock(name):
        return operation()
