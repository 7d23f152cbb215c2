"""A lifter's training data and token stay out of the coach's logs and trace spans."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from workout_common.telemetry import setup_telemetry
from workout_testkit.training_logs import NOW, TwoLifters


async def test_no_training_data_or_token_in_logs_or_spans(
    make_coach: Any, two_lifters: TwoLifters, caplog: pytest.LogCaptureFixture
) -> None:
    exporter = InMemorySpanExporter()
    setup_telemetry("workout-coach").add_span_processor(SimpleSpanProcessor(exporter))
    caplog.set_level(logging.DEBUG)
    squatter = two_lifters.squatter
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answers = [
            await coach.post(
                "/chat", json={"message": "How is my squat going?"}, headers=squatter.headers
            ),
            await coach.post("/recommend", json={"focus_area": "legs"}, headers=squatter.headers),
            await coach.get("/analyze", headers=squatter.headers),
        ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "107.5 kg" in answers[0].text  # the answers do hold the lifter's figures

    spans = exporter.get_finished_spans()
    assert spans, "the requests were traced"
    recorded = [str(value) for span in spans for value in (span.attributes or {}).values()]
    recorded += [span.name for span in spans]
    recorded += [record.getMessage() for record in caplog.records]
    text = "\n".join(recorded)
    assert squatter.token not in text
    for figure in ("102.5", "107.5", "93.3", "Barbell Back Squat", "Lower A"):
        assert figure not in text, figure
