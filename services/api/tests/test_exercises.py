"""Exercise CRUD, pagination, sorting, ETag and CSV, on PostgreSQL and SQLite."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

Headers = dict[str, str]

SAMPLE = [
    {"name": "Squat", "sets": 5, "reps": 5, "weight": 100.0, "workout_day": "A"},
    {"name": "Bench Press", "sets": 4, "reps": 8, "weight": 80.0, "workout_day": "B"},
    {"name": "Pull Up", "sets": 3, "reps": 10, "weight": None, "workout_day": "A"},
    {"name": "Deadlift", "sets": 1, "reps": 5, "weight": 140.0, "workout_day": "C"},
    {"name": "Dips", "sets": 3, "reps": 12, "weight": None, "workout_day": "B"},
    {"name": "Row", "sets": 4, "reps": 8, "weight": 80.0, "workout_day": "B"},
]


async def create(client: httpx.AsyncClient, headers: Headers, **body: Any) -> dict[str, Any]:
    response = await client.post("/exercises", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
async def seeded(client: httpx.AsyncClient, user_headers: Headers) -> list[dict[str, Any]]:
    return [await create(client, user_headers, **item) for item in SAMPLE]


async def test_create_returns_201_with_the_exercise_and_its_location(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    response = await client.post(
        "/exercises", json={"name": "Bench Press", "sets": 4, "reps": 8}, headers=user_headers
    )
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "name": "Bench Press",
        "sets": 4,
        "reps": 8,
        "weight": None,
        "workout_day": "A",
    }
    assert response.headers["location"] == f"/exercises/{body['id']}"
    fetched = await client.get(f"/exercises/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sets": 3, "reps": 5}, "name"),
        ({"name": "", "sets": 3, "reps": 5}, "name"),
        ({"name": "x" * 101, "sets": 3, "reps": 5}, "name"),
        ({"name": "nul\x00byte", "sets": 3, "reps": 5}, "name"),
        ({"name": "Squat", "sets": 0, "reps": 5}, "sets"),
        ({"name": "Squat", "sets": 101, "reps": 5}, "sets"),
        ({"name": "Squat", "sets": 3, "reps": 0}, "reps"),
        ({"name": "Squat", "sets": 3, "reps": 1001}, "reps"),
        ({"name": "Squat", "sets": 3, "reps": 5, "weight": -0.5}, "weight"),
        ({"name": "Squat", "sets": 3, "reps": 5, "weight": "heavy"}, "weight"),
        ({"name": "Squat", "sets": 3, "reps": 5, "workout_day": ""}, "workout_day"),
        ({"name": "Squat", "sets": 3, "reps": 5, "workout_day": "x" * 11}, "workout_day"),
        ({"name": "Squat", "sets": "three", "reps": 5}, "sets"),
        # Strict numbers: neither strings of digits nor booleans stand for numbers.
        ({"name": "Squat", "sets": "3", "reps": 5}, "sets"),
        ({"name": "Squat", "sets": True, "reps": 5}, "sets"),
        ({"name": "Squat", "sets": 3, "reps": 5, "weight": "100"}, "weight"),
        # Names someone reads in a list: not blank, nothing invisible or reversing the text.
        ({"name": "   ", "sets": 3, "reps": 5}, "name"),
        ({"name": "Squat\u202eytrid", "sets": 3, "reps": 5}, "name"),
        ({"name": "Sq\u200buat", "sets": 3, "reps": 5}, "name"),
        ({"name": "Squat\x85", "sets": 3, "reps": 5}, "name"),
        ({"name": "Squat", "sets": 3, "reps": 5, "workout_day": " "}, "workout_day"),
    ],
)
async def test_create_rejects_invalid_bodies_with_422_naming_the_field(
    client: httpx.AsyncClient, user_headers: Headers, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/exercises", json=body, headers=user_headers)
    assert response.status_code == 422
    assert any(error["loc"][-1] == field for error in response.json()["detail"])


async def test_create_accepts_the_boundaries(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    low = await create(client, user_headers, name="x", sets=1, reps=1, weight=0, workout_day="D")
    high = await create(
        client, user_headers, name="y" * 100, sets=100, reps=1000, workout_day="z" * 10
    )
    assert (low["sets"], low["reps"], low["weight"]) == (1, 1, 0.0)
    assert (high["sets"], high["reps"], len(high["name"])) == (100, 1000, 100)


async def test_unknown_exercise_is_404_everywhere(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    expected = {"detail": "Exercise not found"}
    assert (await client.get("/exercises/999")).json() == expected
    patched = await client.patch("/exercises/999", json={"sets": 2}, headers=user_headers)
    assert (patched.status_code, patched.json()) == (404, expected)
    deleted = await client.delete("/exercises/999", headers=user_headers)
    assert (deleted.status_code, deleted.json()) == (404, expected)


@pytest.mark.parametrize("bad_id", ["0", "-1", "abc", str(2**31), str(10**30)])
async def test_invalid_ids_are_422(client: httpx.AsyncClient, bad_id: str) -> None:
    assert (await client.get(f"/exercises/{bad_id}")).status_code == 422


async def test_patch_changes_only_the_fields_sent(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    exercise = await create(client, user_headers, name="Squat", sets=5, reps=5, weight=100)
    response = await client.patch(
        f"/exercises/{exercise['id']}", json={"reps": 3}, headers=user_headers
    )
    assert response.status_code == 200
    assert response.json() == {**exercise, "reps": 3}
    assert (await client.get(f"/exercises/{exercise['id']}")).json() == {**exercise, "reps": 3}


async def test_patch_with_explicit_null_clears_the_weight(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    exercise = await create(client, user_headers, name="Dips", sets=3, reps=10, weight=20)
    response = await client.patch(
        f"/exercises/{exercise['id']}", json={"weight": None}, headers=user_headers
    )
    assert response.json()["weight"] is None
    untouched = await client.patch(
        f"/exercises/{exercise['id']}", json={"name": "Ring Dips"}, headers=user_headers
    )
    assert untouched.json() == {**exercise, "weight": None, "name": "Ring Dips"}


@pytest.mark.parametrize(
    "body",
    [{"name": None}, {"sets": None}, {"sets": 0}, {"reps": 1001}, {"workout_day": "x" * 11}],
)
async def test_patch_rejects_invalid_values(
    client: httpx.AsyncClient, user_headers: Headers, body: dict[str, Any]
) -> None:
    exercise = await create(client, user_headers, name="Squat", sets=5, reps=5)
    response = await client.patch(f"/exercises/{exercise['id']}", json=body, headers=user_headers)
    assert response.status_code == 422
    assert (await client.get(f"/exercises/{exercise['id']}")).json() == exercise


async def test_delete_returns_204_then_the_exercise_is_gone(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    exercise = await create(client, user_headers, name="Squat", sets=5, reps=5)
    response = await client.delete(f"/exercises/{exercise['id']}", headers=user_headers)
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(f"/exercises/{exercise['id']}")).status_code == 404


async def test_list_paginates_with_total_and_header(
    client: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    first = await client.get("/exercises", params={"page": 1, "page_size": 4})
    second = await client.get("/exercises", params={"page": 2, "page_size": 4})
    beyond = await client.get("/exercises", params={"page": 3, "page_size": 4})
    assert first.status_code == 200
    assert first.headers["x-total-count"] == "6"
    assert {k: first.json()[k] for k in ("page", "page_size", "total")} == {
        "page": 1,
        "page_size": 4,
        "total": 6,
    }
    ids = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert ids == [item["id"] for item in seeded]
    assert beyond.json()["items"] == []
    assert beyond.json()["total"] == 6


async def test_list_defaults(client: httpx.AsyncClient, seeded: list[dict[str, Any]]) -> None:
    body = (await client.get("/exercises")).json()
    assert (body["page"], body["page_size"], body["total"]) == (1, 20, 6)
    assert body["items"] == seeded


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": "one"},
        {"page_size": 0},
        {"page_size": 201},
        {"format": "xml"},
    ],
)
async def test_list_rejects_invalid_query_values_with_422(
    client: httpx.AsyncClient, params: dict[str, Any]
) -> None:
    response = await client.get("/exercises", params=params)
    assert response.status_code == 422
    ((name, value),) = params.items()
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", name]
    assert error["input"] == str(value)
    assert error["msg"]


async def test_a_repeated_query_parameter_counts_with_its_last_value(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/exercises?page_size=0&page_size=3")
    assert response.status_code == 200
    assert response.json()["page_size"] == 3


async def test_bad_sort_by_is_400_with_the_contract_detail(client: httpx.AsyncClient) -> None:
    response = await client.get("/exercises", params={"sort_by": "password"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "sort_by must be one of: ['id', 'name', 'reps', 'sets', 'weight', 'workout_day']"
    }


async def test_bad_sort_order_is_400_saying_what_is_allowed(client: httpx.AsyncClient) -> None:
    response = await client.get("/exercises", params={"sort_order": "sideways"})
    assert response.status_code == 400
    assert response.json() == {"detail": "sort_order must be one of: ['asc', 'desc']"}


def _expected_order(items: list[dict[str, Any]], column: str, descending: bool) -> list[int]:
    present = [i for i in items if i[column] is not None]
    missing = [i for i in items if i[column] is None]
    ordered = sorted(present, key=lambda i: (i[column], i["id"]))
    missing.sort(key=lambda i: i["id"])
    result = ordered + missing  # NULL weights last ascending
    if descending:
        result.reverse()
    return [i["id"] for i in result]


@pytest.mark.parametrize("column", ["id", "name", "sets", "reps", "weight", "workout_day"])
@pytest.mark.parametrize("order", ["asc", "desc"])
async def test_sorting_every_column_with_a_stable_id_tiebreak(
    client: httpx.AsyncClient, seeded: list[dict[str, Any]], column: str, order: str
) -> None:
    pages = []
    for page in (1, 2, 3):
        response = await client.get(
            "/exercises",
            params={"sort_by": column, "sort_order": order, "page": page, "page_size": 2},
        )
        assert response.status_code == 200
        pages.extend(item["id"] for item in response.json()["items"])
    assert pages == _expected_order(seeded, column, order == "desc")


async def test_etag_then_304_with_the_listed_headers(
    client: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    first = await client.get("/exercises", params={"page_size": 3})
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert len(etag) == len('W/""') + 64
    again = await client.get("/exercises", params={"page_size": 3}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["x-total-count"] == "6"
    assert again.headers["x-request-id"]
    assert again.headers["x-response-time"].endswith("ms")


async def test_if_none_match_lists_and_star(
    client: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    etag = (await client.get("/exercises")).headers["etag"]
    listed = await client.get("/exercises", headers={"If-None-Match": f'W/"other", {etag}'})
    strong = await client.get("/exercises", headers={"If-None-Match": etag.removeprefix("W/")})
    star = await client.get("/exercises", headers={"If-None-Match": "*"})
    stale = await client.get("/exercises", headers={"If-None-Match": 'W/"stale"'})
    assert (listed.status_code, strong.status_code, star.status_code) == (304, 304, 304)
    assert stale.status_code == 200


async def test_different_queries_have_different_etags(
    client: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    variants = [
        {},
        {"page": 2},
        {"page_size": 5},
        {"sort_by": "name"},
        {"sort_order": "desc"},
    ]
    etags = {(await client.get("/exercises", params=p)).headers["etag"] for p in variants}
    assert len(etags) == len(variants)


@pytest.mark.parametrize("write", ["create", "patch", "delete"])
async def test_never_304_after_a_write(
    client: httpx.AsyncClient,
    user_headers: Headers,
    seeded: list[dict[str, Any]],
    write: str,
) -> None:
    before = await client.get("/exercises")
    target = seeded[0]["id"]
    if write == "create":
        await create(client, user_headers, name="Lunge", sets=3, reps=12)
    elif write == "patch":
        response = await client.patch(
            f"/exercises/{target}", json={"reps": 6}, headers=user_headers
        )
        assert response.status_code == 200
    else:
        response = await client.delete(f"/exercises/{target}", headers=user_headers)
        assert response.status_code == 204
    after = await client.get("/exercises", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json() != before.json()


async def test_csv_export_has_every_row_in_the_requested_order(
    client: httpx.AsyncClient, seeded: list[dict[str, Any]]
) -> None:
    response = await client.get(
        "/exercises",
        params={"format": "csv", "sort_by": "name", "page_size": 2, "page": 2},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="exercises.csv"'
    assert "etag" not in response.headers
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id", "name", "sets", "reps", "weight", "workout_day"]
    assert [int(r[0]) for r in rows[1:]] == _expected_order(seeded, "name", False)
    pull_up = next(r for r in rows[1:] if r[1] == "Pull Up")
    assert pull_up == [str(seeded[2]["id"]), "Pull Up", "3", "10", "", "A"]


async def test_csv_export_ignores_if_none_match(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/exercises", params={"format": "csv"}, headers={"If-None-Match": "*"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "etag" not in response.headers


async def test_csv_export_with_bad_sort_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/exercises", params={"format": "csv", "sort_by": "nope"})
    assert response.status_code == 400


async def test_csv_export_of_an_empty_table_is_just_the_header(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/exercises", params={"format": "csv"})
    assert response.text.splitlines() == ["id,name,sets,reps,weight,workout_day"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+cmd", "-1+1", "@SUM(1)"])
async def test_csv_export_keeps_formulas_as_text(
    client: httpx.AsyncClient, user_headers: dict[str, str], name: str
) -> None:
    created = await client.post(
        "/exercises", json={"name": name, "sets": 1, "reps": 1}, headers=user_headers
    )
    assert created.status_code == 201
    response = await client.get("/exercises", params={"format": "csv"})
    names = [row[1] for row in csv.reader(io.StringIO(response.text))]
    assert "'" + name in names
    assert name not in names
