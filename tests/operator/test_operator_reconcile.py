"""The operator end to end against kmock: what a platform engineer sees in the cluster."""

from __future__ import annotations

import asyncio
from typing import Any

import kmock
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

from tests.operator import kube_state as k
from tests.operator.conftest import NAME, NAMESPACE, eventually, resource
from workout_operator.telemetry_setup import tracer

APP_DEPLOYMENTS = {"api", "ai-coach", "worker", "frontend"}
PREFIX = f"{NAME}-workout-tracker"


async def create(
    cluster: kmock.KubernetesEmulator, spec: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = resource(spec)
    response = await cluster.post(
        f"/apis/workout-tracker.dev/v1alpha1/namespaces/{NAMESPACE}/workouttrackers", json=body
    )
    assert response.status == 200, await response.text()
    return body


async def bring_up(
    cluster: kmock.KubernetesEmulator, spec: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await create(cluster, spec)
    await eventually(lambda: k.of_kind(cluster, "Job"), message="the migration Job")
    await k.complete_jobs(cluster)
    await eventually(lambda: len(k.of_kind(cluster, "Deployment")) >= 4, message="the Deployments")
    await k.make_ready(cluster)
    await eventually(lambda: k.status(cluster).get("phase") == "Ready", message="phase Ready")
    return body


@pytest.fixture
async def platform(cluster: kmock.KubernetesEmulator, operator: None) -> dict[str, Any]:
    return await bring_up(cluster, {"version": "1.0.0"})


async def test_create_builds_every_child_owned_and_probed(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    tracer()  # the operator's tracer provider, to which the test adds a recording exporter
    spans = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    provider.add_span_processor(SimpleSpanProcessor(spans))
    reconciles_before = (
        REGISTRY.get_sample_value("workout_operator_reconciles_total", {"outcome": "success"})
        or 0.0
    )

    body = await create(cluster, {"version": "1.0.0"})

    # The schema comes first: the Job runs while the application's Deployments wait.
    jobs = await eventually(lambda: k.of_kind(cluster, "Job"), message="the migration Job")
    assert list(jobs) == [f"{PREFIX}-migrate-1-0-0"]
    await eventually(lambda: k.status(cluster).get("phase") == "Migrating")
    assert not k.of_kind(cluster, "Deployment")
    assert k.of_kind(cluster, "StatefulSet"), "the database is there for the migration to use"

    await k.complete_jobs(cluster)
    deployments = await eventually(
        lambda: (d := k.of_kind(cluster, "Deployment")) and len(d) >= 4 and d, message="Deployments"
    )
    components = {
        d["metadata"]["labels"]["app.kubernetes.io/component"] for d in deployments.values()
    }
    assert components >= APP_DEPLOYMENTS
    cronjobs = await eventually(lambda: len(c := k.of_kind(cluster, "CronJob")) == 3 and c)
    assert {c.rsplit("-", 1)[-1] for c in cronjobs} == {"refresh", "warmup", "cleanup"}

    credentials = k.of_kind(cluster, "Secret")[f"{NAME}-credentials"]
    assert set(credentials["data"]) >= {
        "secret-key",
        "service-account-password",
        "postgres-password",
    }
    assert "ownerReferences" not in credentials["metadata"], "kept, like the data volumes"
    for (kind, name), obj in k.live(cluster).items():
        if (kind, name) == ("Secret", f"{NAME}-credentials"):
            continue
        metadata = obj["metadata"]
        assert metadata["namespace"] == NAMESPACE, (kind, name)
        assert metadata["labels"][k.OWNER_LABEL] == f"{NAMESPACE}.{NAME}", (kind, name)
        [owner] = metadata["ownerReferences"]
        assert owner["uid"] == body["metadata"]["uid"], (kind, name)
        assert owner["kind"] == "WorkoutTracker"
        assert owner["controller"] is True

    api = deployments[f"{PREFIX}-api"]
    [container] = api["spec"]["template"]["spec"]["containers"]
    assert container["image"].endswith("workout-tracker-api:1.0.0")
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"

    await eventually(lambda: k.status(cluster).get("phase") == "Progressing")
    assert k.condition(cluster, "Ready")["status"] == "False"
    await k.make_ready(cluster)
    await eventually(lambda: k.status(cluster).get("phase") == "Ready")
    status = k.status(cluster)
    assert k.condition(cluster, "Ready")["status"] == "True"
    assert k.condition(cluster, "Degraded")["status"] == "False"
    assert status["version"] == "1.0.0"
    assert status["components"]["api"]["readyReplicas"] == 1
    assert status["components"]["api"]["health"] == "healthy"
    assert status["readyComponents"].split("/")[0] == status["readyComponents"].split("/")[1]
    expected = {
        ("Normal", "MigrationStarted"),
        ("Normal", "MigrationSucceeded"),
        ("Normal", "Ready"),
    }
    await eventually(lambda: expected <= k.event_reasons(cluster), message=f"events {expected}")

    def reconciles() -> list[Any]:
        finished = spans.get_finished_spans()
        return [s for s in finished if s.name == "workout-operator.reconcile" and s.attributes]

    # The span of the reconcile that made it Ready ends after its status patch and event.
    await eventually(
        lambda: "Ready" in {s.attributes["workout_tracker.phase"] for s in reconciles()},
        message="a reconcile span with phase Ready",
    )
    assert {s.attributes["workout_tracker.name"] for s in reconciles()} == {NAME}
    await eventually(
        lambda: (
            (
                REGISTRY.get_sample_value(
                    "workout_operator_reconciles_total", {"outcome": "success"}
                )
                or 0.0
            )
            > reconciles_before
        ),
        message="a successful reconcile counted",
    )


async def test_spec_edits_change_exactly_those_fields(
    cluster: kmock.KubernetesEmulator, platform: dict[str, Any]
) -> None:
    before = {key: k.comparable(obj) for key, obj in k.live(cluster).items()}
    await k.patch_spec(
        cluster,
        {
            "components": {"api": {"replicas": 3}},
            "schedules": {"refresh": {"schedule": "*/15 * * * *"}, "cleanup": {"suspend": True}},
            "ingress": {"enabled": True, "host": "gym.example.org"},
        },
    )
    await eventually(
        lambda: k.of_kind(cluster, "Deployment")[f"{PREFIX}-api"]["spec"]["replicas"] == 3,
        message="api scaled to 3",
    )
    ingresses = await eventually(lambda: k.of_kind(cluster, "Ingress"), message="the Ingress")
    await asyncio.sleep(1.5)  # a resync more, in case anything else were to move

    after = {key: k.comparable(obj) for key, obj in k.live(cluster).items()}
    assert set(after) - set(before) == {("Ingress", name) for name in ingresses}
    assert set(before) - set(after) == set()
    [ingress] = ingresses.values()
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == ["gym.example.org"]
    changed = {
        key: k.differences(before[key], after[key])
        for key in before
        if k.differences(before[key], after[key])
    }
    # The api's PodDisruptionBudget may follow the replica count; nothing else may move.
    changed.pop(("PodDisruptionBudget", f"{PREFIX}-api"), None)
    assert changed == {
        ("Deployment", f"{PREFIX}-api"): ["spec.replicas"],
        ("CronJob", f"{PREFIX}-refresh"): ["spec.schedule"],
        ("CronJob", f"{PREFIX}-cleanup"): ["spec.suspend"],
    }
    cronjobs = k.of_kind(cluster, "CronJob")
    assert cronjobs[f"{PREFIX}-refresh"]["spec"]["schedule"] == "*/15 * * * *"
    assert cronjobs[f"{PREFIX}-cleanup"]["spec"]["suspend"] is True


def _images(cluster: kmock.KubernetesEmulator) -> dict[str, str]:
    return {
        name: d["spec"]["template"]["spec"]["containers"][0]["image"]
        for name, d in k.of_kind(cluster, "Deployment").items()
        if d["metadata"]["labels"]["app.kubernetes.io/component"] in APP_DEPLOYMENTS
    }


async def test_version_bump_migrates_before_the_deployments_roll(
    cluster: kmock.KubernetesEmulator, platform: dict[str, Any]
) -> None:
    await k.patch_spec(cluster, {"version": "1.1.0"})
    new_job = f"{PREFIX}-migrate-1-1-0"
    await eventually(
        lambda: new_job in k.of_kind(cluster, "Job"), message="the 1.1.0 migration Job"
    )
    await eventually(lambda: k.status(cluster).get("phase") == "Migrating")
    await asyncio.sleep(1.5)
    assert all(image.endswith(":1.0.0") for image in _images(cluster).values()), _images(cluster)

    await k.complete_jobs(cluster)
    await eventually(
        lambda: all(image.endswith(":1.1.0") for image in _images(cluster).values()),
        message="Deployments on 1.1.0",
    )
    await eventually(lambda: list(k.of_kind(cluster, "Job")) == [new_job], message="old Job pruned")
    await k.make_ready(cluster)
    await eventually(lambda: k.status(cluster).get("phase") == "Ready")
    assert k.status(cluster)["version"] == "1.1.0"
    assert k.status(cluster)["migratedVersion"] == "1.1.0"


async def test_failed_migration_stops_the_rollout_and_says_so(
    cluster: kmock.KubernetesEmulator, platform: dict[str, Any]
) -> None:
    await k.patch_spec(cluster, {"version": "2.0.0"})
    await eventually(lambda: f"{PREFIX}-migrate-2-0-0" in k.of_kind(cluster, "Job"))
    await k.complete_jobs(cluster, failed=True)

    await eventually(lambda: k.status(cluster).get("phase") == "Failed", message="phase Failed")
    degraded = k.condition(cluster, "Degraded")
    assert degraded["status"] == "True"
    assert degraded["reason"] == "MigrationFailed"
    assert "alembic upgrade head exited with 1" in degraded["message"]
    assert k.condition(cluster, "Ready")["status"] == "False"
    await eventually(lambda: ("Warning", "MigrationFailed") in k.event_reasons(cluster))
    await asyncio.sleep(1.5)
    assert all(image.endswith(":1.0.0") for image in _images(cluster).values())


async def test_an_object_deleted_behind_the_operators_back_is_restored(
    cluster: kmock.KubernetesEmulator, platform: dict[str, Any]
) -> None:
    name = f"{PREFIX}-worker"
    original = k.comparable(k.of_kind(cluster, "Deployment")[name])
    response = await cluster.request("DELETE", k.path_of("Deployment", name))
    assert response.status == 200
    assert name not in k.of_kind(cluster, "Deployment")

    restored = await eventually(
        lambda: k.of_kind(cluster, "Deployment").get(name), message="restored"
    )
    assert k.comparable(restored) == original


async def test_an_invalid_spec_gives_a_condition_and_an_event(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await create(
        cluster, {"version": "1.0.0", "schedules": {"refresh": {"schedule": "every hour"}}}
    )

    await eventually(lambda: k.status(cluster).get("phase") == "Invalid", message="phase Invalid")
    degraded = k.condition(cluster, "Degraded")
    assert degraded["status"] == "True"
    assert degraded["reason"] == "InvalidSpec"
    assert "schedules.refresh.schedule" in degraded["message"]
    await eventually(lambda: ("Warning", "InvalidSpec") in k.event_reasons(cluster))
    assert not k.live(cluster)

    # The operator is still there and carries out the corrected spec.
    await k.patch_spec(cluster, {"schedules": {"refresh": {"schedule": "0 * * * *"}}})
    await eventually(lambda: k.of_kind(cluster, "Job"), message="reconciled after the fix")
    await eventually(
        lambda: k.status(cluster).get("phase") == "Migrating", message="phase Migrating"
    )
    assert k.condition(cluster, "Degraded")["status"] == "False"


async def test_reconciling_again_changes_nothing(
    cluster: kmock.KubernetesEmulator, platform: dict[str, Any]
) -> None:
    # Events are posted asynchronously: let those of the bring-up arrive first.
    await eventually(lambda: ("Normal", "Ready") in k.event_reasons(cluster))
    await asyncio.sleep(0.5)
    before = {key: k.comparable(obj) for key, obj in k.live(cluster).items()}
    versions = {key: obj["metadata"]["resourceVersion"] for key, obj in k.live(cluster).items()}
    events_before = len(k.events(cluster))
    applies_before = sum(
        1 for r in list(cluster) if r.method == "PATCH" and "fieldManager" in r.params
    )
    # Any spec edit makes the operator apply everything again; this one changes no object.
    await k.patch_spec(cluster, {"image": {"pullPolicy": "IfNotPresent"}})
    await eventually(
        lambda: (
            k.status(cluster).get("observedGeneration")
            == k.tracker(cluster)["metadata"]["generation"]
        ),
        message="the edit reconciled",
    )
    await eventually(
        lambda: (
            sum(1 for r in list(cluster) if r.method == "PATCH" and "fieldManager" in r.params)
            > applies_before
        ),
        message="the platform applied again",
    )
    await asyncio.sleep(1.2)
    after = {key: k.comparable(obj) for key, obj in k.live(cluster).items()}
    assert after == before
    # Every object was applied, none changed: the API server counted no write.
    assert {
        key: obj["metadata"]["resourceVersion"] for key, obj in k.live(cluster).items()
    } == versions
    assert k.status(cluster)["phase"] == "Ready"
    assert len(k.events(cluster)) == events_before, "a quiet reconcile posts no events"


async def test_deleting_the_resource_removes_the_platform(
    cluster: kmock.KubernetesEmulator, platform: dict[str, Any]
) -> None:
    assert k.live(cluster)
    response = await cluster.request(
        "DELETE",
        f"/apis/workout-tracker.dev/v1alpha1/namespaces/{NAMESPACE}/workouttrackers/{NAME}",
    )
    assert response.status == 200
    credentials = k.of_kind(cluster, "Secret")[f"{NAME}-credentials"]
    await eventually(
        lambda: list(k.live(cluster)) == [("Secret", f"{NAME}-credentials")],
        message="children removed, the credentials kept",
    )
    assert k.of_kind(cluster, "Secret")[f"{NAME}-credentials"]["data"] == credentials["data"]
    assert cluster.objects[
        ("workout-tracker.dev/v1alpha1/workouttrackers", NAMESPACE, NAME)
    ].deleted, "no finalizer holds the resource: deleting it never waits for the operator"


async def test_what_is_no_longer_rendered_is_pruned(
    cluster: kmock.KubernetesEmulator, platform: dict[str, Any]
) -> None:
    await k.patch_spec(cluster, {"ingress": {"enabled": True, "host": "gym.example.org"}})
    await eventually(lambda: k.of_kind(cluster, "Ingress"), message="the Ingress")
    await eventually(lambda: "networking.k8s.io/v1/Ingress" in k.status(cluster)["inventory"])

    await k.patch_spec(cluster, {"ingress": {"enabled": False}})
    await eventually(lambda: not k.of_kind(cluster, "Ingress"), message="the Ingress pruned")
    assert k.of_kind(cluster, "Deployment"), "only what left the render goes"

    def pruning_announced() -> bool:
        applied = [e.get("message", "") for e in k.events(cluster) if e.get("reason") == "Applied"]
        return any("pruned Ingress/" in message for message in applied)

    await eventually(pruning_announced, message="an event saying what was pruned")
