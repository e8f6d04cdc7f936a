"""Schedules: cron expressions in UTC, and the slot (fire time) a run belongs to.

Five fields are a standard crontab line (``0 3 * * *``); six put seconds first
(``*/5 * * * * *``), which tests use to make slots seconds apart. ``off`` disables a job.
Day-of-week must be written as names (``mon-fri``): APScheduler 3 numbers Monday as 0 where cron
numbers Sunday as 0, and a silently shifted weekday is worse than a refused value.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

DISABLED = ("off", "disabled", "none")
_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
# Far enough back to find the previous slot of any yearly-or-more-frequent schedule.
_MAX_LOOKBACK = timedelta(days=400)


def parse_schedule(expression: str) -> CronTrigger | None:
    """The trigger for ``expression``, or None when it is ``off``; ValueError when malformed."""
    text = expression.strip()
    if text.lower() in DISABLED:
        return None
    values = text.split()
    if len(values) not in (5, 6):
        raise ValueError(f"expected 5 cron fields (or 6 with seconds first), got {len(values)}")
    names = ("second", *_FIELDS) if len(values) == 6 else _FIELDS
    fields = dict(zip(names, values, strict=True))
    if re.search(r"\d", fields["day_of_week"]):
        raise ValueError("write the day of week as names (mon-sun), not numbers")
    return CronTrigger(timezone=UTC, **fields)


def latest_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The last fire time at or before ``now``: the slot a run starting at ``now`` belongs to.

    With coalescing, APScheduler runs a late job once for its latest due fire time, which is this.
    """
    lookback = timedelta(seconds=1)
    fire = None
    while lookback <= _MAX_LOOKBACK:
        fire = trigger.get_next_fire_time(None, now - lookback)
        if fire is not None and fire <= now:
            break
        lookback *= 2
    else:
        return None
    while True:
        following = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        if following is None or following > now:
            return fire
        fire = following
