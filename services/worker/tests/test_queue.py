"""The Arq side: schedules behind their toggles, at their hours, unique, run by a real worker."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from arq.connections import create_pool
from arq.jobs import Job, JobStatus

from workout_worker.keys import ARQ_QUEUE_KEY
from workout_worker.queue import arq_redis_settings, create_worker, cron_jobs

NO_SCHEDULES = {
    "enable_hourly_refresh": False,
    "enable_daily_warmup": False,
    "enable_weekly_cleanup": False,
}
THURSDAY_10_17 = datetime(2026, 11, 26, 10, 17, 5, tzinfo=UTC)


def names(jobs: list[Any]) -> list[str]:
    return sorted(job.name for job in jobs)


def next_run(job: Any, after: datetime) -> datetime:
    job.calculate_next(after)
    assert job.next_run is not None
    return job.next_run.replace(microsecond=0)


def test_all_three_schedules_by_default(make_settings: Any) -> None:
    jobs = cron_jobs(make_settings())

    assert names(jobs) == [
        "cron:cleanup_stale_data",
        "cron:refresh_exercises",
        "cron:warmup_ai_cache",
    ]
    assert all(job.unique for job in jobs)
    assert all(job.timeout_s == 300 for job in jobs)


@pytest.mark.parametrize(
    ("toggle", "missing"),
    [
        ("enable_hourly_refresh", "cron:refresh_exercises"),
        ("enable_daily_warmup", "cron:warmup_ai_cache"),
        ("enable_weekly_cleanup", "cron:cleanup_stale_data"),
    ],
)
def test_each_toggle_removes_its_schedule(make_settings: Any, toggle: str, missing: str) -> None:
    jobs = cron_jobs(make_settings(schedule={toggle: False}))

    assert missing not in names(jobs)
    assert len(jobs) == 2


def test_no_schedules_when_all_are_off(make_settings: Any) -> None:
    settings = make_settings(
        schedule={
            "enable_hourly_refresh": False,
            "enable_daily_warmup": False,
            "enable_weekly_cleanup": False,
        }
    )
    assert cron_jobs(settings) == []


def test_default_times_are_hourly_six_am_and_sunday_two_am(make_settings: Any) -> None:
    jobs = {job.name: job for job in cron_jobs(make_settings())}

    assert next_run(jobs["cron:refresh_exercises"], THURSDAY_10_17) == datetime(
        2026, 11, 26, 11, 0, tzinfo=UTC
    )
    assert next_run(jobs["cron:warmup_ai_cache"], THURSDAY_10_17) == datetime(
        2026, 11, 27, 6, 0, tzinfo=UTC
    )
    assert next_run(jobs["cron:cleanup_stale_data"], THURSDAY_10_17) == datetime(
        2026, 11, 29, 2, 0, tzinfo=UTC
    )


def test_configured_hours_and_day_are_used(make_settings: Any) -> None:
    settings = make_settings(
        schedule={"warmup_hour": 14, "cleanup_day_of_week": 0, "cleanup_hour": 23},
        worker={"job_timeout": 120},
    )
    jobs = {job.name: job for job in cron_jobs(settings)}

    assert next_run(jobs["cron:warmup_ai_cache"], THURSDAY_10_17) == datetime(
        2026, 11, 26, 14, 0, tzinfo=UTC
    )
    assert next_run(jobs["cron:cleanup_stale_data"], THURSDAY_10_17) == datetime(
        2026, 11, 30, 23, 0, tzinfo=UTC
    )
    assert all(job.timeout_s == 120 for job in jobs.values())


async def test_burst_worker_runs_a_queued_task_and_keeps_its_result(
    make_settings: Any, worker_redis: Any
) -> None:
    # No schedules: otherwise a run at hh:59:59 would also meet the hourly refresh.
    settings = make_settings(schedule=NO_SCHEDULES)
    worker_redis.cache.set("idempotency:refresh:9:orphan", "1")
    pool = await create_pool(arq_redis_settings(settings))
    try:
        job = await pool.enqueue_job("cleanup_stale_data")
        assert job is not None
        assert worker_redis.queue.zcard(ARQ_QUEUE_KEY) == 1

        worker = create_worker(settings, burst=True, poll_delay=0.05)
        try:
            await worker.async_run()
        finally:
            await worker.close()

        assert worker.jobs_complete == 1
        assert worker.jobs_failed == 0
        result = await job.result(timeout=5)
        assert result["deleted_idempotency_keys"] == 1
        assert not worker_redis.cache.exists("idempotency:refresh:9:orphan")
        assert worker_redis.queue.zcard(ARQ_QUEUE_KEY) == 0
    finally:
        await pool.aclose()


class FakeClock:
    """The worker's clock, set by the test: nothing here depends on the real date."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# A weekly clean-up on Sunday 02:00 UTC (the default), on fixed days long past.
SUNDAY_2AM = datetime(2024, 3, 3, 2, 0, tzinfo=UTC)
WEEKLY_ONLY = {"enable_hourly_refresh": False, "enable_daily_warmup": False}


def cleanup_runs(worker_redis: Any) -> list[str]:
    """The scheduled clean-ups queued or finished (Arq keeps a result per run)."""
    queued = worker_redis.queue.zrange(ARQ_QUEUE_KEY, 0, -1)
    finished = [key.removeprefix("arq:result:") for key in worker_redis.queue.keys("arq:result:*")]
    return [job_id for job_id in queued + finished if job_id.startswith("cron:cleanup_stale_data:")]


def next_run_time(job: Any) -> datetime:
    assert job.next_run is not None
    return job.next_run.replace(microsecond=0)  # Arq adds a fixed sub-second offset


async def run_burst(settings: Any, clock: FakeClock, pool: Any) -> Any:
    worker = create_worker(settings, burst=True, redis_pool=pool, poll_delay=0.05, clock=clock)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker


async def test_a_due_schedule_is_enqueued_once_and_run(
    make_settings: Any, worker_redis: Any
) -> None:
    settings = make_settings(schedule=WEEKLY_ONLY)
    worker_redis.cache.set("idempotency:refresh:1:orphan", "1")
    clock = FakeClock(SUNDAY_2AM - timedelta(milliseconds=400))
    pool = await create_pool(arq_redis_settings(settings))
    try:
        # Two workers reach the same schedule: unique=True lets only one job through.
        first = create_worker(settings, burst=True, redis_pool=pool, poll_delay=0.05, clock=clock)
        second = create_worker(settings, burst=True, redis_pool=pool, poll_delay=0.05, clock=clock)
        for worker in (first, second):
            await worker.run_cron(clock(), 0.5)  # computes the next run
            await worker.run_cron(clock(), 0.5)  # due within the window: enqueues
        assert worker_redis.queue.zcard(ARQ_QUEUE_KEY) == 1
        (job_id,) = worker_redis.queue.zrange(ARQ_QUEUE_KEY, 0, -1)
        assert job_id.startswith("cron:cleanup_stale_data:")

        clock.now = SUNDAY_2AM + timedelta(seconds=1)
        await first.async_run()

        assert first.jobs_complete == 1
        job = Job(job_id, pool)
        assert await job.status() == JobStatus.complete
        assert (await job.result(timeout=5))["deleted_idempotency_keys"] == 1
        assert not worker_redis.cache.exists("idempotency:refresh:1:orphan")
    finally:
        await first.close()
        await second.close()
        await pool.aclose()


async def test_a_run_missed_within_the_deadline_runs_late_once(
    make_settings: Any, worker_redis: Any
) -> None:
    settings = make_settings(schedule={**WEEKLY_ONLY, "starting_deadline_seconds": 300})
    clock = FakeClock(SUNDAY_2AM + timedelta(minutes=4))  # down from 01:59 to 02:04
    pool = await create_pool(arq_redis_settings(settings))
    try:
        started = await run_burst(settings, clock, pool)
        assert started.jobs_complete == 1
        assert len(cleanup_runs(worker_redis)) == 1

        # A restart (or a second worker) a minute later finds the run done: not again.
        clock.now += timedelta(minutes=1)
        restarted = await run_burst(settings, clock, pool)
        assert restarted.jobs_complete == 0
        assert len(cleanup_runs(worker_redis)) == 1
    finally:
        await pool.aclose()


async def test_a_run_missed_by_more_than_the_deadline_is_skipped(
    make_settings: Any, worker_redis: Any
) -> None:
    settings = make_settings(schedule={**WEEKLY_ONLY, "starting_deadline_seconds": 300})
    clock = FakeClock(SUNDAY_2AM + timedelta(minutes=6))
    pool = await create_pool(arq_redis_settings(settings))
    try:
        started = await run_burst(settings, clock, pool)
        assert started.jobs_complete == 0
        assert cleanup_runs(worker_redis) == []
        (job,) = started.cron_jobs
        assert next_run_time(job) == SUNDAY_2AM + timedelta(days=7)  # the next one is kept
    finally:
        await pool.aclose()


async def test_a_clock_jump_over_missed_runs_enqueues_none_of_them(
    make_settings: Any, worker_redis: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # A worker suspended for three weeks (or starved) wakes with stale next runs in memory.
    settings = make_settings(schedule=WEEKLY_ONLY)
    clock = FakeClock(SUNDAY_2AM - timedelta(hours=1))
    pool = await create_pool(arq_redis_settings(settings))
    worker = create_worker(settings, burst=True, redis_pool=pool, poll_delay=0.05, clock=clock)
    try:
        await worker.run_cron(clock(), 0.5)
        clock.now = SUNDAY_2AM + timedelta(days=21, hours=1)
        with caplog.at_level(logging.WARNING, logger="workout_worker.schedule"):
            for _ in range(4):  # one heartbeat per missed week and one more
                await worker.run_cron(clock(), 0.5)

        assert worker_redis.queue.zcard(ARQ_QUEUE_KEY) == 0
        assert [r.message for r in caplog.records] == [
            "scheduled run skipped: missed by more than the starting deadline"
        ]
        (job,) = worker.cron_jobs
        assert next_run_time(job) == SUNDAY_2AM + timedelta(days=28)
    finally:
        await worker.close()
        await pool.aclose()
