"""``POST /chat`` for a signed-in lifter: the offline coach answers from their own figures."""

from __future__ import annotations

from typing import Any

import pytest

from workout_coach.coach_questions import GENERAL_OPENING
from workout_testkit.training_logs import NOW, TwoLifters

# The squatter's log (see training_logs.log_squatter), as a coach would quote it.
QUESTIONS = [
    (
        "How is my squat going?",
        [
            "Barbell Back Squat: e1RM 110.8 kg -> 119.6 kg over 3 sessions",
            "5x5 at 102.5 kg logged -> next session 107.5 kg x 5x5 (rest 3-5 min)",
        ],
    ),
    (
        "What did I do last Monday?",
        ["Monday 2026-03-02 (Lower A)", "Barbell Back Squat: 6 sets", "Romanian Deadlift: 4 sets"],
    ),
    (
        "Am I training legs enough?",
        ["Legs: 0, 8, 8, 8 hard sets in the last 4 weeks (average 6 a week)", "below the 10-20"],
    ),
    (
        "What weight should I bench next?",
        ["Barbell Bench Press: 5/4/4/3/3 at 80 kg logged -> next session 80 kg x 5x5"],
    ),
    (
        "What's my next weight on squat?",
        ["next session 107.5 kg x 5x5", "or 5 kg (lower body)"],
    ),
    ("Should I deload?", ["Stalled over the last 3 weeks: Barbell Bench Press (e1RM 93.3 kg)"]),
    (
        "I'm stuck on bench, what now?",
        ["Barbell Bench Press: e1RM 93.3 kg -> 93.3 kg", "it has stalled", "90%"],
    ),
    (
        "What should I train today?",
        ["Train back today", "Barbell Row: 3x8 at 60 kg logged -> next session 62.5 kg x 3x8"],
    ),
    (
        "How long should I rest and recover?",
        ["1-5 reps 3-5 min", "6-12 reps 1.5-2 min", "last 48 hours: chest, legs, shoulders"],
    ),
    ("Any form cues for the squat?", ["Squat cues:", "Your last Barbell Back Squat: 5x5 at 102.5"]),
    ("Bench press technique?", ["Bench press cues:", "5/4/4/3/3 at 80 kg"]),
    ("Deadlift form check please", ["Deadlift cues:"]),
    ("How do I overhead press?", ["Overhead press cues:", "3x8 at 40 kg"]),
]


@pytest.mark.parametrize(("message", "expected"), QUESTIONS)
async def test_each_question_is_answered_with_the_lifters_figures(
    make_coach: Any, two_lifters: TwoLifters, message: str, expected: list[str]
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post(
            "/chat", json={"message": message}, headers=two_lifters.squatter.headers
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["context_used"] is True
    for text in expected:
        assert text in body["response"], body["response"]
    assert GENERAL_OPENING not in body["response"]


async def test_another_lifter_hears_about_their_own_log_only(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post(
            "/chat",
            json={"message": "How is my squat going?"},
            headers=two_lifters.deadlifter.headers,
        )
    text = answer.json()["response"]
    assert "I don't see squat in your last 4 weeks" in text
    assert "Conventional Deadlift" in text
    assert "102.5" not in text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("How is my squat going?", "Double progression"),
        ("Should I deload?", "Deload for one week at 90%"),
        ("Any form cues for the squat?", "Squat cues:"),
        ("How long should I rest and recover?", "1-5 reps 3-5 min"),
    ],
)
async def test_without_signing_in_the_answer_says_it_is_general_advice(
    make_coach: Any, two_lifters: TwoLifters, message: str, expected: str
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.post("/chat", json={"message": message})
    text = answer.json()["response"]
    assert text.startswith(GENERAL_OPENING)
    assert expected in text
    assert "102.5" not in text
