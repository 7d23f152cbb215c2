from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from workout_operator.migration import JobState, job_state, versioned_job, waits_for_migration
from workout_operator.status import ComponentStatus, assess, render_conditions, workload_status


def _job(**status: Any) -> dict[str, Any]:
    return {"kind": "Job", "spec": {"backoffLimit": 2}, "status": status}


def test_job_states() -> None:
    assert job_state(None) is JobState.MISSING
    assert job_state(_job()) is JobState.RUNNING
    assert job_state(_job(active=1)) is JobState.RUNNING
    assert job_state(_job(succeeded=1)) is JobState.SUCCEEDED
    assert (
        job_state(_job(conditions=[{"type": "Complete", "status": "True"}])) is JobState.SUCCEEDED
    )
    assert job_state(_job(conditions=[{"type": "Failed", "status": "True"}])) is JobState.FAILED
    assert job_state(_job(failed=3)) is JobState.FAILED
    assert job_state(_job(failed=2)) is JobState.RUNNING


def test_the_migration_job_gets_a_name_per_version() -> None:
    job = {"kind": "Job", "metadata": {"name": "gym-workout-tracker-migrate"}}
    assert versioned_job(job, "1.2.0")["metadata"]["name"] == "gym-workout-tracker-migrate-1-2-0"
    assert job["metadata"]["name"] == "gym-workout-tracker-migrate", "the original is left alone"
    named = {"kind": "Job", "metadata": {"name": "gym-migrate-1-2-0"}}
    assert versioned_job(named, "1.2.0")["metadata"]["name"] == "gym-migrate-1-2-0"
    long = {"kind": "Job", "metadata": {"name": "x" * 60}}
    assert len(versioned_job(long, "1.2.0")["metadata"]["name"]) <= 63


def test_application_workloads_wait_for_the_migration_but_stores_do_not() -> None:
    def labelled(kind: str, component: str) -> dict[str, Any]:
        return {"kind": kind, "metadata": {"labels": {"app.kubernetes.io/component": component}}}

    assert waits_for_migration(labelled("Deployment", "api"))
    assert waits_for_migration(labelled("CronJob", "refresh"))
    assert not waits_for_migration(labelled("StatefulSet", "postgresql"))
    assert not waits_for_migration(labelled("Service", "api"))


def _deployment(
    ready: int,
    replicas: int = 2,
    generation: int = 1,
    observed: int = 1,
    *,
    updated: int | None = None,
    available: int | None = None,
    total: int | None = None,
) -> dict[str, Any]:
    return {
        "kind": "Deployment",
        "metadata": {"generation": generation, "labels": {"app.kubernetes.io/component": "api"}},
        "spec": {"replicas": replicas},
        "status": {
            "readyReplicas": ready,
            "updatedReplicas": ready if updated is None else updated,
            "availableReplicas": ready if available is None else available,
            "replicas": replicas if total is None else total,
            "observedGeneration": observed,
        },
    }


def test_workload_readiness() -> None:
    assert workload_status(_deployment(2)).is_ready
    assert not workload_status(_deployment(1)).is_ready
    assert not workload_status(_deployment(2, generation=2, observed=1)).is_ready


def test_readiness_follows_the_rollout_rules() -> None:
    """As ``kubectl rollout status``: every pod updated and available, no old pod left."""
    # New pods ready, an old one still terminating (a surge).
    assert not workload_status(_deployment(2, total=3)).is_ready
    # Ready but not yet available for minReadySeconds.
    assert not workload_status(_deployment(2, available=1)).is_ready
    # Ready pods of the old template only.
    assert not workload_status(_deployment(2, updated=1)).is_ready
    # Scaled to zero and done.
    assert workload_status(_deployment(0, replicas=0)).is_ready


def _component(name: str, desired: int, ready: int, *, health: str = "unknown") -> ComponentStatus:
    """A workload whose ``ready`` pods are all updated and available, and the only ones."""
    return ComponentStatus(
        name=name,
        kind="Deployment",
        desired=desired,
        ready=ready,
        updated=ready,
        available=ready,
        total=ready,
        health=health,
    )


def test_assessment_of_ready_rolling_and_sick_platforms() -> None:
    ready = _component("api", 2, 2, health="healthy")
    rolling = _component("worker", 1, 0)
    sick = _component("ai-coach", 1, 1, health="unhealthy")

    assessment = assess([ready])
    assert assessment.phase == "Ready"
    assert {(c.type, c.status) for c in assessment.conditions} == {
        ("Ready", True),
        ("Progressing", False),
        ("Degraded", False),
    }
    failing = replace(rolling, problem="pod w container worker: ImagePullBackOff")
    assessment = assess([ready, failing])
    assert assessment.phase == "Degraded"
    degraded = next(c for c in assessment.conditions if c.type == "Degraded")
    assert degraded.reason == "PodsFailing"
    assert "ImagePullBackOff" in degraded.message
    assessment = assess([ready, rolling])
    assert assessment.phase == "Progressing"
    assert {(c.type, c.status, c.reason) for c in assessment.conditions} >= {
        ("Ready", False, "ComponentsNotReady"),
        ("Progressing", True, "RollingOut"),
    }
    assessment = assess([ready, sick])
    assert assessment.phase == "Degraded"
    degraded = next(c for c in assessment.conditions if c.type == "Degraded")
    assert degraded.status
    assert degraded.message == "ai-coach is unhealthy"


def test_transition_time_moves_only_when_the_status_flips() -> None:
    earlier = datetime(2026, 1, 1, tzinfo=UTC)
    later = datetime(2026, 1, 2, tzinfo=UTC)
    first = render_conditions(assess([_component("api", 1, 0)]).conditions, None, 1, earlier)
    second = render_conditions(assess([_component("api", 1, 0)]).conditions, first, 2, later)
    third = render_conditions(assess([_component("api", 1, 1)]).conditions, second, 2, later)
    ready = {c["type"]: c for c in second}["Ready"]
    assert ready["lastTransitionTime"] == "2026-01-01T00:00:00Z"
    assert ready["observedGeneration"] == 2
    assert {c["type"]: c for c in third}["Ready"]["lastTransitionTime"] == "2026-01-02T00:00:00Z"
