"""Reading and nudging the objects held by kmock, as a cluster's controllers would."""

from __future__ import annotations

import json
from typing import Any

import kmock

from tests.operator.conftest import NAME, NAMESPACE, WT

OWNER_LABEL = "workout-tracker.dev/owner"
VOLATILE_METADATA = (
    "resourceVersion",
    "managedFields",
    "generation",
    "creationTimestamp",
    "uid",
)


def plain(obj: Any) -> Any:
    return json.loads(json.dumps(obj, default=dict))


def live(cluster: kmock.KubernetesEmulator) -> dict[tuple[str, str], dict[str, Any]]:
    """Every existing object except the WorkoutTracker and Events, by (kind, name)."""
    found = {}
    for key in list(cluster.objects):
        obj = cluster.objects[key]
        if obj.deleted:
            continue
        raw = plain(obj.raw)
        if raw.get("kind") in {"WorkoutTracker", "Event"} or key[0].plural == "events":
            continue
        found[(raw.get("kind", key[0].plural), raw["metadata"]["name"])] = raw
    return found


def of_kind(cluster: kmock.KubernetesEmulator, kind: str) -> dict[str, dict[str, Any]]:
    return {name: obj for (k, name), obj in live(cluster).items() if k == kind}


def tracker(cluster: kmock.KubernetesEmulator) -> Any:
    return plain(cluster.objects[WT, NAMESPACE, NAME].raw)


def status(cluster: kmock.KubernetesEmulator) -> dict[str, Any]:
    return tracker(cluster).get("status") or {}


def condition(cluster: kmock.KubernetesEmulator, kind: str) -> dict[str, Any]:
    for entry in status(cluster).get("conditions") or []:
        if entry["type"] == kind:
            return dict(entry)
    return {}


def events(cluster: kmock.KubernetesEmulator) -> list[dict[str, Any]]:
    found = []
    for key in list(cluster.objects):
        if key[0].plural == "events" and not cluster.objects[key].deleted:
            found.append(plain(cluster.objects[key].raw))
    return found


def event_reasons(cluster: kmock.KubernetesEmulator) -> set[tuple[str, str]]:
    return {(e.get("type", ""), e.get("reason", "")) for e in events(cluster)}


def comparable(obj: dict[str, Any]) -> dict[str, Any]:
    """The object without what the API server itself changes on each write."""
    copy = plain(obj)
    for key in VOLATILE_METADATA:
        copy.get("metadata", {}).pop(key, None)
    copy.pop("status", None)
    return dict(copy)


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """Dotted paths whose values differ between two JSON documents."""
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[str] = []
        for key in sorted(set(before) | set(after)):
            found += differences(before.get(key), after.get(key), f"{path}.{key}" if path else key)
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        found = []
        for index, (a, b) in enumerate(zip(before, after, strict=True)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    return [] if before == after else [path]


async def patch_status(
    cluster: kmock.KubernetesEmulator, path: str, status: dict[str, Any]
) -> None:
    response = await cluster.request(
        "PATCH",
        f"{path}/status",
        json={"status": status},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status == 200, await response.text()


def path_of(kind: str, name: str) -> str:
    group = {
        "HorizontalPodAutoscaler": "/apis/autoscaling/v2",
        "Ingress": "/apis/networking.k8s.io/v1",
        "Deployment": "/apis/apps/v1",
        "StatefulSet": "/apis/apps/v1",
        "Job": "/apis/batch/v1",
        "CronJob": "/apis/batch/v1",
    }.get(kind, "/api/v1")
    plural = kind.lower() + ("es" if kind.endswith("s") else "s")
    return f"{group}/namespaces/{NAMESPACE}/{plural}/{name}"


async def complete_jobs(cluster: kmock.KubernetesEmulator, *, failed: bool = False) -> list[str]:
    """Finish every migration Job (as the Job controller would), successfully or not."""
    names = []
    for name, job in of_kind(cluster, "Job").items():
        if (job.get("status") or {}).get("conditions"):
            continue
        condition_type = "Failed" if failed else "Complete"
        status: dict[str, Any] = {
            "conditions": [
                {
                    "type": condition_type,
                    "status": "True",
                    "reason": "BackoffLimitExceeded" if failed else "Completed",
                    "message": "alembic upgrade head exited with 1" if failed else "",
                }
            ]
        }
        status["failed" if failed else "succeeded"] = 1
        await patch_status(cluster, path_of("Job", name), status)
        names.append(name)
    return names


async def make_ready(cluster: kmock.KubernetesEmulator) -> None:
    """Report every Deployment and StatefulSet as fully rolled out and ready."""
    for kind in ("Deployment", "StatefulSet"):
        for name, obj in of_kind(cluster, kind).items():
            replicas = int((obj.get("spec") or {}).get("replicas", 1))
            await patch_status(
                cluster,
                path_of(kind, name),
                rollout_step(obj, updated=replicas, available=replicas, total=replicas),
            )


def rollout_step(
    obj: dict[str, Any], *, updated: int, available: int, total: int, observed: bool = True
) -> dict[str, Any]:
    """The status a Deployment controller reports at one step of a rolling update.

    ``total`` counts old and new pods (a surge makes it exceed the desired count), ``updated``
    the new ones, ``available`` those ready for long enough; ``observed`` whether the
    controller has seen the latest spec yet.
    """
    generation = int(obj["metadata"].get("generation") or 1)
    return {
        "observedGeneration": generation if observed else generation - 1,
        "replicas": total,
        "updatedReplicas": updated,
        "readyReplicas": available,
        "availableReplicas": available,
    }


async def roll_out(
    cluster: kmock.KubernetesEmulator, name: str, steps: list[dict[str, Any]]
) -> None:
    """Move a Deployment through ``steps`` (keyword sets of :func:`rollout_step`) in order."""
    for step in steps:
        obj = of_kind(cluster, "Deployment")[name]
        await patch_status(cluster, path_of("Deployment", name), rollout_step(obj, **step))


async def add_pod(
    cluster: kmock.KubernetesEmulator,
    name: str,
    labels: dict[str, str],
    *,
    waiting: str | None = None,
    message: str = "",
    restarts: int = 0,
) -> None:
    """A pod as the kubelet reports it, its container waiting for ``waiting`` when given."""
    state: dict[str, Any] = (
        {"waiting": {"reason": waiting, "message": message}}
        if waiting
        else {"running": {"startedAt": "2020-01-01T00:00:00Z"}}
    )
    body = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": labels},
        "spec": {"containers": [{"name": "main", "image": "example"}]},
        "status": {
            "phase": "Pending" if waiting else "Running",
            "containerStatuses": [
                {"name": "main", "ready": not waiting, "restartCount": restarts, "state": state}
            ],
        },
    }
    response = await cluster.post(f"/api/v1/namespaces/{NAMESPACE}/pods", json=body)
    assert response.status == 200, await response.text()


async def patch_spec(cluster: kmock.KubernetesEmulator, spec: dict[str, Any]) -> None:
    """Change the resource's spec as ``kubectl patch --type merge`` would (the emulator bumps
    ``metadata.generation``)."""
    response = await cluster.request(
        "PATCH",
        f"/apis/workout-tracker.dev/v1alpha1/namespaces/{NAMESPACE}/workouttrackers/{NAME}",
        json={"spec": spec},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert response.status == 200, await response.text()
