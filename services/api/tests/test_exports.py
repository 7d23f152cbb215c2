"""GET /workouts/export through HTTP, on PostgreSQL and SQLite: a JSON backup restores the
same log in an empty account; Strong and Hevy exports are in the user's unit and import
back; cells a spreadsheet would run are defused."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

FILES = Path(__file__).parent / "import_files"
Headers = dict[str, str]


async def upload(
    client: httpx.AsyncClient, headers: Headers, content: bytes, **params: Any
) -> dict[str, Any]:
    response = await client.post(
        "/imports", params=params, files={"file": ("export", content)}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def export(client: httpx.AsyncClient, headers: Headers, **params: Any) -> httpx.Response:
    response = await client.get("/workouts/export", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response


async def log_of(client: httpx.AsyncClient, headers: Headers) -> list[dict[str, Any]]:
    """Every workout as a user sees it, without ids and timestamps of the write."""
    listed = await client.get(
        "/workouts", params={"page_size": 100, "sort_order": "asc"}, headers=headers
    )
    names = {}
    log = []
    for item in listed.json()["items"]:
        body = (await client.get(f"/workouts/{item['id']}", headers=headers)).json()
        for exercise in body["exercises"]:
            names[exercise["template_id"]] = exercise["name"]
            del exercise["template_id"]
        body["records"] = [
            {**record, "template_id": names[record["template_id"]]} for record in body["records"]
        ]
        for key in ("id", "created_at", "updated_at", "client_id"):
            del body[key]
        log.append(body)
    return log


async def records_of(client: httpx.AsyncClient, headers: Headers) -> list[dict[str, Any]]:
    items = (await client.get("/records", headers=headers)).json()["items"]
    plain = []
    for item in items:
        del item["template_id"]
        for kind in ("heaviest_weight", "best_e1rm", "best_set_volume", "most_reps"):
            if item[kind]:
                del item[kind]["workout_id"]
        for record in item["rep_maxes"].values():
            if record:
                del record["workout_id"]
        plain.append(item)
    return sorted(plain, key=lambda item: item["name"])


async def custom_templates(client: httpx.AsyncClient, headers: Headers) -> list[dict[str, Any]]:
    response = await client.get(
        "/exercise-templates", params={"custom": True, "page_size": 100}, headers=headers
    )
    return [{k: v for k, v in t.items() if k != "id"} for t in response.json()["items"]]


@pytest.fixture
async def history(client: httpx.AsyncClient, user_headers: Headers) -> Headers:
    """A log with imported and hand-logged workouts and an unused custom exercise."""
    await upload(client, user_headers, (FILES / "strong_lb.csv").read_bytes(), weight_unit="lb")
    await upload(client, user_headers, (FILES / "hevy_kg.csv").read_bytes())
    bench = (
        await client.get(
            "/exercise-templates", params={"q": "Barbell Bench Press"}, headers=user_headers
        )
    ).json()["items"][0]["id"]
    manual = await client.post(
        "/workouts",
        json={
            "title": "Evening bench",
            "notes": "Tired",
            "started_at": "2024-06-10T19:00:00+02:00",
            "exercises": [
                {
                    "template_id": bench,
                    "notes": "touch and go",
                    "superset": 3,
                    "sets": [
                        {"weight_kg": 102.5, "reps": 3, "rpe": 9.5},
                        {"weight_kg": 102.5, "reps": 2, "completed": False},
                    ],
                }
            ],
        },
        headers=user_headers,
    )
    assert manual.status_code == 201, manual.text
    custom = await client.post(
        "/exercise-templates",
        json={
            "name": "Band Pull-Apart Wide",
            "primary_muscle": "upper_back",
            "secondary_muscles": ["shoulders"],
            "equipment": "band",
            "type": "reps_only",
            "aliases": ["Pull Apart (Band)"],
        },
        headers=user_headers,
    )
    assert custom.status_code == 201, custom.text
    return user_headers


async def test_a_json_backup_restores_the_same_log_in_an_empty_account(
    client: httpx.AsyncClient, history: Headers, make_user: Any
) -> None:
    response = await export(client, history, format="json")
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    restored_into = await make_user("restorer")
    result = await upload(client, restored_into, response.content)
    assert result["source"] == "json"
    assert result["workouts_created"] == 5
    assert await log_of(client, restored_into) == await log_of(client, history)
    assert await records_of(client, restored_into) == await records_of(client, history)
    assert await custom_templates(client, restored_into) == await custom_templates(client, history)
    again = await upload(client, restored_into, response.content)
    assert (again["workouts_created"], again["duplicates_skipped"]) == (0, 5)


async def test_strong_export_is_in_the_users_unit_and_imports_back(
    client: httpx.AsyncClient, user_headers: Headers, make_user: Any
) -> None:
    changed = await client.patch("/auth/me", json={"weight_unit": "lb"}, headers=user_headers)
    assert changed.status_code == 200, changed.text
    await upload(client, user_headers, (FILES / "strong_lb.csv").read_bytes())
    response = await export(client, user_headers, format="strong")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    bench = [r for r in rows if r["Exercise Name"] == "Barbell Bench Press"]
    assert [(r["Set Order"], r["Weight"], r["Reps"]) for r in bench] == [
        ("W", "95", "10"),
        ("1", "185", "8"),
        ("2", "185", "0"),
        ("D", "135", "12"),
    ]
    assert {r["Weight Unit"] for r in rows} == {"lbs"}
    assert bench[0]["Duration"] == "1h 24m"

    same_account = await upload(client, user_headers, response.content)
    assert (same_account["workouts_created"], same_account["duplicates_skipped"]) == (0, 2)
    other = await make_user("kilo")  # an account in kg: the unit column decides
    await upload(client, other, response.content)
    assert await log_of(client, other) == [
        {**workout, "source": "strong"} for workout in await log_of(client, user_headers)
    ]


async def test_hevy_export_imports_back(
    client: httpx.AsyncClient, user_headers: Headers, make_user: Any
) -> None:
    await upload(client, user_headers, (FILES / "hevy_kg.csv").read_bytes())
    response = await export(client, user_headers, format="hevy")
    header = next(csv.reader(io.StringIO(response.text)))
    assert header[9] == "weight_kg"
    assert "28 May 2024, 07:32" in response.text
    same_account = await upload(client, user_headers, response.content)
    assert same_account["duplicates_skipped"] == 2
    other = await make_user("hevy2")
    assert (await upload(client, other, response.content))["sets_created"] == 9
    assert await log_of(client, other) == await log_of(client, user_headers)

    await client.patch("/auth/me", json={"weight_unit": "lb"}, headers=user_headers)
    in_pounds = await export(client, user_headers, format="hevy")
    assert next(csv.reader(io.StringIO(in_pounds.text)))[9] == "weight_lbs"


async def test_export_window_and_spreadsheet_safe_cells(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    content = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds\n"
        '2024-01-05 07:00:00,"=HYPERLINK(""http://x"")",30m,Deadlift (Barbell),1,100,5,0,0\n'
        "2024-02-05 07:00:00,February,30m,Deadlift (Barbell),1,110,5,0,0\n"
    )
    await upload(client, user_headers, content.encode())
    response = await export(client, user_headers, format="strong", to="2024-02-01")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["Workout Name"] for r in rows] == ['\'=HYPERLINK("http://x")']
    february = await export(client, user_headers, format="json", **{"from": "2024-02-01"})
    assert [w["title"] for w in february.json()["workouts"]] == ["February"]
