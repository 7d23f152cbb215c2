"""Workouts through HTTP, on PostgreSQL and SQLite: logging, reading, editing, deleting,
ownership, roles, idempotent POST, the list's ETag and bad input."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from workout_api.auth.tokens import TokenSubject, TokenType, issue_token
from workout_common.service_identity import DEFAULT_SERVICE_PASSWORD, DEFAULT_SERVICE_USERNAME

Headers = dict[str, str]


async def template_id(client: httpx.AsyncClient, headers: Headers, name: str) -> int:
    response = await client.get("/exercise-templates", params={"q": name}, headers=headers)
    assert response.status_code == 200, response.text
    matches = [item for item in response.json()["items"] if item["name"] == name]
    assert matches, name
    return int(matches[0]["id"])


def a_workout(squat: int, bench: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Full body A",
        "notes": "Felt strong.\nSlept well.",
        "started_at": "2025-03-03T07:30:00+01:00",
        "ended_at": "2025-03-03T08:40:00+01:00",
        "exercises": [
            {
                "template_id": squat,
                "notes": "belt on top sets",
                "sets": [
                    {"type": "warmup", "weight_kg": 60, "reps": 5},
                    {"weight_kg": 100, "reps": 5, "rpe": 7.5},
                    {"weight_kg": 100, "reps": 5, "rpe": 8},
                ],
            },
            {
                "template_id": bench,
                "superset": 1,
                "sets": [
                    {"weight_kg": 80, "reps": 8},
                    {"weight_kg": 80, "reps": 7, "completed": False},
                ],
            },
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
async def lifts(client: httpx.AsyncClient, user_headers: Headers) -> tuple[int, int]:
    return (
        await template_id(client, user_headers, "Barbell Back Squat"),
        await template_id(client, user_headers, "Barbell Bench Press"),
    )


async def log(client: httpx.AsyncClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/workouts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_a_logged_workout_reads_back_whole(
    client: httpx.AsyncClient, user_headers: Headers, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    response = await client.post("/workouts", json=a_workout(squat, bench), headers=user_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/workouts/{body['id']}"
    assert body["title"] == "Full body A"
    assert body["notes"] == "Felt strong.\nSlept well."
    assert body["source"] == "manual"
    assert body["started_at"].startswith("2025-03-03T06:30:00")  # stored in UTC
    assert [e["name"] for e in body["exercises"]] == ["Barbell Back Squat", "Barbell Bench Press"]
    assert [e["position"] for e in body["exercises"]] == [1, 2]
    assert body["exercises"][1]["superset"] == 1
    squat_sets = body["exercises"][0]["sets"]
    assert [s["position"] for s in squat_sets] == [1, 2, 3]
    assert squat_sets[0]["type"] == "warmup"
    assert squat_sets[1] == {
        "position": 2,
        "type": "normal",
        "weight_kg": 100.0,
        "reps": 5,
        "duration_s": None,
        "distance_m": None,
        "rpe": 7.5,
        "completed": True,
    }
    fetched = await client.get(f"/workouts/{body['id']}", headers=user_headers)
    assert fetched.status_code == 200
    assert fetched.json() == body


async def test_the_answer_to_each_logged_workout_is_what_get_then_shows(
    client: httpx.AsyncClient, user_headers: Headers, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    await log(client, user_headers, a_workout(squat, bench))
    heavier = a_workout(squat, bench, started_at="2025-03-10T19:00:00+02:00", ended_at=None)
    heavier["exercises"][0]["sets"][1] = {"weight_kg": 102.5, "reps": 5}
    earlier = a_workout(squat, bench, started_at="2025-02-24T07:30:00Z", client_id=None)
    earlier["exercises"][1]["sets"][0] = {"weight_kg": 85, "reps": 8}
    for body in (heavier, earlier):  # the latest of its exercises, then one dated before
        posted = await log(client, user_headers, body)
        fetched = await client.get(f"/workouts/{posted['id']}", headers=user_headers)
        assert fetched.json() == posted
    latest = await client.get(f"/workouts/{posted['id'] - 1}", headers=user_headers)
    squat_records = {r["kind"]: r for r in latest.json()["records"] if r["template_id"] == squat}
    assert squat_records["heaviest_weight"] == {
        "template_id": squat,
        "kind": "heaviest_weight",
        "value": 102.5,
        "previous_value": 100.0,
    }
    assert not [r for r in latest.json()["records"] if r["template_id"] == bench]


async def test_the_list_summarises_each_workout(
    client: httpx.AsyncClient, user_headers: Headers, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    first = await log(client, user_headers, a_workout(squat, bench))
    second = await log(
        client,
        user_headers,
        a_workout(squat, bench, title="B", started_at="2025-03-05T07:00:00Z", ended_at=None),
    )
    response = await client.get("/workouts", headers=user_headers)
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "2"
    page = response.json()
    assert [item["id"] for item in page["items"]] == [second["id"], first["id"]]
    item = page["items"][1]
    assert item["duration_s"] == 70 * 60
    assert item["exercise_count"] == 2
    assert item["set_count"] == 5
    # warm-up and the missed set do not count: 2 x 100 x 5 + 80 x 8
    assert item["volume_kg"] == pytest.approx(1640)
    assert item["exercises"] == [
        {"template_id": squat, "name": "Barbell Back Squat", "set_count": 3},
        {"template_id": bench, "name": "Barbell Bench Press", "set_count": 2},
    ]
    assert page["items"][0]["duration_s"] is None
    oldest = await client.get("/workouts", params={"sort_order": "asc"}, headers=user_headers)
    assert [i["id"] for i in oldest.json()["items"]] == [first["id"], second["id"]]
    window = await client.get(
        "/workouts", params={"from": "2025-03-04", "to": "2025-03-06"}, headers=user_headers
    )
    assert [i["id"] for i in window.json()["items"]] == [second["id"]]
    paged = await client.get("/workouts", params={"page": 2, "page_size": 1}, headers=user_headers)
    assert [i["id"] for i in paged.json()["items"]] == [first["id"]]
    assert paged.json()["total"] == 2


async def test_put_replaces_patch_changes_and_delete_removes(
    client: httpx.AsyncClient, user_headers: Headers, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    created = await log(client, user_headers, a_workout(squat, bench))
    url = f"/workouts/{created['id']}"
    replaced = await client.put(
        url,
        json={
            "title": "Only squats",
            "started_at": "2025-03-03T06:30:00Z",
            "exercises": [{"template_id": squat, "sets": [{"weight_kg": 110, "reps": 3}]}],
        },
        headers=user_headers,
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["title"] == "Only squats"
    assert replaced.json()["notes"] is None
    assert [len(e["sets"]) for e in replaced.json()["exercises"]] == [1]
    patched = await client.patch(
        url,
        json={"title": "Heavy triple", "ended_at": "2025-03-03T07:00:00Z"},
        headers=user_headers,
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "Heavy triple"
    assert patched.json()["exercises"] == replaced.json()["exercises"]
    listed = (await client.get("/workouts", headers=user_headers)).json()["items"][0]
    assert listed["duration_s"] == 30 * 60
    deleted = await client.delete(url, headers=user_headers)
    assert deleted.status_code == 204
    assert (await client.get(url, headers=user_headers)).status_code == 404
    assert (await client.get("/workouts", headers=user_headers)).json()["total"] == 0
    # its exercise is free again: nothing of the workout is left
    history = await client.get(f"/exercise-templates/{squat}/history", headers=user_headers)
    assert history.json()["total"] == 0


async def test_another_users_workouts_are_not_found(
    client: httpx.AsyncClient, user_headers: Headers, make_user: Any, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    mine = await log(client, user_headers, a_workout(squat, bench))
    other = await make_user("other_lifter")
    url = f"/workouts/{mine['id']}"
    assert (await client.get(url, headers=other)).status_code == 404
    assert (await client.put(url, json=a_workout(squat, bench), headers=other)).status_code == 404
    assert (await client.patch(url, json={"title": "x"}, headers=other)).status_code == 404
    assert (await client.delete(url, headers=other)).status_code == 404
    listed = await client.get("/workouts", headers=other)
    assert listed.json()["total"] == 0
    assert (await client.get(url, headers=user_headers)).json()["title"] == "Full body A"


async def test_readonly_reads_and_cannot_write_and_the_service_reads_nothing(
    client: httpx.AsyncClient, make_user: Any, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    reader = await make_user("reader", role="readonly")
    assert (await client.get("/workouts", headers=reader)).status_code == 200
    assert (await client.get("/records", headers=reader)).status_code == 200
    assert (await client.get("/exercise-templates", headers=reader)).status_code == 200
    refused = await client.post("/workouts", json=a_workout(squat, bench), headers=reader)
    assert refused.status_code == 403
    custom = {"name": "Mine", "primary_muscle": "chest"}
    assert (
        await client.post("/exercise-templates", json=custom, headers=reader)
    ).status_code == 403
    assert (
        await client.patch("/auth/me", json={"weight_unit": "lb"}, headers=reader)
    ).status_code == 403
    login = await client.post(
        "/auth/login",
        json={"username": DEFAULT_SERVICE_USERNAME, "password": DEFAULT_SERVICE_PASSWORD},
    )
    service = {"Authorization": f"Bearer {login.json()['access_token']}"}
    for path in ("/workouts", "/records", "/stats", f"/exercise-templates/{squat}/history"):
        assert (await client.get(path, headers=service)).status_code == 403, path
    assert (await client.get("/workouts")).status_code == 401


async def test_the_same_client_id_creates_one_workout(
    client: httpx.AsyncClient, user_headers: Headers, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    body = a_workout(squat, bench, client_id=str(uuid.UUID(int=7)))
    first = await client.post("/workouts", json=body, headers=user_headers)
    again = await client.post("/workouts", json={**body, "title": "changed"}, headers=user_headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    racing = a_workout(squat, bench, client_id=str(uuid.UUID(int=8)))
    answers = await asyncio.gather(
        *(client.post("/workouts", json=racing, headers=user_headers) for _ in range(4))
    )
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert (await client.get("/workouts", headers=user_headers)).json()["total"] == 2


async def test_the_list_etag_is_per_user_and_never_survives_a_write(
    client: httpx.AsyncClient, user_headers: Headers, make_user: Any, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    first = await client.get("/workouts", headers=user_headers)
    etag = first.headers["etag"]
    cached = await client.get("/workouts", headers={**user_headers, "If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.headers["etag"] == etag
    other = await make_user("etag_other")
    theirs = await client.get("/workouts", headers={**other, "If-None-Match": etag})
    assert theirs.status_code == 200
    created = await log(client, user_headers, a_workout(squat, bench))
    after_post = await client.get("/workouts", headers={**user_headers, "If-None-Match": etag})
    assert after_post.status_code == 200
    assert after_post.json()["total"] == 1
    etag = after_post.headers["etag"]
    await client.patch(f"/workouts/{created['id']}", json={"title": "x"}, headers=user_headers)
    after_patch = await client.get("/workouts", headers={**user_headers, "If-None-Match": etag})
    assert after_patch.status_code == 200
    assert after_patch.json()["items"][0]["title"] == "x"
    other_page = await client.get(
        "/workouts",
        params={"page": 2},
        headers={**user_headers, "If-None-Match": after_patch.headers["etag"]},
    )
    assert other_page.status_code == 200


def _set(**fields: Any) -> dict[str, Any]:
    return {"weight_kg": 50, "reps": 5, **fields}


BAD_BODIES = [
    ({"title": ""}, "title"),
    ({"title": "x" * 101}, "title"),
    ({"notes": "x" * 5001}, "notes"),
    ({"started_at": "2025-03-03T07:30:00"}, "started_at"),
    ({"started_at": None}, "started_at"),
    ({"ended_at": "2025-03-03T05:00:00Z"}, "ended_at"),
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"exercises": [{"template_id": 0, "sets": []}]}, "template_id"),
    ({"exercises": [{"template_id": 999_999, "sets": []}]}, "template_id"),
    ({"sets": [_set(rpe=7.3)]}, "rpe"),
    ({"sets": [_set(rpe=10.5)]}, "rpe"),
    ({"sets": [_set(rpe=0.5)]}, "rpe"),
    ({"sets": [_set(weight_kg=-1)]}, "weight_kg"),
    ({"sets": [_set(weight_kg=10_000.5)]}, "weight_kg"),
    ({"sets": [_set(reps=1001)]}, "reps"),
    ({"sets": [_set(reps=-1)]}, "reps"),
    ({"sets": [_set(duration_s=86_401)]}, "duration_s"),
    ({"sets": [_set(distance_m=1_000_001)]}, "distance_m"),
    ({"sets": [_set(type="heavy")]}, "type"),
    ({"sets": [{"weight_kg": 50}]}, "reps"),
    ({"sets": [_set() for _ in range(51)]}, "sets"),
    ({"exercise_count": 51}, "exercises"),
]


@pytest.mark.parametrize(("change", "field"), BAD_BODIES)
async def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient,
    user_headers: Headers,
    lifts: tuple[int, int],
    change: dict[str, Any],
    field: str,
) -> None:
    squat, bench = lifts
    body = a_workout(squat, bench, started_at="2025-03-03T06:30:00Z", ended_at=None)
    change = dict(change)
    if "sets" in change:
        body["exercises"][0]["sets"] = change.pop("sets")
    if "exercise_count" in change:
        count = change.pop("exercise_count")
        body["exercises"] = [{"template_id": squat, "sets": [_set()]}] * count
    body.update(change)
    response = await client.post("/workouts", json=body, headers=user_headers)
    assert response.status_code == 422, response.text
    assert field in str(response.json()["detail"])
    assert (await client.get("/workouts", headers=user_headers)).json()["total"] == 0
    assert (await client.get("/records", headers=user_headers)).json() == {"items": []}


async def test_a_custom_exercise_of_another_user_cannot_be_used(
    client: httpx.AsyncClient, user_headers: Headers, make_user: Any, lifts: tuple[int, int]
) -> None:
    squat, bench = lifts
    other = await make_user("custom_owner")
    theirs = await client.post(
        "/exercise-templates",
        json={"name": "Secret Press", "primary_muscle": "chest"},
        headers=other,
    )
    assert theirs.status_code == 201
    body = a_workout(squat, bench)
    body["exercises"].append({"template_id": theirs.json()["id"], "sets": [_set()]})
    response = await client.post("/workouts", json=body, headers=user_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "exercises", 2, "template_id"]
    assert (await client.get("/workouts", headers=user_headers)).json()["total"] == 0


async def test_patch_keeps_the_end_after_the_start(
    client: httpx.AsyncClient, user_headers: Headers, lifts: tuple[int, int]
) -> None:
    created = await log(client, user_headers, a_workout(*lifts))
    url = f"/workouts/{created['id']}"
    late_start = await client.patch(
        url, json={"started_at": "2025-03-04T00:00:00Z"}, headers=user_headers
    )
    assert late_start.status_code == 422
    assert "started_at" in str(late_start.json()["detail"])
    early_end = await client.patch(
        url, json={"ended_at": "2025-03-01T00:00:00Z"}, headers=user_headers
    )
    assert early_end.status_code == 422
    assert "ended_at" in str(early_end.json()["detail"])
    assert (await client.patch(url, json={"title": None}, headers=user_headers)).status_code == 422
    unchanged = await client.get(url, headers=user_headers)
    assert unchanged.json()["started_at"] == created["started_at"]


async def test_weight_unit_is_a_preference_of_the_user(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    response = await client.patch("/auth/me", json={"weight_unit": "lb"}, headers=user_headers)
    assert response.status_code == 200
    assert response.json()["weight_unit"] == "lb"
    assert response.json()["username"] == "user"
    bad = await client.patch("/auth/me", json={"weight_unit": "stone"}, headers=user_headers)
    assert bad.status_code == 422
    assert "weight_unit" in str(bad.json()["detail"])


async def test_concurrent_workouts_of_one_user_all_count_in_the_records(
    client: httpx.AsyncClient, user_headers: Headers, lifts: tuple[int, int]
) -> None:
    squat, _bench = lifts
    bodies = [
        {
            "title": f"Squat {n}",
            "started_at": f"2025-04-{n + 1:02d}T07:00:00Z",
            "exercises": [{"template_id": squat, "sets": [{"weight_kg": 100 + n, "reps": 1}]}],
        }
        for n in range(6)
    ]
    answers = await asyncio.gather(
        *(client.post("/workouts", json=body, headers=user_headers) for body in bodies)
    )
    assert [a.status_code for a in answers] == [201] * 6
    records = (await client.get("/records", headers=user_headers)).json()["items"][0]
    assert records["heaviest_weight"]["value"] == 105
    listed = (await client.get("/workouts", headers=user_headers)).json()["items"]
    # each heavier single on a later day is a new heaviest weight, e1RM, set volume, 1RM
    assert sum(item["record_count"] for item in listed) == 4 * 6 + 1


async def test_the_list_refuses_a_token_as_every_signed_in_route_does(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    # The list checks the account on its own first statement: the answers must be /auth/me's.
    async def both(headers: Headers) -> tuple[Any, Any]:
        listed = await client.get("/workouts", headers=headers)
        me = await client.get("/auth/me", headers=headers)
        return (listed.status_code, listed.json()), (me.status_code, me.json())

    async def token() -> str:
        signed_in = await client.post(
            "/auth/login", json={"username": "user", "password": "user123"}
        )
        return str(signed_in.json()["access_token"])

    missing = await client.get("/workouts")
    assert (missing.status_code, missing.json()) == (401, {"detail": "Not authenticated"})
    listed, me = await both({"Authorization": "Bearer not.a.token"})
    assert listed == me
    assert listed[0] == 401

    ended = await token()
    changed = await client.post(
        "/auth/password",
        json={"current_password": "user123", "new_password": "a-new-secret-9"},
        headers={"Authorization": f"Bearer {ended}"},
    )
    assert changed.status_code == 204
    listed, me = await both({"Authorization": f"Bearer {ended}"})
    assert listed == me == (401, {"detail": "Token is no longer valid: sign in again"})

    signed_in = await client.post(
        "/auth/login", json={"username": "user", "password": "a-new-secret-9"}
    )
    current = signed_in.json()["access_token"]
    disabled = await client.patch(
        "/admin/users/user", json={"disabled": True}, headers=admin_headers
    )
    assert disabled.status_code == 200
    listed, me = await both({"Authorization": f"Bearer {current}"})
    assert listed == me == (403, {"detail": "User account is disabled"})


async def test_logging_refuses_a_token_as_every_signed_in_route_does_and_writes_nothing(
    client: httpx.AsyncClient,
    admin_headers: Headers,
    make_user: Any,
    lifts: tuple[int, int],
    test_secret: str,
) -> None:
    # POST /workouts reads the account in the statement that bumps the log version: the
    # refusals must be /auth/me's, come before the body is looked at, and change nothing.
    squat, bench = lifts
    body = a_workout(squat, bench)

    async def both(headers: Headers, sent: Any = body) -> tuple[Any, Any]:
        logged = await client.post("/workouts", json=sent, headers=headers)
        me = await client.get("/auth/me", headers=headers)
        return (logged.status_code, logged.json()), (me.status_code, me.json())

    lifter = await make_user("lifter")
    listed = await client.get("/workouts", headers=lifter)
    etag = listed.headers["ETag"]

    missing = await client.post("/workouts", json=body)
    assert (missing.status_code, missing.json()) == (401, {"detail": "Not authenticated"})
    logged, me = await both({"Authorization": "Bearer not.a.token"})
    assert logged == me
    assert logged[0] == 401
    nobody = issue_token(
        secret=test_secret,
        subject=TokenSubject(user_id=999_999, username="nobody", role="user", version=0),
        token_type=TokenType.ACCESS,
        lifetime=timedelta(minutes=5),
    )
    logged, me = await both({"Authorization": f"Bearer {nobody}"})
    assert logged == me == (401, {"detail": "Could not validate credentials"})

    reader = await make_user("reader", role="readonly")
    logged, _ = await both(reader, sent={"title": ""})  # refused before the bad body is read
    assert logged == (403, {"detail": "Your role may read your training log but not change it"})

    ended = lifter["Authorization"]
    changed = await client.post(
        "/auth/password",
        json={"current_password": "lifter-password", "new_password": "a-new-secret-9"},
        headers=lifter,
    )
    assert changed.status_code == 204
    logged, me = await both({"Authorization": ended})
    assert logged == me == (401, {"detail": "Token is no longer valid: sign in again"})

    signed_in = await client.post(
        "/auth/login", json={"username": "lifter", "password": "a-new-secret-9"}
    )
    current = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    unchanged = await client.get("/workouts", headers={**current, "If-None-Match": etag})
    assert unchanged.status_code == 304  # no refused write moved the log's version
    assert unchanged.headers["X-Total-Count"] == "0"

    disabled = await client.patch(
        "/admin/users/lifter", json={"disabled": True}, headers=admin_headers
    )
    assert disabled.status_code == 200
    logged, me = await both(current)
    assert logged == me == (403, {"detail": "User account is disabled"})


async def test_a_workout_started_without_exercises_is_logged_and_read_back(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    body = {"title": "Just started", "started_at": "2025-03-04T18:00:00Z"}
    created = await log(client, user_headers, body)
    assert created["exercises"] == []
    assert created["records"] == []
    assert created["ended_at"] is None
    shown = await client.get(f"/workouts/{created['id']}", headers=user_headers)
    assert shown.json() == created
    listed = (await client.get("/workouts", headers=user_headers)).json()["items"]
    assert [(i["id"], i["exercise_count"], i["set_count"]) for i in listed] == [
        (created["id"], 0, 0)
    ]
