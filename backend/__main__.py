"""``python -m backend``: serve the API, the console and the scheduler in one process (``make run``).

The scheduler starts when ``SCHEDULER_ENABLED`` (the default). The development server runs
without the reloader, so there is exactly one scheduler per ``make run``; other instances sharing
the database are kept from running a slot twice by the job lock and the slot claims.
"""

from __future__ import annotations

import sys

from backend.config import Config
from backend.errors import ConfigError


def main() -> int:
    try:
        config = Config.from_env()
        from backend.app import create_app

        app = create_app(config)
    except ConfigError as error:
        print(f"model-catalog: configuration error: {error.message}", file=sys.stderr)
        return 2
    scheduler = None
    if config.scheduler_enabled:
        from backend.jobs.catalog_jobs import default_jobs
        from backend.jobs.scheduler import start_scheduler

        scheduler = start_scheduler(config, default_jobs(config))
    key_source = "ADMIN_API_KEY" if config.environ.get("ADMIN_API_KEY") else config.var_dir / "admin_api_key"
    print(f"Model Catalog on http://127.0.0.1:{config.port} (admin key: {key_source}; "
          f"scheduler {'on' if scheduler else 'off'})", file=sys.stderr)
    try:
        # No reloader: its parent and child would each start a scheduler.
        app.run(host="127.0.0.1", port=config.port, threaded=True, use_reloader=False)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
