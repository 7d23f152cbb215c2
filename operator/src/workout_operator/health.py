"""Ask each running service for its ``/health`` and reduce the answer to one word."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from workout_operator.migration import component_of
from workout_operator.render import Manifest

# The path each component answers its health on (the frontend's nginx serves /healthz).
HEALTH_PATHS = {
    "api": "/health",
    "ai-coach": "/health",
    "worker": "/health",
    "frontend": "/healthz",
    "mcp": "/health",
}


@dataclass(frozen=True)
class HealthTarget:
    component: str
    service: str
    port: int
    path: str


def health_targets(manifests: list[Manifest]) -> list[HealthTarget]:
    """One target per component that has both a Deployment and a Service in the render."""
    deployed = {component_of(m) for m in manifests if m.get("kind") == "Deployment"}
    targets = []
    for manifest in manifests:
        component = component_of(manifest)
        if (
            manifest.get("kind") != "Service"
            or component not in HEALTH_PATHS
            or component not in deployed
        ):
            continue
        ports = (manifest.get("spec") or {}).get("ports") or []
        if not ports:
            continue
        port = next((p for p in ports if p.get("name") == "http"), ports[0])
        targets.append(
            HealthTarget(
                component=component,
                service=manifest["metadata"]["name"],
                port=int(port["port"]),
                path=HEALTH_PATHS[component],
            )
        )
    return targets


def health_url(template: str, target: HealthTarget, namespace: str) -> str:
    return template.format(
        service=target.service, namespace=namespace, port=target.port, path=target.path
    )


def summarise(status_code: int, body: Any) -> str:
    """``healthy``/``degraded``/``unhealthy`` from the service's answer."""
    if isinstance(body, dict) and isinstance(body.get("status"), str):
        return str(body["status"])
    if status_code < 400:
        return "healthy"
    return "unhealthy"


def probe(url: str, timeout: float) -> str:
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError:
        return "unreachable"
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    return summarise(response.status_code, body)
