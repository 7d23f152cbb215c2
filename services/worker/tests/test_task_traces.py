"""A task run is one trace: its own span, its X-Trace-Id, and the Redis calls under it."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from workout_common.telemetry import setup_telemetry
from workout_common.trace_context import TRACE_ID_SPAN_ATTRIBUTE
from workout_worker.resources import open_resources
from workout_worker.tasks.runner import run_task


async def test_a_task_run_is_one_trace_stamped_with_its_trace_id(
    make_settings: Any, worker_redis: Any
) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("workout-worker").add_span_processor(SimpleSpanProcessor(exporter))
    worker_redis.cache.set("idempotency:refresh:1:abc", "1")  # no TTL: cleanup deletes it

    async with open_resources(make_settings()) as resources:
        result = await run_task("cleanup", resources)

    assert result.as_dict()["deleted_idempotency_keys"] == 1
    spans = exporter.get_finished_spans()
    [task_span] = [span for span in spans if span.name == "task cleanup"]
    assert task_span.attributes is not None
    assert task_span.attributes["workout.task"] == "cleanup"
    trace_id = task_span.attributes[TRACE_ID_SPAN_ATTRIBUTE]
    children = [
        span
        for span in spans
        if span.parent is not None and span.parent.span_id == task_span.context.span_id
    ]
    assert children, "the task's Redis calls should be spans under the task span"
    for child in children:
        assert child.context.trace_id == task_span.context.trace_id
        assert child.attributes is not None
        assert child.attributes[TRACE_ID_SPAN_ATTRIBUTE] == trace_id
