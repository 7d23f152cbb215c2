"""``GET /analyze`` for a signed-in lifter: figures of their own log, over real API data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from workout_coach.training_analysis import TARGET_SETS_PER_WEEK
from workout_coach.workout_context import balance_score
from workout_common.exercise_library import coach_groups
from workout_testkit.training_logs import NOW, TwoLifters

LOG_PATHS = ("/stats", "/records", "/workouts")


def groups_of(by_muscle: list[dict[str, Any]]) -> dict[str, int]:
    sets: dict[str, int] = {}
    for item in by_muscle:
        group = coach_groups()[item["muscle"]]
        sets[group] = sets.get(group, 0) + item["sets"]
    return sets


async def test_the_analysis_quotes_the_lifters_own_stats_and_records(
    make_coach: Any, two_lifters: TwoLifters, workout_api: Any
) -> None:
    squatter = two_lifters.squatter
    workout_api.recorder.seen.clear()
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.get("/analyze", params={"weeks": 4}, headers=squatter.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    log = body["training_log"]
    assert log["weeks"] == 4
    assert log["target_sets_per_week"] == list(TARGET_SETS_PER_WEEK)
    mondays = log["week_starts"]
    assert mondays == ["2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02"]

    # Hard sets per group per week are the API's own /stats of each week.
    weekly = []
    for monday in mondays:
        end = (NOW.fromisoformat(monday) + timedelta(weeks=1)).date().isoformat()
        weekly.append(await squatter.get("/stats", **{"from": monday, "to": end}))
    for group in log["groups"]:
        expected = [groups_of(stats["by_muscle"]).get(group["group"], 0) for stats in weekly]
        assert group["sets_per_week"] == expected, group["group"]
        assert group["average"] == round(sum(expected) / 4, 1)
    legs = next(g for g in log["groups"] if g["group"] == "legs")
    assert legs["sets_per_week"] == [0, 8, 8, 8]  # squat 5 + RDL 3, warm-ups left out
    assert legs["status"] == "below"
    assert "add about 4 sets" in legs["suggestion"]
    assert log["workouts"] == sum(stats["workouts"] for stats in weekly) == 6
    assert log["workouts_per_week"] == 1.5
    assert log["hard_sets"] == sum(stats["sets"] for stats in weekly)

    # The balance score is the one formula, over the period's sets.
    whole = await squatter.get("/stats", **{"from": mondays[0]})
    assert body["muscle_balance_score"] == balance_score(groups_of(whole["by_muscle"]))

    # Records are /records achieved in the period.
    records = await squatter.get("/records")
    squat = next(r for r in records["items"] if r["name"] == "Barbell Back Squat")
    assert {"exercise": "Barbell Back Squat", "kind": "heaviest_weight", "value": 102.5} in [
        {k: r[k] for k in ("exercise", "kind", "value")} for r in log["records"]
    ]
    assert squat["heaviest_weight"]["value"] == 102.5

    # Bench: three sessions in three weeks at an e1RM of 93.3 kg; squat climbs.
    stalled = {lift["exercise"]: lift for lift in log["stalled_lifts"]}
    assert set(stalled) == {"Barbell Bench Press"}
    assert stalled["Barbell Bench Press"]["first_e1rm"] == 93.3
    assert "90%" in stalled["Barbell Bench Press"]["suggestion"]
    assert any("Barbell Bench Press" in line for line in body["recommendations"])

    # Everything was read with the lifter's own token, none with the service identity's.
    reads = [r for r in workout_api.recorder.seen if r.path.startswith(LOG_PATHS)]
    reads += [r for r in workout_api.recorder.seen if r.path.endswith("/progress")]
    assert reads
    assert {r.headers["authorization"] for r in reads} == {f"Bearer {squatter.token}"}


async def test_a_record_set_this_week_is_reported_and_only_then(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.get(
            "/analyze", params={"weeks": 1}, headers=two_lifters.squatter.headers
        )
    log = answer.json()["training_log"]
    kinds = {(r["exercise"], r["kind"]) for r in log["records"]}
    assert ("Barbell Back Squat", "heaviest_weight") in kinds
    # The bench press was no heavier this week than before: no bench record this week.
    assert not any(name == "Barbell Bench Press" for name, _ in kinds)
    # A one-week period still judges stalls over the last three weeks.
    assert [lift["exercise"] for lift in log["stalled_lifts"]] == ["Barbell Bench Press"]
    assert log["workouts"] == 2


async def test_two_lifters_each_get_their_own_log(make_coach: Any, two_lifters: TwoLifters) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        mine = await coach.get("/analyze", headers=two_lifters.squatter.headers)
        theirs = await coach.get("/analyze", headers=two_lifters.deadlifter.headers)
    assert mine.status_code == theirs.status_code == 200
    assert mine.json()["training_log"]["workouts"] == 6
    assert theirs.json()["training_log"]["workouts"] == 3
    their_log = theirs.json()["training_log"]
    assert {r["exercise"] for r in their_log["records"]} == {
        "Conventional Deadlift",
        "Overhead Press",
    }
    assert their_log["stalled_lifts"] == []
    their_text = str(theirs.json())
    assert "102.5" not in their_text  # the squatter's squat


async def test_weeks_out_of_range_are_refused(make_coach: Any, two_lifters: TwoLifters) -> None:
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        statuses = [
            (
                await coach.get(
                    "/analyze", params={"weeks": weeks}, headers=two_lifters.squatter.headers
                )
            ).status_code
            for weeks in (0, 53, "two")
        ]
    assert statuses == [422, 422, 422]


async def test_a_bad_token_is_401_on_every_coaching_endpoint(
    make_coach: Any, two_lifters: TwoLifters
) -> None:
    bad = {"Authorization": "Bearer expired-or-forged"}
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answers = [
            await coach.get("/analyze", headers=bad),
            await coach.post("/recommend", json={}, headers=bad),
            await coach.post("/chat", json={"message": "how is my squat going"}, headers=bad),
        ]
    assert [a.status_code for a in answers] == [401, 401, 401]


async def test_without_a_token_the_analysis_keeps_the_contract_shape(
    make_coach: Any, two_lifters: TwoLifters, workout_api: Any
) -> None:
    await workout_api.seed([{"name": "Bench Press", "sets": 3, "reps": 8, "weight": 60.0}])
    async with make_coach(workout_api_url=two_lifters.api_url, clock=lambda: NOW) as coach:
        answer = await coach.get("/analyze")
    assert answer.status_code == 200
    assert "training_log" not in answer.json()
    assert "102.5" not in str(answer.json())
