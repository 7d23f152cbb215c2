"""Task figures kept in Redis, so that every run counts wherever it ran.

In a cluster the scheduled tasks run as CronJobs whose pods exit before any scrape, so a
counter in the running process would never reach Prometheus. Each run (CronJob pod or
queued Arq job alike) therefore adds its figures to one hash per task in the worker's
queue database, with increments only (``HINCRBY``/``HINCRBYFLOAT`` in one transaction):
pods running at the same time never overwrite each other. The long-running worker's
``/metrics`` reads the hashes at scrape time through :class:`TaskMetricsCollector`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import redis
import redis.asyncio as aioredis
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from redis.exceptions import RedisError

from workout_worker.keys import task_metrics_key

logger = logging.getLogger(__name__)

TASK_NAMES = ("refresh", "warmup", "cleanup")
OUTCOMES = ("success", "failure")
DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
# A scrape must not hang on a Redis that does not answer: Prometheus' own timeout is 10 s.
READ_TIMEOUT_SECONDS = 1.0

# Fields of a task's hash.
RUNS_FIELD = "runs:"  # + outcome
ITEMS_FIELD = "items:"  # + result (processed|skipped|failed)
DURATION_SUM = "duration:sum"
DURATION_COUNT = "duration:count"
DURATION_BUCKET = "duration:le:"  # + upper bound; cumulative, as Prometheus buckets are
LAST_RUN = "last_run"
LAST_SUCCESS = "last_success"


def _bound_label(bound: float) -> str:
    """A bucket's ``le`` as Prometheus clients write it (``1.0``, ``0.05``)."""
    return repr(float(bound))


@dataclass(frozen=True)
class TaskRun:
    """The figures of one finished run; ``finished_at`` is Unix time in seconds."""

    task: str
    outcome: str
    duration_seconds: float
    finished_at: float
    items: Mapping[str, int] = field(default_factory=dict)


async def record_run(queue: aioredis.Redis, run: TaskRun) -> None:
    """Add ``run`` to its task's hash atomically; raise ``RedisError``/``OSError`` on failure."""
    key = task_metrics_key(run.task)
    pipe = queue.pipeline(transaction=True)
    pipe.hincrby(key, RUNS_FIELD + run.outcome, 1)
    for result, count in run.items.items():
        pipe.hincrby(key, ITEMS_FIELD + result, count)
    pipe.hincrbyfloat(key, DURATION_SUM, run.duration_seconds)
    pipe.hincrby(key, DURATION_COUNT, 1)
    for bound in DURATION_BUCKETS:
        if run.duration_seconds <= bound:
            pipe.hincrby(key, DURATION_BUCKET + _bound_label(bound), 1)
    # Plain writes of a time, not read-modify-write: concurrent runs of one task finish
    # seconds apart at most, and either time is right for "when did it last run".
    pipe.hset(key, LAST_RUN, repr(run.finished_at))
    if run.outcome == "success":
        pipe.hset(key, LAST_SUCCESS, repr(run.finished_at))
    await pipe.execute()


def _number(figures: Mapping[str, str], name: str) -> float:
    return float(figures.get(name, 0))


class TaskMetricsCollector(Collector):
    """Exposes the task hashes of one Redis database as the ``workout_worker_task_*`` metrics.

    When Redis does not answer, the scrape still succeeds: the task metrics are left out and
    ``workout_worker_task_metrics_up`` is 0, so the gap is visible rather than a failed target.
    """

    def __init__(self, queue_url: str, *, timeout: float = READ_TIMEOUT_SECONDS) -> None:
        self._redis = redis.Redis.from_url(
            queue_url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            decode_responses=True,
        )

    def close(self) -> None:
        self._redis.close()

    def describe(self) -> Iterable[Metric]:
        # Registration must not read Redis; the names are what the registry checks.
        return [*self._families({}), _up(True)]

    def collect(self) -> Iterable[Metric]:
        try:
            pipe = self._redis.pipeline(transaction=False)
            for task in TASK_NAMES:
                pipe.hgetall(task_metrics_key(task))
            hashes: list[dict[str, str]] = pipe.execute()
        except (RedisError, OSError) as exc:
            logger.warning("task metrics unavailable: Redis did not answer: %s", exc)
            yield _up(False)
            return
        yield from self._families(dict(zip(TASK_NAMES, hashes, strict=True)))
        yield _up(True)

    @staticmethod
    def _families(by_task: Mapping[str, Mapping[str, str]]) -> Iterator[Metric]:
        runs = CounterMetricFamily(
            "workout_worker_task_runs",
            "Scheduled task runs, by task and outcome (success|failure).",
            labels=["task", "outcome"],
        )
        items = CounterMetricFamily(
            "workout_worker_task_items",
            "Items a task handled, by result (processed|skipped|failed).",
            labels=["task", "result"],
        )
        duration = HistogramMetricFamily(
            "workout_worker_task_duration_seconds",
            "Time a scheduled task run took.",
            labels=["task"],
        )
        last_success = GaugeMetricFamily(
            "workout_worker_task_last_success_timestamp_seconds",
            "Unix time at which the task last finished successfully.",
            labels=["task"],
        )
        last_run = GaugeMetricFamily(
            "workout_worker_task_last_run_timestamp_seconds",
            "Unix time at which the task last finished, whatever the outcome.",
            labels=["task"],
        )
        for task, figures in by_task.items():
            # Every run series exists from the start, so the first failure shows in increase().
            for outcome in OUTCOMES:
                runs.add_metric([task, outcome], _number(figures, RUNS_FIELD + outcome))
            for name, value in sorted(figures.items()):
                if name.startswith(ITEMS_FIELD):
                    items.add_metric([task, name.removeprefix(ITEMS_FIELD)], float(value))
            count = _number(figures, DURATION_COUNT)
            buckets = [
                (le, _number(figures, DURATION_BUCKET + le))
                for le in map(_bound_label, DURATION_BUCKETS)
            ]
            duration.add_metric([task], [*buckets, ("+Inf", count)], _number(figures, DURATION_SUM))
            if LAST_SUCCESS in figures:
                last_success.add_metric([task], float(figures[LAST_SUCCESS]))
            if LAST_RUN in figures:
                last_run.add_metric([task], float(figures[LAST_RUN]))
        yield from (runs, items, duration, last_success, last_run)


def _up(up: bool) -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "workout_worker_task_metrics_up",
        "1 when the last scrape could read the task figures from Redis, else 0.",
        value=int(up),
    )
