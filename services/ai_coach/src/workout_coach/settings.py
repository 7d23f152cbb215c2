"""The coach's configuration, read from the environment (12-factor)."""

from __future__ import annotations

from limits import parse
from pydantic import Field, SecretStr, field_validator

from workout_common.service_identity import (
    DEFAULT_SERVICE_PASSWORD,
    DEFAULT_SERVICE_USERNAME,
    ServiceCredentials,
)
from workout_common.settings_base import ServiceSettings
from workout_common.urls import redis_db_of, redis_url_with_db

OFFLINE_MODEL_SETTING = "offline"
CONTRACT_DEFAULT_MODEL = "anthropic:claude-3-5-haiku-latest"
COACH_REDIS_DB = 0


class CoachSettings(ServiceSettings):
    workout_api_url: str = Field(default="http://localhost:8000", alias="WORKOUT_API_URL")
    workout_api_timeout_seconds: float = Field(
        default=10.0, gt=0, alias="WORKOUT_API_TIMEOUT_SECONDS"
    )
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    ai_model: str | None = Field(default=None, alias="AI_MODEL")
    anthropic_api_key: SecretStr | None = Field(default=None, alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(default=None, alias="ANTHROPIC_BASE_URL")
    ai_timeout_seconds: float = Field(default=30.0, gt=0, alias="AI_TIMEOUT_SECONDS")
    ai_max_retries: int = Field(default=2, ge=0, le=10, alias="AI_MAX_RETRIES")
    service_account_username: str = Field(
        default=DEFAULT_SERVICE_USERNAME, alias="SERVICE_ACCOUNT_USERNAME"
    )
    service_account_password: SecretStr = Field(
        default=SecretStr(DEFAULT_SERVICE_PASSWORD), alias="SERVICE_ACCOUNT_PASSWORD"
    )
    coach_ratelimit: str = Field(default="20/minute", alias="COACH_RATELIMIT")
    coach_ratelimit_exercises: str = Field(default="60/minute", alias="COACH_RATELIMIT_EXERCISES")
    coach_ratelimit_service: str = Field(default="10000/minute", alias="COACH_RATELIMIT_SERVICE")
    coach_cache_ttl_seconds: int = Field(default=86_400, ge=0, alias="COACH_CACHE_TTL_SECONDS")
    coach_context_max_age_seconds: int = Field(
        default=3_900, ge=0, alias="COACH_CONTEXT_MAX_AGE_SECONDS"
    )
    docs_enabled: bool = Field(default=True, alias="DOCS_ENABLED")
    # Answers from a provider's model per caller and day; 0: no cap. Past it, the offline coach.
    coach_daily_model_calls: int = Field(default=200, ge=0, alias="COACH_DAILY_MODEL_CALLS")
    # What the model's tokens cost, in US dollars per million (for the cost metric).
    coach_model_input_price: float = Field(default=0.80, ge=0, alias="COACH_MODEL_INPUT_PRICE")
    coach_model_output_price: float = Field(default=4.00, ge=0, alias="COACH_MODEL_OUTPUT_PRICE")

    @field_validator("coach_ratelimit", "coach_ratelimit_exercises", "coach_ratelimit_service")
    @classmethod
    def _a_limit(cls, value: str) -> str:

        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(f"must be a limit such as 20/minute, got {value!r}") from exc
        return value

    @field_validator("ai_model", "anthropic_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("anthropic_api_key", mode="before")
    @classmethod
    def _blank_key_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def service_credentials(self) -> ServiceCredentials:
        return ServiceCredentials(
            username=self.service_account_username,
            password=self.service_account_password.get_secret_value(),
        )

    def coach_redis_url(self, resolved: str) -> str:
        """``resolved`` pointing at the database it names, or the coach's DB 0 when it names none."""
        return redis_url_with_db(resolved, redis_db_of(resolved, COACH_REDIS_DB))
