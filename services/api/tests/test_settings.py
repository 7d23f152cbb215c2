"""Configuration from the environment and what production refuses (delta 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workout_api import migrations
from workout_api.main import create_app
from workout_api.settings import DEV_SECRET_KEY, Settings, UnsafeConfigurationError
from workout_common.redis_support import free_port
from workout_common.service_identity import DEFAULT_SERVICE_PASSWORD

GOOD_PRODUCTION = {
    "environment": "production",
    "secret_key": "k" * 48,
    "service_account_password": "a-real-service-password",
}


def test_defaults_are_the_development_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENVIRONMENT", "CORS_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///data/workout_tracker.db"
    assert settings.environment == "development"
    assert settings.migrate_on_start
    assert settings.seeds_dev_users
    assert settings.bcrypt_rounds == 12
    assert settings.cors_origins == ["http://localhost:3000", "http://127.0.0.1:3000"]
    assert settings.signing_key == DEV_SECRET_KEY


def test_production_with_safe_values_starts() -> None:
    settings = Settings(**GOOD_PRODUCTION)
    assert settings.production_problems() == []
    assert not settings.migrate_on_start
    assert not settings.seeds_dev_users


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"secret_key": None}, "SECRET_KEY is not set"),
        ({"secret_key": "too-short"}, "shorter than 32 bytes"),
        ({"secret_key": DEV_SECRET_KEY}, "known default"),
        ({"service_account_password": DEFAULT_SERVICE_PASSWORD}, "SERVICE_ACCOUNT_PASSWORD"),
        ({"seed_dev_users": True}, "admin/admin123"),
        ({"initial_admin_username": "root", "initial_admin_password": "admin123"}, "INITIAL_ADMIN"),
    ],
)
def test_production_refuses_unsafe_values(override: dict[str, Any], problem: str) -> None:
    settings = Settings(**{**GOOD_PRODUCTION, **override})
    with pytest.raises(UnsafeConfigurationError, match=problem):
        settings.check_production_safety()
    with pytest.raises(UnsafeConfigurationError):
        create_app(settings)


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "SECRET"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "workout_api.cli", *args],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_refuses_to_start_in_production_without_a_secret(tmp_path: Path) -> None:
    result = _cli([], {"ENVIRONMENT": "production"}, tmp_path)
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_cli_migrate_creates_then_reports_nothing_to_do(tmp_path: Path) -> None:
    first = _cli(["migrate"], {}, tmp_path)
    second = _cli(["migrate"], {}, tmp_path)
    assert first.returncode == 0, first.stderr
    head = migrations.head_revision()
    assert f"migrated from revision (empty) to {head}" in first.stdout
    assert (tmp_path / "data" / "workout_tracker.db").exists()
    assert f"already at revision {head}" in second.stdout


def test_cli_migrate_with_an_unreachable_database_fails_clearly(tmp_path: Path) -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"
    result = _cli(["migrate"], {"DATABASE_URL": url}, tmp_path)
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr
