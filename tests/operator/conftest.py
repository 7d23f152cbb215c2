"""A kopf operator running against kmock, the in-memory Kubernetes API, with a real helm."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import jsonpointer
import kmock
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "workout-tracker"
NAMESPACE = "fitness"
NAME = "gym"
WT = "workout-tracker.dev/v1alpha1/workouttrackers"

# Read when the handlers module is imported: a quick resync so that drift repair shows in tests.
os.environ.setdefault("WORKOUT_OPERATOR_RESYNC_SECONDS", "1")
os.environ.setdefault("WORKOUT_OPERATOR_IDLE_SECONDS", "0.5")

# Kinds the platform chart renders, declared so that kmock's discovery knows them.
CHILD_RESOURCES = {
    "v1/secrets": "Secret",
    "v1/configmaps": "ConfigMap",
    "v1/services": "Service",
    "v1/serviceaccounts": "ServiceAccount",
    "v1/persistentvolumeclaims": "PersistentVolumeClaim",
    "v1/events": "Event",
    "v1/namespaces": "Namespace",
    "apps/v1/deployments": "Deployment",
    "apps/v1/statefulsets": "StatefulSet",
    "batch/v1/jobs": "Job",
    "batch/v1/cronjobs": "CronJob",
    "networking.k8s.io/v1/ingresses": "Ingress",
    "networking.k8s.io/v1/networkpolicies": "NetworkPolicy",
    "policy/v1/poddisruptionbudgets": "PodDisruptionBudget",
    "autoscaling/v2/horizontalpodautoscalers": "HorizontalPodAutoscaler",
    "monitoring.coreos.com/v1/servicemonitors": "ServiceMonitor",
    "monitoring.coreos.com/v1/prometheusrules": "PrometheusRule",
    "rbac.authorization.k8s.io/v1/roles": "Role",
    "rbac.authorization.k8s.io/v1/rolebindings": "RoleBinding",
}


class ApplyingEmulator(kmock.KubernetesEmulator):
    """kmock plus the one server-side-apply behaviour the operator relies on: apply creates."""

    async def _handle(self, request: kmock.Request) -> Any:
        content_type = request.headers.get("Content-Type", "")
        # Every write gets a new resourceVersion, as kopf expects to see its patches arrive.
        self._versions = getattr(self, "_versions", 1) + 1
        version = str(self._versions)
        if request.action == kmock.action.CREATE and isinstance(request.data, dict):
            metadata = request.data.setdefault("metadata", {})
            metadata["resourceVersion"] = version
            if not metadata.get("name") and metadata.get("generateName"):
                metadata["name"] = f"{metadata['generateName']}{uuid.uuid4().hex[:8]}"
        elif request.action == kmock.action.UPDATE and isinstance(request.data, dict):
            request.data.setdefault("metadata", {})["resourceVersion"] = version
        elif request.action == kmock.action.UPDATE and isinstance(request.data, list):
            self._check_json_patch_tests(request)
            request.data.append(
                {"op": "add", "path": "/metadata/resourceVersion", "value": version}
            )
        if (
            request.resource is not None
            and request.action == kmock.action.UPDATE
            and request.name
            and "apply-patch" in content_type
        ):
            key = (request.resource, request.namespace, request.name)
            async with self._lock:
                if key not in self._objects:
                    self._objects[key] = request.data
                    created = True
                elif self._objects[key].deleted:
                    self._objects[key].create(request.data)
                    created = True
                else:
                    created = False
                if created:
                    raw = self._objects[key].raw
                    await self._buses[request.resource].put({"type": "ADDED", "object": raw})
        return await super()._handle(request)

    def _check_json_patch_tests(self, request: kmock.Request) -> None:
        """A failed ``test`` operation is a conflict (422), which kopf then resolves."""
        key: Any = (request.resource, request.namespace, request.name)
        if key not in self._objects or self._objects[key].deleted:
            return
        current = json.loads(json.dumps(self._objects[key].raw, default=dict))
        for operation in request.data:
            if operation.get("op") != "test":
                continue
            found = jsonpointer.resolve_pointer(current, operation["path"], None)
            if found != operation.get("value"):
                raise kmock.KubernetesError(
                    status=422, reason="Invalid", message=f"test of {operation['path']} failed"
                )


@pytest.fixture
def kmock_options(kmock_options: dict[str, Any]) -> dict[str, Any]:
    return {**kmock_options, "cls": ApplyingEmulator}


def helm_binary() -> str:
    candidate = os.environ.get("HELM_BINARY") or str(REPO / ".tools" / "bin" / "helm")
    found = shutil.which(candidate)
    assert found, f"helm not found at {candidate}: run `make helm` (or set HELM_BINARY)"
    return found


@pytest.fixture
def cluster(
    kmock: kmock.KubernetesEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> kmock.KubernetesEmulator:
    kmock.resources[WT] = kmock.ResourceInfo(
        kind="WorkoutTracker",
        singular="workouttracker",
        namespaced=True,
        shortnames={"wt"},
        verbs={"get", "list", "watch", "patch", "update", "create", "delete"},
        subresources={"status"},
    )
    for resource, kind in CHILD_RESOURCES.items():
        kmock.resources[resource] = kmock.ResourceInfo(
            kind=kind,
            namespaced=kind != "Namespace",
            verbs={"get", "list", "watch", "patch", "create", "delete"},
            subresources={"status"} if kind in {"Deployment", "StatefulSet", "Job"} else set(),
        )
    # The services' /health answers, as the operator will ask for them.
    kmock["get", re.compile(r"/probe/.*")] << {"status": "healthy"}
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "kmock", "cluster": {"server": str(kmock.url).rstrip("/")}}],
                "users": [{"name": "tester", "user": {"token": "kmock-token"}}],
                "contexts": [{"name": "kmock", "context": {"cluster": "kmock", "user": "tester"}}],
                "current-context": "kmock",
            }
        )
    )
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    # The kubernetes client reads $KUBECONFIG once, at import: point it at this test's file.
    from kubernetes.config import kube_config

    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(kubeconfig))
    monkeypatch.setenv("HELM_BINARY", helm_binary())
    monkeypatch.setenv("WORKOUT_CHART_PATH", str(CHART))
    monkeypatch.setenv("WORKOUT_OPERATOR_PORT", "0")
    monkeypatch.setenv("WORKOUT_OPERATOR_RETRY_SECONDS", "0.5")
    monkeypatch.setenv(
        "WORKOUT_OPERATOR_HEALTH_URL", f"{str(kmock.url).rstrip('/')}/probe/{{service}}{{path}}"
    )
    monkeypatch.setenv("HELM_CACHE_HOME", str(tmp_path / "helm"))
    monkeypatch.setenv("HELM_CONFIG_HOME", str(tmp_path / "helm"))
    monkeypatch.setenv("HELM_DATA_HOME", str(tmp_path / "helm"))
    return kmock


@pytest.fixture
async def operator(cluster: kmock.KubernetesEmulator) -> AsyncIterator[None]:
    import kopf

    from workout_operator import handlers  # noqa: F401  registers the handlers

    stop = asyncio.Event()
    ready = asyncio.Event()
    task = asyncio.create_task(
        kopf.operator(clusterwide=True, standalone=True, stop_flag=stop, ready_flag=ready)
    )
    await asyncio.wait_for(ready.wait(), timeout=10)
    try:
        yield
    finally:
        stop.set()
        done, _ = await asyncio.wait({task}, timeout=5)
        if not done:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
            await asyncio.wait_for(task, timeout=5)


def resource(spec: dict[str, Any] | None = None, *, generation: int = 1) -> dict[str, Any]:
    return {
        "apiVersion": "workout-tracker.dev/v1alpha1",
        "kind": "WorkoutTracker",
        "metadata": {
            "name": NAME,
            "namespace": NAMESPACE,
            "uid": str(uuid.uuid4()),
            "generation": generation,
            "resourceVersion": "1",
        },
        "spec": spec if spec is not None else {"version": "1.0.0"},
    }


async def eventually(check: Callable[[], Any], *, within: float = 30.0, message: str = "") -> Any:
    """Poll ``check`` until it returns something truthy (and return it)."""
    deadline = asyncio.get_running_loop().time() + within
    last_error: Exception | None = None
    while asyncio.get_running_loop().time() < deadline:
        try:
            value = check()
            if value:
                return value
        except (KeyError, AssertionError, TypeError) as exc:
            last_error = exc
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out: {message or check}; last error: {last_error!r}")


Waiter = Callable[[Callable[[], Any]], Awaitable[Any]]
