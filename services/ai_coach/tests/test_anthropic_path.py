"""The Claude path end to end: the coach calls a local server speaking the Messages API."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydantic import SecretStr

from workout_coach.errors import MODEL_FAILURE_DETAILS
from workout_coach.workout_context import build_context, parse_exercises
from workout_testkit.fake_anthropic import FakeAnthropic

CLAUDE = "anthropic:claude-3-5-haiku-latest"


def _sample(metrics: str, series: str) -> float:
    for line in metrics.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


LOG = [
    {"name": "Bench Press", "sets": 4, "reps": 8, "weight": 80.0, "workout_day": "A"},
    {"name": "Back Squat", "sets": 5, "reps": 5, "weight": 100.0, "workout_day": "B"},
    {"name": "Plank", "sets": 3, "reps": 1, "weight": None, "workout_day": "B"},
]
CLAUDE_RECOMMENDATION = {
    "title": "Upper Body Power",
    "description": "Heavy presses and rows.",
    "exercises": [
        {
            "name": "Bench Press",
            "sets": 4,
            "reps": "8-12",
            "weight_suggestion": "70-80% 1RM",
            "notes": "Keep elbows tucked.",
            "muscle_group": "chest",
        }
    ],
    "estimated_duration_minutes": 55,
    "difficulty": "intermediate",
    "tips": ["Warm up for 5 minutes"],
}


async def test_recommendation_comes_from_claude_through_the_output_tool(
    claude_coach: Any, claude: FakeAnthropic, workout_api: Any
) -> None:
    await workout_api.seed(LOG)
    claude.tool_input = CLAUDE_RECOMMENDATION
    async with claude_coach(workout_api_url=workout_api.url) as coach:
        health = await coach.get("/health")
        before = (await coach.get("/metrics")).text
        response = await coach.post("/recommend", json={"focus_area": "chest"})
        metrics = (await coach.get("/metrics")).text
    assert health.json()["ai_model"] == CLAUDE
    assert response.status_code == 200
    assert response.json() == CLAUDE_RECOMMENDATION
    [sent] = claude.requests
    credentials = sent.headers.get("x-api-key") or sent.headers.get("authorization", "")
    assert credentials.endswith("sk-ant-test")
    assert sent.body["model"] == "claude-3-5-haiku-latest"
    tool = sent.body["tools"][0]
    assert {"title", "exercises", "difficulty"} <= set(tool["input_schema"]["properties"])
    assert sent.body["tool_choice"]["type"] in ("any", "tool")
    # the model is handed the computed figures, it does not compute them
    context = build_context(parse_exercises({"id": i, **item} for i, item in enumerate(LOG, 1)))
    assert f'"total_sets":{context.total_sets}' in sent.prompt_text
    assert f'"muscle_balance_score":{context.muscle_balance_score}' in sent.prompt_text
    assert '"focus_area":"chest"' in sent.prompt_text
    # The counter is the process's: what this run added is the difference.
    tokens = f'workout_coach_model_tokens_total{{kind="input",model="{CLAUDE}"}}'
    assert _sample(metrics, tokens) - _sample(before, tokens) == claude.input_tokens


async def test_analysis_keeps_the_computed_figures_whatever_claude_says(
    claude_coach: Any, claude: FakeAnthropic, workout_api: Any
) -> None:
    await workout_api.seed(LOG)
    claude.tool_input = {
        "summary": "Solid work.",
        "strengths": ["Squats"],
        "areas_to_improve": ["Back"],
        "recommendations": ["Row twice a week"],
        "muscle_balance_score": 99.0,
        "volume_by_muscle_group": [{"group": "biceps", "exercises": 9, "sets": 9, "volume": 9.0}],
    }
    async with claude_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.get("/analyze")
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == "Solid work."
    assert (
        body["muscle_balance_score"]
        == build_context(
            parse_exercises({"id": i, **item} for i, item in enumerate(LOG, 1))
        ).muscle_balance_score
    )
    assert body["muscle_balance_score"] != 99.0
    assert body["volume_by_muscle_group"] == [
        {"group": "chest", "exercises": 1, "sets": 4, "volume": 2560.0},
        {"group": "legs", "exercises": 1, "sets": 5, "volume": 2500.0},
        {"group": "core", "exercises": 1, "sets": 3, "volume": 0.0},
    ]
    # The model is asked for the written analysis only, not for the per-group figures.
    [sent] = claude.requests
    asked_for = set(sent.body["tools"][0]["input_schema"]["properties"])
    assert {"summary", "strengths", "areas_to_improve", "recommendations"} <= asked_for
    assert "volume_by_muscle_group" not in asked_for


async def test_chat_answer_is_claudes_text(claude_coach: Any, claude: FakeAnthropic) -> None:
    claude.text = "Squat twice a week."
    async with claude_coach() as coach:
        response = await coach.post("/chat", json={"message": "Legs?"})
    assert response.status_code == 200
    assert response.json() == {"response": "Squat twice a week.", "context_used": False}
    assert "tools" not in claude.requests[0].body


@pytest.mark.parametrize("status", [529, 500, 401])
async def test_provider_errors_give_the_contract_500_without_internals(
    claude_coach: Any, claude: FakeAnthropic, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    claude.errors = [status]
    async with claude_coach() as coach:
        response = await coach.post("/recommend", json={})
        metrics = (await coach.get("/metrics")).text
    assert response.status_code == 500
    assert response.json() == {"detail": MODEL_FAILURE_DETAILS["recommend"]}
    assert "Traceback" not in response.text
    assert any("recommend: model" in r.getMessage() for r in caplog.records)
    assert (
        f'workout_coach_model_requests_total{{endpoint="recommend",model="{CLAUDE}",outcome="error"}}'
        in metrics
    )


async def test_a_transient_overload_is_retried(claude_coach: Any, claude: FakeAnthropic) -> None:
    claude.errors = [529]
    claude.tool_input = CLAUDE_RECOMMENDATION
    async with claude_coach(ai_max_retries=1) as coach:
        response = await coach.post("/recommend", json={})
    assert response.status_code == 200
    assert len(claude.requests) == 2


async def test_a_slow_provider_times_out_with_the_contract_500(
    claude_coach: Any, claude: FakeAnthropic
) -> None:
    claude.delay_seconds = 3
    claude.text = "too late"
    async with claude_coach(ai_timeout_seconds=0.5) as coach:
        response = await coach.post("/chat", json={"message": "Hello?"})
        metrics = (await coach.get("/metrics")).text
    assert response.status_code == 500
    assert response.json() == {"detail": MODEL_FAILURE_DETAILS["chat"]}
    assert (
        f'workout_coach_model_requests_total{{endpoint="chat",model="{CLAUDE}",outcome="timeout"}}'
        in metrics
    )


async def test_an_unusable_structured_answer_is_a_500_after_one_retry(
    claude_coach: Any, claude: FakeAnthropic
) -> None:
    claude.tool_input = {"title": "No exercises at all"}
    async with claude_coach() as coach:
        response = await coach.post("/recommend", json={})
    assert response.status_code == 500
    assert response.json() == {"detail": MODEL_FAILURE_DETAILS["recommend"]}
    assert len(claude.requests) == 2  # the validation error went back to the model once


async def test_failed_answers_are_not_cached(claude_coach: Any, claude: FakeAnthropic) -> None:
    claude.errors = [529]
    claude.tool_input = CLAUDE_RECOMMENDATION
    async with claude_coach() as coach:
        failed = await coach.post("/recommend", json={})
        succeeded = await coach.post("/recommend", json={})
        cached = await coach.post("/recommend", json={})
    assert failed.status_code == 500
    assert succeeded.status_code == 200
    assert cached.json() == succeeded.json()
    assert len(claude.requests) == 2


async def test_model_requests_stay_blocked_outside_the_claude_tests(make_coach: Any) -> None:
    """Without the opt-in, a provider model refuses to run: no test can reach a real API."""
    async with make_coach(
        ai_model=CLAUDE,
        anthropic_api_key=SecretStr("sk-ant-test"),
        anthropic_base_url="http://127.0.0.1:9",
    ) as coach:
        response = await coach.post("/chat", json={"message": "hi"})
    assert response.status_code == 500


async def test_analysis_provider_failure_gives_the_analysis_500(
    claude_coach: Any, claude: FakeAnthropic, workout_api: Any
) -> None:
    await workout_api.seed(LOG)
    claude.errors = [529]
    async with claude_coach(workout_api_url=workout_api.url) as coach:
        response = await coach.get("/analyze")
    assert response.status_code == 500
    assert response.json() == {"detail": MODEL_FAILURE_DETAILS["analyze"]}
