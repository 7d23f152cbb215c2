"""Ingress, autoscaling, disruption budgets and network policies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.charts.conftest import CHART, VALUE_SETS, Render, find, one, run_helm, write_values


def _backends(ingress: dict[str, Any]) -> dict[tuple[str | None, str], tuple[str, Any]]:
    routes = {}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            service = path["backend"]["service"]
            routes[(rule.get("host"), path["path"])] = (service["name"], service["port"]["name"])
    return routes


def test_ingress_serves_the_web_app_at_root_and_the_services_on_their_hosts(render: Render) -> None:
    manifests = render(VALUE_SETS["production"])
    (ingress,) = find(manifests, "Ingress")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}
    assert ingress["spec"]["tls"] == [
        {
            "secretName": "workout-tls",
            "hosts": [
                "workout.example.com",
                "api.workout.example.com",
                "coach.workout.example.com",
            ],
        }
    ]
    assert _backends(ingress) == {
        ("workout.example.com", "/"): ("wt-workout-tracker-frontend", "http"),
        ("workout.example.com", "/mcp"): ("wt-workout-tracker-mcp", "http"),
        ("api.workout.example.com", "/"): ("wt-workout-tracker-api", "http"),
        ("coach.workout.example.com", "/"): ("wt-workout-tracker-ai-coach", "http"),
    }
    services = {s["metadata"]["name"]: s for s in find(manifests, "Service")}
    for name, port in _backends(ingress).values():
        assert port in {p["name"] for p in services[name]["spec"]["ports"]}


def test_ingress_defaults_to_any_host_without_tls(render: Render) -> None:
    assert find(render(), "Ingress") == [], "off by default: it would serve any host"
    (ingress,) = find(render({"ingress": {"enabled": True}}), "Ingress")
    assert "tls" not in ingress["spec"]
    assert _backends(ingress) == {(None, "/"): ("wt-workout-tracker-frontend", "http")}
    assert find(render({"ingress": {"enabled": False}}), "Ingress") == []


def test_autoscaling_replaces_fixed_replicas(render: Render) -> None:
    manifests = render(VALUE_SETS["production"])
    hpa = one(manifests, "HorizontalPodAutoscaler", "api")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "wt-workout-tracker-api",
    }
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 10)
    assert hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 70
    assert "replicas" not in one(manifests, "Deployment", "api")["spec"]
    assert one(manifests, "Deployment", "frontend")["spec"]["replicas"] == 2
    assert find(render(), "HorizontalPodAutoscaler") == []


def test_disruption_budgets_select_their_pods(render: Render) -> None:
    manifests = render({"mcp": {"enabled": True}})
    for component in ("api", "ai-coach", "worker", "frontend", "mcp"):
        budget = one(manifests, "PodDisruptionBudget", component)
        deployment = one(manifests, "Deployment", component)
        assert budget["spec"]["selector"] == deployment["spec"]["selector"]
        assert budget["spec"]["maxUnavailable"] == 1


def test_network_policies_admit_only_the_clients_of_each_store(render: Render) -> None:
    manifests = render({"networkPolicy": {"enabled": True}})
    policies = {
        p["metadata"]["labels"]["app.kubernetes.io/component"]: p
        for p in find(manifests, "NetworkPolicy")
    }
    assert set(policies) == {"api", "ai-coach", "worker", "frontend", "postgresql", "redis"}
    database_clients = policies["postgresql"]["spec"]["ingress"][0]["from"][0]["podSelector"][
        "matchExpressions"
    ][0]
    assert database_clients["values"] == ["api", "mcp", "migrations"]
    redis_clients = policies["redis"]["spec"]["ingress"][0]["from"][0]["podSelector"][
        "matchExpressions"
    ][0]
    assert set(redis_clients["values"]) == {
        "api",
        "ai-coach",
        "worker",
        "refresh",
        "warmup",
        "cleanup",
    }
    frontend_peers = policies["frontend"]["spec"]["ingress"][0]["from"]
    assert {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}
    } in frontend_peers
    assert find(render(), "NetworkPolicy") == []


def test_disabled_components_leave_nothing_behind(render: Render) -> None:
    manifests = render(
        {
            "aiCoach": {"enabled": False},
            "frontend": {"enabled": False},
            "ingress": {"enabled": False},
        }
    )
    components = {m["metadata"]["labels"].get("app.kubernetes.io/component") for m in manifests}
    assert "ai-coach" not in components
    assert "frontend" not in components
    test_pod = next(m for m in manifests if m["kind"] == "Pod")
    assert not any(
        "ai-coach" in arg or "frontend" in arg
        for arg in test_pod["spec"]["containers"][0]["command"]
    )


def test_notes_tell_the_user_where_to_go_and_how_to_sign_in(helm: str, tmp_path: Path) -> None:
    values = write_values(tmp_path, VALUE_SETS["production"])
    result = run_helm(
        helm, "install", "wt", str(CHART), "--dry-run=client", "-n", "workouts", "-f", str(values)
    )
    assert result.returncode == 0, result.stderr
    notes = result.stdout.split("NOTES:", 1)[1]
    assert "https://workout.example.com/" in notes
    assert "https://api.workout.example.com/" in notes
    assert "kubectl -n workouts get secret workout-admin -o jsonpath='{.data.password}'" in notes
    assert "offline coach" not in notes
    default_notes = run_helm(helm, "install", "wt", str(CHART), "--dry-run=client").stdout
    assert "built-in offline coach" in default_notes
    assert (
        "get secret wt-workout-tracker -o jsonpath='{.data.initial-admin-password}'"
        in default_notes
    )
