"""Rendering the platform chart with the real helm binary (installed by `make`, see mk/charts.mk)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "charts" / "workout-tracker"
RELEASE = "wt"
NAMESPACE = "workouts"

Manifest = dict[str, Any]
Render = Callable[..., list[Manifest]]

# Realistic value sets, each rendered, linted and validated like the defaults.
VALUE_SETS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "production": {
        "image": {"registry": "registry.example.com/workout", "tag": "1.4.0"},
        "api": {
            "replicaCount": 3,
            "autoscaling": {"enabled": True, "minReplicas": 3, "maxReplicas": 10, "targetCPU": 70},
            "corsOrigins": "https://workout.example.com",
        },
        "aiCoach": {
            "apiKey": {"existingSecret": "anthropic", "key": "api-key"},
            "autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": 4, "targetCPU": 80},
        },
        "frontend": {"replicaCount": 2},
        "mcp": {"enabled": True, "ingressPath": "/mcp"},
        "postgresql": {"enabled": False},
        "externalDatabase": {"existingSecret": "workout-db", "existingSecretKey": "url"},
        "redis": {"enabled": False},
        "externalRedis": {"existingSecret": "workout-redis"},
        "auth": {
            "existingSecret": "workout-auth",
            "initialAdmin": {
                "username": "coach",
                "email": "coach@example.com",
                "existingSecret": "workout-admin",
                "passwordKey": "password",
            },
        },
        "rateLimits": {"readUser": "240/minute", "RATELIMIT_WRITE_ADMIN": "300/minute"},
        "ingress": {
            "enabled": True,
            "className": "nginx",
            "host": "workout.example.com",
            "apiHost": "api.workout.example.com",
            "aiCoachHost": "coach.workout.example.com",
            "tls": {"enabled": True, "secretName": "workout-tls"},
            "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
        },
        "tracing": {
            "otlpEndpoint": "http://otel-collector.observability:4318",
            "samplingRatio": 0.2,
        },
        "networkPolicy": {"enabled": True},
        "monitoring": {
            "serviceMonitor": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
            "dashboards": {"enabled": True, "folder": "Workout Tracker"},
            "prometheusRule": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
        },
        "cronJobs": {"warmup": {"schedule": "30 5 * * *", "suspend": False}},
        "backup": {"enabled": True, "retention": 14, "persistence": {"storageClass": "fast"}},
    },
    "operator": {
        "image": {
            "registry": "ghcr.io/workout-tracker",
            "pullPolicy": "IfNotPresent",
            "tag": "0.2.0-rc.1",
        },
        "migrations": {"runAsHook": False},
        "postgresql": {"enabled": True, "existingSecret": "demo-credentials"},
        "redis": {"enabled": True, "existingSecret": "demo-credentials"},
        "auth": {
            "existingSecret": "demo-credentials",
            "initialAdmin": {"existingSecret": "demo-credentials"},
        },
        "ingress": {"enabled": True, "host": "demo.example.com", "className": "nginx"},
        "cronJobs": {"cleanup": {"suspend": True}},
        "backup": {"enabled": True},
    },
    "plain-external-urls": {
        "postgresql": {"enabled": False},
        "externalDatabase": {"url": "postgresql://workout:s3cret@db.internal:5432/workout"},
        "redis": {"enabled": False},
        "externalRedis": {"url": "redis://:s3cret@redis.internal:6379"},
        "ingress": {"enabled": False},
        "serviceAccount": {"create": False},
    },
    "kind": yaml.safe_load((ROOT / "k8s" / "kind" / "values.yaml").read_text())
    | {
        "image": {"registry": "workout-tracker.local", "pullPolicy": "IfNotPresent", "tag": "dev-1"}
    },
}


@pytest.fixture(scope="session")
def helm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The helm binary, with its cache/config/data kept out of the user's home."""
    binary = os.environ.get("HELM") or str(ROOT / ".tools" / "bin" / "helm")
    assert Path(binary).exists(), f"helm not found at {binary}: run `make helm`"
    home = tmp_path_factory.mktemp("helm-home")
    saved = {
        name: os.environ.get(name)
        for name in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")
    }
    for name in saved:
        os.environ[name] = str(home / name.lower())
    yield binary
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def run_helm(helm: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([helm, *args], capture_output=True, text=True, timeout=120, check=False)


def helm_template(helm: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``helm template`` of the platform chart as release ``RELEASE`` in ``NAMESPACE``."""
    return run_helm(helm, "template", RELEASE, str(CHART), "--namespace", NAMESPACE, *args)


def upgrade_against(kube_api: KubeApiStub, tmp_path: Path) -> tuple[str, ...]:
    """``helm template`` options that render as a server-side dry run against ``kube_api``,
    so the chart's ``lookup`` calls see what the stub holds."""
    kubeconfig = kube_api.kubeconfig(tmp_path / "kubeconfig", NAMESPACE)
    return ("--dry-run=server", "--disable-openapi-validation", "--kubeconfig", str(kubeconfig))


def write_values(tmp_path: Path, values: dict[str, Any], name: str = "values.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(values))
    return path


@pytest.fixture
def render_text(helm: str, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def _render(
        values: dict[str, Any] | None = None, *extra: str
    ) -> subprocess.CompletedProcess[str]:
        values_file = write_values(tmp_path, values or {})
        return helm_template(helm, "-f", str(values_file), *extra)

    return _render


@pytest.fixture
def render(render_text: Callable[..., subprocess.CompletedProcess[str]]) -> Render:
    """Render the chart with ``values`` and return its manifests (hooks and tests included)."""

    def _render(values: dict[str, Any] | None = None, *extra: str) -> list[Manifest]:
        result = render_text(values, *extra)
        assert result.returncode == 0, result.stderr
        return [doc for doc in yaml.safe_load_all(result.stdout) if doc]

    return _render


def find(manifests: list[Manifest], kind: str, component: str | None = None) -> list[Manifest]:
    return [
        m
        for m in manifests
        if m["kind"] == kind
        and (
            component is None
            or m["metadata"]["labels"].get("app.kubernetes.io/component") == component
        )
    ]


def one(manifests: list[Manifest], kind: str, component: str) -> Manifest:
    found = find(manifests, kind, component)
    assert len(found) == 1, f"expected one {kind} of component {component}, found {len(found)}"
    return found[0]


def pod_spec(manifest: Manifest) -> dict[str, Any]:
    """The pod spec inside any workload kind."""
    kind = manifest["kind"]
    if kind == "Pod":
        return manifest["spec"]  # type: ignore[no-any-return]
    if kind == "CronJob":
        return manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"]  # type: ignore[no-any-return]
    return manifest["spec"]["template"]["spec"]  # type: ignore[no-any-return]


WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Job", "CronJob", "Pod")


def workloads(manifests: list[Manifest]) -> list[Manifest]:
    return [m for m in manifests if m["kind"] in WORKLOAD_KINDS]


def container_env(manifests: list[Manifest], container: dict[str, Any]) -> dict[str, str]:
    """The environment a container would see, with Secret values replaced by stand-ins.

    ConfigMaps come from the rendered manifests; each Secret value is a strong stand-in named
    after its key; ``$(VAR)`` references are expanded the way the kubelet does.
    """
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        name = source["configMapRef"]["name"]
        config_map = next(
            m for m in manifests if m["kind"] == "ConfigMap" and m["metadata"]["name"] == name
        )
        env.update({k: str(v) for k, v in config_map["data"].items()})
    for entry in container.get("env", []):
        if "value" in entry:
            value = entry["value"]
            for known, known_value in env.items():
                value = value.replace(f"$({known})", known_value)
            env[entry["name"]] = value
        else:
            env[entry["name"]] = _secret_stand_in(
                entry["name"], entry["valueFrom"]["secretKeyRef"]["key"]
            )
    return env


def _secret_stand_in(variable: str, key: str) -> str:
    if variable == "DATABASE_URL":
        return "postgresql://workout:stand-in@db.example:5432/workout"
    if variable.endswith("REDIS_URL") or variable == "WORKER_REDIS__URL":
        return "redis://:stand-in@redis.example:6379"
    return f"stand-in-{key}-0123456789abcdefghijklmnopqrstuvwxyz"


T = TypeVar("T")


def with_environment(env: dict[str, str], load: Callable[[], T]) -> T:
    """``load()`` run with exactly ``env`` as the process environment (a pod's view)."""
    with mock.patch.dict(os.environ, env, clear=True):
        return load()


# The chart's kinds, for the discovery documents of the API server stand-in below.
_CHART_KINDS = {
    "v1": ["Secret", "Service", "ConfigMap", "ServiceAccount", "Pod", "PersistentVolumeClaim"],
    "apps/v1": ["Deployment", "StatefulSet"],
    "batch/v1": ["Job", "CronJob"],
    "networking.k8s.io/v1": ["Ingress", "NetworkPolicy"],
    "policy/v1": ["PodDisruptionBudget"],
    "autoscaling/v2": ["HorizontalPodAutoscaler"],
}


def _plural(kind: str) -> str:
    lower = kind.lower()
    if lower.endswith("y"):
        return lower[:-1] + "ies"
    return lower + ("es" if lower.endswith("s") else "s")


class KubeApiStub:
    """Just enough of a Kubernetes API server for ``helm template --dry-run=server``.

    No cluster can run here, so this answers discovery for the chart's kinds and serves the
    Secrets and volume claims a test stores; every other object is absent. That is what helm needs to evaluate
    the chart's ``lookup`` calls the way it does against a real cluster on upgrade.
    """

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], Manifest] = {}
        self.claims: dict[tuple[str, str], Manifest] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                status, body = stub.answer(self.path.split("?", 1)[0])
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[int, Any]:
        if path == "/version":
            return 200, {
                "major": "1",
                "minor": "35",
                "gitVersion": "v1.35.0",
                "platform": "linux/amd64",
            }
        if path == "/api":
            return 200, {
                "kind": "APIVersions",
                "versions": ["v1"],
                "serverAddressByClientCIDRs": [],
            }
        if path == "/apis":
            groups = []
            for group_version in _CHART_KINDS:
                if "/" in group_version:
                    group, version = group_version.split("/")
                    entry = {"groupVersion": group_version, "version": version}
                    groups.append({"name": group, "versions": [entry], "preferredVersion": entry})
            return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
        group_version = path.removeprefix("/api/").removeprefix("/apis/")
        if group_version in _CHART_KINDS:
            resources = [
                {
                    "name": _plural(kind),
                    "singularName": kind.lower(),
                    "namespaced": True,
                    "kind": kind,
                    "verbs": ["get", "list"],
                }
                for kind in _CHART_KINDS[group_version]
            ]
            return 200, {
                "kind": "APIResourceList",
                "groupVersion": group_version,
                "resources": resources,
            }
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "v1"] and len(parts) == 6 and parts[4] == "secrets":
            secret = self.secrets.get((parts[3], parts[5]))
            if secret is not None:
                return 200, secret
        if parts[:2] == ["api", "v1"] and len(parts) == 6 and parts[4] == "persistentvolumeclaims":
            claim = self.claims.get((parts[3], parts[5]))
            if claim is not None:
                return 200, claim
        return 404, {
            "kind": "Status",
            "apiVersion": "v1",
            "status": "Failure",
            "reason": "NotFound",
            "code": 404,
        }

    def store_release_secret(self, secret: Manifest, release: str, namespace: str) -> None:
        """Keep ``secret`` as helm would have left it in the cluster for ``release``."""
        stored = json.loads(json.dumps(secret))
        metadata = stored["metadata"]
        metadata["namespace"] = namespace
        metadata.setdefault("annotations", {}).update(
            {"meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": namespace}
        )
        self.secrets[(namespace, metadata["name"])] = stored

    def kubeconfig(self, path: Path, namespace: str) -> Path:
        path.write_text(
            yaml.safe_dump(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [{"name": "stub", "cluster": {"server": self.url}}],
                    "users": [{"name": "stub", "user": {"token": "stub"}}],
                    "contexts": [
                        {
                            "name": "stub",
                            "context": {"cluster": "stub", "user": "stub", "namespace": namespace},
                        }
                    ],
                    "current-context": "stub",
                }
            )
        )
        return path


@pytest.fixture
def kube_api() -> Iterator[KubeApiStub]:
    stub = KubeApiStub()
    stub.thread.start()
    yield stub
    stub.server.shutdown()
    stub.server.server_close()
