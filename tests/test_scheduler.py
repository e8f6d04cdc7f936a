"""The scheduler's guarantees inside one process: the job lock, slot claims, schedules, catch-up."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from backend.config import Config
from backend.errors import AlreadyRunning, ConfigError
from backend.jobs.claims import claim_slot
from backend.jobs.locks import job_lock
from backend.jobs.scheduler import JobScheduler, ScheduledJob, run_slot
from backend.jobs.triggers import latest_fire_time, parse_schedule
from backend.services.jobs import run_exclusively
from backend.store.job_tables import JobClaim

EVERY_SECOND = "* * * * * *"


class Probe:
    """A real job: counts its runs, and can be told to fail."""

    def __init__(self, error: Exception | None = None):
        self.runs = 0
        self.error = error

    def __call__(self, config: Config) -> None:
        self.runs += 1
        if self.error:
            raise self.error


def probe_job(probe: Probe, schedule: str = EVERY_SECOND) -> tuple[ScheduledJob, object]:
    return ScheduledJob("probe", schedule, probe), parse_schedule(schedule)


def test_a_second_holder_of_a_job_lock_is_refused_at_once(app, store):
    ran = []
    with job_lock("probe"), pytest.raises(AlreadyRunning, match="probe is already running"):
        run_exclusively("probe", lambda: ran.append(True))
    assert ran == []
    assert run_exclusively("probe", lambda: "ran") == "ran"


def test_a_job_lock_held_by_another_thread_refuses_this_one(app, store):
    held, release = threading.Event(), threading.Event()

    def hold():
        with job_lock("probe"):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(30)
    try:
        with pytest.raises(AlreadyRunning):
            run_exclusively("probe", lambda: None)
    finally:
        release.set()
        holder.join()


def test_different_jobs_do_not_block_each_other(app, store):
    with job_lock("refresh"):
        assert run_exclusively("sync", lambda: "synced") == "synced"


def test_a_slot_runs_once_however_many_schedulers_fire_it(app, config, store):
    probe = Probe()
    job, trigger = probe_job(probe, "0 3 * * *")
    outcomes = [run_slot(job, trigger, config) for _ in range(3)]
    assert outcomes == ["success", "already_ran", "already_ran"]
    assert probe.runs == 1
    claim = JobClaim.get(JobClaim.job == "probe")
    assert claim.status == "success"
    assert claim.started_at <= claim.finished_at


def test_a_slot_firing_while_the_job_runs_elsewhere_runs_once_the_lock_frees(app, config, store):
    probe = Probe()
    job, trigger = probe_job(probe, "*/20 * * * * *")
    outcome = []
    with job_lock("probe"):
        patient = config.with_overrides(scheduler_misfire_grace=86400)
        waiter = threading.Thread(target=lambda: outcome.append(run_slot(job, trigger, patient)))
        waiter.start()
        assert probe.runs == 0  # it cannot run while the lock is held
    waiter.join(60)
    assert outcome == ["success"]
    assert probe.runs == 1


def test_a_scheduler_shutting_down_ends_runs_waiting_for_the_lock(app, config, store):
    probe = Probe()
    job, trigger = probe_job(probe, "0 3 * * *")
    stopping = threading.Event()
    stopping.set()
    with job_lock("probe"):
        patient = config.with_overrides(scheduler_misfire_grace=86400)
        assert run_slot(job, trigger, patient, stopping) == "stopped"
    assert probe.runs == 0


def test_a_failed_run_is_recorded_and_the_next_slot_still_runs(app, config, store):
    job, trigger = probe_job(Probe(RuntimeError("upstream exploded")), "0 3 * * *")
    assert run_slot(job, trigger, config) == "failed"
    failed = JobClaim.get(JobClaim.job == "probe")
    assert failed.status == "failed"
    assert failed.error == "RuntimeError: upstream exploded"
    JobClaim.update(slot=failed.slot - timedelta(days=1)).execute()  # that was yesterday's slot
    job, trigger = probe_job(Probe(), "0 3 * * *")
    assert run_slot(job, trigger, config) == "success"


def test_a_run_left_unfinished_by_a_dead_process_is_marked_abandoned(app, config, store):
    yesterday = latest_fire_time(parse_schedule("0 3 * * *"), datetime.now(UTC)) - timedelta(days=1)
    assert claim_slot("probe", yesterday) is not None  # its process died without finishing
    job, trigger = probe_job(Probe(), "0 3 * * *")
    assert run_slot(job, trigger, config) == "success"
    statuses = [c.status for c in JobClaim.select().order_by(JobClaim.slot)]
    assert statuses == ["abandoned", "success"]


def test_a_scheduler_catches_up_a_slot_that_passed_within_the_grace(config):
    trigger = parse_schedule("0 3 * * *")
    now = datetime.now(UTC)
    previous = latest_fire_time(trigger, now)
    late = JobScheduler(config.with_overrides(scheduler_misfire_grace=86400),
                           [ScheduledJob("probe", "0 3 * * *", Probe())])
    late.start(paused=True)
    strict = JobScheduler(config.with_overrides(scheduler_misfire_grace=1),
                             [ScheduledJob("probe", "0 3 * * *", Probe())])
    strict.start(paused=True)
    try:
        assert late.apscheduler.get_job("probe").next_run_time == previous
        assert strict.apscheduler.get_job("probe").next_run_time == previous + timedelta(days=1)
    finally:
        late.shutdown(wait=False)
        strict.shutdown(wait=False)


def test_scheduled_jobs_coalesce_and_never_run_twice_at_once_in_a_process(config):
    scheduler = JobScheduler(config, [ScheduledJob("probe", "0 3 * * *", Probe())])
    scheduler.start(paused=True)
    try:
        job = scheduler.apscheduler.get_job("probe")
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 6 * 3600)
    finally:
        scheduler.shutdown(wait=False)


def test_a_job_whose_schedule_is_off_is_not_scheduled(config):
    scheduler = JobScheduler(config, [ScheduledJob("probe", "off", Probe())])
    assert scheduler.apscheduler.get_jobs() == []


def test_the_slot_is_the_latest_fire_time_at_or_before_now():
    trigger = parse_schedule("*/5 * * * * *")
    now = datetime(2026, 5, 2, 10, 0, 7, 300000, tzinfo=UTC)
    assert latest_fire_time(trigger, now) == datetime(2026, 5, 2, 10, 0, 5, tzinfo=UTC)
    daily = parse_schedule("0 3 * * *")
    assert latest_fire_time(daily, now) == datetime(2026, 5, 2, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("value, message", [
    ("0 3 * *", "expected 5 cron fields"),
    ("0 3 * * 1", "day of week as names"),
    ("0 25 * * *", "REFRESH_SCHEDULE"),
])
def test_a_malformed_schedule_stops_the_process_with_a_clear_message(value, message):
    with pytest.raises(ConfigError, match=message):
        Config.from_env({"REFRESH_SCHEDULE": value, "ADMIN_API_KEY": "x" * 20})


def test_schedules_and_providers_come_from_the_environment():
    config = Config.from_env({"ADMIN_API_KEY": "x" * 20, "SCHEDULER_ENABLED": "false",
                              "SYNC_SCHEDULE": "*/5 * * * * *", "SYNC_PROVIDERS": "groq, OpenAI"})
    assert config.scheduler_enabled is False
    assert config.sync_schedule == "*/5 * * * * *"
    assert config.sync_providers == ("groq", "openai")
    assert config.refresh_schedule == "0 3 * * *"
