"""The platform of the fault tests: the API and the coach as real processes, each dependency
reached through a proxy the tests can cut.

    coach ──proxy──> API ──proxy──> PostgreSQL
                      └───proxy──> Redis

The tests count rows in PostgreSQL directly, never through a proxy.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from workout_common.redis_support import free_port
from workout_testkit.modules import load_module
from workout_testkit.servers import fresh_postgres_database, leased_redis_db
from workout_testkit.service_process import ServiceProcess

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
TABLE_PATH = ROOT / "test-output" / "faults.md"
HIGH_LIMIT = "100000/minute"  # the tests count faults, not rate limits
EXERCISE_INSERT = "INSERT INTO exercise "


tcp_proxy = load_module(HERE / "tcp_proxy.py", "faults_tcp_proxy")
pg_frontend = load_module(HERE / "pg_frontend.py", "faults_pg_frontend")
Verdict = tcp_proxy.Verdict


class PostgresFaultPlan:
    """Which writes of the API meet a fault, decided on what the API sends PostgreSQL.

    A write is an ``INSERT INTO exercise`` and the ``COMMIT`` that ends its transaction.
    ``mode`` picks the fault; every ``every``-th write meets it:

    * ``reset``: the connection is reset before the INSERT reaches the server;
    * ``stall``: the proxy stops forwarding anything for its stall time at the INSERT;
    * ``commit_reply``: the COMMIT reaches the server, which commits, and the connection is
      cut before the answer gets back to the API;
    * ``reset_or_commit_reply``: both of the above, in turn.
    """

    def __init__(self) -> None:
        self.mode: str | None = None
        self.every = 3
        self.writes = 0
        self.applied = 0

    def arm(self, mode: str | None, every: int = 3) -> None:
        self.mode, self.every, self.writes, self.applied = mode, every, 0, 0

    def inspector(self) -> Any:
        return _WriteWatcher(self)

    def _due(self) -> bool:
        self.writes += 1
        if self.writes % self.every:
            return False
        self.applied += 1
        return True


class _WriteWatcher:
    def __init__(self, plan: PostgresFaultPlan) -> None:
        self.plan = plan
        self.stream = pg_frontend.FrontendStream()
        self.in_write = False

    def feed(self, chunk: bytes) -> Any:
        verdict = Verdict.FORWARD
        for message in self.stream.feed(chunk):
            if message.kind not in ("Q", "B") or message.sql is None:
                continue
            if message.sql.startswith(EXERCISE_INSERT):
                self.in_write = True
                if (
                    self.plan.mode in ("reset", "stall", "reset_or_commit_reply")
                    and self.plan._due()
                ):
                    verdict = Verdict.STALL if self.plan.mode == "stall" else Verdict.RESET
            elif message.statement == "COMMIT" and self.in_write:
                self.in_write = False
                if self.plan.mode in ("commit_reply", "reset_or_commit_reply") and self.plan._due():
                    verdict = Verdict.DROP_REPLY
        return verdict


@dataclass
class FaultRow:
    fault: str
    sent: int
    ok: int
    unavailable: int
    stored: int | None
    lost: int | None
    duplicated: int | None
    attempts: int

    def cells(self) -> list[str]:
        def cell(value: int | None) -> str:
            return "n/a" if value is None else str(value)

        return [
            self.fault,
            str(self.sent),
            str(self.ok),
            str(self.unavailable),
            cell(self.stored),
            cell(self.lost),
            cell(self.duplicated),
            str(self.attempts),
        ]


HEADER = ["fault", "sent", "2xx", "503", "stored", "lost", "duplicated", "requests"]


def render_table(rows: list[FaultRow]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


@dataclass
class FaultPlatform:
    api: Any
    coach: Any
    postgres_proxy: Any
    redis_proxy: Any
    coach_api_proxy: Any
    plan: PostgresFaultPlan
    database_url: str  # direct, for counting rows
    user_headers: dict[str, str]
    rows: list[FaultRow] = field(default_factory=list)

    def logs(self) -> str:
        return self.api.log_tail(60) + "\n" + self.coach.log_tail(30)

    def record(self, **cells: Any) -> FaultRow:
        """Adds a line to the fault table written when the session ends."""
        row = FaultRow(**cells)
        self.rows.append(row)
        return row


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    assert parts.hostname is not None
    return url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{port}", 1)


@pytest.fixture(scope="session")
def fault_platform(
    postgres_server: str, redis_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FaultPlatform]:
    logs = tmp_path_factory.mktemp("fault-logs")
    plan = PostgresFaultPlan()
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(fresh_postgres_database(postgres_server))
        api_redis = stack.enter_context(leased_redis_db(redis_server))
        coach_redis = stack.enter_context(leased_redis_db(redis_server))
        database = urlsplit(database_url)
        redis = urlsplit(api_redis)
        assert database.hostname
        assert database.port
        assert redis.hostname
        assert redis.port
        postgres_proxy = stack.enter_context(
            tcp_proxy.TcpProxy(
                database.hostname, database.port, inspector=plan.inspector, stall_seconds=2.5
            )
        )
        redis_proxy = stack.enter_context(tcp_proxy.TcpProxy(redis.hostname, redis.port))
        api_port, coach_port = free_port(), free_port()
        api = ServiceProcess(
            "api",
            [str(BIN / "workout-api"), "--host", "127.0.0.1", "--port", str(api_port)],
            {
                # No TLS negotiation, so the proxy reads the protocol in clear.
                "DATABASE_URL": _through(database_url, postgres_proxy.port) + "?sslmode=disable",
                "REDIS_URL": _through(api_redis, redis_proxy.port),
                "ENVIRONMENT": "development",
                "SEED_DEMO_DATA": "false",
                **{
                    f"RATELIMIT_{category}_{role}": HIGH_LIMIT
                    for category in ("PUBLIC", "READ", "WRITE")
                    for role in ("ANONYMOUS", "USER", "ADMIN")
                },
            },
            api_port,
            logs / "api.log",
        )
        stack.callback(api.stop)
        api.start()
        api.wait_healthy()
        coach_api_proxy = stack.enter_context(tcp_proxy.TcpProxy("127.0.0.1", api_port))
        coach = ServiceProcess(
            "coach",
            [str(BIN / "workout-coach"), "--host", "127.0.0.1", "--port", str(coach_port)],
            {
                "WORKOUT_API_URL": f"http://127.0.0.1:{coach_api_proxy.port}",
                # Short enough for stalled calls to end within the test, long enough for a loaded
                # machine's ordinary answers.
                "WORKOUT_API_TIMEOUT_SECONDS": "3",
                "REDIS_URL": coach_redis,
                "COACH_RATELIMIT": HIGH_LIMIT,
                "COACH_RATELIMIT_EXERCISES": HIGH_LIMIT,
            },
            coach_port,
            logs / "coach.log",
        )
        stack.callback(coach.stop)
        coach.start()
        coach.wait_healthy()
        login = httpx.post(
            f"{api.url}/auth/login", json={"username": "user", "password": "user123"}, timeout=30
        )
        assert login.status_code == 200, login.text
        platform = FaultPlatform(
            api=api,
            coach=coach,
            postgres_proxy=postgres_proxy,
            redis_proxy=redis_proxy,
            coach_api_proxy=coach_api_proxy,
            plan=plan,
            database_url=database_url,
            user_headers={"Authorization": f"Bearer {login.json()['access_token']}"},
        )
        yield platform
        if platform.rows:
            table = render_table(platform.rows)
            TABLE_PATH.parent.mkdir(exist_ok=True)
            TABLE_PATH.write_text(table)
            print(f"\nFaults measured ({TABLE_PATH.relative_to(ROOT)}):\n{table}")
