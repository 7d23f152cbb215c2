"""The chart's dashboards, ServiceMonitors and PrometheusRule: generated, well formed, rendered."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from workout_testkit.kubernetes_manifests import validate_manifests

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "charts/workout-tracker"
ALL_ON = [
    "monitoring.serviceMonitor.enabled=true",
    "monitoring.dashboards.enabled=true",
    "monitoring.prometheusRule.enabled=true",
]


def render(helm: str, tmp_path: Path, *settings: str) -> list[dict[str, Any]]:
    command = [helm, "template", "rel", str(CHART), "--namespace", "fitness"]
    for setting in settings:
        command += ["--set", setting]
    env = {
        "HELM_CACHE_HOME": str(tmp_path / "cache"),
        "HELM_CONFIG_HOME": str(tmp_path / "config"),
        "HELM_DATA_HOME": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in docs if doc["kind"] == kind]


def dashboard_config_maps(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        doc
        for doc in of_kind(docs, "ConfigMap")
        if doc["metadata"].get("labels", {}).get("grafana_dashboard") == "1"
    ]


def test_committed_files_are_what_the_generator_writes(chart_files: ModuleType) -> None:
    for path, text in chart_files.render_all().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is stale: run .venv/bin/python monitoring/build_chart_files.py"
        )


@pytest.mark.parametrize("name", ["overview", "api", "coach", "worker", "operator"])
def test_dashboard_structure(name: str) -> None:
    dashboard = json.loads((CHART / "dashboards" / f"{name}.json").read_text())
    assert dashboard["uid"] == f"workout-{name}"
    assert dashboard["title"].startswith("Workout Tracker / ")
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert variables["namespace"]["allValue"] == ".*"
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    queries = 0
    for panel in panels:
        grid = panel["gridPos"]
        assert grid["x"] >= 0, panel["title"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["type"] in {"timeseries", "stat"}
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        assert panel["targets"], panel["title"]
        ref_ids = [t["refId"] for t in panel["targets"]]
        assert len(set(ref_ids)) == len(ref_ids)
        for target in panel["targets"]:
            assert target["expr"].strip()
            assert 'namespace=~"$namespace"' in target["expr"], panel["title"]
            queries += 1
    assert queries >= 3


def test_panels_never_overlap() -> None:
    for path in (CHART / "dashboards").glob("*.json"):
        taken: set[tuple[int, int]] = set()
        for panel in json.loads(path.read_text())["panels"]:
            grid = panel["gridPos"]
            cells = {
                (x, y)
                for x in range(grid["x"], grid["x"] + grid["w"])
                for y in range(grid["y"], grid["y"] + grid["h"])
            }
            assert not cells & taken, f"{path.name}: {panel['title']} overlaps"
            taken |= cells


def test_monitoring_objects_are_off_by_default(helm: str, tmp_path: Path) -> None:
    docs = render(helm, tmp_path)
    assert of_kind(docs, "ServiceMonitor") == []
    assert of_kind(docs, "PrometheusRule") == []
    assert dashboard_config_maps(docs) == []


def test_service_monitors_scrape_every_service_with_its_own_labels(
    helm: str, tmp_path: Path
) -> None:
    docs = render(helm, tmp_path, *ALL_ON)
    services = {
        doc["metadata"]["labels"]["app.kubernetes.io/component"]: doc
        for doc in of_kind(docs, "Service")
    }
    monitors = of_kind(docs, "ServiceMonitor")
    jobs = {}
    for monitor in monitors:
        assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
        selector = monitor["spec"]["selector"]["matchLabels"]
        component = selector["app.kubernetes.io/component"]
        service = services[component]
        assert selector.items() <= service["metadata"]["labels"].items()
        assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["fitness"]}
        (endpoint,) = monitor["spec"]["endpoints"]
        assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}
        assert endpoint["path"] == "/metrics"
        assert endpoint["honorLabels"] is True
        (relabel,) = endpoint["relabelings"]
        assert relabel["targetLabel"] == "job"
        jobs[component] = relabel["replacement"]
    assert jobs == {"api": "workout-api", "ai-coach": "workout-coach", "worker": "workout-worker"}


def test_service_monitor_follows_disabled_components_and_extra_labels(
    helm: str, tmp_path: Path
) -> None:
    docs = render(
        helm,
        tmp_path,
        *ALL_ON,
        "aiCoach.enabled=false",
        "monitoring.serviceMonitor.labels.release=kube-prometheus-stack",
        "monitoring.serviceMonitor.interval=15s",
    )
    monitors = of_kind(docs, "ServiceMonitor")
    components = {
        m["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] for m in monitors
    }
    assert components == {"api", "worker"}
    for monitor in monitors:
        assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
        assert monitor["spec"]["endpoints"][0]["interval"] == "15s"


def test_prometheus_rule_holds_exactly_the_tested_rules(helm: str, tmp_path: Path) -> None:
    (rule,) = of_kind(render(helm, tmp_path, *ALL_ON), "PrometheusRule")
    source = yaml.safe_load((ROOT / "monitoring/rules/workout-tracker.rules.yml").read_text())
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    assert rule["spec"]["groups"] == source["groups"]
    description = rule["spec"]["groups"][0]["rules"][0]["annotations"]["description"]
    assert "{{ $value | humanizePercentage }}" in description


def test_dashboards_ship_as_labelled_config_maps(helm: str, tmp_path: Path) -> None:
    maps = dashboard_config_maps(render(helm, tmp_path, *ALL_ON))
    shipped = {}
    for config_map in maps:
        ((key, text),) = config_map["data"].items()
        shipped[key] = json.loads(text)
    on_disk = {p.name: json.loads(p.read_text()) for p in (CHART / "dashboards").glob("*.json")}
    assert shipped == on_disk
    assert set(shipped) == {
        "overview.json",
        "api.json",
        "coach.json",
        "worker.json",
        "operator.json",
    }


def test_dashboard_config_maps_are_valid_kubernetes_objects(helm: str, tmp_path: Path) -> None:
    maps = dashboard_config_maps(render(helm, tmp_path, *ALL_ON))
    validate_manifests(maps, tmp_path)
    for config_map in maps:
        assert len(config_map["metadata"]["name"]) <= 63
        # Grafana's sidecar and etcd: one ConfigMap must stay well under 1 MiB.
        assert len(json.dumps(config_map["data"])) < 256 * 1024
