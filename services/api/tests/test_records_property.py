"""Property: after any sequence of creates, replacements, moves and deletions, records,
the records each workout shows, progress, statistics and the list's total equal a full
recomputation from the sets (written here independently of the API's own arithmetic)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

Headers = dict[str, str]
EXERCISES = ("Barbell Back Squat", "Barbell Bench Press", "Pull-Up")
EPOCH = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)

sets = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["normal", "normal", "normal", "warmup", "failure", "dropset"]),
        "weight_kg": st.one_of(st.integers(0, 40).map(lambda n: n * 2.5), st.none()),
        "reps": st.integers(0, 15),
        "completed": st.sampled_from([True, True, True, False]),
    }
)
exercises = st.lists(
    st.fixed_dictionaries(
        {
            "exercise": st.integers(0, len(EXERCISES) - 1),
            "sets": st.lists(sets, min_size=1, max_size=4),
        }
    ),
    min_size=1,
    max_size=3,
)
starts = st.integers(0, 40).map(lambda days: EPOCH + timedelta(days=days, hours=days % 3))
creates = st.tuples(st.just("create"), starts, exercises)
# A few workouts first, so that edits and deletions have history to disturb.
operations = st.tuples(
    st.lists(creates, min_size=2, max_size=4),
    st.lists(
        st.one_of(
            creates,
            st.tuples(st.just("replace"), st.integers(0, 10), starts, exercises),
            st.tuples(st.just("move"), st.integers(0, 10), starts),
            st.tuples(st.just("delete"), st.integers(0, 10)),
        ),
        min_size=1,
        max_size=6,
    ),
).map(lambda parts: parts[0] + parts[1])


@pytest.fixture
def settings(make_settings: Any, database_url: str) -> Any:
    # Each example makes dozens of requests: the per-minute limits are not under test.
    return make_settings(database_url, ratelimit_enabled=False)


def e1rm(weight: float, reps: int) -> float | None:
    if reps == 1:
        return weight
    return weight * (1 + reps / 30) if 2 <= reps <= 12 else None


def per_workout_values(sets: list[dict[str, Any]]) -> dict[str, float]:
    """The record kinds one workout reaches for one exercise."""
    values: dict[str, float] = {}

    def keep(kind: str, value: float | None) -> None:
        if value is not None and (kind not in values or value > values[kind]):
            values[kind] = value

    for x in sets:
        if not x["completed"] or x["type"] == "warmup" or not x["reps"]:
            continue
        keep("most_reps", x["reps"])
        weight = x["weight_kg"]
        if weight is None:
            continue
        keep("heaviest_weight", weight)
        keep("best_e1rm", e1rm(weight, x["reps"]))
        keep("best_set_volume", weight * x["reps"])
        for n in (1, 3, 5, 10):
            if x["reps"] >= n:
                keep(f"rep_max_{n}", weight)
    return values


def recompute(workouts: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(workouts, key=lambda w: (w["started_at"], w["id"]))
    best: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    shown: dict[int, list[tuple[int, str, float, float | None]]] = {}
    volume = 0.0
    working = 0
    for w in ordered:
        shown[w["id"]] = []
        by_template: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for exercise in w["exercises"]:
            by_template[exercise["template_id"]].extend(exercise["sets"])
            for x in exercise["sets"]:
                if x["completed"] and x["type"] != "warmup":
                    working += 1
                    volume += (x["weight_kg"] or 0) * x["reps"]
        for template, template_sets in by_template.items():
            for kind, value in per_workout_values(template_sets).items():
                previous = best[template].get(kind)
                if previous is None or value > previous[0]:
                    shown[w["id"]].append(
                        (template, kind, value, None if previous is None else previous[0])
                    )
                    best[template][kind] = (value, w["id"])
    return {"best": best, "shown": shown, "volume": volume, "working": working}


async def all_workouts(client: httpx.AsyncClient, headers: Headers) -> list[dict[str, Any]]:
    listed = await client.get("/workouts", params={"page_size": 100}, headers=headers)
    # The kept total follows every change as a recount would.
    assert listed.headers["X-Total-Count"] == str(len(listed.json()["items"]))
    bodies = []
    for item in listed.json()["items"]:
        body = (await client.get(f"/workouts/{item['id']}", headers=headers)).json()
        bodies.append({**body, "summary": item})
    return bodies


def body_of(start: datetime, chosen: list[dict[str, Any]], ids: list[int]) -> dict[str, Any]:
    return {
        "title": "Generated",
        "started_at": start.isoformat(),
        "exercises": [{"template_id": ids[e["exercise"]], "sets": e["sets"]} for e in chosen],
    }


async def check(client: httpx.AsyncClient, headers: Headers) -> None:
    workouts = await all_workouts(client, headers)
    expected = recompute(workouts)
    records = (await client.get("/records", headers=headers)).json()["items"]
    got = {}
    for item in records:
        kinds = {
            k: item[k] for k in ("heaviest_weight", "best_e1rm", "best_set_volume", "most_reps")
        }
        kinds.update({f"rep_max_{n}": item["rep_maxes"][n] for n in ("1", "3", "5", "10")})
        got[item["template_id"]] = {
            kind: (pytest.approx(r["value"]), r["workout_id"])
            for kind, r in kinds.items()
            if r is not None
        }
    assert {t: kinds for t, kinds in got.items() if kinds} == {
        t: kinds for t, kinds in expected["best"].items() if kinds
    }
    for w in workouts:
        shown = sorted(
            (r["template_id"], r["kind"], pytest.approx(r["value"]), r["previous_value"])
            for r in w["records"]
        )
        assert shown == sorted(expected["shown"][w["id"]])
        assert w["summary"]["record_count"] == len(expected["shown"][w["id"]])
    stats = (await client.get("/stats", headers=headers)).json()
    assert stats["workouts"] == len(workouts)
    assert stats["sets"] == expected["working"]
    assert stats["volume_kg"] == pytest.approx(expected["volume"])
    for template, kinds in expected["best"].items():
        progress = await client.get(f"/exercise-templates/{template}/progress", headers=headers)
        points = progress.json()["points"]
        assert max((p["value"] for p in points), default=None) == (
            pytest.approx(kinds["best_e1rm"][0]) if "best_e1rm" in kinds else None
        )


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(steps=operations)
async def test_records_and_statistics_equal_a_full_recomputation(
    client: httpx.AsyncClient, user_headers: Headers, steps: list[tuple[Any, ...]]
) -> None:
    for existing in await all_workouts(client, user_headers):  # a clean log per example
        await client.delete(f"/workouts/{existing['id']}", headers=user_headers)
    ids = []
    for name in EXERCISES:
        found = await client.get("/exercise-templates", params={"q": name}, headers=user_headers)
        ids.append(next(i["id"] for i in found.json()["items"] if i["name"] == name))
    created: list[int] = []
    for step in steps:
        kind = step[0]
        if kind == "create":
            response = await client.post(
                "/workouts", json=body_of(step[1], step[2], ids), headers=user_headers
            )
            assert response.status_code == 201, response.text
            created.append(response.json()["id"])
        elif created:
            target = created[step[1] % len(created)]
            if kind == "replace":
                response = await client.put(
                    f"/workouts/{target}", json=body_of(step[2], step[3], ids), headers=user_headers
                )
            elif kind == "move":
                response = await client.patch(
                    f"/workouts/{target}",
                    json={"started_at": step[2].isoformat()},
                    headers=user_headers,
                )
            else:
                response = await client.delete(f"/workouts/{target}", headers=user_headers)
                created.remove(target)
            assert response.status_code in (200, 204), response.text
        await check(client, user_headers)
