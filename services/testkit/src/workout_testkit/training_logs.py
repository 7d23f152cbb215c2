"""Training logs for tests: lifters signed in to a live Workout API and the workouts they log.

The logs are dated around :data:`NOW` (Wednesday 4 March 2026, 12:00 UTC), the coach's clock
in these tests, so no test depends on the real date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
Sets = list[tuple[float | None, int]]  # (weight_kg, reps) of each working set


@dataclass
class Lifter:
    api_url: str
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def template_id(self, client: httpx.AsyncClient, name: str) -> int:
        answer = await client.get(
            f"{self.api_url}/exercise-templates", params={"q": name}, headers=self.headers
        )
        answer.raise_for_status()
        exact = [t for t in answer.json()["items"] if t["name"] == name]
        assert exact, f"no exercise template named {name!r}"
        return int(exact[0]["id"])

    async def log(
        self, started_at: datetime, title: str, exercises: list[tuple[str, Sets]]
    ) -> dict[str, Any]:
        """Log one workout through the API, as this lifter."""
        async with httpx.AsyncClient(timeout=30) as client:
            body = {
                "title": title,
                "started_at": started_at.isoformat(),
                "ended_at": (started_at + timedelta(hours=1)).isoformat(),
                "exercises": [
                    {
                        "template_id": await self.template_id(client, name),
                        "sets": [
                            {"type": "warmup", "weight_kg": 20.0, "reps": 10},
                            *({"weight_kg": w, "reps": r} for w, r in sets),
                        ],
                    }
                    for name, sets in exercises
                ],
            }
            answer = await client.post(f"{self.api_url}/workouts", json=body, headers=self.headers)
        assert answer.status_code == 201, answer.text
        workout: dict[str, Any] = answer.json()
        return workout

    async def get(self, path: str, **params: Any) -> Any:
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.get(f"{self.api_url}{path}", params=params, headers=self.headers)
        answer.raise_for_status()
        return answer.json()


async def sign_in(api_url: str, username: str, password: str) -> Lifter:
    async with httpx.AsyncClient(timeout=30) as client:
        answer = await client.post(
            f"{api_url}/auth/login", json={"username": username, "password": password}
        )
    assert answer.status_code == 200, answer.text
    return Lifter(api_url, username, answer.json()["access_token"])


def at(day: int, month: int = 3, hour: int = 18) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


async def log_squatter(lifter: Lifter) -> None:
    """Squat climbing 95 -> 100 -> 102.5 kg and Romanian deadlift 80 -> 90 kg on Mondays; bench
    stuck at 80 kg (no e1RM gain in three sessions over three weeks)."""
    await lifter.log(
        at(16, 2),
        "Lower A",
        [("Barbell Back Squat", [(95, 5)] * 5), ("Romanian Deadlift", [(80, 8)] * 3)],
    )
    await lifter.log(
        at(18, 2),
        "Upper A",
        [("Barbell Bench Press", [(80, 5)] * 5), ("Barbell Row", [(60, 8)] * 3)],
    )
    await lifter.log(
        at(23, 2),
        "Lower A",
        [("Barbell Back Squat", [(100, 5)] * 5), ("Romanian Deadlift", [(85, 8)] * 3)],
    )
    await lifter.log(
        at(25, 2),
        "Upper A",
        [
            ("Barbell Bench Press", [(80, 5), (80, 5), (80, 4), (80, 4), (80, 3)]),
            ("Barbell Row", [(60, 8)] * 3),
        ],
    )
    await lifter.log(
        at(2),
        "Lower A",
        [("Barbell Back Squat", [(102.5, 5)] * 5), ("Romanian Deadlift", [(90, 8)] * 3)],
    )
    await lifter.log(
        at(3),
        "Upper B",
        [
            ("Barbell Bench Press", [(80, 5), (80, 4), (80, 4), (80, 3), (80, 3)]),
            ("Overhead Press", [(40, 8)] * 3),
        ],
    )


async def log_deadlifter(lifter: Lifter) -> None:
    """A different log: deadlifts and overhead presses, no squats."""
    await lifter.log(at(20, 2), "Pull", [("Conventional Deadlift", [(140, 5)] * 3)])
    await lifter.log(at(27, 2), "Pull", [("Conventional Deadlift", [(145, 5)] * 3)])
    await lifter.log(at(1), "Press", [("Overhead Press", [(50, 8)] * 3)])


@dataclass
class TwoLifters:
    api_url: str
    squatter: Lifter  # the seeded "user"
    deadlifter: Lifter  # the seeded "admin"
