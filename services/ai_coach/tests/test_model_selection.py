from __future__ import annotations

import pytest
from pydantic import SecretStr
from pydantic_ai.models.anthropic import AnthropicModel

from workout_coach.model_selection import UnknownModelError, select_model
from workout_coach.offline_coach import OFFLINE_MODEL_NAME
from workout_coach.settings import CoachSettings


def settings(**values: object) -> CoachSettings:
    base: dict[str, object] = {
        "ai_model": None,
        "anthropic_api_key": None,
        "anthropic_base_url": None,
    }
    return CoachSettings.model_validate({**base, **values})


@pytest.mark.parametrize("ai_model", [None, "offline", "OFFLINE", "", "offline:workout-coach"])
def test_offline_coach_without_a_model_or_key(ai_model: str | None) -> None:
    selected = select_model(settings(ai_model=ai_model))
    assert selected.name == OFFLINE_MODEL_NAME
    assert selected.offline
    assert selected.settings is None


def test_anthropic_model_without_key_falls_back_to_offline() -> None:
    selected = select_model(settings(ai_model="anthropic:claude-3-5-haiku-latest"))
    assert selected.name == OFFLINE_MODEL_NAME


def test_anthropic_model_with_key_uses_claude_with_base_url_and_timeouts() -> None:
    selected = select_model(
        settings(
            ai_model="anthropic:claude-3-5-haiku-latest",
            anthropic_api_key=SecretStr("sk-test"),
            anthropic_base_url="http://127.0.0.1:9/",
            ai_timeout_seconds=7,
            ai_max_retries=0,
        )
    )
    assert selected.name == "anthropic:claude-3-5-haiku-latest"
    assert isinstance(selected.model, AnthropicModel)
    assert selected.model.model_name == "claude-3-5-haiku-latest"
    assert selected.model.base_url.startswith("http://127.0.0.1:9")
    assert selected.settings == {"timeout": 7, "request_timeout": 7, "max_retries": 0}


def test_a_key_alone_selects_the_contract_default_model() -> None:
    selected = select_model(settings(anthropic_api_key=SecretStr("sk-test")))
    assert selected.name == "anthropic:claude-3-5-haiku-latest"


def test_provider_whose_package_or_key_is_missing_falls_back_to_offline() -> None:
    assert select_model(settings(ai_model="openai:gpt-4o")).name == OFFLINE_MODEL_NAME


@pytest.mark.parametrize("ai_model", ["claude", "nosuchprovider:model"])
def test_unknown_model_string_is_refused(ai_model: str) -> None:
    with pytest.raises(UnknownModelError):
        select_model(settings(ai_model=ai_model))


def test_settings_read_the_documented_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKOUT_API_URL", "http://api:8000")
    monkeypatch.setenv("AI_MODEL", "anthropic:claude-3-5-haiku-latest")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-env")
    monkeypatch.setenv("COACH_CACHE_TTL_SECONDS", "60")
    monkeypatch.setenv("COACH_CONTEXT_MAX_AGE_SECONDS", "30")
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "5")
    loaded = CoachSettings()
    assert loaded.workout_api_url == "http://api:8000"
    assert loaded.anthropic_api_key is not None
    assert loaded.anthropic_api_key.get_secret_value() == "sk-env"
    assert (loaded.coach_cache_ttl_seconds, loaded.coach_context_max_age_seconds) == (60, 30)
    assert loaded.ai_timeout_seconds == 5
    assert loaded.coach_redis_url("redis://h:6379") == "redis://h:6379/0"
    assert loaded.coach_redis_url("redis://h:6379/4") == "redis://h:6379/4"
