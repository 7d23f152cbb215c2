"""The platform the attacks are run against: the API and the coach as real processes, started
as their images start them, on PostgreSQL and Redis, with sign-in and coaching limits low
enough to reach within a test."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from workout_common.redis_support import free_port
from workout_testkit.servers import fresh_postgres_database, leased_redis_db
from workout_testkit.service_process import ServiceProcess

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COACHING_PER_MINUTE = 3
LOGINS_PER_ACCOUNT = 4


@dataclass
class LivePlatform:
    api: Any
    coach: Any
    database_url: str
    # Signed in once per account: sign-in attempts are themselves limited per account.
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str = "user", password: str = "user123") -> str:
        if username in self.tokens:
            return self.tokens[username]
        answer = httpx.post(
            f"{self.api.url}/auth/login",
            json={"username": username, "password": password},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        self.tokens[username] = token
        return token

    def headers(self, username: str = "user", password: str = "user123") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username, password)}"}


@pytest.fixture(scope="module")
def live(
    postgres_server: str, redis_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LivePlatform]:
    logs = tmp_path_factory.mktemp("security-logs")
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(fresh_postgres_database(postgres_server))
        api_redis = stack.enter_context(leased_redis_db(redis_server))
        coach_redis = stack.enter_context(leased_redis_db(redis_server))
        api_port, coach_port = free_port(), free_port()
        api = ServiceProcess(
            "api",
            [str(BIN / "workout-api"), "--host", "127.0.0.1", "--port", str(api_port)],
            {
                "DATABASE_URL": database_url,
                "REDIS_URL": api_redis,
                "ENVIRONMENT": "development",
                "RATELIMIT_LOGIN_ACCOUNT": f"{LOGINS_PER_ACCOUNT}/minute",
                "RATELIMIT_AUTH_ANONYMOUS": "1000/minute",
                "RATELIMIT_WRITE_USER": "1000/minute",
                "RATELIMIT_WRITE_ADMIN": "1000/minute",
            },
            api_port,
            logs / "api.log",
        )
        coach = ServiceProcess(
            "coach",
            [str(BIN / "workout-coach"), "--host", "127.0.0.1", "--port", str(coach_port)],
            {
                "WORKOUT_API_URL": api.url,
                "REDIS_URL": coach_redis,
                "COACH_RATELIMIT": f"{COACHING_PER_MINUTE}/minute",
            },
            coach_port,
            logs / "coach.log",
        )
        for service in (api, coach):
            stack.callback(service.stop)
            service.start()
            service.wait_healthy()
        yield LivePlatform(api, coach, database_url)
