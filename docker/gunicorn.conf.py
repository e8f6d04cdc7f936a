"""gunicorn settings for production: ``gunicorn -c docker/gunicorn.conf.py``.

Every setting comes from the environment with a sane default. The app is loaded once in the
master (``preload_app``), so start-up migrations run once per instance, not once per worker;
the master then returns its database connections before forking and each worker opens its own.
Web workers run no scheduler unless ``SCHEDULER_ENABLED=true`` is set explicitly (the usual
topology runs ``python -m backend.jobs`` as its own process); when it is set, every worker runs
one and the job lock keeps each slot to one run. Request metrics are aggregated across workers
through ``PROMETHEUS_MULTIPROC_DIR``.
"""

import os
import shutil
from pathlib import Path

wsgi_app = "backend.wsgi:app"
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8012')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
preload_app = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# No headers (so no Authorization) in the access log: method, path, status, size, duration.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def _scheduler_in_workers() -> bool:
    return os.environ.get("SCHEDULER_ENABLED", "").strip().lower() in ("1", "true", "yes", "on")


def on_starting(server):
    """Start each run with empty multiprocess metric files (stale ones would add up forever)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def pre_fork(server, worker):
    """Hand no open connection to a child: the master's stay in the master, closed."""
    from backend.store.db import db

    if db.obj is not None:
        if not db.is_closed():
            db.close()
        if hasattr(db.obj, "close_all"):
            db.obj.close_all()


def post_fork(server, worker):
    """Re-open this worker's own database connection and prove it works before serving."""
    from backend.store.db import db

    db.connect(reuse_if_open=True)
    db.execute_sql("SELECT 1")
    db.close()


def post_worker_init(worker):
    if not _scheduler_in_workers():
        return
    from backend.jobs.catalog_jobs import default_jobs
    from backend.jobs.scheduler import start_scheduler

    config = worker.wsgi.config["CATALOG"]
    worker.catalog_scheduler = start_scheduler(config, default_jobs(config))


def worker_exit(server, worker):
    scheduler = getattr(worker, "catalog_scheduler", None)
    if scheduler is not None:
        scheduler.shutdown(wait=False)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
