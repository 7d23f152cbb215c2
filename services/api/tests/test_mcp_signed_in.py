"""The training-log tools as users start the server: over stdio with ``--user`` and over
streamable HTTP with each lifter's bearer token, on PostgreSQL, beside the live REST API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastmcp import Client
from fastmcp.client.transports import PythonStdioTransport, StreamableHttpTransport

from workout_api import migrations
from workout_api.main import create_app
from workout_api.settings import Settings
from workout_common.redis_support import free_port
from workout_testkit.service_process import run_python_script

ROOT = Path(__file__).resolve().parents[3]
SERVER = ROOT / "scripts" / "exercises_mcp.py"
PROBE = ROOT / "scripts" / "mcp_probe.py"
START_TIMEOUT = 120
SECRET = "mcp-signed-in-tests-secret-0123456789-abcdefghij"
UNSTORED = {"id", "created_at", "updated_at", "source"}
Headers = dict[str, str]


@dataclass
class Platform:
    database_url: str
    api: httpx.AsyncClient
    headers: dict[str, Headers]  # alice's and bob's REST headers
    workouts: dict[str, int]  # each one's workout id

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "ENVIRONMENT": "development",
            "SECRET_KEY": SECRET,
            **extra,
        }

    def token(self, name: str) -> str:
        return self.headers[name]["Authorization"].removeprefix("Bearer ")


def squat_workout(template_id: int, weight: float, day: str) -> dict[str, Any]:
    return {
        "title": f"Squats {day}",
        "started_at": f"{day}T07:00:00+00:00",
        "exercises": [{"template_id": template_id, "sets": [{"reps": 5, "weight_kg": weight}] * 3}],
    }


@pytest.fixture
async def platform(postgres_url: str, redis_url: str) -> AsyncIterator[Platform]:
    """alice and bob, each with one workout of their own, logged over REST."""
    migrations.upgrade(postgres_url)
    settings = Settings(
        environment="test",
        database_url=postgres_url,
        redis_url=redis_url,
        secret_key=SECRET,
        bcrypt_rounds=4,
        seed_dev_users=True,
        auto_migrate=False,
    )
    async with LifespanManager(create_app(settings), startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as api:
            admin = await _login(api, "admin", "admin123")
            headers = {}
            for name in ("alice", "bob"):
                created = await api.post(
                    "/admin/users",
                    json={"username": name, "password": f"{name}-password", "role": "user"},
                    headers=admin,
                )
                assert created.status_code == 201, created.text
                headers[name] = await _login(api, name, f"{name}-password")
            found = await api.get(
                "/exercise-templates", params={"q": "Barbell Back Squat"}, headers=admin
            )
            squat = found.json()["items"][0]["id"]
            workouts = {}
            for name, weight, day in (("alice", 100.0, "2024-05-06"), ("bob", 60.0, "2024-05-07")):
                logged = await api.post(
                    "/workouts", json=squat_workout(squat, weight, day), headers=headers[name]
                )
                assert logged.status_code == 201, logged.text
                workouts[name] = logged.json()["id"]
            yield Platform(postgres_url, api, headers, workouts)


async def _login(api: httpx.AsyncClient, username: str, password: str) -> Headers:
    response = await api.post("/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _answer(result: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(result.content[0].text)
    return answer


async def test_stdio_with_user_acts_for_that_lifter_only(platform: Platform) -> None:
    transport = PythonStdioTransport(
        SERVER,
        args=["--user", "alice"],
        env=platform.env(),
        python_cmd=sys.executable,
        keep_alive=False,
    )
    async with Client(transport, timeout=START_TIMEOUT) as alice:
        listing = await alice.call_tool("list-workouts", {})
        bobs = await alice.call_tool(
            "get-workout", {"workout_id": platform.workouts["bob"]}, raise_on_error=False
        )
        records = await alice.call_tool("get-personal-records", {})
        stats = await alice.call_tool("get-training-stats", {"to": "2024-06-01"})

    rest_listing = await platform.api.get("/workouts", headers=platform.headers["alice"])
    assert _answer(listing) == {"status": 200, **rest_listing.json()}
    assert [item["id"] for item in rest_listing.json()["items"]] == [platform.workouts["alice"]]
    rest_bobs = await platform.api.get(
        f"/workouts/{platform.workouts['bob']}", headers=platform.headers["alice"]
    )
    assert rest_bobs.status_code == 404
    assert bobs.is_error
    assert _answer(bobs) == {"status": 404, **rest_bobs.json()}
    rest_records = await platform.api.get("/records", headers=platform.headers["alice"])
    assert _answer(records) == {"status": 200, **rest_records.json()}
    assert _answer(records)["items"][0]["heaviest_weight"]["value"] == 100.0  # not bob's 60
    assert _answer(stats)["workouts"] == 1


async def test_stdio_without_user_refuses_the_log_tools(platform: Platform) -> None:
    transport = PythonStdioTransport(
        SERVER, env=platform.env(), python_cmd=sys.executable, keep_alive=False
    )
    async with Client(transport, timeout=START_TIMEOUT) as anonymous:
        refused = await anonymous.call_tool("list-workouts", {}, raise_on_error=False)
        program = await anonymous.call_tool("list-exercises", {})

    assert refused.is_error
    assert _answer(refused)["status"] == 401
    assert "start it with --user USERNAME" in _answer(refused)["detail"]
    assert _answer(program)["status"] == 200


def test_user_is_refused_with_http(platform: Platform) -> None:
    result = subprocess.run(
        [sys.executable, str(SERVER), "--transport", "http", "--user", "alice"],
        env=platform.env(),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode == 2
    assert "--user works with --transport stdio only" in result.stderr


@pytest.fixture
def http_url(platform: Platform) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SERVER), "--transport", "http", "--port", str(port)],
        env=platform.env(HOST="127.0.0.1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline_tries = START_TIMEOUT * 5
        for _ in range(deadline_tries):
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _client(url: str, token: str) -> Client[Any]:
    transport = StreamableHttpTransport(url, headers={"Authorization": f"Bearer {token}"})
    return Client(transport, timeout=60)


async def test_http_tokens_name_the_lifter_and_logging_stores_what_rest_stores(
    platform: Platform, http_url: str
) -> None:
    async with _client(http_url, platform.token("alice")) as alice:
        alices = _answer(await alice.call_tool("list-workouts", {}))
        bobs = await alice.call_tool(
            "get-workout", {"workout_id": platform.workouts["bob"]}, raise_on_error=False
        )
        workout: dict[str, Any] = {
            "title": "Bench day",
            "started_at": "2024-05-08T18:00:00+02:00",
            "exercises": [{"name": "bench press", "sets": [{"reps": 8, "weight_kg": 70}] * 3}],
        }
        logged = _answer(await alice.call_tool("log-workout", workout))
    async with _client(http_url, platform.token("bob")) as bob:
        bobs_own = _answer(await bob.call_tool("list-workouts", {}))
        stats = _answer(await bob.call_tool("get-training-stats", {"to": "2024-06-01"}))

    assert [item["id"] for item in alices["items"]] == [platform.workouts["alice"]]
    assert bobs.is_error
    assert _answer(bobs) == {"status": 404, "detail": "Workout not found"}
    assert [item["id"] for item in bobs_own["items"]] == [platform.workouts["bob"]]
    rest_stats = await platform.api.get(
        "/stats", params={"to": "2024-06-01"}, headers=platform.headers["bob"]
    )
    assert stats == {"status": 200, **rest_stats.json()}

    bench = logged["exercises"][0]["template_id"]
    sets = workout["exercises"][0]["sets"]
    rest_body = {**workout, "exercises": [{"template_id": bench, "sets": sets}]}
    rest = await platform.api.post("/workouts", json=rest_body, headers=platform.headers["bob"])
    assert rest.status_code == 201, rest.text
    by_mcp = await platform.api.get(f"/workouts/{logged['id']}", headers=platform.headers["alice"])
    assert by_mcp.json()["source"] == "mcp"
    assert {k: v for k, v in by_mcp.json().items() if k not in UNSTORED} == {
        k: v for k, v in rest.json().items() if k not in UNSTORED
    }


async def _rpc(url: str, headers: Headers, name: str) -> httpx.Response:
    message = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": name, "arguments": {}},
    }
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(
            url,
            json=message,
            headers={"Accept": "application/json, text/event-stream", **headers},
        )


async def test_http_without_a_valid_token_is_401(platform: Platform, http_url: str) -> None:
    alice = platform.headers["alice"]
    valid = await _rpc(http_url, alice, "list-workouts")
    changed = await platform.api.post(
        "/auth/password",
        json={"current_password": "alice-password", "new_password": "alice-new-password"},
        headers=alice,
    )
    assert changed.status_code == 204, changed.text

    missing = await _rpc(http_url, {}, "list-workouts")
    bad = await _rpc(http_url, {"Authorization": "Bearer not-a-token"}, "list-workouts")
    ended = await _rpc(http_url, alice, "list-workouts")
    ended_program = await _rpc(http_url, alice, "list-exercises")
    anonymous_program = await _rpc(http_url, {}, "list-exercises")

    assert valid.status_code == 200
    for refused in (missing, bad, ended, ended_program):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
    assert "Sign-in required" in missing.json()["detail"]
    assert ended.json()["detail"] == "Token is no longer valid: sign in again"
    assert anonymous_program.status_code == 200  # the program needs no sign-in


def _run(script: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_python_script(script, env, *args, timeout=START_TIMEOUT * 2)


def test_probe_exercises_the_log_tools_over_stdio_and_http(
    platform: Platform, http_url: str
) -> None:
    over_stdio = _run(PROBE, platform.env(), "--user", "alice", "--write")
    over_http = _run(PROBE, platform.env(), "--url", http_url, "--token", platform.token("bob"))

    assert over_stdio.returncode == 0, over_stdio.stdout + over_stdio.stderr
    assert over_http.returncode == 0, over_http.stdout + over_http.stderr
    for output in (over_stdio.stdout, over_http.stdout):
        for tool in ("list-workouts", "get-personal-records", "get-training-stats"):
            assert f"\n{tool} " in output
    assert '-> {"status":201,' in over_stdio.stdout
    assert '"source":"mcp"' in over_stdio.stdout
