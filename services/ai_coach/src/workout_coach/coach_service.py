"""The coach's use cases: gather the figures, ask the model, guard the answer."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel
from pydantic_ai import Agent
from pydantic_ai.exceptions import ModelRequestTimeout, ModelTimeoutError
from pydantic_ai.messages import UserContent

from workout_coach import lifter_summary, personal_plan, training_analysis
from workout_coach.agents import analyze_agent, chat_agent, recommend_agent
from workout_coach.answer_cache import AnswerCache, cache_key, lifter_key, normalised_request
from workout_coach.callers import Caller
from workout_coach.coach_prompts import Task, coach_prompt
from workout_coach.errors import (
    ModelFailureError,
    NoExercisesError,
    NoWorkoutsError,
    WorkoutApiUnavailableError,
)
from workout_coach.exercise_catalogue import CATALOGUE
from workout_coach.health import SERVICE_LABEL
from workout_coach.metrics import (
    MODEL_BUDGET_EXHAUSTED,
    MODEL_COST,
    MODEL_REQUEST_DURATION,
    MODEL_REQUESTS,
    MODEL_TOKENS,
)
from workout_coach.model_budget import ModelBudget
from workout_coach.model_selection import SelectedModel, offline_selection
from workout_coach.muscle_groups import TRAINED_GROUPS
from workout_coach.schemas import (
    ChatRequest,
    ChatResponse,
    MuscleGroupVolume,
    ProgressAnalysis,
    RecommendationRequest,
    WorkoutRecommendation,
)
from workout_coach.user_log import UserLogReader
from workout_coach.workout_context import WorkoutContext, build_context
from workout_coach.workout_data import WorkoutDataSource
from workout_common.metrics import DEPENDENCY_UP

logger = logging.getLogger(__name__)

OutputT = TypeVar("OutputT")
ResultT = TypeVar("ResultT")
AnswerT = TypeVar("AnswerT", bound=BaseModel)


@dataclass(frozen=True)
class Ran(Generic[OutputT]):
    output: OutputT
    over_budget: bool  # answered by the offline coach: the caller's day of model answers is spent


@dataclass(frozen=True)
class TokenPrices:
    """US dollars per million input and output tokens."""

    input_per_million: float
    output_per_million: float

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (
            input_tokens * self.input_per_million + output_tokens * self.output_per_million
        ) / 1_000_000


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def catalogue_examples() -> dict[str, list[str]]:
    """Exercises to suggest for a group the lifter does none of, compound lifts first."""
    return {
        group: [
            e.name
            for e in sorted(CATALOGUE, key=lambda e: e.kind != "compound")
            if e.group == group
        ][:2]
        for group in TRAINED_GROUPS
    }


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
        cache: AnswerCache,
        timeout_seconds: float,
        api_http: httpx.AsyncClient,
        clock: Clock = utc_now,
        budget: ModelBudget | None = None,
        prices: TokenPrices = TokenPrices(0.0, 0.0),
    ) -> None:
        self.model = model
        self.budget = budget
        self.prices = prices
        self.data = data
        self.cache = cache
        self.timeout_seconds = timeout_seconds
        self.api_http = api_http
        self.clock = clock

    def _reader(self, caller: Caller | None) -> UserLogReader | None:
        """A reader of the caller's own log, when they are a signed-in lifter."""
        if caller is None or not caller.lifter or caller.token is None:
            return None
        return UserLogReader(self.api_http, caller.token)

    def _lifter_key(
        self, caller: Caller, version: str, endpoint: Task, request: dict[str, object]
    ) -> str:
        return lifter_key(
            account=caller.key,
            log_version=version,
            endpoint=endpoint,
            # The hour too: the plans' 48-hour recovery window moves with the clock.
            request={**request, "hour": self.clock().strftime("%Y-%m-%dT%H")},
            model_name=self.model.name,
        )

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

    async def chat(self, request: ChatRequest, caller: Caller | None = None) -> ChatResponse:
        reader = self._reader(caller) if request.include_workout_context else None
        if reader is not None:
            summary = await self._optional(
                lifter_summary.summarise(reader, self.clock(), catalogue_examples())
            )
            if summary is not None:
                prompt = coach_prompt(
                    "chat", {"message": request.message}, None, summary.model_dump(mode="json")
                )
                ran = await self._run(chat_agent, "chat", prompt, caller)
                return ChatResponse(response=self._noted(ran), context_used=True)
        context = await self.optional_context() if request.include_workout_context else None
        prompt = coach_prompt("chat", {"message": request.message}, context)
        ran = await self._run(chat_agent, "chat", prompt, caller)
        return ChatResponse(response=self._noted(ran), context_used=context is not None)

    async def recommend(
        self, request: RecommendationRequest, caller: Caller | None = None
    ) -> WorkoutRecommendation:
        reader = self._reader(caller)
        if reader is not None and caller is not None:
            personal = await self._optional(self._lifter_recommend(reader, caller, request))
            if personal is not None:
                return personal
        key = cache_key(request, self.model.name)
        cached = await self.cache.get(key, WorkoutRecommendation)
        if cached is not None:
            return cached
        context = await self.optional_context()
        prompt = coach_prompt("recommend", normalised_request(request), context)
        ran = await self._run(recommend_agent, "recommend", prompt, caller)
        answer = WorkoutRecommendation(**ran.output.model_dump())
        return await self._kept(key, answer, ran, "tips")

    async def _lifter_recommend(
        self, reader: UserLogReader, caller: Caller, request: RecommendationRequest
    ) -> WorkoutRecommendation | None:
        """A plan from the lifter's own history, or ``None`` when none of it fits."""
        version = await reader.version()
        key = self._lifter_key(caller, version, "recommend", normalised_request(request))
        cached = await self.cache.get(key, WorkoutRecommendation)
        if cached is not None:
            return cached
        inputs = await personal_plan.gather_inputs(reader, self.clock())
        planned = await personal_plan.plan(reader, request, inputs)
        if planned is None:
            return None
        log = {"planned_session": planned.model_dump(mode="json", exclude={"based_on"})}
        prompt = coach_prompt("recommend", normalised_request(request), None, log)
        ran = await self._run(recommend_agent, "recommend", prompt, caller)
        draft = ran.output
        # The model words the session; the exercises, loads and duration are ours.
        answer = planned.model_copy(
            update={"title": draft.title, "description": draft.description, "tips": draft.tips}
        )
        return await self._kept(key, answer, ran, "tips")

    async def analyze(
        self, caller: Caller | None = None, weeks: int = training_analysis.DEFAULT_WEEKS
    ) -> ProgressAnalysis:
        reader = self._reader(caller)
        if reader is not None and caller is not None:
            return await self._lifter_analyze(reader, caller, weeks)
        context = await self.context()
        if context.exercise_count == 0:
            raise NoExercisesError()
        prompt = coach_prompt("analyze", {}, context)
        ran = await self._run(analyze_agent, "analyze", prompt, caller)
        # The figures are ours, not the model's: whatever it wrote, report the computed ones.
        answer = ProgressAnalysis(
            **ran.output.model_dump(exclude={"muscle_balance_score"}),
            muscle_balance_score=context.muscle_balance_score,
            volume_by_muscle_group=volume_by_muscle_group(context),
        )
        return self._with_note(answer, ran, "recommendations")

    async def _lifter_analyze(
        self, reader: UserLogReader, caller: Caller, weeks: int
    ) -> ProgressAnalysis:
        version = await reader.version()
        key = self._lifter_key(caller, version, "analyze", {"weeks": weeks})
        cached = await self.cache.get(key, ProgressAnalysis)
        if cached is not None:
            return cached
        period = training_analysis.LogPeriod(weeks, self.clock())
        inputs = await training_analysis.gather_inputs(reader, period)
        log = training_analysis.analyse(inputs, catalogue_examples())
        if log.workouts == 0:
            raise NoWorkoutsError()
        score = training_analysis.period_balance_score(inputs)
        figures: dict[str, Any] = {
            "analysis": log.model_dump(mode="json"),
            "muscle_balance_score": score,
        }
        prompt = coach_prompt("analyze", {"weeks": weeks}, None, figures)
        ran = await self._run(analyze_agent, "analyze", prompt, caller)
        answer = ProgressAnalysis(
            **ran.output.model_dump(exclude={"muscle_balance_score"}),
            muscle_balance_score=score,
            volume_by_muscle_group=training_analysis.period_volume_by_group(inputs),
            training_log=log,
        )
        return await self._kept(key, answer, ran, "recommendations")

    async def _optional(self, work: Awaitable[ResultT]) -> ResultT | None:
        """``work``'s result, or ``None`` (with a warning) when the log cannot be read."""
        try:
            return await work
        except WorkoutApiUnavailableError as exc:
            logger.warning("continuing without the lifter's log: %s", exc)
            return None

    def _noted(self, ran: Ran[str]) -> str:
        if not ran.over_budget or self.budget is None:
            return ran.output
        return f"{self.budget.note()}\n\n{ran.output}"

    def _with_note(self, answer: AnswerT, ran: Ran[Any], field: str) -> AnswerT:
        """``answer`` with the budget's note added to its ``field`` list when it was spent."""
        if not ran.over_budget or self.budget is None:
            return answer
        notes: list[str] = [*getattr(answer, field), self.budget.note()]
        return answer.model_copy(update={field: notes})

    async def _kept(self, key: str, answer: AnswerT, ran: Ran[Any], field: str) -> AnswerT:
        """Cache a model's answer; one the offline coach gave past a budget is the caller's."""
        if ran.over_budget:
            return self._with_note(answer, ran, field)
        await self.cache.put(key, answer)
        return answer

    async def _model_for(self, caller: Caller | None, endpoint: Task) -> tuple[SelectedModel, bool]:
        """The configured model, or the offline coach once the caller's day is spent."""
        if self.model.offline or self.budget is None or await self.budget.spend(caller):
            return self.model, False
        MODEL_BUDGET_EXHAUSTED.labels(endpoint).inc()
        return offline_selection(), True

    async def _run(
        self,
        agent: Agent[None, OutputT],
        endpoint: Task,
        prompt: Sequence[UserContent],
        caller: Caller | None = None,
    ) -> Ran[OutputT]:
        selected, over_budget = await self._model_for(caller, endpoint)
        name = selected.name
        started = time.perf_counter()
        outcome = "error"
        try:
            async with asyncio.timeout(self.timeout_seconds):
                result = await agent.run(
                    prompt, model=selected.model, model_settings=selected.settings
                )
            outcome = "success"
        except (TimeoutError, ModelRequestTimeout, ModelTimeoutError) as exc:
            outcome = "timeout"
            logger.error("%s: model %s timed out (%s)", endpoint, name, type(exc).__name__)
            raise ModelFailureError(endpoint) from exc
        except Exception as exc:  # any provider failure becomes the contract's 500, logged here
            # The kind of failure only: its message may quote the prompt, i.e. a lifter's log.
            logger.error("%s: model %s failed (%s)", endpoint, name, type(exc).__name__)
            raise ModelFailureError(endpoint) from exc
        finally:
            DEPENDENCY_UP.labels(SERVICE_LABEL, "model").set(1 if outcome == "success" else 0)
            MODEL_REQUESTS.labels(endpoint, name, outcome).inc()
            MODEL_REQUEST_DURATION.labels(endpoint, name).observe(time.perf_counter() - started)
        usage = result.usage
        MODEL_TOKENS.labels(name, "input").inc(usage.input_tokens)
        MODEL_TOKENS.labels(name, "output").inc(usage.output_tokens)
        if not selected.offline:
            MODEL_COST.labels(name).inc(self.prices.cost(usage.input_tokens, usage.output_tokens))
        return Ran(result.output, over_budget)
