"""The MCP server as users start it: ``scripts/exercises_mcp.py`` in a subprocess, spoken to
over stdio and streamable HTTP, on PostgreSQL and SQLite; and ``scripts/mcp_probe.py``."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastmcp import Client
from fastmcp.client.transports import PythonStdioTransport, StreamableHttpTransport

from workout_api import migrations
from workout_api.database import create_engine_for, create_session_factory
from workout_api.exercises.models import ExerciseCreate
from workout_api.exercises.repository import ExerciseRepository
from workout_api.mcp.log_tool_specs import USER_TOOLS
from workout_common.redis_support import free_port
from workout_testkit.service_process import run_python_script

ROOT = Path(__file__).resolve().parents[3]
SERVER = ROOT / "scripts" / "exercises_mcp.py"
PROBE = ROOT / "scripts" / "mcp_probe.py"
PROGRAM_TOOLS = {"list-exercises", "get-exercise", "calculate-volume"}
START_TIMEOUT = 120  # seconds; a cold interpreter on a busy machine imports slowly

SAMPLE = [
    ExerciseCreate(name="Squat", sets=5, reps=5, weight=100.0, workout_day="A"),
    ExerciseCreate(name="Pull Up", sets=3, reps=10, weight=None, workout_day="B"),
    ExerciseCreate(name="Bench Press", sets=4, reps=8, weight=80.0, workout_day="B"),
]

BOGUS_SERVER = """
from fastmcp import FastMCP
from fastmcp.tools.base import ToolResult

server = FastMCP("bogus")
READ_ONLY = {"readOnlyHint": True}

@server.tool(name="list-exercises", annotations=READ_ONLY)
def list_exercises(page: int = 1, page_size: int = 20, sort_by: str = "id", sort_order: str = "asc") -> dict:
    # accepts page 0 (the real server refuses it with 400)
    return {"status": 200, "page": page, "page_size": page_size, "total": 0, "items": []}

@server.tool(name="get-exercise", annotations=READ_ONLY)
def get_exercise(exercise_id: int) -> ToolResult:
    return ToolResult(structured_content={"status": 404, "detail": "Exercise not found"}, is_error=True)

@server.tool(name="calculate-volume", annotations=READ_ONLY)
def calculate_volume() -> dict:
    return {"status": 200, "total_volume": 0.0, "exercise_count": 0,
            "weighted_exercises": 0, "bodyweight_exercises": 0}

server.run(show_banner=False)
"""


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "ENVIRONMENT": "development", **extra}


async def seed(database_url: str) -> list[dict[str, Any]]:
    engine = create_engine_for(database_url)
    try:
        async with create_session_factory(engine)() as session:
            repository = ExerciseRepository(session)
            created = [await repository.add(data=item) for item in SAMPLE]
            await session.commit()
            return [exercise.model_dump() for exercise in created]
    finally:
        await engine.dispose()


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(
        "postgres_url" if request.param == "postgresql" else "sqlite_url"
    )
    migrations.upgrade(url)
    return url


@pytest.fixture
async def exercises(database_url: str) -> list[dict[str, Any]]:
    return await seed(database_url)


@pytest.fixture
async def stdio_client(database_url: str) -> AsyncIterator[Client[Any]]:
    transport = PythonStdioTransport(
        SERVER, env=server_env(database_url), python_cmd=sys.executable, keep_alive=False
    )
    async with Client(transport, timeout=START_TIMEOUT) as client:
        yield client


async def test_stdio_session_lists_and_calls_the_tools(
    exercises: list[dict[str, Any]], stdio_client: Client[Any]
) -> None:
    tools = {tool.name for tool in await stdio_client.list_tools()}
    listing = await stdio_client.call_tool("list-exercises", {"sort_by": "name"})
    found = await stdio_client.call_tool("get-exercise", {"exercise_id": exercises[1]["id"]})
    missing = await stdio_client.call_tool(
        "get-exercise", {"exercise_id": exercises[-1]["id"] + 1}, raise_on_error=False
    )
    volume = await stdio_client.call_tool("calculate-volume", {})

    assert tools == PROGRAM_TOOLS | USER_TOOLS
    assert listing.structured_content == {
        "status": 200,
        "page": 1,
        "page_size": 20,
        "total": 3,
        "items": sorted(exercises, key=lambda item: item["name"]),
    }
    assert found.structured_content == {"status": 200, "exercise": exercises[1]}
    assert missing.is_error
    assert missing.structured_content == {"status": 404, "detail": "Exercise not found"}
    assert volume.structured_content == {
        "status": 200,
        "total_volume": 5 * 5 * 100.0 + 4 * 8 * 80.0,
        "exercise_count": 3,
        "weighted_exercises": 2,
        "bodyweight_exercises": 1,
    }


async def _read_message(stdout: asyncio.StreamReader) -> dict[str, Any]:
    line = await asyncio.wait_for(stdout.readline(), START_TIMEOUT)
    message: dict[str, Any] = json.loads(line)
    return message


async def test_stdout_carries_only_json_rpc_and_logs_go_to_stderr(sqlite_url: str) -> None:
    """Raw protocol, no client library: any stray print on stdout would break real clients."""
    migrations.upgrade(sqlite_url)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SERVER),
        env=server_env(sqlite_url),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin
    assert process.stdout
    assert process.stderr

    def send(message: dict[str, Any]) -> None:
        assert process.stdin
        process.stdin.write((json.dumps(message) + "\n").encode())

    send(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "raw-test", "version": "1"},
            },
        }
    )
    initialized = await _read_message(process.stdout)
    send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    send(
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "list-exercises", "arguments": {"page": 0}},
        }
    )
    called = await _read_message(process.stdout)
    process.stdin.close()
    rest_of_stdout, stderr = await asyncio.wait_for(process.communicate(), START_TIMEOUT)

    assert initialized["id"] == 1
    assert initialized["result"]["serverInfo"]["name"] == "workout-tracker-exercises"
    assert called["id"] == 2
    assert called["result"]["isError"] is True
    assert json.loads(called["result"]["content"][0]["text"])["status"] == 400
    assert rest_of_stdout.strip() == b""
    assert b"serving exercises from sqlite" in stderr
    assert process.returncode == 0


def _wait_for_health(url: str, process: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"no answer from {url} within {START_TIMEOUT}s")


@pytest.fixture
def http_server(sqlite_url: str) -> Iterator[str]:
    """The server over HTTP, on SQLite (the stdio test covers both databases)."""
    database_url = sqlite_url
    migrations.upgrade(database_url)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(SERVER),
            "--transport",
            "http",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=server_env(database_url, MCP_ALLOWED_HOSTS="mcp.internal.example"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        health = _wait_for_health(f"http://127.0.0.1:{port}/health", process)
        assert health.status_code == 200, health.text
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr
        process.stderr.close()


async def test_streamable_http_serves_the_tools_and_a_health_check(
    sqlite_url: str, http_server: str
) -> None:
    exercises = await seed(sqlite_url)
    async with httpx.AsyncClient() as http:
        health = await http.get(f"{http_server}/health")
    async with Client(StreamableHttpTransport(f"{http_server}/mcp"), timeout=60) as client:
        tools = {tool.name for tool in await client.list_tools()}
        found = await client.call_tool("get-exercise", {"exercise_id": exercises[0]["id"]})
        refused = await client.call_tool(
            "list-exercises", {"sort_by": "colour"}, raise_on_error=False
        )

    assert health.json() == {"status": "healthy", "database": "connected", "exercise_count": 3}
    assert tools == PROGRAM_TOOLS | USER_TOOLS
    assert found.structured_content == {"status": 200, "exercise": exercises[0]}
    assert refused.is_error
    assert refused.structured_content is not None
    assert refused.structured_content["status"] == 400


async def test_http_refuses_hosts_and_origins_it_was_not_told_of(http_server: str) -> None:
    # DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 sends
    # "Host: evil.example" and "Origin: http://evil.example".
    async with httpx.AsyncClient() as http:
        rebound = await http.get(f"{http_server}/health", headers={"Host": "evil.example"})
        cross_site = await http.get(
            f"{http_server}/health", headers={"Origin": "http://evil.example"}
        )
        named = await http.get(f"{http_server}/health", headers={"Host": "mcp.internal.example"})
        local = await http.get(f"{http_server}/health")
    assert rebound.status_code == 421
    assert cross_site.status_code == 403
    assert named.status_code == 200  # listed in MCP_ALLOWED_HOSTS
    assert local.status_code == 200


def run_script(script: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_python_script(script, env, *args, timeout=START_TIMEOUT * 2)


def test_without_database_url_it_opens_the_checkouts_sqlite_file_wherever_started(
    tmp_path: Path,
) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(SERVER, checkout / "scripts" / SERVER.name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env["ENVIRONMENT"] = "development"

    result = subprocess.run(  # stdin at EOF: the server starts, then ends its session
        [sys.executable, str(checkout / "scripts" / SERVER.name)],
        env=env,
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT * 2,
        stdin=subprocess.DEVNULL,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    database = checkout / "data" / "workout_tracker.db"
    assert migrations.current_revision(f"sqlite:///{database}") == migrations.head_revision()
    assert list(elsewhere.iterdir()) == []


def test_unreachable_database_exits_non_zero_with_a_clear_message() -> None:
    url = f"postgresql://postgres:s3cret-pw@127.0.0.1:{free_port()}/workout_tracker"

    result = run_script(SERVER, server_env(url))

    assert result.returncode == 1
    assert result.stdout == ""
    assert "cannot reach the database at postgresql://postgres:***@127.0.0.1:" in result.stderr
    assert "s3cret-pw" not in result.stderr


def test_unmigrated_database_is_refused_outside_development(postgres_url: str) -> None:
    result = run_script(SERVER, server_env(postgres_url, ENVIRONMENT="test"))

    assert result.returncode == 1
    assert result.stdout == ""
    assert "run `workout-api migrate` first" in result.stderr


def test_probe_passes_against_the_server(postgres_url: str) -> None:
    database_url = postgres_url
    migrations.upgrade(database_url)
    asyncio.run(seed(database_url))

    result = run_script(PROBE, server_env(database_url))

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for tool in ("list-exercises", "get-exercise", "calculate-volume"):
        assert any(line.startswith(f"{tool} ") for line in lines), result.stdout
    assert '-> {"status":404,"detail":"Exercise not found"}' in result.stdout
    assert result.stdout.count('-> {"status":400,') == 2
    assert lines[-1].startswith("OK: ")


def test_probe_migrates_and_passes_on_a_fresh_development_database(sqlite_url: str) -> None:
    result = run_script(PROBE, server_env(sqlite_url))

    assert result.returncode == 0, result.stdout + result.stderr
    assert '"total":0' in result.stdout


def test_probe_fails_when_a_tool_answers_wrongly(tmp_path: Path, sqlite_url: str) -> None:
    bogus = tmp_path / "bogus_server.py"
    bogus.write_text(BOGUS_SERVER)

    result = run_script(PROBE, server_env(sqlite_url), "--server", str(bogus))

    assert result.returncode == 1
    assert "FAILED: list-exercises: expected status 400, got 200" in result.stderr
