"""A kopf operator running against kmock, the in-memory Kubernetes API, with a real helm."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import jsonpointer
import kmock
import pytest
import yaml
from aiohttp import web

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "workout-tracker"
NAMESPACE = "fitness"
NAME = "gym"
WT = "workout-tracker.dev/v1alpha1/workouttrackers"

# Read when the handlers module is imported. The resync is an hour away: whatever a test sees
# follow a change within its timeout comes from watching the owned objects.
os.environ.setdefault("WORKOUT_OPERATOR_RESYNC_SECONDS", "3600")
os.environ.setdefault("WORKOUT_OPERATOR_IDLE_SECONDS", "0.5")

# Kinds the platform chart renders, declared so that kmock's discovery knows them.
CHILD_RESOURCES = {
    "v1/secrets": "Secret",
    "v1/configmaps": "ConfigMap",
    "v1/services": "Service",
    "v1/serviceaccounts": "ServiceAccount",
    "v1/persistentvolumeclaims": "PersistentVolumeClaim",
    "v1/pods": "Pod",
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


# Objects whose every call answers 403, by (plural, name); emptied for each test.
FORBIDDEN: set[tuple[str, str | None]] = set()


class ApplyingEmulator(kmock.KubernetesEmulator):
    """kmock plus what a real API server does and the operator relies on.

    - server-side apply creates, and a field its manager applied before and no longer sends
      is removed (unless someone else has changed it since: then it is theirs);
    - an apply or patch that changes nothing is not a write: no new resourceVersion, no event;
    - ``metadata.generation`` starts at 1 and grows with every change of ``spec``;
    - deleting an object deletes its dependants (owner references), as the garbage collector;
    - calls on the objects in ``FORBIDDEN``, ``(plural, name)``, answer 403, as RBAC would.
    """

    applied: dict[tuple[Any, ...], dict[str, Any]]

    async def _handle(self, request: kmock.Request) -> Any:
        if not hasattr(self, "applied"):
            self.applied = {}
        plural = request.resource.plural if request.resource is not None else ""
        if (plural, request.name) in FORBIDDEN:
            status = {"kind": "Status", "status": "Failure", "reason": "Forbidden", "code": 403}
            return web.json_response({**status, "message": "forbidden by RBAC"}, status=403)
        content_type = request.headers.get("Content-Type", "")
        key: Any = (request.resource, request.namespace, request.name)
        current = None
        known = request.resource is not None and request.name and key in self._objects
        if known and not self._objects[key].deleted:
            current = plain(self._objects[key].raw)
        if (
            request.action == kmock.action.UPDATE
            and isinstance(request.data, dict)
            and request.resource is not None
            and request.name
        ):
            if "apply-patch" in content_type and current is not None:
                manager = request.params.get("fieldManager", "")
                previous = self.applied.get((*key, manager), {})
                body = plain(request.data)
                removed = removals(previous, body, current)
                for (*other_key, other), config in self.applied.items():
                    if tuple(other_key) == key and other != manager:
                        removed = unclaimed(removed, config)
                scaled = request.resource.plural in {"deployments", "statefulsets"}
                if scaled and (removed.get("spec") or {}).get("replicas", 0) is None:
                    removed["spec"]["replicas"] = 1  # the API server's default
                request.data.clear()
                request.data.update(merged_patch(removed, body))
            if current is not None:
                after = patched(current, plain(request.data))
                if comparable_state(after) == comparable_state(current):
                    if "apply-patch" in content_type:
                        self.applied[(*key, request.params.get("fieldManager", ""))] = plain(
                            request.data
                        )
                    return web.json_response(current)  # a no-op write changes nothing
                if after.get("spec") != current.get("spec") and not request.subresource:
                    generation = int(current.get("metadata", {}).get("generation") or 1) + 1
                    request.data.setdefault("metadata", {})["generation"] = generation
            if "apply-patch" in content_type:
                self.applied[(*key, request.params.get("fieldManager", ""))] = strip_nulls(
                    plain(request.data)
                )
        # Every write gets a new resourceVersion, as kopf expects to see its patches arrive.
        self._versions = getattr(self, "_versions", 1) + 1
        version = str(self._versions)
        if request.action == kmock.action.CREATE and isinstance(request.data, dict):
            metadata = request.data.setdefault("metadata", {})
            metadata["resourceVersion"] = version
            metadata.setdefault("generation", 1)
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
            async with self._lock:
                if key not in self._objects:
                    request.data.setdefault("metadata", {}).setdefault("generation", 1)
                    request.data["metadata"].setdefault("uid", str(uuid.uuid4()))
                    self._objects[key] = request.data
                    created = True
                elif self._objects[key].deleted:
                    request.data.setdefault("metadata", {}).setdefault("generation", 1)
                    request.data["metadata"].setdefault("uid", str(uuid.uuid4()))
                    self._objects[key].create(request.data)
                    created = True
                else:
                    created = False
                if created:
                    raw = self._objects[key].raw
                    await self._buses[request.resource].put({"type": "ADDED", "object": raw})
        response = await super()._handle(request)
        if current is not None and self._objects[key].deleted:
            await self._collect_garbage(current["metadata"].get("uid"))
        return response

    async def _collect_garbage(self, uid: str | None) -> None:
        """Delete the dependants of an object that is gone (not merely marked for deletion)."""
        for key in list(self._objects):
            obj = self._objects[key]
            if obj.deleted:
                continue
            references = plain(obj.raw).get("metadata", {}).get("ownerReferences") or []
            if any(ref.get("uid") == uid for ref in references):
                async with self._lock:
                    raw = obj.raw
                    obj.delete()
                    await self._buses[key[0]].put({"type": "DELETED", "object": raw})

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


def plain(obj: Any) -> Any:
    return json.loads(json.dumps(obj, default=dict))


def removals(previous: Any, applied: Any, live: Any) -> dict[str, Any]:
    """A merge patch removing what a manager applied before, sends no more, and still owns."""
    patch: dict[str, Any] = {}
    if not isinstance(previous, dict) or not isinstance(live, dict):
        return patch
    for field_name, before in previous.items():
        if field_name not in live:
            continue
        if not isinstance(applied, dict) or field_name not in applied:
            if live[field_name] == before:  # changed by someone else since: theirs now
                patch[field_name] = None
        elif isinstance(before, dict):
            nested = removals(before, applied[field_name], live[field_name])
            if nested:
                patch[field_name] = nested
    return patch


def unclaimed(removed: dict[str, Any], claimed: dict[str, Any]) -> dict[str, Any]:
    """``removed`` without the fields another manager has applied: it co-owns them."""
    result: dict[str, Any] = {}
    for field_name, value in removed.items():
        if field_name not in claimed:
            result[field_name] = value
        elif isinstance(value, dict) and isinstance(claimed[field_name], dict):
            nested = unclaimed(value, claimed[field_name])
            if nested:
                result[field_name] = nested
    return result


def merged_patch(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for field_name, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(field_name), dict):
            result[field_name] = merged_patch(result[field_name], value)
        else:
            result[field_name] = value
    return result


def patched(obj: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """JSON merge patch: ``None`` removes, dicts merge, everything else replaces."""
    result = dict(obj)
    for field_name, value in patch.items():
        if value is None:
            result.pop(field_name, None)
        elif isinstance(value, dict) and isinstance(result.get(field_name), dict):
            result[field_name] = patched(result[field_name], value)
        else:
            result[field_name] = value
    return result


def strip_nulls(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {key: strip_nulls(value) for key, value in obj.items() if value is not None}
    return obj


def comparable_state(obj: dict[str, Any]) -> dict[str, Any]:
    copy = plain(obj)
    for volatile in ("resourceVersion", "managedFields"):
        copy.get("metadata", {}).pop(volatile, None)
    return dict(copy)


@pytest.fixture(autouse=True)
def _nothing_forbidden() -> Iterator[None]:
    FORBIDDEN.clear()
    yield
    FORBIDDEN.clear()


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
    monkeypatch.setenv("WORKOUT_OPERATOR_RETRY_SECONDS", "2")
    monkeypatch.setenv("WORKOUT_OPERATOR_DEBOUNCE_SECONDS", "0.5")
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

    from workout_operator import handlers  # registers the handlers

    stop = asyncio.Event()
    ready = asyncio.Event()
    task = asyncio.create_task(
        kopf.operator(clusterwide=True, standalone=True, stop_flag=stop, ready_flag=ready)
    )
    await asyncio.wait_for(ready.wait(), timeout=10)
    try:
        yield
    finally:
        # What kopf's clean-up activity does, done first: a cancelled operator skips it.
        handlers.RUNTIME.stopping = True
        if handlers.RUNTIME.resync_task is not None:
            handlers.RUNTIME.resync_task.cancel()
        for _due, followup in list(handlers.RUNTIME.followups.values()):
            followup.cancel()
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
