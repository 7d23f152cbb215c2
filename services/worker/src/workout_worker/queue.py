"""The Arq worker: queue in the queue database, the three tasks, their cron schedules."""

from __future__ import annotations

import contextlib
from datetime import UTC, timedelta
from typing import Any

from arq.connections import RedisSettings
from arq.cron import CronJob, cron
from arq.worker import Worker

from workout_worker.jobs import (
    RESOURCES_KEY,
    cleanup_stale_data,
    refresh_exercises,
    warmup_ai_cache,
)
from workout_worker.keys import ARQ_QUEUE_KEY
from workout_worker.resources import open_resources
from workout_worker.schedule import Clock, ScheduledWorker, utc_now
from workout_worker.settings import Settings

JOB_FUNCTIONS = (refresh_exercises, warmup_ai_cache, cleanup_stale_data)
RESULT_KEEP_SECONDS = 3600  # at least the largest starting deadline the settings allow


def arq_redis_settings(settings: Settings) -> RedisSettings:
    return RedisSettings.from_dsn(settings.redis.queue_url())


def cron_jobs(settings: Settings) -> list[CronJob]:
    """The enabled schedules (UTC): refresh hourly at :00, warm-up daily, cleanup weekly."""
    schedule = settings.schedule
    timeout = settings.worker.job_timeout
    common: dict[str, Any] = {
        "unique": True,
        "timeout": timeout,
        "keep_result": RESULT_KEEP_SECONDS,
    }
    jobs: list[CronJob] = []
    if schedule.enable_hourly_refresh:
        jobs.append(cron(refresh_exercises, minute=0, **common))
    if schedule.enable_daily_warmup:
        jobs.append(cron(warmup_ai_cache, hour=schedule.warmup_hour, minute=0, **common))
    if schedule.enable_weekly_cleanup:
        jobs.append(
            cron(
                cleanup_stale_data,
                weekday=schedule.cleanup_day_of_week,
                hour=schedule.cleanup_hour,
                minute=0,
                **common,
            )
        )
    return jobs


def create_worker(
    settings: Settings,
    *,
    burst: bool = False,
    handle_signals: bool = False,
    clock: Clock = utc_now,
    **options: Any,
) -> Worker:
    """An Arq worker whose jobs share one set of clients, opened on start and closed on stop.

    ``options`` go to :class:`arq.worker.Worker` as they are (e.g. ``redis_pool``, ``poll_delay``).
    """
    stack = contextlib.AsyncExitStack()

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx[RESOURCES_KEY] = await stack.enter_async_context(open_resources(settings))

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await stack.aclose()

    return ScheduledWorker(
        starting_deadline=timedelta(seconds=settings.schedule.starting_deadline_seconds),
        clock=clock,
        functions=list(JOB_FUNCTIONS),
        cron_jobs=cron_jobs(settings),
        queue_name=ARQ_QUEUE_KEY,
        redis_settings=arq_redis_settings(settings),
        burst=burst,
        handle_signals=handle_signals,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        max_jobs=settings.worker.max_jobs,
        job_timeout=settings.worker.job_timeout,
        keep_result=RESULT_KEEP_SECONDS,
        # Tries count only interrupted runs (a stopped worker re-runs its job on restart,
        # safe because every task is idempotent); a run that fails waits for its next schedule.
        max_tries=3,
        timezone=UTC,
        **options,
    )
