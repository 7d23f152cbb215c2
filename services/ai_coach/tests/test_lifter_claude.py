"""The Claude path for a signed-in lifter: the same figures of their own log, in the prompt."""

from __future__ import annotations

from typing import Any

from workout_testkit.fake_anthropic import FakeAnthropic
from workout_testkit.training_logs import NOW, TwoLifters


async def test_claude_chats_from_the_lifters_own_summary(
    claude_coach: Any, claude: FakeAnthropic, two_lifters: TwoLifters
) -> None:
    claude.text = "Your squat is climbing: 107.5 kg next."
    async with claude_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post(
            "/chat",
            json={"message": "How is my squat going?"},
            headers=two_lifters.squatter.headers,
        )
    assert answer.json() == {"response": claude.text, "context_used": True}
    [sent] = claude.requests
    prompt = sent.prompt_text
    assert "<training_log>" in prompt or "training_log" in prompt
    assert '"last_performance":"5x5 at 102.5 kg"' in prompt
    assert '"next_session":"107.5 kg x 5x5"' in prompt
    assert "Conventional Deadlift" not in prompt  # the other lifter's log
    assert two_lifters.squatter.token not in prompt


async def test_claude_words_the_plan_but_the_loads_are_computed(
    claude_coach: Any, claude: FakeAnthropic, two_lifters: TwoLifters
) -> None:
    claude.tool_input = {
        "title": "Leg day",
        "description": "Squats and hinges.",
        "exercises": [
            {"name": "Barbell Back Squat", "sets": 3, "reps": "10", "muscle_group": "legs"}
        ],
        "estimated_duration_minutes": 40,
        "difficulty": "advanced",
        "tips": ["Brace hard."],
    }
    request = {
        "focus_area": "legs",
        "equipment_available": ["barbell"],
        "session_duration_minutes": 45,
    }
    async with claude_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post("/recommend", json=request, headers=two_lifters.squatter.headers)
    plan = answer.json()
    assert plan["title"] == "Leg day"
    assert plan["tips"] == ["Brace hard."]
    squat = plan["exercises"][0]
    assert (squat["sets"], squat["reps"], squat["weight_suggestion"]) == (5, "3-5", "107.5 kg")
    assert plan["based_on"]["exercises"] == ["Barbell Back Squat", "Romanian Deadlift"]
    [sent] = claude.requests
    assert '"planned_session"' in sent.prompt_text


async def test_claude_analyses_with_the_computed_figures(
    claude_coach: Any, claude: FakeAnthropic, two_lifters: TwoLifters
) -> None:
    claude.tool_input = {
        "summary": "Bench has stalled.",
        "strengths": ["Squat"],
        "areas_to_improve": ["Bench"],
        "recommendations": ["Deload bench"],
        "muscle_balance_score": 99.0,
    }
    async with claude_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.get("/analyze", headers=two_lifters.squatter.headers)
    body = answer.json()
    assert body["summary"] == "Bench has stalled."
    assert body["muscle_balance_score"] != 99.0
    assert [s["exercise"] for s in body["training_log"]["stalled_lifts"]] == ["Barbell Bench Press"]
    [sent] = claude.requests
    assert '"stalled_lifts":[{"exercise":"Barbell Bench Press"' in sent.prompt_text
