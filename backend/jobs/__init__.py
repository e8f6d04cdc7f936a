"""Scheduled jobs: the daily refresh and the provider syncs, each slot run once across instances.

``locks`` (the database-level job lock), ``claims`` (the per-slot record), ``triggers`` (cron
schedules), ``scheduler`` (APScheduler wiring), ``catalog_jobs`` (what runs), ``__main__`` (the
dedicated scheduler process).
"""
