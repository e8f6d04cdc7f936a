"""The scheduler's bookkeeping: one ``job_claims`` row per scheduled slot that some instance ran.

The unique (job, slot) key is what makes a slot run at most once across every worker and instance:
whoever inserts the row first runs the slot, everyone else sees the key taken and stands down.
"""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, TextField

from backend.store.tables import BaseTable


class JobClaim(BaseTable):
    """A scheduled slot of one job, claimed by one process; started/finished keep microseconds."""

    id = AutoField()
    job = CharField(max_length=64)
    slot = DateTimeField()  # the trigger's fire time, naive UTC
    instance = CharField(max_length=200)  # host:pid of the claimer
    status = CharField(max_length=16, default="running")  # running | success | failed | abandoned
    started_at = DateTimeField()
    finished_at = DateTimeField(null=True)
    error = TextField(null=True)

    class Meta:
        table_name = "job_claims"
        indexes = ((("job", "slot"), True),)


JOB_TABLES = [JobClaim]
