"""The operator's tracer: one span per reconcile, exported when ``OTEL_*`` says where."""

from __future__ import annotations

from opentelemetry import trace

from workout_common.telemetry import setup_tracer_provider

SERVICE_NAME = "workout-operator"


def tracer() -> trace.Tracer:
    setup_tracer_provider(SERVICE_NAME)
    return trace.get_tracer("workout_operator")
