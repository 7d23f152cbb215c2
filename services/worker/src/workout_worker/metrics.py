"""The worker's own Prometheus metrics (the HTTP ones come from ``workout_common.metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

TASK_RUNS = Counter(
    "workout_worker_task_runs_total",
    "Scheduled task runs, by task and outcome (success|failure).",
    ["task", "outcome"],
)
TASK_DURATION = Histogram(
    "workout_worker_task_duration_seconds",
    "Time a scheduled task run took.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
TASK_ITEMS = Counter(
    "workout_worker_task_items_total",
    "Items a task handled, by result (processed|skipped|failed).",
    ["task", "result"],
)
QUEUE_DEPTH = Gauge(
    "workout_worker_queue_depth",
    "Jobs waiting in the Arq queue (arq:queue) at the last check.",
)

# Every series exists from the start, so the first failure after a restart shows in increase().
for _task in ("refresh", "warmup", "cleanup"):
    for _outcome in ("success", "failure"):
        TASK_RUNS.labels(_task, _outcome)
