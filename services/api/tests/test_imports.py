"""POST /imports through HTTP, on PostgreSQL and SQLite: Strong and Hevy exports as the
apps write them, dry runs, duplicates, unreadable files and rows, size and rate limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

FILES = Path(__file__).parent / "import_files"
Headers = dict[str, str]


async def upload(
    client: httpx.AsyncClient,
    headers: Headers,
    content: bytes,
    filename: str = "export.csv",
    **params: Any,
) -> httpx.Response:
    return await client.post(
        "/imports",
        params={k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()},
        files={"file": (filename, content, "text/csv")},
        headers=headers,
    )


async def upload_file(
    client: httpx.AsyncClient, headers: Headers, name: str, **params: Any
) -> httpx.Response:
    return await upload(client, headers, (FILES / name).read_bytes(), name, **params)


async def all_workouts(client: httpx.AsyncClient, headers: Headers) -> list[dict[str, Any]]:
    listed = await client.get(
        "/workouts", params={"page_size": 100, "sort_order": "asc"}, headers=headers
    )
    assert listed.status_code == 200, listed.text
    # The kept count follows imports (and their dry runs) as a recount would.
    assert listed.headers["X-Total-Count"] == str(len(listed.json()["items"]))
    details = []
    for item in listed.json()["items"]:
        response = await client.get(f"/workouts/{item['id']}", headers=headers)
        assert response.status_code == 200
        details.append(response.json())
    return details


async def test_strong_dry_run_previews_and_writes_nothing(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    response = await upload_file(
        client, user_headers, "strong_lb.csv", weight_unit="lb", dry_run=True
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "source": "strong",
        "dry_run": True,
        "workouts_found": 2,
        "workouts_created": 2,
        "duplicates_skipped": 0,
        "sets_created": 8,
        "rows_skipped": [],
        "templates_created": ["Cable Zottman Fly", "Treadmill Intervals"],
        "unmatched_names": ["Cable Zottman Fly", "Treadmill Intervals"],
    }
    assert await all_workouts(client, user_headers) == []
    custom = await client.get("/exercise-templates", params={"custom": True}, headers=user_headers)
    assert custom.json()["total"] == 0


async def test_strong_in_pounds_imports_sets_as_the_app_logged_them(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    response = await upload_file(client, user_headers, "strong_lb.csv", weight_unit="lb")
    assert response.status_code == 200, response.text
    assert response.json()["workouts_created"] == 2
    assert response.json()["sets_created"] == 8

    push, legs = await all_workouts(client, user_headers)
    assert push["title"] == "Morning Push"
    assert push["source"] == "strong"
    assert push["started_at"] == "2024-05-28T07:32:10Z"
    assert push["ended_at"] == "2024-05-28T08:56:10Z"  # 1h 24m
    assert push["notes"] == "Felt good, slept 8h\nshoulder a bit stiff"
    bench, fly = push["exercises"]
    assert bench["name"] == "Barbell Bench Press"  # matched by its alias
    assert bench["notes"] == "Paused reps, elbows in"
    assert [(s["type"], s["reps"], s["rpe"]) for s in bench["sets"]] == [
        ("warmup", 10, None),
        ("normal", 8, 8.5),
        ("normal", 0, None),  # 0 reps is a set; the Rest Timer row is not
        ("dropset", 12, None),
    ]
    assert bench["sets"][1]["weight_kg"] == pytest.approx(185 * 0.45359237)
    assert fly["name"] == "Cable Zottman Fly"
    squat, treadmill = legs["exercises"]
    assert squat["name"] == "Barbell Back Squat"
    assert [s["type"] for s in squat["sets"]] == ["normal", "failure"]
    assert legs["ended_at"] == "2024-05-30T18:57:00Z"  # 52m
    run = treadmill["sets"][0]
    assert (run["weight_kg"], run["duration_s"]) == (None, 1800)
    assert run["distance_m"] == pytest.approx(3.1 * 1609.344)

    custom = await client.get("/exercise-templates", params={"custom": True}, headers=user_headers)
    assert sorted(item["name"] for item in custom.json()["items"]) == [
        "Cable Zottman Fly",
        "Treadmill Intervals",
    ]
    records = (await client.get("/records", headers=user_headers)).json()["items"]
    squat_records = next(r for r in records if r["name"] == "Barbell Back Squat")
    assert squat_records["heaviest_weight"]["value"] == pytest.approx(225 * 0.45359237)


async def test_the_same_file_twice_creates_nothing_the_second_time(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    first = await upload_file(client, user_headers, "hevy_kg.csv")
    assert first.json()["workouts_created"] == 2
    second = await upload_file(client, user_headers, "hevy_kg.csv")
    assert second.status_code == 200
    body = second.json()
    assert (body["workouts_created"], body["duplicates_skipped"], body["sets_created"]) == (0, 2, 0)
    assert body["templates_created"] == []
    assert len(await all_workouts(client, user_headers)) == 2


async def test_overlapping_exports_merge_without_duplicates(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    text = (FILES / "strong_bad_rows.csv").read_text().splitlines()
    header, rows = text[0], [text[1], text[3], text[5]]  # the readable rows
    older = "\n".join([header, rows[0], rows[1]]) + "\n"
    newer = "\n".join([header, *rows]) + "\n"
    assert (await upload(client, user_headers, older.encode())).json()["workouts_created"] == 1
    merged = (await upload(client, user_headers, newer.encode())).json()
    assert (merged["workouts_created"], merged["duplicates_skipped"]) == (1, 1)
    titles = [w["title"] for w in await all_workouts(client, user_headers)]
    assert titles == ["Push", "Pull"]


async def test_strong_semicolons_bom_unit_columns_and_decimal_commas(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    # The Weight Unit column wins over the weight_unit parameter.
    response = await upload_file(client, user_headers, "strong_semicolon.csv", weight_unit="lb")
    assert response.status_code == 200, response.text
    assert response.json()["templates_created"] == ["Rudern Ergometer"]
    (workout,) = await all_workouts(client, user_headers)
    assert workout["title"] == "Oberkörper"
    assert workout["ended_at"] == "2024-06-03T07:20:00Z"  # Workout Duration 1h 5m
    bench, plank, rower = workout["exercises"]
    assert [(s["weight_kg"], s["reps"], s["rpe"]) for s in bench["sets"]] == [
        (82.5, 5, 8.0),
        (82.5, 5, 9.5),
    ]
    assert plank["name"] == "Plank"
    assert (plank["sets"][0]["reps"], plank["sets"][0]["duration_s"]) == (0, 60)
    assert (rower["sets"][0]["distance_m"], rower["sets"][0]["duration_s"]) == (2500.0, 600)


async def test_hevy_supersets_notes_cardio_and_timezone(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    response = await upload_file(client, user_headers, "hevy_kg.csv", timezone="Europe/Berlin")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"] == "hevy"
    assert (body["workouts_created"], body["sets_created"]) == (2, 9)
    assert body["templates_created"] == ["Sled Push Heavy"]
    push, pull = await all_workouts(client, user_headers)
    assert push["title"] == "Push Day 💪"
    assert push["started_at"] == "2024-05-28T05:32:00Z"  # 07:32 in Berlin (summer time)
    assert push["notes"] == "Good session, new PR"
    bench, pushdown, raise_, treadmill = push["exercises"]
    assert [s["type"] for s in bench["sets"]] == ["warmup", "normal", "failure"]
    assert (pushdown["name"], pushdown["superset"]) == ("Cable Triceps Pushdown", 0)
    assert raise_["superset"] == 0
    assert bench["superset"] is None
    assert pushdown["notes"] == "Keep elbows\ntucked, slow"
    assert [s["type"] for s in raise_["sets"]] == ["normal", "dropset"]
    assert treadmill["sets"][0] == {
        "position": 1,
        "type": "normal",
        "weight_kg": None,
        "reps": None,
        "duration_s": 600,
        "distance_m": None,
        "rpe": None,
        "completed": True,
    }
    sled = pull["exercises"][1]["sets"][0]
    assert (sled["weight_kg"], sled["distance_m"], sled["duration_s"]) == (120.0, 20.0, 45)


async def test_hevy_in_pounds_and_miles(client: httpx.AsyncClient, user_headers: Headers) -> None:
    response = await upload_file(client, user_headers, "hevy_lbs.csv", weight_unit="kg")
    assert response.status_code == 200, response.text
    (workout,) = await all_workouts(client, user_headers)
    squat, run = workout["exercises"]
    assert squat["sets"][0]["weight_kg"] == pytest.approx(315 * 0.45359237)
    assert run["sets"][0]["distance_m"] == pytest.approx(1609.344)


async def test_a_file_of_no_known_format_is_refused_naming_the_formats(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    response = await upload(client, user_headers, b"name,sets,reps\nSquat,5,5\n")
    assert response.status_code == 400
    assert "Strong CSV, Hevy CSV or this API's JSON export" in response.json()["detail"]
    not_text = await upload(client, user_headers, b"\xff\xfe\x00\x01binary" * 10)
    assert not_text.status_code == 400
    header = b"Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds\n"
    huge_cell = await upload(client, user_headers, header + b'2024-01-01,"' + b"a" * 200_000)
    assert huge_cell.status_code == 400
    assert huge_cell.json()["detail"].startswith("line 2: the CSV cannot be read")
    for zone in ("Europe", "Mars/Olympus"):
        unknown_zone = await upload_file(client, user_headers, "hevy_kg.csv", timezone=zone)
        assert unknown_zone.status_code == 400
        assert "IANA" in unknown_zone.json()["detail"]
    wrong = await upload_file(client, user_headers, "hevy_kg.csv", source="strong")
    assert wrong.status_code == 400
    assert "hevy" in wrong.json()["detail"]


async def test_bad_rows_import_nothing_unless_skipped(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    failed = await upload_file(client, user_headers, "strong_bad_rows.csv")
    assert failed.status_code == 400
    assert failed.json()["rows_skipped"] == [
        {"line": 3, "reason": "set order 'X' is not a number, W, D, F or Rest Timer"},
        {"line": 5, "reason": "reps 'five' is not a number"},
    ]
    assert "line 3" in failed.json()["detail"]
    assert "line 5" in failed.json()["detail"]
    assert await all_workouts(client, user_headers) == []

    skipped = await upload_file(client, user_headers, "strong_bad_rows.csv", on_error="skip")
    assert skipped.status_code == 200
    body = skipped.json()
    assert [row["line"] for row in body["rows_skipped"]] == [3, 5]
    assert (body["workouts_created"], body["sets_created"]) == (2, 3)


async def test_quoted_fields_keep_their_line_numbers(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    content = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE\r\n"
        '2024-07-01 07:00:00,Push,45m,Bench Press (Barbell),1,100,5,0,0,"two\r\nlines",,\r\n'
        "2024-07-01 07:00:00,Push,45m,Bench Press (Barbell),2,100,5,0,0,,,11\r\n"
    )
    response = await upload(client, user_headers, content.encode())
    assert response.status_code == 400
    (row,) = response.json()["rows_skipped"]
    assert row["line"] == 4
    assert "rpe" in row["reason"]


async def test_many_workouts_are_inserted_in_batches(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    lines = ["Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds"]
    for day in range(1, 701):
        started = (datetime(2020, 1, 1, 7) + timedelta(days=day)).strftime("%Y-%m-%d %H:%M:%S")
        for order in (1, 2, 3):
            lines.append(f"{started},Session {day},1h,Deadlift (Barbell),{order},{100 + day},5,0,0")
    response = await upload(client, user_headers, ("\n".join(lines) + "\n").encode())
    assert response.status_code == 200, response.text
    assert (response.json()["workouts_created"], response.json()["sets_created"]) == (700, 2100)
    listed = await client.get("/workouts", headers=user_headers)
    assert listed.json()["total"] == 700
    records = (await client.get("/records", headers=user_headers)).json()["items"]
    assert records[0]["heaviest_weight"]["value"] == 800.0


async def test_an_upload_over_20_mb_is_refused_before_it_is_read(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n"
        )
        for _ in range(30):
            sent += 1
            yield b"x" * (1024 * 1024)

    # No length announced: the body is counted while it arrives.
    response = await client.post(
        "/imports",
        content=body(),
        headers={**user_headers, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 413
    assert sent <= 22  # of the 30 MB offered
    assert "20 MB" in response.json()["detail"]

    announced = await client.post(
        "/imports",
        content=b"",
        headers={
            **user_headers,
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(21 * 1024 * 1024),
        },
    )
    assert announced.status_code == 413


async def test_readonly_accounts_cannot_import(client: httpx.AsyncClient, make_user: Any) -> None:
    viewer = await make_user("viewer", role="readonly")
    response = await upload_file(client, viewer, "hevy_kg.csv")
    assert response.status_code == 403
    anonymous = await upload_file(client, {}, "hevy_kg.csv")
    assert anonymous.status_code == 401


async def test_imports_have_their_own_rate_limit(
    make_settings: Any, database_url: str, client_for: Any, login: Any
) -> None:
    from workout_api.main import create_app

    app = create_app(make_settings(database_url, ratelimit_import_user="2/hour"))
    async with client_for(app) as limited:
        headers = await login(limited, "user", "user123")
        statuses = [
            (await upload_file(limited, headers, "hevy_kg.csv", dry_run=True)).status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        # Other writes are not counted against it.
        listed = await limited.get("/workouts", headers=headers)
        assert listed.status_code == 200


async def test_hevy_rows_out_of_range_are_reported(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    lines = (FILES / "hevy_kg.csv").read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace('"Bench Press (Barbell)",""', '"Bench Press (Barbell)","9999999999"')
    heavy = lines[2].replace('"100","5"', '"20000","5"')
    content = "\n".join([lines[0], bad, heavy]) + "\n"
    response = await upload(client, user_headers, content.encode())
    assert response.status_code == 400
    reasons = {row["line"]: row["reason"] for row in response.json()["rows_skipped"]}
    assert reasons[2].startswith("superset_id 9999999999")
    assert "weight_kg" in reasons[3]
