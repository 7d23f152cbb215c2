"""The coach's pydantic-ai agents: one per endpoint, typed output, model chosen per run."""

from __future__ import annotations

from pydantic_ai import Agent

from workout_coach.coach_prompts import COACH_INSTRUCTIONS
from workout_coach.schemas import ProgressAnalysisDraft, WorkoutPlanDraft

chat_agent: Agent[None, str] = Agent(
    output_type=str, instructions=COACH_INSTRUCTIONS, name="coach-chat", retries=1
)
recommend_agent: Agent[None, WorkoutPlanDraft] = Agent(
    output_type=WorkoutPlanDraft,
    instructions=COACH_INSTRUCTIONS,
    name="coach-recommend",
    retries=1,
)
# The analysis agent is asked for the draft only: per-group volumes are added by the coach.
analyze_agent: Agent[None, ProgressAnalysisDraft] = Agent(
    output_type=ProgressAnalysisDraft,
    instructions=COACH_INSTRUCTIONS,
    name="coach-analyze",
    retries=1,
)
