"""MCP tools through FastMCP's in-memory client, checked against the live REST API on the
same database, on PostgreSQL and SQLite."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastmcp import Client
from fastmcp.client.client import CallToolResult

from workout_api import migrations
from workout_api.database import create_engine_for, create_session_factory
from workout_api.exercises.sorting import SORT_ORDERS, SORTABLE_COLUMNS
from workout_api.main import create_app
from workout_api.mcp.server import create_server
from workout_api.settings import Settings

PROGRAM_TOOLS = {"list-exercises", "get-exercise", "calculate-volume"}
SAMPLE: list[dict[str, Any]] = [
    {"name": "Squat", "sets": 5, "reps": 5, "weight": 100.0, "workout_day": "A"},
    {"name": "Bench Press", "sets": 4, "reps": 8, "weight": 80.0, "workout_day": "B"},
    {"name": "Pull Up", "sets": 3, "reps": 10, "weight": None, "workout_day": "A"},
    {"name": "Deadlift", "sets": 1, "reps": 5, "weight": 140.5, "workout_day": "C"},
    {"name": "Dips", "sets": 3, "reps": 12, "weight": None, "workout_day": "B"},
    {"name": "Row", "sets": 4, "reps": 8, "weight": 80.0, "workout_day": "B"},
    {"name": "curl", "sets": 3, "reps": 12, "weight": 12.5, "workout_day": "A"},
]


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(
        "postgres_url" if request.param == "postgresql" else "sqlite_url"
    )
    migrations.upgrade(url)
    return url


@pytest.fixture
async def api(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        environment="test",
        database_url=database_url,
        redis_url=redis_url,
        secret_key="mcp-tests-secret-key-0123456789-0123456789",
        bcrypt_rounds=4,
        seed_dev_users=True,
        auto_migrate=False,
    )
    async with LifespanManager(create_app(settings), startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


@pytest.fixture
async def mcp(database_url: str) -> AsyncIterator[Client[Any]]:
    engine = create_engine_for(database_url)
    try:
        async with Client(create_server(create_session_factory(engine))) as client:
            yield client
    finally:
        await engine.dispose()


async def _writer_headers(api: httpx.AsyncClient) -> dict[str, str]:
    response = await api.post("/auth/login", json={"username": "user", "password": "user123"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def seeded(api: httpx.AsyncClient) -> list[dict[str, Any]]:
    headers = await _writer_headers(api)
    created = []
    for body in SAMPLE:
        response = await api.post("/exercises", json=body, headers=headers)
        assert response.status_code == 201, response.text
        created.append(response.json())
    return created


async def call(mcp: Client[Any], tool: str, **arguments: Any) -> tuple[dict[str, Any], bool]:
    """The tool's JSON answer (checked to be the same in text and structured form) and isError."""
    result: CallToolResult = await mcp.call_tool(tool, arguments, raise_on_error=False)
    text = result.content[0].text  # type: ignore[union-attr]
    answer: dict[str, Any] = json.loads(text)
    assert result.structured_content == answer
    return answer, result.is_error


async def test_three_read_only_tools_with_schemas_that_state_the_rules(
    mcp: Client[Any],
) -> None:
    tools = {tool.name: tool for tool in await mcp.list_tools()}

    assert set(tools) >= PROGRAM_TOOLS
    for tool in (tools[name] for name in PROGRAM_TOOLS):
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.description
        assert tool.output_schema is not None
        assert "status" in tool.output_schema["required"]
    listing = tools["list-exercises"].input_schema["properties"]
    assert listing["page"]["minimum"] == 1
    assert (listing["page_size"]["minimum"], listing["page_size"]["maximum"]) == (1, 200)
    assert listing["sort_by"]["enum"] == list(SORTABLE_COLUMNS)
    assert listing["sort_order"]["enum"] == list(SORT_ORDERS)
    assert tools["get-exercise"].input_schema["required"] == ["exercise_id"]
    assert tools["calculate-volume"].input_schema["properties"] == {}


async def test_list_equals_the_rest_list_for_every_sort_and_page(
    mcp: Client[Any], api: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    for sort_by in SORTABLE_COLUMNS:
        for sort_order in SORT_ORDERS:
            for page, page_size in [(1, 3), (2, 3), (3, 3), (1, 200)]:
                query: dict[str, str | int] = {
                    "page": page,
                    "page_size": page_size,
                    "sort_by": sort_by,
                    "sort_order": sort_order,
                }
                rest = await api.get("/exercises", params=query)
                assert rest.status_code == 200

                answer, is_error = await call(mcp, "list-exercises", **query)

                assert not is_error, query
                assert answer == {"status": 200, **rest.json()}, query
                assert answer["total"] == len(seeded)


async def test_list_defaults_and_a_page_past_the_end(
    mcp: Client[Any], api: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    answer, _ = await call(mcp, "list-exercises")
    assert answer == {"status": 200, **(await api.get("/exercises")).json()}
    assert [item["id"] for item in answer["items"]] == sorted(item["id"] for item in seeded)

    beyond, is_error = await call(mcp, "list-exercises", page=5, page_size=2)
    assert not is_error
    assert beyond == {"status": 200, "page": 5, "page_size": 2, "total": 7, "items": []}


async def test_get_equals_the_rest_exercise(
    mcp: Client[Any], api: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    for exercise in seeded:
        rest = await api.get(f"/exercises/{exercise['id']}")

        answer, is_error = await call(mcp, "get-exercise", exercise_id=exercise["id"])

        assert not is_error
        assert answer == {"status": 200, "exercise": rest.json()}
    bodyweight = next(item for item in seeded if item["name"] == "Pull Up")
    answer, _ = await call(mcp, "get-exercise", exercise_id=bodyweight["id"])
    assert answer["exercise"]["weight"] is None


async def test_unknown_id_is_404_with_the_rest_detail(
    mcp: Client[Any], api: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    missing = max(item["id"] for item in seeded) + 1
    rest = await api.get(f"/exercises/{missing}")
    assert rest.status_code == 404

    answer, is_error = await call(mcp, "get-exercise", exercise_id=missing)

    assert is_error
    assert answer == {"status": 404, **rest.json()}


@pytest.mark.parametrize(
    "query", [{"sort_by": "colour"}, {"sort_by": "id; DROP TABLE exercise"}, {"sort_order": "up"}]
)
async def test_invalid_sort_is_400_with_the_rest_detail(
    mcp: Client[Any], api: httpx.AsyncClient, query: dict[str, str]
) -> None:
    rest = await api.get("/exercises", params=query)
    assert rest.status_code == 400

    answer, is_error = await call(mcp, "list-exercises", **query)

    assert is_error
    assert answer == {"status": 400, **rest.json()}


@pytest.mark.parametrize(
    ("tool", "arguments", "named"),
    [
        ("list-exercises", {"page": 0}, "page"),
        ("list-exercises", {"page": -3}, "page"),
        ("list-exercises", {"page_size": 0}, "page_size"),
        ("list-exercises", {"page_size": 201}, "page_size"),
        ("list-exercises", {"page": "two"}, "page"),
        ("list-exercises", {"page_size": 2.5}, "page_size"),
        ("list-exercises", {"limit": 5}, "limit"),
        ("get-exercise", {"exercise_id": 0}, "exercise_id"),
        ("get-exercise", {"exercise_id": 2**31}, "exercise_id"),
        ("get-exercise", {"exercise_id": "seven"}, "exercise_id"),
        ("get-exercise", {}, "exercise_id"),
        ("calculate-volume", {"exercise_id": 1}, "exercise_id"),
    ],
)
async def test_bad_arguments_are_400_naming_the_argument(
    mcp: Client[Any], tool: str, arguments: dict[str, Any], named: str
) -> None:
    answer, is_error = await call(mcp, tool, **arguments)

    assert is_error
    assert answer["status"] == 400
    assert named in answer["detail"]
    assert set(answer) == {"status", "detail"}


async def test_volume_sums_sets_reps_weight_and_counts_bodyweight_apart(
    mcp: Client[Any], api: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    expected_volume = sum(
        item["sets"] * item["reps"] * item["weight"]
        for item in SAMPLE
        if item["weight"] is not None
    )

    answer, is_error = await call(mcp, "calculate-volume")

    assert not is_error
    assert answer == {
        "status": 200,
        "total_volume": pytest.approx(expected_volume),
        "exercise_count": 7,
        "weighted_exercises": 5,
        "bodyweight_exercises": 2,
    }

    squat = next(item for item in seeded if item["name"] == "Squat")
    deleted = await api.delete(f"/exercises/{squat['id']}", headers=await _writer_headers(api))
    assert deleted.status_code == 204
    after, _ = await call(mcp, "calculate-volume")
    assert after["total_volume"] == pytest.approx(expected_volume - 5 * 5 * 100.0)
    assert (after["exercise_count"], after["weighted_exercises"]) == (6, 4)


async def test_empty_database(mcp: Client[Any]) -> None:
    listing, _ = await call(mcp, "list-exercises")
    volume, _ = await call(mcp, "calculate-volume")

    assert listing == {"status": 200, "page": 1, "page_size": 20, "total": 0, "items": []}
    assert volume == {
        "status": 200,
        "total_volume": 0.0,
        "exercise_count": 0,
        "weighted_exercises": 0,
        "bodyweight_exercises": 0,
    }
