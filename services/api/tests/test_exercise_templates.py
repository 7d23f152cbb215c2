"""The exercise library through HTTP, on PostgreSQL and SQLite: built-ins from the data
file, search by name or alias, filters, and custom exercises owned by their user."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from workout_common.exercise_library import library

Headers = dict[str, str]
CUSTOM = {
    "name": "Zottman Curl",
    "type": "weight_reps",
    "primary_muscle": "biceps",
    "secondary_muscles": ["forearms"],
    "equipment": "dumbbell",
    "aliases": ["Zottman Curl (Dumbbell)"],
}


async def test_the_library_ships_every_built_in_of_the_data_file(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    response = await client.get(
        "/exercise-templates", params={"page_size": 100}, headers=user_headers
    )
    assert response.status_code == 200
    assert int(response.headers["x-total-count"]) == len(library()) >= 150
    page = response.json()
    assert (page["page"], page["page_size"], len(page["items"])) == (1, 100, 100)
    names = [item["name"] for item in page["items"]]
    assert names == sorted(names, key=str.lower)
    assert all(item["custom"] is False for item in page["items"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Squat (Barbell)"}, "Barbell Back Squat"),
        ({"q": "bench press (barbell)"}, "Barbell Bench Press"),
        ({"q": "Lat Pulldown (Cable)"}, "Lat Pulldown"),
        ({"q": "rdl"}, "Romanian Deadlift"),
    ],
)
async def test_q_matches_names_and_the_aliases_of_strong_and_hevy_exports(
    client: httpx.AsyncClient, user_headers: Headers, params: dict[str, str], expected: str
) -> None:
    response = await client.get("/exercise-templates", params=params, headers=user_headers)
    assert expected in [item["name"] for item in response.json()["items"]]


async def test_filters_narrow_the_library(client: httpx.AsyncClient, user_headers: Headers) -> None:
    cables = (
        await client.get(
            "/exercise-templates",
            params={"equipment": "cable", "muscle": "triceps", "page_size": 100},
            headers=user_headers,
        )
    ).json()["items"]
    assert cables
    assert all(i["equipment"] == "cable" for i in cables)
    assert all("triceps" in [i["primary_muscle"], *i["secondary_muscles"]] for i in cables)
    timed = (
        await client.get("/exercise-templates", params={"type": "duration"}, headers=user_headers)
    ).json()["items"]
    assert "Plank" in [i["name"] for i in timed]
    none = await client.get("/exercise-templates", params={"q": "100%_"}, headers=user_headers)
    assert none.json()["total"] == 0
    bad = await client.get("/exercise-templates", params={"muscle": "wings"}, headers=user_headers)
    assert bad.status_code == 422


async def test_custom_exercises_belong_to_their_user(
    client: httpx.AsyncClient, user_headers: Headers, make_user: Any
) -> None:
    created = await client.post("/exercise-templates", json=CUSTOM, headers=user_headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {**CUSTOM, "id": body["id"], "custom": True}
    url = f"/exercise-templates/{body['id']}"
    assert created.headers["location"] == url
    mine = await client.get("/exercise-templates", params={"custom": "true"}, headers=user_headers)
    assert [i["name"] for i in mine.json()["items"]] == ["Zottman Curl"]
    found = await client.get(
        "/exercise-templates", params={"q": "zottman curl (dumbbell)"}, headers=user_headers
    )
    assert found.json()["total"] == 1

    other = await make_user("template_other")
    assert (await client.get(url, headers=other)).status_code == 404
    assert (await client.patch(url, json={"name": "x"}, headers=other)).status_code == 404
    assert (await client.delete(url, headers=other)).status_code == 404
    theirs = await client.get("/exercise-templates", params={"custom": "true"}, headers=other)
    assert theirs.json()["total"] == 0
    # the same name is free for another user, taken (any case) for the owner
    assert (await client.post("/exercise-templates", json=CUSTOM, headers=other)).status_code == 201
    again = await client.post(
        "/exercise-templates", json={**CUSTOM, "name": "ZOTTMAN curl"}, headers=user_headers
    )
    assert again.status_code == 409
    assert "name" in again.json()["detail"]

    renamed = await client.patch(url, json={"name": "Zottman Curl (slow)"}, headers=user_headers)
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Zottman Curl (slow)"
    assert (await client.patch(url, json={"name": None}, headers=user_headers)).status_code == 422
    assert (await client.delete(url, headers=user_headers)).status_code == 204
    assert (await client.get(url, headers=user_headers)).status_code == 404


async def test_built_ins_cannot_be_changed_and_used_exercises_cannot_be_deleted(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    squat = (
        await client.get(
            "/exercise-templates", params={"q": "Barbell Back Squat"}, headers=user_headers
        )
    ).json()["items"][0]
    url = f"/exercise-templates/{squat['id']}"
    assert (await client.patch(url, json={"name": "Mine"}, headers=user_headers)).status_code == 403
    assert (await client.delete(url, headers=user_headers)).status_code == 403

    custom = (await client.post("/exercise-templates", json=CUSTOM, headers=user_headers)).json()
    workout = await client.post(
        "/workouts",
        json={
            "title": "Arms",
            "started_at": "2025-02-01T09:00:00Z",
            "exercises": [{"template_id": custom["id"], "sets": [{"weight_kg": 12, "reps": 10}]}],
        },
        headers=user_headers,
    )
    assert workout.status_code == 201
    refused = await client.delete(f"/exercise-templates/{custom['id']}", headers=user_headers)
    assert refused.status_code == 409
    assert (
        await client.get(f"/exercise-templates/{custom['id']}", headers=user_headers)
    ).status_code == 200
    await client.delete(f"/workouts/{workout.json()['id']}", headers=user_headers)
    freed = await client.delete(f"/exercise-templates/{custom['id']}", headers=user_headers)
    assert freed.status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CUSTOM, "name": ""}, "name"),
        ({**CUSTOM, "name": "x" * 101}, "name"),
        ({**CUSTOM, "type": "strength"}, "type"),
        ({**CUSTOM, "primary_muscle": "wings"}, "primary_muscle"),
        ({**CUSTOM, "secondary_muscles": ["wings"]}, "secondary_muscles"),
        ({**CUSTOM, "equipment": "rope"}, "equipment"),
    ],
)
async def test_bad_custom_exercises_are_422_naming_the_field(
    client: httpx.AsyncClient, user_headers: Headers, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/exercise-templates", json=body, headers=user_headers)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
