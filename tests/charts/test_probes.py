"""Every probe targets a path and port the service's application really serves."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Match

from tests.charts.conftest import ROOT, Render, one, pod_spec

# component → (factory of the ASGI app, the contract port)
APPS = {
    "api": ("workout_api.main:create_app", 8000),
    "ai-coach": ("workout_coach.main:create_app", 8001),
    "worker": ("workout_worker.health:create_app", 8002),
}
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")
ALL_ON = {"mcp": {"enabled": True}, "ingress": {"enabled": True}}


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _serves_get(app: Any, path: str) -> bool:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "root_path": "",
        "headers": [],
        "query_string": b"",
    }
    return any(route.matches(scope)[0] is Match.FULL for route in app.routes)


def _probed_port(container: dict[str, Any], probe: dict[str, Any]) -> int:
    handler = probe.get("httpGet") or probe["tcpSocket"]
    port = handler["port"]
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert port in named, f"probe names port {port!r}, which the container does not declare"
    return int(named[port])


@pytest.mark.parametrize("component", sorted(APPS))
def test_probes_hit_a_real_route_on_the_contract_port(render: Render, component: str) -> None:
    factory, contract_port = APPS[component]
    app = _load(factory)()
    container = pod_spec(one(render(ALL_ON), "Deployment", component))["containers"][0]
    for name in PROBES:
        probe = container[name]
        if component == "api" and name != "livenessProbe" and "tcpSocket" in probe:
            # With the in-chart database the schema arrives after `helm install --wait`.
            assert _probed_port(container, probe) == contract_port
            continue
        assert probe["httpGet"]["path"] == "/health", f"{component} {name}"
        assert _serves_get(app, probe["httpGet"]["path"]), (
            f"{component} serves no GET {probe['httpGet']['path']}"
        )
        assert _probed_port(container, probe) == contract_port


def test_services_listen_where_the_chart_probes(render: Render) -> None:
    """The processes' own default ports are the ones the chart probes and exposes."""
    from workout_api.cli import DEFAULT_PORT as API_PORT
    from workout_coach.cli import DEFAULT_PORT as COACH_PORT
    from workout_worker.settings import load_settings

    manifests = render(ALL_ON)
    worker = pod_spec(one(manifests, "Deployment", "worker"))["containers"][0]
    worker_config = one(manifests, "ConfigMap", "worker")["data"]
    assert (
        int(worker_config["WORKER_WORKER__HEALTH_PORT"])
        == worker["ports"][0]["containerPort"]
        == 8002
    )
    assert load_settings().worker.health_port == 8002
    assert (
        pod_spec(one(manifests, "Deployment", "api"))["containers"][0]["ports"][0]["containerPort"]
        == API_PORT
    )
    coach_port = pod_spec(one(manifests, "Deployment", "ai-coach"))["containers"][0]["ports"][0][
        "containerPort"
    ]
    assert coach_port == COACH_PORT


def test_frontend_probe_matches_the_web_app_image(render: Render) -> None:
    """nginx in the web app image listens on 3000 and answers /healthz, which the chart probes."""
    container = pod_spec(one(render(), "Deployment", "frontend"))["containers"][0]
    for name in PROBES:
        assert container[name]["httpGet"]["path"] == "/healthz"
        assert _probed_port(container, container[name]) == 3000
    image = ROOT / "frontend"
    text = "\n".join(path.read_text(errors="replace") for path in _nginx_configs(image))
    assert re.search(r"location\s+=?\s*/healthz", text), (
        "no nginx location for /healthz under frontend/"
    )
    listen = re.search(r"listen\s+(?:\[::\]:)?(\$\{?PORT\}?|\d+)", text)
    assert listen, "no nginx listen directive under frontend/"
    if listen.group(1).isdigit():
        port = int(listen.group(1))
    else:
        dockerfile_env = re.search(r"ENV\s+(?:.*\s)?PORT=(\d+)", (image / "Dockerfile").read_text())
        assert dockerfile_env, "the web app image does not set PORT"
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        port = int(env.get("PORT") or dockerfile_env.group(1))
    assert port == 3000


def _nginx_configs(root: Path) -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [
            d for d in subdirectories if d not in {"node_modules", "dist", ".vite"}
        ]
        found.extend(
            Path(directory) / name
            for name in files
            if "nginx" in name or name.endswith(".conf") or Path(directory).name == "nginx"
        )
    return found


def test_mcp_server_is_probed_and_routed_where_it_listens(render: Render) -> None:
    from workout_api.mcp.cli import DEFAULT_HTTP_PATH, DEFAULT_HTTP_PORT
    from workout_api.mcp.server import create_server

    manifests = render(
        {"mcp": {"enabled": True, "ingressPath": DEFAULT_HTTP_PATH}, "ingress": {"enabled": True}}
    )
    container = pod_spec(one(manifests, "Deployment", "mcp"))["containers"][0]
    assert container["command"] == [
        "python",
        "/app/scripts/exercises_mcp.py",
        "--transport",
        "http",
        "--host",
        "0.0.0.0",
        "--port",
        str(DEFAULT_HTTP_PORT),
    ]
    # The server answers only the Host names it was given: its Service's, and the probes'.
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["MCP_ALLOWED_HOSTS"].split(",")[0] == "wt-workout-tracker-mcp"
    for name in PROBES:
        assert container[name]["httpGet"]["httpHeaders"] == [{"name": "Host", "value": "localhost"}]
    assert container["ports"][0]["containerPort"] == DEFAULT_HTTP_PORT
    app = create_server(None).http_app(path=DEFAULT_HTTP_PATH)
    for name in PROBES:
        assert _probed_port(container, container[name]) == DEFAULT_HTTP_PORT
        assert _serves_get(app, container[name]["httpGet"]["path"])
    (ingress,) = [m for m in manifests if m["kind"] == "Ingress"]
    paths = {
        p["path"]: p["backend"]["service"]["name"]
        for p in ingress["spec"]["rules"][0]["http"]["paths"]
    }
    assert paths[DEFAULT_HTTP_PATH] == "wt-workout-tracker-mcp"


def test_mcp_is_not_published_unless_asked(render: Render) -> None:
    manifests = render(ALL_ON | {"ingress": {"enabled": True}})
    (ingress,) = [m for m in manifests if m["kind"] == "Ingress"]
    paths = [p["path"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert "/mcp" not in paths


def test_helm_test_checks_every_health_endpoint(render: Render) -> None:
    pod = next(m for m in render(ALL_ON) if m["kind"] == "Pod")
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    targets = pod["spec"]["containers"][0]["command"][3:]
    assert targets == [
        "http://wt-workout-tracker-api:8000/health",
        "http://wt-workout-tracker-ai-coach:8001/health",
        "http://wt-workout-tracker-worker:8002/health",
        "http://wt-workout-tracker-mcp:8003/health",
        "http://wt-workout-tracker-frontend:3000/healthz",
    ]
