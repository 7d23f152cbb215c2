"""A caller's day of model answers (COACH_DAILY_MODEL_CALLS), and what the answers cost."""

from __future__ import annotations

import re
from typing import Any

from workout_testkit.fake_anthropic import FakeAnthropic

CLAUDE = "anthropic:claude-3-5-haiku-latest"
QUESTION = {"message": "How do I progress my squat?", "include_workout_context": False}
PLAN = {
    "title": "Upper Body Power",
    "description": "Heavy presses and rows.",
    "exercises": [
        {
            "name": "Bench Press",
            "sets": 4,
            "reps": "8-12",
            "weight_suggestion": "70-80% 1RM",
            "notes": None,
            "muscle_group": "chest",
        }
    ],
    "estimated_duration_minutes": 55,
    "difficulty": "intermediate",
    "tips": ["Warm up for 5 minutes"],
}


def _sample(metrics: str, name: str, labels: str) -> float:
    match = re.search(rf"^{name}\{{{re.escape(labels)}\}} (\S+)$", metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_past_the_days_model_answers_the_built_in_coach_answers(
    claude_coach: Any, claude: FakeAnthropic
) -> None:
    cost_labels = f'model="{CLAUDE}"'
    async with claude_coach(coach_daily_model_calls=2) as coach:
        before = (await coach.get("/metrics")).text
        answers = [await coach.post("/chat", json=QUESTION) for _ in range(3)]
        after = (await coach.get("/metrics")).text

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len(claude.requests) == 2, "the third answer must not reach the model"
    assert [answer.json()["response"] for answer in answers[:2]] == [claude.text] * 2
    third = answers[2].json()["response"]
    assert third.startswith("Your daily limit of AI model answers (2) is reached")
    assert claude.text not in third
    assert "squat" in third.lower(), "the built-in coach still answers the question"

    exhausted = 'endpoint="chat"'
    name = "workout_coach_model_budget_exhausted_total"
    assert _sample(after, name, exhausted) - _sample(before, name, exhausted) == 1
    # Two runs at the default prices: $0.80 and $4.00 per million input and output tokens.
    expected = 2 * (claude.input_tokens * 0.80 + claude.output_tokens * 4.00) / 1_000_000
    cost_name = "workout_coach_model_cost_dollars_total"
    spent = _sample(after, cost_name, cost_labels) - _sample(before, cost_name, cost_labels)
    assert abs(spent - expected) < 1e-9


async def test_an_answer_given_past_the_budget_is_never_cached_for_others(
    claude_coach: Any, claude: FakeAnthropic
) -> None:
    claude.tool_input = PLAN
    async with claude_coach(coach_daily_model_calls=1) as coach:
        first = await coach.post("/recommend", json={"focus_area": "chest"})
        second = await coach.post("/recommend", json={"focus_area": "back"})
    assert first.json()["title"] == PLAN["title"]
    assert len(claude.requests) == 1
    assert second.status_code == 200
    assert second.json()["tips"][-1].startswith("Your daily limit of AI model answers (1)")

    # Another coach (another caller's budget) asked the same: the model answers it afresh.
    async with claude_coach(coach_daily_model_calls=100) as coach:
        again = await coach.post("/recommend", json={"focus_area": "back"})
    assert len(claude.requests) == 2
    assert again.json()["title"] == PLAN["title"]
