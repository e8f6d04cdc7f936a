"""Per-slot claims: the idempotent half of "exactly once" (the lock is the other half).

Only the holder of a job's lock claims or finishes its slots, so a claim still ``running`` when
the lock is taken belonged to a process that died mid-run: it is marked ``abandoned``.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from peewee import IntegrityError

from backend.store.db import db
from backend.store.job_tables import JobClaim


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def precise_utcnow() -> datetime:
    """Naive UTC with microseconds: claims must show that two runs never overlapped."""
    return datetime.now(UTC).replace(tzinfo=None)


def abandon_unfinished(job: str) -> int:
    """Close the claims of runs whose process died; call only while holding ``job``'s lock."""
    return (JobClaim.update(status="abandoned", finished_at=precise_utcnow(),
                            error="the process running this slot stopped before it finished")
            .where((JobClaim.job == job) & (JobClaim.status == "running"))
            .execute())


def slot_claimed(job: str, slot: datetime) -> bool:
    return JobClaim.select().where(
        (JobClaim.job == job) & (JobClaim.slot == slot.astimezone(UTC).replace(tzinfo=None))
    ).exists()


def claim_slot(job: str, slot: datetime) -> JobClaim | None:
    """Record that this process runs ``slot``; None when some process already claimed it."""
    try:
        with db.atomic():
            return JobClaim.create(job=job, slot=slot.astimezone(UTC).replace(tzinfo=None),
                                   instance=instance_name(), status="running",
                                   started_at=precise_utcnow())
    except IntegrityError:
        return None


def finish_claim(claim: JobClaim, status: str, error: str | None = None) -> None:
    claim.status = status
    claim.finished_at = precise_utcnow()
    claim.error = error
    claim.save()
