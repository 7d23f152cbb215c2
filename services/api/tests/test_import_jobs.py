"""Imports in the background through HTTP, on PostgreSQL and SQLite: 202 Accepted for
files over 5 MB or on ``Prefer: respond-async``, then ``GET /imports/{id}`` until done."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.pool import NullPool

from workout_api.imports.tables import import_job
from workout_api.main import create_app
from workout_api.users.models import User
from workout_common.urls import sync_database_url

FILES = Path(__file__).parent / "import_files"
Headers = dict[str, str]
ASYNC = {"Prefer": "respond-async"}
STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes"
)


async def upload(
    client: httpx.AsyncClient, headers: Headers, content: bytes, **params: Any
) -> httpx.Response:
    return await client.post(
        "/imports",
        params={k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()},
        files={"file": ("export.csv", content, "text/csv")},
        headers=headers,
    )


async def finished(client: httpx.AsyncClient, headers: Headers, location: str) -> dict[str, Any]:
    """Poll the job as the web app does until it is no longer running."""
    for _ in range(480):  # 2 minutes; within the read budget (120/min) for half of it
        response = await client.get(location, headers=headers)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] != "running":
            return job
        assert job["bytes_done"] <= job["bytes_total"]
        if job["rows_total"] is not None:
            assert job["rows_done"] <= job["rows_total"]
        await asyncio.sleep(0.25)
    raise AssertionError(f"{location} still running")


def large_strong_file(workouts: int) -> bytes:
    """Over 5 MB with few sets: each row repeats a long exercise note (kept once)."""
    note = "Paused at the bottom, " * 45
    lines = [STRONG_HEADER]
    for day in range(workouts):
        started = (datetime(2021, 1, 1, 7) + timedelta(days=day)).strftime("%Y-%m-%d %H:%M:%S")
        for order in range(1, 6):
            lines.append(
                f"{started},Session {day},1h,Squat (Barbell),{order},{100 + day % 50},5,0,0,{note}"
            )
    return ("\n".join(lines) + "\n").encode()


async def workout_total(client: httpx.AsyncClient, headers: Headers) -> int:
    listed = await client.get("/workouts", headers=headers)
    assert listed.status_code == 200
    total: int = listed.json()["total"]
    return total


async def test_a_file_over_5_mb_is_imported_in_the_background(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    content = large_strong_file(1000)
    assert len(content) > 5 * 1024 * 1024

    accepted = await upload(client, user_headers, content)
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert accepted.headers["location"] == f"/imports/{job['id']}"
    assert "preference-applied" not in accepted.headers
    assert (job["status"], job["bytes_total"], job["result"]) == ("running", len(content), None)

    done = await finished(client, user_headers, accepted.headers["location"])
    assert done["status"] == "succeeded", done
    assert (done["bytes_done"], done["rows_done"], done["rows_total"]) == (
        len(content),
        5000,
        5000,
    )
    result = done["result"]
    assert (result["workouts_created"], result["sets_created"]) == (1000, 5000)
    assert result["rows_skipped"] == []
    assert done["error"] is None
    assert done["finished_at"] is not None
    assert await workout_total(client, user_headers) == 1000


async def test_respond_async_gives_the_synchronous_result_by_polling(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    content = (FILES / "strong_lb.csv").read_bytes()
    preview = await upload(client, user_headers, content, weight_unit="lb", dry_run=True)
    assert preview.status_code == 200

    accepted = await upload(client, {**user_headers, **ASYNC}, content, weight_unit="lb")
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["preference-applied"] == "respond-async"
    done = await finished(client, user_headers, accepted.headers["location"])
    assert done["status"] == "succeeded"
    assert done["result"] == {**preview.json(), "dry_run": False}
    assert (done["rows_done"], done["rows_total"]) == (8, 8)
    assert await workout_total(client, user_headers) == 2


async def test_a_background_dry_run_writes_nothing(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    content = (FILES / "hevy_kg.csv").read_bytes()
    accepted = await upload(client, {**user_headers, **ASYNC}, content, dry_run=True)
    assert accepted.status_code == 202
    assert accepted.json()["dry_run"] is True
    done = await finished(client, user_headers, accepted.headers["location"])
    assert done["status"] == "succeeded"
    assert done["result"]["dry_run"] is True
    assert done["result"]["workouts_created"] > 0
    assert await workout_total(client, user_headers) == 0


async def test_a_failed_background_import_writes_nothing_and_names_the_lines(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    content = (FILES / "strong_bad_rows.csv").read_bytes()
    accepted = await upload(client, {**user_headers, **ASYNC}, content)
    assert accepted.status_code == 202
    done = await finished(client, user_headers, accepted.headers["location"])
    assert done["status"] == "failed"
    assert done["result"] is None
    assert [row["line"] for row in done["error"]["rows_skipped"]] == [3, 5]
    assert "line 3" in done["error"]["detail"]
    assert "nothing was imported" in done["error"]["detail"]
    assert await workout_total(client, user_headers) == 0

    unreadable = await upload(client, {**user_headers, **ASYNC}, b"name,age\nBob,3\n")
    failed = await finished(client, user_headers, unreadable.headers["location"])
    assert failed["status"] == "failed"
    assert "Unrecognised file" in failed["error"]["detail"]


async def test_another_users_import_is_not_found(
    client: httpx.AsyncClient, user_headers: Headers, make_user: Any
) -> None:
    content = (FILES / "hevy_kg.csv").read_bytes()
    accepted = await upload(client, {**user_headers, **ASYNC}, content)
    location = accepted.headers["location"]
    await finished(client, user_headers, location)

    other = await make_user("other")
    response = await client.get(location, headers=other)
    assert response.status_code == 404
    assert response.json()["detail"] == "Import not found"
    unknown = await client.get("/imports/not-an-import", headers=user_headers)
    assert unknown.status_code == 404
    assert (await client.get(location)).status_code == 401


def _insert_running_job(database_url: str, *, job_id: str, heartbeat_at: datetime) -> None:
    engine = create_engine(sync_database_url(database_url), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            user_id = connection.execute(
                select(User.id).where(User.username == "user")  # type: ignore[arg-type]
            ).scalar_one()
            connection.execute(
                insert(import_job).values(
                    id=job_id,
                    user_id=user_id,
                    status="running",
                    dry_run=False,
                    bytes_total=100,
                    bytes_done=40,
                    rows_total=None,
                    rows_done=0,
                    created_at=heartbeat_at,
                    heartbeat_at=heartbeat_at,
                )
            )
    finally:
        engine.dispose()


async def test_a_job_whose_process_died_is_failed_once_stale(
    client: httpx.AsyncClient, user_headers: Headers, database_url: str
) -> None:
    now = datetime.now(UTC)
    _insert_running_job(database_url, job_id="dead-process", heartbeat_at=now - timedelta(hours=1))

    response = await client.get("/imports/dead-process", headers=user_headers)
    assert response.status_code == 200
    job = response.json()
    assert job["status"] == "failed"
    assert "nothing was imported" in job["error"]["detail"]
    assert "upload the file again" in job["error"]["detail"]


async def test_jobs_left_running_are_failed_when_the_api_starts(
    make_settings: Any, database_url: str, client_for: Any, login: Any
) -> None:
    app = create_app(make_settings(database_url))
    async with client_for(app) as first:  # provisions the accounts
        headers = await login(first, "user", "user123")
    left = datetime.now(UTC) - timedelta(minutes=10)
    _insert_running_job(database_url, job_id="left-running", heartbeat_at=left)

    async with client_for(create_app(make_settings(database_url))) as restarted:
        # Read before any GET could mark it: the start-up did.
        engine = create_engine(sync_database_url(database_url), poolclass=NullPool)
        with engine.connect() as connection:
            status = connection.execute(
                select(import_job.c.status).where(import_job.c.id == "left-running")
            ).scalar_one()
        engine.dispose()
        assert status == "failed"
        job = (await restarted.get("/imports/left-running", headers=headers)).json()
        assert "nothing was imported" in job["error"]["detail"]


async def test_polling_counts_as_a_read_not_an_import(
    make_settings: Any, database_url: str, client_for: Any, login: Any
) -> None:
    app = create_app(make_settings(database_url, ratelimit_import_user="1/hour"))
    async with client_for(app) as limited:
        headers = await login(limited, "user", "user123")
        content = (FILES / "hevy_kg.csv").read_bytes()
        accepted = await upload(limited, {**headers, **ASYNC}, content, dry_run=True)
        assert accepted.status_code == 202
        for _ in range(5):
            assert (
                await limited.get(accepted.headers["location"], headers=headers)
            ).status_code == 200
        again = await upload(limited, {**headers, **ASYNC}, content, dry_run=True)
        assert again.status_code == 429


@pytest.mark.parametrize("prefer", ["respond-async, wait=10", "handling=lenient, Respond-Async"])
async def test_respond_async_is_found_among_other_preferences(
    client: httpx.AsyncClient, user_headers: Headers, prefer: str
) -> None:
    content = (FILES / "hevy_kg.csv").read_bytes()
    accepted = await upload(client, {**user_headers, "Prefer": prefer}, content, dry_run=True)
    assert accepted.status_code == 202
    await finished(client, user_headers, accepted.headers["location"])


async def test_a_job_stopped_by_a_shutdown_is_failed_and_writes_nothing(
    make_settings: Any, database_url: str, client_for: Any, login: Any
) -> None:
    async with client_for(create_app(make_settings(database_url))) as first:
        headers = await login(first, "user", "user123")
        accepted = await upload(first, headers, large_strong_file(1000))
        assert accepted.status_code == 202
    # The app stopped while its job was still reading the file.

    async with client_for(create_app(make_settings(database_url))) as restarted:
        headers = await login(restarted, "user", "user123")
        job = (await restarted.get(accepted.headers["location"], headers=headers)).json()
        assert job["status"] == "failed"
        assert "nothing was imported" in job["error"]["detail"]
        assert job["result"] is None
        assert await workout_total(restarted, headers) == 0
