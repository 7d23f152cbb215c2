"""The worker's own Prometheus metrics (the HTTP ones come from ``workout_common.metrics``).

The task metrics (``workout_worker_task_*``) are not here: every run records them in Redis,
wherever it ran, and ``workout_worker.task_metrics`` exposes them (one source of truth).
"""

from __future__ import annotations

from prometheus_client import Gauge

QUEUE_DEPTH = Gauge(
    "workout_worker_queue_depth",
    "Jobs waiting in the Arq queue (arq:queue) at the last check.",
)
