"""The training-log tools through FastMCP's in-memory client, each acting for one lifter,
checked against the live REST API on the same database (PostgreSQL and SQLite)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastmcp import Client

from workout_api.database import create_engine_for, create_session_factory
from workout_api.mcp.identity import LocalUserIdentity
from workout_api.mcp.log_tool_specs import USER_TOOLS
from workout_api.mcp.server import create_server

NOW = datetime(2024, 6, 5, 12, 0, tzinfo=UTC)  # a Wednesday
Headers = dict[str, str]
McpFor = Callable[[str | None], AbstractAsyncContextManager[Client[Any]]]
UNSTORED = {"id", "created_at", "updated_at", "source"}
WRITING_TOOLS = {"log-workout", "import-workouts"}
IMPORT_FILES = Path(__file__).parent / "import_files"
STRONG = (IMPORT_FILES / "strong_lb.csv").read_text(encoding="utf-8")


@pytest.fixture
def api(app: FastAPI, client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The REST API on the database the tools use, at the tools' time."""
    app.state.clock = lambda: NOW
    return client


@pytest.fixture
async def lifters(api: httpx.AsyncClient, login: Any) -> dict[str, Headers]:
    """alice and bob (role user), reader (readonly): their REST headers."""
    admin = await login(api, "admin", "admin123")
    headers = {}
    for name, role in (("alice", "user"), ("bob", "user"), ("reader", "readonly")):
        created = await api.post(
            "/admin/users",
            json={"username": name, "password": f"{name}-password", "role": role},
            headers=admin,
        )
        assert created.status_code == 201, created.text
        headers[name] = await login(api, name, f"{name}-password")
    return headers


@pytest.fixture
def mcp_for(database_url: str) -> McpFor:
    """``async with mcp_for("alice") as client``: a server acting as if started --user alice."""

    @asynccontextmanager
    async def open_client(username: str | None) -> AsyncIterator[Client[Any]]:
        engine = create_engine_for(database_url)
        try:
            server = create_server(
                create_session_factory(engine),
                identity=LocalUserIdentity(username),
                clock=lambda: NOW,
            )
            async with Client(server) as client:
                yield client
        finally:
            await engine.dispose()

    return open_client


async def call(client: Client[Any], tool: str, **arguments: Any) -> tuple[dict[str, Any], bool]:
    result = await client.call_tool(tool, arguments, raise_on_error=False)
    answer: dict[str, Any] = json.loads(result.content[0].text)  # type: ignore[union-attr]
    assert result.structured_content == answer
    return answer, result.is_error


async def template_id(api: httpx.AsyncClient, headers: Headers, name: str) -> int:
    found = await api.get("/exercise-templates", params={"q": name}, headers=headers)
    match = next(item for item in found.json()["items"] if item["name"] == name)
    return int(match["id"])


def squat_and_bench(day: str = "2024-06-03", **exercise_fields: Any) -> dict[str, Any]:
    """'3x5 squats at 100 kg and 3x8 bench at 70', exercises by name."""
    return {
        "title": "Monday",
        "started_at": f"{day}T07:30:00+02:00",
        "ended_at": f"{day}T08:35:00+02:00",
        "notes": "felt strong",
        "exercises": [
            {"name": "back squat", "sets": [{"reps": 5, "weight_kg": 100}] * 3},
            {"name": "Bench Press", "sets": [{"reps": 8, "weight_kg": 70, "rpe": 8.5}] * 3},
            *([exercise_fields] if exercise_fields else []),
        ],
    }


async def by_ids(api: httpx.AsyncClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    """The same workout for REST: exercise names replaced by their library ids."""
    names = {"back squat": "Barbell Back Squat", "Bench Press": "Barbell Bench Press"}
    exercises = [
        {
            "template_id": await template_id(api, headers, names[e["name"]]),
            "sets": e["sets"],
        }
        for e in body["exercises"]
    ]
    return {**body, "exercises": exercises}


async def post_workout(api: httpx.AsyncClient, headers: Headers, body: dict[str, Any]) -> int:
    created = await api.post("/workouts", json=await by_ids(api, headers, body), headers=headers)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


async def test_log_workout_by_names_stores_what_rest_post_stores(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    workout = squat_and_bench()
    rest_id = await post_workout(api, lifters["alice"], workout)

    async with mcp_for("bob") as bob:
        logged, is_error = await call(bob, "log-workout", **workout)

    assert not is_error, logged
    assert logged["status"] == 201
    assert logged["source"] == "mcp"
    by_rest = (await api.get(f"/workouts/{rest_id}", headers=lifters["alice"])).json()
    by_mcp = await api.get(f"/workouts/{logged['id']}", headers=lifters["bob"])
    assert by_mcp.status_code == 200
    assert by_mcp.json()["source"] == "mcp"
    assert {k: v for k, v in by_mcp.json().items() if k not in UNSTORED} == {
        k: v for k, v in by_rest.items() if k not in UNSTORED
    }
    assert {"status": 201, **by_mcp.json()} == logged  # the answer is what is stored
    assert [len(e["sets"]) for e in logged["exercises"]] == [3, 3]
    assert logged["records"]  # a first workout sets records, as over REST


async def test_a_client_id_logs_once(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    workout = {**squat_and_bench(), "client_id": "5f0c6f2e-1c1a-4e7e-9a57-0b8f1d1c2b3a"}
    async with mcp_for("alice") as alice:
        first, _ = await call(alice, "log-workout", **workout)
        again, is_error = await call(alice, "log-workout", **workout)

    assert (first["status"], again["status"], is_error) == (201, 200, False)
    assert again["id"] == first["id"]
    listed = await api.get("/workouts", headers=lifters["alice"])
    assert listed.json()["total"] == 1


async def test_each_lifter_reads_only_their_own_log(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    alices = await post_workout(api, lifters["alice"], squat_and_bench("2024-05-27"))
    await post_workout(api, lifters["alice"], squat_and_bench("2024-06-03"))
    bobs = await post_workout(api, lifters["bob"], squat_and_bench("2024-06-04"))
    squat = await template_id(api, lifters["alice"], "Barbell Back Squat")

    for name, own, other in (("alice", alices, bobs), ("bob", bobs, alices)):
        headers = lifters[name]
        async with mcp_for(name) as client:
            listing, _ = await call(client, "list-workouts")
            mine, _ = await call(client, "get-workout", workout_id=own)
            theirs, is_error = await call(client, "get-workout", workout_id=other)
            history, _ = await call(client, "get-exercise-history", template_id=squat)
            progress, _ = await call(
                client, "get-progress", template_id=squat, metric="max_weight", bucket="week"
            )
            records, _ = await call(client, "get-personal-records")
            stats, _ = await call(client, "get-training-stats", **{"from": "2024-06-01"})

        assert listing == {"status": 200, **(await api.get("/workouts", headers=headers)).json()}
        assert listing["total"] == (2 if name == "alice" else 1)
        assert mine == {
            "status": 200,
            **(await api.get(f"/workouts/{own}", headers=headers)).json(),
        }
        rest_theirs = await api.get(f"/workouts/{other}", headers=headers)
        assert rest_theirs.status_code == 404
        assert is_error
        assert theirs == {"status": 404, **rest_theirs.json()}
        rest_history = await api.get(f"/exercise-templates/{squat}/history", headers=headers)
        assert history == {"status": 200, **rest_history.json()}
        rest_progress = await api.get(
            f"/exercise-templates/{squat}/progress",
            params={"metric": "max_weight", "bucket": "week"},
            headers=headers,
        )
        assert progress == {"status": 200, **rest_progress.json()}
        assert records == {"status": 200, **(await api.get("/records", headers=headers)).json()}
        rest_stats = await api.get("/stats", params={"from": "2024-06-01"}, headers=headers)
        assert stats == {"status": 200, **rest_stats.json()}
        assert stats["workouts"] == 1
        assert stats["streak_weeks"] == (2 if name == "alice" else 1)


async def test_search_equals_the_rest_library_and_shows_only_your_custom_exercises(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    custom = await api.post(
        "/exercise-templates",
        json={"name": "Bob's Sled Push", "primary_muscle": "quadriceps"},
        headers=lifters["bob"],
    )
    assert custom.status_code == 201, custom.text
    query: dict[str, str | int] = {"q": "push", "page_size": 50}

    async with mcp_for("alice") as alice, mcp_for("bob") as bob:
        for_alice, _ = await call(alice, "search-exercise-templates", **query)
        for_bob, _ = await call(bob, "search-exercise-templates", **query)

    rest = await api.get("/exercise-templates", params=query, headers=lifters["alice"])
    assert for_alice == {"status": 200, **rest.json()}
    assert "Bob's Sled Push" not in {item["name"] for item in for_alice["items"]}
    assert "Bob's Sled Push" in {item["name"] for item in for_bob["items"]}


async def test_an_unknown_name_is_refused_with_close_names_and_nothing_is_stored(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    workout = squat_and_bench()
    workout["exercises"][0]["name"] = "squats"

    async with mcp_for("alice") as alice:
        answer, is_error = await call(alice, "log-workout", **workout)

    assert is_error
    assert answer["status"] == 400
    assert "exercises.0.name: no exercise called 'squats'" in answer["detail"]
    assert "'Barbell Back Squat'" in answer["detail"]
    assert (await api.get("/workouts", headers=lifters["alice"])).json()["total"] == 0
    custom = await api.get("/exercise-templates", params={"custom": True}, headers=lifters["alice"])
    assert custom.json()["total"] == 0


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"ended_at": "2024-06-03T06:00:00+02:00"}, "ended_at must not be before started_at"),
        ({"title": ""}, "title"),
        ({"started_at": "yesterday morning"}, "started_at"),
        ({"exercises": [{"name": "Bench Press", "sets": [{"weight_kg": 70}]}]}, "reps"),
        ({"exercises": [{"name": "Bench Press", "template_id": 5, "sets": []}]}, "not both"),
        ({"exercises": [{"template_id": 999_999, "sets": []}]}, "not found in your library"),
    ],
)
async def test_bad_workouts_are_tool_errors_saying_what_is_wrong(
    api: httpx.AsyncClient,
    lifters: dict[str, Headers],
    mcp_for: McpFor,
    change: dict[str, Any],
    named: str,
) -> None:
    async with mcp_for("alice") as alice:
        answer, is_error = await call(alice, "log-workout", **{**squat_and_bench(), **change})

    assert is_error
    assert answer["status"] == 400
    assert named in answer["detail"]
    assert (await api.get("/workouts", headers=lifters["alice"])).json()["total"] == 0


async def test_another_lifters_custom_exercise_cannot_be_logged_or_read(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    custom = await api.post(
        "/exercise-templates",
        json={"name": "Secret Lift", "primary_muscle": "other"},
        headers=lifters["bob"],
    )
    secret = custom.json()["id"]
    workout = {**squat_and_bench(), "exercises": [{"template_id": secret, "sets": [{"reps": 1}]}]}

    async with mcp_for("alice") as alice:
        by_id, _ = await call(alice, "log-workout", **workout)
        by_name, _ = await call(
            alice,
            "log-workout",
            **{**workout, "exercises": [{"name": "Secret Lift", "sets": [{"reps": 1}]}]},
        )
        history, _ = await call(alice, "get-exercise-history", template_id=secret)

    assert by_id["status"] == 400
    assert f"exercise template {secret} not found in your library" in by_id["detail"]
    assert by_name["status"] == 400
    rest = await api.get(f"/exercise-templates/{secret}/history", headers=lifters["alice"])
    assert history == {"status": 404, **rest.json()}


async def test_a_readonly_account_reads_but_cannot_log(
    lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    async with mcp_for("reader") as reader:
        listing, _ = await call(reader, "list-workouts")
        logged, is_error = await call(reader, "log-workout", **squat_and_bench())

    assert listing["status"] == 200
    assert is_error
    assert logged == {
        "status": 403,
        "detail": "Your role may read your training log but not change it",
    }


async def test_without_a_user_the_log_tools_ask_for_one_and_the_program_tools_work(
    lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    async with mcp_for(None) as anonymous:
        for tool in sorted(USER_TOOLS):
            arguments: dict[str, Any] = {
                "get-workout": {"workout_id": 1},
                "get-exercise-history": {"template_id": 1},
                "get-progress": {"template_id": 1},
                "log-workout": squat_and_bench(),
                "import-workouts": {"content": STRONG},
            }.get(tool, {})
            answer, is_error = await call(anonymous, tool, **arguments)
            assert is_error, tool
            assert answer["status"] == 401, tool
            assert "--user USERNAME" in answer["detail"]
        program, is_error = await call(anonymous, "list-exercises")
    assert not is_error
    assert program["status"] == 200

    async with mcp_for("nobody") as unknown:
        answer, _ = await call(unknown, "list-workouts")
    assert answer == {"status": 401, "detail": "No account is called 'nobody': check --user"}


async def test_the_log_tools_describe_themselves_for_an_assistant(mcp_for: McpFor) -> None:
    async with mcp_for(None) as client:
        tools = {tool.name: tool for tool in await client.list_tools()}

    assert set(tools) >= USER_TOOLS
    for name in USER_TOOLS:
        tool = tools[name]
        assert tool.description
        assert tool.annotations is not None
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.read_only_hint is (name not in WRITING_TOOLS)
        assert tool.output_schema is not None
    log = tools["log-workout"].input_schema
    assert log["required"] == ["title", "started_at", "exercises"]
    exercise = log["properties"]["exercises"]["items"]
    assert {"name", "template_id", "sets"} <= set(exercise["properties"])
    assert "from" in tools["list-workouts"].input_schema["properties"]


async def test_import_workouts_gives_what_post_imports_gives_and_writes_the_same(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    preview = await api.post(
        "/imports",
        params={"weight_unit": "lb", "dry_run": "true"},
        files={"file": ("strong.csv", STRONG.encode(), "text/csv")},
        headers=lifters["alice"],
    )
    assert preview.status_code == 200
    async with mcp_for("alice") as alice:
        dry, _ = await call(
            alice, "import-workouts", content=STRONG, weight_unit="lb", dry_run=True
        )
        assert dry == {"status": 200, **preview.json()}
        assert (await api.get("/workouts", headers=lifters["alice"])).json()["total"] == 0

        done, is_error = await call(alice, "import-workouts", content=STRONG, weight_unit="lb")
        again, _ = await call(alice, "import-workouts", content=STRONG, weight_unit="lb")

    assert not is_error
    assert done == {"status": 200, **preview.json(), "dry_run": False}
    assert (again["workouts_created"], again["duplicates_skipped"]) == (0, 2)
    listed = await api.get("/workouts", params={"sort_order": "asc"}, headers=lifters["alice"])
    assert [item["title"] for item in listed.json()["items"]] == ["Morning Push", "Legs"]
    assert (await api.get("/workouts", headers=lifters["bob"])).json()["total"] == 0


async def test_import_workouts_refuses_bad_rows_naming_the_lines_and_writes_nothing(
    api: httpx.AsyncClient, lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    bad = (IMPORT_FILES / "strong_bad_rows.csv").read_text(encoding="utf-8")
    async with mcp_for("alice") as alice:
        refused, is_error = await call(alice, "import-workouts", content=bad)
        skipped, _ = await call(alice, "import-workouts", content=bad, on_error="skip")
        unknown, _ = await call(alice, "import-workouts", content="name,age\nBob,3\n")
        zone, _ = await call(alice, "import-workouts", content=bad, timezone="Mars/Olympus")

    assert is_error
    assert refused["status"] == 400
    assert [row["line"] for row in refused["rows_skipped"]] == [3, 5]
    assert "nothing was imported" in refused["detail"]
    assert (skipped["status"], skipped["workouts_created"]) == (200, 2)
    assert unknown["status"] == 400
    assert "Unrecognised file" in unknown["detail"]
    assert zone["status"] == 400
    assert "timezone" in zone["detail"]
    assert (await api.get("/workouts", headers=lifters["alice"])).json()["total"] == 2


async def test_import_workouts_limits_the_text_and_the_role(
    lifters: dict[str, Headers], mcp_for: McpFor
) -> None:
    async with mcp_for("alice") as alice:
        large, is_error = await call(alice, "import-workouts", content="x" * 1_000_001)
    assert is_error
    assert "1000000" in json.dumps(large)
    async with mcp_for("reader") as reader:
        refused, _ = await call(reader, "import-workouts", content=STRONG)
    assert refused["status"] == 403
