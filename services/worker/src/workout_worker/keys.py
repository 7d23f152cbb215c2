"""Redis keys the worker writes (cache database unless said).

The snapshot the coach reads is ``workout_common.context_snapshot.CONTEXT_SNAPSHOT_KEY``.
"""

IDEMPOTENCY_PATTERN = "idempotency:*"
EXERCISE_SUMMARY_PATTERN = "workout:exercise:*"
ARQ_QUEUE_KEY = "arq:queue"  # in the queue database
TASK_METRICS_PREFIX = "workout:task-metrics:"  # in the queue database, one hash per task


def refresh_idempotency_key(exercise_id: int, content_hash: str) -> str:
    return f"idempotency:refresh:{exercise_id}:{content_hash}"


def exercise_summary_key(exercise_id: int) -> str:
    return f"workout:exercise:{exercise_id}"


def task_metrics_key(task: str) -> str:
    return f"{TASK_METRICS_PREFIX}{task}"
