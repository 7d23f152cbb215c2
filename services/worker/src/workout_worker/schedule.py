"""When a scheduled run is due, and what happens to a run the worker missed.

Arq computes each schedule's next run in memory. Left alone it has two flaws for a worker
that was stopped, suspended or starved over a scheduled time:

* after a restart the missed run is forgotten (the next run is computed from "now");
* a live worker whose clock jumped forward enqueues every missed run, one per heartbeat.

:class:`ScheduledWorker` applies one rule instead, the same as a Kubernetes CronJob's
``startingDeadlineSeconds``: a run missed by at most ``starting_deadline`` seconds runs late,
once; a run missed by more is skipped and logged. "Once" holds across workers and restarts
because a scheduled run's job id names its time (``cron:<task>:<ms>``) and Arq refuses an id
whose job or result still exists (results are kept longer than the deadline).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from arq.worker import Worker

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(tz=UTC)


class ScheduledWorker(Worker):
    """An Arq worker with a starting deadline for its schedules and an injectable clock."""

    def __init__(
        self, *args: Any, starting_deadline: timedelta, clock: Clock = utc_now, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.starting_deadline = starting_deadline
        self.clock = clock

    async def heart_beat(self) -> None:
        await self.record_health()
        await self.run_cron(self.clock(), max(self.poll_delay_s, 0.5))

    async def run_cron(self, n: datetime, delay: float, num_windows: int = 2) -> None:
        oldest_allowed = n - self.starting_deadline
        for job in self.cron_jobs:
            if job.next_run is None:
                # First pass: a run scheduled within the deadline before now is still due.
                job.calculate_next(oldest_allowed)
            elif job.next_run < oldest_allowed:
                logger.warning(
                    "scheduled run skipped: missed by more than the starting deadline",
                    extra={
                        "task": job.name,
                        "scheduled_for": job.next_run.isoformat(),
                        "starting_deadline_seconds": self.starting_deadline.total_seconds(),
                    },
                )
                job.calculate_next(oldest_allowed)
        await super().run_cron(n, delay, num_windows)
