"""The exercise fields are the contract's everywhere, and the API starts only on a table
whose columns it can serve unconverted."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import psycopg
import pytest
from asgi_lifespan import LifespanManager

from workout_api.exercises.column_types import ExerciseTableMismatchError
from workout_api.main import create_app
from workout_common.exercise_record import EXERCISE_FIELDS, ExerciseRecord

Headers = dict[str, str]


async def test_every_read_answers_the_fields_the_services_parse(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    body = {"name": "Front Squat", "sets": 4, "reps": 6, "weight": 90.0, "workout_day": "C"}
    created = await client.post("/exercises", json=body, headers=admin_headers)
    assert created.status_code == 201
    item = (await client.get("/exercises")).json()["items"][0]
    one = (await client.get(f"/exercises/{item['id']}")).json()
    export = (await client.get("/exercises", params={"format": "csv"})).text
    header, row = list(csv.reader(io.StringIO(export)))
    assert tuple(created.json()) == tuple(item) == tuple(one) == tuple(header) == EXERCISE_FIELDS
    assert ExerciseRecord.model_validate(item).model_dump() == item == one
    assert dict(zip(header, row, strict=True))["weight"] == "90.0"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        # served as decimals by the driver, not as the contract's numbers
        ("ALTER COLUMN weight TYPE numeric(8, 2)", r"weight is NUMERIC\(8, 2\)"),
        ("DROP COLUMN workout_day", "workout_day is missing"),
    ],
)
async def test_start_up_refuses_a_table_the_fast_reads_would_misread(
    make_settings: Any, migrated_postgres_url: str, change: str, problem: str
) -> None:
    with psycopg.connect(migrated_postgres_url, autocommit=True) as connection:
        connection.execute(f"ALTER TABLE exercise {change}")
    app = create_app(make_settings(migrated_postgres_url))
    with pytest.raises(ExerciseTableMismatchError, match=problem):
        async with LifespanManager(app, startup_timeout=60):
            pass
