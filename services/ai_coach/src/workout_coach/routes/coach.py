"""The coaching endpoints: chat, recommend, analyze."""

from __future__ import annotations

from fastapi import APIRouter

from workout_coach.deps import CoachServiceDep
from workout_coach.errors import (
    MODEL_FAILURE_DETAILS,
    NO_EXERCISES_DETAIL,
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

router = APIRouter(tags=["coach"], dependencies=[rate_limited("coaching")])


def _error(detail: str) -> dict[str, object]:
    return {"content": {"application/json": {"example": {"detail": detail}}}}


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={500: _error(MODEL_FAILURE_DETAILS["chat"])},
)
async def chat(request: ChatRequest, service: CoachServiceDep) -> ChatResponse:
    return await service.chat(request)


@router.post(
    "/recommend",
    response_model=WorkoutRecommendation,
    responses={500: _error(MODEL_FAILURE_DETAILS["recommend"])},
)
async def recommend(
    service: CoachServiceDep, request: RecommendationRequest | None = None
) -> WorkoutRecommendation:
    return await service.recommend(request or RecommendationRequest())


@router.get(
    "/analyze",
    response_model=ProgressAnalysis,
    responses={
        400: _error(NO_EXERCISES_DETAIL),
        500: _error(MODEL_FAILURE_DETAILS["analyze"]),
        503: _error(WORKOUT_API_UNAVAILABLE_DETAIL),
    },
)
async def analyze(service: CoachServiceDep) -> ProgressAnalysis:
    return await service.analyze()
