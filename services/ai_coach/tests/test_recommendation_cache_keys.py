from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from workout_coach.answer_cache import CACHE_KEY_PREFIX, cache_key
from workout_coach.schemas import MuscleGroup, RecommendationRequest
from workout_common.context_snapshot import ContextSnapshot


def test_equivalent_requests_share_a_key() -> None:
    a = RecommendationRequest(
        focus_area=MuscleGroup.BACK, equipment_available=["Dumbbell", "barbell"]
    )
    b = RecommendationRequest(
        focus_area=MuscleGroup.BACK, equipment_available=[" barbell", "dumbbells", "dumbbell"]
    )
    assert cache_key(a, "m") == cache_key(b, "m")
    assert cache_key(a, "m").startswith(CACHE_KEY_PREFIX)


def test_different_requests_or_models_get_different_keys() -> None:
    base = RecommendationRequest()
    assert cache_key(base, "m") != cache_key(
        RecommendationRequest(session_duration_minutes=45), "m"
    )
    assert cache_key(base, "m") != cache_key(
        RecommendationRequest(focus_area=MuscleGroup.CORE), "m"
    )
    assert cache_key(base, "m") != cache_key(base, "other-model")


def test_snapshot_age_reads_iso_timestamps() -> None:
    now = datetime(2026, 11, 26, 12, 0, 30, tzinfo=UTC)
    raw = '{"generated_at": "%s", "total": 0, "exercises": []}'
    assert ContextSnapshot.model_validate_json(raw % "2026-11-26T12:00:00Z").age_seconds(now) == 30
    assert ContextSnapshot.model_validate_json(raw % "2026-11-26T12:00:00").age_seconds(now) == 30
    with pytest.raises(ValidationError):
        ContextSnapshot.model_validate_json(raw % "yesterday")
