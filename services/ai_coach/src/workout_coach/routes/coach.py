"""The coaching endpoints: chat, recommend, analyze."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from workout_coach.callers import CallerDep
from workout_coach.deps import CoachServiceDep
from workout_coach.errors import (
    MODEL_FAILURE_DETAILS,
    NO_EXERCISES_DETAIL,
    NO_WORKOUTS_DETAIL,
    WORKOUT_API_UNAVAILABLE_DETAIL,
)
from workout_coach.rate_limits import rate_limited
from workout_coach.schemas import (
    ChatRequest,
    ChatResponse,
    ProgressAnalysis,
    RecommendationRequest,
    WorkoutRecommendation,
)
from workout_coach.training_analysis import DEFAULT_WEEKS, MAX_WEEKS

router = APIRouter(tags=["coach"], dependencies=[rate_limited("coaching")])


def _signed_in_fields(answer: BaseModel, field: str) -> JSONResponse:
    """The answer, without the signed-in-only ``field`` when it is absent: an anonymous
    answer keeps exactly the contract's shape."""
    exclude = {field} if getattr(answer, field) is None else None
    return JSONResponse(answer.model_dump(mode="json", exclude=exclude))


def _error(detail: str) -> dict[str, object]:
    return {"content": {"application/json": {"example": {"detail": detail}}}}


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={500: _error(MODEL_FAILURE_DETAILS["chat"])},
)
async def chat(request: ChatRequest, service: CoachServiceDep, caller: CallerDep) -> ChatResponse:
    return await service.chat(request, caller)


@router.post(
    "/recommend",
    response_model=WorkoutRecommendation,
    responses={500: _error(MODEL_FAILURE_DETAILS["recommend"])},
)
async def recommend(
    service: CoachServiceDep, caller: CallerDep, request: RecommendationRequest | None = None
) -> JSONResponse:
    answer = await service.recommend(request or RecommendationRequest(), caller)
    return _signed_in_fields(answer, "based_on")


@router.get(
    "/analyze",
    response_model=ProgressAnalysis,
    responses={
        400: _error(f"{NO_EXERCISES_DETAIL} (signed in: {NO_WORKOUTS_DETAIL})"),
        500: _error(MODEL_FAILURE_DETAILS["analyze"]),
        503: _error(WORKOUT_API_UNAVAILABLE_DETAIL),
    },
)
async def analyze(
    service: CoachServiceDep,
    caller: CallerDep,
    weeks: Annotated[
        int, Query(ge=1, le=MAX_WEEKS, description="Signed in: weeks of your log to analyse.")
    ] = DEFAULT_WEEKS,
) -> JSONResponse:
    return _signed_in_fields(await service.analyze(caller, weeks), "training_log")
