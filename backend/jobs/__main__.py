"""``python -m backend.jobs``: the dedicated scheduler process (one per deployment is enough).

Migrates like an API instance would, then runs the schedule until SIGTERM or SIGINT, when it stops
taking new slots, lets a running job finish (the container's stop timeout bounds the wait; a
killed run releases its lock) and exits 0. It touches a heartbeat file while alive;
``python -m backend.jobs --check`` is the container health check reading it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from pathlib import Path

from backend.config import Config
from backend.errors import ConfigError
from backend.jobs.catalog_jobs import default_jobs
from backend.jobs.scheduler import ScheduledJob, start_scheduler
from backend.logs import configure_logging
from backend.services.bootstrap import prepare_database
from backend.store.db import bind_database

HEARTBEAT_SECONDS = 15
HEARTBEAT_STALE_SECONDS = 4 * HEARTBEAT_SECONDS

log = logging.getLogger("backend.jobs")


def heartbeat_path(config: Config) -> Path:
    return config.var_dir / "scheduler.heartbeat"


def serve(config: Config, jobs: list[ScheduledJob], stop: threading.Event | None = None) -> None:
    """Run ``jobs`` on their schedules until ``stop`` is set (by SIGTERM/SIGINT by default)."""
    stop = stop or threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    scheduler = start_scheduler(config, jobs)
    beat = heartbeat_path(config)
    beat.parent.mkdir(parents=True, exist_ok=True)
    try:
        while True:
            beat.touch()
            if stop.wait(HEARTBEAT_SECONDS):
                break
    finally:
        log.info("scheduler stopping; waiting for a running job to finish")
        scheduler.shutdown(wait=True)
        beat.unlink(missing_ok=True)
    log.info("scheduler stopped")


def check(config: Config) -> int:
    """0 when this container's scheduler touched its heartbeat recently, else 1."""
    try:
        age = time.time() - heartbeat_path(config).stat().st_mtime
    except FileNotFoundError:
        print("scheduler: no heartbeat yet", file=sys.stderr)
        return 1
    if age > HEARTBEAT_STALE_SECONDS:
        print(f"scheduler: heartbeat is {age:.0f}s old", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend.jobs", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="health check: is the scheduler alive?")
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
    except ConfigError as error:
        print(f"scheduler: configuration error: {error.message}", file=sys.stderr)
        return 2
    if args.check:
        return check(config)
    configure_logging(config.log_level)
    if not config.scheduler_enabled:
        print("scheduler: SCHEDULER_ENABLED is false; nothing to run", file=sys.stderr)
        return 2
    database = bind_database(config.database_url)
    with database.connection_context():
        prepare_database(config)
    serve(config, default_jobs(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
