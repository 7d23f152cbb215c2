"""The coach's use cases: gather the figures, ask the model, guard the answer."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import TypeVar

from pydantic_ai import Agent
from pydantic_ai.exceptions import ModelRequestTimeout, ModelTimeoutError
from pydantic_ai.messages import UserContent

from workout_coach.agents import analyze_agent, chat_agent, recommend_agent
from workout_coach.coach_prompts import Task, coach_prompt
from workout_coach.errors import ModelFailureError, NoExercisesError, WorkoutApiUnavailableError
from workout_coach.health import SERVICE_LABEL
from workout_coach.metrics import MODEL_REQUEST_DURATION, MODEL_REQUESTS, MODEL_TOKENS
from workout_coach.model_selection import SelectedModel
from workout_coach.recommendation_cache import RecommendationCache, cache_key, normalised_request
from workout_coach.schemas import (
    ChatRequest,
    ChatResponse,
    MuscleGroupVolume,
    ProgressAnalysis,
    RecommendationRequest,
    WorkoutRecommendation,
)
from workout_coach.workout_context import WorkoutContext, build_context
from workout_coach.workout_data import WorkoutDataSource
from workout_common.metrics import DEPENDENCY_UP

logger = logging.getLogger(__name__)

OutputT = TypeVar("OutputT")


def volume_by_muscle_group(context: WorkoutContext) -> list[MuscleGroupVolume]:
    """The groups the log trains, largest load volume first (then most sets)."""
    trained = [stats for stats in context.groups if stats.exercises]
    ranked = sorted(trained, key=lambda stats: (-stats.volume, -stats.sets))
    return [
        MuscleGroupVolume(
            group=stats.group, exercises=stats.exercises, sets=stats.sets, volume=stats.volume
        )
        for stats in ranked
    ]


class CoachService:
    def __init__(
        self,
        *,
        model: SelectedModel,
        data: WorkoutDataSource,
        cache: RecommendationCache,
        timeout_seconds: float,
    ) -> None:
        self.model = model
        self.data = data
        self.cache = cache
        self.timeout_seconds = timeout_seconds

    async def context(self) -> WorkoutContext:
        """The figures of the user's log; raises :class:`WorkoutApiUnavailableError`."""
        return build_context(await self.data.exercises())

    async def optional_context(self) -> WorkoutContext | None:
        """The figures, or ``None`` (with a warning) when the log cannot be read."""
        try:
            return await self.context()
        except WorkoutApiUnavailableError as exc:
            logger.warning("continuing without workout context: %s", exc)
            return None

    async def chat(self, request: ChatRequest) -> ChatResponse:
        context = await self.optional_context() if request.include_workout_context else None
        prompt = coach_prompt("chat", {"message": request.message}, context)
        answer = await self._run(chat_agent, "chat", prompt)
        return ChatResponse(response=answer, context_used=context is not None)

    async def recommend(self, request: RecommendationRequest) -> WorkoutRecommendation:
        key = cache_key(request, self.model.name)
        cached = await self.cache.get(key)
        if cached is not None:
            return cached
        context = await self.optional_context()
        prompt = coach_prompt("recommend", normalised_request(request), context)
        answer = await self._run(recommend_agent, "recommend", prompt)
        await self.cache.put(key, answer)
        return answer

    async def analyze(self) -> ProgressAnalysis:
        context = await self.context()
        if context.exercise_count == 0:
            raise NoExercisesError()
        draft = await self._run(analyze_agent, "analyze", coach_prompt("analyze", {}, context))
        # The figures are ours, not the model's: whatever it wrote, report the computed ones.
        return ProgressAnalysis(
            **draft.model_dump(exclude={"muscle_balance_score"}),
            muscle_balance_score=context.muscle_balance_score,
            volume_by_muscle_group=volume_by_muscle_group(context),
        )

    async def _run(
        self, agent: Agent[None, OutputT], endpoint: Task, prompt: Sequence[UserContent]
    ) -> OutputT:
        name = self.model.name
        started = time.perf_counter()
        outcome = "error"
        try:
            async with asyncio.timeout(self.timeout_seconds):
                result = await agent.run(
                    prompt, model=self.model.model, model_settings=self.model.settings
                )
            outcome = "success"
        except (TimeoutError, ModelRequestTimeout, ModelTimeoutError) as exc:
            outcome = "timeout"
            logger.error("%s: model %s timed out: %s", endpoint, name, exc)
            raise ModelFailureError(endpoint) from exc
        except Exception as exc:  # any provider failure becomes the contract's 500, logged here
            logger.error("%s: model %s failed: %r", endpoint, name, exc, exc_info=True)
            raise ModelFailureError(endpoint) from exc
        finally:
            DEPENDENCY_UP.labels(SERVICE_LABEL, "model").set(1 if outcome == "success" else 0)
            MODEL_REQUESTS.labels(endpoint, name, outcome).inc()
            MODEL_REQUEST_DURATION.labels(endpoint, name).observe(time.perf_counter() - started)
        usage = result.usage
        MODEL_TOKENS.labels(name, "input").inc(usage.input_tokens)
        MODEL_TOKENS.labels(name, "output").inc(usage.output_tokens)
        return result.output
