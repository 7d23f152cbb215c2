"""What a platform team sees on day 2, against an emulator that behaves like an API server.

The emulator bumps ``metadata.generation`` itself, removes fields a field manager stops
applying, counts no write for an apply that changes nothing, and garbage-collects owned
objects; the tests play the Deployment controller step by step and the kubelet's pod states.
The operator's resync is an hour away in these tests: every reaction seen here comes from
watching the owned objects (or from the quick retry of an unfinished reconcile).
"""

from __future__ import annotations

import asyncio
from typing import Any

import kmock

from tests.operator import kube_state as k
from tests.operator.conftest import FORBIDDEN, NAMESPACE, eventually
from tests.operator.test_operator_reconcile import PREFIX, bring_up, create

API = f"{PREFIX}-api"
WORKER = f"{PREFIX}-worker"
API_PODS = {
    "app.kubernetes.io/name": "workout-tracker",
    "app.kubernetes.io/instance": "gym",
    "app.kubernetes.io/component": "api",
}


def _deployment(cluster: kmock.KubernetesEmulator, name: str) -> dict[str, Any]:
    return k.of_kind(cluster, "Deployment")[name]


def _reconciled(cluster: kmock.KubernetesEmulator) -> bool:
    generation = k.tracker(cluster)["metadata"]["generation"]
    return bool(k.status(cluster).get("observedGeneration") == generation)


async def test_a_removed_map_entry_leaves_the_cluster(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await bring_up(
        cluster,
        {
            "version": "1.0.0",
            "ingress": {
                "enabled": True,
                "host": "gym.example.org",
                "annotations": {"example.org/keep": "yes", "example.org/drop": "yes"},
            },
        },
    )
    [ingress] = k.of_kind(cluster, "Ingress").values()
    assert ingress["metadata"]["annotations"]["example.org/drop"] == "yes"

    await k.patch_spec(cluster, {"ingress": {"annotations": {"example.org/drop": None}}})

    def dropped() -> bool:
        [current] = k.of_kind(cluster, "Ingress").values()
        return "example.org/drop" not in current["metadata"].get("annotations", {})

    await eventually(dropped, message="the removed annotation gone from the Ingress")
    [ingress] = k.of_kind(cluster, "Ingress").values()
    assert ingress["metadata"]["annotations"]["example.org/keep"] == "yes"


async def test_ready_only_once_the_rollout_is_complete(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await bring_up(cluster, {"version": "1.0.0"})
    await k.patch_spec(cluster, {"components": {"api": {"replicas": 2}}})
    await eventually(lambda: _deployment(cluster, API)["spec"]["replicas"] == 2)

    def waiting_for(text: str) -> bool:
        ready = k.condition(cluster, "Ready")
        return ready.get("status") == "False" and text in ready.get("message", "")

    # The controller has not seen the new spec: the old status says nothing about it.
    await eventually(lambda: waiting_for("new spec not yet seen"), message="generation")
    steps: list[tuple[dict[str, Any], str]] = [
        ({"updated": 1, "available": 1, "total": 2}, "api 1/2 (updated 1, available 1, pods 2)"),
        # A surge: both new pods exist and are ready, one not yet available, the old one left.
        ({"updated": 2, "available": 1, "total": 3}, "api 1/2 (updated 2, available 1, pods 3)"),
        # Every new pod ready and available, the old one still terminating.
        ({"updated": 2, "available": 2, "total": 3}, "api 2/2 (updated 2, available 2, pods 3)"),
    ]
    for step, message in steps:
        await k.roll_out(cluster, API, [step])
        await eventually(lambda m=message: waiting_for(m), message=message)  # type: ignore[misc]
        assert k.status(cluster)["phase"] == "Progressing", step
    await k.roll_out(cluster, API, [{"updated": 2, "available": 2, "total": 2}])
    await eventually(lambda: k.status(cluster).get("phase") == "Ready", message="phase Ready")
    api = k.status(cluster)["components"]["api"]
    assert (api["updatedReplicas"], api["availableReplicas"], api["replicas"]) == (2, 2, 2)


async def test_a_forbidden_api_call_ends_in_the_status(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    FORBIDDEN.add(("secrets", "gym-credentials"))
    await create(cluster, {"version": "1.0.0"})

    await eventually(lambda: k.status(cluster).get("phase") == "Failed", message="phase Failed")
    error = k.condition(cluster, "ReconcileError")
    assert error["status"] == "True"
    assert error["reason"] == "Forbidden"
    assert "403" in error["message"]
    assert "gym-credentials" in error["message"]
    assert k.condition(cluster, "Ready")["status"] == "False"
    await eventually(lambda: ("Warning", "Forbidden") in k.event_reasons(cluster))

    # Granted again (RBAC fixed): the operator carries on by itself.
    FORBIDDEN.clear()
    await eventually(lambda: k.status(cluster).get("phase") == "Migrating", message="recovered")
    assert k.condition(cluster, "ReconcileError")["status"] == "False"


async def test_status_and_drift_follow_within_seconds(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    from workout_operator.settings import OperatorSettings

    assert OperatorSettings.from_env().resync_seconds >= 3600, "no resync helps here"
    await bring_up(cluster, {"version": "1.0.0"})

    # A pod of the worker goes away: the Deployment's status changes, so does the resource's.
    worker = _deployment(cluster, WORKER)
    await k.patch_status(
        cluster,
        k.path_of("Deployment", WORKER),
        k.rollout_step(worker, updated=1, available=0, total=1),
    )
    await eventually(lambda: k.status(cluster).get("phase") == "Progressing", message="noticed")
    await k.make_ready(cluster)
    await eventually(lambda: k.status(cluster).get("phase") == "Ready", message="back to Ready")

    # Someone edits an owned ConfigMap by hand: the operator puts it back.
    [name] = [n for n in k.of_kind(cluster, "ConfigMap") if n.endswith("-api")]
    original = k.of_kind(cluster, "ConfigMap")[name]["data"]
    key = sorted(original)[0]
    response = await cluster.request(
        "PATCH",
        f"/api/v1/namespaces/{NAMESPACE}/configmaps/{name}",
        json={"data": {key: "tampered"}},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status == 200
    await eventually(
        lambda: k.of_kind(cluster, "ConfigMap")[name]["data"] == original, message="repaired"
    )


async def test_a_migration_pod_that_cannot_start_is_reported(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await create(cluster, {"version": "1.0.0"})
    [job] = await eventually(lambda: list(k.of_kind(cluster, "Job")), message="migration Job")
    await k.add_pod(
        cluster,
        f"{job}-x7k2p",
        {"job-name": job},
        waiting="ImagePullBackOff",
        message='Back-off pulling image "ghcr.io/workout-tracker/workout-tracker-api:1.0.0"',
    )

    await eventually(lambda: k.status(cluster).get("phase") == "Degraded", message="Degraded")
    degraded = k.condition(cluster, "Degraded")
    assert degraded["reason"] == "MigrationPodsFailing"
    assert "ImagePullBackOff" in degraded["message"]
    assert "Back-off pulling image" in degraded["message"]
    await eventually(lambda: ("Warning", "MigrationPodsFailing") in k.event_reasons(cluster))


async def test_a_deployment_pod_that_cannot_start_is_reported(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await create(cluster, {"version": "1.0.0"})
    await eventually(lambda: k.of_kind(cluster, "Job"), message="the migration Job")
    await k.complete_jobs(cluster)
    await eventually(lambda: API in k.of_kind(cluster, "Deployment"), message="the Deployments")
    await k.add_pod(
        cluster,
        f"{API}-5d8f7-abcde",
        API_PODS,
        waiting="CreateContainerConfigError",
        message='secret "gym-ai-key" not found',
    )

    await eventually(lambda: k.status(cluster).get("phase") == "Degraded", message="Degraded")
    degraded = k.condition(cluster, "Degraded")
    assert degraded["reason"] == "PodsFailing"
    assert 'secret "gym-ai-key" not found' in degraded["message"]
    assert "CreateContainerConfigError" in k.status(cluster)["components"]["api"]["problem"]
    await eventually(lambda: ("Warning", "Degraded") in k.event_reasons(cluster))


async def test_scaling_by_others_is_left_alone(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await bring_up(cluster, {"version": "1.0.0", "components": {"api": {"replicas": 2}}})

    async def scale(name: str, replicas: int) -> None:
        """``kubectl scale``: an update by another field manager."""
        response = await cluster.request(
            "PATCH",
            k.path_of("Deployment", name),
            json={"spec": {"replicas": replicas}},
            headers={"Content-Type": "application/merge-patch+json"},
        )
        assert response.status == 200

    await scale(WORKER, 3)  # the resource does not pin the worker's count
    await scale(API, 5)  # it pins the api's
    await k.patch_spec(cluster, {"schedules": {"cleanup": {"suspend": True}}})
    await eventually(
        lambda: k.of_kind(cluster, "CronJob")[f"{PREFIX}-cleanup"]["spec"]["suspend"] is True
    )
    await eventually(lambda: _deployment(cluster, API)["spec"]["replicas"] == 2, message="pinned")
    await asyncio.sleep(1)
    assert _deployment(cluster, WORKER)["spec"]["replicas"] == 3


async def test_autoscaling_renders_an_hpa_and_leaves_it_the_count(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await bring_up(cluster, {"version": "1.0.0"})
    await k.patch_spec(
        cluster,
        {"components": {"api": {"autoscaling": {"minReplicas": 2, "maxReplicas": 5}}}},
    )
    hpas = await eventually(lambda: k.of_kind(cluster, "HorizontalPodAutoscaler"), message="HPA")
    [hpa] = hpas.values()
    assert hpa["spec"]["scaleTargetRef"]["name"] == API
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 5)
    # The autoscaler scales through the scale subresource, as another field manager.
    response = await cluster.request(
        "PATCH",
        k.path_of("Deployment", API),
        json={"spec": {"replicas": 4}},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status == 200
    await k.patch_spec(cluster, {"schedules": {"cleanup": {"suspend": True}}})
    await eventually(lambda: _reconciled(cluster), message="the next edit reconciled")
    await asyncio.sleep(1)
    assert _deployment(cluster, API)["spec"]["replicas"] == 4


async def test_paused_changes_nothing_and_says_so(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    await bring_up(cluster, {"version": "1.0.0"})
    await k.patch_spec(cluster, {"paused": True, "components": {"api": {"replicas": 3}}})
    await eventually(lambda: k.status(cluster).get("phase") == "Paused", message="Paused")
    assert "spec.paused" in k.condition(cluster, "Progressing")["message"]
    await asyncio.sleep(1)
    assert _deployment(cluster, API)["spec"]["replicas"] == 1

    await k.patch_spec(cluster, {"paused": False})
    await eventually(lambda: _deployment(cluster, API)["spec"]["replicas"] == 3, message="resumed")


async def test_the_resource_carries_no_finalizer(
    cluster: kmock.KubernetesEmulator, operator: None
) -> None:
    """Uninstalling the operator must not leave resources whose deletion waits for it."""
    await create(cluster, {"version": "1.0.0"})
    await eventually(lambda: k.of_kind(cluster, "Job"), message="reconciled")
    await eventually(lambda: k.status(cluster).get("phase") == "Migrating", message="status")
    assert not k.tracker(cluster)["metadata"].get("finalizers")
