"""SEED_DEMO_DATA: three months of a 3-day program for the development user, once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import time_machine

from workout_api.main import create_app
from workout_api.training.demo_data import WEEKS

Headers = dict[str, str]


async def test_the_dev_user_gets_no_demo_data_by_default(
    client: httpx.AsyncClient, user_headers: Headers
) -> None:
    assert (await client.get("/workouts", headers=user_headers)).json()["total"] == 0


async def test_demo_data_is_a_progressing_program_seeded_once(
    make_settings: Any, database_url: str, client_for: Any, login: Any
) -> None:
    settings = make_settings(database_url, seed_demo_data=True, ratelimit_enabled=False)
    for _restart in range(2):  # a restart seeds nothing more
        async with client_for(create_app(settings)) as client:
            headers = await login(client, "user", "user123")
            listed = await client.get("/workouts", headers=headers)
            assert listed.json()["total"] == WEEKS * 3
    async with client_for(create_app(settings)) as client:
        headers = await login(client, "user", "user123")
        found = await client.get(
            "/exercise-templates", params={"q": "Barbell Back Squat"}, headers=headers
        )
        squat = found.json()["items"][0]["id"]
        progress = await client.get(
            f"/exercise-templates/{squat}/progress",
            params={"metric": "max_weight", "bucket": "month"},
            headers=headers,
        )
        points = progress.json()["points"]
        assert len(points) >= 3
        assert points[-1]["value"] > points[0]["value"]
        records = (await client.get("/records", headers=headers)).json()["items"]
        assert len(records) == 11  # every exercise of the program
        admin = await login(client, "admin", "admin123")
        assert (await client.get("/workouts", headers=admin)).json()["total"] == 0


async def test_a_restart_in_a_later_week_adds_no_demo_week(
    make_settings: Any, database_url: str, client_for: Any, login: Any
) -> None:
    # The weeks are counted back from the day of the start: a restart on the next Monday
    # must not add a fourteenth week beside the thirteen.
    settings = make_settings(database_url, seed_demo_data=True, ratelimit_enabled=False)
    for moment in (
        datetime(2025, 3, 9, 23, 59, tzinfo=UTC),
        datetime(2025, 3, 10, 0, 1, tzinfo=UTC),
    ):
        with time_machine.travel(moment):
            async with client_for(create_app(settings)) as client:
                headers = await login(client, "user", "user123")
                listed = await client.get("/workouts", headers=headers)
        assert listed.json()["total"] == WEEKS * 3
