"""Three scheduler instances as separate processes on one database: every slot runs exactly once.

Each instance is a real ``backend.jobs`` scheduler process (``serve``) running a probe job on a
schedule with seconds, so slots are three seconds apart. The claims table records who ran which
slot from when to when; from it the test reads that no slot was skipped or doubled, that no two
runs overlapped, and that killing the instance in the middle of a run does not stop the next slot.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from backend.store.db import bind_database, db
from backend.store.job_tables import JobClaim

SCHEDULE = "*/3 * * * * *"
PERIOD = timedelta(seconds=3)
PROJECT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def probe_instance_main() -> None:
    """Entry of one instance: the probe job registered like the catalog jobs, then ``serve``."""
    from backend.config import Config
    from backend.jobs.__main__ import serve
    from backend.jobs.scheduler import ScheduledJob
    from backend.logs import configure_logging
    from backend.store.migrations import migrate_database

    config = Config.from_env()
    configure_logging("INFO")
    bind_database(config.database_url)
    with db.connection_context():
        migrate_database()

    def probe(config: Config) -> None:
        time.sleep(float(os.environ["PROBE_SECONDS"]))

    serve(config, [ScheduledJob("probe", os.environ["PROBE_SCHEDULE"], probe)])


def start_instance(database_url: str, tmp_path: Path, number: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "ADMIN_API_KEY": "cluster-test-key-0123456789",
           "VAR_DIR": str(tmp_path / f"var{number}"), "PROBE_SCHEDULE": SCHEDULE,
           "PROBE_SECONDS": "1", "PYTHONPATH": str(PROJECT)}
    code = (f"import sys; sys.path.insert(0, {str(TESTS)!r}); "
            "import test_scheduler_cluster as t; t.probe_instance_main()")
    log = (tmp_path / f"instance{number}.log").open("w")
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=PROJECT,
                            stdout=log, stderr=subprocess.STDOUT)


def claims() -> list[JobClaim]:
    with db.connection_context():
        return list(JobClaim.select().where(JobClaim.job == "probe").order_by(JobClaim.slot))


def wait_for(condition, what: str, limit: float = 45):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


def tables_exist() -> bool:
    with db.connection_context():
        return JobClaim.table_exists()


@pytest.fixture
def cluster(fresh_database_url, tmp_path):
    instances = [start_instance(fresh_database_url, tmp_path, n) for n in range(3)]
    previous = db.obj
    bind_database(fresh_database_url)
    yield instances
    for process in instances:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    codes = [process.wait(timeout=30) for process in instances]
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()
    db.initialize(previous)
    for number in range(3):
        print((tmp_path / f"instance{number}.log").read_text())
    assert all(code in (0, -signal.SIGKILL) for code in codes), codes


def pid_of(claim: JobClaim) -> int:
    return int(claim.instance.rsplit(":", 1)[1])


def assert_every_slot_ran_once_and_never_overlapped(rows: list[JobClaim]) -> None:
    slots = [row.slot for row in rows]
    assert len(slots) == len(set(slots))
    assert all(later - earlier == PERIOD for earlier, later in itertools.pairwise(slots)), slots
    spans = sorted((row.started_at, row.finished_at) for row in rows)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end is not None and end <= start, spans


def test_three_instances_run_each_slot_exactly_once_and_survive_a_kill(cluster):
    wait_for(tables_exist, "the instances to migrate the database")
    first = wait_for(lambda: [c for c in claims() if c.status == "success"], "a first run")[0].slot

    def five_slots_after_first():
        later = [c for c in claims() if c.slot > first]
        return later[:5] if len(later) >= 6 else None

    five = wait_for(five_slots_after_first, "five more slots")
    assert [c.status for c in five] == ["success"] * 5
    assert five[-1].slot - five[0].slot == 4 * PERIOD
    assert_every_slot_ran_once_and_never_overlapped(claims())

    running = wait_for(lambda: [c for c in claims() if c.status == "running"], "a run in progress")[0]
    victim = next(p for p in cluster if p.pid == pid_of(running))
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    after = wait_for(lambda: [c for c in claims() if c.slot > running.slot and c.status == "success"],
                     "a slot after the kill")[0]

    assert pid_of(after) != victim.pid
    rows = claims()
    killed = next(c for c in rows if c.slot == running.slot)
    assert killed.status == "abandoned"
    assert_every_slot_ran_once_and_never_overlapped([c for c in rows if c.status != "running"])
