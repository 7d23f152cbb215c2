"""Configuration from the environment (12-factor); production refuses unsafe values."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from workout_common.service_identity import DEFAULT_SERVICE_PASSWORD, DEFAULT_SERVICE_USERNAME
from workout_common.settings_base import ServiceSettings

DEFAULT_DATABASE_URL = "sqlite:///data/workout_tracker.db"
DEV_SECRET_KEY = "dev-only-secret-key-not-for-production-use-0000"
KNOWN_DEFAULT_SECRETS = frozenset(
    {
        DEV_SECRET_KEY,
        "changeme",
        "change-me",
        "secret",
        "your-secret-key",
        "your-secret-key-change-in-production",
        "dev-secret-key",
    }
)
DEV_USER_PASSWORDS = frozenset({"admin123", "user123"})
MIN_SECRET_KEY_BYTES = 32
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 12  # 32 x "a" is long, not secret
MIN_PASSWORD_BYTES, MAX_PASSWORD_BYTES = 8, 72  # bcrypt reads at most 72 bytes
REDIS_DEFAULT_DB = 2


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class UnsafeConfigurationError(RuntimeError):
    """A setting that must not be used in production."""


class Settings(ServiceSettings):
    environment: Environment = Environment.DEVELOPMENT
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str | None = None

    access_token_expire_minutes: int = Field(default=30, ge=1)
    refresh_token_expire_days: int = Field(default=7, ge=1)
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)

    cors_origins: Annotated[list[str], NoDecode] = [
        "http://localhost:3000",
        "http://127.0.0.1:3000",
    ]

    service_account_username: str = DEFAULT_SERVICE_USERNAME
    service_account_password: str = DEFAULT_SERVICE_PASSWORD
    initial_admin_username: str | None = None
    initial_admin_password: str | None = None
    initial_admin_email: str | None = None

    # None: decided by the environment (on in development, off elsewhere).
    auto_migrate: bool | None = None
    seed_dev_users: bool | None = None
    # Three months of demo training for the development user (never without dev users).
    seed_demo_data: bool = False
    # /docs, /redoc and /openapi.json; a production deployment may turn them off.
    docs_enabled: bool = True

    ratelimit_enabled: bool = True
    ratelimit_public_anonymous: str = "100/minute"
    ratelimit_public_user: str = "100/minute"
    ratelimit_public_admin: str = "100/minute"
    ratelimit_auth_anonymous: str = "10/minute"
    ratelimit_auth_user: str = "10/minute"
    ratelimit_auth_admin: str = "10/minute"
    # Per account, beside the per-address auth limits above (not a cell of the contract's table).
    ratelimit_login_account: str = "10/minute"
    ratelimit_read_anonymous: str = "60/minute"
    ratelimit_read_user: str = "120/minute"
    ratelimit_read_admin: str = "300/minute"
    ratelimit_write_anonymous: str = "30/minute"
    ratelimit_write_user: str = "60/minute"
    ratelimit_write_admin: str = "150/minute"
    ratelimit_admin: str = "100/minute"
    # POST /imports (training log): per user, whatever the role.
    ratelimit_import_user: str = "10/hour"
    ratelimit_service_read: str = "10000/minute"
    ratelimit_service_write: str = "10000/minute"

    @field_validator("initial_admin_password")
    @classmethod
    def _a_usable_password(cls, value: str | None) -> str | None:
        if (
            value is not None
            and not MIN_PASSWORD_BYTES <= len(value.encode()) <= MAX_PASSWORD_BYTES
        ):
            raise ValueError(
                f"must be {MIN_PASSWORD_BYTES}-{MAX_PASSWORD_BYTES} bytes, like any new password"
            )
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def migrate_on_start(self) -> bool:
        if self.auto_migrate is not None:
            return self.auto_migrate
        return self.environment is Environment.DEVELOPMENT

    @property
    def seeds_dev_users(self) -> bool:
        if self.seed_dev_users is not None:
            return self.seed_dev_users
        return self.environment is Environment.DEVELOPMENT

    @property
    def signing_key(self) -> str:
        return self.secret_key or DEV_SECRET_KEY

    def production_problems(self) -> list[str]:
        """What makes this configuration unsafe outside development (empty when it is fine).

        Any environment but ``development`` needs a real ``SECRET_KEY``: with the public
        development key anyone could sign tokens. Production also refuses weak keys and the
        development accounts and passwords.
        """
        if self.environment is Environment.DEVELOPMENT:
            return []
        problems: list[str] = []
        key = self.secret_key
        if not key:
            problems.append("SECRET_KEY is not set")
        elif key in KNOWN_DEFAULT_SECRETS:
            problems.append("SECRET_KEY is a known default value")
        elif len(key.encode()) < MIN_SECRET_KEY_BYTES:
            problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes")
        elif len(set(key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS:
            problems.append(
                f"SECRET_KEY has fewer than {MIN_SECRET_KEY_DISTINCT_CHARACTERS} different "
                "characters (generate one: openssl rand -hex 32)"
            )
        if not self.is_production:
            return problems
        if self.service_account_password == DEFAULT_SERVICE_PASSWORD:
            problems.append("SERVICE_ACCOUNT_PASSWORD is the development default")
        if self.seeds_dev_users:
            problems.append(
                "SEED_DEV_USERS would create admin/admin123 and user/user123 in production"
            )
        if self.initial_admin_password in DEV_USER_PASSWORDS:
            problems.append("INITIAL_ADMIN_PASSWORD is a development default password")
        return problems

    def check_production_safety(self) -> None:
        problems = self.production_problems()
        if problems:
            raise UnsafeConfigurationError(
                f"refusing to start in {self.environment.value}: " + "; ".join(problems)
            )
