"""The in-process scheduler: APScheduler 3 ``BackgroundScheduler`` in UTC, one job per schedule.

Every process that enables it runs the same schedule; ``run_slot`` makes each slot run once in
total. A firing means "the latest slot must be run by someone": the process takes the job's
database-level lock (``job_lock``) and claims the slot in ``job_claims`` (a slot already claimed is
not run again). A process that finds the lock taken — the previous slot or a manual run is still
going — polls until the lock frees or another process has claimed the slot, so a slot that fires
during a long run is run right after it rather than lost; if a newer slot arrives meanwhile, the
older one is coalesced into it. Coalescing also runs a late job once, for its latest slot; the
misfire grace lets a slot run late instead of being dropped; and a process starting within the
grace of a slot nobody ran catches it up at once.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from backend.config import Config
from backend.errors import AlreadyRunning
from backend.jobs.claims import abandon_unfinished, claim_slot, finish_claim, slot_claimed
from backend.jobs.locks import job_lock
from backend.jobs.triggers import latest_fire_time, parse_schedule
from backend.store.db import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    """A named job (its lock and claim key), its cron schedule, and what it runs."""

    name: str
    schedule: str
    run: Callable[[Config], object]


def _poll_interval(trigger: CronTrigger, slot: datetime) -> float:
    """A twentieth of the schedule's period, between 0.1 s and 5 s."""
    following = trigger.get_next_fire_time(slot, slot + timedelta(seconds=1))
    period = (following - slot).total_seconds() if following else 3600.0
    return min(max(period / 20, 0.1), 5.0)


def run_slot(job: ScheduledJob, trigger: CronTrigger, config: Config,
             stopping: threading.Event | None = None) -> str:
    """See that the latest slot is run, here or elsewhere; returns what this process did."""
    stopping = stopping or threading.Event()
    grace = timedelta(seconds=config.scheduler_misfire_grace)
    with _connection():
        while True:
            now = datetime.now(UTC)
            slot = latest_fire_time(trigger, now)
            if slot_claimed(job.name, slot):
                log.info("job=%s slot=%s ran elsewhere", job.name, slot.isoformat())
                return "already_ran"
            try:
                return _run_locked(job, slot, config)
            except AlreadyRunning:
                if now - slot > grace:
                    log.warning("job=%s slot=%s missed: the lock stayed busy past the grace",
                                job.name, slot.isoformat())
                    return "missed"
                if stopping.wait(_poll_interval(trigger, slot)):
                    return "stopped"


@contextlib.contextmanager
def _connection() -> Iterator[None]:
    """This thread's connection for the run, closed after only if the run opened it."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened and not db.is_closed():
            db.close()


def _run_locked(job: ScheduledJob, slot: datetime, config: Config) -> str:
    with job_lock(job.name):
        abandoned = abandon_unfinished(job.name)
        if abandoned:
            log.warning("job=%s marked %d unfinished run(s) abandoned", job.name, abandoned)
        claim = claim_slot(job.name, slot)
        if claim is None:
            log.info("job=%s slot=%s ran elsewhere", job.name, slot.isoformat())
            return "already_ran"
        log.info("job=%s slot=%s started", job.name, slot.isoformat())
        try:
            job.run(config)
        except Exception as error:  # a failed slot is recorded and the scheduler keeps going
            finish_claim(claim, "failed", error=f"{type(error).__name__}: {error}"[:2000])
            log.exception("job=%s slot=%s failed", job.name, slot.isoformat())
            return "failed"
        finish_claim(claim, "success")
        log.info("job=%s slot=%s finished", job.name, slot.isoformat())
        return "success"


class JobScheduler:
    """APScheduler plus the signal that ends runs waiting for a lock when it shuts down."""

    def __init__(self, config: Config, jobs: list[ScheduledJob]):
        grace = config.scheduler_misfire_grace
        self.stopping = threading.Event()
        self.apscheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
        )
        now = datetime.now(UTC)
        for job in jobs:
            trigger = parse_schedule(job.schedule)
            if trigger is None:
                log.info("job=%s is off", job.name)
                continue
            options = {}
            previous = latest_fire_time(trigger, now)
            if previous is not None and now - previous <= timedelta(seconds=grace):
                # Catch up a slot that passed while no instance was up; a claim skips it if one ran it.
                options["next_run_time"] = previous
            self.apscheduler.add_job(run_slot, trigger, args=(job, trigger, config, self.stopping),
                                     id=job.name, name=job.name, **options)

    def start(self, *, paused: bool = False) -> None:
        self.apscheduler.start(paused=paused)
        for job in self.apscheduler.get_jobs():
            log.info("job=%s scheduled next_run=%s", job.id, job.next_run_time.isoformat())

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop firing; runs waiting for a lock give up, a run in progress finishes if ``wait``."""
        self.stopping.set()
        self.apscheduler.shutdown(wait=wait)


def start_scheduler(config: Config, jobs: list[ScheduledJob]) -> JobScheduler:
    scheduler = JobScheduler(config, jobs)
    scheduler.start()
    return scheduler
