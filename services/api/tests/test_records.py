"""Records, progress and statistics through HTTP, on PostgreSQL and SQLite: what counts,
Epley, records set by a workout, buckets, streaks, and following edits and deletions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

Headers = dict[str, str]


async def template_id(client: httpx.AsyncClient, headers: Headers, name: str) -> int:
    response = await client.get("/exercise-templates", params={"q": name}, headers=headers)
    return int(next(i["id"] for i in response.json()["items"] if i["name"] == name))


def squats(started_at: str, squat: int, *sets: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "Squat day",
        "started_at": started_at,
        "exercises": [{"template_id": squat, "sets": list(sets)}],
    }


def s(weight: float | None, reps: int, **fields: Any) -> dict[str, Any]:
    return {"weight_kg": weight, "reps": reps, **fields}


@pytest.fixture
async def squat(client: httpx.AsyncClient, user_headers: Headers) -> int:
    return await template_id(client, user_headers, "Barbell Back Squat")


@pytest.fixture
async def two_workouts(
    client: httpx.AsyncClient, user_headers: Headers, squat: int
) -> tuple[int, int]:
    first = await client.post(
        "/workouts",
        json=squats(
            "2025-01-06T10:00:00Z",
            squat,
            s(140, 1, type="warmup"),  # warm-ups never count
            s(100, 5),
            s(105, 3),
            s(60, 15),  # over 12 reps: no e1RM, but reps and volume count
            s(150, 1, completed=False),  # missed: does not count
        ),
        headers=user_headers,
    )
    second = await client.post(
        "/workouts",
        json=squats("2025-01-13T10:00:00Z", squat, s(110, 1), s(100, 6), s(200, 0)),
        headers=user_headers,
    )
    assert first.status_code == second.status_code == 201
    return first.json()["id"], second.json()["id"]


def record(value: float, workout_id: int, day: str) -> dict[str, Any]:
    return {
        "value": pytest.approx(value),
        "workout_id": workout_id,
        "achieved_at": f"{day}T10:00:00Z",
    }


async def test_records_follow_epley_and_count_only_completed_working_sets_with_reps(
    client: httpx.AsyncClient, user_headers: Headers, squat: int, two_workouts: tuple[int, int]
) -> None:
    first, second = two_workouts
    response = await client.get("/records", headers=user_headers)
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "template_id": squat,
                "name": "Barbell Back Squat",
                "heaviest_weight": record(110, second, "2025-01-13"),
                "best_e1rm": record(120, second, "2025-01-13"),  # 100 x (1 + 6/30)
                "best_set_volume": record(900, first, "2025-01-06"),  # 60 x 15
                "most_reps": record(15, first, "2025-01-06"),
                "rep_maxes": {
                    "1": record(110, second, "2025-01-13"),
                    "3": record(105, first, "2025-01-06"),
                    "5": record(100, first, "2025-01-06"),  # equalled later, set first here
                    "10": record(60, first, "2025-01-06"),
                },
            }
        ]
    }
    only = await client.get("/records", params={"template_id": squat}, headers=user_headers)
    assert only.json() == response.json()
    other = await client.get("/records", params={"template_id": squat + 1}, headers=user_headers)
    assert other.json() == {"items": []}


async def test_a_workout_shows_the_records_it_set_first(
    client: httpx.AsyncClient, user_headers: Headers, squat: int, two_workouts: tuple[int, int]
) -> None:
    first, second = two_workouts
    body = (await client.get(f"/workouts/{second}", headers=user_headers)).json()
    assert body["records"] == [
        {"template_id": squat, "kind": "heaviest_weight", "value": 110, "previous_value": 105},
        {
            "template_id": squat,
            "kind": "best_e1rm",
            "value": pytest.approx(120),
            "previous_value": pytest.approx(100 * (1 + 5 / 30)),
        },
        {"template_id": squat, "kind": "rep_max_1", "value": 110, "previous_value": 105},
    ]
    first_body = (await client.get(f"/workouts/{first}", headers=user_headers)).json()
    assert len(first_body["records"]) == 8
    assert all(r["previous_value"] is None for r in first_body["records"])
    items = (await client.get("/workouts", headers=user_headers)).json()["items"]
    assert {i["id"]: i["record_count"] for i in items} == {first: 8, second: 3}


async def test_records_follow_deletions_and_moves_in_time(
    client: httpx.AsyncClient, user_headers: Headers, squat: int, two_workouts: tuple[int, int]
) -> None:
    first, second = two_workouts
    # Moved before the first workout, the second sets the records the first had shared.
    moved = await client.patch(
        f"/workouts/{second}", json={"started_at": "2025-01-01T10:00:00Z"}, headers=user_headers
    )
    assert moved.status_code == 200
    kinds = {r["kind"] for r in moved.json()["records"]}
    assert kinds == {
        "heaviest_weight",
        "best_e1rm",
        "best_set_volume",
        "most_reps",
        "rep_max_1",
        "rep_max_3",
        "rep_max_5",
    }
    records = (await client.get("/records", headers=user_headers)).json()["items"][0]
    assert records["rep_maxes"]["5"]["workout_id"] == second
    assert (await client.delete(f"/workouts/{second}", headers=user_headers)).status_code == 204
    records = (await client.get("/records", headers=user_headers)).json()["items"][0]
    assert records["heaviest_weight"]["value"] == 105
    assert records["best_e1rm"]["value"] == pytest.approx(100 * (1 + 5 / 30))
    assert (await client.delete(f"/workouts/{first}", headers=user_headers)).status_code == 204
    assert (await client.get("/records", headers=user_headers)).json() == {"items": []}


async def test_progress_dates_and_weeks_are_utc_whatever_offset_was_logged(
    app: FastAPI, client: httpx.AsyncClient, user_headers: Headers, squat: int
) -> None:
    app.state.clock = lambda: datetime(2025, 2, 1, 12, 0, tzinfo=UTC)  # the same on any day
    for started_at in ("2025-01-05T23:30:00-05:00", "2025-01-06T00:30:00+02:00"):
        logged = await client.post(
            "/workouts", json=squats(started_at, squat, s(100, 5)), headers=user_headers
        )
        assert logged.status_code == 201, logged.text
    url = f"/exercise-templates/{squat}/progress"
    by_workout = (await client.get(url, headers=user_headers)).json()["points"]
    # 2025-01-05 22:30 UTC (a Sunday), then 2025-01-06 04:30 UTC (a Monday)
    assert [p["date"] for p in by_workout] == ["2025-01-05", "2025-01-06"]
    by_week = (await client.get(url, params={"bucket": "week"}, headers=user_headers)).json()
    assert [p["date"] for p in by_week["points"]] == ["2024-12-30", "2025-01-06"]
    by_month = (await client.get(url, params={"bucket": "month"}, headers=user_headers)).json()
    assert [p["date"] for p in by_month["points"]] == ["2025-01-01"]


async def test_progress_has_one_point_per_bucket(
    client: httpx.AsyncClient, user_headers: Headers, squat: int, two_workouts: tuple[int, int]
) -> None:
    first, second = two_workouts
    url = f"/exercise-templates/{squat}/progress"
    default = (await client.get(url, headers=user_headers)).json()
    assert default == {
        "metric": "e1rm",
        "bucket": "workout",
        "unit": "kg",
        "points": [
            {"date": "2025-01-06", "value": pytest.approx(116.6667, abs=1e-3), "workout_id": first},
            {"date": "2025-01-13", "value": pytest.approx(120), "workout_id": second},
        ],
    }
    month = (await client.get(url, params={"bucket": "month"}, headers=user_headers)).json()
    assert month["points"] == [
        {"date": "2025-01-01", "value": pytest.approx(120), "workout_id": second}
    ]
    volume = (
        await client.get(url, params={"bucket": "month", "metric": "volume"}, headers=user_headers)
    ).json()
    # 100x5 + 105x3 + 60x15, then 110x1 + 100x6 (+ 200x0)
    assert volume["points"][0]["value"] == pytest.approx(1715 + 710)
    reps = (
        await client.get(url, params={"metric": "max_reps", "bucket": "week"}, headers=user_headers)
    ).json()
    assert reps["unit"] == "reps"
    assert [(p["date"], p["value"]) for p in reps["points"]] == [
        ("2025-01-06", 15),
        ("2025-01-13", 6),
    ]
    window = (
        await client.get(
            url, params={"from": "2025-01-07", "to": "2025-01-13T10:00:00Z"}, headers=user_headers
        )
    ).json()
    assert window["points"] == []
    assert (
        await client.get(url, params={"metric": "speed"}, headers=user_headers)
    ).status_code == 422


async def test_history_lists_the_exercises_sets_newest_first(
    client: httpx.AsyncClient, user_headers: Headers, squat: int, two_workouts: tuple[int, int]
) -> None:
    first, second = two_workouts
    url = f"/exercise-templates/{squat}/history"
    last_time = await client.get(url, params={"page_size": 1}, headers=user_headers)
    assert last_time.headers["x-total-count"] == "2"
    (item,) = last_time.json()["items"]
    assert item["workout_id"] == second
    assert item["title"] == "Squat day"
    assert [(x["weight_kg"], x["reps"]) for x in item["sets"]] == [(110, 1), (100, 6), (200, 0)]
    everything = (await client.get(url, headers=user_headers)).json()
    assert [i["workout_id"] for i in everything["items"]] == [second, first]


async def test_stats_sum_working_sets_by_week_and_muscle_and_count_the_streak(
    app: FastAPI, client: httpx.AsyncClient, user_headers: Headers, two_workouts: tuple[int, int]
) -> None:
    app.state.clock = lambda: datetime(2025, 1, 15, 12, 0, tzinfo=UTC)  # a Wednesday
    stats = (await client.get("/stats", headers=user_headers)).json()
    assert stats["workouts"] == 2
    assert stats["sets"] == 6  # 3 + 3 working sets
    assert stats["volume_kg"] == pytest.approx(2425)
    assert stats["duration_s"] == 0
    assert stats["by_muscle"] == [
        {"muscle": "quadriceps", "sets": 6, "volume_kg": pytest.approx(2425)}
    ]
    assert [(w["week"], w["workouts"], w["sets"]) for w in stats["weekly"]] == [
        ("2025-01-06", 1, 3),
        ("2025-01-13", 1, 3),
    ]
    assert stats["streak_weeks"] == 2
    # Sunday 23:59 of the next week: that week is not over, the streak still stands.
    app.state.clock = lambda: datetime(2025, 1, 26, 23, 59, tzinfo=UTC)
    assert (await client.get("/stats", headers=user_headers)).json()["streak_weeks"] == 2
    app.state.clock = lambda: datetime(2025, 1, 27, 0, 0, tzinfo=UTC)
    assert (await client.get("/stats", headers=user_headers)).json()["streak_weeks"] == 0
    month = (
        await client.get(
            "/stats", params={"from": "2025-01-10", "to": "2025-02-01"}, headers=user_headers
        )
    ).json()
    assert (month["workouts"], month["sets"]) == (1, 3)
